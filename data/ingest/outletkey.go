package ingest

import (
	"slices"
	"strings"
	"sync"

	"github.com/parallax-research/parallax/data"
)

// LikelySameOutlet groups names that likely name one outlet: "The
// Guardian", "THE GUARDIAN", "The Guardian (London)" (as Nexis names it)
// and "theguardian.com". Sources name an outlet in their own ways, and
// the comparisons count each name as an outlet of its own; the groups are
// for asking the researcher, not for merging, as outlets may share a
// name. So a guess is made only where it is safe: names whose places in
// brackets differ ("The Herald (Glasgow)", "The Herald (Rock Hill, SC)")
// are kept apart, a name without one joins them only when there is one
// such place, and names or hosts the table of outlets lists as different
// outlets ("ABC News", "abc.net.au" for ABC News (Australia)) are never
// grouped. Each group is sorted, and the groups by their first names.
func LikelySameOutlet(names []string) [][]string {
	byBase := map[string][]outletName{}
	for _, n := range names {
		o := readOutletName(n)
		if o.base == "" || slices.ContainsFunc(byBase[o.base], func(m outletName) bool { return m.name == n }) {
			continue
		}
		byBase[o.base] = append(byBase[o.base], o)
	}
	var out [][]string
	for _, ns := range byBase {
		for _, placed := range splitByPlace(ns) {
			for _, g := range splitByListed(placed) {
				if len(g) < 2 || distinctListed(g) {
					continue
				}
				names := make([]string, len(g))
				for i, o := range g {
					names[i] = o.name
				}
				slices.Sort(names)
				out = append(out, names)
			}
		}
	}
	slices.SortFunc(out, func(a, b []string) int { return strings.Compare(a[0], b[0]) })
	return out
}

// distinctListed reports whether the table lists every name of g, each
// as another outlet: no question to ask.
func distinctListed(g []outletName) bool {
	seen := map[string]bool{}
	for _, o := range g {
		if o.listed == "" || seen[o.listed] {
			return false
		}
		seen[o.listed] = true
	}
	return true
}

// outletName is an outlet's name as LikelySameOutlet compares it: base is
// its letters and digits in lower case without "the" or a place in
// brackets, place that place, listed the outlet the table lists it as
// (its own name, or a host's), if any.
type outletName struct {
	name, base, place, listed string
}

func readOutletName(name string) outletName {
	o := outletName{name: name}
	s := strings.ToLower(strings.Join(strings.Fields(name), " "))
	if knownOutlets()[name] {
		o.listed = name
	}
	if !strings.Contains(s, " ") && strings.Contains(s, ".") {
		if h := urlHost("https://" + s); h != "" {
			listed, ok := tableOutlet(h)
			if !ok {
				o.base = hostKey(h)
				return o
			}
			// A host is read as the outlet the table lists it under,
			// however alike the two are ("gov.uk" for "GOV.UK").
			o.listed = listed
			s = strings.ToLower(listed)
		}
	}
	// The reading is the data package's, which a .qdpx import compares
	// outlets by too: one name is one outlet to both.
	o.base, o.place = data.OutletKey(s)
	return o
}

// splitByPlace splits names of one base into those of each place in
// brackets; the names without a place join the one place there is, unless
// the table lists one of them as another outlet than a name of that place
// is.
func splitByPlace(ns []outletName) [][]outletName {
	return splitBy(ns, func(o outletName) string { return o.place }, func(plain, placed []outletName) bool {
		return !slices.ContainsFunc(plain, func(p outletName) bool {
			return p.listed != "" && slices.ContainsFunc(placed, func(q outletName) bool { return q.listed != "" && q.listed != p.listed })
		})
	})
}

// splitByListed splits names of one base and place into those the table
// lists as each outlet ("The Nation", and "nation.africa" for the Kenyan
// Nation); the names it does not list join the one listed outlet there
// is.
func splitByListed(ns []outletName) [][]outletName {
	return splitBy(ns, func(o outletName) string { return o.listed }, func(_, _ []outletName) bool { return true })
}

// splitBy splits ns by key; the names whose key is "" join the one group
// of a key there is if join lets them, and are a group of their own
// otherwise.
func splitBy(ns []outletName, key func(outletName) string, join func(plain, keyed []outletName) bool) [][]outletName {
	byKey := map[string][]outletName{}
	var keys []string
	for _, o := range ns {
		k := key(o)
		if _, ok := byKey[k]; !ok && k != "" {
			keys = append(keys, k)
		}
		byKey[k] = append(byKey[k], o)
	}
	plain := byKey[""]
	if len(keys) == 1 && join(plain, byKey[keys[0]]) {
		return [][]outletName{append(plain, byKey[keys[0]]...)}
	}
	out := [][]outletName{plain}
	for _, k := range keys {
		out = append(out, byKey[k])
	}
	return out
}

// hostKey is the base of a host no outlet is listed under: its registered
// name without its public suffix, subdomains, or a leading "the".
func hostKey(h string) string {
	if isPublicSuffix(h) {
		return "" // no outlet's: "co.uk"
	}
	labels := strings.Split(h, ".")
	// The registered name is the label before the suffix: one label
	// ("com") or two ("co.uk").
	n := len(labels) - 2
	if len(labels) >= 3 && isPublicSuffix(strings.Join(labels[len(labels)-2:], ".")) {
		n = len(labels) - 3
	}
	name := labels[max(n, 0)]
	if rest, ok := strings.CutPrefix(name, "the"); ok && len(rest) >= 3 {
		name = rest
	}
	base, _ := data.OutletKey(name) // one label: no "the " or brackets
	return base
}

// knownOutlets is the table of outlets' names.
var knownOutlets = sync.OnceValue(func() map[string]bool {
	out := make(map[string]bool, len(outletHosts))
	for _, o := range outletHosts {
		out[o] = true
	}
	return out
})
