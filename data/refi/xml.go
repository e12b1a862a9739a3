package refi

import (
	"encoding/xml"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/parallax-research/parallax/data"
)

// Namespaces of the two QDA-XML documents.
const (
	refiProjectNS  = "urn:QDA-XML:project:1.0"
	refiCodebookNS = "urn:QDA-XML:codebook:1.0"
)

// refiNamespace seeds the name-based UUIDs of things Parallax has no GUID
// for (sources, codings, variables, sets), so that exporting the same
// project twice gives the same GUIDs and another tool can match them.
var refiNamespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/parallax-research/parallax/refi-qda"))

func refiGUID(parts ...string) string {
	return uuid.NewSHA1(refiNamespace, []byte(strings.Join(parts, "\x00"))).String()
}

// refiUserGUID is the one user Parallax writes: it has no user accounts,
// but several tools expect creatingUser to name a User.
var refiUserGUID = refiGUID("user", "Parallax")

// refiSourceGUID is an article's source GUID. The content hash is part of
// it so that an article whose text was replaced is a new source to the
// other tool, whose selections would not fit the new text.
func refiSourceGUID(a data.Article) string {
	return refiGUID("article", strconv.FormatInt(a.ID, 10), data.ContentHash(a.Text))
}

// Names of the variables that carry an article's metadata.
const (
	refiVarTitle  = "Title"
	refiVarOutlet = "Outlet"
	refiVarDate   = "Date"
	refiVarURL    = "URL"
	refiVarAuthor = "Author"
)

var refiMetaVars = []string{refiVarTitle, refiVarOutlet, refiVarDate, refiVarURL, refiVarAuthor}

// The XML types below follow Project.xsd. Field order is the schema's
// sequence order, which encoding/xml keeps when marshalling. They serve
// both directions: the importer reads elements Parallax never writes
// (Cases, Links, other source types) through the same types.

type qdeProject struct {
	XMLName      xml.Name      `xml:"urn:QDA-XML:project:1.0 Project"`
	Name         string        `xml:"name,attr"`
	Origin       string        `xml:"origin,attr,omitempty"`
	CreatingUser string        `xml:"creatingUserGUID,attr,omitempty"`
	Created      string        `xml:"creationDateTime,attr,omitempty"`
	Users        *qdeUsers     `xml:"Users"`
	CodeBook     *qdeCodeBook  `xml:"CodeBook"`
	Variables    *qdeVariables `xml:"Variables"`
	Cases        *qdeCases     `xml:"Cases"`
	Sources      *qdeSources   `xml:"Sources"`
	Notes        *qdeNotes     `xml:"Notes"`
	Links        *qdeLinks     `xml:"Links"`
	Sets         *qdeSets      `xml:"Sets"`
	Description  *string       `xml:"Description"`
	NoteRefs     []qdeRef      `xml:"NoteRef"`
}

type qdeUsers struct {
	Users []qdeUser `xml:"User"`
}

type qdeUser struct {
	GUID string `xml:"guid,attr"`
	Name string `xml:"name,attr,omitempty"`
}

type qdeCodeBook struct {
	Codes qdeCodes `xml:"Codes"`
}

type qdeCodes struct {
	Codes []qdeCode `xml:"Code"`
}

type qdeCode struct {
	GUID        string    `xml:"guid,attr"`
	Name        string    `xml:"name,attr"`
	IsCodable   string    `xml:"isCodable,attr"`
	Color       string    `xml:"color,attr,omitempty"`
	Description *string   `xml:"Description"`
	NoteRefs    []qdeRef  `xml:"NoteRef"`
	Codes       []qdeCode `xml:"Code"`
}

type qdeVariables struct {
	Variables []qdeVariable `xml:"Variable"`
}

type qdeVariable struct {
	GUID        string  `xml:"guid,attr"`
	Name        string  `xml:"name,attr"`
	Type        string  `xml:"typeOfVariable,attr"`
	Description *string `xml:"Description"`
}

type qdeVariableValue struct {
	VariableRef qdeRef `xml:"VariableRef"`
	// The schema allows one of these; Parallax writes TextValue and reads
	// whichever is there as text.
	TextValue     *string `xml:"TextValue"`
	BooleanValue  *string `xml:"BooleanValue"`
	IntegerValue  *string `xml:"IntegerValue"`
	FloatValue    *string `xml:"FloatValue"`
	DateValue     *string `xml:"DateValue"`
	DateTimeValue *string `xml:"DateTimeValue"`
}

type qdeCases struct {
	Cases []qdeCase `xml:"Case"`
}

type qdeCase struct {
	GUID           string             `xml:"guid,attr"`
	Name           *string            `xml:"name,attr"`
	VariableValues []qdeVariableValue `xml:"VariableValue"`
	SourceRefs     []qdeRef           `xml:"SourceRef"`
}

type qdeSources struct {
	TextSources []qdeTextSource `xml:"TextSource"`
	// Other kinds are read only to report them and to resolve references.
	Others []qdeOtherSource `xml:",any"`
}

type qdeOtherSource struct {
	XMLName xml.Name
	GUID    string `xml:"guid,attr"`
	Name    string `xml:"name,attr"`
}

// qdeTextSource is TextSourceType, used by both TextSource and Note.
type qdeTextSource struct {
	GUID             string             `xml:"guid,attr"`
	Name             string             `xml:"name,attr,omitempty"`
	RichTextPath     string             `xml:"richTextPath,attr,omitempty"`
	PlainTextPath    string             `xml:"plainTextPath,attr,omitempty"`
	CreatingUser     string             `xml:"creatingUser,attr,omitempty"`
	Created          string             `xml:"creationDateTime,attr,omitempty"`
	ModifyingUser    string             `xml:"modifyingUser,attr,omitempty"`
	Modified         string             `xml:"modifiedDateTime,attr,omitempty"`
	Description      *string            `xml:"Description"`
	PlainTextContent *string            `xml:"PlainTextContent"`
	Selections       []qdeSelection     `xml:"PlainTextSelection"`
	Codings          []qdeCoding        `xml:"Coding"`
	NoteRefs         []qdeRef           `xml:"NoteRef"`
	VariableValues   []qdeVariableValue `xml:"VariableValue"`
}

type qdeSelection struct {
	GUID string `xml:"guid,attr"`
	Name string `xml:"name,attr,omitempty"`
	// Positions are kept as text so the importer can say which value is
	// wrong instead of reporting a bare strconv error.
	Start         string      `xml:"startPosition,attr"`
	End           string      `xml:"endPosition,attr"`
	CreatingUser  string      `xml:"creatingUser,attr,omitempty"`
	Created       string      `xml:"creationDateTime,attr,omitempty"`
	ModifyingUser string      `xml:"modifyingUser,attr,omitempty"`
	Modified      string      `xml:"modifiedDateTime,attr,omitempty"`
	Description   *string     `xml:"Description"`
	Codings       []qdeCoding `xml:"Coding"`
	NoteRefs      []qdeRef    `xml:"NoteRef"`
}

type qdeCoding struct {
	GUID         string   `xml:"guid,attr"`
	CreatingUser string   `xml:"creatingUser,attr,omitempty"`
	Created      string   `xml:"creationDateTime,attr,omitempty"`
	CodeRef      *qdeRef  `xml:"CodeRef"`
	NoteRefs     []qdeRef `xml:"NoteRef"`
}

type qdeRef struct {
	Target string `xml:"targetGUID,attr"`
}

type qdeNotes struct {
	Notes []qdeTextSource `xml:"Note"`
}

type qdeLinks struct {
	Links []qdeLink `xml:"Link"`
}

type qdeLink struct {
	GUID   string `xml:"guid,attr"`
	Origin string `xml:"originGUID,attr"`
	Target string `xml:"targetGUID,attr"`
}

type qdeSets struct {
	Sets []qdeSet `xml:"Set"`
}

type qdeSet struct {
	GUID          string   `xml:"guid,attr"`
	Name          string   `xml:"name,attr"`
	Description   *string  `xml:"Description"`
	MemberCodes   []qdeRef `xml:"MemberCode"`
	MemberSources []qdeRef `xml:"MemberSource"`
	MemberNotes   []qdeRef `xml:"MemberNote"`
}

// qdcCodeBook is the root of a .qdc file. Its Code elements have no
// NoteRef in Codebook.xsd; qdeCode leaves them out when there are none.
type qdcCodeBook struct {
	XMLName xml.Name `xml:"urn:QDA-XML:codebook:1.0 CodeBook"`
	Origin  string   `xml:"origin,attr,omitempty"`
	Codes   qdeCodes `xml:"Codes"`
}
