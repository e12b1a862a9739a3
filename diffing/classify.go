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

// objectVerbs report to someone named between the verb and what was said:
// "told U.S. senators on the Foreign Relations Committee that …".
var objectVerbs = map[string]bool{"told": true, "tell": true, "warn": true, "assur": true, "inform": true, "remind": true, "promis": true}

// sayStems are the stems of the verbs that report speech with no "that"
// after them: "Chief Patrol Agent Rodney Scott said several groups …".
var sayStems = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{"said", "says", "told", "added", "stated", "warned", "claimed", "insisted", "argued", "explained", "wrote", "tweeted", "admitted", "acknowledged", "confirmed"} {
		m[stem(w)] = true
	}
	return m
}()

// stripFrame drops the reporting frame before what was reported: "X found
// that", "X told the committee that", or "X said" where no "that" follows.
// Reported speech and the quote it reports then match on the reported
// words alone, however long the frame naming the speaker is. At least
// minFindingWords stems are always left.
func stripFrame(w []string) []string {
	verb := func(s string) bool {
		return reportingVerbs[s] || reportingVerbs[s+"ed"] || reportingVerbs[s+"d"] || reportingVerbs[s+"s"]
	}
	for i := 1; i < len(w) && i < 24; i++ {
		if w[i] != "that" || i+minQuoteWords >= len(w) {
			continue
		}
		// Far into a sentence "that" is more often a relative pronoun:
		// only a verb that names whom it tells reaches that far.
		for j := max(0, i-12); j < i; j++ {
			if objectVerbs[w[j]] || i < 10 && i-j <= 3 && verb(w[j]) {
				return w[i+1:]
			}
		}
	}
	for j := 1; j < len(w) && j <= 8; j++ {
		if sayStems[w[j]] && len(w)-j-1 >= minFindingWords {
			return w[j+1:]
		}
	}
	return w
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

// classify compares one member with the reference; tests and callers
// without a passage cache use it.
func classify(ref, m Unit) classified {
	md := newPassageDetailed(m.Text, m.Kind)
	return classifyDetailed(newPassage(ref.Text, ref.Kind).detail(), md.passage, md, true)
}

// classifyPassages compares one member with the reference. The member is
// tokenized only when its text differs from the reference's, and the word
// diff computed only when withDiff asks for it or the relations depend on
// it: an analysis stores relations, and diffs are computed when shown.
func classifyPassages(ref *detailed, mp *passage, withDiff bool) classified {
	return classifyDetailed(ref, mp, nil, withDiff)
}

// classifyDetailed is classifyPassages for a member whose details may be
// at hand already (md, else nil).
func classifyDetailed(ref *detailed, mp *passage, md *detailed, withDiff bool) classified {
	detail := func() *detailed {
		if md == nil {
			md = mp.detail()
		}
		return md
	}
	if bare(ref.text) == bare(mp.text) {
		c := classified{rels: []vocab.Relation{vocab.RelVerbatim}}
		if withDiff {
			m := detail()
			c.diff = wordDiffTokens(ref.text, m.text, ref.toks, m.toks, anchorAbove)
		}
		return c
	}
	m := detail()
	var diff []Edit
	diffed := false
	wordDiff := func() []Edit {
		if !diffed {
			diff, diffed = wordDiffTokens(ref.text, m.text, ref.toks, m.toks, anchorAbove), true
		}
		return diff
	}
	if withDiff {
		wordDiff()
	}
	rw, mw := ref.words, m.words
	var rels []vocab.Relation
	add := func(r vocab.Relation) {
		if !slices.Contains(rels, r) {
			rels = append(rels, r)
		}
	}
	switch {
	case slices.Equal(rw, mw):
		if sameWording(ref.toks, m.toks) {
			// Only punctuation differs ("services," for "services.", a
			// comma where an attribution cut the sentence): the same
			// words, written the same way.
			add(vocab.RelVerbatim)
		} else {
			add(vocab.RelNormalized)
		}
	case containsRun(rw, mw):
		add(vocab.RelFragment)
		if !strings.Contains(ref.text, bare(m.text)) {
			add(vocab.RelNormalized)
		}
	case containsRun(mw, rw):
		// Only bracketed additions ("[him]", "(Russian President
		// Vladimir)") are an editor's insertion, not more of the quote.
		if onlyBracketedInserts(wordDiff()) {
			add(vocab.RelInserted)
		} else {
			add(vocab.RelExtended)
		}
		if !strings.Contains(m.text, bare(ref.text)) {
			add(vocab.RelNormalized)
		}
	default:
		for _, r := range diffRelations(wordDiff()) {
			add(r)
		}
		// Normalized says the words are the same; beside a rewording it
		// would contradict itself.
		if !slices.Contains(rels, vocab.RelReworded) && styleDiffers(ref.toks, m.toks) {
			add(vocab.RelNormalized)
		}
	}
	if ref.kind == vocab.UnitQuote && m.kind == vocab.UnitFinding {
		// Reported speech shifts tense and pronouns by nature; what
		// matters is that it is indirect, and whether figures changed.
		kept := []vocab.Relation{vocab.RelIndirect}
		if slices.Contains(rels, vocab.RelFiguresDiffer) {
			kept = append(kept, vocab.RelFiguresDiffer)
		}
		rels = kept
	}
	if len(rels) == 0 {
		// Differences in punctuation alone.
		rels = []vocab.Relation{vocab.RelVerbatim}
	}
	if !withDiff {
		diff = nil
	}
	return classified{rels, diff}
}

// sameWording reports whether the two texts have the same words written
// the same way, whatever their punctuation.
func sameWording(a, b []token) bool {
	i, j := 0, 0
	for {
		for i < len(a) && a[i].Punct {
			i++
		}
		for j < len(b) && b[j].Punct {
			j++
		}
		if i == len(a) || j == len(b) {
			return i == len(a) && j == len(b)
		}
		if a[i].Text != b[j].Text || titleDot(a, i) != titleDot(b, j) {
			return false
		}
		i++
		j++
	}
}

// titleDot reports whether toks[i] is a title written with its full stop:
// "Mr." in American house style, "Mr" in British, a difference of
// spelling rather than of punctuation.
func titleDot(toks []token, i int) bool {
	return i+1 < len(toks) && toks[i+1].Text == "." && toks[i+1].Start == toks[i].End && quote.IsTitleAbbreviation(toks[i].Text)
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
func styleDiffers(ref, m []token) bool {
	forms := map[string]map[string]bool{}
	for _, t := range ref {
		if t.Punct {
			continue
		}
		if forms[t.Norm] == nil {
			forms[t.Norm] = map[string]bool{}
		}
		forms[t.Norm][t.Text] = true
	}
	for _, t := range m {
		if f, ok := forms[t.Norm]; ok && !t.Punct && !f[t.Text] {
			return true
		}
	}
	return false
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

// ClassifyCluster classifies units as versions of one utterance or finding
// against units[ref], as Align classifies each cluster it finds: every
// other member gets its relations and word diff, and the cluster its kind,
// status and speaker. It is for alignments made elsewhere (passim's
// clusters, say), where the caller knows which passages belong together
// and which one is the reference; members come back in the order of units.
func ClassifyCluster(units []Unit, ref int) Cluster {
	if ref < 0 || ref >= len(units) {
		return Cluster{}
	}
	ps := passages{}
	job := clusterJob{units: make([]int, len(units)), center: []int{ref}}
	for i, u := range units {
		job.units[i] = i
		if k := (passageKey{u.Kind, u.Text}); ps[k] == nil {
			ps[k] = newPassage(u.Text, u.Kind)
		}
	}
	return classifyCluster(units, ps, job, nil, true)
}

// Joins reports whether unit u verifies against ref, a cluster's
// reference, as Align verifies a member against its cluster's center, and
// if so u's relations to it. An incremental analysis adds a new article's
// passages to the clusters they join this way, leaving the clusters'
// other members as they are.
func Joins(ref, u Unit) ([]vocab.Relation, bool) {
	rp, up := newPassage(ref.Text, ref.Kind), newPassage(u.Text, u.Kind)
	dict := map[string]int32{}
	ids := func(stems []string) []int32 {
		out := make([]int32, len(stems))
		for i, s := range stems {
			id, ok := dict[s]
			if !ok {
				id = int32(len(dict))
				dict[s] = id
			}
			out[i] = id
		}
		return out
	}
	a, b := ids(rp.stems), ids(up.stems)
	content := make([]bool, len(dict))
	for s, id := range dict {
		content[id] = !stopStems[s]
	}
	need := 2
	if ref.Kind == vocab.UnitQuote && u.Kind == vocab.UnitQuote {
		need = 1
	}
	if !slices.Equal(a, b) && !similar(a, b, content, need) {
		return nil, false
	}
	cl := classifyPassages(rp.detail(), up, false)
	rels := slices.Clone(cl.rels)
	if misattributed(ref.Attribution, u.Attribution) {
		rels = append(rels, vocab.RelMisattributed)
	}
	return rels, true
}
