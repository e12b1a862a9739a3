package scored

import (
	"strings"
	"testing"

	"github.com/parallax-research/parallax/diffing/vocab"
)

func TestValidate(t *testing.T) {
	text := "Ann Lee said: \"We will rebuild.\""
	sp := func(article string) Span {
		return Span{Article: article, Start: 14, End: 30, Digest: Digest(text[14:30])}
	}
	good := func() Story {
		return Story{Name: "s", Articles: []string{"a", "b"}, Groups: []Group{{ID: "g", Instances: []Instance{
			{Span: sp("a"), Kind: KindQuote, Speaker: "Ann Lee", Reference: true},
			{Span: sp("b"), Kind: KindQuote, Relations: []vocab.Relation{vocab.RelVerbatim}},
		}}}}
	}
	if err := good().Validate(); err != nil {
		t.Fatalf("valid story: %v", err)
	}
	cases := map[string]struct {
		edit func(*Story)
		want string
	}{
		"two references":      {func(s *Story) { s.Groups[0].Instances[1].Reference = true }, "2 references"},
		"reference relations": {func(s *Story) { s.Groups[0].Instances[0].Relations = []vocab.Relation{vocab.RelFragment} }, "the reference has relations"},
		"no relations":        {func(s *Story) { s.Groups[0].Instances[1].Relations = nil }, "no relations"},
		"unknown relation":    {func(s *Story) { s.Groups[0].Instances[1].Relations = []vocab.Relation{"copied"} }, "unknown relation"},
		"one article":         {func(s *Story) { s.Groups[0].Instances[1].Article = "a" }, "from 1 article"},
		"unknown article":     {func(s *Story) { s.Groups[0].Instances[1].Article = "c" }, "not in the story"},
		"bad kind":            {func(s *Story) { s.Groups[0].Instances[1].Kind = "tweet" }, "kind"},
		"empty span":          {func(s *Story) { s.Groups[0].Instances[1].End = 14 }, "bad span"},
		"speakerless said":    {func(s *Story) { s.Speakers = []Said{{Span: sp("a")}} }, "no speaker"},
	}
	for name, c := range cases {
		s := good()
		c.edit(&s)
		if err := s.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want one mentioning %q", name, err, c.want)
		}
	}

	texts := map[string]string{"a": text, "b": text}
	if err := good().Check(texts); err != nil {
		t.Fatalf("unchanged texts: %v", err)
	}
	texts["b"] = strings.Replace(text, "rebuild", "rebuilt", 1)
	if err := good().Check(texts); err == nil || !strings.Contains(err.Error(), "digest") {
		t.Errorf("changed text: err = %v, want a digest mismatch", err)
	}
	texts["b"] = "short"
	if err := good().Check(texts); err == nil || !strings.Contains(err.Error(), "beyond") {
		t.Errorf("shorter text: err = %v, want a range beyond the article", err)
	}
}
