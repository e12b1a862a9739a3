package app

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/bzip2"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf16"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/data/export"
	"github.com/parallax-research/parallax/diffing"
	"github.com/parallax-research/parallax/diffing/quote"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// passim (github.com/dasmiq/passim) detects reused passages in millions of
// documents on Apache Spark. Parallax writes its input (export --format
// passim) and reads back its clusters, so that the alignment of a whole
// corpus can be read, coded and exported here.
//
// What passim writes, from its README and source: a folder out.json of
// Spark part files (part-*, gzip- or bzip2-compressed when Spark was told
// to compress), one JSON record per reused passage. A record echoes the
// input document's fields (id, series, date, our metadata) with text
// replaced by the passage's text, and adds cluster (the cluster's ID),
// size, begin and end (the passage's start and end offsets in the
// document's text, end exclusive), uid (a hash of id) and, from passim 2 on,
// src (the passages passim infers this one was copied from; empty for a
// cluster's roots) and pboiler. passim 1 is Scala: its offsets index Java
// strings, in UTF-16 code units, and its text is text.substring(begin, end).
// passim 2 is Python: its offsets count code points, and its text comes
// from Spark's one-based substr given the zero-based begin, one character
// early. The two readings differ only around characters outside the Basic
// Multilingual Plane (emoji, some CJK). passim 2's src and pboiler fields
// tell its output apart; without them the passages' texts decide. Either
// way a passage is accepted only where its text is the article's text at
// the converted range.
const passimTool = "passim"

// PassimReport says what a passim import read and stored.
type PassimReport struct {
	// Files, Passages and Clusters count what passim's output holds.
	Files, Passages, Clusters int
	// CodePoints is set when passim's offsets were read as code points
	// (passim 2) rather than UTF-16 units (passim 1).
	CodePoints bool
	// Stored clusters (Across of them spanning two or more articles),
	// holding Members passages.
	Stored, Across, Members int
	// Refused lists the passages read but not stored, and why.
	Refused []PassimRefusal
	// Incomplete counts clusters for which passim gives a size larger than
	// the passages read: a part file may be missing.
	Incomplete int
	// Replaced is the number of clusters (across two or more articles) of
	// Parallax's own analysis that the import replaced.
	Replaced int
}

// PassimRefusal is a passage that was read but not stored.
type PassimRefusal struct {
	// Where is the passage's file and line in passim's output ("" when
	// stored clusters are re-classified).
	Where   string
	Article int64
	Reason  string
}

// ImportPassim reads passim's output in dir (the folder given to passim,
// or its out.json folder) and makes its clusters the project's, each
// classified by Parallax's own relations, in one transaction. It refuses
// the whole output, changing nothing, when a passage names no article of
// the project, lies outside its article's text, or carries a text other
// than the article's at its range: offsets that do not fit the project
// would place every member on the wrong words.
func ImportPassim(ctx context.Context, store *data.Store, dir string, progress Progress) (PassimReport, error) {
	if progress == nil {
		progress = func(string, int, int) {}
	}
	var rep PassimReport
	known, err := articleSummaries(ctx, store)
	if err != nil {
		return rep, err
	}
	out, err := readPassim(ctx, dir, known, progress)
	if err != nil {
		return rep, err
	}
	rep.Files, rep.Passages, rep.Clusters = len(out.files), len(out.passages), len(out.clusters)
	for i, size := range out.sizes {
		if size > out.counts[i] {
			rep.Incomplete++
		}
	}
	if rep.CodePoints, err = checkPassim(ctx, store, out, progress); err != nil {
		return rep, err
	}
	before, err := store.ClusterOrigin(ctx)
	if err != nil {
		return rep, err
	}
	if !before.IsImported() {
		st, err := store.Stats(ctx)
		if err != nil {
			return rep, err
		}
		rep.Replaced = st.Clusters
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	origin := data.ClusterOrigin{Tool: passimTool, Source: abs, Imported: store.Now().UTC()}
	return rep, storeImported(ctx, store, out.passages, len(out.clusters), known, origin, out.where, &rep, progress)
}

// ReclassifyImported classifies the project's imported clusters again,
// with the references the researcher pinned since, keeping their members
// and their origin. Parallax's own analysis would replace them instead.
func ReclassifyImported(ctx context.Context, store *data.Store, progress Progress) (PassimReport, error) {
	if progress == nil {
		progress = func(string, int, int) {}
	}
	var rep PassimReport
	origin, err := store.ClusterOrigin(ctx)
	if err != nil || !origin.IsImported() {
		return rep, err
	}
	known, err := articleSummaries(ctx, store)
	if err != nil {
		return rep, err
	}
	var ps []passimPassage
	n := 0
	err = store.EachCluster(ctx, 1, func(c data.Cluster) error {
		for _, m := range c.Members {
			// What made a reference at import (passim's src) is not
			// stored; the reference itself stands in for it, so that
			// only the clusters with a new pin change reference.
			ps = append(ps, passimPassage{cluster: n, article: m.ArticleID, begin: m.Start, end: m.End, root: m.Reference, file: -1})
		}
		n++
		return nil
	})
	if err != nil {
		return rep, err
	}
	rep.Passages, rep.Clusters = len(ps), n
	return rep, storeImported(ctx, store, ps, n, known, origin, func(passimPassage) string { return "" }, &rep, progress)
}

// articleSummaries are the project's articles by ID: which IDs passim's
// output may name, and their dates for choosing references.
func articleSummaries(ctx context.Context, store *data.Store) (map[int64]data.Summary, error) {
	arts, err := store.ListArticles(ctx, data.ListQuery{})
	if err != nil {
		return nil, err
	}
	known := make(map[int64]data.Summary, len(arts))
	for _, a := range arts {
		known[a.ID] = a
	}
	return known, nil
}

// passimPassage is one passage of passim's output.
type passimPassage struct {
	cluster int // index into passimOutput.clusters
	article int64
	// begin and end are passim's offsets as read; after checkPassim,
	// rune offsets into the article's text.
	begin, end int
	// text is a hash of passim's text of the passage, when it gave one.
	text    uint64
	hasText bool
	// root: passim inferred no source for the passage (src empty or
	// absent), so it may be where the text first appeared.
	root       bool
	file, line int // file is an index into passimOutput.files; -1 for none
}

// passimOutput is what was read of passim's output.
type passimOutput struct {
	files    []string // part files, relative to the folder named
	passages []passimPassage
	clusters []string // passim's cluster IDs, in order of first appearance
	counts   []int    // passages read per cluster
	sizes    []int    // the largest size passim gives per cluster
	// passim2 is set when records carry src or pboiler, which passim 2
	// writes and passim 1 does not.
	passim2 bool
	seed    maphash.Seed
}

func (o *passimOutput) where(p passimPassage) string {
	if p.file < 0 {
		return ""
	}
	return fmt.Sprintf("%s:%d", o.files[p.file], p.line)
}

// passimRecord is the part of an output record the import reads; the
// fields passim echoes from the input are left alone.
type passimRecord struct {
	Cluster json.RawMessage `json:"cluster"`
	Size    *int            `json:"size"`
	ID      json.RawMessage `json:"id"`
	Begin   *int            `json:"begin"`
	End     *int            `json:"end"`
	Text    *string         `json:"text"`
	Src     json.RawMessage `json:"src"`
	Pboiler json.RawMessage `json:"pboiler"`
}

// passimParts finds the part files of passim's output: in dir/out.json, or
// in dir itself when it is the out.json folder. Spark's checksums
// (.part-*.crc) and its _SUCCESS marker are not data.
func passimParts(dir string) (base string, files []string, err error) {
	list := func(d string) ([]string, error) {
		entries, err := os.ReadDir(d)
		if err != nil {
			return nil, err
		}
		var out []string
		for _, e := range entries {
			if n := e.Name(); !e.IsDir() && strings.HasPrefix(n, "part-") && !strings.HasSuffix(n, ".crc") {
				out = append(out, n)
			}
		}
		return out, nil
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return "", nil, data.Errorf(data.EInvalid, "passim output %s: %v", dir, err)
	}
	if !fi.IsDir() {
		return "", nil, data.Errorf(data.EInvalid, "passim output %s: not a folder (give the folder passim wrote, or its out.json folder)", dir)
	}
	sub := filepath.Join(dir, "out.json")
	if fi, err := os.Stat(sub); err == nil && fi.IsDir() {
		files, err := list(sub)
		if err != nil {
			return "", nil, fmt.Errorf("passim output %s: %w", sub, err)
		}
		if len(files) == 0 {
			return "", nil, data.Errorf(data.EInvalid, "passim output %s: no part-* files in it (did passim finish?)", sub)
		}
		return sub, files, nil
	}
	files, err = list(dir)
	if err != nil {
		return "", nil, fmt.Errorf("passim output %s: %w", dir, err)
	}
	if len(files) > 0 {
		return dir, files, nil
	}
	if _, err := os.Stat(filepath.Join(dir, "out.parquet")); err == nil {
		return "", nil, data.Errorf(data.EInvalid, "passim output %s: holds out.parquet, which Parallax does not read; run passim with its default JSON output (no --output-format parquet)", dir)
	}
	return "", nil, data.Errorf(data.EInvalid, "passim output %s: no out.json folder and no part-* files (give the folder passim wrote: `passim input.json OUTPUT`)", dir)
}

// maxPassimLine bounds one record: a passage is at most an article, and
// an article at most data.MaxArticleBytes, with room for its metadata.
const maxPassimLine = 2*data.MaxArticleBytes + 1<<20

// readPassim reads every part file of passim's output in dir.
func readPassim(ctx context.Context, dir string, known map[int64]data.Summary, progress Progress) (*passimOutput, error) {
	base, files, err := passimParts(dir)
	if err != nil {
		return nil, err
	}
	out := &passimOutput{seed: maphash.MakeSeed()}
	rel, err := filepath.Rel(dir, base)
	if err != nil {
		rel = ""
	}
	for _, f := range files {
		out.files = append(out.files, filepath.Join(rel, f))
	}
	ids := map[string]int{}
	for i, f := range files {
		progress("Reading passim's output", i, len(files))
		if err := readPassimFile(ctx, filepath.Join(base, f), i, out, ids, known); err != nil {
			return nil, err
		}
	}
	progress("Reading passim's output", len(files), len(files))
	if len(out.passages) == 0 {
		return nil, data.Errorf(data.EInvalid, "passim output %s: no passages in its part files", dir)
	}
	return out, nil
}

// readPassimFile reads one part file, decompressing it by its extension.
func readPassimFile(ctx context.Context, path string, file int, out *passimOutput, ids map[string]int, known map[int64]data.Summary) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("passim output: %w", err)
	}
	defer f.Close()
	var r io.Reader = f
	switch {
	case strings.HasSuffix(path, ".gz"):
		gz, err := gzip.NewReader(f)
		if err != nil {
			return data.Errorf(data.EInvalid, "%s: not gzip: %v", out.files[file], err)
		}
		defer gz.Close()
		r = gz
	case strings.HasSuffix(path, ".bz2"):
		r = bzip2.NewReader(f)
	case slices.ContainsFunc([]string{".snappy", ".lz4", ".deflate", ".zst"}, func(ext string) bool { return strings.HasSuffix(path, ext) }):
		return data.Errorf(data.EInvalid, "%s: compressed with %s, which Parallax does not read (decompress it, or have Spark write gzip)",
			out.files[file], strings.TrimPrefix(filepath.Ext(path), "."))
	}
	br := bufio.NewReaderSize(r, 1<<16)
	for line := 1; ; line++ {
		if line%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		b, err := readLine(br)
		if len(bytes.TrimSpace(b)) > 0 {
			if perr := out.add(b, file, line, ids, known); perr != nil {
				return perr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return data.Errorf(data.EInvalid, "%s:%d: %v", out.files[file], line, err)
		}
	}
}

// readLine reads one line of at most maxPassimLine bytes, without its end.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > maxPassimLine {
			return nil, fmt.Errorf("record longer than %d MB", maxPassimLine>>20)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return bytes.TrimRight(line, "\r\n"), err
	}
}

// add reads one record.
func (o *passimOutput) add(b []byte, file, line int, ids map[string]int, known map[int64]data.Summary) error {
	at := fmt.Sprintf("%s:%d", o.files[file], line)
	var rec passimRecord
	if err := json.Unmarshal(b, &rec); err != nil {
		return data.Errorf(data.EInvalid, "%s: not a JSON record: %v", at, err)
	}
	if len(rec.Cluster) == 0 || string(rec.Cluster) == "null" {
		return data.Errorf(data.EInvalid, "%s: no cluster field: not passim's cluster output (run passim without --pairwise, --docwise or --linewise)", at)
	}
	var id string
	if err := json.Unmarshal(rec.ID, &id); err != nil || len(rec.ID) == 0 {
		return data.Errorf(data.EInvalid, "%s: the passage has no string id: was passim's input written by `parallax export --format passim`?", at)
	}
	article, ok := export.PassimArticle(id)
	if _, found := known[article]; !ok || !found {
		return data.Errorf(data.EInvalid, "%s: passage id %q names no article of this project (was passim's input exported from another project?)", at, id)
	}
	if rec.Begin == nil || rec.End == nil {
		return data.Errorf(data.EInvalid, "%s: passage of article %d has no begin or end offset", at, article)
	}
	key := string(bytes.TrimSpace(rec.Cluster))
	c, ok := ids[key]
	if !ok {
		c = len(o.clusters)
		ids[key] = c
		o.clusters = append(o.clusters, key)
		o.counts = append(o.counts, 0)
		o.sizes = append(o.sizes, 0)
	}
	o.counts[c]++
	if rec.Size != nil {
		o.sizes[c] = max(o.sizes[c], *rec.Size)
	}
	o.passim2 = o.passim2 || len(rec.Src) > 0 || len(rec.Pboiler) > 0
	p := passimPassage{cluster: c, article: article, begin: *rec.Begin, end: *rec.End, file: file, line: line, root: noSource(rec.Src)}
	if rec.Text != nil {
		p.text, p.hasText = maphash.String(o.seed, *rec.Text), true
	}
	o.passages = append(o.passages, p)
	return nil
}

// noSource reports whether a record's src names no source passage.
func noSource(src json.RawMessage) bool {
	s := string(bytes.TrimSpace(src))
	return s == "" || s == "null" || s == "[]"
}

// articleText is an article's text with what converting offsets needs.
type articleText struct {
	runes []rune
	// u16 is the UTF-16 offset of each rune and of the end, nil when
	// every rune is one UTF-16 unit (the offsets are then the same).
	u16 []int
}

func newArticleText(text string) articleText {
	a := articleText{runes: []rune(text)}
	if !slices.ContainsFunc(a.runes, func(r rune) bool { return utf16.RuneLen(r) == 2 }) {
		return a
	}
	a.u16 = make([]int, len(a.runes)+1)
	off := 0
	for i, r := range a.runes {
		a.u16[i] = off
		off += max(utf16.RuneLen(r), 1) // never -1: []rune holds no surrogates
	}
	a.u16[len(a.runes)] = off
	return a
}

// rangeOf converts passim's [begin, end) to runes, reading the offsets as
// UTF-16 units or as code points; an error says why the range fits no text.
func (a articleText) rangeOf(begin, end int, codePoints bool) (int, int, error) {
	n := len(a.runes)
	if !codePoints && a.u16 != nil {
		n = a.u16[len(a.runes)]
	}
	if begin < 0 || end > n || begin >= end {
		return 0, 0, fmt.Errorf("range [%d,%d) is outside the article's text (%d %s long)", begin, end, n, unitName(codePoints))
	}
	if codePoints || a.u16 == nil {
		return begin, end, nil
	}
	b, okb := slices.BinarySearch(a.u16, begin)
	e, oke := slices.BinarySearch(a.u16, end)
	if !okb || !oke {
		return 0, 0, fmt.Errorf("range [%d,%d) splits a character of the article's text in two", begin, end)
	}
	return b, e, nil
}

func unitName(codePoints bool) string {
	if codePoints {
		return "code points"
	}
	return "UTF-16 units"
}

// fits reports whether passage p, read with codePoints, is a range of the
// article whose text is what passim gave. passim 2's text starts one code
// point before its begin (Spark's substr is one-based), so under that
// reading the text one character early counts as a match too.
func (o *passimOutput) fits(a articleText, p passimPassage, codePoints bool) (int, int, error) {
	b, e, err := a.rangeOf(p.begin, p.end, codePoints)
	if err != nil || !p.hasText {
		return b, e, err
	}
	if maphash.String(o.seed, string(a.runes[b:e])) == p.text {
		return b, e, nil
	}
	if codePoints && b > 0 && maphash.String(o.seed, string(a.runes[b-1:e-1])) == p.text {
		return b, e, nil
	}
	return 0, 0, fmt.Errorf("passim's text of the passage is not the article's text at [%d,%d) (%q)", b, e, clip(string(a.runes[b:e]), 60))
}

func clip(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n-1]) + "…"
}

// checkPassim checks every passage against its article's text under both
// readings of passim's offsets, decides which one the output uses, and
// turns the offsets into runes: code points for passim 2's output, else
// UTF-16 units unless the passages fit as code points and not as UTF-16
// units. It fails on the first passage that does not fit under the reading
// chosen, naming the passage.
func checkPassim(ctx context.Context, store *data.Store, out *passimOutput, progress Progress) (codePoints bool, err error) {
	type failure struct {
		at    int // passage index, -1 for none
		err   error
		fails int
	}
	readings := [2]failure{{at: -1}, {at: -1}} // UTF-16, code points
	ranges := make([][2][2]int, len(out.passages))
	byArticle := passagesByArticle(out.passages)
	err = eachArticle(ctx, store, byArticle, progress, "Checking passages against the articles", func(id int64, text string, idx []int) {
		a := newArticleText(text)
		for _, i := range idx {
			for k := range readings {
				b, e, err := out.fits(a, out.passages[i], k == 1)
				if err != nil {
					if readings[k].at < 0 || i < readings[k].at {
						readings[k].at, readings[k].err = i, err
					}
					readings[k].fails++
					continue
				}
				ranges[i][k] = [2]int{b, e}
			}
		}
	})
	if err != nil {
		return false, err
	}
	k := 0
	if out.passim2 || readings[0].fails > 0 && readings[1].fails < readings[0].fails {
		k = 1
	}
	if f := readings[k]; f.fails > 0 {
		p := out.passages[f.at]
		msg := fmt.Sprintf("%s: passage of article %d at [%d,%d) (%s): %v", out.where(p), p.article, p.begin, p.end, unitName(k == 1), f.err)
		if f.fails > 1 {
			msg += fmt.Sprintf("; %d passages in all do not fit the project's texts", f.fails)
		}
		return false, data.Errorf(data.EInvalid, "%s (was passim's input exported from this project, and have its articles changed since?)", msg)
	}
	for i := range out.passages {
		out.passages[i].begin, out.passages[i].end = ranges[i][k][0], ranges[i][k][1]
	}
	return k == 1, nil
}

// passagesByArticle lists the indexes of passages by article.
func passagesByArticle(ps []passimPassage) map[int64][]int {
	out := map[int64][]int{}
	for i, p := range ps {
		out[p.article] = append(out[p.article], i)
	}
	return out
}

// eachArticle reads each article that has passages, one at a time, and
// calls fn with its text and its passages' indexes.
func eachArticle(ctx context.Context, store *data.Store, by map[int64][]int, progress Progress, stage string, fn func(id int64, text string, idx []int)) error {
	ids := slices.Sorted(maps.Keys(by))
	for n, id := range ids {
		if n%64 == 0 {
			progress(stage, n, len(ids))
		}
		a, err := store.Article(ctx, id)
		if err != nil {
			return err
		}
		fn(id, a.Text, by[id])
	}
	progress(stage, len(ids), len(ids))
	return nil
}

// importedMember is a passage ready to classify.
type importedMember struct {
	passage int // index into the passages
	unit    diffing.Unit
	words   int
}

// storeImported builds a unit for each passage (its text trimmed of the
// space around it; a quote, with the quotation's speaker, when it lies
// within a quotation), classifies each cluster against its reference and
// stores the clusters with their origin, in one transaction. where names a
// passage in refusals.
func storeImported(ctx context.Context, store *data.Store, ps []passimPassage, nClusters int, known map[int64]data.Summary,
	origin data.ClusterOrigin, where func(passimPassage) string, rep *PassimReport, progress Progress) error {
	refuse := func(p passimPassage, reason string) {
		rep.Refused = append(rep.Refused, PassimRefusal{Where: where(p), Article: p.article, Reason: reason})
	}
	groups := make([][]importedMember, nClusters)
	err := eachArticle(ctx, store, passagesByArticle(ps), progress, "Reading the passages", func(id int64, text string, idx []int) {
		rs := []rune(text)
		quotes := quote.Extract(text)
		for _, i := range idx {
			p := &ps[i]
			b, e := trimSpace(rs, p.begin, p.end)
			n := countWords(rs[b:e])
			if n == 0 {
				refuse(*p, "it holds no words")
				continue
			}
			p.begin, p.end = b, e
			u := diffing.Unit{Doc: id, Kind: vocab.UnitFinding, Spans: []quote.Span{{Start: b, End: e}}, Text: string(rs[b:e])}
			if q := quoteHolding(quotes, rs, b, e); q >= 0 {
				u.Kind, u.Attribution, u.Quote = vocab.UnitQuote, quotes[q].Attribution, q+1
			}
			groups[p.cluster] = append(groups[p.cluster], importedMember{passage: i, unit: u, words: n})
		}
	})
	if err != nil {
		return err
	}
	var jobs [][]importedMember
	for _, g := range groups {
		slices.SortFunc(g, func(a, b importedMember) int {
			pa, pb := ps[a.passage], ps[b.passage]
			return cmp.Or(cmp.Compare(pa.article, pb.article), cmp.Compare(pa.begin, pb.begin), cmp.Compare(pa.end, pb.end),
				cmp.Compare(a.passage, b.passage))
		})
		kept := g[:0]
		for _, m := range g {
			if n := len(kept); n > 0 {
				if p, q := ps[m.passage], ps[kept[n-1].passage]; p.article == q.article && p.begin == q.begin && p.end == q.end {
					refuse(p, "it repeats another passage of its cluster")
					continue
				}
			}
			kept = append(kept, m)
		}
		g = kept
		if len(g) < 2 {
			for _, m := range g {
				refuse(ps[m.passage], "its cluster has no other passage to compare it with")
			}
			continue
		}
		jobs = append(jobs, g)
	}
	slices.SortFunc(rep.Refused, func(a, b PassimRefusal) int {
		return cmp.Or(cmp.Compare(a.Where, b.Where), cmp.Compare(a.Article, b.Article), cmp.Compare(a.Reason, b.Reason))
	})
	if len(jobs) == 0 {
		return data.Errorf(data.EInvalid, "no cluster could be stored: %d of %d passages refused (nothing was changed)", len(rep.Refused), len(ps))
	}
	pins, err := store.Pins(ctx)
	if err != nil {
		return err
	}
	pinned := map[[3]int64]bool{}
	for _, p := range pins {
		pinned[[3]int64{p.ArticleID, int64(p.Start), int64(p.End)}] = true
	}
	clusters := make([]data.Cluster, len(jobs))
	var done atomic.Int64
	err = forEach(ctx, len(jobs), func(i int) {
		clusters[i] = classifyImported(jobs[i], ps, known, pinned)
		if n := done.Add(1); n%64 == 0 || int(n) == len(jobs) {
			progress("Classifying clusters", int(n), len(jobs))
		}
	})
	if err != nil {
		return err
	}
	slices.SortStableFunc(clusters, func(a, b data.Cluster) int {
		return cmp.Or(cmp.Compare(a.Members[0].ArticleID, b.Members[0].ArticleID), cmp.Compare(a.Members[0].Start, b.Members[0].Start))
	})
	progress("Storing clusters", 0, 0)
	if err := store.ImportClusters(ctx, clusters, origin); err != nil {
		return err
	}
	for _, c := range clusters {
		rep.Stored++
		rep.Members += len(c.Members)
		if c.Articles >= 2 {
			rep.Across++
		}
	}
	return nil
}

// classifyImported classifies one cluster's members against the reference
// passimReference chooses.
func classifyImported(ms []importedMember, ps []passimPassage, known map[int64]data.Summary, pinned map[[3]int64]bool) data.Cluster {
	units := make([]diffing.Unit, len(ms))
	for i, m := range ms {
		units[i] = m.unit
	}
	c := diffing.ClassifyCluster(units, passimReference(ms, ps, known, pinned))
	dc := data.Cluster{Kind: c.Kind, Status: c.Status, Speaker: c.Speaker}
	docs := map[int64]bool{}
	for _, m := range c.Members {
		u := units[m.Unit]
		o := u.Outer()
		dc.Members = append(dc.Members, data.ClusterMember{ArticleID: u.Doc, Outlet: known[u.Doc].Outlet, Kind: u.Kind,
			Start: o.Start, End: o.End, Spans: [][2]int{{o.Start, o.End}}, Text: u.Text, Statement: u.Quote,
			Speaker: u.Attribution.Speaker, Reference: m.Reference, Relations: m.Relations})
		docs[u.Doc] = true
	}
	dc.Articles = len(docs)
	return dc
}

// forEach runs fn(0..n-1) on every core; once ctx is cancelled no further
// fn starts, and forEach returns ctx.Err().
func forEach(ctx context.Context, n int, fn func(i int)) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(n, 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}

// trimSpace narrows [b, e) of rs to leave out the space around it: passim
// 1 ends a passage where the next word starts.
func trimSpace(rs []rune, b, e int) (int, int) {
	for b < e && unicode.IsSpace(rs[b]) {
		b++
	}
	for e > b && unicode.IsSpace(rs[e-1]) {
		e--
	}
	return b, e
}

// countWords counts the runs of letters and digits.
func countWords(rs []rune) int {
	n, in := 0, false
	for _, r := range rs {
		w := unicode.IsLetter(r) || unicode.IsDigit(r)
		if w && !in {
			n++
		}
		in = w
	}
	return n
}

// quoteMarks are what may stand around a quotation's words in a passage.
const quoteMarks = "\"'“”‘’«»„‟‹›,"

// quoteHolding returns the index of the quotation one of whose spans
// holds the passage [b, e) once the marks around it are left out, or -1: a
// passage that runs on into its attribution or the article's own words is
// not a quote.
func quoteHolding(quotes []quote.Quote, rs []rune, b, e int) int {
	for b < e && (unicode.IsSpace(rs[b]) || strings.ContainsRune(quoteMarks, rs[b])) {
		b++
	}
	for e > b && (unicode.IsSpace(rs[e-1]) || strings.ContainsRune(quoteMarks, rs[e-1])) {
		e--
	}
	for i, q := range quotes {
		for _, s := range q.Spans {
			if s.Start <= b && e <= s.End {
				return i
			}
		}
	}
	return -1
}

// passimReference chooses a cluster's reference: the member the
// researcher pinned; else the most complete version, the one with the most
// words, as Parallax's own analysis prefers the version that accounts for
// the others' words (passim's passages are extents of one reused text, so
// the longest holds what the shorter ones keep, and the others read as
// fragments or elisions of it rather than each as an extension of a short
// one); among equals the one passim found no source for, then the earliest,
// then the first article. passim's own root (the src-less earliest member)
// is not the first choice: passim 1 infers no sources, news outlets
// publish the same hour, and a root passage is often only the part of the
// text its outlet kept.
func passimReference(ms []importedMember, ps []passimPassage, known map[int64]data.Summary, pinned map[[3]int64]bool) int {
	for i, m := range ms {
		p := ps[m.passage]
		if pinned[[3]int64{p.article, int64(p.begin), int64(p.end)}] {
			return i
		}
	}
	best := 0
	for i := 1; i < len(ms); i++ {
		a, b := ms[i], ms[best]
		pa, pb := ps[a.passage], ps[b.passage]
		c := cmp.Or(
			cmp.Compare(b.words, a.words),
			boolOrder(pa.root, pb.root),
			cmp.Compare(known[pa.article].Date.String(), known[pb.article].Date.String()),
			cmp.Compare(pa.article, pb.article),
			cmp.Compare(pa.begin, pb.begin))
		if c < 0 {
			best = i
		}
	}
	return best
}

// boolOrder orders true before false.
func boolOrder(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	}
	return 1
}

// PassimJSON is the `import --passim --json` contract.
type PassimJSON struct {
	Files      int           `json:"files"`
	Passages   int           `json:"passages"`
	Clusters   int           `json:"clusters"`
	Units      string        `json:"units"` // "utf16" or "codepoints": how passim's offsets were read
	Stored     int           `json:"stored"`
	Across     int           `json:"across"`
	Members    int           `json:"members"`
	Refused    []RefusedJSON `json:"refused"`
	Incomplete int           `json:"incomplete"`
	Replaced   int           `json:"replaced"`
}

// RefusedJSON is a passage of passim's output that was not stored.
type RefusedJSON struct {
	Where   string `json:"where"`
	Article int64  `json:"article"`
	Reason  string `json:"reason"`
}

// importPassim is `import --passim DIR`.
func importPassim(e *env, store *data.Store, dir string, asJSON bool) error {
	rep, err := ImportPassim(e.ctx, store, dir, e.progressLine())
	if err != nil {
		return fmt.Errorf("import --passim: %w (nothing was changed)", err)
	}
	units := "utf16"
	if rep.CodePoints {
		units = "codepoints"
	}
	if asJSON {
		out := PassimJSON{Files: rep.Files, Passages: rep.Passages, Clusters: rep.Clusters, Units: units, Stored: rep.Stored,
			Across: rep.Across, Members: rep.Members, Refused: []RefusedJSON{}, Incomplete: rep.Incomplete, Replaced: rep.Replaced}
		for _, r := range rep.Refused {
			out.Refused = append(out.Refused, RefusedJSON(r))
		}
		return writeJSON(e.stdout, out)
	}
	for _, r := range rep.Refused {
		fmt.Fprintf(e.stderr, "refused: %s: article %d: %s\n", r.Where, r.Article, r.Reason)
	}
	fmt.Fprintln(e.stdout, rep.Summary())
	if rep.Incomplete > 0 {
		fmt.Fprintf(e.stderr, "warning: %d %s larger in passim's output than in the part files read: is a part file missing?\n",
			rep.Incomplete, pluralWord(rep.Incomplete, "cluster is", "clusters are"))
	}
	if rep.Replaced > 0 {
		fmt.Fprintf(e.stderr, "note: replaced %d %s of Parallax's own analysis; 'parallax analyze --replace' brings them back.\n",
			rep.Replaced, pluralWord(rep.Replaced, "cluster", "clusters"))
	}
	return nil
}

// Summary is a one-line account of the import.
func (r PassimReport) Summary() string {
	units := "UTF-16 units"
	if r.CodePoints {
		units = "code points (passim 2)"
	}
	return fmt.Sprintf("Read %d %s in %d %s from %d part %s (offsets in %s); stored %d %s (%d across two or more articles) with %d %s; %d refused.",
		r.Passages, pluralWord(r.Passages, "passage", "passages"), r.Clusters, pluralWord(r.Clusters, "cluster", "clusters"),
		r.Files, pluralWord(r.Files, "file", "files"), units, r.Stored, pluralWord(r.Stored, "cluster", "clusters"), r.Across,
		r.Members, pluralWord(r.Members, "passage", "passages"), len(r.Refused))
}
