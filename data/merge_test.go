package data

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// A colleague's copy of the project, coded by Ben, merges into Ana's:
// articles by their text, codes by GUID then path, Ben's annotations added
// under his name; what differs is reported; the merge undoes and redoes.
func TestMerge(t *testing.T) {
	ctx := context.Background()
	text := "Inspectors found serious failures in the nursery chain."
	mine := tempStore(t)
	mine.SetCoder("Ana")
	res, err := mine.AddArticles(ctx, []Article{{Meta: Meta{Outlet: "BBC", Title: "Failures"}, Text: text, Source: "a.txt"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sev, _ := mine.EnsureCodePath(ctx, "Findings/Severity")
	cat, _ := mine.CreateCode(ctx, Code{Name: "Themes", Category: true})
	shared, err := mine.CreateAnnotation(ctx, Annotation{ArticleID: res[0].ID, Start: 17, End: 33, CodeIDs: []int64{sev.ID}})
	if err != nil {
		t.Fatal(err)
	}

	theirs := tempStore(t)
	theirs.SetCoder("Ben")
	r2, _ := theirs.AddArticles(ctx, []Article{
		{Meta: Meta{Outlet: "BBC", Title: "Failures (Ben's copy)"}, Text: text, Source: "b.txt"},
		{Meta: Meta{Title: "Only Ben has this"}, Text: "Another article entirely.", Source: "c.txt"},
	}, nil)
	sevB, _ := theirs.EnsureCodePath(ctx, "Findings/Severity") // another GUID: matched by path
	scope, _ := theirs.EnsureCodePath(ctx, "Findings/Scope")   // new
	themes, _ := theirs.CreateCode(ctx, Code{Name: "Themes"})  // codable in Ben's copy
	for _, a := range []Annotation{
		{ArticleID: r2[0].ID, Start: 17, End: 33, CodeIDs: []int64{sevB.ID}, Note: "same passage, Ben's view"},
		{ArticleID: r2[0].ID, Start: 37, End: 55, CodeIDs: []int64{scope.ID, themes.ID}},
		{ArticleID: r2[1].ID, Start: 0, End: 7, CodeIDs: []int64{scope.ID}},
	} {
		if _, err := theirs.CreateAnnotation(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	// Ben's copy holds Ana's annotation too, changed.
	copyOfMine := shared
	copyOfMine.ID, copyOfMine.ArticleID, copyOfMine.CodeIDs, copyOfMine.Note = 0, r2[0].ID, []int64{sevB.ID}, "Ben edited this"
	if _, err := theirs.CreateAnnotation(ctx, copyOfMine); err != nil {
		t.Fatal(err)
	}
	if _, err := theirs.SaveMemo(ctx, Memo{TargetKind: "code", TargetID: scope.ID, Title: "Scope", Text: "How widespread."}); err != nil {
		t.Fatal(err)
	}
	d, err := theirs.LoadExport(ctx, ExportScope{}, "ben.parallax")
	if err != nil {
		t.Fatal(err)
	}

	before, _ := mine.Stats(ctx)
	rep, added, err := mine.Merge(ctx, PlanFromExport(d))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("report %+v", rep)
	if rep.Annotations != 2 || rep.AnnotationsPresent != 1 || rep.Codes != 1 || rep.CodesMatched != 3 || rep.Memos != 1 || len(added.Annotations) != 2 {
		t.Errorf("report = %+v", rep)
	}
	for _, want := range []string{`article "Only Ben has this" is not in this project`, `"Themes", a category in this project`, "differs in the file"} {
		if !slices.ContainsFunc(rep.Conflicts, func(c string) bool { return strings.Contains(c, want) }) {
			t.Errorf("conflicts %q lack %q", rep.Conflicts, want)
		}
	}
	bens, _ := mine.Annotations(ctx, AnnotationFilter{Coder: "Ben"})
	if len(bens) != 2 || bens[0].Note != "same passage, Ben's view" || !slices.Equal(bens[0].CodeIDs, []int64{sev.ID}) || slices.Contains(bens[1].CodeIDs, cat.ID) {
		t.Errorf("Ben's annotations = %+v", bens)
	}
	if again, _ := mine.Annotation(ctx, shared.ID); again.Note != "" || again.Creator != "Ana" {
		t.Errorf("Ana's annotation changed: %+v", again)
	}

	// Undo removes exactly what the merge added; redo puts it back.
	if err := mine.DeleteCoding(ctx, added); err != nil {
		t.Fatal(err)
	}
	if after, _ := mine.Stats(ctx); after != before {
		t.Errorf("after undo %+v, before %+v", after, before)
	}
	if err := mine.RestoreCoding(ctx, added); err != nil {
		t.Fatal(err)
	}
	if bens, _ := mine.Annotations(ctx, AnnotationFilter{Coder: "Ben"}); len(bens) != 2 {
		t.Errorf("after redo: %d of Ben's annotations", len(bens))
	}
	// Merging again adds nothing.
	rep, added, err = mine.Merge(ctx, PlanFromExport(d))
	if err != nil || rep.Annotations+rep.Codes+rep.Memos != 0 || len(added.Annotations) != 0 {
		t.Errorf("second merge: %+v, %v", rep, err)
	}
}
