package ingest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestSourceIsCanonical: the same file read through a relative and an
// absolute path gets one source, so a re-import is recognised.
func TestSourceIsCanonical(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "story.txt")
	os.WriteFile(file, []byte("A story."), 0o644)
	t.Chdir(dir)
	var sources []string
	for _, p := range []string{"story.txt", file, "." + string(filepath.Separator) + "story.txt"} {
		items, err := (&Importer{}).Read(context.Background(), []string{p}, nil)
		if err != nil || len(items) != 1 || items[0].Err != nil {
			t.Fatalf("%s: %v %+v", p, err, items)
		}
		sources = append(sources, items[0].Article.Source)
	}
	if sources[0] != sources[1] || sources[1] != sources[2] {
		t.Fatalf("sources differ: %q", sources)
	}
}
