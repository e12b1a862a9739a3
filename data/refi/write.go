package refi

import (
	"archive/zip"
	"cmp"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/parallax-research/parallax/data"
)

// WriteQDPX writes d as a REFI-QDA project (.qdpx): a zip of project.qde
// and one UTF-8 text file per article and memo under sources/. The output
// depends only on d, so exporting the same data twice gives the same bytes.
func WriteQDPX(w io.Writer, d *data.ExportData) error {
	p, files := buildQDE(d)
	zw := zip.NewWriter(w)
	// A fixed time keeps the archive reproducible; the export time is the
	// meaningful one.
	mod := d.Exported
	if mod.IsZero() {
		mod = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	put := func(name string, write func(io.Writer) error) error {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: mod})
		if err != nil {
			return err
		}
		return write(f)
	}
	if err := put("project.qde", func(f io.Writer) error { return writeXML(f, p) }); err != nil {
		return fmt.Errorf("write REFI-QDA project: project.qde: %w", err)
	}
	for _, sf := range files {
		if err := put("sources/"+sf.name, func(f io.Writer) error { _, err := io.WriteString(f, sf.text); return err }); err != nil {
			return fmt.Errorf("write REFI-QDA project: sources/%s: %w", sf.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("write REFI-QDA project: %w", err)
	}
	return nil
}

// WriteQDC writes d's codebook as a REFI-QDA codebook (.qdc). The schema
// requires at least one code, so an empty codebook is an error rather
// than a file no other tool would accept.
func WriteQDC(w io.Writer, d *data.ExportData) error {
	codes := qdeCodeTree(d, nil)
	if len(codes) == 0 {
		return data.Errorf(data.EInvalid, "write REFI-QDA codebook: the codebook is empty; a .qdc file needs at least one code")
	}
	if err := writeXML(w, qdcCodeBook{Origin: refiOrigin(d), Codes: qdeCodes{Codes: codes}}); err != nil {
		return fmt.Errorf("write REFI-QDA codebook: %w", err)
	}
	return nil
}

func writeXML(w io.Writer, v any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// unplaced reports whether an annotation has no place in its article's
// text, n runes long: it is written as a note, not as a selection.
func unplaced(an data.Annotation, n int) bool {
	return an.Orphaned || an.Start < 0 || an.End > n || an.Start >= an.End
}

// UnplacedAnnotations counts the annotations WriteQDPX writes as notes on
// their source rather than as coded selections (orphaned ones, whose
// passage is no longer in the text): other tools show them as notes, not
// as coding, which an export should say.
func UnplacedAnnotations(d *data.ExportData) int {
	count := 0
	exported(d, func(_ data.Annotation, asNote bool) {
		if asNote {
			count++
		}
	})
	return count
}

// ColouredSelections counts the annotations with a colour of their own
// that WriteQDPX writes as selections, which REFI-QDA gives no colour:
// the colour is lost, which an export should say. Those written as notes
// are left out: UnplacedAnnotations' warning covers them, and a note has
// no highlight to lose.
func ColouredSelections(d *data.ExportData) int {
	count := 0
	exported(d, func(an data.Annotation, asNote bool) {
		if !asNote && an.Color != "" {
			count++
		}
	})
	return count
}

// exported calls f with each annotation WriteQDPX writes, those on the
// exported articles, and whether it goes out as a note.
func exported(d *data.ExportData, f func(an data.Annotation, asNote bool)) {
	runes := map[int64]int{}
	for _, a := range d.Articles {
		runes[a.ID] = len([]rune(a.Text))
	}
	for _, an := range d.Annotations {
		if n, ok := runes[an.ArticleID]; ok {
			f(an, unplaced(an, n))
		}
	}
}

// refiFile is a file for the zip's sources/ folder.
type refiFile struct{ name, text string }

// buildQDE maps d onto the schema and lists the files project.qde points
// into.
func buildQDE(d *data.ExportData) (qdeProject, []refiFile) {
	users := newRefiUsers(d)
	p := qdeProject{
		Name:         cmp.Or(d.Project, "Parallax project"),
		Origin:       refiOrigin(d),
		CreatingUser: users.guid(d.Coder),
		Created:      refiTime(d.Exported),
	}
	var files []refiFile

	// Memos become Notes; their references are attached to the targets
	// below.
	notesOn := map[string][]qdeRef{} // "kind:id" -> refs
	var notes []qdeTextSource
	for _, m := range d.Memos {
		guid := refiCanonGUID(m.GUID)
		notes = append(notes, qdeTextSource{
			GUID:          guid,
			Name:          cmp.Or(m.Title, "Memo"),
			PlainTextPath: "internal://" + guid + ".txt",
			CreatingUser:  users.guid(m.Creator),
			Created:       refiTime(m.Created),
			ModifyingUser: users.guid(cmp.Or(m.Modifier, m.Creator)),
			Modified:      refiTime(m.Modified),
		})
		files = append(files, refiFile{guid + ".txt", m.Text})
		key := m.TargetKind + ":" + strconv.FormatInt(m.TargetID, 10)
		if m.TargetKind == "project" {
			key = "project:0"
		}
		notesOn[key] = append(notesOn[key], qdeRef{Target: guid})
	}
	p.NoteRefs = notesOn["project:0"]

	if codes := qdeCodeTree(d, notesOn); len(codes) > 0 {
		p.CodeBook = &qdeCodeBook{Codes: qdeCodes{Codes: codes}}
	}

	// Variables: the metadata fields first, then attributes by name. An
	// attribute named like a metadata field gets a suffix so the two stay
	// apart in the other tool.
	varName := func(attr string) string {
		for _, m := range refiMetaVars {
			if strings.EqualFold(attr, m) {
				return attr + " (attribute)"
			}
		}
		return attr
	}
	used := map[string]bool{}
	var attrNames []string
	for _, a := range d.Articles {
		for _, f := range refiMetaValues(a) {
			used[f[0]] = true
		}
		for _, k := range a.AttributeNames() {
			if n := varName(k); !used[n] {
				used[n] = true
				attrNames = append(attrNames, n)
			}
		}
	}
	varType := refiVariableTypes(d, varName)
	var vars []qdeVariable
	for _, n := range append(slices.Clone(refiMetaVars), slices.Sorted(slices.Values(attrNames))...) {
		if used[n] {
			vars = append(vars, qdeVariable{GUID: refiGUID("variable", n), Name: n, Type: cmp.Or(varType[n], "Text")})
		}
	}
	if len(vars) > 0 {
		p.Variables = &qdeVariables{Variables: vars}
	}

	codeGUID := map[int64]string{}
	for _, c := range d.Codes {
		codeGUID[c.ID] = refiCanonGUID(c.GUID)
	}
	byArticle := map[int64][]data.Annotation{}
	for _, an := range d.Annotations {
		byArticle[an.ArticleID] = append(byArticle[an.ArticleID], an)
	}
	sourceGUID := map[int64]string{}
	var sources []qdeTextSource
	for _, a := range d.Articles {
		guid := refiSourceGUID(a)
		sourceGUID[a.ID] = guid
		src := qdeTextSource{
			GUID:          guid,
			Name:          cmp.Or(a.Title, fmt.Sprintf("Article %d", a.ID)),
			PlainTextPath: "internal://" + guid + ".txt",
			CreatingUser:  users.guid(""),
			Created:       refiTime(a.Imported),
		}
		files = append(files, refiFile{guid + ".txt", a.Text})
		n := len([]rune(a.Text))
		for _, an := range byArticle[a.ID] {
			if unplaced(an, n) {
				// See the package comment above: a note, not a selection.
				// Its codes, which a note cannot carry, are named in it.
				ng := refiCanonGUID(an.GUID)
				text := data.UnplacedNote(an, d.CodePath)
				notes = append(notes, qdeTextSource{GUID: ng, Name: "Unplaced annotation",
					PlainTextPath: "internal://" + ng + ".txt", CreatingUser: users.guid(an.Creator),
					Created: refiTime(an.Created), ModifyingUser: users.guid(cmp.Or(an.Modifier, an.Creator)), Modified: refiTime(an.Modified)})
				files = append(files, refiFile{ng + ".txt", text})
				src.NoteRefs = append(src.NoteRefs, qdeRef{Target: ng})
				continue
			}
			sel := qdeSelection{
				GUID:          refiCanonGUID(an.GUID),
				Name:          refiExcerpt(an.Exact, 60),
				Start:         strconv.Itoa(an.Start),
				End:           strconv.Itoa(an.End),
				CreatingUser:  users.guid(an.Creator),
				Created:       refiTime(an.Created),
				ModifyingUser: users.guid(cmp.Or(an.Modifier, an.Creator)),
				Modified:      refiTime(an.Modified),
				Description:   refiStr(an.Note),
			}
			for _, cid := range an.CodeIDs {
				cg, ok := codeGUID[cid]
				if !ok {
					continue // cannot happen: the export carries the whole codebook
				}
				sel.Codings = append(sel.Codings, qdeCoding{
					GUID:         refiGUID("coding", sel.GUID, cg),
					CreatingUser: users.guid(an.Creator),
					Created:      refiTime(an.Created),
					CodeRef:      &qdeRef{Target: cg},
				})
			}
			src.Selections = append(src.Selections, sel)
		}
		src.NoteRefs = append(src.NoteRefs, notesOn["article:"+strconv.FormatInt(a.ID, 10)]...)
		for _, f := range refiMetaValues(a) {
			src.VariableValues = append(src.VariableValues, refiValue(f[0], f[1], varType[f[0]]))
		}
		for _, k := range a.AttributeNames() {
			if v := a.Attributes[k]; v != "" {
				src.VariableValues = append(src.VariableValues, refiValue(varName(k), v, varType[varName(k)]))
			}
		}
		sources = append(sources, src)
	}
	if len(sources) > 0 {
		p.Sources = &qdeSources{TextSources: sources}
	}
	if len(notes) > 0 {
		p.Notes = &qdeNotes{Notes: notes}
	}

	var sets []qdeSet
	codeGUIDs := map[int64]string{}
	for _, c := range d.Codes {
		codeGUIDs[c.ID] = refiCanonGUID(c.GUID)
	}
	// Sets kept from other tools' projects come back as they were.
	for _, st := range d.Sets {
		set := qdeSet{GUID: refiCanonGUID(st.GUID), Name: st.Name, Description: refiStr(st.Description)}
		for _, c := range st.Codes {
			if g, ok := codeGUIDs[c]; ok {
				set.MemberCodes = append(set.MemberCodes, qdeRef{Target: g})
			}
		}
		for _, a := range st.Articles {
			if g, ok := sourceGUID[a]; ok {
				set.MemberSources = append(set.MemberSources, qdeRef{Target: g})
			}
		}
		sets = append(sets, set)
	}
	for _, c := range d.Clusters {
		if set, ok := refiClusterSet(d, c, sourceGUID, notesOn["cluster:"+strconv.FormatInt(c.ID, 10)]); ok {
			sets = append(sets, set)
		}
	}
	if len(sets) > 0 {
		p.Sets = &qdeSets{Sets: sets}
	}
	p.Users = &qdeUsers{Users: users.list}
	return p, files
}

// refiOrigin names the program in Project/@origin, and the unit of the
// positions: other tools (and Parallax reading the file back) need not
// guess it.
func refiOrigin(d *data.ExportData) string {
	return cmp.Or(d.Generator, "Parallax") + "; positions count Unicode code points"
}

// refiUsers gives each coder a User: the GUID the project knows for them,
// or one derived from the name, so that exports agree with each other.
// Work with no known coder is Parallax's own user's.
type refiUsers struct {
	known map[string]string // name -> GUID
	seen  map[string]bool
	list  []qdeUser
}

func newRefiUsers(d *data.ExportData) *refiUsers {
	u := &refiUsers{known: map[string]string{}, seen: map[string]bool{}}
	for _, c := range d.Coders {
		if g, err := uuid.Parse(c.GUID); err == nil {
			u.known[c.Name] = g.String()
		}
	}
	return u
}

// guid returns the User GUID for a coder's name ("" for Parallax's user)
// and lists the User on first use.
func (u *refiUsers) guid(name string) string {
	g, display := refiUserGUID, "Parallax"
	if name != "" {
		g, display = cmp.Or(u.known[name], refiGUID("user", name)), name
	}
	if !u.seen[g] {
		u.seen[g] = true
		u.list = append(u.list, qdeUser{GUID: g, Name: display})
	}
	return g
}

// qdeCodeTree nests d's codebook. notesOn, if not nil, supplies the memo
// references of each code ("code:<id>").
func qdeCodeTree(d *data.ExportData, notesOn map[string][]qdeRef) []qdeCode {
	children := map[int64][]data.Code{}
	known := map[int64]bool{}
	for _, c := range d.Codes {
		known[c.ID] = true
	}
	for _, c := range d.Codes {
		parent := c.ParentID
		if !known[parent] {
			parent = 0 // a parent outside the data: keep the code, at the top
		}
		children[parent] = append(children[parent], c)
	}
	shared := data.SharedNames(d.Codes)
	var build func(parent int64, depth int) []qdeCode
	build = func(parent int64, depth int) []qdeCode {
		if depth > len(d.Codes) {
			return nil // a cycle; the store refuses them, but never loop
		}
		var out []qdeCode
		for _, c := range children[parent] {
			if c.ID == parent {
				continue
			}
			name := c.Name
			if d.QualifyNames && len(shared[c.Name]) > 1 && c.ParentID != 0 && known[c.ParentID] {
				name = fmt.Sprintf("%s (%s)", c.Name, data.CodePath(d.Codes, c.ParentID))
			}
			out = append(out, qdeCode{
				GUID:        refiCanonGUID(c.GUID),
				Name:        name,
				IsCodable:   strconv.FormatBool(!c.Category),
				Color:       refiColor(c.Color),
				Description: refiStr(c.Description),
				NoteRefs:    notesOn["code:"+strconv.FormatInt(c.ID, 10)],
				Codes:       build(c.ID, depth+1),
			})
		}
		return out
	}
	return build(0, 0)
}

// clusterSetMark begins the description of a set Parallax writes for a
// cluster, so that importing the file again leaves it to the analysis.
const clusterSetMark = "Parallax cluster:"

// refiClusterSet is the Set for a cluster: its member articles, its memos,
// and a Description listing the passages, which a Set cannot reference.
func refiClusterSet(d *data.ExportData, c data.Cluster, sourceGUID map[int64]string, notes []qdeRef) (qdeSet, bool) {
	if len(c.Members) == 0 {
		return qdeSet{}, false
	}
	ref := c.Members[0]
	for _, m := range c.Members {
		if m.Reference {
			ref = m
			break
		}
	}
	name := refiExcerpt(ref.Text, 60)
	if c.Speaker != "" {
		name = c.Speaker + ": " + name
	}
	var desc strings.Builder
	fmt.Fprintf(&desc, "%s %d versions of a %s", clusterSetMark, len(c.Members), cmp.Or(c.Kind, "passage"))
	if c.Status != "" {
		fmt.Fprintf(&desc, " (%s)", c.Status)
	}
	desc.WriteString(".\n")
	seen := map[int64]bool{}
	var members []qdeRef
	var key []string
	for _, m := range c.Members {
		a, ok := d.Article(m.ArticleID)
		if !ok {
			continue // outside the export's scope
		}
		// The passage as it stands: quotes are clustered with their own
		// quotation marks.
		fmt.Fprintf(&desc, "\n%s, characters %d–%d: %s", cmp.Or(a.Outlet, cmp.Or(a.Title, "Article")), m.Start, m.End, m.Text)
		key = append(key, fmt.Sprintf("%s:%d:%d", sourceGUID[a.ID], m.Start, m.End))
		if !seen[a.ID] {
			seen[a.ID] = true
			members = append(members, qdeRef{Target: sourceGUID[a.ID]})
		}
	}
	if len(members) == 0 {
		return qdeSet{}, false
	}
	return qdeSet{
		// Cluster IDs change whenever the analysis is re-run; the members'
		// passages do not, so they name the set.
		GUID:          refiGUID(append([]string{"cluster"}, key...)...),
		Name:          cmp.Or(name, "Cluster"),
		Description:   refiStr(desc.String()),
		MemberSources: members,
		MemberNotes:   notes,
	}, true
}

// refiMetaValues lists an article's metadata as variable/value pairs,
// leaving out empty fields except the title: an untitled article's source
// still needs a name, and an empty Title value is what tells the importer
// that the name was made up.
func refiMetaValues(a data.Article) [][2]string {
	out := [][2]string{{refiVarTitle, a.Title}}
	for _, f := range [][2]string{
		{refiVarOutlet, a.Outlet}, {refiVarDate, a.Date.String()}, {refiVarURL, a.URL}, {refiVarAuthor, a.Author},
	} {
		if f[1] != "" {
			out = append(out, f)
		}
	}
	return out
}

// refiValue is a variable's value on a source, in the element its type
// takes ("" or "Text": TextValue).
func refiValue(name, value, typ string) qdeVariableValue {
	vv := qdeVariableValue{VariableRef: qdeRef{Target: refiGUID("variable", name)}}
	switch typ {
	case "Boolean":
		vv.BooleanValue = &value
	case "Integer":
		vv.IntegerValue = &value
	case "Float":
		vv.FloatValue = &value
	case "Date":
		vv.DateValue = &value
	case "DateTime":
		vv.DateTimeValue = &value
	default:
		vv.TextValue = &value
	}
	return vv
}

// refiTypedValue matches the values each REFI-QDA variable type's element
// accepts (the XML Schema types of Project.xsd).
var refiTypedValue = map[string]*regexp.Regexp{
	"Boolean":  regexp.MustCompile(`^(true|false|1|0)$`),
	"Integer":  regexp.MustCompile(`^[+-]?[0-9]+$`),
	"Float":    regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$`),
	"Date":     regexp.MustCompile(`^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?$`),
	"DateTime": regexp.MustCompile(`^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$`),
}

// refiVariableTypes gives each variable the type an imported project gave
// it, where every exported value is one of that type; otherwise (a value
// typed in since, a partial date) it is Text. varName maps an attribute to
// its variable.
func refiVariableTypes(d *data.ExportData, varName func(string) string) map[string]string {
	out := map[string]string{}
	for _, v := range d.VariableTypes {
		if refiTypedValue[v.Type] != nil {
			out[v.Name] = v.Type
		}
	}
	check := func(name, value string) {
		if t, ok := out[name]; ok && value != "" && !refiTypedValue[t].MatchString(value) {
			delete(out, name)
		}
	}
	for _, a := range d.Articles {
		for _, f := range refiMetaValues(a) {
			check(f[0], f[1])
		}
		for _, k := range a.AttributeNames() {
			check(varName(k), a.Attributes[k])
		}
	}
	return out
}

// refiTime formats a time as xsd:dateTime in UTC to the second, the form
// every QDA tool writes and parses.
func refiTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Truncate(time.Second).Format(time.RFC3339)
}

var refiColorRE = regexp.MustCompile(`^#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$`)

// refiColor returns c as #RRGGBB, or "" (no colour attribute) when it is
// not a hex colour: the schema rejects anything else.
func refiColor(c string) string {
	c = strings.TrimSpace(c)
	if !refiColorRE.MatchString(c) {
		return ""
	}
	if len(c) == 4 {
		c = string([]byte{'#', c[1], c[1], c[2], c[2], c[3], c[3]})
	}
	return c
}

// refiCanonGUID writes a GUID in the schema's form. Parallax's GUIDs are
// already canonical; anything else (a hand-edited database) is replaced by
// a stable UUID derived from it rather than producing an invalid file.
func refiCanonGUID(g string) string {
	if u, err := uuid.Parse(g); err == nil {
		return u.String()
	}
	return refiGUID("guid", g)
}

// refiExcerpt is the first words of s, up to n runes, on one line.
func refiExcerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return cut + "…"
}

func refiStr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
