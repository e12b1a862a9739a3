package data

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// dateCases feeds both TestParseDate and FuzzParseDate's seed corpus.
var dateCases = []struct {
	in   string
	want Date
	ok   bool
}{
	{"", Date{}, true},
	{"   ", Date{}, true},
	{"2021", Date{Year: 2021, Precision: PrecisionYear}, true},
	{"0001", Date{Year: 1, Precision: PrecisionYear}, true},
	{"9999", Date{Year: 9999, Precision: PrecisionYear}, true},
	{"2021-09", Date{Year: 2021, Month: 9, Precision: PrecisionMonth}, true},
	{"2021-12", Date{Year: 2021, Month: 12, Precision: PrecisionMonth}, true},
	{"2021-09-14", Date{Year: 2021, Month: 9, Day: 14, Precision: PrecisionDay}, true},
	{"2024-02-29", Date{Year: 2024, Month: 2, Day: 29, Precision: PrecisionDay}, true},
	{" 2021-09-14\n", Date{Year: 2021, Month: 9, Day: 14, Precision: PrecisionDay}, true},
	{"2021-09-14T08:00:00Z", Date{Year: 2021, Month: 9, Day: 14, Precision: PrecisionDay}, true},
	{"2021-09-14 08:00:00+01:00", Date{Year: 2021, Month: 9, Day: 14, Precision: PrecisionDay}, true},

	// Signs, which strconv.Atoi took, and spaces inside a field.
	{"+123", Date{}, false},
	{"-123", Date{}, false},
	{"+2021", Date{}, false},
	{"2021-+1", Date{}, false},
	{"2021--1", Date{}, false},
	{"2021-09-+1", Date{}, false},
	{"2021- 9", Date{}, false},
	{"2021-09- 1", Date{}, false},
	{"20 1", Date{}, false},
	{"2021 -09", Date{}, false},
	// Widths and shapes.
	{"21", Date{}, false},
	{"02021", Date{}, false},
	{"2021-9", Date{}, false},
	{"2021-09-1", Date{}, false},
	{"2021-009", Date{}, false},
	{"2021-", Date{}, false},
	{"2021-09-", Date{}, false},
	{"-2021", Date{}, false},
	{"2021-09-14-01", Date{}, false},
	{"2021/09/14", Date{}, false},
	{"14-09-2021", Date{}, false},
	{"２０２１", Date{}, false}, // full-width digits
	{"2021-09-14T08:00", Date{}, false},
	{"2021-09-14Tnonsense", Date{}, false},
	// Out of range.
	{"0000", Date{}, false},
	{"2021-00", Date{}, false},
	{"2021-13", Date{}, false},
	{"2021-09-00", Date{}, false},
	{"2021-09-31", Date{}, false},
	{"2021-02-29", Date{}, false},
	{"2021-02-30", Date{}, false},
	{"2021-01-32", Date{}, false},
}

func TestParseDate(t *testing.T) {
	for _, c := range dateCases {
		got, err := ParseDate(c.in)
		if c.ok != (err == nil) || got != c.want {
			t.Errorf("ParseDate(%q) = %+v, %v; want %+v, ok %v", c.in, got, err, c.want, c.ok)
		}
	}
}

func TestDateString(t *testing.T) {
	for _, c := range []struct {
		d    Date
		want string
	}{
		{Date{}, ""},
		{Date{Year: 7, Precision: PrecisionYear}, "0007"},
		{Date{Year: 2021, Month: 9, Precision: PrecisionMonth}, "2021-09"},
		{Date{Year: 2021, Month: 9, Day: 4, Precision: PrecisionDay}, "2021-09-04"},
	} {
		if got := c.d.String(); got != c.want {
			t.Errorf("%+v.String() = %q, want %q", c.d, got, c.want)
		}
	}
}

// Dates travel as strings in JSON, and an invalid one is an error there
// too.
func TestDateJSON(t *testing.T) {
	var v struct{ D Date }
	if err := json.Unmarshal([]byte(`{"D":"2021-09"}`), &v); err != nil || v.D != (Date{Year: 2021, Month: 9, Precision: PrecisionMonth}) {
		t.Fatalf("unmarshal: %+v, %v", v.D, err)
	}
	b, err := json.Marshal(v)
	if err != nil || string(b) != `{"D":"2021-09"}` {
		t.Fatalf("marshal: %s, %v", b, err)
	}
	if err := json.Unmarshal([]byte(`{"D":"2021-+1"}`), &v); err == nil {
		t.Fatal("a signed month unmarshalled")
	}
}

// FuzzParseDate: whatever parses is a valid calendar date that String
// writes back to the same date, and nothing with a sign parses.
func FuzzParseDate(f *testing.F) {
	for _, c := range dateCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if d != (Date{}) {
				t.Fatalf("ParseDate(%q) failed with %v but returned %+v", s, err, d)
			}
			return
		}
		back, err := ParseDate(d.String())
		if err != nil || back != d {
			t.Fatalf("ParseDate(%q) = %+v, but its String %q parses as %+v, %v", s, d, d.String(), back, err)
		}
		switch {
		case d.Precision > PrecisionDay,
			d.Precision == PrecisionNone && d != Date{},
			d.Precision >= PrecisionYear && (d.Year < 1 || d.Year > 9999),
			d.Precision >= PrecisionMonth && (d.Month < 1 || d.Month > 12),
			d.Precision < PrecisionMonth && d.Month != 0,
			d.Precision < PrecisionDay && d.Day != 0:
			t.Fatalf("ParseDate(%q) = %+v, not a date of its precision", s, d)
		}
		if d.Precision == PrecisionDay {
			if tm := time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC); tm.Day() != d.Day {
				t.Fatalf("ParseDate(%q) = %+v, no such day", s, d)
			}
		}
		// The date part (before any time of day) is exactly what String
		// writes: "+123" and "2021-+1" must not pass for "0123" and
		// "2021-01", nor spaces or other digits for ASCII ones.
		date := strings.TrimSpace(s)
		if len(date) > 10 {
			date = date[:10]
		}
		if date != d.String() {
			t.Fatalf("ParseDate(%q) = %+v, written back as %q", s, d, d.String())
		}
	})
}
