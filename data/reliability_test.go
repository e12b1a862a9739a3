package data

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// smallArticles makes n distinct short articles.
func smallArticles(n int) []Article {
	arts := make([]Article, n)
	for i := range arts {
		arts[i] = Article{Meta: Meta{Outlet: "Outlet", Title: fmt.Sprintf("Title %d", i)},
			Text: fmt.Sprintf("Council article number %d about Bradford children's services and the inspection.", i), Source: fmt.Sprintf("a%d.txt", i)}
	}
	return arts
}

// projectOf opens a new project holding n of smallArticles.
func projectOf(t *testing.T, n int) (string, *Store) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "p.parallax")
	s := mustOpen(t, path)
	if _, err := s.AddArticles(context.Background(), smallArticles(n), nil); err != nil {
		t.Fatal(err)
	}
	return path, s
}

// TestOpenWithoutCreateLeavesEmptyFilesAlone: a command that does not
// create projects refuses an empty file and another program's database
// without tables, and leaves them byte for byte (no migrations, no
// application_id).
func TestOpenWithoutCreateLeavesEmptyFilesAlone(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o644)
	foreign := filepath.Join(dir, "foreign.db")
	db, err := sql.Open("sqlite3", foreign)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA user_version = 7"); err != nil { // a header, no tables
		t.Fatal(err)
	}
	db.Close()
	for _, p := range []string{empty, foreign} {
		before, _ := os.ReadFile(p)
		s, err := OpenWith(p, Options{})
		if err == nil {
			s.Close()
			t.Fatalf("%s opened without Create", p)
		}
		if ErrorCode(err) != ENotProj || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: err = %v", p, err)
		}
		if after, _ := os.ReadFile(p); !bytes.Equal(before, after) {
			t.Errorf("%s was changed", p)
		}
	}
	// Creating is still allowed where asked for.
	s, err := OpenWith(foreign, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

// damage overwrites 4 KB at the start of the project's page n, where the
// page's header and cell pointers are.
func damage(t *testing.T, path string, page int64) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	junk := bytes.Repeat([]byte{0x5a, 0xa5, 0x00, 0xff}, 1024)
	if _, err := f.WriteAt(junk, (page-1)*16384); err != nil {
		t.Fatal(err)
	}
}

// damagedProject makes a closed project of 400 articles with a few
// annotations, and damages one of its pages.
func damagedProject(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "p.parallax")
	s := mustOpen(t, path)
	ctx := context.Background()
	res, err := s.AddArticles(ctx, smallArticles(400), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res[:5] {
		if _, _, err := s.CreateAnnotationWithCodes(ctx, Annotation{ArticleID: r.ID, Start: 0, End: 7, Note: "n"}, []string{"Topic"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(path)
	damage(t, path, st.Size()/16384/2)
	return path
}

// TestOpenRefusesDamagedProject: a damaged project is refused when it is
// opened, with the file's name, and left unchanged; Check lists the
// damage, and Recover copies what can be read into a sound new project.
func TestOpenRefusesDamagedProject(t *testing.T) {
	path := damagedProject(t)
	before, _ := os.ReadFile(path)
	s, err := Open(path)
	if err == nil {
		s.Close()
		t.Fatal("a damaged project opened")
	}
	if ErrorCode(err) != EDamaged || !strings.Contains(err.Error(), path) {
		t.Fatalf("err = %v (code %q)", err, ErrorCode(err))
	}
	ctx := context.Background()
	rep, err := Check(ctx, path)
	if err != nil || rep.OK() {
		t.Fatalf("Check = %+v, %v; want problems", rep, err)
	}
	out := filepath.Join(t.TempDir(), "recovered.parallax")
	rrep, err := Recover(ctx, path, out)
	if err != nil {
		t.Fatal(err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Fatal("check or recover changed the damaged file")
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(path + suffix); err == nil {
			t.Errorf("left %s beside the damaged file", suffix)
		}
	}
	if rep, err := Check(ctx, out); err != nil || !rep.OK() {
		t.Fatalf("recovered project: %+v, %v", rep, err)
	}
	r := mustOpen(t, out)
	st, err := r.Stats(ctx)
	if err != nil || st.Articles < 200 {
		t.Fatalf("recovered %d of 400 articles (%v); report %+v", st.Articles, err, rrep)
	}
	if hits, err := r.Search(ctx, "Bradford", 500); err != nil || len(hits) != st.Articles {
		t.Fatalf("search in the recovered project: %d hits of %d articles, %v", len(hits), st.Articles, err)
	}
	if _, err := Recover(ctx, path, out); ErrorCode(err) != EConflict {
		t.Fatalf("recover over an existing file: %v", err)
	}
}

// TestReadOnlyProject: a project opened read-only reads, searches and
// exports; every change fails with EReadOnly naming the file; nothing is
// written and no -wal or -shm file is left.
func TestReadOnlyProject(t *testing.T) {
	path, s := projectOf(t, 3)
	ctx := context.Background()
	s.Close()
	before, _ := os.ReadFile(path)
	ro, err := OpenWith(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if ro.ReadOnly() == "" {
		t.Fatal("ReadOnly() is empty")
	}
	if list, err := ro.ListArticles(ctx, ListQuery{}); err != nil || len(list) != 3 {
		t.Fatalf("list: %d, %v", len(list), err)
	}
	if hits, err := ro.Search(ctx, "Bradford", 10); err != nil || len(hits) != 3 {
		t.Fatalf("search: %d, %v", len(hits), err)
	}
	if _, err := ro.LoadExport(ctx, ExportScope{}, "t"); err != nil {
		t.Fatalf("export: %v", err)
	}
	_, err = ro.CreateAnnotation(ctx, Annotation{ArticleID: 1, Start: 0, End: 7})
	if ErrorCode(err) != EReadOnly || !strings.Contains(err.Error(), path) {
		t.Fatalf("annotate: %v", err)
	}
	if _, err := ro.AddArticles(ctx, smallArticles(1), nil); ErrorCode(err) != EReadOnly {
		t.Fatalf("import: %v", err)
	}
	if err := ro.Close(); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Fatal("a read-only project was changed")
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(path + suffix); err == nil {
			t.Errorf("left %s behind", suffix)
		}
	}
}

// TestReadOnlyFileDetected: a project file without write permission opens
// read-only by itself.
func TestReadOnlyFileDetected(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes to read-only files; TestReadOnlyProject covers the read-only store itself")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "p.parallax")
	mustOpen(t, path).Close()
	os.Chmod(path, 0o444)
	s, err := OpenWith(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.ReadOnly() != "the file is read-only" {
		t.Fatalf("ReadOnly() = %q", s.ReadOnly())
	}
}

// TestWaitingWriterNamesTheOther: a change that finds the project locked
// by another writer says whom it waits for, gets in when the other is
// done, and, when it may not wait that long, fails naming the file and
// the other writer.
func TestWaitingWriterNamesTheOther(t *testing.T) {
	path, a := projectOf(t, 1)
	ctx := context.Background()
	b := mustOpen(t, path)
	// a plays another process: b's records of its own announcements would
	// be skipped, so a's record is written under another process's name.
	if _, err := a.w.Exec("INSERT INTO project(key, value) VALUES (?, ?)", "writer elsewhere 4242", "import of 30000 articles\t2026-01-01T00:00:00Z"); err != nil {
		t.Fatal(err)
	}
	hold, release := make(chan struct{}), make(chan struct{})
	done := make(chan error)
	go func() {
		done <- a.inTx(ctx, func(tx *sql.Tx) error {
			close(hold)
			<-release
			return nil
		})
	}()
	<-hold

	b.Wait = 50 * time.Millisecond
	_, err := b.CreateAnnotation(ctx, Annotation{ArticleID: 1, Start: 0, End: 7})
	if ErrorCode(err) != EBusy || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "import of 30000 articles, process 4242 on elsewhere") {
		t.Fatalf("short wait: %v", err)
	}
	var notes []string
	wctx := WithWait(ctx, time.Minute, func(n string) { notes = append(notes, n) })
	go func() { time.Sleep(200 * time.Millisecond); close(release) }()
	if _, err := b.CreateAnnotation(wctx, Annotation{ArticleID: 1, Start: 0, End: 7}); err != nil {
		t.Fatalf("after waiting: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "waiting for another Parallax (import of 30000 articles") || !strings.Contains(notes[0], path) {
		t.Fatalf("notes = %q", notes)
	}
}

// TestLargeImportLetsOthersWrite: while a large import indexes its
// articles, another writer gets in between its steps, and the import's
// articles all appear at once (none while it stores them).
func TestLargeImportLetsOthersWrite(t *testing.T) {
	path, a := projectOf(t, 1)
	ctx := context.Background()
	b := mustOpen(t, path)
	arts := smallArticles(8 * ftsStep)[1:]
	importDone := make(chan error)
	go func() {
		_, err := a.AddArticles(ctx, arts, nil)
		importDone <- err
	}()
	var pending int
	seen := map[int]bool{}
	for {
		var n int
		if err := b.r.QueryRow("SELECT count(*) FROM articles").Scan(&n); err != nil {
			t.Fatal(err)
		}
		seen[n] = true
		if err := b.r.QueryRow("SELECT count(*) FROM fts_pending").Scan(&pending); err != nil {
			t.Fatal(err)
		}
		if pending > 2*ftsStep {
			break
		}
		select {
		case err := <-importDone:
			t.Fatalf("the import finished (%v) before another writer was tried", err)
		case <-time.After(time.Millisecond):
		}
	}
	if _, err := b.CreateAnnotation(WithWait(ctx, time.Minute, nil), Annotation{ArticleID: 1, Start: 0, End: 7}); err != nil {
		t.Fatal(err)
	}
	if err := b.r.QueryRow("SELECT count(*) FROM fts_pending").Scan(&pending); err != nil {
		t.Fatal(err)
	}
	if pending == 0 {
		t.Fatal("the other writer got in only after the import had finished indexing")
	}
	if err := <-importDone; err != nil {
		t.Fatal(err)
	}
	for n := range seen {
		if n != 1 && n != len(arts)+1 {
			t.Fatalf("a reader saw %d articles: part of the batch", n)
		}
	}
	hits, err := b.Search(ctx, `"number 4000"`, 5)
	if err != nil || len(hits) != 1 {
		t.Fatalf("search after the import: %v, %v", hits, err)
	}
	if _, err := b.w.Exec("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)"); err != nil {
		t.Fatalf("search index does not match the articles: %v", err)
	}
}

// TestIndexingResumesAfterInterruption: articles left unindexed (the
// import was cancelled while indexing, or killed) can be deleted without
// harming the search index, and the next open indexes the rest.
func TestIndexingResumesAfterInterruption(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.parallax")
	s := mustOpen(t, path)
	ctx, cancel := context.WithCancel(context.Background())
	stored := false
	res, err := s.AddArticles(ctx, smallArticles(3*ftsStep), func(done, total int) {
		if stored {
			cancel() // the batch is stored and a step indexed: stop there
		}
		stored = stored || done == total
	})
	if err != nil {
		t.Fatal(err)
	}
	var pending int
	s.r.QueryRow("SELECT count(*) FROM fts_pending").Scan(&pending)
	if pending == 0 {
		t.Fatal("nothing left to index; the test did not interrupt the indexing")
	}
	if err := s.DeleteArticles(context.Background(), []int64{res[len(res)-1].ID}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = mustOpen(t, path)
	s.r.QueryRow("SELECT count(*) FROM fts_pending").Scan(&pending)
	if pending != 0 {
		t.Fatalf("%d articles still unindexed after reopening", pending)
	}
	if _, err := s.w.Exec("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)"); err != nil {
		t.Fatalf("search index does not match the articles: %v", err)
	}
	if hits, _ := s.Search(context.Background(), "Bradford", 5000); len(hits) != len(res)-1 {
		t.Fatalf("%d hits, want %d", len(hits), len(res)-1)
	}
}

// TestSearchQueryBounded: exclusions beyond FTS5's depth limit, a query
// of thousands of terms and a pasted 100 KB text all answer quickly, the
// caps are explained, and an error never repeats a long query.
func TestSearchQueryBounded(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	if _, err := s.AddArticles(ctx, smallArticles(300), nil); err != nil {
		t.Fatal(err)
	}
	var excl, many []string
	for i := range 300 {
		excl = append(excl, fmt.Sprintf("-word%d", i))
	}
	for i := range 3000 {
		many = append(many, []string{"council", "Bradford", "children", "services", "inspection"}[i%5])
	}
	pasted := strings.Repeat("council Bradford children OR services ", 2700) // ~100 KB
	for name, q := range map[string]string{
		"300 exclusions": "council " + strings.Join(excl, " "),
		"3000 terms":     strings.Join(many, " OR "),
		"100 KB":         pasted,
	} {
		t0 := time.Now()
		if _, err := s.Search(ctx, q, 50); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if d := time.Since(t0); d > 2*time.Second {
			t.Errorf("%s took %v", name, d)
		}
		if QueryNote(q) == "" {
			t.Errorf("%s: no note that the query was cut", name)
		}
	}
	if hits, err := s.Search(ctx, "council -word1 -word2", 500); err != nil || len(hits) != 300 {
		t.Fatalf("exclusions: %d hits, %v", len(hits), err)
	}
	if q := FTSQuery(strings.Join(excl[:40], " ") + " council"); strings.Count(q, "NOT") > 1 {
		t.Errorf("exclusions nest: %s", q)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err := s.Search(cancelled, pasted, 50)
	if err == nil || len(err.Error()) > 200 {
		t.Fatalf("error for a long query: %d bytes: %.300v", len(fmt.Sprint(err)), err)
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

// TestAnnounceForgetsDeadWriters: the record of a Parallax that was killed
// during a job is not named as the other writer, and the next job's record
// removes it.
func TestAnnounceForgetsDeadWriters(t *testing.T) {
	_, s := projectOf(t, 1)
	host, _ := os.Hostname()
	// A process ID far above any pid_max is never alive.
	dead := "writer " + host + " 2000000000"
	if _, err := s.w.Exec("INSERT INTO project(key, value) VALUES (?, 'import of 5 articles\t2026-01-01T00:00:00Z')", dead); err != nil {
		t.Fatal(err)
	}
	if got := s.otherWriter(context.Background()); got != "another program (SQLite does not say which)" {
		t.Fatalf("named %q", got)
	}
	s.Announce(context.Background(), "test")()
	var n int
	if err := s.r.QueryRow("SELECT count(*) FROM project WHERE key LIKE 'writer %'").Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d writer records left (%v)", n, err)
	}
}

// reopenCheckingInBackground makes a project of n articles, closes it and
// opens it again with CheckInBackground.
func reopenCheckingInBackground(t *testing.T, n int) *Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "p.parallax")
	s := mustOpen(t, path)
	if _, err := s.AddArticles(context.Background(), smallArticles(n), nil); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err := OpenWith(path, Options{CheckInBackground: true})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestCheckInBackground: a project opened with CheckInBackground is read
// at once; a sound one is then changed as usual, and a damaged one's
// check reports the damage, naming the file, and every change fails with
// it and leaves the file as it was. A project to migrate is checked
// before Open returns, as without the option.
func TestCheckInBackground(t *testing.T) {
	ctx := context.Background()
	t.Run("sound", func(t *testing.T) {
		s := reopenCheckingInBackground(t, 20)
		defer s.Close()
		if s.check == nil {
			t.Error("the check of an up-to-date project did not run in the background")
		}
		if err := s.Checked(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddArticles(ctx, smallArticles(21)[20:], nil); err != nil {
			t.Errorf("a change after a sound check: %v", err)
		}
	})
	t.Run("damaged", func(t *testing.T) {
		path := damagedProject(t)
		before, _ := os.ReadFile(path)
		s, err := OpenWith(path, Options{CheckInBackground: true})
		if err != nil {
			// SQLite may meet the damage while opening: a refusal is
			// right too, but then the option did nothing to test.
			t.Fatalf("open: %v", err)
		}
		err = s.Checked(ctx)
		if ErrorCode(err) != EDamaged || !strings.Contains(err.Error(), path) {
			t.Errorf("Checked = %v (code %q); want the damage, naming the file", err, ErrorCode(err))
		}
		_, _, werr := s.CreateAnnotationWithCodes(ctx, Annotation{ArticleID: 1, Start: 0, End: 3, Note: "x"}, []string{"T"})
		if ErrorCode(werr) != EDamaged {
			t.Errorf("a change to a damaged project: %v (code %q); want EDamaged", werr, ErrorCode(werr))
		}
		if err := s.Close(); err != nil && ErrorCode(err) != EDamaged {
			t.Logf("close: %v", err)
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
			t.Error("the damaged project was changed")
		}
	})
	t.Run("to migrate", func(t *testing.T) {
		path := projectAtSchema(t, 5)
		s, err := OpenWith(path, Options{CheckInBackground: true})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if s.check != nil {
			t.Error("a project to migrate was checked in the background, after its migration")
		}
	})
	t.Run("closed while checking", func(t *testing.T) {
		s := reopenCheckingInBackground(t, 200)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if err := s.Checked(ctx); err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("Checked after Close = %v", err)
		}
	})
}
