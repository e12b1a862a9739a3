package ingest

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/parallax-research/parallax/data"
)

// Dates as exports and scrapers write them besides ISO 8601 and RFC 1123,
// read by parseLooseDateTime for JSON records and metadata sheets. Each
// form here is read only where it cannot mean two dates: "13/04/2023" is
// 13 April, "04/13/2023" 13 April too, but "03/04/2023" is 3 April in
// Britain and 4 March in America, and is refused with a message saying
// so rather than read one way (a month's error in a project's order,
// silently, is what the propagation cannot see).

// numericDate reads a date written in numbers other than ISO 8601: Unix
// time in seconds (9-10 digits) or milliseconds (12-13), "20230304"
// and GDELT's "20230304090000", "2023/03/04", and a day and month either
// way round with a four-digit year ("13/04/2023", "04.03.2023"), each
// perhaps followed by a time ("09:00", "9:00 am GMT"). ok is false when s
// is none of these; err is set when it is one but no date, or could be
// two.
func numericDate(s string) (d data.Date, ok bool, err error) {
	s = strings.TrimSpace(s)
	if allDigits(s) {
		return digitsDate(s)
	}
	datePart, rest, _ := strings.Cut(s, " ")
	if t, found := strings.CutSuffix(datePart, ","); found {
		datePart = t
	}
	sep := ""
	for _, c := range []string{"/", ".", "-"} {
		if strings.Count(datePart, c) == 2 {
			sep = c
			break
		}
	}
	if sep == "" {
		return data.Date{}, false, nil
	}
	parts := strings.Split(datePart, sep)
	for _, p := range parts {
		if !allDigits(p) || len(p) > 4 {
			return data.Date{}, false, nil
		}
	}
	var year, month, day int
	switch {
	case len(parts[0]) == 4 && len(parts[1]) <= 2 && len(parts[2]) <= 2:
		year, month, day = atoi(parts[0]), atoi(parts[1]), atoi(parts[2])
	case len(parts[2]) == 4 && len(parts[0]) <= 2 && len(parts[1]) <= 2:
		a, b := atoi(parts[0]), atoi(parts[1])
		year = atoi(parts[2])
		switch {
		case sep == ".":
			// Points are written day first wherever they are written.
			day, month = a, b
		case a > 12 && b <= 12:
			day, month = a, b
		case b > 12 && a <= 12:
			month, day = a, b
		case a == b:
			day, month = a, b
		case a <= 12 && b <= 12:
			return data.Date{}, true, fmt.Errorf("date %q: day %d of month %d, or day %d of month %d? Written this way the day and the month could be either way round; write it as YYYY-MM-DD",
				s, a, b, b, a)
		default:
			return data.Date{}, true, fmt.Errorf("date %q: no such day", s)
		}
	default:
		return data.Date{}, false, nil
	}
	d, err = data.ParseDate(fmt.Sprintf("%04d-%02d-%02d", year, month, day))
	switch {
	case err != nil && month >= 1 && month <= 12:
		return data.Date{}, true, fmt.Errorf("date %q: no such day", s)
	case err != nil:
		return data.Date{}, true, fmt.Errorf("date %q: month out of range", s)
	}
	if rest = strings.TrimSpace(rest); rest == "" {
		return d, true, nil
	}
	words, _ := dateWords(strings.ToLower(colonTimes(rest)))
	d, used := withClock(d, words)
	if used == 0 || used != len(words) {
		return data.Date{}, true, fmt.Errorf("date %q: %q is no time of day (want, say, 09:30 or 9:30 am GMT)", s, rest)
	}
	return d, true, nil
}

// digitsDate reads a date written in digits alone (see numericDate).
func digitsDate(s string) (data.Date, bool, error) {
	n, _ := strconv.ParseInt(s, 10, 64)
	switch len(s) {
	case 8, 14:
		layout := "20060102"
		if len(s) == 14 {
			layout = "20060102150405"
		}
		t, err := time.Parse(layout, s)
		if err != nil {
			return data.Date{}, true, fmt.Errorf("date %q: no such day (read as %s)", s, map[int]string{8: "YYYYMMDD", 14: "YYYYMMDDhhmmss"}[len(s)])
		}
		d := data.DateAt(t)
		if len(s) == 8 {
			return d.DateOnly(), true, nil
		}
		// The digits name no zone.
		d.Zoned, d.Offset = false, 0
		return d, true, nil
	case 9, 10:
		return unixDate(time.Unix(n, 0)), true, nil
	case 12, 13:
		return unixDate(time.UnixMilli(n)), true, nil
	}
	return data.Date{}, true, fmt.Errorf("date %q: a number that is no date (want Unix time in seconds or milliseconds, YYYYMMDD, or YYYY-MM-DD)", s)
}

// unixDate is a Unix time as a date to the second, in UTC.
func unixDate(t time.Time) data.Date { return data.DateAt(t.UTC()) }

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
