package data

import (
	"fmt"
	"strings"
	"time"
)

// Precision says how much of a Date is known. News metadata is often partial:
// a researcher may only know the month a piece ran in.
type Precision uint8

// Precisions, from unknown through a calendar day to a time of day given
// to the minute or to the second.
const (
	PrecisionNone Precision = iota
	PrecisionYear
	PrecisionMonth
	PrecisionDay
	PrecisionMinute
	PrecisionSecond
)

// Date is a calendar date, and perhaps a time of day, known to a given
// precision. The zero value is an unknown date. Dates of one time zone sort
// correctly by their String form, which is also how they are stored.
//
// A time of day is kept only where a source states it (a page's
// article:published_time, a database export's time line): Hour, Minute and
// Second are set from PrecisionMinute on (Second from PrecisionSecond).
// Zoned says whether the source gave the time's zone, as Offset minutes
// east of UTC; a time without one is a clock reading in an unknown zone.
type Date struct {
	Year, Month, Day     int
	Hour, Minute, Second int
	Precision            Precision
	Zoned                bool
	Offset               int // minutes east of UTC, when Zoned
}

// ParseDate reads "2021", "2021-09" or "2021-09-14" (and an empty or blank
// string as unknown); space around the date is ignored. A full ISO
// timestamp such as "2021-09-14T08:00:00Z" is accepted and kept to the
// day, since scrapers often export those. Every field is plain ASCII digits
// of its exact width, so what parses is what String writes back: signs,
// spaces inside and impossible dates such as "2021-02-30" are rejected.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, nil
	}
	if len(s) > 10 && (s[10] == 'T' || s[10] == ' ') {
		if _, err := time.Parse(time.RFC3339, strings.Replace(s, " ", "T", 1)); err == nil {
			s = s[:10]
		}
	}
	parts := strings.Split(s, "-")
	if len(parts) > 3 {
		return Date{}, fmt.Errorf("date %q: want YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	nums := make([]int, len(parts))
	widths := []int{4, 2, 2}
	for i, p := range parts {
		n, ok := digits(p, widths[i])
		if !ok {
			return Date{}, fmt.Errorf("date %q: want YYYY, YYYY-MM or YYYY-MM-DD", s)
		}
		nums[i] = n
	}
	d := Date{Year: nums[0], Precision: Precision(len(nums))}
	if d.Year < 1 {
		return Date{}, fmt.Errorf("date %q: year out of range", s)
	}
	if len(nums) > 1 {
		d.Month = nums[1]
		if d.Month < 1 || d.Month > 12 {
			return Date{}, fmt.Errorf("date %q: month out of range", s)
		}
	}
	if len(nums) > 2 {
		d.Day = nums[2]
		t := time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
		if t.Day() != d.Day {
			return Date{}, fmt.Errorf("date %q: no such day", s)
		}
	}
	return d, nil
}

// digits reads p as exactly width ASCII digits. strconv.Atoi would also
// take a sign ("+123" as a year, "+1" as a month), which String never
// writes back.
func digits(p string, width int) (int, bool) {
	if len(p) != width {
		return 0, false
	}
	n := 0
	for i := range len(p) {
		c := p[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// MustParseDate is ParseDateTime for literals in tests and fixtures.
func MustParseDate(s string) Date {
	d, err := ParseDateTime(s)
	if err != nil {
		panic(err)
	}
	return d
}

// String formats the date to its precision: "", "2021", "2021-09",
// "2021-09-14", and with a time "2021-09-14T08:05" (zone unknown),
// "2021-09-14T08:05Z" (UTC), "2021-09-14T08:05:30+01:00". ParseDateTime
// reads every form back to the same Date.
func (d Date) String() string {
	switch d.Precision {
	case PrecisionYear:
		return fmt.Sprintf("%04d", d.Year)
	case PrecisionMonth:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	case PrecisionDay:
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
	case PrecisionMinute, PrecisionSecond:
		var b strings.Builder
		fmt.Fprintf(&b, "%04d-%02d-%02dT%02d:%02d", d.Year, d.Month, d.Day, d.Hour, d.Minute)
		if d.Precision == PrecisionSecond {
			fmt.Fprintf(&b, ":%02d", d.Second)
		}
		b.WriteString(d.zone())
		return b.String()
	}
	return ""
}

// zone is the time's zone as RFC 3339 writes it: "Z", "+01:00", or ""
// when the source gave none.
func (d Date) zone() string {
	if !d.Zoned {
		return ""
	}
	if d.Offset == 0 {
		return "Z"
	}
	sign, off := '+', d.Offset
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("%c%02d:%02d", sign, off/60, off%60)
}

// HasTime reports whether the date carries a time of day.
func (d Date) HasTime() bool { return d.Precision >= PrecisionMinute }

// DateOnly returns the calendar date alone, as its source dated it (a time's
// day in its own zone).
func (d Date) DateOnly() Date {
	if !d.HasTime() {
		return d
	}
	return Date{Year: d.Year, Month: d.Month, Day: d.Day, Precision: PrecisionDay}
}

// IsZero reports whether the date is unknown.
func (d Date) IsZero() bool { return d.Precision == PrecisionNone }

// MarshalText makes Date a string in JSON output.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses the forms ParseDateTime accepts, so that a date
// with a time comes back from JSON as it went out.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDateTime(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
