package ingest

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parallax-research/parallax/data"
)

// writeFile writes a test fixture, creating its folder.
func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReadManifest(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, filepath.Join(dir, "manifest.csv"), "\uFEFF"+
		"File,Outlet,date,title,url,author,notes,Coder,\r\n"+
		"a.txt,BBC News,2021-09,Title A,https://bbc.co.uk/a,Jane Doe,\"multi-line\r\nnote, with comma\",KM,\r\n"+
		"sub/b.txt,ITV News,2023-01-31,,,,,,\r\n"+
		",,,,,,,,\r\n")
	m, err := ReadManifest(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Rows) != 2 {
		t.Fatalf("got %d rows, want 2 (the blank row skipped)", len(m.Rows))
	}

	a, ok := m.Lookup(filepath.Join(dir, "a.txt"))
	if !ok {
		t.Fatal("Lookup(a.txt) found nothing")
	}
	wantMeta := data.Meta{Outlet: "BBC News", Date: data.MustParseDate("2021-09"), Title: "Title A", URL: "https://bbc.co.uk/a", Author: "Jane Doe"}
	if a.Meta != wantMeta || a.Meta.Date.Precision != data.PrecisionMonth {
		t.Errorf("row a meta = %+v, want %+v", a.Meta, wantMeta)
	}
	wantAttrs := map[string]string{"notes": "multi-line\nnote, with comma", "Coder": "KM"}
	if !maps.Equal(a.Attributes, wantAttrs) {
		t.Errorf("row a attributes = %q, want %q", a.Attributes, wantAttrs)
	}
	if a.Line != 2 {
		t.Errorf("row a line = %d, want 2", a.Line)
	}

	// The second row starts on CSV line 4: the quoted note spans two lines.
	b, ok := m.Lookup(filepath.Join(dir, "sub", ".", "b.txt"))
	if !ok || b.Line != 4 || b.Meta.Outlet != "ITV News" || b.Attributes != nil {
		t.Errorf("row b = %+v, %v; want line 4, outlet ITV News, no attributes", b, ok)
	}

	// Relative paths are resolved from the working directory, as a
	// command-line argument would be.
	t.Chdir(dir)
	if _, ok := m.Lookup("./sub/../a.txt"); !ok {
		t.Error("Lookup of a relative path found nothing")
	}
	if _, ok := m.Lookup("c.txt"); ok {
		t.Error("Lookup of an unlisted file found a row")
	}
	var nilManifest *Manifest
	if _, ok := nilManifest.Lookup("a.txt"); ok {
		t.Error("Lookup on a nil manifest found a row")
	}
}

func TestReadManifestSeparatorsAndEncodings(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, content, wantTitle string
	}{
		{"semicolons", "file;title\na.txt;Caf\u00e9, bar\n", "Caf\u00e9, bar"},
		{"tabs", "file\ttitle\na.txt\tIt\u2019s\n", "It\u2019s"},
		{"windows-1252 from Excel", "file,title\na.txt,It\x92s a \x93caf\xe9\x94\n", "It\u2019s a \u201ccaf\u00e9\u201d"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ReadManifest(writeFile(t, filepath.Join(dir, tt.name+".csv"), tt.content))
			if err != nil {
				t.Fatal(err)
			}
			row, ok := m.Lookup(filepath.Join(dir, "a.txt"))
			if !ok || row.Meta.Title != tt.wantTitle {
				t.Errorf("row = %+v, %v; want title %q", row, ok, tt.wantTitle)
			}
		})
	}
}

// manifestErrorCases feeds TestReadManifestErrors and seeds
// FuzzParseManifest.
var manifestErrorCases = []struct {
	name    string
	content string
	want    []string // each must appear in the error
}{
	{
		name:    "bad date names the CSV line",
		content: "file,date,notes\na.txt,2021-09,\"two\nlines\"\nb.txt,2021-13,\n",
		want:    []string{`manifest.csv:4: date "2021-13": month out of range`},
	},
	{
		name:    "every problem is reported",
		content: "file,date\na.txt,2021-02-30\n,2021\na.txt,2021\nc.txt,2021,extra\n",
		want: []string{
			`manifest.csv:2: date "2021-02-30": no such day`,
			"manifest.csv:3: no file name",
			"manifest.csv:4: a.txt is already listed on line 2",
			"manifest.csv:5: 3 fields, but the header has 2 columns",
		},
	},
	{name: "no file column", content: "name,outlet\na.txt,BBC\n", want: []string{`manifest.csv:1: no "file" column in the header (found "name", "outlet")`}},
	{name: "two outlet columns", content: "file,outlet,source\n", want: []string{`manifest.csv:1: columns "outlet" and "source" both give the outlet`}},
	{name: "duplicate column", content: "file,notes,Notes\n", want: []string{`manifest.csv:1: column "Notes" appears twice`}},
	{name: "csv syntax", content: "file,title\na.txt,ok\nb.txt,\"unclosed\n", want: []string{"manifest.csv:3: column"}},
	{name: "empty", content: "", want: []string{"manifest.csv: empty file"}},
	{name: "binary", content: "file\x00\x01", want: []string{"manifest.csv: binary file"}},
}

func TestReadManifestErrors(t *testing.T) {
	for _, tt := range manifestErrorCases {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, filepath.Join(t.TempDir(), "manifest.csv"), tt.content)
			_, err := ReadManifest(path)
			if err == nil {
				t.Fatalf("ReadManifest succeeded, want errors %q", tt.want)
			}
			if data.ErrorCode(err) != data.EInvalid {
				t.Errorf("code %q, want %q", data.ErrorCode(err), data.EInvalid)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\ndoes not contain %q", err, w)
				}
			}
		})
	}
	_, err := ReadManifest(filepath.Join(t.TempDir(), "nope.csv"))
	if err == nil || !strings.Contains(err.Error(), "nope.csv: no such file") {
		t.Errorf("missing manifest: err = %v", err)
	}
}

// FuzzParseManifest: any sheet is read without panicking, and one that is
// accepted has rows that each name a file, once, absolute and cleaned,
// and that Lookup finds; one that is refused says where.
func FuzzParseManifest(f *testing.F) {
	for _, c := range manifestErrorCases {
		f.Add(c.content)
	}
	for _, s := range []string{
		"File,Outlet,date,title,url,author,notes,Coder,\r\na.txt,BBC News,2021-09,Title A,https://bbc.co.uk/a,Jane Doe,\"multi-line\r\nnote, with comma\",KM,\r\nsub/b.txt,ITV News,2023-01-31,,,,,,\r\n,,,,,,,,\r\n",
		"file;title\na.txt;Café, bar\n",
		"file\ttitle\na.txt\tIt’s\n",
		"filename,published\n../up.txt,2021-09-14T08:00:00Z\n/abs/c.txt,2021\n./a.txt,\n",
	} {
		f.Add(s)
	}
	dir, err := filepath.Abs("testdata")
	if err != nil {
		f.Fatal(err)
	}
	const path = "manifest.csv"
	f.Fuzz(func(t *testing.T, text string) {
		m, err := parseManifest(text, path, dir)
		if err != nil {
			if data.ErrorCode(err) != data.EInvalid || !strings.HasPrefix(err.Error(), path+":") {
				t.Fatalf("refused with %q (code %q), want an invalid-input error naming %s", err, data.ErrorCode(err), path)
			}
			return
		}
		seen := map[string]bool{}
		for _, row := range m.Rows {
			if row.File == "" || !filepath.IsAbs(row.File) || filepath.Clean(row.File) != row.File {
				t.Fatalf("line %d: file %q is not a cleaned absolute path", row.Line, row.File)
			}
			if seen[row.File] {
				t.Fatalf("line %d: %s listed twice", row.Line, row.File)
			}
			seen[row.File] = true
			if got, ok := m.Lookup(row.File); !ok || got.Line != row.Line {
				t.Fatalf("line %d: Lookup(%q) = line %d, %v", row.Line, row.File, got.Line, ok)
			}
		}
	})
}

// TestManifestRowCap: rows are counted as CSV records, not lines, so a
// sheet under the row cap whose notes span lines is read, and one over it
// is refused with a message naming it.
func TestManifestRowCap(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, rows int) string {
		var b strings.Builder
		b.WriteString("file,notes\n")
		for i := range rows {
			fmt.Fprintf(&b, "f%d.txt,\"first line\nsecond line\"\n", i)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	p := write("under.csv", maxManifestRows/2+10) // more lines than the cap
	m, err := ReadManifest(p)
	if err != nil || len(m.Rows) != maxManifestRows/2+10 {
		t.Fatalf("sheet under the cap: err %v", err)
	}
	p = write("over.csv", maxManifestRows+1)
	if _, err := ReadManifest(p); err == nil || !strings.HasPrefix(err.Error(), p+": more than 250000 rows") {
		t.Fatalf("sheet over the cap: err %v", err)
	}
}
