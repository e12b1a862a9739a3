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
	"github.com/parallax-research/parallax/diffing/vocab"
)

// clusterSets describes a project's clusters across two or more articles
// as sorted lists of their members' places, sorted.
func clusterSets(t *testing.T, project string) []string {
	t.Helper()
	s, err := data.Open(project)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cs, err := s.Clusters(context.Background(), 2)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range cs {
		var ms []string
		for _, m := range c.Members {
			ms = append(ms, fmt.Sprintf("%d:%d-%d", m.ArticleID, m.Start, m.End))
		}
		slices.Sort(ms)
		out = append(out, strings.Join(ms, " "))
	}
	slices.Sort(out)
	return out
}

// TestIncrementalMatchesFullCorpus: analysing the Bradford set, then one more
// article incrementally, gives the clusters a full analysis of all six
// gives; deleting an article realigns the clusters it was part of.
func TestIncrementalMatchesFullCorpus(t *testing.T) {
	dir := bradford(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	slices.Sort(files)
	extra := filepath.Join(t.TempDir(), "extra.txt")
	if err := os.WriteFile(extra, []byte("title: Reaction\noutlet: Yorkshire Post\n\nMarium Haque said: \"We know that children and families deserve better.\" Inspectors found widespread and serious failures across all service areas.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	inc := filepath.Join(t.TempDir(), "inc.parallax")
	full := filepath.Join(t.TempDir(), "full.parallax")
	for _, args := range [][]string{
		append([]string{"import", "--project", inc}, files...),
		{"analyze", "--project", inc},
		{"import", "--project", inc, extra},
		append(append([]string{"import", "--project", full}, files...), extra),
		{"analyze", "--project", full},
	} {
		if _, e, code := run(t, args...); code != 0 {
			t.Fatalf("%v: %s", args, e)
		}
	}
	out, e, code := run(t, "analyze", "--project", inc, "--json")
	if code != 0 || !strings.Contains(out, `"incremental": true`) {
		t.Fatalf("second analysis is not incremental: %s %s", out, e)
	}
	if a, b := clusterSets(t, inc), clusterSets(t, full); !slices.Equal(a, b) {
		t.Fatalf("incremental clusters differ from a full analysis:\n%s\n--- full ---\n%s", strings.Join(a, "\n"), strings.Join(b, "\n"))
	}
	// Deleting the new article drops its clusters and marks their other
	// members for the next analysis, which gives back the first clusters.
	s, err := data.Open(inc)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteArticles(context.Background(), []int64{6}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	five := filepath.Join(t.TempDir(), "five.parallax")
	for _, args := range [][]string{append([]string{"import", "--project", five}, files...), {"analyze", "--project", five}, {"analyze", "--project", inc}} {
		if _, e, code := run(t, args...); code != 0 {
			t.Fatalf("%v: %s", args, e)
		}
	}
	if a, b := clusterSets(t, inc), clusterSets(t, five); !slices.Equal(a, b) {
		t.Fatalf("after deleting the new article:\n%s\n--- full ---\n%s", strings.Join(a, "\n"), strings.Join(b, "\n"))
	}
}

// TestStatementWholeCorpus: Marium Haque's statement, quoted whole by one
// Bradford article and split around "she said" by another, is carried
// word for word as a whole, sentence by sentence.
func TestStatementWholeCorpus(t *testing.T) {
	dir := bradford(t)
	project := filepath.Join(t.TempDir(), "p.parallax")
	for _, args := range [][]string{{"import", "--project", project, "--manifest", filepath.Join(dir, "manifest.csv"), dir}, {"analyze", "--project", project}} {
		if _, e, code := run(t, args...); code != 0 {
			t.Fatalf("%v: %s", args, e)
		}
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
	var id int64
	for _, c := range cs {
		if ref, ok := c.Reference(); ok && strings.Contains(ref.Text, "We know that children and families deserve better") {
			id = c.ID
		}
	}
	if id == 0 {
		t.Fatal("no cluster for the Haque statement")
	}
	out, e, code := run(t, "statement", "--project", project, "--cluster", fmt.Sprint(id), "--json")
	if code != 0 {
		t.Fatal(e)
	}
	var st StatementJSON
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatal(err)
	}
	if len(st.Sentences) < 3 || len(st.Versions) == 0 {
		t.Fatalf("statement %+v", st)
	}
	whole := false
	for _, v := range st.Versions {
		if slices.Equal(v.Whole, []vocab.Relation{vocab.RelVerbatim}) && len(v.Sentences) == len(st.Sentences) {
			whole = true
		}
	}
	if !whole {
		t.Fatalf("no article carries the statement word for word as a whole: %s", out)
	}
}
