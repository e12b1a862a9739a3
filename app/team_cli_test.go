package app

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parallax-research/parallax/data"
)

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, e, code := run(t, args...)
	if code != 0 {
		t.Fatalf("%v: exit %d\n%s%s", args, code, out, e)
	}
	return out
}

// Two coders code the same article in their own copies; one merges the
// other's work, the annotations keep their coders, and agreement is
// measured on the merged project.
func TestTeamWorkflowCLI(t *testing.T) {
	dir := t.TempDir()
	text := "Inspectors found serious failures at the nursery. Parents were shocked by the report."
	article := filepath.Join(dir, "article.txt")
	if err := os.WriteFile(article, []byte("title: Nursery report\noutlet: BBC\n\n"+text+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ana, ben := filepath.Join(dir, "ana.parallax"), filepath.Join(dir, "ben.parallax")
	mustRun(t, "import", "--project", ana, article)
	mustRun(t, "import", "--project", ben, article)
	at := func(passage string) (string, string) {
		i := strings.Index(text, passage)
		return itoa(int64(len([]rune(text[:i])))), itoa(int64(len([]rune(text[:i+len(passage)]))))
	}
	s1, e1 := at("serious failures at the nursery")
	s2, e2 := at("serious failures")
	s3, e3 := at("Parents were shocked")
	mustRun(t, "annotate", "--project", ana, "--coder", "Ana", "--article", "1", "--start", s1, "--end", e1, "--code", "Findings/Severity")
	mustRun(t, "annotate", "--project", ana, "--coder", "Ana", "--article", "1", "--start", s3, "--end", e3, "--code", "Reaction")
	mustRun(t, "annotate", "--project", ben, "--coder", "Ben", "--article", "1", "--start", s2, "--end", e2, "--code", "Findings/Severity")
	mustRun(t, "annotate", "--project", ben, "--coder", "Ben", "--article", "1", "--start", s3, "--end", e3, "--code", "Reaction")

	var m MergeJSON
	if err := json.Unmarshal([]byte(mustRun(t, "merge", "--project", ana, "--from", ben, "--json")), &m); err != nil {
		t.Fatal(err)
	}
	if m.Annotations != 2 || m.Articles != 1 || m.Codes != 0 || m.CodesMatch != 3 {
		t.Errorf("merge = %+v", m)
	}
	var bens []AnnotationJSON
	if err := json.Unmarshal([]byte(mustRun(t, "annotations", "--project", ana, "--coder", "Ben", "--json")), &bens); err != nil {
		t.Fatal(err)
	}
	if len(bens) != 2 || bens[0].Coder != "Ben" || bens[0].Text != "serious failures" || len(bens[0].CodeGUIDs) != 1 {
		t.Errorf("Ben's annotations = %+v", bens)
	}
	// --code takes the subtree: Findings finds both coders' Severity.
	var findings []AnnotationJSON
	json.Unmarshal([]byte(mustRun(t, "annotations", "--project", ana, "--code", "Findings", "--json")), &findings)
	if len(findings) != 2 {
		t.Errorf("--code Findings found %d annotations, want the 2 on Findings/Severity", len(findings))
	}

	csvPath := filepath.Join(dir, "agreement.csv")
	var rows []AgreementJSON
	if err := json.Unmarshal([]byte(mustRun(t, "agreement", "--project", ana, "--coders", "Ana,Ben", "--csv", csvPath, "--json")), &rows); err != nil {
		t.Fatal(err)
	}
	// Severity: Ana coded 31 characters, Ben the first 16 of them.
	n := len([]rune(text))
	byCode := map[string]AgreementJSON{}
	for _, r := range rows {
		byCode[r.Code] = r
	}
	sev := byCode["Findings/Severity"]
	if sev.Characters != n || sev.Both != 16 || sev.OnlyA != 15 || sev.OnlyB != 0 || sev.Neither != n-31 || sev.Agreement == nil || *sev.Agreement != 100*float64(n-15)/float64(n) {
		t.Errorf("Severity row = %+v", sev)
	}
	if r := byCode["Reaction"]; r.Both != 20 || r.Kappa == nil || *r.Kappa != 1 {
		t.Errorf("Reaction row = %+v", r)
	}
	// Over both codes: where both coders coded, they chose the same code,
	// so cu-α is 1.
	if all := byCode["All codes"]; all.Characters != 2*n || all.CuAlpha == nil || *all.CuAlpha != 1 {
		t.Errorf("overall row = %+v", all)
	}
	if b, err := os.ReadFile(csvPath); err != nil || !strings.HasPrefix(string(b), "code,article,articles,characters,both") {
		t.Errorf("agreement CSV: %v %q", err, b)
	}
	if _, e, code := run(t, "agreement", "--project", ana, "--coders", "Ana"); code != 2 || !strings.Contains(e, "two or more") {
		t.Errorf("one coder: exit %d %s", code, e)
	}
}

// Names are data: a "/" in a name is written "\/" on the command line;
// categories are refused with a clear message; a REFI-QDA import reports
// the unit of each source in import --json.
func TestCodeNamesAndREFIImportCLI(t *testing.T) {
	dir := t.TempDir()
	article := filepath.Join(dir, "a.txt")
	os.WriteFile(article, []byte("Consent was never asked for. The board waived it."), 0o644)
	p := filepath.Join(dir, "p.parallax")
	mustRun(t, "import", "--project", p, article)
	mustRun(t, "annotate", "--project", p, "--article", "1", "--start", "0", "--end", "7", "--code", `Ethics/consent \/ IRB`)
	var anns []AnnotationJSON
	json.Unmarshal([]byte(mustRun(t, "annotations", "--project", p, "--code", `Ethics/consent \/ IRB`, "--json")), &anns)
	if len(anns) != 1 || anns[0].Codes[0] != `Ethics/consent \/ IRB` {
		t.Fatalf("annotations = %+v", anns)
	}
	// The GUID names the code too.
	mustRun(t, "annotate", "--project", p, "--article", "1", "--start", "29", "--end", "38", "--code", "guid:"+anns[0].CodeGUIDs[0])

	qdpx := filepath.Join(dir, "p.qdpx")
	mustRun(t, "export", "--project", p, "--format", "qdpx", "--out", qdpx)
	var imp ImportJSON
	if err := json.Unmarshal([]byte(mustRun(t, "import", "--project", filepath.Join(dir, "q.parallax"), "--json", qdpx)), &imp); err != nil {
		t.Fatal(err)
	}
	if imp.Refi == nil || imp.Refi.Articles != 1 || imp.Refi.Codes != 2 || imp.Refi.Annotations != 2 || len(imp.Refi.Units) != 1 ||
		imp.Refi.Units[0].Unit != "code points" || imp.Imported == nil || imp.Failed == nil {
		t.Errorf("import --json = %+v (refi %+v)", imp, imp.Refi)
	}
	// A file Parallax does not read is refused with every format named.
	docx := filepath.Join(dir, "notes.odt")
	os.WriteFile(docx, []byte("x"), 0o644)
	_, e, code := run(t, "import", "--project", p, docx)
	if code == 0 || !strings.Contains(e, ".qdpx") || !strings.Contains(e, ".qdc") || !strings.Contains(e, ".jsonl") {
		t.Errorf("unknown format: exit %d %s", code, e)
	}
}

// Issue 15's scenario through the command line: B imports A's .qdpx; A
// edits an annotation's note (same GUID) and exports again; B imports the
// new file and gets A's note, and the summary says one annotation was
// updated. A merge of A's project carries A's next edit the same way.
func TestReimportColleagueRevisionCLI(t *testing.T) {
	dir := t.TempDir()
	article := filepath.Join(dir, "a.txt")
	os.WriteFile(article, []byte("Consent was never asked for. The board waived it."), 0o644)
	a, b := filepath.Join(dir, "a.parallax"), filepath.Join(dir, "b.parallax")
	mustRun(t, "import", "--project", a, article)
	mustRun(t, "annotate", "--project", a, "--coder", "Ana", "--article", "1", "--start", "0", "--end", "7", "--code", "Ethics", "--note", "first reading")
	first := filepath.Join(dir, "first.qdpx")
	mustRun(t, "export", "--project", a, "--format", "qdpx", "--out", first)
	mustRun(t, "import", "--project", b, first)

	edit := func(later time.Duration, note string) {
		t.Helper()
		s, err := data.Open(a)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		s.SetCoder("Ana")
		s.Now = func() time.Time { return time.Now().Add(later) } // a whole second later, at least
		anns, err := s.Annotations(context.Background(), data.AnnotationFilter{})
		if err != nil || len(anns) != 1 {
			t.Fatalf("A's annotations: %v, %v", anns, err)
		}
		anns[0].Note = note
		if _, err := s.UpdateAnnotation(context.Background(), anns[0]); err != nil {
			t.Fatal(err)
		}
	}
	noteInB := func() string {
		t.Helper()
		var anns []AnnotationJSON
		if err := json.Unmarshal([]byte(mustRun(t, "annotations", "--project", b, "--json")), &anns); err != nil || len(anns) != 1 {
			t.Fatalf("B's annotations: %v, %v", anns, err)
		}
		return anns[0].Note
	}

	edit(time.Minute, "A's revised reading")
	second := filepath.Join(dir, "second.qdpx")
	mustRun(t, "export", "--project", a, "--format", "qdpx", "--out", second)
	out := mustRun(t, "import", "--project", b, second)
	if n := noteInB(); n != "A's revised reading" {
		t.Errorf("B's note %q after importing A's revision\n%s", n, out)
	}
	for _, want := range []string{"0 articles (1 already here)", "annotations: 0 added, 1 updated to the file's newer version, 0 already here, 0 not imported",
		"updated: annotation on “Consent” by Ana: its note updated from the file's version"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	var imp ImportJSON
	if err := json.Unmarshal([]byte(mustRun(t, "import", "--project", b, "--json", second)), &imp); err != nil {
		t.Fatal(err)
	}
	if r := imp.Refi; r == nil || r.AnnotationsUpdated != 0 || r.AnnotationsPresent != 1 || r.Updated == nil || r.Conflicts == nil {
		t.Errorf("the same file again: %+v", imp.Refi)
	}

	edit(2*time.Minute, "A's third reading")
	var m MergeJSON
	if err := json.Unmarshal([]byte(mustRun(t, "merge", "--project", b, "--from", a, "--json")), &m); err != nil {
		t.Fatal(err)
	}
	if n := noteInB(); n != "A's third reading" || m.Updated != 1 || len(m.Changes) != 1 {
		t.Errorf("after merging A's project: note %q, %+v", n, m)
	}
}

// TestMergeWarnsCLI: what a merge did that the colleague's file did not
// quite say is told, on the command line and in --json: the colleague
// renamed the shared code "Police" and made a new "Police", which comes in
// beside this project's as "Police (2)".
func TestMergeWarnsCLI(t *testing.T) {
	dir := t.TempDir()
	text := "Police arrested twelve people after the protest on Monday. The mayor said the city would pay for the repairs."
	article := filepath.Join(dir, "article.txt")
	if err := os.WriteFile(article, []byte("title: Protest\noutlet: BBC\n\n"+text+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ana, ben := filepath.Join(dir, "ana.parallax"), filepath.Join(dir, "ben.parallax")
	mustRun(t, "import", "--project", ana, article)
	mustRun(t, "annotate", "--project", ana, "--coder", "Ana", "--article", "1", "--start", "0", "--end", "6", "--code", "Police")
	if err := copyFile(ana, ben); err != nil {
		t.Fatal(err)
	}
	store, err := data.Open(ben)
	if err != nil {
		t.Fatal(err)
	}
	codes, err := store.Codes(context.Background())
	if err != nil || len(codes) != 1 {
		t.Fatalf("codes %v, %v", codes, err)
	}
	renamed := codes[0]
	renamed.Name = "Police old"
	if err := store.UpdateCode(context.Background(), renamed); err != nil {
		t.Fatal(err)
	}
	store.Close()
	mustRun(t, "annotate", "--project", ben, "--coder", "Ben", "--article", "1", "--start", "7", "--end", "15", "--code", "Police")

	ana2 := filepath.Join(dir, "ana2.parallax")
	if err := copyFile(ana, ana2); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := run(t, "merge", "--project", ana, "--from", ben)
	if code != 0 || !strings.Contains(errOut, "warning: ") || !strings.Contains(errOut, `"Police (2)"`) {
		t.Fatalf("merge: exit %d\n%s%s", code, out, errOut)
	}
	var m MergeJSON
	if err := json.Unmarshal([]byte(mustRun(t, "merge", "--project", ana2, "--from", ben, "--json")), &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Warnings) != 1 || !strings.Contains(m.Warnings[0], `"Police (2)"`) {
		t.Errorf("merge --json warnings %q, want the one on Police (2)", m.Warnings)
	}
}
