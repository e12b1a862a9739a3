package app

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/data/agreement"
	"github.com/parallax-research/parallax/data/refi"
)

// DefaultCoder is the coder name used until one is chosen: the operating
// system's user name (without a Windows domain), or "" when there is none.
func DefaultCoder() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		name := u.Username
		if i := strings.LastIndexByte(name, '\\'); i >= 0 {
			name = name[i+1:]
		}
		return name
	}
	return cmp.Or(os.Getenv("USER"), os.Getenv("USERNAME"))
}

// coderFlag adds --coder to a command that writes: what it creates or
// changes records that name.
func (c *projectCommand) coderFlag() {
	c.coder = c.String("coder", "", "coder name recorded on what this command creates (default: the OS user name, "+DefaultCoder()+")")
}

// RefiJSON is the "refi" object of `import --json`: what the REFI-QDA
// files imported added, and how each source's positions were read.
type RefiJSON struct {
	Articles           int        `json:"articles"`
	ArticlesReused     int        `json:"articles_reused"`
	Codes              int        `json:"codes"`
	CodesMatched       int        `json:"codes_matched"`
	Annotations        int        `json:"annotations"`
	AnnotationsPresent int        `json:"annotations_present"`
	AnnotationsUpdated int        `json:"annotations_updated"`
	AnnotationsSkipped int        `json:"annotations_skipped"`
	Orphaned           int        `json:"orphaned"`
	Memos              int        `json:"memos"`
	MemosPresent       int        `json:"memos_present"`
	MemosUpdated       int        `json:"memos_updated"`
	Units              []UnitJSON `json:"units"`
	Skipped            []string   `json:"skipped"`
	Warnings           []string   `json:"warnings"`
	// Updated names each annotation and memo replaced by the file's newer
	// version; Conflicts each difference where this project's was kept,
	// and each selection not imported, with why.
	Updated   []string `json:"updated"`
	Conflicts []string `json:"conflicts"`
}

// UnitJSON is how one source's positions were read: unit is "code points",
// "UTF-16 code units" or "bytes (UTF-8)".
type UnitJSON struct {
	File       string `json:"file"`
	Source     string `json:"source"`
	Unit       string `json:"unit"`
	Evidence   string `json:"evidence"`
	Selections int    `json:"selections"`
	Orphaned   int    `json:"orphaned"`
}

func (r *RefiJSON) add(path string, rep data.QDPXReport) {
	r.Articles += rep.Articles
	r.ArticlesReused += rep.ArticlesReused
	r.Codes += rep.Codes
	r.CodesMatched += rep.CodesMatched
	r.Annotations += rep.Annotations
	r.AnnotationsPresent += rep.AnnotationsPresent
	r.AnnotationsUpdated += rep.AnnotationsUpdated
	r.AnnotationsSkipped += rep.AnnotationsSkipped
	r.Orphaned += rep.Orphaned
	r.Memos += rep.Memos
	r.MemosPresent += rep.MemosPresent
	r.MemosUpdated += rep.MemosUpdated
	for _, u := range rep.Units {
		r.Units = append(r.Units, UnitJSON{File: path, Source: u.Source, Unit: u.Unit, Evidence: u.Evidence, Selections: u.Selections, Orphaned: u.Orphaned})
	}
	r.Skipped = append(r.Skipped, rep.Skipped...)
	r.Warnings = append(r.Warnings, rep.Warnings...)
	r.Updated = append(r.Updated, rep.Updated...)
	r.Conflicts = append(r.Conflicts, rep.Conflicts...)
}

// refiCounts says what became of the file's annotations and memos that
// the project had already, which the first line of a summary leaves out.
func refiCounts(r data.QDPXReport) string {
	return fmt.Sprintf("annotations: %d added, %d updated to the file's newer version, %d already here, %d not imported; memos: %d added, %d updated, %d already here; %d conflict(s)",
		r.Annotations, r.AnnotationsUpdated, r.AnnotationsPresent, r.AnnotationsSkipped, r.Memos, r.MemosUpdated, r.MemosPresent, len(r.Conflicts))
}

// printRefiReport is the plain-text import summary of one REFI-QDA file.
func printRefiReport(e *env, path string, r data.QDPXReport) {
	fmt.Fprintf(e.stdout, "%s: %d articles (%d already here), %d codes (%d matched), %d annotations (%d orphaned), %d memos\n",
		path, r.Articles, r.ArticlesReused, r.Codes, r.CodesMatched, r.Annotations, r.Orphaned, r.Memos)
	fmt.Fprintf(e.stdout, "  %s\n", refiCounts(r))
	for _, u := range r.Updated {
		fmt.Fprintf(e.stdout, "  updated: %s\n", u)
	}
	for _, u := range r.Units {
		fmt.Fprintf(e.stdout, "  %s: positions in %s (%s)\n", u.Source, u.Unit, u.Evidence)
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(e.stderr, "warning: %s\n", w)
	}
	for _, sk := range r.Skipped {
		fmt.Fprintf(e.stderr, "skipped: %s\n", sk)
	}
	for _, c := range r.Conflicts {
		fmt.Fprintf(e.stderr, "conflict: %s\n", c)
	}
}

// MergeJSON is the `merge --json` contract.
type MergeJSON struct {
	From        string   `json:"from"`
	Articles    int      `json:"articles"` // the colleague's articles found here
	Codes       int      `json:"codes"`
	CodesMatch  int      `json:"codes_matched"`
	Annotations int      `json:"annotations"`
	Present     int      `json:"annotations_present"`
	Updated     int      `json:"annotations_updated"`
	NotMerged   int      `json:"annotations_skipped"`
	Memos       int      `json:"memos"`
	MemosHere   int      `json:"memos_present"`
	MemosUpdate int      `json:"memos_updated"`
	Conflicts   []string `json:"conflicts"`
	Skipped     []string `json:"skipped"`
	// Changes names each annotation and memo replaced by the colleague's
	// newer version.
	Changes []string `json:"updated"`
	// Warnings says what the merge did that the colleague's file did not
	// quite say (a code renamed "Police (2)" beside a namesake).
	Warnings []string `json:"warnings,omitempty"`
}

// MergeFile reads a colleague's project (.parallax, or a REFI-QDA .qdpx or
// .qde) and merges its coding into store (data.Store.Merge). A .parallax
// file is read from a copy, so that opening it (which may bring its schema
// up to date) never writes to the colleague's file.
func MergeFile(ctx context.Context, store *data.Store, path string) (data.QDPXReport, data.Coding, error) {
	var plan *data.QDPXPlan
	switch strings.ToLower(filepath.Ext(path)) {
	case ".qdpx", ".qde":
		p, err := refi.Read(ctx, path)
		if err != nil {
			return data.QDPXReport{}, data.Coding{}, fmt.Errorf("merge %s: %w", path, err)
		}
		plan = p
	default:
		d, err := readOtherProject(ctx, path)
		if err != nil {
			return data.QDPXReport{}, data.Coding{}, fmt.Errorf("merge %s: %w", path, err)
		}
		plan = data.PlanFromExport(d)
	}
	rep, added, err := store.Merge(ctx, plan)
	if err != nil {
		return data.QDPXReport{}, data.Coding{}, fmt.Errorf("merge %s: %w", path, err)
	}
	return rep, added, nil
}

// readOtherProject loads another Parallax project from a temporary copy.
func readOtherProject(ctx context.Context, path string) (*data.ExportData, error) {
	dir, err := os.MkdirTemp("", "parallax-merge-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	copyPath := filepath.Join(dir, "colleague.parallax")
	// The write-ahead log holds changes not yet in the main file.
	for _, suffix := range []string{"", "-wal"} {
		if err := copyFile(path+suffix, copyPath+suffix); err != nil && (suffix == "" || !os.IsNotExist(err)) {
			return nil, err
		}
	}
	other, err := data.Open(copyPath)
	if err != nil {
		return nil, err
	}
	defer other.Close()
	return other.LoadExport(ctx, data.ExportScope{}, filepath.Base(path))
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func cmdMerge(e *env, args []string) error {
	cmd := newProjectCommand("merge")
	from := cmd.String("from", "", "the colleague's project: a .parallax file, or a REFI-QDA .qdpx (or .qde)")
	cmd.coderFlag()
	asJSON := cmd.Bool("json", false, "print the outcome as JSON")
	if err := cmd.parseFlags(args); err != nil {
		return err
	}
	if *from == "" {
		return usageError{"--from FILE is required"}
	}
	return cmd.run(func(store *data.Store) error {
		rep, _, err := MergeFile(e.ctx, store, *from)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(e.stdout, MergeJSON{From: *from, Articles: rep.ArticlesReused, Codes: rep.Codes, CodesMatch: rep.CodesMatched,
				Annotations: rep.Annotations, Present: rep.AnnotationsPresent, Updated: rep.AnnotationsUpdated, NotMerged: rep.AnnotationsSkipped,
				Memos: rep.Memos, MemosHere: rep.MemosPresent, MemosUpdate: rep.MemosUpdated,
				Conflicts: append([]string{}, rep.Conflicts...), Skipped: append([]string{}, rep.Skipped...), Changes: append([]string{}, rep.Updated...),
				Warnings: rep.Warnings})
		}
		fmt.Fprintf(e.stdout, "%s: %d annotations added (%d already here) on %d articles, %d codes added (%d matched), %d memos\n",
			*from, rep.Annotations, rep.AnnotationsPresent, rep.ArticlesReused, rep.Codes, rep.CodesMatched, rep.Memos)
		fmt.Fprintf(e.stdout, "  %s\n", refiCounts(rep))
		for _, u := range rep.Updated {
			fmt.Fprintf(e.stdout, "updated: %s\n", u)
		}
		for _, c := range rep.Conflicts {
			fmt.Fprintf(e.stdout, "conflict: %s\n", c)
		}
		for _, w := range rep.Warnings {
			fmt.Fprintf(e.stderr, "warning: %s\n", w)
		}
		for _, sk := range rep.Skipped {
			fmt.Fprintf(e.stderr, "skipped: %s\n", sk)
		}
		return nil
	})
}

// AgreementJSON is an `agreement --json` row: counts of characters, and
// each figure null when not computed, with the reason in notes.
type AgreementJSON struct {
	Code        string            `json:"code"`
	Article     int64             `json:"article,omitempty"`
	Articles    int               `json:"articles"`
	Characters  int               `json:"characters"`
	Both        int               `json:"both"`
	OnlyA       int               `json:"only_a"`
	OnlyB       int               `json:"only_b"`
	Neither     int               `json:"neither"`
	Agreement   *float64          `json:"agreement_percent"`
	Kappa       *float64          `json:"kappa"`
	AlphaBinary *float64          `json:"alpha_binary"`
	CuAlpha     *float64          `json:"cu_alpha"`
	Notes       map[string]string `json:"notes"`
}

func figureJSON(f agreement.Figure, name string, notes map[string]string) *float64 {
	if !f.OK {
		if f.Why != "" {
			notes[name] = f.Why
		}
		return nil
	}
	v := f.Value
	return &v
}

func cmdAgreement(e *env, args []string) error {
	cmd := newProjectCommand("agreement")
	coders := cmd.String("coders", "", "two or more coder names, comma-separated")
	byArticle := cmd.Bool("by-article", false, "add each code's figures per article (NVivo's per-source figures)")
	csvOut := cmd.String("csv", "", "also write the table to this CSV file")
	asJSON := cmd.Bool("json", false, "print a JSON array")
	if err := cmd.parseFlags(args); err != nil {
		return err
	}
	var names []string
	for _, n := range strings.Split(*coders, ",") {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	if len(names) < 2 {
		return usageError{"--coders needs two or more names, e.g. --coders Ana,Ben"}
	}
	return cmd.run(func(store *data.Store) error {
		in, err := agreement.Load(e.ctx, store, names)
		if err != nil {
			return err
		}
		if len(in.Articles) == 0 {
			return data.Errorf(data.ENotFound, "no article was coded by all of %s; 'parallax annotations --coder NAME' shows each coder's work", strings.Join(names, ", "))
		}
		rows, err := agreement.Compute(in, agreement.Options{ByArticle: *byArticle})
		if err != nil {
			return err
		}
		if *csvOut != "" {
			if err := writeFileAtomic(*csvOut, func(w io.Writer) error { return agreement.WriteCSV(w, rows) }); err != nil {
				return err
			}
		}
		if *asJSON {
			out := make([]AgreementJSON, 0, len(rows))
			for _, r := range rows {
				j := AgreementJSON{Code: r.Code, Article: r.Article, Articles: r.Articles, Characters: r.Characters,
					Both: r.Both, OnlyA: r.OnlyA, OnlyB: r.OnlyB, Neither: r.Neither, Notes: map[string]string{}}
				j.Agreement = figureJSON(r.Agreement, "agreement_percent", j.Notes)
				j.Kappa = figureJSON(r.Kappa, "kappa", j.Notes)
				j.AlphaBinary = figureJSON(r.AlphaBinary, "alpha_binary", j.Notes)
				j.CuAlpha = figureJSON(r.CuAlpha, "cu_alpha", j.Notes)
				out = append(out, j)
			}
			return writeJSON(e.stdout, out)
		}
		fmt.Fprintf(e.stdout, "Coders %s over %d article(s) they all coded; A and B are the first and second of each pair.\n\n", strings.Join(names, ", "), len(in.Articles))
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "CODE\tARTICLE\tCHARS\tBOTH\tA ONLY\tB ONLY\tNEITHER\tAGREE %\tKAPPA\tα-BINARY\tCU-α\t")
		for _, r := range rows {
			art := ""
			if r.Article != 0 {
				art = fmt.Sprint(r.Article)
			}
			pct := "—"
			if r.Agreement.OK {
				pct = fmt.Sprintf("%.1f", r.Agreement.Value)
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t%s\t%s\t\n", r.Code, art, r.Characters, r.Both, r.OnlyA, r.OnlyB, r.Neither,
				pct, r.Kappa, r.AlphaBinary, r.CuAlpha)
		}
		return tw.Flush()
	})
}

// writeFileAtomic writes path through a temporary file renamed into place,
// as exports are written.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".parallax-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
