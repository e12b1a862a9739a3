package data

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
)

// LoadExport reads what an export of scope needs, in one read
// transaction, so that the export is a consistent snapshot of the project
// even while a job writes to it.
func (s *Store) LoadExport(ctx context.Context, sc ExportScope, project string) (*ExportData, error) {
	d := &ExportData{Project: project, Exported: s.Now().UTC(), Coder: s.Coder()}
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
	// A code scope is the code and everything under it.
	sc.Codes = Subtree(d.Codes, sc.Codes)
	if d.Coders, err = listCoders(ctx, tx); err != nil {
		return fmt.Errorf("export: coders: %w", err)
	}
	sets, types, err := listSets(ctx, tx)
	if err != nil {
		return fmt.Errorf("export: sets: %w", err)
	}
	d.VariableTypes = types
	for _, st := range sets {
		// A set keeps the members in scope; one left with none is not
		// exported (the schema wants members, and it would say nothing).
		st.Articles = slices.DeleteFunc(st.Articles, func(id int64) bool { return !in(sc.Articles, id) })
		if len(st.Articles)+len(st.Codes) > 0 {
			d.Sets = append(d.Sets, st)
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
