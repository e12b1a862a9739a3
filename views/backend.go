// Package views holds Parallax's Fyne widgets and screens. It talks to the
// project only through the Backend interface (no SQL here), and leaves
// lifecycle, background jobs and file dialogs' consequences to package app.
package views

import (
	"context"

	"github.com/parallax-research/parallax/data"
)

// Backend is what the screens need from a project. *data.Store implements
// it; tests may pass a store on a temporary file.
type Backend interface {
	ListArticles(ctx context.Context, q data.ListQuery) ([]data.Summary, error)
	Article(ctx context.Context, id int64) (data.Article, error)
	Search(ctx context.Context, query string, limit int) ([]data.SearchHit, error)
	Outlets(ctx context.Context) ([]string, error)
	Stats(ctx context.Context) (data.Stats, error)
	UpdateMeta(ctx context.Context, id int64, m data.Meta, confirmed ...string) error
	EditArticles(ctx context.Context, ids []int64, e data.MetaEdit) ([]data.MetaState, error)
	RestoreMeta(ctx context.Context, states []data.MetaState) error
	SetPrimarySource(ctx context.Context, ids []int64, primary bool) error
	DeleteArticles(ctx context.Context, ids []int64) error

	Annotations(ctx context.Context, f data.AnnotationFilter) ([]data.Annotation, error)
	CreateAnnotation(ctx context.Context, a data.Annotation) (data.Annotation, error)
	CreateAnnotationWithCodes(ctx context.Context, a data.Annotation, paths []string) (data.Annotation, []data.Code, error)
	CreateAnnotationsWithCodes(ctx context.Context, as []data.Annotation, paths []string) (data.Coding, error)
	RestoreAnnotations(ctx context.Context, as []data.Annotation) error
	UpdateAnnotation(ctx context.Context, a data.Annotation) (data.Annotation, error)
	DeleteAnnotation(ctx context.Context, id int64) (data.Annotation, error)
	CodebookBackend
	MemoBackend
	ClusterSource
	Clusters(ctx context.Context, minArticles int) ([]data.Cluster, error)
	Coders(ctx context.Context) ([]data.Coder, error)
}
