package app

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/data/storetest"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// clusterKeys describes a project's clusters by what they hold (each
// member's source file, range and relations), not by IDs, so two projects
// can be compared.
func clusterKeys(t *testing.T, s *data.Store) []string {
	t.Helper()
	ctx := context.Background()
	cs, err := s.Clusters(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	files := map[int64]string{}
	var out []string
	for _, c := range cs {
		var ms []string
		for _, m := range c.Members {
			if _, ok := files[m.ArticleID]; !ok {
				a, err := s.Article(ctx, m.ArticleID)
				if err != nil {
					t.Fatal(err)
				}
				files[m.ArticleID] = filepath.Base(a.Source)
			}
			ms = append(ms, fmt.Sprintf("%s:%d-%d:%s:%v", files[m.ArticleID], m.Start, m.End, m.Outlet, m.Relations))
		}
		slices.Sort(ms)
		out = append(out, string(c.Kind)+" "+c.Speaker+" "+strings.Join(ms, " "))
	}
	slices.Sort(out)
	return out
}

// TestWindowImportUsesSheetCorpus: the Bradford folder imported the way
// the window imports it, with no options, uses the folder's sheet (four
// outlets, the sheet's five titles) and aligns into the same clusters as
// the command line's import with --manifest.
func TestWindowImportUsesSheetCorpus(t *testing.T) {
	dir := bradford(t)
	ctx := context.Background()
	win := storetest.Open(t)
	rep, err := ImportDropped(ctx, win, []string{dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sheets := rep.Sheets(); len(sheets) != 1 || filepath.Base(sheets[0]) != "manifest.csv" {
		t.Fatalf("sheets used: %v", sheets)
	}
	if !strings.Contains(rep.Summary(), "Metadata from manifest.csv.") {
		t.Fatalf("summary %q does not name the sheet", rep.Summary())
	}
	rows, err := win.ListArticles(ctx, data.ListQuery{Sort: data.SortID})
	if err != nil {
		t.Fatal(err)
	}
	outlets := map[string]bool{}
	var titles []string
	for _, r := range rows {
		outlets[r.Outlet] = true
		titles = append(titles, r.Title)
		if len(r.Inferred) > 0 {
			t.Errorf("article %d: %v inferred although the sheet gives them", r.ID, r.Inferred)
		}
	}
	wantTitles := []string{
		"Bradford children's services 'deteriorated' despite scrutiny after Star Hobson murder",
		"Bradford children's services rated inadequate for second time",
		"Significant weaknesses remain in Bradford Children's Services",
		"Council cedes control of children's services",
		"Ofsted's first monitoring visit to Bradford Children and Families Trust",
	}
	if len(outlets) != 4 || !slices.Equal(titles, wantTitles) {
		t.Fatalf("outlets %v, titles %q", outlets, titles)
	}

	cliProject := filepath.Join(t.TempDir(), "cli.parallax")
	if out, errOut, code := run(t, "import", "--project", cliProject, "--manifest", filepath.Join(dir, "manifest.csv"), dir); code != 0 {
		t.Fatalf("cli import: %d %s %s", code, out, errOut)
	}
	cli, err := data.Open(cliProject)
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	for _, s := range []*data.Store{win, cli} {
		if _, err := RunAnalyze(ctx, s, nil); err != nil {
			t.Fatal(err)
		}
	}
	a, b := clusterKeys(t, win), clusterKeys(t, cli)
	if len(a) < 5 || !slices.Equal(a, b) {
		t.Fatalf("window import gave %d clusters, the command line %d, or they differ", len(a), len(b))
	}
}

// TestSameFileTwoOutletsCorpus: the same file imported under a second
// outlet is a second article, marked as a copy of the first, and the
// analysis finds them verbatim as whole articles.
func TestSameFileTwoOutletsCorpus(t *testing.T) {
	file := filepath.Join(bradford(t), "001_1ce9880ef5f84ba3.txt")
	project := filepath.Join(t.TempDir(), "p.parallax")
	if _, errOut, code := run(t, "import", "--project", project, "--outlet", "BBC News", file); code != 0 {
		t.Fatalf("first import: %s", errOut)
	}
	out, errOut, code := run(t, "import", "--project", project, "--outlet", "Yorkshire Post", "--json", file)
	if code != 0 {
		t.Fatalf("second import: %s", errOut)
	}
	var rep ImportJSON
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Imported) != 1 || len(rep.Duplicates) != 0 || rep.Imported[0].CopyOf != 1 || rep.Imported[0].CopyShare != 1 ||
		rep.Copies != 1 || rep.NearCopies != 0 {
		t.Fatalf("second import: %s", out)
	}
	out, _, _ = run(t, "show", "--project", project, "--article", "2", "--json")
	var show ShowJSON
	if err := json.Unmarshal([]byte(out), &show); err != nil {
		t.Fatal(err)
	}
	if show.Outlet != "Yorkshire Post" || show.CopyOf != 1 {
		t.Fatalf("show: outlet %q, copy of %d", show.Outlet, show.CopyOf)
	}
	// A third import under the first outlet is the duplicate it always was.
	out, _, _ = run(t, "import", "--project", project, "--outlet", "BBC News", "--json", file)
	if !strings.Contains(out, `"duplicates": [`) || strings.Contains(out, `"imported": [
    {`) {
		t.Fatalf("re-import under the first outlet: %s", out)
	}

	if _, errOut, code := run(t, "analyze", "--project", project); code != 0 {
		t.Fatalf("analyze: %s", errOut)
	}
	s, err := data.Open(project)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cs, err := s.Clusters(context.Background(), 2)
	if err != nil {
		t.Fatal(err)
	}
	whole := 0
	for _, c := range cs {
		if c.Kind != vocab.UnitArticle {
			continue
		}
		whole++
		ref, _ := c.Reference()
		if c.Status != vocab.StatusAgree || len(c.Members) != 2 || ref.ArticleID != 1 {
			t.Fatalf("whole-article cluster: %+v", c)
		}
		for _, m := range c.Members {
			if m.ArticleID == 2 && (!slices.Equal(m.Relations, []vocab.Relation{vocab.RelVerbatim}) || m.CopyOf != 1 || m.Outlet != "Yorkshire Post") {
				t.Fatalf("the copy's version: %+v", m)
			}
		}
	}
	if whole != 1 {
		t.Fatalf("%d whole-article clusters, want 1", whole)
	}
}

// TestOutletlessPairCorpus: two real articles without outlets compare as
// two sources, in the exports as on the screens.
func TestOutletlessPairCorpus(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"000_f83be7c522f2576e.txt", "001_1ce9880ef5f84ba3.txt"} {
		b, err := os.ReadFile(filepath.Join(bradford(t), name))
		if err != nil {
			t.Fatal(err)
		}
		// The BBC's footer would give its outlet away.
		text := strings.ReplaceAll(string(b), "Follow BBC Yorkshire", "Follow us")
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	project := filepath.Join(t.TempDir(), "p.parallax")
	if _, errOut, code := run(t, "import", "--project", project, dir); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	if _, errOut, code := run(t, "analyze", "--project", project); code != 0 {
		t.Fatalf("analyze: %s", errOut)
	}
	csvPath := filepath.Join(t.TempDir(), "q.csv")
	if _, errOut, code := run(t, "export", "--project", project, "--format", "quotes-csv", "--out", csvPath); code != 0 {
		t.Fatalf("export: %s", errOut)
	}
	b, _ := os.ReadFile(csvPath)
	head, _, _ := strings.Cut(string(b), "\n")
	if !strings.Contains(head, "(no outlet) #1,") || !strings.Contains(head, "(no outlet) #2,") || strings.Contains(head, "Unknown outlet") {
		t.Fatalf("quotes-csv header: %s", head)
	}
	s, err := data.Open(project)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cs, _ := s.Clusters(context.Background(), 2)
	if len(cs) == 0 {
		t.Fatal("the pair shares no passage")
	}
	for _, c := range cs {
		sources := map[string]bool{}
		for _, m := range c.Members {
			sources[m.Source()] = true
		}
		if len(sources) != c.Articles {
			t.Fatalf("cluster %d: %d sources for %d articles", c.ID, len(sources), c.Articles)
		}
	}
}

// TestEditCommand: parallax edit sets an outlet and an attribute on
// several articles at once and refuses a missing article whole.
func TestEditCommand(t *testing.T) {
	dir := t.TempDir()
	for i := range 3 {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("%d.txt", i)), []byte(fmt.Sprintf("Article number %d says something.", i)), 0o644)
	}
	project := filepath.Join(t.TempDir(), "p.parallax")
	if _, errOut, code := run(t, "import", "--project", project, dir); code != 0 {
		t.Fatal(errOut)
	}
	out, errOut, code := run(t, "edit", "--project", project, "--articles", "1,2", "--outlet", "BBC News", "--date", "2023-01", "--attr", "event=ofsted", "--json")
	if code != 0 || strings.TrimSpace(out) != "{\n  \"updated\": [\n    1,\n    2\n  ]\n}" {
		t.Fatalf("edit: %d %q %s", code, out, errOut)
	}
	out, _, _ = run(t, "list", "--project", project, "--outlet", "BBC News", "--json")
	var rows []ArticleJSON
	json.Unmarshal([]byte(out), &rows)
	if len(rows) != 2 || rows[0].Date != "2023-01" {
		t.Fatalf("after edit: %s", out)
	}
	if _, errOut, code := run(t, "edit", "--project", project, "--articles", "3,9", "--outlet", "ITV"); code != 1 || !strings.Contains(errOut, "no article 9") {
		t.Fatalf("edit of a missing article: %d %s", code, errOut)
	}
	if _, errOut, code := run(t, "edit", "--project", project, "--articles", "3"); code != 2 || !strings.Contains(errOut, "nothing to set") {
		t.Fatalf("edit with nothing to set: %d %s", code, errOut)
	}
}
