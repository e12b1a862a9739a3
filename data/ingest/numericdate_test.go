package ingest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/parallax-research/parallax/data"
)

// looseDateCases feed TestParseLooseDateTime and FuzzParseLooseDateTime's
// seeds: dates as exports, scrapers and sheets write them. want is the
// date read, or, for a refusal, a part of its message.
var looseDateCases = []struct {
	in, want string
	ok       bool
}{
	{"2023-03-04T09:00:00Z", "2023-03-04T09:00:00Z", true},
	{"2023-03-04 09:00:00 UTC", "2023-03-04T09:00:00Z", true}, // BigQuery, GDELT
	{"2023-03-04 09:00 GMT", "2023-03-04T09:00Z", true},
	{"Sat, 04 Mar 2023 09:00:00 GMT", "2023-03-04T09:00:00Z", true},
	{"1677920400", "2023-03-04T09:00:00Z", true},    // Unix time
	{"1677920400000", "2023-03-04T09:00:00Z", true}, // in milliseconds
	{"20230304", "2023-03-04", true},
	{"20230304090000", "2023-03-04T09:00:00", true}, // GDELT's DATEADDED: no zone given
	{"2023/03/04", "2023-03-04", true},
	{"2023/3/4 9:00", "2023-03-04T09:00", true},
	{"13/04/2023", "2023-04-13", true},
	{"04/13/2023", "2023-04-13", true},
	{"04/13/2023 5:30 PM EST", "2023-04-13T17:30-05:00", true},
	{"03/03/2023", "2023-03-03", true},
	{"04.03.2023", "2023-03-04", true}, // points: day first
	{"04.03.2023 18:45", "2023-03-04T18:45", true},
	{"March 4, 2023", "2023-03-04", true},
	{"4 March 2023", "2023-03-04", true},
	{"Saturday, March 4, 2023 9:30 AM EST", "2023-03-04T09:30-05:00", true},
	{"2023", "2023", true},
	{"2023-03", "2023-03", true},
	{"1677920400.123", "2023-03-04T09:00:00Z", true},                         // Python's timestamp()
	{"0", "1970-01-01T00:00:00Z", true},                                      // a zero timestamp, for the import to drop
	{"2023-03-04 09:00:00 +0000 UTC", "2023-03-04T09:00:00Z", true},          // Go's time.Time.String()
	{"2023-03-04 09:00:00.123 -0500 EST", "2023-03-04T09:00:00-05:00", true}, // with a fraction
	{"2023-03-04 09:00:00 (UTC)", "2023-03-04", true},                        // kept to the day, as before
	{"2023-03-04 09:00:00 CST", "2023-03-04T09:00:00", true},                 // China or America: no zone
	{"2023-03-04T09:00:00 CST", "2023-03-04T09:00:00", true},
	{"2023-03-04T09:00:00 EST", "2023-03-04T09:00:00-05:00", true},
	{"2023-03-04T09:00 (PDT)", "2023-03-04T09:00-07:00", true},
	{"2023-03-04T09:00:00Z GMT", "2023-03-04", true}, // zoned twice: kept to its day, as before
	{"04/03/2023 9:00 IST", "either way round", false},
	{"13/03/2023 9:00 IST", "2023-03-13T09:00", true},

	{"2023030409", "2023-03-04", true},           // as Unix time, 2034: not yet
	{"1796731200", "2026-12-08T12:00:00Z", true}, // a day ahead of the test's now: a zone ahead may be there
	{"0000-00-00", "", true},                     // MySQL's zero date: none
	{"0000-00-00 00:00:00", "", true},
	{"2023-03-04 09:00:00.5 +0000 UTC m=+0.001234", "2023-03-04T09:00:00Z", true}, // time.Now().String()
	{"March 4, 2023 9:00 AM CST", "2023-03-04T09:00", true},                       // China or America
	{"March 4, 2023 9:00 AM EST", "2023-03-04T09:00-05:00", true},

	{"202303040900", "Unix time (1976-05-30 11:17 UTC) or a date and time written in digits (2023-03-04 09:00)?", false},
	{"1801011200", "no date that has been (read as Unix time, 2027-01-27)", false}, // before 2027

	{"03/04/2023", "either way round; write it as YYYY-MM-DD", false},
	{"03-04-2023", "either way round", false},
	{"31/02/2023", "no such day", false},
	{"13/13/2023", "month out of range", false},
	{"2023/13/01", "month out of range", false},
	{"20231304", "no such day (read as YYYYMMDD)", false},
	{"12345", "a number that is no date", false},
	{"13/04/2023 soon", `"soon" is no time of day`, false},
	{"yesterday", `date "yesterday"`, false},
	{"Mar 4", `date "Mar 4"`, false},
}

// atNow sets the time dates are read against for the rest of the test.
func atNow(t *testing.T, when string) {
	t.Helper()
	at, err := time.Parse(time.RFC3339, when)
	if err != nil {
		t.Fatal(err)
	}
	old := now
	now = func() time.Time { return at }
	t.Cleanup(func() { now = old })
}

func TestParseLooseDateTime(t *testing.T) {
	atNow(t, "2026-12-07T12:00:00Z")
	for _, c := range looseDateCases {
		d, err := parseLooseDateTime(c.in)
		switch {
		case c.ok && (err != nil || d.String() != c.want):
			t.Errorf("%q: %s, %v; want %s", c.in, d, err, c.want)
		case !c.ok && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%q: %s, %v; want an error saying %q", c.in, d, err, c.want)
		}
	}
}

// FuzzParseLooseDateTime: any value reads as an error or as a date that
// reads back as itself, with an offset a zone can have; an error names
// the value.
func FuzzParseLooseDateTime(f *testing.F) {
	for _, c := range looseDateCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseLooseDateTime(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), fmt.Sprintf("date %q", strings.TrimSpace(s))) {
				t.Fatalf("%q: error %q does not start with the value", s, err)
			}
			return
		}
		if d.Offset < -18*60 || d.Offset > 18*60 {
			t.Fatalf("%q: offset %d minutes", s, d.Offset)
		}
		back, err := data.ParseDateTime(d.String())
		if err != nil || back != d {
			t.Fatalf("%q: %s reads back as %s, %v", s, d, back, err)
		}
	})
}

// TestUnixTimeOfTheFuture: ten digits that were no Unix time that had
// been are one once it has.
func TestUnixTimeOfTheFuture(t *testing.T) {
	atNow(t, "2027-06-01T00:00:00Z")
	if d, err := parseLooseDateTime("1801011200"); err != nil || d.String() != "2027-01-27T00:53:20Z" {
		t.Errorf("1801011200 in June 2027: %s, %v", d, err)
	}
}

// TestRFCDateMachineZone: an RFC 1123 date's zone abbreviation is read by
// Parallax's table, whatever the machine's own zone: time.Parse had given
// "CST" Chicago's offset on a machine in Chicago, none elsewhere, and
// "IST" India's in Kolkata.
func TestRFCDateMachineZone(t *testing.T) {
	for _, zone := range []string{"UTC", "America/Chicago", "Asia/Kolkata", "America/New_York"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Skipf("no zone data: %v", err)
		}
		old := time.Local
		time.Local = loc
		for in, want := range map[string]string{
			"Sat, 04 Mar 2023 09:00:00 CST":       "2023-03-04T09:00:00",
			"Sat, 04 Mar 2023 09:00:00 IST":       "2023-03-04T09:00:00",
			"Sat, 04 Mar 2023 09:00:00 EST":       "2023-03-04T09:00:00-05:00",
			"Sat, 04 Mar 2023 09:00:00 GMT":       "2023-03-04T09:00:00Z",
			"Sat, 04 Mar 2023 09:00:00 XYZ":       "2023-03-04T09:00:00",
			"Sat, 04 Mar 2023 09:00:00 +0530":     "2023-03-04T09:00:00+05:30",
			"04 Mar 23 09:00 PDT":                 "2023-03-04T09:00-07:00",
			"Tue, 31 Jan 2023 02:00:00 GMT-5":     "2023-01-31T02:00:00-05:00",
			"Tue, 31 Jan 2023 02:00:00 GMT+1":     "2023-01-31T02:00:00+01:00",
			"Tue, 31 Jan 2023 02:00:00 UTC+05:30": "2023-01-31T02:00:00+05:30",
			"Tuesday, 31-Jan-23 09:30:00 GMT":     "2023-01-31T09:30:00Z",
			"Tuesday, 31-Jan-23 09:30:00 GMT+1":   "2023-01-31T09:30:00+01:00",
		} {
			if d, err := parseLooseDateTime(in); err != nil || d.String() != want {
				t.Errorf("in %s: %q read as %s, %v; want %s", zone, in, d, err, want)
			}
		}
		time.Local = old
	}
}
