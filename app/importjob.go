package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/data/ingest"
)

// ImportOutcome is what became of one article or one failed file.
type ImportOutcome struct {
	Path      string
	Title     string
	ID        int64
	Duplicate bool
	// Updated: the file replaced an earlier version of the article, whose
	// annotations were re-anchored as Reanchor says.
	Updated  bool
	Reanchor data.ReanchorReport
	Err      error
}

// ImportReport summarises an import batch for the command line and the
// window alike.
type ImportReport struct {
	Outcomes []ImportOutcome
	// Unindexed is set when the articles were saved but indexing them
	// for search stopped early (see data.IndexError).
	Unindexed error
}

// Counts returns how many articles were added, were already there, and how
// many files or records failed. Updated articles count as added.
func (r ImportReport) Counts() (added, dups, failed int) {
	for _, o := range r.Outcomes {
		switch {
		case o.Err != nil:
			failed++
		case o.Duplicate:
			dups++
		default:
			added++
		}
	}
	return
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
	if dups > 0 {
		s += fmt.Sprintf("; %d already in the project", dups)
	}
	if n, re := r.Reanchored(); n > 0 {
		s += fmt.Sprintf("; %d updated to a new version (annotations: %d kept, %d moved, %d orphaned)", n, re.Kept, re.Moved, re.Orphaned)
	}
	if failed > 0 {
		s += fmt.Sprintf("; %d failed", failed)
	}
	if r.Unindexed != nil {
		s += "; " + r.Unindexed.Error()
	}
	return s + "."
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
	items, err := im.Read(ctx, paths, func(done, total int) { progress("Reading files", done, total) })
	if err != nil {
		return ImportReport{}, err
	}
	var rep ImportReport
	var arts []data.Article
	var index []int // outcome index of each article
	for _, it := range items {
		o := ImportOutcome{Path: it.Path, Title: it.Article.Title, Err: it.Err}
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
	}
	return rep, nil
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
