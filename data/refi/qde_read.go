package refi

import (
	"context"
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/parallax-research/parallax/data"
)

// qdeReader walks a QDA-XML document element by element, through an
// xmlFilter: only the element at hand is ever decoded, and what is kept of
// it is kept without repeats (a file that repeats one reference a million
// times, which compresses to almost nothing, costs one entry).
type qdeReader struct {
	dec *xml.Decoder
	f   *xmlFilter
	ctx context.Context
	// what says what the document must be, for errors.
	what string
	n    int // elements read, to check for cancellation now and then
}

func newQDEReader(ctx context.Context, f *xmlFilter, what string) *qdeReader {
	return &qdeReader{dec: xml.NewDecoder(f), f: f, ctx: ctx, what: what}
}

func (r *qdeReader) fail(err error) error {
	return r.f.xmlError(err, r.what)
}

// root returns the document's root element, which must be name.
func (r *qdeReader) root(name xml.Name) (xml.StartElement, error) {
	for {
		tok, err := r.dec.Token()
		if err != nil {
			return xml.StartElement{}, r.fail(err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if se.Name != name {
				return se, r.fail(fmt.Errorf("expected element <%s> in name space %s but have <%s> in name space %q", name.Local, name.Space, se.Name.Local, se.Name.Space))
			}
			return se, nil
		}
	}
}

// children calls each for every child element of the element just
// opened, until it closes; each must read its element to the end (skip,
// decode, text or children). Text between the children is ignored.
func (r *qdeReader) children(each func(xml.StartElement) error) error {
	for {
		tok, err := r.dec.Token()
		if err != nil {
			return r.fail(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if r.n++; r.n%1024 == 0 {
				if err := r.ctx.Err(); err != nil {
					return err
				}
			}
			if err := each(t); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

// skip reads past an element the importer does not use.
func (r *qdeReader) skip() error {
	if err := r.dec.Skip(); err != nil {
		return r.fail(err)
	}
	return nil
}

// decode decodes a small element whole: one without repeated children.
func (r *qdeReader) decode(v any, se xml.StartElement) error {
	if err := r.dec.DecodeElement(v, &se); err != nil {
		return r.fail(err)
	}
	return nil
}

// text returns an element's text.
func (r *qdeReader) text(se xml.StartElement) (string, error) {
	var s string
	err := r.decode(&s, se)
	return s, err
}

// attr returns the value of an element's attribute, "" when it has none;
// like encoding/xml's struct fields, it matches the name in any name space.
func attr(se xml.StartElement, name string) string {
	v, _ := attrOK(se, name)
	return v
}

func attrOK(se xml.StartElement, name string) (string, bool) {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

// refSet is a list of references in document order, each once.
type refSet struct {
	list []qdeRef
	seen map[string]bool // made when the list grows past a few
}

func (s *refSet) add(target string) {
	if s.seen == nil {
		for _, r := range s.list {
			if r.Target == target {
				return
			}
		}
		if len(s.list) < 8 {
			s.list = append(s.list, qdeRef{Target: target})
			return
		}
		s.seen = map[string]bool{}
		for _, r := range s.list {
			s.seen[r.Target] = true
		}
	}
	if !s.seen[target] {
		s.seen[target] = true
		s.list = append(s.list, qdeRef{Target: target})
	}
}

func (s *refSet) addAll(refs []qdeRef) {
	for _, r := range refs {
		s.add(r.Target)
	}
}

// ref reads a reference element (NoteRef, CodeRef, SourceRef, …) into s.
func (r *qdeReader) ref(se xml.StartElement, s *refSet) error {
	s.add(attr(se, "targetGUID"))
	return r.skip()
}

// coding reads a Coding: its code and note references.
func (r *qdeReader) coding(se xml.StartElement) (qdeCoding, error) {
	c := qdeCoding{GUID: attr(se, "guid"), CreatingUser: attr(se, "creatingUser"), Created: attr(se, "creationDateTime")}
	var notes refSet
	err := r.children(func(ch xml.StartElement) error {
		switch ch.Name.Local {
		case "CodeRef":
			c.CodeRef = &qdeRef{Target: attr(ch, "targetGUID")}
			return r.skip()
		case "NoteRef":
			return r.ref(ch, &notes)
		}
		return r.skip()
	})
	c.NoteRefs = notes.list
	return c, err
}

// addCoding adds c to cs, or, when a coding with the same code is there,
// its note references to that coding's: a code applies once.
func addCoding(cs []qdeCoding, c qdeCoding) []qdeCoding {
	for i := range cs {
		if cs[i].CodeRef != nil && c.CodeRef != nil && cs[i].CodeRef.Target == c.CodeRef.Target {
			refs := refSet{list: cs[i].NoteRefs}
			refs.addAll(c.NoteRefs)
			cs[i].NoteRefs = refs.list
			return cs
		}
	}
	return append(cs, c)
}

// selection reads a PlainTextSelection.
func (r *qdeReader) selection(se xml.StartElement) (qdeSelection, error) {
	s := qdeSelection{GUID: attr(se, "guid"), Name: attr(se, "name"), Start: attr(se, "startPosition"), End: attr(se, "endPosition"),
		CreatingUser: attr(se, "creatingUser"), Created: attr(se, "creationDateTime"),
		ModifyingUser: attr(se, "modifyingUser"), Modified: attr(se, "modifiedDateTime")}
	var notes refSet
	err := r.children(func(ch xml.StartElement) error {
		switch ch.Name.Local {
		case "Description":
			d, err := r.text(ch)
			s.Description = &d
			return err
		case "Coding":
			c, err := r.coding(ch)
			s.Codings = addCoding(s.Codings, c)
			return err
		case "NoteRef":
			return r.ref(ch, &notes)
		}
		return r.skip()
	})
	s.NoteRefs = notes.list
	return s, err
}

// textSource reads a TextSource or a Note (the same type in the schema).
// sel, if not nil, checks each selection as it is read, so that a file
// repeating one is refused before it fills memory; a Note's selections
// and codings (sel nil) are not read.
func (r *qdeReader) textSource(se xml.StartElement, sel func(qdeSelection) error) (qdeTextSource, error) {
	t := qdeTextSource{GUID: attr(se, "guid"), Name: attr(se, "name"), RichTextPath: attr(se, "richTextPath"), PlainTextPath: attr(se, "plainTextPath"),
		CreatingUser: attr(se, "creatingUser"), Created: attr(se, "creationDateTime"),
		ModifyingUser: attr(se, "modifyingUser"), Modified: attr(se, "modifiedDateTime")}
	var notes refSet
	values := map[valueKey]bool{}
	err := r.children(func(ch xml.StartElement) error {
		switch ch.Name.Local {
		case "Description":
			d, err := r.text(ch)
			t.Description = &d
			return err
		case "PlainTextContent":
			c, err := r.text(ch)
			t.PlainTextContent = &c
			return err
		case "PlainTextSelection":
			if sel == nil {
				return r.skip()
			}
			s, err := r.selection(ch)
			if err == nil {
				err = sel(s)
			}
			t.Selections = append(t.Selections, s)
			return err
		case "Coding":
			if sel == nil {
				return r.skip()
			}
			c, err := r.coding(ch)
			if err != nil {
				return err
			}
			// A coding's GUID can become its annotation's: checked here,
			// before repeats of its code are folded into it.
			if _, err := uuid.Parse(strings.TrimSpace(c.GUID)); err != nil {
				return data.Errorf(data.EInvalid, "%s: a coding of source %q has an invalid GUID %q", r.f.entry, t.Name, c.GUID)
			}
			t.Codings = addCoding(t.Codings, c)
			return nil
		case "NoteRef":
			return r.ref(ch, &notes)
		case "VariableValue":
			vv, err := r.variableValue(ch)
			if err == nil && !values[vv.key()] {
				values[vv.key()] = true
				t.VariableValues = append(t.VariableValues, vv)
			}
			return err
		}
		return r.skip()
	})
	t.NoteRefs = notes.list
	return t, err
}

// variableValue reads a VariableValue.
func (r *qdeReader) variableValue(se xml.StartElement) (qdeVariableValue, error) {
	var vv qdeVariableValue
	err := r.decode(&vv, se)
	return vv, err
}

// valueKey identifies a variable value, to keep each once.
type valueKey struct{ variable, value string }

func (vv qdeVariableValue) key() valueKey {
	for _, v := range []*string{vv.TextValue, vv.BooleanValue, vv.IntegerValue, vv.FloatValue, vv.DateValue, vv.DateTimeValue} {
		if v != nil {
			return valueKey{vv.VariableRef.Target, *v}
		}
	}
	return valueKey{variable: vv.VariableRef.Target}
}
