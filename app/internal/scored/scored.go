// Package scored is the format of the repository's scored comparison set
// (app/testdata/scored): for each story of the shared corpus, the
// quotes two or more of its articles share, the fullest version of each,
// how every other version relates to it, and who the articles say spoke.
// The expectations are a reader's, written by reading the articles, never
// taken from the engine's output.
//
// The articles are their outlets' copyright, so the set holds no text of
// theirs: a passage is a rune range in the article as Parallax stores it
// (read through the importer, see Read) and a digest of the text there, so
// that a changed corpus or importer is detected instead of scoring
// against shifted ranges.
package scored

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/data/ingest"
	"github.com/parallax-research/parallax/diffing/difftest"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// Kinds of passage: words in quotation marks, or reported speech in the
// article's own voice.
const (
	KindQuote    = "quote"
	KindReported = "reported"
)

// Story is one story's annotations: a set of articles on the same news,
// compared with each other.
type Story struct {
	// Name identifies the story ("bradford", "event0").
	Name string `json:"story"`
	// Folder is the corpus folder holding the articles.
	Folder string `json:"folder"`
	// Articles are the file names without .txt. Their order is the order
	// the scorer hands them to the engine.
	Articles []string `json:"articles"`
	// Groups are the passages shared by two or more articles.
	Groups []Group `json:"groups"`
	// Speakers lists, per article, the direct quotes whose speaker the
	// article names, shared or not.
	Speakers []Said `json:"speakers"`
}

// Group is one statement (or finding) as given by two or more articles.
type Group struct {
	// ID is a short label in the annotator's words.
	ID        string     `json:"id"`
	Instances []Instance `json:"instances"`
}

// Span is a passage: a [Start, End) rune range in an article's stored
// text, and the digest of the text there.
type Span struct {
	Article string `json:"article"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	Digest  string `json:"digest"`
}

// Instance is one article's version of a group's statement.
type Instance struct {
	Span
	// Kind is KindQuote or KindReported.
	Kind string `json:"kind"`
	// Speaker is the full name the article gives the speaker, or "" when
	// it names none.
	Speaker string `json:"speaker"`
	// Organisation says that Speaker names an organisation ("Ofsted"),
	// not a person.
	Organisation bool `json:"organisation,omitempty"`
	// Reference marks the fullest version, which the others are compared
	// with. Exactly one instance per group has it.
	Reference bool `json:"reference,omitempty"`
	// Relations are how this version differs from the reference, in
	// Parallax's vocabulary; empty for the reference.
	Relations []vocab.Relation `json:"relations,omitempty"`
}

// Said is a direct quote and the person its article names as the
// speaker. A statement made jointly lists its speakers separated by "|".
type Said struct {
	Span
	Speaker string `json:"speaker"`
}

// Digest stands for the text of a span: its words, counted as Parallax
// counts an article's words, and a hash.
func Digest(s string) string { return difftest.Digest(s, data.CountWords(s)) }

// Load reads every story file (*.json) in dir, in name order, and checks
// that each is well formed.
func Load(dir string) ([]Story, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	var out []Story
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		var s Story
		if err := json.Unmarshal(b, &s); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		if err := s.Validate(); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		out = append(out, s)
	}
	return out, nil
}

// Validate checks the story's structure: known articles and kinds, one
// reference per group with no relations of its own, relations on every
// other instance, and instances from at least two articles.
func (s Story) Validate() error {
	var errs []error
	known := map[string]bool{}
	for _, a := range s.Articles {
		known[a] = true
	}
	span := func(where string, sp Span) {
		if !known[sp.Article] {
			errs = append(errs, fmt.Errorf("%s: article %q is not in the story", where, sp.Article))
		}
		if sp.Start < 0 || sp.End <= sp.Start || sp.Digest == "" {
			errs = append(errs, fmt.Errorf("%s: bad span [%d,%d) %q", where, sp.Start, sp.End, sp.Digest))
		}
	}
	ids := map[string]bool{}
	for _, g := range s.Groups {
		if g.ID == "" || ids[g.ID] {
			errs = append(errs, fmt.Errorf("group %q: missing or repeated id", g.ID))
		}
		ids[g.ID] = true
		refs := 0
		arts := map[string]bool{}
		for i, in := range g.Instances {
			where := fmt.Sprintf("group %s instance %d", g.ID, i)
			span(where, in.Span)
			arts[in.Article] = true
			if in.Kind != KindQuote && in.Kind != KindReported {
				errs = append(errs, fmt.Errorf("%s: kind %q", where, in.Kind))
			}
			if in.Reference {
				refs++
				if len(in.Relations) > 0 {
					errs = append(errs, fmt.Errorf("%s: the reference has relations", where))
				}
				continue
			}
			if len(in.Relations) == 0 {
				errs = append(errs, fmt.Errorf("%s: no relations", where))
			}
			for _, r := range in.Relations {
				if !slices.Contains(vocab.Relations(), r) {
					errs = append(errs, fmt.Errorf("%s: unknown relation %q", where, r))
				}
			}
		}
		if refs != 1 {
			errs = append(errs, fmt.Errorf("group %s: %d references, want 1", g.ID, refs))
		}
		if len(arts) < 2 {
			errs = append(errs, fmt.Errorf("group %s: instances from %d article(s), want 2 or more", g.ID, len(arts)))
		}
	}
	for i, sd := range s.Speakers {
		where := fmt.Sprintf("speaker %d", i)
		span(where, sd.Span)
		if sd.Speaker == "" {
			errs = append(errs, fmt.Errorf("%s: no speaker", where))
		}
	}
	return errors.Join(errs...)
}

// Read returns the story's article texts as Parallax stores them, read
// through the importer (header split off, NFC, "\n" line ends), keyed by
// article name.
func Read(ctx context.Context, corpus string, s Story) (map[string]string, error) {
	paths := make([]string, len(s.Articles))
	for i, a := range s.Articles {
		paths[i] = filepath.Join(corpus, s.Folder, a+".txt")
	}
	items, err := new(ingest.Importer).Read(ctx, paths, nil)
	if err != nil {
		return nil, fmt.Errorf("read story %s: %w", s.Name, err)
	}
	texts := map[string]string{}
	for _, it := range items {
		if it.Err != nil {
			return nil, fmt.Errorf("read story %s: %w", s.Name, it.Err)
		}
		texts[strings.TrimSuffix(filepath.Base(it.Path), ".txt")] = it.Article.Text
	}
	for _, a := range s.Articles {
		if _, ok := texts[a]; !ok {
			return nil, fmt.Errorf("read story %s: article %s not imported", s.Name, a)
		}
	}
	return texts, nil
}

// Check reports every span whose range lies outside its article or whose
// text no longer has the recorded digest: the corpus or the importer
// changed, and the ranges must be redone.
func (s Story) Check(texts map[string]string) error {
	var errs []error
	check := func(where string, sp Span) {
		rs := []rune(texts[sp.Article])
		if sp.End > len(rs) {
			errs = append(errs, fmt.Errorf("%s %s: [%d,%d) beyond the article's %d runes", s.Name, where, sp.Start, sp.End, len(rs)))
			return
		}
		if d := Digest(string(rs[sp.Start:sp.End])); d != sp.Digest {
			errs = append(errs, fmt.Errorf("%s %s: %s [%d,%d) has digest %s, want %s", s.Name, where, sp.Article, sp.Start, sp.End, d, sp.Digest))
		}
	}
	for _, g := range s.Groups {
		for i, in := range g.Instances {
			check(fmt.Sprintf("group %s instance %d", g.ID, i), in.Span)
		}
	}
	for i, sd := range s.Speakers {
		check(fmt.Sprintf("speaker %d", i), sd.Span)
	}
	return errors.Join(errs...)
}
