package ingesttest

import (
	"fmt"
	"strings"
	"time"
)

// NexisDate writes YYYY-MM-DD as Nexis Uni's date line: "January 31, 2023
// Tuesday".
func NexisDate(d string) string {
	t, err := time.Parse("2006-01-02", d)
	if err != nil {
		panic(err)
	}
	return t.Format("January 2, 2006 Monday")
}

// NexisUniLines lays articles out as a Nexis Uni export, one line per
// paragraph: the cover page, the results list, then per article the
// headline, publication, date line, copyright, Section, Length, Byline,
// "Body", the text, Load-Date and "End of Document". The End of Document
// of the article at index dropEnd is left out (-1: none).
func NexisUniLines(arts []Article, dropEnd int) []string {
	l := []string{
		"User Name: =researcher@example.edu",
		"Date and Time: Friday, March 8, 2024 10:15:00 AM GMT",
		"Job Number: 218734211",
		fmt.Sprintf("Documents (%d)", len(arts)),
	}
	for i, a := range arts {
		l = append(l, fmt.Sprintf("%d. %s", i+1, a.Title), "Client/Matter: -None-",
			"Search Terms: bradford OR summit", "Search Type: Terms and Connectors", "Narrowed by",
			"Content Type Narrowed by", "News Sources: Newspapers")
	}
	for i, a := range arts {
		words := 0
		for _, p := range a.Paras {
			words += len(strings.Fields(p))
		}
		l = append(l, a.Title, a.Outlet, NexisDate(a.Date),
			"Copyright "+a.Date[:4]+" "+a.Outlet+" All Rights Reserved",
			"Section: NEWS; Version:1", fmt.Sprintf("Length:\u00a0%d words", words))
		if a.Author != "" {
			l = append(l, "Byline:\u00a0"+a.Author)
		}
		if i%2 == 1 {
			l = append(l, "Dateline: LONDON")
		}
		l = append(l, "Body")
		l = append(l, a.Paras...)
		l = append(l, "Load-Date: "+NexisDate(a.Date)[:strings.LastIndex(NexisDate(a.Date), " ")])
		if i != dropEnd {
			l = append(l, "End of Document")
		}
	}
	return l
}

// NexisClassicLines lays articles out as the nexis.com export before Nexis
// Uni: "N of M DOCUMENTS", publication, date line, headline, BYLINE:,
// SECTION:, LENGTH:, the text, LOAD-DATE:, LANGUAGE:.
func NexisClassicLines(arts []Article) []string {
	var l []string
	for i, a := range arts {
		l = append(l, fmt.Sprintf("%d of %d DOCUMENTS", i+1, len(arts)), "", a.Outlet, "", NexisDate(a.Date), "", a.Title, "")
		if a.Author != "" {
			l = append(l, "BYLINE: "+a.Author, "")
		}
		l = append(l, "SECTION: NEWS; Pg. 4", "", fmt.Sprintf("LENGTH: %d words", len(strings.Fields(a.Body()))), "")
		for _, p := range a.Paras {
			l = append(l, p, "")
		}
		l = append(l, "LOAD-DATE: "+a.Date, "", "LANGUAGE: ENGLISH", "", "PUBLICATION-TYPE: Newspaper", "")
	}
	return l
}

// FactivaHTML writes articles as Factiva's HTML export: a div per article
// holding a table with a code cell and a value cell per field, the lead
// and text as paragraphs.
func FactivaHTML(arts []Article) []byte {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Factiva</title></head><body>\n")
	b.WriteString(`<div id="searchSummary"><table><tr><td><b>Text</b></td><td>bradford</td></tr></table></div>` + "\n")
	for i, a := range arts {
		row := func(code string, vals ...string) {
			fmt.Fprintf(&b, `<tr><td class="index" align="right" valign="top"><b>%s</b>&nbsp;</td><td>`, code)
			for _, v := range vals {
				if code == "LP" || code == "TD" {
					fmt.Fprintf(&b, `<p class="articleParagraph enarticleParagraph">%s</p>`, xmlEsc(v))
				} else {
					b.WriteString(xmlEsc(v))
				}
			}
			b.WriteString("</td></tr>\n")
		}
		b.WriteString(`<div class="article enArticle"><table border="0">` + "\n")
		row("HD", a.Title)
		if a.Author != "" {
			row("BY", "By "+a.Author)
		}
		row("WC", fmt.Sprintf("%d words", len(strings.Fields(a.Body()))))
		row("PD", factivaDate(a.Date))
		row("SN", a.Outlet)
		row("LA", "English")
		row("LP", a.Paras[:min(2, len(a.Paras))]...)
		if len(a.Paras) > 2 {
			row("TD", a.Paras[2:]...)
		}
		row("AN", fmt.Sprintf("Document EXMPL00020240101ek%02d000%02d", i, i))
		b.WriteString("</table></div><br>\n")
	}
	b.WriteString("</body></html>\n")
	return []byte(b.String())
}

// FactivaLines lays articles out as Factiva's indexed format saved as
// text: each field's code alone on a line, its value on the lines after
// it (the lead and text one paragraph a line), the accession number under
// AN, and a blank line between articles.
func FactivaLines(arts []Article) []string {
	l := []string{"Search Summary", "Text: bradford", "Date: In the last 5 years", ""}
	for i, a := range arts {
		l = append(l, "HD", a.Title)
		if a.Author != "" {
			l = append(l, "BY", "By "+a.Author)
		}
		l = append(l, "WC", fmt.Sprintf("%d words", len(strings.Fields(a.Body()))),
			"PD", factivaDate(a.Date), "SN", a.Outlet, "LA", "English", "LP")
		l = append(l, a.Paras[:min(2, len(a.Paras))]...)
		if len(a.Paras) > 2 {
			l = append(l, "TD")
			l = append(l, a.Paras[2:]...)
		}
		l = append(l, "NS", "gcat : Political/General News", "RE", "uk : United Kingdom",
			"AN", fmt.Sprintf("Document EXMPL00020240101ek%02d000%02d", i, i), "")
	}
	return l
}
