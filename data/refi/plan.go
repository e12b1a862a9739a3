package refi

import (
	"cmp"
	"context"
	"encoding/xml"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/parallax-research/parallax/data"
)

// planner turns the document, read element by element in document order,
// into a plan: it reads the texts the document points to and checks every
// reference and position, so the first problem in the file is the one
// reported. What refers forward (a selection to the Notes after the
// Sources, a Case to the Sources after it) is kept, without repeats, and
// settled in finish.
type planner struct {
	ctx   context.Context
	z     *qdpxArchive
	entry string // project.qde's name in the archive, for messages
	file  string // the archive's base name, for provenance
	plan  *data.QDPXPlan

	codeIdx    map[string]int    // code GUID -> index into plan.Codes
	userName   map[string]string // user GUID -> name
	srcIdx     map[string]int    // source GUID -> index into plan.Sources
	reading    reading           // the unit the producer is known to count in, if any
	vars       map[string]string // variable GUID -> name
	allSources map[string]bool   // every source GUID, of any kind
	textGUIDs  map[string]bool   // the text sources' GUIDs
	texts      int               // text sources read
	otherKinds map[string]int    // sources of other kinds, by element name
	skipAt     int               // where in Skipped the lines about sources go
	section    int               // the last section of the project read (sectionOrder)

	cases      [][]qdeVariableValue // each unnamed case's values
	caseOf     map[string][]int     // source GUID -> its unnamed cases
	caseRefs   []caseRefs           // every case's sources, checked after the Sources
	namedCases int

	notes     map[string]*planNote // note GUID -> note
	noteOrder []string             // note GUIDs in document order
	linked    map[string]*refSet   // selection GUID -> note GUIDs
	noteFor   map[string]noteUse   // note GUID -> what its memo is on
	selGUIDs  map[string]bool
	// Note references by what makes them, settled in finish: each planned
	// source's selections and its own, each code's, the sets' and the
	// project's.
	selNotes     [][]selectionNotes
	srcNotes     [][]qdeRef
	codeNotes    []codeNotes
	setNotes     []setNotes
	projectNotes refSet
	description  string
	clusters     int // sets Parallax wrote for its clusters
	// missingNotes counts references to notes the file does not hold.
	missingNotes int
}

// selectionNotes is what a selection's note is made of: its description
// and the notes it refers to, with those it is linked to.
type selectionNotes struct {
	guid, description string
	refs              []qdeRef
}

type codeNotes struct {
	code int
	refs []qdeRef
}

type setNotes struct {
	name string
	refs []qdeRef
}

type caseRefs struct {
	guid    string
	sources []string
}

// planNote is a Note of the file: it becomes an annotation's note when a
// selection refers to it (used), and a memo otherwise.
type planNote struct {
	title, text       string
	created, modified time.Time
	creator, modifier string
	used              bool
}

// noteUse is what a note's memo is about when it becomes one.
type noteUse struct {
	kind   string
	target int
	prefix string // put before the title
}

func newPlanner(ctx context.Context, z *qdpxArchive, entry, file string) *planner {
	return &planner{ctx: ctx, z: z, entry: entry, file: file, plan: &data.QDPXPlan{},
		codeIdx: map[string]int{}, userName: map[string]string{}, srcIdx: map[string]int{}, vars: map[string]string{}, allSources: map[string]bool{},
		textGUIDs: map[string]bool{}, otherKinds: map[string]int{}, caseOf: map[string][]int{}, notes: map[string]*planNote{},
		linked: map[string]*refSet{}, noteFor: map[string]noteUse{}, selGUIDs: map[string]bool{}}
}

// sectionOrder is the order of a project's sections in the schema, which
// the planner relies on: codes, users and variables are known before the
// sources that use them, and the sources before the sets.
var sectionOrder = map[string]int{"Users": 1, "CodeBook": 2, "Variables": 3, "Cases": 4, "Sources": 5, "Notes": 6, "Links": 7, "Sets": 8}

// project reads the project document, section by section.
func (pl *planner) project(r *qdeReader) error {
	root, err := r.root(xml.Name{Space: refiProjectNS, Local: "Project"})
	if err != nil {
		return err
	}
	pl.reading, pl.plan.Producer = producerReading(attr(root, "origin"))
	return r.children(func(se xml.StartElement) error {
		name := se.Name.Local
		if n := sectionOrder[name]; n != 0 {
			if n < pl.section {
				return data.Errorf(data.EInvalid, "%s: <%s> comes after a later section; QDA-XML orders a project's sections Users, CodeBook, Variables, Cases, Sources, Notes, Links, Sets", pl.entry, name)
			}
			pl.section = n
		}
		switch name {
		case "Users":
			return pl.each(r, "User", attrsOnly(r, pl.user))
		case "CodeBook":
			return pl.codebook(r)
		case "Variables":
			return pl.each(r, "Variable", attrsOnly(r, pl.variable))
		case "Cases":
			return pl.each(r, "Case", func(se xml.StartElement) error { return pl.caseElement(r, se) })
		case "Sources":
			return pl.sources(r)
		case "Notes":
			return pl.each(r, "Note", func(se xml.StartElement) error { return pl.note(r, se) })
		case "Links":
			return pl.each(r, "Link", attrsOnly(r, pl.link))
		case "Sets":
			return pl.each(r, "Set", func(se xml.StartElement) error { return pl.set(r, se) })
		case "Description":
			d, err := r.text(se)
			pl.description = d
			return err
		case "NoteRef":
			return r.ref(se, &pl.projectNotes)
		}
		return r.skip()
	})
}

// each reads the children of a section: f reads and plans each child
// named child; the others are skipped.
func (pl *planner) each(r *qdeReader, child string, f func(xml.StartElement) error) error {
	return r.children(func(se xml.StartElement) error {
		if se.Name.Local != child {
			return r.skip()
		}
		return f(se)
	})
}

// attrsOnly plans an element from its attributes with f and skips what it
// holds.
func attrsOnly(r *qdeReader, f func(xml.StartElement) error) func(xml.StartElement) error {
	return func(se xml.StartElement) error {
		if err := f(se); err != nil {
			return err
		}
		return r.skip()
	}
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
func (pl *planner) codebook(r *qdeReader) error {
	return r.children(func(se xml.StartElement) error {
		if se.Name.Local != "Codes" {
			return r.skip()
		}
		return pl.codes(r, -1)
	})
}

// codes plans the Code elements of the element just opened.
func (pl *planner) codes(r *qdeReader, parent int) error {
	return r.children(func(se xml.StartElement) error {
		if se.Name.Local != "Code" {
			return r.skip()
		}
		return pl.code(r, se, parent)
	})
}

// code plans a code and the codes under it as the file has them: names
// exactly (a "/" is part of a name), isCodable, and the colour only when
// there is one.
func (pl *planner) code(r *qdeReader, se xml.StartElement, parent int) error {
	g, err := pl.guid(attr(se, "guid"), fmt.Sprintf("code %q", attr(se, "name")))
	if err != nil {
		return err
	}
	if _, dup := pl.codeIdx[g]; dup {
		return data.Errorf(data.EInvalid, "%s: two codes share the GUID %s", pl.entry, g)
	}
	name := strings.TrimSpace(attr(se, "name"))
	if name == "" {
		name = "(unnamed code)"
	}
	codable, err := strconv.ParseBool(strings.TrimSpace(attr(se, "isCodable")))
	if err != nil {
		codable = true // the attribute is required; a file without it codes with every code
	}
	i := len(pl.plan.Codes)
	pl.codeIdx[g] = i
	pl.plan.Codes = append(pl.plan.Codes, data.QDPXCode{GUID: g, Name: name, Color: refiColor(attr(se, "color")), Parent: parent, Category: !codable})
	var notes refSet
	err = r.children(func(ch xml.StartElement) error {
		switch ch.Name.Local {
		case "Description":
			d, err := r.text(ch)
			pl.plan.Codes[i].Description = d
			return err
		case "NoteRef":
			return r.ref(ch, &notes)
		case "Code":
			return pl.code(r, ch, i)
		}
		return r.skip()
	})
	if len(notes.list) > 0 {
		pl.codeNotes = append(pl.codeNotes, codeNotes{i, notes.list})
	}
	return err
}

// user reads one of the project's users: annotations and memos record
// their names, and the GUIDs are kept for the next export.
func (pl *planner) user(se xml.StartElement) error {
	g, err := pl.guid(attr(se, "guid"), fmt.Sprintf("user %q", attr(se, "name")))
	if err != nil {
		return err
	}
	name := strings.TrimSpace(attr(se, "name"))
	if name == "" || g == refiUserGUID || pl.userName[g] == name {
		return nil // no coder: nameless, Parallax's stand-in for one, or said before
	}
	pl.userName[g] = name
	pl.plan.Coders = append(pl.plan.Coders, data.Coder{Name: name, GUID: g})
	return nil
}

// userOf is the coder a user reference names, "" for none or an unknown
// user.
func (pl *planner) userOf(ref string) string {
	g, err := uuid.Parse(strings.TrimSpace(ref))
	if err != nil {
		return ""
	}
	return pl.userName[g.String()]
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

// variable reads a variable's name.
func (pl *planner) variable(se xml.StartElement) error {
	name := strings.TrimSpace(attr(se, "name"))
	g, err := pl.guid(attr(se, "guid"), fmt.Sprintf("variable %q", name))
	if err != nil {
		return err
	}
	pl.vars[g] = name
	if t := strings.TrimSpace(attr(se, "typeOfVariable")); t != "" && t != "Text" && name != "" &&
		!slices.Contains(pl.plan.VariableTypes, data.VariableType{Name: name, Type: t}) {
		pl.plan.VariableTypes = append(pl.plan.VariableTypes, data.VariableType{Name: name, Type: t})
	}
	return nil
}

// caseElement collects the variable values held in a Case with no name
// and source references: the form MAXQDA and Quirkos use for document
// variables. Its references are checked once the sources are known.
func (pl *planner) caseElement(r *qdeReader, se xml.StartElement) error {
	_, named := attrOK(se, "name")
	var refs refSet
	values := map[valueKey]bool{}
	var vvs []qdeVariableValue
	err := r.children(func(ch xml.StartElement) error {
		switch ch.Name.Local {
		case "SourceRef":
			return r.ref(ch, &refs)
		case "VariableValue":
			vv, err := r.variableValue(ch)
			if err == nil && !values[vv.key()] {
				values[vv.key()] = true
				vvs = append(vvs, vv)
			}
			return err
		}
		return r.skip()
	})
	if err != nil {
		return err
	}
	c := caseRefs{guid: attr(se, "guid")}
	for _, ref := range refs.list {
		g, err := pl.guid(ref.Target, "a case's SourceRef")
		if err != nil {
			return err
		}
		c.sources = append(c.sources, g)
	}
	pl.caseRefs = append(pl.caseRefs, c)
	if named {
		pl.namedCases++
		return nil
	}
	for _, g := range c.sources {
		pl.caseOf[g] = append(pl.caseOf[g], len(pl.cases))
	}
	pl.cases = append(pl.cases, vvs)
	return nil
}

// sources plans the text sources and records the GUID of every other
// source, so that references to a source Parallax skips are not mistaken
// for references to a missing one.
func (pl *planner) sources(r *qdeReader) error {
	if pl.skipAt == 0 {
		pl.skipAt = len(pl.plan.Skipped) + 1
	}
	return r.children(func(se xml.StartElement) error {
		if se.Name.Local == "TextSource" {
			return pl.textSource(r, se)
		}
		name := attr(se, "name")
		g, err := pl.guid(attr(se, "guid"), se.Name.Local+" "+strconv.Quote(name))
		if err != nil {
			return err
		}
		if pl.textGUIDs[g] {
			return data.Errorf(data.EInvalid, "%s: two sources share the GUID %s", pl.entry, g)
		}
		pl.allSources[g] = true
		pl.otherKinds[se.Name.Local]++
		return r.skip()
	})
}

// textSource reads a text source and plans it as an article with its
// selections.
func (pl *planner) textSource(r *qdeReader, se xml.StartElement) error {
	if pl.texts++; pl.texts%64 == 0 {
		if err := pl.ctx.Err(); err != nil {
			return err
		}
	}
	name := attr(se, "name")
	g, err := pl.guid(attr(se, "guid"), fmt.Sprintf("source %q", name))
	if err != nil {
		return err
	}
	if pl.allSources[g] {
		return data.Errorf(data.EInvalid, "%s: two sources share the GUID %s", pl.entry, g)
	}
	pl.allSources[g], pl.textGUIDs[g] = true, true
	t, err := r.textSource(se, func(sel qdeSelection) error {
		sg, err := pl.guid(sel.GUID, fmt.Sprintf("a selection in source %q", name))
		if err != nil {
			return err
		}
		if pl.selGUIDs[sg] {
			return data.Errorf(data.EInvalid, "%s: two selections share the GUID %s", pl.entry, sg)
		}
		pl.selGUIDs[sg] = true
		return nil
	})
	if err != nil {
		return err
	}
	return pl.planSource(g, t)
}

func (pl *planner) planSource(guid string, t qdeTextSource) error {
	what := fmt.Sprintf("%s: source %q", pl.entry, t.Name)
	raw, ok, err := pl.z.sourceText(t, what, data.MaxArticleBytes)
	if err != nil {
		return err
	}
	if !ok {
		pl.skip("source %q: no plain text in the archive (only a rich-text or external file)", t.Name)
		return nil
	}
	rs := []rune(raw)
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
	var values []qdeVariableValue
	for _, c := range pl.caseOf[guid] {
		values = append(values, pl.cases[c]...)
	}
	for _, vv := range append(values, t.VariableValues...) {
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
	sels := make([]data.QDPXSelection, len(t.Selections))
	raws := make([]rawSelection, len(t.Selections))
	for j, sel := range t.Selections {
		if sels[j], raws[j], err = pl.selection(t, sel, len(rs), len(raw)); err != nil {
			return err
		}
	}
	// The unit of this source's positions, decided from its own text.
	dec := decideReading(rs, raws, pl.reading, pl.plan.Producer != "")
	unit := data.QDPXUnit{Source: strings.TrimSpace(t.Name), Unit: dec.r.String(), Evidence: dec.evidence, Selections: len(sels)}
	var notes []selectionNotes
	for j, s := range sels {
		if !dec.ok[j] {
			// Never at a guessed place: kept, orphaned, for the researcher
			// to place, with the text the file gives for it if any.
			s.Orphaned, s.Start, s.End = true, raws[j].start, raws[j].end
			if raws[j].name != "" {
				s.Exact, _ = matchText(raws[j].name)
			}
			unit.Orphaned++
			pl.plan.Warnings = append(pl.plan.Warnings, fmt.Sprintf("source %q, selection %s: imported orphaned: %s", t.Name, s.GUID, dec.why[j]))
		} else if s.Start, s.End = remap(dec.runes[j][0]), remap(dec.runes[j][1]); s.End <= s.Start {
			pl.skip("selection %s in source %q: covers only line-end or trailing characters Parallax drops", s.GUID, t.Name)
			continue
		}
		src.Selections = append(src.Selections, s)
		notes = append(notes, selectionNotes{guid: s.GUID, description: refiDeref(t.Selections[j].Description), refs: selectionRefs(t.Selections[j])})
	}
	if len(sels) > 0 {
		pl.plan.Units = append(pl.plan.Units, unit)
	}
	pl.srcIdx[guid] = idx
	// Codings of a whole source become one annotation over all of it.
	if len(t.Codings) > 0 {
		s, err := pl.sourceCodings(t, utf8.RuneCountInString(text))
		if err != nil {
			return err
		}
		src.Selections = append(src.Selections, s)
		notes = append(notes, selectionNotes{})
	}
	if d := strings.TrimSpace(refiDeref(t.Description)); d != "" {
		// The source's description is its memo in QualCoder and NVivo.
		pl.plan.Memos = append(pl.plan.Memos, data.QDPXMemo{GUID: refiGUID("description", guid), Kind: "article", Target: idx,
			Title: "Description", Text: d, Created: refiParseTime(t.Created), Modified: refiParseTime(t.Modified),
			Creator: pl.userOf(t.CreatingUser), Modifier: cmp.Or(pl.userOf(t.ModifyingUser), pl.userOf(t.CreatingUser))})
	}
	pl.plan.Sources = append(pl.plan.Sources, src)
	pl.selNotes = append(pl.selNotes, notes)
	pl.srcNotes = append(pl.srcNotes, t.NoteRefs)
	return nil
}

// selectionRefs lists the notes a selection refers to: its own references,
// then its codings'.
func selectionRefs(sel qdeSelection) []qdeRef {
	refs := refSet{list: slices.Clone(sel.NoteRefs)}
	for _, c := range sel.Codings {
		refs.addAll(c.NoteRefs)
	}
	return refs.list
}

// selection plans one PlainTextSelection of source t, whose raw text has
// runes characters and bytes bytes: its GUID, codes and coders, and its
// positions as the file gives them, which decideReading turns into
// characters. A position beyond the text in every unit is an error. Its
// note is made in finish, when the notes are known.
func (pl *planner) selection(t qdeTextSource, sel qdeSelection, runes, bytes int) (s data.QDPXSelection, raw rawSelection, err error) {
	swhat := fmt.Sprintf("source %q, selection %s", t.Name, sel.GUID)
	g, err := pl.guid(sel.GUID, fmt.Sprintf("a selection in source %q", t.Name))
	if err != nil {
		return s, raw, err
	}
	start, err1 := strconv.Atoi(strings.TrimSpace(sel.Start))
	end, err2 := strconv.Atoi(strings.TrimSpace(sel.End))
	if err1 != nil || err2 != nil {
		return s, raw, data.Errorf(data.EInvalid, "%s: %s: positions %q–%q are not whole numbers", pl.entry, swhat, sel.Start, sel.End)
	}
	// Bytes are the largest unit a tool counts in.
	if start < 0 || end > bytes || end <= start {
		return s, raw, data.Errorf(data.EInvalid, "%s: %s: positions %d–%d are not a range inside the source's %d characters", pl.entry, swhat, start, end, runes)
	}
	raw = rawSelection{start: start, end: end, name: sel.Name}
	s = data.QDPXSelection{GUID: g, Created: refiParseTime(sel.Created), Modified: refiParseTime(sel.Modified),
		Creator: pl.userOf(sel.CreatingUser), Modifier: pl.userOf(sel.ModifyingUser)}
	for _, c := range sel.Codings {
		ci, err := pl.codeRef(c.CodeRef, swhat+", coding "+c.GUID)
		if err != nil {
			return s, raw, err
		}
		if !slices.Contains(s.Codes, ci) {
			s.Codes = append(s.Codes, ci)
		}
		if s.Creator == "" {
			s.Creator = pl.userOf(c.CreatingUser) // MAXQDA names the coder on the coding
		}
	}
	if s.Modifier == "" {
		s.Modifier = s.Creator
	}
	return s, raw, nil
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
			s.Creator = pl.userOf(c.CreatingUser)
			s.Modifier = s.Creator
			s.Created = refiParseTime(c.Created)
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

// note reads a note: it ends up as an annotation's note or a memo.
func (pl *planner) note(r *qdeReader, se xml.StartElement) error {
	n, err := r.textSource(se, nil)
	if err != nil {
		return err
	}
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
		created: refiParseTime(n.Created), modified: refiParseTime(n.Modified),
		creator: pl.userOf(n.CreatingUser), modifier: cmp.Or(pl.userOf(n.ModifyingUser), pl.userOf(n.CreatingUser))}
	pl.noteOrder = append(pl.noteOrder, g)
	return nil
}

// link reads a Link that joins an NVivo annotation (a Note) to the
// selection it is on.
func (pl *planner) link(se xml.StartElement) error {
	o, err1 := uuid.Parse(strings.TrimSpace(attr(se, "originGUID")))
	t, err2 := uuid.Parse(strings.TrimSpace(attr(se, "targetGUID")))
	if err1 != nil || err2 != nil {
		return nil
	}
	add := func(sel, note string) {
		if pl.linked[sel] == nil {
			pl.linked[sel] = &refSet{}
		}
		pl.linked[sel].add(note)
	}
	switch {
	case pl.notes[o.String()] != nil:
		add(t.String(), o.String())
	case pl.notes[t.String()] != nil:
		add(o.String(), t.String())
	}
	return nil
}

// set plans a Set: its member sources (those imported) and codes, kept for
// the next export; its notes become project memos. Sets Parallax wrote
// for its clusters are left out: the analysis rebuilds them.
func (pl *planner) set(r *qdeReader, se xml.StartElement) error {
	name := attr(se, "name")
	g, err := pl.guid(attr(se, "guid"), fmt.Sprintf("set %q", name))
	if err != nil {
		return err
	}
	ps := data.QDPXSet{GUID: g, Name: strings.TrimSpace(name)}
	var sources, codes, notes refSet
	err = r.children(func(ch xml.StartElement) error {
		switch ch.Name.Local {
		case "Description":
			d, err := r.text(ch)
			ps.Description = d
			return err
		case "MemberSource":
			return r.ref(ch, &sources)
		case "MemberCode":
			return r.ref(ch, &codes)
		case "MemberNote":
			return r.ref(ch, &notes)
		}
		return r.skip()
	})
	if err != nil {
		return err
	}
	// The schema lists a set's codes before its sources.
	for _, ref := range codes.list {
		ci, err := pl.codeRef(&ref, fmt.Sprintf("set %q", name))
		if err != nil {
			return err
		}
		ps.Codes = append(ps.Codes, ci)
	}
	for _, ref := range sources.list {
		g, err := pl.guid(ref.Target, fmt.Sprintf("set %q's MemberSource", name))
		if err != nil {
			return err
		}
		if !pl.allSources[g] {
			return data.Errorf(data.EInvalid, "%s: set %q refers to source %s, which is not in the project", pl.entry, name, g)
		}
		if i, ok := pl.srcIdx[g]; ok {
			ps.Sources = append(ps.Sources, i)
		}
	}
	if len(notes.list) > 0 {
		pl.setNotes = append(pl.setNotes, setNotes{name: strings.TrimSpace(name), refs: notes.list})
	}
	if strings.HasPrefix(ps.Description, clusterSetMark) {
		pl.clusters++
		return nil
	}
	pl.plan.Sets = append(pl.plan.Sets, ps)
	return nil
}

// finish settles what the document referred to forward, once it has been
// read: the cases' sources, the notes of selections, and the memos.
func (pl *planner) finish() (*data.QDPXPlan, error) {
	for _, c := range pl.caseRefs {
		for _, g := range c.sources {
			if !pl.allSources[g] {
				return nil, data.Errorf(data.EInvalid, "%s: case %s refers to source %s, which is not in the project", pl.entry, c.guid, g)
			}
		}
	}
	// Lines about what the Sources and Cases hold go before those about
	// single sources, as they were found first.
	var first []string
	for _, k := range slices.Sorted(maps.Keys(pl.otherKinds)) {
		first = append(first, fmt.Sprintf("%d %s element(s): Parallax imports text sources only", pl.otherKinds[k], k))
	}
	if pl.namedCases > 0 {
		first = append(first, fmt.Sprintf("%d case(s): Parallax has no cases", pl.namedCases))
	}
	at := min(max(pl.skipAt-1, 0), len(pl.plan.Skipped))
	pl.plan.Skipped = slices.Insert(pl.plan.Skipped, at, first...)

	// A selection's note is its description and the notes it refers to
	// or is linked to, each note taken by the first selection that
	// refers to it; a note no selection takes is a memo on what first
	// referred to it.
	for i := range pl.plan.Sources {
		for j, sn := range pl.selNotes[i] {
			refs := sn.refs
			if l := pl.linked[sn.guid]; l != nil && sn.guid != "" {
				refs = append(slices.Clone(refs), l.list...)
			}
			pl.plan.Sources[i].Selections[j].Note = pl.selectionNote(sn.description, refs)
		}
		for _, r := range pl.srcNotes[i] {
			pl.useNote(r, noteUse{kind: "article", target: i})
		}
	}
	for _, c := range pl.codeNotes {
		for _, r := range c.refs {
			pl.useNote(r, noteUse{kind: "code", target: c.code})
		}
	}
	for _, r := range pl.projectNotes.list {
		pl.useNote(r, noteUse{kind: "project"})
	}
	for _, s := range pl.setNotes {
		for _, r := range s.refs {
			pl.useNote(r, noteUse{kind: "project", prefix: s.name + ": "})
		}
	}
	if pl.clusters > 0 {
		pl.skip("%d set(s) of Parallax clusters: the analysis builds clusters from the text; their notes are imported as project memos", pl.clusters)
	}
	pl.memos()
	pl.codableCheck()
	return pl.plan, nil
}

// selectionNote joins a selection's description and the text of the
// notes it takes.
func (pl *planner) selectionNote(description string, refs []qdeRef) string {
	var parts []string
	if strings.TrimSpace(description) != "" {
		parts = append(parts, description)
	}
	for _, r := range refs {
		if n, _ := pl.takeNote(r); n != nil && !n.used {
			n.used = true
			if strings.TrimSpace(n.text) != "" {
				parts = append(parts, n.text)
			}
		}
	}
	return strings.Join(parts, "\n\n")
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

// memos turns the notes no selection took into memos, on what referred to
// them or else on the project, and adds the project's description.
func (pl *planner) memos() {
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
			Text: n.text, Created: n.created, Modified: n.modified, Creator: n.creator, Modifier: n.modifier})
	}
	if pl.missingNotes > 0 {
		pl.skip("%d reference(s) to notes that are not in the file", pl.missingNotes)
	}
	if d := strings.TrimSpace(pl.description); d != "" {
		pl.plan.Memos = append(pl.plan.Memos, data.QDPXMemo{GUID: refiGUID("project-description", pl.file, d), Kind: "project",
			Title: "Project description", Text: d})
	}
}

// codableCheck keeps every coding the file makes: a code the file marks
// as not codable but applies to text anyway is imported codable, with a
// warning, rather than losing its codings.
func (pl *planner) codableCheck() {
	used := map[int]bool{}
	for _, src := range pl.plan.Sources {
		for _, sel := range src.Selections {
			for _, c := range sel.Codes {
				used[c] = true
			}
		}
	}
	for i := range pl.plan.Codes {
		if c := &pl.plan.Codes[i]; c.Category && used[i] {
			c.Category = false
			pl.plan.Warnings = append(pl.plan.Warnings, fmt.Sprintf("code %q is marked not codable but codes text in the file; imported as codable so no coding is lost", c.Name))
		}
	}
}
