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
		rows, err := tx.QueryContext(ctx, `
			SELECT a.id, a.outlet, a.date, a.title, a.url, a.words,
			       snippet(articles_fts, -1, char(2), char(3), '…', 20)
			FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
			WHERE articles_fts MATCH ?
			ORDER BY bm25(articles_fts, 4.0, 1.0)
			LIMIT ?`, match, limit)
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
		return nil, fmt.Errorf("search %q: %w", query, err)
	}
	return out, nil
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

// FTSQuery translates a search-box string into an FTS5 MATCH expression in
// which every term is a quoted string. It returns "" when nothing is left to
// search for.
func FTSQuery(input string) string {
	type term struct {
		text   string
		not    bool
		prefix bool
		or     bool // joined to the previous term with OR
	}
	var terms []term
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
		terms = append(terms, term{text: word, not: not, prefix: prefix, or: orNext && !not})
		orNext = false
	}
	var pos, neg []string
	quote := func(t term) string {
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
	for _, n := range neg {
		q += " NOT " + n
	}
	return q
}
