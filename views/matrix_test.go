package views

import (
	"bytes"
	"context"
	"encoding/csv"
	"image/png"
	"slices"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing/vocab"
)

func maskOf(names ...vocab.Relation) relMask {
	var m relMask
	for _, n := range names {
		m |= 1 << relIdx[n]
	}
	return m
}

func TestMatrixCellGlyph(t *testing.T) {
	cases := []struct {
		rels []vocab.Relation
		want string // symbol shown; "" for an empty cell
	}{
		{nil, ""},
		{[]vocab.Relation{"reference"}, "●"},
		{[]vocab.Relation{"reference", "verbatim"}, "●"},
		{[]vocab.Relation{"verbatim"}, "="},
		{[]vocab.Relation{"normalized"}, "≈"},
		{[]vocab.Relation{"verbatim", "normalized"}, "≈"},
		{[]vocab.Relation{"fragment"}, "⊂"},
		{[]vocab.Relation{"extended"}, "⊃"},
		{[]vocab.Relation{"fragment", "extended"}, "⊂"},
		{[]vocab.Relation{"elided", "fragment"}, "…"},
		{[]vocab.Relation{"inserted", "elided"}, "[ ]"},
		{[]vocab.Relation{"indirect", "elided"}, "↪"},
		{[]vocab.Relation{"indirect", "inserted"}, "[ ]"},
		{[]vocab.Relation{"reworded", "inserted", "indirect"}, "~"},
		{[]vocab.Relation{"misattributed", "reworded"}, "≠"},
		{[]vocab.Relation{"verbatim", "misattributed"}, "≠"},
		{[]vocab.Relation{"figures-differ", "misattributed"}, "#"},
		{[]vocab.Relation{"figures-differ", "reference"}, "●"},
	}
	for _, c := range cases {
		got := ""
		if i := topRelation(maskOf(c.rels...)); i >= 0 {
			got = relationStyles[i].symbol
		}
		if got != c.want {
			t.Errorf("%v: glyph %q, want %q", c.rels, got, c.want)
		}
	}
	// A member's unknown relation (a newer analyser) is ignored, not fatal.
	if m := memberMask(data.ClusterMember{Relations: []vocab.Relation{"verbatim", "sarcastic"}}); m != maskOf("verbatim") {
		t.Errorf("mask with unknown relation %b", m)
	}
}

func newMatrixAt(t *testing.T, f *clusterFixture, size fyne.Size) (*Matrix, fyne.Window) {
	t.Helper()
	return newMatrixOver(t, f.store, size)
}

// newMatrixOver builds the matrix over src in a window of size, and loads
// it.
func newMatrixOver(t *testing.T, src ClusterSource, size fyne.Size) (*Matrix, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	m := NewMatrix(src)
	m.OnError = func(err error) { t.Errorf("matrix: %v", err) }
	w.SetContent(m.Content())
	w.Resize(size)
	reloadWait(m.Reload, &m.Background)
	return m, w
}

func TestMatrixCellsAndTotals(t *testing.T) {
	f := newClusterFixture(t)
	m, _ := newMatrixAt(t, f, fyne.NewSize(1200, 700))
	if !slices.Equal(m.Outlets(), []string{bbc, itv, ta, guardian, yp}) {
		t.Fatalf("outlets %v", m.Outlets())
	}
	// rows by spread: C (5 outlets), B (4), A (3), D, E (2); F spans one
	// article only
	var order []string
	for _, r := range m.rows {
		order = append(order, f.names([]int64{r.id})...)
	}
	if strings.Join(order, "") != "CBADE" {
		t.Errorf("row order %v", order)
	}
	cells := map[string][]string{ // row → cell per outlet
		"C": {"reference", "inserted", "reworded", "fragment", "indirect"},
		"E": {"", "", "", "reference", "verbatim+misattributed"},
		"D": {"figures-differ", "", "reference", "", ""},
	}
	for name, want := range cells {
		row := slices.Index(order, name)
		for o := range m.Outlets() {
			if got := m.CellRelations(row, o); got != want[o] {
				t.Errorf("%s × %s = %q, want %q", name, m.Outlets()[o], got, want[o])
			}
		}
	}

	want := map[string]outletTotals{
		bbc:      {carries: 4, trimmed: 1, figures: 1},
		itv:      {carries: 3, verbatim: 1},
		ta:       {carries: 3, reworded: 1},
		guardian: {carries: 4, trimmed: 2},
		yp:       {carries: 2, verbatim: 1, indirect: 1},
	}
	for i, o := range m.Outlets() {
		if m.totals[i] != want[o] {
			t.Errorf("%s totals %+v, want %+v", o, m.totals[i], want[o])
		}
	}

	// The table shows the same: totals rows on top, then glyph cells.
	v := m.view
	cell := newMatrixCell()
	v.updateCell(widget.TableCellID{Row: 0, Col: 1 + slices.Index(m.Outlets(), guardian)}, cell)
	if cell.mode != cellNumber || cell.text != "4" {
		t.Errorf("carried by The Guardian: %v %q", cell.mode, cell.text)
	}
	v.updateCell(widget.TableCellID{Row: 2, Col: 0}, cell)
	if cell.text != "Trimmed (fragment, elided)" || cell.rel != relIdxFragment {
		t.Errorf("totals label %q", cell.text)
	}
	rowE := len(matrixTotals) + slices.Index(order, "E")
	v.updateCell(widget.TableCellID{Row: rowE, Col: 1 + slices.Index(m.Outlets(), yp)}, cell)
	if cell.mode != cellGlyph || relationStyles[cell.rel].symbol != "≠" {
		t.Errorf("E × Yorkshire Post shows %v", cell.rel)
	}
	v.updateCell(widget.TableCellID{Row: rowE, Col: 1}, cell)
	if cell.rel != -1 {
		t.Errorf("E × BBC (not carried) shows %v", cell.rel)
	}
	v.updateCell(widget.TableCellID{Row: rowE, Col: 0}, cell)
	if cell.text != "Ofsted" || cell.sub != "“Leaders have been too slow to act.”" {
		t.Errorf("E label %q / %q", cell.text, cell.sub)
	}

	// Choosing a row reports its cluster.
	var chosen int64
	m.OnSelectCluster = func(id int64) { chosen = id }
	v.table.Select(widget.TableCellID{Row: rowE, Col: 2})
	if chosen != f.ids["E"] {
		t.Errorf("selected cluster %d, want E (%d)", chosen, f.ids["E"])
	}
}

func TestMatrixCSV(t *testing.T) {
	f := newClusterFixture(t)
	// hostile names: an outlet and a speaker that a spreadsheet would run
	res, err := f.store.AddArticles(context.Background(), []data.Article{
		{Meta: data.Meta{Outlet: "@Evil News"}, Text: "Evil text one."},
		{Meta: data.Meta{Outlet: "+Plus Daily"}, Text: "Evil text two."},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cs := fixtureClusters(f.art)
	cs = append(cs, data.Cluster{Kind: "quote", Status: "diverge", Speaker: `=HYPERLINK("http://x","y")`, Articles: 2, Members: []data.ClusterMember{
		{ArticleID: res[0].ID, Text: "-1 is a number, \"quoted\", too", Reference: true},
		{ArticleID: res[1].ID, Text: "-2", Relations: []vocab.Relation{"reworded", "figures-differ"}},
	}})
	f.replace(t, cs)
	m, _ := newMatrixAt(t, f, fyne.NewSize(1200, 700))

	r := csv.NewReader(bytes.NewReader(m.CSV()))
	r.FieldsPerRecord = 0 // every record as long as the header
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("strict CSV read: %v", err)
	}
	wantHeader := []string{"cluster", "kind", "speaker", "status", "'+Plus Daily", "'@Evil News", bbc, itv, ta, guardian, yp}
	if !slices.Equal(recs[0], wantHeader) {
		t.Errorf("header %q", recs[0])
	}
	if len(recs) != 1+6 {
		t.Fatalf("%d records, want header + 6 clusters", len(recs))
	}
	byID := map[string][]string{}
	for _, rec := range recs[1:] {
		byID[rec[0]] = rec
	}
	col := func(outlet string) int { return slices.Index(wantHeader, outlet) }
	e := byID[strconv.FormatInt(f.ids["E"], 10)]
	if e == nil || e[1] != "quote" || e[2] != "Ofsted" || e[3] != "diverge" || e[col(guardian)] != "reference" ||
		e[col(yp)] != "verbatim+misattributed" || e[col(bbc)] != "" {
		t.Errorf("cluster E row %q", e)
	}
	d := byID[strconv.FormatInt(f.ids["D"], 10)]
	if d == nil || d[2] != "" || d[col(bbc)] != "figures-differ" || d[col(ta)] != "reference" {
		t.Errorf("cluster D row %q", d)
	}
	g := byID[strconv.FormatInt(f.ids["G"], 10)]
	if g == nil || g[2] != `'=HYPERLINK("http://x","y")` || g[col("'+Plus Daily")] != "reworded+figures-differ" || g[col("'@Evil News")] != "reference" {
		t.Errorf("hostile row %q", g)
	}
}

func TestMatrixPNG(t *testing.T) {
	f := newClusterFixture(t)
	m, _ := newMatrixAt(t, f, fyne.NewSize(1000, 600))
	b, err := m.PNG(fyne.NewSize(900, 420))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if s := img.Bounds().Size(); s.X != 900 || s.Y != 420 {
		t.Errorf("PNG is %v, want 900x420", s)
	}
	// not blank: the background and something drawn on it
	colors := map[uint32]bool{}
	for y := 0; y < 420; y += 7 {
		for x := 0; x < 900; x += 7 {
			r, g, b, _ := img.At(x, y).RGBA()
			colors[r<<16^g<<8^b] = true
		}
	}
	if len(colors) < 5 {
		t.Errorf("PNG has %d colours: blank?", len(colors))
	}
	if _, err := m.PNG(fyne.NewSize(0, 10)); err == nil {
		t.Error("PNG of an empty size succeeded")
	}
}

func TestMatrixEmpty(t *testing.T) {
	test.NewTempApp(t)
	m := NewMatrix(testStore(t))
	w := test.NewTempWindow(t, m.Content())
	w.Resize(fyne.NewSize(900, 500))
	reloadWait(m.Reload, &m.Background)
	if m.Len() != 0 || len(m.Outlets()) != 0 {
		t.Errorf("empty project: %d rows, %d outlets", m.Len(), len(m.Outlets()))
	}
	r := csv.NewReader(bytes.NewReader(m.CSV()))
	if recs, err := r.ReadAll(); err != nil || len(recs) != 1 || len(recs[0]) != 4 {
		t.Errorf("empty CSV %q, %v", recs, err)
	}
}

func TestMatrixGolden(t *testing.T) {
	for _, dark := range []bool{false, true} {
		name := map[bool]string{false: "matrix_light.png", true: "matrix_dark.png"}[dark]
		t.Run(name, func(t *testing.T) {
			f := newClusterFixture(t)
			test.NewTempApp(t).Settings().SetTheme(FixedTheme(dark))
			w := test.NewTempWindow(t, nil)
			m := NewMatrix(f.store)
			w.SetContent(m.Content())
			w.Resize(fyne.NewSize(1200, 700))
			reloadWait(m.Reload, &m.Background)
			w.Content().Refresh()
			test.AssertImageMatches(t, name, w.Canvas().Capture())
		})
	}
}

// BenchmarkMatrixLoad measures rebuilding the matrix from 50,000 clusters'
// rows, what Reload costs after the store has answered.
func BenchmarkMatrixLoad(b *testing.B) {
	list := data.NewClusterList(syntheticClusters(50_000))
	var m matrixData
	for b.Loop() {
		m = buildMatrix(list)
	}
	b.ReportMetric(float64(len(m.outlets)), "outlets")
}

// TestMatrixPagesIn: the matrix reads the clusters' rows and the texts of
// the rows it draws, never a cluster's versions.
func TestMatrixPagesIn(t *testing.T) {
	f := newClusterFixture(t)
	src := &pagingSource{ClusterSource: f.store}
	m, w := newMatrixOver(t, src, fyne.NewSize(1200, 700))
	w.Canvas().Capture()
	if len(src.clusters) != 0 {
		t.Errorf("the matrix read the versions of clusters %v", src.clusters)
	}
	read := slices.Sorted(slices.Values(src.references))
	var ids []int64
	for _, r := range m.rows {
		ids = append(ids, r.id)
	}
	if !slices.Equal(read, slices.Sorted(slices.Values(ids))) {
		t.Errorf("read the texts of clusters %v, want each of the rows drawn, %v, once", src.references, ids)
	}
}
