package data

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parallax-research/parallax/diffing/vocab"
)

// Propagation is how the project's versions travelled, as the propagation
// analysis (package diffing/propagate, run by app) found it: for each
// cluster a variant graph, and across the clusters a pickup graph of
// outlets. It is a snapshot the screens draw and the exports write, so
// that each export is a pure function of it.
type Propagation struct {
	// Clusters are the clusters analysed, by ID.
	Clusters []PropagationCluster
	// Edges are the outlet pickups, heaviest first.
	Edges []PickupEdge
	// Outlets are the outlets' figures, the most often first first.
	Outlets []OutletPropagation
	// Notes say, in words, what a reader of the trace must know of its
	// inputs and how it read them (undated articles, inferred dates, times
	// without a zone among times with one, syndicated copies, outlet names
	// that likely name one outlet, articles without an outlet). They are
	// not kept with a trace but worked out from the inputs each time it is
	// read.
	Notes []string
}

// PropagationCluster is one cluster's variant graph.
type PropagationCluster struct {
	ID      int64
	Kind    vocab.UnitKind
	Speaker string
	// Root is the root variant (the pinned reference's, a primary
	// source's, or the earliest and fullest).
	Root     int
	Variants []Variant
	// Versions are the cluster's members, each with the source it was most
	// likely taken from.
	Versions []PropagatedVersion
}

// Variant is a distinct wording of a cluster.
type Variant struct {
	Text string
	// Carriers index Versions, the first carrier first.
	Carriers []int
	// Parent is the variant it most likely derives from, -1 for the root
	// and for a variant from a source the project lacks (Unseen).
	Parent     int
	Confidence float64
	Unseen     bool
	// Contained is the share of its words found in the parent, in order;
	// Kept the share of the parent's words it keeps.
	Contained, Kept float64
	// Shared are its changes against the root that the parent made too;
	// New the changes it makes; Reverted counts the parent's changes it
	// undoes.
	Shared, New []TextChange
	Reverted    int
	// Order is how the parent's carrier stands in time to this variant's
	// first carrier: "before", "same", "after" or "unknown"; Lag is the
	// time between them when both are dated to the day or finer
	// (LagKnown).
	Order    string
	Lag      time.Duration
	LagKnown bool
	// Diff is the word diff from the parent's text (nil for the root and
	// unseen variants).
	Diff []DiffOp
}

// TextChange is an edit of a wording against its cluster's root: root
// words dropped, words added, or both. At is the root word it happens at.
type TextChange struct {
	At      int
	Dropped string
	Added   string
}

// PropagatedVersion is one member of a cluster with its likeliest source.
type PropagatedVersion struct {
	Article    int64
	Outlet     string // the source name the graph groups by (see SourceLabel)
	Date       Date
	Start, End int
	Primary    bool
	Pinned     bool
	Variant    int
	// Source is the article it was most likely taken from, 0 for the
	// root and for a version from an unseen source (Unseen).
	Source     int64
	Unseen     bool
	Confidence float64
	Order      string
	Lag        time.Duration
	LagKnown   bool
}

// PickupEdge is an outlet pickup: To's versions taken from From's.
type PickupEdge struct {
	From, To string
	// Weight is the number of clusters with such a pickup; Score sums
	// their confidences.
	Weight int
	Score  float64
	// MedianLag is the median lag of the pickups whose versions are both
	// dated to the day or finer (Lags of them), to LagResolution (a
	// minute, or a day when a date has no time).
	MedianLag     time.Duration
	Lags          int
	LagResolution time.Duration
	Pickups       []Pickup
}

// Pickup is one cluster's evidence for an edge.
type Pickup struct {
	Cluster    int64
	From, To   int64 // articles
	Confidence float64
	Shared     []TextChange
	Lag        time.Duration
	LagKnown   bool
	// Copy says To's article is a syndicated copy of From's text: the
	// pickup its running the text whole counts once (see
	// propagate.Pickup).
	Copy bool
}

// WeightText is the edge's clusters for a reader, with how many of its
// pickups are a syndicated copy's: "3", "3 (1 copy)", "1 (a copy)".
func (e PickupEdge) WeightText() string {
	weight := strconv.Itoa(e.Weight)
	switch n := e.Copies(); {
	case n == 0:
	case n == e.Weight && n == 1:
		weight += " (a copy)"
	case n == e.Weight:
		weight += " (all copies)"
	case n == 1:
		weight += " (1 copy)"
	default:
		weight += fmt.Sprintf(" (%d copies)", n)
	}
	return weight
}

// Copies counts the edge's pickups that are a syndicated copy's.
func (e PickupEdge) Copies() int {
	n := 0
	for _, p := range e.Pickups {
		if p.Copy {
			n++
		}
	}
	return n
}

// OutletPropagation is what the propagation says of one outlet.
type OutletPropagation struct {
	Outlet             string
	Clusters, Versions int
	// First counts the clusters it carried first (Sole of them alone).
	First, Sole int
	// FromPrimary counts its versions taken straight from a primary
	// source, of Secondary versions that are not primary sources
	// themselves.
	FromPrimary, Secondary int
}

// PrimaryShare is the share of the outlet's versions taken straight from
// a primary source.
func (o OutletPropagation) PrimaryShare() float64 {
	if o.Secondary == 0 {
		return 0
	}
	return float64(o.FromPrimary) / float64(o.Secondary)
}

// Cluster returns the analysed cluster with an ID, or false.
func (p *Propagation) Cluster(id int64) (*PropagationCluster, bool) {
	for i := range p.Clusters {
		if p.Clusters[i].ID == id {
			return &p.Clusters[i], true
		}
	}
	return nil, false
}

// Outlet returns an outlet's figures, or false.
func (p *Propagation) Outlet(name string) (OutletPropagation, bool) {
	for _, o := range p.Outlets {
		if o.Outlet == name {
			return o, true
		}
	}
	return OutletPropagation{}, false
}

// SourceLabel names an article where the propagation groups articles by
// outlet: its outlet, or, for an article without one, the article itself,
// so that articles of unknown outlets are never pooled into one source.
func SourceLabel(outlet string, article int64) string {
	if strings.TrimSpace(outlet) != "" {
		return outlet
	}
	return "(no outlet) #" + strconv.FormatInt(article, 10)
}

// VariantOutlets lists a variant's carriers' outlets, each once, in
// carrier order.
func (c *PropagationCluster) VariantOutlets(v int) []string {
	var out []string
	for _, k := range c.Variants[v].Carriers {
		o := c.Versions[k].Outlet
		if !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return out
}

// FirstCarrier is a variant's first carrier.
func (c *PropagationCluster) FirstCarrier(v int) PropagatedVersion {
	return c.Versions[c.Variants[v].Carriers[0]]
}

// String writes a change for a reader: "−dropped words", "+added words",
// or "−old → +new".
func (c TextChange) String() string {
	switch {
	case c.Dropped != "" && c.Added != "":
		return "−" + c.Dropped + " → +" + c.Added
	case c.Dropped != "":
		return "−" + c.Dropped
	}
	return "+" + c.Added
}

// ChangeList writes changes for a reader, "; " between them.
func ChangeList(cs []TextChange) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.String()
	}
	return strings.Join(parts, "; ")
}

// VariantHeading is "v2 · BBC News, ITV News · 31 Jan 2023 09:30 Z": the
// variant's number (from 1), its outlets and its first carrier's date.
func (c *PropagationCluster) VariantHeading(v int) string {
	return fmt.Sprintf("v%d · %s · %s", v+1, strings.Join(c.VariantOutlets(v), ", "), WhenLabel(c.FirstCarrier(v).Date))
}

// VariantOrigin says where a variant comes from, in words: "root: a
// primary source", "from v1, 96%, shares −widespread and", "from a
// source not in the project (80%)".
func (c *PropagationCluster) VariantOrigin(v int) string {
	vr := c.Variants[v]
	first := c.FirstCarrier(v)
	switch {
	case v == c.Root:
		switch {
		case first.Pinned:
			return "root: the pinned reference"
		case first.Primary:
			return "root: a primary source"
		}
		return "root: the earliest, fullest version"
	case vr.Unseen:
		return fmt.Sprintf("from a source not in the project (%.0f%%)", 100*vr.Confidence)
	}
	s := fmt.Sprintf("from v%d, %.0f%%", vr.Parent+1, 100*vr.Confidence)
	if len(vr.Shared) > 0 {
		s += ", shares " + ChangeList(vr.Shared)
	}
	return s
}

// LagText writes the edge's median lag at its resolution, for a reader:
// hours and minutes between timed versions, days ("same day") when a date
// had no time or the lag is two days or more, "—" when no pickup of the
// edge is dated.
func (e PickupEdge) LagText() string {
	switch {
	case e.Lags == 0:
		return "—"
	case e.LagResolution >= 24*time.Hour, e.MedianLag >= 48*time.Hour:
		days := int(e.MedianLag / (24 * time.Hour))
		switch days {
		case 0:
			return "same day"
		case 1:
			return "1 day"
		}
		return strconv.Itoa(days) + " days"
	case e.MedianLag < time.Minute:
		return "under a minute"
	}
	return strings.TrimSuffix(e.MedianLag.Round(time.Minute).String(), "0s")
}
