package data

import (
	"fmt"
	"strings"
	"time"
)

// ParseDateTime reads what ParseDate reads, and a date with a time of day
// kept to the minute or second it is given to: "2021-09-14T08:05",
// "2021-09-14 08:05:30", with a zone "Z", "+01:00" or "+0100" or without
// one. Fractions of a second are dropped. It reads every form String
// writes back to the same Date. ParseDate, which keeps a timestamp to its
// day, stays what reads dates typed as dates.
func ParseDateTime(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if len(s) <= 10 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') {
		return ParseDate(s)
	}
	d, err := ParseDate(s[:10])
	if err != nil {
		return Date{}, err
	}
	if d.Precision != PrecisionDay {
		return Date{}, fmt.Errorf("date %q: a time needs a full date before it", s)
	}
	bad := func(what string) (Date, error) {
		return Date{}, fmt.Errorf("date %q: %s (want YYYY-MM-DDTHH:MM[:SS] and a zone Z or ±HH:MM, or none)", s, what)
	}
	rest := s[11:]
	h, ok1 := digits(prefix(rest, 2), 2)
	if !ok1 || len(rest) < 5 || rest[2] != ':' {
		return bad("no time of day")
	}
	m, ok2 := digits(rest[3:5], 2)
	if !ok2 || h > 23 || m > 59 {
		return bad("no such time")
	}
	d.Hour, d.Minute, d.Precision = h, m, PrecisionMinute
	rest = rest[5:]
	if len(rest) >= 3 && rest[0] == ':' {
		sec, ok := digits(rest[1:3], 2)
		if !ok || sec > 59 {
			return bad("no such second")
		}
		d.Second, d.Precision = sec, PrecisionSecond
		rest = rest[3:]
		if len(rest) > 1 && (rest[0] == '.' || rest[0] == ',') {
			i := 1
			for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
				i++
			}
			if i == 1 {
				return bad("an empty fraction of a second")
			}
			rest = rest[i:]
		}
	}
	rest = strings.TrimLeft(rest, " ")
	switch {
	case rest == "":
	case rest == "Z" || rest == "z":
		d.Zoned = true
	case rest[0] == '+' || rest[0] == '-':
		zh, zm, ok := zoneOffset(rest[1:])
		if !ok {
			return bad("no such zone")
		}
		d.Zoned, d.Offset = true, zh*60+zm
		if rest[0] == '-' {
			d.Offset = -d.Offset
		}
	default:
		return bad("text after the time")
	}
	return d, nil
}

func prefix(s string, n int) string { return s[:min(n, len(s))] }

// zoneOffset reads "01:00", "0100" or "01" as hours and minutes, at most
// 18 hours as ISO 8601 allows.
func zoneOffset(s string) (h, m int, ok bool) {
	switch len(s) {
	case 2:
		h, ok = digits(s, 2)
	case 4:
		var okm bool
		h, ok = digits(s[:2], 2)
		m, okm = digits(s[2:], 2)
		ok = ok && okm
	case 5:
		var okm bool
		h, ok = digits(s[:2], 2)
		m, okm = digits(s[3:], 2)
		ok = ok && okm && s[2] == ':'
	}
	return h, m, ok && m < 60 && h*60+m <= 18*60
}

// DateAt is the date and time of t to the second, in t's zone.
func DateAt(t time.Time) Date {
	_, off := t.Zone()
	return Date{Year: t.Year(), Month: int(t.Month()), Day: t.Day(), Hour: t.Hour(), Minute: t.Minute(), Second: t.Second(),
		Precision: PrecisionSecond, Zoned: true, Offset: off / 60}
}

// Span is the stretch of time the date stands for, [Lo, Hi): a whole
// year, month or day (read in UTC, since a date alone has no zone), a
// minute or a second. A time without a zone is read as UTC too: a corpus
// whose times carry no zone is compared clock to clock. ok is false for an
// unknown date.
func (d Date) Span() (lo, hi time.Time, ok bool) {
	switch d.Precision {
	case PrecisionYear:
		lo = time.Date(d.Year, 1, 1, 0, 0, 0, 0, time.UTC)
		return lo, lo.AddDate(1, 0, 0), true
	case PrecisionMonth:
		lo = time.Date(d.Year, time.Month(d.Month), 1, 0, 0, 0, 0, time.UTC)
		return lo, lo.AddDate(0, 1, 0), true
	case PrecisionDay:
		lo = time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
		return lo, lo.AddDate(0, 0, 1), true
	case PrecisionMinute, PrecisionSecond:
		lo = time.Date(d.Year, time.Month(d.Month), d.Day, d.Hour, d.Minute, d.Second, 0, time.UTC).
			Add(-time.Duration(d.Offset) * time.Minute)
		if d.Precision == PrecisionMinute {
			return lo, lo.Add(time.Minute), true
		}
		return lo, lo.Add(time.Second), true
	}
	return time.Time{}, time.Time{}, false
}

// DateOrder is how two dates stand in time as far as their precision
// tells.
type DateOrder int

// Orders of two dates. DatesSame covers both the same instant and two
// spans that overlap: a date without a time and a time on that day, or
// two items of the same day of which neither has a time, are "same day",
// not ordered.
const (
	DatesUnknown DateOrder = iota // one of them is unknown
	DatesBefore                   // the first ends before the second begins
	DatesSame                     // their spans overlap
	DatesAfter                    // the first begins after the second ends
)

// OrderDates compares a and b honestly: one is before the other only when
// its whole span ends before the other's begins.
func OrderDates(a, b Date) DateOrder {
	alo, ahi, aok := a.Span()
	blo, bhi, bok := b.Span()
	switch {
	case !aok || !bok:
		return DatesUnknown
	case !ahi.After(blo):
		return DatesBefore
	case !bhi.After(alo):
		return DatesAfter
	}
	return DatesSame
}

// Placeholder says, when the date is one that programs write where a date
// is missing rather than a day anything was published on, which one it is
// ("the Unix epoch"); "" for any other date. Exports and scraped pages
// carry them as if they were dates: a JSON export's 0 timestamp, a Go or
// .NET program's zero date, a spreadsheet's day 0, a database's
// open-ended 9999-12-31. Taken for a date, such an article is the first
// carrier of everything it quotes, decades before the rest.
//
// sure says no article could have the date: a time at the Unix epoch's
// instant (in its own zone, as 1969-12-31T19:00-05:00 is in New York, or,
// without a zone, in a zone there is), a midnight time on another
// placeholder day (a datetime column's empty value), or the years 1 and
// 9999. A day alone (1970-01-01, 1900-01-01) is a placeholder too, but
// not surely: newspapers came out on those days, and an archive of them
// has them. Years and months alone are not placeholders, except the
// years 1 and 9999.
func (d Date) Placeholder() (why string, sure bool) {
	switch {
	case d.IsZero():
		return "", false
	case d.Year == 1:
		return "the year 1, a program's zero date", true
	case d.Year == 9999:
		return "the year 9999, a database's date for none", true
	case d.Precision < PrecisionDay:
		return "", false
	case d.epoch():
		return "the Unix epoch, a timestamp of 0", d.HasTime()
	}
	if d.HasTime() && (d.Hour != 0 || d.Minute != 0 || d.Second != 0) {
		return "", false
	}
	switch [3]int{d.Year, d.Month, d.Day} {
	case [3]int{1601, 1, 1}:
		return "the Windows file time of 0", d.HasTime()
	case [3]int{1899, 12, 30}, [3]int{1899, 12, 31}, [3]int{1900, 1, 1}, [3]int{1904, 1, 1}:
		return "a spreadsheet's day 0", d.HasTime()
	}
	return "", false
}

// epoch reports whether d is 1970-01-01 or 1969-12-31 to the day (the
// Unix epoch, and its day in the Americas, as a date column shows it), or
// a time that is the Unix epoch's instant in its zone (or, without a
// zone, in a zone there is: 14 hours ahead of UTC to 12 behind, by
// quarter hours).
func (d Date) epoch() bool {
	if d.Year != 1970 && d.Year != 1969 {
		return false
	}
	if !d.HasTime() {
		return d.Year == 1970 && d.Month == 1 && d.Day == 1 || d.Year == 1969 && d.Month == 12 && d.Day == 31
	}
	lo, _, _ := d.Span()
	if d.Zoned {
		return lo.Unix() == 0
	}
	off := lo.Unix()
	return d.Second == 0 && off%(15*60) == 0 && off >= -12*3600 && off <= 14*3600
}
