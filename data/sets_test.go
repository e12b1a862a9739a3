package data

import (
	"context"
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
