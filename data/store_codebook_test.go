package data

import (
	"context"
	"reflect"
	"slices"
	"testing"
)

// codebookFixture: Findings/{Severity,Scale}, Tone; one annotation coded
// Severity, one coded Severity+Tone, one coded Scale.
func codebookFixture(t *testing.T) (*Store, map[string]int64, []int64) {
	s := tempStore(t)
	ctx := context.Background()
	res, _ := s.AddArticles(ctx, []Article{art("BBC", "2023", "A", "Some article text that is long enough to annotate.")}, nil)
	ids := map[string]int64{}
	for _, p := range []string{"Findings/Severity", "Findings/Scale", "Tone"} {
		c, err := s.EnsureCodePath(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		ids[p] = c.ID
	}
	codes, _ := s.Codes(ctx)
	for _, c := range codes {
		ids[CodePath(codes, c.ID)] = c.ID
	}
	var anns []int64
	for i, cs := range [][]int64{{ids["Findings/Severity"]}, {ids["Findings/Severity"], ids["Tone"]}, {ids["Findings/Scale"]}} {
		a, err := s.CreateAnnotation(ctx, Annotation{ArticleID: res[0].ID, Start: i, End: i + 4, CodeIDs: cs})
		if err != nil {
			t.Fatal(err)
		}
		anns = append(anns, a.ID)
	}
	return s, ids, anns
}

func paths(t *testing.T, s *Store) []string {
	codes, err := s.Codes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range codes {
		out = append(out, CodePath(codes, c.ID))
	}
	return out
}

func TestCodebookOperations(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name      string
		op        func(s *Store, ids map[string]int64) error
		wantErr   string
		wantCodes []string
		wantAnns  int
	}{
		{"rename", func(s *Store, ids map[string]int64) error {
			return s.UpdateCode(ctx, Code{ID: ids["Tone"], Name: "Framing", Color: "#4A90E2"})
		}, "", []string{"Findings", "Findings/Scale", "Findings/Severity", "Framing"}, 3},
		{"rename onto a sibling", func(s *Store, ids map[string]int64) error {
			return s.UpdateCode(ctx, Code{ID: ids["Findings/Scale"], ParentID: ids["Findings"], Name: "Severity"})
		}, EConflict, []string{"Findings", "Findings/Scale", "Findings/Severity", "Tone"}, 3},
		{"nest", func(s *Store, ids map[string]int64) error {
			return s.UpdateCode(ctx, Code{ID: ids["Tone"], ParentID: ids["Findings/Severity"], Name: "Tone"})
		}, "", []string{"Findings", "Findings/Scale", "Findings/Severity", "Findings/Severity/Tone"}, 3},
		{"nest under own child", func(s *Store, ids map[string]int64) error {
			return s.UpdateCode(ctx, Code{ID: ids["Findings"], ParentID: ids["Findings/Scale"], Name: "Findings"})
		}, EInvalid, []string{"Findings", "Findings/Scale", "Findings/Severity", "Tone"}, 3},
		{"merge", func(s *Store, ids map[string]int64) error {
			_, err := s.MergeCodes(ctx, ids["Findings/Scale"], ids["Findings/Severity"])
			return err
		}, "", []string{"Findings", "Findings/Severity", "Tone"}, 3},
		{"merge into own child", func(s *Store, ids map[string]int64) error {
			_, err := s.MergeCodes(ctx, ids["Findings"], ids["Findings/Scale"])
			return err
		}, EInvalid, []string{"Findings", "Findings/Scale", "Findings/Severity", "Tone"}, 3},
		{"delete, keep annotations", func(s *Store, ids map[string]int64) error {
			_, err := s.DeleteCode(ctx, ids["Findings/Severity"], UncodeAnnotations)
			return err
		}, "", []string{"Findings", "Findings/Scale", "Tone"}, 3},
		{"delete, recode with parent", func(s *Store, ids map[string]int64) error {
			_, err := s.DeleteCode(ctx, ids["Findings/Severity"], MoveToParent)
			return err
		}, "", []string{"Findings", "Findings/Scale", "Tone"}, 3},
		{"delete with annotations", func(s *Store, ids map[string]int64) error {
			_, err := s.DeleteCode(ctx, ids["Findings"], DeleteAnnotations)
			return err
		}, "", []string{"Tone"}, 1}, // the Severity+Tone annotation keeps its other code
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, ids, _ := codebookFixture(t)
			err := c.op(s, ids)
			if ErrorCode(err) != c.wantErr {
				t.Fatalf("err = %v, want code %q", err, c.wantErr)
			}
			if got := paths(t, s); !slices.Equal(got, c.wantCodes) {
				t.Fatalf("codes = %v, want %v", got, c.wantCodes)
			}
			if anns, _ := s.Annotations(ctx, AnnotationFilter{}); len(anns) != c.wantAnns {
				t.Fatalf("%d annotations left, want %d", len(anns), c.wantAnns)
			}
		})
	}
}

func TestMergeAndRecodeKeepCodings(t *testing.T) {
	ctx := context.Background()
	s, ids, anns := codebookFixture(t)
	if _, err := s.MergeCodes(ctx, ids["Findings/Scale"], ids["Findings/Severity"]); err != nil {
		t.Fatal(err)
	}
	if a, _ := s.Annotation(ctx, anns[2]); !slices.Equal(a.CodeIDs, []int64{ids["Findings/Severity"]}) {
		t.Fatalf("merged annotation codes %v", a.CodeIDs)
	}
	if _, err := s.DeleteCode(ctx, ids["Findings/Severity"], MoveToParent); err != nil {
		t.Fatal(err)
	}
	for _, id := range anns {
		a, _ := s.Annotation(ctx, id)
		if !slices.Contains(a.CodeIDs, ids["Findings"]) {
			t.Fatalf("annotation %d lost its coding: %v", id, a.CodeIDs)
		}
	}
}

func TestMemos(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	m, err := s.SaveMemo(ctx, Memo{TargetKind: "project", Title: "Plan", Text: "Compare the five outlets."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveMemo(ctx, Memo{TargetKind: "planet"}); ErrorCode(err) != EInvalid {
		t.Fatalf("bad target: %v", err)
	}
	m.Text = "Compare the four outlets."
	if _, err := s.SaveMemo(ctx, m); err != nil {
		t.Fatal(err)
	}
	list, _ := s.Memos(ctx, "project", 0)
	if len(list) != 1 || list[0].Text != "Compare the four outlets." || list[0].GUID != m.GUID {
		t.Fatalf("memos = %+v", list)
	}
	old, err := s.DeleteMemo(ctx, m.ID)
	if err != nil || old.Title != "Plan" {
		t.Fatalf("delete: %+v %v", old, err)
	}
	if list, _ := s.Memos(ctx, "", 0); len(list) != 0 {
		t.Fatal("memo not deleted")
	}
}

func TestRestoreCodebookUndoesMergeAndDelete(t *testing.T) {
	ctx := context.Background()
	ops := []struct {
		name string
		op   func(s *Store, ids map[string]int64) (CodebookState, error)
	}{
		{"merge", func(s *Store, ids map[string]int64) (CodebookState, error) {
			return s.MergeCodes(ctx, ids["Findings/Scale"], ids["Findings/Severity"])
		}},
		{"delete annotations", func(s *Store, ids map[string]int64) (CodebookState, error) {
			return s.DeleteCode(ctx, ids["Findings"], DeleteAnnotations)
		}},
		{"recode with parent", func(s *Store, ids map[string]int64) (CodebookState, error) {
			return s.DeleteCode(ctx, ids["Findings/Severity"], MoveToParent)
		}},
	}
	for _, o := range ops {
		t.Run(o.name, func(t *testing.T) {
			s, ids, _ := codebookFixture(t)
			before, err := s.CodebookSnapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			wantPaths := paths(t, s)
			wantAnns, _ := s.Annotations(ctx, AnnotationFilter{})
			returned, err := o.op(s, ids)
			if err != nil {
				t.Fatal(err)
			}
			// The state the change returns, copied in its own
			// transaction, is the one an undo needs.
			if !reflect.DeepEqual(returned, before) {
				t.Fatalf("the change returned\n%+v\nnot the codebook as it was\n%+v", returned, before)
			}
			if err := s.RestoreCodebook(ctx, before); err != nil {
				t.Fatal(err)
			}
			if got := paths(t, s); !slices.Equal(got, wantPaths) {
				t.Fatalf("codes %v, want %v", got, wantPaths)
			}
			got, _ := s.Annotations(ctx, AnnotationFilter{})
			if len(got) != len(wantAnns) {
				t.Fatalf("%d annotations, want %d", len(got), len(wantAnns))
			}
			for i := range got {
				if got[i].ID != wantAnns[i].ID || !slices.Equal(got[i].CodeIDs, wantAnns[i].CodeIDs) || got[i].GUID != wantAnns[i].GUID {
					t.Fatalf("annotation %d: %+v, want %+v", i, got[i], wantAnns[i])
				}
			}
		})
	}
}
