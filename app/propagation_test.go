package app

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parallax-research/parallax/data"
)

// propagationFixture is a report and three outlets, with times: the wire
// takes the report's sentences an hour later, dropping "time"; the Gazette
// takes the wire's wording and trims "in the city"; the Courier repeats
// the Gazette's. Made-up text, so the test runs without the corpus.
const propagationFixture = `{"outlet":"Ofsted","date":"2023-01-31T08:00Z","title":"Inspection report","text":"Inspection of Bradford children's services.\n\nThe inspectors found that there are widespread and serious failures across all service areas in the city. Corporate leaders continue to lack understanding of the scale of improvement required and what actions, time and resources are needed.\n\nThe pace of change has been very slow since the last inspection in 2018."}
{"outlet":"Wire","date":"2023-01-31T09:10Z","title":"Bradford services failing","text":"Bradford children's services are failing, inspectors say.\n\nThe inspectors found that there are widespread and serious failures across all service areas in the city. Corporate leaders continue to lack understanding of the scale of improvement required and what actions and resources are needed.\n\nThe council said it accepted the findings."}
{"outlet":"Gazette","date":"2023-01-31T11:45Z","title":"Failures in Bradford","text":"A damning report on Bradford.\n\nThe inspectors found that there are widespread and serious failures across all service areas. Corporate leaders continue to lack understanding of the scale of improvement required and what actions and resources are needed.\n\nParents said they were worried."}
{"outlet":"Courier","date":"2023-01-31T13:05Z","title":"Services rated inadequate","text":"Services rated inadequate again.\n\nThe inspectors found that there are widespread and serious failures across all service areas. Corporate leaders continue to lack understanding of the scale of improvement required and what actions and resources are needed.\n\nThe minister will respond next week."}
`

// propagationProject imports the fixture, marks the report as a primary
// source and analyses it.
func propagationProject(t *testing.T) string {
	t.Helper()
	return propagationProjectOf(t, propagationFixture)
}

// propagationProjectOf is propagationProject with other articles.
func propagationProjectOf(t *testing.T, fixture string) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, "articles.jsonl")
	if err := os.WriteFile(src, []byte(fixture), 0o644); err != nil {
		t.Fatal(err)
	}
	project := filepath.Join(dir, "p.parallax")
	for _, args := range [][]string{
		{"import", "--project", project, src},
		{"mark", "--project", project, "--primary", "--articles", "1"},
		{"analyze", "--project", project},
	} {
		if out, errOut, code := run(t, args...); code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out, errOut)
		}
	}
	return project
}

// courierDated is the fixture with the Courier's date field replaced.
func courierDated(t *testing.T, field string) string {
	t.Helper()
	fixture := strings.Replace(propagationFixture, `"date":"2023-01-31T13:05Z"`, field, 1)
	if fixture == propagationFixture {
		t.Fatal("the Courier's date is not in the fixture")
	}
	return fixture
}

// propagationJSON is what propagation --json prints of project, with
// more arguments.
func propagationJSON(t *testing.T, project string, args ...string) PropagationJSON {
	t.Helper()
	out, errOut, code := run(t, append([]string{"propagation", "--project", project, "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("propagation --json %v: exit %d\n%s", args, code, errOut)
	}
	var p PropagationJSON
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatalf("propagation --json %v: %v", args, err)
	}
	return p
}

func TestPropagationCLI(t *testing.T) {
	project := propagationProject(t)
	out, errOut, code := run(t, "propagation", "--project", project, "--json")
	if code != 0 {
		t.Fatalf("propagation --json: exit %d\n%s", code, errOut)
	}
	// The contract's keys, at every level.
	var raw map[string]any
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatalf("propagation --json: %v\n%s", err, out)
	}
	if k := keys(raw); !reflect.DeepEqual(k, []string{"clusters", "edges", "notes", "outlets"}) {
		t.Fatalf("keys %v", k)
	}
	// The Courier runs the Gazette's findings under its own first and
	// last lines: a near-copy, found at import, and the one note.
	if notes, ok := raw["notes"].([]any); !ok || len(notes) != 1 || !strings.HasPrefix(fmt.Sprint(notes[0]), "1 article of the project repeats another's text") {
		t.Errorf("notes %v, want one on the syndicated copy", raw["notes"])
	}
	cluster := raw["clusters"].([]any)[0].(map[string]any)
	variant := cluster["variants"].([]any)[0].(map[string]any)
	version := cluster["versions"].([]any)[0].(map[string]any)
	edge := raw["edges"].([]any)[0].(map[string]any)
	pickup := edge["pickups"].([]any)[0].(map[string]any)
	outlet := raw["outlets"].([]any)[0].(map[string]any)
	for _, c := range []struct {
		name string
		obj  map[string]any
		want []string
	}{
		{"cluster", cluster, []string{"id", "kind", "root", "speaker", "variants", "versions"}},
		{"variant", variant, []string{"carriers", "confidence", "diff", "evidence", "first", "outlets", "parent", "text", "unseen"}},
		{"evidence", variant["evidence"].(map[string]any), []string{"contained", "kept", "lag_seconds", "new", "order", "reverted", "shared"}},
		{"version", version, []string{"article", "confidence", "date", "end", "lag_seconds", "order", "outlet", "pinned", "primary", "source", "start", "unseen", "variant"}},
		{"edge", edge, []string{"copies", "from", "lag_resolution_seconds", "lags", "median_lag_seconds", "pickups", "score", "to", "weight"}},
		{"pickup", pickup, []string{"cluster", "confidence", "copy", "from", "lag_seconds", "shared", "to"}},
		{"outlet", outlet, []string{"clusters", "first", "from_primary", "outlet", "primary_share", "secondary", "sole", "versions"}},
	} {
		if k := keys(c.obj); !reflect.DeepEqual(k, c.want) {
			t.Errorf("%s keys %v, want %v", c.name, k, c.want)
		}
	}

	var p PropagationJSON
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatal(err)
	}
	edges := map[string]PickupEdgeJSON{}
	for _, e := range p.Edges {
		edges[e.From+" → "+e.To] = e
	}
	// The Courier's copy of the Gazette's article is one pickup, though
	// it takes both findings.
	want := map[string]int{"Ofsted → Wire": 2, "Wire → Gazette": 2, "Gazette → Courier": 1}
	if len(edges) != len(want) {
		t.Errorf("edges %v, want %v", edges, want)
	}
	for w, weight := range want {
		e, ok := edges[w]
		if !ok || e.Weight != weight || e.MedianLagSeconds == nil || e.LagResolutionSeconds != 60 {
			t.Errorf("%s: %+v", w, e)
		}
	}
	// The wire's second sentence shares the report's wording but for
	// "time": the Gazette's pickup of it shares that change.
	shared := false
	for _, pk := range edges["Wire → Gazette"].Pickups {
		for _, c := range pk.Shared {
			if c.Dropped == "time" {
				shared = true
			}
		}
	}
	if !shared {
		t.Errorf("Wire → Gazette: no pickup shares the dropping of \"time\": %+v", edges["Wire → Gazette"].Pickups)
	}
	// Every cluster the report is in hangs from it; the Courier's near-copy
	// of the Gazette (a whole-article cluster, issue 10) from the Gazette,
	// the earlier of the two.
	for _, c := range p.Clusters {
		root := c.Versions[c.Variants[c.Root].Carriers[0]]
		switch {
		case c.Kind == "article":
			if root.Outlet != "Gazette" || root.Source != nil {
				t.Errorf("article cluster %d: root %+v", c.ID, root)
			}
		case root.Outlet != "Ofsted" || !root.Primary || root.Source != nil || root.Date != "2023-01-31T08:00Z":
			t.Errorf("cluster %d: root %+v", c.ID, root)
		}
	}
	for _, o := range p.Outlets {
		if o.Outlet == "Wire" && (o.FromPrimary != 2 || o.PrimaryShare != 1) {
			t.Errorf("Wire: %+v", o)
		}
		if o.Outlet == "Ofsted" && (o.First != 2 || o.Sole != 2) {
			t.Errorf("Ofsted: %+v", o)
		}
	}

	out, _, code = run(t, "propagation", "--project", project)
	if code != 0 || !strings.Contains(out, "Ofsted   Wire     2           1h10m") || !strings.Contains(out, "Gazette  Courier  1 (a copy)  1h20m") ||
		!strings.Contains(out, "(from v1,") {
		t.Errorf("propagation (exit %d):\n%s", code, out)
	}
	out, _, code = run(t, "propagation", "--project", project, "--clusters", "1", "--json")
	if err := json.Unmarshal([]byte(out), &p); code != 0 || err != nil || len(p.Clusters) != 1 || p.Clusters[0].ID != 1 {
		t.Errorf("--clusters 1: exit %d, %v, %d clusters", code, err, len(p.Clusters))
	}
}

// TestPropagationTimesWithoutZone: the Courier gives its time without a
// zone (an American outlet's 07:05, after the Gazette's 11:45 GMT) while
// the others give theirs in UTC. Read as UTC, its time would put it before
// every other outlet's, and only the report could be its source; read as
// anywhere a zone could put it, as the note says, it takes the Gazette's
// wording. The note is there whether the trace is new or read back, in the
// JSON and the text.
func TestPropagationTimesWithoutZone(t *testing.T) {
	fixture := courierDated(t, `"date":"2023-01-31T07:05"`)
	project := propagationProjectOf(t, fixture)
	const note = "1 of the 4 articles in the project with a time of day gives no time zone and 3 give one: its time is read as anywhere from 14 hours before to 12 hours after"
	const copyNote = "1 article of the project repeats another's text"
	for _, fresh := range []string{"--fresh", "--json"} {
		p := propagationJSON(t, project, fresh)
		if len(p.Notes) != 2 || !strings.Contains(p.Notes[0], note) || !strings.HasPrefix(p.Notes[1], copyNote) {
			t.Errorf("%s: notes %q, want one saying %q and the Courier's copy's", fresh, p.Notes, note)
		}
		// In the two findings the Courier carries the Gazette's wording:
		// taken from it, the same day (which the pickup graph does not
		// count as a pickup: nothing says who had the words first).
		courier := 0
		for _, c := range p.Clusters {
			if c.Kind == "article" {
				continue
			}
			for _, v := range c.Versions {
				if v.Outlet == "Courier" {
					courier++
					// Its lag is unknown: measured from any zone's
					// earliest reading it had come out 14 hours too long.
					if v.LagSeconds != nil {
						t.Errorf("%s: cluster %d: the Courier's version %d s after its source", fresh, c.ID, *v.LagSeconds)
					}
					if v.Source == nil || *v.Source != 3 || v.Order != "same" {
						from := "no article"
						if v.Source != nil {
							from = fmt.Sprintf("article %d", *v.Source)
						}
						t.Errorf("%s: cluster %d: the Courier's version from %s, %q; want from the Gazette's (3), \"same\"", fresh, c.ID, from, v.Order)
					}
				}
			}
		}
		if courier != 2 {
			t.Errorf("%s: %d versions of the Courier in the findings, want 2", fresh, courier)
		}
		text, _, _ := run(t, "propagation", "--project", project)
		if !strings.Contains(text, "Note: "+note) {
			t.Errorf("the text says no note:\n%s", text)
		}
	}
	// Near midnight: the Courier's 21:00 without a zone may be 02:00 UTC
	// the next day (9 p.m. in New York), after the Gazette's 01:30 UTC, so
	// neither is known to be first. Read as its UTC day (before 01:30 of
	// the next), it had made the Gazette take the Courier's wording.
	late := strings.Replace(fixture, `"date":"2023-01-31T07:05"`, `"date":"2023-01-31T21:00"`, 1)
	late = strings.Replace(late, `"date":"2023-01-31T11:45Z"`, `"date":"2023-02-01T01:30Z"`, 1)
	lp := propagationJSON(t, propagationProjectOf(t, late))
	for _, e := range lp.Edges {
		if e.From == "Courier" || e.To == "Courier" {
			t.Errorf("near midnight: a pickup %s → %s in %d clusters, though the two cannot be put in order", e.From, e.To, e.Weight)
		}
	}
	for _, c := range lp.Clusters {
		for _, v := range c.Versions {
			if v.Outlet == "Gazette" && c.Kind != "article" && v.Order == "before" && v.Source != nil && *v.Source == 4 {
				t.Errorf("near midnight: cluster %d: the Gazette's version taken from the Courier's, \"before\"", c.ID)
			}
		}
	}

	// Given its zone, the Courier's time orders it by the hour: after the
	// Gazette's, whose wording it took, so the pickup counts.
	if out, errOut, code := run(t, "edit", "--project", project, "--articles", "4", "--date", "2023-01-31T07:05-05:00"); code != 0 {
		t.Fatalf("edit --date: exit %d\n%s%s", code, out, errOut)
	}
	p := propagationJSON(t, project)
	weight := 0
	for _, e := range p.Edges {
		if e.From == "Gazette" && e.To == "Courier" {
			weight = e.Weight
		}
	}
	// One pickup: the Courier's copy of the Gazette's article.
	if len(p.Notes) != 1 || !strings.HasPrefix(p.Notes[0], copyNote) || weight != 1 {
		t.Errorf("with the Courier's zone: notes %q, Gazette → Courier in %d clusters; want the copy's only and 1", p.Notes, weight)
	}
}

func TestMarkCLI(t *testing.T) {
	project := propagationProject(t)
	for _, c := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"mark", "--project", project, "--articles", "2"}, exitUsage, "say --primary or --not-primary"},
		{[]string{"mark", "--project", project, "--primary"}, exitUsage, "--articles is required"},
		{[]string{"mark", "--project", project, "--primary", "--articles", "2,x"}, exitUsage, `"x" is not an ID`},
		{[]string{"mark", "--project", project, "--primary", "--articles", "2,99"}, exitFailure, "no article 99"},
		{[]string{"mark", "--project", project, "--not-primary", "--articles", "1"}, exitOK, "1 article no longer marked"},
	} {
		out, errOut, code := run(t, c.args...)
		if code != c.code || !strings.Contains(out+errOut, c.out) {
			t.Errorf("%v: exit %d, %q%q; want %d and %q", c.args[3:], code, out, errOut, c.code, c.out)
		}
	}
	out, _, _ := run(t, "show", "--project", project, "--article", "1", "--json")
	if strings.Contains(out, "primary_source") {
		t.Errorf("the mark is still there: %s", out)
	}
}

// oneLineTextAsBefore is oneLineText as it was first written: every word
// split out and joined, then cut.
func oneLineTextAsBefore(s string, n int) string {
	return truncate(strings.Join(strings.Fields(s), " "), n)
}

// TestOneLineText: the line printed for a wording is the one the
// definition above gives, for white space of every kind, text of 99 to
// 101 runes, and bytes that are not UTF-8.
func TestOneLineText(t *testing.T) {
	long := strings.Repeat("é", 99)
	for _, s := range []string{
		"", " ", "We failed.", "  We\tfailed\n\n badly. ", "We\u00a0failed\u2003badly",
		long, long + "x", long + "xy", long + " ", " " + long + "x", long[:196] + " x y",
		"\xff\xfe bad", strings.Repeat("\xff", 120), strings.Repeat("a ", 60), strings.Repeat("ab\t", 40),
		strings.Repeat("a", 98) + " b", strings.Repeat("a", 99) + " b", strings.Repeat("a", 100) + "\xff",
	} {
		for _, n := range []int{1, 2, 3, 100} {
			if got, want := oneLineText(s, n), oneLineTextAsBefore(s, n); got != want {
				t.Errorf("oneLineText(%q, %d) = %q, want %q", s, n, got, want)
			}
		}
	}
}

func FuzzOneLineText(f *testing.F) {
	f.Add("  We\tfailed\n\n badly. ", 100)
	f.Add("\xff\xfe bad", 3)
	f.Fuzz(func(t *testing.T, s string, n int) {
		if n < 1 || n > 300 {
			return
		}
		if got, want := oneLineText(s, n), oneLineTextAsBefore(s, n); got != want {
			t.Fatalf("oneLineText(%q, %d) = %q, want %q", s, n, got, want)
		}
	})
}

// TestZoneReading: times without a zone are read as their days only when
// other times give theirs; dates without a time count for neither.
func TestZoneReading(t *testing.T) {
	stamps := func(dates ...string) map[int64]data.ArticleStamp {
		out := map[int64]data.ArticleStamp{}
		for i, d := range dates {
			date, err := data.ParseDateTime(d)
			if err != nil {
				t.Fatal(err)
			}
			out[int64(i+1)] = data.ArticleStamp{ID: int64(i + 1), Date: date}
		}
		return out
	}
	for _, c := range []struct {
		name    string
		dates   []string
		anyZone bool
		note    string
	}{
		{"no dates", nil, false, ""},
		{"days only, one undated", []string{"2023-01-31", "2023-02-01", ""}, false,
			"1 of the 3 articles in the project has no date: when its versions came out is unknown"},
		{"two undated", []string{"", "2023-02-01", ""}, false,
			"2 of the 3 articles in the project have no date: when their versions came out is unknown"},
		{"all zoned", []string{"2023-01-31T09:00Z", "2023-01-31T10:00+01:00", "2023-01-31"}, false, ""},
		{"none zoned", []string{"2023-01-31T09:00", "2023-01-31T10:00", "2023-01-31"}, false, ""},
		{"one without", []string{"2023-01-31T09:00Z", "2023-01-31T10:00+01:00", "2023-01-31T07:05", "2023-01-31"}, true,
			"1 of the 3 articles in the project with a time of day gives no time zone and 2 give one: its time is read as anywhere"},
		{"one of each", []string{"2023-01-31T09:00Z", "2023-01-31T07:05"}, true,
			"1 of the 2 articles in the project with a time of day gives no time zone and 1 gives one: its time"},
		{"three without, one with", []string{"2023-01-31T09:00", "2023-01-31T10:00", "2023-01-31T07:05", "2023-01-31T08:00-05:00"}, true,
			"3 of the 4 articles in the project with a time of day give no time zone and 1 gives one: their times are read as anywhere"},
		{"undated and without a zone", []string{"", "2023-01-31T09:00Z", "2023-01-31T07:05"}, true,
			"1 of the 3 articles in the project has no date"},
	} {
		ss := stamps(c.dates...)
		anyZone, notes := timeReading(ss, unrealDates(ss))
		if anyZone != c.anyZone || (c.note == "") != (len(notes) == 0) || (c.note != "" && !strings.HasPrefix(notes[0], c.note)) {
			t.Errorf("%s: any zone %v, notes %q; want %v, %q", c.name, anyZone, notes, c.anyZone, c.note)
		}
		// One note for each thing to say: the undated, then the zones.
		if want := len(c.dates) > 0 && c.anyZone && slices.Contains(c.dates, ""); want && len(notes) != 2 {
			t.Errorf("%s: %d notes, want 2: %q", c.name, len(notes), notes)
		}
	}
	at := func(s string) time.Time {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			panic(err)
		}
		return t
	}
	for _, c := range []struct {
		date    string
		anyZone bool
		lo, hi  string
	}{
		// 07:05 in some zone: 17:05 the day before (UTC+14) to 19:05 (UTC-12).
		{"2023-01-31T07:05", true, "2023-01-30T17:05:00Z", "2023-01-31T19:06:00Z"},
		{"2023-01-31T07:05", false, "2023-01-31T07:05:00Z", "2023-01-31T07:06:00Z"},
		{"2023-01-31T07:05-05:00", true, "2023-01-31T12:05:00Z", "2023-01-31T12:06:00Z"},
		{"2023-01-31", true, "2023-01-31T00:00:00Z", "2023-02-01T00:00:00Z"},
	} {
		date, _ := data.ParseDateTime(c.date)
		got := stampOf(date, c.anyZone)
		if !got.Known || !got.Lo.Equal(at(c.lo)) || !got.Hi.Equal(at(c.hi)) {
			t.Errorf("stampOf(%s, %v) = [%s, %s), want [%s, %s)", c.date, c.anyZone, got.Lo, got.Hi, c.lo, c.hi)
		}
	}
}

// TestSyndication: each article of a syndicated text, copies of copies
// included, is read as the text's first article; a note says how the
// copies are counted, in the singular or the plural.
func TestSyndication(t *testing.T) {
	for _, c := range []struct {
		name   string
		copyOf map[int64]int64 // article → the article it repeats
		family map[int64]int64
		note   string
	}{
		{"no copies", map[int64]int64{1: 0, 2: 0}, nil, ""},
		{"one copy", map[int64]int64{1: 0, 2: 1, 3: 0}, map[int64]int64{1: 1, 2: 1}, "1 article of the project repeats another's text (a syndicated copy"},
		{"a copy of a copy, and another text", map[int64]int64{1: 0, 2: 1, 3: 2, 4: 0, 5: 4, 6: 0},
			map[int64]int64{1: 1, 2: 1, 3: 1, 4: 4, 5: 4}, "3 articles of the project repeat another's text (syndicated copies"},
		{"a copy of an article not in the project", map[int64]int64{2: 9}, map[int64]int64{2: 9, 9: 9}, "1 article"},
		{"a damaged loop of links", map[int64]int64{1: 2, 2: 1, 3: 0}, map[int64]int64{1: 1, 2: 1}, "2 articles"},
		{"a loop of three, and a copy into it", map[int64]int64{4: 6, 5: 4, 6: 5, 7: 5, 8: 0}, map[int64]int64{4: 4, 5: 4, 6: 4, 7: 4}, "4 articles"},
		{"an article its own copy", map[int64]int64{3: 3, 4: 0}, map[int64]int64{3: 3}, "1 article"},
	} {
		stamps := map[int64]data.ArticleStamp{}
		for id, of := range c.copyOf {
			stamps[id] = data.ArticleStamp{ID: id, CopyOf: of}
		}
		family, note := syndication(stamps)
		if !maps.Equal(family, c.family) {
			t.Errorf("%s: family %v, want %v", c.name, family, c.family)
		}
		if !strings.HasPrefix(note, c.note) || (c.note == "") != (note == "") {
			t.Errorf("%s: note %q, want one beginning %q", c.name, note, c.note)
		}
	}
}

// TestPropagationSyndicatedCopy: the Echo runs the Gazette's article word
// for word (found at import as a copy). Each of its passages is a version
// taken from the Gazette's, but the pickup is one: counted per cluster it
// was an edge of five clusters, more than any outlet that quoted another's
// words itself. It counts once, in the whole-article cluster, and a note
// says so.
func TestPropagationSyndicatedCopy(t *testing.T) {
	gazette := strings.SplitN(propagationFixture, "\n", 4)[2]
	echo := strings.Replace(strings.Replace(gazette, `"outlet":"Gazette"`, `"outlet":"Echo"`, 1), `"date":"2023-01-31T11:45Z"`, `"date":"2023-01-31T15:00Z"`, 1)
	if echo == gazette || !strings.Contains(echo, "15:00Z") {
		t.Fatal("the Gazette's article is not in the fixture")
	}
	p := propagationJSON(t, propagationProjectOf(t, propagationFixture+echo+"\n"))
	article := map[int64]bool{}
	for _, c := range p.Clusters {
		article[c.ID] = c.Kind == "article"
	}
	found := false
	for _, e := range p.Edges {
		if e.From == "Gazette" && e.To == "Echo" {
			found = true
			if e.Weight != 1 || len(e.Pickups) != 1 || !article[e.Pickups[0].Cluster] {
				t.Errorf("Gazette → Echo in %d clusters (%+v), want once, in the whole-article cluster", e.Weight, e.Pickups)
			}
			if e.Copies != 1 || len(e.Pickups) != 1 || !e.Pickups[0].Copy {
				t.Errorf("Gazette → Echo: %d copies (%+v), want its one pickup marked a copy", e.Copies, e.Pickups)
			}
		}
		if e.To == "Echo" && e.From != "Gazette" {
			t.Errorf("%s → Echo in %d clusters: the Echo only copies the Gazette", e.From, e.Weight)
		}
	}
	if !found {
		t.Errorf("no pickup Gazette → Echo: %+v", p.Edges)
	}
	// The Courier's near-copy of the Gazette, and the Echo's copy.
	if len(p.Notes) != 1 || !strings.HasPrefix(p.Notes[0], "2 articles of the project repeat another's text") {
		t.Errorf("notes %q, want one on the syndicated copies", p.Notes)
	}
	// The Gazette's other outlets' figures are as without the copy.
	if i := slices.IndexFunc(p.Edges, func(e PickupEdgeJSON) bool { return e.From == "Wire" && e.To == "Gazette" }); i < 0 || p.Edges[i].Weight != 2 || p.Edges[i].Copies != 0 {
		t.Errorf("Wire → Gazette: %+v, want an edge of 2 clusters, no copy", p.Edges)
	}
}

// TestPropagationInferredDates: the Courier's date is read from its
// address, not given: the trace orders by it, and a note says so until
// the date is given.
func TestPropagationInferredDates(t *testing.T) {
	project := propagationProjectOf(t, courierDated(t, `"url":"https://courier.example/2023/01/31/services-rated-inadequate"`))
	const note = "1 of the 4 dated articles in the project has a date Parallax inferred (from an address, a dateline or a database's load date) rather than one the source gave, and the trace orders its versions by it."
	notes := func() []string { return propagationJSON(t, project).Notes }
	if got := notes(); !slices.ContainsFunc(got, func(n string) bool { return strings.HasPrefix(n, note) }) {
		t.Errorf("notes %q, want one beginning %q", got, note)
	}
	// An undated article's flag counts for nothing: of the dated, none.
	day := data.MustParseDate("2023-01-31")
	_, ns := timeReading(map[int64]data.ArticleStamp{1: {ID: 1, Date: day, DateInferred: true}, 2: {ID: 2, Date: day}, 3: {ID: 3, DateInferred: true}}, nil)
	if !slices.ContainsFunc(ns, func(n string) bool {
		return strings.HasPrefix(n, "1 of the 2 dated articles in the project has a date Parallax inferred")
	}) {
		t.Errorf("notes %q, want one on 1 of the 2 dated articles", ns)
	}
	if out, errOut, code := run(t, "edit", "--project", project, "--articles", "4", "--date", "2023-01-31T13:05Z"); code != 0 {
		t.Fatalf("edit --date: exit %d\n%s%s", code, out, errOut)
	}
	for _, n := range notes() {
		if strings.Contains(n, "inferred") {
			t.Errorf("with the date given: note %q", n)
		}
	}
}

// outletStamps are stamps of articles 1, 2… of the outlets given.
func outletStamps(outlets ...string) map[int64]data.ArticleStamp {
	out := map[int64]data.ArticleStamp{}
	for i, o := range outlets {
		out[int64(i+1)] = data.ArticleStamp{ID: int64(i + 1), Outlet: o}
	}
	return out
}

// TestOutletNames: the note names the groups of outlet names that may be
// one outlet, four at most, and is not there when none are.
func TestOutletNames(t *testing.T) {
	for _, c := range []struct {
		name    string
		outlets []string
		want    string
	}{
		{"none", []string{"BBC News", "ITV News", "", "BBC News"}, ""},
		// GOV.UK is listed under gov.uk: reading it as that host's outlet
		// again and again had overflowed the stack.
		{"an outlet the table lists under its own address", []string{"GOV.UK", "BBC News"}, ""},
		{"one", []string{"The Guardian", "The Guardian (London)", "Reuters", "The Guardian"},
			`The project may name an outlet in more than one way: "The Guardian" and "The Guardian (London)". The trace counts each name`},
		{"five", []string{"A Post", "a post", "B Post", "b post", "C Post", "c post", "D Post", "d post", "E Post", "E  POST", "e post"},
			`The project may name some outlets in more than one way: "A Post" and "a post"; "B Post" and "b post"; "C Post" and "c post"; "D Post" and "d post"; and 1 more (parallax list --json`},
	} {
		got := outletNames(readingOf(outletStamps(c.outlets...)).outlets)
		if !strings.HasPrefix(got, c.want) || (c.want == "") != (got == "") {
			t.Errorf("%s: %q, want it to begin %q", c.name, got, c.want)
		}
	}
	// The note reaches the command's JSON.
	fixture := strings.Replace(propagationFixture, `"outlet":"Courier"`, `"outlet":"GAZETTE"`, 1)
	notes := propagationJSON(t, propagationProjectOf(t, fixture)).Notes
	if !slices.ContainsFunc(notes, func(n string) bool { return strings.Contains(n, `"GAZETTE" and "Gazette"`) }) {
		t.Errorf("notes %q, want one on the Gazette's two names", notes)
	}
}

// TestNoOutlets: articles without an outlet, blank ones included, are
// counted in a note, as each is a source of its own to the trace.
func TestNoOutlets(t *testing.T) {
	for _, c := range []struct {
		outlets []string
		want    string
	}{
		{[]string{"BBC News", "ITV News"}, ""},
		{[]string{"BBC News", "", "ITV News"}, "1 of the 3 articles in the project has no outlet: the trace counts each as a source of its own (\"(no outlet) #12\"), so its pickups and first carriers are the article's, not an outlet's. Give it its outlet"},
		{[]string{"  ", "", "BBC News"}, "2 of the 3 articles in the project have no outlet: the trace counts each as a source of its own (\"(no outlet) #12\"), so their pickups and first carriers are each article's"},
	} {
		if got := noOutlets(outletStamps(c.outlets...)); !strings.HasPrefix(got, c.want) || (c.want == "") != (got == "") {
			t.Errorf("%q: %q, want it to begin %q", c.outlets, got, c.want)
		}
	}
	if got := data.SourceLabel("  ", 7); got != "(no outlet) #7" {
		t.Errorf("a blank outlet is labelled %q", got)
	}
}

// TestPropagationPlaceholderDates: the Courier's export gives 1970-01-01,
// the Unix epoch, for its missing date. Taken as a date, it made the
// Courier the first carrier of everything it shares, decades before the
// rest. The import drops it, with a warning; typed in afterwards, the
// trace reads it as undated, and a note says so.
func TestPropagationPlaceholderDates(t *testing.T) {
	fixture := courierDated(t, `"date":"1970-01-01T00:00:00Z"`)
	dir := t.TempDir()
	src := filepath.Join(dir, "articles.jsonl")
	if err := os.WriteFile(src, []byte(fixture), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := run(t, "import", "--project", filepath.Join(dir, "p.parallax"), "--json", src)
	var imp ImportJSON
	if err := json.Unmarshal([]byte(out), &imp); code != 0 || err != nil {
		t.Fatalf("import --json: exit %d, %v\n%s%s", code, err, out, errOut)
	}
	for _, a := range imp.Imported {
		want := 0
		if a.ID == 4 {
			want = 1
		}
		if len(a.Warnings) != want || want == 1 && !strings.Contains(a.Warnings[0], "1970-01-01T00:00:00Z is the Unix epoch") {
			t.Errorf("article %d: warnings %q, want %d on the epoch", a.ID, a.Warnings, want)
		}
	}

	project := propagationProjectOf(t, fixture)
	if out, errOut, code := run(t, "list", "--project", project, "--json"); code != 0 || !strings.Contains(out, `"date": ""`) {
		t.Errorf("list --json: exit %d, want the Courier undated\n%s%s", code, out, errOut)
	}
	if out, errOut, code := run(t, "edit", "--project", project, "--articles", "4", "--date", "1970-01-01T00:00Z"); code != 0 {
		t.Fatalf("edit --date: exit %d\n%s%s", code, out, errOut)
	}
	p := propagationJSON(t, project)
	const note = "1 of the 4 articles in the project is dated 1970-01-01T00:00Z (the Unix epoch, a timestamp of 0): a date that programs write where a date is missing"
	if !slices.ContainsFunc(p.Notes, func(n string) bool { return strings.HasPrefix(n, note) }) {
		t.Errorf("notes %q, want one beginning %q", p.Notes, note)
	}
	for _, e := range p.Edges {
		if e.From == "Courier" {
			t.Errorf("Courier → %s in %d clusters: the Courier came out last", e.To, e.Weight)
		}
	}
	for _, o := range p.Outlets {
		if o.Outlet == "Courier" && o.First > 0 {
			t.Errorf("the Courier is first in %d clusters", o.First)
		}
	}
	// The trees (and their time axes) read it as undated too.
	for _, c := range p.Clusters {
		for _, v := range c.Versions {
			if v.Article == 4 && v.Date != "" {
				t.Errorf("cluster %d: the Courier's version is dated %q", c.ID, v.Date)
			}
		}
	}
}

// TestUnrealDates: a placeholder no article could have is never read as
// a date; a day that is also a placeholder is, when another article of
// the project is dated within five years of it (an archive of 1900's
// papers), and is not in a project of this decade's coverage.
func TestUnrealDates(t *testing.T) {
	for _, c := range []struct {
		name   string
		dates  []string
		unreal []int64
	}{
		{"this decade's coverage and the epoch's day", []string{"2023-01-31", "2023-02-01T09:00Z", "1970-01-01"}, []int64{3}},
		{"an archive of 1900", []string{"1899-12-29", "1900-01-01", "1900-01-03"}, nil},
		{"an archive of 1970 and the epoch's instant", []string{"1970-01-01", "1970-01-02", "1970-01-01T00:00:00Z"}, []int64{3}},
		{"only placeholders", []string{"1970-01-01", "1900-01-01"}, []int64{1, 2}},
		{"six years off", []string{"1976-01-02", "1970-01-01"}, []int64{2}},
		{"three years off", []string{"1973-01-02", "1970-01-01"}, nil},
		{"year 1 and 9999", []string{"0001-01-01", "9999-12-31", "2023-01-31"}, []int64{1, 2}},
		{"no placeholders", []string{"2023-01-31", ""}, nil},
	} {
		st := map[int64]data.ArticleStamp{}
		for i, d := range c.dates {
			st[int64(i+1)] = data.ArticleStamp{ID: int64(i + 1), Date: data.MustParseDate(d)}
		}
		got := slices.Sorted(maps.Keys(unrealDates(st)))
		if !slices.Equal(got, c.unreal) {
			t.Errorf("%s: unreal %v, want %v", c.name, got, c.unreal)
		}
	}
}

// TestPropagationAbsentOutlets: outlets the trace shows none of are named,
// and articles the clusters do not account for yet are counted. The Echo,
// imported after the analysis, is in no cluster: a note counts its article
// until the project is analysed again; its text shares nothing with the
// others, so another note names it as an outlet in none of the figures,
// in a trace of the whole project (kept or fresh), not in one of chosen
// clusters.
func TestPropagationAbsentOutlets(t *testing.T) {
	project := propagationProjectOf(t, propagationFixture)
	src := filepath.Join(t.TempDir(), "echo.json")
	if err := os.WriteFile(src, []byte(`{"outlet":"Echo","date":"2023-01-31T15:00Z","title":"Budget approved","text":"The council approved its budget for the coming year on Tuesday evening after a long debate about library opening hours."}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, errOut, code := run(t, "import", "--project", project, src); code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, out, errOut)
	}
	const (
		pending = "1 of the 5 articles in the project is not in the trace (imported or changed since the last analysis"
		absent  = `1 of the project's 5 outlets is in none of the clusters traced, so in none of the figures: "Echo".`
	)
	has := func(notes []string, prefix string) bool {
		return slices.ContainsFunc(notes, func(n string) bool { return strings.HasPrefix(n, prefix) })
	}
	for _, args := range [][]string{{"--fresh"}, nil} {
		if p := propagationJSON(t, project, args...); !has(p.Notes, pending) || !has(p.Notes, absent) {
			t.Errorf("%v: notes %q, want one on the article not analysed and one naming the Echo", args, p.Notes)
		}
	}
	if out, errOut, code := run(t, "analyze", "--project", project); code != 0 {
		t.Fatalf("analyze: exit %d\n%s%s", code, out, errOut)
	}
	p := propagationJSON(t, project)
	if has(p.Notes, pending) || !has(p.Notes, absent) {
		t.Errorf("analysed: notes %q, want only the one naming the Echo", p.Notes)
	}
	if len(p.Clusters) == 0 {
		t.Fatal("no clusters")
	}
	chosen := propagationJSON(t, project, "--clusters", fmt.Sprint(p.Clusters[0].ID))
	if has(chosen.Notes, "1 of the project's") || !has(chosen.Notes, scopedHabits) {
		t.Errorf("a trace of chosen clusters names outlets outside them, or does not say its habits are its own: %q", chosen.Notes)
	}
	if has(p.Notes, scopedHabits) {
		t.Errorf("the whole project's trace says it is of chosen clusters: %q", p.Notes)
	}
	// A new version of the Echo's article, which is in no cluster, is
	// not accounted for either until the next analysis.
	if err := os.WriteFile(src, []byte(`{"outlet":"Echo","date":"2023-01-31T15:00Z","title":"Budget approved","text":"The council approved its budget for the coming year on Tuesday evening after a short debate about library opening hours."}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, errOut, code := run(t, "import", "--project", project, src); code != 0 || !strings.Contains(out, "new version of article 5") {
		t.Fatalf("import a new version: exit %d\n%s%s", code, out, errOut)
	}
	if p := propagationJSON(t, project); !has(p.Notes, pending) {
		t.Errorf("after a new version: notes %q, want one on the article not analysed", p.Notes)
	}
}

func TestAbsentOutlets(t *testing.T) {
	shown := []data.OutletPropagation{{Outlet: "Wire"}, {Outlet: "Gazette"}}
	for _, c := range []struct {
		all  []string
		want string
	}{
		{[]string{"Gazette", "Wire"}, ""},
		{[]string{"Beacon"}, `The project's one outlet is in none of the clusters traced, so in none of the figures: "Beacon". Its articles share`},
		{[]string{"Beacon", "Gazette", "Sentinel", "Wire"}, `2 of the project's 4 outlets are in none of the clusters traced, so in none of the figures: "Beacon" and "Sentinel". Their articles share`},
		{[]string{"A", "B", "C", "D", "E", "F", "G", "H", "I", "Gazette", "Wire"}, `9 of the project's 11 outlets are in none of the clusters traced, so in none of the figures: "A", "B", "C", "D", "E", "F", "G", "H" and 1 more. Their`},
	} {
		got := absentOutlets(c.all, shown)
		if c.want == "" && got != "" || !strings.HasPrefix(got, c.want) {
			t.Errorf("%v: %q, want %q", c.all, got, c.want)
		}
	}
}

// TestPropagationNotesEverywhere: the notes on an absent outlet and a
// placeholder date, and the placeholder read as no date, hold for the
// window's kept trace read whole and for the exports; the absent outlet
// is not named in an export of chosen clusters.
func TestPropagationNotesEverywhere(t *testing.T) {
	project := propagationProjectOf(t, propagationFixture)
	src := filepath.Join(t.TempDir(), "echo.json")
	if err := os.WriteFile(src, []byte(`{"outlet":"Echo","date":"2023-01-31T15:00Z","title":"Budget approved","text":"The council approved its budget for the coming year on Tuesday evening after a long debate about library opening hours."}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"import", "--project", project, src},
		{"analyze", "--project", project},
		{"edit", "--project", project, "--articles", "4", "--date", "1970-01-01T00:00Z"},
	} {
		if out, errOut, code := run(t, args...); code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out, errOut)
		}
	}
	const (
		absent      = `1 of the project's 5 outlets is in none of the clusters traced`
		placeholder = "1 of the 5 articles in the project is dated 1970-01-01T00:00Z (the Unix epoch"
	)
	has := func(notes []string, prefix string) bool {
		return slices.ContainsFunc(notes, func(n string) bool { return strings.HasPrefix(n, prefix) })
	}
	store, err := data.Open(project)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, pass := range []string{"traced", "kept"} {
		p, kept, err := keptPropagation(context.Background(), store, nil, dir, false, nil)
		if err != nil {
			t.Fatal(err)
		}
		kept()
		if !has(p.Notes, absent) || !has(p.Notes, placeholder) {
			t.Errorf("%s: notes %q", pass, p.Notes)
		}
	}
	store.Close()

	export := func(format string, args ...string) string {
		t.Helper()
		out := filepath.Join(t.TempDir(), "out")
		if _, errOut, code := run(t, append([]string{"export", "--project", project, "--format", format, "--out", out}, args...)...); code != 0 {
			t.Fatalf("export %s %v: exit %d\n%s", format, args, code, errOut)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if g := export("graphml"); !strings.Contains(g, "5 outlets is in none of the clusters traced") || !strings.Contains(g, "the Unix epoch") {
		t.Errorf("GraphML of the whole project lacks the notes:\n%s", g)
	}
	if csv := export("pickups-csv"); strings.Contains(csv, "\nCourier,") {
		t.Errorf("the pickups CSV has the Courier, dated the epoch, as a source:\n%s", csv)
	}
	if g := export("graphml", "--clusters", "1"); strings.Contains(g, "outlets is in none") {
		t.Errorf("GraphML of chosen clusters names an absent outlet:\n%s", g)
	}
}

func TestWeightText(t *testing.T) {
	pickups := func(copies ...bool) []data.Pickup {
		var out []data.Pickup
		for _, c := range copies {
			out = append(out, data.Pickup{Copy: c})
		}
		return out
	}
	for _, c := range []struct {
		pickups []data.Pickup
		want    string
	}{
		{pickups(false, false, false), "3"},
		{pickups(true), "1 (a copy)"},
		{pickups(true, false, false), "3 (1 copy)"},
		{pickups(true, true, false), "3 (2 copies)"},
		{pickups(true, true), "2 (all copies)"},
	} {
		if got := (data.PickupEdge{Weight: len(c.pickups), Pickups: c.pickups}).WeightText(); got != c.want {
			t.Errorf("%v: %q, want %q", c.pickups, got, c.want)
		}
	}
}

// TestUnorderedPickups: a note counts the pickups between versions their
// dates do not order, leaving out a syndicated copy's, one from a primary
// source and one from or to a date read as none.
func TestUnorderedPickups(t *testing.T) {
	date := func(s string) data.Date {
		d, err := data.ParseDateTime(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	stamps := map[int64]data.ArticleStamp{
		1: {ID: 1, Outlet: "ITV", Date: date("2023-01-31")},
		2: {ID: 2, Outlet: "BBC", Date: date("2023-01-31")},
		3: {ID: 3, Outlet: "Sky", Date: date("2023-01-31T09:00Z")},
		4: {ID: 4, Outlet: "Argus", Date: date("2023-01-31T15:00Z")},
		5: {ID: 5, Outlet: "Ofsted", Date: date("2023-01-31"), Primary: true},
		6: {ID: 6, Outlet: "Wire", Date: date("1970-01-01T00:00:00Z")},
		7: {ID: 7, Outlet: "Echo", Date: date("2023-02-01")},
	}
	rd := readingOf(stamps)
	edge := func(ps ...data.Pickup) []data.PickupEdge { return []data.PickupEdge{{Pickups: ps}} }
	for _, c := range []struct {
		name  string
		edges []data.PickupEdge
		want  string // the note's start, "" for none
	}{
		{"same day, no times", edge(data.Pickup{From: 1, To: 2}), "The pickup joins versions their dates do not order"},
		{"a day and a time of that day", edge(data.Pickup{From: 1, To: 3}, data.Pickup{From: 3, To: 2}), "Both pickups join"},
		{"times in order", edge(data.Pickup{From: 3, To: 4}), ""},
		{"days in order", edge(data.Pickup{From: 1, To: 7}), ""},
		{"from a primary source", edge(data.Pickup{From: 5, To: 2}), ""},
		{"a syndicated copy", edge(data.Pickup{From: 1, To: 2, Copy: true}), ""},
		{"a placeholder date", edge(data.Pickup{From: 6, To: 2}), ""},
		{"some of several", edge(data.Pickup{From: 1, To: 2}, data.Pickup{From: 3, To: 4}, data.Pickup{From: 1, To: 7}), "1 of the 3 pickups joins versions"},
	} {
		got := rd.unorderedPickups(c.edges)
		if c.want == "" && got != "" || !strings.HasPrefix(got, c.want) {
			t.Errorf("%s: note %q, want one starting %q", c.name, got, c.want)
		}
	}
}
