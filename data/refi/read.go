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
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"golang.org/x/text/unicode/norm"

	"github.com/parallax-research/parallax/data"
)

// maxQDPXBytes caps how much Read decompresses from one archive, so that
// a zip bomb fails fast instead of filling memory. Media entries are never
// read and do not count. A variable so tests can lower it.
var maxQDPXBytes int64 = 512 << 20

// Import imports a REFI-QDA project (.qdpx) into the project: text sources
// as articles, the codebook, coded selections as annotations with their
// notes, and notes as memos. Read checks the whole file before
// data.Store.ApplyQDPX writes it in one transaction: a damaged or hostile
// file leaves the project unchanged.
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

// qdpxArchive is an opened .qdpx: its entries by lower-cased name and the
// decompression budget left.
type qdpxArchive struct {
	entries map[string]*zip.File
	budget  int64
}

// Read opens, reads and checks the .qdpx archive at p and returns what
// importing it would write, without touching any project. A damaged or
// hostile archive (paths leaving the archive, oversized entries, DOCTYPE
// declarations, positions outside the text, references to missing codes
// or sources, invalid UTF-8) is refused with an error naming the entry.
func Read(ctx context.Context, p string) (*data.QDPXPlan, error) {
	f, err := os.Open(p)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the caller names the file
		}
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	return readArchive(ctx, f, st.Size(), filepath.Base(p))
}

// readArchive is Read on the size bytes of an archive at r; file is the
// archive's name, which the plan's sources mention.
func readArchive(ctx context.Context, r io.ReaderAt, size int64, file string) (*data.QDPXPlan, error) {
	zr, err := zip.NewReader(r, size)
	// ErrInsecurePath comes with a usable reader (and only under some
	// GODEBUG settings); every name is checked below either way, so that
	// the error can say which entry is at fault.
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, data.Errorf(data.EInvalid, "not a REFI-QDA project: a .qdpx file is a zip archive, and this one cannot be read as one (%v)", err)
	}
	z := &qdpxArchive{entries: map[string]*zip.File{}, budget: maxQDPXBytes}
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
		z.entries[key] = e
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
	b, err := z.read(qde, z.budget)
	if err != nil {
		return nil, err
	}
	proj, err := parseQDE(b, qde.Name)
	if err != nil {
		return nil, err
	}
	return planQDPX(ctx, z, proj, qde.Name, file)
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
func (z *qdpxArchive) read(e *zip.File, limit int64) ([]byte, error) {
	if e.Mode()&os.ModeSymlink != 0 {
		return nil, data.Errorf(data.EInvalid, "%s: is a symbolic link, not a file", e.Name)
	}
	tooBig := func() error {
		if limit < z.budget {
			return data.Errorf(data.EInvalid, "%s: larger than the %d MB limit for one entry", e.Name, limit>>20)
		}
		return data.Errorf(data.EInvalid, "%s: the archive decompresses to more than %d MB; refusing it as a likely zip bomb", e.Name, maxQDPXBytes>>20)
	}
	limit = min(limit, z.budget)
	if e.UncompressedSize64 > uint64(limit) {
		return nil, tooBig()
	}
	rc, err := e.Open()
	if err != nil {
		return nil, data.Errorf(data.EInvalid, "%s: cannot be read (%v)", e.Name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if int64(len(b)) > limit {
		return nil, tooBig()
	}
	if errors.Is(err, zip.ErrFormat) {
		// archive/zip stops at the size the header declares.
		return nil, data.Errorf(data.EInvalid, "%s: its data does not match its zip header (%d bytes declared); refusing a damaged or hostile archive", e.Name, e.UncompressedSize64)
	}
	if err != nil {
		return nil, data.Errorf(data.EInvalid, "%s: damaged (%v)", e.Name, err)
	}
	z.budget -= int64(len(b))
	return b, nil
}

// internal resolves an "internal://name" path to its entry in the
// archive's sources folder, which tools name "sources" or "Sources".
func (z *qdpxArchive) internal(ref, what string) (*zip.File, error) {
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

// parseQDE decodes project.qde after checking it is UTF-8 XML without a
// document type declaration. encoding/xml expands no external entities,
// but a DOCTYPE has no business in QDA-XML and is how entity attacks
// start, so it is refused outright rather than trusted to be harmless.
func parseQDE(b []byte, entry string) (*qdeProject, error) {
	if !utf8.Valid(b) {
		return nil, data.Errorf(data.EInvalid, "%s: not valid UTF-8 (QDA-XML documents must be UTF-8)", entry)
	}
	b = bytes.TrimPrefix(b, utf8BOM)
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, data.Errorf(data.EInvalid, "%s: not well-formed XML: %v", entry, err)
		}
		if d, ok := tok.(xml.Directive); ok {
			return nil, data.Errorf(data.EInvalid, "%s: contains a declaration (<!%s>); DOCTYPE and entity declarations are not allowed in QDA-XML and are refused",
				entry, refiExcerpt(string(d), 20))
		}
	}
	var p qdeProject
	if err := xml.NewDecoder(bytes.NewReader(b)).Decode(&p); err != nil {
		return nil, data.Errorf(data.EInvalid, "%s: not a QDA-XML project (root element <Project> in namespace %s expected): %v", entry, refiProjectNS, err)
	}
	return &p, nil
}

// planner turns the decoded document into a plan, one section of the
// document at a time, reading the texts it points to and checking every
// reference and position. Sections run in document order, so the first
// problem in the file is the one reported.
type planner struct {
	ctx   context.Context
	z     *qdpxArchive
	p     *qdeProject
	entry string // project.qde's name in the archive, for messages
	file  string // the archive's base name, for provenance
	plan  *data.QDPXPlan

	codeIdx    map[string]int                // code GUID -> index into plan.Codes
	vars       map[string]string             // variable GUID -> name
	allSources map[string]bool               // every source GUID, of any kind
	texts      []qdeTextSource               // the text sources
	srcGUIDs   []string                      // texts' GUIDs, by index
	caseVars   map[string][]qdeVariableValue // source GUID -> values from unnamed cases
	notes      map[string]*planNote          // note GUID -> note
	noteOrder  []string                      // note GUIDs in document order
	linked     map[string][]string           // selection GUID -> note GUIDs
	noteFor    map[string]noteUse            // note GUID -> what its memo is on
	selGUIDs   map[string]bool
	// missingNotes counts references to notes the file does not hold.
	missingNotes int
}

// planNote is a Note of the file: it becomes an annotation's note when a
// selection refers to it (used), and a memo otherwise.
type planNote struct {
	title, text       string
	created, modified time.Time
	used              bool
}

// noteUse is what a note's memo is about when it becomes one.
type noteUse struct {
	kind   string
	target int
	prefix string // put before the title
}

func planQDPX(ctx context.Context, z *qdpxArchive, p *qdeProject, entry, file string) (*data.QDPXPlan, error) {
	pl := &planner{ctx: ctx, z: z, p: p, entry: entry, file: file, plan: &data.QDPXPlan{},
		codeIdx: map[string]int{}, vars: map[string]string{}, allSources: map[string]bool{},
		caseVars: map[string][]qdeVariableValue{}, notes: map[string]*planNote{}, linked: map[string][]string{},
		noteFor: map[string]noteUse{}, selGUIDs: map[string]bool{}}
	for _, section := range []func() error{
		pl.codebook, pl.variables, pl.sources, pl.cases, pl.readNotes, pl.links,
		pl.textSources, pl.memoTargets, pl.sets, pl.memos,
	} {
		if err := section(); err != nil {
			return nil, err
		}
	}
	return pl.plan, nil
}

func (pl *planner) skip(format string, args ...any) {
	pl.plan.Skipped = append(pl.plan.Skipped, fmt.Sprintf(format, args...))
}

// guid returns g in canonical form; what names the element for the error.
func (pl *planner) guid(g, what string) (string, error) {
	u, err := uuid.Parse(strings.TrimSpace(g))
	if err != nil {
		return "", data.Errorf(data.EInvalid, "%s: %s has an invalid GUID %q", pl.entry, what, g)
	}
	return u.String(), nil
}

// codebook plans the codes, parents before children.
func (pl *planner) codebook() error {
	if pl.p.CodeBook == nil {
		return nil
	}
	var walk func(cs []qdeCode, parent int) error
	walk = func(cs []qdeCode, parent int) error {
		for _, c := range cs {
			g, err := pl.guid(c.GUID, fmt.Sprintf("code %q", c.Name))
			if err != nil {
				return err
			}
			if _, dup := pl.codeIdx[g]; dup {
				return data.Errorf(data.EInvalid, "%s: two codes share the GUID %s", pl.entry, g)
			}
			name := strings.TrimSpace(strings.ReplaceAll(c.Name, "/", "∕")) // '/' separates code paths in Parallax
			if name == "" {
				name = "(unnamed code)"
			}
			color := refiColor(c.Color)
			if color == "" {
				color = "#F6B73C"
			}
			pl.codeIdx[g] = len(pl.plan.Codes)
			pl.plan.Codes = append(pl.plan.Codes, data.QDPXCode{GUID: g, Name: name, Color: color, Description: refiDeref(c.Description), Parent: parent})
			if err := walk(c.Codes, pl.codeIdx[g]); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(pl.p.CodeBook.Codes.Codes, -1)
}

// codeRef resolves a reference to a code of the codebook; what names the
// referring element and does not name the entry.
func (pl *planner) codeRef(r *qdeRef, what string) (int, error) {
	if r == nil {
		return 0, data.Errorf(data.EInvalid, "%s: %s has no CodeRef", pl.entry, what)
	}
	g, err := pl.guid(r.Target, what+"'s CodeRef")
	if err != nil {
		return 0, err
	}
	i, ok := pl.codeIdx[g]
	if !ok {
		return 0, data.Errorf(data.EInvalid, "%s: %s refers to code %s, which is not in the codebook", pl.entry, what, g)
	}
	return i, nil
}

// variables reads the variables' names.
func (pl *planner) variables() error {
	if pl.p.Variables == nil {
		return nil
	}
	for _, v := range pl.p.Variables.Variables {
		g, err := pl.guid(v.GUID, fmt.Sprintf("variable %q", v.Name))
		if err != nil {
			return err
		}
		pl.vars[g] = strings.TrimSpace(v.Name)
	}
	return nil
}

// sources records every source GUID, of any kind, so that references to
// a source Parallax skips are not mistaken for references to a missing
// one.
func (pl *planner) sources() error {
	if pl.p.Sources != nil {
		pl.texts = pl.p.Sources.TextSources
		kinds := map[string]int{}
		for _, o := range pl.p.Sources.Others {
			g, err := pl.guid(o.GUID, o.XMLName.Local+" "+strconv.Quote(o.Name))
			if err != nil {
				return err
			}
			pl.allSources[g] = true
			kinds[o.XMLName.Local]++
		}
		for _, k := range slices.Sorted(maps.Keys(kinds)) {
			pl.skip("%d %s element(s): Parallax imports text sources only", kinds[k], k)
		}
	}
	pl.srcGUIDs = make([]string, len(pl.texts))
	for i, t := range pl.texts {
		g, err := pl.guid(t.GUID, fmt.Sprintf("source %q", t.Name))
		if err != nil {
			return err
		}
		if pl.allSources[g] {
			return data.Errorf(data.EInvalid, "%s: two sources share the GUID %s", pl.entry, g)
		}
		pl.allSources[g] = true
		pl.srcGUIDs[i] = g
	}
	return nil
}

// cases collects variable values held in Cases with no name and source
// references: the form MAXQDA and Quirkos use for document variables.
func (pl *planner) cases() error {
	if pl.p.Cases == nil {
		return nil
	}
	named := 0
	for _, c := range pl.p.Cases.Cases {
		var refs []string
		for _, r := range c.SourceRefs {
			g, err := pl.guid(r.Target, "a case's SourceRef")
			if err != nil {
				return err
			}
			if !pl.allSources[g] {
				return data.Errorf(data.EInvalid, "%s: case %s refers to source %s, which is not in the project", pl.entry, c.GUID, g)
			}
			refs = append(refs, g)
		}
		if c.Name != nil {
			named++
			continue
		}
		for _, g := range refs {
			pl.caseVars[g] = append(pl.caseVars[g], c.VariableValues...)
		}
	}
	if named > 0 {
		pl.skip("%d case(s): Parallax has no cases", named)
	}
	return nil
}

// readNotes reads the notes up front: they end up as annotation notes or
// memos.
func (pl *planner) readNotes() error {
	if pl.p.Notes == nil {
		return nil
	}
	for _, n := range pl.p.Notes.Notes {
		g, err := pl.guid(n.GUID, fmt.Sprintf("note %q", n.Name))
		if err != nil {
			return err
		}
		if pl.notes[g] != nil {
			return data.Errorf(data.EInvalid, "%s: two notes share the GUID %s", pl.entry, g)
		}
		what := fmt.Sprintf("%s: note %q", pl.entry, n.Name)
		text, ok, err := pl.z.sourceText(n, what, data.MaxArticleBytes)
		if err != nil {
			return err
		}
		if !ok {
			pl.skip("note %q: its text is outside the archive or missing", n.Name)
		}
		pl.notes[g] = &planNote{title: strings.TrimSpace(n.Name), text: strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n"),
			created: refiParseTime(n.Created), modified: refiParseTime(n.Modified)}
		pl.noteOrder = append(pl.noteOrder, g)
	}
	return nil
}

// takeNote resolves a reference to a note, counting references to notes
// the file does not hold.
func (pl *planner) takeNote(r qdeRef) (*planNote, string) {
	g, err := uuid.Parse(strings.TrimSpace(r.Target))
	if err != nil || pl.notes[g.String()] == nil {
		pl.missingNotes++
		return nil, ""
	}
	return pl.notes[g.String()], g.String()
}

// useNote makes the note r refers to a memo on u, unless a selection took
// it as its note or an earlier reference placed it.
func (pl *planner) useNote(r qdeRef, u noteUse) {
	if n, g := pl.takeNote(r); n != nil && !n.used {
		if _, seen := pl.noteFor[g]; !seen {
			pl.noteFor[g] = u
		}
	}
}

// links reads the Links that join an NVivo annotation (a Note) to the
// selection it is on.
func (pl *planner) links() error {
	if pl.p.Links == nil {
		return nil
	}
	for _, l := range pl.p.Links.Links {
		o, err1 := uuid.Parse(strings.TrimSpace(l.Origin))
		t, err2 := uuid.Parse(strings.TrimSpace(l.Target))
		if err1 != nil || err2 != nil {
			continue
		}
		switch {
		case pl.notes[o.String()] != nil:
			pl.linked[t.String()] = append(pl.linked[t.String()], o.String())
		case pl.notes[t.String()] != nil:
			pl.linked[o.String()] = append(pl.linked[o.String()], t.String())
		}
	}
	return nil
}

// textSources plans each text source as an article with its selections.
func (pl *planner) textSources() error {
	for i, t := range pl.texts {
		if i%64 == 0 {
			if err := pl.ctx.Err(); err != nil {
				return err
			}
		}
		if err := pl.textSource(i, t); err != nil {
			return err
		}
	}
	return nil
}

func (pl *planner) textSource(i int, t qdeTextSource) error {
	what := fmt.Sprintf("%s: source %q", pl.entry, t.Name)
	raw, ok, err := pl.z.sourceText(t, what, data.MaxArticleBytes)
	if err != nil {
		return err
	}
	if !ok {
		pl.skip("source %q: no plain text in the archive (only a rich-text or external file)", t.Name)
		return nil
	}
	total := utf8.RuneCountInString(raw)
	text, remap, err := refiNormalize(raw)
	if err != nil {
		return data.Errorf(data.EInvalid, "%s: %v", what, err)
	}
	if strings.TrimSpace(text) == "" {
		pl.skip("source %q: its text is empty", t.Name)
		return nil
	}
	a := data.Article{Text: text, Source: pl.file + ": " + t.Name}
	a.Title = strings.TrimSpace(t.Name)
	for _, vv := range append(slices.Clone(pl.caseVars[pl.srcGUIDs[i]]), t.VariableValues...) {
		g, err := uuid.Parse(strings.TrimSpace(vv.VariableRef.Target))
		name, known := pl.vars[g.String()]
		if err != nil || !known || name == "" {
			pl.skip("source %q: a value of an undeclared variable %q", t.Name, vv.VariableRef.Target)
			continue
		}
		refiSetVar(&a, name, vv.text())
	}
	src := data.QDPXSource{Article: a}
	idx := len(pl.plan.Sources)
	for _, sel := range t.Selections {
		s, ok, err := pl.selection(t, sel, total, remap)
		if err != nil {
			return err
		}
		if ok {
			src.Selections = append(src.Selections, s)
		}
	}
	// Codings of a whole source become one annotation over all of it.
	if len(t.Codings) > 0 {
		s, err := pl.sourceCodings(t, utf8.RuneCountInString(text))
		if err != nil {
			return err
		}
		src.Selections = append(src.Selections, s)
	}
	for _, r := range t.NoteRefs {
		pl.useNote(r, noteUse{kind: "article", target: idx})
	}
	if d := strings.TrimSpace(refiDeref(t.Description)); d != "" {
		// The source's description is its memo in QualCoder and NVivo.
		pl.plan.Memos = append(pl.plan.Memos, data.QDPXMemo{GUID: refiGUID("description", pl.srcGUIDs[i]), Kind: "article", Target: idx,
			Title: "Description", Text: d, Created: refiParseTime(t.Created), Modified: refiParseTime(t.Modified)})
	}
	pl.plan.Sources = append(pl.plan.Sources, src)
	return nil
}

// selection plans one PlainTextSelection of source t, whose raw text has
// total runes; remap takes its positions to the normalised text. ok is
// false for a selection that normalisation leaves empty.
func (pl *planner) selection(t qdeTextSource, sel qdeSelection, total int, remap func(int) int) (s data.QDPXSelection, ok bool, err error) {
	swhat := fmt.Sprintf("source %q, selection %s", t.Name, sel.GUID)
	g, err := pl.guid(sel.GUID, fmt.Sprintf("a selection in source %q", t.Name))
	if err != nil {
		return s, false, err
	}
	if pl.selGUIDs[g] {
		return s, false, data.Errorf(data.EInvalid, "%s: two selections share the GUID %s", pl.entry, g)
	}
	pl.selGUIDs[g] = true
	start, err1 := strconv.Atoi(strings.TrimSpace(sel.Start))
	end, err2 := strconv.Atoi(strings.TrimSpace(sel.End))
	if err1 != nil || err2 != nil {
		return s, false, data.Errorf(data.EInvalid, "%s: %s: positions %q–%q are not whole numbers", pl.entry, swhat, sel.Start, sel.End)
	}
	if start < 0 || end > total || end <= start {
		return s, false, data.Errorf(data.EInvalid, "%s: %s: positions %d–%d are not a range inside the source's %d characters", pl.entry, swhat, start, end, total)
	}
	s = data.QDPXSelection{GUID: g, Start: remap(start), End: remap(end), Created: refiParseTime(sel.Created), Modified: refiParseTime(sel.Modified)}
	var noteParts []string
	if d := strings.TrimSpace(refiDeref(sel.Description)); d != "" {
		noteParts = append(noteParts, refiDeref(sel.Description))
	}
	refs := slices.Clone(sel.NoteRefs)
	for _, c := range sel.Codings {
		ci, err := pl.codeRef(c.CodeRef, swhat+", coding "+c.GUID)
		if err != nil {
			return s, false, err
		}
		if !slices.Contains(s.Codes, ci) {
			s.Codes = append(s.Codes, ci)
		}
		refs = append(refs, c.NoteRefs...)
	}
	for _, ng := range pl.linked[g] {
		refs = append(refs, qdeRef{Target: ng})
	}
	for _, r := range refs {
		if n, _ := pl.takeNote(r); n != nil && !n.used {
			n.used = true
			if strings.TrimSpace(n.text) != "" {
				noteParts = append(noteParts, n.text)
			}
		}
	}
	s.Note = strings.Join(noteParts, "\n\n")
	if s.End <= s.Start {
		pl.skip("selection %s in source %q: covers only line-end or trailing characters Parallax drops", g, t.Name)
		return s, false, nil
	}
	return s, true, nil
}

// sourceCodings plans the Codings of a whole source as one selection over
// all of its n runes.
func (pl *planner) sourceCodings(t qdeTextSource, n int) (data.QDPXSelection, error) {
	s := data.QDPXSelection{Start: 0, End: n}
	for _, c := range t.Codings {
		cg, err := pl.guid(c.GUID, "a coding of source "+strconv.Quote(t.Name))
		if err != nil {
			return s, err
		}
		if s.GUID == "" {
			s.GUID = cg
		}
		ci, err := pl.codeRef(c.CodeRef, fmt.Sprintf("source %q, coding %s", t.Name, c.GUID))
		if err != nil {
			return s, err
		}
		if !slices.Contains(s.Codes, ci) {
			s.Codes = append(s.Codes, ci)
		}
	}
	return s, nil
}

// memoTargets places the notes referred to from codes and from the
// project.
func (pl *planner) memoTargets() error {
	var codeNotes func(cs []qdeCode)
	codeNotes = func(cs []qdeCode) {
		for _, c := range cs {
			g, _ := uuid.Parse(strings.TrimSpace(c.GUID))
			for _, r := range c.NoteRefs {
				pl.useNote(r, noteUse{kind: "code", target: pl.codeIdx[g.String()]})
			}
			codeNotes(c.Codes)
		}
	}
	if pl.p.CodeBook != nil {
		codeNotes(pl.p.CodeBook.Codes.Codes)
	}
	for _, r := range pl.p.NoteRefs {
		pl.useNote(r, noteUse{kind: "project"})
	}
	return nil
}

// sets checks the Sets' members; their notes go to the project, the sets
// themselves are skipped.
func (pl *planner) sets() error {
	if pl.p.Sets == nil {
		return nil
	}
	for _, set := range pl.p.Sets.Sets {
		for _, r := range set.MemberSources {
			g, err := pl.guid(r.Target, fmt.Sprintf("set %q's MemberSource", set.Name))
			if err != nil {
				return err
			}
			if !pl.allSources[g] {
				return data.Errorf(data.EInvalid, "%s: set %q refers to source %s, which is not in the project", pl.entry, set.Name, g)
			}
		}
		for _, r := range set.MemberCodes {
			if _, err := pl.codeRef(&r, fmt.Sprintf("set %q", set.Name)); err != nil {
				return err
			}
		}
		for _, r := range set.MemberNotes {
			pl.useNote(r, noteUse{kind: "project", prefix: strings.TrimSpace(set.Name) + ": "})
		}
	}
	pl.skip("%d set(s): Parallax builds its clusters from the text; their notes are imported as project memos", len(pl.p.Sets.Sets))
	return nil
}

// memos turns the notes no selection took into memos, on what referred to
// them or else on the project, and adds the project's description.
func (pl *planner) memos() error {
	for _, g := range pl.noteOrder {
		n := pl.notes[g]
		if n.used {
			continue
		}
		u, ok := pl.noteFor[g]
		if !ok {
			u = noteUse{kind: "project"}
		}
		pl.plan.Memos = append(pl.plan.Memos, data.QDPXMemo{GUID: g, Kind: u.kind, Target: u.target, Title: u.prefix + n.title,
			Text: n.text, Created: n.created, Modified: n.modified})
	}
	if pl.missingNotes > 0 {
		pl.skip("%d reference(s) to notes that are not in the file", pl.missingNotes)
	}
	if d := strings.TrimSpace(refiDeref(pl.p.Description)); d != "" {
		pl.plan.Memos = append(pl.plan.Memos, data.QDPXMemo{GUID: refiGUID("project-description", pl.file, d), Kind: "project",
			Title: "Project description", Text: d})
	}
	return nil
}

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
	default:
		return "", false, nil
	}
	return string(bytes.TrimPrefix(b, utf8BOM)), true, nil
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
