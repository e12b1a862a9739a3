package agreement

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/data/export"
)

// Source is what Load reads from a project; *data.Store implements it.
type Source interface {
	Codes(ctx context.Context) ([]data.Code, error)
	Annotations(ctx context.Context, f data.AnnotationFilter) ([]data.Annotation, error)
	Article(ctx context.Context, id int64) (data.Article, error)
}

// Load gathers the codings of coders from a project. The articles compared
// are those every one of them coded (an article only some coded would
// count as disagreement everywhere); orphaned annotations, whose passage is
// no longer in the text, take no part.
func Load(ctx context.Context, s Source, coders []string) (Input, error) {
	in := Input{Coders: coders}
	var err error
	if in.Codes, err = s.Codes(ctx); err != nil {
		return in, err
	}
	byCoder := map[string]map[int64]bool{}
	var anns []data.Annotation
	for _, c := range coders {
		list, err := s.Annotations(ctx, data.AnnotationFilter{Coder: c})
		if err != nil {
			return in, err
		}
		byCoder[c] = map[int64]bool{}
		for _, a := range list {
			if !a.Orphaned && len(a.CodeIDs) > 0 {
				byCoder[c][a.ArticleID] = true
				anns = append(anns, a)
			}
		}
	}
	var ids []int64
	for id := range byCoder[coders[0]] {
		all := true
		for _, c := range coders[1:] {
			all = all && byCoder[c][id]
		}
		if all {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		a, err := s.Article(ctx, id)
		if err != nil {
			return in, err
		}
		in.Articles = append(in.Articles, Article{ID: id, Title: a.Title, Length: utf8.RuneCountInString(a.Text)})
	}
	for _, a := range anns {
		for _, c := range a.CodeIDs {
			in.Segments = append(in.Segments, Segment{Article: a.ArticleID, Start: a.Start, End: a.End, Code: c, Coder: a.Creator})
		}
	}
	return in, nil
}

// CSVHeader is the header row WriteCSV writes.
var CSVHeader = []string{"code", "article", "articles", "characters", "both", "only_a", "only_b", "neither",
	"agreement_percent", "kappa", "alpha_binary", "cu_alpha", "domain_codes", "notes"}

// WriteCSV writes rows as CSV (RFC 4180, header row): one row per code
// (and per article when computed so), figures to six decimals, an empty
// cell where a figure is not computed and the reason in notes.
func WriteCSV(w io.Writer, rows []Row) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // RFC 4180, and what spreadsheets on Windows expect
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	fig := func(f Figure) string {
		if !f.OK {
			return ""
		}
		return strconv.FormatFloat(f.Value, 'f', 6, 64)
	}
	for _, r := range rows {
		var notes []string
		for _, f := range []struct {
			name string
			f    Figure
		}{{"kappa", r.Kappa}, {"alpha_binary", r.AlphaBinary}, {"cu_alpha", r.CuAlpha}} {
			if !f.f.OK && f.f.Why != "" {
				notes = append(notes, f.name+": "+f.f.Why)
			}
		}
		article := ""
		if r.Article != 0 {
			article = fmt.Sprintf("%d %s", r.Article, r.ArticleTitle)
		}
		rec := []string{export.FormulaSafe(r.Code), export.FormulaSafe(article), strconv.Itoa(r.Articles), strconv.Itoa(r.Characters),
			strconv.Itoa(r.Both), strconv.Itoa(r.OnlyA), strconv.Itoa(r.OnlyB), strconv.Itoa(r.Neither),
			fig(r.Agreement), fig(r.Kappa), fig(r.AlphaBinary), fig(r.CuAlpha), strconv.Itoa(r.DomainCodes), joinNotes(notes)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func joinNotes(ns []string) string {
	out := ""
	for i, n := range ns {
		if i > 0 {
			out += "; "
		}
		out += n
	}
	return out
}
