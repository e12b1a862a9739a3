package app

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parallax-research/parallax/data"
)

// TestImportCopyOrderByDate: a folder read in file order, a story
// published at 09:00 after its 11:00 reprint, is reported and listed with
// the 09:00 story as the original, in the import's lines and its JSON.
func TestImportCopyOrderByDate(t *testing.T) {
	var body strings.Builder
	for k := 1; k <= 6; k++ {
		fmt.Fprintf(&body, "The wire agency story carries sentence number %d about the border crossing. ", k)
	}
	dir := t.TempDir()
	files := map[string]string{
		"a_wtimes.txt": "Migrants gather at the fence.\n\n" + body.String(),
		"b_yahoo.txt":  "Caravan reaches the border.\n\n" + body.String(),
		"manifest.csv": "file,outlet,date,title\n" +
			"a_wtimes.txt,Washington Times,2018-04-29T11:00Z,Caravan members gather\n" +
			"b_yahoo.txt,Yahoo News,2018-04-29T09:00Z,Migrant caravan reaches border\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, asJSON := range []bool{false, true} {
		project := filepath.Join(t.TempDir(), "p.parallax")
		args := []string{"import", "--project", project, dir}
		if asJSON {
			args = append(args, "--json")
		}
		out, errOut, code := run(t, args...)
		if code != 0 {
			t.Fatalf("import exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
		}
		if !asJSON {
			for _, want := range []string{"a_wtimes.txt: article 1, near-copy of article 2", "b_yahoo.txt: article 2, original of article 1 (published before it)"} {
				if !strings.Contains(out, want) {
					t.Errorf("import said %q; want %q", out, want)
				}
			}
			continue
		}
		var rep ImportJSON
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("import --json: %v\n%s", err, out)
		}
		if len(rep.Imported) != 2 || rep.Imported[0].CopyOf != 2 || rep.Imported[1].CopyOf != 0 ||
			len(rep.Imported[1].OriginalOf) != 1 || rep.Imported[1].OriginalOf[0] != 1 {
			t.Errorf("import --json: %+v; want article 1 a copy of 2, and 2 the original of 1", rep.Imported)
		}
	}
}

// TestAddedLine: an import's line for an article says everything that
// applies: a new version's annotations as well as what it repeats or is
// the original of.
func TestAddedLine(t *testing.T) {
	kept := data.ReanchorReport{Kept: 2, Moved: 1}
	for _, c := range []struct {
		o    ImportOutcome
		want string
	}{
		{ImportOutcome{ID: 1, CopyOf: 2, CopyShare: 0.8}, "article 1, near-copy of article 2 (80% in common)"},
		{ImportOutcome{ID: 2, OriginalOf: []int64{1}}, "article 2, original of article 1 (published before it)"},
		{ImportOutcome{ID: 3, Updated: true, Reanchor: kept}, "new version of article 3; annotations 2 kept, 1 moved, 0 orphaned"},
		{ImportOutcome{ID: 3, Updated: true, Reanchor: kept, OriginalOf: []int64{1, 2}},
			"new version of article 3; annotations 2 kept, 1 moved, 0 orphaned; original of articles 1, 2 (published before them)"},
		{ImportOutcome{ID: 3, Updated: true, Reanchor: kept, CopyOf: 4, CopyShare: 1},
			"new version of article 3; annotations 2 kept, 1 moved, 0 orphaned; same text as article 4"},
	} {
		if got := addedLine(c.o); got != c.want {
			t.Errorf("addedLine(%+v) = %q, want %q", c.o, got, c.want)
		}
	}
}
