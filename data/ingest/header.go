package ingest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/parallax-research/parallax/data"
)

// headerKeys maps the header keys ParseHeader recognises, lower-cased, to
// the field they set. The aliases are the words other tools and news
// databases write for the same thing.
var headerKeys = map[string]string{
	"title":     "title",
	"outlet":    "outlet",
	"source":    "outlet",
	"publisher": "outlet",
	"date":      "date",
	"published": "date",
	"url":       "url",
	"author":    "author",
	"byline":    "author",
	// Not part of Meta; kept as attributes.
	"section":  "section",
	"language": "language",
	"lang":     "language",
	"tags":     "tags",
	"keywords": "tags",
}

// ParseHeader splits a plain-text article into its optional header block
// and its body.
//
// A header line is "key: value" with a recognised key, matched without
// regard to case: title, outlet (or source, publisher), date (or
// published), url, author (or byline) fill Meta; section, language (or
// lang) and tags (or keywords) are returned in attrs. The block ends at the
// first blank line or at the first line that is not such a header, so an
// article that happens to open with "Update: ..." keeps that line: only
// recognised keys are taken from the text.
//
// A line such as " date 2023-01-31 A damning report..." (the word date or
// published, no colon, a YYYY-MM-DD or YYYY-MM date, then possibly the
// first words of the article on the same line) is a date header too: some
// scrapers write the date that way, and the rest of the line is the start
// of the body.
//
// Dates keep the precision they are written with ("2021-09" is a month). A
// date that does not parse is an error naming its line, because a wrong
// date silently dropped would skew every timeline built on the project.
// The body is returned with leading blank lines removed and is otherwise
// untouched; NormalizeText is the caller's job.
func ParseHeader(text string) (meta data.Meta, body string, attrs map[string]string, err error) {
	text = strings.TrimPrefix(text, "\uFEFF")
	rest := text
	line := 1
	// Blank lines before the header are skipped, not taken as its end: many
	// saved files open with one.
	for {
		l, next, found := strings.Cut(rest, "\n")
		if !found || strings.TrimSpace(l) != "" {
			break
		}
		rest, line = next, line+1
	}
	for ; rest != ""; line++ {
		raw, next, _ := strings.Cut(rest, "\n")
		l := strings.TrimSuffix(raw, "\r")
		if strings.TrimSpace(l) == "" {
			break
		}
		field, value, tail, ok := headerLine(l)
		if !ok {
			break
		}
		if err := setHeader(&meta, &attrs, field, value); err != nil {
			return data.Meta{}, "", nil, data.Errorf(data.EInvalid, "line %d: %v", line, err)
		}
		if tail != "" {
			// " date 2023-01-31 A damning report": the body starts mid-line.
			rest = tail + rest[len(raw):]
			break
		}
		rest = next
	}
	return meta, trimLeadingBlankLines(rest), attrs, nil
}

// headerLine recognises one header line. It returns the canonical field,
// its value and, for the colon-less date form, the text after the date.
func headerLine(l string) (field, value, tail string, ok bool) {
	s := strings.TrimLeft(l, " \t")
	if key, val, found := strings.Cut(s, ":"); found {
		// Keys are single words, so "Foo bar: baz" never matches.
		if f, known := headerKeys[strings.ToLower(strings.TrimSpace(key))]; known {
			return f, strings.TrimSpace(val), "", true
		}
	}
	i := strings.IndexAny(s, " \t")
	if i < 0 || headerKeys[strings.ToLower(s[:i])] != "date" {
		return "", "", "", false
	}
	after := strings.TrimLeft(s[i:], " \t")
	date, tail := after, ""
	if j := strings.IndexAny(after, " \t"); j >= 0 {
		date, tail = after[:j], strings.TrimLeft(after[j:], " \t")
	}
	if !looksLikeISODate(date) {
		return "", "", "", false
	}
	return "date", date, tail, true
}

// looksLikeISODate reports whether s has the shape YYYY-MM-DD or YYYY-MM.
// A bare year is not enough for the colon-less form: "Date 2021 was..."
// could be prose.
func looksLikeISODate(s string) bool {
	if len(s) != 7 && len(s) != 10 {
		return false
	}
	for i := 0; i < len(s); i++ {
		want := s[i] >= '0' && s[i] <= '9'
		if i == 4 || i == 7 {
			want = s[i] == '-'
		}
		if !want {
			return false
		}
	}
	return true
}

func setHeader(m *data.Meta, attrs *map[string]string, field, value string) error {
	switch field {
	case "title":
		m.Title = value
	case "outlet":
		m.Outlet = value
	case "url":
		m.URL = value
	case "author":
		m.Author = value
	case "date":
		// A time the header gives is kept, as a JSON record's is: the
		// propagation orders by it.
		d, err := parseLooseDateTime(value)
		if err != nil {
			return err
		}
		m.Date = d
	default:
		if value == "" {
			return nil
		}
		if *attrs == nil {
			*attrs = make(map[string]string)
		}
		(*attrs)[field] = value
	}
	return nil
}

func trimLeadingBlankLines(s string) string {
	for s != "" {
		line, next, found := strings.Cut(s, "\n")
		if strings.TrimSpace(line) != "" {
			return s
		}
		if !found {
			return ""
		}
		s = next
	}
	return s
}

// parseLooseDate is ParseDate plus an ISO 8601 date with a time after it
// that parseLooseDateTime could not read ("2021-09-14 08:00:00 (UTC)"),
// kept to the day. When nothing fits, the error is ParseDate's, which
// explains the forms Parallax wants.
func parseLooseDate(s string) (data.Date, error) {
	s = strings.TrimSpace(s)
	d, err := data.ParseDate(s)
	if err == nil {
		return d, nil
	}
	if len(s) > 10 && (s[10] == 'T' || s[10] == 't' || s[10] == ' ') && looksLikeISODate(s[:10]) && startsWithDigit(s[11:]) {
		if d, err2 := data.ParseDate(s[:10]); err2 == nil {
			return d, nil
		}
	}
	return data.Date{}, err
}

// abbrZone reads a zone's abbreviation by zoneAbbrevs: its offset in
// minutes, zoned unless it is ambiguous (see ambiguousZones), and known
// when the table has it.
func abbrZone(abbr string) (offset int, zoned, known bool) {
	abbr = strings.ToLower(abbr)
	offset, known = zoneAbbrevs[abbr]
	if !known || ambiguousZones[abbr] {
		return 0, false, known
	}
	return offset, true, true
}

// gmtOffset is a trailing "GMT" or "UTC" and an offset, hours and perhaps
// minutes.
var gmtOffset = regexp.MustCompile(`^(.*\s)(?i:GMT|UTC)\s?([+-])(\d{1,2})(?::?(\d{2}))?$`)

// rfcLayouts are the RFC 1123, 850 and 822 forms, with a numeric zone
// first.
var rfcLayouts = []string{time.RFC1123Z, time.RFC1123, "Monday, 02-Jan-06 15:04:05 -0700", time.RFC850, time.RFC822Z, time.RFC822}

// rfcDate reads s in one of rfcLayouts, keeping its clock as written. A
// zone given by its abbreviation ("EST") is read by zoneAbbrevs, not by
// the machine's own zone, which time.Parse consults (the same file read
// "09:00 CST" as 09:00-06:00 in Chicago and as 09:00 in an unknown zone
// in London); an ambiguous or unknown abbreviation gives no zone.
func rfcDate(s string) (data.Date, bool) {
	// "GMT-5", "UTC+05:30": an offset, which time.Parse reads into a
	// clock moved by it and a zone named after it.
	if m := gmtOffset.FindStringSubmatch(s); m != nil {
		h, _ := strconv.Atoi(m[3])
		mm, _ := strconv.Atoi(m[4])
		if h <= 14 && mm < 60 {
			s = fmt.Sprintf("%s%s%02d%02d", m[1], m[2], h, mm)
		}
	}
	for _, layout := range rfcLayouts {
		t, err := time.ParseInLocation(layout, s, time.UTC)
		if err != nil {
			continue
		}
		d := data.Date{Year: t.Year(), Month: int(t.Month()), Day: t.Day(), Hour: t.Hour(), Minute: t.Minute(), Second: t.Second(), Precision: data.PrecisionSecond}
		if !strings.Contains(layout, "05") {
			d.Precision, d.Second = data.PrecisionMinute, 0
		}
		name, off := t.Zone()
		if strings.Contains(layout, "-0700") {
			d.Zoned, d.Offset = true, off/60
		} else {
			d.Offset, d.Zoned, _ = abbrZone(name)
		}
		return d, true
	}
	return data.Date{}, false
}

// parseLooseDateTime is parseLooseDate keeping the time of day where the
// value states one, for the sources that carry publication times: JSON
// records (scrapers, Media Cloud) and metadata sheets. "2023-01-31
// 08:15:00.123456" is kept to the second with its zone unknown; RFC 1123
// forms keep their zone.
func parseLooseDateTime(s string) (data.Date, error) {
	s = strings.TrimSpace(s)
	d, err := data.ParseDateTime(s)
	if err == nil {
		return d, nil
	}
	// BigQuery (and so GDELT) writes "2023-03-04 09:00:00 UTC": read to
	// the day below, it lost its time.
	for _, utc := range []string{" UTC", " GMT", " utc", " gmt"} {
		if t, found := strings.CutSuffix(s, utc); found && len(t) > 10 {
			if d, err := data.ParseDateTime(t + "Z"); err == nil {
				return d, nil
			}
		}
	}
	// Go's time.Time.String(), which scripts print: the offset is the
	// zone; the abbreviation after it only names it, and a monotonic
	// clock reading ("m=+0.001") may follow.
	goTime := s
	if i := strings.Index(goTime, " m="); i > 0 {
		goTime = goTime[:i]
	}
	if t, err := time.Parse("2006-01-02 15:04:05.999999999 -0700 MST", goTime); err == nil {
		return data.DateAt(t), nil
	}
	// An ISO 8601 time with a zone's abbreviation after it ("2023-03-04T09:00:00
	// EST"), read by zoneAbbrevs; an ambiguous one (CST) keeps the clock
	// without a zone. Kept to its day before, its time lost.
	if iso, abbr, found := strings.Cut(s, " "); found && len(iso) > 10 && (iso[10] == 'T' || iso[10] == 't') {
		if d, err := data.ParseDateTime(iso); err == nil && d.HasTime() && !d.Zoned {
			if off, zoned, known := abbrZone(strings.Trim(abbr, "()")); known {
				d.Zoned, d.Offset = zoned, off
				return d, nil
			}
		}
	}
	if d, ok, err := numericDate(s); ok {
		return d, err
	}
	if d, ok := rfcDate(s); ok {
		return d, nil
	}
	d, err = parseLooseDate(s)
	if err != nil {
		// "March 4, 2023", "4 March 2023 09:00 GMT", as news databases
		// write them.
		if nd, ok := parseNewsDate(s); ok {
			// A database's date line reads CST and IST by its
			// convention; a bare value has none.
			return unzonedIfAmbiguous(nd, s), nil
		}
	}
	return d, err
}

// startsWithDigit reports whether s starts with an ASCII digit.
func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }
