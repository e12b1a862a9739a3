package refi

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/parallax-research/parallax/data"
)

// maxQDPXBytes caps how much Read decompresses from one archive, so that
// a zip bomb fails fast instead of filling memory. Media entries are never
// read and do not count. A variable so tests can lower it.
var maxQDPXBytes int64 = 512 << 20

// Import imports a REFI-QDA file into the project: a .qdpx project (text
// sources as articles, the codebook, coded selections as annotations with
// their notes and coders, and notes as memos), a .qde project document
// with its sources folder beside it, or a .qdc codebook (merged into the
// project's codebook by GUID, then by path). Read checks the whole file
// before data.Store.ApplyQDPX writes it in one transaction: a damaged or
// hostile file leaves the project unchanged.
func Import(ctx context.Context, s *data.Store, path string) (data.QDPXReport, error) {
	plan, err := Read(ctx, path)
	if err != nil {
		return data.QDPXReport{}, fmt.Errorf("import %s: %w", path, err)
	}
	rep, err := s.ApplyQDPX(ctx, plan)
	if err != nil {
		return data.QDPXReport{}, fmt.Errorf("import %s: %w", path, err)
	}
	return rep, nil
}

// Extensions lists the REFI-QDA files Import reads, lower-cased.
var Extensions = []string{".qdpx", ".qde", ".qdc"}

// IsREFI reports whether path names a file Import reads, by extension.
func IsREFI(path string) bool {
	return slices.Contains(Extensions, strings.ToLower(filepath.Ext(path)))
}

// qdpxArchive is an opened .qdpx, or the folder beside a .qde: its
// entries by lower-cased name and the decompression budget left.
type qdpxArchive struct {
	entries map[string]*archiveEntry
	budget  int64
}

// archiveEntry is one file of a project: a zip entry, or a file in the
// sources folder beside a .qde.
type archiveEntry struct {
	Name    string
	size    uint64 // as declared: a zip header may lie
	symlink bool
	open    func() (io.ReadCloser, error)
}

// Read opens, reads and checks the REFI-QDA file at p (.qdpx, .qde or
// .qdc) and returns what importing it would write, without touching any
// project. A damaged or hostile file (paths leaving the archive, oversized
// entries, DOCTYPE declarations, positions outside the text, references to
// missing codes or sources, invalid UTF-8) is refused with an error naming
// the entry.
func Read(ctx context.Context, p string) (*data.QDPXPlan, error) {
	switch strings.ToLower(filepath.Ext(p)) {
	case ".qde":
		return readQDE(ctx, p)
	case ".qdc":
		return readQDC(ctx, p)
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, unwrapPath(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	return readArchive(ctx, f, st.Size(), filepath.Base(p))
}

// readArchive reads a .qdpx archive of size bytes from r; file names it,
// for provenance. Fuzzing calls it directly, with no file.
func readArchive(ctx context.Context, r io.ReaderAt, size int64, file string) (*data.QDPXPlan, error) {
	zr, err := zip.NewReader(r, size)
	// ErrInsecurePath comes with a usable reader (and only under some
	// GODEBUG settings); every name is checked below either way, so that
	// the error can say which entry is at fault.
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, data.Errorf(data.EInvalid, "not a REFI-QDA project: a .qdpx file is a zip archive, and this one cannot be read as one (%v)", err)
	}
	z := &qdpxArchive{entries: map[string]*archiveEntry{}, budget: maxQDPXBytes}
	for _, e := range zr.File {
		key, err := qdpxEntryKey(e.Name)
		if err != nil {
			return nil, err
		}
		if key == "" || strings.HasSuffix(e.Name, "/") {
			continue // a folder
		}
		if _, dup := z.entries[key]; dup {
			return nil, data.Errorf(data.EInvalid, "entry %q appears twice in the archive; refusing an ambiguous file", e.Name)
		}
		z.entries[key] = &archiveEntry{Name: e.Name, size: e.UncompressedSize64, symlink: e.Mode()&os.ModeSymlink != 0, open: e.Open}
	}

	qde := z.entries["project.qde"]
	if qde == nil {
		// Some tools name the document after the project.
		for k, e := range z.entries {
			if !strings.Contains(k, "/") && strings.HasSuffix(k, ".qde") {
				if qde != nil {
					return nil, data.Errorf(data.EInvalid, "no project.qde and several .qde documents (%s, %s); cannot tell which is the project", qde.Name, e.Name)
				}
				qde = e
			}
		}
	}
	if qde == nil {
		return nil, data.Errorf(data.EInvalid, "no project.qde in the archive: not a REFI-QDA project")
	}
	return z.plan(ctx, qde, file)
}

// plan reads the project document e and plans the import of the
// project; file names the file imported, for provenance.
//
// The document is read twice, as a stream (xmlfilter.go): once through
// the XML tokenizer alone, so that the first problem in it is the one
// reported and all of it counts against the archive's budget before any
// source is read, and once to plan the import element by element.
func (z *qdpxArchive) plan(ctx context.Context, e *archiveEntry, file string) (*data.QDPXPlan, error) {
	what := fmt.Sprintf("not a QDA-XML project (root element <Project> in namespace %s expected)", refiProjectNS)
	pl := newPlanner(ctx, z, e.Name, file)
	err := z.readDocument(ctx, e, z.budget, what, nil, pl.project)
	if err != nil {
		return nil, err
	}
	return pl.finish()
}

// readDocument checks and then reads the XML document e, at most limit
// bytes (tooBig, if not nil, makes the error for more): body walks it.
// what says what the document must be, for errors. The bytes read count
// against the archive's budget.
func (z *qdpxArchive) readDocument(ctx context.Context, e *archiveEntry, limit int64, what string, tooBig func() error, body func(*qdeReader) error) error {
	if tooBig == nil {
		tooBig = func() error { return z.tooBig(e, limit) }
	}
	open := func(limit int64) (*xmlFilter, io.Closer, error) {
		if e.symlink {
			return nil, nil, data.Errorf(data.EInvalid, "%s: is a symbolic link, not a file", e.Name)
		}
		if e.size > uint64(limit) {
			return nil, nil, tooBig()
		}
		rc, err := e.open()
		if err != nil {
			return nil, nil, data.Errorf(data.EInvalid, "%s: cannot be read (%v)", e.Name, err)
		}
		return newXMLFilter(rc, e.Name, limit, tooBig, func(err error) error { return damaged(e, err) }), rc, nil
	}
	f, c, err := open(limit)
	if err != nil {
		return err
	}
	err = checkXML(f)
	c.Close()
	if err != nil {
		return err
	}
	z.budget -= f.n
	// The second reading is of the bytes the first counted.
	if f, c, err = open(f.n); err != nil {
		return err
	}
	defer c.Close()
	return body(newQDEReader(ctx, f, what))
}

// checkXML checks that the document f reads is well-formed XML (and, by
// reading it, what the filter checks: UTF-8, no declarations, the limits).
func checkXML(f *xmlFilter) error {
	dec := xml.NewDecoder(f)
	for {
		_, err := dec.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return f.xmlError(err, "not well-formed XML")
		}
	}
}

// unwrapPath drops the path from an os error: the caller names the file.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// readQDE reads a bare project document. Its internal:// paths point into
// a sources folder beside it ("sources" or "Sources"), whose regular files
// are read as an archive's would be; links are refused.
func readQDE(ctx context.Context, p string) (*data.QDPXPlan, error) {
	dir := filepath.Dir(p)
	z := &qdpxArchive{entries: map[string]*archiveEntry{}, budget: maxQDPXBytes}
	list, err := os.ReadDir(dir)
	if err != nil {
		return nil, unwrapPath(err)
	}
	for _, d := range list {
		if !d.IsDir() || !strings.EqualFold(d.Name(), "sources") {
			continue
		}
		files, err := os.ReadDir(filepath.Join(dir, d.Name()))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.Name(), unwrapPath(err))
		}
		for _, f := range files {
			fp := filepath.Join(dir, d.Name(), f.Name())
			fi, err := os.Lstat(fp)
			if err != nil || fi.IsDir() {
				continue
			}
			key := "sources/" + strings.ToLower(f.Name())
			if _, dup := z.entries[key]; dup {
				return nil, data.Errorf(data.EInvalid, "%s and another file differ only in case; cannot tell which a path means", fp)
			}
			z.entries[key] = &archiveEntry{Name: d.Name() + "/" + f.Name(), size: uint64(fi.Size()), symlink: !fi.Mode().IsRegular(),
				open: func() (io.ReadCloser, error) { return os.Open(fp) }}
		}
	}
	st, err := os.Stat(p)
	if err != nil {
		return nil, unwrapPath(err)
	}
	e := &archiveEntry{Name: filepath.Base(p), size: uint64(st.Size()), open: func() (io.ReadCloser, error) { return os.Open(p) }}
	return z.plan(ctx, e, filepath.Base(p))
}

// readQDC reads a codebook: a plan with codes only, which ApplyQDPX
// merges into the project's codebook.
func readQDC(ctx context.Context, p string) (*data.QDPXPlan, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, unwrapPath(err)
	}
	name := filepath.Base(p)
	e := &archiveEntry{Name: name, size: uint64(st.Size()), open: func() (io.ReadCloser, error) { return os.Open(p) }}
	z := &qdpxArchive{budget: data.MaxArticleBytes}
	pl := newPlanner(ctx, z, name, name)
	what := fmt.Sprintf("not a QDA-XML codebook (root element <CodeBook> in namespace %s expected)", refiCodebookNS)
	tooBig := func() error {
		return data.Errorf(data.EInvalid, "larger than the %d MB limit for a codebook", data.MaxArticleBytes>>20)
	}
	err = z.readDocument(ctx, e, data.MaxArticleBytes, what, tooBig, func(r *qdeReader) error {
		if _, err := r.root(xml.Name{Space: refiCodebookNS, Local: "CodeBook"}); err != nil {
			return err
		}
		return r.children(func(se xml.StartElement) error {
			if se.Name.Local != "Codes" {
				return r.skip()
			}
			return pl.codes(r, -1)
		})
	})
	if err != nil {
		return nil, err
	}
	if len(pl.plan.Codes) == 0 {
		return nil, data.Errorf(data.EInvalid, "%s: the codebook has no codes", name)
	}
	return pl.plan, nil
}

// qdpxEntryKey checks an entry name and returns its lookup key. Names that
// would leave the archive when extracted ("zip slip") are refused even
// though Parallax never extracts: such a file is broken or hostile, and
// the other names in it cannot be trusted either.
func qdpxEntryKey(name string) (string, error) {
	n := strings.ReplaceAll(name, `\`, "/")
	bad := n == "" || strings.HasPrefix(n, "/") || strings.ContainsRune(n, 0) ||
		len(n) >= 2 && n[1] == ':' && unicode.IsLetter(rune(n[0]))
	for _, part := range strings.Split(n, "/") {
		if part == ".." {
			bad = true
		}
	}
	if bad {
		return "", data.Errorf(data.EInvalid, "entry %q points outside the archive (an absolute path or \"..\"); refusing the file", name)
	}
	c := path.Clean(n)
	if c == "." {
		return "", nil
	}
	return strings.ToLower(c), nil
}

// read decompresses one entry, at most limit bytes and within the archive's
// budget. Sizes are counted as the data arrives: the sizes in the zip
// headers are written by whoever made the file and may lie.
func (z *qdpxArchive) read(e *archiveEntry, limit int64) ([]byte, error) {
	if e.symlink {
		return nil, data.Errorf(data.EInvalid, "%s: is a symbolic link, not a file", e.Name)
	}
	limit = min(limit, z.budget)
	if e.size > uint64(limit) {
		return nil, z.tooBig(e, limit)
	}
	rc, err := e.open()
	if err != nil {
		return nil, data.Errorf(data.EInvalid, "%s: cannot be read (%v)", e.Name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if int64(len(b)) > limit {
		return nil, z.tooBig(e, limit)
	}
	if err != nil {
		return nil, damaged(e, err)
	}
	z.budget -= int64(len(b))
	return b, nil
}

// tooBig is the error for an entry of more than limit bytes: over the
// limit for one entry, or, when the limit is the archive's budget, over
// the budget.
func (z *qdpxArchive) tooBig(e *archiveEntry, limit int64) error {
	if limit < z.budget {
		return data.Errorf(data.EInvalid, "%s: larger than the %d MB limit for one entry", e.Name, limit>>20)
	}
	return data.Errorf(data.EInvalid, "%s: the archive decompresses to more than %d MB; refusing it as a likely zip bomb", e.Name, maxQDPXBytes>>20)
}

// damaged explains an error met decompressing e.
func damaged(e *archiveEntry, err error) error {
	if errors.Is(err, zip.ErrFormat) {
		// archive/zip stops at the size the header declares.
		return data.Errorf(data.EInvalid, "%s: its data does not match its zip header (%d bytes declared); refusing a damaged or hostile archive", e.Name, e.size)
	}
	return data.Errorf(data.EInvalid, "%s: damaged (%v)", e.Name, err)
}

// internal resolves an "internal://name" path to its entry in the
// archive's sources folder, which tools name "sources" or "Sources".
func (z *qdpxArchive) internal(ref, what string) (*archiveEntry, error) {
	rest, ok := cutPrefixFold(ref, "internal://")
	if !ok {
		return nil, nil
	}
	rest = strings.TrimPrefix(rest, "/") // QualCoder-style "internal:///x" spellings
	key, err := qdpxEntryKey(rest)
	if err != nil || key == "" || strings.HasPrefix(rest, "/") {
		return nil, data.Errorf(data.EInvalid, "%s: path %q points outside the archive; refusing the file", what, ref)
	}
	e := z.entries["sources/"+key]
	if e == nil {
		return nil, data.Errorf(data.EInvalid, "%s: refers to %q, which is not in the archive's sources folder", what, ref)
	}
	return e, nil
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

var utf8BOM = []byte("\uFEFF")

// sourceText returns the plain text of a TextSource or Note: its
// PlainTextContent or its internal plain-text file. ok is false when it
// has neither (a rich-text-only or external source).
func (z *qdpxArchive) sourceText(t qdeTextSource, what string, limit int64) (text string, ok bool, err error) {
	var b []byte
	switch {
	case t.PlainTextContent != nil:
		if int64(len(*t.PlainTextContent)) > limit {
			return "", false, data.Errorf(data.EInvalid, "%s: text larger than the %d MB limit for one article", what, limit>>20)
		}
		b = []byte(*t.PlainTextContent)
	case t.PlainTextPath != "":
		e, err := z.internal(t.PlainTextPath, what)
		if err != nil || e == nil {
			return "", false, err // e == nil: relative:// or absolute://, never read
		}
		if b, err = z.read(e, limit); err != nil {
			return "", false, err
		}
		if !utf8.Valid(b) {
			return "", false, data.Errorf(data.EInvalid, "%s: %s is not valid UTF-8", what, e.Name)
		}
		if binaryText(b) {
			return "", false, data.Errorf(data.EInvalid, "%s: %s is a binary file, not text", what, e.Name)
		}
	default:
		return "", false, nil
	}
	return string(bytes.TrimPrefix(b, utf8BOM)), true, nil
}

// binaryText reports whether b, valid UTF-8, is binary data rather than
// text, by the text importer's rule: a NUL byte, or control characters
// (other than tab, line ends and form feed) in more than one character in
// twenty. A NUL would otherwise be stored, which search snippets and
// other tools' readers do not expect. (An XML document holds no such
// characters, so a PlainTextContent needs no check.)
func binaryText(b []byte) bool {
	if bytes.IndexByte(b, 0) >= 0 {
		return true
	}
	controls, runes := 0, 0
	for _, r := range string(b) {
		runes++
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f' {
			controls++
		}
	}
	return controls*20 > runes
}

func (vv qdeVariableValue) text() string {
	for _, v := range []*string{vv.TextValue, vv.BooleanValue, vv.IntegerValue, vv.FloatValue, vv.DateValue, vv.DateTimeValue} {
		if v != nil {
			return strings.TrimSpace(*v)
		}
	}
	return ""
}

// refiSetVar stores a variable's value as metadata or as an attribute,
// undoing WriteQDPX's renaming of attributes named like metadata fields.
func refiSetVar(a *data.Article, name, value string) {
	if strings.EqualFold(name, refiVarTitle) {
		a.Title = value // even empty: see refiMetaValues
		return
	}
	if value == "" {
		return
	}
	switch strings.ToLower(name) {
	case "outlet":
		a.Outlet = value
		return
	case "url":
		a.URL = value
		return
	case "author":
		a.Author = value
		return
	case "date":
		if d, err := data.ParseDateTime(value); err == nil {
			a.Date = d
			return
		}
	}
	if base, ok := strings.CutSuffix(name, " (attribute)"); ok && slices.ContainsFunc(refiMetaVars, func(m string) bool { return strings.EqualFold(m, base) }) {
		name = base
	}
	if a.Attributes == nil {
		a.Attributes = map[string]string{}
	}
	a.Attributes[name] = value
}

// refiNormalize returns NormalizeText(raw) and a function taking a rune
// offset in raw to the matching offset in the result. Text from other
// tools may have CRLF line ends or decomposed accents; Parallax stores
// neither, and the selections' positions must follow the text. An offset
// inside a sequence that normalisation merges maps to the sequence's start.
func refiNormalize(raw string) (string, func(int) int, error) {
	want := data.NormalizeText(raw)
	if want == raw {
		return raw, func(i int) int { return i }, nil
	}
	rs := []rune(raw)
	// Line ends (and a byte-order mark) first, as NormalizeText does.
	m1 := make([]int32, len(rs)+1)
	t := make([]rune, 0, len(rs))
	for i, r := range rs {
		m1[i] = int32(len(t))
		switch {
		case i == 0 && r == '\uFEFF':
		case r == '\r' && i+1 < len(rs) && rs[i+1] == '\n':
		case r == '\r':
			t = append(t, '\n')
		default:
			t = append(t, r)
		}
	}
	m1[len(rs)] = int32(len(t))
	// Then NFC, one normalisation segment at a time.
	ts := string(t)
	m2 := make([]int32, len(t)+1)
	var out strings.Builder
	var it norm.Iter
	it.InitString(norm.NFC, ts)
	inByte, inRune, outRune := 0, 0, 0
	for !it.Done() {
		seg := it.Next()
		n := utf8.RuneCountInString(ts[inByte:it.Pos()])
		for k := range n {
			m2[inRune+k] = int32(outRune)
		}
		out.Write(seg)
		outRune += utf8.RuneCount(seg)
		inRune += n
		inByte = it.Pos()
	}
	m2[len(t)] = int32(outRune)
	got := strings.TrimRightFunc(out.String(), unicode.IsSpace)
	if got != want {
		return "", nil, errors.New("cannot map positions onto the normalised text")
	}
	n := utf8.RuneCountInString(got)
	return got, func(i int) int { return min(int(m2[m1[i]]), n) }, nil
}

// refiParseTime reads an xsd:dateTime; an unreadable one is treated as
// absent, since a wrong timestamp is no reason to refuse a project.
func refiParseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

func refiDeref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
