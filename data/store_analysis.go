package data

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"maps"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/klauspost/compress/s2"
	sqlite3 "github.com/mattn/go-sqlite3"

	"github.com/parallax-research/parallax/diffing/fold"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// ArticlesToAnalyze lists the articles with no extraction from this
// analyser version or whose text changed since.
func (s *Store) ArticlesToAnalyze(ctx context.Context, version int) ([]AnalysisInput, error) {
	var out []AnalysisInput
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT a.id, a.outlet, a.hash, a.text FROM articles a
			LEFT JOIN analysis x ON x.article_id = a.id
			WHERE x.article_id IS NULL OR x.version <> ? OR x.hash <> a.hash
			ORDER BY a.id`, version)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var in AnalysisInput
			if err := rows.Scan(&in.ArticleID, &in.Outlet, &in.Hash, &in.Text); err != nil {
				return err
			}
			out = append(out, in)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("articles to analyse: %w", err)
	}
	return out, nil
}

// SaveAnalyses stores extraction results in one transaction.
func (s *Store) SaveAnalyses(ctx context.Context, rows []AnalysisRow) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `INSERT INTO analysis(article_id, version, hash, quotes, units, passages) VALUES (?, ?, ?, '', ?, ?)
			ON CONFLICT(article_id) DO UPDATE SET version = excluded.version, hash = excluded.hash,
			quotes = '', units = excluded.units, passages = excluded.passages, aligned = 0`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, r := range rows {
			if _, err := st.ExecContext(ctx, r.ArticleID, r.Version, r.Hash, string(r.Units), r.Passages); err != nil {
				return fmt.Errorf("article %d: %w", r.ArticleID, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save analysis: %w", err)
	}
	return nil
}

// Analyses returns every article's cached extraction with its outlet, in
// article order.
func (s *Store) Analyses(ctx context.Context) ([]AnalysisRow, error) {
	out, err := read(ctx, s, func(tx *sql.Tx) ([]AnalysisRow, error) {
		return scanAnalyses(ctx, tx, `SELECT x.article_id, a.outlet, a.text, x.version, x.hash, x.units
			FROM analysis x JOIN articles a ON a.id = x.article_id ORDER BY x.article_id`)
	})
	if err != nil {
		return nil, fmt.Errorf("load analysis: %w", err)
	}
	return out, nil
}

func scanAnalyses(ctx context.Context, tx *sql.Tx, query string) ([]AnalysisRow, error) {
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AnalysisRow
	for rows.Next() {
		var r AnalysisRow
		var u string
		if err := rows.Scan(&r.ArticleID, &r.Outlet, &r.Text, &r.Version, &r.Hash, &u); err != nil {
			return nil, err
		}
		r.Units = []byte(u)
		out = append(out, r)
	}
	return out, rows.Err()
}

// Alignment is what an analysis run stores: clusters, the clusters they
// take the place of, and the articles whose passages they now account for.
type Alignment struct {
	// Version is the analyser version the clusters come from; 0 leaves the
	// project's record alone.
	Version  int
	Clusters []Cluster
	// Full replaces every cluster and marks every analysed article
	// aligned. Otherwise Replace lists the clusters the new ones take the
	// place of (an incremental analysis) and Aligned the articles it
	// aligned.
	Full    bool
	Replace []int64
	Aligned []int64
	// Join adds members to clusters that stay (an incremental analysis's
	// new passages that verified against a cluster's reference).
	Join []Joining
	// Stream, when not nil, yields the clusters in place of Clusters as a
	// producer makes them (an analysis classifying them on other cores).
	// A full alignment of a project with no clusters yet writes each as it
	// comes, so that the writing overlaps the making; otherwise they are
	// gathered first, since a new cluster's ID depends on all of them.
	Stream iter.Seq[Cluster]
}

// Joining is a member added to an existing cluster.
type Joining struct {
	Cluster int64
	Member  ClusterMember
}

// ReplaceClusters swaps every cluster of the project for new ones: a full
// alignment (see SaveAlignment).
func (s *Store) ReplaceClusters(ctx context.Context, clusters []Cluster) error {
	return s.SaveAlignment(ctx, Alignment{Clusters: clusters, Full: true})
}

// SaveAlignment stores an analysis' clusters in one transaction, so readers
// see either the old set or the new one. A new cluster keeps the ID of the
// replaced cluster holding most of its members (at least half of the
// smaller of the two), so memos, links and exports keep pointing at the
// same utterance across analyses; a memo whose cluster is gone follows the
// new cluster holding most of its passages, or becomes a marked project
// memo.
//
// The clusters are the project's own analysis: an origin recorded by
// ImportClusters is cleared in the same transaction.
func (s *Store) SaveAlignment(ctx context.Context, a Alignment) error {
	save := func(tx *sql.Tx) error {
		if err := saveAlignment(ctx, tx, a); err != nil {
			return err
		}
		return setClusterOrigin(ctx, tx, ClusterOrigin{})
	}
	var err error
	if a.Full {
		// Every member is written anew, with foreign keys off (see
		// inTxUnchecked): the articles the members name are noted as they
		// go by and checked once before the commit. Each member's cluster
		// is written with it.
		named := map[int64]struct{}{}
		note := func(c Cluster) {
			for _, m := range c.Members {
				named[m.ArticleID] = struct{}{}
			}
		}
		for _, c := range a.Clusters {
			note(c)
		}
		for _, j := range a.Join {
			named[j.Member.ArticleID] = struct{}{}
		}
		if stream := a.Stream; stream != nil {
			a.Stream = func(yield func(Cluster) bool) {
				for c := range stream {
					note(c)
					if !yield(c) {
						return
					}
				}
			}
		}
		err = s.inTxUnchecked(ctx, save, func(tx *sql.Tx) error { return checkArticles(ctx, tx, named) })
	} else {
		err = s.inTx(ctx, save)
	}
	if err != nil {
		return fmt.Errorf("save clusters: %w", err)
	}
	return nil
}

// batchInsert writes rows with multi-row INSERTs of batchRows rows: half a
// million cluster members take a tenth of the calls through database/sql
// and the driver that one statement per row would.
type batchInsert struct {
	ctx  context.Context
	tx   *sql.Tx
	head string // the statement up to VALUES
	cols int
	many *sql.Stmt
	args []any
}

const batchRows = 64

// newBatchInsert prepares head (a constant statement ending in "VALUES ")
// for batchRows rows of cols values.
func newBatchInsert(ctx context.Context, tx *sql.Tx, head string, cols int) (*batchInsert, error) {
	b := &batchInsert{ctx: ctx, tx: tx, head: head, cols: cols, args: make([]any, 0, batchRows*cols)}
	var err error
	b.many, err = tx.PrepareContext(ctx, b.statement(batchRows))
	return b, err
}

// statement is head with placeholders for rows rows; no value is ever
// part of its text.
func (b *batchInsert) statement(rows int) string {
	row := "(" + strings.Repeat("?, ", b.cols-1) + "?)"
	return b.head + strings.Repeat(row+", ", rows-1) + row
}

func (b *batchInsert) add(values ...any) error {
	b.args = append(b.args, values...)
	if len(b.args) < batchRows*b.cols {
		return nil
	}
	_, err := b.many.ExecContext(b.ctx, b.args...)
	b.args = b.args[:0]
	return err
}

// flush writes the rows left, fewer than a batch.
func (b *batchInsert) flush() error {
	if len(b.args) == 0 {
		return nil
	}
	_, err := b.tx.ExecContext(b.ctx, b.statement(len(b.args)/b.cols), b.args...)
	b.args = b.args[:0]
	return err
}

func (b *batchInsert) close() {
	if b.many != nil {
		b.many.Close()
	}
}

// parallelFor runs fn(i) for i in [0, n) on every core.
func parallelFor(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
}

// replaceClusters replaces every cluster within tx, for ImportClusters.
func replaceClusters(ctx context.Context, tx *sql.Tx, clusters []Cluster) error {
	return saveAlignment(ctx, tx, Alignment{Clusters: clusters, Full: true})
}

// saveAlignment is SaveAlignment within tx.
func saveAlignment(ctx context.Context, tx *sql.Tx, a Alignment) error {
	if a.Stream != nil {
		streams, err := canStream(ctx, tx, a)
		if err != nil {
			return err
		}
		if !streams {
			for c := range a.Stream {
				a.Clusters = append(a.Clusters, c)
			}
			a.Stream = nil
		}
	}
	replace := a.Replace
	if a.Full {
		replace = nil
		rows, err := tx.QueryContext(ctx, "SELECT id FROM clusters")
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			replace = append(replace, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	if err := fillTempIDs(ctx, tx, "replaced_clusters", replace); err != nil {
		return err
	}
	old, sizes, err := clusterMembership(ctx, tx)
	if err != nil {
		return err
	}
	memos, err := clusterMemoKeys(ctx, tx)
	if err != nil {
		return err
	}
	ids := stableIDs(a.Clusters, old, sizes)
	if a.Full {
		// Every member is replaced: the index by article is built once
		// over them all afterwards rather than kept up to date row by
		// row in article order, which is random to it.
		if _, err := tx.ExecContext(ctx, "DROP INDEX IF EXISTS cluster_members_article"); err != nil {
			return err
		}
	}
	// The members go first, by their key: foreign keys may be off here
	// (a full alignment), so the cascade would not take them.
	if _, err := tx.ExecContext(ctx, "DELETE FROM cluster_members WHERE cluster_id IN (SELECT id FROM temp.replaced_clusters)"); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM clusters WHERE id IN (SELECT id FROM temp.replaced_clusters)"); err != nil {
		return err
	}
	// New clusters are numbered after the highest ID kept or left, as
	// SQLite would number them: their listing holds the ID.
	var next int64
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) + 1 FROM clusters").Scan(&next); err != nil {
		return err
	}
	for _, id := range ids {
		next = max(next, id+1)
	}
	if a.Stream != nil {
		err = insertStream(ctx, tx, next, a.Stream)
	} else {
		err = insertClusters(ctx, tx, a.Clusters, ids, next, memos)
	}
	if err != nil {
		return err
	}
	if a.Full {
		if _, err := tx.ExecContext(ctx, "CREATE INDEX cluster_members_article ON cluster_members(article_id)"); err != nil {
			return err
		}
	}
	if err := remapClusterMemos(ctx, tx, memos); err != nil {
		return err
	}
	if err := joinMembers(ctx, tx, a.Join); err != nil {
		return err
	}
	if a.Full {
		if _, err := tx.ExecContext(ctx, "UPDATE analysis SET aligned = 1"); err != nil {
			return err
		}
	} else {
		if err := fillTempIDs(ctx, tx, "aligned_articles", a.Aligned); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE analysis SET aligned = 1 WHERE article_id IN (SELECT id FROM temp.aligned_articles)"); err != nil {
			return err
		}
	}
	if a.Version != 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO project(key, value) VALUES ('aligned_version', ?)
			ON CONFLICT(key) DO UPDATE SET value = excluded.value`, strconv.Itoa(a.Version)); err != nil {
			return err
		}
	}
	return nil
}

// checkArticles does what SQLite's foreign keys would have done for
// members written unchecked: the articles they name exist. The project's
// article IDs are read from an index (a few milliseconds for 100,000
// articles) rather than each article looked up, which reads its text. An
// article deleted by another program while the analysis ran is the one
// way to fail it.
func checkArticles(ctx context.Context, tx *sql.Tx, named map[int64]struct{}) error {
	rows, err := tx.QueryContext(ctx, "SELECT id FROM articles")
	if err != nil {
		return err
	}
	defer rows.Close()
	exists := make(map[int64]struct{}, len(named))
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		if _, ok := named[id]; ok {
			exists[id] = struct{}{}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(exists) == len(named) {
		return nil
	}
	var missing []int64
	for id := range named {
		if _, ok := exists[id]; !ok {
			missing = append(missing, id)
		}
	}
	slices.Sort(missing)
	return Errorf(ENotFound, "article %d was deleted while its passages were being clustered; nothing was saved: analyse again", missing[0])
}

// The statements that write clusters and their members.
const (
	insertClustersHead = `INSERT INTO clusters(id, kind, status, speaker, articles, reference, members, listing, search) VALUES `
	insertMembersHead  = `INSERT OR IGNORE INTO cluster_members
		(cluster_id, article_id, start, "end", spans, kind, statement, speaker, reference, relations) VALUES `
)

// insertClusters writes clusters, each with its ID from ids or, where that
// is 0, the next from next on, and has memos follow them.
func insertClusters(ctx context.Context, tx *sql.Tx, clusters []Cluster, ids []int64, next int64, memos map[int64]memoKeys) error {
	ins, err := newBatchInsert(ctx, tx, insertClustersHead, 9)
	if err != nil {
		return err
	}
	defer ins.close()
	mem, err := newBatchInsert(ctx, tx, insertMembersHead, 10)
	if err != nil {
		return err
	}
	defer mem.close()
	// A cluster's line and search text fold every version: done on every
	// core before the writes, which only SQLite's one writer can do.
	newIDs := make([]int64, len(clusters))
	for i := range clusters {
		if newIDs[i] = ids[i]; newIDs[i] == 0 {
			newIDs[i] = next
			next++
		}
	}
	listings, searches := make([]string, len(clusters)), make([]any, len(clusters))
	parallelFor(len(clusters), func(i int) {
		listings[i], searches[i] = encodeListing(newIDs[i], clusters[i]), searchColumn(clusters[i].SearchText())
	})
	for i, c := range clusters {
		if err := ctx.Err(); err != nil {
			return err
		}
		newID := newIDs[i]
		if err := addCluster(ins, newID, c, listings[i], searches[i]); err != nil {
			return err
		}
		followMemos(memos, c, newID)
	}
	// Every cluster is written before its members name it.
	if err := ins.flush(); err != nil {
		return err
	}
	for i, c := range clusters {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := addMembers(mem, newIDs[i], c.Members); err != nil {
			return err
		}
	}
	return mem.flush()
}

// addCluster adds a cluster's row to ins (insertClustersHead), with its
// list line and search text as stored.
func addCluster(ins *batchInsert, id int64, c Cluster, listing string, search any) error {
	ref, _ := c.Reference()
	return ins.add(id, c.Kind, c.Status, c.Speaker, c.Articles, ref.Text, len(c.Members), listing, search)
}

// addMembers adds a cluster's members to mem (insertMembersHead).
func addMembers(mem *batchInsert, cluster int64, members []ClusterMember) error {
	for _, m := range members {
		if err := mem.add(cluster, m.ArticleID, m.Start, m.End, encodeSpans(m.Spans), m.Kind,
			m.Statement, m.Speaker, m.Reference, encodeRelations(m.Relations)); err != nil {
			return err
		}
	}
	return nil
}

// canStream reports whether an alignment's stream can be written as it
// comes: a full alignment, nothing to join, and no clusters (nor memos on
// clusters) to keep IDs for.
func canStream(ctx context.Context, tx *sql.Tx, a Alignment) (bool, error) {
	if !a.Full || len(a.Join) > 0 {
		return false, nil
	}
	var any bool
	err := tx.QueryRowContext(ctx, `SELECT EXISTS(SELECT 1 FROM clusters) OR EXISTS(SELECT 1 FROM memos WHERE target_kind = 'cluster')`).Scan(&any)
	return !any, err
}

// insertStream writes the clusters seq yields, numbered from next on,
// each with its members, while seq's producer makes the next ones. The
// list line and search text of each are made by one goroutine while
// another writes; members may be written before their cluster's row (the
// two are written in batches), so foreign keys are checked at commit.
func insertStream(ctx context.Context, tx *sql.Tx, next int64, seq iter.Seq[Cluster]) error {
	if _, err := tx.ExecContext(ctx, "PRAGMA defer_foreign_keys = ON"); err != nil {
		return err
	}
	ins, err := newBatchInsert(ctx, tx, insertClustersHead, 9)
	if err != nil {
		return err
	}
	defer ins.close()
	mem, err := newBatchInsert(ctx, tx, insertMembersHead, 10)
	if err != nil {
		return err
	}
	defer mem.close()
	type row struct {
		c       Cluster
		id      int64
		listing string
		search  any
	}
	rows := make(chan row, 64)
	stop := make(chan struct{})
	go func() {
		defer close(rows)
		id := next
		for c := range seq {
			r := row{c: c, id: id, listing: encodeListing(id, c), search: searchColumn(c.SearchText())}
			id++
			select {
			case rows <- r:
			case <-stop:
				return
			}
		}
	}()
	defer func() {
		close(stop)
		for range rows {
		}
	}()
	for r := range rows {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := addCluster(ins, r.id, r.c, r.listing, r.search); err != nil {
			return err
		}
		if err := addMembers(mem, r.id, r.c.Members); err != nil {
			return err
		}
	}
	// A producer that failed ends its stream early and cancels ctx: what
	// came before must not be committed as if it were all.
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := ins.flush(); err != nil {
		return err
	}
	return mem.flush()
}

// joinMembers adds members to existing clusters and brings the clusters'
// counts and status up to date: one member that is not verbatim or
// normalized makes a cluster diverge.
func joinMembers(ctx context.Context, tx *sql.Tx, js []Joining) error {
	if len(js) == 0 {
		return nil
	}
	mem, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO cluster_members
		(cluster_id, article_id, start, "end", spans, kind, statement, speaker, reference, relations)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`)
	if err != nil {
		return err
	}
	defer mem.Close()
	diverge, err := tx.PrepareContext(ctx, "UPDATE clusters SET status = ? WHERE id = ?")
	if err != nil {
		return err
	}
	defer diverge.Close()
	var ids []int64
	for _, j := range js {
		m := j.Member
		if _, err := mem.ExecContext(ctx, j.Cluster, m.ArticleID, m.Start, m.End, encodeSpans(m.Spans), m.Kind,
			m.Statement, m.Speaker, encodeRelations(m.Relations)); err != nil {
			return err
		}
		if slices.ContainsFunc(m.Relations, func(r vocab.Relation) bool { return !r.Faithful() }) {
			if _, err := diverge.ExecContext(ctx, vocab.StatusDiverge, j.Cluster); err != nil {
				return err
			}
		}
		ids = append(ids, j.Cluster)
	}
	if err := fillTempIDs(ctx, tx, "joined_clusters", ids); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE clusters SET
		members = (SELECT count(*) FROM cluster_members m WHERE m.cluster_id = clusters.id),
		articles = (SELECT count(DISTINCT article_id) FROM cluster_members m WHERE m.cluster_id = clusters.id)
		WHERE id IN (SELECT id FROM temp.joined_clusters)`); err != nil {
		return err
	}
	// The lists read a cluster's listing and search text, not its members:
	// a cluster that gained members gets both again.
	slices.Sort(ids)
	upd, err := tx.PrepareContext(ctx, "UPDATE clusters SET listing = ?, search = ? WHERE id = ?")
	if err != nil {
		return err
	}
	defer upd.Close()
	for _, id := range slices.Compact(ids) {
		var c Cluster
		if err := queryClusters(ctx, tx, clusterByID, id, func(got Cluster) error { c = got; return nil }); err != nil {
			return err
		}
		if c.ID == 0 {
			continue
		}
		if _, err := upd.ExecContext(ctx, encodeListing(id, c), searchColumn(c.SearchText()), id); err != nil {
			return err
		}
	}
	return nil
}

// fillTempIDs fills a temporary table of IDs, so that a statement can take
// a list of any length as bound values rather than as SQL text.
func fillTempIDs(ctx context.Context, tx *sql.Tx, table string, ids []int64) error {
	// table is one of this file's constant names, never user input.
	if _, err := tx.ExecContext(ctx, "CREATE TEMP TABLE IF NOT EXISTS "+table+" (id INTEGER PRIMARY KEY)"); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM temp."+table); err != nil {
		return err
	}
	st, err := tx.PrepareContext(ctx, "INSERT OR IGNORE INTO temp."+table+"(id) VALUES (?)")
	if err != nil {
		return err
	}
	defer st.Close()
	for _, id := range ids {
		if _, err := st.ExecContext(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// AlignmentState is what decides between a full and an incremental
// analysis.
type AlignmentState struct {
	// Version is the analyser version of the stored clusters, 0 if none.
	Version int
	// Analysed counts the articles with an extraction; Unaligned lists
	// those the clusters do not account for yet.
	Analysed  int
	Unaligned []int64
	// Passages counts the alignable passages of every extraction,
	// Clusters the clusters spanning two or more articles, and Largest
	// the members of the largest cluster.
	Passages, Clusters, Largest int
}

// Alignment reports which articles the stored clusters account for.
func (s *Store) Alignment(ctx context.Context) (AlignmentState, error) {
	st, err := read(ctx, s, func(tx *sql.Tx) (AlignmentState, error) {
		var st AlignmentState
		var v sql.NullString
		if err := tx.QueryRowContext(ctx, "SELECT value FROM project WHERE key = 'aligned_version'").Scan(&v); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return st, err
		}
		st.Version, _ = strconv.Atoi(v.String)
		if err := tx.QueryRowContext(ctx, "SELECT count(*), coalesce(sum(passages), 0) FROM analysis").Scan(&st.Analysed, &st.Passages); err != nil {
			return st, err
		}
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FILTER (WHERE articles >= 2), coalesce(max(members), 0) FROM clusters").
			Scan(&st.Clusters, &st.Largest); err != nil {
			return st, err
		}
		rows, err := tx.QueryContext(ctx, "SELECT article_id FROM analysis WHERE aligned = 0 ORDER BY article_id")
		if err != nil {
			return st, err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return st, err
			}
			st.Unaligned = append(st.Unaligned, id)
		}
		return st, rows.Err()
	})
	if err != nil {
		return st, fmt.Errorf("alignment state: %w", err)
	}
	return st, nil
}

// CandidateArticles finds, through the full-text index, the articles in
// which each query's words stand near one another (the words of a passage,
// within a sentence's length), at most perQuery for each, best first. It
// is how an incremental analysis finds what a new passage may match
// without reading the whole project.
func (s *Store) CandidateArticles(ctx context.Context, queries [][]string, perQuery int) ([]int64, error) {
	out, err := read(ctx, s, func(tx *sql.Tx) ([]int64, error) {
		st, err := tx.PrepareContext(ctx, "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?")
		if err != nil {
			return nil, err
		}
		defer st.Close()
		seen := map[int64]bool{}
		var out []int64
		for _, q := range queries {
			expr := nearQuery(q)
			if expr == "" {
				continue
			}
			rows, err := st.QueryContext(ctx, expr, perQuery)
			if err != nil {
				return nil, err
			}
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id); err != nil {
					rows.Close()
					return nil, err
				}
				if !seen[id] {
					seen[id] = true
					out = append(out, id)
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
		}
		return out, nil
	})
	if err != nil {
		return nil, fmt.Errorf("candidate articles: %w", err)
	}
	return out, nil
}

// nearQuery is an FTS5 NEAR group of the words, each a quoted string.
func nearQuery(words []string) string {
	var parts []string
	for _, w := range words {
		w = strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return ' '
			}
			return r
		}, w)
		if strings.TrimSpace(w) == "" {
			continue
		}
		parts = append(parts, `"`+strings.ReplaceAll(w, `"`, `""`)+`"`)
	}
	if len(parts) == 0 {
		return ""
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "NEAR(" + strings.Join(parts, " ") + ", 30)"
}

// AnalysesOf returns the cached extractions of the given articles, with
// their outlets and texts.
func (s *Store) AnalysesOf(ctx context.Context, ids []int64) ([]AnalysisRow, error) {
	out, err := read(ctx, s, func(tx *sql.Tx) ([]AnalysisRow, error) {
		if err := fillTempIDs(ctx, tx, "wanted_articles", ids); err != nil {
			return nil, err
		}
		return scanAnalyses(ctx, tx, `SELECT x.article_id, a.outlet, a.text, x.version, x.hash, x.units
			FROM analysis x JOIN articles a ON a.id = x.article_id
			WHERE x.article_id IN (SELECT id FROM temp.wanted_articles) ORDER BY x.article_id`)
	})
	if err != nil {
		return nil, fmt.Errorf("load analysis: %w", err)
	}
	return out, nil
}

// MemberRef is where a cluster member sits: its cluster, article and
// outer range.
type MemberRef struct {
	Cluster    int64
	Article    int64
	Start, End int
	Reference  bool // set by MembersOf
}

// ClustersOverlapping lists the clusters with a member overlapping one of
// the passages (article and range; their Cluster is ignored).
func (s *Store) ClustersOverlapping(ctx context.Context, passages []MemberRef) ([]int64, error) {
	ms, err := s.MembersOverlapping(ctx, passages)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(ms))
	for _, m := range ms {
		ids = append(ids, m.Cluster)
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

// MembersOverlapping lists the cluster members overlapping one of the
// passages (article and range; their Cluster is ignored).
func (s *Store) MembersOverlapping(ctx context.Context, passages []MemberRef) ([]MemberRef, error) {
	// The members of the passages' articles are read by the article
	// index and the ranges compared here: joining a temporary table of
	// ten thousand passages to the members in SQL took a quarter of a
	// second at 16,000 articles, most of an incremental analysis's reading.
	wanted := map[int64][][2]int{}
	for _, p := range passages {
		wanted[p.Article] = append(wanted[p.Article], [2]int{p.Start, p.End})
	}
	articles := slices.Sorted(maps.Keys(wanted))
	out, err := read(ctx, s, func(tx *sql.Tx) ([]MemberRef, error) {
		if err := fillTempIDs(ctx, tx, "wanted_articles", articles); err != nil {
			return nil, err
		}
		rows, err := tx.QueryContext(ctx, `SELECT m.cluster_id, m.article_id, m.start, m."end" FROM temp.wanted_articles w
			CROSS JOIN cluster_members m ON m.article_id = w.id`)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []MemberRef
		for rows.Next() {
			var m MemberRef
			if err := rows.Scan(&m.Cluster, &m.Article, &m.Start, &m.End); err != nil {
				return nil, err
			}
			for _, r := range wanted[m.Article] {
				if m.Start < r[1] && r[0] < m.End {
					out = append(out, m)
					break
				}
			}
		}
		return out, rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("clusters of passages: %w", err)
	}
	slices.SortFunc(out, func(a, b MemberRef) int {
		return cmp.Or(cmp.Compare(a.Cluster, b.Cluster), cmp.Compare(a.Article, b.Article), cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End))
	})
	return out, nil
}

// MembersOf lists every member of the given clusters.
func (s *Store) MembersOf(ctx context.Context, clusters []int64) ([]MemberRef, error) {
	out, err := read(ctx, s, func(tx *sql.Tx) ([]MemberRef, error) {
		if err := fillTempIDs(ctx, tx, "wanted_clusters", clusters); err != nil {
			return nil, err
		}
		rows, err := tx.QueryContext(ctx, `SELECT cluster_id, article_id, start, "end", reference FROM cluster_members
			WHERE cluster_id IN (SELECT id FROM temp.wanted_clusters) ORDER BY cluster_id, article_id, start`)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []MemberRef
		for rows.Next() {
			var m MemberRef
			if err := rows.Scan(&m.Cluster, &m.Article, &m.Start, &m.End, &m.Reference); err != nil {
				return nil, err
			}
			out = append(out, m)
		}
		return out, rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("cluster members: %w", err)
	}
	return out, nil
}

// registerFunctions gives a connection the SQL functions migrations use:
// parallax_fold(text) is fold.String, to fill clusters' search text.
func registerFunctions(c *sqlite3.SQLiteConn) error {
	if err := c.RegisterFunc("parallax_fold", fold.String, true); err != nil {
		return fmt.Errorf("register parallax_fold: %w", err)
	}
	return nil
}

// encodeListing writes a cluster's listing column (see migration 10): its
// ID, articles, kind, status, versions, and the length of its speaker's
// name in bytes and the name, separated by tabs.
func encodeListing(id int64, c Cluster) string {
	return strings.Join([]string{strconv.FormatInt(id, 10), strconv.Itoa(c.Articles), string(c.Kind), string(c.Status),
		encodeVersions(c.Members), strconv.Itoa(len(c.Speaker)), c.Speaker}, "\t")
}

// encodeVersions writes a listing's versions: each member's article and
// relations in the order the store lists members (article, then range),
// "article:relations" separated by spaces, the relations as
// encodeRelations writes them (a listing written before migration 11 has
// "relation+relation"), the reference's article marked with '*'. A member
// repeated is written once, as it is stored once.
func encodeVersions(members []ClusterMember) string {
	order := make([]int, len(members))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		ka, kb := memberKey(members[a]), memberKey(members[b])
		return slices.Compare(ka[:], kb[:])
	})
	var b strings.Builder
	for i, k := range order {
		m := members[k]
		if i > 0 && memberKey(members[order[i-1]]) == memberKey(m) {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatInt(m.ArticleID, 10))
		if m.Reference {
			b.WriteByte('*')
		}
		b.WriteByte(':')
		b.WriteString(encodeRelations(m.Relations))
	}
	return b.String()
}

// canonicalKind and canonicalStatus return the vocabulary's own string for
// a value read, so that half a million rows share two strings rather than
// keep a slice of what they were read from.
func canonicalKind(s string) vocab.UnitKind {
	for _, k := range []vocab.UnitKind{vocab.UnitQuote, vocab.UnitFinding} {
		if s == string(k) {
			return k
		}
	}
	return vocab.UnitKind(strings.Clone(s))
}

func canonicalStatus(s string) vocab.Status {
	for _, k := range []vocab.Status{vocab.StatusAgree, vocab.StatusDiverge} {
		if s == string(k) {
			return k
		}
	}
	return vocab.Status(strings.Clone(s))
}

var knownRelations = vocab.Relations()

// canonicalRelations splits a member's relations ("verbatim+trimmed"),
// each the vocabulary's own string where it is one, so that they keep
// nothing of what they were read from.
func canonicalRelations(s string) []vocab.Relation {
	rs := vocab.Split(s, "+")
	for i, r := range rs {
		if k := slices.Index(knownRelations, r); k >= 0 {
			rs[i] = knownRelations[k]
		} else {
			rs[i] = vocab.Relation(strings.Clone(string(r)))
		}
	}
	return rs
}

// outletIndex numbers the articles' outlets, each once, and finds an
// article's. Article IDs are dense, so a small table indexed by ID serves
// (a million lookups in a map, or in a slice that outgrows the processor's
// cache, cost a tenth of a second); a project whose IDs are too sparse for
// that gets a map.
type outletIndex struct {
	names  []string
	byID   []uint16 // index into names
	sparse map[int64]int32
}

// inSparse marks in byID an article whose outlet is in sparse.
const inSparse = math.MaxUint16

// tableOutlets is how many outlets the table holds; tests lower it.
var tableOutlets = inSparse

// of returns the number of the outlet of article id: its index in names.
func (o *outletIndex) of(id int64) int32 {
	if id >= 0 && id < int64(len(o.byID)) && o.byID[id] != inSparse {
		return int32(o.byID[id])
	}
	if k, ok := o.sparse[id]; ok {
		return k
	}
	return 0 // no such article: no outlet
}

// articleOutlets reads each outlet with its articles' IDs: forty rows
// rather than a hundred thousand, each of which would cost the driver more
// than the whole query.
func articleOutlets(ctx context.Context, tx *sql.Tx) (outletIndex, error) {
	o := outletIndex{names: []string{""}}
	var n, top int64
	if err := tx.QueryRowContext(ctx, "SELECT count(*), coalesce(max(id), 0) FROM articles").Scan(&n, &top); err != nil {
		return o, err
	}
	if top <= 2*n+1024 {
		o.byID = make([]uint16, top+1)
	}
	rows, err := tx.QueryContext(ctx, "SELECT outlet, group_concat(id, ',') FROM articles GROUP BY outlet")
	if err != nil {
		return o, err
	}
	defer rows.Close()
	var name, ids string
	for rows.Next() {
		if err := rows.Scan(&name, &ids); err != nil {
			return o, err
		}
		k := int32(0) // "" is 0
		blank := strings.TrimSpace(name) == ""
		if !blank {
			k = int32(len(o.names))
			o.names = append(o.names, name)
		}
		for ids != "" {
			id, err := strconv.ParseInt(next(&ids, ","), 10, 64)
			if err != nil {
				return o, err
			}
			if blank {
				// An article without an outlet is a source of its own.
				k = int32(len(o.names))
				o.names = append(o.names, SourceName(name, id))
			}
			if id >= 0 && id < int64(len(o.byID)) {
				if k < int32(tableOutlets) {
					o.byID[id] = uint16(k)
					continue
				}
				o.byID[id] = inSparse
			}
			// a sparse or negative ID, or more outlets than the table
			// numbers
			if o.sparse == nil {
				o.sparse = map[int64]int32{}
			}
			o.sparse[id] = k
		}
	}
	return o, rows.Err()
}

// ClusterRows lists each stored cluster spanning at least minArticles
// articles, in ID order: what the compare and matrix screens list, filter
// and sort by, read from the clusters table alone (and the articles'
// outlets), never from the members or their text.
func (s *Store) ClusterRows(ctx context.Context, minArticles int) (ClusterList, error) {
	var out ClusterList
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		outlets, err := articleOutlets(ctx, tx)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM clusters WHERE articles >= ?", minArticles).Scan(&n); err != nil {
			return err
		}
		// SQLite joins the next chunk of listings while the last one is
		// parsed: the two take about as long, and a machine has two cores.
		chunks := make(chan string, 1)
		parsed := make(chan error, 1)
		go func() {
			rr := rowsReader{outlets: outlets, relationNo: map[string]int32{"": 0}, relations: [][]vocab.Relation{nil},
				speakers: map[string]string{}}
			rows := make([]ClusterRow, 0, n)
			var err error
			for lines := range chunks {
				if err == nil {
					rows, err = rr.read(rows, lines)
				}
			}
			out = ClusterList{Rows: rows, Outlets: outlets.names, Relations: rr.relations}
			parsed <- err
		}()
		err = func() error {
			defer close(chunks)
			for after := int64(math.MinInt64); ; {
				var count int
				var last int64
				var lines string
				if err := tx.QueryRowContext(ctx, clusterRowsChunk, after, minArticles).Scan(&count, &last, &lines); err != nil {
					return err
				}
				if count == 0 {
					return nil
				}
				chunks <- lines
				after = last
			}
		}()
		return cmp.Or(err, <-parsed)
	})
	if err != nil {
		return ClusterList{}, fmt.Errorf("load cluster rows: %w", err)
	}
	out.canonical()
	return out, nil
}

// clusterRowsChunk reads the listings of the next clusters after an ID
// (and spanning at least so many articles) as one string, a line each: a
// query per row costs the driver more than the rest of the load, and half
// a million rows make that most of a second. +articles keeps SQLite
// walking the table in ID order rather than the articles index.
const clusterRowsChunk = `SELECT count(*), coalesce(max(id), 0), coalesce(group_concat(listing, char(10)), '')
	FROM (SELECT id, listing FROM clusters WHERE id > ? AND +articles >= ? ORDER BY id LIMIT 4096)`

// rowsReader decodes listings, numbering outlets and combinations of
// relations and sharing speakers' names. Half a million rows hold a
// million and a half versions, so it parses by hand and looks outlets up
// in a small table.
type rowsReader struct {
	outlets    outletIndex
	relationNo map[string]int32
	relations  [][]vocab.Relation
	speakers   map[string]string
	recent     [2]recentRelations // the last two combinations read
	// vs is where versions are cut from: one allocation per thousands of
	// clusters rather than one per cluster.
	vs []ClusterVersion
}

// read appends the rows of lines, listings one a line, to out, in ID
// order.
func (r *rowsReader) read(out []ClusterRow, lines string) ([]ClusterRow, error) {
	first := len(out)
	for lines != "" {
		id, err1 := strconv.ParseInt(next(&lines, "\t"), 10, 64)
		articles, err2 := strconv.Atoi(next(&lines, "\t"))
		kind, status, versions := next(&lines, "\t"), next(&lines, "\t"), next(&lines, "\t")
		size, err3 := strconv.Atoi(next(&lines, "\t"))
		if err := cmp.Or(err1, err2, err3); err != nil || size < 0 || size > len(lines) {
			return out, fmt.Errorf("cluster listing after %d: %v", id, cmp.Or(err, errors.New("bad speaker")))
		}
		row := ClusterRow{ID: id, Articles: articles, Kind: canonicalKind(kind), Status: canonicalStatus(status), Speaker: r.speaker(lines[:size])}
		lines = strings.TrimPrefix(lines[size:], "\n")
		if k := strings.Count(versions, " ") + 1; cap(r.vs)-len(r.vs) < k {
			r.vs = make([]ClusterVersion, 0, max(k, 1<<14))
		}
		start := len(r.vs)
		var err error
		if r.vs, err = r.versions(r.vs, versions); err != nil {
			return out, fmt.Errorf("cluster %d: %w", id, err)
		}
		row.Versions = r.vs[start:len(r.vs):len(r.vs)]
		out = append(out, row)
	}
	// The lines come in the query's order in practice; SQLite does not
	// promise it, so check.
	byID := func(a, b ClusterRow) int { return cmp.Compare(a.ID, b.ID) }
	if chunk := out[first:]; !slices.IsSortedFunc(chunk, byID) {
		slices.SortFunc(chunk, byID)
	}
	return out, nil
}

// next cuts the first item off list, which sep separates.
func next(list *string, sep string) string {
	item, rest, _ := strings.Cut(*list, sep)
	*list = rest
	return item
}

// versions appends the versions in col, a listing's versions, to vs.
func (r *rowsReader) versions(vs []ClusterVersion, col string) ([]ClusterVersion, error) {
	for i := 0; i < len(col); {
		var v ClusterVersion
		from := i
		for i < len(col) && col[i] >= '0' && col[i] <= '9' {
			v.ArticleID = v.ArticleID*10 + int64(col[i]-'0')
			i++
		}
		if i < len(col) && col[i] == '*' {
			v.Reference = true
			i++
		}
		if i == from || i >= len(col) || col[i] != ':' {
			return vs, fmt.Errorf("versions: bad member at %q", col[from:])
		}
		i++
		end := strings.IndexByte(col[i:], ' ')
		if end < 0 {
			end = len(col) - i
		}
		v.Outlet, v.Relations = r.outlets.of(v.ArticleID), r.relationsOf(col[i:i+end])
		vs = append(vs, v)
		i += end + 1
	}
	return vs, nil
}

// speaker returns one string per speaker, not a slice of the chunk, which
// it would keep alive: a few thousand names are quoted in half a million
// clusters.
func (r *rowsReader) speaker(name string) string {
	if shared, ok := r.speakers[name]; ok {
		return shared
	}
	name = strings.Clone(name)
	r.speakers[name] = name
	return name
}

// relationsOf numbers a combination of relations as written in a listing.
func (r *rowsReader) relationsOf(rels string) int32 {
	// most versions are the reference (none) or verbatim, in turn
	for i := range r.recent {
		if rels == r.recent[i].rels {
			return r.recent[i].no
		}
	}
	k, ok := r.relationNo[rels]
	if !ok {
		rels = strings.Clone(rels) // not a slice of the chunk, which it would keep alive
		k = int32(len(r.relations))
		r.relationNo[rels] = k
		r.relations = append(r.relations, decodeRelations(rels))
	}
	r.recent[1], r.recent[0] = r.recent[0], recentRelations{rels, k}
	return k
}

type recentRelations struct {
	rels string
	no   int32
}

// ClusterReferences returns the reference text of each cluster in ids, in
// the same order: "" for a cluster that is not stored.
func (s *Store) ClusterReferences(ctx context.Context, ids []int64) ([]string, error) {
	out := make([]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	set, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	texts := make(map[int64]string, len(ids))
	err = s.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT id, reference FROM clusters WHERE id"+inIDs, string(set))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var text string
			if err := rows.Scan(&id, &text); err != nil {
				return err
			}
			texts[id] = text
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("load cluster texts: %w", err)
	}
	for i, id := range ids {
		out[i] = texts[id]
	}
	return out, nil
}

// EachClusterSearchText calls fn, in ID order, with the search text
// (Cluster.SearchText) of each cluster spanning at least minArticles
// articles.
func (s *Store) EachClusterSearchText(ctx context.Context, minArticles int, fn func(id int64, folded string) error) error {
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		type text struct {
			id     int64
			folded string
		}
		var chunk []text
		var buf []byte
		for after := int64(math.MinInt64); ; {
			var count int
			var last int64
			var ids, sizes, texts string
			if err := tx.QueryRowContext(ctx, searchTextChunk, after, minArticles).Scan(&count, &last, &ids, &sizes, &texts); err != nil {
				return err
			}
			if count == 0 {
				return nil
			}
			chunk = chunk[:0]
			for range count {
				id, err1 := strconv.ParseInt(next(&ids, ","), 10, 64)
				size, err2 := strconv.Atoi(next(&sizes, ","))
				compressed := size < 0
				if compressed {
					size = -size
				}
				if err := cmp.Or(err1, err2); err != nil || size > len(texts) {
					return fmt.Errorf("search text after cluster %d: %v", id, cmp.Or(err, errors.New("bad length")))
				}
				t := text{id, texts[:size]}
				texts = texts[size:]
				if compressed {
					var err error
					if buf, err = s2.Decode(buf[:cap(buf)], []byte(t.folded)); err != nil {
						return fmt.Errorf("search text of cluster %d: %w", id, err)
					}
					t.folded = string(buf)
				}
				chunk = append(chunk, t)
			}
			// The lists come in the query's order in practice; SQLite
			// does not promise it, so check.
			byID := func(a, b text) int { return cmp.Compare(a.id, b.id) }
			if !slices.IsSortedFunc(chunk, byID) {
				slices.SortFunc(chunk, byID)
			}
			for _, t := range chunk {
				if err := fn(t.id, t.folded); err != nil {
					return err
				}
			}
			after = last
		}
	})
	if err != nil {
		return fmt.Errorf("load cluster search text: %w", err)
	}
	return nil
}

// searchTextChunk reads the search text of the next clusters after an ID
// (and spanning at least so many articles) as three lists, as
// clusterRowsChunk reads listings: their IDs and the texts' lengths in
// bytes separated by commas, and the texts joined. A text stored
// compressed (searchColumn) has its length negated; group_concat joins its
// bytes as they are.
const searchTextChunk = `SELECT count(*), coalesce(max(id), 0), coalesce(group_concat(id, ','), ''),
		coalesce(group_concat(iif(typeof(search) = 'blob', -octet_length(search), octet_length(search)), ','), ''),
		coalesce(group_concat(search, ''), '')
	FROM (SELECT id, search FROM clusters WHERE id > ? AND +articles >= ? ORDER BY id LIMIT 4096)`

// Cluster returns one stored cluster with its members, their text read
// from their articles.
func (s *Store) Cluster(ctx context.Context, id int64) (Cluster, error) {
	var out Cluster
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		return queryClusters(ctx, tx, clusterByID, id, func(c Cluster) error {
			out = c
			return nil
		})
	})
	if err == nil && out.ID == 0 {
		err = Errorf(ENotFound, "no cluster %d in this project", id)
	}
	if err != nil {
		return Cluster{}, fmt.Errorf("cluster %d: %w", id, err)
	}
	return out, nil
}

// ClustersHolding returns the IDs of the clusters with a member at this
// article and range, in ID order: usually one, or none.
func (s *Store) ClustersHolding(ctx context.Context, articleID int64, start, end int) ([]int64, error) {
	var ids []int64
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT cluster_id FROM cluster_members WHERE article_id = ? AND start = ? AND "end" = ?
			ORDER BY cluster_id`, articleID, start, end)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("clusters of article %d at %d–%d: %w", articleID, start, end, err)
	}
	return ids, nil
}

// passageKey identifies a member by its article and outer range.
type passageKey [3]int64

func memberKey(m ClusterMember) passageKey {
	return passageKey{m.ArticleID, int64(m.Start), int64(m.End)}
}

// clusterMembership reads which of the clusters being replaced holds each
// of their members, and each one's size.
func clusterMembership(ctx context.Context, tx *sql.Tx) (map[passageKey]int64, map[int64]int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT cluster_id, article_id, start, "end" FROM cluster_members
		WHERE cluster_id IN (SELECT id FROM temp.replaced_clusters)`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	of := map[passageKey]int64{}
	sizes := map[int64]int{}
	for rows.Next() {
		var id int64
		var k passageKey
		if err := rows.Scan(&id, &k[0], &k[1], &k[2]); err != nil {
			return nil, nil, err
		}
		of[k] = id
		sizes[id]++
	}
	return of, sizes, rows.Err()
}

// stableIDs gives each new cluster the ID of the old cluster it shares
// most members with, when they share at least half of the smaller one and
// no larger new cluster claimed that ID first; 0 means a new ID.
func stableIDs(clusters []Cluster, old map[passageKey]int64, sizes map[int64]int) []int64 {
	ids := make([]int64, len(clusters))
	order := make([]int, len(clusters))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(len(clusters[b].Members), len(clusters[a].Members)) })
	taken := map[int64]bool{}
	for _, i := range order {
		shared := map[int64]int{}
		for _, m := range clusters[i].Members {
			if id, ok := old[memberKey(m)]; ok {
				shared[id]++
			}
		}
		best, most := int64(0), 0
		for id, n := range shared {
			if !taken[id] && (n > most || n == most && id < best) {
				best, most = id, n
			}
		}
		if best != 0 && 2*most >= min(len(clusters[i].Members), sizes[best]) {
			ids[i] = best
			taken[best] = true
		}
	}
	return ids
}

func encodeSpans(spans [][2]int) string {
	if len(spans) <= 1 {
		return ""
	}
	b, _ := json.Marshal(spans)
	return string(b)
}

// memoKeys remembers which passages a cluster memo's cluster held, so the
// memo can follow its passages when its cluster is gone.
type memoKeys struct {
	old, new int64
	best     int // how many of its passages the new cluster holds
	members  map[passageKey]bool
}

func clusterMemoKeys(ctx context.Context, tx *sql.Tx) (map[int64]memoKeys, error) {
	rows, err := tx.QueryContext(ctx, `SELECT m.id, m.target_id, c.article_id, c.start, c."end" FROM memos m
		JOIN cluster_members c ON c.cluster_id = m.target_id
		WHERE m.target_kind = 'cluster' AND m.target_id IN (SELECT id FROM temp.replaced_clusters)`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]memoKeys{}
	for rows.Next() {
		var memo, cluster int64
		var k passageKey
		if err := rows.Scan(&memo, &cluster, &k[0], &k[1], &k[2]); err != nil {
			return nil, err
		}
		mk := out[memo]
		if mk.members == nil {
			mk = memoKeys{old: cluster, members: map[passageKey]bool{}}
		}
		mk.members[k] = true
		out[memo] = mk
	}
	return out, rows.Err()
}

// followMemos points each memo at the new cluster id when it kept the
// memo's cluster ID, or holds more of the memo's passages than any cluster
// before it.
func followMemos(memos map[int64]memoKeys, c Cluster, id int64) {
	for memo, k := range memos {
		if k.old == id {
			k.new, k.best = id, 1<<30
			memos[memo] = k
			continue
		}
		n := 0
		for _, m := range c.Members {
			if k.members[memberKey(m)] {
				n++
			}
		}
		if n > k.best {
			k.new, k.best = id, n
			memos[memo] = k
		}
	}
}

// remapClusterMemos points cluster memos at their cluster's new ID; a memo
// whose passages no longer form a cluster becomes a project memo, marked,
// rather than a note on some other cluster.
func remapClusterMemos(ctx context.Context, tx *sql.Tx, memos map[int64]memoKeys) error {
	for id, k := range memos {
		var err error
		if k.new != 0 {
			_, err = tx.ExecContext(ctx, "UPDATE memos SET target_id = ? WHERE id = ?", k.new, id)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE memos SET target_kind = 'project', target_id = 0,
				title = '(cluster no longer found) ' || title WHERE id = ?`, id)
		}
		if err != nil {
			return err
		}
	}
	// Memos on clusters that had no members left are orphans too.
	_, err := tx.ExecContext(ctx, `UPDATE memos SET target_kind = 'project', target_id = 0,
		title = '(cluster no longer found) ' || title
		WHERE target_kind = 'cluster' AND target_id NOT IN (SELECT id FROM clusters)`)
	return err
}

// Clusters returns the stored clusters with their members. minArticles
// keeps only clusters spanning at least that many distinct articles.
func (s *Store) Clusters(ctx context.Context, minArticles int) ([]Cluster, error) {
	var out []Cluster
	err := s.readTx(ctx, func(tx *sql.Tx) (err error) {
		out, err = listClusters(ctx, tx, minArticles)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("load clusters: %w", err)
	}
	return out, nil
}

// EachCluster calls fn with each stored cluster spanning at least
// minArticles articles, in ID order, from one consistent read: a caller
// that streams (align --json, exports) holds one cluster at a time.
func (s *Store) EachCluster(ctx context.Context, minArticles int, fn func(Cluster) error) error {
	err := s.readTx(ctx, func(tx *sql.Tx) error { return queryClusters(ctx, tx, clustersSpanning, minArticles, fn) })
	if err != nil {
		return fmt.Errorf("load clusters: %w", err)
	}
	return nil
}

// listClusters reads every cluster spanning at least minArticles
// articles. Its members' texts are cut from the articles' texts in Go,
// each article read once: cut by SQLite, every member read its article's
// whole text again (a third of a million reads of a few kilobytes at 16,000
// articles, most of the time the propagation view waited for). The
// members' texts share their articles' memory.
func listClusters(ctx context.Context, tx *sql.Tx, minArticles int) ([]Cluster, error) {
	var out []Cluster
	err := eachClusterCut(ctx, tx, minArticles, false, nil, func(c Cluster) error {
		out = append(out, c)
		return nil
	})
	return out, err
}

// ScanClusters calls fn with each stored cluster spanning at least
// minArticles articles, in ID order, from one consistent read, as
// listClusters reads them: faster than EachCluster when every cluster is
// wanted, but holding the text of every article with a passage in a
// cluster while it runs.
func (s *Store) ScanClusters(ctx context.Context, minArticles int, fn func(Cluster) error) error {
	err := s.readTx(ctx, func(tx *sql.Tx) error { return eachClusterCut(ctx, tx, minArticles, false, nil, fn) })
	if err != nil {
		return fmt.Errorf("load clusters: %w", err)
	}
	return nil
}

// ArticleCount is how many articles the project holds.
func (s *Store) ArticleCount(ctx context.Context) (int, error) {
	var n int
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM articles`).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("count articles: %w", err)
	}
	return n, nil
}

// eachClusterCut is listClusters calling fn with each cluster; with lean
// set, its members are read as ReadPropagation says, and with only not
// nil (lean only) just those clusters.
func eachClusterCut(ctx context.Context, tx *sql.Tx, minArticles int, lean bool, only []int64, fn func(Cluster) error) error {
	texts := map[int64]*articleText{}
	var ids []byte
	textsQuery := clusteredTexts + `(SELECT article_id FROM cluster_members)`
	var args []any
	if only != nil {
		var err error
		if ids, err = json.Marshal(only); err != nil {
			return err
		}
		textsQuery = clusteredTexts + `(SELECT article_id FROM cluster_members WHERE cluster_id IN (SELECT value FROM json_each(?)))`
		args = []any{string(ids)}
	}
	rows, err := tx.QueryContext(ctx, textsQuery, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var all []*articleText
	for rows.Next() {
		t := &articleText{}
		var id int64
		if err := rows.Scan(&id, &t.outlet, &t.copyOf, &t.text); err != nil {
			return err
		}
		texts[id] = t
		all = append(all, t)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	// Indexed before any is cut, as the members are cut on every core;
	// every text read has members to cut.
	parallelFor(len(all), func(i int) { all[i].index() })
	// A member's text is cut from its article's; one of several spans is
	// their texts joined by single spaces, as the analyser joins a
	// quote's parts.
	cut := func(m *ClusterMember, spans [][2]int) error {
		t := texts[m.ArticleID]
		if t == nil {
			// The foreign key deletes a member with its article: a
			// project where one outlived it is damaged.
			return fmt.Errorf("a passage of article %d, which is not in the project", m.ArticleID)
		}
		m.Outlet, m.CopyOf = t.outlet, t.copyOf
		if spans == nil {
			m.Text = t.cut(m.Start, m.End)
		} else {
			m.Text = t.spans(spans)
		}
		return nil
	}
	query, unpack := clusterChunk, unpackMembers
	if lean {
		query, unpack = clusterTextChunk, unpackMemberTexts
	}
	args = []any{nil, minArticles}
	if only != nil {
		query, args = clusterTextChunkOf, append(args, string(ids))
	}
	for after := int64(math.MinInt64); ; {
		args[0] = after
		rows, err := tx.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		var chunk []Cluster
		var packed []string
		for rows.Next() {
			var c Cluster
			var kind, status, p string
			if err := rows.Scan(&c.ID, &kind, &status, &c.Speaker, &c.Articles, &p); err != nil {
				rows.Close()
				return err
			}
			c.Kind, c.Status = canonicalKind(kind), canonicalStatus(status)
			chunk, packed = append(chunk, c), append(packed, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(chunk) == 0 {
			return nil
		}
		// The members are unpacked and cut on every core: on one, with
		// SQLite's reading, it was the longest part of a trace's reading
		// while the preparing waited.
		errs := make([]error, len(chunk))
		parallelFor(len(chunk), func(i int) {
			chunk[i].Members, errs[i] = unpack(packed[i], chunk[i].Articles, cut)
		})
		for i, c := range chunk {
			if errs[i] != nil {
				return fmt.Errorf("cluster %d: %w", c.ID, errs[i])
			}
			// A cluster whose articles were all deleted has no members
			// left; the members' join never listed it.
			if len(c.Members) == 0 {
				continue
			}
			if err := fn(c); err != nil {
				return err
			}
		}
		after = chunk[len(chunk)-1].ID
	}
}

// clusterChunk reads up to 1,024 clusters after an ID (spanning at least
// so many articles), each as one row with its members packed into one
// string in the order the store lists them (article, then range): for
// each, its article, start, end, statement, reference flag and the byte
// lengths of its kind, speaker, relations and spans, each followed by a
// comma, then those four strings. Handed over one row a member, half a
// million members spent more time in database/sql than in SQLite.
const clusterChunk = `SELECT c.id, c.kind, c.status, c.speaker, c.articles,
		coalesce((SELECT group_concat(m.article_id || ',' || m.start || ',' || m."end" || ',' || m.statement || ',' || m.reference || ',' ||
			octet_length(m.kind) || ',' || octet_length(m.speaker) || ',' || octet_length(m.relations) || ',' || octet_length(m.spans) || ',' ||
			m.kind || m.speaker || m.relations || m.spans, '' ORDER BY m.article_id, m.start, m."end")
		FROM cluster_members m WHERE m.cluster_id = c.id), '')
	FROM clusters c WHERE c.id > ? AND +c.articles >= ? ORDER BY c.id LIMIT 1024`

// clusterTextChunk is clusterChunk with, of each member, only its article,
// start, end, the byte length of its spans, a comma and its spans;
// clusterTextChunkOf the same of the clusters whose IDs a JSON array, the
// third argument, lists.
const (
	clusterTextColumns = `SELECT c.id, c.kind, c.status, c.speaker, c.articles,
		coalesce((SELECT group_concat(m.article_id || ',' || m.start || ',' || m."end" || ',' || octet_length(m.spans) || ',' || m.spans,
			'' ORDER BY m.article_id, m.start, m."end")
		FROM cluster_members m WHERE m.cluster_id = c.id), '')
	FROM clusters c WHERE c.id > ? AND +c.articles >= ?`
	clusterTextChunk   = clusterTextColumns + ` ORDER BY c.id LIMIT 1024`
	clusterTextChunkOf = clusterTextColumns + ` AND c.id IN (SELECT value FROM json_each(?)) ORDER BY c.id LIMIT 1024`
)

// clusteredTexts reads the texts of the articles whose IDs the subquery
// it is followed by lists.
const clusteredTexts = `SELECT id, outlet, coalesce(copy_of, 0), text FROM articles WHERE id IN `

var errPacked = errors.New("members packed badly")

// packedFields reads from packed the numbers of one member, each followed
// by a comma, into f, then the strings whose byte lengths are the last
// len(strs) of them into strs, and returns what follows.
func packedFields(packed string, f []int64, strs []string) (string, error) {
	for k := range f {
		i := strings.IndexByte(packed, ',')
		if i <= 0 {
			return "", errPacked
		}
		n, err := strconv.ParseInt(packed[:i], 10, 64)
		if err != nil {
			return "", errPacked
		}
		f[k], packed = n, packed[i+1:]
	}
	for k, n := range f[len(f)-len(strs):] {
		if n < 0 || n > int64(len(packed)) {
			return "", errPacked
		}
		strs[k], packed = packed[:n], packed[n:]
	}
	return packed, nil
}

// memberSpans reads a member's stored spans: nil for its one range.
func memberSpans(stored string) ([][2]int, error) {
	if stored == "" {
		return nil, nil
	}
	var spans [][2]int
	if err := json.Unmarshal([]byte(stored), &spans); err != nil {
		return nil, err
	}
	return spans, nil
}

// unpackMemberTexts reads the members clusterTextChunk packs (about n of
// them), giving each its text with cut.
func unpackMemberTexts(packed string, n int, cut func(m *ClusterMember, spans [][2]int) error) ([]ClusterMember, error) {
	return unpackPacked(packed, n, 4, 1, cut, func(f []int64, strs []string) (ClusterMember, [][2]int, error) {
		m := ClusterMember{ArticleID: f[0], Start: int(f[1]), End: int(f[2])}
		var err error
		m.Spans, err = memberSpans(strs[0])
		return m, m.Spans, err
	})
}

// unpackMembers reads the members clusterChunk packs (about n of them),
// giving each its text with cut.
func unpackMembers(packed string, n int, cut func(m *ClusterMember, spans [][2]int) error) ([]ClusterMember, error) {
	return unpackPacked(packed, n, 9, 4, cut, func(f []int64, strs []string) (ClusterMember, [][2]int, error) {
		m := ClusterMember{ArticleID: f[0], Start: int(f[1]), End: int(f[2]), Statement: int(f[3]), Reference: f[4] != 0,
			Kind: canonicalKind(strs[0]), Speaker: strings.Clone(strs[1]), Relations: decodeRelations(strs[2])}
		spans, err := memberSpans(strs[3])
		m.Spans = spans
		if spans == nil {
			m.Spans = [][2]int{{m.Start, m.End}}
		}
		return m, spans, err
	})
}

// unpackPacked reads about n members packed as packedFields reads them,
// numbers of them and texts strings each, making each from its fields
// with member (which also returns its spans when several) and giving it
// its text with cut.
func unpackPacked(packed string, n, numbers, texts int, cut func(m *ClusterMember, spans [][2]int) error,
	member func(f []int64, strs []string) (ClusterMember, [][2]int, error)) ([]ClusterMember, error) {
	var out []ClusterMember
	f, strs := make([]int64, numbers), make([]string, texts)
	for len(packed) > 0 {
		if out == nil {
			// n is a stored count: no more members than the packing
			// can hold (each number takes two bytes at least), so that
			// a damaged count cannot ask for the machine's memory.
			out = make([]ClusterMember, 0, max(1, min(n, len(packed)/(2*numbers)+1)))
		}
		var err error
		if packed, err = packedFields(packed, f, strs); err != nil {
			return nil, err
		}
		m, spans, err := member(f, strs)
		if err != nil {
			return nil, err
		}
		if err := cut(&m, spans); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// articleText is an article's text with, once asked for, where every
// 64th of its characters starts: offsets count characters (as SQLite's
// substr does), and Go slices strings by bytes. A full index took four
// bytes a byte, more than the texts.
type articleText struct {
	outlet string
	copyOf int64
	text   string
	ascii  int8    // 0 unknown, 1 yes, -1 no
	at     []int32 // byte offset of characters 0, 64, 128, …
	n      int     // characters
}

const textStride = 64

func (t *articleText) index() {
	if t.ascii != 0 {
		return
	}
	t.ascii = 1
	for i := 0; i < len(t.text); i++ {
		if t.text[i] >= utf8.RuneSelf {
			t.ascii = -1
			break
		}
	}
	if t.ascii > 0 {
		t.n = len(t.text)
		return
	}
	for i := range t.text {
		if t.n%textStride == 0 {
			t.at = append(t.at, int32(i))
		}
		t.n++
	}
}

// runes is the text's length in characters.
func (t *articleText) runes() int {
	t.index()
	return t.n
}

// offset is where character r starts, in bytes (len(text) for r = runes).
func (t *articleText) offset(r int) int {
	if t.ascii > 0 {
		return r
	}
	if r >= t.n {
		return len(t.text)
	}
	b := int(t.at[r/textStride])
	for range r % textStride {
		// Most characters of a text that is not ASCII still are.
		if t.text[b] < utf8.RuneSelf {
			b++
			continue
		}
		_, size := utf8.DecodeRuneInString(t.text[b:])
		b += size
	}
	return b
}

// spans is the text at spans, joined by single spaces, as the analyser
// joins a quote's parts; a span outside the text is left out.
func (t *articleText) spans(spans [][2]int) string {
	parts := make([]string, 0, len(spans))
	for _, sp := range spans {
		if sp[0] >= 0 && sp[0] <= sp[1] && sp[1] <= t.runes() {
			parts = append(parts, t.cut(sp[0], sp[1]))
		}
	}
	return strings.Join(parts, " ")
}

// cut is the text's characters [start, end), clamped to the text as
// substr clamps.
func (t *articleText) cut(start, end int) string {
	n := t.runes()
	start, end = min(max(start, 0), n), min(max(end, 0), n)
	if start >= end {
		return ""
	}
	return t.text[t.offset(start):t.offset(end)]
}

// The queries of queryClusters: its clusters with their members, in ID
// order and each cluster's members by article and range. CROSS JOIN and
// the unary + keep SQLite to the clusters in ID order and each one's
// members by their primary key, which is the order wanted: left to
// itself it walked the members by article and sorted half a million rows,
// texts included, before returning the first. A member's text
// is the article's text at its range (substr counts characters, as offsets
// do); a member of several spans reads the article and joins its spans.
const (
	clusterColumns = `SELECT c.id, c.kind, c.status, c.speaker, c.articles,
			m.article_id, a.outlet, coalesce(a.copy_of, 0), m.kind, m.start, m."end", m.spans,
			CASE WHEN m.spans = '' THEN substr(a.text, m.start + 1, m."end" - m.start) ELSE a.text END,
			m.statement, m.speaker, m.reference, m.relations
		FROM clusters c CROSS JOIN cluster_members m ON m.cluster_id = c.id JOIN articles a ON a.id = m.article_id`
	membersOrder     = ` ORDER BY c.id, m.article_id, m.start, m."end"`
	clustersSpanning = clusterColumns + " WHERE +c.articles >= ?" + membersOrder // arg: fewest articles
	clusterByID      = clusterColumns + " WHERE c.id = ?" + membersOrder         // arg: the cluster's ID
)

// queryClusters calls fn with each cluster query (clustersSpanning or
// clusterByID) reads with arg.
func queryClusters(ctx context.Context, tx *sql.Tx, query string, arg any, fn func(Cluster) error) error {
	rows, err := tx.QueryContext(ctx, query, arg)
	if err != nil {
		return err
	}
	defer rows.Close()
	var cur Cluster
	for rows.Next() {
		var c Cluster
		var m ClusterMember
		var spans, rels string
		if err := rows.Scan(&c.ID, &c.Kind, &c.Status, &c.Speaker, &c.Articles, &m.ArticleID, &m.Outlet, &m.CopyOf, &m.Kind,
			&m.Start, &m.End, &spans, &m.Text, &m.Statement, &m.Speaker, &m.Reference, &rels); err != nil {
			return err
		}
		if spans == "" {
			m.Spans = [][2]int{{m.Start, m.End}}
		} else {
			if err := json.Unmarshal([]byte(spans), &m.Spans); err != nil {
				return fmt.Errorf("cluster %d: %w", c.ID, err)
			}
			m.Text = spansText(m.Text, m.Spans)
		}
		m.Relations = decodeRelations(rels)
		if cur.ID != c.ID {
			if cur.ID != 0 {
				if err := fn(cur); err != nil {
					return err
				}
			}
			cur = c
		}
		cur.Members = append(cur.Members, m)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if cur.ID != 0 {
		return fn(cur)
	}
	return nil
}

// spansText is the text at spans of text, joined by single spaces, as the
// analyser joins a quote's parts.
func spansText(text string, spans [][2]int) string {
	return (&articleText{text: text}).spans(spans)
}

// Pins lists the reference pins.
func (s *Store) Pins(ctx context.Context) ([]Pin, error) {
	out, err := read(ctx, s, func(tx *sql.Tx) ([]Pin, error) { return pins(ctx, tx) })
	if err != nil {
		return nil, fmt.Errorf("load pins: %w", err)
	}
	return out, nil
}

func pins(ctx context.Context, tx *sql.Tx) ([]Pin, error) {
	rows, err := tx.QueryContext(ctx, `SELECT article_id, start, "end" FROM reference_pins`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Pin
	for rows.Next() {
		var p Pin
		if err := rows.Scan(&p.ArticleID, &p.Start, &p.End); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// PinReference makes p the reference of its cluster, dropping the pins of
// the cluster's other members (others) in the same transaction.
func (s *Store) PinReference(ctx context.Context, p Pin, others []Pin) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		// The pinned passage's cluster is aligned again by the next
		// analysis, around its new reference.
		if _, err := tx.ExecContext(ctx, `UPDATE analysis SET aligned = 0 WHERE article_id IN (
			SELECT m.article_id FROM cluster_members m WHERE m.cluster_id IN (
				SELECT cluster_id FROM cluster_members WHERE article_id = ? AND start <= ? AND "end" >= ?))`, p.ArticleID, p.Start, p.End); err != nil {
			return err
		}
		for _, o := range others {
			if _, err := tx.ExecContext(ctx, `DELETE FROM reference_pins WHERE article_id = ? AND start = ? AND "end" = ?`, o.ArticleID, o.Start, o.End); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO reference_pins(article_id, start, "end") VALUES (?, ?, ?)`, p.ArticleID, p.Start, p.End)
		return err
	})
	if err != nil {
		return fmt.Errorf("pin reference: %w", err)
	}
	return nil
}

// ClusterIDsOfKind lists the clusters of one kind (the whole-article
// clusters of copies, which an incremental analysis redoes).
func (s *Store) ClusterIDsOfKind(ctx context.Context, kind vocab.UnitKind) ([]int64, error) {
	out, err := read(ctx, s, func(tx *sql.Tx) ([]int64, error) {
		rows, err := tx.QueryContext(ctx, "SELECT id FROM clusters WHERE kind = ? ORDER BY id", kind)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			out = append(out, id)
		}
		return out, rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("clusters of kind %s: %w", kind, err)
	}
	return out, nil
}

// Statement reads the statement the reference of a cluster belongs to:
// every sentence of that quotation, the cluster each is aligned in, and
// every other article's version of the whole (see Statement). A cluster
// whose reference is not a quotation's sentence has no statement:
// ENotFound.
func (s *Store) Statement(ctx context.Context, cluster int64) (Statement, error) {
	st, err := read(ctx, s, func(tx *sql.Tx) (Statement, error) {
		var st Statement
		err := tx.QueryRowContext(ctx, `SELECT article_id, statement FROM cluster_members WHERE cluster_id = ? AND reference = 1`, cluster).
			Scan(&st.Article, &st.Number)
		if errors.Is(err, sql.ErrNoRows) || err == nil && st.Number == 0 {
			return st, Errorf(ENotFound, "cluster %d: its reference is not part of a quotation", cluster)
		}
		if err != nil {
			return st, err
		}
		// The statement's sentences: this article's members of that
		// quotation, in every cluster.
		rows, err := tx.QueryContext(ctx, `SELECT m.cluster_id, m.start, m."end", substr(a.text, m.start + 1, m."end" - m.start),
				m.reference, m.relations
			FROM cluster_members m JOIN articles a ON a.id = m.article_id
			WHERE m.article_id = ? AND m.statement = ? ORDER BY m.start`, st.Article, st.Number)
		if err != nil {
			return st, err
		}
		// own holds, where the statement's sentence is not its cluster's
		// reference, its relations to that reference.
		own := map[int64][]vocab.Relation{}
		for rows.Next() {
			var ss StatementSentence
			var ref bool
			var rels string
			if err := rows.Scan(&ss.Cluster, &ss.Start, &ss.End, &ss.Text, &ref, &rels); err != nil {
				rows.Close()
				return st, err
			}
			if !ref {
				own[ss.Cluster] = decodeRelations(rels)
			}
			st.Sentences = append(st.Sentences, ss)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return st, err
		}
		ids := make([]int64, len(st.Sentences))
		at := map[int64]int{}
		for i, ss := range st.Sentences {
			ids[i] = ss.Cluster
			at[ss.Cluster] = i
		}
		if err := fillTempIDs(ctx, tx, "wanted_clusters", ids); err != nil {
			return st, err
		}
		rows, err = tx.QueryContext(ctx, `SELECT m.cluster_id, m.article_id, a.outlet, m.relations, m.reference
			FROM cluster_members m JOIN articles a ON a.id = m.article_id
			WHERE m.cluster_id IN (SELECT id FROM temp.wanted_clusters) AND m.article_id <> ?
			ORDER BY m.article_id, m.start`, st.Article)
		if err != nil {
			return st, err
		}
		defer rows.Close()
		byArticle := map[int64]int{}
		for rows.Next() {
			var c, art int64
			var outlet, rels string
			var ref bool
			if err := rows.Scan(&c, &art, &outlet, &rels, &ref); err != nil {
				return st, err
			}
			vi, ok := byArticle[art]
			if !ok {
				vi = len(st.Versions)
				byArticle[art] = vi
				st.Versions = append(st.Versions, StatementVersion{Article: art, Outlet: outlet, Relations: make([][]vocab.Relation, len(st.Sentences))})
			}
			r := decodeRelations(rels)
			if ref {
				// This article holds the cluster's reference: its relation
				// to the statement's sentence is the converse of the
				// sentence's relation to it.
				r = converse(own[c])
			}
			if v := &st.Versions[vi]; v.Relations[at[c]] == nil {
				v.Relations[at[c]] = r
			}
		}
		if err := rows.Err(); err != nil {
			return st, err
		}
		for i := range st.Versions {
			st.Versions[i].Whole = wholeStatement(st.Versions[i].Relations)
		}
		return st, nil
	})
	if err != nil {
		return st, fmt.Errorf("statement of cluster %d: %w", cluster, err)
	}
	return st, nil
}

// converse turns a version's relations to a reference into the
// reference's relations to that version: what one kept of the other is
// extended in the other direction, and the reverse.
func converse(rels []vocab.Relation) []vocab.Relation {
	out := make([]vocab.Relation, 0, len(rels))
	for _, r := range rels {
		switch r {
		case vocab.RelFragment, vocab.RelElided:
			r = vocab.RelExtended
		case vocab.RelExtended, vocab.RelInserted:
			r = vocab.RelFragment
		}
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		out = append(out, vocab.RelVerbatim)
	}
	return out
}

// wholeStatement is a version's relation to a statement as a whole, from
// its relations sentence by sentence.
func wholeStatement(per [][]vocab.Relation) []vocab.Relation {
	all, faithful := true, true
	var union []vocab.Relation
	for _, rs := range per {
		if rs == nil {
			all = false
			continue
		}
		for _, r := range rs {
			if !r.Faithful() {
				faithful = false
			}
			if !slices.Contains(union, r) {
				union = append(union, r)
			}
		}
	}
	switch {
	case faithful && all:
		return []vocab.Relation{vocab.RelVerbatim}
	case faithful:
		return []vocab.Relation{vocab.RelFragment}
	case !all && !slices.Contains(union, vocab.RelFragment):
		union = append(union, vocab.RelFragment)
	}
	return slices.DeleteFunc(union, func(r vocab.Relation) bool { return r.Faithful() })
}
