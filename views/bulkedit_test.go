package views

import (
	"context"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// TestLibraryMultiSelect: a click marks one row, Ctrl+click adds one,
// Shift+click the run from the last click, Ctrl+A every row; a plain
// click starts again.
func TestLibraryMultiSelect(t *testing.T) {
	wb, w := newBench(t, testStore(t, sample()...))
	lib := wb.Library
	lib.SortBy(data.SortID)
	lib.Click(0, 0)
	if got := lib.Marked(); !slices.Equal(got, []int64{1}) || wb.Reader.Article().ID != 1 {
		t.Fatalf("after a click: marked %v, reader %d", got, wb.Reader.Article().ID)
	}
	lib.Click(2, fyne.KeyModifierShortcutDefault)
	if got := lib.Marked(); !slices.Equal(got, []int64{1, 3}) {
		t.Fatalf("after Ctrl+click: %v", got)
	}
	lib.Click(1, fyne.KeyModifierShift)
	if got := lib.Marked(); !slices.Equal(got, []int64{2, 3}) {
		t.Fatalf("after Shift+click from row 2: %v", got)
	}
	lib.Click(0, fyne.KeyModifierShortcutDefault)
	lib.Click(0, fyne.KeyModifierShortcutDefault)
	if got := lib.Marked(); !slices.Equal(got, []int64{2, 3}) {
		t.Fatalf("Ctrl+click twice should toggle back: %v", got)
	}
	lib.Click(1, 0)
	w.Canvas().(fyne.Shortcutable).TypedShortcut(&fyne.ShortcutSelectAll{})
	if got := lib.Marked(); !slices.Equal(got, []int64{1, 2, 3}) {
		t.Fatalf("after Ctrl+A: %v", got)
	}
	// A tap, as the mouse gives it, goes through Click with the modifiers
	// held when the button went down.
	row := newLibraryRow(lib)
	row.show(2, lib.rows[2], false)
	row.MouseDown(&desktop.MouseEvent{Modifier: fyne.KeyModifierShortcutDefault})
	row.Tapped(&fyne.PointEvent{})
	if got := lib.Marked(); !slices.Equal(got, []int64{1, 2}) {
		t.Fatalf("after a Ctrl+tap on row 3: %v", got)
	}
}

// TestBulkEditUndo: one edit sets the outlet and an attribute on the
// marked articles; undo restores each article's own values, redo sets
// them again.
func TestBulkEditUndo(t *testing.T) {
	arts := sample()
	arts = append(arts, data.Article{Meta: data.Meta{Title: "No outlet one"}, Text: "First unattributed article text."},
		data.Article{Meta: data.Meta{Title: "No outlet two"}, Text: "Second unattributed article text."})
	s := testStore(t, arts...)
	wb, _ := newBench(t, s)
	ctx := context.Background()
	if wb.compareBanner.content.Hidden || wb.matrixBanner.content.Hidden {
		t.Fatal("no banner although two articles have no outlet")
	}
	if got := wb.compareBanner.label.Text; got != "2 articles have no outlet: each is compared as a source of its own until you name its outlet." {
		t.Fatalf("banner: %q", got)
	}
	wb.Library.SortBy(data.SortID)
	wb.Library.FilterNoOutlet()
	wb.Library.SelectAll()
	ids := wb.Library.Marked()
	if !slices.Equal(ids, []int64{4, 5}) {
		t.Fatalf("articles without an outlet: %v", ids)
	}
	outlet := "Yorkshire Post"
	wb.applyEdit(ids, data.MetaEdit{Outlet: &outlet, Attributes: map[string]string{"event": "ofsted"}})
	for _, id := range ids {
		a, _ := s.Article(ctx, id)
		if a.Outlet != outlet || a.Attributes["event"] != "ofsted" {
			t.Fatalf("article %d after the edit: %+v", id, a)
		}
	}
	if !wb.compareBanner.content.Hidden {
		t.Fatal("the banner stays after every article got an outlet")
	}
	wb.Undo()
	if wb.compareBanner.content.Hidden {
		t.Fatal("no banner after the outlets were undone")
	}
	for _, id := range ids {
		if a, _ := s.Article(ctx, id); a.Outlet != "" || len(a.Attributes) != 0 {
			t.Fatalf("article %d after undo: %+v", id, a)
		}
	}
	if a, _ := s.Article(ctx, 1); a.Outlet != "ITV News" {
		t.Fatal("undo touched an article not in the edit")
	}
	wb.Redo()
	if a, _ := s.Article(ctx, 5); a.Outlet != outlet {
		t.Fatalf("after redo: %+v", a)
	}
}

// TestLibraryMarksInferredAndCopies: inferred values are in italics with
// a mark, copies carry a badge naming their original, and "Hide copies"
// leaves them out.
func TestLibraryMarksInferredAndCopies(t *testing.T) {
	text := "The same agency story, word for word, as two outlets ran it."
	s := testStore(t,
		data.Article{Meta: data.Meta{Outlet: "BBC News", Title: "Agency story"}, Text: text, Inferred: []string{data.FieldOutlet}},
		data.Article{Meta: data.Meta{Outlet: "Yorkshire Post", Title: "Agency story"}, Text: text})
	wb, _ := newBench(t, s)
	lib := wb.Library
	lib.SortBy(data.SortID)
	first := newLibraryRow(lib)
	first.show(0, lib.rows[0], false)
	if first.outlet.Text != "BBC News "+inferredMark || !first.outlet.TextStyle.Italic || first.title.TextStyle.Italic || first.copyBadge.Visible() {
		t.Fatalf("original's row: outlet %q italic %v, badge shown %v", first.outlet.Text, first.outlet.TextStyle.Italic, first.copyBadge.Visible())
	}
	second := newLibraryRow(lib)
	second.show(1, lib.rows[1], true)
	if !second.copyBadge.Visible() || second.copyBadge.text != "copy of #1" || second.bg.Hidden {
		t.Fatalf("copy's row: badge %q shown %v, marked background hidden %v", second.copyBadge.text, second.copyBadge.Visible(), second.bg.Hidden)
	}
	lib.HideCopies(true)
	if lib.Len() != 1 {
		t.Fatalf("%d rows with copies hidden", lib.Len())
	}
}

// TestOutletlessSources: versions from two articles without an outlet
// count as two sources in the compare list and two matrix columns.
func TestOutletlessSources(t *testing.T) {
	cs := []data.Cluster{{ID: 1, Kind: "finding", Status: "agree", Articles: 3, Members: []data.ClusterMember{
		{ArticleID: 1, Outlet: "", Text: "Same words.", Reference: true},
		{ArticleID: 2, Outlet: "", Text: "Same words.", Relations: []vocab.Relation{vocab.RelVerbatim}},
		{ArticleID: 3, Outlet: "BBC News", Text: "Same words.", Relations: []vocab.Relation{vocab.RelVerbatim}, CopyOf: 1},
	}}}
	ix := newClusterIndex(data.NewClusterList(cs))
	if got := ix.infos[0].spread; got != 3 {
		t.Fatalf("%d sources, want 3", got)
	}
	m := buildMatrix(data.NewClusterList(cs))
	if !slices.Equal(m.outlets, []string{"(no outlet) #1", "(no outlet) #2", "BBC News"}) {
		t.Fatalf("matrix columns %v", m.outlets)
	}
	badges := memberBadges(cs[0].Members[2])
	if last := badges[len(badges)-1]; last.text != "syndicated copy of #1" {
		t.Fatalf("copy's badges: %+v", badges)
	}
}

// TestBulkEditKeepsTime: a date typed with a time and zone in the form for
// several articles is stored with them, not cut to its day.
func TestBulkEditKeepsTime(t *testing.T) {
	s := testStore(t, sample()...)
	wb, w := newBench(t, s)
	wb.EditArticles([]int64{1, 2})
	fields := findAll[*widget.Entry](w.Canvas().Overlays().Top())
	if len(fields) < 2 {
		t.Fatalf("the form has %d entries", len(fields))
	}
	fields[1].SetText("2023-01-31T07:05-05:00") // outlet, then date
	test.Tap(findButton(t, w.Canvas().Overlays().Top(), "Save"))
	for _, id := range []int64{1, 2} {
		if a, _ := s.Article(context.Background(), id); a.Date.String() != "2023-01-31T07:05-05:00" {
			t.Errorf("article %d dated %s", id, a.Date)
		}
	}
}

// TestLibraryDateColumnFitsTimes: a date with a time and zone widens the
// date column to fit it whole, rather than running into the title (as it
// did) or being cut where the time is; with days only it is narrow again.
func TestLibraryDateColumnFitsTimes(t *testing.T) {
	arts := sample()
	timed, err := data.ParseDateTime("2023-01-31T07:05-05:00")
	if err != nil {
		t.Fatal(err)
	}
	arts[0].Date = timed
	// As long, but wider: "+" is wider than "-".
	plus, err := data.ParseDateTime("2023-01-31T13:05+01:00")
	if err != nil {
		t.Fatal(err)
	}
	arts[1].Date = plus
	s := testStore(t, arts...)
	wb, _ := newBench(t, s)
	lib := wb.Library
	lib.SortBy(data.SortID)
	row := newLibraryRow(lib)
	row.Resize(fyne.NewSize(700, row.MinSize().Height))
	row.show(1, lib.rows[1], false)
	if need := fyne.MeasureText(plus.String(), theme.TextSize(), fyne.TextStyle{}).Width + 2*theme.InnerPadding(); row.date.Size().Width < need {
		t.Errorf("date %q %.0f wide; it needs %.0f", row.date.Text, row.date.Size().Width, need)
	}
	need := fyne.MeasureText(timed.String(), theme.TextSize(), fyne.TextStyle{}).Width + 2*theme.InnerPadding()
	row.show(0, lib.rows[0], false)
	if row.date.Text != timed.String() || row.date.Size().Width < need || row.titleWithBadge.Position().X < row.date.Position().X+need {
		t.Errorf("date %q %.0f wide at %.0f, title at %.0f; the date needs %.0f", row.date.Text, row.date.Size().Width,
			row.date.Position().X, row.titleWithBadge.Position().X, need)
	}
	// Inferred, it is set in italics with a mark after a space: still
	// whole.
	inferred := lib.rows[0]
	inferred.Inferred = []string{data.FieldDate}
	lib.rows[0] = inferred
	lib.fitDates()
	row.show(0, inferred, false)
	text := timed.String() + " " + inferredMark
	if need := fyne.MeasureText(text, theme.TextSize(), fyne.TextStyle{Italic: true}).Width + 2*theme.InnerPadding(); row.date.Text != text || row.date.Size().Width < need {
		t.Errorf("inferred: date %q %.0f wide; it needs %.0f", row.date.Text, row.date.Size().Width, need)
	}
	day := data.MustParseDate("2023-01-31")
	if _, err := s.EditArticles(context.Background(), []int64{lib.rows[0].ID, lib.rows[1].ID}, data.MetaEdit{Date: &day}); err != nil {
		t.Fatal(err)
	}
	lib.Reload()
	row.show(0, lib.rows[0], false)
	if lib.dateWidth != minDateWidth || row.date.Size().Width != minDateWidth {
		t.Errorf("days only: the column is %.0f, the row's date %.0f; want %d", lib.dateWidth, row.date.Size().Width, minDateWidth)
	}
}
