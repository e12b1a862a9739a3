package refi

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/data/storetest"
	"github.com/parallax-research/parallax/diffing/difftest"
)

// art is an article as the store tests make them.
func art(outlet, date, title, text string) data.Article {
	return data.Article{Meta: data.Meta{Outlet: outlet, Date: data.MustParseDate(date), Title: title}, Text: text, Source: title + ".txt"}
}

// refiFixture is a project with unicode text (curly quotes, accents, an
// emoji, which is one code point but two UTF-16 units), nested codes,
// annotations with notes, memos on every kind of target and a cluster,
// loaded as an export.
func refiFixture(t testing.TB) (*data.Store, *data.ExportData) {
	t.Helper()
	ctx := context.Background()
	s := storetest.Open(t)
	clock := time.Date(2024, 3, 5, 14, 30, 15, 0, time.UTC)
	s.Now = func() time.Time { clock = clock.Add(time.Minute); return clock }

	text1 := "Ofsted said 🎉 the café chain’s nurseries showed “serious and widespread failures” in 2023.\n\nZoë Smith, a parent, said she was “shocked”."
	text2 := "ITV reports “serious failures” at the café chain — naïve inspections missed them 🙈.\nMore to follow."
	text3 := "An untitled wire item about nurseries."
	a1 := art("BBC News", "2023-11-14", "Ofsted: “serious failures” at café chain’s nurseries", text1)
	a1.URL, a1.Author = "https://www.bbc.co.uk/news/1", "Zoë Smith"
	a1.Attributes = map[string]string{"Section": "Education", "outlet": "a manifest column named like a field"}
	a2 := art("ITV", "2023-11", "Nursery failures", text2)
	a3 := art("", "", "", text3)
	res, err := s.AddArticles(ctx, []data.Article{a1, a2, a3}, nil)
	if err != nil {
		t.Fatal(err)
	}
	id1, id2 := res[0].ID, res[1].ID

	sev := refiMustCode(t, s, "Findings/Severity")
	scope := refiMustCode(t, s, "Findings/Scope")
	tone := refiMustCode(t, s, "Tone")
	findings := refiMustCode(t, s, "Findings")
	findings.Color, findings.Description = "#1F77B4", "What the inspectors found.\nSecond line."
	if err := s.UpdateCode(ctx, findings); err != nil {
		t.Fatal(err)
	}

	annotate := func(id int64, text, passage, note string, codes ...int64) {
		t.Helper()
		i := strings.Index(text, passage)
		if i < 0 {
			t.Fatalf("%q not in the text", passage)
		}
		start := len([]rune(text[:i]))
		if _, err := s.CreateAnnotation(ctx, data.Annotation{ArticleID: id, Start: start, End: start + len([]rune(passage)), Note: note, CodeIDs: codes}); err != nil {
			t.Fatal(err)
		}
	}
	annotate(id1, text1, "“serious and widespread failures”", "Key “finding”.\nQuoted by both outlets.", sev.ID, tone.ID)
	annotate(id1, text1, "🎉 the café", "", findings.ID)
	annotate(id1, text1, "Zoë Smith", "Only named parent.")
	annotate(id2, text2, "naïve inspections missed them 🙈", "ITV’s framing", scope.ID)

	member := func(id int64, text, passage string, ref bool) data.ClusterMember {
		t.Helper()
		i := strings.Index(text, passage)
		if i < 0 {
			t.Fatalf("%q not in the text", passage)
		}
		start := len([]rune(text[:i]))
		return data.ClusterMember{ArticleID: id, Kind: "quote", Start: start, End: start + len([]rune(passage)), Text: passage, Speaker: "Ofsted", Reference: ref}
	}
	if err := s.ReplaceClusters(ctx, []data.Cluster{{Kind: "quote", Status: "confirmed", Speaker: "Ofsted", Articles: 2, Members: []data.ClusterMember{
		member(id1, text1, "“serious and widespread failures”", true),
		member(id2, text2, "“serious failures”", false),
	}}}); err != nil {
		t.Fatal(err)
	}
	clusters, err := s.Clusters(ctx, 2)
	if err != nil || len(clusters) != 1 {
		t.Fatalf("clusters = %v, %v", clusters, err)
	}
	for _, m := range []data.Memo{
		{TargetKind: "project", Title: "Method", Text: "Coded by two researchers.\nDisagreements resolved."},
		{TargetKind: "article", TargetID: id1, Title: "Source check", Text: "Confirmed with the report."},
		{TargetKind: "code", TargetID: sev.ID, Title: "Severity scale", Text: "Use the inspectors’ own words."},
		{TargetKind: "cluster", TargetID: clusters[0].ID, Title: "Wording", Text: "ITV drops “and widespread”."},
	} {
		if _, err := s.SaveMemo(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	d, err := s.LoadExport(ctx, data.ExportScope{}, "Nurseries 2023")
	if err != nil {
		t.Fatal(err)
	}
	return s, d
}

func refiMustCode(t testing.TB, s *data.Store, path string) data.Code {
	t.Helper()
	c, err := s.EnsureCodePath(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func refiWriteFile(t *testing.T, d *data.ExportData) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteQDPX(&buf, d); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "export.qdpx")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p, buf.Bytes()
}

// refiUnzip extracts an archive written by WriteQDPX (trusted: its names are
// checked anyway) and returns its entries by name.
func refiUnzip(t *testing.T, b []byte, dir string) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		if _, err := qdpxEntryKey(f.Name); err != nil {
			t.Fatal(err)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = data
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// refiSchema returns the path of a REFI-QDA schema in shared/refi, which
// lives beside the checkout, and checks that xmllint is installed. Without
// them the test is skipped, except on CI, where a skip would hide a broken
// setup. Tests that call it end in Schema (difftest.SharedTests).
func refiSchema(t *testing.T, name string) string {
	t.Helper()
	fail := t.Skipf
	if os.Getenv("CI") != "" {
		fail = t.Fatalf
	}
	if _, err := exec.LookPath("xmllint"); err != nil {
		fail("xmllint not found (Debian/Ubuntu package libxml2-utils); schema validation needs it")
	}
	p := filepath.Join(difftest.SharedDir(t, "refi"), name)
	if _, err := os.Stat(p); err != nil {
		fail("%v; schema validation needs shared/refi/%s", err, name)
	}
	return p
}

func refiXMLLint(t *testing.T, schema, file string) {
	t.Helper()
	out, err := exec.Command("xmllint", "--noout", "--schema", schema, file).CombinedOutput()
	t.Logf("xmllint --noout --schema %s %s:\n%s", filepath.Base(schema), filepath.Base(file), out)
	if err != nil {
		t.Fatalf("%s does not validate against %s: %v", file, schema, err)
	}
}

func TestWriteQDPXSchema(t *testing.T) {
	schema := refiSchema(t, "Project.xsd")
	_, d := refiFixture(t)
	_, b := refiWriteFile(t, d)
	dir := t.TempDir()
	refiUnzip(t, b, dir)
	refiXMLLint(t, schema, filepath.Join(dir, "project.qde"))
}

func TestWriteQDPX(t *testing.T) {
	_, d := refiFixture(t)
	_, b := refiWriteFile(t, d)
	files := refiUnzip(t, b, t.TempDir())

	qde := string(files["project.qde"])
	for _, want := range []string{
		`xmlns="urn:QDA-XML:project:1.0"`, `origin="Parallax; positions count Unicode code points"`, `<User guid="` + refiUserGUID + `" name="Parallax">`,
		`name="Findings" isCodable="true" color="#1F77B4"`, `<Variable guid=`, `typeOfVariable="Text"`,
		`<Set guid=`, `name="Ofsted: “serious and widespread failures”"`, `<MemberSource targetGUID=`, `<MemberNote targetGUID=`,
	} {
		if !strings.Contains(qde, want) {
			t.Errorf("project.qde lacks %s", want)
		}
	}
	// One text file per article and per memo, each referenced once.
	if got, want := len(files)-1, len(d.Articles)+len(d.Memos); got != want {
		t.Errorf("%d files under sources/, want %d", got, want)
	}
	for name := range files {
		if name != "project.qde" && !strings.Contains(qde, `"internal://`+strings.TrimPrefix(name, "sources/")+`"`) {
			t.Errorf("%s is not referenced from project.qde", name)
		}
	}
}

func TestWriteQDPXDeterministic(t *testing.T) {
	_, d := refiFixture(t)
	var a, b bytes.Buffer
	if err := WriteQDPX(&a, d); err != nil {
		t.Fatal(err)
	}
	if err := WriteQDPX(&b, d); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two exports of the same data differ")
	}
}

func TestWriteQDCSchema(t *testing.T) {
	schema := refiSchema(t, "Codebook.xsd")
	_, d := refiFixture(t)
	var buf bytes.Buffer
	if err := WriteQDC(&buf, d); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "codebook.qdc")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	refiXMLLint(t, schema, p)
}

func TestWriteQDC(t *testing.T) {
	_, d := refiFixture(t)
	var buf bytes.Buffer
	if err := WriteQDC(&buf, d); err != nil {
		t.Fatal(err)
	}
	var cb qdcCodeBook
	if err := xml.Unmarshal(buf.Bytes(), &cb); err != nil {
		t.Fatal(err)
	}
	var paths []string
	var walk func(prefix string, cs []qdeCode)
	walk = func(prefix string, cs []qdeCode) {
		for _, c := range cs {
			paths = append(paths, prefix+c.Name)
			walk(prefix+c.Name+"/", c.Codes)
		}
	}
	walk("", cb.Codes.Codes)
	if want := []string{"Findings", "Findings/Scope", "Findings/Severity", "Tone"}; !slices.Equal(paths, want) {
		t.Errorf("codebook = %v, want %v", paths, want)
	}

	err := WriteQDC(io.Discard, &data.ExportData{})
	if data.ErrorCode(err) != data.EInvalid || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty codebook: err = %v", err)
	}
}

// Every selection must index exactly its annotation's passage in the
// exported text file, counting code points (the emoji is the trap: it is
// two units in UTF-16, which some tools count).
func TestQDPXSelectionsIndexSourceText(t *testing.T) {
	_, d := refiFixture(t)
	_, b := refiWriteFile(t, d)
	files := refiUnzip(t, b, t.TempDir())
	var p qdeProject
	if err := xml.Unmarshal(files["project.qde"], &p); err != nil {
		t.Fatal(err)
	}
	byGUID := map[string]data.Annotation{}
	for _, a := range d.Annotations {
		byGUID[a.GUID] = a
	}
	seen := 0
	for _, src := range p.Sources.TextSources {
		text, ok := files["sources/"+strings.TrimPrefix(src.PlainTextPath, "internal://")]
		if !ok {
			t.Fatalf("source %q: no file for %s", src.Name, src.PlainTextPath)
		}
		runes := []rune(string(text))
		for _, sel := range src.Selections {
			a, ok := byGUID[sel.GUID]
			if !ok {
				t.Fatalf("selection %s is no annotation", sel.GUID)
			}
			var start, end int
			fmt.Sscan(sel.Start, &start)
			fmt.Sscan(sel.End, &end)
			if got := string(runes[start:end]); got != a.Exact {
				t.Errorf("selection %s = %q, want %q", sel.GUID, got, a.Exact)
			}
			if refiDeref(sel.Description) != a.Note {
				t.Errorf("selection %s note = %q, want %q", sel.GUID, refiDeref(sel.Description), a.Note)
			}
			if len(sel.Codings) != len(a.CodeIDs) {
				t.Errorf("selection %s has %d codings, want %d", sel.GUID, len(sel.Codings), len(a.CodeIDs))
			}
			seen++
		}
	}
	if seen != len(d.Annotations) || seen == 0 {
		t.Errorf("%d selections for %d annotations", seen, len(d.Annotations))
	}
}

// An orphaned annotation no longer points at its passage; it is exported
// as a note on its source, never as a selection coding the wrong text.
func TestWriteQDPXOrphanedAnnotation(t *testing.T) {
	d := &data.ExportData{Project: "p", Articles: []data.Article{{ID: 1, Meta: data.Meta{Title: "A"}, Text: "Short text."}},
		Annotations: []data.Annotation{{GUID: "0b5d2b2e-3f43-4c1c-9a67-3d8f7f3b9a10", ArticleID: 1, Start: 40, End: 60, Exact: "gone passage", Note: "n", Orphaned: true}}}
	p, files := buildQDE(d)
	if n := len(p.Sources.TextSources[0].Selections); n != 0 {
		t.Fatalf("%d selections for an orphaned annotation", n)
	}
	if p.Notes == nil || len(p.Notes.Notes) != 1 || len(p.Sources.TextSources[0].NoteRefs) != 1 {
		t.Fatalf("orphaned annotation not kept as a note: %+v", p.Notes)
	}
	if !slices.ContainsFunc(files, func(f refiFile) bool { return strings.Contains(f.text, "gone passage") }) {
		t.Error("the note lacks the passage")
	}
}

// comparable views of a project, keyed by what survives an exchange:
// article text, code and annotation GUIDs.
type refiView struct {
	articles    map[string]data.Article // by content hash
	codes       map[string]string       // GUID -> path|colour|description
	annotations map[string]string       // GUID -> article hash, range, passage, note, code paths, created
	memos       map[string]string       // GUID -> kind, target, title, text
}

func refiViewOf(t *testing.T, s *data.Store) refiView {
	t.Helper()
	ctx := context.Background()
	d, err := s.LoadExport(ctx, data.ExportScope{}, "")
	if err != nil {
		t.Fatal(err)
	}
	v := refiView{map[string]data.Article{}, map[string]string{}, map[string]string{}, map[string]string{}}
	hashOf := map[int64]string{}
	for _, a := range d.Articles {
		h := data.ContentHash(a.Text)
		hashOf[a.ID] = h
		a.ID, a.Source, a.Imported = 0, "", time.Time{}
		if len(a.Attributes) == 0 {
			a.Attributes = nil
		}
		v.articles[h] = a
	}
	codeGUID := map[int64]string{}
	for _, c := range d.Codes {
		codeGUID[c.ID] = c.GUID
		v.codes[c.GUID] = d.CodePath(c.ID) + "|" + c.Color + "|" + c.Description
	}
	for _, a := range d.Annotations {
		var paths []string
		for _, c := range a.CodeIDs {
			paths = append(paths, d.CodePath(c))
		}
		slices.Sort(paths)
		v.annotations[a.GUID] = fmt.Sprintf("%s %d-%d %q %q %v %s", hashOf[a.ArticleID][:8], a.Start, a.End, a.Exact, a.Note, paths,
			a.Created.UTC().Truncate(time.Second).Format(time.RFC3339))
	}
	for _, m := range d.Memos {
		target := ""
		switch m.TargetKind {
		case "article":
			target = hashOf[m.TargetID][:8]
		case "code":
			target = codeGUID[m.TargetID]
		}
		v.memos[m.GUID] = fmt.Sprintf("%s %s %q %q", m.TargetKind, target, m.Title, m.Text)
	}
	return v
}

func TestQDPXRoundTrip(t *testing.T) {
	ctx := context.Background()
	src, d := refiFixture(t)
	path, _ := refiWriteFile(t, d)

	dst := storetest.Open(t)
	rep, err := Import(ctx, dst, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("report: %+v", rep)
	if rep.Articles != 3 || rep.Codes != 4 || rep.Annotations != 4 || rep.Memos != 4 || rep.ArticlesReused+rep.CodesMatched+rep.AnnotationsPresent+rep.MemosPresent != 0 {
		t.Errorf("report = %+v", rep)
	}

	want, got := refiViewOf(t, src), refiViewOf(t, dst)
	for h, a := range want.articles {
		b, ok := got.articles[h]
		switch {
		case !ok:
			t.Errorf("article %q missing after the round trip", a.Title)
		case a.Meta != b.Meta || a.Text != b.Text || a.Words != b.Words || !maps.Equal(a.Attributes, b.Attributes):
			t.Errorf("article changed:\n got %+v\nwant %+v", b, a)
		}
	}
	if len(got.articles) != len(want.articles) {
		t.Errorf("%d articles, want %d", len(got.articles), len(want.articles))
	}
	if !maps.Equal(got.codes, want.codes) {
		t.Errorf("codes:\n got %v\nwant %v", got.codes, want.codes)
	}
	if !maps.Equal(got.annotations, want.annotations) {
		t.Errorf("annotations:\n got %v\nwant %v", got.annotations, want.annotations)
	}
	// Clusters are rebuilt by the analysis, not imported: the cluster memo
	// comes back as a project memo named after its set.
	for g, m := range want.memos {
		if strings.HasPrefix(m, "cluster ") {
			want.memos[g] = fmt.Sprintf("project  %q %q", "Ofsted: “serious and widespread failures”: Wording", "ITV drops “and widespread”.")
		}
	}
	if !maps.Equal(got.memos, want.memos) {
		t.Errorf("memos:\n got %v\nwant %v", got.memos, want.memos)
	}

	// Importing the same file again, or into the project it came from,
	// adds nothing.
	reimportAddsNothing(t, path, map[string]*data.Store{"again": dst, "into its source project": src}, func(rep data.QDPXReport, _ *data.Store) bool {
		return rep.Articles+rep.Codes+rep.Annotations+rep.Memos == 0 && rep.ArticlesReused == 3 && rep.CodesMatched == 4
	})
}

// reimportAddsNothing imports path again into each project, by name, and
// checks that its counts stay as they were and that ok holds for the
// report and the project.
func reimportAddsNothing(t *testing.T, path string, projects map[string]*data.Store, ok func(data.QDPXReport, *data.Store) bool) {
	t.Helper()
	ctx := context.Background()
	for name, s := range projects {
		before, _ := s.Stats(ctx)
		rep, err := Import(ctx, s, path)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if after, _ := s.Stats(ctx); before != after || !ok(rep, s) {
			t.Errorf("%s: report %+v, stats %+v -> %+v", name, rep, before, after)
		}
	}
}

// Codes are matched by path when their GUIDs are new to the project, and
// an article whose text is already there is reused as it is: its metadata
// is the researcher's and is not overwritten.
func TestImportQDPXMatchesExisting(t *testing.T) {
	ctx := context.Background()
	_, d := refiFixture(t)
	path, _ := refiWriteFile(t, d)

	s := storetest.Open(t)
	local := refiMustCode(t, s, "Findings/Severity")
	res, err := s.AddArticles(ctx, []data.Article{art("Local wire", "2024", "Local title", "An untitled wire item about nurseries.")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Import(ctx, s, path)
	if err != nil {
		t.Fatal(err)
	}
	if rep.CodesMatched != 2 || rep.Codes != 2 || rep.ArticlesReused != 1 || rep.Articles != 2 {
		t.Errorf("report = %+v", rep)
	}
	codes, _ := s.Codes(ctx)
	paths := refiPaths(codes)
	if want := []string{"Findings", "Findings/Scope", "Findings/Severity", "Tone"}; !slices.Equal(paths, want) {
		t.Errorf("codebook = %v, want %v", paths, want)
	}
	if anns, _ := s.Annotations(ctx, data.AnnotationFilter{CodeID: local.ID}); len(anns) != 1 || anns[0].Exact != "“serious and widespread failures”" {
		t.Errorf("annotations on the local Severity code = %+v", anns)
	}
	if a, _ := s.Article(ctx, res[0].ID); a.Title != "Local title" || a.Outlet != "Local wire" {
		t.Errorf("the existing article's metadata changed: %+v", a.Meta)
	}

	_, err = Import(ctx, s, filepath.Join(t.TempDir(), "missing.qdpx"))
	if !errors.Is(err, fs.ErrNotExist) || strings.Count(err.Error(), "missing.qdpx") != 1 {
		t.Errorf("missing file: err = %v", err)
	}
}

// externalSourceText is the text of the source in testdata/refi/external.qde:
// a byte-order mark, CRLF line ends, a decomposed "é" and trailing blank
// lines, all of which Parallax normalises away, so the selections'
// positions have to be mapped.
const externalSourceText = "\uFEFFCafe\u0301 staff\r\nSaid: “we are leaving”.\r\nEnd.\r\n\r\n"

func externalQDPX(t testing.TB) []byte {
	t.Helper()
	qde, err := os.ReadFile(filepath.Join("testdata", "refi", "external.qde"))
	if err != nil {
		t.Fatal(err)
	}
	return refiZip(t,
		refiZipEntry{name: "project.qde", data: qde},
		refiZipEntry{name: "Sources/C1A0B2C3-D4E5-4F60-9172-8394A5B6C7D8.txt", data: []byte(externalSourceText)},
		refiZipEntry{name: "Sources/27061829-3A4B-45C6-97D8-E9FA0B1C2D3E.txt", data: []byte("An NVivo-style annotation.")},
		refiZipEntry{name: "Sources/16F50718-293A-44B5-86C7-D8E9FA0B1C2D.pdf", data: []byte("%PDF-1.4 not really")})
}

// TestExternalQDESchema checks that the fixture standing for other tools'
// projects is itself valid QDA-XML.
func TestExternalQDESchema(t *testing.T) {
	refiXMLLint(t, refiSchema(t, "Project.xsd"), filepath.Join("testdata", "refi", "external.qde"))
}

func TestImportQDPXFromOtherTools(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	p := filepath.Join(t.TempDir(), "external.qdpx")
	if err := os.WriteFile(p, externalQDPX(t), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := Import(ctx, s, p)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("report: %+v", rep)
	if len(rep.Skipped) != 2 { // the PDF and the named case; the set is kept (issue 14)
		t.Errorf("skipped = %q", rep.Skipped)
	}
	rows, _ := s.ListArticles(ctx, data.ListQuery{})
	if len(rows) != 1 {
		t.Fatalf("%d articles", len(rows))
	}
	a, _ := s.Article(ctx, rows[0].ID)
	if a.Text != "Café staff\nSaid: “we are leaving”.\nEnd." || a.Title != "Guardian piece" || a.Outlet != "The Guardian" ||
		a.Attributes["Published"] != "2023-05-02" || a.Source != "external.qdpx: Guardian piece" {
		t.Errorf("article = %+v", a)
	}
	codes, _ := s.Codes(ctx)
	// Names are kept exactly ("/" included), and so is a category.
	if len(codes) != 2 || codes[1].Name != "Staffing/Turnover" || !codes[0].Category || codes[1].Category || codes[0].Color != "#FF00AA" ||
		codes[0].GUID != "6a3f0b1c-2d4e-4f60-8a1b-2c3d4e5f6a7b" || codes[0].Description != "Top-level themes" {
		t.Errorf("codes = %+v", codes)
	}
	anns, _ := s.Annotations(ctx, data.AnnotationFilter{})
	if len(anns) != 2 {
		t.Fatalf("annotations = %+v", anns)
	}
	if a := anns[0]; a.Exact != "Café" || a.Note != "An NVivo-style annotation." || len(a.CodeIDs) != 0 {
		t.Errorf("linked annotation = %+v", a)
	}
	if a := anns[1]; a.Exact != "we are leaving" || a.Note != "Staff leaving\n\nCompare with 2019." ||
		!slices.Equal(a.CodeIDs, []int64{codes[1].ID}) || !a.Created.Equal(time.Date(2023, 6, 1, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("coded annotation = %+v", a)
	}
	memos, _ := s.Memos(ctx, "", 0)
	var got []string
	for _, m := range memos {
		got = append(got, m.TargetKind+": "+m.Title+": "+m.Text)
	}
	slices.Sort(got)
	want := []string{"article: Description: Sent by a colleague", "project: Journal: first reading: Initial impressions.",
		"project: Project description: A study of nursery inspections."}
	if !slices.Equal(got, want) {
		t.Errorf("memos = %q, want %q", got, want)
	}
}

func TestRefiNormalize(t *testing.T) {
	cases := []struct {
		name, raw, passage string
	}{
		{"already normal", "Plain “text” 🎉 here", "🎉 here"},
		{"CRLF", "One\r\nTwo\r\nThree", "Three"},
		{"lone CR", "One\rTwo", "Two"},
		{"decomposed accents", "Cafe\u0301 and nai\u0308ve ones", "nai\u0308ve"},
		{"byte-order mark", "\uFEFFStart and end", "end"},
		{"trailing blank lines", "Body text\r\n\r\n  ", "text"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, remap, err := refiNormalize(c.raw)
			if err != nil {
				t.Fatal(err)
			}
			if got != data.NormalizeText(c.raw) {
				t.Fatalf("text = %q, want %q", got, data.NormalizeText(c.raw))
			}
			i := strings.Index(c.raw, c.passage)
			start := len([]rune(c.raw[:i]))
			end := start + len([]rune(c.passage))
			if s := string([]rune(got)[remap(start):remap(end)]); s != data.NormalizeText(c.passage) {
				t.Errorf("passage maps to %q, want %q", s, data.NormalizeText(c.passage))
			}
		})
	}
}

type refiZipEntry struct {
	name string
	data []byte
	// claim, if set, is the uncompressed size written in the headers
	// instead of the real one.
	claim uint64
}

func refiZip(t testing.TB, entries ...refiZipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		if e.claim == 0 {
			w, err := zw.Create(e.name)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(e.data)
			continue
		}
		// A lying header needs a raw entry: compress by hand.
		var comp bytes.Buffer
		fw, err := flate.NewWriter(&comp, flate.BestSpeed)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(e.data)
		fw.Close()
		w, err := zw.CreateRaw(&zip.FileHeader{Name: e.name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(e.data),
			CompressedSize64: uint64(comp.Len()), UncompressedSize64: e.claim})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(comp.Bytes())
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// hostileBase is a minimal valid project that each hostile case breaks in
// one way: hostileQDE replaces its @TOKENS@.
const hostileBase = `<?xml version="1.0" encoding="utf-8"?>
@PROLOG@<Project xmlns="@NAMESPACE@" name="h">
<CodeBook><Codes><Code guid="22222222-2222-2222-2222-222222222222" name="@NAME@" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="44444444-4444-4444-4444-444444444444" name="a" plainTextPath="@PATH@">
<PlainTextSelection guid="55555555-5555-5555-5555-555555555555" startPosition="@START@" endPosition="@END@"><Coding guid="66666666-6666-6666-6666-666666666666"><CodeRef targetGUID="@CODEREF@"/></Coding></PlainTextSelection>
</TextSource></Sources>
@SETS@</Project>`

const hostileText = "Hello world, a valid source."

func hostileQDE(repl ...string) []byte {
	r := map[string]string{"@PROLOG@": "", "@NAMESPACE@": refiProjectNS, "@NAME@": "C", "@PATH@": "internal://a.txt", "@START@": "0", "@END@": "5",
		"@CODEREF@": "22222222-2222-2222-2222-222222222222", "@SETS@": ""}
	for i := 0; i+1 < len(repl); i += 2 {
		r[repl[i]] = repl[i+1]
	}
	var args []string
	for k, v := range r {
		args = append(args, k, v)
	}
	return []byte(strings.NewReplacer(args...).Replace(hostileBase))
}

func hostileZip(t testing.TB, qde []byte, extra ...refiZipEntry) []byte {
	return refiZip(t, append([]refiZipEntry{{name: "project.qde", data: qde}, {name: "sources/a.txt", data: []byte(hostileText)}}, extra...)...)
}

// hostileCase is an archive broken in one way, and what refusing it must
// say.
type hostileCase struct {
	name string
	zip  func(t testing.TB) []byte
	want string
}

// hostileCases feeds TestImportQDPXHostile and seeds FuzzReadQDPX.
func hostileCases() []hostileCase {
	big := bytes.Repeat([]byte("a"), data.MaxArticleBytes+1)
	return []hostileCase{
		{"not a zip", func(t testing.TB) []byte { return []byte("just some text") }, "zip archive"},
		{"no project.qde", func(t testing.TB) []byte {
			return refiZip(t, refiZipEntry{name: "sources/a.txt", data: []byte(hostileText)})
		}, "no project.qde"},
		{"zip slip ../", func(t testing.TB) []byte {
			return hostileZip(t, hostileQDE(), refiZipEntry{name: "../../evil.txt", data: []byte("x")})
		}, `"../../evil.txt" points outside the archive`},
		{"zip slip in a folder", func(t testing.TB) []byte {
			return hostileZip(t, hostileQDE(), refiZipEntry{name: "sources/../../evil.txt", data: []byte("x")})
		}, "points outside the archive"},
		{"absolute path", func(t testing.TB) []byte {
			return hostileZip(t, hostileQDE(), refiZipEntry{name: "/etc/evil", data: []byte("x")})
		}, `"/etc/evil" points outside the archive`},
		{"Windows drive path", func(t testing.TB) []byte {
			return hostileZip(t, hostileQDE(), refiZipEntry{name: `C:\evil.txt`, data: []byte("x")})
		}, "points outside the archive"},
		{"backslash ..", func(t testing.TB) []byte {
			return hostileZip(t, hostileQDE(), refiZipEntry{name: `sources\..\..\evil.txt`, data: []byte("x")})
		}, "points outside the archive"},
		{"internal path leaving the archive", func(t testing.TB) []byte {
			return hostileZip(t, hostileQDE("@PATH@", "internal://../../etc/passwd"))
		}, "points outside the archive"},
		{"duplicate entry", func(t testing.TB) []byte {
			return hostileZip(t, hostileQDE(), refiZipEntry{name: "Sources/A.txt", data: []byte("other")})
		}, "appears twice"},
		{"DOCTYPE with external entity", func(t testing.TB) []byte {
			return hostileZip(t, hostileQDE("@PROLOG@", `<!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]>`, "@NAME@", "&x;"))
		}, "project.qde: contains a declaration (<!DOCTYPE"},
		{"billion laughs", func(t testing.TB) []byte {
			return hostileZip(t, hostileQDE("@PROLOG@", `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>`, "@NAME@", "&lol2;"))
		}, "DOCTYPE and entity declarations are not allowed"},
		{"undeclared entity", func(t testing.TB) []byte { return hostileZip(t, hostileQDE("@NAME@", "&x;")) }, "not well-formed"},
		{"UTF-16 declared", func(t testing.TB) []byte {
			return hostileZip(t, bytes.Replace(hostileQDE(), []byte(`encoding="utf-8"`), []byte(`encoding="UTF-16"`), 1))
		}, "not well-formed"},
		{"wrong namespace", func(t testing.TB) []byte { return hostileZip(t, hostileQDE("@NAMESPACE@", "urn:other")) }, "not a QDA-XML project"},
		{"invalid UTF-8 in project.qde", func(t testing.TB) []byte { return hostileZip(t, hostileQDE("@NAME@", "C\xff\xfe")) }, "project.qde: not valid UTF-8"},
		{"invalid UTF-8 in a source", func(t testing.TB) []byte {
			return refiZip(t, refiZipEntry{name: "project.qde", data: hostileQDE()}, refiZipEntry{name: "sources/a.txt", data: []byte("Hello \xc3\x28 world")})
		}, "sources/a.txt is not valid UTF-8"},
		{"NUL in a source", func(t testing.TB) []byte {
			return refiZip(t, refiZipEntry{name: "project.qde", data: hostileQDE()}, refiZipEntry{name: "sources/a.txt", data: []byte("\x00\x00" + hostileText)})
		}, "sources/a.txt is a binary file, not text"},
		{"control characters in a source", func(t testing.TB) []byte {
			return refiZip(t, refiZipEntry{name: "project.qde", data: hostileQDE()}, refiZipEntry{name: "sources/a.txt", data: []byte(hostileText + "\x01\x02\x03")})
		}, "sources/a.txt is a binary file, not text"},
		{"source file missing", func(t testing.TB) []byte { return hostileZip(t, hostileQDE("@PATH@", "internal://b.txt")) }, `refers to "internal://b.txt", which is not in the archive`},
		{"end past the text", func(t testing.TB) []byte { return hostileZip(t, hostileQDE("@END@", "999")) }, "positions 0–999 are not a range inside the source's 28 characters"},
		{"end equal to start", func(t testing.TB) []byte { return hostileZip(t, hostileQDE("@START@", "5")) }, "positions 5–5 are not a range"},
		{"end before start", func(t testing.TB) []byte { return hostileZip(t, hostileQDE("@START@", "7")) }, "positions 7–5 are not a range"},
		{"negative start", func(t testing.TB) []byte { return hostileZip(t, hostileQDE("@START@", "-1")) }, "positions -1–5 are not a range"},
		{"position not a number", func(t testing.TB) []byte { return hostileZip(t, hostileQDE("@END@", "5e3")) }, "are not whole numbers"},
		{"huge position", func(t testing.TB) []byte { return hostileZip(t, hostileQDE("@END@", "99999999999999999999999")) }, "are not whole numbers"},
		{"missing code", func(t testing.TB) []byte {
			return hostileZip(t, hostileQDE("@CODEREF@", "77777777-7777-7777-7777-777777777777"))
		}, "refers to code 77777777-7777-7777-7777-777777777777, which is not in the codebook"},
		{"missing source", func(t testing.TB) []byte {
			return hostileZip(t, hostileQDE("@SETS@", `<Sets><Set guid="88888888-8888-8888-8888-888888888888" name="S"><MemberSource targetGUID="99999999-9999-9999-9999-999999999999"/></Set></Sets>`))
		}, "refers to source 99999999-9999-9999-9999-999999999999, which is not in the project"},
		{"invalid GUID", func(t testing.TB) []byte { return hostileZip(t, hostileQDE("@CODEREF@", "not-a-guid")) }, `invalid GUID "not-a-guid"`},
		{"source over the per-article limit", func(t testing.TB) []byte {
			return refiZip(t, refiZipEntry{name: "project.qde", data: hostileQDE()}, refiZipEntry{name: "sources/a.txt", data: big})
		}, "sources/a.txt: larger than the 16 MB limit"},
		{"source larger than its header says", func(t testing.TB) []byte {
			return refiZip(t, refiZipEntry{name: "project.qde", data: hostileQDE()}, refiZipEntry{name: "sources/a.txt", data: big, claim: 100})
		}, "sources/a.txt: its data does not match its zip header (100 bytes declared)"},
		{"project.qde header claiming 600 MB", func(t testing.TB) []byte {
			return refiZip(t, refiZipEntry{name: "project.qde", data: hostileQDE(), claim: 600 << 20}, refiZipEntry{name: "sources/a.txt", data: []byte(hostileText)})
		}, "more than 512 MB; refusing it as a likely zip bomb"},
	}
}

func TestImportQDPXHostile(t *testing.T) {
	ctx := context.Background()
	cases := hostileCases()

	// The unbroken base imports, so each failure below is the breakage's.
	ok := filepath.Join(t.TempDir(), "base.qdpx")
	if err := os.WriteFile(ok, hostileZip(t, hostileQDE()), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Import(ctx, storetest.Open(t), ok); err != nil {
		t.Fatalf("the base project does not import: %v", err)
	}

	s, _ := refiFixture(t)
	before := refiViewOf(t, s)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "hostile.qdpx")
			if err := os.WriteFile(p, c.zip(t), 0o644); err != nil {
				t.Fatal(err)
			}
			rep, err := Import(ctx, s, p)
			if err == nil {
				t.Fatalf("imported: %+v", rep)
			}
			t.Log(err)
			if data.ErrorCode(err) != data.EInvalid || !strings.Contains(err.Error(), "hostile.qdpx") || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v\nwant code %s, the file name and %q", err, data.EInvalid, c.want)
			}
		})
	}
	// The import is checked before anything is written.
	after := refiViewOf(t, s)
	if !maps.EqualFunc(before.articles, after.articles, func(a, b data.Article) bool { return a.Text == b.Text && a.Meta == b.Meta }) ||
		!maps.Equal(before.codes, after.codes) || !maps.Equal(before.annotations, after.annotations) || !maps.Equal(before.memos, after.memos) {
		t.Error("a refused import changed the project")
	}
}

// The decompression budget is counted over what is actually read, across
// entries, whatever the headers say.
func TestImportQDPXZipBomb(t *testing.T) {
	old := maxQDPXBytes
	maxQDPXBytes = 64 << 10
	t.Cleanup(func() { maxQDPXBytes = old })

	pad := strings.Repeat("x", 40<<10)
	qde := hostileQDE("@SETS@", "<!-- "+pad+" -->") // 40 KB of the budget
	src := []byte(hostileText + strings.Repeat(" filler", 5<<10))
	p := filepath.Join(t.TempDir(), "bomb.qdpx")
	if err := os.WriteFile(p, refiZip(t, refiZipEntry{name: "project.qde", data: qde}, refiZipEntry{name: "sources/a.txt", data: src}), 0o644); err != nil {
		t.Fatal(err)
	}
	s := storetest.Open(t)
	_, err := Import(context.Background(), s, p)
	if data.ErrorCode(err) != data.EInvalid || !strings.Contains(err.Error(), "bomb.qdpx") || !strings.Contains(err.Error(), "sources/a.txt: the archive decompresses to more than") {
		t.Fatalf("err = %v", err)
	}
	if st, _ := s.Stats(context.Background()); st.Articles != 0 {
		t.Error("a refused import added articles")
	}
}

// checkPlan fails t unless every index of an accepted plan points inside
// what it indexes, as data.Store.ApplyQDPX relies on: each selection is a
// non-empty range inside its source's text (an orphaned one, which no
// reading placed, keeps the file's numbers, a non-empty range that the
// store never applies to the text), and code references, parents and memo
// targets are inside Codes and Sources.
func checkPlan(t *testing.T, p *data.QDPXPlan) {
	t.Helper()
	for i, c := range p.Codes {
		if c.Parent < -1 || c.Parent >= i {
			t.Fatalf("code %d (%q) has parent %d: parents come first", i, c.Name, c.Parent)
		}
	}
	for i, src := range p.Sources {
		if !utf8.ValidString(src.Article.Text) {
			t.Fatalf("source %d: text is not valid UTF-8", i)
		}
		n := utf8.RuneCountInString(src.Article.Text)
		for _, sel := range src.Selections {
			if sel.Start < 0 || sel.End > n && !sel.Orphaned || sel.Start >= sel.End {
				t.Fatalf("source %d: selection %s at %d–%d, outside the text's %d characters", i, sel.GUID, sel.Start, sel.End, n)
			}
			for _, c := range sel.Codes {
				if c < 0 || c >= len(p.Codes) {
					t.Fatalf("source %d: selection %s refers to code %d of %d", i, sel.GUID, c, len(p.Codes))
				}
			}
		}
	}
	for _, m := range p.Memos {
		switch {
		case m.Kind == "project",
			m.Kind == "article" && m.Target >= 0 && m.Target < len(p.Sources),
			m.Kind == "code" && m.Target >= 0 && m.Target < len(p.Codes):
		default:
			t.Fatalf("memo %q on %s %d (%d sources, %d codes)", m.Title, m.Kind, m.Target, len(p.Sources), len(p.Codes))
		}
	}
}

// refiSeeds are archives to start fuzzing from: the hostile table's, the
// unbroken base, another tool's project and Parallax's own export. Both
// fuzz targets use them, and the table's two 16 MB sources take seconds to
// compress under the race detector, so they are made once; fuzz targets
// never run in parallel.
func refiSeeds(f *testing.F) [][]byte {
	if refiSeedArchives != nil {
		return refiSeedArchives
	}
	seeds := [][]byte{hostileZip(f, hostileQDE()), externalQDPX(f)}
	for _, c := range hostileCases() {
		seeds = append(seeds, c.zip(f))
	}
	_, d := refiFixture(f)
	var buf bytes.Buffer
	if err := WriteQDPX(&buf, d); err != nil {
		f.Fatal(err)
	}
	refiSeedArchives = append(seeds, buf.Bytes())
	return refiSeedArchives
}

var refiSeedArchives [][]byte

// FuzzReadQDPX: no archive makes the reader panic, and a plan it accepts
// indexes only inside itself (checkPlan).
func FuzzReadQDPX(f *testing.F) {
	for _, s := range refiSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, archive []byte) {
		p, err := readArchive(context.Background(), bytes.NewReader(archive), int64(len(archive)), "fuzz.qdpx")
		if err == nil {
			checkPlan(t, p)
		}
	})
}

// FuzzReadQDPXProject fuzzes what FuzzReadQDPX seldom reaches, since a
// changed byte of an entry breaks its checksum: the project document and
// a source text, packed into a well-formed archive as project.qde and
// sources/a.txt (the source the hostile base project names).
func FuzzReadQDPXProject(f *testing.F) {
	for _, s := range refiSeeds(f) {
		zr, err := zip.NewReader(bytes.NewReader(s), int64(len(s)))
		if err != nil {
			continue
		}
		// Small entries only: the oversized ones are FuzzReadQDPX's
		// seeds, and a megabyte input only slows the mutator down.
		const limit = 64 << 10
		entry := func(name string) []byte {
			for _, e := range zr.File {
				if strings.EqualFold(e.Name, name) {
					if r, err := e.Open(); err == nil {
						b, _ := io.ReadAll(io.LimitReader(r, limit+1))
						r.Close()
						return b
					}
				}
			}
			return nil
		}
		qde, text := entry("project.qde"), entry("sources/a.txt")
		if qde != nil && len(qde) <= limit && len(text) <= limit {
			f.Add(qde, text)
		}
	}
	f.Fuzz(func(t *testing.T, qde, text []byte) {
		// Stored, not deflated: a flate writer per run would cost more
		// than the reading under test.
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, e := range []refiZipEntry{{name: "project.qde", data: qde}, {name: "sources/a.txt", data: text}} {
			w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Store})
			if err != nil {
				t.Fatal(err)
			}
			w.Write(e.data)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		archive := buf.Bytes()
		p, err := readArchive(context.Background(), bytes.NewReader(archive), int64(len(archive)), "fuzz.qdpx")
		if err == nil {
			checkPlan(t, p)
		}
	})
}

// refiPaths lists a codebook's paths in order.
func refiPaths(codes []data.Code) []string {
	var paths []string
	for _, c := range codes {
		paths = append(paths, data.CodePath(codes, c.ID))
	}
	return paths
}

// One wire story under two outlets is two sources, and stays two articles
// through a round trip: each keeps its metadata and its own annotations,
// and importing the file again, or into the project it came from, adds
// nothing.
func TestQDPXRoundTripWireCopies(t *testing.T) {
	ctx := context.Background()
	text := "The council approved the new bus lanes on Tuesday after a long debate."
	src := storetest.Open(t)
	res, err := src.AddArticles(ctx, []data.Article{art("Times", "2024-05-07", "", text), art("Post", "2024-05-07", "", text)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	code := refiMustCode(t, src, "Actors")
	for i, r := range res {
		an := data.Annotation{ArticleID: r.ID, Start: 4, End: 11, Note: []string{"the Times' framing", "the Post's framing"}[i]}
		if i == 1 {
			an.CodeIDs = []int64{code.ID}
		}
		if _, err := src.CreateAnnotation(ctx, an); err != nil {
			t.Fatal(err)
		}
	}
	d, err := src.LoadExport(ctx, data.ExportScope{}, "wire")
	if err != nil {
		t.Fatal(err)
	}
	path, _ := refiWriteFile(t, d)

	notes := func(s *data.Store) map[string]string {
		t.Helper()
		out := map[string]string{}
		arts, err := s.ListArticles(ctx, data.ListQuery{})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range arts {
			anns, _ := s.Annotations(ctx, data.AnnotationFilter{ArticleID: a.ID})
			for _, an := range anns {
				out[a.Outlet] += fmt.Sprintf("%s %d codes;", an.Note, len(an.CodeIDs))
			}
		}
		return out
	}
	want := map[string]string{"Times": "the Times' framing 0 codes;", "Post": "the Post's framing 1 codes;"}
	dst := storetest.Open(t)
	rep, err := Import(ctx, dst, path)
	if err != nil {
		t.Fatal(err)
	}
	if got := notes(dst); rep.Articles != 2 || !maps.Equal(got, want) {
		t.Errorf("imported %d articles, annotations by outlet %q, want %q", rep.Articles, got, want)
	}
	reimportAddsNothing(t, path, map[string]*data.Store{"again": dst, "into its source project": src}, func(rep data.QDPXReport, s *data.Store) bool {
		return rep.Articles+rep.Annotations == 0 && rep.ArticlesReused == 2 && rep.AnnotationsPresent == 2 && maps.Equal(notes(s), want)
	})
}

// Two sibling codes of one file with the same name and two GUIDs (NVivo
// allows it) stay two codes, the second renamed to tell them apart; each
// keeps its colour, description and codings. A project code of that name
// made before the import stands for the first only, and its other colour
// is reported. Importing the file again adds nothing and reports nothing.
func TestImportQDPXSiblingCodesSameName(t *testing.T) {
	ctx := context.Background()
	const text = "Officers were attacked. Officers then beat a protester."
	qde := `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="` + refiProjectNS + `" name="p" origin="NVivo 14">
<CodeBook><Codes><Code guid="10000000-0000-4000-8000-000000000001" name="Actors" isCodable="false">
<Code guid="10000000-0000-4000-8000-000000000002" name="Police" isCodable="true" color="#FF0000"><Description>as victims</Description></Code>
<Code guid="10000000-0000-4000-8000-000000000003" name="Police" isCodable="true" color="#0000FF"><Description>as perpetrators</Description></Code>
</Code></Codes></CodeBook>
<Sources><TextSource guid="10000000-0000-4000-8000-000000000004" name="a" plainTextPath="internal://a.txt">
<PlainTextSelection guid="10000000-0000-4000-8000-000000000005" startPosition="0" endPosition="23"><Coding guid="10000000-0000-4000-8000-000000000006"><CodeRef targetGUID="10000000-0000-4000-8000-000000000002"/></Coding></PlainTextSelection>
<PlainTextSelection guid="10000000-0000-4000-8000-000000000007" startPosition="24" endPosition="55"><Coding guid="10000000-0000-4000-8000-000000000008"><CodeRef targetGUID="10000000-0000-4000-8000-000000000003"/></Coding></PlainTextSelection>
</TextSource></Sources></Project>`
	path := filepath.Join(t.TempDir(), "nvivo.qdpx")
	if err := os.WriteFile(path, refiZip(t, refiZipEntry{name: "project.qde", data: []byte(qde)}, refiZipEntry{name: "sources/a.txt", data: []byte(text)}), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		local bool // the project has Actors/Police already
		// codes: path|colour|description, and the codes of each passage
		codes, coded []string
		report       string
	}{
		{name: "new project",
			codes:  []string{"Actors", "Actors/Police (2)|#0000FF|as perpetrators", "Actors/Police|#FF0000|as victims"},
			coded:  []string{"Officers were attacked. Actors/Police", "Officers then beat a protester. Actors/Police (2)"},
			report: `imported as "Police (2)"`},
		{name: "Police already here", local: true,
			codes:  []string{"Actors", "Actors/Police (2)|#0000FF|as perpetrators", "Actors/Police||"},
			coded:  []string{"Officers were attacked. Actors/Police", "Officers then beat a protester. Actors/Police (2)"},
			report: `code "Police" has another colour or description in the file`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := storetest.Open(t)
			if tc.local {
				refiMustCode(t, s, "Actors/Police")
			}
			rep, err := Import(ctx, s, path)
			if err != nil {
				t.Fatal(err)
			}
			codes, _ := s.Codes(ctx)
			var gotCodes []string
			for _, c := range codes {
				if c.Category || c.ParentID == 0 {
					gotCodes = append(gotCodes, data.CodePath(codes, c.ID))
					continue
				}
				gotCodes = append(gotCodes, fmt.Sprintf("%s|%s|%s", data.CodePath(codes, c.ID), c.Color, c.Description))
			}
			anns, _ := s.Annotations(ctx, data.AnnotationFilter{})
			var coded []string
			for _, a := range anns {
				for _, c := range a.CodeIDs {
					coded = append(coded, a.Exact+" "+data.CodePath(codes, c))
				}
			}
			slices.Sort(gotCodes)
			if !slices.Equal(gotCodes, tc.codes) || !slices.Equal(coded, tc.coded) {
				t.Errorf("codes %q, coded %q; want %q, %q", gotCodes, coded, tc.codes, tc.coded)
			}
			lines := append(slices.Clone(rep.Warnings), rep.Conflicts...)
			if !slices.ContainsFunc(lines, func(l string) bool { return strings.Contains(l, tc.report) }) {
				t.Errorf("report lines %q lack %q", lines, tc.report)
			}
			reimportAddsNothing(t, path, map[string]*data.Store{"again": s}, func(rep data.QDPXReport, _ *data.Store) bool {
				quiet := len(rep.Warnings) == 0 && len(rep.Conflicts) == 0
				return rep.Codes+rep.Annotations == 0 && rep.AnnotationsPresent == 2 && (quiet || tc.local)
			})
		})
	}
}

// An orphaned annotation goes out as a note naming its passage and codes,
// counted by UnplacedAnnotations for the export's warning; imported into
// the project that holds it, the note adds nothing (and, edited in another
// tool, is reported), and into another project it is a memo once.
func TestQDPXOrphanedAnnotationRoundTrip(t *testing.T) {
	ctx := context.Background()
	v1 := "The council said the report was unfair.\nInspectors found serious failures."
	v2 := "The council said it accepted the findings.\nInspectors found serious failures."
	src := storetest.Open(t)
	res, err := src.AddArticles(ctx, []data.Article{{Meta: data.Meta{Title: "Failures"}, Text: v1, Source: "story.txt"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	denial, findings := refiMustCode(t, src, "Defence/Denial"), refiMustCode(t, src, "Findings")
	for _, an := range []data.Annotation{
		{ArticleID: res[0].ID, Start: 17, End: 38, Note: "council denial", CodeIDs: []int64{denial.ID, findings.ID}},
		{ArticleID: res[0].ID, Start: 40, End: 56, CodeIDs: []int64{findings.ID}},
	} {
		if _, err := src.CreateAnnotation(ctx, an); err != nil {
			t.Fatal(err)
		}
	}
	if res, err := src.AddArticles(ctx, []data.Article{{Meta: data.Meta{Title: "Failures"}, Text: v2, Source: "story.txt"}}, nil); err != nil || res[0].Reanchor.Orphaned != 1 {
		t.Fatalf("re-import: %+v, %v", res, err)
	}
	d, err := src.LoadExport(ctx, data.ExportScope{}, "p")
	if err != nil {
		t.Fatal(err)
	}
	if n := UnplacedAnnotations(d); n != 1 {
		t.Errorf("UnplacedAnnotations = %d, want 1", n)
	}
	path, b := refiWriteFile(t, d)
	files := refiUnzip(t, b, t.TempDir())
	if !slices.ContainsFunc(slices.Collect(maps.Values(files)), func(f []byte) bool {
		return bytes.Contains(f, []byte("“the report was unfair”\nCodes: Defence/Denial; Findings\n\ncouncil denial"))
	}) {
		t.Error("no note names the orphaned annotation's passage, codes and note")
	}

	// The note as another tool edited it: its text is not the
	// annotation's, and the import says so.
	var entries []refiZipEntry
	for name, f := range files {
		entries = append(entries, refiZipEntry{name: name, data: bytes.Replace(f, []byte("\n\ncouncil denial"), []byte("\n\ncouncil denial, withdrawn"), 1)})
	}
	edited := filepath.Join(t.TempDir(), "edited.qdpx")
	if err := os.WriteFile(edited, refiZip(t, entries...), 0o644); err != nil {
		t.Fatal(err)
	}
	const differs = "in the file as a note since its passage is gone, differs there"

	for _, tc := range []struct {
		name  string
		into  *data.Store
		file  string
		memos int
		// report is in a conflict line, "" for none.
		report string
	}{
		{name: "into its source project", into: src, file: path, memos: 0},
		{name: "edited, into its source project", into: src, file: edited, memos: 0, report: differs},
		{name: "into a new project", into: storetest.Open(t), file: path, memos: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for range 2 {
				rep, err := Import(ctx, tc.into, tc.file)
				if err != nil {
					t.Fatal(err)
				}
				if got := strings.Join(rep.Conflicts, "\n"); tc.report == "" && got != "" || !strings.Contains(got, tc.report) {
					t.Errorf("conflicts %q, want %q", rep.Conflicts, tc.report)
				}
			}
			memos, _ := tc.into.Memos(ctx, "", 0)
			if len(memos) != tc.memos || tc.memos > 0 && !strings.Contains(memos[0].Text, "Codes: Defence/Denial; Findings") {
				t.Errorf("memos after importing twice: %+v, want %d naming the codes", memos, tc.memos)
			}
			if st, _ := tc.into.Stats(ctx); st.Articles != 1 || st.Annotations != 2-tc.memos {
				t.Errorf("after importing twice: %+v", st)
			}
		})
	}
}

// The export's two warnings count each annotation once: an orphaned one,
// written as a note, is in UnplacedAnnotations' count and not in
// ColouredSelections', whatever its colour.
func TestExportWarningCounts(t *testing.T) {
	text := "The council said it accepted the findings."
	for _, tc := range []struct {
		name              string
		an                data.Annotation
		unplaced, colored int
	}{
		{name: "coloured selection", an: data.Annotation{ArticleID: 1, Start: 4, End: 11, Color: "#FF0000"}, colored: 1},
		{name: "plain selection", an: data.Annotation{ArticleID: 1, Start: 4, End: 11}},
		{name: "coloured orphan", an: data.Annotation{ArticleID: 1, Start: 4, End: 11, Color: "#FF0000", Orphaned: true}, unplaced: 1},
		{name: "coloured, past the text's end", an: data.Annotation{ArticleID: 1, Start: 4, End: 400, Color: "#FF0000"}, unplaced: 1},
		{name: "on an article not exported", an: data.Annotation{ArticleID: 2, Start: 4, End: 11, Color: "#FF0000"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := &data.ExportData{Articles: []data.Article{{ID: 1, Text: text}}, Annotations: []data.Annotation{tc.an}}
			if u, c := UnplacedAnnotations(d), ColouredSelections(d); u != tc.unplaced || c != tc.colored {
				t.Errorf("unplaced %d, coloured %d; want %d, %d", u, c, tc.unplaced, tc.colored)
			}
		})
	}
}
