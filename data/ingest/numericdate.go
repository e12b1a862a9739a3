package ingest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

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
	// Python's timestamp() and many scrapers write fractions of a second.
	if whole, frac, found := strings.Cut(s, "."); found && allDigits(whole) && allDigits(frac) && (len(whole) == 9 || len(whole) == 10) {
		d, ok, err := digitsDate(whole)
		if err != nil {
			// The message names the value as given, fraction and all.
			err = fmt.Errorf("date %q%s", s, strings.TrimPrefix(err.Error(), fmt.Sprintf("date %q", whole)))
		}
		return d, ok, err
	}
	if strings.HasPrefix(s, "0000-00-00") {
		// MySQL's zero date: a database's "none", read as none.
		return data.Date{}, true, nil
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
	iso := sep == "-" && len(parts[0]) == 4
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
	timed, used := withClock(d, words)
	if used == 0 || used != len(words) {
		if iso {
			// An ISO date with something this does not read after it
			// ("2023-03-04 09:00:00 (UTC)") is left to be kept to its day,
			// as it was before these forms were read.
			return data.Date{}, false, nil
		}
		return data.Date{}, true, fmt.Errorf("date %q: %q is no time of day (want, say, 09:30 or 9:30 am GMT)", s, rest)
	}
	return unzonedIfAmbiguous(timed, rest), true, nil
}

// unzonedIfAmbiguous is d without its zone when text names an ambiguous
// one: "09:00 CST" is China's time on Chinese sites and in Java's output,
// and America's Central time on American ones, 14 hours apart. The clock
// is kept, its zone not guessed. The news databases' date lines, whose
// convention is known, do not come here (see parseNewsDate).
func unzonedIfAmbiguous(d data.Date, text string) data.Date {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) })
	if d.Zoned && slices.ContainsFunc(words, func(w string) bool { return ambiguousZones[w] }) {
		d.Zoned, d.Offset = false, 0
	}
	return d
}

// ambiguousZones are the abbreviations that name zones hours apart in
// different countries: CST (China, US Central, Cuba), IST (India, Ireland,
// Israel). The news databases' date lines (parseNewsDate) read them as
// English-language databases use them; a bare value in a record or a
// sheet, which has no such convention, is not read as either.
var ambiguousZones = map[string]bool{"cst": true, "ist": true}

// digitsDate reads a date written in digits alone (see numericDate).
// Ten and twelve digits may be Unix time or a calendar date and hour
// ("2023030409", "202303040900"): where both readings are dates, neither
// is taken.
func digitsDate(s string) (data.Date, bool, error) {
	n, _ := strconv.ParseInt(s, 10, 64)
	if s == "0" {
		// A JSON export's zero timestamp: the import drops it, and says so.
		return unixDate(time.Unix(0, 0)), true, nil
	}
	if layout, calendar := map[int]string{10: "2006010215", 12: "200601021504"}[len(s)]; calendar {
		// Each reading counts only if it is a day that has been: a Unix
		// time of ten digits is this century's, and so are most dates
		// written in digits; one of them in the future is not the other.
		unix := time.Unix(n, 0)
		if len(s) == 12 {
			unix = time.UnixMilli(n)
		}
		latest := now().Add(38 * time.Hour)
		t, err := time.Parse(layout, s)
		calendarOK := err == nil && t.Year() >= 1900 && t.Before(latest)
		unixOK := unix.Before(latest)
		switch {
		case calendarOK && unixOK:
			return data.Date{}, true, fmt.Errorf("date %q: Unix time (%s) or a date and time written in digits (%s)? Write it as ISO 8601 (YYYY-MM-DDThh:mm:ssZ)",
				s, unix.UTC().Format("2006-01-02 15:04 UTC"), t.Format("2006-01-02 15:04"))
		case calendarOK:
			d := data.DateAt(t)
			d.Zoned, d.Offset = false, 0 // the digits name no zone
			if len(s) == 10 {
				// To the hour, which a date's precision cannot say.
				return d.DateOnly(), true, nil
			}
			d.Precision, d.Second = data.PrecisionMinute, 0
			return d, true, nil
		case !unixOK:
			return data.Date{}, true, fmt.Errorf("date %q: a number that is no date that has been (read as Unix time, %s)", s, unix.UTC().Format("2006-01-02"))
		}
	}
	switch len(s) {
	case 8, 14:
		layout := "20060102"
		if len(s) == 14 {
			layout = "20060102150405"
		}
		t, err := time.Parse(layout, s)
		if err != nil || t.Year() < 1 {
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

// now is the time now, which a date written in digits is read against;
// tests set it.
var now = time.Now

// unixDate is a Unix time as a date to the second, in UTC.
func unixDate(t time.Time) data.Date { return data.DateAt(t.UTC()) }

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
