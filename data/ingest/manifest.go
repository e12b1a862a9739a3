package ingest

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/parallax-research/parallax/data"
)

// maxManifestBytes bounds a manifest: a sheet for a hundred thousand
// articles with long notes is a few tens of megabytes.
const maxManifestBytes = 256 << 20

// maxManifestRows bounds a manifest's rows, one per article file. Each
// row kept costs, with the maps that find it, 700 to 800 bytes at peak (a
// million short rows took 777 MB), and a sheet of 250 MB of short rows (16
// million) ran out of memory past 6 GB. A quarter of a million files is
// more than a researcher imports at once (the largest projects measured
// hold 100,000 articles), and a sheet at the cap takes about 200 MB.
const maxManifestRows = 250_000

// Manifest is a researcher's metadata sheet: a CSV file with one row per
// article file, giving what the files themselves often do not state
// (outlet, date, title) plus any notes the researcher keeps.
type Manifest struct {
	// Path is the manifest file as given to ReadManifest; messages name it.
	Path string
	// Rows are in file order.
	Rows   []ManifestRow
	byFile map[string]int // cleaned absolute file -> index in Rows
}

// ManifestRow is one article's row of a manifest.
type ManifestRow struct {
	// Line is the CSV line the row starts on, for messages.
	Line int
	// File is the article file, absolute and cleaned.
	File string
	Meta data.Meta
	// Attributes are the row's non-empty cells in columns other than the
	// standard ones, keyed by column name as written in the header.
	Attributes map[string]string
}

// manifestColumns maps lower-cased header names to the field they fill.
// Column names follow the text header's keys so a researcher learns one
// vocabulary.
var manifestColumns = map[string]string{
	"file": "file", "filename": "file", "path": "file",
	"title":  "title",
	"outlet": "outlet", "source": "outlet", "publisher": "outlet",
	"date": "date", "published": "date",
	"url":    "url",
	"author": "author", "byline": "author",
}

// ReadManifest reads a manifest. It is CSV with a header row that must
// have a "file" (or "filename" or "path") column; outlet, date, title, url and author columns fill
// the article's metadata, and every other named column becomes an article
// attribute (empty cells are left out). File names are relative to the
// manifest's folder, with "/" accepted on every system.
//
// The file is decoded like a text article (UTF-8 with or without a
// byte-order mark, or Windows-1252), because Excel on Windows saves CSV in
// Windows-1252. A header without commas but with semicolons or tabs, as
// Excel writes in many European locales, sets the separator.
//
// Problems are reported together, each as "PATH:LINE: ...", so a
// researcher can fix the sheet in one pass. ReadManifest does not check
// that the files exist; the Importer reports missing ones.
func ReadManifest(path string) (*Manifest, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fileErr(path, err)
	}
	if fi.Size() > maxManifestBytes {
		return nil, fmt.Errorf("%s: %w", path, data.Errorf(data.EInvalid, "%s is too large for a manifest", formatSize(fi.Size())))
	}
	if err := countManifestRows(path); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fileErr(path, err)
	}
	text, err := DecodeText(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, fileErr(path, err)
	}
	return parseManifest(text, path, dir)
}

// countManifestRows refuses a sheet of more than maxManifestRows rows
// before it is read into memory. It streams the file: its lines first,
// and only when there are more lines than the cap, its CSV records (a
// quoted note may span lines), which it reads into one reused record. The
// separators, quotes and line ends it needs are the same bytes in UTF-8
// and Windows-1252; a sheet it cannot count is left to ReadManifest,
// which reports its problems.
func countManifestRows(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fileErr(path, err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	lines := 0
	for {
		chunk, err := br.ReadSlice('\n')
		if len(chunk) > 0 && chunk[len(chunk)-1] == '\n' {
			lines++
		}
		if err == io.EOF {
			break
		}
		if err != nil && err != bufio.ErrBufferFull {
			return fileErr(path, err)
		}
	}
	if lines <= maxManifestRows+1 { // the header and the cap
		return nil
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fileErr(path, err)
	}
	br.Reset(f)
	head, _ := br.Peek(64 << 10)
	r := csv.NewReader(br)
	r.Comma = sniffComma(string(head))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = true
	for rows := -1; ; rows++ { // -1: the header is not a row
		if _, err := r.Read(); err != nil {
			return nil
		}
		if rows >= maxManifestRows {
			return fmt.Errorf("%s: %w", path, data.Errorf(data.EInvalid,
				"more than %d rows, one per article file, which is more than one import takes: split the folder and its sheet", maxManifestRows))
		}
	}
}

func parseManifest(text, path, dir string) (*Manifest, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = sniffComma(text)
	r.FieldsPerRecord = -1 // ragged rows get a clearer message below
	header, err := r.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: %w", path, data.Errorf(data.EInvalid, "empty manifest"))
	}
	if err != nil {
		return nil, csvErr(path, err)
	}

	var probs problems
	fields := make([]string, len(header)) // "" = attribute (or unnamed)
	seen := map[string]int{}
	fileCol := -1
	for i, h := range header {
		h = strings.TrimSpace(h)
		header[i] = h
		if h == "" {
			continue
		}
		if j, dup := seen[strings.ToLower(h)]; dup {
			probs.add("%s:1: column %q appears twice (columns %d and %d)", path, h, j+1, i+1)
			continue
		}
		seen[strings.ToLower(h)] = i
		f := manifestColumns[strings.ToLower(h)]
		if f == "" {
			continue
		}
		for j := range i {
			if fields[j] == f {
				probs.add("%s:1: columns %q and %q both give the %s", path, header[j], h, f)
			}
		}
		fields[i] = f
		if f == "file" {
			fileCol = i
		}
	}
	if fileCol < 0 {
		probs.add("%s:1: no \"file\" column in the header (found %s)", path, strings.Join(quoteAll(header), ", "))
	}
	if err := probs.err(); err != nil {
		return nil, err
	}

	m := &Manifest{Path: path, byFile: map[string]int{}}
	listed := map[string]int{} // file -> line, bad rows included
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			probs.add("%s", csvErr(path, err).Error())
			break // the CSV reader cannot resynchronise reliably
		}
		line, _ := r.FieldPos(0)
		row, ok := manifestRow(rec, header, fields, fileCol, dir, path, line, &probs)
		if row.File == "" {
			continue
		}
		// Duplicates are checked on rows with other problems too, so one
		// pass over the sheet finds them all.
		if prev, dup := listed[row.File]; dup {
			probs.add("%s:%d: %s is already listed on line %d", path, line, rec[fileCol], prev)
			continue
		}
		listed[row.File] = line
		if ok {
			m.byFile[row.File] = len(m.Rows)
			m.Rows = append(m.Rows, row)
		}
	}
	if err := probs.err(); err != nil {
		return nil, err
	}
	return m, nil
}

// manifestRow reads one CSV record. ok is false for blank rows and rows
// with problems (which are added to probs); row.File is set whenever the
// record names a file.
func manifestRow(rec, header, fields []string, fileCol int, dir, path string, line int, probs *problems) (row ManifestRow, ok bool) {
	blank := true
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			blank = false
		}
	}
	if blank { // spreadsheets leave rows of empty cells at the end
		return row, false
	}
	if len(rec) > len(header) {
		for _, c := range rec[len(header):] {
			if strings.TrimSpace(c) != "" {
				probs.add("%s:%d: %d fields, but the header has %d columns", path, line, len(rec), len(header))
				return row, false
			}
		}
	}
	row.Line = line
	bad := false
	for i, c := range rec[:min(len(rec), len(header))] {
		c = strings.TrimSpace(c)
		switch fields[i] {
		case "file":
			if c == "" {
				probs.add("%s:%d: no file name", path, line)
				bad = true
				break
			}
			f := filepath.FromSlash(c)
			if !filepath.IsAbs(f) {
				f = filepath.Join(dir, f)
			}
			row.File = pathKey(f)
		case "title":
			row.Meta.Title = c
		case "outlet":
			row.Meta.Outlet = c
		case "url":
			row.Meta.URL = c
		case "author":
			row.Meta.Author = c
		case "date":
			d, err := parseLooseDateTime(c)
			if err != nil {
				probs.add("%s:%d: %v", path, line, err)
				bad = true
			}
			row.Meta.Date = d
		default:
			if c == "" || header[i] == "" {
				continue
			}
			if row.Attributes == nil {
				row.Attributes = map[string]string{}
			}
			row.Attributes[header[i]] = c
		}
	}
	if fileCol >= len(rec) {
		probs.add("%s:%d: no file name", path, line)
		bad = true
	}
	return row, !bad
}

// Lookup returns the row for an article file, matched by cleaned absolute
// path so "./a.txt", "a.txt" and "/corpus/a.txt" all find the same row.
func (m *Manifest) Lookup(path string) (ManifestRow, bool) {
	if m == nil {
		return ManifestRow{}, false
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return ManifestRow{}, false
	}
	i, ok := m.byFile[pathKey(abs)]
	if !ok {
		return ManifestRow{}, false
	}
	return m.Rows[i], true
}

// sniffComma picks the separator from the header line.
func sniffComma(text string) rune {
	first, _, _ := strings.Cut(text, "\n")
	if strings.ContainsRune(first, ',') {
		return ','
	}
	if strings.ContainsRune(first, ';') {
		return ';'
	}
	if strings.ContainsRune(first, '\t') {
		return '\t'
	}
	return ','
}

// csvErr rewrites encoding/csv's "parse error on line 4, column 7: ..." in
// the PATH:LINE: form every other importer message uses.
func csvErr(path string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s:%d: %w", path, pe.Line, data.Errorf(data.EInvalid, "column %d: %v", pe.Column, pe.Err))
	}
	return fmt.Errorf("%s: %w", path, err)
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// problems collects a file's problems to report them at once.
type problems []string

// maxProblems keeps a message for a badly broken sheet readable.
const maxProblems = 20

func (p *problems) add(format string, args ...any) {
	*p = append(*p, fmt.Sprintf(format, args...))
}

// err returns the problems as one *Error, one per line, or nil.
func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	msgs := []string(p)
	if len(msgs) > maxProblems {
		msgs = append(msgs[:maxProblems:maxProblems], fmt.Sprintf("... and %d more problems", len(p)-maxProblems))
	}
	return data.Errorf(data.EInvalid, "%s", strings.Join(msgs, "\n"))
}

// sheetNames are the names a folder's metadata sheet is looked for under
// first, lower-cased; any other CSV with a file column comes after them.
var sheetNames = []string{"manifest.csv", "metadata.csv"}

// FindSheet returns the metadata sheet in folder dir, or nil: a CSV file
// whose header has a file column (file, filename or path), preferring
// manifest.csv, then metadata.csv, then other names in order. A CSV
// without a file column is not a sheet (it may be data of another kind);
// a sheet that does not read is an error, so a broken manifest is never
// silently ignored.
func FindSheet(dir string) (*Manifest, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fileErr(dir, err)
	}
	var csvs []string
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() && !strings.HasPrefix(name, ".") && strings.EqualFold(filepath.Ext(name), ".csv") {
			csvs = append(csvs, name)
		}
	}
	rank := func(name string) int {
		if i := slices.Index(sheetNames, strings.ToLower(name)); i >= 0 {
			return i
		}
		return len(sheetNames)
	}
	slices.SortStableFunc(csvs, func(a, b string) int { return cmp.Compare(rank(a), rank(b)) })
	for _, name := range csvs {
		p := filepath.Join(dir, name)
		if !hasFileColumn(p) {
			continue
		}
		return ReadManifest(p)
	}
	return nil, nil
}

// hasFileColumn reads a CSV file's header only and reports whether it
// names a file column.
func hasFileColumn(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	b, _ := io.ReadAll(io.LimitReader(f, 64<<10))
	text, err := DecodeText(b)
	if err != nil {
		return false
	}
	first, _, _ := strings.Cut(text, "\n")
	r := csv.NewReader(strings.NewReader(first))
	r.Comma = sniffComma(first)
	r.LazyQuotes = true
	header, err := r.Read()
	if err != nil {
		return false
	}
	for _, h := range header {
		if manifestColumns[strings.ToLower(strings.TrimSpace(h))] == "file" {
			return true
		}
	}
	return false
}

// findSheets finds the metadata sheets in the folders among paths and the
// folders under them (hidden ones skipped, as ArticleFiles skips them).
// A sheet that does not read is a failed Item naming the sheet.
func findSheets(paths []string) (sheets []*Manifest, failed []Item) {
	for _, p := range paths {
		if fi, err := os.Stat(p); err != nil || !fi.IsDir() {
			continue
		}
		_ = filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return nil // ArticleFiles reports unreadable folders
			}
			if q != p && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			m, err := FindSheet(q)
			if err != nil {
				failed = append(failed, Item{Path: q, Err: err})
			} else if m != nil {
				sheets = append(sheets, m)
			}
			return nil
		})
	}
	return sheets, failed
}
