package views

import (
	"context"
	"fmt"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// ClusterSource is what the compare and matrix screens need from a project:
// the stored alignment. *data.Store implements it.
type ClusterSource interface {
	Clusters(ctx context.Context, minArticles int) ([]data.Cluster, error)
}

// DefaultMinArticles is how many distinct articles a cluster must span to be
// listed: a passage found in one article only has nothing to compare with.
const DefaultMinArticles = 2

// memberKey identifies a version across re-alignments, which renumber
// clusters: a pinned reference must stay selected after the app re-aligns.
type memberKey struct {
	article    int64
	start, end int
}

// Option labels of the compare screen's selects.
const (
	allStatuses = "All statuses"
	allKinds    = "All kinds"
	sortSpread  = "Most outlets first"
	sortDiverge = "Most divergent first"
)

var (
	statusOptions = []string{allStatuses, "Agree", "Diverge", "Figures differ"}
	statusValues  = []StatusFilter{"", StatusAgree, StatusDiverge, StatusFiguresDiffer}
	kindOptions   = []string{allKinds, "Quotes", "Findings", "Whole articles"}
	kindValues    = []vocab.UnitKind{"", vocab.UnitQuote, vocab.UnitFinding, vocab.UnitArticle}
	sortOptions   = []string{sortSpread, sortDiverge}
)

// Compare is the comparison screen: the clusters of a project on the left,
// filtered and sorted in memory, and the selected cluster's versions aligned
// against its reference on the right, one block per version.
type Compare struct {
	src ClusterSource

	// MinArticles is the fewest distinct articles a listed cluster spans;
	// Reload applies it.
	MinArticles int
	// OnOpenMember is called when the user asks to read a version in its
	// article.
	OnOpenMember func(m data.ClusterMember)
	// OnPinReference is called when the user makes a version the cluster's
	// reference. The app persists the pin, re-aligns and calls Reload; the
	// screen then follows the cluster to its new ID.
	OnPinReference func(c data.Cluster, m data.ClusterMember)
	// OnAnnotateMember is called to annotate one version's passage.
	OnAnnotateMember func(m data.ClusterMember)
	// OnError reports a failed load.
	OnError func(error)

	// Background runs loads off the UI goroutine; see Runner.
	Background Runner

	clusterIndex
	loads   *loader
	wantID  int64 // a cluster chosen while a load ran, to select when it lands
	shown   []int32
	filter  ClusterFilter
	syncing bool // widgets are being set from code: ignore their callbacks

	selected int // index into clusters, or -1
	selKeys  []memberKey
	members  []data.ClusterMember // the selected cluster's, reference first
	words    [][]diffWord
	heightsW float32 // width the member heights were computed for

	status, kind, outlet, sortBy *widget.Select
	speaker                      *widget.SelectEntry
	search                       *widget.Entry
	count                        *widget.Label
	list                         *widget.List

	title      *widget.Label
	badge      *tagBadge
	summary    *widget.Label
	memberList *widget.List
	empty      *widget.Label
	detail     *fyne.Container
	split      *container.Split
}

// NewCompare builds the compare screen over src. Call Reload to fill it.
func NewCompare(src ClusterSource) *Compare {
	c := &Compare{src: src, MinArticles: DefaultMinArticles, selected: -1, clusterIndex: clusterIndex{speakers: map[string]bool{}}, loads: newLoader()}

	c.search = widget.NewEntry()
	c.search.SetPlaceHolder("Search the text of quotes and findings")
	c.search.OnChanged = func(s string) { c.changeFilter(func(f *ClusterFilter) { f.Search = s }) }
	c.search.ActionItem = widget.NewButtonWithIcon("", theme.ContentClearIcon(), func() { c.search.SetText("") })
	c.status = widget.NewSelect(statusOptions, func(s string) {
		c.changeFilter(func(f *ClusterFilter) { f.Status = statusValues[max(0, slices.Index(statusOptions, s))] })
	})
	c.kind = widget.NewSelect(kindOptions, func(s string) {
		c.changeFilter(func(f *ClusterFilter) { f.Kind = kindValues[max(0, slices.Index(kindOptions, s))] })
	})
	c.sortBy = widget.NewSelect(sortOptions, func(s string) {
		c.changeFilter(func(f *ClusterFilter) { f.Sort = ClusterSort(max(0, slices.Index(sortOptions, s))) })
	})
	c.outlet = widget.NewSelect([]string{allOutlets}, func(s string) {
		if s == allOutlets {
			s = ""
		}
		c.changeFilter(func(f *ClusterFilter) { f.Outlet = s })
	})
	// A select entry rather than a select: a large project has thousands
	// of speakers, too many to pick from a menu, so typing narrows the list.
	c.speaker = widget.NewSelectEntry(nil)
	c.speaker.SetPlaceHolder("All speakers")
	c.speaker.OnChanged = func(s string) { c.changeFilter(func(f *ClusterFilter) { f.Speaker = s }) }
	c.status.Selected, c.kind.Selected, c.sortBy.Selected, c.outlet.Selected = allStatuses, allKinds, sortSpread, allOutlets

	c.list = widget.NewList(func() int { return len(c.shown) }, newClusterRow, func(i widget.ListItemID, o fyne.CanvasObject) {
		if i < len(c.shown) {
			updateClusterRow(o.(*fyne.Container), &c.infos[c.shown[i]])
		}
	})
	c.list.OnSelected = func(i widget.ListItemID) {
		if i < len(c.shown) {
			c.show(int(c.shown[i]))
		}
	}
	c.count = widget.NewLabel("")
	c.count.TextStyle.Italic = true

	filters := container.NewVBox(
		c.search,
		container.NewGridWithColumns(3, c.status, c.kind, c.sortBy),
		container.NewGridWithColumns(2, c.speaker, c.outlet),
		c.loads.bar.Content(),
	)
	left := container.NewBorder(filters, c.count, nil, nil, c.list)

	c.title = widget.NewLabel("")
	c.title.TextStyle.Bold = true
	c.title.SizeName = theme.SizeNameSubHeadingText
	c.title.Truncation = fyne.TextTruncateEllipsis
	c.badge = newTagBadge("", theme.ColorNameForeground, false, -1)
	c.summary = widget.NewLabel("")
	c.summary.Truncation = fyne.TextTruncateEllipsis
	c.memberList = widget.NewList(func() int { return len(c.members) }, c.newMemberBlock, func(i widget.ListItemID, o fyne.CanvasObject) {
		if i < len(c.members) {
			c.updateMemberBlock(i, o.(*fyne.Container))
		}
	})
	// Selecting a version means nothing here; its buttons are the actions.
	c.memberList.OnSelected = func(widget.ListItemID) { c.memberList.UnselectAll() }
	header := container.NewVBox(c.title, container.NewBorder(nil, nil, container.NewCenter(c.badge), nil, c.summary), widget.NewSeparator())
	watched := container.New(&widthWatch{onWidth: c.layoutMembers}, c.memberList)
	c.detail = container.NewBorder(header, nil, nil, nil, watched)
	c.empty = widget.NewLabel("")
	c.empty.Alignment = fyne.TextAlignCenter
	c.empty.Wrapping = fyne.TextWrapWord
	right := container.NewStack(c.detail, container.NewCenter(c.empty))

	c.split = container.NewHSplit(left, right)
	c.split.Offset = 0.42
	c.showEmpty()
	return c
}

// Content is the compare screen's canvas object.
func (c *Compare) Content() fyne.CanvasObject { return c.split }

// Split is the list/alignment divider, whose offset the app may remember.
func (c *Compare) Split() *container.Split { return c.split }

// Reload re-reads the clusters in the background, keeping the filters,
// and follows the selected cluster across a re-alignment (which renumbers
// clusters). Until the load lands the screen shows what it showed, with a
// bar to cancel the load; a newer Reload supersedes it.
func (c *Compare) Reload() {
	c.loads.loadClusters(c.Background, c.src, c.MinArticles, "Indexing", func(cs []data.Cluster) func() {
		ix := newClusterIndex(cs)
		return func() { c.loaded(ix) }
	}, &c.OnError)
}

// loaded shows a finished load.
func (c *Compare) loaded(ix clusterIndex) {
	want := c.wantID
	c.wantID = 0
	c.clusterIndex = ix
	c.syncing = true
	c.speaker.SetOptions(ix.speakerChoices)
	c.outlet.SetOptions(append([]string{allOutlets}, ix.outletChoices...))
	if c.filter.Outlet != "" && !slices.Contains(ix.outletChoices, c.filter.Outlet) {
		c.filter.Outlet = ""
		c.outlet.SetSelected(allOutlets)
	}
	c.syncing = false

	prev := c.selected
	c.selected = -1
	if prev >= 0 {
		c.selected = c.findByKeys(c.selKeys)
	}
	c.apply()
	switch {
	case c.selected >= 0:
		c.show(c.selected)
	case len(c.shown) > 0:
		c.list.Select(0)
	default:
		c.showEmpty()
	}
	if want != 0 {
		c.SelectCluster(want)
	}
}

// Filter returns the current filter and sort.
func (c *Compare) Filter() ClusterFilter { return c.filter }

// SetFilter sets every filter and the sort at once, updating the controls.
func (c *Compare) SetFilter(f ClusterFilter) {
	c.syncing = true
	c.status.SetSelected(statusOptions[max(0, slices.Index(statusValues, f.Status))])
	c.kind.SetSelected(kindOptions[max(0, slices.Index(kindValues, f.Kind))])
	c.sortBy.SetSelected(sortOptions[min(max(0, int(f.Sort)), len(sortOptions)-1)])
	if f.Outlet == "" || !slices.Contains(c.outlet.Options, f.Outlet) {
		c.outlet.SetSelected(allOutlets)
	} else {
		c.outlet.SetSelected(f.Outlet)
	}
	c.speaker.SetText(f.Speaker)
	c.search.SetText(f.Search)
	c.syncing = false
	c.filter = f
	c.apply()
}

func (c *Compare) changeFilter(edit func(*ClusterFilter)) {
	edit(&c.filter)
	if !c.syncing {
		c.apply()
	}
}

// apply re-runs the filter and sort and refreshes the list, keeping the
// selected cluster selected when it is still listed.
func (c *Compare) apply() {
	c.shown = filterClusters(c.infos, c.speakers, c.filter, c.shown)
	c.count.SetText(fmt.Sprintf("%d of %s", len(c.shown), plural(len(c.clusters), "cluster", "clusters")))
	c.list.UnselectAll()
	c.list.Refresh()
	if row := c.rowOf(c.selected); row >= 0 {
		c.selectRowQuietly(row)
	} else {
		c.list.ScrollToTop()
	}
}

// selectRowQuietly marks a row selected without re-showing its cluster.
func (c *Compare) selectRowQuietly(row int) {
	h := c.list.OnSelected
	c.list.OnSelected = nil
	c.list.Select(row)
	c.list.OnSelected = h
}

func (c *Compare) rowOf(idx int) int {
	if idx < 0 {
		return -1
	}
	return slices.Index(c.shown, int32(idx))
}

// Len is the number of clusters listed.
func (c *Compare) Len() int { return len(c.shown) }

// ClusterIDs returns the listed clusters' IDs in list order.
func (c *Compare) ClusterIDs() []int64 {
	out := make([]int64, len(c.shown))
	for i, k := range c.shown {
		out[i] = c.clusters[k].ID
	}
	return out
}

// Selected returns the cluster shown on the right.
func (c *Compare) Selected() (data.Cluster, bool) {
	if c.selected < 0 {
		return data.Cluster{}, false
	}
	return c.clusters[c.selected], true
}

// Members returns the selected cluster's versions in the order shown: the
// reference first.
func (c *Compare) Members() []data.ClusterMember { return c.members }

// SelectRow selects the i-th listed cluster as a click would.
func (c *Compare) SelectRow(i int) { c.list.Select(i) }

// SelectCluster shows the cluster with this ID, clearing the filters when
// they hide it. An ID not listed is chosen when the load under way lands,
// and otherwise ignored.
func (c *Compare) SelectCluster(id int64) {
	idx := slices.IndexFunc(c.clusters, func(cl data.Cluster) bool { return cl.ID == id })
	if idx < 0 {
		if c.loads.running() {
			c.wantID = id
		}
		return
	}
	if c.rowOf(idx) < 0 {
		c.SetFilter(ClusterFilter{Sort: c.filter.Sort})
	}
	if row := c.rowOf(idx); row >= 0 {
		c.selectRowQuietly(row)
	}
	c.show(idx)
}

func (c *Compare) findByKeys(keys []memberKey) int {
	if len(keys) == 0 {
		return -1
	}
	// The first key is the old reference; a pin makes another version the
	// reference but keeps the same versions together, so any key will do.
	for _, k := range keys {
		for i := range c.clusters {
			for _, m := range c.clusters[i].Members {
				if (memberKey{m.ArticleID, m.Start, m.End}) == k {
					return i
				}
			}
		}
	}
	return -1
}

func (c *Compare) showEmpty() {
	c.selected, c.selKeys, c.members, c.words = -1, nil, nil, nil
	c.detail.Hide()
	if len(c.clusters) == 0 {
		c.empty.SetText("No clusters yet.\nRun the analysis to align quotes and findings across outlets.")
	} else {
		c.empty.SetText("Select a cluster to see its versions side by side.")
	}
	c.empty.Show()
}

// show fills the right pane with cluster idx.
func (c *Compare) show(idx int) {
	cl := &c.clusters[idx]
	in := &c.infos[idx]
	c.selected = idx
	c.wantID = 0 // a choice made since overrides one waiting for a load
	// fresh slices: Members' result and the blocks' callbacks may outlive
	// this selection
	c.members = make([]data.ClusterMember, 0, len(cl.Members))
	c.members = append(c.members, cl.Members[in.ref])
	for i, m := range cl.Members {
		if i != in.ref {
			c.members = append(c.members, m)
		}
	}
	c.selKeys = make([]memberKey, 0, len(c.members))
	c.words = make([][]diffWord, 0, len(c.members))
	// The project stores relations, not diffs: each version is diffed
	// against the reference when its cluster is shown.
	diffs := map[string][]data.DiffOp{}
	for i, m := range c.members {
		if i > 0 && m.Diff == nil {
			d, ok := diffs[m.Text]
			if !ok {
				d = diffing.WordDiff(c.members[0].Text, m.Text)
				diffs[m.Text] = d
			}
			c.members[i].Diff = d
			m.Diff = d
		}
		c.selKeys = append(c.selKeys, memberKey{m.ArticleID, m.Start, m.End})
		c.words = append(c.words, diffWords(m.Diff, m.Text))
	}

	title := cl.Speaker
	if title == "" {
		title = "Unattributed"
	}
	whole := ""
	if cl.Kind == vocab.UnitArticle {
		// Sentence by sentence a copy agrees with its original anyway; this
		// cluster is where the article as a whole is compared.
		title = "Whole article: syndicated copy"
		if cl.Status == vocab.StatusAgree {
			whole = "verbatim as a whole"
		} else {
			whole = "nearly the same text"
		}
	}
	c.title.SetText(title)
	label, col, solid, rel := clusterStatus(in.figures, cl.Status)
	c.badge.set(label, col, solid, rel)
	c.summary.SetText(joinNonEmpty(" · ", string(cl.Kind), plural(len(in.outlets), "outlet", "outlets"),
		plural(cl.Articles, "article", "articles"), plural(len(cl.Members), "version", "versions"), whole))
	c.empty.Hide()
	c.detail.Show()
	c.heightsW = 0
	c.layoutMembers(c.memberList.Size().Width)
	c.memberList.Refresh()
	c.memberList.ScrollToTop()
}
