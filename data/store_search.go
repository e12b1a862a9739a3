package data

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Search runs a full-text search over titles and texts, best matches first.
//
// The query is the user's words, never FTS5 syntax: every term is quoted
// before it reaches SQLite, so quotes, '*', '-', parentheses or keywords in
// the input cannot cause an error. Supported, because researchers expect
// them from every search box: "exact phrase", -excluded, prefix*, and OR
// between two terms. A query with no searchable word matches nothing.
func (s *Store) Search(ctx context.Context, query string, limit int) ([]SearchHit, error) {
	match := FTSQuery(query)
	if match == "" {
		return nil, nil
	}
	if limit <= 0 {
		limit = 200
	}
	var out []SearchHit
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		// The best hits are ranked first and only they get a snippet:
		// SQLite computes every selected column before it sorts, so a
		// snippet in the ranking query was made for every article that
		// matched ("Ofsted" in ten thousand), not for the fifty shown.
		// CROSS JOIN keeps the planner from matching the whole index a
		// second time and joining the hits to top: it looks up each of
		// top's rows instead (p95 over BenchmarkSearch10k's queries 29 →
		// 21 ms).
		rows, err := tx.QueryContext(ctx, `
			WITH top AS (
				SELECT rowid AS id, bm25(articles_fts, 4.0, 1.0) AS score FROM articles_fts
				WHERE articles_fts MATCH ?1 ORDER BY score, rowid LIMIT ?2)
			SELECT a.id, a.outlet, a.date, a.title, a.url, a.words,
			       snippet(articles_fts, -1, char(2), char(3), '…', 20)
			FROM top CROSS JOIN articles_fts ON articles_fts.rowid = top.id JOIN articles a ON a.id = top.id
			WHERE articles_fts MATCH ?1
			ORDER BY top.score, top.id`, match, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var h SearchHit
			var date, snip string
			if err := rows.Scan(&h.ID, &h.Outlet, &date, &h.Title, &h.URL, &h.Words, &snip); err != nil {
				return err
			}
			h.Date, _ = ParseDateTime(date)
			h.Snippet, h.Marks = splitMarks(snip)
			out = append(out, h)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", shorten(query, 60), err)
	}
	return out, nil
}

// Caps on a search query. Every term is matched against the index, and
// ranking and snippets weigh every term against every hit, so the cost
// of a query grows faster than its length: a query of thousands of words
// (a pasted article) would run for minutes. A search box query is a few
// words; the rest of a longer one is left out, and QueryNote says so.
const (
	MaxQueryTerms = 32
	MaxQueryBytes = 1024
)

// QueryNote says how a query was cut to the caps, or "" when it was
// searched whole.
func QueryNote(query string) string {
	terms := len(parseTerms(query))
	switch {
	case terms > MaxQueryTerms:
		return fmt.Sprintf("Only the first %d of the query's %d terms were searched: a search takes at most %d words or phrases.", MaxQueryTerms, terms, MaxQueryTerms)
	case len(query) > MaxQueryBytes:
		return fmt.Sprintf("Only the first %d characters of the query were searched (it has %d).", utf8.RuneCountInString(capBytes(query)), utf8.RuneCountInString(query))
	}
	return ""
}

// capBytes cuts s to at most MaxQueryBytes bytes, at a rune boundary.
func capBytes(s string) string {
	if len(s) <= MaxQueryBytes {
		return s
	}
	cut := MaxQueryBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// shorten cuts s to n runes with an ellipsis, so that an error message
// never repeats a whole pasted article.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// splitMarks removes the \x02/\x03 markers snippet() puts around matches and
// returns their positions instead, so no caller has to parse markup.
func splitMarks(s string) (string, [][2]int) {
	var b strings.Builder
	var marks [][2]int
	n, start := 0, -1
	for _, r := range s {
		switch r {
		case '\x02':
			start = n
		case '\x03':
			if start >= 0 {
				marks = append(marks, [2]int{start, n})
			}
			start = -1
		default:
			b.WriteRune(r)
			n++
		}
	}
	return b.String(), marks
}

// queryTerm is one term of a search-box query.
type queryTerm struct {
	text   string
	not    bool
	prefix bool
	or     bool // joined to the previous term with OR
}

// parseTerms reads a search-box string into terms (see Search), without
// the caps.
func parseTerms(input string) []queryTerm {
	var terms []queryTerm
	orNext := false
	// SQLite reads a bound string only up to a NUL, which would cut a quoted
	// term open; control characters are never meant as search text anyway.
	rest := strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(input, " "))
	for rest != "" {
		r, size := utf8.DecodeRuneInString(rest)
		if unicode.IsSpace(r) {
			rest = rest[size:]
			continue
		}
		not := false
		if r == '-' && len(rest) > 1 {
			not = true
			rest = rest[1:]
		}
		var word string
		if strings.HasPrefix(rest, `"`) {
			end := strings.IndexByte(rest[1:], '"')
			if end < 0 { // unbalanced: the rest is the phrase
				word, rest = rest[1:], ""
			} else {
				word, rest = rest[1:1+end], rest[2+end:]
			}
		} else {
			end := strings.IndexFunc(rest, unicode.IsSpace)
			if end < 0 {
				end = len(rest)
			}
			word, rest = rest[:end], rest[end:]
		}
		if word == "OR" && !not {
			orNext = len(terms) > 0
			continue
		}
		prefix := strings.HasSuffix(word, "*")
		word = strings.Trim(word, "*")
		if !strings.ContainsFunc(word, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
			continue
		}
		terms = append(terms, queryTerm{text: word, not: not, prefix: prefix, or: orNext && !not})
		orNext = false
	}
	return terms
}

// FTSQuery translates a search-box string into an FTS5 MATCH expression in
// which every term is a quoted string. It returns "" when nothing is left to
// search for. The query is cut to MaxQueryBytes and MaxQueryTerms first.
//
// The expression is flat whatever the number of terms: (a AND (b OR c))
// NOT (x OR y). FTS5 merges a chain of ANDs or ORs into one node, but nests
// each NOT, and refuses an expression more than 256 levels deep.
func FTSQuery(input string) string {
	terms := parseTerms(capBytes(input))
	if len(terms) > MaxQueryTerms {
		terms = terms[:MaxQueryTerms]
	}
	var pos, neg []string
	quote := func(t queryTerm) string {
		q := `"` + strings.ReplaceAll(t.text, `"`, `""`) + `"`
		if t.prefix {
			q += " *"
		}
		return q
	}
	for _, t := range terms {
		switch {
		case t.not:
			neg = append(neg, quote(t))
		case t.or && len(pos) > 0:
			pos[len(pos)-1] = "(" + strings.TrimSuffix(strings.TrimPrefix(pos[len(pos)-1], "("), ")") + " OR " + quote(t) + ")"
		default:
			pos = append(pos, quote(t))
		}
	}
	if len(pos) == 0 {
		return ""
	}
	q := strings.Join(pos, " AND ")
	if len(neg) > 0 {
		q = "(" + q + ") NOT (" + strings.Join(neg, " OR ") + ")"
	}
	return q
}
