package app

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/parallax-research/parallax/app/internal/scored"
	"github.com/parallax-research/parallax/diffing"
	"github.com/parallax-research/parallax/diffing/difftest"
	"github.com/parallax-research/parallax/diffing/quote"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// scoredFloors are the figures TestScoredSetCorpus guards: the engine as
// measured when they were last set must not get worse. Raise them as it
// improves; never lower them to let a change through. Rates are fractions;
// the ceilings are the most allowed.
//
// Once, on purpose, recall went down (106 to 104 of 110 pairs) when
// clustering stopped chaining: union-find over every verified pair had put
// 82% of months of coverage in one cluster; clusters around a center now
// leave two fragments that fit two statements ("willing and active
// partner") with the other statement. Every other measure rose. Recall
// came back to 107 when a fragment of a member that rewords the center
// joins the cluster, reported speech matches without its frame, and a
// quote whose opening mark was left out is read.
var scoredFloors = struct {
	pairRecall, labelPrecision, misattributedPrecision, speakerRight float64
	speakerUnknownCeiling                                            float64
	falseVerbatimCeiling, uncleanSpeakersCeiling                     int
}{
	pairRecall:             0.97,  // 107 of 110; the target
	labelPrecision:         0.916, // 66 of 72
	misattributedPrecision: 0.95,  // 1 of 1; the target
	speakerRight:           0.939, // 308 of 328
	speakerUnknownCeiling:  0.037, // 12 of 328
	falseVerbatimCeiling:   0,
	uncleanSpeakersCeiling: 0,
}

// TestScoredSetCorpus scores the engine on the repository's scored set
// (testdata/scored, see package internal/scored): quotes shared between
// the articles of a story, read and annotated by hand, against what
// diffing.Analyze and diffing.Align make of the same articles. Run it with -v for the
// figures and the failures behind them. The measures are defined on
// scoreCounts.
func TestScoredSetCorpus(t *testing.T) {
	corpus := difftest.CorpusDir(t)
	stories, err := scored.Load(filepath.Join("testdata", "scored"))
	if err != nil {
		t.Fatal(err)
	}
	if len(stories) == 0 {
		t.Fatal("no stories in testdata/scored")
	}
	var total scoreCounts
	var rows []string
	for _, s := range stories {
		texts, err := scored.Read(context.Background(), corpus, s)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Check(texts); err != nil {
			t.Fatalf("the scored set no longer fits the corpus (rebuild its ranges): %v", err)
		}
		c, err := scoreStory(s, texts)
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, c.row(s.Name))
		total.add(c)
	}
	t.Log("\n" + total.report(rows))

	f := scoredFloors
	atLeast := func(name string, got, floor float64) {
		t.Helper()
		if got < floor {
			t.Errorf("%s = %.1f%%, below the floor of %.1f%%", name, 100*got, 100*floor)
		}
	}
	atLeast("shared-quote recall", total.pairRecall(), f.pairRecall)
	atLeast("label precision", total.labelPrecision(), f.labelPrecision)
	atLeast("misattributed precision", ratio(total.MisattrRight, total.MisattrScored), f.misattributedPrecision)
	atLeast("speaker accuracy", ratio(total.SpeakerRight, total.speakerAll()), f.speakerRight)
	if got := ratio(total.SpeakerUnknown, total.speakerAll()); got > f.speakerUnknownCeiling {
		t.Errorf("speakers left unknown = %.1f%%, above the ceiling of %.1f%%", 100*got, 100*f.speakerUnknownCeiling)
	}
	if total.FalseVerbatim > f.falseVerbatimCeiling {
		t.Errorf("false verbatim = %d, above the ceiling of %d", total.FalseVerbatim, f.falseVerbatimCeiling)
	}
	if n := len(total.Unclean); n > f.uncleanSpeakersCeiling {
		t.Errorf("unclean speaker strings = %d, above the ceiling of %d", n, f.uncleanSpeakersCeiling)
	}
}

// scoreCounts are the raw counts behind the figures.
//
// Shared-quote recall: every pair of instances of a group in two different
// articles is expected to land in one cluster. An instance is placed in
// every cluster holding one of its units, a unit of the same article that
// covers at least half of the instance or lies at least half inside it
// (units are sentences, instances the quoted words). The pair is recalled
// when the two placements meet. A group is whole when one cluster holds
// all its instances.
//
// Labels: a member is scored when it shares a cluster with its group's
// reference instance and the cluster's reference unit is that instance
// (or a version with the same words as it: expected verbatim, or
// normalized, in which case normalized is ignored on both sides). Its
// relations, misattributed aside, are compared with the expected ones,
// relation by relation; label precision is the share of the relations
// the engine assigned that are expected. Members whose cluster has
// another reference are counted as not comparable.
//
// False verbatim: a member labelled verbatim, or normalized and nothing
// that changes words, whose words differ from its cluster reference's by
// the expectation: the two are instances of different groups, or of one
// group and not both the reference or same-worded versions of it, and
// their words (letters and digits, lower-cased) differ.
//
// Misattributed precision: of the members labelled misattributed whose
// cluster reference is an instance, the share whose expected speakers
// are two different named people.
//
// Speaker accuracy: for each direct quote whose article names the
// speaker, the quote diffing.Analyze found over most of it; right when its
// speaker names the expected person by sameName, unknown when it has
// none (or no quote was found), wrong otherwise. Speaker strings are
// clean when they start and end with a letter or digit.
//
// The fields are exported only so that add can sum them by reflection.
type scoreCounts struct {
	Groups, WholeGroups  int
	Pairs, PairsRecalled int
	Instances, InstFound int
	RecallByRel          map[vocab.Relation][2]int // expected relation → recalled, all
	Missed               []string
	PartialGroups        []string
	LabelsScored         int
	LabelsExact          int
	LabelsOtherRef       int
	Assigned, AssignedOK int
	RelTP, RelFP, RelFN  map[vocab.Relation]int
	LabelErrors          []string
	FalseVerbatim        int
	FalseVerbatimList    []string
	JoinedClusters       int
	MisattrScored        int
	MisattrRight         int
	MisattrUnscored      int
	MisattrList          []string
	SpeakerRight         int
	SpeakerSurname       int
	SpeakerWrong         int
	SpeakerRole          int
	SpeakerTruncated     int
	SpeakerUnknown       int
	SpeakerNoQuote       int
	SpeakerList          []string
	Unclean              []string
	SpeakersCounted      int
}

// add sums o into c field by field: counts add up, lists are appended,
// per-relation counts merge. Reflection keeps a new measure from being
// left out of the totals.
func (c *scoreCounts) add(o scoreCounts) {
	dst, src := reflect.ValueOf(c).Elem(), reflect.ValueOf(o)
	for i := range dst.NumField() {
		d, s := dst.Field(i), src.Field(i)
		switch d.Kind() {
		case reflect.Int:
			d.SetInt(d.Int() + s.Int())
		case reflect.Slice:
			d.Set(reflect.AppendSlice(d, s))
		case reflect.Map:
			if d.IsNil() {
				d.Set(reflect.MakeMap(d.Type()))
			}
			for it := s.MapRange(); it.Next(); {
				sum := reflect.New(d.Type().Elem()).Elem()
				if v := d.MapIndex(it.Key()); v.IsValid() {
					sum.Set(v)
				}
				switch sum.Kind() {
				case reflect.Int:
					sum.SetInt(sum.Int() + it.Value().Int())
				case reflect.Array: // [recalled, all]
					for k := range sum.Len() {
						sum.Index(k).SetInt(sum.Index(k).Int() + it.Value().Index(k).Int())
					}
				}
				d.SetMapIndex(it.Key(), sum)
			}
		}
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func pct(a, b int) string {
	if b == 0 {
		return "   n/a"
	}
	return fmt.Sprintf("%5.1f%%", 100*float64(a)/float64(b))
}

func (c scoreCounts) pairRecall() float64     { return ratio(c.PairsRecalled, c.Pairs) }
func (c scoreCounts) labelPrecision() float64 { return ratio(c.AssignedOK, c.Assigned) }
func (c scoreCounts) speakerAll() int {
	return c.SpeakerRight + c.SpeakerWrong + c.SpeakerUnknown
}

func (c scoreCounts) row(name string) string {
	return fmt.Sprintf("%-9s %6d %11s %s %7s %9s %s %9s %5d %7s %14s %s",
		name, c.Groups, fmt.Sprintf("%d/%d", c.PairsRecalled, c.Pairs), pct(c.PairsRecalled, c.Pairs),
		fmt.Sprintf("%d/%d", c.WholeGroups, c.Groups), fmt.Sprintf("%d/%d", c.LabelsExact, c.LabelsScored),
		pct(c.AssignedOK, c.Assigned), fmt.Sprintf("%d/%d", c.AssignedOK, c.Assigned), c.FalseVerbatim,
		fmt.Sprintf("%d/%d", c.MisattrRight, c.MisattrScored),
		fmt.Sprintf("%d/%d/%d", c.SpeakerRight, c.SpeakerWrong, c.SpeakerUnknown), pct(c.SpeakerRight, c.speakerAll()))
}

// report is the table TestScoredSetCorpus prints: one row per story, the totals,
// then the breakdowns that say where the engine fails.
func (c scoreCounts) report(rows []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-9s %6s %11s %6s %7s %9s %6s %9s %5s %7s %14s %6s\n",
		"story", "groups", "pairs", "recall", "whole", "exact", "labels", "assigned", "fverb", "misattr", "spk ok/bad/unk", "spk")
	for _, r := range rows {
		b.WriteString(r + "\n")
	}
	b.WriteString(c.row("TOTAL") + "\n\n")

	fmt.Fprintf(&b, "shared-quote recall   %s of %d cross-article pairs; %d of %d groups whole in one cluster\n",
		pct(c.PairsRecalled, c.Pairs), c.Pairs, c.WholeGroups, c.Groups)
	fmt.Fprintf(&b, "label precision       %s of %d relations assigned are expected; %d of %d scored members exactly right; %d members not comparable (another reference)\n",
		pct(c.AssignedOK, c.Assigned), c.Assigned, c.LabelsExact, c.LabelsScored, c.LabelsOtherRef)
	fmt.Fprintf(&b, "false verbatim        %d\n", c.FalseVerbatim)
	fmt.Fprintf(&b, "clusters joining two groups  %d\n", c.JoinedClusters)
	fmt.Fprintf(&b, "misattributed         %s precision (%d of %d right; %d more on unannotated passages)\n",
		pct(c.MisattrRight, c.MisattrScored), c.MisattrRight, c.MisattrScored, c.MisattrUnscored)
	n := c.speakerAll()
	fmt.Fprintf(&b, "speaker accuracy      %s right (%d, of which %d by surname only), %s wrong (%d: %d a role or non-name, %d a name cut short, %d another source), %s unknown (%d, of which %d with no quote found), of %d named-speaker quotes\n",
		pct(c.SpeakerRight, n), c.SpeakerRight, c.SpeakerSurname, pct(c.SpeakerWrong, n), c.SpeakerWrong, c.SpeakerRole, c.SpeakerTruncated,
		c.SpeakerWrong-c.SpeakerRole-c.SpeakerTruncated, pct(c.SpeakerUnknown, n), c.SpeakerUnknown, c.SpeakerNoQuote, n)
	fmt.Fprintf(&b, "speaker strings       %d of %d quotes with a speaker have one that starts or ends with punctuation\n\n",
		len(c.Unclean), c.SpeakersCounted)

	b.WriteString("recall of each version by its expected relation to the reference (found in the reference's cluster / all):\n")
	for _, r := range append([]vocab.Relation{vocab.RelReference}, vocab.Relations()...) {
		if v, ok := c.RecallByRel[r]; ok {
			fmt.Fprintf(&b, "  %-15s %3d/%-3d %s\n", r, v[0], v[1], pct(v[0], v[1]))
		}
	}
	b.WriteString("relations on scored members (tp = assigned and expected, fp = assigned, not expected, fn = expected, not assigned):\n")
	for _, r := range vocab.Relations() {
		tp, fp, fn := c.RelTP[r], c.RelFP[r], c.RelFN[r]
		if tp+fp+fn == 0 {
			continue
		}
		fmt.Fprintf(&b, "  %-15s tp %3d  fp %3d  fn %3d  precision %s  recall %s\n", r, tp, fp, fn, pct(tp, tp+fp), pct(tp, tp+fn))
	}
	lists := []struct {
		title string
		items []string
	}{
		{"groups not whole in one cluster (cross-article pairs recalled)", c.PartialGroups},
		{"versions not in their reference's cluster", c.Missed},
		{"label errors", c.LabelErrors},
		{"false verbatim", c.FalseVerbatimList},
		{"misattributed labels", c.MisattrList},
		{"speaker errors", c.SpeakerList},
		{"unclean speaker strings", c.Unclean},
	}
	for _, l := range lists {
		if len(l.items) == 0 {
			continue
		}
		fmt.Fprintf(&b, "%s (%d):\n", l.title, len(l.items))
		for _, it := range l.items {
			b.WriteString("  " + it + "\n")
		}
	}
	return b.String()
}

// scoredInstance is an annotated instance with what the engine made of
// it.
type scoredInstance struct {
	scored.Instance
	group int
	doc   int64
	units []int // the units that cover it, best first
}

// engineRun is what the engine made of one story's articles: article i
// is Doc i.
type engineRun struct {
	quotes   [][]quote.Quote // per article
	units    []diffing.Unit
	clusters []diffing.Cluster
}

// runEngine analyses and aligns one story's articles, in the story's
// order, as the app does for a comparison of all of them.
func runEngine(s scored.Story, texts map[string]string) (engineRun, error) {
	var r engineRun
	for i, a := range s.Articles {
		an := diffing.Analyze(int64(i), texts[a])
		r.quotes = append(r.quotes, an.Quotes)
		r.units = append(r.units, an.Units...)
	}
	var err error
	r.clusters, err = diffing.Align(context.Background(), r.units, diffing.Options{})
	if err != nil {
		return r, fmt.Errorf("align %s: %w", s.Name, err)
	}
	return r, nil
}

// scoreStory runs the engine over one story's articles and scores it.
func scoreStory(s scored.Story, texts map[string]string) (scoreCounts, error) {
	r, err := runEngine(s, texts)
	if err != nil {
		return scoreCounts{}, err
	}
	return scoreRun(s, texts, r), nil
}

// scoreRun scores the engine's output for one story against the story's
// annotations.
func scoreRun(s scored.Story, texts map[string]string, r engineRun) scoreCounts {
	c := scoreCounts{
		RecallByRel: map[vocab.Relation][2]int{},
		RelTP:       map[vocab.Relation]int{}, RelFP: map[vocab.Relation]int{}, RelFN: map[vocab.Relation]int{},
	}
	docOf := map[string]int64{}
	for i, a := range s.Articles {
		docOf[a] = int64(i)
	}
	units, clusters := r.units, r.clusters
	// where[u] is the cluster holding unit u, or -1.
	where := make([]int, len(units))
	for i := range where {
		where[i] = -1
	}
	for ci, cl := range clusters {
		for _, m := range cl.Members {
			where[m.Unit] = ci
		}
	}
	member := func(u int) *diffing.Member {
		if where[u] < 0 {
			return nil
		}
		for i, m := range clusters[where[u]].Members {
			if m.Unit == u {
				return &clusters[where[u]].Members[i]
			}
		}
		return nil
	}

	var insts [][]scoredInstance // per group
	unitInst := map[int][]int{}  // unit → flat instance ids covering it
	var flat []*scoredInstance
	for gi, g := range s.Groups {
		var row []scoredInstance
		for _, in := range g.Instances {
			si := scoredInstance{Instance: in, group: gi, doc: docOf[in.Article]}
			si.units = coveringUnits(units, si.doc, in.Start, in.End)
			row = append(row, si)
		}
		insts = append(insts, row)
	}
	for gi := range insts {
		for ii := range insts[gi] {
			id := len(flat)
			flat = append(flat, &insts[gi][ii])
			for _, u := range insts[gi][ii].units {
				unitInst[u] = append(unitInst[u], id)
			}
		}
	}
	// instanceOf is the instance a unit stands for: of those it covers,
	// the one it overlaps most.
	instanceOf := func(u int) *scoredInstance {
		var best *scoredInstance
		bestOv := 0
		for _, id := range unitInst[u] {
			in := flat[id]
			if ov := overlap(units[u], in.Start, in.End); ov > bestOv {
				best, bestOv = in, ov
			}
		}
		return best
	}
	clustersOf := func(in *scoredInstance) []int {
		var out []int
		for _, u := range in.units {
			if where[u] >= 0 && !slices.Contains(out, where[u]) {
				out = append(out, where[u])
			}
		}
		return out
	}
	// unitIn is the instance's best unit in cluster ci.
	unitIn := func(in *scoredInstance, ci int) int {
		for _, u := range in.units {
			if where[u] == ci {
				return u
			}
		}
		return -1
	}
	label := func(in *scoredInstance) string {
		return fmt.Sprintf("%s %s %s[%d,%d)", s.Name, s.Groups[in.group].ID, in.Article, in.Start, in.End)
	}

	// Recall.
	for gi := range insts {
		c.Groups++
		row := insts[gi]
		common := clustersOf(&row[0])
		for i := range row {
			cs := clustersOf(&row[i])
			common = slices.DeleteFunc(common, func(ci int) bool { return !slices.Contains(cs, ci) })
			for j := i + 1; j < len(row); j++ {
				if row[i].Article == row[j].Article {
					continue
				}
				c.Pairs++
				if meets(cs, clustersOf(&row[j])) {
					c.PairsRecalled++
				}
			}
		}
		if len(common) > 0 {
			c.WholeGroups++
		} else {
			got, all := 0, 0
			for i := range row {
				for j := i + 1; j < len(row); j++ {
					if row[i].Article != row[j].Article {
						all++
						if meets(clustersOf(&row[i]), clustersOf(&row[j])) {
							got++
						}
					}
				}
			}
			c.PartialGroups = append(c.PartialGroups, fmt.Sprintf("%s %-40s %d/%d pairs", s.Name, s.Groups[gi].ID, got, all))
		}
		ref := refOf(row)
		for i := range row {
			in := &row[i]
			c.Instances++
			rel := vocab.RelReference
			if !in.Reference {
				rel = in.Relations[0]
				if len(in.Relations) > 1 && in.Relations[0] == vocab.RelNormalized {
					rel = in.Relations[1]
				}
			}
			found := false
			switch {
			case in.Reference:
				found = len(clustersOf(in)) > 0
			default:
				found = meets(clustersOf(in), clustersOf(ref))
			}
			v := c.RecallByRel[rel]
			v[1]++
			if found {
				v[0]++
				c.InstFound++
			} else {
				why := "in no cluster"
				switch {
				case len(in.units) == 0:
					why = "no unit covers it"
				case len(clustersOf(in)) > 0 && !in.Reference:
					why = "in another cluster than the reference"
				}
				c.Missed = append(c.Missed, fmt.Sprintf("%-60s %-22s %s", label(in), strings.Join(relStrings(in), ","), why))
			}
			c.RecallByRel[rel] = v
		}
	}

	// Labels.
	for gi := range insts {
		row := insts[gi]
		ref := refOf(row)
		for i := range row {
			in := &row[i]
			if in.Reference {
				continue
			}
			shared := intersect(clustersOf(in), clustersOf(ref))
			if len(shared) == 0 {
				continue
			}
			ci := shared[0]
			m := member(unitIn(in, ci))
			engineRef := referenceUnit(clusters[ci])
			er := instanceOf(engineRef)
			if m == nil || m.Reference || er == nil || er.group != gi {
				c.LabelsOtherRef++
				continue
			}
			want := withoutMisattributed(in.Relations)
			got := withoutMisattributed(m.Relations)
			switch {
			case er == ref:
			case er.Kind == scored.KindQuote && sameWordsAsReference(er.Relations):
				if slices.Contains(er.Relations, vocab.RelNormalized) {
					want, got = ignoreNormalized(want), ignoreNormalized(got)
				}
			default:
				c.LabelsOtherRef++
				continue
			}
			c.LabelsScored++
			if sameSet(want, got) {
				c.LabelsExact++
			} else {
				c.LabelErrors = append(c.LabelErrors, fmt.Sprintf("%-60s want %-24s got %s", label(in), strings.Join(relNames(want), ","), strings.Join(relNames(got), ",")))
			}
			for _, r := range got {
				c.Assigned++
				if slices.Contains(want, r) {
					c.AssignedOK++
					c.RelTP[r]++
				} else {
					c.RelFP[r]++
				}
			}
			for _, r := range want {
				if !slices.Contains(got, r) {
					c.RelFN[r]++
				}
			}
		}
	}

	// False verbatim, misattribution, and clusters that join groups.
	for _, cl := range clusters {
		groupsIn := map[int]bool{}
		refUnit := referenceUnit(cl)
		er := instanceOf(refUnit)
		for _, m := range cl.Members {
			in := instanceOf(m.Unit)
			if in != nil {
				groupsIn[in.group] = true
			}
			if m.Reference {
				continue
			}
			if claimsSameWords(m.Relations) && in != nil && er != nil && !sameWords(texts, in, er) {
				c.FalseVerbatim++
				c.FalseVerbatimList = append(c.FalseVerbatimList, fmt.Sprintf("%-60s labelled %s against %s", label(in), strings.Join(relNames(m.Relations), ","), label(er)))
			}
			if !slices.Contains(m.Relations, vocab.RelMisattributed) {
				continue
			}
			if in == nil || er == nil {
				c.MisattrUnscored++
				continue
			}
			c.MisattrScored++
			right := in.group == er.group && !in.Organisation && !er.Organisation &&
				in.Speaker != "" && er.Speaker != "" && !samePerson(in.Speaker, er.Speaker)
			if right {
				c.MisattrRight++
			}
			c.MisattrList = append(c.MisattrList, fmt.Sprintf("%-60s %q against %q (engine %q / %q) right=%v",
				label(in), in.Speaker, er.Speaker, units[m.Unit].Attribution.Speaker, units[refUnit].Attribution.Speaker, right))
		}
		if len(groupsIn) > 1 {
			c.JoinedClusters++
		}
	}

	// Speakers.
	for _, sd := range s.Speakers {
		doc := docOf[sd.Article]
		q, ok := coveringQuote(r.quotes[doc], sd.Start, sd.End)
		where := fmt.Sprintf("%s %s[%d,%d) %q", s.Name, sd.Article, sd.Start, sd.End, sd.Speaker)
		switch {
		case !ok:
			c.SpeakerUnknown++
			c.SpeakerNoQuote++
			c.SpeakerList = append(c.SpeakerList, where+": no quote found")
		case q.Speaker == "":
			c.SpeakerUnknown++
			c.SpeakerList = append(c.SpeakerList, where+": unknown")
		case anyName(sd.Speaker, q.Speaker):
			c.SpeakerRight++
			if !anyFullName(sd.Speaker, q.Speaker) {
				c.SpeakerSurname++
			}
		default:
			c.SpeakerWrong++
			kind := "wrong (another source)"
			switch {
			case !looksLikeName(q.Speaker):
				c.SpeakerRole++
				kind = "wrong (role or non-name)"
			case truncatedName(sd.Speaker, q.Speaker):
				c.SpeakerTruncated++
				kind = "wrong (name cut short)"
			}
			c.SpeakerList = append(c.SpeakerList, fmt.Sprintf("%s: %s %q", where, kind, q.Speaker))
		}
	}
	for doc, qs := range r.quotes {
		for _, q := range qs {
			if q.Speaker == "" {
				continue
			}
			c.SpeakersCounted++
			if !cleanSpeaker(q.Speaker) {
				c.Unclean = append(c.Unclean, fmt.Sprintf("%s %s[%d,%d) %q", s.Name, s.Articles[doc], q.Outer().Start, q.Outer().End, q.Speaker))
			}
		}
	}
	return c
}

// coveringUnits are the units of doc that cover [start, end): overlapping
// at least half of it, or lying at least half inside it. The one that
// overlaps most comes first.
func coveringUnits(units []diffing.Unit, doc int64, start, end int) []int {
	var out []int
	for i, u := range units {
		if u.Doc != doc {
			continue
		}
		ov := overlap(u, start, end)
		if ov == 0 {
			continue
		}
		if 2*ov >= end-start || 2*ov >= unitLen(u) {
			out = append(out, i)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return overlap(units[out[a]], start, end) > overlap(units[out[b]], start, end) })
	return out
}

func overlap(u diffing.Unit, start, end int) int {
	n := 0
	for _, s := range u.Spans {
		if a, b := max(s.Start, start), min(s.End, end); a < b {
			n += b - a
		}
	}
	return n
}

func unitLen(u diffing.Unit) int {
	n := 0
	for _, s := range u.Spans {
		n += s.Len()
	}
	return n
}

// coveringQuote is the quote whose spans overlap [start, end) most.
func coveringQuote(qs []quote.Quote, start, end int) (quote.Quote, bool) {
	best, bestOv := -1, 0
	for i, q := range qs {
		ov := overlap(diffing.Unit{Spans: q.Spans}, start, end)
		if ov > bestOv {
			best, bestOv = i, ov
		}
	}
	if best < 0 {
		return quote.Quote{}, false
	}
	return qs[best], true
}

func referenceUnit(cl diffing.Cluster) int {
	for _, m := range cl.Members {
		if m.Reference {
			return m.Unit
		}
	}
	return -1
}

func refOf(row []scoredInstance) *scoredInstance {
	for i := range row {
		if row[i].Reference {
			return &row[i]
		}
	}
	return nil
}

func meets(a, b []int) bool { return len(intersect(a, b)) > 0 }

func intersect(a, b []int) []int {
	var out []int
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

func relStrings(in *scoredInstance) []string {
	if in.Reference {
		return []string{string(vocab.RelReference)}
	}
	return relNames(in.Relations)
}

func relNames(rs []vocab.Relation) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	if len(out) == 0 {
		return []string{"-"}
	}
	return out
}

func withoutMisattributed(rs []vocab.Relation) []vocab.Relation {
	return slices.DeleteFunc(slices.Clone(rs), func(r vocab.Relation) bool { return r == vocab.RelMisattributed })
}

// ignoreNormalized compares a member with a reference that is itself a
// normalized copy of the expected one: how the member's words are written
// may then differ or not, so normalized drops out, and a member left with
// nothing is verbatim.
func ignoreNormalized(rs []vocab.Relation) []vocab.Relation {
	out := slices.DeleteFunc(slices.Clone(rs), func(r vocab.Relation) bool { return r == vocab.RelNormalized })
	if len(out) == 0 {
		out = []vocab.Relation{vocab.RelVerbatim}
	}
	return out
}

func sameSet(a, b []vocab.Relation) bool {
	if len(a) != len(b) {
		return false
	}
	for _, r := range a {
		if !slices.Contains(b, r) {
			return false
		}
	}
	return true
}

// sameWordsAsReference: the expected relations say the version has the
// reference's words.
func sameWordsAsReference(rs []vocab.Relation) bool {
	for _, r := range rs {
		if r != vocab.RelVerbatim && r != vocab.RelNormalized && r != vocab.RelMisattributed {
			return false
		}
	}
	return len(rs) > 0
}

// claimsSameWords: the engine's relations say the member has the
// reference's words.
func claimsSameWords(rs []vocab.Relation) bool {
	return slices.Contains(rs, vocab.RelVerbatim) || sameWordsAsReference(rs)
}

// sameWords says whether two instances have the same words by the
// expectation: one group's reference and versions expected verbatim or
// normalized, or spans whose words are the same.
func sameWords(texts map[string]string, a, b *scoredInstance) bool {
	if a.group == b.group && a.Kind == scored.KindQuote && b.Kind == scored.KindQuote {
		same := func(in *scoredInstance) bool { return in.Reference || sameWordsAsReference(in.Relations) }
		if same(a) && same(b) {
			return true
		}
	}
	return slices.Equal(foldedWords(spanText(texts, a)), foldedWords(spanText(texts, b)))
}

func spanText(texts map[string]string, in *scoredInstance) string {
	return string([]rune(texts[in.Article])[in.Start:in.End])
}

// foldedWords are the runs of letters and digits in s, lower-cased, with
// apostrophes inside words kept as one straight form.
func foldedWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(strings.ReplaceAll(s, "’", "'")), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	})
}

// nameTitles are words that may stand before a name in a speaker string
// without being a given name: titles, offices, honorifics.
var nameTitles = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "miss": true, "dr": true, "prof": true, "professor": true,
	"sen": true, "senator": true, "rep": true, "representative": true, "gov": true, "governor": true,
	"lt": true, "gen": true, "general": true, "rev": true, "sgt": true, "sir": true, "dame": true, "lord": true,
	"president": true, "vice": true, "secretary": true, "director": true, "press": true, "attorney": true,
	"former": true, "prime": true, "minister": true, "chief": true, "justice": true, "judge": true,
	"mayor": true, "ambassador": true, "adviser": true, "advisor": true, "speaker": true, "leader": true,
	"cllr": true, "councillor": true, "mp": true, "chairman": true, "chair": true, "the": true,
	"deputy": true, "counsel": true, "special": true, "sheriff": true, "officer": true, "spokesman": true,
	"spokeswoman": true, "spokesperson": true, "first": true, "lady": true, "u.s": true, "us": true,
}

// nameWords splits a name into lower-cased words, dropping punctuation
// (periods of abbreviations, commas of "Jr.").
func nameWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(strings.ReplaceAll(s, "’", "'")), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '-'
	})
}

// sameName is the scorer's own rule for whether the engine's speaker
// string got names the person the annotation wants (a full name):
// got contains want's surname (its last word), and the words before it in
// got, titles and offices aside, are empty or include want's first given
// name or its initial. "Trump", "President Trump", "Mr. Trump", "Donald J.
// Trump" and "Washington Gov. Jay Inslee" are compatible with their full
// names; "Ivanka Trump" is not "Donald Trump". It is deliberately not the
// engine's quote.SameSpeaker, so that the measure does not move with it.
func sameName(want, got string) bool {
	w, g := nameWords(want), nameWords(got)
	if len(w) == 0 || len(g) == 0 {
		return false
	}
	surname := w[len(w)-1]
	at := -1
	for i, x := range g {
		if x == surname {
			at = i
		}
	}
	if at < 0 {
		return false
	}
	var before []string
	for _, x := range g[:at] {
		if !nameTitles[x] {
			before = append(before, x)
		}
	}
	if len(before) == 0 || len(w) == 1 {
		return true
	}
	given := w[0]
	for _, x := range before {
		if x == given || len([]rune(x)) == 1 && strings.HasPrefix(given, x) {
			return true
		}
	}
	return false
}

// anyName applies sameName to each of a joint statement's speakers.
func anyName(want, got string) bool {
	for _, w := range strings.Split(want, "|") {
		if sameName(w, got) {
			return true
		}
	}
	return false
}

// samePerson says whether two expected speakers, each a name or joint
// names separated by "|", may be one person.
func samePerson(a, b string) bool {
	for _, x := range strings.Split(a, "|") {
		for _, y := range strings.Split(b, "|") {
			if sameName(x, y) || sameName(y, x) {
				return true
			}
		}
	}
	return false
}

// anyFullName: got gives the given name as well as the surname.
func anyFullName(want, got string) bool {
	for _, w := range strings.Split(want, "|") {
		ww := nameWords(w)
		if sameName(w, got) && (len(ww) == 1 || slices.Contains(nameWords(got), ww[0])) {
			return true
		}
	}
	return false
}

// notNames are capitalised words that are no part of a name when they
// stand for a speaker: pronouns, and what starts a sentence.
var notNames = map[string]bool{
	"he": true, "she": true, "it": true, "they": true, "we": true, "i": true, "he's": true, "she's": true,
	"his": true, "her": true, "their": true, "its": true, "even": true, "other": true, "another": true,
	"a": true, "an": true, "this": true, "that": true, "some": true,
}

// looksLikeName: a speaker string with a capitalised word that is not a
// title, a pronoun or a possessive, as a name has; "the president", "a
// spokeswoman", "He's" and "Israel's prime minister" have none.
func looksLikeName(s string) bool {
	for _, f := range strings.Fields(s) {
		r := []rune(f)
		w := strings.Join(nameWords(f), "")
		possessive := strings.HasSuffix(w, "'s")
		if unicode.IsUpper(r[0]) && !nameTitles[w] && !notNames[w] && !possessive {
			return true
		}
	}
	return false
}

// truncatedName: got is the start of one of want's names cut before the
// surname ("Michael J" for "Michael J. Green").
func truncatedName(want, got string) bool {
	g := nameWords(got)
	for _, w := range strings.Split(want, "|") {
		ww := nameWords(w)
		if len(g) > 0 && len(g) < len(ww) && slices.Equal(ww[:len(g)], g) {
			return true
		}
	}
	return false
}

// cleanSpeaker: starts and ends with a letter or digit.
func cleanSpeaker(s string) bool {
	r := []rune(s)
	ok := func(x rune) bool { return unicode.IsLetter(x) || unicode.IsDigit(x) }
	return len(r) > 0 && ok(r[0]) && ok(r[len(r)-1])
}

// TestScoreRun checks the scorer itself on made-up articles and a made-up
// engine output, so that a measure that could not fail would show here.
func TestScoreRun(t *testing.T) {
	texts := map[string]string{
		"a": `Ann Lee said: "We will rebuild every home this year." Then she left.`,
		"b": `"We will rebuild every home," Lee said. Bob Ray said "the storm was bad" today.`,
	}
	span := func(article, sub string) scored.Span {
		t.Helper()
		i := strings.Index(texts[article], sub)
		if i < 0 {
			t.Fatalf("%q not in %s", sub, article)
		}
		start := len([]rune(texts[article][:i]))
		return scored.Span{Article: article, Start: start, End: start + len([]rune(sub)), Digest: scored.Digest(sub)}
	}
	qs := func(sp scored.Span) []quote.Span { return []quote.Span{{Start: sp.Start, End: sp.End}} }
	refA := span("a", "We will rebuild every home this year.")
	fragB := span("b", "We will rebuild every home")
	storm := span("b", "the storm was bad")
	story := scored.Story{
		Name: "made-up", Articles: []string{"a", "b"},
		Groups: []scored.Group{{ID: "rebuild", Instances: []scored.Instance{
			{Span: refA, Kind: scored.KindQuote, Speaker: "Ann Lee", Reference: true},
			{Span: fragB, Kind: scored.KindQuote, Speaker: "Ann Lee", Relations: []vocab.Relation{vocab.RelFragment}},
		}}},
		Speakers: []scored.Said{{Span: refA, Speaker: "Ann Lee"}, {Span: fragB, Speaker: "Ann Lee"}, {Span: storm, Speaker: "Bob Ray"}},
	}
	if err := story.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := story.Check(texts); err != nil {
		t.Fatal(err)
	}
	run := func(rels []vocab.Relation, clustered bool) scoreCounts {
		r := engineRun{
			quotes: [][]quote.Quote{
				{{Spans: qs(refA), Attribution: quote.Attribution{Speaker: "Ann Lee"}}},
				{{Spans: qs(fragB), Attribution: quote.Attribution{Speaker: "Ms. Lee"}}, {Spans: qs(storm), Attribution: quote.Attribution{Speaker: ". Bob"}}},
			},
			units: []diffing.Unit{
				{Doc: 0, Kind: vocab.UnitQuote, Spans: qs(refA)},
				{Doc: 1, Kind: vocab.UnitQuote, Spans: qs(fragB)},
				{Doc: 1, Kind: vocab.UnitQuote, Spans: qs(storm)},
			},
		}
		if clustered {
			r.clusters = []diffing.Cluster{{Members: []diffing.Member{{Unit: 0, Reference: true}, {Unit: 1, Relations: rels}}}}
		}
		return scoreRun(story, texts, r)
	}

	right := run([]vocab.Relation{vocab.RelFragment}, true)
	if right.Pairs != 1 || right.PairsRecalled != 1 || right.WholeGroups != 1 || right.LabelsExact != 1 || right.FalseVerbatim != 0 {
		t.Errorf("correct engine: %+v", right)
	}
	if right.SpeakerRight != 2 || right.SpeakerSurname != 1 || right.SpeakerWrong != 1 || right.SpeakerUnknown != 0 || len(right.Unclean) != 1 {
		t.Errorf("speakers: right %d (surname %d), wrong %d, unknown %d, unclean %v",
			right.SpeakerRight, right.SpeakerSurname, right.SpeakerWrong, right.SpeakerUnknown, right.Unclean)
	}

	verbatim := run([]vocab.Relation{vocab.RelVerbatim}, true)
	if verbatim.LabelsExact != 0 || verbatim.Assigned != 1 || verbatim.AssignedOK != 0 || verbatim.FalseVerbatim != 1 {
		t.Errorf("a fragment labelled verbatim: exact %d, assigned %d/%d, false verbatim %d",
			verbatim.LabelsExact, verbatim.AssignedOK, verbatim.Assigned, verbatim.FalseVerbatim)
	}

	misattr := run([]vocab.Relation{vocab.RelFragment, vocab.RelMisattributed}, true)
	if misattr.MisattrScored != 1 || misattr.MisattrRight != 0 || misattr.LabelsExact != 1 {
		t.Errorf("one person's two names called misattributed: %d of %d right, labels exact %d",
			misattr.MisattrRight, misattr.MisattrScored, misattr.LabelsExact)
	}

	apart := run(nil, false)
	if apart.PairsRecalled != 0 || apart.WholeGroups != 0 || len(apart.Missed) != 2 || apart.LabelsScored != 0 {
		t.Errorf("nothing clustered: recalled %d, whole %d, missed %v", apart.PairsRecalled, apart.WholeGroups, apart.Missed)
	}
}

func TestSameName(t *testing.T) {
	cases := []struct {
		want, got string
		ok        bool
	}{
		{"Donald Trump", "Donald Trump", true},
		{"Donald Trump", "Trump", true},
		{"Donald Trump", "President Trump", true},
		{"Donald Trump", "Mr. Trump", true},
		{"Donald Trump", "Donald J. Trump", true},
		{"Donald Trump", ". Donald Trump", true},
		{"Jay Inslee", "Washington Gov. Jay Inslee", true},
		{"Chuck Schumer", "Chuck Schumer of New York", true},
		{"Sarah Huckabee Sanders", "Sarah Sanders", true},
		{"Donald Trump", "Ivanka Trump", false},
		{"Donald Trump", "the president", false},
		{"Michael J. Green", "Michael J", false},
		{"Kim Jong Un|Kim", "Mr. Kim", true},
		{"Charlotte Ramsden|Eileen Milner", "Eileen Milner", true},
	}
	for _, c := range cases {
		if got := anyName(c.want, c.got); got != c.ok {
			t.Errorf("anyName(%q, %q) = %v, want %v", c.want, c.got, got, c.ok)
		}
	}
	if !truncatedName("Michael J. Green", "Michael J") || truncatedName("Donald Trump", "Trump") {
		t.Error("truncatedName")
	}
	if looksLikeName("He's") || looksLikeName("the president") || looksLikeName("Israel's prime minister") || !looksLikeName("Robbie Moore") {
		t.Error("looksLikeName")
	}
}
