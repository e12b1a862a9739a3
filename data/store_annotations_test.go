package data

import (
	"context"
	"slices"
	"strings"
	"testing"
)

func TestAnnotationLifecycle(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	text := "Ofsted said “the experience and progress of many children have declined” since 2018."
	res, _ := s.AddArticles(ctx, []Article{art("ITV News", "2023", "A", text), art("BBC", "2023", "B", "Other text entirely.")}, nil)
	id := res[0].ID
	runes := []rune(text)
	start := strings.Index(string(runes), "the experience")
	start = len([]rune(text[:start]))
	end := start + len([]rune("the experience and progress"))

	sev, err := s.EnsureCodePath(ctx, "Findings/Severity")
	if err != nil {
		t.Fatal(err)
	}
	again, _ := s.EnsureCodePath(ctx, "Findings/Severity")
	if again.ID != sev.ID {
		t.Fatal("EnsureCodePath created a duplicate")
	}
	codes, _ := s.Codes(ctx)
	if len(codes) != 2 || CodePath(codes, sev.ID) != "Findings/Severity" || codes[0].Name != "Findings" {
		t.Fatalf("codebook = %+v", codes)
	}
	other, err := s.EnsureCodePath(ctx, "Tone")
	if err != nil {
		t.Fatal(err)
	}

	bad := []struct {
		name       string
		a          Annotation
		code, want string
	}{
		{"empty range", Annotation{ArticleID: id, Start: 5, End: 5}, EInvalid, "not inside"},
		{"past the end", Annotation{ArticleID: id, Start: 5, End: len(runes) + 1}, EInvalid, "not inside"},
		{"negative", Annotation{ArticleID: id, Start: -1, End: 3}, EInvalid, "not inside"},
		{"no article", Annotation{ArticleID: 99, Start: 0, End: 3}, ENotFound, "no article 99"},
		{"no code", Annotation{ArticleID: id, Start: 0, End: 3, CodeIDs: []int64{424242}}, ENotFound, "no code 424242"},
	}
	for _, c := range bad {
		if _, err := s.CreateAnnotation(ctx, c.a); ErrorCode(err) != c.code || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v", c.name, err)
		}
	}
	if all, _ := s.Annotations(ctx, AnnotationFilter{}); len(all) != 0 {
		t.Fatalf("failed creates left %d annotations", len(all))
	}

	a, err := s.CreateAnnotation(ctx, Annotation{ArticleID: id, Start: start, End: end, Note: "key finding", CodeIDs: []int64{sev.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if a.Exact != "the experience and progress" || !strings.HasSuffix(a.Prefix, "Ofsted said “") || !strings.HasPrefix(a.Suffix, " of many") {
		t.Fatalf("selector = %q / %q / %q", a.Prefix, a.Exact, a.Suffix)
	}
	filters := []struct {
		f    AnnotationFilter
		want int
	}{
		{AnnotationFilter{}, 1},
		{AnnotationFilter{ArticleID: id}, 1},
		{AnnotationFilter{ArticleID: res[1].ID}, 0},
		{AnnotationFilter{CodeID: sev.ID}, 1},
		// A code scope is a subtree: the parent finds its sub-code's
		// annotation, a code elsewhere does not.
		{AnnotationFilter{CodeID: codes[0].ID}, 1},
		{AnnotationFilter{CodeID: other.ID}, 0},
		{AnnotationFilter{Outlet: "ITV News"}, 1},
		{AnnotationFilter{Outlet: "BBC"}, 0},
		{AnnotationFilter{Text: "PROGRESS"}, 1},
		{AnnotationFilter{Text: "key find"}, 1},
		{AnnotationFilter{Text: "'; DROP TABLE annotations; --"}, 0},
	}
	for _, c := range filters {
		if got, err := s.Annotations(ctx, c.f); err != nil || len(got) != c.want {
			t.Errorf("filter %+v: %d (%v), want %d", c.f, len(got), err, c.want)
		}
	}

	a.Note, a.CodeIDs = "revised", []int64{codes[0].ID, sev.ID}
	up, err := s.UpdateAnnotation(ctx, a)
	if err != nil || up.Note != "revised" || !slices.Equal(up.CodeIDs, []int64{codes[0].ID, sev.ID}) || up.Start != start {
		t.Fatalf("update: %+v, %v", up, err)
	}
	old, err := s.DeleteAnnotation(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RestoreAnnotation(ctx, old); err != nil {
		t.Fatal(err)
	}
	back, err := s.Annotation(ctx, a.ID)
	if err != nil || back.GUID != a.GUID || back.Note != "revised" || len(back.CodeIDs) != 2 || !back.Created.Equal(old.Created) {
		t.Fatalf("restore: %+v, %v", back, err)
	}
	if err := s.DeleteArticles(ctx, []int64{id}); err != nil {
		t.Fatal(err)
	}
	if all, _ := s.Annotations(ctx, AnnotationFilter{}); len(all) != 0 {
		t.Fatal("deleting the article kept its annotations")
	}
}

func TestCodeNames(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	cases := []struct {
		name string
		code string
	}{
		{"", EInvalid},
		{"   ", EInvalid},
		// Names are data: a "/" is part of the name (issue 14).
		{"consent / IRB", ""},
		{"Tone", ""},
		{"Tone", EConflict},
	}
	for _, c := range cases {
		_, err := s.CreateCode(ctx, Code{Name: c.name})
		if ErrorCode(err) != c.code {
			t.Errorf("CreateCode(%q) = %v, want code %q", c.name, err, c.code)
		}
	}
	if _, err := s.EnsureCodePath(ctx, "A//B"); ErrorCode(err) != EInvalid {
		t.Fatalf("empty path part: %v", err)
	}
	codes, _ := s.Codes(ctx)
	if len(codes) != 2 || codes[0].Name != "consent / IRB" {
		t.Fatalf("a failed EnsureCodePath left codes behind, or a name changed: %+v", codes)
	}
	// The typed path escapes the "/" of a name; the GUID names it too.
	for _, ref := range []string{`consent \/ IRB`, "guid:" + codes[0].GUID} {
		if c, err := s.EnsureCodePath(ctx, ref); err != nil || c.ID != codes[0].ID {
			t.Errorf("EnsureCodePath(%q) = %+v, %v; want the existing code", ref, c, err)
		}
	}
	sub, err := s.EnsureCodePath(ctx, `consent \/ IRB/Waived`)
	if err != nil || sub.ParentID != codes[0].ID || sub.Name != "Waived" {
		t.Fatalf("sub-code of a name with a slash: %+v, %v", sub, err)
	}
	codes, _ = s.Codes(ctx)
	if got := CodeAddress(codes, sub.ID); got != `consent \/ IRB/Waived` {
		t.Errorf("CodeAddress = %q", got)
	}
	if got := CodePath(codes, sub.ID); got != "consent / IRB/Waived" {
		t.Errorf("CodePath = %q", got)
	}
}

func TestAnnotationGuards(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	res, _ := s.AddArticles(ctx, []Article{{Meta: Meta{Outlet: "BBC"}, Text: "Inspectors found serious failures here.", Source: "a.txt"}}, nil)
	id := res[0].ID

	// A passage read from an outdated text is refused.
	if _, err := s.CreateAnnotation(ctx, Annotation{ArticleID: id, Start: 0, End: 10, Exact: "Something "}); ErrorCode(err) != EConflict {
		t.Fatalf("stale exact: %v", err)
	}
	// Codes and annotation are one transaction: a bad range creates no code.
	if _, _, err := s.CreateAnnotationWithCodes(ctx, Annotation{ArticleID: id, Start: 0, End: 9999}, []string{"New/Code"}); ErrorCode(err) != EInvalid {
		t.Fatalf("bad range: %v", err)
	}
	if codes, _ := s.Codes(ctx); len(codes) != 0 {
		t.Fatalf("a failed annotation left codes: %+v", codes)
	}
	a, made, err := s.CreateAnnotationWithCodes(ctx, Annotation{ArticleID: id, Start: 17, End: 33}, []string{"New/Code"})
	if err != nil || len(made) != 2 || a.Exact != "serious failures" {
		t.Fatalf("create: %+v %+v %v", a, made, err)
	}

	// Restoring after the text changed: found again by its words, or
	// orphaned; never at the old offsets on other words.
	old, _ := s.DeleteAnnotation(ctx, a.ID)
	s.AddArticles(ctx, []Article{{Meta: Meta{Outlet: "BBC"}, Text: "Update: inspectors found serious failures here.", Source: "a.txt"}}, nil)
	if err := s.RestoreAnnotation(ctx, old); err != nil {
		t.Fatal(err)
	}
	back, _ := s.Annotation(ctx, a.ID)
	art, _ := s.Article(ctx, id)
	if got := string([]rune(art.Text)[back.Start:back.End]); got != "serious failures" || back.Orphaned {
		t.Fatalf("restored onto %q (orphaned %v)", got, back.Orphaned)
	}
	gone, _ := s.DeleteAnnotations(ctx, []int64{a.ID, 424242})
	if len(gone) != 1 {
		t.Fatalf("batch delete returned %d", len(gone))
	}
	s.AddArticles(ctx, []Article{{Meta: Meta{Outlet: "BBC"}, Text: "Completely different words now.", Source: "a.txt"}}, nil)
	if err := s.RestoreAnnotations(ctx, gone); err != nil {
		t.Fatal(err)
	}
	if back, _ := s.Annotation(ctx, a.ID); !back.Orphaned {
		t.Fatalf("restore onto unrelated text should orphan: %+v", back)
	}
	s.DeleteAnnotation(ctx, a.ID)
	s.DeleteArticles(ctx, []int64{id})
	if err := s.RestoreAnnotation(ctx, old); ErrorCode(err) != ENotFound {
		t.Fatalf("restore onto a deleted article: %v", err)
	}
}

// TestCodingUndoRedo: coding several passages with a new code path is one
// transaction each way. The undo removes the annotations and the codes
// the coding created (not codes that were there before); the redo brings
// both back with the same IDs; a bad passage creates nothing.
func TestCodingUndoRedo(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	res, _ := s.AddArticles(ctx, []Article{
		art("ITV", "2023", "A", "Inspectors found serious failures in the service."),
		art("BBC", "2023", "B", "There were serious failures, inspectors said."),
	}, nil)
	quotes, err := s.EnsureCodePath(ctx, "Quotes")
	if err != nil {
		t.Fatal(err)
	}
	span := func(id int64, text string) Annotation {
		a, _ := s.Article(ctx, id)
		i := len([]rune(a.Text[:strings.Index(a.Text, text)]))
		return Annotation{ArticleID: id, Start: i, End: i + len([]rune(text)), Note: "cluster"}
	}
	as := []Annotation{span(res[0].ID, "serious failures"), span(res[1].ID, "serious failures")}

	bad := append(slices.Clone(as), Annotation{ArticleID: res[1].ID, Start: 0, End: 9999})
	if _, err := s.CreateAnnotationsWithCodes(ctx, bad, []string{"Quotes/Officials"}); ErrorCode(err) != EInvalid {
		t.Fatalf("a bad range: %v", err)
	}
	if codes, _ := s.Codes(ctx); len(codes) != 1 {
		t.Fatalf("a failed coding left codes: %+v", codes)
	}

	c, err := s.CreateAnnotationsWithCodes(ctx, as, []string{"Quotes/Officials"})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Annotations) != 2 || len(c.Codes) != 1 || c.Codes[0].ParentID != quotes.ID {
		t.Fatalf("coding: %+v", c)
	}
	for _, a := range c.Annotations {
		// No colour of its own: it shows the code's, whatever that becomes.
		if a.Exact != "serious failures" || !slices.Equal(a.CodeIDs, []int64{c.Codes[0].ID}) || a.Color != "" {
			t.Fatalf("annotation %+v", a)
		}
	}
	state := func() (codes []Code, anns []Annotation) {
		codes, _ = s.Codes(ctx)
		anns, _ = s.Annotations(ctx, AnnotationFilter{})
		return codes, anns
	}
	codesAfter, annsAfter := state()

	if err := s.DeleteCoding(ctx, c); err != nil {
		t.Fatal(err)
	}
	if codes, anns := state(); len(anns) != 0 || len(codes) != 1 || codes[0].ID != quotes.ID {
		t.Fatalf("after undo: codes %+v, annotations %+v", codes, anns)
	}
	if err := s.RestoreCoding(ctx, c); err != nil {
		t.Fatal(err)
	}
	codes, anns := state()
	if !slices.Equal(codes, codesAfter) || len(anns) != len(annsAfter) {
		t.Fatalf("after redo: codes %+v, want %+v; %d annotations, want %d", codes, codesAfter, len(anns), len(annsAfter))
	}
	for i := range anns {
		if anns[i].ID != annsAfter[i].ID || anns[i].GUID != annsAfter[i].GUID || !slices.Equal(anns[i].CodeIDs, annsAfter[i].CodeIDs) {
			t.Fatalf("annotation %d came back as %+v, want %+v", i, anns[i], annsAfter[i])
		}
	}
}
