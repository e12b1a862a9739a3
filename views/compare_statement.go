package views

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// StatementSource reads the whole statement a cluster's reference belongs
// to (data.Store.Statement). A ClusterSource that has it lets Compare show,
// for a sentence of a longer quotation, how each article carries the
// quotation as a whole.
type StatementSource interface {
	Statement(ctx context.Context, cluster int64) (data.Statement, error)
}

// maxStatementRows is how many articles the panel lists before it says how
// many more there are: a statement carried by a hundred articles is read
// in full with `parallax statement`.
const maxStatementRows = 12

// statementPanel is the part of Compare's detail pane that shows the
// statement the selected sentence belongs to: its sentences, each a button
// to that sentence's cluster, and per article the statement as a whole and
// sentence by sentence. It is folded away until opened, and stays as the
// researcher left it from cluster to cluster: the versions of the sentence
// itself stay the main view.
type statementPanel struct {
	// box holds the toggle and, when open, the body; it is hidden when the
	// selected cluster is no sentence of a longer statement.
	box    *fyne.Container
	toggle *widget.Button
	body   *fyne.Container
	open   bool
	// sentences holds a button per sentence; rows a line per article.
	sentences *fyne.Container
	rows      *fyne.Container
	title     string
	// onSentence selects a sentence's cluster; onResize lays out the pane
	// again when the panel opens or closes.
	onSentence func(cluster int64)
	onResize   func()
}

func newStatementPanel(onSentence func(int64), onResize func()) *statementPanel {
	p := &statementPanel{onSentence: onSentence, onResize: onResize}
	p.sentences = container.NewHBox()
	p.rows = container.NewVBox()
	p.body = container.NewVBox(p.sentences, p.rows)
	p.body.Hide()
	p.toggle = widget.NewButtonWithIcon("", theme.MenuExpandIcon(), func() { p.setOpen(!p.open) })
	p.toggle.Alignment = widget.ButtonAlignLeading
	p.toggle.Importance = widget.LowImportance
	p.box = container.NewVBox(p.toggle, p.body)
	p.box.Hide()
	return p
}

// setOpen unfolds or folds the panel's body.
func (p *statementPanel) setOpen(open bool) {
	p.open = open
	p.toggle.SetIcon(theme.MenuExpandIcon())
	p.body.Hide()
	if open {
		p.toggle.SetIcon(theme.MenuDropDownIcon())
		p.body.Show()
	}
	p.box.Refresh()
	if p.onResize != nil {
		p.onResize()
	}
}

// show fills the panel for the cluster just selected; a cluster whose
// reference is no part of a quotation of two or more sentences hides it.
func (p *statementPanel) show(cluster int64, st data.Statement, ok bool) {
	if !ok || len(st.Sentences) < 2 {
		if p.box.Visible() {
			p.box.Hide()
			if p.onResize != nil {
				p.onResize()
			}
		}
		return
	}
	at := 0
	for i, s := range st.Sentences {
		if s.Cluster == cluster {
			at = i + 1
		}
	}
	title := fmt.Sprintf("Whole statement: %d sentences, carried by %s", len(st.Sentences), plural(len(st.Versions), "other article", "other articles"))
	if at > 0 {
		title = fmt.Sprintf("Sentence %d of a %d-sentence statement, carried by %s", at, len(st.Sentences), plural(len(st.Versions), "other article", "other articles"))
	}
	p.title = title
	p.toggle.SetText(title)

	p.sentences.Objects = p.sentences.Objects[:0]
	p.sentences.Add(widget.NewLabel("Sentences:"))
	for i, s := range st.Sentences {
		b := widget.NewButton(fmt.Sprint(i+1), nil)
		b.Importance = widget.LowImportance
		switch {
		case s.Cluster == 0:
			b.Disable() // no other article carries it: nothing to compare
		case s.Cluster == cluster:
			b.Importance = widget.HighImportance
		default:
			id := s.Cluster
			b.OnTapped = func() {
				if p.onSentence != nil {
					p.onSentence(id)
				}
			}
		}
		p.sentences.Add(b)
	}
	p.sentences.Refresh()

	p.rows.Objects = p.rows.Objects[:0]
	for i, v := range st.Versions {
		if i == maxStatementRows {
			p.rows.Add(widget.NewLabel(fmt.Sprintf("and %d more (parallax statement --cluster %d lists them all)", len(st.Versions)-i, cluster)))
			break
		}
		p.rows.Add(statementRow(v))
	}
	p.rows.Refresh()
	p.box.Show()
	p.setOpen(p.open) // as the researcher left it
}

// statementRow is one article's line: its outlet, the statement as a
// whole as a badge (a label and a glyph, never colour alone), and each
// sentence's relations in words.
func statementRow(v data.StatementVersion) fyne.CanvasObject {
	whole := relationBadge(vocab.RelReworded)
	if len(v.Whole) > 0 {
		whole = relationBadge(v.Whole[0])
		if len(v.Whole) > 1 {
			whole.text = vocab.Join(v.Whole, " + ")
		}
	}
	badge := newTagBadge(whole.text+" as a whole", whole.color, whole.solid, whole.rel)
	per := make([]string, len(v.Relations))
	for i, r := range v.Relations {
		label := "missing"
		if len(r) > 0 {
			label = vocab.Join(r, "+")
		}
		per[i] = fmt.Sprintf("%d %s", i+1, label)
	}
	who := widget.NewLabel(fmt.Sprintf("%s · article %d", data.SourceName(v.Outlet, v.Article), v.Article))
	who.TextStyle.Bold = true
	detail := widget.NewLabel(strings.Join(per, " · "))
	detail.Truncation = fyne.TextTruncateEllipsis
	return container.NewBorder(nil, nil, container.NewHBox(who, container.NewCenter(badge)), nil, detail)
}
