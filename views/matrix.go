package views

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"image/color"
	"image/png"
	"math"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/software"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/data/export"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// matrixRow is one cluster of the matrix, with the relations of each outlet
// that carries it.
type matrixRow struct {
	id      int64
	kind    vocab.UnitKind
	speaker string
	status  vocab.Status
	cells   []matrixEntry // by outlet index
}

// matrixEntry is one outlet's versions of a cluster: the union of their
// relations (an outlet may carry a passage in several articles).
type matrixEntry struct {
	outlet int32
	mask   relMask
}

func (r *matrixRow) mask(outlet int) relMask {
	i, ok := slices.BinarySearchFunc(r.cells, int32(outlet), func(e matrixEntry, o int32) int { return cmp.Compare(e.outlet, o) })
	if !ok {
		return 0
	}
	return r.cells[i].mask
}

// outletTotals summarises one outlet's column.
type outletTotals struct {
	carries, verbatim, trimmed, reworded, indirect, figures int
}

// matrixTotals are the sticky rows above the clusters: per-outlet counts of
// the clusters each outlet carries and how faithfully.
var matrixTotals = []struct {
	label string
	rel   int
	count func(outletTotals) int
}{
	{"Clusters carried", -1, func(t outletTotals) int { return t.carries }},
	{"Verbatim", relIdxVerbatim, func(t outletTotals) int { return t.verbatim }},
	{"Trimmed (fragment, elided)", relIdxFragment, func(t outletTotals) int { return t.trimmed }},
	{"Reworded", relIdxReworded, func(t outletTotals) int { return t.reworded }},
	{"Indirect", relIdxIndirect, func(t outletTotals) int { return t.indirect }},
	{"Figures differ", relIdxFigures, func(t outletTotals) int { return t.figures }},
}

func totalsFor(rows []matrixRow, outlets int) []outletTotals {
	out := make([]outletTotals, outlets)
	for _, r := range rows {
		for _, e := range r.cells {
			t := &out[e.outlet]
			t.carries++
			if e.mask.has(relIdxVerbatim) {
				t.verbatim++
			}
			if e.mask.has(relIdxFragment) || e.mask.has(relIdxElided) {
				t.trimmed++
			}
			if e.mask.has(relIdxReworded) {
				t.reworded++
			}
			if e.mask.has(relIdxIndirect) {
				t.indirect++
			}
			if e.mask.has(relIdxFigures) {
				t.figures++
			}
		}
	}
	return out
}

// Matrix is the outlet matrix: clusters down, outlets across, each cell a
// glyph for how that outlet carries the cluster (or nothing when it does
// not). The clusters' rows are loaded once into flat slices, without text;
// the table is virtualised and reads the texts of the rows it draws, so
// opening and drawing cost little more for 500,000 clusters than for 50.
type Matrix struct {
	src ClusterSource

	// MinArticles is the fewest distinct articles a row's cluster spans;
	// Reload applies it.
	MinArticles int
	// OnSelectCluster is called with a cluster's ID when its row is
	// chosen, so the app can open it in the compare screen.
	OnSelectCluster func(id int64)
	// OnError reports a failed load.
	OnError func(error)
	// Background runs loads off the UI goroutine; see Runner.
	Background Runner

	matrixData
	texts   *textPager // the rows' reference texts, by row
	loads   *loader
	view    *matrixView
	content fyne.CanvasObject
}

// matrixData is one load of the matrix, built off the UI goroutine.
type matrixData struct {
	outlets []string
	rows    []matrixRow
	totals  []outletTotals
}

// NewMatrix builds the matrix over src. Call Reload to fill it.
func NewMatrix(src ClusterSource) *Matrix {
	m := &Matrix{src: src, MinArticles: DefaultMinArticles, loads: newLoader()}
	m.texts = newTextPager(src, nil, &m.OnError)
	m.view = m.newView()
	m.content = container.NewBorder(m.loads.bar.Content(), nil, nil, nil, m.view.content)
	return m
}

// Content is the matrix screen's canvas object.
func (m *Matrix) Content() fyne.CanvasObject { return m.content }

// Reload re-reads the clusters' rows and rebuilds the matrix in the
// background. Until the load lands the matrix shows what it showed, with a
// bar to cancel the load; a newer Reload supersedes it.
func (m *Matrix) Reload() {
	m.loads.loadClusters(m.Background, m.src, m.MinArticles, "Tabulating", func(_ context.Context, list data.ClusterList) (func(), func(context.Context, func(string)) (func(), error), error) {
		d := buildMatrix(list)
		ids := make([]int64, len(d.rows))
		for i, r := range d.rows {
			ids[i] = r.id
		}
		return func() {
			m.matrixData = d
			m.texts = newTextPager(m.src, ids, &m.OnError)
			m.view.refresh()
		}, nil, nil
	}, &m.OnError)
}

// buildMatrix tabulates a list of clusters (in ID order): outlets sorted
// by name, rows by spread.
func buildMatrix(list data.ClusterList) matrixData {
	m := &matrixData{}
	var column []int32 // the matrix's column of each of the list's outlets
	m.outlets, column = byName(list.Outlets)
	masks := make([]relMask, len(list.Relations))
	for k, rels := range list.Relations {
		masks[k] = relationsMask(false, rels)
	}
	rows := list.Rows
	tab := make([]matrixRow, len(rows))
	spread := make([]uint16, len(rows))
	// Cells are cut from shared arrays, as the store cuts versions.
	var cells []matrixEntry
	for i := range rows {
		c := &rows[i]
		if cap(cells)-len(cells) < len(c.Versions) {
			cells = make([]matrixEntry, 0, max(len(c.Versions), 1<<14))
		}
		start := len(cells)
		for _, v := range c.Versions {
			o := column[v.Outlet]
			k := slices.IndexFunc(cells[start:], func(e matrixEntry) bool { return e.outlet == o })
			if k < 0 {
				cells = append(cells, matrixEntry{outlet: o})
				k = len(cells) - start - 1
			}
			mask := masks[v.Relations]
			if v.Reference {
				mask |= 1 << relIdxReference
			}
			cells[start+k].mask |= mask
		}
		r := matrixRow{id: c.ID, kind: c.Kind, speaker: c.Speaker, status: c.Status, cells: cells[start:len(cells):len(cells)]}
		slices.SortFunc(r.cells, func(a, b matrixEntry) int { return cmp.Compare(a.outlet, b.outlet) })
		tab[i], spread[i] = r, uint16(min(len(r.cells), math.MaxUint16))
	}
	// Widest spread first, as the compare screen's default: the passages
	// most outlets carried are where their differences tell most. Ties
	// keep ID order.
	order := sortByKeys(spread, make([]uint16, len(tab)))
	m.rows = make([]matrixRow, len(tab))
	for i, k := range order {
		m.rows[i] = tab[k]
	}
	m.totals = totalsFor(m.rows, len(m.outlets))
	return *m
}

// Outlets returns the matrix's columns, sorted by name.
func (m *Matrix) Outlets() []string { return m.outlets }

// Len is the number of clusters (rows below the totals).
func (m *Matrix) Len() int { return len(m.rows) }

// CellRelations returns the relation names of a cell, as in the CSV: ""
// when the outlet does not carry the cluster.
func (m *Matrix) CellRelations(row, outlet int) string {
	return maskNames(m.rows[row].mask(outlet))
}

// maskNames joins a cell's relations with "+", the reference first and the
// rest in the analyser's order.
func maskNames(mask relMask) string {
	var rels []vocab.Relation
	for i, s := range relationStyles {
		if mask.has(i) {
			rels = append(rels, s.rel)
		}
	}
	return vocab.Join(rels, "+")
}

// CSV exports the whole matrix as it is shown (export.WriteMatrixCSV):
// one row per cluster, widest spread first, with each outlet's relations
// joined by "+" ("reference" for the reference, empty where the outlet
// does not carry it).
func (m *Matrix) CSV() []byte {
	rows := make([]export.MatrixRow, len(m.rows))
	for i, r := range m.rows {
		cells := make([]string, len(m.outlets))
		for o := range m.outlets {
			cells[o] = maskNames(r.mask(o))
		}
		rows[i] = export.MatrixRow{Cluster: r.id, Kind: r.kind, Speaker: r.speaker, Status: r.status, Cells: cells}
	}
	var buf bytes.Buffer
	if err := export.WriteMatrixCSV(&buf, m.outlets, rows); err != nil {
		panic(err) // unreachable: writing to memory
	}
	return buf.Bytes()
}

// PNG renders the matrix at size with Fyne's software painter, in the
// current app theme. It draws a fresh copy of the screen, so the window's
// own scroll position and selection are left alone; like the screen, it
// shows the rows that fit.
func (m *Matrix) PNG(size fyne.Size) ([]byte, error) {
	if size.Width < 1 || size.Height < 1 {
		return nil, fmt.Errorf("matrix image: size %v", size)
	}
	v := m.newView()
	v.refresh()
	c := software.NewCanvas()
	c.SetPadded(false)
	c.SetContent(v.content)
	c.Resize(size)
	img := c.Capture()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("matrix image: %w", err)
	}
	return buf.Bytes(), nil
}

// matrixView is one rendering of a Matrix's data: the window's, or a
// throw-away one for PNG.
type matrixView struct {
	m       *Matrix
	table   *widget.Table
	summary *widget.Label
	content fyne.CanvasObject
}

const (
	matrixLabelWidth  = 380
	matrixColumnWidth = 96
	matrixRowHeight   = 30
	matrixTotalHeight = 26
)

func (m *Matrix) newView() *matrixView {
	v := &matrixView{m: m}
	v.table = widget.NewTable(
		func() (int, int) { return len(matrixTotals) + len(m.rows), 1 + len(m.outlets) },
		func() fyne.CanvasObject { return newMatrixCell() },
		v.updateCell,
	)
	v.table.ShowHeaderRow = true
	v.table.CreateHeader = func() fyne.CanvasObject { return newMatrixCell() }
	v.table.UpdateHeader = v.updateHeader
	v.table.StickyColumnCount = 1
	v.table.StickyRowCount = len(matrixTotals)
	v.table.SetColumnWidth(0, matrixLabelWidth)
	for i := range matrixTotals {
		v.table.SetRowHeight(i, matrixTotalHeight)
	}
	v.table.OnSelected = func(id widget.TableCellID) {
		row := id.Row - len(matrixTotals)
		if row >= 0 && row < len(m.rows) && m.OnSelectCluster != nil {
			m.OnSelectCluster(m.rows[row].id)
		}
	}

	v.summary = widget.NewLabel("")
	v.summary.Truncation = fyne.TextTruncateEllipsis
	legend := container.NewGridWithColumns(6)
	for i, s := range relationStyles {
		legend.Add(container.NewHBox(newTagBadge(s.label, s.color, s.strong, i)))
	}
	legend.Add(container.NewHBox(newTagBadge("empty: not carried", theme.ColorNameBackground, false, -1)))
	v.content = container.NewBorder(container.NewVBox(v.summary, legend), nil, nil, nil, v.table)
	return v
}

func (v *matrixView) refresh() {
	m := v.m
	v.summary.SetText(fmt.Sprintf("%s × %s. Each cell shows how the outlet carries the passage; select a row to compare its versions.",
		plural(len(m.rows), "cluster", "clusters"), plural(len(m.outlets), "outlet", "outlets")))
	// The header holds outlet names on up to two lines; the cell template
	// stays one line tall so that data rows do not inherit its height.
	line := fyne.MeasureText("Mg", theme.TextSize(), fyne.TextStyle{Bold: true}).Height
	v.table.SetRowHeight(-1, 2*line+2*theme.Padding())
	v.table.Refresh()
}

func (v *matrixView) updateHeader(id widget.TableCellID, o fyne.CanvasObject) {
	cell := o.(*matrixCell)
	m := v.m
	switch {
	case id.Col == 0:
		cell.set(cellHeader, "Cluster (speaker · text)", plural(len(m.rows), "cluster", "clusters"), -1)
	case id.Col-1 < len(m.outlets):
		cell.set(cellHeader, m.outlets[id.Col-1], "", -1)
	}
}

func (v *matrixView) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	cell := o.(*matrixCell)
	m := v.m
	if id.Row < len(matrixTotals) {
		t := matrixTotals[id.Row]
		if id.Col == 0 {
			cell.setBold(cellTotalLabel, t.label, "", t.rel, id.Row == 0)
		} else if id.Col-1 < len(m.totals) {
			cell.setBold(cellNumber, strconv.Itoa(t.count(m.totals[id.Col-1])), "", -1, id.Row == 0)
		}
		return
	}
	row := id.Row - len(matrixTotals)
	if row >= len(m.rows) {
		return
	}
	r := &m.rows[row]
	if id.Col == 0 {
		who := r.speaker
		if who == "" {
			who = unattributed
			switch r.kind {
			case vocab.UnitFinding:
				who = string(vocab.UnitFinding)
			case vocab.UnitArticle:
				who = "whole article"
			}
		}
		text := oneLine(m.texts.text(row, around(len(m.rows), row, func(j int) int { return j })), 240)
		if r.kind == vocab.UnitQuote && text != "" {
			text = "“" + text + "”"
		}
		cell.set(cellLabel, who, text, -1)
		return
	}
	cell.set(cellGlyph, "", "", topRelation(r.mask(id.Col-1)))
}

type cellMode uint8

const (
	cellGlyph      cellMode = iota // a relation glyph, or nothing
	cellLabel                      // a cluster: speaker in bold, then its text
	cellTotalLabel                 // a totals row's name, with its glyph
	cellNumber                     // a total
	cellHeader                     // a column name, on up to two lines
)

// matrixCell draws every kind of matrix cell with canvas objects only: the
// table creates one per visible cell, so it is kept light, and it truncates
// its own text to fit.
type matrixCell struct {
	widget.BaseWidget
	mode      cellMode
	text, sub string
	rel       int
	bold      bool
}

func newMatrixCell() *matrixCell {
	c := &matrixCell{rel: -1}
	c.ExtendBaseWidget(c)
	return c
}

func (c *matrixCell) set(mode cellMode, text, sub string, rel int) {
	c.setBold(mode, text, sub, rel, false)
}

func (c *matrixCell) setBold(mode cellMode, text, sub string, rel int, bold bool) {
	if c.mode == mode && c.text == text && c.sub == sub && c.rel == rel && c.bold == bold {
		return
	}
	c.mode, c.text, c.sub, c.rel, c.bold = mode, text, sub, rel, bold
	c.Refresh()
}

// CreateRenderer is a private method to Fyne which links this widget to its
// renderer.
func (c *matrixCell) CreateRenderer() fyne.WidgetRenderer {
	r := &matrixCellRenderer{c: c, bg: canvas.NewRectangle(color.Transparent), icon: canvas.NewImageFromResource(nil),
		t1: canvas.NewText("", color.Black), t2: canvas.NewText("", color.Black)}
	r.icon.FillMode = canvas.ImageFillContain
	r.Refresh()
	return r
}

type matrixCellRenderer struct {
	c      *matrixCell
	bg     *canvas.Rectangle
	icon   *canvas.Image
	t1, t2 *canvas.Text
	laid   fyne.Size
}

func (r *matrixCellRenderer) MinSize() fyne.Size {
	return fyne.NewSize(matrixColumnWidth, matrixRowHeight)
}

func (r *matrixCellRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bg, r.icon, r.t1, r.t2}
}

func (r *matrixCellRenderer) Destroy() {}

func (r *matrixCellRenderer) Refresh() {
	c := r.c
	fg := themeColor(c, theme.ColorNameForeground)
	r.bg.FillColor = color.Transparent
	r.icon.Hidden = c.rel < 0
	r.t1.Color, r.t2.Color = fg, fg
	r.t1.TextStyle, r.t2.TextStyle = fyne.TextStyle{}, fyne.TextStyle{}
	r.t1.Alignment = fyne.TextAlignLeading
	iconColor := fg
	switch c.mode {
	case cellGlyph:
		if c.rel >= 0 {
			s := relationStyles[c.rel]
			base := themeColor(c, s.color)
			if s.strong {
				r.bg.FillColor = base
				iconColor = themeColor(c, onColor(s.color))
			} else {
				r.bg.FillColor = withAlpha(base, tintAlpha)
			}
		}
	case cellLabel:
		r.t1.TextStyle.Bold = true
	case cellTotalLabel, cellNumber:
		r.bg.FillColor = themeColor(c, theme.ColorNameHeaderBackground)
		if c.mode == cellNumber {
			r.t1.Alignment = fyne.TextAlignCenter
		}
		// the first totals row, clusters carried, is the one read first
		r.t1.TextStyle.Bold = c.bold
	case cellHeader:
		r.t1.TextStyle.Bold = true
		r.t2.TextStyle.Bold = c.sub == ""
		if c.sub != "" {
			r.t2.Color = themeColor(c, theme.ColorNamePlaceHolder)
		}
	}
	if c.rel >= 0 {
		r.icon.Resource = relationIcon(c.rel, iconColor)
	}
	r.laid = fyne.Size{}
	r.Layout(c.Size())
	r.bg.Refresh()
	r.icon.Refresh()
	r.t1.Refresh()
	r.t2.Refresh()
}

func (r *matrixCellRenderer) Layout(size fyne.Size) {
	if size == r.laid {
		return
	}
	r.laid = size
	c := r.c
	th := c.Theme()
	pad := th.Size(theme.SizeNameInnerPadding)
	textSize := th.Size(theme.SizeNameText)
	r.t1.TextSize, r.t2.TextSize = textSize, textSize
	r.bg.Move(fyne.NewPos(0, 0))
	r.bg.Resize(size)
	lineH := fyne.MeasureText("Mg", textSize, r.t1.TextStyle).Height
	mid := (size.Height - lineH) / 2
	iconSize := min(size.Height-8, lineH+2)
	r.t2.Text = ""
	switch c.mode {
	case cellGlyph:
		r.t1.Text = ""
		r.icon.Move(fyne.NewPos((size.Width-iconSize)/2, (size.Height-iconSize)/2))
		r.icon.Resize(fyne.NewSquareSize(iconSize))
	case cellLabel:
		avail := max(0, size.Width-2*pad)
		who := ellipsize(c.text, avail*0.4, textSize, r.t1.TextStyle)
		whoW := fyne.MeasureText(who, textSize, r.t1.TextStyle).Width
		r.t1.Text = who
		r.t1.Move(fyne.NewPos(pad, mid))
		r.t1.Resize(fyne.NewSize(whoW, lineH))
		gap := fyne.MeasureText(" · ", textSize, fyne.TextStyle{}).Width
		r.t2.Text = ellipsize(c.sub, max(0, avail-whoW-gap), textSize, fyne.TextStyle{})
		if r.t2.Text != "" {
			r.t2.Text = " · " + r.t2.Text
		}
		r.t2.Move(fyne.NewPos(pad+whoW, mid))
		r.t2.Resize(fyne.NewSize(max(0, avail-whoW), lineH))
	case cellTotalLabel:
		x := pad
		if c.rel >= 0 {
			r.icon.Move(fyne.NewPos(x, (size.Height-iconSize)/2))
			r.icon.Resize(fyne.NewSquareSize(iconSize))
			x += iconSize + pad/2
		}
		r.t1.Text = ellipsize(c.text, max(0, size.Width-x-pad), textSize, r.t1.TextStyle)
		r.t1.Move(fyne.NewPos(x, mid))
		r.t1.Resize(fyne.NewSize(max(0, size.Width-x-pad), lineH))
	case cellNumber:
		r.t1.Text = c.text
		r.t1.Move(fyne.NewPos(0, mid))
		r.t1.Resize(fyne.NewSize(size.Width, lineH))
	case cellHeader:
		var lines []string
		if c.sub != "" {
			lines = []string{ellipsize(c.text, size.Width-2*pad, textSize, r.t1.TextStyle), ellipsize(c.sub, size.Width-2*pad, textSize, r.t2.TextStyle)}
		} else {
			lines = wrapTwoLines(c.text, size.Width-2*pad, textSize, r.t1.TextStyle)
		}
		top := (size.Height - float32(len(lines))*lineH) / 2
		r.t1.Text = lines[0]
		r.t1.Move(fyne.NewPos(pad, top))
		r.t1.Resize(fyne.NewSize(size.Width-2*pad, lineH))
		if len(lines) > 1 {
			r.t2.Text = lines[1]
			r.t2.Move(fyne.NewPos(pad, top+lineH))
			r.t2.Resize(fyne.NewSize(size.Width-2*pad, lineH))
		}
	}
}

// ellipsize shortens s with "…" to fit width.
func ellipsize(s string, width, size float32, style fyne.TextStyle) string {
	if s == "" || fyne.MeasureText(s, size, style).Width <= width {
		return s
	}
	rs := []rune(s)
	// binary search for the longest prefix that fits with the ellipsis
	lo, hi := 0, len(rs)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fyne.MeasureText(strings.TrimRight(string(rs[:mid]), " ")+"…", size, style).Width <= width {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if lo == 0 {
		return ""
	}
	return strings.TrimRight(string(rs[:lo]), " ") + "…"
}

// wrapTwoLines breaks s at spaces into at most two lines of width, the
// second ellipsized if it still does not fit.
func wrapTwoLines(s string, width, size float32, style fyne.TextStyle) []string {
	words := strings.Fields(s)
	if len(words) == 0 {
		return []string{""}
	}
	first := words[0]
	i := 1
	for ; i < len(words); i++ {
		next := first + " " + words[i]
		if fyne.MeasureText(next, size, style).Width > width {
			break
		}
		first = next
	}
	if i == len(words) {
		return []string{ellipsize(first, width, size, style)}
	}
	return []string{ellipsize(first, width, size, style), ellipsize(strings.Join(words[i:], " "), width, size, style)}
}
