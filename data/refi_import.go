package data

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
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
)

// maxQDPXBytes caps how much ImportQDPX decompresses from one archive, so
// that a zip bomb fails fast instead of filling memory. Media entries are
// never read and do not count. A variable so tests can lower it.
var maxQDPXBytes int64 = 512 << 20

// QDPXReport says what ImportQDPX did.
type QDPXReport struct {
	// Articles is the number of articles added; ArticlesReused the sources
	// whose text was already in the project, whose annotations were added
	// to the existing article.
	Articles, ArticlesReused int
	// Codes is the number of codes added; CodesMatched the codes found in
	// the project by GUID or by path and used as they are.
	Codes, CodesMatched int
	// Annotations is the number added; AnnotationsPresent those whose
	// GUID was already in the project (an earlier import of the same
	// file), left unchanged.
	Annotations, AnnotationsPresent int
	// Memos is the number added; MemosPresent those already there.
	Memos, MemosPresent int
	// Skipped lists, one line each, what the file holds that Parallax did
	// not import and why.
	Skipped []string
}

// ImportQDPX imports a REFI-QDA project (.qdpx) into the project: text
// sources as articles, the codebook, coded selections as annotations with
// their notes, and notes as memos, all in one transaction.
//
// Articles whose text is already in the project are reused, so importing
// a file twice adds nothing the second time. Codes are matched by GUID,
// then by path, and created when neither matches. The whole file is read
// and checked before anything is written: a damaged or hostile archive
// (paths leaving the archive, oversized entries, DOCTYPE declarations,
// positions outside the text, references to missing codes or sources,
// invalid UTF-8) is refused with an error naming the entry, and the
// project is left unchanged.
func (s *Store) ImportQDPX(ctx context.Context, path string) (QDPXReport, error) {
	plan, err := readQDPX(ctx, path)
	if err != nil {
		return QDPXReport{}, fmt.Errorf("import %s: %w", path, err)
	}
	rep, err := s.applyQDPX(ctx, plan)
	if err != nil {
		return QDPXReport{}, fmt.Errorf("import %s: %w", path, err)
	}
	return rep, nil
}

// refiPlan is a .qdpx read and checked, ready to write.
type refiPlan struct {
	file    string // the archive's base name, for provenance
	codes   []refiCode
	sources []refiSource
	memos   []refiMemo
	skipped []string
}

type refiCode struct {
	guid, name, color, description string
	parent                         int // index into codes, -1 at the top
}

type refiSource struct {
	article Article
	anns    []refiAnn
}

type refiAnn struct {
	guid              string
	start, end        int // in the normalised text
	codes             []int
	note              string
	created, modified time.Time
}

type refiMemo struct {
	guid, kind, title, text string
	target                  int // index into sources or codes, by kind
	created, modified       time.Time
}

// qdpxArchive is an opened .qdpx: its entries by lower-cased name and the
// decompression budget left.
type qdpxArchive struct {
	entries map[string]*zip.File
	budget  int64
}

// readQDPX opens, reads and checks the archive at p without touching the
// project.
func readQDPX(ctx context.Context, p string) (*refiPlan, error) {
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
	zr, err := zip.NewReader(f, st.Size())
	// ErrInsecurePath comes with a usable reader (and only under some
	// GODEBUG settings); every name is checked below either way, so that
	// the error can say which entry is at fault.
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, Errorf(EInvalid, "not a REFI-QDA project: a .qdpx file is a zip archive, and this one cannot be read as one (%v)", err)
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
			return nil, Errorf(EInvalid, "entry %q appears twice in the archive; refusing an ambiguous file", e.Name)
		}
		z.entries[key] = e
	}

	qde := z.entries["project.qde"]
	if qde == nil {
		// Some tools name the document after the project.
		for k, e := range z.entries {
			if !strings.Contains(k, "/") && strings.HasSuffix(k, ".qde") {
				if qde != nil {
					return nil, Errorf(EInvalid, "no project.qde and several .qde documents (%s, %s); cannot tell which is the project", qde.Name, e.Name)
				}
				qde = e
			}
		}
	}
	if qde == nil {
		return nil, Errorf(EInvalid, "no project.qde in the archive: not a REFI-QDA project")
	}
	b, err := z.read(qde, z.budget)
	if err != nil {
		return nil, err
	}
	proj, err := parseQDE(b, qde.Name)
	if err != nil {
		return nil, err
	}
	return planQDPX(ctx, z, proj, qde.Name, filepath.Base(p))
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
		return "", Errorf(EInvalid, "entry %q points outside the archive (an absolute path or \"..\"); refusing the file", name)
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
		return nil, Errorf(EInvalid, "%s: is a symbolic link, not a file", e.Name)
	}
	tooBig := func() error {
		if limit < z.budget {
			return Errorf(EInvalid, "%s: larger than the %d MB limit for one entry", e.Name, limit>>20)
		}
		return Errorf(EInvalid, "%s: the archive decompresses to more than %d MB; refusing it as a likely zip bomb", e.Name, maxQDPXBytes>>20)
	}
	limit = min(limit, z.budget)
	if e.UncompressedSize64 > uint64(limit) {
		return nil, tooBig()
	}
	rc, err := e.Open()
	if err != nil {
		return nil, Errorf(EInvalid, "%s: cannot be read (%v)", e.Name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if int64(len(b)) > limit {
		return nil, tooBig()
	}
	if errors.Is(err, zip.ErrFormat) {
		// archive/zip stops at the size the header declares.
		return nil, Errorf(EInvalid, "%s: its data does not match its zip header (%d bytes declared); refusing a damaged or hostile archive", e.Name, e.UncompressedSize64)
	}
	if err != nil {
		return nil, Errorf(EInvalid, "%s: damaged (%v)", e.Name, err)
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
		return nil, Errorf(EInvalid, "%s: path %q points outside the archive; refusing the file", what, ref)
	}
	e := z.entries["sources/"+key]
	if e == nil {
		return nil, Errorf(EInvalid, "%s: refers to %q, which is not in the archive's sources folder", what, ref)
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
		return nil, Errorf(EInvalid, "%s: not valid UTF-8 (QDA-XML documents must be UTF-8)", entry)
	}
	b = bytes.TrimPrefix(b, utf8BOM)
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, Errorf(EInvalid, "%s: not well-formed XML: %v", entry, err)
		}
		if d, ok := tok.(xml.Directive); ok {
			return nil, Errorf(EInvalid, "%s: contains a declaration (<!%s>); DOCTYPE and entity declarations are not allowed in QDA-XML and are refused",
				entry, refiExcerpt(string(d), 20))
		}
	}
	var p qdeProject
	if err := xml.NewDecoder(bytes.NewReader(b)).Decode(&p); err != nil {
		return nil, Errorf(EInvalid, "%s: not a QDA-XML project (root element <Project> in namespace %s expected): %v", entry, refiProjectNS, err)
	}
	return &p, nil
}

// planQDPX turns the decoded document into a plan, reading the texts it
// points to and checking every reference and position.
func planQDPX(ctx context.Context, z *qdpxArchive, p *qdeProject, entry, file string) (*refiPlan, error) {
	plan := &refiPlan{file: file}
	skip := func(format string, args ...any) { plan.skipped = append(plan.skipped, fmt.Sprintf(format, args...)) }
	guid := func(g, what string) (string, error) {
		u, err := uuid.Parse(strings.TrimSpace(g))
		if err != nil {
			return "", Errorf(EInvalid, "%s: %s has an invalid GUID %q", entry, what, g)
		}
		return u.String(), nil
	}

	// Codes, parents before children.
	codeIdx := map[string]int{}
	var walk func(cs []qdeCode, parent, depth int) error
	walk = func(cs []qdeCode, parent, depth int) error {
		for _, c := range cs {
			g, err := guid(c.GUID, fmt.Sprintf("code %q", c.Name))
			if err != nil {
				return err
			}
			if _, dup := codeIdx[g]; dup {
				return Errorf(EInvalid, "%s: two codes share the GUID %s", entry, g)
			}
			name := strings.TrimSpace(strings.ReplaceAll(c.Name, "/", "∕")) // '/' separates code paths in Parallax
			if name == "" {
				name = "(unnamed code)"
			}
			color := refiColor(c.Color)
			if color == "" {
				color = "#F6B73C"
			}
			codeIdx[g] = len(plan.codes)
			plan.codes = append(plan.codes, refiCode{guid: g, name: name, color: color, description: refiDeref(c.Description), parent: parent})
			if err := walk(c.Codes, codeIdx[g], depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if p.CodeBook != nil {
		if err := walk(p.CodeBook.Codes.Codes, -1, 0); err != nil {
			return nil, err
		}
	}
	codeRef := func(r *qdeRef, what string) (int, error) { // what does not name the entry
		if r == nil {
			return 0, Errorf(EInvalid, "%s: %s has no CodeRef", entry, what)
		}
		g, err := guid(r.Target, what+"'s CodeRef")
		if err != nil {
			return 0, err
		}
		i, ok := codeIdx[g]
		if !ok {
			return 0, Errorf(EInvalid, "%s: %s refers to code %s, which is not in the codebook", entry, what, g)
		}
		return i, nil
	}

	vars := map[string]string{}
	if p.Variables != nil {
		for _, v := range p.Variables.Variables {
			g, err := guid(v.GUID, fmt.Sprintf("variable %q", v.Name))
			if err != nil {
				return nil, err
			}
			vars[g] = strings.TrimSpace(v.Name)
		}
	}

	// Every source GUID, of any kind, so that references to a source
	// Parallax skips are not mistaken for references to a missing one.
	allSources := map[string]bool{}
	var texts []qdeTextSource
	if p.Sources != nil {
		texts = p.Sources.TextSources
		kinds := map[string]int{}
		for _, o := range p.Sources.Others {
			g, err := guid(o.GUID, o.XMLName.Local+" "+strconv.Quote(o.Name))
			if err != nil {
				return nil, err
			}
			allSources[g] = true
			kinds[o.XMLName.Local]++
		}
		for _, k := range slices.Sorted(maps.Keys(kinds)) {
			skip("%d %s element(s): Parallax imports text sources only", kinds[k], k)
		}
	}
	srcGUIDs := make([]string, len(texts))
	for i, t := range texts {
		g, err := guid(t.GUID, fmt.Sprintf("source %q", t.Name))
		if err != nil {
			return nil, err
		}
		if allSources[g] {
			return nil, Errorf(EInvalid, "%s: two sources share the GUID %s", entry, g)
		}
		allSources[g] = true
		srcGUIDs[i] = g
	}

	// Variable values held in Cases with no name and source references:
	// the form MAXQDA and Quirkos use for document variables.
	caseVars := map[string][]qdeVariableValue{}
	if p.Cases != nil {
		named := 0
		for _, c := range p.Cases.Cases {
			var refs []string
			for _, r := range c.SourceRefs {
				g, err := guid(r.Target, "a case's SourceRef")
				if err != nil {
					return nil, err
				}
				if !allSources[g] {
					return nil, Errorf(EInvalid, "%s: case %s refers to source %s, which is not in the project", entry, c.GUID, g)
				}
				refs = append(refs, g)
			}
			if c.Name != nil {
				named++
				continue
			}
			for _, g := range refs {
				caseVars[g] = append(caseVars[g], c.VariableValues...)
			}
		}
		if named > 0 {
			skip("%d case(s): Parallax has no cases", named)
		}
	}

	// Notes, read up front: they end up as annotation notes or memos.
	type note struct {
		title, text       string
		created, modified time.Time
		used              bool
	}
	notes := map[string]*note{}
	var noteOrder []string
	if p.Notes != nil {
		for _, n := range p.Notes.Notes {
			g, err := guid(n.GUID, fmt.Sprintf("note %q", n.Name))
			if err != nil {
				return nil, err
			}
			if notes[g] != nil {
				return nil, Errorf(EInvalid, "%s: two notes share the GUID %s", entry, g)
			}
			what := fmt.Sprintf("%s: note %q", entry, n.Name)
			text, ok, err := z.sourceText(n, what, MaxArticleBytes)
			if err != nil {
				return nil, err
			}
			if !ok {
				skip("note %q: its text is outside the archive or missing", n.Name)
			}
			notes[g] = &note{title: strings.TrimSpace(n.Name), text: strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n"),
				created: refiParseTime(n.Created), modified: refiParseTime(n.Modified)}
			noteOrder = append(noteOrder, g)
		}
	}
	missingNotes := 0
	takeNote := func(r qdeRef) (*note, string) {
		g, err := uuid.Parse(strings.TrimSpace(r.Target))
		if err != nil || notes[g.String()] == nil {
			missingNotes++
			return nil, ""
		}
		return notes[g.String()], g.String()
	}

	// Links join an NVivo annotation (a Note) to the selection it is on.
	linked := map[string][]string{} // selection GUID -> note GUIDs
	if p.Links != nil {
		for _, l := range p.Links.Links {
			o, err1 := uuid.Parse(strings.TrimSpace(l.Origin))
			t, err2 := uuid.Parse(strings.TrimSpace(l.Target))
			if err1 != nil || err2 != nil {
				continue
			}
			switch {
			case notes[o.String()] != nil:
				linked[t.String()] = append(linked[t.String()], o.String())
			case notes[t.String()] != nil:
				linked[o.String()] = append(linked[o.String()], t.String())
			}
		}
	}

	type noteUse struct {
		kind   string
		target int
		prefix string
	}
	noteFor := map[string]noteUse{}
	useNote := func(r qdeRef, u noteUse) {
		if n, g := takeNote(r); n != nil && !n.used {
			if _, seen := noteFor[g]; !seen {
				noteFor[g] = u
			}
		}
	}

	selGUIDs := map[string]bool{}
	for i, t := range texts {
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		what := fmt.Sprintf("%s: source %q", entry, t.Name)
		raw, ok, err := z.sourceText(t, what, MaxArticleBytes)
		if err != nil {
			return nil, err
		}
		if !ok {
			skip("source %q: no plain text in the archive (only a rich-text or external file)", t.Name)
			continue
		}
		total := utf8.RuneCountInString(raw)
		text, remap, err := refiNormalize(raw)
		if err != nil {
			return nil, Errorf(EInvalid, "%s: %v", what, err)
		}
		if strings.TrimSpace(text) == "" {
			skip("source %q: its text is empty", t.Name)
			continue
		}
		a := Article{Text: text, Source: plan.file + ": " + t.Name}
		a.Title = strings.TrimSpace(t.Name)
		for _, vv := range append(slices.Clone(caseVars[srcGUIDs[i]]), t.VariableValues...) {
			g, err := uuid.Parse(strings.TrimSpace(vv.VariableRef.Target))
			name, known := vars[g.String()]
			if err != nil || !known || name == "" {
				skip("source %q: a value of an undeclared variable %q", t.Name, vv.VariableRef.Target)
				continue
			}
			refiSetVar(&a, name, vv.text())
		}
		src := refiSource{article: a}
		idx := len(plan.sources)

		for _, sel := range t.Selections {
			swhat := fmt.Sprintf("source %q, selection %s", t.Name, sel.GUID)
			g, err := guid(sel.GUID, fmt.Sprintf("a selection in source %q", t.Name))
			if err != nil {
				return nil, err
			}
			if selGUIDs[g] {
				return nil, Errorf(EInvalid, "%s: two selections share the GUID %s", entry, g)
			}
			selGUIDs[g] = true
			start, err1 := strconv.Atoi(strings.TrimSpace(sel.Start))
			end, err2 := strconv.Atoi(strings.TrimSpace(sel.End))
			if err1 != nil || err2 != nil {
				return nil, Errorf(EInvalid, "%s: %s: positions %q–%q are not whole numbers", entry, swhat, sel.Start, sel.End)
			}
			if start < 0 || end > total || end <= start {
				return nil, Errorf(EInvalid, "%s: %s: positions %d–%d are not a range inside the source's %d characters", entry, swhat, start, end, total)
			}
			an := refiAnn{guid: g, start: remap(start), end: remap(end), created: refiParseTime(sel.Created), modified: refiParseTime(sel.Modified)}
			var noteParts []string
			if d := strings.TrimSpace(refiDeref(sel.Description)); d != "" {
				noteParts = append(noteParts, refiDeref(sel.Description))
			}
			refs := slices.Clone(sel.NoteRefs)
			for _, c := range sel.Codings {
				ci, err := codeRef(c.CodeRef, swhat+", coding "+c.GUID)
				if err != nil {
					return nil, err
				}
				if !slices.Contains(an.codes, ci) {
					an.codes = append(an.codes, ci)
				}
				refs = append(refs, c.NoteRefs...)
			}
			for _, ng := range linked[g] {
				refs = append(refs, qdeRef{Target: ng})
			}
			for _, r := range refs {
				if n, _ := takeNote(r); n != nil && !n.used {
					n.used = true
					if strings.TrimSpace(n.text) != "" {
						noteParts = append(noteParts, n.text)
					}
				}
			}
			an.note = strings.Join(noteParts, "\n\n")
			if an.end <= an.start {
				skip("selection %s in source %q: covers only line-end or trailing characters Parallax drops", g, t.Name)
				continue
			}
			src.anns = append(src.anns, an)
		}
		// Codings of a whole source become one annotation over all of it.
		if len(t.Codings) > 0 {
			an := refiAnn{start: 0, end: utf8.RuneCountInString(text)}
			for _, c := range t.Codings {
				cg, err := guid(c.GUID, "a coding of source "+strconv.Quote(t.Name))
				if err != nil {
					return nil, err
				}
				if an.guid == "" {
					an.guid = cg
				}
				ci, err := codeRef(c.CodeRef, fmt.Sprintf("source %q, coding %s", t.Name, c.GUID))
				if err != nil {
					return nil, err
				}
				if !slices.Contains(an.codes, ci) {
					an.codes = append(an.codes, ci)
				}
			}
			src.anns = append(src.anns, an)
		}
		for _, r := range t.NoteRefs {
			useNote(r, noteUse{kind: "article", target: idx})
		}
		if d := strings.TrimSpace(refiDeref(t.Description)); d != "" {
			// The source's description is its memo in QualCoder and NVivo.
			plan.memos = append(plan.memos, refiMemo{guid: refiGUID("description", srcGUIDs[i]), kind: "article", target: idx,
				title: "Description", text: d, created: refiParseTime(t.Created), modified: refiParseTime(t.Modified)})
		}
		plan.sources = append(plan.sources, src)
	}

	// Memo targets: codes, then the project; sets' notes go to the project.
	var codeNotes func(cs []qdeCode)
	codeNotes = func(cs []qdeCode) {
		for _, c := range cs {
			g, _ := uuid.Parse(strings.TrimSpace(c.GUID))
			for _, r := range c.NoteRefs {
				useNote(r, noteUse{kind: "code", target: codeIdx[g.String()]})
			}
			codeNotes(c.Codes)
		}
	}
	if p.CodeBook != nil {
		codeNotes(p.CodeBook.Codes.Codes)
	}
	for _, r := range p.NoteRefs {
		useNote(r, noteUse{kind: "project"})
	}
	if p.Sets != nil {
		for _, set := range p.Sets.Sets {
			for _, r := range set.MemberSources {
				g, err := guid(r.Target, fmt.Sprintf("set %q's MemberSource", set.Name))
				if err != nil {
					return nil, err
				}
				if !allSources[g] {
					return nil, Errorf(EInvalid, "%s: set %q refers to source %s, which is not in the project", entry, set.Name, g)
				}
			}
			for _, r := range set.MemberCodes {
				if _, err := codeRef(&r, fmt.Sprintf("set %q", set.Name)); err != nil {
					return nil, err
				}
			}
			for _, r := range set.MemberNotes {
				useNote(r, noteUse{kind: "project", prefix: strings.TrimSpace(set.Name) + ": "})
			}
		}
		skip("%d set(s): Parallax builds its clusters from the text; their notes are imported as project memos", len(p.Sets.Sets))
	}
	for _, g := range noteOrder {
		n := notes[g]
		if n.used {
			continue
		}
		u, ok := noteFor[g]
		if !ok {
			u = noteUse{kind: "project"}
		}
		plan.memos = append(plan.memos, refiMemo{guid: g, kind: u.kind, target: u.target, title: u.prefix + n.title,
			text: n.text, created: n.created, modified: n.modified})
	}
	if missingNotes > 0 {
		skip("%d reference(s) to notes that are not in the file", missingNotes)
	}
	if d := strings.TrimSpace(refiDeref(p.Description)); d != "" {
		plan.memos = append(plan.memos, refiMemo{guid: refiGUID("project-description", plan.file, d), kind: "project",
			title: "Project description", text: d})
	}
	return plan, nil
}

// sourceText returns the plain text of a TextSource or Note: its
// PlainTextContent or its internal plain-text file. ok is false when it
// has neither (a rich-text-only or external source).
func (z *qdpxArchive) sourceText(t qdeTextSource, what string, limit int64) (text string, ok bool, err error) {
	var b []byte
	switch {
	case t.PlainTextContent != nil:
		if int64(len(*t.PlainTextContent)) > limit {
			return "", false, Errorf(EInvalid, "%s: text larger than the %d MB limit for one article", what, limit>>20)
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
			return "", false, Errorf(EInvalid, "%s: %s is not valid UTF-8", what, e.Name)
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
func refiSetVar(a *Article, name, value string) {
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
		if d, err := ParseDate(value); err == nil {
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
	want := NormalizeText(raw)
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

// applyQDPX writes a checked plan in one transaction.
func (s *Store) applyQDPX(ctx context.Context, plan *refiPlan) (QDPXReport, error) {
	rep := QDPXReport{Skipped: plan.skipped}
	now := s.Now().UTC()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		codeIDs := make([]int64, len(plan.codes))
		for i, c := range plan.codes {
			var parent int64
			if c.parent >= 0 {
				parent = codeIDs[c.parent]
			}
			var id int64
			err := tx.QueryRowContext(ctx, "SELECT id FROM codes WHERE guid = ?", c.guid).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				err = tx.QueryRowContext(ctx, "SELECT id FROM codes WHERE coalesce(parent_id, 0) = ? AND name = ?", parent, c.name).Scan(&id)
			}
			switch {
			case err == nil:
				rep.CodesMatched++
			case errors.Is(err, sql.ErrNoRows):
				code := Code{GUID: c.guid, ParentID: parent, Name: c.name, Color: c.color, Description: c.description}
				if err := insertCode(ctx, tx, &code, now); err != nil {
					return fmt.Errorf("code %q: %w", c.name, err)
				}
				id = code.ID
				rep.Codes++
			default:
				return err
			}
			codeIDs[i] = id
		}

		ins, err := newArticleInserter(ctx, tx, now.Format(time.RFC3339))
		if err != nil {
			return err
		}
		defer ins.close()
		articleIDs := make([]int64, len(plan.sources))
		for i, src := range plan.sources {
			if err := ctx.Err(); err != nil {
				return err
			}
			a := src.article
			hash := ContentHash(a.Text)
			id, found, err := ins.lookup(ctx, hash)
			if err == nil && !found {
				id, err = ins.insert(ctx, a, hash, CountWords(a.Text))
			}
			if err != nil {
				return fmt.Errorf("source %q: %w", a.Title, err)
			}
			articleIDs[i] = id
			if found {
				rep.ArticlesReused++
			} else {
				rep.Articles++
			}
		}

		for i, src := range plan.sources {
			for _, an := range src.anns {
				var n int
				if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM annotations WHERE guid = ?", an.guid).Scan(&n); err != nil {
					return err
				}
				if n > 0 {
					rep.AnnotationsPresent++
					continue
				}
				a := Annotation{GUID: an.guid, ArticleID: articleIDs[i], Start: an.start, End: an.end, Note: an.note,
					Created: an.created, Modified: an.modified}
				if a.Created.IsZero() {
					a.Created = now
				}
				if a.Modified.IsZero() {
					a.Modified = a.Created
				}
				for _, c := range an.codes {
					a.CodeIDs = append(a.CodeIDs, codeIDs[c])
				}
				if err := anchor(ctx, tx, &a); err != nil {
					return fmt.Errorf("selection %s: %w", an.guid, err)
				}
				if err := insertAnnotation(ctx, tx, &a); err != nil {
					return fmt.Errorf("selection %s: %w", an.guid, err)
				}
				rep.Annotations++
			}
		}

		for _, m := range plan.memos {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM memos WHERE guid = ?", m.guid).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				rep.MemosPresent++
				continue
			}
			memo := Memo{GUID: m.guid, TargetKind: m.kind, Title: m.title, Text: m.text, Created: m.created, Modified: m.modified}
			switch m.kind {
			case "article":
				memo.TargetID = articleIDs[m.target]
			case "code":
				memo.TargetID = codeIDs[m.target]
			}
			if memo.Created.IsZero() {
				memo.Created = now
			}
			if memo.Modified.IsZero() {
				memo.Modified = memo.Created
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO memos(guid, target_kind, target_id, title, text, created, modified) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				memo.GUID, memo.TargetKind, memo.TargetID, memo.Title, memo.Text,
				memo.Created.UTC().Format(time.RFC3339Nano), memo.Modified.UTC().Format(time.RFC3339Nano)); err != nil {
				return fmt.Errorf("note %q: %w", m.title, err)
			}
			rep.Memos++
		}
		return nil
	})
	if err != nil {
		return QDPXReport{}, err
	}
	return rep, nil
}
