// Package ingest reads article files into data.Articles ready to store:
// plain text with an optional header, saved web pages, JSON and JSON Lines
// records, and a CSV manifest of per-file metadata. It decodes and
// normalises text (see data.NormalizeText) but never touches a project;
// the caller hands what it read to data.Store.AddArticles.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/parallax-research/parallax/data"
)

// ArticleExtensions lists the file types Parallax imports, lower-cased,
// for file dialogs and messages.
var ArticleExtensions = []string{".txt", ".text", ".html", ".htm", ".json", ".jsonl", ".pdf", ".docx", ".rtf", ".warc", ".warc.gz", ".wacz"}

// articleExts is ArticleExtensions as a set.
var articleExts = func() map[string]bool {
	m := map[string]bool{}
	for _, e := range ArticleExtensions {
		m[e] = true
	}
	return m
}()

var lookedFor = "looked for " + strings.Join(ArticleExtensions, ", ")

// Formats names every file type an import takes, for messages: articles,
// and REFI-QDA projects and codebooks, which the caller routes to package
// refi before the Importer sees the rest.
var Formats = "articles " + strings.Join(ArticleExtensions, ", ") + " (with Nexis and Factiva exports in .docx, .rtf, .pdf, .html, .txt); REFI-QDA projects .qdpx and .qde, codebooks .qdc"

// Importer reads article files into Articles ready to store.
//
// Metadata comes from four places, and the most deliberate wins: Override
// (what the researcher typed for this import), then the metadata sheet's
// row for the file, then what the file says about itself (a text header,
// the page's metadata, a JSON record's fields), and last what Parallax
// infers from the text and the URL (a headline as the first line, the
// outlet behind the URL's host or named in the page's furniture, a date in
// the URL or a dateline, a byline), flagged in Article.Inferred. A field
// is only taken from a source that has it, so a manifest without titles
// keeps the files' own.
//
// The sheet is Manifest when set; otherwise each folder Read is given, and
// each folder under it, is searched for one (see FindSheet), so importing
// a folder that holds its own manifest.csv uses it from the window and the
// command line alike.
type Importer struct {
	// Manifest, if set, supplies per-file metadata, and the files to import
	// when Read is given no paths.
	Manifest *Manifest
	// Override fields that are non-empty/non-zero win over manifest and
	// in-file metadata.
	Override data.Meta
	// Now, if set, is the time of the import (time.Now when nil): a date
	// after it is no article's.
	Now func() time.Time
	// FileProgress, if set, is called as a long file is read (a web
	// archive, after each record; a PDF, after each page), so that one
	// 2 GB file shows progress too: the file, how far through it reading
	// is (bytes, of its size), and articles found so far (0 for a PDF,
	// whose articles are known only at the end).
	FileProgress func(path string, read, size int64, articles int)
	// Skipped is filled by Read: per web archive, the pages passed over
	// as not articles (home pages, images, errors), which are neither
	// imported nor failures.
	Skipped []Skip

	sheets []*Manifest // Manifest and the sheets found in folders
}

// Item is the outcome for one article, or for one file or record that
// could not be read. Exactly one of Article and Err is set.
type Item struct {
	// Path is the file the item came from (a folder for an empty folder).
	Path string
	// Sheet is the metadata sheet whose row gave the article's metadata,
	// or that lists a file that is missing; "" for none.
	Sheet   string
	Article data.Article
	// Warnings say what the import did not take as the file gave it (a
	// placeholder date, dropped), each a sentence without the path.
	Warnings []string
	// Err is a one-line message that starts with the path.
	Err error
}

// Read imports the article files at paths (files and folders, see
// ArticleFiles), or the files the manifest lists when paths is empty.
//
// Problems with single files or records are reported as Items with Err set
// and do not stop the import: one damaged file in a folder of three hundred
// should not cost the researcher the other two hundred and ninety-nine.
// Manifest rows naming files that do not exist are reported too, since
// they mean the sheet and the folder disagree.
//
// The only error returned is ctx.Err(), checked between files and JSON
// records; the items read so far are returned with it. progress, if not
// nil, is called after each file.
func (im *Importer) Read(ctx context.Context, paths []string, progress func(done, total int)) ([]Item, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	im.Skipped = nil
	var items []Item
	im.sheets = nil
	if im.Manifest != nil {
		im.sheets = append(im.sheets, im.Manifest)
	} else {
		found, failed := findSheets(paths)
		im.sheets = found
		items = append(items, failed...)
	}
	for _, sh := range im.sheets {
		var listed []string
		for _, row := range sh.Rows {
			if _, err := os.Stat(row.File); errors.Is(err, fs.ErrNotExist) {
				items = append(items, Item{Path: row.File, Sheet: sh.Path, Err: pathErr(row.File,
					data.Errorf(data.ENotFound, "no such file (listed on line %d of %s)", row.Line, sh.Path))})
				continue
			}
			listed = append(listed, row.File)
		}
		if sh == im.Manifest && len(paths) == 0 {
			paths = listed
		}
	}

	files, errs := ArticleFiles(paths)
	for _, err := range errs {
		items = append(items, Item{Path: errPath(err), Err: err})
	}
	for i, f := range files {
		if err := ctx.Err(); err != nil {
			return items, err
		}
		var cancelled bool
		items, cancelled = im.readFile(ctx, f, items)
		if cancelled {
			return items, ctx.Err()
		}
		if progress != nil {
			progress(i+1, len(files))
		}
	}
	return items, nil
}

// readFile appends the items of one file to items. cancelled reports that
// ctx ended while reading a JSON file's records.
func (im *Importer) readFile(ctx context.Context, path string, items []Item) (_ []Item, cancelled bool) {
	fail := func(err error) []Item {
		return append(items, Item{Path: path, Err: pathErr(path, err)})
	}
	ext := fileExt(path)
	if documentExts[ext] {
		return im.readDocumentFile(ctx, path, ext, items)
	}
	isJSON := ext == ".json" || ext == ".jsonl"

	// Size is checked before reading: a 4 GB video renamed .txt must be
	// refused without being loaded.
	fi, err := os.Stat(path)
	if err != nil {
		return append(items, Item{Path: path, Err: fileErr(path, err)}), false
	}
	if !fi.Mode().IsRegular() {
		return fail(data.Errorf(data.EInvalid, "not a regular file")), false
	}
	limit, what := int64(data.MaxArticleBytes), fmt.Sprintf("%d MB per-article", data.MaxArticleBytes>>20)
	if isJSON {
		limit, what = maxJSONFileBytes, "1 GB JSON file"
	}
	if fi.Size() > limit {
		return fail(data.Errorf(data.EInvalid, "%s is over the %s limit", formatSize(fi.Size()), what)), false
	}

	f, err := os.Open(path)
	if err != nil {
		return append(items, Item{Path: path, Err: fileErr(path, err)}), false
	}
	defer f.Close()
	row, sheet := im.lookup(path)

	if isJSON {
		yield := func(it Item) bool {
			if ctx.Err() != nil {
				cancelled = true
				return false
			}
			if it.Err == nil {
				it.warn(im.finish(&it.Article, row, it.Article.Attributes))
				it.Sheet = sheet
			}
			items = append(items, it)
			return true
		}
		// The file may grow after the Stat; the limit still holds.
		r := io.LimitReader(f, limit)
		if ext == ".jsonl" {
			readJSONLines(r, path, yield)
		} else {
			readJSONFile(r, path, yield)
		}
		return items, cancelled
	}

	var its []Item
	if ext == ".html" || ext == ".htm" {
		its, err = im.readHTMLFile(ctx, f, path, limit)
	} else {
		its, err = readTextFile(ctx, f, path, limit)
	}
	if ctx.Err() != nil {
		return items, true
	}
	if err != nil {
		return fail(err), false
	}
	for _, it := range its {
		if it.Err == nil {
			it.warn(im.finish(&it.Article, row, it.Article.Attributes))
			it.Sheet = sheet
		}
		items = append(items, it)
	}
	return items, false
}

// warn adds w, if not empty, to the item's warnings.
func (it *Item) warn(w string) {
	if w != "" {
		it.Warnings = append(it.Warnings, w)
	}
}

// readTextFile reads a plain-text file: a news-database export saved as
// text becomes one item per article (see splitExport), as it does saved
// as a Word file; anything else is one article, decoded, its header split
// off (a single ProQuest record's citation block cut, see
// singleProquest).
func readTextFile(ctx context.Context, r io.Reader, path string, limit int64) ([]Item, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading: %w", err)
	}
	if int64(len(b)) > limit {
		return nil, data.Errorf(data.EInvalid, "over the %d MB per-article limit", data.MaxArticleBytes>>20)
	}
	s, err := DecodeText(b)
	if err != nil {
		return nil, err
	}
	// The source is stored in its canonical form so a re-import of the same
	// file is recognised however its path is spelled.
	source := pathKey(path)
	paras := textParas(s)
	if its, ok, err := splitExport(ctx, paras, path, source); ok || err != nil {
		return its, err
	}
	keep, proquest, warning, single := singleProquest(exportLines(paras))
	if single {
		lines := make([]string, keep)
		for i, p := range paras[:keep] {
			lines[i] = p.Text
		}
		s = strings.Join(lines, "\n")
	}
	meta, body, attrs, err := ParseHeader(s)
	if err != nil {
		return nil, err
	}
	text := data.NormalizeText(body)
	if strings.TrimSpace(text) == "" {
		return nil, data.Errorf(data.EInvalid, "no article text after the header")
	}
	if proquest != "" {
		if attrs == nil {
			attrs = map[string]string{}
		}
		attrs["proquest_document"] = proquest
	}
	a := data.Article{Meta: meta, Text: text, Words: data.CountWords(text), Attributes: attrs, Source: source}
	it := Item{Path: path, Article: a}
	it.warn(warning)
	return []Item{it}, nil
}

// textParas makes each line of a text a paragraph, as the splitter reads
// a document's: exports saved as text put each field, marker and
// paragraph of an article on a line of its own.
func textParas(s string) []docPara {
	lines := strings.Split(strings.TrimPrefix(s, "\uFEFF"), "\n")
	paras := make([]docPara, len(lines))
	for i, l := range lines {
		paras[i] = docPara{Text: l}
	}
	return paras
}

// lookup finds the sheet row for an article file, and the sheet's path.
func (im *Importer) lookup(path string) (ManifestRow, string) {
	for _, sh := range im.sheets {
		if row, ok := sh.Lookup(path); ok {
			return row, sh.Path
		}
	}
	return ManifestRow{}, ""
}

// finish applies the manifest row and the override over the article's own
// metadata, and infers what is still missing. When a sheet has a row for
// the article, what the sheet and the override give is kept as its Sheet
// metadata, which the store applies to the same file already imported.
// Attributes are copied, never shared with the manifest, so editing one
// article's cannot change another's.
func (im *Importer) finish(a *data.Article, row ManifestRow, own map[string]string) (warning string) {
	fileDate, fileInferred := a.Date, a.IsInferred(data.FieldDate)
	overlayMeta(&a.Meta, row.Meta)
	overlayMeta(&a.Meta, im.Override)
	// A field the file only guessed at (a Nexis article's Load-Date) is
	// no guess once the sheet or the researcher gives it.
	a.Inferred = slices.DeleteFunc(a.Inferred, func(f string) bool { return hasField(row.Meta, f) || hasField(im.Override, f) })
	if row.File != "" {
		sheet := row.Meta
		overlayMeta(&sheet, im.Override)
		a.Sheet = &sheet
	}
	fromSheet := !row.Meta.Date.IsZero() && im.Override.Date.IsZero() && !fileDate.IsZero() && fileDate != a.Date
	warning = im.settleDate(a, fromSheet, fileDate, fileInferred)
	if w := inferMeta(a); warning == "" {
		warning = w
	}
	if len(row.Attributes) == 0 {
		return warning
	}
	attrs := make(map[string]string, len(own)+len(row.Attributes))
	for k, v := range own {
		attrs[k] = v
	}
	for k, v := range row.Attributes {
		attrs[k] = v
	}
	a.Attributes = attrs
	return warning
}

// settleDate takes a date that is no day the article came out on (see
// notPublished) off the article, and says what it did. A sheet's such
// date gives way to the file's own, which is then weighed in turn
// (fromSheet: the sheet gave the date, and the file another, fileDate,
// flagged as inferred when fileInferred; a sheet's date alone is weighed
// as the file's would be). Otherwise a date the address
// or a dateline gives (flagged as inferred) takes the place of any
// placeholder; failing that, a sure one is dropped and a day that may be
// real is kept, with a warning to check it.
func (im *Importer) settleDate(a *data.Article, fromSheet bool, fileDate data.Date, fileInferred bool) string {
	given := a.Date
	why, sure := im.notPublished(given)
	if why == "" {
		return ""
	}
	// noDate takes the date off, the sheet's too: a sheet's date not
	// taken must not be set by an update from the sheet either.
	noDate := func() {
		a.Date = data.Date{}
		a.Inferred = slices.DeleteFunc(a.Inferred, func(f string) bool { return f == data.FieldDate })
		if a.Sheet != nil {
			a.Sheet.Date = data.Date{}
		}
	}
	// The file's own date replaces the sheet's when the sheet's is surely
	// none, or when the file's is a date with nothing doubtful about it.
	if w, _ := im.notPublished(fileDate); fromSheet && (sure || w == "") {
		noDate()
		a.Date = fileDate
		if fileInferred {
			a.Inferred = append(a.Inferred, data.FieldDate)
		}
		said := fmt.Sprintf("the sheet's date %s is %s, %s: not taken", given, why, notADay(sure))
		switch w := im.settleDate(a, false, data.Date{}, false); {
		case w != "":
			return said + "; the file's own " + w
		case !a.Date.IsZero():
			return said + fmt.Sprintf("; the file's own date %s is kept", a.Date)
		}
		return said
	}
	if d, ok := dateOf(a.URL, a.Text); ok && d != given {
		if w, _ := d.Placeholder(); w == "" {
			noDate()
			a.Date = d
			a.Inferred = append(a.Inferred, data.FieldDate)
			return fmt.Sprintf("date %s is %s, %s: not taken; dated %s instead, which its address or text gives (flagged as inferred)", given, why, notADay(sure), d)
		}
	}
	if !sure {
		return fmt.Sprintf("date %s is %s as well as a day articles came out: kept; check it "+
			"(the propagation reads it as no date unless another article is dated within five years of it)", given, why)
	}
	noDate()
	return fmt.Sprintf("date %s is %s, %s: not taken", given, why, notADay(true))
}

// notADay says how surely a placeholder is no day an article came out on.
func notADay(sure bool) string {
	if sure {
		return "not a day the article came out"
	}
	return "which may not be a day the article came out"
}

// notPublished says why d, an article's date from its file or its sheet,
// may not be the day it came out: a placeholder a program wrote for a
// missing date (see data.Date.Placeholder), or a date after the import
// (surely not). Taken as given, either makes the article first or last
// of everything it shares, silently. A date the researcher typed for the
// import (Override) is kept whatever it is.
func (im *Importer) notPublished(d data.Date) (why string, sure bool) {
	if d.IsZero() || !im.Override.Date.IsZero() {
		return "", false
	}
	if why, sure := d.Placeholder(); why != "" {
		return why, sure
	}
	now := time.Now
	if im.Now != nil {
		now = im.Now
	}
	// A day begins up to 14 hours before its midnight in UTC, which Span
	// reads it in; a day more is slack for a clock set wrong.
	if lo, _, ok := d.Span(); ok && lo.After(now().Add(38*time.Hour)) {
		return "after the import", true
	}
	return "", false
}

// hasField reports whether m has the field (data.FieldTitle, …).
func hasField(m data.Meta, field string) bool {
	switch field {
	case data.FieldTitle:
		return m.Title != ""
	case data.FieldOutlet:
		return m.Outlet != ""
	case data.FieldDate:
		return !m.Date.IsZero()
	case data.FieldURL:
		return m.URL != ""
	case data.FieldAuthor:
		return m.Author != ""
	}
	return false
}

// overlayMeta sets the fields of dst that src has.
func overlayMeta(dst *data.Meta, src data.Meta) {
	if src.Title != "" {
		dst.Title = src.Title
	}
	if src.Outlet != "" {
		dst.Outlet = src.Outlet
	}
	if !src.Date.IsZero() {
		dst.Date = src.Date
	}
	if src.URL != "" {
		dst.URL = src.URL
	}
	if src.Author != "" {
		dst.Author = src.Author
	}
}

// ArticleFiles expands paths into the article files to import. Folders are
// searched recursively, in lexical order of the folder tree, keeping files
// whose extension is one of ArticleExtensions (in any case) and skipping
// hidden files and folders (names starting with "."), which hold editor backups and version-control data, not articles. Files
// named directly are kept whatever their name starts with, but must have
// one of those extensions. A file reached twice is listed once.
//
// errs holds one-line errors, each starting with its path: paths that do
// not exist, folders with no article files, files of other types.
func ArticleFiles(paths []string) (files []string, errs []error) {
	seen := map[string]bool{}
	add := func(p string) {
		key := p
		if abs, err := filepath.Abs(p); err == nil {
			key = abs
		}
		if !seen[key] {
			seen[key] = true
			files = append(files, p)
		}
	}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			errs = append(errs, fileErr(p, err))
			continue
		}
		if !fi.IsDir() {
			switch {
			case !articleExts[fileExt(p)]:
				errs = append(errs, pathErr(p, data.Errorf(data.EInvalid, "not a file Parallax imports (it reads %s)", Formats)))
			case !fi.Mode().IsRegular():
				errs = append(errs, pathErr(p, data.Errorf(data.EInvalid, "not a regular file")))
			default:
				add(p)
			}
			continue
		}
		found := 0
		err = filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, fileErr(q, err))
				if d != nil && d.IsDir() && q != p {
					return fs.SkipDir
				}
				return nil
			}
			if q != p && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() || !articleExts[fileExt(q)] {
				return nil
			}
			if !d.Type().IsRegular() {
				// A symlink counts if it leads to a regular file.
				fi, err := os.Stat(q)
				if err != nil || !fi.Mode().IsRegular() {
					return nil
				}
			}
			found++
			add(q)
			return nil
		})
		if err != nil {
			errs = append(errs, fileErr(p, err))
		}
		if found == 0 {
			errs = append(errs, pathErr(p, data.Errorf(data.EInvalid, "no articles found in this folder (%s)", lookedFor)))
		}
	}
	return files, errs
}

// pathError is an error whose message starts with Path, so callers can
// attribute it without parsing the message.
type pathError struct {
	Path string
	Err  error
}

func (e *pathError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *pathError) Unwrap() error { return e.Err }

func pathErr(path string, err error) error { return &pathError{Path: path, Err: err} }

// errPath returns the path an error from ArticleFiles is about.
func errPath(err error) string {
	var pe *pathError
	if errors.As(err, &pe) {
		return pe.Path
	}
	return ""
}

// fileErr words a file-system error as "PATH: problem", without the
// operation and repeated path of *fs.PathError, which read badly in a list
// of import problems. The underlying error stays in the chain for
// errors.Is.
func fileErr(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if errors.Is(err, fs.ErrNotExist) {
		return pathErr(path, &notFound{err})
	}
	return pathErr(path, err)
}

// notFound words fs.ErrNotExist for people; errors.Is still finds it.
type notFound struct{ err error }

func (e *notFound) Error() string { return "no such file or folder" }
func (e *notFound) Unwrap() error { return e.err }

// formatSize writes a byte count the way file managers do, in binary units
// labelled MB and GB.
func formatSize(n int64) string {
	if n >= 1<<30 {
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}
