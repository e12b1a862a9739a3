package views

import (
	"context"
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// clusterLister is the part of the project the side-by-side view reads
// alignments from.
type clusterLister interface {
	Clusters(ctx context.Context, minArticles int) ([]data.Cluster, error)
}

// pair is one passage the two articles share: a member of the same
// cluster on each side.
type pair struct {
	left, right data.ClusterMember
	cluster     data.Cluster
	colour      color.Color
}

// SideBySide shows two articles next to each other with their aligned
// passages highlighted in matching colours; scrolling one brings the
// partner of its first visible passage into view in the other.
type SideBySide struct {
	backend  Backend
	clusters clusterLister
	OnError  func(error)

	articles         []data.Summary
	pairs            []pair
	pickA, pickB     *widget.Select
	left, right      *Reader
	lScroll, rScroll *container.Scroll
	list             *widget.List
	syncing          bool
	content          fyne.CanvasObject
	leftID, rightID  int64
}

// pairColours cycle through the palette so neighbouring pairs differ.
func pairColour(i int) color.Color { return ParseHex(Palette[i%len(Palette)].Hex) }

// NewSideBySide builds the view; call Reload, then SetArticles.
func NewSideBySide(b Backend, clusters clusterLister) *SideBySide {
	v := &SideBySide{backend: b, clusters: clusters}
	v.left, v.right = NewReader(), NewReader()
	v.lScroll, v.rScroll = container.NewVScroll(v.left), container.NewVScroll(v.right)
	v.lScroll.OnScrolled = func(p fyne.Position) { v.follow(true, p) }
	v.rScroll.OnScrolled = func(p fyne.Position) { v.follow(false, p) }
	v.pickA = widget.NewSelect(nil, func(string) { v.picked() })
	v.pickB = widget.NewSelect(nil, func(string) { v.picked() })
	v.pickA.PlaceHolder, v.pickB.PlaceHolder = "Choose the first article", "Choose the second article"
	v.list = widget.NewList(
		func() int { return len(v.pairs) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("relation · passage")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			p := v.pairs[i]
			rel := vocab.Join(p.right.Relations, "+")
			if p.right.Reference {
				rel = string(vocab.RelReference)
			}
			if p.left.Reference && len(p.right.Relations) > 0 {
				rel = vocab.Join(p.right.Relations, "+") + " (right vs left)"
			}
			o.(*widget.Label).SetText(fmt.Sprintf("%s · %s", rel, strings.ReplaceAll(p.left.Text, "\n", " ")))
		},
	)
	v.list.OnSelected = func(i widget.ListItemID) { v.ShowPair(i) }
	sides := container.NewHSplit(
		container.NewBorder(v.pickA, nil, nil, nil, v.lScroll),
		container.NewBorder(v.pickB, nil, nil, nil, v.rScroll))
	split := container.NewVSplit(sides, v.list)
	split.Offset = 0.75
	v.content = split
	return v
}

// Content is the view's canvas object.
func (v *SideBySide) Content() fyne.CanvasObject { return v.content }

// Pairs is the number of linked passages shown.
func (v *SideBySide) Pairs() int { return len(v.pairs) }

// Reload re-reads the article list for the pickers.
func (v *SideBySide) Reload() {
	rows, err := v.backend.ListArticles(context.Background(), data.ListQuery{Sort: data.SortDate})
	if err != nil {
		v.fail(err)
		return
	}
	v.articles = rows
	opts := make([]string, len(rows))
	for i, r := range rows {
		opts[i] = v.label(r)
	}
	v.pickA.SetOptions(opts)
	v.pickB.SetOptions(opts)
}

func (v *SideBySide) label(r data.Summary) string {
	return fmt.Sprintf("%d · %s", r.ID, joinNonEmpty(" · ", r.Outlet, r.Date.String(), displayTitle(r.Title, r.ID)))
}

func (v *SideBySide) picked() {
	var a, b int64
	for _, r := range v.articles {
		if v.label(r) == v.pickA.Selected {
			a = r.ID
		}
		if v.label(r) == v.pickB.Selected {
			b = r.ID
		}
	}
	if a != 0 && b != 0 && (a != v.leftID || b != v.rightID) {
		v.SetArticles(a, b)
	}
}

// SetArticles shows two articles and links their shared passages.
func (v *SideBySide) SetArticles(a, b int64) {
	ctx := context.Background()
	left, err := v.backend.Article(ctx, a)
	if err != nil {
		v.fail(err)
		return
	}
	right, err := v.backend.Article(ctx, b)
	if err != nil {
		v.fail(err)
		return
	}
	clusters, err := v.clusters.Clusters(ctx, 2)
	if err != nil {
		v.fail(err)
		return
	}
	v.leftID, v.rightID = a, b
	for _, r := range v.articles {
		if r.ID == a {
			v.pickA.Selected = v.label(r)
		}
		if r.ID == b {
			v.pickB.Selected = v.label(r)
		}
	}
	v.pickA.Refresh()
	v.pickB.Refresh()
	v.pairs = nil
	for _, c := range clusters {
		var l, r *data.ClusterMember
		for i := range c.Members {
			m := &c.Members[i]
			if m.ArticleID == a && l == nil {
				l = m
			} else if m.ArticleID == b && r == nil {
				r = m
			}
		}
		if l != nil && r != nil {
			v.pairs = append(v.pairs, pair{left: *l, right: *r, cluster: c})
		}
	}
	// Reading order on the left.
	for i := 1; i < len(v.pairs); i++ {
		for j := i; j > 0 && v.pairs[j].left.Start < v.pairs[j-1].left.Start; j-- {
			v.pairs[j], v.pairs[j-1] = v.pairs[j-1], v.pairs[j]
		}
	}
	var lh, rh []Highlight
	for i := range v.pairs {
		v.pairs[i].colour = pairColour(i)
		lh = append(lh, Highlight{Start: v.pairs[i].left.Start, End: v.pairs[i].left.End, Color: v.pairs[i].colour})
		rh = append(rh, Highlight{Start: v.pairs[i].right.Start, End: v.pairs[i].right.End, Color: v.pairs[i].colour})
	}
	v.left.SetText(left.Text)
	v.right.SetText(right.Text)
	v.left.SetHighlights(lh)
	v.right.SetHighlights(rh)
	v.lScroll.ScrollToTop()
	v.rScroll.ScrollToTop()
	v.list.Refresh()
}

// ShowPair scrolls both sides to the i-th linked passage and selects it.
func (v *SideBySide) ShowPair(i int) {
	if i < 0 || i >= len(v.pairs) {
		return
	}
	p := v.pairs[i]
	v.syncing = true
	v.left.Select(p.left.Start, p.left.End)
	v.right.Select(p.right.Start, p.right.End)
	v.lScroll.Offset.Y = max(0, v.left.LineTop(p.left.Start)-40)
	v.rScroll.Offset.Y = max(0, v.right.LineTop(p.right.Start)-40)
	v.lScroll.Refresh()
	v.rScroll.Refresh()
	v.syncing = false
}

// follow keeps the partner in view: the first passage at or below the top
// of the scrolled side is aligned with its partner on the other side.
func (v *SideBySide) follow(fromLeft bool, pos fyne.Position) {
	if v.syncing || len(v.pairs) == 0 {
		return
	}
	src, dst := v.left, v.right
	scroll := v.rScroll
	if !fromLeft {
		src, dst, scroll = v.right, v.left, v.lScroll
	}
	for _, p := range v.pairs {
		a, b := p.left, p.right
		if !fromLeft {
			a, b = p.right, p.left
		}
		top := src.LineTop(a.Start)
		if top >= pos.Y {
			v.syncing = true
			scroll.Offset.Y = max(0, dst.LineTop(b.Start)-(top-pos.Y))
			scroll.Refresh()
			v.syncing = false
			return
		}
	}
}

// Offsets returns both sides' scroll offsets, for tests.
func (v *SideBySide) Offsets() (float32, float32) { return v.lScroll.Offset.Y, v.rScroll.Offset.Y }

func (v *SideBySide) fail(err error) {
	if v.OnError != nil {
		v.OnError(err)
	}
}
