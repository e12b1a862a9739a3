package views

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// bigProject writes a project with 10,000 articles and 50,000 clusters of
// three members each, the scale the window must stay responsive at.
func bigProject(b *testing.B) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "big.parallax")
	s, err := data.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	arts := make([]data.Article, 10_000)
	for i := range arts {
		arts[i] = data.Article{Meta: data.Meta{Outlet: fmt.Sprintf("Outlet %d", i%12), Date: data.Date{Year: 2015 + i%9, Precision: data.PrecisionYear},
			Title: fmt.Sprintf("Article %d about the inspection", i)}, Text: fmt.Sprintf("Body of article %d. Inspectors said the service was inadequate.", i)}
	}
	if _, err := s.AddArticles(ctx, arts, nil); err != nil {
		b.Fatal(err)
	}
	clusters := make([]data.Cluster, 50_000)
	for i := range clusters {
		c := data.Cluster{Kind: "quote", Status: "agree", Speaker: fmt.Sprintf("Speaker %d", i%300), Articles: 3}
		if i%3 == 0 {
			c.Status = "diverge"
		}
		for j := range 3 {
			m := data.ClusterMember{ArticleID: int64(1 + (i*3+j)%10_000), Kind: "quote", Start: 0, End: 10, Spans: [][2]int{{0, 10}},
				Text: fmt.Sprintf("Quoted words number %d", i), Reference: j == 0}
			if j > 0 {
				m.Relations = []vocab.Relation{"verbatim"}
				m.Diff = []data.DiffOp{{Op: "equal", Text: m.Text}}
			}
			c.Members = append(c.Members, m)
		}
		clusters[i] = c
	}
	if err := s.ReplaceClusters(ctx, clusters); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkOpenFirstFrame opens a 10,000-article, 50,000-cluster project
// and renders the window's first frame, as starting the app does.
func BenchmarkOpenFirstFrame(b *testing.B) {
	path := bigProject(b)
	test.NewTempApp(b)
	for b.Loop() {
		s, err := data.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		w := test.NewTempWindow(b, nil)
		wb := NewWorkbench(s, w, path)
		w.SetContent(wb.Content())
		w.Resize(fyne.NewSize(1280, 800))
		wb.Reload()
		w.Canvas().Capture()
		s.Close()
	}
}

// BenchmarkLoadClusters50k reads the 50,000 stored clusters, what the
// compare view does when it opens.
func BenchmarkLoadClusters50k(b *testing.B) {
	path := bigProject(b)
	s, err := data.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for b.Loop() {
		cs, err := s.Clusters(context.Background(), 2)
		if err != nil || len(cs) != 50_000 {
			b.Fatal(len(cs), err)
		}
	}
}
