package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
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
		st, err := tx.PrepareContext(ctx, `INSERT INTO analysis(article_id, version, hash, quotes, units) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT(article_id) DO UPDATE SET version = excluded.version, hash = excluded.hash,
			quotes = excluded.quotes, units = excluded.units`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, r := range rows {
			if _, err := st.ExecContext(ctx, r.ArticleID, r.Version, r.Hash, string(r.Quotes), string(r.Units)); err != nil {
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
		rows, err := tx.QueryContext(ctx, `SELECT x.article_id, a.outlet, x.version, x.hash, x.quotes, x.units
			FROM analysis x JOIN articles a ON a.id = x.article_id ORDER BY x.article_id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r AnalysisRow
			var q, u string
			if err := rows.Scan(&r.ArticleID, &r.Outlet, &r.Version, &r.Hash, &q, &u); err != nil {
				return err
			}
			r.Quotes, r.Units = []byte(q), []byte(u)
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
// transaction, so readers see either the old set or the new one.
func (s *Store) ReplaceClusters(ctx context.Context, clusters []Cluster) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		memos, err := clusterMemoKeys(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM clusters"); err != nil {
			return err
		}
		ins, err := tx.PrepareContext(ctx, "INSERT INTO clusters(kind, status, speaker, articles) VALUES (?, ?, ?, ?)")
		if err != nil {
			return err
		}
		defer ins.Close()
		mem, err := tx.PrepareContext(ctx, `INSERT INTO cluster_members
			(cluster_id, position, article_id, kind, start, "end", spans, text, speaker, reference, relations, diff)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer mem.Close()
		for _, c := range clusters {
			r, err := ins.ExecContext(ctx, c.Kind, c.Status, c.Speaker, c.Articles)
			if err != nil {
				return err
			}
			id, err := r.LastInsertId()
			if err != nil {
				return err
			}
			for _, m := range c.Members {
				for memo, keys := range memos {
					if keys.old != 0 && keys.members[[3]int64{m.ArticleID, int64(m.Start), int64(m.End)}] {
						keys.new = id
						memos[memo] = keys
					}
				}
			}
			for i, m := range c.Members {
				spans, _ := json.Marshal(m.Spans)
				rels, _ := json.Marshal(nonNil(m.Relations))
				diff, _ := json.Marshal(nonNil(m.Diff))
				if _, err := mem.ExecContext(ctx, id, i, m.ArticleID, m.Kind, m.Start, m.End, string(spans), m.Text,
					m.Speaker, m.Reference, string(rels), string(diff)); err != nil {
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

// memoKeys remembers which passages a cluster memo's cluster held, so the
// memo can follow the cluster through a re-alignment that renumbers it.
type memoKeys struct {
	old, new int64
	members  map[[3]int64]bool
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
		var memo, cluster, art, start, end int64
		if err := rows.Scan(&memo, &cluster, &art, &start, &end); err != nil {
			return nil, err
		}
		k := out[memo]
		if k.members == nil {
			k = memoKeys{old: cluster, members: map[[3]int64]bool{}}
		}
		k.members[[3]int64{art, start, end}] = true
		out[memo] = k
	}
	return out, rows.Err()
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

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Clusters returns the stored clusters with their members. minArticles
// keeps only clusters spanning at least that many distinct articles.
func (s *Store) Clusters(ctx context.Context, minArticles int) ([]Cluster, error) {
	out, err := read(ctx, s, func(tx *sql.Tx) ([]Cluster, error) { return listClusters(ctx, tx, minArticles) })
	if err != nil {
		return nil, fmt.Errorf("load clusters: %w", err)
	}
	return out, nil
}

func listClusters(ctx context.Context, tx *sql.Tx, minArticles int) ([]Cluster, error) {
	rows, err := tx.QueryContext(ctx, `SELECT c.id, c.kind, c.status, c.speaker, c.articles,
			m.article_id, a.outlet, m.kind, m.start, m."end", m.spans, m.text, m.speaker, m.reference, m.relations, m.diff
		FROM clusters c JOIN cluster_members m ON m.cluster_id = c.id JOIN articles a ON a.id = m.article_id
		WHERE c.articles >= ? ORDER BY c.id, m.position`, minArticles)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Cluster
	for rows.Next() {
		var c Cluster
		var m ClusterMember
		var spans, rels, diff string
		if err := rows.Scan(&c.ID, &c.Kind, &c.Status, &c.Speaker, &c.Articles, &m.ArticleID, &m.Outlet, &m.Kind,
			&m.Start, &m.End, &spans, &m.Text, &m.Speaker, &m.Reference, &rels, &diff); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(spans), &m.Spans); err != nil {
			return nil, fmt.Errorf("cluster %d: %w", c.ID, err)
		}
		if err := json.Unmarshal([]byte(rels), &m.Relations); err != nil {
			return nil, fmt.Errorf("cluster %d: %w", c.ID, err)
		}
		if err := json.Unmarshal([]byte(diff), &m.Diff); err != nil {
			return nil, fmt.Errorf("cluster %d: %w", c.ID, err)
		}
		if n := len(out); n == 0 || out[n-1].ID != c.ID {
			out = append(out, c)
		}
		last := &out[len(out)-1]
		last.Members = append(last.Members, m)
	}
	return out, rows.Err()
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
