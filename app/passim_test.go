package app

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// The articles behind the hand-made passim output in testdata/passim. The
// emoji before the passages take two UTF-16 units each but one code point,
// so passim 1's offsets (utf16/) and passim 2's (codepoints/) differ, and
// only a correct conversion lands on the words.
var passimArticles = []data.Article{
	{Meta: data.Meta{Outlet: "BBC News", Date: data.MustParseDate("2023-11-01"), Title: "Failures in Bradford"},
		Text: "🎉📰 Breaking: Ofsted found “widespread and serious failures” in Bradford. The council’s director said: “We will act on every recommendation in the report.” More 😀 later."},
	{Meta: data.Meta{Outlet: "ITV News", Date: data.MustParseDate("2023-11-02"), Title: "Bradford"},
		Text: "📺 Ofsted found widespread and serious failures in Bradford. Marium Haque said: “We will act on every recommendation.” That was all."},
	{Meta: data.Meta{Date: data.MustParseDate("2023-11-01")},
		Text: "Ofsted found widespread, serious failures in Bradford, the report says. Nothing else."},
}

// passimProject is a project holding passimArticles as articles 1, 2 and 3,
// the IDs the fixtures name.
func passimProject(t *testing.T) (*data.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "p.parallax")
	s, err := data.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	res, err := s.AddArticles(context.Background(), passimArticles, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if r.ID != int64(i+1) {
			t.Fatalf("article %d got ID %d; the fixtures name 1, 2, 3", i, r.ID)
		}
	}
	return s, path
}

// passimFixture copies a fixture folder to a temporary one the test may
// change.
func passimFixture(t *testing.T, name string) string {
	t.Helper()
	src := filepath.Join("testdata", "passim", name)
	dst := filepath.Join(t.TempDir(), name)
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// editLine rewrites line n (from 1) of a part file.
func editLine(t *testing.T, path string, n int, edit func(string) string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	changed := edit(lines[n-1])
	if changed == lines[n-1] {
		t.Fatalf("the edit left line %d of %s as it was", n, path)
	}
	lines[n-1] = changed
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
}

// gzipFile compresses path to path.gz, as Spark does with compression on,
// and removes path.
func gzipFile(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path + ".gz")
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
}

const (
	part0 = "part-00000-5c3e1b2a-0001-c000.json"
	part1 = "part-00001-5c3e1b2a-0001-c000.json"
)

// member is what a stored member must be: its article and its words.
type member struct {
	article int64
	text    string
}

// passimClusters are the clusters the fixtures describe, each member at
// the first occurrence of its words in its article.
var passimClusters = [][]member{
	{{1, "Ofsted found “widespread and serious failures” in Bradford."}, {2, "Ofsted found widespread and serious failures in Bradford."},
		{3, "Ofsted found widespread, serious failures in Bradford,"}},
	{{1, "We will act on every recommendation in the report."}, {2, "We will act on every recommendation."}},
}

// checkPassimClusters checks that the stored clusters are passimClusters,
// at the right rune offsets, and returns them.
func checkPassimClusters(t *testing.T, s *data.Store) []data.Cluster {
	t.Helper()
	cs, err := s.Clusters(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != len(passimClusters) {
		t.Fatalf("%d clusters stored, want %d: %+v", len(cs), len(passimClusters), cs)
	}
	for i, want := range passimClusters {
		if len(cs[i].Members) != len(want) {
			t.Fatalf("cluster %d has %d members, want %d: %+v", i, len(cs[i].Members), len(want), cs[i].Members)
		}
		for j, w := range want {
			m := cs[i].Members[j]
			text := passimArticles[w.article-1].Text
			at := strings.Index(text, w.text)
			start := len([]rune(text[:at]))
			end := start + len([]rune(w.text))
			if m.ArticleID != w.article || m.Start != start || m.End != end || m.Text != w.text {
				t.Errorf("cluster %d member %d: article %d [%d,%d) %q; want article %d [%d,%d) %q",
					i, j, m.ArticleID, m.Start, m.End, m.Text, w.article, start, end, w.text)
			}
		}
	}
	return cs
}

func TestImportPassimUTF16(t *testing.T) {
	s, _ := passimProject(t)
	dir := passimFixture(t, "utf16")
	gzipFile(t, filepath.Join(dir, "out.json", part1))
	rep, err := ImportPassim(context.Background(), s, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := PassimReport{Files: 2, Passages: 5, Clusters: 2, Stored: 2, Across: 2, Members: 5}
	if !reflect.DeepEqual(rep, want) {
		t.Errorf("report %+v, want %+v", rep, want)
	}
	cs := checkPassimClusters(t, s)

	// Classified by Parallax's relations. The finding: the two eight-word
	// versions tie for most complete, and the earlier one is the
	// reference; one drops "and" for a comma.
	failures := cs[0]
	if failures.Kind != vocab.UnitFinding || failures.Status != vocab.StatusDiverge || !failures.Members[0].Reference {
		t.Errorf("failures cluster: kind %s status %s, reference %+v", failures.Kind, failures.Status, failures.Members[0])
	}
	if rels := failures.Members[1].Relations; len(rels) != 1 || !rels[0].Faithful() {
		t.Errorf("the same words without quotation marks: %v, want verbatim or normalized", rels)
	}
	if rels := failures.Members[2].Relations; !slices.Contains(rels, vocab.RelElided) {
		t.Errorf("“widespread, serious” for “widespread and serious”: %v, want elided", rels)
	}
	// The quote: both versions lie in quotation marks; the shorter is a
	// fragment of the longer.
	act := cs[1]
	if act.Kind != vocab.UnitQuote || !act.Members[0].Reference || !slices.Equal(act.Members[1].Relations, []vocab.Relation{vocab.RelFragment}) {
		t.Errorf("quote cluster: kind %s, members %+v", act.Kind, act.Members)
	}
	if act.Members[1].Speaker != "Marium Haque" {
		t.Errorf("the quote's speaker = %q, want Marium Haque", act.Members[1].Speaker)
	}
	origin, err := s.ClusterOrigin(context.Background())
	if err != nil || origin.Tool != "passim" || origin.Source != dir {
		t.Errorf("origin %+v, %v; want passim from %s", origin, err, dir)
	}
}

// Spark writes bzip2 parts when asked; Parallax reads them, and says
// which compressions it does not read.
func TestImportPassimCompressed(t *testing.T) {
	s, _ := passimProject(t)
	rep, err := ImportPassim(context.Background(), s, passimFixture(t, "bzip2"), nil)
	if err != nil || rep.Files != 1 || rep.Stored != 2 || rep.Members != 5 {
		t.Fatalf("bzip2 parts: %+v, %v", rep, err)
	}
	checkPassimClusters(t, s)
	dir := passimFixture(t, "utf16")
	if err := os.Rename(filepath.Join(dir, "out.json", part1), filepath.Join(dir, "out.json", part1+".snappy")); err != nil {
		t.Fatal(err)
	}
	if _, err := ImportPassim(context.Background(), s, dir, nil); err == nil || !strings.Contains(err.Error(), part1+".snappy: compressed with snappy") {
		t.Errorf("snappy parts: %v", err)
	}
}

// passim 2 counts code points and gives each passage's text one character
// early; the import tells its output from passim 1's and stores the same
// members.
func TestImportPassimCodePoints(t *testing.T) {
	s, _ := passimProject(t)
	rep, err := ImportPassim(context.Background(), s, filepath.Join(passimFixture(t, "codepoints"), "out.json"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.CodePoints || rep.Stored != 2 || rep.Members != 5 || len(rep.Refused) != 0 {
		t.Errorf("report %+v: want 2 clusters, 5 members, offsets read as code points", rep)
	}
	checkPassimClusters(t, s)

	// With one emoji before it, passim 2's passage (its text one character
	// early) also reads as a UTF-16 range one character off; its src and
	// pboiler fields say which it is.
	s, _ = passimProject(t)
	dir := passimFixture(t, "codepoints")
	path := filepath.Join(dir, "out.json", "part-00000-7d1f.json")
	b, _ := os.ReadFile(path)
	var keep []string
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if !strings.Contains(l, `"id": "1"`) {
			keep = append(keep, l)
		}
	}
	if err := os.WriteFile(path, []byte(strings.Join(keep, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if rep, err = ImportPassim(context.Background(), s, dir, nil); err != nil || !rep.CodePoints || rep.Stored != 1 {
		t.Fatalf("articles 2 and 3 only: %+v, %v", rep, err)
	}
	cs, _ := s.Clusters(context.Background(), 1)
	if got, want := cs[0].Members[0].Text, passimClusters[0][1].text; got != want {
		t.Errorf("article 2's passage = %q, want %q", got, want)
	}
}

// A passage that does not fit the project stops the import with one error
// naming it, and the project keeps the clusters it had.
func TestImportPassimRefusesWhatDoesNotFit(t *testing.T) {
	ctx := context.Background()
	s, _ := passimProject(t)
	first := passimFixture(t, "utf16")
	if _, err := ImportPassim(ctx, s, first, nil); err != nil {
		t.Fatal(err)
	}
	before, _ := s.Clusters(ctx, 1)
	origin, _ := s.ClusterOrigin(ctx)
	cases := []struct {
		name       string
		file       string
		line       int
		edit       func(string) string
		wantInErr  []string
		wantSubstr string
	}{
		{"unknown id", part0, 2, func(l string) string { return strings.Replace(l, `"id": "2"`, `"id": "99"`, 1) },
			[]string{part0 + ":2", `"99"`}, "no article of this project"},
		{"offset past the end", part1, 1, func(l string) string { return strings.Replace(l, `"end": 55`, `"end": 5500`, 1) },
			[]string{part1 + ":1", "[0,5500)"}, "outside the article's text"},
		{"text not the article's", part1, 3, func(l string) string { return strings.Replace(l, "We will act", "We shall act", 1) },
			[]string{part1 + ":3", "article 2"}, "not the article's text"},
		{"offset inside an emoji", part0, 1, func(l string) string { return strings.Replace(l, `"begin": 15`, `"begin": 1`, 1) },
			[]string{part0 + ":1", "[1,75)"}, "splits a character"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := passimFixture(t, "utf16")
			editLine(t, filepath.Join(dir, "out.json", c.file), c.line, c.edit)
			_, err := ImportPassim(ctx, s, dir, nil)
			if err == nil {
				t.Fatal("imported")
			}
			if data.ErrorCode(err) != data.EInvalid || !strings.Contains(err.Error(), c.wantSubstr) {
				t.Errorf("error %q (%s); want an invalid-input error saying %q", err, data.ErrorCode(err), c.wantSubstr)
			}
			for _, w := range c.wantInErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %s", err, w)
				}
			}
			after, _ := s.Clusters(ctx, 1)
			if o, _ := s.ClusterOrigin(ctx); o != origin || !reflect.DeepEqual(after, before) {
				t.Errorf("the failed import changed the project: origin %+v, clusters %+v", o, after)
			}
		})
	}
}

// Passages that cannot be compared are refused one by one and reported;
// the rest are stored.
func TestImportPassimRefusals(t *testing.T) {
	s, _ := passimProject(t)
	dir := passimFixture(t, "utf16")
	path := filepath.Join(dir, "out.json", part1)
	b, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	// The same passage twice in its cluster, a cluster of one passage, and
	// a passage of punctuation.
	lone := strings.NewReplacer(`"cluster": 42`, `"cluster": 7`, `"size": 2`, `"size": 1`).Replace(lines[1])
	comma := `{"cluster": 42, "size": 3, "begin": 53, "end": 55, "id": "3", "series": "(no outlet: article 3)", "text": ", "}`
	b = append(b, []byte(lines[2]+"\n"+lone+"\n"+comma+"\n")...)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := ImportPassim(context.Background(), s, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []PassimRefusal{
		{Where: filepath.Join("out.json", part1) + ":4", Article: 2, Reason: "it repeats another passage of its cluster"},
		{Where: filepath.Join("out.json", part1) + ":5", Article: 1, Reason: "its cluster has no other passage to compare it with"},
		{Where: filepath.Join("out.json", part1) + ":6", Article: 3, Reason: "it holds no words"},
	}
	if !reflect.DeepEqual(rep.Refused, want) || rep.Passages != 8 || rep.Clusters != 3 || rep.Stored != 2 || rep.Members != 5 {
		t.Errorf("report %+v\nwant refused %+v", rep, want)
	}
	checkPassimClusters(t, s)
}

// passim's output for a cluster that spans more part files than were
// copied is imported, and the import says a part file may be missing.
func TestImportPassimIncomplete(t *testing.T) {
	s, _ := passimProject(t)
	dir := passimFixture(t, "utf16")
	editLine(t, filepath.Join(dir, "out.json", part1), 3, func(l string) string { return strings.Replace(l, `"size": 2`, `"size": 3`, 1) })
	rep, err := ImportPassim(context.Background(), s, dir, nil)
	if err != nil || rep.Incomplete != 1 {
		t.Errorf("report %+v, %v: want one incomplete cluster", rep, err)
	}
}

func TestImportPassimNotOutput(t *testing.T) {
	s, _ := passimProject(t)
	ctx := context.Background()
	empty := t.TempDir()
	if _, err := ImportPassim(ctx, s, empty, nil); err == nil || !strings.Contains(err.Error(), "no out.json folder") {
		t.Errorf("an empty folder: %v", err)
	}
	parquet := t.TempDir()
	os.Mkdir(filepath.Join(parquet, "out.parquet"), 0o755)
	if _, err := ImportPassim(ctx, s, parquet, nil); err == nil || !strings.Contains(err.Error(), "out.parquet") {
		t.Errorf("Parquet output: %v", err)
	}
	// --pairwise output has no clusters.
	pairwise := passimFixture(t, "utf16")
	editLine(t, filepath.Join(pairwise, "out.json", part0), 1, func(l string) string { return strings.Replace(l, `"cluster": 17179869184, `, "", 1) })
	if _, err := ImportPassim(ctx, s, pairwise, nil); err == nil || !strings.Contains(err.Error(), part0+":1: no cluster field") {
		t.Errorf("records without clusters: %v", err)
	}
	if cs, _ := s.Clusters(ctx, 1); len(cs) != 0 {
		t.Errorf("a refused import stored %d clusters", len(cs))
	}
}

// A reference pinned on an imported cluster re-classifies it, keeping its
// members, its ID and its origin.
func TestReclassifyImported(t *testing.T) {
	ctx := context.Background()
	s, _ := passimProject(t)
	dir := passimFixture(t, "utf16")
	if _, err := ImportPassim(ctx, s, dir, nil); err != nil {
		t.Fatal(err)
	}
	before := checkPassimClusters(t, s)
	short := before[1].Members[1]
	if err := s.PinReference(ctx, data.Pin{ArticleID: short.ArticleID, Start: short.Start, End: short.End}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := ReclassifyImported(ctx, s, nil); err != nil {
		t.Fatal(err)
	}
	after := checkPassimClusters(t, s)
	if !reflect.DeepEqual(after[0], before[0]) {
		t.Errorf("a pin on another cluster changed this one:\n%+v\n%+v", before[0], after[0])
	}
	act := after[1]
	if act.ID != before[1].ID || !act.Members[1].Reference || !slices.Equal(act.Members[0].Relations, []vocab.Relation{vocab.RelExtended}) {
		t.Errorf("after pinning the short version: %+v", act)
	}
	if o, _ := s.ClusterOrigin(ctx); o.Tool != "passim" || o.Source != dir {
		t.Errorf("origin after re-classifying: %+v", o)
	}
}

// Through the command line: import --passim, then analyze refuses to
// replace the imported clusters until told to.
func TestImportPassimCLI(t *testing.T) {
	s, project := passimProject(t)
	s.Close()
	dir := passimFixture(t, "utf16")
	out, errOut, code := run(t, "import", "--project", project, "--passim", dir, "--json")
	if code != 0 {
		t.Fatalf("import --passim: exit %d\n%s", code, errOut)
	}
	var rep PassimJSON
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	want := PassimJSON{Files: 2, Passages: 5, Clusters: 2, Units: "utf16", Stored: 2, Across: 2, Members: 5, Refused: []RefusedJSON{}}
	if !reflect.DeepEqual(rep, want) {
		t.Errorf("import --passim --json = %+v, want %+v", rep, want)
	}
	if _, errOut, code := run(t, "import", "--project", project, "--passim", dir, "more.txt"); code != exitUsage {
		t.Errorf("--passim with articles: exit %d, %s", code, errOut)
	}
	_, errOut, code = run(t, "analyze", "--project", project)
	if code != exitFailure || !strings.Contains(errOut, "come from passim") || !strings.Contains(errOut, "analyze --replace") {
		t.Errorf("analyze over imported clusters: exit %d\n%s", code, errOut)
	}
	out, _, _ = run(t, "align", "--project", project, "--json")
	if !strings.Contains(out, "We will act on every recommendation.") {
		t.Errorf("the refused analysis changed the clusters:\n%s", out)
	}
	if _, errOut, code := run(t, "analyze", "--project", project, "--replace"); code != 0 {
		t.Fatalf("analyze --replace: exit %d\n%s", code, errOut)
	}
	if _, errOut, code := run(t, "analyze", "--project", project); code != 0 {
		t.Errorf("analyze after --replace: exit %d\n%s", code, errOut)
	}
	out, errOut, code = run(t, "import", "--project", project, "--passim", dir)
	if code != 0 || !strings.Contains(out, "Read 5 passages in 2 clusters from 2 part files (offsets in UTF-16 units)") {
		t.Errorf("import --passim: exit %d\n%s%s", code, out, errOut)
	}
}

// The round trip on the real corpus: export passim's input, make the output
// passim would write for passages the articles share (the clusters of
// Parallax's own analysis, so that they are known to be shared), import
// it, and find those passages as clusters with sensible relations.
func TestPassimRoundTripBradfordCorpus(t *testing.T) {
	dir := bradford(t)
	project := filepath.Join(t.TempDir(), "p.parallax")
	if _, e, code := run(t, "import", "--project", project, "--manifest", filepath.Join(dir, "manifest.csv"), dir); code != 0 {
		t.Fatal(e)
	}
	if _, e, code := run(t, "analyze", "--project", project); code != 0 {
		t.Fatal(e)
	}
	own := alignClusters(t, project)

	// passim's input: one document per article, with the article's text.
	input := filepath.Join(t.TempDir(), "input.jsonl")
	if _, e, code := run(t, "export", "--project", project, "--format", "passim", "--out", input); code != 0 {
		t.Fatal(e)
	}
	b, err := os.ReadFile(input)
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]map[string]any{}
	for i, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var doc map[string]any
		if err := json.Unmarshal([]byte(l), &doc); err != nil {
			t.Fatalf("input line %d: %v", i+1, err)
		}
		id := doc["id"].(string)
		out, _, _ := run(t, "show", "--project", project, "--article", id, "--json")
		var a ShowJSON
		if err := json.Unmarshal([]byte(out), &a); err != nil {
			t.Fatalf("show %s: %v", id, err)
		}
		if a.Text != doc["text"] || a.Outlet == "" || doc["series"] != a.Outlet {
			t.Fatalf("input line %d (id %s): series %v, text of %d bytes; article %s has outlet %q, %d bytes",
				i+1, id, doc["series"], len(doc["text"].(string)), id, a.Outlet, len(a.Text))
		}
		docs[id] = doc
	}
	if len(docs) != 5 {
		t.Fatalf("%d documents in passim's input, want the 5 articles", len(docs))
	}

	// passim 1's output for the shared passages: each record the input
	// document with cluster, size, begin and end (UTF-16 units) added and
	// its text cut to the passage, spread over two part files.
	var want []ClusterJSON
	var lines []string
	for _, c := range own {
		var keep ClusterJSON
		seen := map[[3]int]bool{}
		for _, m := range c.Members {
			k := [3]int{int(m.Article), m.Start, m.End}
			if len(m.Spans) > 1 || seen[k] { // passim's passages are single ranges
				continue
			}
			seen[k] = true
			keep.Members = append(keep.Members, m)
		}
		if len(keep.Members) < 2 {
			continue
		}
		keep.ID = c.ID
		want = append(want, keep)
		for _, m := range keep.Members {
			doc := docs[itoa(m.Article)]
			rs := []rune(doc["text"].(string))
			rec := map[string]any{}
			for k, v := range doc {
				rec[k] = v
			}
			rec["uid"], rec["gid"] = -m.Article, m.Article*31
			rec["cluster"], rec["size"] = 1000+c.ID, len(keep.Members)
			rec["begin"], rec["end"] = len(utf16.Encode(rs[:m.Start])), len(utf16.Encode(rs[:m.End]))
			rec["text"] = string(rs[m.Start:m.End])
			l, _ := json.Marshal(rec)
			lines = append(lines, string(l))
		}
	}
	if len(want) < 5 {
		t.Fatalf("only %d shared passages in the corpus", len(want))
	}
	out := filepath.Join(t.TempDir(), "passim-out")
	half := len(lines) / 2
	for i, part := range [][]string{lines[:half], lines[half:]} {
		if err := os.MkdirAll(filepath.Join(out, "out.json"), 0o755); err != nil {
			t.Fatal(err)
		}
		name := filepath.Join(out, "out.json", "part-0000"+itoa(int64(i))+"-e1a7.json")
		if err := os.WriteFile(name, []byte(strings.Join(part, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	stdout, e, code := run(t, "import", "--project", project, "--passim", out, "--json")
	if code != 0 {
		t.Fatalf("import --passim: %s", e)
	}
	var rep PassimJSON
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Passages != len(lines) || rep.Stored != len(want) || rep.Members != len(lines) || len(rep.Refused) != 0 || rep.Replaced != len(own) {
		t.Errorf("report %+v: want %d passages in %d clusters, none refused, %d of the analysis's clusters replaced", rep, len(lines), len(want), len(own))
	}
	got := alignClusters(t, project)
	byID := map[int64]ClusterJSON{}
	for _, c := range got {
		byID[c.ID] = c
	}
	other := 0
	for _, w := range want {
		c, ok := byID[w.ID]
		if !ok {
			t.Errorf("cluster %d (%d members) is not among the imported ones under its ID", w.ID, len(w.Members))
			continue
		}
		if len(c.Members) != len(w.Members) {
			t.Errorf("cluster %d: %d members, want %d", w.ID, len(c.Members), len(w.Members))
			continue
		}
		refs := 0
		var ref MemberJSON
		for _, m := range c.Members {
			if m.Reference {
				refs++
				ref = m
			}
		}
		if refs != 1 {
			t.Errorf("cluster %d has %d references", c.ID, refs)
		}
		for i, m := range c.Members {
			if wm := w.Members[i]; m.Article != wm.Article || m.Start != wm.Start || m.End != wm.End || m.Text != wm.Text {
				t.Errorf("cluster %d member %d: article %d [%d,%d) %q; want article %d [%d,%d) %q",
					c.ID, i, m.Article, m.Start, m.End, m.Text, wm.Article, wm.Start, wm.End, wm.Text)
			}
			switch {
			case m.Reference:
			case len(m.Relations) == 0:
				t.Errorf("cluster %d: member %q has no relation", c.ID, m.Text)
			case m.Text == ref.Text && !slices.Equal(m.Relations, []vocab.Relation{vocab.RelVerbatim}):
				t.Errorf("cluster %d: %q, the reference's very words, is %v", c.ID, m.Text, m.Relations)
			case !slices.Equal(m.Relations, []vocab.Relation{vocab.RelVerbatim}):
				other++
			}
		}
	}
	if other == 0 {
		t.Error("every member of every cluster is verbatim: the outlets' edits were not classified")
	}
	// Where the import chose the reference Parallax's analysis chose, the
	// relations are the analysis's own: one classifier for both.
	ownRels := map[[3]int][]vocab.Relation{}
	ownRef := map[int64][3]int{}
	for _, c := range own {
		for _, m := range c.Members {
			k := [3]int{int(m.Article), m.Start, m.End}
			ownRels[k] = m.Relations
			if m.Reference {
				ownRef[c.ID] = k
			}
		}
	}
	compared := 0
	for _, c := range got {
		for _, m := range c.Members {
			if !m.Reference || ownRef[c.ID] != [3]int{int(m.Article), m.Start, m.End} {
				continue
			}
			for _, o := range c.Members {
				if k := [3]int{int(o.Article), o.Start, o.End}; !o.Reference {
					compared++
					if !slices.Equal(o.Relations, ownRels[k]) {
						t.Errorf("cluster %d: %q is %v here, %v in Parallax's analysis against the same reference", c.ID, o.Text, o.Relations, ownRels[k])
					}
				}
			}
		}
	}
	if compared == 0 {
		t.Error("no cluster has the reference Parallax's analysis chose")
	}
}

// alignClusters is `align --json`'s clusters.
func alignClusters(t *testing.T, project string) []ClusterJSON {
	t.Helper()
	out, e, code := run(t, "align", "--project", project, "--json")
	if code != 0 {
		t.Fatalf("align: %s", e)
	}
	var al AlignJSON
	if err := json.Unmarshal([]byte(out), &al); err != nil {
		t.Fatal(err)
	}
	return al.Clusters
}
