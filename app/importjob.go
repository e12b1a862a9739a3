package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/data/ingest"
)

// ImportOutcome is what became of one article or one failed file.
type ImportOutcome struct {
	Path  string
	Title string
	// Sheet is the metadata sheet that described the file, or "".
	Sheet     string
	ID        int64
	Duplicate bool
	// MetaUpdated: the file was already in the project with the same text,
	// and its sheet's metadata was set on that article (ID).
	MetaUpdated bool
	// CopyOf is the earlier article this one repeats, with the share of its
	// text in common (1 for the same text), or 0.
	CopyOf    int64
	CopyShare float64
	// OriginalOf lists the articles imported before this one that its
	// earlier publication date made copies of it (see
	// data.AddResult.OriginalOf).
	OriginalOf []int64
	// Updated: the file replaced an earlier version of the article, whose
	// annotations were re-anchored as Reanchor says.
	Updated  bool
	Reanchor data.ReanchorReport
	// Warnings say what was not taken as the file gave it (see
	// ingest.Item.Warnings).
	Warnings []string
	Err      error
}

// ImportReport summarises an import batch for the command line and the
// window alike.
type ImportReport struct {
	Outcomes []ImportOutcome
	// Skipped are, per web archive, the pages passed over as not articles.
	Skipped []ingest.Skip
	// Unindexed is set when the articles were saved but indexing them
	// for search stopped early (see data.IndexError).
	Unindexed error
}

// SkippedPages is how many archived pages were passed over as not
// articles.
func (r ImportReport) SkippedPages() int {
	n := 0
	for _, s := range r.Skipped {
		n += s.Total()
	}
	return n
}

// Counts returns how many articles were added, were already there, and how
// many files or records failed. Updated articles count as added; articles
// whose metadata a sheet updated count as already there.
func (r ImportReport) Counts() (added, dups, failed int) {
	for _, o := range r.Outcomes {
		switch {
		case o.Err != nil:
			failed++
		case o.Duplicate, o.MetaUpdated:
			dups++
		default:
			added++
		}
	}
	return
}

// Warned counts the items read with a warning (see
// ImportOutcome.Warnings), those already in the project included: a
// sheet's date not taken is said even when nothing else changed.
func (r ImportReport) Warned() int {
	n := 0
	for _, o := range r.Outcomes {
		if o.Err == nil && len(o.Warnings) > 0 {
			n++
		}
	}
	return n
}

// warning is w as said of this outcome: of a file already in the
// project, that the article there is left as it is (its date may since
// have been given).
func (o ImportOutcome) warning(w string) string {
	if o.Duplicate {
		return w + "; the article already in the project is left as it is"
	}
	return w
}

// warningLines are the outcome's warnings, each a line that starts with
// its path.
func (o ImportOutcome) warningLines() []string {
	var lines []string
	for _, w := range o.Warnings {
		lines = append(lines, fmt.Sprintf("%s: article %d: %s", o.Path, o.ID, o.warning(w)))
	}
	return lines
}

// importProblems is a line for each item that failed and each warning of
// an article imported, the path first.
func importProblems(rep ImportReport) []string {
	var lines []string
	for _, o := range rep.Outcomes {
		if o.Err != nil {
			lines = append(lines, o.Err.Error())
			continue
		}
		lines = append(lines, o.warningLines()...)
	}
	return lines
}

// Copies counts the added articles that repeat an earlier one word for
// word (copies) and nearly (near-copies).
func (r ImportReport) Copies() (copies, near int) {
	for _, o := range r.Outcomes {
		if o.Err != nil || o.Duplicate || o.MetaUpdated || o.CopyOf == 0 {
			continue
		}
		if o.CopyShare >= 1 {
			copies++
		} else {
			near++
		}
	}
	return
}

// Sheets lists the metadata sheets the import used, in the order first
// met.
func (r ImportReport) Sheets() []string {
	out := []string{}
	for _, o := range r.Outcomes {
		if o.Sheet != "" && !slices.Contains(out, o.Sheet) {
			out = append(out, o.Sheet)
		}
	}
	return out
}

// metaUpdated counts the articles whose metadata a sheet updated.
func (r ImportReport) metaUpdated() int {
	n := 0
	for _, o := range r.Outcomes {
		if o.MetaUpdated {
			n++
		}
	}
	return n
}

// Reanchored sums the re-anchoring of updated articles' annotations.
func (r ImportReport) Reanchored() (updated int, rep data.ReanchorReport) {
	for _, o := range r.Outcomes {
		if o.Updated {
			updated++
			rep.Kept += o.Reanchor.Kept
			rep.Moved += o.Reanchor.Moved
			rep.Orphaned += o.Reanchor.Orphaned
		}
	}
	return
}

// Summary is a one-line account of the batch.
func (r ImportReport) Summary() string {
	added, dups, failed := r.Counts()
	s := fmt.Sprintf("Imported %d %s", added, pluralWord(added, "article", "articles"))
	updated := r.metaUpdated()
	if dups -= updated; dups > 0 {
		s += fmt.Sprintf("; %d already in the project", dups)
	}
	if n, re := r.Reanchored(); n > 0 {
		s += fmt.Sprintf("; %d updated to a new version (annotations: %d kept, %d moved, %d orphaned)", n, re.Kept, re.Moved, re.Orphaned)
	}
	if n := r.SkippedPages(); n > 0 {
		s += fmt.Sprintf("; %d archived %s skipped (not articles)", n, pluralWord(n, "page", "pages"))
	}
	if updated > 0 {
		s += fmt.Sprintf("; details of %d %s updated from the sheet", updated, pluralWord(updated, "article", "articles"))
	}
	if failed > 0 {
		s += fmt.Sprintf("; %d failed", failed)
	}
	if n := r.Warned(); n > 0 {
		// Not only dates: a truncated text is warned of too.
		s += fmt.Sprintf("; %d with something to check (see the warnings)", n)
	}
	if r.Unindexed != nil {
		s += "; " + r.Unindexed.Error()
	}
	s += "."
	if c, n := r.Copies(); c+n > 0 {
		var parts []string
		if c > 0 {
			parts = append(parts, fmt.Sprintf("%d word for word", c))
		}
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d nearly (%s)", n, pluralWord(n, "a near-copy", "near-copies")))
		}
		s += fmt.Sprintf(" %d %s: %s.", c+n, pluralWord(c+n, "repeats an earlier article", "repeat earlier articles"), strings.Join(parts, ", "))
	}
	if sheets := r.Sheets(); len(sheets) > 0 {
		names := make([]string, len(sheets))
		for i, sh := range sheets {
			names[i] = filepath.Base(sh)
		}
		s += " Metadata from " + strings.Join(names, ", ") + "."
	}
	return s
}

// ImportDropped imports what the window was given, from its import
// dialogs or by drag and drop: files and folders with no options, each
// folder's own metadata sheet found and used (see ingest.Importer).
func ImportDropped(ctx context.Context, store *data.Store, paths []string, progress Progress) (ImportReport, error) {
	return RunImport(ctx, store, &ingest.Importer{}, paths, progress)
}

// Progress reports a stage of a background job.
type Progress func(stage string, done, total int)

// RunImport reads paths with im and stores every article that could be read
// in one transaction. Files that fail are reported and do not stop the
// batch; cancellation stops it and stores nothing.
func RunImport(ctx context.Context, store *data.Store, im *ingest.Importer, paths []string, progress Progress) (ImportReport, error) {
	if progress == nil {
		progress = func(string, int, int) {}
	}
	// A web archive or a long PDF can take minutes on its own: within it,
	// progress is the share of the file read, in megabytes (kilobytes for
	// small files).
	im.FileProgress = func(path string, read, size int64, articles int) {
		shift, unit := 20, "MB"
		if size < 10<<20 {
			shift, unit = 10, "kB"
		}
		stage := fmt.Sprintf("Reading %s, %s", filepath.Base(path), unit)
		if articles > 0 {
			stage = fmt.Sprintf("Reading %s (%d %s so far), %s", filepath.Base(path), articles, pluralWord(articles, "article", "articles"), unit)
		}
		progress(stage, int(read>>shift), int(size>>shift))
	}
	items, err := im.Read(ctx, paths, func(done, total int) { progress("Reading files", done, total) })
	if err != nil {
		return ImportReport{}, err
	}
	rep := ImportReport{Skipped: im.Skipped}
	var arts []data.Article
	var index []int // outcome index of each article
	for _, it := range items {
		o := ImportOutcome{Path: it.Path, Title: it.Article.Title, Sheet: it.Sheet, Warnings: it.Warnings, Err: it.Err}
		rep.Outcomes = append(rep.Outcomes, o)
		if it.Err == nil {
			arts = append(arts, it.Article)
			index = append(index, len(rep.Outcomes)-1)
		}
	}
	if len(arts) == 0 {
		return rep, nil
	}
	defer store.Announce(ctx, fmt.Sprintf("import of %d %s", len(arts), pluralWord(len(arts), "article", "articles")))()
	res, err := store.AddArticles(ctx, arts, func(done, total int) { progress("Indexing articles", done, total) })
	var unindexed *data.IndexError
	if errors.As(err, &unindexed) {
		rep.Unindexed, err = unindexed, nil
	}
	if err != nil {
		return ImportReport{}, err
	}
	for i, r := range res {
		o := &rep.Outcomes[index[i]]
		o.ID, o.Duplicate, o.Updated, o.Reanchor = r.ID, r.Duplicate, r.Updated, r.Reanchor
		o.MetaUpdated, o.CopyOf, o.CopyShare, o.OriginalOf = r.MetaUpdated, r.CopyOf, r.CopyShare, r.OriginalOf
	}
	return rep, nil
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
