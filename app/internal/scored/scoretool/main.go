// Command scoretool helps an annotator write the scored comparison set
// without copying article text into the repository.
//
//	go run ./app/internal/scored/scoretool show CORPUS FOLDER ARTICLE
//	go run ./app/internal/scored/scoretool shared CORPUS FOLDER ARTICLE...
//	go run ./app/internal/scored/scoretool build CORPUS NOTES OUT.json
//
// show prints an article as Parallax stores it, one paragraph per line
// with its rune offset. shared lists the runs of five or more words that
// two or more of the articles have in common, the candidates for shared
// quotes. build turns the annotator's notes, which select passages by
// their text and so stay outside the repository, into a story file of
// rune ranges and digests.
//
// Notes are lines of fields, with "…"-quoted fields for names, and after
// " | " a selector:
//
//	story NAME FOLDER ARTICLE...
//	group ID
//	ref ARTICLE KIND "SPEAKER" | SELECTOR
//	inst ARTICLE KIND "SPEAKER" REL[,REL...] | SELECTOR
//	said ARTICLE "SPEAKER" | SELECTOR
//
// A selector is the passage's text, which must occur once in the article,
// or "#N text" for its Nth occurrence, or "first words ~~ last words" for
// the range from the first occurrence of one to the end of the next
// occurrence of the other. KIND is quote or reported; SPEAKER is "" when
// the article names none, and "org:NAME" for an organisation. Lines
// starting with # are comments. Every quote instance with a person as its
// speaker is also listed among the story's speakers.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parallax-research/parallax/app/internal/scored"
	"github.com/parallax-research/parallax/diffing/vocab"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "scoretool:", err)
		os.Exit(1)
	}
}

const usage = "usage: scoretool show CORPUS FOLDER ARTICLE | shared CORPUS FOLDER ARTICLE... | build CORPUS NOTES OUT.json"

func run(args []string) error {
	if len(args) < 1 {
		return errors.New(usage)
	}
	switch {
	case args[0] == "show" && len(args) == 4:
		texts, err := scored.Read(context.Background(), args[1], scored.Story{Name: args[3], Folder: args[2], Articles: args[3:]})
		if err != nil {
			return err
		}
		show(texts[args[3]])
		return nil
	case args[0] == "shared" && len(args) >= 5:
		texts, err := scored.Read(context.Background(), args[1], scored.Story{Name: "shared", Folder: args[2], Articles: args[3:]})
		if err != nil {
			return err
		}
		shared(args[3:], texts)
		return nil
	case args[0] == "build" && len(args) == 4:
		s, err := build(args[1], args[2])
		if err != nil {
			return err
		}
		b, err := json.MarshalIndent(s, "", "\t")
		if err != nil {
			return err
		}
		return os.WriteFile(args[3], append(b, '\n'), 0o644)
	}
	return errors.New(usage)
}

func show(text string) {
	off := 0
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) != "" {
			fmt.Printf("%6d  %s\n", off, line)
		}
		off += utf8.RuneCountInString(line) + 1
	}
}

// word is a word of an article, lower-cased, with its rune range.
type word struct {
	w          string
	start, end int
}

func words(text string) []word {
	var out []word
	rs := []rune(text)
	for i := 0; i < len(rs); {
		if !unicode.IsLetter(rs[i]) && !unicode.IsDigit(rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) || (rs[j] == '\'' || rs[j] == '’') && j+1 < len(rs) && unicode.IsLetter(rs[j+1])) {
			j++
		}
		out = append(out, word{strings.ReplaceAll(strings.ToLower(string(rs[i:j])), "’", "'"), i, j})
		i = j
	}
	return out
}

// shared prints, for each article, the maximal runs of at least five words
// that occur in another article too, with the articles that have them.
func shared(names []string, texts map[string]string) {
	const n = 5
	key := func(ws []word, i int) string {
		parts := make([]string, n)
		for k := range n {
			parts[k] = ws[i+k].w
		}
		return strings.Join(parts, " ")
	}
	ws := map[string][]word{}
	where := map[string]map[string]bool{}
	for _, a := range names {
		ws[a] = words(texts[a])
		for i := 0; i+n <= len(ws[a]); i++ {
			k := key(ws[a], i)
			if where[k] == nil {
				where[k] = map[string]bool{}
			}
			where[k][a] = true
		}
	}
	for _, a := range names {
		fmt.Printf("== %s\n", a)
		rs := []rune(texts[a])
		w := ws[a]
		for i := 0; i+n <= len(w); {
			others := otherArticles(where[key(w, i)], a)
			if len(others) == 0 {
				i++
				continue
			}
			j := i
			for j+1+n <= len(w) && len(otherArticles(where[key(w, j+1)], a)) > 0 {
				j++
			}
			fmt.Printf("[%d,%d) %v %s\n", w[i].start, w[j+n-1].end, others, string(rs[w[i].start:w[j+n-1].end]))
			i = j + 1
		}
	}
}

func otherArticles(set map[string]bool, self string) []string {
	var out []string
	for a := range set {
		if a != self {
			out = append(out, a)
		}
	}
	slices.Sort(out)
	return out
}

// build reads the notes at path and resolves their selectors against the
// stored texts.
func build(corpus, path string) (scored.Story, error) {
	f, err := os.Open(path)
	if err != nil {
		return scored.Story{}, err
	}
	defer f.Close()
	var s scored.Story
	var texts map[string]string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for ln := 1; sc.Scan(); ln++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		head, sel, _ := strings.Cut(line, " | ")
		fs, err := fields(head)
		if err != nil {
			return s, fmt.Errorf("%s:%d: %w", path, ln, err)
		}
		fail := func(err error) (scored.Story, error) { return s, fmt.Errorf("%s:%d: %w", path, ln, err) }
		span := func(article string) (scored.Span, error) {
			t, ok := texts[article]
			if !ok {
				return scored.Span{}, fmt.Errorf("article %q not in the story", article)
			}
			a, b, err := resolve(t, sel)
			if err != nil {
				return scored.Span{}, fmt.Errorf("%s: %w", article, err)
			}
			rs := []rune(t)
			return scored.Span{Article: article, Start: a, End: b, Digest: scored.Digest(string(rs[a:b]))}, nil
		}
		switch {
		case fs[0] == "story" && len(fs) >= 4:
			s = scored.Story{Name: fs[1], Folder: fs[2], Articles: fs[3:]}
			texts, err = scored.Read(context.Background(), corpus, s)
			if err != nil {
				return fail(err)
			}
		case fs[0] == "group" && len(fs) == 2:
			s.Groups = append(s.Groups, scored.Group{ID: fs[1]})
		case (fs[0] == "ref" && len(fs) == 4 || fs[0] == "inst" && len(fs) == 5) && len(s.Groups) > 0:
			sp, err := span(fs[1])
			if err != nil {
				return fail(err)
			}
			in := scored.Instance{Span: sp, Kind: fs[2], Speaker: fs[3], Reference: fs[0] == "ref"}
			if org, ok := strings.CutPrefix(in.Speaker, "org:"); ok {
				in.Speaker, in.Organisation = org, true
			}
			if fs[0] == "inst" {
				for _, r := range strings.Split(fs[4], ",") {
					in.Relations = append(in.Relations, vocab.Relation(r))
				}
			}
			g := &s.Groups[len(s.Groups)-1]
			g.Instances = append(g.Instances, in)
		case fs[0] == "said" && len(fs) == 3:
			sp, err := span(fs[1])
			if err != nil {
				return fail(err)
			}
			s.Speakers = append(s.Speakers, scored.Said{Span: sp, Speaker: fs[2]})
		default:
			return fail(fmt.Errorf("cannot read %q", head))
		}
	}
	if err := sc.Err(); err != nil {
		return s, err
	}
	addGroupSpeakers(&s)
	if err := s.Validate(); err != nil {
		return s, err
	}
	return s, s.Check(texts)
}

// addGroupSpeakers lists every quote instance with a named speaker among
// the speakers, unless a listed quote already overlaps it.
func addGroupSpeakers(s *scored.Story) {
	for _, g := range s.Groups {
		for _, in := range g.Instances {
			if in.Kind != scored.KindQuote || in.Speaker == "" || in.Organisation {
				continue
			}
			dup := slices.ContainsFunc(s.Speakers, func(sd scored.Said) bool {
				return sd.Article == in.Article && sd.Start < in.End && in.Start < sd.End
			})
			if !dup {
				s.Speakers = append(s.Speakers, scored.Said{Span: in.Span, Speaker: in.Speaker})
			}
		}
	}
	slices.SortStableFunc(s.Speakers, func(a, b scored.Said) int {
		if c := strings.Compare(a.Article, b.Article); c != 0 {
			return c
		}
		return a.Start - b.Start
	})
}

// fields splits a notes line at spaces, keeping "…"-quoted fields whole.
func fields(s string) ([]string, error) {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if s[0] == '"' {
			q, err := strconv.QuotedPrefix(s)
			if err != nil {
				return nil, fmt.Errorf("field %q: %w", s, err)
			}
			v, _ := strconv.Unquote(q)
			out = append(out, v)
			s = s[len(q):]
			continue
		}
		i := strings.IndexByte(s, ' ')
		if i < 0 {
			i = len(s)
		}
		out = append(out, s[:i])
		s = s[i:]
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("empty line")
	}
	return out, nil
}

// resolve finds a selector's rune range in text.
func resolve(text, sel string) (int, int, error) {
	nth := 0
	if strings.HasPrefix(sel, "#") {
		n, rest, ok := strings.Cut(sel[1:], " ")
		k, err := strconv.Atoi(n)
		if !ok || err != nil || k < 1 {
			return 0, 0, fmt.Errorf("bad occurrence in %q", sel)
		}
		nth, sel = k, rest
	}
	first, last, ranged := strings.Cut(sel, " ~~ ")
	var at []int
	for i := 0; ; {
		j := strings.Index(text[i:], first)
		if j < 0 {
			break
		}
		at = append(at, i+j)
		i += j + 1
	}
	switch {
	case len(at) == 0:
		return 0, 0, fmt.Errorf("%q not found", first)
	case nth == 0 && len(at) > 1:
		return 0, 0, fmt.Errorf("%q occurs %d times; write #N before it", first, len(at))
	case nth > len(at):
		return 0, 0, fmt.Errorf("%q occurs only %d times", first, len(at))
	}
	if nth == 0 {
		nth = 1
	}
	a := at[nth-1]
	b := a + len(first)
	if ranged {
		j := strings.Index(text[b:], last)
		if j < 0 {
			return 0, 0, fmt.Errorf("%q not found after %q", last, first)
		}
		b += j + len(last)
	}
	return utf8.RuneCountInString(text[:a]), utf8.RuneCountInString(text[:b]), nil
}
