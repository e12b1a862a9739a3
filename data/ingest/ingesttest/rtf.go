package ingesttest

import (
	"fmt"
	"strings"

	"golang.org/x/text/encoding/charmap"
)

// rtfText escapes text as Word writes it: Windows-1252 characters as
// \'hh, others as \uN with a "?" for readers without Unicode.
func rtfText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\' || r == '{' || r == '}':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\t':
			b.WriteString(`\tab `)
		case r < 0x80:
			b.WriteRune(r)
		default:
			if c, ok := charmap.Windows1252.EncodeRune(r); ok {
				fmt.Fprintf(&b, `\'%02x`, c)
			} else {
				v := int(r)
				if v > 32767 {
					v -= 65536
				}
				fmt.Fprintf(&b, `\u%d?`, v)
			}
		}
	}
	return b.String()
}

// RTF writes an RTF document holding paras, with the header Word writes:
// font and colour tables, a stylesheet naming the heading styles, \info
// with the properties, and a running header that is not article text.
func RTF(paras []Para, p Props) []byte {
	var b strings.Builder
	b.WriteString(`{\rtf1\ansi\ansicpg1252\deff0\deflang2057` + "\n")
	b.WriteString(`{\fonttbl{\f0\froman\fcharset0 Times New Roman;}{\f1\fswiss\fcharset0 Arial;}{\f2\fnil\fcharset238 Arial CE;}}` + "\n")
	b.WriteString(`{\colortbl;\red0\green0\blue0;\red255\green0\blue0;}` + "\n")
	b.WriteString(`{\stylesheet{\s0\ql Normal;}{\s1\ql\outlinelevel0\b\fs32 heading 1;}{\s15\qc\b\fs40 Title;}{\*\cs10 Default Paragraph Font;}}` + "\n")
	b.WriteString(`{\info{\title ` + rtfText(p.Title) + `}{\author ` + rtfText(p.Author) + `}`)
	if !p.Created.IsZero() {
		c := p.Created
		fmt.Fprintf(&b, `{\creatim\yr%d\mo%d\dy%d\hr%d\min%d}`, c.Year(), int(c.Month()), c.Day(), c.Hour(), c.Minute())
	}
	b.WriteString(`{\revtim\yr1999\mo1\dy1}{\*\company Example Ltd}}` + "\n")
	b.WriteString(`{\*\generator Parallax test fixtures;}\viewkind4\uc1` + "\n")
	b.WriteString(`{\header\pard\plain\qr\f1\fs16 Running header text\par}` + "\n")
	for _, para := range paras {
		switch para.Style {
		case "Title":
			b.WriteString(`\pard\plain\s15\qc\b\fs40 `)
		case "Heading1":
			b.WriteString(`\pard\plain\s1\ql\outlinelevel0\b\fs32 `)
		default:
			b.WriteString(`\pard\plain\s0\ql\f0\fs24 `)
		}
		b.WriteString(rtfText(para.Text))
		if para.Deleted != "" {
			b.WriteString(`{\deleted\revauth1 ` + rtfText(para.Deleted) + `}`)
		}
		if para.Footnote != "" {
			b.WriteString(`{\super\chftn}{\footnote\pard\plain\s0\fs20{\super\chftn} ` + rtfText(para.Footnote) + `}`)
		}
		if para.Comment != "" {
			b.WriteString(`{\*\atnid ED}{\*\atnauthor Editor}\chatn{\*\annotation\pard\plain ` + rtfText(para.Comment) + `}`)
		}
		b.WriteString("\\par\n")
	}
	b.WriteString("}")
	return []byte(b.String())
}

// FactivaRTF writes articles as Factiva's RTF export in the indexed
// format: a two-cell table row per field (code, value), the text's
// paragraphs inside the TD cell, and the accession number under AN.
func FactivaRTF(arts []Article) []byte {
	var b strings.Builder
	b.WriteString(`{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss\fcharset0 Arial;}}\uc1` + "\n")
	b.WriteString(`\pard\plain Search Summary\par Text: bradford\par Date: In the last 5 years\par Source: All Sources\par\page` + "\n")
	for i, a := range arts {
		row := func(code string, vals ...string) {
			b.WriteString(`\trowd\cellx1000\cellx9000\pard\intbl ` + code + `\cell `)
			for j, v := range vals {
				if j > 0 {
					b.WriteString(`\par `)
				}
				b.WriteString(rtfText(v))
			}
			b.WriteString("\\cell\\row\n")
		}
		words := 0
		for _, p := range a.Paras {
			words += len(strings.Fields(p))
		}
		row("HD", a.Title)
		if a.Author != "" {
			row("BY", "By "+a.Author)
		}
		row("WC", fmt.Sprintf("%d words", words))
		row("PD", factivaDate(a.Date))
		row("SN", a.Outlet)
		row("SC", "EXMPL")
		row("LA", "English")
		row("CY", "(c) 2024 "+a.Outlet+". All rights reserved.")
		row("LP", a.Paras[:min(2, len(a.Paras))]...)
		if len(a.Paras) > 2 {
			row("TD", a.Paras[2:]...)
		}
		row("NS", "gcat : Political/General News")
		row("RE", "uk : United Kingdom")
		row("AN", fmt.Sprintf("Document EXMPL00020240101ek%02d000%02d", i, i))
		b.WriteString(`\pard\page` + "\n")
	}
	b.WriteString("}")
	return []byte(b.String())
}

// factivaDate writes YYYY-MM-DD as Factiva does: "31 January 2023".
func factivaDate(d string) string {
	months := []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	var y, m, day int
	fmt.Sscanf(d, "%d-%d-%d", &y, &m, &day)
	return fmt.Sprintf("%d %s %d", day, months[m-1], y)
}
