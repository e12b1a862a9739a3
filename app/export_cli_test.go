package app

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExportEveryFormatCorpus(t *testing.T) {
	dir := bradford(t)
	project := filepath.Join(t.TempDir(), "p.db")
	for _, args := range [][]string{
		{"import", "--project", project, "--manifest", filepath.Join(dir, "manifest.csv"), dir},
		{"analyze", "--project", project},
		{"annotate", "--project", project, "--article", "1", "--start", "2", "--end", "16", "--code", "Findings/Severity", "--note", "=cmd|' /C calc'!A0"},
	} {
		if _, e, code := run(t, args...); code != 0 {
			t.Fatalf("%v: %s", args, e)
		}
	}
	out := t.TempDir()
	for _, f := range ExportFormats() {
		t.Run(f, func(t *testing.T) {
			path := filepath.Join(out, "export"+exporters[f].ext)
			if _, e, code := run(t, "export", "--project", project, "--format", f, "--out", path); code != 0 {
				t.Fatalf("export %s: %s", f, e)
			}
			b, err := os.ReadFile(path)
			if err != nil || len(b) == 0 {
				t.Fatalf("no output: %v", err)
			}
			switch f {
			case "csv", "quotes-csv":
				recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
				if err != nil || len(recs) < 2 {
					t.Fatalf("%s does not parse as CSV with rows: %v (%d records)", f, err, len(recs))
				}
				if f == "csv" && !strings.Contains(string(b), "'=cmd") {
					t.Fatal("formula-looking note not neutralised")
				}
			case "w3c":
				var v map[string]any
				if err := json.Unmarshal(b, &v); err != nil || v["@context"] != "http://www.w3.org/ns/anno.jsonld" {
					t.Fatalf("w3c: %v %v", err, v["@context"])
				}
			case "html":
				if !strings.Contains(string(b), "<del") || strings.Contains(string(b), "<script") {
					t.Fatal("html report lacks diff marks or carries a script")
				}
			}
		})
	}
	// Scopes: an unknown code, a bad ID and an unknown format are errors that
	// leave no file behind.
	bad := filepath.Join(out, "bad.md")
	for _, args := range [][]string{
		{"export", "--project", project, "--format", "md", "--out", bad, "--codes", "No/Such"},
		{"export", "--project", project, "--format", "md", "--out", bad, "--articles", "x"},
		{"export", "--project", project, "--format", "docx", "--out", bad},
	} {
		if _, _, code := run(t, args...); code == 0 {
			t.Fatalf("%v succeeded", args)
		}
	}
	if _, err := os.Stat(bad); err == nil {
		t.Fatal("a failed export left a file")
	}
}

// TestQDPXRoundTripCLICorpus: a project exported as REFI-QDA and imported into a
// new project brings back its articles, codes and annotations.
func TestQDPXRoundTripCLICorpus(t *testing.T) {
	dir := bradford(t)
	tmp := t.TempDir()
	src, dst := filepath.Join(tmp, "src.db"), filepath.Join(tmp, "dst.db")
	for _, args := range [][]string{
		{"import", "--project", src, "--manifest", filepath.Join(dir, "manifest.csv"), dir},
		{"annotate", "--project", src, "--article", "2", "--start", "10", "--end", "40", "--code", "Findings/Severity", "--note", "checked"},
		{"export", "--project", src, "--format", "qdpx", "--out", filepath.Join(tmp, "p.qdpx")},
		{"import", "--project", dst, filepath.Join(tmp, "p.qdpx")},
	} {
		if _, e, code := run(t, args...); code != 0 {
			t.Fatalf("%v: %s", args, e)
		}
	}
	a, _, _ := run(t, "annotations", "--project", src, "--json")
	b, _, _ := run(t, "annotations", "--project", dst, "--json")
	var as, bs []AnnotationJSON
	json.Unmarshal([]byte(a), &as)
	json.Unmarshal([]byte(b), &bs)
	if len(as) != 1 || len(bs) != 1 || as[0].Text != bs[0].Text || as[0].Note != bs[0].Note || strings.Join(bs[0].Codes, ",") != "Findings/Severity" {
		t.Fatalf("round trip:\n%+v\n%+v", as, bs)
	}
	la, _, _ := run(t, "list", "--project", src, "--json")
	lb, _, _ := run(t, "list", "--project", dst, "--json")
	var ra, rb []ArticleJSON
	json.Unmarshal([]byte(la), &ra)
	json.Unmarshal([]byte(lb), &rb)
	if len(ra) != 5 || len(rb) != 5 {
		t.Fatalf("articles %d → %d", len(ra), len(rb))
	}
}

// A REFI-QDA export says how many orphaned annotations it wrote as notes
// rather than as coded passages, and how many annotation colours it could
// not write on selections (each annotation in one warning); other formats,
// and a project without orphans, say nothing of orphans.
func TestExportWarnsOfOrphanedAnnotations(t *testing.T) {
	dir := t.TempDir()
	project, story := filepath.Join(dir, "p.parallax"), filepath.Join(dir, "story.txt")
	write := func(text string) {
		t.Helper()
		if err := os.WriteFile(story, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cli := func(args ...string) string {
		t.Helper()
		_, e, code := run(t, args...)
		if code != 0 {
			t.Fatalf("%v: %s", args, e)
		}
		return e
	}
	const warning = "1 orphaned annotation(s)"
	write("The council said the report was unfair.\nInspectors found serious failures.")
	cli("import", "--project", project, "--outlet", "Times", story)
	// Its colour is not counted in the colour warning: it goes out as a
	// note, which the orphans' warning covers.
	cli("annotate", "--project", project, "--article", "1", "--start", "17", "--end", "38", "--code", "Defence/Denial", "--color", "#0000FF")
	if e := cli("export", "--project", project, "--format", "qdpx", "--out", filepath.Join(dir, "before.qdpx")); strings.Contains(e, warning) {
		t.Errorf("warned with nothing orphaned: %s", e)
	}
	write("The council said it accepted the findings.\nInspectors found serious failures.")
	cli("import", "--project", project, "--outlet", "Times", story)
	cli("annotate", "--project", project, "--article", "1", "--start", "44", "--end", "54", "--code", "Findings", "--color", "#FF0000")
	for _, tc := range []struct {
		format string
		warns  bool
	}{{"qdpx", true}, {"md", false}} {
		e := cli("export", "--project", project, "--format", tc.format, "--out", filepath.Join(dir, "after."+tc.format))
		for _, w := range []string{warning, "1 annotation(s) have a colour of their own"} {
			if strings.Contains(e, "warning: "+w) != tc.warns {
				t.Errorf("%s: stderr %q, want %q: %v", tc.format, e, w, tc.warns)
			}
		}
	}
}
