package ingest

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/parallax-research/parallax/data"
)

// Publication times: where a source states the time of day and its zone,
// Parallax keeps them, since who carried a remark first is often a matter
// of hours. A page states it in its JSON-LD (datePublished) or its meta
// tags (article:published_time); a news database prints it on the date
// line ("January 31, 2023 Tuesday 9:30 AM GMT") or, in Factiva, in a field
// of its own (ET).

// publishedMeta names, in order of trust, the meta tags (by property,
// name or itemprop) that give a page's publication time.
var publishedMeta = []string{
	"article:published_time", "og:article:published_time", "datepublished",
	"dc.date.issued", "dcterms.issued", "pubdate", "publish-date", "publication_date", "sailthru.date",
}

// publishedDate reads the publication date a page states, with its time
// and zone when it gives them: JSON-LD's datePublished first (as
// readability does), then the meta tags, then a <time itemprop=
// "datePublished">. ok is false when the page states none that parses.
func publishedDate(doc *html.Node) (data.Date, bool) {
	var ld []string
	metas := map[string]string{}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Script:
				if strings.EqualFold(strings.TrimSpace(attr(n, "type")), "application/ld+json") && n.FirstChild != nil {
					ld = append(ld, n.FirstChild.Data)
				}
			case atom.Meta, atom.Time:
				value := attr(n, "content")
				if n.DataAtom == atom.Time {
					value = attr(n, "datetime")
				}
				for _, key := range []string{"property", "name", "itemprop"} {
					k := strings.ToLower(strings.TrimSpace(attr(n, key)))
					if _, seen := metas[k]; k != "" && !seen && strings.TrimSpace(value) != "" {
						metas[k] = value
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	var candidates []string
	for _, src := range ld {
		var v any
		if json.Unmarshal([]byte(src), &v) == nil {
			if s := jsonLDPublished(v, 0); s != "" {
				candidates = append(candidates, s)
			}
		}
	}
	for _, k := range publishedMeta {
		if v, ok := metas[k]; ok {
			candidates = append(candidates, v)
		}
	}
	// A placeholder (JSON-LD's 1970-01-01T00:00:00Z, or its day, beside a
	// real article:published_time) gives way to the next date the page
	// states; given alone, it is returned, for the import to drop or flag
	// and say so.
	var placeholder data.Date
	for _, c := range candidates {
		d, err := parseLooseDateTime(c)
		if err != nil || d.IsZero() {
			continue
		}
		if why, _ := d.Placeholder(); why != "" {
			if placeholder.IsZero() {
				placeholder = d
			}
			continue
		}
		return d, true
	}
	return placeholder, !placeholder.IsZero()
}

// jsonLDPublished finds datePublished in a JSON-LD document: on the object
// itself, in its @graph, or in a list of objects.
func jsonLDPublished(v any, depth int) string {
	if depth > 4 {
		return ""
	}
	switch x := v.(type) {
	case map[string]any:
		if s, ok := x["datePublished"].(string); ok && strings.TrimSpace(s) != "" {
			return s
		}
		if g, ok := x["@graph"]; ok {
			return jsonLDPublished(g, depth+1)
		}
	case []any:
		for _, e := range x {
			if s := jsonLDPublished(e, depth+1); s != "" {
				return s
			}
		}
	}
	return ""
}

// zoneAbbrevs are the zone abbreviations news databases print after a
// time, with their offsets in minutes. Ambiguous ones (IST, CST in Asia)
// are read as the English-language databases use them.
var zoneAbbrevs = map[string]int{
	"gmt": 0, "utc": 0, "ut": 0, "z": 0, "wet": 0,
	"bst": 60, "cet": 60, "met": 60, "wat": 60, "west": 60, "mez": 60,
	"cest": 120, "eet": 120, "mest": 120, "sast": 120, "mesz": 120,
	"eest": 180, "msk": 180,
	"ist": 330,
	"hkt": 480, "awst": 480, "sgt": 480,
	"jst": 540, "kst": 540,
	"aest": 600, "aedt": 660, "nzst": 720, "nzdt": 780,
	"ast": -240, "adt": -180,
	"est": -300, "edt": -240,
	"cst": -360, "cdt": -300,
	"mst": -420, "mdt": -360,
	"pst": -480, "pdt": -420,
}

// usZones are the zones United States outlets name after a time, "12:05
// p.m. ET", which mean standard or daylight time as the day falls: read
// with a fixed offset, half the year would be an hour out. They count
// only after "a.m."/"p.m." (as American style writes them: elsewhere "et"
// is French for "and", and "9:30 Central Edition" names no zone), or, the
// words, before "Time". "Eastern Standard Time" and "Eastern Daylight
// Time" say which: standard is the offset given here, daylight an hour
// more.
var usZones = map[string]struct {
	name     string
	standard int
}{
	"et": {"America/New_York", -300}, "eastern": {"America/New_York", -300},
	"ct": {"America/Chicago", -360}, "central": {"America/Chicago", -360},
	"mt": {"America/Denver", -420}, "mountain": {"America/Denver", -420},
	"pt": {"America/Los_Angeles", -480}, "pacific": {"America/Los_Angeles", -480},
}

// usZoneNamed reports whether words, which start with a word of usZones,
// name that zone: "ET" after a meridiem; "Eastern" before "Time", or
// "Standard Time" or "Daylight Time", or, after a meridiem, ending the
// line ("9:30 a.m. Eastern"); not "Central Edition" nor "Central European
// Time".
func usZoneNamed(words []string, meridiem bool) bool {
	if len(words[0]) == 2 {
		return meridiem
	}
	switch {
	case len(words) == 1:
		// "9:30 a.m. Eastern" ending the line; "09.30 Central" is no zone.
		return meridiem
	case words[1] == "time":
		return true
	case (words[1] == "standard" || words[1] == "daylight") && len(words) > 2 && words[2] == "time":
		return true
	}
	return false
}

// europeanOffsets are the European zones' standard offsets, by the word
// naming them.
var europeanOffsets = map[string]int{"western": 0, "central": 60, "eastern": 120}

// europeanZone reads "Central European Time", "Central European Summer
// Time" and the Western and Eastern ones from words, giving the offset and
// the words it took.
func europeanZone(words []string) (offset, n int, ok bool) {
	off, known := europeanOffsets[words[0]]
	if !known || len(words) < 3 || words[1] != "european" {
		return 0, 0, false
	}
	switch {
	case words[2] == "time":
		return off, 3, true
	case words[2] == "summer" && len(words) > 3 && words[3] == "time":
		return off + 60, 4, true
	}
	return 0, 0, false
}

// clock is a time of day read from a date line.
type clock struct {
	h, m, s int
	prec    data.Precision
	// zoned says the line named the zone: offset minutes east of UTC,
	// or, when loc is set, the offset loc has on the day.
	zoned  bool
	offset int
	loc    *time.Location
	// used counts the words the time took.
	used int
}

// clockTime reads a time of day from the words of a date line, lower
// case: "9:30", "09:30:15" or "9:30am", perhaps followed by "am"/"pm" (or
// "a", "m" as "a.m." splits) and a zone ("gmt", "est", "+0100", "et").
// It counts the words it used, so that the caller does not count them as
// noise; ok is false when the words hold no time.
func clockTime(words []string) (c clock, ok bool) {
	at := -1
	meridiem := ""
	attached := 0 // the words after the time that a meridiem run on took ("9:30a", "m")
	for i, w := range words {
		attached = 0
		for _, suffix := range []string{"am", "pm", "a", "p"} {
			t, found := strings.CutSuffix(w, suffix)
			if !found || !strings.Contains(t, ":") {
				continue
			}
			if len(suffix) == 1 {
				// "9:30a.m." splits at its points into "9:30a", "m".
				if i+1 >= len(words) || words[i+1] != "m" {
					continue
				}
				attached = 1
				suffix += "m"
			}
			w, meridiem = t, suffix
			break
		}
		parts := strings.Split(w, ":")
		if len(parts) < 2 || len(parts) > 3 {
			meridiem = ""
			continue
		}
		var nums [3]int
		good := true
		for j, p := range parts {
			// Digits only: Atoi also takes "-1" and "+9".
			n, err := strconv.Atoi(p)
			if err != nil || !allDigits(p) || (j == 0 && len(p) > 2) || (j > 0 && len(p) != 2) {
				good = false
				break
			}
			nums[j] = n
		}
		if !good || nums[0] > 23 || nums[1] > 59 || nums[2] > 59 {
			meridiem = ""
			continue
		}
		c.h, c.m, c.s, at = nums[0], nums[1], nums[2], i
		c.prec = data.PrecisionMinute
		if len(parts) == 3 {
			c.prec = data.PrecisionSecond
		}
		break
	}
	if at < 0 {
		return clock{}, false
	}
	c.used = 1 + attached
	rest := words[at+1+attached:]
	switch {
	case meridiem != "":
	case len(rest) > 0 && (rest[0] == "am" || rest[0] == "pm"):
		meridiem = rest[0]
		c.used++
		rest = rest[1:]
	case len(rest) > 1 && (rest[0] == "a" || rest[0] == "p") && rest[1] == "m":
		meridiem = rest[0] + "m"
		c.used += 2
		rest = rest[2:]
	}
	if meridiem != "" {
		c.h = twelveHour(c.h, meridiem == "pm")
	}
	if len(rest) > 0 && rest[0] == "uhr" {
		c.used++
		rest = rest[1:]
	}
	if off, loc, n := zoneOf(rest, meridiem != ""); n > 0 {
		c.zoned, c.offset, c.loc = true, off, loc
		c.used += n
	}
	return c, true
}

// zoneOf reads the zone that words, lower case, name after a time (with
// a.m. or p.m. before them when meridiem is set): an abbreviation, a
// European or an American zone's name, or an offset ("+0100"). It gives
// the offset in minutes east of UTC, or the zone's location when the
// offset depends on the day, and how many words it took: 0 for none.
func zoneOf(words []string, meridiem bool) (offset int, loc *time.Location, n int) {
	if len(words) == 0 {
		return 0, nil, 0
	}
	next := func(k int) string {
		if k < len(words) {
			return words[k]
		}
		return ""
	}
	if off, known := zoneAbbrevs[words[0]]; known {
		return off, nil, 1
	}
	if off, n, known := europeanZone(words); known {
		return off, nil, n
	}
	if us, known := usZones[words[0]]; known && usZoneNamed(words, meridiem) {
		if (next(1) == "standard" || next(1) == "daylight") && next(2) == "time" {
			if next(1) == "daylight" {
				return us.standard + 60, nil, 3
			}
			return us.standard, nil, 3
		}
		loc, err := time.LoadLocation(us.name)
		switch {
		case err != nil:
			return 0, nil, 0
		case next(1) == "time":
			return 0, loc, 2
		}
		return 0, loc, 1
	}
	if w := words[0]; len(w) == 5 && (w[0] == '+' || w[0] == '-') && allDigits(w[1:]) {
		if hh, err1 := strconv.Atoi(w[1:3]); err1 == nil {
			if mm, err2 := strconv.Atoi(w[3:]); err2 == nil && hh <= 18 && mm < 60 {
				if w[0] == '-' {
					return -(hh*60 + mm), nil, 1
				}
				return hh*60 + mm, nil, 1
			}
		}
	}
	return 0, nil, 0
}

// colonTimes writes a time of day set with a point, as British papers
// set it ("Tue 31 Jan 2023 09.30 GMT", "9.30am"), with a colon, so that
// splitting the line at points keeps it whole. Only a point time that
// "am"/"pm" or "a.m."/"p.m." follows (run on or not), or a zone the lines
// name, a numeric offset or "Uhr", is one: "31.01.2023", "vol. 12.30 of"
// and "Page 12.30" are left as they are.
func colonTimes(line string) string {
	words := strings.Fields(line)
	changed := false
	for i, w := range words {
		lw := strings.ToLower(strings.TrimRight(w, ","))
		t, meridiem := lw, false
		for _, suffix := range []string{"am", "pm", "a.m.", "p.m."} {
			if c, found := strings.CutSuffix(lw, suffix); found {
				t, meridiem = c, true
				break
			}
		}
		h, m, found := strings.Cut(t, ".")
		if !found || len(h) < 1 || len(h) > 2 || len(m) != 2 || !allDigits(h) || !allDigits(m) {
			continue
		}
		if !meridiem && !timeFollows(words[i+1:]) {
			continue
		}
		words[i] = strings.Replace(w, ".", ":", 1)
		changed = true
	}
	if !changed {
		return line
	}
	return strings.Join(words, " ")
}

// timeFollows reports whether the words after a number make it a time of
// day: a meridiem, "Uhr", or a zone as clockTime reads one (zoneOf).
func timeFollows(words []string) bool {
	if len(words) == 0 {
		return false
	}
	switch strings.ToLower(strings.TrimRight(words[0], ",;:")) {
	case "am", "pm", "a.m.", "p.m.":
		return true
	}
	// Other words are read without the point that may end the line.
	lower := make([]string, 0, 4)
	for _, w := range words[:min(4, len(words))] {
		lower = append(lower, strings.ToLower(strings.TrimRight(w, ",.;:")))
	}
	if lower[0] == "uhr" {
		return true
	}
	_, _, n := zoneOf(lower, false)
	return n > 0
}

func allDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// twelveHour turns a 12-hour clock reading into 24 hours.
func twelveHour(h int, pm bool) int {
	switch {
	case pm && h < 12:
		return h + 12
	case !pm && h == 12:
		return 0
	}
	return h
}

// withClock puts a time of day read by clockTime on a day.
func withClock(d data.Date, words []string) (data.Date, int) {
	if d.Precision != data.PrecisionDay {
		return d, 0
	}
	c, ok := clockTime(words)
	if !ok {
		return d, 0
	}
	if c.loc != nil {
		_, off := time.Date(d.Year, time.Month(d.Month), d.Day, c.h, c.m, c.s, 0, c.loc).Zone()
		c.offset = off / 60
	}
	d.Hour, d.Minute, d.Second, d.Precision, d.Zoned, d.Offset = c.h, c.m, c.s, c.prec, c.zoned, c.offset
	return d, c.used
}
