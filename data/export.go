package data

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"
)

// ExportScope narrows an export; an empty field means everything.
type ExportScope struct {
	Articles []int64
	Codes    []int64 // annotations carrying at least one of these codes (sub-codes not included)
	Clusters []int64
}

// ExportData is everything an exporter writes, read in one go so that each
// format is a pure function of it.
type ExportData struct {
	// Project is the project file's base name, for titles.
	Project  string
	Exported time.Time
	// Articles in the scope, with text and attributes, by ID.
	Articles []Article
	// Codes is the whole codebook (parents before children): exports need
	// ancestors for paths even when the scope names only leaves.
	Codes []Code
	// Annotations in the scope, by article and position.
	Annotations []Annotation
	// Clusters in the scope spanning two or more articles.
	Clusters []Cluster
	// Memos on the project and on in-scope articles, codes and clusters.
	Memos []Memo
}

// LoadExport reads what an export of scope needs, in one read
// transaction, so that the export is a consistent snapshot of the project
// even while a job writes to it.
func (s *Store) LoadExport(ctx context.Context, sc ExportScope, project string) (*ExportData, error) {
	d := &ExportData{Project: project, Exported: s.Now().UTC()}
	err := s.readTx(ctx, func(tx *sql.Tx) error { return loadExport(ctx, tx, sc, d) })
	if err != nil {
		return nil, err
	}
	return d, nil
}

func loadExport(ctx context.Context, tx *sql.Tx, sc ExportScope, d *ExportData) error {
	in := func(list []int64, id int64) bool { return len(list) == 0 || slices.Contains(list, id) }
	var ids []int64 // nil: every article
	if len(sc.Articles) > 0 {
		ids = sc.Articles
	}
	var err error
	if d.Articles, err = articlesByID(ctx, tx, ids); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if len(sc.Articles) > 0 && len(d.Articles) != len(sc.Articles) {
		return Errorf(ENotFound, "export: %d of the %d articles asked for are not in this project", len(sc.Articles)-len(d.Articles), len(sc.Articles))
	}
	if d.Codes, err = listCodes(ctx, tx); err != nil {
		return fmt.Errorf("export: codes: %w", err)
	}
	for _, id := range sc.Codes {
		if !slices.ContainsFunc(d.Codes, func(c Code) bool { return c.ID == id }) {
			return Errorf(ENotFound, "export: no code %d in this project", id)
		}
	}
	anns, err := filterAnnotations(ctx, tx, AnnotationFilter{})
	if err != nil {
		return fmt.Errorf("export: annotations: %w", err)
	}
	for _, a := range anns {
		if !in(sc.Articles, a.ArticleID) {
			continue
		}
		if len(sc.Codes) > 0 && !slices.ContainsFunc(a.CodeIDs, func(c int64) bool { return slices.Contains(sc.Codes, c) }) {
			continue
		}
		d.Annotations = append(d.Annotations, a)
	}
	clusters, err := listClusters(ctx, tx, 2)
	if err != nil {
		return fmt.Errorf("export: clusters: %w", err)
	}
	for _, c := range clusters {
		if !in(sc.Clusters, c.ID) {
			continue
		}
		if len(sc.Articles) > 0 && !slices.ContainsFunc(c.Members, func(m ClusterMember) bool { return slices.Contains(sc.Articles, m.ArticleID) }) {
			continue
		}
		d.Clusters = append(d.Clusters, c)
	}
	memos, err := listMemos(ctx, tx, "", 0)
	if err != nil {
		return fmt.Errorf("export: memos: %w", err)
	}
	for _, m := range memos {
		keep := m.TargetKind == "project" ||
			m.TargetKind == "article" && in(sc.Articles, m.TargetID) ||
			m.TargetKind == "code" && in(sc.Codes, m.TargetID) ||
			m.TargetKind == "cluster" && in(sc.Clusters, m.TargetID)
		if keep {
			d.Memos = append(d.Memos, m)
		}
	}
	return nil
}

// Article returns the exported article with an ID, or false.
func (d *ExportData) Article(id int64) (Article, bool) {
	for _, a := range d.Articles {
		if a.ID == id {
			return a, true
		}
	}
	return Article{}, false
}

// CodePath is a code's full path, "Findings/Severity".
func (d *ExportData) CodePath(id int64) string { return CodePath(d.Codes, id) }
