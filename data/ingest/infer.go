package ingest

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	// The time zones of objectIDHosts, on systems without a zone database.
	_ "time/tzdata"
	"unicode"
	"unicode/utf8"

	"github.com/parallax-research/parallax/data"
)

// Inference: metadata read from what an article's text and address show
// when neither the file nor a sheet states it. Each inferred field is
// flagged in Article.Inferred for the researcher to check, and inference
// only ever fills an empty field: what was given is never overwritten.

// inferMeta fills a's empty title, outlet, date and author from its text
// and URL, and flags each field it fills; warning says what it would not
// infer.
func inferMeta(a *data.Article) (warning string) {
	flag := func(field string) { a.Inferred = append(a.Inferred, field) }
	if a.Title == "" {
		if t := headline(a.Text); t != "" {
			a.Title = t
			flag(data.FieldTitle)
		}
	}
	if a.Outlet == "" {
		if o := outletOf(a.URL, a.Text); o != "" {
			a.Outlet = o
			flag(data.FieldOutlet)
		}
	}
	if a.Date.IsZero() {
		// An address's /1970/01/01/ is a placeholder as much as a date
		// field's: not inferred (see Importer.settleDate), and said.
		if d, ok := dateOf(a.URL, a.Text); ok {
			if why, _ := d.Placeholder(); why == "" {
				a.Date = d
				flag(data.FieldDate)
			} else {
				warning = fmt.Sprintf("the date %s its address or text gives is %s, which may not be a day the article came out: not inferred, so the article has no date", d, why)
			}
		}
	}
	if a.Author == "" {
		if b := bylineOf(a.Text); b != "" {
			a.Author = b
			flag(data.FieldAuthor)
		}
	}
	return warning
}

// topLines returns the first n non-blank lines of text, trimmed.
func topLines(text string, n int) []string {
	var out []string
	for line := range strings.Lines(text) {
		if l := strings.TrimSpace(line); l != "" {
			out = append(out, l)
			if len(out) == n {
				break
			}
		}
	}
	return out
}

// headline returns the text's first line when it reads as a headline:
// short, starting with a capital or a digit, not ending like a sentence
// (a full stop, colon, comma or semicolon), and followed by body text.
// Many saved articles open with theirs; a lede that opens the text ends
// with a full stop and is left alone.
func headline(text string) string {
	lines := topLines(text, 2)
	if len(lines) < 2 {
		return ""
	}
	first := lines[0]
	words := strings.Fields(first)
	if len(words) < 3 || len(words) > 20 || utf8.RuneCountInString(first) > 160 {
		return ""
	}
	r, _ := utf8.DecodeRuneInString(first)
	if !unicode.IsUpper(r) && !unicode.IsDigit(r) && !strings.ContainsRune(`"'“‘`, r) {
		return ""
	}
	last, _ := utf8.DecodeLastRuneInString(first)
	if strings.ContainsRune(".:;,", last) || bylineRe().MatchString(first) {
		return ""
	}
	// Body text: more words after the line than in it, many times over.
	if data.CountWords(text)-len(words) < 5*len(words) {
		return ""
	}
	return first
}

// outletOf names the outlet from the URL's host, through the table of
// outlets or as the bare host, or else from page furniture in the text.
func outletOf(rawURL, text string) string {
	if host := urlHost(rawURL); host != "" {
		if o, ok := tableOutlet(host); ok {
			return o
		}
		return host
	}
	for _, f := range furnitureRes() {
		if !f.named {
			if m := f.re.FindStringSubmatch(text); m != nil {
				if f.outlet != "" {
					return f.outlet
				}
				return strings.TrimSpace(m[1])
			}
			continue
		}
		for _, m := range f.re.FindAllStringSubmatch(text, -1) {
			if o, ok := namedOutlet(strings.TrimSpace(m[1])); ok {
				return o
			}
		}
	}
	return ""
}

// namedOutlet reports whether name, from a "More from" line, names an
// outlet: one the table lists, however the page spells it ("the
// Guardian"), which is then named as the table does, or a newspaper's
// name of two words or more ending in a masthead word. A section's name
// is not an outlet: "Sport" and "UK News" are not names of either kind,
// and the table's everyday words ("Science", "Metro"; see
// commonWordName) and a section's word before a masthead word
// ("Education Guardian", "Travel Times") are taken for sections too.
func namedOutlet(name string) (string, bool) {
	if o, ok := tableNames()[readOutletName(name).base]; ok && !commonWordName(name) {
		return o, true
	}
	words := strings.Fields(name)
	if len(words) >= 2 && mastheadWords[strings.ToLower(words[len(words)-1])] &&
		(len(words) > 2 || !sectionWords[strings.ToLower(words[0])]) {
		return name, true
	}
	return "", false
}

// commonWordName reports whether name, as a page writes it, is an outlet
// of commonWordOutlets written otherwise than as the table writes it with
// its "The": "Time", "Metro", "The Metro" and "Science" are, "The
// Atlantic" and "The Week" are not, for an ordinary word is seldom written
// so.
func commonWordName(name string) bool {
	base := readOutletName(name).base
	if !commonWordOutlets[base] {
		return false
	}
	o := tableNames()[base]
	return !strings.HasPrefix(o, "The ") || !strings.HasPrefix(strings.ToLower(cleanSpace(name)), "the ")
}

// tableNames maps each outlet name in the table, as LikelySameOutlet
// compares names (lower case, letters and digits, without "the"), to the
// name. Names that compare alike but differ are left out: which one a
// page meant cannot be told.
var tableNames = sync.OnceValue(func() map[string]string {
	out := map[string]string{}
	clash := map[string]bool{}
	for o := range knownOutlets() {
		b := readOutletName(o).base
		if prev, ok := out[b]; ok && prev != o {
			clash[b] = true
		}
		out[b] = o
	}
	for b := range clash {
		delete(out, b)
	}
	return out
})

// tableOutlet is the outlet the table lists host under, or under a parent
// of it (news.example.co.uk, then example.co.uk).
func tableOutlet(host string) (string, bool) {
	for h := host; strings.Count(h, ".") >= 1; {
		if o, ok := outletHosts[h]; ok {
			return o, true
		}
		_, parent, _ := strings.Cut(h, ".")
		if !strings.Contains(parent, ".") || isPublicSuffix(parent) {
			break
		}
		h = parent
	}
	return "", false
}

var furnitureRes = sync.OnceValue(func() []struct {
	re     *regexp.Regexp
	outlet string
	named  bool
} {
	out := make([]struct {
		re     *regexp.Regexp
		outlet string
		named  bool
	}, len(outletFurniture))
	for i, f := range outletFurniture {
		out[i].re, out[i].outlet, out[i].named = regexp.MustCompile(f.pattern), f.outlet, f.named
	}
	return out
})

// urlHost is the host of an absolute http(s) URL, lower-cased, without
// "www." or a mobile or AMP prefix; "" for anything else.
func urlHost(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return ""
	}
	h := strings.ToLower(u.Hostname())
	for _, p := range []string{"www.", "m.", "amp.", "mobile."} {
		if rest, ok := strings.CutPrefix(h, p); ok && strings.Contains(rest, ".") {
			h = rest
		}
	}
	return h
}

// isPublicSuffix reports the two-part suffixes under which outlets
// register (co.uk, com.au): a host is never looked up by one of them.
func isPublicSuffix(h string) bool {
	first, rest, _ := strings.Cut(h, ".")
	if strings.Contains(rest, ".") {
		return false
	}
	switch first {
	case "co", "com", "org", "net", "gov", "ac", "or", "go", "ne":
		return len(rest) == 2
	}
	return false
}

var (
	// A date in a URL's path: /2023/01/31/, /2023-01-31/, /20230131/ or
	// /2023/01/ (a month).
	urlDateRe  = lazyRegexp(`/((?:19|20)\d\d)[/-](0[1-9]|1[0-2])(?:[/-](0[1-9]|[12]\d|3[01]))?(?:[/-]|$)`)
	urlDate8Re = lazyRegexp(`/((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:[/_-]|$)`)
	objectIDRe = lazyRegexp(`_([0-9a-f]{8})[0-9a-f]{16}/?$`)
	// A date line near the top of the text: "Published 31 January 2023",
	// "Monday 31 January 2023 14:05", "January 31, 2023", "31 Jan 2023".
	dateLineRe = lazyRegexp(`(?i)^(?:[-•·]\s*)?(?:(?:published|updated|posted|first published)(?: on)?:?\s*)?` +
		`(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?,?\s+)?` +
		`(?:(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\.?,?\s+(\d{4})|([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4}))` +
		`(?:[\s,]+(?:at\s+)?\d{1,2}[:.]\d\d\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?\s*$`)
)

// dateOf finds the date from the URL's path, or from a date line among
// the text's first lines (a dateline or "Published ..."). Only the top of
// the text is read: the foot of a saved page lists other articles' dates.
func dateOf(rawURL, text string) (data.Date, bool) {
	if u, err := url.Parse(strings.TrimSpace(rawURL)); err == nil && u.Path != "" {
		if m := urlDateRe().FindStringSubmatch(u.Path); m != nil {
			return ymd(m[1], m[2], m[3])
		}
		if m := urlDate8Re().FindStringSubmatch(u.Path); m != nil {
			return ymd(m[1], m[2], m[3])
		}
		if zone, ok := objectIDHosts[urlHost(rawURL)]; ok {
			if m := objectIDRe().FindStringSubmatch(u.Path); m != nil {
				secs, _ := strconv.ParseInt(m[1], 16, 64) // eight hex digits always parse
				loc, err := time.LoadLocation(zone)
				if err != nil {
					loc = time.UTC
				}
				t := time.Unix(secs, 0).In(loc)
				return data.Date{Year: t.Year(), Month: int(t.Month()), Day: t.Day(), Precision: data.PrecisionDay}, true
			}
		}
	}
	for _, l := range topLines(text, 6) {
		if len(l) > 80 {
			continue
		}
		m := dateLineRe().FindStringSubmatch(l)
		if m == nil {
			continue
		}
		day, month, year := m[1], m[2], m[3]
		if day == "" {
			day, month, year = m[5], m[4], m[6]
		}
		mon, ok := monthNumber(month)
		if !ok {
			continue
		}
		if d, ok := ymd(year, strconv.Itoa(mon), day); ok {
			return d, true
		}
	}
	return data.Date{}, false
}

// ymd builds a date from decimal fields; an empty day makes a month.
func ymd(year, month, day string) (data.Date, bool) {
	y, err1 := strconv.Atoi(year)
	m, err2 := strconv.Atoi(month)
	if err1 != nil || err2 != nil || m < 1 || m > 12 {
		return data.Date{}, false
	}
	if day == "" {
		return data.Date{Year: y, Month: m, Precision: data.PrecisionMonth}, true
	}
	d, err := strconv.Atoi(day)
	if err != nil || d < 1 || d > time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		return data.Date{}, false
	}
	return data.Date{Year: y, Month: m, Day: d, Precision: data.PrecisionDay}, true
}

func monthNumber(s string) (int, bool) {
	s = strings.ToLower(s)
	if len(s) < 3 {
		return 0, false
	}
	for m := time.January; m <= time.December; m++ {
		name := strings.ToLower(m.String())
		if s == name || s == name[:3] || (m == time.September && s == "sept") {
			return int(m), true
		}
	}
	return 0, false
}

// bylineRe is a byline line: "By Jane Smith", perhaps with a role, date or
// comment count after it.
var bylineRe = lazyRegexp(`^(?i:by)\s+\p{Lu}`)

// bylineOf finds a byline among the text's first lines.
func bylineOf(text string) string {
	for _, l := range topLines(text, 5) {
		if len(l) <= 120 && bylineRe().MatchString(l) {
			if b := cleanByline(l); b != "" && len(strings.Fields(b)) <= 8 {
				return b
			}
		}
	}
	return ""
}

var (
	bylinePrefix = lazyRegexp(`(?i)^by\s+`)
	// What pages glue to a byline: a date, a time, a comment or share
	// count, a "Published"/"Updated" stamp, a role after a pipe.
	bylineTail = lazyRegexp(`(?i)\s*(?:[,|•·–—-]\s*|\s)(?:(?:published|updated|posted)\b.*|` +
		`(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b.*|\d{1,2}(?:st|nd|rd|th)?\s+[a-z]{3,9}\.?\s+\d{4}.*|` +
		`[a-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}.*|\d{1,2}[:.]\d\d.*|\d{4}-\d\d-\d\d.*|\d+\s+(?:comments?|shares?)\b.*|` +
		`\d+\s+min(?:ute)?s?\s+read\b.*)$`)
	bylineSep = lazyRegexp(`\s*\|.*$`)
)

// cleanByline turns "By Jane Smith, 31 January 2023 | 12 comments" into
// "Jane Smith": Author holds names, not the page furniture around them.
func cleanByline(s string) string {
	s = bylinePrefix().ReplaceAllString(cleanSpace(s), "")
	for {
		t := bylineTail().ReplaceAllString(s, "")
		t = bylineSep().ReplaceAllString(t, "")
		t = strings.TrimRight(t, " ,;:|-–—")
		if t == s {
			return t
		}
		s = t
	}
}
