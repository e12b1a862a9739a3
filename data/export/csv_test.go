package export

import (
	"bytes"
	"encoding/csv"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// readCSVStrict parses out as RFC 4180 with a fixed number of fields per
// record and no lenient quoting, as a careful consumer would.
func readCSVStrict(t *testing.T, out []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(out))
	r.FieldsPerRecord = 0 // fixed: every record as long as the header
	r.LazyQuotes = false
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("output is not strict CSV: %v\n%s", err, out)
	}
	return recs
}

// checkCRLF checks that every line ends in CRLF, so a file never mixes
// line ends (a newline inside a quoted note included).
func checkCRLF(t *testing.T, out []byte) {
	t.Helper()
	if !bytes.HasSuffix(out, []byte("\r\n")) {
		t.Error("output does not end with CRLF")
	}
	if n, m := bytes.Count(out, []byte("\n")), bytes.Count(out, []byte("\r\n")); n != m {
		t.Errorf("%d line feeds but %d CRLFs: line ends are mixed", n, m)
	}
}

// byHeader maps a record's cells by column name.
func byHeader(head, rec []string) map[string]string {
	m := make(map[string]string, len(head))
	for i, h := range head {
		m[h] = rec[i]
	}
	return m
}

func TestWriteAnnotationsCSV(t *testing.T) {
	d := exportFixture(t)
	var buf bytes.Buffer
	if err := WriteAnnotationsCSV(&buf, d); err != nil {
		t.Fatal(err)
	}
	checkCRLF(t, buf.Bytes())
	recs := readCSVStrict(t, buf.Bytes())
	wantHead := "annotation_id,article_id,outlet,date,title,url,code_path,start,end,text,note,color,created,modified"
	if got := strings.Join(recs[0], ","); got != wantHead {
		t.Fatalf("header = %s", got)
	}
	// Four annotations; the first has two codes, so five rows.
	if len(recs) != 1+5 {
		t.Fatalf("%d rows, want header + 5", len(recs))
	}
	rows := make([]map[string]string, 0, len(recs)-1)
	for _, r := range recs[1:] {
		rows = append(rows, byHeader(recs[0], r))
	}
	codesOf := map[string][]string{}
	for _, r := range rows {
		codesOf[r["text"]] = append(codesOf[r["text"]], r["code_path"])
	}
	if got := strings.Join(codesOf["widespread and serious failures"], ";"); got != "Findings/Severity;Framing" {
		t.Errorf("two-code annotation rows: %q", got)
	}
	if got := codesOf["Café staff 😀"]; len(got) != 1 || got[0] != "" {
		t.Errorf("uncoded annotation rows: %q", got)
	}
	if got := codesOf["We will act now."]; len(got) != 1 || got[0] != "Findings/Severity/Systemic" {
		t.Errorf("nested code path: %q", got)
	}
	start, end := runeSpan(t, fxTA, "1,400")
	for _, r := range rows {
		if r["text"] != "1,400" {
			continue
		}
		want := map[string]string{
			"outlet": "Telegraph & Argus", "date": "2023-11", "url": "",
			// Formulas are neutralised, the rest of the cell kept exactly.
			"title": `'=HYPERLINK("http://x")`,
			"note":  "'=1+1 differs from the BBC's 1,365\n@SUM(A1)",
			"start": strconv.Itoa(start), "end": strconv.Itoa(end), "color": "#F6B73C",
			"created": "2024-03-01T09:30:00Z", "modified": "2024-03-01T09:30:00Z",
		}
		for k, v := range want {
			if r[k] != v {
				t.Errorf("%s = %q, want %q", k, r[k], v)
			}
		}
	}
	for _, r := range rows {
		for k, v := range r {
			if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
				t.Errorf("cell %s = %q could run as a formula", k, v)
			}
		}
	}
}

func TestWriteQuotesCSV(t *testing.T) {
	d := exportFixture(t)
	var buf bytes.Buffer
	if err := WriteQuotesCSV(&buf, d); err != nil {
		t.Fatal(err)
	}
	checkCRLF(t, buf.Bytes())
	recs := readCSVStrict(t, buf.Bytes())
	wantHead := "cluster_id,kind,speaker,status,reference_outlet,reference_text," +
		"BBC News,BBC News relation,ITV News,ITV News relation,Telegraph & Argus,Telegraph & Argus relation"
	if got := strings.Join(recs[0], ","); got != wantHead {
		t.Fatalf("header = %s", got)
	}
	if len(recs) != 1+3 {
		t.Fatalf("%d rows, want header + 3 clusters", len(recs))
	}
	fragment := byHeader(recs[0], recs[1])
	for k, v := range map[string]string{
		"kind": "quote", "speaker": "Ofsted", "status": "diverge",
		"reference_outlet": "BBC News", "reference_text": "widespread and serious failures",
		"BBC News": "widespread and serious failures", "BBC News relation": "reference",
		"Telegraph & Argus": "serious failures", "Telegraph & Argus relation": "fragment",
		"ITV News": "", "ITV News relation": "",
	} {
		if fragment[k] != v {
			t.Errorf("fragment cluster %s = %q, want %q", k, fragment[k], v)
		}
	}
	if got := byHeader(recs[0], recs[2])["Telegraph & Argus relation"]; got != "fragment+figures-differ" {
		t.Errorf("figures cluster relation = %q", got)
	}
	if got := byHeader(recs[0], recs[3])["BBC News"]; got != "We will act on this now." {
		t.Errorf("insertion cluster BBC version = %q", got)
	}
}

// TestQuotesCSVHostileAndRepeated uses hand-made data: exporters are pure
// functions of ExportData, so a formula in an outlet or speaker, and an
// outlet carrying a passage twice, need no store.
func TestQuotesCSVHostileAndRepeated(t *testing.T) {
	d := &data.ExportData{Clusters: []data.Cluster{{ID: 7, Kind: "quote", Status: "agree", Speaker: "@SUM(1)", Members: []data.ClusterMember{
		{ArticleID: 1, Outlet: "-Evil", Text: "+1 said", Reference: true},
		{ArticleID: 2, Outlet: "Daily", Text: "one, said", Relations: []vocab.Relation{"normalized"}},
		{ArticleID: 3, Outlet: "Daily", Text: "\tsaid", Relations: []vocab.Relation{"fragment", "verbatim"}},
		{ArticleID: 4, Outlet: "", Text: "said", Relations: []vocab.Relation{"fragment", "from-the-future"}},
		{ArticleID: 5, Outlet: " ", Text: "said,", Relations: []vocab.Relation{"normalized"}},
	}}}}
	var buf bytes.Buffer
	if err := WriteQuotesCSV(&buf, d); err != nil {
		t.Fatal(err)
	}
	recs := readCSVStrict(t, buf.Bytes())
	if len(recs) != 2 {
		t.Fatalf("%d records", len(recs))
	}
	// Articles without an outlet are each their own source (issue 10), never
	// pooled into one "unknown outlet" column.
	want := []string{"7", "quote", "'@SUM(1)", "agree", "'-Evil", "'+1 said",
		"said", "fragment+from-the-future", "said,", "normalized",
		"'+1 said", "reference", "one, said || \tsaid", "normalized || verbatim+fragment"}
	head := []string{"cluster_id", "kind", "speaker", "status", "reference_outlet", "reference_text",
		"(no outlet) #4", "(no outlet) #4 relation", "(no outlet) #5", "(no outlet) #5 relation",
		"'-Evil", "'-Evil relation", "Daily", "Daily relation"}
	if strings.Join(recs[0], "|") != strings.Join(head, "|") {
		t.Errorf("header = %q\nwant     %q", recs[0], head)
	}
	if strings.Join(recs[1], "|") != strings.Join(want, "|") {
		t.Errorf("row = %q\nwant  %q", recs[1], want)
	}
}

func TestFormulaSafe(t *testing.T) {
	for in, want := range map[string]string{
		"":                       "",
		"plain":                  "plain",
		"=1+1":                   "'=1+1",
		"+44 20":                 "'+44 20",
		"-5%":                    "'-5%",
		"@cmd":                   "'@cmd",
		"\t=1":                   "'\t=1",
		"\r=1":                   "'\r=1",
		`=HYPERLINK("http://x")`: `'=HYPERLINK("http://x")`,
		"a=1":                    "a=1",
		"’=quote":                "’=quote",
	} {
		if got := FormulaSafe(in); got != want {
			t.Errorf("FormulaSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEmptyCSVExportsHaveHeaders(t *testing.T) {
	for name, write := range map[string]func(*bytes.Buffer) error{
		"csv":        func(b *bytes.Buffer) error { return WriteAnnotationsCSV(b, &data.ExportData{}) },
		"quotes-csv": func(b *bytes.Buffer) error { return WriteQuotesCSV(b, &data.ExportData{}) },
	} {
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			t.Fatal(err)
		}
		if recs := readCSVStrict(t, buf.Bytes()); len(recs) != 1 {
			t.Errorf("%s: %d records, want the header alone", name, len(recs))
		}
	}
}

// TestWriteMatrixCSV: the outlet matrix as the screen hands it over, with
// hostile names neutralised, a cell for every outlet and CRLF line ends.
func TestWriteMatrixCSV(t *testing.T) {
	var buf bytes.Buffer
	rows := []MatrixRow{
		{Cluster: 7, Kind: "quote", Speaker: `=HYPERLINK("http://x")`, Status: "diverge", Cells: []string{"reference", "", "verbatim+misattributed"}},
		{Cluster: 3, Kind: "finding", Status: "agree", Cells: []string{"", "reference"}},
	}
	if err := WriteMatrixCSV(&buf, []string{"@Evil News", "BBC News", "ITV"}, rows); err != nil {
		t.Fatal(err)
	}
	checkCRLF(t, buf.Bytes())
	recs := readCSVStrict(t, buf.Bytes())
	want := [][]string{
		{"cluster", "kind", "speaker", "status", "'@Evil News", "BBC News", "ITV"},
		{"7", "quote", `'=HYPERLINK("http://x")`, "diverge", "reference", "", "verbatim+misattributed"},
		{"3", "finding", "", "agree", "", "reference", ""},
	}
	if !reflect.DeepEqual(recs, want) {
		t.Fatalf("records\n%q\nwant\n%q", recs, want)
	}
	if err := WriteMatrixCSV(failingWriter{}, nil, rows); !errors.Is(err, errDiskFull) {
		t.Fatalf("a failed write: %v", err)
	}
}

// TestCSVLineBreakLedFormula: a note that starts with a line break reaches
// the file as a cell starting with CR (the writer turns "\n" into CRLF),
// which some spreadsheets skip before reading a formula; the cell, as a
// consumer reads it back, must still start with the apostrophe.
func TestCSVLineBreakLedFormula(t *testing.T) {
	for _, note := range []string{"\n=1+1", "\r\n=1+1", "\r=1+1"} {
		d := &data.ExportData{
			Articles:    []data.Article{{ID: 1, Text: "Some text here."}},
			Annotations: []data.Annotation{{ID: 1, ArticleID: 1, Start: 0, End: 4, Exact: "Some", Note: note}},
		}
		var buf bytes.Buffer
		if err := WriteAnnotationsCSV(&buf, d); err != nil {
			t.Fatal(err)
		}
		recs := readCSVStrict(t, buf.Bytes())
		got := byHeader(recs[0], recs[1])["note"]
		if !strings.HasPrefix(got, "'") {
			t.Errorf("note %q exported as %q: not neutralised", note, got)
		}
	}
}
