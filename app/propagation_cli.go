package app

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// PropagationJSON is the `propagation --json` contract.
type PropagationJSON struct {
	Clusters []PropagationClusterJSON `json:"clusters"`
	Edges    []PickupEdgeJSON         `json:"edges"`
	Outlets  []OutletPropagationJSON  `json:"outlets"`
	// Notes say what a reader of the trace must know of its inputs (see
	// data.Propagation.Notes); empty when nothing.
	Notes []string `json:"notes"`
}

// PropagationClusterJSON is one cluster's variant graph. root and parent
// are indexes into variants; carriers indexes into versions.
type PropagationClusterJSON struct {
	ID       int64                   `json:"id"`
	Kind     vocab.UnitKind          `json:"kind"`
	Speaker  string                  `json:"speaker"`
	Root     int                     `json:"root"`
	Variants []VariantJSON           `json:"variants"`
	Versions []PropagatedVersionJSON `json:"versions"`
}

// VariantJSON is a distinct wording with its likeliest parent (-1 for the
// root and for a variant from an unseen source) and the evidence.
type VariantJSON struct {
	Text       string        `json:"text"`
	Outlets    []string      `json:"outlets"`
	Carriers   []int         `json:"carriers"`
	First      string        `json:"first"` // the first carrier's date
	Parent     int           `json:"parent"`
	Confidence float64       `json:"confidence"`
	Unseen     bool          `json:"unseen"`
	Evidence   EvidenceJSON  `json:"evidence"`
	Diff       []data.DiffOp `json:"diff"`
}

// EvidenceJSON says why a parent was chosen. lag_seconds is null when a
// date is unknown or coarser than a day.
type EvidenceJSON struct {
	Contained  float64          `json:"contained"`
	Kept       float64          `json:"kept"`
	Shared     []TextChangeJSON `json:"shared"`
	New        []TextChangeJSON `json:"new"`
	Reverted   int              `json:"reverted"`
	Order      string           `json:"order"`
	LagSeconds *int64           `json:"lag_seconds"`
}

// TextChangeJSON is an edit against the cluster's root: at is the root
// word it happens at.
type TextChangeJSON struct {
	At      int    `json:"at"`
	Dropped string `json:"dropped"`
	Added   string `json:"added"`
}

// PropagatedVersionJSON is one member with its likeliest source article
// (null for the root and for a version from an unseen source).
type PropagatedVersionJSON struct {
	Article    int64   `json:"article"`
	Outlet     string  `json:"outlet"`
	Date       string  `json:"date"`
	Start      int     `json:"start"`
	End        int     `json:"end"`
	Primary    bool    `json:"primary"`
	Pinned     bool    `json:"pinned"`
	Variant    int     `json:"variant"`
	Source     *int64  `json:"source"`
	Unseen     bool    `json:"unseen"`
	Confidence float64 `json:"confidence"`
	Order      string  `json:"order"`
	LagSeconds *int64  `json:"lag_seconds"`
}

// PickupEdgeJSON is an outlet pickup with its evidence.
type PickupEdgeJSON struct {
	From                 string  `json:"from"`
	To                   string  `json:"to"`
	Weight               int     `json:"weight"`
	Score                float64 `json:"score"`
	MedianLagSeconds     *int64  `json:"median_lag_seconds"`
	Lags                 int     `json:"lags"`
	LagResolutionSeconds int64   `json:"lag_resolution_seconds"`
	// Copies counts the pickups that are a syndicated copy's (Copy).
	Copies  int          `json:"copies"`
	Pickups []PickupJSON `json:"pickups"`
}

// PickupJSON is one cluster's evidence for an edge.
type PickupJSON struct {
	Cluster    int64            `json:"cluster"`
	From       int64            `json:"from"`
	To         int64            `json:"to"`
	Confidence float64          `json:"confidence"`
	Shared     []TextChangeJSON `json:"shared"`
	LagSeconds *int64           `json:"lag_seconds"`
	// Copy says To's article runs From's text whole or nearly (a
	// syndicated copy, found at import), rather than quoting it.
	Copy bool `json:"copy"`
}

// OutletPropagationJSON is what the propagation says of one outlet.
type OutletPropagationJSON struct {
	Outlet       string  `json:"outlet"`
	Clusters     int     `json:"clusters"`
	Versions     int     `json:"versions"`
	First        int     `json:"first"`
	Sole         int     `json:"sole"`
	FromPrimary  int     `json:"from_primary"`
	Secondary    int     `json:"secondary"`
	PrimaryShare float64 `json:"primary_share"`
}

func seconds(d time.Duration, known bool) *int64 {
	if !known {
		return nil
	}
	s := int64(d / time.Second)
	return &s
}

func changesJSON(cs []data.TextChange) []TextChangeJSON {
	out := make([]TextChangeJSON, len(cs))
	for i, c := range cs {
		out[i] = TextChangeJSON{At: c.At, Dropped: c.Dropped, Added: c.Added}
	}
	return out
}

// propagationClusterJSON is one cluster of the contract.
func propagationClusterJSON(c *data.PropagationCluster) PropagationClusterJSON {
	cj := PropagationClusterJSON{ID: c.ID, Kind: c.Kind, Speaker: c.Speaker, Root: c.Root,
		Variants: []VariantJSON{}, Versions: []PropagatedVersionJSON{}}
	for k, v := range c.Variants {
		cj.Variants = append(cj.Variants, VariantJSON{Text: v.Text, Outlets: nonNil(c.VariantOutlets(k)), Carriers: nonNil(v.Carriers),
			First: c.FirstCarrier(k).Date.String(), Parent: v.Parent, Confidence: v.Confidence, Unseen: v.Unseen,
			Evidence: EvidenceJSON{Contained: v.Contained, Kept: v.Kept, Shared: changesJSON(v.Shared), New: changesJSON(v.New),
				Reverted: v.Reverted, Order: v.Order, LagSeconds: seconds(v.Lag, v.LagKnown && v.Parent >= 0)},
			Diff: nonNil(v.Diff)})
	}
	for _, v := range c.Versions {
		vj := PropagatedVersionJSON{Article: v.Article, Outlet: v.Outlet, Date: v.Date.String(), Start: v.Start, End: v.End,
			Primary: v.Primary, Pinned: v.Pinned, Variant: v.Variant, Unseen: v.Unseen, Confidence: v.Confidence,
			Order: v.Order, LagSeconds: seconds(v.Lag, v.LagKnown && v.Source != 0)}
		if v.Source != 0 {
			src := v.Source
			vj.Source = &src
		}
		cj.Versions = append(cj.Versions, vj)
	}
	return cj
}

// pickupEdgesJSON and outletsJSON are the contract's edges and outlets.
func pickupEdgesJSON(p *data.Propagation) []PickupEdgeJSON {
	out := []PickupEdgeJSON{}
	for _, e := range p.Edges {
		ej := PickupEdgeJSON{From: e.From, To: e.To, Weight: e.Weight, Score: e.Score, MedianLagSeconds: seconds(e.MedianLag, e.Lags > 0),
			Lags: e.Lags, LagResolutionSeconds: int64(e.LagResolution / time.Second), Copies: e.Copies(), Pickups: []PickupJSON{}}
		for _, pk := range e.Pickups {
			ej.Pickups = append(ej.Pickups, PickupJSON{Cluster: pk.Cluster, From: pk.From, To: pk.To, Confidence: pk.Confidence,
				Shared: changesJSON(pk.Shared), LagSeconds: seconds(pk.Lag, pk.LagKnown), Copy: pk.Copy})
		}
		out = append(out, ej)
	}
	return out
}

func outletsJSON(p *data.Propagation) []OutletPropagationJSON {
	out := []OutletPropagationJSON{}
	for _, o := range p.Outlets {
		out = append(out, OutletPropagationJSON{Outlet: o.Outlet, Clusters: o.Clusters, Versions: o.Versions,
			First: o.First, Sole: o.Sole, FromPrimary: o.FromPrimary, Secondary: o.Secondary, PrimaryShare: o.PrimaryShare()})
	}
	return out
}

// writePropagationJSON writes the PropagationJSON document as writeJSON
// lays it out, a cluster at a time: the whole document at 16,000 articles
// is 300 MB, which encoding in one piece held in memory twice over.
func writePropagationJSON(w io.Writer, p *data.Propagation) error {
	return writePropagationJSONFrom(w, p.Edges, p.Outlets, p.Notes, allAtOnce(p.Clusters))
}

// allAtOnce gives cs in one run, to a writer that takes clusters a run at
// a time (a kept trace's chunks).
func allAtOnce(cs []data.PropagationCluster) func(fn func([]data.PropagationCluster) error) error {
	return func(fn func([]data.PropagationCluster) error) error { return fn(cs) }
}

// clusterEncoder encodes a cluster's JSON as an item of the clusters'
// list, its buffers kept from cluster to cluster: an encoder and buffer
// made for each cluster grew their buffers afresh every time, 2.4 GB of
// garbage for 343 MB of JSON.
type clusterEncoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

// maxKeptEncoderBuffer is the largest buffer a clusterEncoder is kept
// with; a cluster's JSON is 27 KB on average at 16,000 articles.
const maxKeptEncoderBuffer = 256 << 10

func newClusterEncoder() *clusterEncoder {
	e := &clusterEncoder{}
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false)
	e.enc.SetIndent("    ", "  ")
	return e
}

func (e *clusterEncoder) encode(c *data.PropagationCluster) error {
	e.buf.Reset()
	return e.enc.Encode(propagationClusterJSON(c))
}

// bytes is the cluster encoded last, valid until the next encode.
func (e *clusterEncoder) bytes() []byte { return bytes.TrimSuffix(e.buf.Bytes(), []byte("\n")) }

// writePropagationJSONFrom is writePropagationJSON with the clusters
// given a run at a time by each (a kept trace's chunks, say).
func writePropagationJSONFrom(w io.Writer, edges []data.PickupEdge, outlets []data.OutletPropagation, notes []string,
	each func(fn func([]data.PropagationCluster) error) error) error {
	bw := bufio.NewWriter(w)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	put := func(prefix string, v any) error {
		buf.Reset()
		enc.SetIndent(prefix, "  ")
		if err := enc.Encode(v); err != nil {
			return err
		}
		_, err := bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
		return err
	}
	bw.WriteString("{\n  \"clusters\": [")
	clusters := jsonList{w: bw}
	// Clusters are encoded a batch at a time on every core and written in
	// order: encoding was a sixth of the command's time on one core, and a
	// batch bounds what is held. Each slot of the batch keeps its encoder
	// (see clusterEncoder), unless a large cluster grew its buffers: kept
	// whatever their size, 512 slots' buffers raised the command's peak
	// at 16,000 articles from 319 to 535 MB.
	const batch = 64
	encs := make([]*clusterEncoder, batch)
	errs := make([]error, batch)
	err := each(func(cs []data.PropagationCluster) error {
		for lo := 0; lo < len(cs); lo += batch {
			n := min(batch, len(cs)-lo)
			_ = forEach(context.Background(), n, func(i int) {
				if encs[i] == nil {
					encs[i] = newClusterEncoder()
				}
				errs[i] = encs[i].encode(&cs[lo+i])
			})
			for i := range n {
				if errs[i] != nil {
					return errs[i]
				}
				if err := clusters.item(encs[i].bytes()); err != nil {
					return err
				}
				if encs[i].buf.Cap() > maxKeptEncoderBuffer {
					encs[i] = nil
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	bw.WriteString(clusters.end())
	bw.WriteString(",\n  \"edges\": ")
	p := &data.Propagation{Edges: edges, Outlets: outlets}
	if err := put("  ", pickupEdgesJSON(p)); err != nil {
		return err
	}
	bw.WriteString(",\n  \"outlets\": ")
	if err := put("  ", outletsJSON(p)); err != nil {
		return err
	}
	bw.WriteString(",\n  \"notes\": ")
	if notes == nil {
		notes = []string{}
	}
	if err := put("  ", notes); err != nil {
		return err
	}
	bw.WriteString("\n}\n")
	return bw.Flush()
}

func cmdPropagation(e *env, args []string) error {
	cmd := newProjectCommand("propagation")
	clusters := cmd.String("clusters", "", "only these clusters, comma-separated IDs (see 'parallax align')")
	asJSON := cmd.Bool("json", false, "print JSON")
	fresh := cmd.Bool("fresh", false, "trace again rather than read the trace kept from the same inputs (and keep the new one)")
	if err := cmd.parseFlags(args); err != nil {
		return err
	}
	ids, err := parseIDs("--clusters", *clusters)
	if err != nil {
		return err
	}
	cmd.checkBehind = true
	return cmd.run(func(store *data.Store) error {
		// A kept trace is printed a chunk at a time: whole, the trace of
		// 100,000 articles took 2.7 GiB to read back.
		p, t, kept, err := keptPropagationOr(e.ctx, store, ids, traceCacheDir(), *fresh, true, nil)
		// The trace is kept while it is printed; the command ends when
		// both are done.
		defer kept()
		if err == nil && p != nil && *asJSON {
			addVariantDiffs(p.Clusters)
		}
		// The check's verdict wins: a damaged file can also fail the
		// reading with an error of ours (members packed badly, a passage
		// of a missing article), which would hide what is wrong and what
		// to do.
		if cerr := store.Checked(e.ctx); cerr != nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("propagation: %w", err)
		}
		if t != nil {
			return writeKeptTrace(e.stdout, t, *asJSON)
		}
		if *asJSON {
			return writePropagationJSON(e.stdout, p)
		}
		w := bufio.NewWriter(e.stdout)
		writePropagationText(w, p)
		return w.Flush()
	})
}

// writeKeptTrace prints a kept trace as writePropagationJSON or
// writePropagationText would print it decoded whole.
func writeKeptTrace(w io.Writer, t *openedTrace, asJSON bool) error {
	h := t.head
	if asJSON {
		return writePropagationJSONFrom(w, h.Edges, h.Outlets, t.notes, func(fn func([]data.PropagationCluster) error) error {
			return t.eachChunk(func(cs []data.PropagationCluster) error {
				addVariantDiffs(cs)
				return fn(cs)
			})
		})
	}
	bw := bufio.NewWriter(w)
	if err := writePropagationTextFrom(bw, h.Clusters, h.Variants, h.Edges, h.Outlets, t.notes, t.eachChunk); err != nil {
		return err
	}
	return bw.Flush()
}

// writePropagationText prints the pickups, the outlets and each cluster's
// variant tree for a reader.
func writePropagationText(w io.Writer, p *data.Propagation) {
	_ = writePropagationTextFrom(w, len(p.Clusters), variantCount(p.Clusters), p.Edges, p.Outlets, p.Notes, allAtOnce(p.Clusters))
}

// writePropagationTextFrom is writePropagationText with the clusters
// counted, and given a run at a time by each.
func writePropagationTextFrom(w io.Writer, clusters, variants int, edges []data.PickupEdge, outlets []data.OutletPropagation, notes []string,
	each func(fn func([]data.PropagationCluster) error) error) error {
	if clusters == 0 {
		fmt.Fprintln(w, "No clusters. Import articles from several outlets and run 'parallax analyze'.")
		return nil
	}
	fmt.Fprintf(w, "%s.\n", summaryOf(clusters, variants, len(outlets), len(edges)))
	for _, n := range notes {
		fmt.Fprintf(w, "Note: %s\n", n)
	}
	fmt.Fprint(w, "\nPickups (who took whose wording):\n")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  from\tto\tclusters\tmedian lag\tclusters (first 8)")
	for _, e := range edges {
		var ids []string
		for k, pk := range e.Pickups {
			if k == 8 {
				ids = append(ids, "…")
				break
			}
			ids = append(ids, fmt.Sprintf("#%d", pk.Cluster))
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", e.From, e.To, e.WeightText(), e.LagText(), strings.Join(ids, " "))
	}
	tw.Flush()
	fmt.Fprintln(w, "\nOutlets:")
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  outlet\tclusters\tfirst\tfirst alone\tfrom a primary source")
	for _, o := range outlets {
		fmt.Fprintf(tw, "  %s\t%d\t%d\t%d\t%d of %d\n", o.Outlet, o.Clusters, o.First, o.Sole, o.FromPrimary, o.Secondary)
	}
	tw.Flush()
	t := treeWriter{w: w}
	return each(func(cs []data.PropagationCluster) error {
		for i := range cs {
			c := &cs[i]
			if len(c.Variants) < 2 && len(c.Versions) < 2 {
				continue
			}
			fmt.Fprintf(w, "\n#%d %s · %s\n", c.ID, c.Kind, joinNonEmpty(" · ", c.Speaker, pluralWord(len(c.Variants), "1 variant", fmt.Sprintf("%d variants", len(c.Variants)))))
			t.c, t.kids = c, childrenOf(c, t.kids)
			t.write(c.Root, 1)
			for k, v := range c.Variants {
				if k != c.Root && v.Parent < 0 {
					t.write(k, 1)
				}
			}
		}
		return nil
	})
}

// childrenOf lists each variant's children, in order, in kids' memory:
// walking a cluster's trees by looking for each variant's children among
// all its variants took time in the square of its variants.
func childrenOf(c *data.PropagationCluster, kids [][]int) [][]int {
	kids = slices.Grow(kids[:0], len(c.Variants))[:len(c.Variants)]
	for k := range kids {
		kids[k] = kids[k][:0]
	}
	for k, v := range c.Variants {
		if v.Parent >= 0 {
			kids[v.Parent] = append(kids[v.Parent], k)
		}
	}
	return kids
}

// treeWriter prints a cluster's variant trees, its children's lists kept
// from cluster to cluster.
type treeWriter struct {
	w    io.Writer
	c    *data.PropagationCluster
	kids [][]int // each variant's children (childrenOf)
}

// write prints variant v's line at depth, then its children's trees.
func (t *treeWriter) write(v, depth int) {
	c := t.c
	vr := c.Variants[v]
	first := c.FirstCarrier(v)
	how := "root"
	switch {
	case vr.Unseen:
		how = "from an unseen source"
	case vr.Parent >= 0:
		how = fmt.Sprintf("from v%d, %.0f%%", vr.Parent+1, 100*vr.Confidence)
	}
	fmt.Fprintf(t.w, "%sv%d [%s] %s (%s): %s\n", strings.Repeat("  ", depth), v+1, strings.Join(c.VariantOutlets(v), ", "),
		dateOrUndated(first.Date), how, oneLineText(vr.Text, 100))
	for _, child := range t.kids[v] {
		t.write(child, depth+1)
	}
}

func dateOrUndated(d data.Date) string {
	if d.IsZero() {
		return "undated"
	}
	return d.String()
}

// oneLineText is s on one line: its words (as strings.Fields splits
// them) joined by single spaces, cut as truncate cuts it to n runes. It
// reads no further into s than the line needs, and makes no string when
// s is already one: a trace of 16,000 articles prints 73,000 wordings.
func oneLineText(s string, n int) string {
	out := make([]byte, 0, min(len(s), 4*n+4))
	runes, cut := 0, -1 // runes written; len(out) once n-1 were
	wrote, space, invalid := false, false, false
	// put writes a rune's bytes and reports whether the line still fits.
	put := func(b string) bool {
		out = append(out, b...)
		if runes++; runes == n-1 {
			cut = len(out)
		}
		return runes <= n
	}
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
			invalid = invalid || r == utf8.RuneError && size == 1
		}
		if r < utf8.RuneSelf && asciiSpace[r] || r >= utf8.RuneSelf && unicode.IsSpace(r) {
			space = wrote
			i += size
			continue
		}
		// A space and then the rune: each counts, and n-1 of them may
		// fall after the space.
		if space && !put(" ") {
			break
		}
		space, wrote = false, true
		if !put(s[i : i+size]) {
			break
		}
		i += size
	}
	if runes <= n {
		if string(out) == s {
			return s
		}
		return string(out)
	}
	if invalid {
		// truncate's runes make each byte that is not UTF-8 a U+FFFD.
		return string([]rune(string(out[:max(cut, 0)]))) + "…"
	}
	return string(out[:max(cut, 0)]) + "…"
}

// asciiSpace marks the ASCII bytes unicode.IsSpace (and strings.Fields)
// count as white space.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

func cmdMark(e *env, args []string) error {
	cmd := newProjectCommand("mark")
	primary := cmd.Bool("primary", false, "mark the articles as primary sources (the report, the press release, the transcript)")
	notPrimary := cmd.Bool("not-primary", false, "clear the primary-source mark")
	articles := cmd.String("articles", "", "comma-separated article IDs (see 'parallax list')")
	if err := cmd.parseFlags(args); err != nil {
		return err
	}
	if *primary == *notPrimary {
		return usageError{"say --primary or --not-primary"}
	}
	ids, err := parseIDs("--articles", *articles)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return usageError{"--articles is required"}
	}
	return cmd.run(func(store *data.Store) error {
		if err := store.SetPrimarySource(e.ctx, ids, *primary); err != nil {
			return err
		}
		what := "marked as primary sources"
		if *notPrimary {
			what = "no longer marked as primary sources"
		}
		fmt.Fprintf(e.stdout, "%s %s.\n", pluralWord(len(ids), "1 article", fmt.Sprintf("%d articles", len(ids))), what)
		return nil
	})
}
