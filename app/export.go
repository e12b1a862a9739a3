package app

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/data/export"
	"github.com/parallax-research/parallax/data/refi"
)

// exporters maps each export format to its writer and file extension.
var exporters = map[string]struct {
	ext   string
	write func(io.Writer, *data.ExportData) error
	about string
}{
	"md":           {".md", export.WriteMarkdown, "Markdown notes: annotations by code, memos, cluster tables"},
	"csv":          {".csv", export.WriteAnnotationsCSV, "one row per annotation × code, with article metadata and offsets"},
	"quotes-csv":   {".csv", export.WriteQuotesCSV, "quote matrix: one row per cluster, a column per outlet"},
	"w3c":          {".jsonld", export.WriteW3C, "W3C Web Annotation JSON-LD (TextQuote + TextPosition selectors)"},
	"qdpx":         {".qdpx", refi.WriteQDPX, "REFI-QDA project for NVivo, ATLAS.ti, MAXQDA, QualCoder"},
	"qdc":          {".qdc", refi.WriteQDC, "REFI-QDA codebook only"},
	"html":         {".html", export.WriteHTML, "self-contained HTML report: clusters with diffs, matrix, annotations"},
	"passim":       {".jsonl", export.WritePassim, "passim's input (JSON lines: id, series = outlet, date, text) for corpus-scale reuse detection"},
	"graphml":      {".graphml", export.WriteGraphML, "the outlet pickup graph (who takes whose wording) for Gephi, igraph, networkx"},
	"dot":          {".dot", export.WriteDOT, "the outlet pickup graph in Graphviz's DOT language"},
	"pickups-csv":  {".csv", export.WritePickupsCSV, "the outlet pickup graph as an edge list: from, to, clusters, median lag, shared changes, syndicated copies"},
	"variants-csv": {".csv", export.WriteVariantsCSV, "each cluster's variant graph: every wording with its likeliest parent, confidence and evidence"},
	"pickups-svg":  {".svg", export.WritePickupsSVG, "the outlet pickup graph as a picture (SVG)"},
	"variants-svg": {".svg", export.WriteVariantsSVG, "each cluster's variant tree on a time axis as a picture (SVG)"},
}

// showsPropagation lists the formats that show how versions travelled:
// the propagation is computed for them alone, from the scoped clusters.
var showsPropagation = map[string]bool{"html": true, "graphml": true, "dot": true, "pickups-csv": true,
	"variants-csv": true, "pickups-svg": true, "variants-svg": true}

// showsDiffs lists the formats that show word diffs, which are computed
// for them alone: about a millisecond per version, minutes for a large
// project's passim input, which has no use for them.
var showsDiffs = map[string]bool{"html": true}

// ExportFormats lists the formats, sorted, for help texts and dialogs.
func ExportFormats() []string {
	var out []string
	for f := range exporters {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// Export writes the scoped project to path in format. It writes a
// temporary file beside path and renames it into place, so a failed export
// never leaves a half-written file where the user expects a good one.
func Export(ctx context.Context, store *data.Store, format string, sc data.ExportScope, path string) error {
	return ExportWith(ctx, store, format, sc, path, ExportOptions{})
}

// ExportOptions are the user's choices for an export beyond its scope.
type ExportOptions struct {
	// QualifyNames writes shared code names as "Name (Parent)" in
	// REFI-QDA exports.
	QualifyNames bool
	// Warn, if not nil, is told, a line each, what the format could not
	// carry as the project holds it.
	Warn func(string)
}

// exportWarnings says what format cannot carry of d as the project holds
// it, a line each.
func exportWarnings(format string, d *data.ExportData) []string {
	if format != "qdpx" {
		return nil
	}
	var out []string
	if n := refi.UnplacedAnnotations(d); n > 0 {
		out = append(out, fmt.Sprintf("%d orphaned annotation(s) (their passage is no longer in the text) were written as notes on their article, with their passage and codes named in the note's text: other tools will not show them as coded passages", n))
	}
	if colored := refi.ColouredSelections(d); colored > 0 {
		out = append(out, fmt.Sprintf("%d annotation(s) have a colour of their own, which REFI-QDA has no place for: it is not in the file, and other tools (or a project importing it) show them in their codes' colours", colored))
	}
	return out
}

// ExportWith is Export with options.
func ExportWith(ctx context.Context, store *data.Store, format string, sc data.ExportScope, path string, opt ExportOptions) error {
	return exportFile(ctx, store, format, sc, path, opt, func(string, int, int) {})
}

// exportFile is Export reporting its stages to progress. A cancelled ctx
// stops it at the next read or write, and at the latest before the rename,
// so a cancelled export leaves no file.
func exportFile(ctx context.Context, store *data.Store, format string, sc data.ExportScope, path string, opt ExportOptions, progress Progress) error {
	ex, ok := exporters[format]
	if !ok {
		return fmt.Errorf("unknown export format %q (want one of %v)", format, ExportFormats())
	}
	progress("Reading the project", 0, 0)
	d, err := store.LoadExport(ctx, sc, filepath.Base(store.Path()))
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err() // the driver's own words for an interrupted read vary
		}
		return err
	}
	if showsPropagation[format] {
		progress("Tracing how the versions travelled", 0, 0)
		if d.Propagation, err = propagationOf(ctx, store, d.Clusters, len(sc.Articles)+len(sc.Codes)+len(sc.Clusters) > 0); err != nil {
			return err
		}
	}
	if showsDiffs[format] {
		for i := range d.Clusters {
			d.Clusters[i] = withDiffs(d.Clusters[i])
		}
	}
	d.Generator = "Parallax " + Version()
	d.QualifyNames = opt.QualifyNames
	if opt.Warn != nil {
		for _, w := range exportWarnings(format, d) {
			opt.Warn(w)
		}
	}
	progress("Writing "+filepath.Base(path), 0, 0)
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".parallax-export-*")
	if err != nil {
		return fmt.Errorf("export %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if err := ex.write(ctxWriter{ctx, tmp}, d); err != nil {
		tmp.Close()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("export %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("export %s: %w", path, err)
	}
	if err := ctx.Err(); err != nil {
		return err // cancelled while writing: the file is not put in place
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("export %s: %w", path, err)
	}
	return nil
}

// ctxWriter fails writes once ctx is done, so that a cancelled export stops
// writing at once rather than when the writer finishes.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}
