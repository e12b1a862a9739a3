package ingest

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/parallax-research/parallax/data"
)

// News databases deliver search results as one file holding many articles.
// splitExport recognises two families by their content, whatever the file
// type, so a Word file that merely has a .docx name stays one article:
//
//   - Nexis Uni / Lexis Advance (.docx, .rtf, .pdf, .txt): a cover page and the
//     results list, then per article the headline, the publication, the
//     date line, "Copyright", "Section:", "Length: N words", "Byline:",
//     "Dateline:", a line "Body", the text, "Load-Date:" and a line "End of
//     Document". The older nexis.com layout numbers articles "3 of 120
//     DOCUMENTS" instead, with capitalised labels (BYLINE:, LENGTH:, ...)
//     and LANGUAGE: after the text. These are the layouts the R package
//     LexisNexisTools (lnt_read) reads, and its fields.
//   - Factiva (.rtf, .html, .txt) in the "Full Article/Report plus Indexing"
//     format: every field on its own line or table row after a code: HD
//     headline, BY byline, WC word count, PD date, SN source, LP lead, TD
//     text, AN the document number.
//
// A file is read as an export only when it has lines no article has: a
// Nexis Uni article's labelled metadata before "Body", nexis.com's word
// count and trailer under a document number, Factiva's accession number
// or indexing codes. Words alone ("HD Hyundai", "TD Cowen", "1 of 3
// DOCUMENTS") make no export. Text before an export's first article
// belongs to none, so such a file is refused rather than that text
// dropped.
//
// A file that plainly holds several articles of an export in some other
// layout (ProQuest, Factiva without its codes) is refused whole (see
// unsplitExport) rather than stored as one article.

// exportItem is one article of an export, or the problem with one.
type exportItem struct {
	article data.Article
	err     error
	// warnings say what the splitter had to guess, each a sentence.
	warnings []string
}

// splitExport splits paras if they are a news-database export. ok is false
// for an ordinary document. err is a problem with the export as a whole.
// The Nth article (counting from 1 in the order of the file) has Source
// "source#N", and its problems start "name#N:".
func splitExport(ctx context.Context, paras []docPara, name, source string) (items []Item, ok bool, err error) {
	lines := exportLines(paras)
	var arts []exportItem
	switch {
	case isNexisUni(lines):
		arts, err = splitNexisUni(ctx, lines)
	case isNexisClassic(lines):
		arts, err = splitNexisClassic(ctx, lines)
	case isFactiva(lines):
		arts, err = splitFactiva(ctx, lines)
	default:
		if layout := unsplitExport(lines); layout != "" {
			return nil, true, data.Errorf(data.EInvalid, "looks like %s, which Parallax cannot split into articles; none of it was imported "+
				"(export the articles again in a layout it reads: %s)", layout, exportLayouts)
		}
		return nil, false, nil
	}
	if err != nil {
		return nil, true, err
	}
	for i, a := range arts {
		if a.err != nil {
			items = append(items, Item{Path: name, Err: fmt.Errorf("%s#%d: %w", name, i+1, a.err)})
			continue
		}
		a.article.Source = fmt.Sprintf("%s#%d", source, i+1)
		items = append(items, Item{Path: name, Article: a.article, Warnings: a.warnings})
	}
	return items, true, nil
}

// exportLines are the paragraphs' texts as the splitters read them:
// trimmed, no-break spaces made spaces.
func exportLines(paras []docPara) []string {
	lines := make([]string, len(paras))
	for i, p := range paras {
		lines[i] = strings.TrimSpace(strings.ReplaceAll(p.Text, "\u00A0", " "))
	}
	return lines
}

// exportLayouts names the layouts splitExport reads, for messages.
const exportLayouts = "Nexis Uni, nexis.com \"N of M DOCUMENTS\", Factiva with indexing codes"

// proquestID is the line closing each article's record in a ProQuest
// export.
var proquestID = lazyRegexp(`(?i)^proquest document id\s*:`)

// proquestCitation matches a line of the citation block ProQuest writes
// after an article's text, and the rules around it.
var proquestCitation = lazyRegexp(`(?i)^((proquest document id|document url|copyright|last updated|database|publication date|publication title|` +
	`publication year|publication info|publisher|place of publication|country of publication|publication subject|source type|` +
	`language of publication|document type|issn|e-issn|isbn|subject|location|people|company / organization|identifier / keyword|` +
	`credit|section|volume|issue|pages|title|author|links)\s*:.*|[_=-]{10,})$`)

// singleProquest reads a file with one ProQuest record, which is one
// article (a file of several is refused, see unsplitExport): keep is how
// many of its lines to keep, the citation block that ends it (from
// "Publication date:" or so to "Database:", the document ID among them)
// cut; id is the ProQuest document ID; warning tells the researcher how
// the file was read. ok is false for any other file.
func singleProquest(lines []string) (keep int, id, warning string, ok bool) {
	if countMatches(lines, proquestID()) != 1 {
		return 0, "", "", false
	}
	keep = len(lines)
	start, hasID := len(lines), false
	for i := len(lines) - 1; i >= 0; i-- {
		if lines[i] == "" {
			continue
		}
		if !proquestCitation().MatchString(lines[i]) {
			break
		}
		start = i
		hasID = hasID || proquestID().MatchString(lines[i])
	}
	for _, l := range lines {
		if proquestID().MatchString(l) {
			id = cleanSpace(l[strings.Index(l, ":")+1:])
		}
	}
	if !hasID {
		return keep, id, `read as a single ProQuest article, but its "ProQuest document ID:" line stands inside the text rather than in a citation block at its end, so nothing was cut: check the text for the database's lines`, true
	}
	cut := len(nonEmpty(lines[start:]))
	return start, id, fmt.Sprintf("read as a single ProQuest article: the citation block at its end (%d lines from %q) was left out of the text", cut, lines[start]), true
}

// factivaDocument is the accession number closing each article of a
// Factiva export: "Document GRDN000020230304ej340001".
var factivaDocument = lazyRegexp(`^Document [A-Za-z0-9]{20,}$`)

// unsplitExport names the export a file plainly is when none of the
// splitters reads it: several articles' end markers, but not the fields
// that tell where each one's text begins. Stored as one article, such a
// file would merge every article and its database furniture into one
// text, silently; "" for anything else.
func unsplitExport(lines []string) string {
	switch {
	case countMatches(lines, proquestID()) > 1:
		return "a ProQuest export"
	// The markers alone are words an article may quote; the export has
	// its labelled metadata too.
	case countMatches(lines, nexisEnd()) > 1 && countMatches(lines, nexisMetaEvidence()) > 1:
		return "a Nexis export (several \"End of Document\" lines) whose articles have no \"Body\" line"
	case countMatches(lines, nexisDocNumber()) > 1 && countMatches(lines, nexisClassicLabel()) > 1:
		return "a nexis.com export (several \"N of M DOCUMENTS\" lines) whose articles have no LENGTH: line"
	case countMatches(lines, factivaDocument()) > 1:
		return "a Factiva export without indexing codes (HD, PD, SN, TD)"
	}
	return ""
}

// ---- Nexis Uni -------------------------------------------------------------

// nexisEnd matches the line closing each article; exports in German and
// French write it in their language.
var nexisEnd = lazyRegexp(`(?i)^(end of document|ende des dokuments|fin du document)$`)

// nexisBody is the line between an article's metadata and its text.
var nexisBody = lazyRegexp(`(?i)^(body|text|texte|corps)$`)

// nexisLabel matches a metadata line, "Label: value", and captures both.
// The labels are Nexis Uni's in English and German; the old nexis.com
// layout writes them in capitals (BYLINE:, LÄNGE:).
var nexisLabel = lazyRegexp(`(?i)^(length|länge|longueur|byline|author|autor|auteur|section|rubrik|rubrique|dateline|highlight|load-date|language|sprache|langue|publication-type|journal-code|graphic|grafik|correction-date|update|subject|geographic|industry|organization|person|company|ticker|copyright|url)\s*:\s*(.*)$`)

// nexisTrailer starts the block after an article's text: its load date and
// the database's classification, and in LexisNexis Academic's layout the
// article's address (URL:) before them.
var nexisTrailer = lazyRegexp(`(?i)^(url|load-date|language|sprache|langue|publication-type|classification|klassifikation|graphic|grafik|subject|geographic|industry|organization|person|journal-code|notes)\s*(:|$)`)

// nexisCaptionHead is the bare line over a photograph's caption or an
// article's notes, between its text and its trailer.
var nexisCaptionHead = lazyRegexp(`(?i)^(graphic|grafik|notes)$`)

// maxCaptionParas is how many paragraphs a caption or notes block under
// nexisCaptionHead may have: a "Notes" subheading further up the text
// does not cut it.
const maxCaptionParas = 4

// nexisWordCount is Nexis Uni's Length: line, a word count alone.
var nexisWordCount = lazyRegexp(`(?i)^(length|länge|longueur)\s*:\s*[\d.,]+\s+(words?|wörter|wort|mots?)$`)

// nexisMetaEvidence matches the labelled lines every article of a Nexis
// export has: its word count and its load date.
var nexisMetaEvidence = lazyRegexp(`(?i)^((length|länge|longueur)\s*:\s*[\d.,]+\s+(words?|wörter|wort|mots?)|load-date\s*:.*)$`)

// nexisClassicLabel matches nexis.com's labelled lines, in its capitals.
var nexisClassicLabel = lazyRegexp(`^(LENGTH|LÄNGE|LONGUEUR|BYLINE|SECTION|RUBRIK|RUBRIQUE|LOAD-DATE|LANGUAGE|SPRACHE|LANGUE|PUBLICATION-TYPE|DATELINE|HEADLINE|BODY):`)

// isNexisUni asks for a Nexis Uni article's structure, not its markers
// alone: an "End of Document", and a "Body" line with the article's
// metadata (Length:, Section:, Byline:) before it. A plain article with
// a line "Text" and a line "End of Document" is no export.
func isNexisUni(lines []string) bool {
	labelled := false
	for _, l := range lines {
		switch {
		case nexisEnd().MatchString(l):
			labelled = false
		case nexisWordCount().MatchString(l) || nexisSectionByline().MatchString(l):
			labelled = true
		case labelled && nexisBody().MatchString(l):
			return countMatches(lines, nexisEnd()) > 0
		}
	}
	return false
}

// nexisSectionByline matches Section: and Byline:, which stand before
// "Body" in a Nexis Uni article.
var nexisSectionByline = lazyRegexp(`(?i)^(section|rubrik|rubrique|byline|autor|auteur)\s*:`)

// splitNexisUni cuts the lines at each "End of Document". The first piece
// starts with the cover page and the results list, which are skipped by
// finding the article's start from its "Body" line backwards (see
// nexisArticle). A piece with two "Body" lines, or text after the last
// "End of Document", means an end marker is missing: the file is refused
// whole, since the articles around the gap cannot be told apart.
func splitNexisUni(ctx context.Context, lines []string) ([]exportItem, error) {
	var out []exportItem
	start := 0
	n := 0
	for i, l := range lines {
		if !nexisEnd().MatchString(l) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n++
		piece := lines[start:i]
		start = i + 1
		if bodies := countMatches(piece, nexisBody()); bodies != 1 {
			if bodies > 1 {
				return nil, data.Errorf(data.EInvalid, "Nexis export: article %d has no \"End of Document\" line before the next article begins; the file may have been edited or cut, so none of it was imported", n)
			}
			// A piece without "Body": a graphic or a table of figures only.
			out = append(out, exportItem{err: data.Errorf(data.EInvalid, "article %d has no \"Body\" line, so no text to import", n)})
			continue
		}
		out = append(out, nexisArticle(piece, n == 1))
	}
	if rest := lines[start:]; countMatches(rest, nexisBody()) > 0 {
		return nil, data.Errorf(data.EInvalid, "Nexis export: the last article (%d) has no \"End of Document\" line; the file looks cut short, so none of it was imported", n+1)
	}
	return out, nil
}

func countMatches(lines []string, re *regexp.Regexp) int {
	n := 0
	for _, l := range lines {
		if re.MatchString(l) {
			n++
		}
	}
	return n
}

// nexisArticle reads one article of a Nexis Uni export: metadata lines,
// "Body", text, trailer. The headline, publication and date line are the
// three lines before the first labelled metadata line; first says the
// piece may start with the cover page, which is then what comes before
// the headline.
func nexisArticle(piece []string, first bool) exportItem {
	bodyAt := 0
	for i, l := range piece {
		if nexisBody().MatchString(l) {
			bodyAt = i
			break
		}
	}
	meta := nonEmpty(piece[:bodyAt])
	// The labelled lines run back from "Body"; before them stand the date
	// line, the publication and the headline.
	labels := len(meta)
	for labels > 0 && (nexisLabel().MatchString(meta[labels-1]) || strings.HasPrefix(strings.ToLower(meta[labels-1]), "copyright")) {
		labels--
	}
	var a data.Article
	attrs := map[string]string{}
	head := meta[:labels]
	dateAt := -1
	for i := len(head) - 1; i >= 0 && i >= len(head)-3; i-- {
		if d, ok := parseNewsDate(head[i]); ok {
			dateAt, a.Date = i, d
			break
		}
	}
	// A magazine's or journal's date line may name no day ("Spring 2023",
	// "Winter 2022/2023", "Q1 2023"). It still stands where the date line
	// does, under the publication; read as a headline line instead, it
	// would make the publication the headline and itself the outlet.
	if dateAt < 0 && len(head) >= 3 && periodLine(head[len(head)-1]) {
		dateAt = len(head) - 1
		attrs["date_line"] = cleanSpace(head[dateAt])
	}
	switch {
	case dateAt >= 2:
		a.Outlet = cleanSpace(head[dateAt-1])
		a.Title = cleanSpace(head[dateAt-2])
		if !first && dateAt > 2 { // a headline over several lines
			a.Title = cleanSpace(strings.Join(head[:dateAt-1], " "))
		}
	case len(head) >= 2:
		a.Title, a.Outlet = cleanSpace(head[len(head)-2]), cleanSpace(head[len(head)-1])
	case len(head) == 1:
		a.Title = cleanSpace(head[0])
	}
	if dateAt >= 0 && dateAt < len(head)-1 {
		attrs["edition"] = cleanSpace(strings.Join(head[dateAt+1:], " "))
	}
	for _, l := range meta[labels:] {
		m := nexisLabel().FindStringSubmatch(l)
		if m == nil {
			attrs["copyright"] = cleanSpace(l)
			continue
		}
		setNexisField(&a, attrs, m[1], m[2])
	}

	return finishExportArticle(a, attrs, nexisText(&a, attrs, piece[bodyAt+1:]))
}

// periodLine reports a date line that names a period, not a day: a year
// and a word or two ("Spring 2023", "Winter 2022/2023", "Q1 2023",
// "Issue 12, 2023").
//
// A journal's line may number the volume and issue ("Volume 12, Issue
// 3, 2023", "Vol. 45, No. 6, Spring 2023"): up to seven words when every
// one is a number or such a word.
func periodLine(l string) bool {
	words := strings.Fields(l)
	if len(words) == 0 || len(words) > 7 {
		return false
	}
	if len(words) > 4 {
		for _, w := range words {
			w = strings.ToLower(strings.Trim(w, ",;.:"))
			if _, month := newsMonths[w]; !periodWords[w] && !month && !allDigits(strings.ReplaceAll(strings.ReplaceAll(w, "/", ""), "-", "")) {
				return false
			}
		}
	}
	for _, w := range words {
		for _, part := range strings.FieldsFunc(w, func(r rune) bool { return r == '/' || r == '-' || r == ',' }) {
			if n, err := strconv.Atoi(part); err == nil && len(part) == 4 && n >= 1800 && n <= 2200 {
				return true
			}
		}
	}
	return false
}

// periodWords are the words a journal's date line may have besides
// numbers and months: volume, issue, season.
var periodWords = map[string]bool{
	"volume": true, "vol": true, "issue": true, "iss": true, "no": true, "nr": true, "number": true, "numéro": true, "n°": true,
	"heft": true, "ausgabe": true, "jahrgang": true, "jg": true, "band": true, "bd": true, "tome": true, "part": true, "supplement": true,
	"spring": true, "summer": true, "autumn": true, "fall": true, "winter": true, "frühjahr": true, "frühling": true, "sommer": true,
	"herbst": true, "printemps": true, "été": true, "automne": true, "hiver": true, "q1": true, "q2": true, "q3": true, "q4": true,
}

// nexisText returns an article's text lines: those before the trailer
// (Load-Date, Language, the classification), whose labelled lines are
// recorded as metadata.
//
// The trailer is the run of labelled lines (and copyright notices) that
// ends the piece, from the first of them that may open a trailer: a
// paragraph of the text that starts like a label ("Subject: Re: …" in a
// quoted e-mail, "Notes:") is followed by more text, so it is text. A
// caption or notes block under a bare "Graphic" or "Notes" line just
// before the trailer is cut too, into the attribute graphic or notes.
//
// The trailer has one URL: line, the article's address, the one nearest
// the load date: a URL: line before it is the text's last paragraph (a
// link the article ends with, "URL: https://council.example/…"), which
// would otherwise leave the text and pass for the address.
func nexisText(a *data.Article, attrs map[string]string, body []string) []string {
	end := len(body)
	urlSeen := false
	for i := len(body) - 1; i >= 0; i-- {
		l := strings.TrimSpace(body[i])
		if l == "" {
			continue
		}
		if !nexisTrailer().MatchString(l) && !nexisLabel().MatchString(l) && !strings.HasPrefix(strings.ToLower(l), "copyright") {
			break
		}
		if m := nexisLabel().FindStringSubmatch(l); m != nil && strings.EqualFold(m[1], "url") {
			if urlSeen {
				break
			}
			urlSeen = true
		}
		if nexisTrailer().MatchString(l) {
			end = i
		}
	}
	// A photograph's caption, or the article's notes, stand between the
	// text and the trailer under a bare "Graphic" or "Notes" line: the
	// caption is no label, so the walk above stops at it. Left in the
	// text they would be read for quotes and speakers. A few paragraphs
	// back from the trailer, a bare heading cuts the text there and
	// what it heads is kept as an attribute.
	for i, n := end-1, 0; i >= 0 && n <= maxCaptionParas; i-- {
		l := strings.TrimSpace(body[i])
		if l == "" {
			continue
		}
		if m := nexisCaptionHead().FindStringSubmatch(l); m != nil {
			key := "graphic"
			if strings.EqualFold(m[1], "notes") {
				key = "notes"
			}
			attrs[key] = cleanSpace(strings.Join(nonEmpty(body[i+1:end]), " "))
			end = i
			break
		}
		if nexisTrailer().MatchString(l) || nexisLabel().MatchString(l) {
			break
		}
		n++
	}
	for _, l := range body[end:] {
		if m := nexisLabel().FindStringSubmatch(l); m != nil {
			setNexisField(a, attrs, m[1], m[2])
		}
	}
	return body[:end]
}

// setNexisField records one labelled metadata line.
func setNexisField(a *data.Article, attrs map[string]string, label, value string) {
	value = cleanSpace(value)
	if value == "" {
		return
	}
	switch strings.ToLower(label) {
	case "byline", "author", "autor", "auteur":
		a.Author = cleanByline(value)
	case "length", "länge", "longueur":
		attrs["length"] = value
	case "section", "rubrik", "rubrique":
		attrs["section"] = value
	case "dateline":
		attrs["dateline"] = value
	case "load-date":
		attrs["load_date"] = value
		if a.Date.IsZero() {
			// The day the database loaded the article, often days after
			// it was published: better than no date, but marked as a
			// guess for the researcher to check, as the library shows.
			if d, ok := parseNewsDate(value); ok {
				a.Date = d
				a.Inferred = append(a.Inferred, data.FieldDate)
			}
		}
	case "language", "sprache", "langue":
		attrs["language"] = value
	case "url":
		if a.URL == "" && (strings.HasPrefix(value, "http://") || strings.HasPrefix(value, "https://")) {
			a.URL = value
		} else {
			attrs["url"] = value
		}
	case "copyright":
		attrs["copyright"] = "Copyright " + value
	case "highlight":
		attrs["highlight"] = value
	case "publication-type":
		attrs["publication_type"] = value
	}
}

// finishExportArticle joins an article's body lines as paragraphs and
// checks what was found.
func finishExportArticle(a data.Article, attrs map[string]string, body []string) exportItem {
	text := data.NormalizeText(strings.Join(nonEmpty(body), "\n\n"))
	if strings.TrimSpace(text) == "" {
		what := "article"
		if a.Title != "" {
			what = fmt.Sprintf("article %q", a.Title)
		}
		return exportItem{err: data.Errorf(data.EInvalid, "%s has no text", what)}
	}
	if len(text) > data.MaxArticleBytes {
		return exportItem{err: data.Errorf(data.EInvalid, "over the %d MB per-article limit", data.MaxArticleBytes>>20)}
	}
	a.Text, a.Words = text, data.CountWords(text)
	if len(attrs) > 0 {
		a.Attributes = attrs
	}
	return exportItem{article: a}
}

func nonEmpty(lines []string) []string {
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

// ---- nexis.com, before Nexis Uni --------------------------------------------

var nexisDocNumber = lazyRegexp(`(?i)^\d+\s+(of|von|de|sur)\s+\d+\s+(documents?|dokumente?n?)$|^(dokument|document)\s+\d+\s+(von|de|of)\s+\d+$`)

var nexisClassicLength = lazyRegexp(`^(LENGTH|LÄNGE|LONGUEUR):`)

// nexisClassicHeadline and nexisClassicBody are LexisNexis Academic's
// labels: its headline is labelled, after LENGTH:, and a line "BODY:"
// stands between the labelled lines and the text.
var (
	nexisClassicHeadline = lazyRegexp(`^HEADLINE:\s*(.*)$`)
	nexisClassicBody     = lazyRegexp(`^BODY:\s*(.*)$`)
)

// nexisClassicWords is LENGTH: as nexis.com writes it, a word count and
// nothing else: "LENGTH: 640 words".
var nexisClassicWords = lazyRegexp(`(?i)^(LENGTH|LÄNGE|LONGUEUR):\s*[\d.,]+\s+(words?|wörter|wort|mots?)$`)

// nexisClassicTrailer is a labelled line of nexis.com's trailer, in its
// capitals.
var nexisClassicTrailer = lazyRegexp(`^(LOAD-DATE|LANGUAGE|SPRACHE|LANGUE|PUBLICATION-TYPE):`)

// isNexisClassic asks for the structure of a nexis.com export, not its
// words alone: a document number, and after it an article with its word
// count on LENGTH: and a trailer (LOAD-DATE:, LANGUAGE:). A paragraph
// "LENGTH: 200 words, the memo said" under a line "1 of 3 DOCUMENTS" is
// no export.
func isNexisClassic(lines []string) bool {
	n, length := 0, false
	for _, l := range lines {
		switch {
		case nexisDocNumber().MatchString(l):
			n, length = n+1, false
		case n > 0 && nexisClassicWords().MatchString(l):
			length = true
		case length && nexisClassicTrailer().MatchString(l):
			return true
		}
	}
	return false
}

// splitNexisClassic reads the nexis.com layout: "N of M DOCUMENTS", the
// publication, the date line (and an edition), the headline, labelled
// lines up to LENGTH:, the text, and LOAD-DATE:/LANGUAGE: after it.
//
// LexisNexis Academic's older layout is the same up to LENGTH:, its date
// line perhaps ending in the edition ("March 4, 2023, Saturday, Late
// Edition - Final"); then come HEADLINE:, BYLINE: and the other labelled
// lines, a line "BODY:", the text, and URL: before LOAD-DATE:.
func splitNexisClassic(ctx context.Context, lines []string) ([]exportItem, error) {
	var starts []int
	for i, l := range lines {
		if nexisDocNumber().MatchString(l) {
			starts = append(starts, i)
		}
	}
	if err := frontMatterError("a nexis.com export", lines[:starts[0]]); err != nil {
		return nil, err
	}
	out := make([]exportItem, 0, len(starts))
	for k, s := range starts {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		end := len(lines)
		if k+1 < len(starts) {
			end = starts[k+1]
		}
		piece := nonEmpty(lines[s+1 : end])
		lengthAt := -1
		for i, l := range piece {
			if nexisClassicLength().MatchString(l) {
				lengthAt = i
				break
			}
		}
		if lengthAt < 0 {
			out = append(out, exportItem{err: data.Errorf(data.EInvalid, "article %d has no LENGTH: line, so its text cannot be told from its metadata", k+1)})
			continue
		}
		// Without a "BODY:" line after the labelled lines that follow
		// LENGTH:, the text starts right after LENGTH:, as before.
		metaEnd, textAt := lengthAt+1, lengthAt+1
		// A headline may go on over lines of its own after HEADLINE:.
		var firstPara []string
		inHeadline := false
		for j := lengthAt + 1; j < len(piece); j++ {
			if m := nexisClassicBody().FindStringSubmatch(piece[j]); m != nil {
				metaEnd, textAt = j, j+1
				if m[1] != "" { // the text begins on the label's line
					firstPara = []string{m[1]}
				}
				break
			}
			if nexisClassicHeadline().MatchString(piece[j]) {
				inHeadline = true
			} else if nexisLabel().MatchString(piece[j]) {
				inHeadline = false
			} else if !inHeadline {
				break
			}
		}
		var a data.Article
		attrs := map[string]string{}
		var headline []string
		var labelled []string
		inHeadline = false
		dateSeen := false
		for i, l := range piece[:metaEnd] {
			if m := nexisClassicHeadline().FindStringSubmatch(l); m != nil {
				labelled, inHeadline = []string{m[1]}, true
				continue
			}
			if m := nexisLabel().FindStringSubmatch(l); m != nil {
				setNexisField(&a, attrs, m[1], m[2])
				inHeadline = false
				continue
			}
			if inHeadline {
				labelled = append(labelled, l)
				continue
			}
			if i == 0 {
				a.Outlet = cleanSpace(l)
				continue
			}
			if d, ok := parseNewsDate(l); ok && !dateSeen {
				a.Date, dateSeen = d, true
				continue
			}
			if d, edition, ok := dateEditionLine(l); ok && !dateSeen && len(headline) == 0 {
				a.Date, dateSeen = d, true
				attrs["edition"] = edition
				continue
			}
			if dateSeen && len(headline) == 0 && strings.Contains(strings.ToLower(l), "edition") {
				attrs["edition"] = cleanSpace(l)
				continue
			}
			headline = append(headline, l)
		}
		a.Title = cleanSpace(strings.Join(headline, " "))
		if t := cleanSpace(strings.Join(labelled, " ")); t != "" {
			a.Title = t
		}
		body := append(firstPara, piece[textAt:]...)
		out = append(out, finishExportArticle(a, attrs, nexisText(&a, attrs, body)))
	}
	return out, nil
}

// dateEditionLine reads a date line that goes on with the edition:
// "March 4, 2023, Saturday, Late Edition - Final", "April 17, 2018
// Tuesday Late Edition - Final". The edition's words are too many for
// parseNewsDate, which would leave the line to be taken for the
// headline. The date is the fewest words from the start that read as
// one, and a weekday after it; the rest, which must name the edition,
// is the edition.
func dateEditionLine(l string) (d data.Date, edition string, ok bool) {
	words := strings.Fields(l)
	for k := 1; k < len(words); k++ {
		rest := words[k:]
		if !strings.Contains(strings.ToLower(strings.Join(rest, " ")), "edition") {
			break
		}
		d, ok := parseNewsDate(strings.Join(words[:k], " "))
		if !ok {
			continue
		}
		for len(rest) > 0 && weekdays[strings.ToLower(strings.Trim(rest[0], ",;"))] {
			rest = rest[1:]
		}
		return d, strings.Trim(strings.Join(rest, " "), " ,;"), true
	}
	return data.Date{}, "", false
}

// weekdays are the names of the days as news databases print them on a
// date line, in English, German and French.
var weekdays = map[string]bool{
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true, "sunday": true,
	"montag": true, "dienstag": true, "mittwoch": true, "donnerstag": true, "freitag": true, "samstag": true, "sonntag": true,
	"lundi": true, "mardi": true, "mercredi": true, "jeudi": true, "vendredi": true, "samedi": true, "dimanche": true,
}

// ---- Factiva -------------------------------------------------------------------

// factivaCodes are the field codes of Factiva's indexed format.
var factivaCodes = map[string]bool{
	"HD": true, "CR": true, "WC": true, "PD": true, "ET": true, "SN": true, "SC": true, "ED": true,
	"PG": true, "LA": true, "CY": true, "LP": true, "TD": true, "CT": true, "RF": true, "CO": true,
	"IN": true, "NS": true, "RE": true, "IPC": true, "IPD": true, "PUB": true, "AN": true, "BY": true,
	"SE": true, "CLM": true, "ART": true, "VOL": true, "NGC": true,
}

// factivaLayout is how an export sets its field codes. Factiva sets them
// one way throughout a file, and splitFactiva reads the whole file by
// that one way: a line set otherwise is a line of the value, so a
// paragraph that merely begins with a code's letters ("IN a statement",
// "TD Bank analysts said", a tabloid's "AN ACT OF NEGLECT") is text.
type factivaLayout int

const (
	factivaNone factivaLayout = iota
	// factivaAlone: the code alone on its line, the value on the lines
	// after it (the indexed format saved as text).
	factivaAlone
	// factivaColumn: the code in a column of its own, a tab or two spaces
	// before the value (RTF and HTML tables).
	factivaColumn
	// factivaSingle: the code, one space, the value ("SN The Guardian").
	factivaSingle
)

// factivaSplit reads a line that starts with a field code: the code, the
// value after it and how the line sets it. code is "" for any other line.
func factivaSplit(l string) (code, value string, set factivaLayout) {
	i := strings.IndexFunc(l, unicode.IsSpace)
	if i < 0 {
		if factivaCodes[l] {
			return l, "", factivaAlone
		}
		return "", "", factivaNone
	}
	code, value = l[:i], strings.TrimSpace(l[i:])
	if !factivaCodes[code] {
		return "", "", factivaNone
	}
	if l[i] == '\t' || strings.HasPrefix(l[i:], "  ") {
		return code, value, factivaColumn
	}
	return code, value, factivaSingle
}

// accepts reports whether a line set as set is a field line in a file of
// layout lay. A field without a value is its code alone in every layout
// (the lines are trimmed, so an empty table cell leaves the code alone).
func (lay factivaLayout) accepts(set factivaLayout) bool {
	return lay != factivaNone && (set == lay || set == factivaAlone)
}

// factivaFileLayout works out how a file sets its codes from the lines
// only an export has: the accession number under AN ("Document
// GRDN000020230304ej340001") and the indexing codes after the text ("NS
// gcat : Political/General News"). factivaNone when there are none: a
// text whose paragraphs begin "HD Hyundai", "TD Cowen" and "SN …" is no
// export, however many codes' letters it has.
func factivaFileLayout(lines []string) factivaLayout {
	var votes [factivaSingle + 1]int
	for i, l := range lines {
		code, value, set := factivaSplit(l)
		if code == "" {
			continue
		}
		if set == factivaAlone {
			for _, next := range lines[i+1:] {
				if next != "" {
					value = next
					break
				}
			}
		}
		if factivaEvidence(code, value) {
			votes[set]++
		}
	}
	best := factivaNone
	for lay := factivaAlone; lay <= factivaSingle; lay++ {
		if votes[lay] > votes[best] {
			best = lay
		}
	}
	return best
}

// factivaEvidence reports a field only an export writes: the accession
// number, or an indexing code with Factiva's own code before its name.
func factivaEvidence(code, value string) bool {
	switch code {
	case "AN":
		return factivaDocument().MatchString(value)
	case "CO", "IN", "NS", "RE":
		return factivaIndexing().MatchString(value)
	}
	return false
}

// factivaAfterText are the fields that follow the text, in the order
// Factiva writes them.
var factivaAfterText = map[string]int{"CT": 1, "RF": 2, "ART": 3, "CO": 4, "IN": 5, "NS": 6, "RE": 7, "NGC": 8, "IPC": 9, "IPD": 10, "PUB": 11, "AN": 12}

// factivaField reads line i as a field of a file laid out as lay, cur
// being the field the line would continue.
//
// In the lead and the text (cur is LP or TD) a line set as a field is
// one only when it can follow the text: TD after the lead, the fields
// after the text, HD. In the single-space layout a line of the text may
// look exactly like those, so there the fields after the text are the
// ones trailer found walking back from the accession number (see
// factivaTrailers), and TD is the first TD line of the lead.
func factivaField(l, cur string, lay factivaLayout, trailer bool) (code, value string, ok bool) {
	code, value, set := factivaSplit(l)
	if code == "" || !lay.accepts(set) {
		return "", "", false
	}
	if cur != "LP" && cur != "TD" {
		return code, value, true
	}
	switch {
	case code == "TD" && cur == "LP":
		ok = true
	case lay == factivaSingle:
		ok = trailer
	default:
		ok = code == "HD" || factivaAfterText[code] > 0
	}
	return code, value, ok
}

// factivaIndexing matches the value of an indexing field: Factiva's own
// code for the company, industry, subject or region, then its name.
var factivaIndexing = lazyRegexp(`^[a-z0-9]{2,}\s+:\s`)

// factivaTrailers finds, in a file in the single-space layout, the field
// lines after each article's text: walking back from each accession
// number over lines that are fields that may follow the text, in
// Factiva's order, indexing codes with their shape. The first line that
// is not one ends the text.
func factivaTrailers(lines []string) map[int]bool {
	trailer := map[int]bool{}
	for i, l := range lines {
		code, value, set := factivaSplit(l)
		if code != "AN" || set != factivaSingle || !factivaDocument().MatchString(value) {
			continue
		}
		trailer[i] = true
		rank := factivaAfterText["AN"]
		for j := i - 1; j >= 0; j-- {
			if lines[j] == "" {
				continue
			}
			code, value, set := factivaSplit(lines[j])
			r := factivaAfterText[code]
			if !factivaSingle.accepts(set) || r == 0 || r >= factivaAfterText["AN"] || r > rank {
				break
			}
			if (code == "CO" || code == "IN" || code == "NS" || code == "RE") && !factivaIndexing().MatchString(value) {
				break
			}
			trailer[j], rank = true, r
		}
	}
	return trailer
}

func isFactiva(lines []string) bool {
	lay := factivaFileLayout(lines)
	seen := map[string]bool{}
	for _, l := range lines {
		if code, _, set := factivaSplit(l); code != "" && lay.accepts(set) {
			seen[code] = true
		}
	}
	return seen["HD"] && (seen["TD"] || seen["LP"]) && (seen["PD"] || seen["SN"])
}

// exportFrontMatter matches what may stand before an export's first
// article: the search summary ("Search Summary", "Text: bradford",
// "Date<tab>In the last 5 years") and the cover lines of a Nexis
// download. Anything else there is text the splitters would drop.
var exportFrontMatter = lazyRegexp(`(?i)^(search summary|narrowed by|page \d+( of \d+)?|` +
	`(text|date|source|sources|author|company|subject|industry|region|language|results found|timestamp|duplicates|` +
	`search terms|terms|search type|client/matter|user name|date and time|job number|print request|time of request|send to|documents)\s*(:|\t).*)$`)

// frontMatterError is the error for a line of text before an export's
// first article: splitting the file would drop it.
func frontMatterError(layout string, lines []string) error {
	for _, l := range lines {
		if l != "" && !exportFrontMatter().MatchString(l) {
			if r := []rune(l); len(r) > 60 {
				l = string(r[:60]) + "…"
			}
			return data.Errorf(data.EInvalid, "looks like %s, but text stands before its first article (%q), which would be lost with no article to hold it; none of the file was imported", layout, l)
		}
	}
	return nil
}

// splitFactiva reads Factiva's indexed format. A field runs from its code
// to the next code, so the lead and text keep their paragraphs; each HD
// starts an article, and its AN ("Document ...") is kept as the Factiva
// document number.
func splitFactiva(ctx context.Context, lines []string) ([]exportItem, error) {
	lay := factivaFileLayout(lines)
	if lay == factivaNone {
		// Not from splitExport, which asks isFactiva first: the layout
		// of the first HD line.
		for _, l := range lines {
			if code, _, set := factivaSplit(l); code == "HD" {
				lay = set
				break
			}
		}
	}
	var trailer map[int]bool
	if lay == factivaSingle {
		trailer = factivaTrailers(lines)
	}
	for i, l := range lines {
		if code, _, set := factivaSplit(l); code == "HD" && lay.accepts(set) {
			if err := frontMatterError("a Factiva export", lines[:i]); err != nil {
				return nil, err
			}
			break
		}
	}
	var out []exportItem
	var fields map[string][]string
	cur := ""
	// In the single-space layout a paragraph of the text opening "TD
	// Bank" reads exactly as the code that starts the text; the first
	// such line of the lead is taken as the code, and the researcher told
	// when there were others.
	moreTD := 0
	flush := func() {
		if fields == nil {
			return
		}
		it := factivaArticle(fields)
		if moreTD > 0 && it.err == nil {
			it.warnings = append(it.warnings, fmt.Sprintf("%d more paragraph(s) of the lead or text begin \"TD \" like the code that starts the text; the first was taken as that code and the others kept as text: check where the text begins", moreTD))
		}
		out = append(out, it)
		fields, cur, moreTD = nil, "", 0
	}
	for i, l := range lines {
		if lay == factivaSingle && cur == "TD" && strings.HasPrefix(l, "TD ") && !trailer[i] {
			moreTD++
		}
		if code, value, ok := factivaField(l, cur, lay, trailer[i]); ok {
			if code == "HD" {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				flush()
				fields = map[string][]string{}
			}
			if fields == nil {
				continue // indexing before the first article: the search summary
			}
			cur = code
			if value != "" {
				fields[cur] = append(fields[cur], value)
			} else if _, ok := fields[cur]; !ok {
				fields[cur] = nil
			}
			continue
		}
		if fields != nil && cur != "" && l != "" {
			fields[cur] = append(fields[cur], l)
		}
	}
	flush()
	return out, nil
}

func factivaArticle(f map[string][]string) exportItem {
	one := func(code string) string { return cleanSpace(strings.Join(f[code], " ")) }
	var a data.Article
	attrs := map[string]string{}
	a.Title = one("HD")
	a.Author = cleanByline(one("BY"))
	a.Outlet = one("SN")
	if d, ok := parseNewsDate(one("PD")); ok {
		// Factiva gives the time of publication in a field of its own.
		// A point time alone in the field ("09.30") is a time too.
		field := one("ET")
		if h, m, ok := strings.Cut(field, "."); ok && len(h) <= 2 && allDigits(h) && len(m) == 2 && allDigits(m) {
			field = h + ":" + m
		}
		if et := strings.Fields(strings.ToLower(strings.ReplaceAll(colonTimes(field), ".", " "))); len(et) > 0 && !d.HasTime() {
			d, _ = withClock(d, et)
		}
		a.Date = d
	}
	if wc := one("WC"); wc != "" {
		attrs["length"] = wc
	}
	if an := one("AN"); an != "" {
		attrs["factiva_document"] = strings.TrimSpace(strings.TrimPrefix(an, "Document "))
	}
	for code, key := range map[string]string{"SE": "section", "ED": "edition", "PG": "page", "LA": "language", "CY": "copyright", "SC": "source_code"} {
		if v := one(code); v != "" {
			attrs[key] = v
		}
	}
	body := append(append([]string{}, f["LP"]...), f["TD"]...)
	return finishExportArticle(a, attrs, body)
}

// ---- dates ---------------------------------------------------------------------

// newsMonths are month names as news databases print them, in English,
// German and French, full and abbreviated.
var newsMonths = map[string]int{
	"january": 1, "jan": 1, "januar": 1, "janvier": 1, "jänner": 1,
	"february": 2, "feb": 2, "februar": 2, "février": 2, "fevrier": 2,
	"march": 3, "mar": 3, "märz": 3, "maerz": 3, "mars": 3,
	"april": 4, "apr": 4, "avril": 4,
	"may": 5, "mai": 5,
	"june": 6, "jun": 6, "juni": 6, "juin": 6,
	"july": 7, "jul": 7, "juli": 7, "juillet": 7,
	"august": 8, "aug": 8, "août": 8, "aout": 8,
	"september": 9, "sep": 9, "sept": 9, "septembre": 9,
	"october": 10, "oct": 10, "oktober": 10, "okt": 10, "octobre": 10,
	"november": 11, "nov": 11, "novembre": 11,
	"december": 12, "dec": 12, "dezember": 12, "dez": 12, "décembre": 12, "decembre": 12,
}

// parseNewsDate reads the date lines of news databases: "January 31, 2023
// Tuesday", "Tuesday 31 January 2023", "31 Jan 2023", "31. Januar 2023",
// "2023-01-31". A line with more than a few other words is not a date
// line: a headline may mention a month.
//
// A time on the line ("January 31, 2023 Tuesday 9:30 AM GMT") is kept,
// with its zone when the line names one.
func parseNewsDate(s string) (data.Date, bool) {
	if d, err := data.ParseDateTime(strings.TrimSpace(s)); err == nil && !d.IsZero() {
		return d, true
	}
	words, commaAfter := dateWords(strings.ToLower(pointNumbersAside(colonTimes(s))))
	// The words of a time ("9:30", "am", "gmt") are not noise.
	c, _ := clockTime(words)
	if len(words) == 0 || len(words)-c.used > 7 {
		return data.Date{}, false
	}
	monthAt := slices.IndexFunc(words, func(w string) bool { _, ok := newsMonths[w]; return ok })
	day, month, year, other := 0, 0, 0, -c.used
	for i, w := range words {
		if i == monthAt {
			month = newsMonths[w]
			continue
		}
		if n, ok := dayNumber(w); ok && day == 0 &&
			// The day stands next to its month ("31 January", "January
			// 31,", "1er janvier"): an issue or page number elsewhere on
			// the line ("January 2023 Page 12", "Heft 3, März 2023") is
			// not the day.
			(i == monthAt+1 || i == monthAt-1 && !commaAfter[i]) {
			day = n
			continue
		}
		if n, err := strconv.Atoi(w); err == nil && len(w) == 4 && year == 0 && n >= 1800 && n <= 2200 {
			year = n
			continue
		}
		other++
	}
	// Allowed besides the date: a weekday and a time or edition word or two.
	if month == 0 || year == 0 || other > 3 {
		return data.Date{}, false
	}
	if day == 0 {
		return data.Date{Year: year, Month: month, Precision: data.PrecisionMonth}, true
	}
	d, err := data.ParseDate(fmt.Sprintf("%04d-%02d-%02d", year, month, day))
	if err != nil {
		return data.Date{}, false
	}
	d, _ = withClock(d, words)
	return d, true
}

// dateWords splits a date line into its words at spaces, points and
// slashes, and at commas, noting which words a comma followed.
func dateWords(line string) (words []string, commaAfter []bool) {
	for _, f := range strings.FieldsFunc(line, func(r rune) bool { return unicode.IsSpace(r) || r == '.' || r == '/' }) {
		for k, part := range strings.Split(f, ",") {
			if k > 0 && len(commaAfter) > 0 {
				commaAfter[len(commaAfter)-1] = true
			}
			if part != "" {
				words, commaAfter = append(words, part), append(commaAfter, false)
			}
		}
	}
	return words, commaAfter
}

// dayNumber reads a day of the month, perhaps ordinal ("31", "1st",
// "1er").
func dayNumber(w string) (int, bool) {
	for _, suffix := range []string{"st", "nd", "rd", "th", "er"} {
		if n, found := strings.CutSuffix(w, suffix); found {
			w = n
			break
		}
	}
	n, err := strconv.Atoi(w)
	if err != nil || len(w) > 2 || !allDigits(w) || n < 1 || n > 31 {
		return 0, false
	}
	return n, true
}

// pointNumbersAside replaces each number with a point inside ("12.30",
// "3.15") that colonTimes did not read as a time with a word that is no
// date, so that splitting the line at points does not make a page or a
// section number the day.
func pointNumbersAside(line string) string {
	words := strings.Fields(line)
	changed := false
	for i, w := range words {
		a, b, found := strings.Cut(strings.TrimRight(w, ",;"), ".")
		if found && allDigits(a) && allDigits(b) {
			words[i], changed = "#", true
		}
	}
	if !changed {
		return line
	}
	return strings.Join(words, " ")
}

// standaloneLine reports a line that is a paragraph of its own in an
// export even when a PDF sets it without space around it: the markers and
// labelled metadata of a Nexis export. The PDF layout uses it so that the
// splitter sees the lines it needs.
func standaloneLine(l string) bool {
	l = strings.TrimSpace(l)
	return nexisEnd().MatchString(l) || nexisBody().MatchString(l) || nexisLabel().MatchString(l) || nexisDocNumber().MatchString(l)
}
