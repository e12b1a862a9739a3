package refi

import (
	"context"
	"encoding/xml"
	"errors"
	"strings"
	"testing"
)

// filterFor reads doc through an xmlFilter limited to limit bytes.
func filterFor(doc string, limit int64) *xmlFilter {
	return newXMLFilter(strings.NewReader(doc), "t.qde", limit,
		func() error { return errors.New("too big") }, func(err error) error { return err })
}

// TestXMLFilterChecks: the filter refuses, with its line, what the Decoder
// would refuse in the text and comments it drops unread, and what
// QDA-XML never holds.
func TestXMLFilterChecks(t *testing.T) {
	deep := strings.Repeat("<a>", maxXMLDepth+1) + strings.Repeat("</a>", maxXMLDepth+1)
	cases := []struct{ name, doc, want string }{
		{"plain", `<?xml version="1.0"?><P a="x>y"><a>text</a></P>`, ""},
		{"byte-order mark", "\uFEFF<P/>", ""},
		{"comment", "<P><!-- a - b --></P>", ""},
		{"comment with --", "<P><!-- a -- b --></P>", `line 1: invalid sequence "--" not allowed in comments`},
		{"comment ending --->", "<P>\n<!-- a ---></P>", `line 2: invalid sequence "--"`},
		{"unclosed comment", "<P><!-- a", "unexpected EOF"},
		{"CDATA", "<P><Description><![CDATA[x]]]></Description><![CDATA[dropped]]></P>", ""},
		{"entities between elements", "<P>&amp;&lt;&#10;&#x1F389;</P>", ""},
		{"unknown entity between elements", "<P>\n\n&x;</P>", "line 3: invalid character entity &x;"},
		{"unterminated entity", "<P>&amp</P>", "invalid character entity"},
		{"NUL between elements", "<P>\x00</P>", "illegal character code U+0000"},
		{"invalid UTF-8 between elements", "<P>\xff</P>", "t.qde: not valid UTF-8"},
		{"truncated UTF-8 at the end", "<P/>\xe2\x82", "t.qde: not valid UTF-8"},
		{"surrogate", "<P>\xed\xa0\x80</P>", "t.qde: not valid UTF-8"},
		{"DOCTYPE", `<!DOCTYPE P [<!ENTITY x "y">]><P/>`, "t.qde: contains a declaration (<!DOCTYPE P"},
		{"declaration inside text", "<P><Description><!ENTITY x></Description></P>", "contains a declaration (<!ENTITY x>)"},
		{"long tag", "<P a=\"" + strings.Repeat("x", maxTagBytes) + "\"/>", "a tag longer than 1 MB"},
		{"deep nesting", deep, "nested more than 1000 deep"},
		{"syntax error", "<P>\n\n\n<b =></b></P>", "not well-formed XML: XML syntax error on line 4"},
		{"over the limit", "<P>" + strings.Repeat(" ", 100) + "</P>", "too big"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			limit := int64(64 << 20)
			if c.name == "over the limit" {
				limit = 50
			}
			err := checkXML(filterFor(c.doc, limit))
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("err = %v, want %q", err, c.want)
			}
		})
	}
}

// TestXMLFilterLongText: a text run longer than maxTextBytes is refused
// where the text is read, and dropped unread elsewhere.
// TestImportMemoryBounded meets the real limit; a lower one is quicker.
func TestXMLFilterLongText(t *testing.T) {
	old := maxTextBytes
	maxTextBytes = 1 << 20
	t.Cleanup(func() { maxTextBytes = old })
	long := strings.Repeat("x", maxTextBytes+1)
	if err := checkXML(filterFor("<P><Description>"+long+"</Description></P>", 1<<30)); err == nil || !strings.Contains(err.Error(), "t.qde, line 1: an element's text is longer than 1 MB") {
		t.Errorf("in a Description: err = %v", err)
	}
	if err := checkXML(filterFor("<P><Other>"+long+"</Other></P>", 1<<30)); err != nil {
		t.Errorf("in another element: %v", err)
	}
}

// TestXMLFilterKeepsText: what the planner reads through the filter is
// what encoding/xml reads from the whole document.
func TestXMLFilterKeepsText(t *testing.T) {
	for _, text := range []string{
		"plain",
		"  spaces\n\tand lines\r\nkept  ",
		"escapes &amp; &lt;tags&gt; &quot;q&quot; &apos;a&apos; &#233; &#x1F389;",
		"a <![CDATA[<b> & ]]]> section",
		"split <!-- a comment --> text",
		"multi-byte: Zoë “café” 🎉 中文",
		"",
	} {
		doc := `<?xml version="1.0" encoding="utf-8"?>` + "\n" + `<Project xmlns="urn:QDA-XML:project:1.0" name="p">` +
			"\n  <Description>" + text + "</Description>\n</Project>\n"
		var want qdeProject
		if err := xml.Unmarshal([]byte(doc), &want); err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		pl := newPlanner(context.Background(), &qdpxArchive{}, "t.qde", "t.qdpx")
		if err := pl.project(newQDEReader(context.Background(), filterFor(doc, 1<<20), "not a project")); err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		if pl.description != refiDeref(want.Description) {
			t.Errorf("read %q, encoding/xml reads %q", pl.description, refiDeref(want.Description))
		}
	}
}
