package refi

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/data/storetest"
)

// A producer convention: how a tool writes a project. Each test project is
// written the way that tool writes one (the unit its positions count, its
// codebook habits), imported, exported by Parallax, and imported again;
// every coding must cover the same characters each time, and every code
// keep its codability, colour (or lack of one) and name.
type convention struct {
	name, origin string
	// unit counts a prefix of the raw text as the producer does.
	unit func(prefix string) int
	// text is the source as the tool stores it (CRLF line ends and all).
	text     string
	codebook string // the <CodeBook> element
	users    string // the <Users> element, or ""
	sels     []convSel
	// codes: GUID -> name, category, colour as Parallax must keep them.
	codes map[string]convCode
	// unit the import summary must report for the source.
	wantUnit string
}

type convSel struct {
	guid, passage string
	// name is written as the selection's name attribute ("" for none);
	// "=" writes the passage itself, as QualCoder does.
	name  string
	codes []string // code GUIDs
	user  string   // creatingUser GUID
	coder string   // the coder Parallax must record
	// pos, if set, are the positions written instead of the passage's.
	pos *[2]int
}

type convCode struct {
	name     string
	category bool
	color    string
}

func codePoints(prefix string) int { return len([]rune(prefix)) }
func utf16Units(prefix string) int { return len(utf16.Encode([]rune(prefix))) }
func utf8Bytes(prefix string) int  { return len(prefix) }

func (c convention) qde(t *testing.T) string {
	t.Helper()
	var sels strings.Builder
	for _, s := range c.sels {
		i := strings.Index(c.text, s.passage)
		if i < 0 {
			t.Fatalf("%s: %q not in the text", c.name, s.passage)
		}
		start, end := c.unit(c.text[:i]), c.unit(c.text[:i+len(s.passage)])
		if s.pos != nil {
			start, end = s.pos[0], s.pos[1]
		}
		name := s.name
		if name == "=" {
			name = s.passage
		}
		attr := ""
		if name != "" {
			attr = fmt.Sprintf(` name=%q`, name)
		}
		if s.user != "" {
			attr += fmt.Sprintf(` creatingUser="%s"`, s.user)
		}
		fmt.Fprintf(&sels, `<PlainTextSelection guid="%s"%s startPosition="%d" endPosition="%d" creationDateTime="2023-06-01T10:00:00Z">`, s.guid, attr, start, end)
		for k, cg := range s.codes {
			fmt.Fprintf(&sels, `<Coding guid="%s"><CodeRef targetGUID="%s"/></Coding>`, refiGUID("conv", s.guid, fmt.Sprint(k)), cg)
		}
		sels.WriteString("</PlainTextSelection>\n")
	}
	return `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="` + c.name + `" origin="` + c.origin + `">
` + c.users + c.codebook + `
<Sources><TextSource guid="0f0e0d0c-0b0a-4908-8706-050403020100" name="Interview 1" plainTextPath="internal://0f0e0d0c-0b0a-4908-8706-050403020100.txt">
` + sels.String() + `</TextSource></Sources>
</Project>`
}

var conventions = []convention{
	{
		// NVivo counts UTF-16 code units: the emoji before the selections
		// counts two, and the CRLF line ends count two each. It writes no
		// selection names and codes without colours.
		name: "NVivo", origin: "NVivo 12 Pro (12.6.1.970)", unit: utf16Units,
		text: "Interviewer: How was the inspection? 🙂\r\nParent: It was a shock 😱 honestly.\r\n\r\nParent: The staff were leaving every month.\r\n",
		users: `<Users><User guid="7a1b2c3d-0000-4000-8000-000000000001" name="Ana"/><User guid="7a1b2c3d-0000-4000-8000-000000000002" name="Ben"/></Users>
`,
		codebook: `<CodeBook><Codes>
<Code guid="a0000000-0000-4000-8000-000000000001" name="Emotion" isCodable="true">
  <Code guid="a0000000-0000-4000-8000-000000000002" name="Shock" isCodable="true"/>
</Code>
<Code guid="a0000000-0000-4000-8000-000000000003" name="consent / IRB" isCodable="true" color="#1F77B4"/>
<Code guid="a0000000-0000-4000-8000-000000000004" name="Staffing" isCodable="true"/>
</Codes></CodeBook>`,
		sels: []convSel{
			{guid: "b0000000-0000-4000-8000-000000000001", passage: "It was a shock 😱 honestly.", codes: []string{"a0000000-0000-4000-8000-000000000002"},
				user: "7a1b2c3d-0000-4000-8000-000000000001", coder: "Ana"},
			{guid: "b0000000-0000-4000-8000-000000000002", passage: "The staff were leaving every month.", codes: []string{"a0000000-0000-4000-8000-000000000004", "a0000000-0000-4000-8000-000000000003"},
				user: "7a1b2c3d-0000-4000-8000-000000000002", coder: "Ben"},
			{guid: "b0000000-0000-4000-8000-000000000003", passage: "shock", codes: []string{"a0000000-0000-4000-8000-000000000002"},
				user: "7a1b2c3d-0000-4000-8000-000000000002", coder: "Ben"},
		},
		codes: map[string]convCode{
			"a0000000-0000-4000-8000-000000000001": {"Emotion", false, ""},
			"a0000000-0000-4000-8000-000000000002": {"Shock", false, ""},
			"a0000000-0000-4000-8000-000000000003": {"consent / IRB", false, "#1F77B4"},
			"a0000000-0000-4000-8000-000000000004": {"Staffing", false, ""},
		},
		wantUnit: "UTF-16 code units",
	},
	{
		// QualCoder counts code points, names each selection by its text,
		// and writes its categories as codes that are not codable, whose
		// children may share names with other categories' children.
		name: "QualCoder", origin: "QualCoder 3.6", unit: codePoints,
		text: "Q: Any worries?\nA: Honestly 🎉 none, the nursery is great.\nA: But the fees went up, and that worried us.\n",
		users: `<Users><User guid="7a1b2c3d-0000-4000-8000-0000000000c1" name="default"/></Users>
`,
		codebook: `<CodeBook><Codes>
<Code guid="c0000000-0000-4000-8000-000000000001" name="Staff" isCodable="false" color="#FF9900">
  <Code guid="c0000000-0000-4000-8000-000000000002" name="Positive" isCodable="true" color="#00AA00"><Description>Praise for staff</Description></Code>
</Code>
<Code guid="c0000000-0000-4000-8000-000000000003" name="Costs" isCodable="false">
  <Code guid="c0000000-0000-4000-8000-000000000004" name="Positive" isCodable="true"/>
  <Code guid="c0000000-0000-4000-8000-000000000005" name="Negative" isCodable="true" color="#CC0000"/>
</Code>
</Codes></CodeBook>`,
		sels: []convSel{
			{guid: "d0000000-0000-4000-8000-000000000001", passage: "none, the nursery is great.", name: "=", codes: []string{"c0000000-0000-4000-8000-000000000002"},
				user: "7a1b2c3d-0000-4000-8000-0000000000c1", coder: "default"},
			{guid: "d0000000-0000-4000-8000-000000000002", passage: "the fees went up, and that worried us.", name: "=", codes: []string{"c0000000-0000-4000-8000-000000000005"},
				user: "7a1b2c3d-0000-4000-8000-0000000000c1", coder: "default"},
		},
		codes: map[string]convCode{
			"c0000000-0000-4000-8000-000000000001": {"Staff", true, "#FF9900"},
			"c0000000-0000-4000-8000-000000000002": {"Positive", false, "#00AA00"},
			"c0000000-0000-4000-8000-000000000003": {"Costs", true, ""},
			"c0000000-0000-4000-8000-000000000004": {"Positive", false, ""},
			"c0000000-0000-4000-8000-000000000005": {"Negative", false, "#CC0000"},
		},
		wantUnit: "code points",
	},
	{
		// ATLAS.ti: quotations named by their first words and an
		// ellipsis, positions in UTF-16 after an emoji, colours on every
		// code, a code group as a category.
		name: "ATLAS.ti", origin: "ATLAS.ti 23.2.1", unit: utf16Units,
		text: "Field note 🗒️ 12 May.\nThe manager said inspections were “rushed and unfair”. Staff agreed.\n",
		codebook: `<CodeBook><Codes>
<Code guid="e0000000-0000-4000-8000-000000000001" name="Inspection" isCodable="false" color="#336699">
  <Code guid="e0000000-0000-4000-8000-000000000002" name="Criticism" isCodable="true" color="#993333"/>
</Code>
<Code guid="e0000000-0000-4000-8000-000000000003" name="Voice: manager" isCodable="true" color="#999999"/>
</Codes></CodeBook>`,
		sels: []convSel{
			{guid: "f0000000-0000-4000-8000-000000000001", passage: "The manager said inspections were “rushed and unfair”.", name: "The manager said inspections...",
				codes: []string{"e0000000-0000-4000-8000-000000000002", "e0000000-0000-4000-8000-000000000003"}},
			{guid: "f0000000-0000-4000-8000-000000000002", passage: "Staff agreed.", name: "Staff agreed.", codes: []string{"e0000000-0000-4000-8000-000000000002"}},
		},
		codes: map[string]convCode{
			"e0000000-0000-4000-8000-000000000001": {"Inspection", true, "#336699"},
			"e0000000-0000-4000-8000-000000000002": {"Criticism", false, "#993333"},
			"e0000000-0000-4000-8000-000000000003": {"Voice: manager", false, "#999999"},
		},
		wantUnit: "UTF-16 code units",
	},
	{
		// A tool Parallax does not know that counts UTF-8 bytes: the
		// accents and the emoji before the selections move every byte
		// position, and only the bytes reading puts them between words.
		name: "bytes", origin: "f4analyse 3", unit: utf8Bytes,
		text:     "Café owner Zoë: “We’re closing 😢 next week.” Nobody from the council replied.\n",
		codebook: `<CodeBook><Codes><Code guid="e1000000-0000-4000-8000-000000000001" name="Closure" isCodable="true"/></Codes></CodeBook>`,
		sels: []convSel{
			{guid: "f1000000-0000-4000-8000-000000000001", passage: "next week", codes: []string{"e1000000-0000-4000-8000-000000000001"}},
			{guid: "f1000000-0000-4000-8000-000000000002", passage: "Nobody from the council replied.", codes: []string{"e1000000-0000-4000-8000-000000000001"}},
		},
		codes:    map[string]convCode{"e1000000-0000-4000-8000-000000000001": {"Closure", false, ""}},
		wantUnit: "bytes (UTF-8)",
	},
}

func writeConvention(t *testing.T, c convention) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), strings.ReplaceAll(c.name, ".", "")+".qdpx")
	z := refiZip(t, refiZipEntry{name: "project.qde", data: []byte(c.qde(t))},
		refiZipEntry{name: "sources/0f0e0d0c-0b0a-4908-8706-050403020100.txt", data: []byte(c.text)})
	if err := os.WriteFile(p, z, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// checkConvention checks a store holds c's codings on their passages with
// their coders, and c's codes as they were.
func checkConvention(t *testing.T, stage string, s *data.Store, c convention) {
	t.Helper()
	ctx := context.Background()
	codes, err := s.Codes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byGUID := map[string]data.Code{}
	for _, k := range codes {
		byGUID[k.GUID] = k
	}
	for g, want := range c.codes {
		got, ok := byGUID[g]
		if !ok {
			t.Errorf("%s: code %s (%s) missing", stage, g, want.name)
			continue
		}
		if got.Name != want.name || got.Category != want.category || got.Color != want.color {
			t.Errorf("%s: code %s = %q category %v colour %q; want %q %v %q", stage, g, got.Name, got.Category, got.Color, want.name, want.category, want.color)
		}
	}
	if len(codes) != len(c.codes) {
		t.Errorf("%s: %d codes, want %d", stage, len(codes), len(c.codes))
	}
	anns, err := s.Annotations(ctx, data.AnnotationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]data.Annotation{}
	for _, a := range anns {
		got[a.GUID] = a
	}
	for _, sel := range c.sels {
		a, ok := got[sel.guid]
		if !ok {
			t.Errorf("%s: selection %s missing", stage, sel.guid)
			continue
		}
		art, err := s.Article(ctx, a.ArticleID)
		if err != nil {
			t.Fatal(err)
		}
		want := data.NormalizeText(sel.passage)
		if a.Orphaned || a.Exact != want || string([]rune(art.Text)[a.Start:a.End]) != want {
			t.Errorf("%s: selection %s covers %q (orphaned %v), want %q", stage, sel.guid, a.Exact, a.Orphaned, want)
		}
		var gs []string
		for _, id := range a.CodeIDs {
			for _, k := range codes {
				if k.ID == id {
					gs = append(gs, k.GUID)
				}
			}
		}
		if len(gs) != len(sel.codes) {
			t.Errorf("%s: selection %s has codes %v, want %v", stage, sel.guid, gs, sel.codes)
		}
		if a.Creator != sel.coder {
			t.Errorf("%s: selection %s coder %q, want %q", stage, sel.guid, a.Creator, sel.coder)
		}
	}
	if len(anns) != len(c.sels) {
		t.Errorf("%s: %d annotations, want %d", stage, len(anns), len(c.sels))
	}
}

func TestProducerConventionsRoundTripSchema(t *testing.T) {
	for _, c := range conventions {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			src := storetest.Open(t)
			rep, err := Import(ctx, src, writeConvention(t, c))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("units: %+v; warnings %q", rep.Units, rep.Warnings)
			if len(rep.Units) != 1 || rep.Units[0].Unit != c.wantUnit || rep.Units[0].Orphaned != 0 || rep.Orphaned != 0 || len(rep.Warnings) != 0 {
				t.Errorf("import summary: units %+v, %d orphaned, warnings %q; want every selection read in %s", rep.Units, rep.Orphaned, rep.Warnings, c.wantUnit)
			}
			checkConvention(t, "imported", src, c)

			d, err := src.LoadExport(ctx, data.ExportScope{}, c.name)
			if err != nil {
				t.Fatal(err)
			}
			path, b := refiWriteFile(t, d)
			dir := t.TempDir()
			files := refiUnzip(t, b, dir)
			refiXMLLint(t, refiSchema(t, "Project.xsd"), filepath.Join(dir, "project.qde"))
			qde := string(files["project.qde"])
			// Users keep their GUIDs; categories stay non-codable.
			for _, sel := range c.sels {
				if sel.user != "" && !strings.Contains(qde, `guid="`+sel.user+`" name="`+sel.coder+`"`) {
					t.Errorf("export lacks user %s %s", sel.user, sel.coder)
				}
			}
			for g, k := range c.codes {
				want := fmt.Sprintf(`guid="%s" name=%q isCodable="%v"`, g, k.name, !k.category)
				if !strings.Contains(qde, want) {
					t.Errorf("export lacks %s", want)
				}
				if k.color == "" && strings.Contains(qde, `guid="`+g+`" name=`+fmt.Sprintf("%q", k.name)+` isCodable="true" color=`) {
					t.Errorf("export invented a colour for %s", k.name)
				}
			}

			dst := storetest.Open(t)
			rep, err = Import(ctx, dst, path)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Units) != 1 || rep.Units[0].Orphaned != 0 || rep.Units[0].Unit != "code points" {
				t.Errorf("re-import summary: %+v", rep.Units)
			}
			checkConvention(t, "re-imported", dst, c)
		})
	}
}

// Where the text cannot tell two units apart and the producer is not
// known, a selection the units place differently is orphaned with a
// warning; a known producer decides.
func TestUnitUndecidableOrphans(t *testing.T) {
	// After the emoji, UTF-16 positions run one ahead of code points:
	// 3–4 is "a" counted in UTF-16 and the space before it in code points;
	// both start and end between words.
	c := convention{name: "unknown", origin: "SomeTool 1", unit: utf16Units, text: "🎉 a b c",
		codebook: `<CodeBook><Codes><Code guid="e2000000-0000-4000-8000-000000000001" name="X" isCodable="true"/></Codes></CodeBook>`,
		sels:     []convSel{{guid: "f2000000-0000-4000-8000-000000000001", passage: "a", codes: []string{"e2000000-0000-4000-8000-000000000001"}}}}
	ctx := context.Background()
	s := storetest.Open(t)
	rep, err := Import(ctx, s, writeConvention(t, c))
	if err != nil {
		t.Fatal(err)
	}
	anns, _ := s.Annotations(ctx, data.AnnotationFilter{})
	if rep.Orphaned != 1 || len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], "nothing tells which") || len(anns) != 1 || !anns[0].Orphaned {
		t.Fatalf("report %+v, annotations %+v", rep, anns)
	}

	c.origin = "NVivo 14"
	s = storetest.Open(t)
	rep, err = Import(ctx, s, writeConvention(t, c))
	if err != nil {
		t.Fatal(err)
	}
	anns, _ = s.Annotations(ctx, data.AnnotationFilter{})
	if rep.Orphaned != 0 || len(anns) != 1 || anns[0].Exact != "a" || rep.Units[0].Unit != "UTF-16 code units" {
		t.Fatalf("with NVivo as producer: report %+v, annotations %+v", rep, anns)
	}

	// A selection whose name is its text is placed only where that text
	// is. Two selections name their text in UTF-16 positions, one in code
	// points: UTF-16 wins, and the third is orphaned, not moved.
	c.text = "🎉 a b c d"
	c.sels = []convSel{
		{guid: "f2000000-0000-4000-8000-000000000002", passage: "a", name: "a", pos: &[2]int{2, 3}, codes: c.sels[0].codes},
		{guid: "f2000000-0000-4000-8000-000000000003", passage: "c", name: "c", codes: c.sels[0].codes},
		{guid: "f2000000-0000-4000-8000-000000000004", passage: "d", name: "d", codes: c.sels[0].codes},
	}
	c.origin = "QualCoder 3.6" // says code points; the text says otherwise
	s = storetest.Open(t)
	rep, err = Import(ctx, s, writeConvention(t, c))
	if err != nil {
		t.Fatal(err)
	}
	anns, _ = s.Annotations(ctx, data.AnnotationFilter{})
	var placed []string
	for _, a := range anns {
		if !a.Orphaned {
			placed = append(placed, a.Exact)
		} else if a.GUID != c.sels[0].guid || a.Exact != "a" {
			t.Errorf("orphan = %+v", a)
		}
	}
	if rep.Units[0].Unit != "UTF-16 code units" || rep.Orphaned != 1 || strings.Join(placed, ",") != "c,d" ||
		len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], `its text "a" is not at positions 2–3`) {
		t.Fatalf("report %+v, placed %q", rep, placed)
	}
}

// A codebook alone (.qdc) merges into the project's codebook: by GUID,
// then by path, the rest added.
func TestImportQDC(t *testing.T) {
	ctx := context.Background()
	_, d := refiFixture(t)
	var buf bytes.Buffer
	if err := WriteQDC(&buf, d); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "codebook.qdc")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	s := storetest.Open(t)
	refiMustCode(t, s, "Findings/Scope") // matched by path, not GUID
	rep, err := Import(ctx, s, p)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Codes != 2 || rep.CodesMatched != 2 || rep.Articles != 0 || rep.Annotations != 0 {
		t.Errorf("report = %+v", rep)
	}
	codes, _ := s.Codes(ctx)
	paths := refiPaths(codes)
	if strings.Join(paths, ",") != "Findings,Findings/Scope,Findings/Severity,Tone" {
		t.Errorf("codebook after merge = %v", paths)
	}
	if _, err := Import(ctx, s, filepath.Join(t.TempDir(), "missing.qdc")); err == nil {
		t.Error("a missing .qdc imported")
	}
	bad := filepath.Join(t.TempDir(), "bad.qdc")
	os.WriteFile(bad, []byte(`<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="p"/>`), 0o644)
	if _, err := Import(ctx, s, bad); data.ErrorCode(err) != data.EInvalid || !strings.Contains(err.Error(), "not a QDA-XML codebook") {
		t.Errorf("a project named .qdc: %v", err)
	}
}

// A bare project document (.qde) reads its sources from the folder beside
// it, as a .qdpx reads them from its archive.
func TestImportQDE(t *testing.T) {
	c := conventions[1]
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "Sources"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "project.qde"), []byte(c.qde(t)), 0o644)
	os.WriteFile(filepath.Join(dir, "Sources", "0f0e0d0c-0b0a-4908-8706-050403020100.txt"), []byte(c.text), 0o644)
	s := storetest.Open(t)
	if _, err := Import(context.Background(), s, filepath.Join(dir, "project.qde")); err != nil {
		t.Fatal(err)
	}
	checkConvention(t, ".qde", s, c)

	// A link in the sources folder is refused, not followed.
	os.Remove(filepath.Join(dir, "Sources", "0f0e0d0c-0b0a-4908-8706-050403020100.txt"))
	if err := os.Symlink("/etc/passwd", filepath.Join(dir, "Sources", "0f0e0d0c-0b0a-4908-8706-050403020100.txt")); err != nil {
		t.Skip("no symbolic links here")
	}
	_, err := Import(context.Background(), storetest.Open(t), filepath.Join(dir, "project.qde"))
	if data.ErrorCode(err) != data.EInvalid || !strings.Contains(err.Error(), "not a file") {
		t.Errorf("a linked source: %v", err)
	}
}

// Two codes sharing a name under different parents can be written with
// qualified names for QualCoder.
func TestQualifyNames(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	refiMustCode(t, s, "Staff/Positive")
	refiMustCode(t, s, "Costs/Positive")
	d, err := s.LoadExport(ctx, data.ExportScope{}, "p")
	if err != nil {
		t.Fatal(err)
	}
	if n := data.SharedNames(d.Codes); len(n["Positive"]) != 2 {
		t.Fatalf("shared names = %v", n)
	}
	var plain, qualified bytes.Buffer
	WriteQDC(&plain, d)
	d.QualifyNames = true
	WriteQDC(&qualified, d)
	if strings.Count(plain.String(), `name="Positive"`) != 2 {
		t.Errorf("names changed without asking:\n%s", plain.String())
	}
	if !strings.Contains(qualified.String(), `name="Positive (Staff)"`) || !strings.Contains(qualified.String(), `name="Positive (Costs)"`) {
		t.Errorf("qualified names missing:\n%s", qualified.String())
	}
}

// Sets and variable types of another tool's project come back when the
// project is exported again: the set with its members, a Date variable as
// a Date with its values in DateValue (valid against Project.xsd).
func TestSetsAndVariableTypesRoundTripSchema(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	p := filepath.Join(t.TempDir(), "external.qdpx")
	if err := os.WriteFile(p, externalQDPX(t), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Import(ctx, s, p); err != nil {
		t.Fatal(err)
	}
	d, err := s.LoadExport(ctx, data.ExportScope{}, "again")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Sets) != 1 || d.Sets[0].Name != "Press" || len(d.Sets[0].Articles) != 1 {
		t.Fatalf("sets = %+v", d.Sets)
	}
	_, b := refiWriteFile(t, d)
	dir := t.TempDir()
	files := refiUnzip(t, b, dir)
	refiXMLLint(t, refiSchema(t, "Project.xsd"), filepath.Join(dir, "project.qde"))
	qde := string(files["project.qde"])
	for _, want := range []string{`<Set guid="5a394b5c-6d7e-48f9-8a0b-1c2d3e4f5061" name="Press">`, `name="Published" typeOfVariable="Date"`,
		`<DateValue>2023-05-02</DateValue>`} {
		if !strings.Contains(qde, want) {
			t.Errorf("export lacks %s", want)
		}
	}
	// A value that is no longer a date makes the variable text again.
	d.Articles[0].Attributes["Published"] = "spring 2023"
	_, b = refiWriteFile(t, d)
	if qde := string(refiUnzip(t, b, t.TempDir())["project.qde"]); !strings.Contains(qde, `name="Published" typeOfVariable="Text"`) {
		t.Error("a non-date value kept the Date type")
	}
	// Importing into the project again keeps one set, not two.
	if _, err := Import(ctx, s, p); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.LoadExport(ctx, data.ExportScope{}, ""); len(d.Sets) != 1 || len(d.Sets[0].Articles) != 1 {
		t.Errorf("after a second import: %+v", d.Sets)
	}
}
