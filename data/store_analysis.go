package data

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	sqlite3 "github.com/mattn/go-sqlite3"

	"github.com/parallax-research/parallax/diffing/fold"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// ArticlesToAnalyze lists the articles with no extraction from this
// analyser version or whose text changed since.
func (s *Store) ArticlesToAnalyze(ctx context.Context, version int) ([]AnalysisInput, error) {
	var out []AnalysisInput
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT a.id, a.hash, a.text FROM articles a
			LEFT JOIN analysis x ON x.article_id = a.id
			WHERE x.article_id IS NULL OR x.version <> ? OR x.hash <> a.hash
			ORDER BY a.id`, version)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var in AnalysisInput
			if err := rows.Scan(&in.ArticleID, &in.Hash, &in.Text); err != nil {
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
		st, err := tx.PrepareContext(ctx, `INSERT INTO analysis(article_id, version, hash, quotes, units) VALUES (?, ?, ?, '', ?)
			ON CONFLICT(article_id) DO UPDATE SET version = excluded.version, hash = excluded.hash,
			quotes = '', units = excluded.units`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, r := range rows {
			if _, err := st.ExecContext(ctx, r.ArticleID, r.Version, r.Hash, string(r.Units)); err != nil {
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
	var out []AnalysisRow
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT x.article_id, a.outlet, a.text, x.version, x.hash, x.units
			FROM analysis x JOIN articles a ON a.id = x.article_id ORDER BY x.article_id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r AnalysisRow
			var u string
			if err := rows.Scan(&r.ArticleID, &r.Outlet, &r.Text, &r.Version, &r.Hash, &u); err != nil {
				return err
			}
			r.Units = []byte(u)
			out = append(out, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("load analysis: %w", err)
	}
	return out, nil
}

// ReplaceClusters swaps the project's clusters for a new alignment in one
// transaction, so readers see either the old set or the new one. A new
// cluster keeps the ID of the old cluster holding most of its members (at
// least half of the smaller of the two), so memos, links and exports keep
// pointing at the same utterance across analyses; a memo whose cluster is
// gone follows the new cluster holding most of its passages, or becomes a
// marked project memo.
func (s *Store) ReplaceClusters(ctx context.Context, clusters []Cluster) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		old, sizes, err := clusterMembership(ctx, tx)
		if err != nil {
			return err
		}
		memos, err := clusterMemoKeys(ctx, tx)
		if err != nil {
			return err
		}
		ids := stableIDs(clusters, old, sizes)
		if _, err := tx.ExecContext(ctx, "DELETE FROM cluster_members"); err != nil {
			return err
		}
		keep := make([]int64, 0, len(ids))
		for _, id := range ids {
			if id != 0 {
				keep = append(keep, id)
			}
		}
		if err := deleteClustersExcept(ctx, tx, keep); err != nil {
			return err
		}
		// New clusters are numbered after the highest kept, as SQLite
		// would number them: their listing holds the ID.
		var next int64
		if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) + 1 FROM clusters").Scan(&next); err != nil {
			return err
		}
		ins, err := tx.PrepareContext(ctx, `INSERT INTO clusters(id, kind, status, speaker, articles, reference, members, listing, search)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, status = excluded.status,
			speaker = excluded.speaker, articles = excluded.articles, reference = excluded.reference, members = excluded.members,
			listing = excluded.listing, search = excluded.search`)
		if err != nil {
			return err
		}
		defer ins.Close()
		mem, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO cluster_members
			(cluster_id, article_id, start, "end", spans, kind, statement, speaker, reference, relations)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer mem.Close()
		for i, c := range clusters {
			ref, _ := c.Reference()
			newID := ids[i]
			if newID == 0 {
				newID = next
				next++
			}
			if _, err := ins.ExecContext(ctx, newID, c.Kind, c.Status, c.Speaker, c.Articles, ref.Text, len(c.Members),
				encodeListing(newID, c), c.SearchText()); err != nil {
				return err
			}
			followMemos(memos, c, newID)
			for _, m := range c.Members {
				if err := ctx.Err(); err != nil {
					return err
				}
				if _, err := mem.ExecContext(ctx, newID, m.ArticleID, m.Start, m.End, encodeSpans(m.Spans), m.Kind,
					m.Statement, m.Speaker, m.Reference, vocab.Join(m.Relations, "+")); err != nil {
					return err
				}
			}
		}
		return remapClusterMemos(ctx, tx, memos)
	})
	if err != nil {
		return fmt.Errorf("save clusters: %w", err)
	}
	return nil
}

// registerFunctions gives a connection the SQL functions migrations use:
// parallax_fold(text) is fold.String, to fill clusters' search text.
func registerFunctions(c *sqlite3.SQLiteConn) error {
	if err := c.RegisterFunc("parallax_fold", fold.String, true); err != nil {
		return fmt.Errorf("register parallax_fold: %w", err)
	}
	return nil
}

// encodeListing writes a cluster's listing column (see migration 6): its
// ID, articles, kind, status, versions, and the length of its speaker's
// name in bytes and the name, separated by tabs.
func encodeListing(id int64, c Cluster) string {
	return strings.Join([]string{strconv.FormatInt(id, 10), strconv.Itoa(c.Articles), string(c.Kind), string(c.Status),
		encodeVersions(c.Members), strconv.Itoa(len(c.Speaker)), c.Speaker}, "\t")
}

// encodeVersions writes a listing's versions: each member's article and
// relations in the order the store lists members (article, then range),
// "article:relation+relation" separated by spaces, the reference's article
// marked with '*'. A member repeated is written once, as it is stored
// once.
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
		b.WriteString(vocab.Join(m.Relations, "+"))
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
		if name != "" {
			k = int32(len(o.names))
			o.names = append(o.names, name)
		}
		for ids != "" {
			id, err := strconv.ParseInt(next(&ids, ","), 10, 64)
			if err != nil {
				return o, err
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
		r.relations = append(r.relations, vocab.Split(rels, "+"))
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
				if err := cmp.Or(err1, err2); err != nil || size < 0 || size > len(texts) {
					return fmt.Errorf("search text after cluster %d: %v", id, cmp.Or(err, errors.New("bad length")))
				}
				chunk = append(chunk, text{id, texts[:size]})
				texts = texts[size:]
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
// bytes separated by commas, and the texts joined.
const searchTextChunk = `SELECT count(*), coalesce(max(id), 0), coalesce(group_concat(id, ','), ''),
		coalesce(group_concat(octet_length(search), ','), ''), coalesce(group_concat(search, ''), '')
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

// clusterMembership reads which cluster holds each stored member, and each
// cluster's size.
func clusterMembership(ctx context.Context, tx *sql.Tx) (map[passageKey]int64, map[int64]int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT cluster_id, article_id, start, "end" FROM cluster_members`)
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

// deleteClustersExcept deletes every cluster whose ID is not in keep.
func deleteClustersExcept(ctx context.Context, tx *sql.Tx, keep []int64) error {
	if _, err := tx.ExecContext(ctx, "CREATE TEMP TABLE IF NOT EXISTS keep_clusters (id INTEGER PRIMARY KEY)"); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM temp.keep_clusters"); err != nil {
		return err
	}
	st, err := tx.PrepareContext(ctx, "INSERT INTO temp.keep_clusters(id) VALUES (?)")
	if err != nil {
		return err
	}
	defer st.Close()
	for _, id := range keep {
		if _, err := st.ExecContext(ctx, id); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, "DELETE FROM clusters WHERE id NOT IN (SELECT id FROM temp.keep_clusters)")
	return err
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
		JOIN cluster_members c ON c.cluster_id = m.target_id WHERE m.target_kind = 'cluster'`)
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
	err := s.EachCluster(ctx, minArticles, func(c Cluster) error {
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, err
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

func listClusters(ctx context.Context, tx *sql.Tx, minArticles int) ([]Cluster, error) {
	var out []Cluster
	err := queryClusters(ctx, tx, clustersSpanning, minArticles, func(c Cluster) error {
		out = append(out, c)
		return nil
	})
	return out, err
}

// The queries of queryClusters: its clusters with their members, in ID
// order and each cluster's members by article and range. A member's text
// is the article's text at its range (substr counts characters, as offsets
// do); a member of several spans reads the article and joins its spans.
const (
	clusterColumns = `SELECT c.id, c.kind, c.status, c.speaker, c.articles,
			m.article_id, a.outlet, m.kind, m.start, m."end", m.spans,
			CASE WHEN m.spans = '' THEN substr(a.text, m.start + 1, m."end" - m.start) ELSE a.text END,
			m.statement, m.speaker, m.reference, m.relations
		FROM clusters c JOIN cluster_members m ON m.cluster_id = c.id JOIN articles a ON a.id = m.article_id`
	membersOrder     = ` ORDER BY c.id, m.article_id, m.start, m."end"`
	clustersSpanning = clusterColumns + " WHERE c.articles >= ?" + membersOrder // arg: fewest articles
	clusterByID      = clusterColumns + " WHERE c.id = ?" + membersOrder        // arg: the cluster's ID
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
		if err := rows.Scan(&c.ID, &c.Kind, &c.Status, &c.Speaker, &c.Articles, &m.ArticleID, &m.Outlet, &m.Kind,
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
		m.Relations = vocab.Split(rels, "+")
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
	rs := []rune(text)
	parts := make([]string, 0, len(spans))
	for _, sp := range spans {
		if sp[0] < 0 || sp[1] > len(rs) || sp[0] > sp[1] {
			continue
		}
		parts = append(parts, string(rs[sp[0]:sp[1]]))
	}
	return strings.Join(parts, " ")
}

// Pins lists the reference pins.
func (s *Store) Pins(ctx context.Context) ([]Pin, error) {
	var out []Pin
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT article_id, start, "end" FROM reference_pins`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p Pin
			if err := rows.Scan(&p.ArticleID, &p.Start, &p.End); err != nil {
				return err
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("load pins: %w", err)
	}
	return out, nil
}

// PinReference makes p the reference of its cluster, dropping the pins of
// the cluster's other members (others) in the same transaction.
func (s *Store) PinReference(ctx context.Context, p Pin, others []Pin) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
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
