package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parallax-research/parallax/data/storetest"
)

// TestImportPlaceholderDateWarned: a folder of two articles, one whose
// export gives the Unix epoch for its missing date, imported as the
// window imports it and from the command line. The epoch is not stored,
// and each way of importing says so: the summary counts it, the window's
// list of problems and the command line's warning name the file.
func TestImportPlaceholderDateWarned(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"a.json": `{"title": "Trust criticised", "outlet": "Herald", "date": "1970-01-01T00:00:00Z", "text": "Inspectors found serious failings in the way the trust handled complaints."}`,
		"b.json": `{"title": "Trust failing", "outlet": "Gazette", "date": "2023-03-01T09:00:00Z", "text": "The trust was told to improve the way it handles complaints from patients."}`,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := ImportDropped(context.Background(), storetest.Open(t), []string{dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	const counted = "1 with something to check (see the warnings)"
	if rep.Warned() != 1 || !strings.Contains(rep.Summary(), counted) {
		t.Errorf("summary %q (%d warned), want %q", rep.Summary(), rep.Warned(), counted)
	}
	lines := importProblems(rep)
	if len(lines) != 1 || !strings.HasPrefix(lines[0], filepath.Join(dir, "a.json")+": article ") ||
		!strings.Contains(lines[0], "date 1970-01-01T00:00:00Z is the Unix epoch") {
		t.Errorf("problems %q, want one naming a.json and the epoch", lines)
	}

	project := filepath.Join(t.TempDir(), "p.parallax")
	out, errOut, code := run(t, "import", "--project", project, dir)
	if code != 0 || !strings.Contains(errOut, "warning: "+filepath.Join(dir, "a.json")+": article ") || !strings.Contains(out, counted) {
		t.Errorf("import: exit %d\n%s%s", code, out, errOut)
	}
	// Imported again, the article is already there, and its file's date
	// is still not taken: said again.
	out, errOut, code = run(t, "import", "--project", project, dir)
	if code != 0 || !strings.Contains(out, "already in the project") || !strings.Contains(errOut, "warning: "+filepath.Join(dir, "a.json")) ||
		!strings.Contains(errOut, "; the article already in the project is left as it is") {
		t.Errorf("import again: exit %d\n%s%s", code, out, errOut)
	}
}
