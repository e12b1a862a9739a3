package views

import (
	"cmp"
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
// the stored alignment, read a row per cluster and paged in from there.
// *data.Store implements it.
type ClusterSource interface {
	// ClusterRows lists the clusters, without their members' text.
	ClusterRows(ctx context.Context, minArticles int) (data.ClusterList, error)
	// EachClusterSearchText streams the folded text a search looks
	// through, in ID order.
	EachClusterSearchText(ctx context.Context, minArticles int, fn func(id int64, folded string) error) error
	// ClusterReferences reads the reference texts of the rows drawn.
	ClusterReferences(ctx context.Context, ids []int64) ([]string, error)
	// Cluster reads the selected cluster with its members.
	Cluster(ctx context.Context, id int64) (data.Cluster, error)
	// ClustersHolding finds the clusters a passage is a member of.
	ClustersHolding(ctx context.Context, articleID int64, start, end int) ([]int64, error)
}

// DefaultMinArticles is how many distinct articles a cluster must span to be
// listed: a passage found in one article only has nothing to compare with.
const DefaultMinArticles = 2

// memberKey identifies a version across re-alignments: a cluster keeps
// its ID when most of its versions stay together, and otherwise the screen
// follows its versions to their new cluster.
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
// against its reference on the right, one block per version. It loads one
// row per cluster and then the text to search; the rows' texts are read as
// they are drawn, and a cluster's versions (and their diffs) when it is
// selected.
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
	texts   *textPager // the rows' reference texts
	loads   *loader
	wantID  int64 // a cluster chosen while a load ran, to select when it lands
	shown   []int32
	filter  ClusterFilter
	syncing bool // widgets are being set from code: ignore their callbacks
	listRow int  // the row the list shows selected, or -1

	selected int          // index into rows, or -1
	current  data.Cluster // the selected cluster, with its members
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
	statement  *statementPanel
	memberList *widget.List
	empty      *widget.Label
	detail     *fyne.Container
	split      *container.Split
}

// NewCompare builds the compare screen over src. Call Reload to fill it.
func NewCompare(src ClusterSource) *Compare {
	c := &Compare{src: src, MinArticles: DefaultMinArticles, selected: -1, listRow: -1, clusterIndex: clusterIndex{speakers: map[string]bool{}}, loads: newLoader()}
	c.texts = newTextPager(src, nil, &c.OnError)

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
			k := c.shown[i]
			text := c.texts.text(int(k), around(len(c.shown), i, func(j int) int { return int(c.shown[j]) }))
			updateClusterRow(o.(*fyne.Container), &c.rows[k], &c.infos[k], text)
		}
	})
	c.list.OnSelected = func(i widget.ListItemID) {
		c.listRow = i
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
	c.statement = newStatementPanel(func(id int64) { c.SelectCluster(id) }, func() {
		if c.detail != nil {
			c.detail.Refresh()
		}
	})
	header := container.NewVBox(c.title, container.NewBorder(nil, nil, container.NewCenter(c.badge), nil, c.summary), c.statement.box, widget.NewSeparator())
	watched := container.New(&widthWatch{onWidth: c.layoutMembers}, c.memberList)
	c.detail = container.NewBorder(header, nil, nil, nil, watched)
	c.empty = widget.NewLabel("")
	c.empty.Alignment = fyne.TextAlignCenter
	c.empty.Wrapping = fyne.TextWrapWord
	right := container.NewStack(c.detail, centredMessage(c.empty))

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
// and follows the selected cluster across a re-alignment. Until the rows
// land the screen shows what it showed, with a bar to cancel the load; a
// newer Reload supersedes it. The text to search follows the rows.
func (c *Compare) Reload() {
	follow := c.followed()
	minArticles := c.MinArticles
	c.loads.loadClusters(c.Background, c.src, minArticles, "Indexing", func(ctx context.Context, list data.ClusterList) (func(), func(context.Context, func(string)) (func(), error), error) {
		ix := newClusterIndex(list)
		rows := list.Rows
		sel, err := follow.find(ctx, c.src, ix.rows)
		if err != nil {
			return nil, nil, err
		}
		more := func(ctx context.Context, busy func(string)) (func(), error) {
			busy("Loading the text to search…")
			sb := newSearchBuilder(rows)
			err := c.src.EachClusterSearchText(ctx, minArticles, func(id int64, folded string) error {
				sb.add(id, folded)
				return nil
			})
			if err != nil {
				return nil, err
			}
			si := sb.done()
			return func() { c.searchLoaded(si) }, nil
		}
		return func() { c.loaded(ix, sel) }, more, nil
	}, &c.OnError)
}

// followed is the selection a load is to keep: the selected cluster's
// versions, the reference first. A cluster keeps its ID across a
// re-alignment only while most of its versions stay together, and a gone
// cluster's ID may be given to another, so the versions are what is
// followed.
type followed []memberKey

func (c *Compare) followed() followed {
	if c.selected < 0 {
		return nil
	}
	return slices.Clone(c.selKeys)
}

// find returns the ID of the cluster among rows (in ID order) holding the
// first of the versions that is still in one; 0 for none.
func (f followed) find(ctx context.Context, src ClusterSource, rows []data.ClusterRow) (int64, error) {
	for _, k := range f {
		ids, err := src.ClustersHolding(ctx, k.article, k.start, k.end)
		if err != nil {
			return 0, err
		}
		for _, id := range ids {
			if rowIndex(rows, id) >= 0 {
				return id, nil
			}
		}
	}
	return 0, nil
}

// rowIndex finds the row of cluster id in rows, which are in ID order.
func rowIndex(rows []data.ClusterRow, id int64) int {
	i, ok := slices.BinarySearchFunc(rows, id, func(r data.ClusterRow, id int64) int { return cmp.Compare(r.ID, id) })
	if !ok {
		return -1
	}
	return i
}

// loaded shows a load's rows, selecting the cluster follow (0 for none).
func (c *Compare) loaded(ix clusterIndex, follow int64) {
	want := c.wantID
	c.wantID = 0
	c.clusterIndex = ix
	ids := make([]int64, len(ix.rows))
	for i, r := range ix.rows {
		ids[i] = r.ID
	}
	c.texts = newTextPager(c.src, ids, &c.OnError)
	c.syncing = true
	c.speaker.SetOptions(ix.speakerChoices)
	c.outlet.SetOptions(append([]string{allOutlets}, ix.outletChoices...))
	if c.filter.Outlet != "" && !slices.Contains(ix.outletChoices, c.filter.Outlet) {
		c.filter.Outlet = ""
		c.outlet.SetSelected(allOutlets)
	}
	c.syncing = false

	c.selected = -1
	if follow != 0 {
		c.selected = rowIndex(ix.rows, follow)
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

// searchLoaded makes the load's text searchable, and runs a search typed
// while it loaded.
func (c *Compare) searchLoaded(si *searchIndex) {
	c.haystack = si
	if c.filter.searching() {
		c.apply()
		if c.selected < 0 && len(c.shown) > 0 {
			c.list.Select(0)
		}
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
	c.shown = c.filtered(c.filter, c.shown)
	count := fmt.Sprintf("%d of %s", len(c.shown), plural(len(c.rows), "cluster", "clusters"))
	if c.filter.searching() && c.haystack == nil && len(c.rows) > 0 {
		count = "Searching once the text is loaded…"
	}
	c.count.SetText(count)
	// The list is refreshed once: selecting or unselecting a row refreshes
	// it too, and every refresh lays out each visible row's text again,
	// which costs more than filtering half a million rows.
	switch row := c.rowOf(c.selected); {
	case row >= 0 && row != c.listRow:
		c.selectRowQuietly(row)
	case row < 0 && c.listRow >= 0:
		c.listRow = -1
		c.list.UnselectAll()
		c.list.ScrollToTop()
	default:
		c.list.Refresh()
		if row < 0 {
			c.list.ScrollToTop()
		}
	}
}

// selectRowQuietly marks a row selected without re-showing its cluster.
func (c *Compare) selectRowQuietly(row int) {
	h := c.list.OnSelected
	c.list.OnSelected = nil
	c.listRow = row
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
		out[i] = c.rows[k].ID
	}
	return out
}

// ListedVersions counts the versions of the clusters listed.
func (c *Compare) ListedVersions() int {
	n := 0
	for _, k := range c.shown {
		n += len(c.rows[k].Versions)
	}
	return n
}

// Selected returns the cluster shown on the right, with its members.
func (c *Compare) Selected() (data.Cluster, bool) {
	if c.selected < 0 {
		return data.Cluster{}, false
	}
	return c.current, true
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
	idx := rowIndex(c.rows, id)
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

func (c *Compare) showEmpty() {
	c.selected, c.current, c.selKeys, c.members, c.words = -1, data.Cluster{}, nil, nil, nil
	c.detail.Hide()
	if len(c.rows) == 0 {
		c.empty.SetText("No clusters yet.\nRun the analysis to align quotes and findings across outlets.")
	} else {
		c.empty.SetText("Select a cluster to see its versions side by side.")
	}
	c.empty.Show()
}

// showStatement shows the statement a quotation's sentence belongs to,
// when the source can read it; a cluster that is no such sentence, or a
// statement that cannot be read, hides the panel (the sentence's own
// versions are what the pane is for: a failure here is no error).
func (c *Compare) showStatement(cl data.Cluster) {
	ss, ok := c.src.(StatementSource)
	if !ok || cl.Kind != vocab.UnitQuote {
		c.statement.show(cl.ID, data.Statement{}, false)
		return
	}
	st, err := ss.Statement(context.Background(), cl.ID)
	c.statement.show(cl.ID, st, err == nil)
}

// show fills the right pane with cluster idx, reading its versions: the
// rows hold none of their text.
func (c *Compare) show(idx int) {
	c.wantID = 0 // a choice made since overrides one waiting for a load
	cl, err := c.src.Cluster(context.Background(), c.rows[idx].ID)
	if err != nil {
		c.showEmpty()
		if c.OnError != nil {
			c.OnError(err)
		}
		return
	}
	in := &c.infos[idx]
	c.selected, c.current = idx, cl
	ref := max(0, slices.IndexFunc(cl.Members, func(m data.ClusterMember) bool { return m.Reference }))
	// fresh slices: Members' result and the blocks' callbacks may outlive
	// this selection
	c.members = make([]data.ClusterMember, 0, len(cl.Members))
	if len(cl.Members) > 0 {
		c.members = append(c.members, cl.Members[ref])
	}
	for i, m := range cl.Members {
		if i != ref {
			c.members = append(c.members, m)
		}
	}
	c.selKeys = make([]memberKey, 0, len(c.members))
	c.words = make([][]diffWord, 0, len(c.members))
	// The project stores relations, not diffs: each version is diffed
	// against the reference when its cluster is shown.
	diffs := map[string][]data.DiffOp{}
	var diff func(string) []data.DiffOp
	for i, m := range c.members {
		if i > 0 && m.Diff == nil {
			d, ok := diffs[m.Text]
			if !ok {
				if diff == nil {
					diff = diffing.WordDiffFrom(c.members[0].Text)
				}
				d = diff(m.Text)
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
	c.summary.SetText(joinNonEmpty(" · ", string(cl.Kind), plural(int(in.spread), "outlet", "outlets"),
		plural(cl.Articles, "article", "articles"), plural(len(cl.Members), "version", "versions"), whole))
	c.showStatement(cl)
	c.empty.Hide()
	c.detail.Show()
	c.heightsW = 0
	c.layoutMembers(c.memberList.Size().Width)
	c.memberList.Refresh()
	c.memberList.ScrollToTop()
}
