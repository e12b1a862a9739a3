package data

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
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
		ins, err := tx.PrepareContext(ctx, `INSERT INTO clusters(id, kind, status, speaker, articles, reference, members, versions, search)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, status = excluded.status,
			speaker = excluded.speaker, articles = excluded.articles, reference = excluded.reference, members = excluded.members,
			versions = excluded.versions, search = excluded.search`)
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
			var id any
			if ids[i] != 0 {
				id = ids[i]
			}
			r, err := ins.ExecContext(ctx, id, c.Kind, c.Status, c.Speaker, c.Articles, ref.Text, len(c.Members),
				encodeVersions(c.Members), c.SearchText())
			if err != nil {
				return err
			}
			newID := ids[i]
			if newID == 0 {
				if newID, err = r.LastInsertId(); err != nil {
					return err
				}
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

// encodeVersions writes a cluster row's versions column: each member's
// article and relations in the order the store lists members (article,
// then range), "article:relation+relation" separated by spaces, the
// reference's article marked with '*'. A member repeated is written once,
// as it is stored once.
func encodeVersions(members []ClusterMember) string {
	order := make([]int, len(members))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return comparePassages(memberKey(members[a]), memberKey(members[b])) })
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

func comparePassages(a, b passageKey) int {
	for i := range a {
		if c := cmp.Compare(a[i], b[i]); c != 0 {
			return c
		}
	}
	return 0
}

// versionsReader decodes versions columns, sharing what repeats: the
// outlet strings, and one relation slice per combination of relations.
type versionsReader struct {
	outlets   map[int64]string
	relations map[string][]vocab.Relation
}

// read appends the versions in col to vs.
func (r *versionsReader) read(vs []ClusterVersion, col string) ([]ClusterVersion, error) {
	for col != "" {
		var tok string
		tok, col, _ = strings.Cut(col, " ")
		article, rels, ok := strings.Cut(tok, ":")
		if !ok {
			return vs, fmt.Errorf("versions: bad member %q", tok)
		}
		v := ClusterVersion{Reference: strings.HasSuffix(article, "*")}
		id, err := strconv.ParseInt(strings.TrimSuffix(article, "*"), 10, 64)
		if err != nil {
			return vs, fmt.Errorf("versions: bad member %q", tok)
		}
		v.ArticleID, v.Outlet = id, r.outlets[id]
		if rels != "" {
			shared, ok := r.relations[rels]
			if !ok {
				rels = strings.Clone(rels) // not a slice of col, which it would keep alive
				shared = vocab.Split(rels, "+")
				r.relations[rels] = shared
			}
			v.Relations = shared
		}
		vs = append(vs, v)
	}
	return vs, nil
}

// articleOutlets maps every article to its outlet.
func articleOutlets(ctx context.Context, tx *sql.Tx) (map[int64]string, error) {
	rows, err := tx.QueryContext(ctx, "SELECT id, outlet FROM articles")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	names := map[string]string{}
	for rows.Next() {
		var id int64
		var o string
		if err := rows.Scan(&id, &o); err != nil {
			return nil, err
		}
		if n, ok := names[o]; ok {
			o = n // one string per outlet rather than one per article
		} else {
			names[o] = o
		}
		out[id] = o
	}
	return out, rows.Err()
}

// ClusterRows returns the row of each stored cluster spanning at least
// minArticles articles, in ID order: what the compare and matrix screens
// list, filter and sort by, read from the clusters table alone (and the
// articles' outlets), never from the members or their text.
func (s *Store) ClusterRows(ctx context.Context, minArticles int) ([]ClusterRow, error) {
	var out []ClusterRow
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		outlets, err := articleOutlets(ctx, tx)
		if err != nil {
			return err
		}
		// +articles: walking the table in ID order beats the articles
		// index, which would leave every row to sort.
		rows, err := tx.QueryContext(ctx, `SELECT id, kind, status, speaker, articles, members, versions
			FROM clusters WHERE +articles >= ? ORDER BY id`, minArticles)
		if err != nil {
			return err
		}
		defer rows.Close()
		vr := versionsReader{outlets: outlets, relations: map[string][]vocab.Relation{}}
		names := map[string]string{}
		intern := func(s string) string {
			if n, ok := names[s]; ok {
				return n
			}
			names[s] = s
			return s
		}
		// Versions are cut from large shared arrays: one allocation per
		// thousands of clusters rather than one per cluster.
		var vs []ClusterVersion
		for rows.Next() {
			var r ClusterRow
			var kind, status, versions string
			var members int
			if err := rows.Scan(&r.ID, &kind, &status, &r.Speaker, &r.Articles, &members, &versions); err != nil {
				return err
			}
			r.Kind, r.Status, r.Speaker = vocab.UnitKind(intern(kind)), vocab.Status(intern(status)), intern(r.Speaker)
			if cap(vs)-len(vs) < members {
				vs = make([]ClusterVersion, 0, max(members, 1<<14))
			}
			start := len(vs)
			if vs, err = vr.read(vs, versions); err != nil {
				return fmt.Errorf("cluster %d: %w", r.ID, err)
			}
			r.Versions = vs[start:len(vs):len(vs)]
			out = append(out, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("load cluster rows: %w", err)
	}
	return out, nil
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
		rows, err := tx.QueryContext(ctx, "SELECT id, search FROM clusters WHERE +articles >= ? ORDER BY id", minArticles)
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
			if err := fn(id, text); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	if err != nil {
		return fmt.Errorf("load cluster search text: %w", err)
	}
	return nil
}

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
