package app

import (
	"fmt"
	"strings"
	"time"

	"github.com/parallax-research/parallax/data"
)

// stringList is a repeatable flag (--code A --code B).
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// AnnotationJSON is an `annotations --json` row; codes are paths such as
// "Findings/Severity", times RFC 3339 UTC.
type AnnotationJSON struct {
	ID       int64    `json:"id"`
	Article  int64    `json:"article"`
	Start    int      `json:"start"`
	End      int      `json:"end"`
	Text     string   `json:"text"`
	Codes    []string `json:"codes"`
	Note     string   `json:"note"`
	Color    string   `json:"color"`
	Created  string   `json:"created"`
	Modified string   `json:"modified"`
	// Orphaned: the article was re-imported and the passage could not be
	// found again; start/end are its old place.
	Orphaned bool `json:"orphaned"`
	// Coder made the annotation ("" when not known); CodeGUIDs name its
	// codes by GUID, in the order of codes.
	Coder     string   `json:"coder"`
	CodeGUIDs []string `json:"code_guids"`
}

// annotationJSON is an annotation as the command line prints it. Codes
// are typed paths (a "/" inside a name written "\/"), so that each can be
// given back to --code.
func annotationJSON(a data.Annotation, codes []data.Code) AnnotationJSON {
	out := AnnotationJSON{ID: a.ID, Article: a.ArticleID, Start: a.Start, End: a.End, Text: a.Exact, Codes: []string{}, CodeGUIDs: []string{},
		Note: a.Note, Color: a.Color, Orphaned: a.Orphaned, Created: a.Created.UTC().Format(time.RFC3339), Modified: a.Modified.UTC().Format(time.RFC3339),
		Coder: a.Creator}
	for _, id := range a.CodeIDs {
		out.Codes = append(out.Codes, data.CodeAddress(codes, id))
		for _, c := range codes {
			if c.ID == id {
				out.CodeGUIDs = append(out.CodeGUIDs, c.GUID)
			}
		}
	}
	return out
}

func cmdAnnotate(e *env, args []string) error {
	cmd := newProjectCommand("annotate")
	article := cmd.Int64("article", 0, "article ID")
	start := cmd.Int("start", -1, "first character (rune offset, from 0)")
	end := cmd.Int("end", -1, "character after the last (rune offset)")
	var codes stringList
	cmd.Var(&codes, "code", `code path such as Findings/Severity (repeatable; missing codes are created; a "/" inside a name is \/, or name a code as guid:GUID)`)
	note := cmd.String("note", "", "note text")
	color := cmd.String("color", "", "highlight colour, #RRGGBB (default: the first code's)")
	cmd.coderFlag()
	asJSON := cmd.Bool("json", false, "print the new annotation as JSON")
	if err := cmd.parseFlags(args); err != nil {
		return err
	}
	if *article <= 0 || *start < 0 || *end <= *start {
		return usageError{"--article ID, --start N and --end N (with END > START) are required"}
	}
	return cmd.run(func(store *data.Store) error {
		// Codes and annotation in one transaction: a bad range creates nothing.
		a, _, err := store.CreateAnnotationWithCodes(e.ctx, data.Annotation{ArticleID: *article, Start: *start, End: *end, Note: *note, Color: *color}, codes)
		if err != nil {
			return err
		}
		all, err := store.Codes(e.ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(e.stdout, annotationJSON(a, all))
		}
		fmt.Fprintf(e.stdout, "Annotation %d on article %d, characters %d–%d: “%s”\n", a.ID, a.ArticleID, a.Start, a.End, a.Exact)
		return nil
	})
}

func cmdAnnotations(e *env, args []string) error {
	cmd := newProjectCommand("annotations")
	article := cmd.Int64("article", 0, "only this article's annotations")
	code := cmd.String("code", "", `only annotations with this code or a code under it (a path, "/" inside a name as \/, or guid:GUID)`)
	coder := cmd.String("coder", "", "only annotations this coder made")
	asJSON := cmd.Bool("json", false, "print a JSON array")
	if err := cmd.parseFlags(args); err != nil {
		return err
	}
	return cmd.run(func(store *data.Store) error {
		codes, err := store.Codes(e.ctx)
		if err != nil {
			return err
		}
		f := data.AnnotationFilter{ArticleID: *article, Coder: *coder}
		if *code != "" {
			c, err := data.FindCode(codes, *code)
			if err != nil {
				return err
			}
			f.CodeID = c.ID
		}
		list, err := store.Annotations(e.ctx, f)
		if err != nil {
			return err
		}
		out := make([]AnnotationJSON, 0, len(list))
		for _, a := range list {
			out = append(out, annotationJSON(a, codes))
		}
		if *asJSON {
			return writeJSON(e.stdout, out)
		}
		for _, a := range out {
			by := ""
			if a.Coder != "" {
				by = "  by " + a.Coder
			}
			fmt.Fprintf(e.stdout, "%d  article %d  %d–%d  [%s]%s  “%s”\n", a.ID, a.Article, a.Start, a.End, strings.Join(a.Codes, ", "), by, a.Text)
			if a.Note != "" {
				fmt.Fprintf(e.stdout, "    %s\n", strings.ReplaceAll(a.Note, "\n", "\n    "))
			}
		}
		return nil
	})
}
