package ingest

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// pdfRun is a piece of text placed on a page: one glyph, or a run of
// glyphs in one font on one line, as the PDF reader reports it. Coordinates
// are PDF points with y growing upwards; Bottom and Top bound the line the
// text sits on (descender to ascender), not the ink of each glyph.
type pdfRun struct {
	S                        string
	Left, Right, Bottom, Top float64
}

// pdfPage is one page's text runs in the order the page draws them.
type pdfPage struct {
	Width, Height float64
	Runs          []pdfRun
}

// pdfSeg is a stretch of one line of text with no column gap in it.
type pdfSeg struct {
	text                     string
	left, right, bottom, top float64
	page                     int
}

func (s *pdfSeg) height() float64 { return s.top - s.bottom }

// pdfBlock is a column-wide stack of lines in one font size: a paragraph,
// or several when the page sets paragraphs without space between them.
type pdfBlock struct {
	lines                    []*pdfSeg
	left, right, bottom, top float64
	size                     float64
}

// layoutPDF turns the pages' text runs into article text: lines rebuilt
// from runs, running headers, footers and page numbers dropped, columns
// read in order, words hyphenated at line ends rejoined and paragraphs
// separated by blank lines.
//
// Reading order follows T. Breuel's rules for text lines, applied to
// blocks: a block comes before another below it that it overlaps
// horizontally, and before one to its right unless a third block between
// them spans both (a headline across two columns, say). That reads a
// heading before the columns under it, columns left to right, and a
// second story under a full-width rule after the first.
func layoutPDF(pages []pdfPage) []docPara {
	segs := make([][]*pdfSeg, len(pages))
	for i, p := range pages {
		segs[i] = pageSegments(p, i)
	}
	dropFurniture(pages, segs)

	var paras []docPara
	var open strings.Builder // the paragraph that may go on in the next block
	openEnds := false        // whether open ended a sentence or a heading
	openFull := false        // whether open's last line ran to its block's edge
	flush := func(heading bool) {
		if open.Len() > 0 {
			paras = append(paras, docPara{Text: open.String(), Heading: heading})
			open.Reset()
		}
	}
	body := bodySize(segs)
	pageBlocks := make([][]*pdfBlock, len(segs))
	for i, ps := range segs {
		pageBlocks[i] = orderBlocks(buildBlocks(ps))
	}
	lineGap := typicalLineGap(pageBlocks)
	for _, blocks := range pageBlocks {
		for _, b := range blocks {
			heading := b.size > body*1.15
			if heading {
				flush(false)
			}
			bp, full := blockParagraphs(b, lineGap)
			for j, p := range bp {
				if j == 0 && open.Len() > 0 && !openEnds && !heading && (continues(p) || openFull) {
					joinLine(&open, p)
				} else {
					flush(heading)
					open.WriteString(p)
				}
				openEnds = heading || endsParagraph(p) || standaloneLine(p)
				openFull = j == len(bp)-1 && full
			}
			if heading {
				flush(true)
			}
		}
	}
	flush(false)
	return rejoinHyphens(paras)
}

// pageSegments groups a page's runs into line segments: runs on the same
// line, in left-to-right order, split where a gap is wide enough to be the
// space between columns, with a space put in where the gap between two
// runs is a word space the PDF did not draw.
func pageSegments(p pdfPage, page int) []*pdfSeg {
	runs := make([]pdfRun, 0, len(p.Runs))
	for _, r := range p.Runs {
		if r.Top-r.Bottom <= 0 || strings.TrimSpace(r.S) == "" && r.S != " " {
			continue
		}
		runs = append(runs, r)
	}
	// Lines: runs sorted top to bottom, a run joining the line whose middle
	// it shares.
	slices.SortStableFunc(runs, func(a, b pdfRun) int {
		return cmp.Compare(b.Bottom+b.Top, a.Bottom+a.Top)
	})
	var lines [][]pdfRun
	for _, r := range runs {
		mid := (r.Bottom + r.Top) / 2
		placed := false
		// Only the last few lines can share a middle with a run that sorts
		// below them.
		for i := len(lines) - 1; i >= 0 && i >= len(lines)-4; i-- {
			l := lines[i]
			lb, lt := lineSpan(l)
			h := min(lt-lb, r.Top-r.Bottom)
			lmid := (lb + lt) / 2
			if abs(mid-lmid) < h*0.35 {
				lines[i] = append(l, r)
				placed = true
				break
			}
		}
		if !placed {
			lines = append(lines, []pdfRun{r})
		}
	}
	var segs []*pdfSeg
	for _, l := range lines {
		slices.SortStableFunc(l, func(a, b pdfRun) int { return cmp.Compare(a.Left, b.Left) })
		var cur *pdfSeg
		var b strings.Builder
		end := func() {
			if cur != nil {
				cur.text = collapseSpace(b.String())
				if cur.text != "" {
					segs = append(segs, cur)
				}
			}
			b.Reset()
		}
		for i, r := range l {
			h := r.Top - r.Bottom
			if i == len(l)-1 && cur != nil && (r.S == "-" || r.S == "\u00AD") {
				// A line-end hyphen drawn on its own, after a gap that
				// justification left: it belongs to the word before.
				t := strings.TrimRight(b.String(), " ")
				b.Reset()
				b.WriteString(t)
			} else if cur != nil {
				gap := r.Left - cur.right
				if gap > h*1.2 {
					end()
					cur = nil
				} else if gap > h*0.12 && !strings.HasSuffix(b.String(), " ") && !strings.HasPrefix(r.S, " ") {
					b.WriteByte(' ')
				}
			}
			if cur == nil {
				cur = &pdfSeg{left: r.Left, right: r.Right, bottom: r.Bottom, top: r.Top, page: page}
			}
			b.WriteString(r.S)
			cur.right = max(cur.right, r.Right)
			cur.bottom = min(cur.bottom, r.Bottom)
			cur.top = max(cur.top, r.Top)
		}
		end()
	}
	return segs
}

func lineSpan(l []pdfRun) (bottom, top float64) {
	bottom, top = l[0].Bottom, l[0].Top
	for _, r := range l[1:] {
		bottom, top = min(bottom, r.Bottom), max(top, r.Top)
	}
	return bottom, top
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// pageNumber matches a line that is only a page number: "7", "- 7 -",
// "Page 7", "7 of 12", "Seite 7".
var pageNumber = lazyRegexp(`(?i)^[-–—\s]*(page|seite|p\.|pg\.?)?\s*\d{1,4}(\s*(of|/|von|de)\s*\d{1,4})?[-–—\s]*$`)

// furnitureKey is the form in which running heads repeat: digits (page
// numbers, dates' days) masked, case and spacing ignored.
func furnitureKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.IsDigit(r):
			if !strings.HasSuffix(b.String(), "#") {
				b.WriteByte('#')
			}
		case unicode.IsSpace(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// dropFurniture removes running headers and footers: lines in the top or
// bottom eighth of a page that recur, page numbers aside, on at least a
// third of the pages (and two) in type no larger than the body's (a
// headline repeated at the top of pages stays), lines there that are
// only a page number,
// and lines there in smaller type than the body text, which is how a
// one-page file's running head can be told (a footnote at the foot of a
// page goes too; news articles seldom have them).
func dropFurniture(pages []pdfPage, segs [][]*pdfSeg) {
	body := bodySize(segs)
	small, large := body*0.9, body*1.3
	inZone := func(s *pdfSeg) bool {
		h := pages[s.page].Height
		if h <= 0 {
			return false
		}
		return s.bottom > h*0.875 || s.top < h*0.125
	}
	count := map[string]int{}
	for _, ps := range segs {
		seen := map[string]bool{}
		for _, s := range ps {
			if inZone(s) {
				k := furnitureKey(s.text)
				if !seen[k] {
					seen[k] = true
					count[k]++
				}
			}
		}
	}
	need := max(2, (len(pages)+2)/3)
	for i, ps := range segs {
		segs[i] = slices.DeleteFunc(ps, func(s *pdfSeg) bool {
			return inZone(s) && (pageNumber().MatchString(s.text) || count[furnitureKey(s.text)] >= need && s.height() <= large || s.height() < small)
		})
	}
}

// bodySize is the most common line height, the body text's.
func bodySize(segs [][]*pdfSeg) float64 {
	hist := map[int]int{}
	for _, ps := range segs {
		for _, s := range ps {
			hist[int(s.height()*2+0.5)] += utf8.RuneCountInString(s.text)
		}
	}
	best, n := 0, -1
	for h, c := range hist {
		if c > n || c == n && h < best {
			best, n = h, c
		}
	}
	return float64(best) / 2
}

// buildBlocks stacks a page's segments into blocks: a segment joins the
// block whose last line is just above it, overlapping it horizontally, in
// the same size of type.
func buildBlocks(segs []*pdfSeg) []*pdfBlock {
	sorted := slices.Clone(segs)
	slices.SortStableFunc(sorted, func(a, b *pdfSeg) int {
		if c := cmp.Compare(b.top, a.top); c != 0 {
			return c
		}
		return cmp.Compare(a.left, b.left)
	})
	var blocks []*pdfBlock
	for _, s := range sorted {
		h := s.height()
		var best *pdfBlock
		for _, b := range blocks {
			last := b.lines[len(b.lines)-1]
			gap := last.bottom - s.top
			if gap < -h*0.3 || gap > h*0.9 || abs(b.size-h) > h*0.15 {
				continue
			}
			ov := min(b.right, s.right) - max(b.left, s.left)
			if ov <= 0 || ov < 0.5*min(b.right-b.left, s.right-s.left) {
				continue
			}
			if best == nil || last.bottom < best.lines[len(best.lines)-1].bottom {
				best = b
			}
		}
		if best == nil {
			blocks = append(blocks, &pdfBlock{lines: []*pdfSeg{s}, left: s.left, right: s.right, bottom: s.bottom, top: s.top, size: h})
			continue
		}
		best.lines = append(best.lines, s)
		best.left, best.right = min(best.left, s.left), max(best.right, s.right)
		best.bottom = min(best.bottom, s.bottom)
	}
	return blocks
}

// maxOrderedBlocks bounds the cubic ordering rule; a page with more blocks
// (a table, an index) is read top to bottom, left to right instead.
const maxOrderedBlocks = 400

// orderBlocks puts a page's blocks in reading order (see layoutPDF).
func orderBlocks(bs []*pdfBlock) []*pdfBlock {
	n := len(bs)
	if n < 2 {
		return bs
	}
	byPos := func(a, b *pdfBlock) int {
		if c := cmp.Compare(b.top, a.top); c != 0 {
			return c
		}
		return cmp.Compare(a.left, b.left)
	}
	if n > maxOrderedBlocks {
		slices.SortStableFunc(bs, byPos)
		return bs
	}
	overlapX := func(a, b *pdfBlock) bool {
		return min(a.right, b.right)-max(a.left, b.left) > 0
	}
	mid := func(b *pdfBlock) float64 { return (b.top + b.bottom) / 2 }
	before := func(a, b *pdfBlock) bool {
		if overlapX(a, b) {
			return mid(a) > mid(b)
		}
		if a.right > b.left { // a is not wholly left of b
			return false
		}
		lo, hi := min(mid(a), mid(b)), max(mid(a), mid(b))
		for _, c := range bs {
			if c != a && c != b && overlapX(c, a) && overlapX(c, b) && mid(c) > lo && mid(c) < hi {
				return false
			}
		}
		return true
	}
	succ := make([][]int, n)
	indeg := make([]int, n)
	for i := range bs {
		for j := range bs {
			if i != j && before(bs[i], bs[j]) {
				succ[i] = append(succ[i], j)
				indeg[j]++
			}
		}
	}
	out := make([]*pdfBlock, 0, n)
	done := make([]bool, n)
	for len(out) < n {
		// Of the blocks nothing unread must precede, the top-left one; on
		// a cycle (overlapping boxes), the top-left unread block.
		pick := -1
		for i := range bs {
			if !done[i] && indeg[i] == 0 && (pick < 0 || byPos(bs[i], bs[pick]) < 0) {
				pick = i
			}
		}
		if pick < 0 {
			for i := range bs {
				if !done[i] && (pick < 0 || byPos(bs[i], bs[pick]) < 0) {
					pick = i
				}
			}
		}
		done[pick] = true
		out = append(out, bs[pick])
		for _, j := range succ[pick] {
			indeg[j]--
		}
	}
	return out
}

// typicalLineGap is the space between the lines of one paragraph: the
// lower quartile of the gaps between lines in blocks across the document,
// since body text wraps more often than paragraphs end, and the gaps vary
// a little with the ink PDFium measures. Counting over the whole document,
// not block by block, matters when a block is mostly one-line paragraphs.
func typicalLineGap(pages [][]*pdfBlock) float64 {
	var gaps []float64
	for _, bs := range pages {
		for _, b := range bs {
			for i := 1; i < len(b.lines); i++ {
				gaps = append(gaps, b.lines[i-1].bottom-b.lines[i].top)
			}
		}
	}
	if len(gaps) == 0 {
		return 0
	}
	slices.Sort(gaps)
	return gaps[len(gaps)/4]
}

// blockParagraphs splits a block into paragraphs where the space between
// lines is wider than the document's line gap, where a line is indented,
// after a line that stops short at the end of a sentence, and after one
// that stops far short (under 70% of the block's width, which wrapping
// alone seldom leaves) when the next starts with a capital: the one-line
// fields of an export, a headline over its byline. Lines are joined with
// spaces.
//
// full reports that the block's last line runs to its right edge, so its
// paragraph probably goes on in the next column or page.
func blockParagraphs(b *pdfBlock, typical float64) (paras []string, full bool) {
	width := b.right - b.left
	var cur strings.Builder
	for i, l := range b.lines {
		if i > 0 {
			prev := b.lines[i-1]
			gap := prev.bottom - l.top
			newPara := standaloneLine(prev.text) || standaloneLine(l.text) ||
				gap > typical+l.height()*0.25 ||
				l.left > b.left+l.height()*0.8 && prev.left < l.left-l.height()*0.5 ||
				prev.right < b.right-width*0.2 && endsParagraph(prev.text) ||
				prev.right < b.left+width*0.7 && startsUpper(l.text)
			if newPara {
				paras = append(paras, cur.String())
				cur.Reset()
			} else {
				joinLine(&cur, l.text)
				continue
			}
		}
		cur.WriteString(l.text)
	}
	last := b.lines[len(b.lines)-1]
	return append(paras, cur.String()), len(b.lines) > 1 && last.right > b.right-width*0.1
}

// joinLine appends the next line of a paragraph, keeping a hyphen at the
// line end for rejoinHyphens to judge.
func joinLine(b *strings.Builder, next string) {
	s := b.String()
	switch {
	case strings.HasSuffix(s, "\u00AD"): // a soft hyphen: always a break inside a word
		b.Reset()
		b.WriteString(strings.TrimSuffix(s, "\u00AD"))
	case hyphenEnd(s):
		b.WriteString(hyphenMark)
	default:
		b.WriteByte(' ')
	}
	b.WriteString(next)
}

// hyphenMark stands between the halves of a word hyphenated at a line end
// until rejoinHyphens has seen the whole document. It is a private-use
// character, which no article text holds.
const hyphenMark = "\uE000"

func hyphenEnd(s string) bool {
	if !strings.HasSuffix(s, "-") && !strings.HasSuffix(s, "\u2010") {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(strings.TrimRight(s, "-\u2010"))
	return unicode.IsLetter(r)
}

// rejoinHyphens settles each word broken at a line end: "organisa-" and
// "tional" become "organisational", but a compound the document also
// writes whole with its hyphen ("well-known") keeps it, and so does one
// whose second half is capitalised ("Anglo-Saxon").
func rejoinHyphens(paras []docPara) []docPara {
	hyphenated := map[string]bool{}
	for _, dp := range paras {
		p := dp.Text
		if !strings.Contains(p, "-") {
			continue
		}
		for _, w := range strings.Fields(p) {
			if strings.Contains(w, "-") && !strings.Contains(w, hyphenMark) {
				hyphenated[strings.ToLower(strings.Trim(w, `.,;:!?"'“”‘’()[]`))] = true
			}
		}
	}
	out := make([]docPara, len(paras))
	for i, dp := range paras {
		out[i] = dp
		p := dp.Text
		if !strings.Contains(p, hyphenMark) {
			continue
		}
		var b strings.Builder
		for {
			j := strings.Index(p, hyphenMark)
			if j < 0 {
				b.WriteString(p)
				break
			}
			head, tail := p[:j], p[j+len(hyphenMark):]
			left := head[strings.LastIndexAny(head, " \n")+1:]
			right := tail
			if k := strings.IndexAny(tail, " \n"); k >= 0 {
				right = tail[:k]
			}
			first, _ := utf8.DecodeRuneInString(right)
			word := strings.ToLower(strings.Trim(left+right, `.,;:!?"'“”‘’()[]`))
			if unicode.IsUpper(first) || unicode.IsDigit(first) || hyphenated[word] {
				b.WriteString(head)
			} else {
				b.WriteString(strings.TrimRight(head, "-\u2010"))
			}
			p = tail
		}
		out[i].Text = b.String()
	}
	return out
}

func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}

// continues reports whether a paragraph that starts a block looks like the
// rest of one cut by a column or page break: its first letter, after any
// quotation marks, is lower case.
func continues(p string) bool {
	i := strings.IndexFunc(p, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
	if i < 0 || i > 3 {
		return false
	}
	r, _ := utf8.DecodeRuneInString(p[i:])
	return unicode.IsLower(r)
}

// endsParagraph reports whether a line can be a paragraph's last: it ends
// a sentence or a quotation.
func endsParagraph(s string) bool {
	s = strings.TrimRight(s, " ")
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(`.!?:"”’')»…`, r)
}
