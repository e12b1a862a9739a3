package app

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing/difftest"
)

// run invokes the command line as the binary would and returns its output
// and exit code.
func run(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var o, e bytes.Buffer
	code = Main(args, &o, &e)
	return o.String(), e.String(), code
}

func bradford(t *testing.T) string {
	return filepath.Join(difftest.CorpusDir(t), "bradford")
}

func TestImportTwiceCorpus(t *testing.T) {
	dir := bradford(t)
	project := filepath.Join(t.TempDir(), "p.db")
	out, errOut, code := run(t, "import", "--project", project, "--manifest", filepath.Join(dir, "manifest.csv"), dir)
	if code != 0 {
		t.Fatalf("import exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	if !strings.Contains(out, "Imported 5 articles.") {
		t.Fatalf("first import said %q", out)
	}
	out, _, code = run(t, "import", "--project", project, "--manifest", filepath.Join(dir, "manifest.csv"), dir)
	if code != 0 || !strings.Contains(out, "Imported 0 articles; 5 already in the project.") ||
		strings.Count(out, "already in the project as article") != 5 {
		t.Fatalf("second import (exit %d) said %q", code, out)
	}

	out, _, code = run(t, "list", "--project", project, "--json")
	if code != 0 {
		t.Fatalf("list exit %d", code)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("list --json: %v\n%s", err, out)
	}
	if len(rows) != 5 {
		t.Fatalf("list has %d rows", len(rows))
	}
	// Issue 10 added copy_of, copy_share and inferred (fields are only ever added).
	wantKeys := []string{"copy_of", "copy_share", "date", "id", "inferred", "outlet", "title", "url", "words"}
	got := map[string]string{}
	for _, r := range rows {
		if k := keys(r); !reflect.DeepEqual(k, wantKeys) {
			t.Fatalf("list row keys = %v, want %v", k, wantKeys)
		}
		got[r["outlet"].(string)+" "+r["date"].(string)] = r["title"].(string)
	}
	for _, want := range []string{"ITV News 2023-01-31", "BBC News 2023-01-31", "Telegraph & Argus 2021-09", "Community Care 2022-01-25", "Telegraph & Argus 2023-08"} {
		if _, ok := got[want]; !ok {
			t.Errorf("no article %q in %v", want, got)
		}
	}

	out, _, code = run(t, "show", "--project", project, "--article", "1", "--json")
	if code != 0 {
		t.Fatalf("show exit %d", code)
	}
	var show map[string]any
	if err := json.Unmarshal([]byte(out), &show); err != nil {
		t.Fatal(err)
	}
	if k := keys(show); !reflect.DeepEqual(k, []string{"attributes", "author", "copy_of", "copy_share", "date", "id", "inferred", "outlet", "text", "title", "url", "words"}) {
		t.Fatalf("show keys = %v", k)
	}
	if text := show["text"].(string); !strings.HasPrefix(text, "A damning report") || strings.Contains(text, "\r") {
		t.Fatalf("article 1 text starts %q", text[:40])
	}
	if show["attributes"].(map[string]any)["notes"] == nil {
		t.Fatalf("manifest notes column not kept: %v", show["attributes"])
	}

	out, _, code = run(t, "search", "--project", project, "--json", "widespread serious")
	var hits []map[string]any
	if err := json.Unmarshal([]byte(out), &hits); code != 0 || err != nil || len(hits) == 0 {
		t.Fatalf("search: exit %d, %v, %s", code, err, out)
	}
	m := hits[0]["matches"].([]any)[0].(map[string]any)
	snippet := []rune(hits[0]["snippet"].(string))
	if w := strings.ToLower(string(snippet[int(m["start"].(float64)):int(m["end"].(float64))])); w != "widespread" && w != "serious" {
		t.Fatalf("match offsets point at %q", w)
	}
}

func keys(m map[string]any) []string {
	var k []string
	for key := range m {
		k = append(k, key)
	}
	sort.Strings(k)
	return k
}

// TestImportBadInput: each bad item gets a one-line error naming its file,
// the good ones still import, and the exit code says something failed.
func TestImportBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("good.txt", []byte("title: Good one\n\nA perfectly ordinary article."))
	write("empty.txt", nil)
	write("binary.txt", []byte{0x7f, 'E', 'L', 'F', 0, 0, 1, 2, 3, 0, 0, 0})
	write("broken.txt", []byte("caf\xc3\xa9 and then \xc3\x28 broken"))
	big := write("huge.txt", nil)
	if err := os.Truncate(big, 200<<20); err != nil {
		t.Fatal(err)
	}
	os.Mkdir(filepath.Join(dir, "nothing-here"), 0o755)
	project := filepath.Join(t.TempDir(), "p.db")
	out, errOut, code := run(t, "import", "--project", project, dir, filepath.Join(dir, "nothing-here"))
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "Imported 1 article;") {
		t.Fatalf("stdout %q", out)
	}
	for _, name := range []string{"empty.txt", "binary.txt", "broken.txt", "huge.txt", "nothing-here"} {
		found := false
		for _, line := range strings.Split(errOut, "\n") {
			if strings.HasPrefix(line, "error: ") && strings.Contains(line, name) {
				found = true
			}
		}
		if !found {
			t.Errorf("no error line naming %s in:\n%s", name, errOut)
		}
	}
	if strings.Contains(errOut, "goroutine") || strings.Contains(errOut, "panic") {
		t.Fatalf("stack trace in output:\n%s", errOut)
	}
	out, _, _ = run(t, "list", "--project", project, "--json")
	var rows []map[string]any
	json.Unmarshal([]byte(out), &rows)
	if len(rows) != 1 || rows[0]["title"] != "Good one" {
		t.Fatalf("project holds %v", rows)
	}
}

// errorFixture is a folder with a project of one article (project), a
// text file that is no project (notDB) and that article's file.
func errorFixture(t *testing.T) (dir, notDB, project string) {
	t.Helper()
	dir = t.TempDir()
	notDB = filepath.Join(dir, "notes.txt")
	os.WriteFile(notDB, []byte("hello"), 0o644)
	project = filepath.Join(dir, "p.db")
	os.WriteFile(filepath.Join(dir, "one.txt"), []byte("One small article."), 0o644)
	if _, e, code := run(t, "import", "--project", project, filepath.Join(dir, "one.txt")); code != 0 {
		t.Fatal(e)
	}
	return dir, notDB, project
}

func TestCommandErrors(t *testing.T) {
	dir, notDB, project := errorFixture(t)
	cases := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"mistyped project", []string{"list", "--project", filepath.Join(dir, "typo.db")}, 1, "no project at"},
		{"unknown command", []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"not a project", []string{"list", "--project", notDB}, 1, notDB},
		{"missing article", []string{"show", "--project", project, "--article", "42"}, 1, "no article 42"},
		{"no article flag", []string{"show", "--project", project}, 2, "--article ID is required"},
		{"bad date", []string{"import", "--project", project, "--date", "2021-13", dir}, 2, "month out of range"},
		{"missing path", []string{"import", "--project", project, filepath.Join(dir, "nope")}, 1, "nope"},
		{"annotate outside the text", []string{"annotate", "--project", project, "--article", "1", "--start", "0", "--end", "9999", "--code", "New/Code"}, 1, "not inside"},
		{"nothing to import", []string{"import", "--project", project}, 2, "name at least one file"},
		{"no query", []string{"search", "--project", project}, 2, "give a search query"},
		{"bad flag", []string{"list", "--project", project, "--colour"}, 2, "flag provided but not defined"},
		{"bad sort", []string{"list", "--project", project, "--sort", "size"}, 2, "--sort"},
		{"bad size", []string{"snapshot", "--project", project, "--out", filepath.Join(dir, "x.png"), "--size", "big"}, 2, "--size"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, errOut, code := run(t, c.args...)
			if code != c.code || !strings.Contains(errOut, c.msg) {
				t.Fatalf("exit %d, stderr %q; want exit %d mentioning %q", code, errOut, c.code, c.msg)
			}
			if strings.Count(strings.TrimSpace(errOut), "\n") > 1 {
				t.Fatalf("error is not short:\n%s", errOut)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "typo.db")); err == nil {
		t.Fatal("a read-only command created a project at a mistyped path")
	}
	if out, _, _ := run(t, "annotations", "--project", project, "--json"); strings.TrimSpace(out) != "[]" {
		t.Fatalf("the failed annotate left something: %s", out)
	}
	s, err := data.Open(project)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if codes, _ := s.Codes(context.Background()); len(codes) != 0 {
		t.Fatalf("the failed annotate created codes: %+v", codes)
	}
}

func TestHelp(t *testing.T) {
	out, _, code := run(t, "help")
	if code != 0 {
		t.Fatal(code)
	}
	for _, c := range commands() {
		if !strings.Contains(out, c.name) {
			t.Errorf("help does not list %s", c.name)
		}
		out, _, code := run(t, c.name, "-h")
		if code != 0 || !strings.Contains(out, "Usage: parallax "+c.name) {
			t.Errorf("%s -h: exit %d, %q", c.name, code, out)
		}
		if c.name != "version" && !strings.Contains(out, "-project") {
			t.Errorf("%s -h does not list its options: %q", c.name, out)
		}
	}
	out, _, code = run(t, "version")
	if code != 0 || !strings.HasPrefix(out, "parallax "+Version()) {
		t.Fatalf("version: %q", out)
	}
}

func TestFlagsAfterArguments(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("Some article text."), 0o644)
	project := filepath.Join(t.TempDir(), "p.db")
	if _, e, code := run(t, "import", dir, "--project", project, "--outlet", "Wire"); code != 0 {
		t.Fatalf("exit %d: %s", code, e)
	}
	out, _, _ := run(t, "list", "--json", "--project", project)
	if !strings.Contains(out, `"outlet": "Wire"`) {
		t.Fatalf("list: %s", out)
	}
}

func TestSnapshotCorpus(t *testing.T) {
	dir := bradford(t)
	project := filepath.Join(t.TempDir(), "p.db")
	if _, e, code := run(t, "import", "--project", project, "--manifest", filepath.Join(dir, "manifest.csv"), dir); code != 0 {
		t.Fatal(e)
	}
	for _, view := range []string{"library", "reader"} {
		for _, th := range []string{"light", "dark"} {
			png1 := filepath.Join(t.TempDir(), view+".png")
			args := []string{"snapshot", "--project", project, "--view", view, "--theme", th, "--out", png1, "--size", "900x600"}
			if view == "library" {
				args = append(args, "--article", "2")
			}
			if _, e, code := run(t, args...); code != 0 {
				t.Fatalf("%v: %s", args, e)
			}
			f, err := os.Open(png1)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(f)
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			if b := img.Bounds(); b.Dx() != 900 || b.Dy() != 600 {
				t.Fatalf("%s %s: image %v, want 900x600", view, th, b)
			}
			// A blank render (one colour everywhere) means nothing was drawn.
			colours := map[[4]uint32]bool{}
			for y := 0; y < 600; y += 7 {
				for x := 0; x < 900; x += 7 {
					r, g, b, a := img.At(x, y).RGBA()
					colours[[4]uint32{r, g, b, a}] = true
				}
			}
			if len(colours) < 8 {
				t.Fatalf("%s %s: only %d colours; render looks blank", view, th, len(colours))
			}
		}
	}
}

// TestFailureKinds: a failure's kind (data.Error's code) chooses the hint
// under its message; every kind exits with 1, and an error of no kind gets
// no hint.
func TestFailureKinds(t *testing.T) {
	dir, notDB, project := errorFixture(t)
	cases := []struct {
		name string
		args []string
		hint string // "" for none
	}{
		{"not a project", []string{"list", "--project", notDB}, "with --project"},
		{"no project", []string{"list", "--project", filepath.Join(dir, "typo.db")}, "with --project"},
		{"no article", []string{"show", "--project", project, "--article", "42"}, "'parallax list' shows"},
		{"no code", []string{"annotations", "--project", project, "--code", "No/Such"}, "'parallax annotations'"},
		{"invalid range", []string{"annotate", "--project", project, "--article", "1", "--start", "0", "--end", "9999"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, errOut, code := run(t, c.args...)
			lines := strings.Split(strings.TrimSpace(errOut), "\n")
			if code != exitFailure {
				t.Fatalf("exit %d, want %d", code, exitFailure)
			}
			switch {
			case c.hint == "" && len(lines) != 1:
				t.Fatalf("a hint where none was expected:\n%s", errOut)
			case c.hint != "" && (len(lines) != 2 || !strings.Contains(lines[1], c.hint)):
				t.Fatalf("want the message and a hint mentioning %q, got:\n%s", c.hint, errOut)
			}
		})
	}
	if code, hint := failure(data.Errorf(data.ENewer, "newer")); code != exitFailure || hint != "" {
		t.Fatalf("newer project: exit %d, hint %q", code, hint)
	}
}
