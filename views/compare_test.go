package views

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// The fixture's outlets and clusters. Clusters are hand-made, not produced
// by the analyser, so these tests do not move when its heuristics do.
const (
	bbc      = "BBC News"
	itv      = "ITV News"
	ta       = "Telegraph & Argus"
	guardian = "The Guardian"
	yp       = "Yorkshire Post"
)

type clusterFixture struct {
	store    *data.Store
	clusters []data.Cluster   // as stored, with the members' places in their articles
	art      map[string]int64 // outlet → article ID
	ids      map[string]int64 // cluster name (A…F) → cluster ID
}

func eq(s string) data.DiffOp  { return data.DiffOp{Op: "equal", Text: s} }
func ins(s string) data.DiffOp { return data.DiffOp{Op: "insert", Text: s} }
func del(s string) data.DiffOp { return data.DiffOp{Op: "delete", Text: s} }

// fixtureClusters covers every relation:
//
//	A agree   quote   Ofsted             BBC ref, ITV verbatim, Guardian normalized
//	B diverge quote   Susan Hinchcliffe  T&A ref, BBC fragment, ITV extended, Guardian elided
//	C diverge quote   Marium Haque       BBC ref, ITV inserted, T&A reworded, YP indirect, Guardian fragment
//	D diverge finding (none)             T&A ref, BBC figures-differ
//	E diverge quote   Ofsted             Guardian ref, YP verbatim+misattributed
//	F agree   quote   Ofsted             one article only: below MinArticles
func fixtureClusters(art map[string]int64) []data.Cluster {
	mem := func(outlet string, start int, text string, rels []vocab.Relation, diff ...data.DiffOp) data.ClusterMember {
		return data.ClusterMember{ArticleID: art[outlet], Kind: "quote", Start: start, End: start + len([]rune(text)),
			Text: text, Relations: rels, Diff: diff}
	}
	ref := func(outlet string, start int, text string) data.ClusterMember {
		m := mem(outlet, start, text, nil)
		m.Reference = true
		return m
	}
	rel := func(r ...vocab.Relation) []vocab.Relation { return r }

	a := "There are widespread and serious failures across all service areas."
	b := "We are deeply sorry that children have been let down and we will put this right."
	c := "Services for children in Bradford remain inadequate and we are working hard to improve them."
	d := "A monitoring visit found 1,365 children waiting for an assessment."
	e := "Leaders have been too slow to act."

	misattributed := mem(yp, 300, e, rel("verbatim", "misattributed"), eq(e))
	misattributed.Speaker = "the council"
	finding := func(m data.ClusterMember) data.ClusterMember { m.Kind = "finding"; return m }
	return []data.Cluster{
		{Kind: "quote", Status: "agree", Speaker: "Ofsted", Articles: 3, Members: []data.ClusterMember{
			ref(bbc, 10, a),
			mem(itv, 20, a, rel("verbatim"), eq(a)),
			mem(guardian, 30, strings.ToLower(a[:1])+a[1:], rel("normalized"), eq(strings.ToLower(a[:1])+a[1:])),
		}},
		{Kind: "quote", Status: "diverge", Speaker: "Susan Hinchcliffe", Articles: 4, Members: []data.ClusterMember{
			mem(bbc, 100, "children have been let down", rel("fragment"),
				del("We are deeply sorry that "), eq("children have been let down"), del(" and we will put this right.")),
			ref(ta, 110, b),
			mem(itv, 120, "We are deeply sorry that children have been let down and we will put this right, and we have already started.", rel("extended"),
				eq("We are deeply sorry that children have been let down and we will put this right"), ins(", and we have already started"), eq(".")),
			mem(guardian, 130, "We are deeply sorry and we will put this right.", rel("elided"),
				eq("We are deeply sorry"), del(" that children have been let down"), eq(" and we will put this right.")),
		}},
		{Kind: "quote", Status: "diverge", Speaker: "Marium Haque", Articles: 5, Members: []data.ClusterMember{
			ref(bbc, 200, c),
			mem(itv, 210, "Services for children in Bradford sadly remain inadequate and we are working hard to improve them.", rel("inserted"),
				eq("Services for children in Bradford"), ins(" sadly"), eq(" remain inadequate and we are working hard to improve them.")),
			mem(ta, 220, "Services for children in Bradford are still not good enough and we are working hard to improve them.", rel("reworded"),
				eq("Services for children in Bradford"), del(" remain inadequate"), ins(" are still not good enough"), eq(" and we are working hard to improve them.")),
			mem(yp, 230, "Ms Haque said services for children in Bradford remained inadequate but the trust was working hard to improve them.", rel("indirect"),
				ins("Ms Haque said "), eq("services for children in Bradford"), del(" remain"), ins(" remained"), eq(" inadequate"),
				del(" and we are"), ins(" but the trust was"), eq(" working hard to improve them.")),
			mem(guardian, 240, "we are working hard to improve them", rel("fragment"),
				del("Services for children in Bradford remain inadequate and "), eq("we are working hard to improve them"), del(".")),
		}},
		{Kind: "finding", Status: "diverge", Articles: 2, Members: []data.ClusterMember{
			finding(ref(ta, 40, d)),
			finding(mem(bbc, 50, "A monitoring visit found 1,400 children waiting for an assessment.", rel("figures-differ"),
				eq("A monitoring visit found"), del(" 1,365"), ins(" 1,400"), eq(" children waiting for an assessment."))),
		}},
		{Kind: "quote", Status: "diverge", Speaker: "Ofsted", Articles: 2, Members: []data.ClusterMember{
			ref(guardian, 310, e),
			misattributed,
		}},
		{Kind: "quote", Status: "agree", Speaker: "Ofsted", Articles: 1, Members: []data.ClusterMember{
			ref(bbc, 400, "Leaders must act now."),
			mem(bbc, 500, "Leaders must act now.", rel("verbatim"), eq("Leaders must act now.")),
		}},
	}
}

func newClusterFixture(t testing.TB) *clusterFixture {
	t.Helper()
	s, err := data.Open(t.TempDir() + "/p.parallax")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	f := &clusterFixture{store: s, art: map[string]int64{}, ids: map[string]int64{}}
	outlets := []string{bbc, itv, ta, guardian, yp}
	for i, o := range outlets {
		f.art[o] = int64(i + 1) // the IDs a new project gives them
	}
	cs := fixtureClusters(f.art)
	// The project reads a member's text from its article, so each
	// outlet's article is made of its members' texts, in the order of
	// their fixture offsets, and the members point at where they landed.
	var arts []data.Article
	for _, o := range outlets {
		var ms []*data.ClusterMember
		for ci := range cs {
			for mi := range cs[ci].Members {
				if m := &cs[ci].Members[mi]; m.ArticleID == f.art[o] {
					ms = append(ms, m)
				}
			}
		}
		slices.SortStableFunc(ms, func(a, b *data.ClusterMember) int { return a.Start - b.Start })
		text := "Bradford children's services, as reported by " + o + "."
		for _, m := range ms {
			text += "\n\n"
			m.Start = len([]rune(text))
			text += m.Text
			m.End = m.Start + len([]rune(m.Text))
		}
		arts = append(arts, data.Article{Meta: data.Meta{Outlet: o, Date: data.MustParseDate("2023-01-31"), Title: o + " report"}, Text: text})
	}
	res, err := s.AddArticles(context.Background(), arts, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if r.ID != f.art[outlets[i]] {
			t.Fatalf("article %d got ID %d, want %d", i, r.ID, f.art[outlets[i]])
		}
	}
	f.clusters = cs
	f.replace(t, cs)
	return f
}

// replace stores clusters and records their new IDs by position (A, B, …).
func (f *clusterFixture) replace(t testing.TB, cs []data.Cluster) {
	t.Helper()
	ctx := context.Background()
	if err := f.store.ReplaceClusters(ctx, cs); err != nil {
		t.Fatal(err)
	}
	stored, err := f.store.Clusters(ctx, 0)
	if err != nil || len(stored) != len(cs) {
		t.Fatalf("stored %d clusters, err %v", len(stored), err)
	}
	for i, c := range stored {
		f.ids[string(rune('A'+i))] = c.ID
	}
}

func (f *clusterFixture) names(ids []int64) []string {
	var out []string
	for _, id := range ids {
		for n, v := range f.ids {
			if v == id {
				out = append(out, n)
			}
		}
	}
	return out
}

func TestFixtureDiffsRebuildMembers(t *testing.T) {
	for _, c := range fixtureClusters(map[string]int64{}) {
		for _, m := range c.Members {
			if len(m.Diff) == 0 {
				continue
			}
			var b strings.Builder
			for _, op := range m.Diff {
				if op.Op != "delete" {
					b.WriteString(op.Text)
				}
			}
			if b.String() != m.Text {
				t.Errorf("diff rebuilds %q, want %q", b.String(), m.Text)
			}
		}
	}
}

func newCompareAt(t *testing.T, f *clusterFixture, size fyne.Size) (*Compare, fyne.Window) {
	t.Helper()
	return newCompareOver(t, f.store, size)
}

// newCompareOver builds the compare screen over src in a window of size,
// and loads it.
func newCompareOver(t *testing.T, src ClusterSource, size fyne.Size) (*Compare, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	c := NewCompare(src)
	c.OnError = func(err error) { t.Errorf("compare: %v", err) }
	w.SetContent(c.Content())
	w.Resize(size)
	reloadWait(c.Reload, &c.Background)
	return c, w
}

func TestCompareFilterAndSort(t *testing.T) {
	f := newClusterFixture(t)
	c, _ := newCompareAt(t, f, fyne.NewSize(1200, 700))
	for _, tc := range filterCases(f.art) {
		c.SetFilter(tc.filter)
		if got := strings.Join(f.names(c.ClusterIDs()), ""); got != tc.want {
			t.Errorf("%s: listed %q, want %q", tc.name, got, tc.want)
		}
		if got := c.Filter(); !reflect.DeepEqual(got, tc.filter) {
			t.Errorf("%s: Filter() = %+v", tc.name, got)
		}
	}

	// The controls drive the same filter.
	c.SetFilter(ClusterFilter{})
	c.status.SetSelected("Figures differ")
	if got := strings.Join(f.names(c.ClusterIDs()), ""); got != "D" {
		t.Errorf("status select: listed %q", got)
	}
	if c.count.Text != "1 of 5 clusters" {
		t.Errorf("count label %q", c.count.Text)
	}
	c.status.SetSelected(allStatuses)
	c.sortBy.SetSelected(sortDiverge)
	c.outlet.SetSelected(guardian)
	test.Type(c.search, "work")
	if got := strings.Join(f.names(c.ClusterIDs()), ""); got != "C" {
		t.Errorf("controls: listed %q, filter %+v", got, c.Filter())
	}
	c.speaker.SetText("Susan")
	if c.Len() != 0 || c.count.Text != "0 of 5 clusters" {
		t.Errorf("speaker entry: %d listed, count %q", c.Len(), c.count.Text)
	}
	// the option lists come from the clusters
	if !slices.Equal(c.outlet.Options, []string{allOutlets, bbc, itv, ta, guardian, yp}) {
		t.Errorf("outlet options %v", c.outlet.Options)
	}
}

// blockBadges maps each visible version block's outlet to its badge texts.
func blockBadges(c *Compare) map[string][]string {
	out := map[string][]string{}
	for _, box := range findAll[*fyne.Container](c.memberList) {
		if _, ok := box.Layout.(*memberLayout); !ok || !box.Visible() {
			continue
		}
		outlet := box.Objects[mbOutlet].(*widget.Label).Text
		var texts []string
		for _, b := range box.Objects[mbBadges].(*fyne.Container).Objects {
			texts = append(texts, b.(*tagBadge).text)
		}
		out[outlet] = texts
	}
	return out
}

func TestCompareShowsMembers(t *testing.T) {
	f := newClusterFixture(t)
	c, _ := newCompareAt(t, f, fyne.NewSize(1200, 900))
	if cl, ok := c.Selected(); !ok || cl.ID != f.ids["C"] {
		t.Fatalf("reload selected %v, want the first listed (C)", cl.ID)
	}
	want := map[string]map[string][]string{
		"B": {ta: {"reference"}, bbc: {"fragment"}, itv: {"extended"}, guardian: {"elided"}},
		"C": {bbc: {"reference"}, itv: {"inserted"}, ta: {"reworded"}, yp: {"indirect"}, guardian: {"fragment"}},
		"D": {ta: {"reference"}, bbc: {"figures differ"}},
		"E": {guardian: {"reference"}, yp: {"verbatim", "misattributed"}},
	}
	for name, badges := range want {
		c.SelectCluster(f.ids[name])
		cl, _ := c.Selected()
		if cl.ID != f.ids[name] {
			t.Fatalf("SelectCluster(%s) shows %d", name, cl.ID)
		}
		if ms := c.Members(); !ms[0].Reference || len(ms) != len(badges) {
			t.Errorf("%s: members %d, first is reference: %v", name, len(ms), ms[0].Reference)
		}
		if got := blockBadges(c); fmt.Sprint(got) != fmt.Sprint(badges) {
			t.Errorf("%s: badges %v, want %v", name, got, badges)
		}
	}
	c.SelectCluster(f.ids["D"])
	if c.badge.text != "figures differ" || !c.badge.solid || c.title.Text != "Unattributed" {
		t.Errorf("D header: badge %q solid %v, title %q", c.badge.text, c.badge.solid, c.title.Text)
	}
	c.SelectCluster(f.ids["E"])
	for _, box := range findAll[*fyne.Container](c.memberList) {
		if _, ok := box.Layout.(*memberLayout); ok && box.Objects[mbOutlet].(*widget.Label).Text == yp {
			if meta := box.Objects[mbMeta].(*widget.Label).Text; !strings.Contains(meta, "attributed to the council") {
				t.Errorf("misattributed version's meta %q", meta)
			}
		}
	}

	// A filtered-out cluster is still reachable: the filters are cleared.
	c.SetFilter(ClusterFilter{Status: StatusAgree})
	c.SelectCluster(f.ids["D"])
	if cl, _ := c.Selected(); cl.ID != f.ids["D"] || c.Filter().Status != "" || c.Len() != 5 {
		t.Errorf("after SelectCluster of a hidden cluster: shows %d, filter %+v", cl.ID, c.Filter())
	}
}

func TestCompareButtons(t *testing.T) {
	f := newClusterFixture(t)
	c, _ := newCompareAt(t, f, fyne.NewSize(1200, 900))
	var opened []data.ClusterMember
	var pinned []data.ClusterMember
	var pinnedIn []int64
	c.OnOpenMember = func(m data.ClusterMember) { opened = append(opened, m) }
	c.OnPinReference = func(cl data.Cluster, m data.ClusterMember) {
		pinned = append(pinned, m)
		pinnedIn = append(pinnedIn, cl.ID)
	}
	c.SelectCluster(f.ids["C"])

	blocks := map[string]*fyne.Container{}
	for _, box := range findAll[*fyne.Container](c.memberList) {
		if _, ok := box.Layout.(*memberLayout); ok && box.Visible() {
			blocks[box.Objects[mbOutlet].(*widget.Label).Text] = box
		}
	}
	if len(blocks) != 5 {
		t.Fatalf("%d blocks visible", len(blocks))
	}
	test.Tap(blocks[ta].Objects[mbOpen].(*widget.Button))
	if want := f.clusters[2].Members[2]; len(opened) != 1 || opened[0].ArticleID != f.art[ta] || opened[0].Start != want.Start || opened[0].Text != want.Text {
		t.Errorf("open in reader gave %+v", opened)
	}
	refPin := blocks[bbc].Objects[mbPin].(*widget.Button)
	if !refPin.Disabled() {
		t.Error("the reference's pin button is enabled")
	}
	test.Tap(refPin)
	test.Tap(blocks[itv].Objects[mbPin].(*widget.Button))
	if len(pinned) != 1 || pinned[0].ArticleID != f.art[itv] || pinnedIn[0] != f.ids["C"] {
		t.Fatalf("pin gave %+v in %v", pinned, pinnedIn)
	}

	// The app re-aligns with ITV as reference: clusters are renumbered and
	// reordered; the screen follows the cluster.
	cs := fixtureClusters(f.art)
	for i, m := range cs[2].Members {
		cs[2].Members[i].Reference = m.ArticleID == f.art[itv]
		switch m.ArticleID {
		case f.art[itv]:
			cs[2].Members[i].Relations = nil
		case f.art[bbc]:
			cs[2].Members[i].Relations = []vocab.Relation{"elided"}
		}
	}
	slices.Reverse(cs)
	f.replace(t, cs)
	reloadWait(c.Reload, &c.Background)
	cl, ok := c.Selected()
	if !ok || cl.Speaker != "Marium Haque" {
		t.Fatalf("after re-alignment shows %+v", cl)
	}
	if c.Members()[0].ArticleID != f.art[itv] {
		t.Errorf("new reference first: got article %d", c.Members()[0].ArticleID)
	}
	if got := blockBadges(c); !slices.Equal(got[itv], []string{"reference"}) || !slices.Equal(got[bbc], []string{"elided"}) {
		t.Errorf("badges after pin %v", got)
	}
}

func TestCompareEmpty(t *testing.T) {
	test.NewTempApp(t)
	c := NewCompare(testStore(t))
	w := test.NewTempWindow(t, c.Content())
	w.Resize(fyne.NewSize(900, 500))
	reloadWait(c.Reload, &c.Background)
	if _, ok := c.Selected(); ok || c.Len() != 0 || !c.empty.Visible() || !strings.Contains(c.empty.Text, "No clusters yet") {
		t.Errorf("empty project: %d listed, placeholder %q", c.Len(), c.empty.Text)
	}
}

func TestCompareGolden(t *testing.T) {
	for _, dark := range []bool{false, true} {
		name := map[bool]string{false: "compare_light.png", true: "compare_dark.png"}[dark]
		t.Run(name, func(t *testing.T) {
			f := newClusterFixture(t)
			test.NewTempApp(t).Settings().SetTheme(FixedTheme(dark))
			w := test.NewTempWindow(t, nil)
			c := NewCompare(f.store)
			w.SetContent(c.Content())
			w.Resize(fyne.NewSize(1200, 700))
			reloadWait(c.Reload, &c.Background)
			c.SelectCluster(f.ids["C"])
			w.Content().Refresh()
			test.AssertImageMatches(t, name, w.Canvas().Capture())
		})
	}
}

// pagingSource records what a screen reads beyond the rows, and can hold
// back the text to search until the test lets it through.
type pagingSource struct {
	ClusterSource
	mu         sync.Mutex
	clusters   []int64 // the clusters read with their members
	references []int64 // the clusters whose reference texts were read
	// With searchGate set, a read of the search text says so on
	// searchReached and waits for the gate to close.
	searchReached, searchGate chan struct{}
}

func (p *pagingSource) Cluster(ctx context.Context, id int64) (data.Cluster, error) {
	p.mu.Lock()
	p.clusters = append(p.clusters, id)
	p.mu.Unlock()
	return p.ClusterSource.Cluster(ctx, id)
}

func (p *pagingSource) ClusterReferences(ctx context.Context, ids []int64) ([]string, error) {
	p.mu.Lock()
	p.references = append(p.references, ids...)
	p.mu.Unlock()
	return p.ClusterSource.ClusterReferences(ctx, ids)
}

func (p *pagingSource) EachClusterSearchText(ctx context.Context, minArticles int, fn func(int64, string) error) error {
	if p.searchGate != nil {
		p.searchReached <- struct{}{}
		<-p.searchGate
	}
	return p.ClusterSource.EachClusterSearchText(ctx, minArticles, fn)
}

// TestComparePagesIn: opening the screen reads the rows and no cluster's
// versions but the one it selects; each row's text is read once, when it
// is drawn; selecting a cluster reads its versions.
func TestComparePagesIn(t *testing.T) {
	f := newClusterFixture(t)
	src := &pagingSource{ClusterSource: f.store}
	c, _ := newCompareOver(t, src, fyne.NewSize(1200, 700))

	if !slices.Equal(src.clusters, []int64{f.ids["C"]}) {
		t.Errorf("opening read the versions of clusters %v, want only the one selected (C, %d)", src.clusters, f.ids["C"])
	}
	listed := c.ClusterIDs()
	read := slices.Sorted(slices.Values(src.references))
	if len(read) == 0 || len(slices.Compact(slices.Clone(read))) != len(read) {
		t.Errorf("reference texts read %v: want each drawn row's once", src.references)
	}
	for _, id := range read {
		if !slices.Contains(listed, id) {
			t.Errorf("read the text of cluster %d, which is not listed", id)
		}
	}
	rowTexts := map[string]bool{}
	for _, l := range findAll[*widget.Label](c.list) {
		rowTexts[l.Text] = true
	}
	if !rowTexts["“We are deeply sorry that children have been let down and we will put this right.”"] {
		t.Errorf("B's row does not show its reference: %v", rowTexts)
	}

	c.SelectCluster(f.ids["B"])
	if !slices.Equal(src.clusters, []int64{f.ids["C"], f.ids["B"]}) {
		t.Errorf("selecting B read the versions of %v", src.clusters)
	}
	cl, _ := c.Selected()
	want := f.clusters[1]
	if cl.ID != f.ids["B"] || len(cl.Members) != len(want.Members) {
		t.Fatalf("selected %+v", cl)
	}
	ms := c.Members()
	if !ms[0].Reference || ms[0].ArticleID != f.art[ta] || ms[0].Text != want.Members[1].Text {
		t.Errorf("B's reference shown first: %+v", ms[0])
	}
	for _, m := range ms[1:] {
		k := slices.IndexFunc(want.Members, func(w data.ClusterMember) bool { return w.ArticleID == m.ArticleID })
		if k < 0 || m.Text != want.Members[k].Text || !slices.Equal(m.Relations, want.Members[k].Relations) || m.Diff == nil {
			t.Errorf("version in article %d: %+v", m.ArticleID, m)
		}
	}
}

// TestCompareSearchWhileTextLoads: a search typed before the text to search
// has loaded lists nothing, and says why, until the text lands.
func TestCompareSearchWhileTextLoads(t *testing.T) {
	f := newClusterFixture(t)
	test.NewTempApp(t)
	src := &pagingSource{ClusterSource: f.store, searchReached: make(chan struct{}), searchGate: make(chan struct{})}
	r := newTrackRunner()
	c := NewCompare(src)
	c.Background = r.run
	c.OnError = func(err error) { t.Errorf("compare: %v", err) }
	test.NewTempWindow(t, c.Content()).Resize(fyne.NewSize(1200, 700))
	c.Reload()
	<-src.searchReached // the rows are shown; the text is on its way
	if c.Len() != 5 || !c.loads.bar.Running() {
		t.Errorf("while the text loads: %d listed, bar shown %v", c.Len(), c.loads.bar.Running())
	}
	test.Type(c.search, "let down")
	if c.Len() != 0 || c.count.Text != "Searching once the text is loaded…" {
		t.Errorf("search before its text: %d listed, count %q", c.Len(), c.count.Text)
	}
	close(src.searchGate)
	r.wait(t, 0)
	if got := strings.Join(f.names(c.ClusterIDs()), ""); got != "B" || c.count.Text != "1 of 5 clusters" || c.loads.bar.Running() {
		t.Errorf("once the text landed: listed %q, count %q, bar shown %v", got, c.count.Text, c.loads.bar.Running())
	}
	if cl, ok := c.Selected(); !ok || cl.ID != f.ids["C"] {
		t.Errorf("the selection changed under the search: %d", cl.ID)
	}
}

// TestCompareFollowsVersions: when a re-alignment gives the selected
// cluster a new ID, the screen follows its versions there.
func TestCompareFollowsVersions(t *testing.T) {
	f := newClusterFixture(t)
	c, _ := newCompareAt(t, f, fyne.NewSize(1200, 700))
	c.SelectCluster(f.ids["B"])
	old := f.ids["B"]
	without := slices.Concat(f.clusters[:1], f.clusters[2:])
	if err := f.store.ReplaceClusters(context.Background(), without); err != nil {
		t.Fatal(err)
	}
	f.replace(t, f.clusters)
	list, _ := f.store.ClusterRows(context.Background(), 1)
	var now int64
	for _, r := range list.Rows {
		if r.Speaker == "Susan Hinchcliffe" {
			now = r.ID
		}
	}
	if now == old || now == 0 {
		t.Fatalf("B kept its ID %d: the test needs it to change", old)
	}
	reloadWait(c.Reload, &c.Background)
	if cl, ok := c.Selected(); !ok || cl.ID != now || cl.Speaker != "Susan Hinchcliffe" {
		t.Errorf("after the re-alignment shows %d (%s), want B's new ID %d", cl.ID, cl.Speaker, now)
	}
	if c.rowOf(c.selected) < 0 {
		t.Error("B's row is not selected in the list")
	}
}
