package views

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"image/color"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/data/agreement"
)

// Colours of the side-by-side disagreement view: text both coders coded
// with the code, and text only the coder on that side coded.
var (
	agreeColor    = color.NRGBA{R: 0x4C, G: 0xAF, B: 0x50, A: 0xff}
	disagreeColor = color.NRGBA{R: 0xE5, G: 0x39, B: 0x35, A: 0xff}
)

// agreementColumns are the table's columns: header, and how a row shows
// and sorts in it.
var agreementColumns = []struct {
	title string
	width float32
	text  func(r agreement.Row) string
	key   func(r agreement.Row) float64
}{
	{"Code", 220, func(r agreement.Row) string { return agreementCodeLabel(r) }, nil},
	{"Chars", 70, func(r agreement.Row) string { return strconv.Itoa(r.Characters) }, func(r agreement.Row) float64 { return float64(r.Characters) }},
	{"Both", 60, func(r agreement.Row) string { return strconv.Itoa(r.Both) }, func(r agreement.Row) float64 { return float64(r.Both) }},
	{"A only", 64, func(r agreement.Row) string { return strconv.Itoa(r.OnlyA) }, func(r agreement.Row) float64 { return float64(r.OnlyA) }},
	{"B only", 64, func(r agreement.Row) string { return strconv.Itoa(r.OnlyB) }, func(r agreement.Row) float64 { return float64(r.OnlyB) }},
	{"Neither", 70, func(r agreement.Row) string { return strconv.Itoa(r.Neither) }, func(r agreement.Row) float64 { return float64(r.Neither) }},
	{"Agree %", 72, func(r agreement.Row) string { return figureText(r.Agreement, "%.1f") }, func(r agreement.Row) float64 { return figureKey(r.Agreement) }},
	{"κ", 64, func(r agreement.Row) string { return figureText(r.Kappa, "%.3f") }, func(r agreement.Row) float64 { return figureKey(r.Kappa) }},
	{"α-binary", 76, func(r agreement.Row) string { return figureText(r.AlphaBinary, "%.3f") }, func(r agreement.Row) float64 { return figureKey(r.AlphaBinary) }},
	{"cu-α", 64, func(r agreement.Row) string { return figureText(r.CuAlpha, "%.3f") }, func(r agreement.Row) float64 { return figureKey(r.CuAlpha) }},
}

func agreementCodeLabel(r agreement.Row) string {
	if r.Article != 0 {
		return "   " + displayTitle(r.ArticleTitle, r.Article)
	}
	return r.Code
}

func figureText(f agreement.Figure, format string) string {
	if !f.OK {
		return "—"
	}
	return fmt.Sprintf(format, f.Value)
}

// figureKey sorts figures not computed below every number.
func figureKey(f agreement.Figure) float64 {
	if !f.OK {
		return -1e18
	}
	return f.Value
}

// Agreement is the inter-coder agreement screen: pick two or more coders,
// read the table per code (sortable by any column, exported as CSV), and
// pick a row and an article to see the two coders' codings side by side
// with the passages they disagree on in red.
type Agreement struct {
	backend Backend
	OnError func(error)
	// OnSaveCSV saves the table; set by the workbench.
	OnSaveCSV func(content func() ([]byte, error))

	coders    []string
	in        agreement.Input
	rows      []agreement.Row
	sortCol   int
	sortDesc  bool
	selected  int // index into rows, -1 for none
	codeIndex map[int64]data.Code

	coderChecks *widget.CheckGroup
	byArticle   *widget.Check
	summary     *widget.Label
	table       *widget.Table
	article     *widget.Select
	left, right *Reader
	leftTitle   *widget.Label
	rightTitle  *widget.Label
	content     fyne.CanvasObject
}

// NewAgreement builds the screen; call Reload to fill it.
func NewAgreement(b Backend) *Agreement {
	g := &Agreement{backend: b, selected: -1, sortCol: 0}
	g.coderChecks = widget.NewCheckGroup(nil, func([]string) { g.compute() })
	g.coderChecks.Horizontal = true
	g.byArticle = widget.NewCheck("Per article", func(bool) { g.compute() })
	g.summary = widget.NewLabel("")
	g.summary.Wrapping = fyne.TextWrapWord
	g.table = widget.NewTable(
		func() (int, int) { return len(g.rows), len(agreementColumns) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			r := g.rows[id.Row]
			l.SetText(agreementColumns[id.Col].text(r))
			l.TextStyle.Bold = r.CodeID == 0
			l.Alignment = fyne.TextAlignTrailing
			if id.Col == 0 {
				l.Alignment = fyne.TextAlignLeading
			}
			l.Refresh()
		},
	)
	g.table.ShowHeaderRow = true
	g.table.CreateHeader = func() fyne.CanvasObject { return widget.NewButton("", nil) }
	g.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		b := o.(*widget.Button)
		if id.Col < 0 {
			b.SetText("")
			return
		}
		title := agreementColumns[id.Col].title
		if id.Col == g.sortCol {
			title += map[bool]string{false: " ▲", true: " ▼"}[g.sortDesc]
		}
		b.SetText(title)
		col := id.Col
		b.OnTapped = func() { g.SortBy(col, g.sortCol == col && !g.sortDesc) }
	}
	for i, c := range agreementColumns {
		g.table.SetColumnWidth(i, c.width)
	}
	g.table.OnSelected = func(id widget.TableCellID) {
		g.selected = id.Row
		g.showSideBySide()
	}
	g.article = widget.NewSelect(nil, func(string) { g.showSideBySide() })
	g.article.PlaceHolder = "Article to compare"
	g.left, g.right = NewReader(), NewReader()
	g.leftTitle = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	g.rightTitle = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	csv := widget.NewButtonWithIcon("Export CSV…", theme.DownloadIcon(), func() {
		if g.OnSaveCSV != nil {
			g.OnSaveCSV(g.CSV)
		}
	})
	legend := widget.NewRichTextFromMarkdown("Select a row, then an article: passages the coder on each side coded with that code are green where the other coder coded them too, **red where they disagree**.")
	legend.Wrapping = fyne.TextWrapWord
	top := container.NewVBox(
		container.NewBorder(nil, nil, widget.NewLabel("Coders:"), container.NewHBox(g.byArticle, csv), container.NewHScroll(g.coderChecks)),
		g.summary)
	sides := container.NewGridWithColumns(2,
		container.NewBorder(g.leftTitle, nil, nil, nil, container.NewVScroll(g.left)),
		container.NewBorder(g.rightTitle, nil, nil, nil, container.NewVScroll(g.right)))
	lower := container.NewBorder(container.NewVBox(legend, g.article), nil, nil, nil, sides)
	split := container.NewVSplit(g.table, lower)
	split.Offset = 0.55
	g.content = container.NewBorder(top, nil, nil, nil, split)
	return g
}

// Content is the screen's canvas object.
func (g *Agreement) Content() fyne.CanvasObject { return g.content }

// Rows are the table's rows in their shown order.
func (g *Agreement) Rows() []agreement.Row { return g.rows }

// Reload re-reads the coders and recomputes the table. Coders chosen
// before stay chosen; at first every coder is.
func (g *Agreement) Reload() {
	coders, err := g.backend.Coders(context.Background())
	if err != nil {
		g.fail(err)
		return
	}
	var names []string
	for _, c := range coders {
		names = append(names, c.Name)
	}
	chosen := slices.DeleteFunc(slices.Clone(g.coderChecks.Selected), func(n string) bool { return !slices.Contains(names, n) })
	if len(g.coders) == 0 {
		chosen = names
	}
	g.coders = names
	g.coderChecks.Options = names
	g.coderChecks.Selected = chosen
	g.coderChecks.Refresh()
	g.compute()
}

// SetCoders chooses the coders compared.
func (g *Agreement) SetCoders(names []string) {
	g.coderChecks.Selected = names
	g.coderChecks.Refresh()
	g.compute()
}

func (g *Agreement) compute() {
	g.rows, g.selected = nil, -1
	g.in = agreement.Input{}
	chosen := g.coderChecks.Selected
	switch {
	case len(g.coders) < 2:
		g.summary.SetText("Agreement compares the coding of two or more coders. Each annotation records its coder (Edit ▸ Preferences); merge a colleague's project with File ▸ Merge Coding From…")
	case len(chosen) < 2:
		g.summary.SetText("Choose two or more coders.")
	default:
		ctx := context.Background()
		in, err := agreement.Load(ctx, g.backend, chosen)
		if err != nil {
			g.fail(err)
			break
		}
		g.in = in
		g.codeIndex = map[int64]data.Code{}
		for _, c := range in.Codes {
			g.codeIndex[c.ID] = c
		}
		if len(in.Articles) == 0 {
			g.summary.SetText("No article was coded by all of " + strings.Join(chosen, ", ") + ".")
			break
		}
		rows, err := agreement.Compute(in, agreement.Options{ByArticle: g.byArticle.Checked})
		if err != nil {
			g.fail(err)
			break
		}
		g.rows = rows
		g.sortRows()
		g.summary.SetText(fmt.Sprintf("%s over %s they all coded. Characters are the unit (NVivo's coding comparison); A and B are %s. "+
			"κ is Cohen's kappa (the mean over pairs with more coders); α-binary and cu-α are Krippendorff's (as ATLAS.ti reports them; cu-α's domain is the code and the codes under it). — means not defined for these data.",
			strings.Join(chosen, ", "), plural(len(in.Articles), "article", "articles"), pairLabel(chosen)))
	}
	var titles []string
	for _, a := range g.in.Articles {
		titles = append(titles, displayTitle(a.Title, a.ID))
	}
	g.article.Options = titles
	g.article.ClearSelected()
	if len(titles) > 0 {
		g.article.SetSelectedIndex(0)
	}
	g.table.UnselectAll()
	g.table.Refresh()
	g.showSideBySide()
}

func pairLabel(coders []string) string {
	if len(coders) == 2 {
		return coders[0] + " and " + coders[1]
	}
	return "the first and second of each pair"
}

// SortBy orders the rows by a column (0 is the code, in codebook order),
// keeping each code's per-article rows under it and the overall row last.
func (g *Agreement) SortBy(col int, desc bool) {
	g.sortCol, g.sortDesc = col, desc
	g.sortRows()
	g.selected = -1
	g.table.UnselectAll()
	g.table.Refresh()
	g.showSideBySide()
}

func (g *Agreement) sortRows() {
	// Groups: a code's row with its per-article rows; the overall row.
	type group struct {
		head agreement.Row
		rows []agreement.Row
		pos  int
	}
	var groups []group
	var overall []agreement.Row
	for _, r := range g.rows {
		switch {
		case r.CodeID == 0:
			overall = append(overall, r)
		case r.Article == 0:
			pos := slices.IndexFunc(g.in.Codes, func(c data.Code) bool { return c.ID == r.CodeID })
			groups = append(groups, group{head: r, rows: []agreement.Row{r}, pos: pos})
		default:
			groups[len(groups)-1].rows = append(groups[len(groups)-1].rows, r)
		}
	}
	key := agreementColumns[g.sortCol].key
	sign := 1
	if g.sortDesc {
		sign = -1
	}
	slices.SortStableFunc(groups, func(a, b group) int {
		if key == nil { // the code column: codebook order
			return sign * cmp.Compare(a.pos, b.pos)
		}
		return sign * cmp.Compare(key(a.head), key(b.head))
	})
	out := make([]agreement.Row, 0, len(g.rows))
	for _, gr := range groups {
		out = append(out, gr.rows...)
	}
	g.rows = append(out, overall...)
}

// CSV is the table as CSV, in the shown order.
func (g *Agreement) CSV() ([]byte, error) {
	var b bytes.Buffer
	if err := agreement.WriteCSV(&b, g.rows); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// SelectRow selects a row of the table and shows its side-by-side view.
func (g *Agreement) SelectRow(i int) {
	g.table.Select(widget.TableCellID{Row: i, Col: 0})
	if g.selected != i { // a row selected already does not call back
		g.selected = i
		g.showSideBySide()
	}
}

// showSideBySide shows the selected row's code on the chosen article as
// the first two coders coded it, disagreement in red.
func (g *Agreement) showSideBySide() {
	chosen := g.coderChecks.Selected
	g.left.SetText("")
	g.right.SetText("")
	g.leftTitle.SetText("")
	g.rightTitle.SetText("")
	if g.selected < 0 || g.selected >= len(g.rows) || len(chosen) < 2 || g.article.SelectedIndex() < 0 {
		return
	}
	r := g.rows[g.selected]
	art := g.in.Articles[g.article.SelectedIndex()]
	if r.Article != 0 {
		if i := slices.IndexFunc(g.in.Articles, func(a agreement.Article) bool { return a.ID == r.Article }); i >= 0 {
			art = g.in.Articles[i]
		}
	}
	a, err := g.backend.Article(context.Background(), art.ID)
	if err != nil {
		g.fail(err)
		return
	}
	codes := map[int64]bool{}
	if r.CodeID == 0 {
		for id := range g.codeIndex {
			codes[id] = true
		}
	} else {
		for _, id := range data.Subtree(g.in.Codes, []int64{r.CodeID}) { // the row's scope
			codes[id] = true
		}
	}
	left, right := coverage(g.in.Segments, art, codes, chosen[0]), coverage(g.in.Segments, art, codes, chosen[1])
	g.left.SetText(a.Text)
	g.right.SetText(a.Text)
	g.left.SetHighlights(disagreement(left, right))
	g.right.SetHighlights(disagreement(right, left))
	g.leftTitle.SetText(chosen[0] + " · " + r.Code)
	g.rightTitle.SetText(chosen[1] + " · " + r.Code)
}

// coverage marks the characters of an article a coder coded with any of
// codes.
func coverage(segs []agreement.Segment, a agreement.Article, codes map[int64]bool, coder string) []bool {
	mask := make([]bool, a.Length)
	for _, s := range segs {
		if s.Article != a.ID || s.Coder != coder || !codes[s.Code] {
			continue
		}
		for i := max(0, s.Start); i < min(s.End, a.Length); i++ {
			mask[i] = true
		}
	}
	return mask
}

// disagreement paints one side: runs this side coded, green where the
// other side coded them too, red where it did not.
func disagreement(this, other []bool) []Highlight {
	var hs []Highlight
	for i := 0; i < len(this); {
		if !this[i] {
			i++
			continue
		}
		both := other[i]
		j := i
		for j < len(this) && this[j] && other[j] == both {
			j++
		}
		c := disagreeColor
		if both {
			c = agreeColor
		}
		hs = append(hs, Highlight{Start: i, End: j, Color: c})
		i = j
	}
	return hs
}

func (g *Agreement) fail(err error) {
	if g.OnError != nil {
		g.OnError(err)
	}
}
