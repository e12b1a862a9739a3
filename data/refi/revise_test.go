package refi

import (
	"context"
	"maps"
	"strings"
	"testing"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/data/storetest"
)

// A colleague's revision reaches the project: B imports A's export; A
// edits an annotation's note (same GUID) and exports again; B imports the
// new file and has A's new note.
func TestReimportAppliesColleagueRevision(t *testing.T) {
	ctx := context.Background()
	a, d := refiFixture(t)
	first, _ := refiWriteFile(t, d)
	b := storetest.Open(t)
	if _, err := Import(ctx, b, first); err != nil {
		t.Fatal(err)
	}

	anns, err := a.Annotations(ctx, data.AnnotationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	edited := anns[0]
	edited.Note = "A's revised reading of this passage."
	if _, err := a.UpdateAnnotation(ctx, edited); err != nil {
		t.Fatal(err)
	}
	d2, err := a.LoadExport(ctx, data.ExportScope{}, "Nurseries 2023")
	if err != nil {
		t.Fatal(err)
	}
	second, _ := refiWriteFile(t, d2)
	rep, err := Import(ctx, b, second)
	if err != nil {
		t.Fatal(err)
	}
	noteOf := func() string {
		t.Helper()
		got, err := b.Annotations(ctx, data.AnnotationFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, an := range got {
			if an.GUID == edited.GUID {
				return an.Note
			}
		}
		t.Fatalf("annotation %s is gone", edited.GUID)
		return ""
	}
	if n := noteOf(); n != edited.Note {
		t.Fatalf("B kept the old note %q; want A's revision %q", n, edited.Note)
	}
	t.Logf("report: %+v", rep)
	if rep.Articles != 0 || rep.ArticlesReused != 3 || rep.Annotations != 0 || rep.AnnotationsUpdated != 1 || rep.AnnotationsPresent != 3 ||
		rep.AnnotationsSkipped != 0 || rep.MemosPresent != 4 || len(rep.Updated) != 1 || len(rep.Conflicts) != 0 || len(rep.Revised) != 1 {
		t.Errorf("report = %+v", rep)
	}
	if !strings.Contains(rep.Updated[0], "annotation on “🎉 the café”") || !strings.Contains(rep.Updated[0], "its note updated from the file's version") {
		t.Errorf("updated = %q", rep.Updated)
	}

	// The older version is kept for undo, and comes back with it.
	undo := data.Coding{Revised: rep.Revised, RevisedMemos: rep.RevisedMemos}
	if err := b.DeleteCoding(ctx, undo); err != nil {
		t.Fatal(err)
	}
	if n := noteOf(); n != anns[0].Note {
		t.Errorf("after undo: note %q, want %q", n, anns[0].Note)
	}
	if err := b.RestoreCoding(ctx, undo); err != nil {
		t.Fatal(err)
	}
	if n := noteOf(); n != edited.Note {
		t.Errorf("after redo: note %q, want %q", n, edited.Note)
	}

	// B edits the note again: the file's version is now the older one.
	mine, _ := b.Annotations(ctx, data.AnnotationFilter{})
	for _, an := range mine {
		if an.GUID == edited.GUID {
			an.Note = "B's own reading."
			if _, err := b.UpdateAnnotation(ctx, an); err != nil {
				t.Fatal(err)
			}
		}
	}
	rep, err = Import(ctx, b, second)
	if err != nil {
		t.Fatal(err)
	}
	if n := noteOf(); n != "B's own reading." || rep.AnnotationsUpdated != 0 || rep.AnnotationsPresent != 4 || len(rep.Conflicts) != 1 ||
		!strings.Contains(rep.Conflicts[0], "annotation on “🎉 the café” by an unnamed coder differs in the file (its note)") {
		t.Errorf("B's newer note: %q, report %+v", n, rep)
	}
}

// A selection whose GUID is an annotation on another article is not
// imported, and the report says which and why.
func TestReimportSelectionOnAnotherArticle(t *testing.T) {
	ctx := context.Background()
	_, d := refiFixture(t)
	first, _ := refiWriteFile(t, d)
	b := storetest.Open(t)
	if _, err := Import(ctx, b, first); err != nil {
		t.Fatal(err)
	}
	before := refiViewOf(t, b)
	// A's first article, with a line added: to B another article, holding
	// selections with the GUIDs of B's annotations on the first.
	d.Articles[0].Text += "\n\nA correction was added later."
	second, _ := refiWriteFile(t, d)
	rep, err := Import(ctx, b, second)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("report: %+v", rep)
	if rep.Articles != 1 || rep.Annotations != 0 || rep.AnnotationsSkipped != 3 || rep.AnnotationsPresent != 1 {
		t.Errorf("report = %+v", rep)
	}
	skipped := 0
	for _, c := range rep.Conflicts {
		if strings.Contains(c, "not imported: its GUID") && strings.Contains(c, "on another article (1, ") {
			skipped++
		}
	}
	if skipped != 3 {
		t.Errorf("conflicts %q: want each of the 3 selections named", rep.Conflicts)
	}
	if after := refiViewOf(t, b); !maps.Equal(before.annotations, after.annotations) {
		t.Errorf("B's annotations changed:\n%v\n%v", before.annotations, after.annotations)
	}
}
