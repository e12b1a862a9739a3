// Package app wires Parallax together: the command line, the desktop
// window's lifecycle, and background jobs. It is the only package that
// knows about all the others.
package app

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"maps"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/data/ingest"
	"github.com/parallax-research/parallax/data/refi"
)

// env is what a command runs with: its output streams and whether stderr
// is a terminal (for progress lines).
type env struct {
	stdout, stderr io.Writer
	tty            bool
	ctx            context.Context
}

type command struct {
	name, args, help string
	run              func(e *env, args []string) error
}

// usageError marks bad command-line usage: exit code 2 and a hint.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

var errHelp = errors.New("help requested")

func commands() []command {
	return []command{
		{"import", "[--project FILE] [--manifest CSV] [--outlet NAME] [--date D] [--title T] [--coder NAME] [--json] PATH... | --passim DIR",
			"Import " + ingest.Formats + " (folders recursively; a .qde with its sources folder beside it); or passim's clusters with --passim.", cmdImport},
		{"list", "[--project FILE] [--outlet NAME] [--sort date|outlet|title|words] [--json]",
			"List the project's articles.", cmdList},
		{"edit", "[--project FILE] --articles ID,... [--outlet NAME] [--date D] [--title T] [--author A] [--url U] [--attr NAME=VALUE]... [--json]",
			"Set metadata on several articles at once (an empty --attr value removes the attribute).", cmdEdit},
		{"show", "[--project FILE] --article ID [--json]",
			"Print one article's metadata and text.", cmdShow},
		{"search", "[--project FILE] [--limit N] [--json] QUERY",
			`Full-text search: words, "a phrase", -exclude, prefix*, a OR b (at most 32 terms; -- before a term that is also a flag name).`, cmdSearch},
		{"analyze", "[--project FILE] [--replace] [--json]",
			"Find quotes, speakers and findings, and align them across articles (only new or changed articles are re-read).", cmdAnalyze},
		{"quotes", "[--project FILE] [--article ID] [--json]",
			"List the direct quotations found by analyze, with speaker, cue and confidence.", cmdQuotes},
		{"align", "[--project FILE] [--all] [--json]",
			"Show the clusters of quotes and findings across outlets, with relations and word-level diffs.", cmdAlign},
		{"statement", "[--project FILE] --cluster ID [--json]",
			"Show the whole statement a cluster's reference belongs to: its sentences and how each article carries them.", cmdStatement},
		{"annotate", "[--project FILE] --article ID --start N --end N [--code PATH]... [--note TEXT] [--color #RRGGBB] [--coder NAME] [--json]",
			"Annotate a passage of an article with codes and a note.", cmdAnnotate},
		{"annotations", "[--project FILE] [--article ID] [--code PATH] [--coder NAME] [--json]",
			"List annotations (--code takes the code and the codes under it).", cmdAnnotations},
		{"export", "[--project FILE] --format md|csv|quotes-csv|w3c|qdpx|qdc|html|passim|graphml|dot|pickups-csv|variants-csv|pickups-svg|variants-svg --out PATH [--codes PATH,...] [--articles ID,...] [--clusters ID,...] [--qualified-names]",
			"Export annotations, codes, comparisons and articles in a standard format.", cmdExport},
		{"merge", "[--project FILE] --from colleague.parallax|colleague.qdpx [--coder NAME] [--json]",
			"Merge a colleague's coding into the project: their codes, annotations (with their coder) and memos.", cmdMerge},
		{"agreement", "[--project FILE] --coders A,B[,C...] [--by-article] [--csv FILE] [--json]",
			"Inter-coder agreement per code: percentage agreement, Cohen's kappa, Krippendorff's α-binary and cu-α, with counts.", cmdAgreement},
		{"propagation", "[--project FILE] [--clusters ID,...] [--json]",
			"Show who carried which version of each quote first, which version each was most likely taken from, and which outlets pick up whose wording.", cmdPropagation},
		{"mark", "[--project FILE] --primary|--not-primary --articles ID,...",
			"Mark articles as primary sources (the report, the press release, the transcript): the roots of the propagation.", cmdMark},
		{"snapshot", "[--project FILE] --view library|reader|compare|matrix|propagation|sidebyside|annotations|codebook|memos|agreement [--row N] [--cluster ID] [--edge N] [--article ID] [--with ID] [--select START:END] [--search Q] --out FILE.png [--size 1280x800] [--theme light|dark]",
			"Render a view to a PNG without a display.", cmdSnapshot},
		{"check", "[--project FILE]",
			"Check a project file thoroughly (SQLite's integrity_check and foreign_key_check) and list any damage.", cmdCheck},
		{"recover", "[--project FILE] --out NEW",
			"Copy what can still be read from a damaged project into a new one (the damaged file is only read).", cmdRecover},
		{"version", "", "Print the version.", cmdVersion},
	}
}

// Main runs the command line and returns the process exit code. With no
// command (or only --project) it opens the window.
func Main(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	// A command that finds the project being written by another Parallax
	// waits for it, saying so, rather than fail after a few seconds.
	ctx = data.WithWait(ctx, cliWait, func(note string) { fmt.Fprintln(stderr, "parallax: "+note) })
	e := &env{stdout: stdout, stderr: stderr, ctx: ctx}
	if f, ok := stderr.(*os.File); ok {
		e.tty = term.IsTerminal(int(f.Fd()))
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "--project") {
		return runWindow(e, args)
	}
	// Commands report through their own output; Fyne's background
	// goroutines log through the standard logger (for instance that it
	// cannot parse the POSIX locale), which would corrupt --json output
	// read from a combined stream and confuse scripts.
	log.SetOutput(io.Discard)
	name := args[0]
	switch name {
	case "help", "-h", "--help", "-help":
		if len(args) > 1 {
			if c, ok := findCommand(args[1]); ok {
				printCommandHelp(stdout, c)
				return exitOK
			}
		}
		printHelp(stdout)
		return exitOK
	case "-v", "--version":
		name = "version"
	}
	c, ok := findCommand(name)
	if !ok {
		fmt.Fprintf(stderr, "parallax: unknown command %q\nRun 'parallax help' for the list of commands.\n", name)
		return exitUsage
	}
	err := c.run(e, args[1:])
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errHelp):
		printCommandHelp(stdout, c)
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "parallax %s: %s\nUsage: parallax %s %s\n", c.name, ue.msg, c.name, c.args)
		return exitUsage
	default:
		return reportFailure(stderr, "parallax "+c.name, err)
	}
}

// reportFailure writes err to w after who, with its hint if it has one,
// and returns the exit status for it.
func reportFailure(w io.Writer, who string, err error) int {
	code, hint := failure(err)
	fmt.Fprintf(w, "%s: %v\n", who, err)
	if hint != "" {
		fmt.Fprintln(w, hint)
	}
	return code
}

// cliWait is how long a command waits for another program writing the
// project before it gives up: long enough for a large import's step or a
// window's change, short enough that a script does not hang for good.
const cliWait = 2 * time.Minute

// Exit statuses of the command line (the table in the README).
const (
	exitOK      = 0 // the command did what was asked
	exitFailure = 1 // it could not: the message on stderr says why
	exitUsage   = 2 // the command line itself is wrong: a usage line follows
)

// failure maps a failed command's error to its exit status and, where the
// user can do something about it, a hint printed under the message. The
// kinds are those of data.Error; the others (ENewer, EInvalid, EConflict)
// get no hint, as their messages already say what to do. Every kind exits
// with exitFailure: the exit statuses are part of the command line's
// tested contract, which scripts read as success, failure and usage.
func failure(err error) (exit int, hint string) {
	if ie := (*ImportedClustersError)(nil); errors.As(err, &ie) {
		return exitFailure, "Run 'parallax analyze --replace' to replace them (export them first to keep a copy: 'parallax export --format quotes-csv')."
	}
	switch data.ErrorCode(err) {
	case data.ENotProj: // missing, not a Parallax project, or damaged
		return exitFailure, "Name a Parallax project file with --project (by default: " + defaultProjectDisplay() + ")."
	case data.ENotFound: // no such article, code, ...
		return exitFailure, "'parallax list' shows the articles and their IDs, 'parallax annotations' the codes in use."
	case data.EDamaged:
		return exitFailure, damagedHint
	case data.EBusy:
		return exitFailure, "Try again when the other program has finished."
	case data.EReadOnly:
		return exitFailure, "Reading, searching and exporting work; to change the project, copy it to a folder you can write to."
	}
	return exitFailure, ""
}

func findCommand(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

func printHelp(w io.Writer) {
	fmt.Fprintf(w, "Parallax %s — compare how outlets report the same event.\n\n", Version())
	fmt.Fprintln(w, "Usage:\n  parallax [--project FILE]          open the workbench window")
	fmt.Fprintln(w, "  parallax COMMAND [options]         run a command\n\nCommands:")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, c := range commands() {
		fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.help)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nThe default project is %s.\nRun 'parallax help COMMAND' or 'parallax COMMAND -h' for a command's options.\n", defaultProjectDisplay())
}

func printCommandHelp(w io.Writer, c command) {
	fmt.Fprintf(w, "Usage: parallax %s %s\n\n%s\n", c.name, c.args, c.help)
	// Re-create the command's flags to print their defaults.
	_ = c.run(&env{stdout: io.Discard, stderr: io.Discard, ctx: context.Background()}, []string{"-h"})
	if f := lastFlags; f != nil {
		fmt.Fprintln(w, "\nOptions:")
		f.SetOutput(w)
		f.PrintDefaults()
	}
}

// lastFlags is the flag set of the command most recently parsed, so help
// can print its options without a second table of them.
var lastFlags *flag.FlagSet

// parse parses flags that may stand before, between or after positional
// arguments (researchers type `import folder --project p.db` as often as
// the other way round) and returns the positional ones.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	lastFlags = fs
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errHelp
			}
			return nil, usageError{err.Error()}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// parseQuery parses search's command line: its flags anywhere, and every
// other word, including one that starts with '-' (the exclusion in
// `parallax search -council`), as the query. Only the command's own flag
// names are flags; after "--" everything is query.
func parseQuery(fs *flag.FlagSet, args []string) ([]string, error) {
	var flags, words []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			words = append(words, args[i+1:]...)
			break
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		f := fs.Lookup(name)
		if !strings.HasPrefix(a, "-") || a == "-" || f == nil && name != "h" && name != "help" {
			words = append(words, a)
			continue
		}
		flags = append(flags, a)
		if f == nil || hasValue || i+1 == len(args) {
			continue
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); !ok || !b.IsBoolFlag() {
			i++ // the flag's value
			flags = append(flags, args[i])
		}
	}
	if err := parseFlags(fs, flags); err != nil {
		return nil, err
	}
	return words, nil
}

// parseFlags parses a command that takes flags only.
func parseFlags(fs *flag.FlagSet, args []string) error {
	rest, err := parse(fs, args)
	if err == nil && len(rest) > 0 {
		err = usageError{fmt.Sprintf("unexpected argument %q", rest[0])}
	}
	return err
}

func projectFlag(fs *flag.FlagSet) *string {
	return fs.String("project", "", "project file (default: "+defaultProjectDisplay()+")")
}

// projectCommand is the preamble every command that works on a project
// shares: a flag set that has --project, and run, which opens that project
// for the command's work and closes it afterwards. Arguments are parsed
// and checked before run, so that a usage error never opens (or creates)
// a project.
type projectCommand struct {
	*flag.FlagSet
	project *string
	// create opens a missing project as a new, empty one (import). The
	// other commands refuse it, so that a mistyped path is not created.
	create bool
	// coder, set by coderFlag, names who the command's changes are by.
	coder *string
	// checkBehind opens the project while SQLite's quick_check runs
	// (data.Options.CheckInBackground), for a command that only reads and
	// prints once its work is done: it calls store.Checked before it
	// prints, so that nothing read from a damaged project is printed. The
	// check of a large project (half a second at 16,000 articles) then
	// runs beside the command's work instead of before it.
	checkBehind bool
}

func newProjectCommand(name string) *projectCommand {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	return &projectCommand{FlagSet: fs, project: projectFlag(fs)}
}

// parse parses flags and positional arguments (see parse).
func (c *projectCommand) parse(args []string) ([]string, error) { return parse(c.FlagSet, args) }

// parseFlags parses a command line of flags only.
func (c *projectCommand) parseFlags(args []string) error { return parseFlags(c.FlagSet, args) }

// run opens the project and runs fn on it. A failure to close the project
// (its last checkpoint) is reported when fn succeeded: the command's
// changes are then still in the write-ahead log, not yet in the file.
func (c *projectCommand) run(fn func(store *data.Store) error) (err error) {
	open := openExisting
	switch {
	case c.create:
		open = openProject
	case c.checkBehind:
		open = openExistingBehind
	}
	store, err := open(*c.project)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := store.Close(); err == nil {
			err = cerr
		}
	}()
	if c.coder != nil {
		store.SetCoder(cmp.Or(*c.coder, DefaultCoder()))
	}
	return fn(store)
}

// openProject opens the project named by --project, or the default one,
// creating it (and its folder) if it does not exist, for the window: the
// project is checked while the window shows it
// (data.Options.CheckInBackground).
func openProject(path string) (*data.Store, error) {
	path, err := projectPath(path)
	if err != nil {
		return nil, err
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("create folder for %s: %w", path, err)
		}
	}
	return data.OpenWith(path, data.Options{Create: true, CheckInBackground: true})
}

// openExisting opens a project that must already exist: commands that only
// read should not create an empty project at a mistyped path.
func openExisting(path string) (*data.Store, error) { return openExistingWith(path, data.Options{}) }

// openExistingBehind is openExisting with the project checked while it is
// read (see projectCommand.checkBehind).
func openExistingBehind(path string) (*data.Store, error) {
	return openExistingWith(path, data.Options{CheckInBackground: true})
}

func openExistingWith(path string, opt data.Options) (*data.Store, error) {
	path, err := projectPath(path)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(path); err != nil {
		return nil, &data.Error{Code: data.ENotProj, Message: fmt.Sprintf("no project at %s (import articles to create one)", path), Err: err}
	}
	// Not data.Open: only commands that create projects may make one of
	// an empty file or of another program's empty database.
	return data.OpenWith(path, opt)
}

// projectPath is the project --project names, or the default one.
func projectPath(path string) (string, error) {
	if path != "" {
		return path, nil
	}
	return DefaultProjectPath()
}

// DefaultProjectPath is the project opened when none is named: one file in
// the user's config folder, created on first use.
func DefaultProjectPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the user config folder for the default project: %w", err)
	}
	return filepath.Join(dir, "Parallax", "Default.parallax"), nil
}

func defaultProjectDisplay() string {
	p, err := DefaultProjectPath()
	if err != nil {
		return "(none: no user config folder)"
	}
	return p
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// progressLine prints a self-overwriting progress line on a terminal and
// nothing otherwise, so piped output stays clean.
func (e *env) progressLine() Progress {
	if !e.tty {
		return nil
	}
	return func(stage string, done, total int) {
		fmt.Fprintf(e.stderr, "\r\033[K%s %d/%d", stage, done, total)
		if done == total {
			fmt.Fprint(e.stderr, "\r\033[K")
		}
	}
}

func cmdImport(e *env, args []string) error {
	cmd := newProjectCommand("import")
	cmd.create = true // importing is how a project comes to be
	manifest := cmd.String("manifest", "", "CSV metadata sheet with columns file,outlet,date,title (extra columns become attributes); without it, a folder's own sheet (manifest.csv, metadata.csv, any CSV with a file column) is used")
	outlet := cmd.String("outlet", "", "outlet for every imported article (overrides files and manifest)")
	date := cmd.String("date", "", "date for every imported article: YYYY, YYYY-MM, YYYY-MM-DD, or with a time YYYY-MM-DDTHH:MM[:SS] and a zone Z or ±HH:MM")
	title := cmd.String("title", "", "title for every imported article")
	cmd.coderFlag()
	asJSON := cmd.Bool("json", false, "print the outcome as JSON")
	passim := cmd.String("passim", "", "read passim's output `DIR` (its out.json part files) as the project's clusters")
	paths, err := cmd.parse(args)
	if err != nil {
		return err
	}
	if *passim != "" {
		if len(paths) > 0 || *manifest != "" || *outlet != "" || *date != "" || *title != "" {
			return usageError{"--passim DIR imports clusters only: import articles in a command of their own"}
		}
		cmd.create = false // clusters need the project's articles
		return cmd.run(func(store *data.Store) error { return importPassim(e, store, *passim, *asJSON) })
	}
	if len(paths) == 0 && *manifest == "" {
		return usageError{"name at least one file or folder, or a --manifest"}
	}
	d, err := data.ParseDateTime(*date)
	if err != nil {
		return usageError{"--date: " + err.Error()}
	}
	im := &ingest.Importer{Override: data.Meta{Outlet: *outlet, Date: d, Title: *title}}
	if *manifest != "" {
		m, err := ingest.ReadManifest(*manifest)
		if err != nil {
			return err
		}
		im.Manifest = m
	}
	return cmd.run(func(store *data.Store) error {
		// REFI-QDA files carry codes and annotations too: they have their
		// own importer, one transaction per file.
		var refiOut *RefiJSON
		var refiFailed []FailedJSON
		paths = slices.DeleteFunc(paths, func(p string) bool {
			if !refi.IsREFI(p) {
				return false
			}
			r, err := refi.Import(e.ctx, store, p)
			if err != nil {
				refiFailed = append(refiFailed, FailedJSON{Path: p, Error: err.Error()})
				if !*asJSON {
					fmt.Fprintf(e.stderr, "error: %v\n", err)
				}
				return true
			}
			if refiOut == nil {
				refiOut = &RefiJSON{Units: []UnitJSON{}, Skipped: []string{}, Warnings: []string{}, Updated: []string{}, Conflicts: []string{}}
			}
			refiOut.add(p, r)
			if !*asJSON {
				printRefiReport(e, p, r)
			}
			return true
		})
		if len(paths) == 0 && *manifest == "" {
			if *asJSON {
				out := importJSON(ImportReport{})
				out.Failed = append(out.Failed, refiFailed...)
				out.Refi = refiOut
				if err := writeJSON(e.stdout, out); err != nil {
					return err
				}
			}
			if len(refiFailed) > 0 {
				return fmt.Errorf("%d REFI-QDA file(s) could not be imported", len(refiFailed))
			}
			return nil
		}
		qdpxFailed := len(refiFailed)
		rep, err := RunImport(e.ctx, store, im, paths, e.progressLine())
		if err != nil {
			return fmt.Errorf("import: %w (nothing was imported)", err)
		}
		added, dups, failed := rep.Counts()
		if *asJSON {
			out := importJSON(rep)
			out.Failed = append(out.Failed, refiFailed...)
			out.Refi = refiOut
			if err := writeJSON(e.stdout, out); err != nil {
				return err
			}
		} else {
			for _, o := range rep.Outcomes {
				switch {
				case o.Err != nil:
					fmt.Fprintf(e.stderr, "error: %v\n", o.Err)
				case o.Duplicate:
					fmt.Fprintf(e.stdout, "%s: already in the project as article %d\n", o.Path, o.ID)
				case o.MetaUpdated:
					fmt.Fprintf(e.stdout, "%s: article %d's details updated from %s\n", o.Path, o.ID, filepath.Base(o.Sheet))
				case o.CopyOf != 0 || len(o.OriginalOf) > 0 || o.Updated:
					fmt.Fprintf(e.stdout, "%s: %s\n", o.Path, addedLine(o))
				}
				if o.Err == nil {
					for _, l := range o.warningLines() {
						fmt.Fprintf(e.stderr, "warning: %s\n", l)
					}
				}
			}
			for _, sk := range rep.Skipped {
				fmt.Fprintf(e.stdout, "%s: %d archived %s skipped as not articles (%s)\n", sk.Path, sk.Total(), pluralWord(sk.Total(), "page", "pages"), skipReasons(sk))
			}
			fmt.Fprintln(e.stdout, rep.Summary())
		}
		if failed+qdpxFailed > 0 {
			return fmt.Errorf("%d of %d items failed (%d imported, %d already there)", failed+qdpxFailed, len(rep.Outcomes)+qdpxFailed, added, dups)
		}
		return nil
	})
}

// addedLine says what became of an article added or given a new version
// that repeats another, or was made the original of others: each that
// applies, the new version's annotations too, which a copy or original
// line used to leave out.
func addedLine(o ImportOutcome) string {
	var parts []string
	if o.Updated {
		parts = append(parts, fmt.Sprintf("new version of article %d; annotations %d kept, %d moved, %d orphaned",
			o.ID, o.Reanchor.Kept, o.Reanchor.Moved, o.Reanchor.Orphaned))
	} else {
		parts = append(parts, fmt.Sprintf("article %d", o.ID))
	}
	if o.CopyOf != 0 {
		parts = append(parts, copyPhrase(o.CopyOf, o.CopyShare))
	}
	if len(o.OriginalOf) > 0 {
		parts = append(parts, originalPhrase(o.OriginalOf))
	}
	// After a new version's annotation counts, which hold commas of their
	// own, the copy's phrase is a clause of its own.
	sep := ", "
	if o.Updated {
		sep = "; "
	}
	return strings.Join(parts, sep)
}

// copyPhrase says what an article copies: "same text as article 12" or
// "near-copy of article 12 (87% in common)".
func copyPhrase(of int64, share float64) string {
	if share >= 1 {
		return fmt.Sprintf("same text as article %d", of)
	}
	return fmt.Sprintf("near-copy of article %d (%.0f%% in common)", of, 100*share)
}

// originalPhrase says that an article published first was made the
// original of ids, imported before it.
func originalPhrase(ids []int64) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = fmt.Sprint(id)
	}
	return fmt.Sprintf("original of %s %s (published before %s)",
		pluralWord(len(ids), "article", "articles"), strings.Join(names, ", "), pluralWord(len(ids), "it", "them"))
}

// ImportJSON is the `import --json` contract.
type ImportJSON struct {
	Imported   []ImportedJSON `json:"imported"`
	Duplicates []ImportedJSON `json:"duplicates"`
	Updated    []UpdatedJSON  `json:"updated"`
	Failed     []FailedJSON   `json:"failed"`
	// MetadataUpdated lists files already in the project whose details a
	// metadata sheet updated.
	MetadataUpdated []ImportedJSON `json:"metadata_updated"`
	// Sheets are the metadata sheets used; Copies and NearCopies count the
	// imported articles that repeat an earlier one word for word or nearly.
	Sheets     []string `json:"sheets"`
	Copies     int      `json:"copies"`
	NearCopies int      `json:"near_copies"`
	// Refi is present when REFI-QDA files were imported.
	Refi *RefiJSON `json:"refi,omitempty"`
}

// UpdatedJSON is an article replaced by a new version of itself, with what
// happened to its annotations.
type UpdatedJSON struct {
	ImportedJSON
	Kept     int `json:"kept"`
	Moved    int `json:"moved"`
	Orphaned int `json:"orphaned"`
}

// ImportedJSON is one stored (or already present) article. A copy of an
// earlier article names it, with the share of its text in common (as the
// batch left it: an article a later one of the batch, published first,
// made its copy names that one).
type ImportedJSON struct {
	ID        int64   `json:"id"`
	Path      string  `json:"path"`
	Title     string  `json:"title"`
	CopyOf    int64   `json:"copy_of,omitempty"`
	CopyShare float64 `json:"copy_share,omitempty"`
	// OriginalOf lists the articles imported before this one that its
	// earlier publication date made copies of it.
	OriginalOf []int64 `json:"original_of,omitempty"`
	// Warnings say what the import did not take as the file gave it (a
	// placeholder date or one after the import, dropped).
	Warnings []string `json:"warnings,omitempty"`
}

// FailedJSON is one file or record that could not be imported.
type FailedJSON struct {
	Path  string `json:"path"`
	Error string `json:"error"`
}

// skipReasons words a web archive's skipped pages by reason, most common
// first: "12 not HTML, 3 HTTP 404".
func skipReasons(s ingest.Skip) string {
	reasons := slices.Collect(maps.Keys(s.Why))
	slices.SortFunc(reasons, func(a, b string) int {
		if c := cmp.Compare(s.Why[b], s.Why[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	parts := make([]string, len(reasons))
	for i, r := range reasons {
		parts[i] = fmt.Sprintf("%d %s", s.Why[r], r)
	}
	return strings.Join(parts, ", ")
}

func importJSON(rep ImportReport) ImportJSON {
	out := ImportJSON{Imported: []ImportedJSON{}, Duplicates: []ImportedJSON{}, Updated: []UpdatedJSON{}, Failed: []FailedJSON{},
		MetadataUpdated: []ImportedJSON{}, Sheets: rep.Sheets()}
	out.Copies, out.NearCopies = rep.Copies()
	for _, o := range rep.Outcomes {
		item := ImportedJSON{ID: o.ID, Path: o.Path, Title: o.Title, CopyOf: o.CopyOf, CopyShare: o.CopyShare, OriginalOf: o.OriginalOf, Warnings: o.Warnings}
		switch {
		case o.Err != nil:
			out.Failed = append(out.Failed, FailedJSON{Path: o.Path, Error: o.Err.Error()})
		case o.Updated:
			out.Updated = append(out.Updated, UpdatedJSON{ImportedJSON: item,
				Kept: o.Reanchor.Kept, Moved: o.Reanchor.Moved, Orphaned: o.Reanchor.Orphaned})
		case o.MetaUpdated:
			out.MetadataUpdated = append(out.MetadataUpdated, ImportedJSON{ID: o.ID, Path: o.Path, Title: o.Title, Warnings: o.Warnings})
		case o.Duplicate:
			out.Duplicates = append(out.Duplicates, ImportedJSON{ID: o.ID, Path: o.Path, Title: o.Title, Warnings: o.Warnings})
		default:
			out.Imported = append(out.Imported, item)
		}
	}
	return out
}

// ArticleJSON is a `list --json` row. Inferred names the fields Parallax
// inferred rather than read; CopyOf is the earlier article this one
// repeats (0 for none), with the share of its text in common.
type ArticleJSON struct {
	ID        int64    `json:"id"`
	Outlet    string   `json:"outlet"`
	Date      string   `json:"date"`
	Title     string   `json:"title"`
	URL       string   `json:"url"`
	Words     int      `json:"words"`
	Inferred  []string `json:"inferred"`
	CopyOf    int64    `json:"copy_of"`
	CopyShare float64  `json:"copy_share"`
}

func summaryJSON(s data.Summary) ArticleJSON {
	return ArticleJSON{ID: s.ID, Outlet: s.Outlet, Date: s.Date.String(), Title: s.Title, URL: s.URL, Words: s.Words,
		Inferred: nonNil(s.Inferred), CopyOf: s.CopyOf, CopyShare: s.CopyShare}
}

func cmdList(e *env, args []string) error {
	cmd := newProjectCommand("list")
	outlet := cmd.String("outlet", "", "only this outlet's articles")
	sortBy := cmd.String("sort", "id", "order: id, date, outlet, title or words")
	desc := cmd.Bool("desc", false, "reverse the order")
	asJSON := cmd.Bool("json", false, "print a JSON array")
	if err := cmd.parseFlags(args); err != nil {
		return err
	}
	key := data.SortKey(*sortBy)
	switch key {
	case data.SortID, data.SortDate, data.SortOutlet, data.SortTitle, data.SortWords:
	default:
		return usageError{fmt.Sprintf("--sort %q: want id, date, outlet, title or words", *sortBy)}
	}
	return cmd.run(func(store *data.Store) error {
		rows, err := store.ListArticles(e.ctx, data.ListQuery{Outlet: *outlet, Sort: key, Desc: *desc})
		if err != nil {
			return err
		}
		if *asJSON {
			out := make([]ArticleJSON, 0, len(rows))
			for _, r := range rows {
				out = append(out, summaryJSON(r))
			}
			return writeJSON(e.stdout, out)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tOUTLET\tDATE\tWORDS\tTITLE")
		for _, r := range rows {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\n", r.ID, r.Outlet, r.Date, r.Words, r.Title)
		}
		return tw.Flush()
	})
}

// ShowJSON is the `show --json` contract. Text is the stored text that all
// rune offsets in the project index.
type ShowJSON struct {
	ID         int64             `json:"id"`
	Outlet     string            `json:"outlet"`
	Date       string            `json:"date"`
	Title      string            `json:"title"`
	URL        string            `json:"url"`
	Author     string            `json:"author"`
	Words      int               `json:"words"`
	Attributes map[string]string `json:"attributes"`
	Text       string            `json:"text"`
	// Inferred names the metadata fields Parallax inferred rather than
	// read, for the researcher to check; CopyOf is the earlier article this
	// one repeats (0 for none), CopyShare the share of its text in common.
	Inferred  []string `json:"inferred"`
	CopyOf    int64    `json:"copy_of"`
	CopyShare float64  `json:"copy_share"`
}

func cmdShow(e *env, args []string) error {
	cmd := newProjectCommand("show")
	id := cmd.Int64("article", 0, "article ID (see 'parallax list')")
	asJSON := cmd.Bool("json", false, "print JSON")
	if err := cmd.parseFlags(args); err != nil {
		return err
	}
	if *id <= 0 {
		return usageError{"--article ID is required"}
	}
	return cmd.run(func(store *data.Store) error {
		a, err := store.Article(e.ctx, *id)
		if err != nil {
			return err
		}
		if *asJSON {
			attrs := a.Attributes
			if attrs == nil {
				attrs = map[string]string{}
			}
			return writeJSON(e.stdout, ShowJSON{ID: a.ID, Outlet: a.Outlet, Date: a.Date.String(), Title: a.Title, URL: a.URL,
				Author: a.Author, Words: a.Words, Attributes: attrs, Text: a.Text,
				Inferred: nonNil(a.Inferred), CopyOf: a.CopyOf, CopyShare: a.CopyShare})
		}
		fmt.Fprintf(e.stdout, "%s\n%s\n", a.Title, joinNonEmpty(" · ", a.Outlet, a.Date.String(), a.Author, a.URL))
		if len(a.Inferred) > 0 {
			fmt.Fprintf(e.stdout, "inferred, to check: %s\n", strings.Join(a.Inferred, ", "))
		}
		if a.CopyOf != 0 {
			fmt.Fprintln(e.stdout, copyPhrase(a.CopyOf, a.CopyShare))
		}
		keys := make([]string, 0, len(a.Attributes))
		for k := range a.Attributes {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(e.stdout, "%s: %s\n", k, a.Attributes[k])
		}
		fmt.Fprintf(e.stdout, "\n%s\n", a.Text)
		return nil
	})
}

// SearchJSON is a `search --json` row: the article, a snippet, and the
// matched terms in the snippet as rune offsets.
type SearchJSON struct {
	ArticleJSON
	Snippet string     `json:"snippet"`
	Matches []SpanJSON `json:"matches"`
}

// SpanJSON is a [start, end) range of rune offsets.
type SpanJSON struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

func cmdSearch(e *env, args []string) error {
	cmd := newProjectCommand("search")
	limit := cmd.Int("limit", 50, "at most this many results")
	asJSON := cmd.Bool("json", false, "print a JSON array")
	words, err := parseQuery(cmd.FlagSet, args)
	if err != nil {
		return err
	}
	if len(words) == 0 {
		return usageError{"give a search query"}
	}
	query := strings.Join(words, " ")
	return cmd.run(func(store *data.Store) error {
		hits, err := store.Search(e.ctx, query, *limit)
		if err != nil {
			return err
		}
		if note := data.QueryNote(query); note != "" {
			fmt.Fprintln(e.stderr, "note: "+note)
		}
		if *asJSON {
			out := make([]SearchJSON, 0, len(hits))
			for _, h := range hits {
				m := make([]SpanJSON, 0, len(h.Marks))
				for _, s := range h.Marks {
					m = append(m, SpanJSON{Start: s[0], End: s[1]})
				}
				out = append(out, SearchJSON{ArticleJSON: summaryJSON(h.Summary), Snippet: h.Snippet, Matches: m})
			}
			return writeJSON(e.stdout, out)
		}
		if len(hits) == 0 {
			fmt.Fprintln(e.stdout, "No matches.")
			return nil
		}
		for _, h := range hits {
			fmt.Fprintf(e.stdout, "%d  %s\n    %s\n    %s\n", h.ID, h.Title, joinNonEmpty(" · ", h.Outlet, h.Date.String()),
				markSnippet(h.Snippet, h.Marks, e.stdoutIsTTY()))
		}
		return nil
	})
}

func (e *env) stdoutIsTTY() bool {
	f, ok := e.stdout.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// markSnippet shows matches in bold on a terminal and between [ ] in
// plain output.
func markSnippet(s string, marks [][2]int, tty bool) string {
	open, close := "[", "]"
	if tty {
		open, close = "\033[1m", "\033[0m"
	}
	runes := []rune(strings.ReplaceAll(s, "\n", " "))
	var b strings.Builder
	pos := 0
	for _, m := range marks {
		if m[0] < pos || m[1] > len(runes) {
			continue
		}
		b.WriteString(string(runes[pos:m[0]]) + open + string(runes[m[0]:m[1]]) + close)
		pos = m[1]
	}
	b.WriteString(string(runes[pos:]))
	return b.String()
}

func cmdVersion(e *env, args []string) error {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "parallax %s\n", VersionLine())
	return nil
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
