package data

import (
	"context"
	"strings"
	"testing"
)

// A category groups codes and is never applied to text: coding with it is
// refused with a message saying so, whichever way the coding comes; a
// code that carries annotations cannot become one. Codes without a colour
// keep none.
func TestCategoriesAndColours(t *testing.T) {
	ctx := context.Background()
	s := tempStore(t)
	s.SetCoder("Ana")
	res, _ := s.AddArticles(ctx, []Article{{Text: "Inspectors found serious failures here.", Source: "a.txt"}}, nil)
	id := res[0].ID
	cat, err := s.CreateCode(ctx, Code{Name: "Themes", Category: true})
	if err != nil {
		t.Fatal(err)
	}
	child, err := s.EnsureCodePath(ctx, "Themes/Staffing")
	if err != nil || child.Color != "" || child.Creator != "Ana" {
		t.Fatalf("child = %+v, %v: want no colour invented and the coder recorded", child, err)
	}
	isCategory := func(err error) bool {
		return ErrorCode(err) == EInvalid && strings.Contains(err.Error(), `"Themes" is a category`)
	}
	if _, err := s.CreateAnnotation(ctx, Annotation{ArticleID: id, Start: 0, End: 10, CodeIDs: []int64{cat.ID}}); !isCategory(err) {
		t.Errorf("annotation with a category: %v", err)
	}
	if _, _, err := s.CreateAnnotationWithCodes(ctx, Annotation{ArticleID: id, Start: 0, End: 10}, []string{"Themes"}); !isCategory(err) {
		t.Errorf("annotation with a category by path: %v", err)
	}
	a, err := s.CreateAnnotation(ctx, Annotation{ArticleID: id, Start: 0, End: 10, CodeIDs: []int64{child.ID}})
	if err != nil || a.Creator != "Ana" || a.Modifier != "Ana" {
		t.Fatalf("annotation = %+v, %v", a, err)
	}
	a.CodeIDs = []int64{child.ID, cat.ID}
	if _, err := s.UpdateAnnotation(ctx, a); !isCategory(err) {
		t.Errorf("update with a category: %v", err)
	}
	child.Category = true
	if err := s.UpdateCode(ctx, child); ErrorCode(err) != EConflict {
		t.Errorf("making a coding code a category: %v", err)
	}
	s.SetCoder("Ben")
	up, err := s.UpdateAnnotation(ctx, Annotation{ID: a.ID, Note: "Ben's note", CodeIDs: []int64{child.ID}})
	if err != nil || up.Creator != "Ana" || up.Modifier != "Ben" {
		t.Errorf("after Ben's edit: %+v, %v", up, err)
	}
	coders, _ := s.Coders(ctx)
	if len(coders) != 2 || coders[0].Name != "Ana" || coders[1].Name != "Ben" {
		t.Errorf("coders = %+v", coders)
	}
}
