package ingest

import (
	"context"
	"fmt"
	"strings"

	"github.com/parallax-research/parallax/data"
)

// docPara is one paragraph of a word-processor document or a PDF, as the
// readers of those formats hand it over: text on one line, and whether the
// document styles it as a heading.
type docPara struct {
	Text    string
	Heading bool
}

// document is what the Word, RTF and PDF readers extract: the body's
// paragraphs in reading order and the document's own properties.
type document struct {
	Paras []docPara
	// Title, Author and Created are the file's properties (docProps/core.xml,
	// RTF \info, the PDF information dictionary); Created may be in any of
	// the forms those use.
	Title, Author, Created string
}

// Limits on what one document's paragraphs may hold, checked as they are
// read: a file of millions of empty or one-letter paragraphs would
// otherwise cost tens of bytes of bookkeeping for each byte of markup. A
// news-database export of a few hundred articles is tens of thousands of
// paragraphs and a few megabytes of text. Variables so tests can lower
// them.
var (
	maxDocParas     = 1 << 20
	maxDocTextBytes = 4 * data.MaxArticleBytes
)

// paraList collects a document's paragraphs within those limits. Runs of
// empty paragraphs are kept as one: they only separate text.
type paraList struct {
	paras []docPara
	text  int // bytes of text so far
}

// add appends a paragraph, or refuses the document once it is over a
// limit.
func (l *paraList) add(text string, heading bool) error {
	if text == "" && len(l.paras) > 0 && l.paras[len(l.paras)-1].Text == "" {
		return nil
	}
	if len(l.paras) >= maxDocParas {
		return data.Errorf(data.EInvalid, "more than %d paragraphs; refusing the document", maxDocParas)
	}
	if l.text += len(text); l.text > maxDocTextBytes {
		return data.Errorf(data.EInvalid, "more than %d MB of text; refusing the document", maxDocTextBytes>>20)
	}
	l.paras = append(l.paras, docPara{Text: text, Heading: heading})
	return nil
}

// documentItems turns a document into Items. A news-database export (see
// splitExport) becomes one Item per article, each named "name#N"; any
// other document is one article (a single ProQuest record one article
// with its citation block cut and a warning, see singleProquest). An
// export whose structure is broken
// (an article without its "End of Document") is one error for the whole
// file: importing half of it would put articles merged or cut short into
// the project without anyone noticing.
func documentItems(ctx context.Context, doc *document, name, source string) ([]Item, error) {
	if arts, ok, err := splitExport(ctx, doc.Paras, name, source); ok || err != nil {
		if err != nil {
			return nil, err
		}
		return arts, nil
	}
	keep, proquest, warning, single := singleProquest(exportLines(doc.Paras))
	if single {
		d := *doc
		d.Paras = doc.Paras[:keep]
		doc = &d
	}
	a, err := documentArticle(doc)
	if err != nil {
		return nil, err
	}
	a.Source = source
	if proquest != "" {
		if a.Attributes == nil {
			a.Attributes = map[string]string{}
		}
		a.Attributes["proquest_document"] = proquest
	}
	it := Item{Path: name, Article: a}
	it.warn(warning)
	return []Item{it}, nil
}

// documentArticle makes one article of a whole document. The title is the
// document's Title property, or else a heading that opens the text; a
// first paragraph repeating the title is dropped, as for web pages.
//
// The document's author and creation date say who saved the file and
// when (a researcher saving a page, often months or years after it came
// out), not who wrote the article or when it was published: taken as the
// article's, they would date it wrongly in every timeline, unflagged. They
// are kept as the attributes file_creator and file_created instead, and
// the article's date and author are left to the sheet, the researcher or
// what the text itself gives.
func documentArticle(doc *document) (data.Article, error) {
	var m data.Meta
	m.Title = usableTitle(doc.Title)
	var attrs map[string]string
	note := func(k, v string) {
		if attrs == nil {
			attrs = map[string]string{}
		}
		attrs[k] = v
	}
	if a := cleanSpace(doc.Author); a != "" {
		note("file_creator", a)
	}
	if d, ok := propertyDate(doc.Created); ok {
		note("file_created", d.String())
	}
	paras := doc.Paras
	for len(paras) > 0 && strings.TrimSpace(paras[0].Text) == "" {
		paras = paras[1:]
	}
	if m.Title == "" && len(paras) > 1 && paras[0].Heading {
		m.Title = cleanSpace(paras[0].Text)
	}
	texts := make([]string, 0, len(paras))
	for _, p := range paras {
		if t := strings.TrimSpace(p.Text); t != "" {
			texts = append(texts, t)
		}
	}
	text := data.NormalizeText(dropLeadingMeta(strings.Join(texts, "\n\n"), m))
	if strings.TrimSpace(text) == "" {
		return data.Article{}, data.Errorf(data.EInvalid, "no text in the document")
	}
	if len(text) > data.MaxArticleBytes {
		return data.Article{}, data.Errorf(data.EInvalid, "over the %d MB per-article limit", data.MaxArticleBytes>>20)
	}
	return data.Article{Meta: m, Text: text, Words: data.CountWords(text), Attributes: attrs}, nil
}

// usableTitle drops the titles word processors and PDF printers fill in on
// their own ("Microsoft Word - draft.docx", "untitled"), which name the
// file, not the article.
func usableTitle(t string) string {
	t = cleanSpace(t)
	l := strings.ToLower(t)
	switch {
	case l == "untitled", l == "title", l == "document", strings.HasPrefix(l, "microsoft word - "),
		strings.HasSuffix(l, ".docx"), strings.HasSuffix(l, ".doc"), strings.HasSuffix(l, ".pdf"), strings.HasSuffix(l, ".rtf"):
		return ""
	}
	return t
}

// propertyDate reads a creation date as documents store it: ISO 8601 in
// Word's core.xml ("2023-01-31T09:00:00Z"), "D:20230131090000+00'00'" in
// PDF, and "2023-01-31" as the RTF reader reports \creatim.
func propertyDate(s string) (data.Date, bool) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "D:"))
	if len(s) >= 8 && !strings.Contains(s[:8], "-") && startsWithDigit(s) {
		s = fmt.Sprintf("%s-%s-%s", s[:4], s[4:6], s[6:8])
	}
	if len(s) > 10 {
		s = s[:10]
	}
	d, err := data.ParseDate(s)
	if err != nil || d.IsZero() || d.Year < 1900 {
		return data.Date{}, false
	}
	return d, true
}

// collapseSpace collapses runs of layout white space (spaces, tabs, line
// ends) into one space and trims the ends. Unlike cleanSpace it keeps
// no-break spaces, which are text ("10\u00a0km").
func collapseSpace(s string) string {
	return strings.Join(strings.FieldsFunc(s, isHTMLSpace), " ")
}
