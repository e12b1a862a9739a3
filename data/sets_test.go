package data

import (
	"context"
	"fmt"
	"testing"
)

// A set kept from another tool's project survives deleting and restoring
// (undoing) its code, and merging the same set again adds no members.
func TestKeptSetsSurviveCodebookUndo(t *testing.T) {
	ctx := context.Background()
	s := tempStore(t)
	plan := &QDPXPlan{
		Codes:         []QDPXCode{{GUID: "6a3f0b1c-2d4e-4f60-8a1b-2c3d4e5f6a7b", Name: "Staffing", Parent: -1}},
		Sources:       []QDPXSource{{Article: Article{Text: "Staff were leaving.", Source: "x"}}},
		Sets:          []QDPXSet{{GUID: "5a394b5c-6d7e-48f9-8a0b-1c2d3e4f5061", Name: "Press", Sources: []int{0}, Codes: []int{0}}},
		VariableTypes: []VariableType{{Name: "Published", Type: "Date"}},
	}
	if _, err := s.ApplyQDPX(ctx, plan); err != nil {
		t.Fatal(err)
	}
	load := func() *ExportData {
		d, err := s.LoadExport(ctx, ExportScope{}, "")
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	d := load()
	if len(d.Sets) != 1 || len(d.Sets[0].Codes) != 1 || len(d.Sets[0].Articles) != 1 || len(d.VariableTypes) != 1 {
		t.Fatalf("sets %+v, types %+v", d.Sets, d.VariableTypes)
	}
	before, err := s.DeleteCode(ctx, d.Codes[0].ID, UncodeAnnotations)
	if err != nil {
		t.Fatal(err)
	}
	if d := load(); len(d.Sets[0].Codes) != 0 {
		t.Fatalf("membership survived the deletion: %+v", d.Sets)
	}
	if err := s.RestoreCodebook(ctx, before); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplyQDPX(ctx, plan); err != nil {
		t.Fatal(err)
	}
	if d := load(); len(d.Sets) != 1 || len(d.Sets[0].Codes) != 1 || len(d.Sets[0].Articles) != 1 {
		t.Errorf("after undo and a second import: %+v", d.Sets)
	}
}

// Undoing a merge takes out of the kept sets what it added to them: a set
// it created goes, a set kept before loses only the merge's members. Redo
// puts them back, the code's membership with the code.
func TestMergeUndoRemovesItsSets(t *testing.T) {
	ctx := context.Background()
	const setGUID = "5a394b5c-6d7e-48f9-8a0b-1c2d3e4f5061"
	staffing := QDPXCode{GUID: "6a3f0b1c-2d4e-4f60-8a1b-2c3d4e5f6a7b", Name: "Staffing", Parent: -1}
	for _, tc := range []struct {
		name string
		// kept is true when an import kept the set, with the article, before
		// the merge.
		kept        bool
		undone, all string // the sets after undo, and after the merge and its redo
	}{
		{name: "set the merge created", undone: "[]", all: "[Press articles [1] codes [1]]"},
		{name: "set kept before", kept: true, undone: "[Press articles [1] codes []]", all: "[Press articles [1] codes [1]]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tempStore(t)
			src := QDPXSource{Article: Article{Meta: Meta{Title: "Staff"}, Text: "Staff were leaving.", Source: "x"}}
			if tc.kept {
				plan := &QDPXPlan{Sources: []QDPXSource{src}, Sets: []QDPXSet{{GUID: setGUID, Name: "Press", Sources: []int{0}}}}
				if _, err := s.ApplyQDPX(ctx, plan); err != nil {
					t.Fatal(err)
				}
			} else if _, err := s.AddArticles(ctx, []Article{src.Article}, nil); err != nil {
				t.Fatal(err)
			}
			sets := func() string {
				d, err := s.LoadExport(ctx, ExportScope{}, "")
				if err != nil {
					t.Fatal(err)
				}
				out := "["
				for _, st := range d.Sets {
					out += fmt.Sprintf("%s articles %v codes %v", st.Name, st.Articles, st.Codes)
				}
				return out + "]"
			}
			plan := &QDPXPlan{Codes: []QDPXCode{staffing}, Sources: []QDPXSource{src},
				Sets: []QDPXSet{{GUID: setGUID, Name: "Press", Sources: []int{0}, Codes: []int{0}}}}
			_, c, err := s.Merge(ctx, plan)
			if err != nil {
				t.Fatal(err)
			}
			if got := sets(); got != tc.all {
				t.Fatalf("merged: %s, want %s", got, tc.all)
			}
			if err := s.DeleteCoding(ctx, c); err != nil {
				t.Fatal(err)
			}
			if got := sets(); got != tc.undone {
				t.Errorf("undone: %s, want %s", got, tc.undone)
			}
			if err := s.RestoreCoding(ctx, c); err != nil {
				t.Fatal(err)
			}
			if got := sets(); got != tc.all {
				t.Errorf("redone: %s, want %s", got, tc.all)
			}
		})
	}
}
