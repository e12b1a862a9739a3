package data

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// dateTimeCases feeds TestParseDateTime and FuzzParseDateTime's seeds.
var dateTimeCases = []struct {
	in   string
	want Date
	ok   bool
}{
	{"2021-09-14", Date{Year: 2021, Month: 9, Day: 14, Precision: PrecisionDay}, true},
	{"2021-09", Date{Year: 2021, Month: 9, Precision: PrecisionMonth}, true},
	{"", Date{}, true},
	{"2021-09-14T08:05", Date{Year: 2021, Month: 9, Day: 14, Hour: 8, Minute: 5, Precision: PrecisionMinute}, true},
	{"2021-09-14 08:05", Date{Year: 2021, Month: 9, Day: 14, Hour: 8, Minute: 5, Precision: PrecisionMinute}, true},
	{"2021-09-14T08:05Z", Date{Year: 2021, Month: 9, Day: 14, Hour: 8, Minute: 5, Precision: PrecisionMinute, Zoned: true}, true},
	{"2021-09-14T08:05:30Z", Date{Year: 2021, Month: 9, Day: 14, Hour: 8, Minute: 5, Second: 30, Precision: PrecisionSecond, Zoned: true}, true},
	{"2021-09-14T08:05:30.250Z", Date{Year: 2021, Month: 9, Day: 14, Hour: 8, Minute: 5, Second: 30, Precision: PrecisionSecond, Zoned: true}, true},
	{"2021-09-14T08:05:30+01:00", Date{Year: 2021, Month: 9, Day: 14, Hour: 8, Minute: 5, Second: 30, Precision: PrecisionSecond, Zoned: true, Offset: 60}, true},
	{"2021-09-14T08:05-05:30", Date{Year: 2021, Month: 9, Day: 14, Hour: 8, Minute: 5, Precision: PrecisionMinute, Zoned: true, Offset: -330}, true},
	{"2021-09-14T08:05:00+0200", Date{Year: 2021, Month: 9, Day: 14, Hour: 8, Minute: 5, Precision: PrecisionSecond, Zoned: true, Offset: 120}, true},
	{"2021-09-14 23:59:59 -07", Date{Year: 2021, Month: 9, Day: 14, Hour: 23, Minute: 59, Second: 59, Precision: PrecisionSecond, Zoned: true, Offset: -420}, true},

	{"2021-09-14T24:00", Date{}, false},
	{"2021-09-14T08:60", Date{}, false},
	{"2021-09-14T08:05:60Z", Date{}, false},
	{"2021-09-14T8:05", Date{}, false},
	{"2021-09-14T08", Date{}, false},
	{"2021-09-14T08:05+19:00", Date{}, false},
	{"2021-09-14T08:05+01:60", Date{}, false},
	{"2021-09-14T08:05 GMT", Date{}, false},
	{"2021-09-14T08:05:30.Z", Date{}, false},
	{"2021-09-14Tnonsense", Date{}, false},
	{"2021-09T08:05", Date{}, false},
	{"2021-02-30T08:05", Date{}, false},
}

func TestParseDateTime(t *testing.T) {
	for _, c := range dateTimeCases {
		got, err := ParseDateTime(c.in)
		if c.ok != (err == nil) || got != c.want {
			t.Errorf("ParseDateTime(%q) = %+v, %v; want %+v, ok %v", c.in, got, err, c.want, c.ok)
		}
	}
	// What ParseDate reads, ParseDateTime reads the same way, except
	// that it keeps a timestamp's time.
	for _, c := range dateCases {
		got, err := ParseDateTime(c.in)
		if !c.ok {
			continue
		}
		if err != nil || got.DateOnly() != c.want {
			t.Errorf("ParseDateTime(%q) = %+v, %v; want the day %+v", c.in, got, err, c.want)
		}
	}
}

func TestDateTimeString(t *testing.T) {
	for _, c := range []struct {
		d    Date
		want string
	}{
		{Date{Year: 2021, Month: 9, Day: 4, Hour: 7, Minute: 3, Precision: PrecisionMinute}, "2021-09-04T07:03"},
		{Date{Year: 2021, Month: 9, Day: 4, Hour: 7, Minute: 3, Precision: PrecisionMinute, Zoned: true}, "2021-09-04T07:03Z"},
		{Date{Year: 2021, Month: 9, Day: 4, Hour: 7, Minute: 3, Second: 9, Precision: PrecisionSecond, Zoned: true, Offset: -330}, "2021-09-04T07:03:09-05:30"},
		{Date{Year: 2021, Month: 9, Day: 4, Hour: 23, Precision: PrecisionMinute, Zoned: true, Offset: 60}, "2021-09-04T23:00+01:00"},
	} {
		if got := c.d.String(); got != c.want {
			t.Errorf("%+v.String() = %q, want %q", c.d, got, c.want)
		}
		if back, err := ParseDateTime(c.want); err != nil || back != c.d {
			t.Errorf("ParseDateTime(%q) = %+v, %v; want %+v", c.want, back, err, c.d)
		}
	}
}

func TestDateAt(t *testing.T) {
	tm := time.Date(2021, 9, 14, 8, 5, 30, 0, time.FixedZone("BST", 3600))
	d := DateAt(tm)
	if d.String() != "2021-09-14T08:05:30+01:00" {
		t.Fatalf("DateAt = %s", d)
	}
	lo, hi, ok := d.Span()
	if !ok || !lo.Equal(tm) || hi.Sub(lo) != time.Second {
		t.Fatalf("Span = %v, %v, %v", lo, hi, ok)
	}
}

// Ordering is honest about precision: items of one day without times are
// the same day, a time on that day is neither before nor after the day,
// and times in different zones compare as instants.
func TestOrderDates(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want DateOrder
	}{
		{"2021-09-14", "2021-09-15", DatesBefore},
		{"2021-09-15", "2021-09-14", DatesAfter},
		{"2021-09-14", "2021-09-14", DatesSame},
		{"2021-09-14", "2021-09-14T08:00Z", DatesSame},
		{"2021-09", "2021-09-14", DatesSame},
		{"2021", "2022-01-01", DatesBefore},
		{"2021-09-14T08:00Z", "2021-09-14T08:01Z", DatesBefore},
		{"2021-09-14T08:00Z", "2021-09-14T08:00:30Z", DatesSame},
		{"2021-09-14T08:00+01:00", "2021-09-14T07:30Z", DatesBefore},
		{"2021-09-14T08:00-05:00", "2021-09-14T12:00Z", DatesAfter},
		{"2021-09-14T23:30-05:00", "2021-09-15", DatesSame}, // 04:30 UTC on the 15th
		{"", "2021-09-14", DatesUnknown},
		{"2021-09-14", "", DatesUnknown},
	} {
		if got := OrderDates(MustParseDate(c.a), MustParseDate(c.b)); got != c.want {
			t.Errorf("OrderDates(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

// FuzzParseDateTime: whatever parses is written back by String to the
// same Date, and its time, when it has one, is a real time of a real day.
func FuzzParseDateTime(f *testing.F) {
	for _, c := range dateTimeCases {
		f.Add(c.in)
	}
	for _, c := range dateCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDateTime(s)
		if err != nil {
			if d != (Date{}) {
				t.Fatalf("ParseDateTime(%q) failed with %v but returned %+v", s, err, d)
			}
			return
		}
		back, err := ParseDateTime(d.String())
		if err != nil || back != d {
			t.Fatalf("ParseDateTime(%q) = %+v, but its String %q parses as %+v, %v", s, d, d.String(), back, err)
		}
		if d.HasTime() {
			tm := time.Date(d.Year, time.Month(d.Month), d.Day, d.Hour, d.Minute, d.Second, 0, time.UTC)
			if tm.Day() != d.Day || tm.Hour() != d.Hour || tm.Minute() != d.Minute || tm.Second() != d.Second {
				t.Fatalf("ParseDateTime(%q) = %+v, no such time", s, d)
			}
			if !d.Zoned && d.Offset != 0 || d.Offset < -18*60 || d.Offset > 18*60 {
				t.Fatalf("ParseDateTime(%q) = %+v, no such zone", s, d)
			}
		} else if d.Hour != 0 || d.Minute != 0 || d.Second != 0 || d.Zoned || d.Offset != 0 {
			t.Fatalf("ParseDateTime(%q) = %+v: a time on a date without one", s, d)
		}
	})
}

// TestEditKeepsTimes: an edit of another field, an edit of the date and its
// undo leave a date with a time as it was, with or without its zone and
// seconds (the state written back had been read to the day, or not read).
func TestEditKeepsTimes(t *testing.T) {
	ctx := context.Background()
	s := tempStore(t)
	dates := []string{"2023-01-31T07:05", "2023-01-31T09:10Z", "2023-01-31T09:10:30Z", "2023-01-31T09:10+05:30", "2023-01"}
	var arts []Article
	for i, d := range dates {
		a := art(fmt.Sprintf("Outlet %d", i), "2023", fmt.Sprintf("T%d", i), fmt.Sprintf("Text number %d of the test.", i))
		a.Date = mustDateTime(t, d)
		arts = append(arts, a)
	}
	res, err := s.AddArticles(ctx, arts, nil)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, len(res))
	for i, r := range res {
		ids[i] = r.ID
	}
	check := func(when string) {
		t.Helper()
		for i, id := range ids {
			if a, _ := s.Article(ctx, id); a.Date.String() != dates[i] {
				t.Errorf("%s: article %d dated %q, want %q", when, id, a.Date, dates[i])
			}
		}
	}
	title := "Another title"
	if _, err := s.EditArticles(ctx, ids, MetaEdit{Title: &title}); err != nil {
		t.Fatal(err)
	}
	check("after a title edit")
	outlet := "Another outlet"
	if _, err := s.EditArticles(ctx, ids, MetaEdit{Outlet: &outlet, Attributes: map[string]string{"event": "x"}}); err != nil {
		t.Fatal(err)
	}
	check("after an outlet edit")
	d := mustDateTime(t, "2023-02-01T10:00-05:00")
	before, err := s.EditArticles(ctx, ids, MetaEdit{Date: &d})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RestoreMeta(ctx, before); err != nil {
		t.Fatal(err)
	}
	check("after a date edit undone")
}

func mustDateTime(t *testing.T, s string) Date {
	t.Helper()
	d, err := ParseDateTime(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestPlaceholder(t *testing.T) {
	const (
		no     = iota
		unsure // a placeholder, and a day an archive may have
		sure   // a placeholder, and no article's date
	)
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"1970-01-01", unsure},
		{"1969-12-31", unsure}, // the epoch's day in the Americas
		{"1970-01-01T00:00:00Z", sure},
		{"1970-01-01T00:00:00.000Z", sure},
		{"1969-12-31T19:00:00-05:00", sure}, // JavaScript's new Date(0), in New York
		{"1970-01-01T01:00+01:00", sure},
		{"1969-12-31T19:00", sure}, // the epoch in some zone
		{"1970-01-01T05:30", sure},
		{"0001-01-01T00:00:00Z", sure},
		{"0001-01-01", sure},
		{"0001", sure},
		{"9999-12-31", sure},
		{"9999-12-31T23:59:59Z", sure},
		{"1900-01-01", unsure},
		{"1900-01-01T00:00:00", sure},
		{"1899-12-30", unsure},
		{"1899-12-31", unsure},
		{"1904-01-01", unsure},
		{"1601-01-01T00:00:00Z", sure},

		{"", no},
		{"2023-01-31", no},
		{"2023-01-31T00:00:00Z", no},
		{"1970", no},
		{"1970-01", no},
		{"1970-01-02", no},
		{"1970-01-01T08:15:00Z", no}, // a time in 1970, not the epoch
		{"1969-12-31T19:00:00-04:00", no},
		{"1969-12-31T11:00", no}, // 13 hours before the epoch: no zone puts it there
		{"1970-01-01T00:00:30", no},
		{"1900-01-01T09:00:00Z", no},
		{"1900-01-02", no},
		{"1899-12-29", no},
		{"1900", no},
	} {
		d, err := ParseDateTime(tc.in)
		if err != nil {
			t.Fatalf("%q: %v", tc.in, err)
		}
		why, certain := d.Placeholder()
		got := no
		switch {
		case why != "" && certain:
			got = sure
		case why != "":
			got = unsure
		case certain:
			t.Errorf("%q: sure of no placeholder", tc.in)
		}
		if got != tc.want {
			t.Errorf("%q: Placeholder() = %q, %v; want %d", tc.in, why, certain, tc.want)
		}
	}
}
