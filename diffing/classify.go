package diffing

import (
	"slices"
	"strings"

	"github.com/parallax-research/parallax/diffing/quote"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// reportingVerbs introduce reported speech; a finding's leading "The report
// found that" or trailing ", inspectors said" is framing, not content, and
// is left out when passages are matched.
var reportingVerbs = map[string]bool{
	"said": true, "says": true, "found": true, "finds": true, "added": true, "told": true, "stated": true,
	"warned": true, "noted": true, "concluded": true, "reported": true, "claimed": true, "argued": true,
	"explained": true, "admitted": true, "insisted": true, "revealed": true, "suggested": true,
	"acknowledged": true, "confirmed": true, "described": true, "highlighted": true, "judged": true,
	"according": true,
}

// beForms and similar map inflections that reported speech shifts (are →
// were, has → had) onto one form.
var lemma = map[string]string{
	"is": "be", "are": "be", "was": "be", "were": "be", "been": "be", "being": "be", "am": "be",
	"has": "have", "had": "have", "having": "have",
	"will": "would", "can": "could", "shall": "should", "may": "might",
	"we": "they", "our": "their", "us": "them", "i": "he", "my": "his",
}

// stem folds a normalised word to a crude stem. It only has to make a tense
// or number shift match itself ("continue"/"continued", "need"/"needed");
// it is never shown.
func stem(w string) string {
	if l, ok := lemma[w]; ok {
		return l
	}
	n := len(w)
	switch {
	case n > 4 && strings.HasSuffix(w, "ies"):
		return w[:n-3] + "y"
	case n > 5 && strings.HasSuffix(w, "ing"):
		return w[:n-3]
	case n > 4 && strings.HasSuffix(w, "ed"):
		w = w[:n-2]
	case n > 3 && strings.HasSuffix(w, "es") && !strings.HasSuffix(w, "ses"):
		w = w[:n-2]
	case n > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss"):
		w = w[:n-1]
	}
	return strings.TrimSuffix(w, "e")
}

// matchStems is the sequence a unit is matched by: its words, normalised
// and stemmed, figures in canonical form, punctuation dropped, and for
// findings without the reporting frame.
func matchStems(u Unit) []string {
	var words []string
	figs := Figures(u.Text)
	fi := 0
	for _, t := range tokenize(u.Text) {
		if t.Punct {
			continue
		}
		for fi < len(figs) && figs[fi].End <= t.Start {
			fi++
		}
		if fi < len(figs) && figs[fi].Start <= t.Start && t.End <= figs[fi].End {
			if len(words) == 0 || words[len(words)-1] != "#"+figs[fi].Canonical() {
				words = append(words, "#"+figs[fi].Canonical())
			}
			continue
		}
		words = append(words, stem(t.Norm))
	}
	if u.Kind == vocab.UnitFinding {
		words = stripFrame(words)
	}
	return words
}

// stripFrame drops "X found that" at the start and ", X said" at the end.
func stripFrame(w []string) []string {
	for i := 0; i < len(w) && i < 10; i++ {
		if w[i] == "that" && i > 0 && i+minQuoteWords < len(w) {
			for j := max(0, i-3); j < i; j++ {
				if reportingVerbs[w[j]] || reportingVerbs[w[j]+"ed"] || reportingVerbs[w[j]+"d"] || reportingVerbs[w[j]+"s"] {
					return w[i+1:]
				}
			}
		}
	}
	return w
}

// classifyCluster picks the reference and classifies every member.
func classifyCluster(units []Unit, members []int, pinned func(int) bool) Cluster {
	ref := -1
	if pinned != nil {
		for _, m := range members {
			if pinned(m) {
				ref = m
				break
			}
		}
	}
	if ref < 0 {
		// Word counts per distinct text: a cluster may hold thousands of
		// copies of a few versions.
		counts := map[string]int{}
		words := func(u Unit) int {
			n, ok := counts[u.Text]
			if !ok {
				n = countWords(u.Text)
				counts[u.Text] = n
			}
			return n
		}
		ref = members[0]
		for _, m := range members[1:] {
			if moreComplete(units[m], units[ref], words) {
				ref = m
			}
		}
	}
	c := Cluster{Kind: vocab.UnitQuote, Status: vocab.StatusAgree}
	cache := map[string]classified{}
	for _, m := range members {
		u := units[m]
		if u.Kind != vocab.UnitQuote {
			c.Kind = vocab.UnitFinding
		}
		if m == ref {
			c.Members = append(c.Members, Member{Unit: m, Reference: true})
			continue
		}
		key := string(u.Kind) + "\x00" + u.Text
		cl, ok := cache[key]
		if !ok {
			cl = classify(units[ref], u)
			cache[key] = cl
		}
		rels := slices.Clone(cl.rels)
		if misattributed(units[ref].Attribution, u.Attribution) {
			rels = append(rels, vocab.RelMisattributed)
		}
		for _, r := range rels {
			if !r.Faithful() {
				c.Status = vocab.StatusDiverge
			}
		}
		c.Members = append(c.Members, Member{Unit: m, Relations: rels, Diff: cl.diff})
	}
	c.Speaker = clusterSpeaker(units, members, ref)
	return c
}

// moreComplete orders candidates for reference: a direct quote over a
// paraphrase, then the longer version, then the earlier one.
func moreComplete(a, b Unit, words func(Unit) int) bool {
	if (a.Kind == vocab.UnitQuote) != (b.Kind == vocab.UnitQuote) {
		return a.Kind == vocab.UnitQuote
	}
	return words(a) > words(b)
}

// clusterSpeaker is the reference's speaker, else the one most members
// give; then the fullest name among the members that quote.SameEntity
// says is that person ("Donald Trump" over "Trump").
func clusterSpeaker(units []Unit, members []int, ref int) string {
	best := units[ref].Attribution
	if best.Speaker == "" {
		counts := map[string]int{}
		for _, m := range members {
			a := units[m].Attribution
			if a.Speaker == "" {
				continue
			}
			counts[a.Speaker]++
			if n := counts[a.Speaker]; n > counts[best.Speaker] || n == counts[best.Speaker] && a.Speaker < best.Speaker {
				best = a
			}
		}
	}
	for _, m := range members {
		a := units[m].Attribution
		if len(strings.Fields(a.Speaker)) <= len(strings.Fields(best.Speaker)) {
			continue
		}
		if same, known := quote.SameEntity(best, a); same && known {
			best = a
		}
	}
	return best.Speaker
}

// misattributed: both versions name a person, confidently, and
// quote.SameEntity knows them to be different people. An unresolved role
// noun ("the spokesman") is unknown, not different. Organisations and
// documents ("Ofsted", "the report") are often interchangeable sources of
// the same words, so they never count.
func misattributed(a, b quote.Attribution) bool {
	if a.Kind != quote.SpeakerPerson || b.Kind != quote.SpeakerPerson || a.Confidence < 0.5 || b.Confidence < 0.5 {
		return false
	}
	same, known := quote.SameEntity(a, b)
	return known && !same
}

type classified struct {
	rels []vocab.Relation
	diff []Edit
}

// classify compares one member with the reference.
func classify(ref, m Unit) classified {
	diff := WordDiff(ref.Text, m.Text)
	if bare(ref.Text) == bare(m.Text) {
		return classified{[]vocab.Relation{vocab.RelVerbatim}, diff}
	}
	rw, mw := compareWords(ref.Text), compareWords(m.Text)
	var rels []vocab.Relation
	add := func(r vocab.Relation) {
		if !slices.Contains(rels, r) {
			rels = append(rels, r)
		}
	}
	switch {
	case slices.Equal(rw, mw):
		add(vocab.RelNormalized)
	case containsRun(rw, mw):
		add(vocab.RelFragment)
		if !strings.Contains(ref.Text, bare(m.Text)) {
			add(vocab.RelNormalized)
		}
	case containsRun(mw, rw):
		// Only bracketed additions ("[him]", "(Russian President
		// Vladimir)") are an editor's insertion, not more of the quote.
		if onlyBracketedInserts(diff) {
			add(vocab.RelInserted)
		} else {
			add(vocab.RelExtended)
		}
		if !strings.Contains(m.Text, bare(ref.Text)) {
			add(vocab.RelNormalized)
		}
	default:
		for _, r := range diffRelations(diff) {
			add(r)
		}
		if styleDiffers(ref.Text, m.Text) {
			add(vocab.RelNormalized)
		}
	}
	if ref.Kind == vocab.UnitQuote && m.Kind == vocab.UnitFinding {
		// Reported speech shifts tense and pronouns by nature; what
		// matters is that it is indirect, and whether figures changed.
		kept := []vocab.Relation{vocab.RelIndirect}
		if slices.Contains(rels, vocab.RelFiguresDiffer) {
			kept = append(kept, vocab.RelFiguresDiffer)
		}
		rels = kept
	}
	return classified{rels, diff}
}

// bare drops the trailing punctuation a quote gets from its attribution:
// "…services," she said quotes the same words as "…services."
func bare(s string) string {
	return strings.TrimRight(strings.TrimSpace(s), ".,;: ")
}

// styleDiffers reports whether a word the two versions share is written
// differently (curly against straight apostrophe, capitalisation), which
// earns the normalized label alongside another relation (elided +
// normalized).
func styleDiffers(ref, m string) bool {
	forms := map[string]map[string]bool{}
	for _, t := range tokenize(ref) {
		if t.Punct {
			continue
		}
		if forms[t.Norm] == nil {
			forms[t.Norm] = map[string]bool{}
		}
		forms[t.Norm][t.Text] = true
	}
	for _, t := range tokenize(m) {
		if f, ok := forms[t.Norm]; ok && !t.Punct && !f[t.Text] {
			return true
		}
	}
	return false
}

// compareWords are the normalised words of s, punctuation and ellipses
// dropped, figures in canonical form.
func compareWords(s string) []string {
	var out []string
	figs := Figures(s)
	fi := 0
	for _, t := range tokenize(s) {
		if t.Punct {
			continue
		}
		for fi < len(figs) && figs[fi].End <= t.Start {
			fi++
		}
		if fi < len(figs) && figs[fi].Start <= t.Start && t.End <= figs[fi].End {
			c := "#" + figs[fi].Canonical()
			if len(out) == 0 || out[len(out)-1] != c {
				out = append(out, c)
			}
			continue
		}
		out = append(out, t.Norm)
	}
	return out
}

// containsRun reports whether sub occurs as a contiguous run in s.
func containsRun(s, sub []string) bool {
	if len(sub) == 0 || len(sub) > len(s) {
		return false
	}
	for i := 0; i+len(sub) <= len(s); i++ {
		if slices.Equal(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// diffRelations reads the relations off a word diff: deletions are
// elisions, bracketed insertions editorial insertions, a deletion replaced
// by other words a rewording, or a figures difference when the replaced
// words are figures with other values.
func diffRelations(diff []Edit) []vocab.Relation {
	var rels []vocab.Relation
	add := func(r vocab.Relation) {
		if !slices.Contains(rels, r) {
			rels = append(rels, r)
		}
	}
	for i := 0; i < len(diff); i++ {
		e := diff[i]
		switch e.Op {
		case OpDelete:
			if i+1 < len(diff) && diff[i+1].Op == OpInsert {
				add(substitution(e.Text, diff[i+1].Text))
				i++
				continue
			}
			if isWordless(e.Text) {
				continue
			}
			add(vocab.RelElided)
		case OpInsert:
			switch {
			case isEllipsis(e.Text):
				add(vocab.RelElided)
			case isBracketed(e.Text):
				add(vocab.RelInserted)
			case isWordless(e.Text):
			default:
				add(vocab.RelExtended)
			}
		}
	}
	// Words added and dropped in different places are a rewording, not an
	// extension of the whole.
	if slices.Contains(rels, vocab.RelExtended) && (slices.Contains(rels, vocab.RelElided) || slices.Contains(rels, vocab.RelReworded)) {
		rels = slices.DeleteFunc(rels, func(r vocab.Relation) bool { return r == vocab.RelExtended })
		add(vocab.RelReworded)
	}
	return rels
}

// substitution classifies a deleted run replaced by an inserted one.
func substitution(del, ins string) vocab.Relation {
	if isEllipsis(ins) {
		return vocab.RelElided
	}
	if isBracketed(ins) {
		return vocab.RelInserted
	}
	df, inf := Figures(del), Figures(ins)
	if len(df) > 0 && len(inf) > 0 {
		if canonicals(df) != canonicals(inf) {
			return vocab.RelFiguresDiffer
		}
		return vocab.RelNormalized
	}
	dw, iw := compareWords(del), compareWords(ins)
	if slices.Equal(dw, iw) {
		return vocab.RelNormalized
	}
	// The semantic cleanup merges "every[- single child in this city-]{+
	// child+}" into one replacement; keeping only some of the words is
	// still an elision.
	if isSubsequence(iw, dw) {
		return vocab.RelElided
	}
	return vocab.RelReworded
}

func onlyBracketedInserts(diff []Edit) bool {
	n := 0
	for _, e := range diff {
		if e.Op == OpInsert && !isWordless(e.Text) {
			if !isBracketed(e.Text) {
				return false
			}
			n++
		}
	}
	return n > 0
}

// isSubsequence reports whether sub's words all appear in s, in order.
func isSubsequence(sub, s []string) bool {
	i := 0
	for _, w := range s {
		if i < len(sub) && sub[i] == w {
			i++
		}
	}
	return i == len(sub)
}

func canonicals(fs []Figure) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.Canonical())
		b.WriteByte('|')
	}
	return b.String()
}

func isEllipsis(s string) bool {
	t := strings.TrimSpace(s)
	return t == "…" || t == "..." || strings.Trim(t, ".… []") == "" && strings.ContainsAny(t, ".…")
}

func isBracketed(s string) bool {
	t := strings.TrimSpace(s)
	return len(t) > 2 && ((t[0] == '[' && t[len(t)-1] == ']') || (t[0] == '(' && t[len(t)-1] == ')'))
}

func isWordless(s string) bool {
	for _, t := range tokenize(s) {
		if !t.Punct {
			return false
		}
	}
	return true
}
