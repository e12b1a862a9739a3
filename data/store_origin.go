package data

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// ClusterOrigin says where a project's clusters came from. Parallax's own
// analysis can be re-run at any time; an alignment imported from another
// tool (passim, run on a cluster of machines over the whole corpus) may
// have taken hours and cannot, so whoever would replace imported clusters
// asks first.
type ClusterOrigin struct {
	// Tool is "" for Parallax's own analysis, or the tool whose alignment
	// was imported ("passim").
	Tool string
	// Source is what was imported, such as passim's output folder.
	Source string
	// Imported is when the clusters were imported.
	Imported time.Time
}

// IsImported reports whether the clusters came from another tool.
func (o ClusterOrigin) IsImported() bool { return o.Tool != "" }

// The origin lives in the project's key-value settings table.
const (
	keyOriginTool     = "clusters.origin"
	keyOriginSource   = "clusters.source"
	keyOriginImported = "clusters.imported"
)

// ClusterOrigin returns where the project's clusters came from; the zero
// ClusterOrigin means Parallax's own analysis (or no clusters yet).
func (s *Store) ClusterOrigin(ctx context.Context) (ClusterOrigin, error) {
	var o ClusterOrigin
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT key, value FROM project WHERE key IN (?, ?, ?)`,
			keyOriginTool, keyOriginSource, keyOriginImported)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k, v string
			if err := rows.Scan(&k, &v); err != nil {
				return err
			}
			switch k {
			case keyOriginTool:
				o.Tool = v
			case keyOriginSource:
				o.Source = v
			case keyOriginImported:
				// A damaged time leaves the zero time: the origin itself
				// is what protects the clusters.
				o.Imported, _ = time.Parse(time.RFC3339, v)
			}
		}
		return rows.Err()
	})
	if err != nil {
		return ClusterOrigin{}, fmt.Errorf("cluster origin: %w", err)
	}
	return o, nil
}

// ImportClusters replaces the project's clusters with an alignment made
// by another tool, as ReplaceClusters does (cluster IDs kept where the
// members match, memos following their passages), and records origin, in
// one transaction: the project never holds imported clusters marked as
// its own analysis, which analyze would replace unasked.
func (s *Store) ImportClusters(ctx context.Context, clusters []Cluster, origin ClusterOrigin) error {
	if !origin.IsImported() {
		return Errorf(EInvalid, "import clusters: name the tool they come from")
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := replaceClusters(ctx, tx, clusters); err != nil {
			return err
		}
		return setClusterOrigin(ctx, tx, origin)
	})
	if err != nil {
		return fmt.Errorf("import clusters: %w", err)
	}
	return nil
}

// setClusterOrigin records o; the zero origin (Parallax's own analysis)
// is recorded as no origin at all.
func setClusterOrigin(ctx context.Context, tx *sql.Tx, o ClusterOrigin) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM project WHERE key IN (?, ?, ?)`,
		keyOriginTool, keyOriginSource, keyOriginImported); err != nil {
		return err
	}
	if !o.IsImported() {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO project(key, value) VALUES (?, ?), (?, ?), (?, ?)`,
		keyOriginTool, o.Tool, keyOriginSource, o.Source, keyOriginImported, o.Imported.UTC().Format(time.RFC3339))
	return err
}
