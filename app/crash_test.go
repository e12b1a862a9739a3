package app

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/parallax-research/parallax/data"
)

// TestMain lets a test run this binary as a child process: the soak's
// commands (see soakChild), or one that behaves like the window: with PARALLAX_HOLD=PROJECT it opens the project, saves
// an annotation the way the annotate action does, reports it, and keeps the
// project open (no Close, no WAL checkpoint) until it is killed.
func TestMain(m *testing.M) {
	// Kept propagation traces go to a folder of the test's, never to the
	// user's cache; the child processes keep none.
	traceCacheDir = func() string { return "" }
	if op := os.Getenv("PARALLAX_SOAK_CHILD"); op != "" {
		os.Exit(soakChild(op))
	}
	if project := os.Getenv("PARALLAX_HOLD"); project != "" {
		s, err := data.Open(project)
		if err != nil {
			os.Stdout.WriteString("ERROR " + err.Error() + "\n")
			os.Exit(1)
		}
		ctx := context.Background()
		code, err := s.EnsureCodePath(ctx, "Evidence/Strong")
		if err == nil {
			_, err = s.CreateAnnotation(ctx, data.Annotation{ArticleID: 1, Start: 2, End: 9, Note: "saved before the crash", CodeIDs: []int64{code.ID}})
		}
		if err != nil {
			os.Stdout.WriteString("ERROR " + err.Error() + "\n")
			os.Exit(1)
		}
		os.Stdout.WriteString("Annotation 1\nDONE\n")
		select {} // keep the project open until killed
	}
	traces, err := os.MkdirTemp("", "parallax-traces")
	if err != nil {
		panic(err)
	}
	traceCacheDir = func() string { return traces }
	code := m.Run()
	os.RemoveAll(traces)
	os.Exit(code)
}

// TestAnnotationSurvivesKill: an annotation reported as saved is in the
// project after the process is killed with SIGKILL, before any clean
// shutdown (no Close, no WAL checkpoint).
func TestAnnotationSurvivesKill(t *testing.T) {
	if _, err := os.Stat("/proc/self"); err != nil {
		t.Skip("needs a Unix process model for SIGKILL")
	}
	project := filepath.Join(t.TempDir(), "p.db")
	s, err := data.Open(project)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddArticles(context.Background(), []data.Article{{Meta: data.Meta{Title: "T"}, Text: "A passage worth coding here."}}, nil); err != nil {
		t.Fatal(err)
	}
	s.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "PARALLAX_HOLD="+project)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan string, 1)
	go func() {
		var seen strings.Builder
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			seen.WriteString(sc.Text() + "\n")
			if sc.Text() == "DONE" {
				done <- seen.String()
				return
			}
		}
		done <- seen.String()
	}()
	select {
	case got := <-done:
		if !strings.Contains(got, "Annotation 1") {
			cmd.Process.Kill()
			t.Fatalf("child said %q", got)
		}
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("child did not report the annotation")
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	s, err = data.Open(project)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	list, err := s.Annotations(context.Background(), data.AnnotationFilter{})
	if err != nil || len(list) != 1 || list[0].Note != "saved before the crash" || list[0].Exact != "passage" || len(list[0].CodeIDs) != 1 {
		t.Fatalf("after kill: %+v, %v", list, err)
	}
}
