package app

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing"
	"github.com/parallax-research/parallax/diffing/vocab"
)

func cmdAnalyze(e *env, args []string) error {
	cmd := newProjectCommand("analyze")
	asJSON := cmd.Bool("json", false, "print the outcome as JSON")
	replace := cmd.Bool("replace", false, "replace clusters imported from passim with Parallax's own alignment")
	if err := cmd.parseFlags(args); err != nil {
		return err
	}
	return cmd.run(func(store *data.Store) error {
		run := RunAnalyze
		if *replace {
			run = RunAnalyzeReplacing
		}
		rep, err := run(e.ctx, store, e.progressLine())
		if err != nil {
			return fmt.Errorf("analyze: %w (the stored clusters were not changed)", err)
		}
		if *asJSON {
			return writeJSON(e.stdout, AnalyzeJSON{Extracted: rep.Extracted, Cached: rep.Cached, Passages: rep.Units, Clusters: rep.Clusters,
				Largest: rep.Largest, Incremental: rep.Incremental, Aligned: rep.Aligned})
		}
		how := "aligned in full"
		if rep.Incremental {
			how = fmt.Sprintf("aligned %d new or touched", rep.Aligned)
		} else if rep.Aligned == 0 {
			how = "nothing new to align"
		}
		fmt.Fprintf(e.stdout, "Analysed %d %s (%d unchanged); %d passages (%s); %d %s across two or more articles.\n",
			rep.Extracted, pluralWord(rep.Extracted, "article", "articles"), rep.Cached, rep.Units, how,
			rep.Clusters, pluralWord(rep.Clusters, "cluster", "clusters"))
		return nil
	})
}

// AnalyzeJSON is the `analyze --json` contract.
type AnalyzeJSON struct {
	Extracted   int  `json:"extracted"`   // articles (re-)read
	Cached      int  `json:"cached"`      // articles whose cached extraction was reused
	Passages    int  `json:"passages"`    // alignable passages in the project
	Clusters    int  `json:"clusters"`    // clusters across two or more articles
	Largest     int  `json:"largest"`     // members of the largest cluster
	Incremental bool `json:"incremental"` // only new articles and what they touch were aligned
	Aligned     int  `json:"aligned"`     // passages aligned by this run
}

func cmdQuotes(e *env, args []string) error {
	cmd := newProjectCommand("quotes")
	article := cmd.Int64("article", 0, "only this article's quotes")
	asJSON := cmd.Bool("json", false, "print a JSON array")
	if err := cmd.parseFlags(args); err != nil {
		return err
	}
	return cmd.run(func(store *data.Store) error {
		rows, err := store.Analyses(e.ctx)
		if err != nil {
			return err
		}
		out := []QuoteJSON{}
		for _, r := range rows {
			if *article != 0 && r.ArticleID != *article {
				continue
			}
			qs, _, err := decodeAnalysis(r)
			if err != nil {
				return err
			}
			for _, q := range qs {
				out = append(out, quoteJSON(r, q))
			}
		}
		if len(rows) == 0 {
			fmt.Fprintln(e.stderr, "No analysis yet: run 'parallax analyze' first.")
		}
		if *asJSON {
			return writeJSON(e.stdout, out)
		}
		for _, q := range out {
			who := q.Speaker
			if who == "" {
				who = "(unknown speaker)"
			}
			if q.Via != "" {
				who += " via “" + q.Via + "”"
			}
			fmt.Fprintf(e.stdout, "%d %s  %s [%s, %.2f]\n    “%s”\n", q.Article, q.Outlet, who, q.Cue, q.Confidence, q.Text)
		}
		return nil
	})
}

// AlignJSON is the `align --json` contract.
type AlignJSON struct {
	Clusters []ClusterJSON `json:"clusters"`
}

// ClusterJSON is one cluster of versions of an utterance or finding.
type ClusterJSON struct {
	ID      int64          `json:"id"`
	Kind    vocab.UnitKind `json:"kind"`
	Speaker string         `json:"speaker"`
	Status  vocab.Status   `json:"status"`
	Members []MemberJSON   `json:"members"`
}

// MemberJSON is one article's version. Spans lists the parts of a quote
// split by its attribution; diff is against the reference.
type MemberJSON struct {
	Article   int64            `json:"article"`
	Outlet    string           `json:"outlet"`
	Speaker   string           `json:"speaker"`
	Text      string           `json:"text"`
	Start     int              `json:"start"`
	End       int              `json:"end"`
	Spans     []SpanJSON       `json:"spans,omitempty"`
	Reference bool             `json:"reference"`
	Relations []vocab.Relation `json:"relations"`
	Diff      []data.DiffOp    `json:"diff"`
}

func cmdAlign(e *env, args []string) error {
	cmd := newProjectCommand("align")
	all := cmd.Bool("all", false, "also list clusters whose members all come from one article")
	asJSON := cmd.Bool("json", false, "print JSON")
	if err := cmd.parseFlags(args); err != nil {
		return err
	}
	return cmd.run(func(store *data.Store) error {
		minArticles := 2
		if *all {
			minArticles = 1
		}
		// Clusters stream from the project one at a time, each with its
		// diffs computed as it passes, so memory stays flat however many
		// there are.
		w := bufio.NewWriterSize(e.stdout, 1<<16)
		n := 0
		var err error
		if *asJSON {
			err = writeAlignJSON(e.ctx, w, store, minArticles, &n)
		} else {
			tty := e.stdoutIsTTY()
			err = store.EachCluster(e.ctx, minArticles, func(c data.Cluster) error {
				n++
				writeClusterText(w, clusterJSON(withDiffs(c)), tty)
				return nil
			})
			if err == nil && n == 0 {
				fmt.Fprintln(w, "No clusters. Import articles from several outlets and run 'parallax analyze'.")
			}
		}
		if ferr := w.Flush(); err == nil {
			err = ferr
		}
		return err
	})
}

// writeAlignJSON writes the AlignJSON document cluster by cluster, laid
// out as writeJSON lays out the whole.
func writeAlignJSON(ctx context.Context, w io.Writer, store *data.Store, minArticles int, n *int) error {
	if _, err := io.WriteString(w, "{\n  \"clusters\": ["); err != nil {
		return err
	}
	// The store reads clusters in order on this goroutine; workers on the
	// other cores diff and encode them; one writer puts them out in the
	// order read. Channels bound what is held: memory stays flat however
	// long the output. (The store holds the text of the articles with
	// passages in clusters while it reads: cutting the passages from them
	// halves the reading, which was the bottleneck.)
	type job struct {
		c   data.Cluster
		out chan []byte
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan job, 64)
	order := make(chan chan []byte, 256)
	var encErr, writeErr error
	var encOnce sync.Once
	var workers sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		workers.Add(1)
		go func() {
			defer workers.Done()
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetIndent("    ", "  ")
			enc.SetEscapeHTML(false)
			for j := range jobs {
				buf.Reset()
				if err := enc.Encode(clusterJSON(withDiffs(j.c))); err != nil {
					encOnce.Do(func() { encErr = err; cancel() })
				}
				j.out <- bytes.Clone(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
			}
		}()
	}
	list := jsonList{w: w}
	wrote := make(chan struct{})
	go func() {
		defer close(wrote)
		for out := range order {
			b := <-out
			if writeErr != nil {
				continue // drain, so the workers never block
			}
			if err := list.item(b); err != nil {
				writeErr = err
				cancel()
			}
		}
	}()
	// Up to some 40,000 articles (about 140 MB of text) the store reads
	// each clustered article's text once and cuts the passages from it,
	// which halves the reading; past that, holding every text costs more
	// than it saves (at 100,000 articles 1.1 GiB against 140 MiB, for a
	// tenth less time), and SQLite cuts each passage.
	each := store.ScanClusters
	if n, err := store.ArticleCount(ctx); err != nil {
		return err
	} else if n > maxHeldArticles {
		each = store.EachCluster
	}
	err := each(ctx, minArticles, func(c data.Cluster) error {
		out := make(chan []byte, 1)
		select {
		case order <- out:
		case <-ctx.Done():
			return ctx.Err()
		}
		jobs <- job{c, out}
		return nil
	})
	close(jobs)
	workers.Wait()
	close(order)
	<-wrote
	*n = list.n
	if err := cmp.Or(writeErr, encErr); err != nil {
		return err
	}
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, list.end()+"\n}\n")
	return err
}

// maxHeldArticles is the most articles whose text align --json holds (a
// variable for the test that takes the other path).
var maxHeldArticles = 40_000

// jsonList writes the items of an array that is a value of a top-level
// object, laid out as writeJSON lays it out: each item on a line of its
// own, indented four spaces (the item encoded with that prefix), the
// closing bracket on a line indented two, or right after "[" when the
// array is empty. The commands that stream their JSON write it so.
type jsonList struct {
	w io.Writer
	n int // items written
}

func (l *jsonList) item(b []byte) error {
	sep := ",\n    "
	if l.n == 0 {
		sep = "\n    "
	}
	l.n++
	if _, err := io.WriteString(l.w, sep); err != nil {
		return err
	}
	_, err := l.w.Write(b)
	return err
}

// end is the array's closing bracket.
func (l *jsonList) end() string {
	if l.n == 0 {
		return "]"
	}
	return "\n  ]"
}

// withDiffs fills in each member's word diff against the reference: the
// project stores relations, not diffs, which take about a millisecond
// each to compute when shown.
func withDiffs(c data.Cluster) data.Cluster {
	ref, ok := c.Reference()
	if !ok {
		return c
	}
	seen := map[string][]data.DiffOp{}
	diff := diffing.WordDiffFrom(ref.Text)
	for i := range c.Members {
		m := &c.Members[i]
		if m.Reference {
			continue
		}
		d, ok := seen[m.Text]
		if !ok {
			d = diff(m.Text)
			seen[m.Text] = d
		}
		m.Diff = d
	}
	return c
}

func clusterJSON(c data.Cluster) ClusterJSON {
	cj := ClusterJSON{ID: c.ID, Kind: c.Kind, Speaker: c.Speaker, Status: c.Status}
	for _, m := range c.Members {
		mj := MemberJSON{Article: m.ArticleID, Outlet: m.Outlet, Speaker: m.Speaker, Text: m.Text, Start: m.Start, End: m.End,
			Reference: m.Reference, Relations: nonNil(m.Relations), Diff: nonNil(m.Diff)}
		if len(m.Spans) > 1 {
			for _, s := range m.Spans {
				mj.Spans = append(mj.Spans, SpanJSON{Start: s[0], End: s[1]})
			}
		}
		cj.Members = append(cj.Members, mj)
	}
	return cj
}

func writeClusterText(w io.Writer, c ClusterJSON, tty bool) {
	who := c.Speaker
	if who == "" {
		who = "unattributed"
	}
	fmt.Fprintf(w, "#%d %s · %s · %s\n", c.ID, c.Kind, strings.ToUpper(string(c.Status)), who)
	for _, m := range c.Members {
		label := string(vocab.RelReference)
		if !m.Reference {
			label = vocab.Join(m.Relations, "+")
		}
		fmt.Fprintf(w, "  %-20s art %-4d %-22s %s\n", truncate(m.Outlet, 20), m.Article, label, renderDiff(m, tty))
	}
	fmt.Fprintln(w)
}

// renderDiff shows a member's words against the reference: on a terminal
// deletions struck through in red and insertions underlined in green, in
// plain output as [-deleted-] and {+inserted+}.
func renderDiff(m MemberJSON, tty bool) string {
	if m.Reference || len(m.Diff) == 0 {
		return strings.ReplaceAll(m.Text, "\n", " ")
	}
	var b strings.Builder
	for _, d := range m.Diff {
		t := strings.ReplaceAll(d.Text, "\n", " ")
		switch {
		case d.Op == vocab.OpEqual:
			b.WriteString(t)
		case d.Op == vocab.OpDelete && tty:
			b.WriteString("\033[9;31m" + t + "\033[0m")
		case d.Op == vocab.OpDelete:
			b.WriteString("[-" + t + "-]")
		case tty:
			b.WriteString("\033[4;32m" + t + "\033[0m")
		default:
			b.WriteString("{+" + t + "+}")
		}
	}
	return b.String()
}

// nonNil is s, or an empty slice for nil: the JSON lists an empty array
// rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// StatementJSON is the `statement --json` contract.
type StatementJSON struct {
	Article   int64                   `json:"article"`
	Number    int                     `json:"statement"`
	Sentences []StatementSentenceJSON `json:"sentences"`
	Versions  []StatementVersionJSON  `json:"versions"`
}

// StatementSentenceJSON is one sentence of the statement and its cluster.
type StatementSentenceJSON struct {
	Cluster int64  `json:"cluster"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	Text    string `json:"text"`
}

// StatementVersionJSON is one other article's version of the statement:
// per sentence its relations ([] where it lacks the sentence), and the
// statement as a whole.
type StatementVersionJSON struct {
	Article   int64              `json:"article"`
	Outlet    string             `json:"outlet"`
	Sentences [][]vocab.Relation `json:"sentences"`
	Whole     []vocab.Relation   `json:"whole"`
}

func cmdStatement(e *env, args []string) error {
	cmd := newProjectCommand("statement")
	cluster := cmd.Int64("cluster", 0, "a cluster whose reference belongs to a quotation")
	asJSON := cmd.Bool("json", false, "print JSON")
	if err := cmd.parseFlags(args); err != nil {
		return err
	}
	if *cluster == 0 {
		return usageError{"statement: --cluster is required"}
	}
	return cmd.run(func(store *data.Store) error {
		st, err := store.Statement(e.ctx, *cluster)
		if err != nil {
			return err
		}
		out := StatementJSON{Article: st.Article, Number: st.Number, Sentences: []StatementSentenceJSON{}, Versions: []StatementVersionJSON{}}
		for _, s := range st.Sentences {
			out.Sentences = append(out.Sentences, StatementSentenceJSON{Cluster: s.Cluster, Start: s.Start, End: s.End, Text: s.Text})
		}
		for _, v := range st.Versions {
			vj := StatementVersionJSON{Article: v.Article, Outlet: v.Outlet, Whole: nonNil(v.Whole)}
			for _, r := range v.Relations {
				vj.Sentences = append(vj.Sentences, nonNil(r))
			}
			out.Versions = append(out.Versions, vj)
		}
		if *asJSON {
			return writeJSON(e.stdout, out)
		}
		fmt.Fprintf(e.stdout, "Statement %d of article %d, %d %s:\n", st.Number, st.Article, len(st.Sentences), pluralWord(len(st.Sentences), "sentence", "sentences"))
		for i, s := range st.Sentences {
			fmt.Fprintf(e.stdout, "  %d. %s\n", i+1, strings.ReplaceAll(s.Text, "\n", " "))
		}
		for _, v := range out.Versions {
			var per []string
			for i, r := range v.Sentences {
				label := "—"
				if len(r) > 0 {
					label = vocab.Join(r, "+")
				}
				per = append(per, fmt.Sprintf("%d:%s", i+1, label))
			}
			fmt.Fprintf(e.stdout, "  %-20s art %-4d %-22s %s\n", truncate(v.Outlet, 20), v.Article, vocab.Join(v.Whole, "+"), strings.Join(per, " "))
		}
		return nil
	})
}
