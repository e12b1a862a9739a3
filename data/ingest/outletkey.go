package ingest

import (
	"slices"
	"strings"
	"sync"
	"unicode"
)

// LikelySameOutlet groups names that likely name one outlet: "The
// Guardian", "THE GUARDIAN", "The Guardian (London)" (as Nexis names it)
// and "theguardian.com". Sources name an outlet in their own ways, and
// the comparisons count each name as an outlet of its own; the groups are
// for asking the researcher, not for merging, as outlets may share a
// name. A group of names the table of outlets lists, each as a different
// outlet ("ABC News", "ABC News (Australia)"), is no group. Each group is
// sorted, and the groups by their first names.
func LikelySameOutlet(names []string) [][]string {
	byKey := map[string][]string{}
	for _, n := range names {
		if k := outletKey(n); k != "" && !slices.Contains(byKey[k], n) {
			byKey[k] = append(byKey[k], n)
		}
	}
	var out [][]string
	for _, g := range byKey {
		if len(g) < 2 || !slices.ContainsFunc(g, func(n string) bool { return !knownOutlets()[n] }) {
			continue
		}
		slices.Sort(g)
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b []string) int { return strings.Compare(a[0], b[0]) })
	return out
}

// outletKey is the form two names of one outlet are likely to share:
// lower case, without "the", a place or edition in brackets, or anything
// but letters and digits; a host by the outlet the table lists it under,
// or else by its registered name. "" for a name without letters or
// digits.
func outletKey(name string) string {
	s := strings.ToLower(strings.Join(strings.Fields(name), " "))
	if !strings.Contains(s, " ") && strings.Contains(s, ".") {
		if h := urlHost("https://" + s); h != "" {
			if o := outletOf("https://"+h, ""); o != h {
				return outletKey(o)
			}
			return hostKey(h)
		}
	}
	for {
		open := strings.LastIndexByte(s, '(')
		if open <= 0 || !strings.HasSuffix(s, ")") {
			break
		}
		s = strings.TrimSpace(s[:open])
	}
	return alnum(strings.TrimPrefix(s, "the "))
}

// hostKey is the key of a host no outlet is listed under: its name
// without its public suffix, subdomains, or a leading "the".
func hostKey(h string) string {
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
	return alnum(name)
}

func alnum(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}

// knownOutlets is the table of outlets' names.
var knownOutlets = sync.OnceValue(func() map[string]bool {
	out := make(map[string]bool, len(outletHosts))
	for _, o := range outletHosts {
		out[o] = true
	}
	return out
})
