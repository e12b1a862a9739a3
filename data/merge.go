package data

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Merge adds a colleague's coding to the project in one transaction:
// codes matched by GUID, then by path, and created where neither matches;
// articles matched by their text and then by which article of that text
// they are (sourcematch.go) — a colleague's article this project does not
// have, or has several copies of with nothing to tell which, is reported,
// not added, with its annotations;
// annotations and memos added with their coders, and those already here
// (same GUID) settled as revise.go says: the colleague's newer version
// replaces this project's, other differences are reported. It returns what
// it added and revised, for DeleteCoding to undo the merge and
// RestoreCoding to redo it.
func (s *Store) Merge(ctx context.Context, plan *QDPXPlan) (QDPXReport, Coding, error) {
	rep := QDPXReport{Units: plan.Units, Skipped: plan.Skipped, Warnings: plan.Warnings}
	var added Coding
	now := s.Now().UTC()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := recordCoders(ctx, tx, plan.Coders); err != nil {
			return err
		}
		codeIDs, err := applyQDPXCodes(ctx, tx, plan.Codes, now, &rep, &added.Codes)
		if err != nil {
			return err
		}
		found, err := matchSources(ctx, tx, plan)
		if err != nil {
			return err
		}
		articleIDs := make([]int64, len(plan.Sources))
		for i, src := range plan.Sources {
			switch {
			case len(found[i].Tied) > 0:
				tiedSource(plan, i, found[i].Tied, &rep)
				continue
			case found[i].ID == 0:
				if n := len(src.Selections) + memosOn(plan, i); n > 0 {
					rep.AnnotationsSkipped += len(src.Selections)
					rep.Conflicts = append(rep.Conflicts, unmatchedSource(src, found[i], len(src.Selections), memosOn(plan, i)))
				}
				continue
			}
			id := found[i].ID
			articleIDs[i] = id
			rep.ArticlesReused++
			if err := articleMetaConflict(ctx, tx, id, src.Article.Meta, &rep); err != nil {
				return err
			}
			for _, sel := range src.Selections {
				a, err := applySelection(ctx, tx, sel, src.Article.Title, id, codeIDs, plan.Codes, now, &rep)
				if err != nil {
					return fmt.Errorf("selection %s: %w", sel.GUID, err)
				}
				if a.ID != 0 {
					added.Annotations = append(added.Annotations, a)
				}
			}
		}
		if err := applyQDPXSets(ctx, tx, plan, articleIDs, codeIDs, &added.Sets); err != nil {
			return err
		}
		for _, m := range plan.Memos {
			memo, err := applyMemo(ctx, tx, m, articleIDs, codeIDs, now, &rep)
			if err != nil {
				return err
			}
			if memo.ID != 0 {
				added.Memos = append(added.Memos, memo)
			}
		}
		return nil
	})
	if err != nil {
		return QDPXReport{}, Coding{}, fmt.Errorf("merge: %w", err)
	}
	added.Revised, added.RevisedMemos = rep.Revised, rep.RevisedMemos
	return rep, added, nil
}

func findAnnotationByGUID(ctx context.Context, tx *sql.Tx, guid string) (*Annotation, error) {
	list, err := findAnnotations(ctx, tx, "WHERE a.guid = ?", guid)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return &list[0], nil
}

func who(coder string) string {
	if coder == "" {
		return "an unnamed coder"
	}
	return coder
}

func excerpt(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// PlanFromExport turns another Parallax project, read with LoadExport,
// into a plan for Merge: its codebook, its articles with their
// annotations, and its memos on the project, articles and codes (cluster
// memos stay behind: clusters are rebuilt by each project's analysis).
func PlanFromExport(d *ExportData) *QDPXPlan {
	plan := &QDPXPlan{Coders: d.Coders, VariableTypes: d.VariableTypes}
	codeIdx := map[int64]int{}
	for _, c := range d.Codes { // parents before children
		parent := -1
		if i, ok := codeIdx[c.ParentID]; ok {
			parent = i
		}
		codeIdx[c.ID] = len(plan.Codes)
		plan.Codes = append(plan.Codes, QDPXCode{GUID: c.GUID, Name: c.Name, Color: c.Color, Description: c.Description, Parent: parent, Category: c.Category})
	}
	srcIdx := map[int64]int{}
	for _, a := range d.Articles {
		srcIdx[a.ID] = len(plan.Sources)
		plan.Sources = append(plan.Sources, QDPXSource{Article: a})
	}
	for _, an := range d.Annotations {
		i, ok := srcIdx[an.ArticleID]
		if !ok {
			continue
		}
		sel := QDPXSelection{GUID: an.GUID, Start: an.Start, End: an.End, Note: an.Note, Created: an.Created, Modified: an.Modified,
			Creator: an.Creator, Modifier: an.Modifier, Orphaned: an.Orphaned, Exact: an.Exact}
		for _, c := range an.CodeIDs {
			sel.Codes = append(sel.Codes, codeIdx[c])
		}
		plan.Sources[i].Selections = append(plan.Sources[i].Selections, sel)
	}
	for _, st := range d.Sets {
		ps := QDPXSet{GUID: st.GUID, Name: st.Name, Description: st.Description}
		for _, a := range st.Articles {
			if i, ok := srcIdx[a]; ok {
				ps.Sources = append(ps.Sources, i)
			}
		}
		for _, c := range st.Codes {
			if i, ok := codeIdx[c]; ok {
				ps.Codes = append(ps.Codes, i)
			}
		}
		plan.Sets = append(plan.Sets, ps)
	}
	clusterMemos := 0
	for _, m := range d.Memos {
		qm := QDPXMemo{GUID: m.GUID, Kind: m.TargetKind, Title: m.Title, Text: m.Text, Created: m.Created, Modified: m.Modified,
			Creator: m.Creator, Modifier: m.Modifier}
		switch m.TargetKind {
		case "article":
			i, ok := srcIdx[m.TargetID]
			if !ok {
				continue
			}
			qm.Target = i
		case "code":
			i, ok := codeIdx[m.TargetID]
			if !ok {
				continue
			}
			qm.Target = i
		case "cluster":
			clusterMemos++
			continue
		}
		plan.Memos = append(plan.Memos, qm)
	}
	if clusterMemos > 0 {
		plan.Skipped = append(plan.Skipped, fmt.Sprintf("%d cluster memo(s): clusters are rebuilt by each project's analysis", clusterMemos))
	}
	return plan
}
