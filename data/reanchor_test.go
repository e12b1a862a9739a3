package data

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
)

func anchorOf(text, exact string, nth int) Anchor {
	rs := []rune(text)
	byteAt := -1
	for i := 0; i <= nth; i++ {
		j := strings.Index(text[byteAt+1:], exact)
		if j < 0 {
			panic("no occurrence of " + exact)
		}
		byteAt += 1 + j
	}
	s := len([]rune(text[:byteAt]))
	e := s + len([]rune(exact))
	prefix, suffix := QuoteContext(rs, s, e)
	return Anchor{Start: s, End: e, Exact: exact, Prefix: prefix, Suffix: suffix}
}

func TestReanchor(t *testing.T) {
	old := "Ofsted rated the council inadequate in 2018.\n\nInspectors said there are widespread and serious failures across all service areas. The council said it was sorry.\n\nA spokesperson said improvements were under way."
	passage := "there are widespread and serious failures across all service areas"
	cases := []struct {
		name     string
		new      string
		exact    string
		nth      int
		status   AnchorStatus
		wantText string // the new text at the new range ("" when orphaned)
	}{
		{"unchanged", old, passage, 0, AnchorKept, passage},
		{"edit before", "UPDATED: " + old, passage, 0, AnchorMoved, passage},
		{"edit after", old + "\n\nMore reaction followed later in the day.", passage, 0, AnchorKept, passage},
		{"paragraphs moved", "Inspectors said there are widespread and serious failures across all service areas. The council said it was sorry.\n\nOfsted rated the council inadequate in 2018.\n\nA spokesperson said improvements were under way.", passage, 0, AnchorMoved, passage},
		{"whitespace and quote style", strings.ReplaceAll(strings.ReplaceAll(old, "widespread and serious", "widespread  and\nserious"), "Inspectors said there", "Inspectors said THERE"), passage, 0, AnchorMoved, "THERE are widespread  and\nserious failures across all service areas"},
		{"small edit inside", strings.Replace(old, "serious failures across all", "serious failings across all", 1), passage, 0, AnchorMoved, "there are widespread and serious failings across all service areas"},
		{"passage deleted", "Ofsted rated the council inadequate in 2018.\n\nThe council said it was sorry.\n\nA spokesperson said improvements were under way.", passage, 0, AnchorOrphaned, ""},
		{"passage rewritten beyond recognition", strings.Replace(old, passage, "problems were found in some departments", 1), passage, 0, AnchorOrphaned, ""},
		{"repeated words: context decides", "The council said it was sorry. Earlier: " + old, "The council said it was sorry", 0, AnchorMoved, "The council said it was sorry"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := anchorOf(old, c.exact, c.nth)
			got := Reanchor(old, c.new, a)
			if got.Status != c.status {
				t.Fatalf("status %s, want %s (%+v)", got.Status, c.status, got)
			}
			if c.status == AnchorOrphaned {
				return
			}
			rs := []rune(c.new)
			if text := string(rs[got.Start:got.End]); text != c.wantText {
				t.Fatalf("new range holds %q, want %q", text, c.wantText)
			}
			if c.name == "repeated words: context decides" {
				// The original occurrence (before " The council" in the old
				// article's second paragraph), not the new lead sentence.
				if got.Start == 0 {
					t.Fatal("moved onto the new, different occurrence")
				}
			}
		})
	}
}

// TestReanchorFoldedContext: when the passage is found only by folding
// (the quotes changed style) and occurs twice with the same words before
// it, the words after it decide, the space they start with included.
func TestReanchorFoldedContext(t *testing.T) {
	old := "She said “stop” later."
	a := anchorOf(old, "“stop”", 0)
	if !strings.HasPrefix(a.Suffix, " ") {
		t.Fatalf("suffix %q: the case needs one that starts with a space", a.Suffix)
	}
	newText := `She said "stop" now. She said "stop" later.`
	got := Reanchor(old, newText, a)
	want := len([]rune(newText[:strings.LastIndex(newText, `"stop"`)]))
	if got.Status != AnchorMoved || got.Start != want || got.End != want+6 {
		t.Fatalf("got %+v, want moved to [%d, %d), the occurrence before %q", got, want, want+6, a.Suffix)
	}
}

// TestReanchorSameWordsElsewhere: words that are also elsewhere in the
// article are the passage only where the text around them, or the diff of
// the two versions, says so; a correction of the coded words otherwise
// orphans the coding rather than moving it onto another sentence.
func TestReanchorSameWordsElsewhere(t *testing.T) {
	arrests := "Police arrested 12 people on Monday after the protest.\nThe mayor said the city would pay for repairs.\nLater, a court heard that 12 people had been injured in a separate incident in 2019.\n"
	rating := "The service was rated \"inadequate\" by Ofsted in 2018.\nInspectors found that leaders had not acted.\nOfsted rated the service \"inadequate\" for the second time this week, saying children were at risk.\n"
	lead := "Councillors deserve better answers, the opposition said.\nThe chief executive said staff worked hard and children \"deserve better\" than this.\nThe report is published in full online."
	cases := []struct {
		name       string
		old, new   string
		exact      string
		nth        int
		status     AnchorStatus
		wantText   string
		wantInLine string // a fragment of the new text's line the range must lie in
	}{
		{"coded figure corrected: not onto the same figure in another sentence", arrests, strings.Replace(arrests, "arrested 12 people", "arrested 21 people", 1),
			"12 people", 0, AnchorOrphaned, "", ""},
		{"rating corrected: a quote mark and a space are no context", rating, strings.Replace(rating, "rated the service \"inadequate\" for", "rated the service \"requires improvement\" for", 1),
			"inadequate", 1, AnchorOrphaned, "", ""},
		{"sentence deleted: not onto the words in another", lead, strings.Replace(lead, "The chief executive said staff worked hard and children \"deserve better\" than this.\n", "", 1),
			"deserve better", 1, AnchorOrphaned, "", ""},
		{"reworded sentence: not onto the word in another case", "Inspectors visited in May. The council said inspectors were welcome.", "In May the inspection team visited. The council said inspectors were welcome.",
			"Inspectors", 0, AnchorOrphaned, "", ""},
		{"the words moved alone: unique before and after", arrests, "Repairs will cost the city.\n" + strings.Replace(arrests, "Police arrested 12 people on Monday after the protest.\n", "", 1) + "Police arrested 12 people on Monday after the protest.\n",
			"Police arrested 12 people", 0, AnchorMoved, "Police arrested 12 people", "on Monday"},
		{"repeated words, context around both changed: the diff decides", arrests, "UPDATED\n" + strings.Replace(arrests, "Police arrested 12 people on Monday", "Officers arrested 12 people late on Monday", 1),
			"12 people", 0, AnchorMoved, "12 people", "late on Monday"},
		{"repeated words, one side's context kept: it decides", arrests, "UPDATED\n" + strings.Replace(arrests, "12 people on Monday after", "12 people on Sunday after", 1),
			"12 people", 1, AnchorMoved, "12 people", "court heard"},
		{"passage at the start of the article, a line put above it", "Strikes will go ahead. Strikes will go ahead, the union said.", "LIVE\nStrikes will go ahead. Strikes will go ahead, the union said.",
			"Strikes will go ahead", 0, AnchorMoved, "Strikes will go ahead", "Strikes will go ahead. Strikes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := anchorOf(c.old, c.exact, c.nth)
			got := Reanchor(c.old, c.new, a)
			if got.Status != c.status {
				rs := []rune(c.new)
				t.Fatalf("status %s, want %s (%+v: %q)", got.Status, c.status, got, string(rs[max(0, got.Start):max(0, got.End)]))
			}
			if c.status == AnchorOrphaned {
				return
			}
			rs := []rune(c.new)
			if text := string(rs[got.Start:got.End]); text != c.wantText {
				t.Fatalf("new range holds %q, want %q", text, c.wantText)
			}
			lineStart := strings.LastIndex(string(rs[:got.Start]), "\n") + 1
			lineEnd := strings.Index(string(rs[got.Start:]), "\n")
			line := string(rs[:got.Start])[lineStart:] + string(rs[got.Start:])
			if lineEnd >= 0 {
				line = string(rs[:got.Start])[lineStart:] + string(rs[got.Start:])[:lineEnd]
			}
			if !strings.Contains(line, c.wantInLine) || strings.HasPrefix(c.wantInLine, c.wantText) && !strings.HasPrefix(string(rs[got.Start:]), c.wantInLine) {
				t.Fatalf("moved into the line %q, want the one with %q", line, c.wantInLine)
			}
		})
	}
}

// TestReanchorOrphanNextVersion: an annotation orphaned by one version
// is not placed on the next by a diff between versions it was never on
// (a coded figure corrected, then a line added above: the diff of those
// two had carried the range onto the same figure in another sentence).
func TestReanchorOrphanNextVersion(t *testing.T) {
	ctx := context.Background()
	v1 := "Police arrested 12 people on Monday after the protest.\nThe mayor said the city would pay for repairs.\nLater, a court heard that 12 people had been injured in a separate incident in 2019.\n"
	v2 := strings.Replace(v1, "arrested 12 people", "arrested 21 people", 1)
	v3 := "Updated at 10:00.\n" + v2
	v4 := "Updated at 10:00.\n" + v1 // the correction withdrawn: the passage is back
	s := tempStore(t)
	res, err := s.AddArticles(ctx, []Article{{Meta: Meta{Title: "A"}, Text: v1, Source: "story.txt"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := anchorOf(v1, "12 people", 0)
	if _, err := s.CreateAnnotation(ctx, Annotation{ArticleID: res[0].ID, Start: a.Start, End: a.End, Note: "arrests"}); err != nil {
		t.Fatal(err)
	}
	for k, c := range []struct {
		text     string
		orphaned bool
		start    int
	}{{v2, true, 0}, {v3, true, 0}, {v4, false, len([]rune("Updated at 10:00.\nPolice arrested "))}} {
		if _, err := s.AddArticles(ctx, []Article{{Meta: Meta{Title: "A"}, Text: c.text, Source: "story.txt"}}, nil); err != nil {
			t.Fatal(err)
		}
		list, err := s.Annotations(ctx, AnnotationFilter{})
		if err != nil || len(list) != 1 {
			t.Fatalf("annotations %v, %v", list, err)
		}
		got := list[0]
		if got.Orphaned != c.orphaned || !c.orphaned && got.Start != c.start {
			t.Errorf("version %d: orphaned %v at %d (%q), want orphaned %v at %d", k+2, got.Orphaned, got.Start,
				string([]rune(c.text)[got.Start:got.End]), c.orphaned, c.start)
		}
	}
}

// TestReanchorFoldedEdgeSpace: a passage found only by folding (its quote
// marks and case changed) that was selected with a space at its edge
// still has that side's context to choose among repeats, where no diff
// can help: an annotation brought back (an undone deletion) onto a text
// revised since, which its anchor was not made on.
func TestReanchorFoldedEdgeSpace(t *testing.T) {
	old := "Intro line here.\nThe Minister said “we will act” on Monday, and later said “we will act” again when asked by reporters in the house.\nEnd."
	newText := "Intro line here, updated.\nThe Minister said \"We will act\" on Monday, and later said \"We will act\" again when asked by reporters in the house.\nEnd."
	second := strings.LastIndex(newText, `"We will act"`)
	for _, exact := range []string{"“we will act”", " “we will act” ", "“we will act” "} {
		a := anchorOf(old, exact, 1)
		got := Reanchor("", newText, a)
		want := len([]rune(newText[:second]))
		if got.Status != AnchorMoved || got.Start > want || got.End < want+len(`"We will act"`) {
			t.Errorf("%q: %+v, want moved over the second occurrence at %d", exact, got, want)
		}
	}
}

// BenchmarkReanchorRepeatedWord: 100 annotations on a word repeated
// through a long article with small edits everywhere, none of them kept
// in place: the diff of the two texts is made once for the article.
func BenchmarkReanchorRepeatedWord(b *testing.B) {
	var sb strings.Builder
	words := []string{"police", "the", "said", "council", "minister", "protest", "city", "people", "on", "Monday", "alpha", "beta", "gamma"}
	for i := range 6000 {
		sb.WriteString(words[(i*7+i/3)%len(words)])
		if i%15 == 14 {
			sb.WriteString(". ")
		} else {
			sb.WriteString(" ")
		}
	}
	old := sb.String()
	newText := strings.ReplaceAll("UPDATE "+strings.ReplaceAll(old, "people on", "people  on"), "minister protest", "Minister protests")
	var anchors []Anchor
	for k := range 100 {
		anchors = append(anchors, anchorOf(old, "police", k*3))
	}
	for b.Loop() {
		r := NewAnchorer(old, newText)
		for _, a := range anchors {
			r.Place(a)
		}
	}
}

func FuzzReanchor(f *testing.F) {
	f.Add("the cat sat on the mat", "the cat sat on a mat", 4, 11)
	f.Add("“quote” here", "\"quote\" here", 1, 6)
	f.Fuzz(func(t *testing.T, oldText, newText string, s, e int) {
		or := []rune(oldText)
		if s < 0 || e > len(or) || s >= e {
			return
		}
		a := Anchor{Start: s, End: e, Exact: string(or[s:e]), Prefix: string(or[max(0, s-8):s]), Suffix: string(or[e:min(len(or), e+8)])}
		got := Reanchor(oldText, newText, a)
		nr := []rune(newText)
		// "kept" promises the same words at the same place, and is what
		// an unchanged passage gets; "moved" promises no exact text, since
		// fuzzy matches move too.
		same := a.End <= len(nr) && string(nr[a.Start:a.End]) == a.Exact
		if (got.Status == AnchorKept) != same {
			t.Fatalf("status %s, but the old range of the new text holding the exact text is %v", got.Status, same)
		}
		if got.Status == AnchorOrphaned {
			return
		}
		if got.Start < 0 || got.End > len(nr) || got.Start >= got.End {
			t.Fatalf("range %d–%d outside the new text of %d runes", got.Start, got.End, len(nr))
		}
		if got.Status == AnchorKept && (got.Start != a.Start || got.End != a.End || string(nr[got.Start:got.End]) != a.Exact) {
			t.Fatalf("kept at %d–%d holding %q, want %d–%d holding %q", got.Start, got.End, string(nr[got.Start:got.End]), a.Start, a.End, a.Exact)
		}
	})
}

func TestReimportReanchors(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	v1 := "Lead paragraph.\n\nInspectors found widespread and serious failures.\n\nThe council apologised to families."
	res, err := s.AddArticles(ctx, []Article{{Meta: Meta{Title: "v1"}, Text: v1, Source: "story.txt"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	id := res[0].ID
	mk := func(exact string) Annotation {
		a := anchorOf(v1, exact, 0)
		ann, err := s.CreateAnnotation(ctx, Annotation{ArticleID: id, Start: a.Start, End: a.End, Note: exact})
		if err != nil {
			t.Fatal(err)
		}
		return ann
	}
	failures := mk("widespread and serious failures")
	apology := mk("The council apologised to families")
	lead := mk("Lead paragraph")

	v2 := "Corrected lead paragraph with more detail.\n\nInspectors found widespread and serious failures."
	res, err = s.AddArticles(ctx, []Article{{Meta: Meta{Title: "v2"}, Text: v2, Source: "story.txt"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !res[0].Updated || res[0].ID != id {
		t.Fatalf("re-import result %+v", res[0])
	}
	if st, _ := s.Stats(ctx); st.Articles != 1 {
		t.Fatalf("%d articles after re-import, want the one updated", st.Articles)
	}
	got := map[int64]Annotation{}
	list, _ := s.Annotations(ctx, AnnotationFilter{})
	for _, a := range list {
		got[a.ID] = a
	}
	nr := []rune(v2)
	if a := got[failures.ID]; a.Orphaned || string(nr[a.Start:a.End]) != "widespread and serious failures" {
		t.Fatalf("moved annotation: %+v", a)
	}
	if !got[apology.ID].Orphaned || got[apology.ID].Note != apology.Note {
		t.Fatalf("deleted passage's annotation should be orphaned and keep its note: %+v", got[apology.ID])
	}
	if a := got[lead.ID]; !a.Orphaned && string(nr[a.Start:a.End]) != "lead paragraph" {
		t.Fatalf("lead annotation landed on %q", string(nr[a.Start:a.End]))
	}
	r := res[0].Reanchor
	if r.Kept+r.Moved+r.Orphaned != 3 || r.Orphaned < 1 {
		t.Fatalf("report %+v", r)
	}
	if hits, _ := s.Search(ctx, "corrected", 5); len(hits) != 1 {
		t.Fatal("search index not updated with the new text")
	}
}

func TestReimportMatchesNarrowly(t *testing.T) {
	ctx := context.Background()
	base := Article{Meta: Meta{Outlet: "BBC", Title: "v1", URL: "https://example.org/a"}, Text: "Original text of the story.", Source: "story.txt"}
	cases := []struct {
		name    string
		next    Article
		updated bool
	}{
		{"same file and outlet", Article{Meta: Meta{Outlet: "BBC", Title: "v2"}, Text: "Corrected text of the story.", Source: "story.txt"}, true},
		{"same file, other outlet", Article{Meta: Meta{Outlet: "ITV", Title: "v2"}, Text: "Corrected text of the story.", Source: "story.txt"}, false},
		{"same URL only (syndication)", Article{Meta: Meta{Outlet: "BBC", URL: "https://example.org/a"}, Text: "A syndicated copy.", Source: "other.html"}, false},
		{"JSON record by position", Article{Meta: Meta{Outlet: "BBC"}, Text: "Record two.", Source: "feed.jsonl#1"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := tempStore(t)
			first := base
			if c.name == "JSON record by position" {
				first.Source = "feed.jsonl#1"
			}
			if _, err := s.AddArticles(ctx, []Article{first}, nil); err != nil {
				t.Fatal(err)
			}
			res, err := s.AddArticles(ctx, []Article{c.next}, nil)
			if err != nil {
				t.Fatal(err)
			}
			st, _ := s.Stats(ctx)
			if res[0].Updated != c.updated || (c.updated && st.Articles != 1) || (!c.updated && st.Articles != 2) {
				t.Fatalf("updated=%v with %d articles", res[0].Updated, st.Articles)
			}
			if c.updated {
				var n int
				s.r.QueryRow("SELECT count(*) FROM article_versions WHERE text = ?", base.Text).Scan(&n)
				if n != 1 {
					t.Fatal("the replaced text was not kept")
				}
			}
		})
	}
	// Two files with the same source name in one batch never replace each
	// other.
	s := tempStore(t)
	res, _ := s.AddArticles(ctx, []Article{base, {Meta: base.Meta, Text: "Another text.", Source: "story.txt"}}, nil)
	if res[1].Updated {
		t.Fatal("an article replaced one added earlier in the same batch")
	}
}

// TestCommonWords checks commonWords, go-diff on words encoded as runes,
// against the definition of a longest common subsequence: the longest
// subsequence of a (all 2^len(a) of them, for short a) that is also a
// subsequence of b.
func TestCommonWords(t *testing.T) {
	isSubseq := func(sub, of []string) bool {
		i := 0
		for _, w := range of {
			if i < len(sub) && sub[i] == w {
				i++
			}
		}
		return i == len(sub)
	}
	longest := func(a, b []string) int {
		best := 0
		for mask := 0; mask < 1<<len(a); mask++ {
			var sub []string
			for i := range a {
				if mask&(1<<i) != 0 {
					sub = append(sub, a[i])
				}
			}
			if len(sub) > best && isSubseq(sub, b) {
				best = len(sub)
			}
		}
		return best
	}
	vocab := []string{"the", "council", "said", "failures", "serious", "and"}
	rng := rand.New(rand.NewPCG(9, 9))
	words := func() []string {
		ws := make([]string, rng.IntN(9))
		for i := range ws {
			ws[i] = vocab[rng.IntN(len(vocab))]
		}
		return ws
	}
	for range 2000 {
		a, b := words(), words()
		if got, want := commonWords(a, b), longest(a, b); got != want {
			t.Fatalf("commonWords(%q, %q) = %d, want %d", a, b, got, want)
		}
	}
}
