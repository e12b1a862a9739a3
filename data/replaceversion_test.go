package data

import (
	"context"
	"testing"
	"time"
)

// Re-importing a new version of an article re-anchors its annotations but
// edits none of them: each keeps its modification date and modifier,
// kept, moved or orphaned, so that a merge still takes the version a coder
// changed last. Two copies of a project re-import the same correction at
// different times; Ana's later note edit wins the merge in both
// directions.
func TestReimportKeepsModified(t *testing.T) {
	ctx := context.Background()
	v1 := "Lead paragraph.\n\nInspectors found widespread and serious failures.\n\nThe council apologised to families."
	v2 := "Editor's note: corrected.\n\nLead paragraph.\n\nInspectors found widespread and serious failures."
	clock := time.Date(2024, 6, 1, 9, 0, 0, 0, time.UTC)
	at := func(minutes int) func() time.Time {
		return func() time.Time { return clock.Add(time.Duration(minutes) * time.Minute) }
	}
	open := func(coder string) (*Store, int64) {
		s := tempStore(t)
		s.SetCoder(coder)
		s.Now = at(0)
		res, err := s.AddArticles(ctx, []Article{{Meta: Meta{Title: "Failures"}, Text: v1, Source: "story.txt"}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return s, res[0].ID
	}
	ana, id := open("Ana")
	passages := []string{"widespread and serious failures", "Lead paragraph", "The council apologised to families"}
	for _, p := range passages {
		a := anchorOf(v1, p, 0)
		if _, err := ana.CreateAnnotation(ctx, Annotation{ArticleID: id, Start: a.Start, End: a.End, Note: "first reading"}); err != nil {
			t.Fatal(err)
		}
	}
	ben, _ := open("Ben")
	d, err := ana.LoadExport(ctx, ExportScope{}, "ana.parallax")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := ben.Merge(ctx, PlanFromExport(d)); err != nil {
		t.Fatal(err)
	}
	list, _ := ana.Annotations(ctx, AnnotationFilter{})
	before := map[string]Annotation{}
	for _, a := range list {
		before[a.GUID] = a
	}
	byGUID := func(s *Store, guid string) Annotation {
		t.Helper()
		list, _ := s.Annotations(ctx, AnnotationFilter{})
		for _, a := range list {
			if a.GUID == guid {
				return a
			}
		}
		t.Fatalf("no annotation %s", guid)
		return Annotation{}
	}
	// Ana rewrites her first note ten minutes in.
	ana.Now = at(10)
	edited := list[0]
	edited.Note = "Ana's second reading"
	if _, err := ana.UpdateAnnotation(ctx, edited); err != nil {
		t.Fatal(err)
	}
	// The outlet's correction, re-imported by Ana, then later by Ben.
	for i, s := range []*Store{ana, ben} {
		s.Now = at(20 + 10*i)
		res, err := s.AddArticles(ctx, []Article{{Meta: Meta{Title: "Failures"}, Text: v2, Source: "story.txt"}}, nil)
		if err != nil || !res[0].Updated {
			t.Fatalf("re-import: %+v, %v", res, err)
		}
	}
	after, _ := ben.Annotations(ctx, AnnotationFilter{})
	for _, tc := range []struct {
		passage  string
		orphaned bool
	}{
		{"widespread and serious failures", false},
		{"Lead paragraph", false},
		{"The council apologised to families", true},
	} {
		t.Run(tc.passage, func(t *testing.T) {
			for _, a := range after {
				if a.Exact != tc.passage {
					continue
				}
				if was := before[a.GUID]; a.Orphaned != tc.orphaned || !a.Modified.Equal(was.Modified) || a.Modifier != was.Modifier {
					t.Errorf("after re-anchoring: orphaned %v, modified %v by %q; want orphaned %v, modified %v by %q",
						a.Orphaned, a.Modified, a.Modifier, tc.orphaned, was.Modified, was.Modifier)
				}
				return
			}
			t.Errorf("no annotation on %q", tc.passage)
		})
	}

	for _, tc := range []struct {
		name     string
		into     *Store
		from     *Store
		updated  int
		conflict bool
	}{
		{name: "Ben's copy into Ana's", into: ana, from: ben, conflict: true},
		{name: "Ana's copy into Ben's", into: ben, from: ana, updated: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := tc.from.LoadExport(ctx, ExportScope{}, "from.parallax")
			if err != nil {
				t.Fatal(err)
			}
			rep, _, err := tc.into.Merge(ctx, PlanFromExport(d))
			if err != nil {
				t.Fatal(err)
			}
			got := byGUID(tc.into, edited.GUID)
			if got.Note != "Ana's second reading" || rep.AnnotationsUpdated != tc.updated || (len(rep.Conflicts) > 0) != tc.conflict {
				t.Errorf("note %q; report %+v", got.Note, rep)
			}
		})
	}
}
