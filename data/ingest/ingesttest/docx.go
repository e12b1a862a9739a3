package ingesttest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Para is a paragraph of a Word or RTF fixture.
type Para struct {
	Text string
	// Style is "Title", "Heading1" or "" for body text.
	Style string
	// Deleted is text in a tracked deletion after Text, Footnote a
	// footnote and Comment a comment anchored in the paragraph: none of it
	// is article text.
	Deleted, Footnote, Comment string
}

// Props are a document's title, author and creation date.
type Props struct {
	Title, Author string
	Created       time.Time
}

// ArticleParas lays out articles as a document: each title as a heading,
// then the paragraphs.
func ArticleParas(arts ...Article) []Para {
	var ps []Para
	for _, a := range arts {
		ps = append(ps, Para{Text: a.Title, Style: "Title"})
		for _, p := range a.Paras {
			ps = append(ps, Para{Text: p})
		}
	}
	return ps
}

// Lines makes one body paragraph of each line.
func Lines(lines []string) []Para {
	ps := make([]Para, len(lines))
	for i, l := range lines {
		ps[i] = Para{Text: l}
	}
	return ps
}

func xmlEsc(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

const wNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`

// DOCX writes a Word document holding paras, as Word lays one out: the
// parts a reader needs (document, styles, core properties, footnotes and
// comments) with Word's names and relationships.
func DOCX(paras []Para, p Props) []byte {
	var doc, notes, comments strings.Builder
	doc.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n<w:document " + wNS + `><w:body>`)
	notes.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes ` + wNS + `>`)
	comments.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:comments ` + wNS + `>`)
	note := 0
	for _, para := range paras {
		doc.WriteString("<w:p>")
		if para.Style != "" {
			fmt.Fprintf(&doc, `<w:pPr><w:pStyle w:val="%s"/></w:pPr>`, para.Style)
		}
		// Words in separate runs, as Word splits text at every change of
		// formatting or spell-check state.
		words := strings.SplitAfter(para.Text, " ")
		for i := 0; i < len(words); i += 7 {
			fmt.Fprintf(&doc, `<w:r><w:t xml:space="preserve">%s</w:t></w:r>`, xmlEsc(strings.Join(words[i:min(i+7, len(words))], "")))
		}
		if para.Deleted != "" {
			fmt.Fprintf(&doc, `<w:del w:id="9%d" w:author="Editor"><w:r><w:delText>%s</w:delText></w:r></w:del>`, note, xmlEsc(para.Deleted))
		}
		if para.Footnote != "" {
			note++
			fmt.Fprintf(&doc, `<w:r><w:footnoteReference w:id="%d"/></w:r>`, note)
			fmt.Fprintf(&notes, `<w:footnote w:id="%d"><w:p><w:r><w:t>%s</w:t></w:r></w:p></w:footnote>`, note, xmlEsc(para.Footnote))
		}
		if para.Comment != "" {
			note++
			fmt.Fprintf(&doc, `<w:commentRangeStart w:id="%d"/><w:r><w:commentReference w:id="%d"/></w:r>`, note, note)
			fmt.Fprintf(&comments, `<w:comment w:id="%d" w:author="Editor"><w:p><w:r><w:t>%s</w:t></w:r></w:p></w:comment>`, note, xmlEsc(para.Comment))
		}
		doc.WriteString("</w:p>\n")
	}
	doc.WriteString(`<w:sectPr/></w:body></w:document>`)
	notes.WriteString(`</w:footnotes>`)
	comments.WriteString(`</w:comments>`)

	styles := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles ` + wNS + `>` +
		`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>` +
		`<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>` +
		`<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>` +
		`</w:styles>`
	core := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + xmlEsc(p.Title) + `</dc:title><dc:creator>` + xmlEsc(p.Author) + `</dc:creator>`
	if !p.Created.IsZero() {
		core += `<dcterms:created xsi:type="dcterms:W3CDTF">` + p.Created.UTC().Format(time.RFC3339) + `</dcterms:created>`
	}
	core += `</cp:coreProperties>`
	return Zip(map[string]string{
		"[Content_Types].xml":          `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"_rels/.rels":                  `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`,
		"word/_rels/document.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/></Relationships>`,
		"word/document.xml":            doc.String(),
		"word/styles.xml":              styles,
		"word/footnotes.xml":           notes.String(),
		"word/comments.xml":            comments.String(),
		"docProps/core.xml":            core,
	})
}

// Zip packs files, deflated, in name order.
func Zip(files map[string]string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Deflate, Modified: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			panic(err)
		}
		if _, err := w.Write([]byte(files[n])); err != nil {
			panic(err)
		}
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// ZipBomb is a .docx whose document.xml unpacks to size bytes of XML
// padding from a few kilobytes.
func ZipBomb(size int) []byte {
	pad := strings.Repeat(" ", size)
	return Zip(map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"word/document.xml":   `<?xml version="1.0"?><w:document ` + wNS + `><w:body><w:p><w:r><w:t>boom</w:t></w:r></w:p>` + pad + `</w:body></w:document>`,
	})
}
