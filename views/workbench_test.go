package views

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
)

func testStore(t *testing.T, arts ...data.Article) *data.Store {
	t.Helper()
	s, err := data.Open(filepath.Join(t.TempDir(), "p.parallax"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if len(arts) > 0 {
		if _, err := s.AddArticles(context.Background(), arts, nil); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func sample() []data.Article {
	mk := func(outlet, date, title, text string) data.Article {
		return data.Article{Meta: data.Meta{Outlet: outlet, Date: data.MustParseDate(date), Title: title}, Text: text}
	}
	return []data.Article{
		mk("ITV News", "2023-01-31", "Services deteriorated", "Ofsted said there are “widespread and serious failures” across all service areas."),
		mk("BBC News", "2023-01-31", "Rated inadequate again", "Inspectors found widespread and serious failures.\n\nThe council said it was sorry."),
		mk("Telegraph & Argus", "2021-09", "Weaknesses remain", "A monitoring visit found 1,365 children waiting."),
	}
}

func newBench(t *testing.T, s *data.Store) (*Workbench, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	wb := NewWorkbench(s, w, "test project")
	w.SetContent(wb.Content())
	w.Resize(fyne.NewSize(1100, 700))
	wb.Reload()
	return wb, w
}

func TestLibrarySortFilterSearch(t *testing.T) {
	wb, _ := newBench(t, testStore(t, sample()...))
	lib := wb.Library
	cases := []struct {
		name string
		act  func()
		want []string
	}{
		// Same-day articles are ordered by outlet.
		{"default: by date", func() {}, []string{"Weaknesses remain", "Rated inadequate again", "Services deteriorated"}},
		{"date descending", func() { lib.SortBy(data.SortDate) }, []string{"Rated inadequate again", "Services deteriorated", "Weaknesses remain"}},
		{"by title", func() { lib.SortBy(data.SortTitle) }, []string{"Rated inadequate again", "Services deteriorated", "Weaknesses remain"}},
		{"one outlet", func() { lib.FilterOutlet("BBC News") }, []string{"Rated inadequate again"}},
		{"all outlets", func() { lib.FilterOutlet("") }, []string{"Rated inadequate again", "Services deteriorated", "Weaknesses remain"}},
		{"search", func() { lib.SetSearch("widespread") }, nil},
		{"hostile search", func() { lib.SetSearch(`widespread (serious* -"`) }, nil},
		{"clear search", func() { lib.SetSearch("") }, []string{"Rated inadequate again", "Services deteriorated", "Weaknesses remain"}},
	}
	for _, c := range cases {
		c.act()
		got := lib.Titles()
		if c.want == nil { // search: both ITV and BBC, any rank order
			slices.Sort(got)
			c.want = []string{"Rated inadequate again", "Services deteriorated"}
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
	lib.FilterOutlet("Telegraph & Argus")
	if !strings.Contains(lib.count.Text, "1 article from Telegraph & Argus") {
		t.Errorf("count label %q", lib.count.Text)
	}
}

func TestSelectArticleShowsReader(t *testing.T) {
	wb, _ := newBench(t, testStore(t, sample()...))
	wb.Library.SetSearch("1,365")
	if wb.Library.Len() != 1 {
		t.Fatalf("search hits %d", wb.Library.Len())
	}
	wb.Library.SelectRow(0)
	a := wb.Reader.Article()
	if a.Title != "Weaknesses remain" || wb.Reader.Reader.Text() != a.Text {
		t.Fatalf("reader shows %q", a.Title)
	}
	if wb.Reader.title.Text != "Weaknesses remain" || !strings.Contains(wb.Reader.meta.Text, "Telegraph & Argus · 2021-09") {
		t.Fatalf("header %q / %q", wb.Reader.title.Text, wb.Reader.meta.Text)
	}
	start := strings.Index(a.Text, "1,365")
	wb.Reader.SelectRange(start, start+5)
	if got := wb.Reader.Reader.SelectedText(); got != "1,365" {
		t.Fatalf("selected %q", got)
	}
	if !strings.Contains(wb.Reader.selection.Text, "5 characters") {
		t.Fatalf("selection label %q", wb.Reader.selection.Text)
	}
}

func TestEditAndDeleteArticle(t *testing.T) {
	s := testStore(t, sample()...)
	wb, w := newBench(t, s)
	wb.Library.SelectRow(0) // Weaknesses remain (oldest)
	wb.Reader.EditMeta()
	fields := findAll[*widget.Entry](w.Canvas().Overlays().Top())
	if len(fields) < 5 {
		t.Fatalf("edit form has %d entries", len(fields))
	}
	fields[0].SetText("T&A")
	fields[1].SetText("2021-09-14")
	test.Tap(findButton(t, w.Canvas().Overlays().Top(), "Save"))
	a, _ := s.Article(context.Background(), wb.Reader.Article().ID)
	if a.Outlet != "T&A" || a.Date.String() != "2021-09-14" {
		t.Fatalf("after edit: %q %q", a.Outlet, a.Date)
	}
	if !slices.Contains(wb.Library.outlet.Options, "T&A") {
		t.Fatalf("outlet filter not refreshed: %v", wb.Library.outlet.Options)
	}

	wb.Reader.ConfirmDelete()
	test.Tap(findButton(t, w.Canvas().Overlays().Top(), "Yes"))
	if st, _ := s.Stats(context.Background()); st.Articles != 2 || wb.Library.Len() != 2 {
		t.Fatalf("after delete: %d stored, %d listed", st.Articles, wb.Library.Len())
	}
	if wb.Reader.Article().ID != 0 {
		t.Fatal("reader still shows the deleted article")
	}
}

// findAll returns every object of type T in the laid-out tree under o.
func findAll[T fyne.CanvasObject](o fyne.CanvasObject) []T {
	var out []T
	for _, c := range test.LaidOutObjects(o) {
		if v, ok := c.(T); ok {
			out = append(out, v)
		}
	}
	return out
}

func findButton(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	for _, b := range findAll[*widget.Button](o) {
		if b.Text == text {
			return b
		}
	}
	t.Fatalf("no %q button", text)
	return nil
}

// TestConfirmInferred: the article form offers, under each inferred
// value, to say it is right; so confirmed, a date left as it was loses
// its inferred flag, and left unconfirmed it keeps it.
func TestConfirmInferred(t *testing.T) {
	for _, confirm := range []bool{false, true} {
		arts := sample()[2:]
		arts[0].Inferred = []string{data.FieldDate, data.FieldAuthor}
		s := testStore(t, arts...)
		wb, w := newBench(t, s)
		wb.Library.SelectRow(0)
		wb.Reader.EditMeta()
		form := w.Canvas().Overlays().Top()
		checks := findAll[*widget.Check](form)
		if len(checks) != 3 { // the date's, the author's, the primary source
			t.Fatalf("the form has %d checks, want one for each inferred value and the primary source", len(checks))
		}
		checks[0].SetChecked(confirm)
		test.Tap(findButton(t, form, "Save"))
		a, _ := s.Article(context.Background(), wb.Reader.Article().ID)
		if a.Date.String() != "2021-09" || a.IsInferred(data.FieldDate) == confirm || !a.IsInferred(data.FieldAuthor) {
			t.Errorf("confirmed %v: date %s, inferred %v", confirm, a.Date, a.Inferred)
		}
	}
}
