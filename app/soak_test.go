package app

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/parallax-research/parallax/data"
)

// soakChild runs in a child process started by TestSoak (see TestMain):
// the command line given in PARALLAX_SOAK_ARGS, once, or for "annotate"
// over and over, printing "CONFIRMED note" after each annotation the
// command reported as saved.
func soakChild(op string) int {
	args := strings.Split(os.Getenv("PARALLAX_SOAK_ARGS"), "\x1f")
	if op != "annotate" {
		return Main(args, os.Stdout, os.Stderr)
	}
	for i := 0; ; i++ {
		note := fmt.Sprintf("%s-%d", os.Getenv("PARALLAX_SOAK_NOTE"), i)
		if code := Main(append(args, "--note", note), os.Stdout, os.Stderr); code != 0 {
			return code
		}
		fmt.Fprintf(os.Stdout, "CONFIRMED %s\n", note)
	}
}

// soakKills is how many processes TestSoak kills while they work: a few
// in `make test`, PARALLAX_SOAK_KILLS (200 in `make soak`) when set.
func soakKills() int {
	if n, err := strconv.Atoi(os.Getenv("PARALLAX_SOAK_KILLS")); err == nil && n > 0 {
		return n
	}
	return 6
}

// soakState is what the soak has asked for, to check against the project
// after every kill.
type soakState struct {
	project string
	dir     string
	// batches maps an import's title prefix to its size and whether the
	// import reported it saved.
	batches map[string]soakBatch
	// versions maps a re-imported file to the texts it may hold: the
	// last confirmed one, and the one whose import was killed.
	versions map[string][]string
	notes    map[string]bool // confirmed annotation notes
	annots   int             // annotations known to exist
}

type soakBatch struct {
	size      int
	confirmed bool
}

// TestSoak kills import, analyze, annotate and re-import at random
// moments with SIGKILL and checks after each kill that the project passes
// SQLite's integrity_check and foreign_key_check and the search index's
// own check, that every write a command confirmed is there, and that no
// import batch or new version is there in part.
func TestSoak(t *testing.T) {
	if _, err := os.Stat("/proc/self"); err != nil {
		t.Skip("needs a Unix process model for SIGKILL")
	}
	kills := soakKills()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 15))
	st := &soakState{project: filepath.Join(t.TempDir(), "soak.parallax"), dir: t.TempDir(),
		batches: map[string]soakBatch{}, versions: map[string][]string{}, notes: map[string]bool{}}
	// The articles every run works on: a few single files (re-import
	// targets) and one batch.
	for i := range 4 {
		p := filepath.Join(st.dir, fmt.Sprintf("single-%d.txt", i))
		text := soakText(fmt.Sprintf("single %d version 0", i), 8)
		os.WriteFile(p, []byte("title: single "+strconv.Itoa(i)+"\noutlet: Soak\n\n"+text), 0o644)
		st.versions[p] = []string{text}
	}
	if _, e, code := run(t, "import", "--project", st.project, st.dir); code != 0 {
		t.Fatal(e)
	}
	// How long each kind of command takes when left alone: kills are
	// spread over that time, so that most land while it works.
	took := map[string]time.Duration{"import": 150 * time.Millisecond, "import-large": 2 * time.Second,
		"analyze": time.Second, "annotate": 1500 * time.Millisecond, "reimport": 150 * time.Millisecond}
	tally := map[string]int{}
	var lost, partial, integrity, killedRunning, runs int
	// Some commands finish before their kill: run until the wanted number
	// of kills landed while a command worked (or three times as many runs).
	for k := 0; killedRunning < kills && k < 3*kills; k++ {
		runs++
		op := []string{"import", "import", "analyze", "annotate", "reimport"}[rng.IntN(5)]
		tally[op]++
		var args, env []string
		kind := op
		check := func(out string) {}
		switch op {
		case "import":
			n := 1 + rng.IntN(40)
			if rng.IntN(3) == 0 {
				n = 600 + rng.IntN(600) // large enough to be indexed in steps
				kind = "import-large"
			}
			prefix := fmt.Sprintf("batch %d item ", k)
			bdir := filepath.Join(t.TempDir(), "batch")
			os.MkdirAll(bdir, 0o755)
			for i := range n {
				os.WriteFile(filepath.Join(bdir, fmt.Sprintf("%d.txt", i)), []byte("title: "+prefix+strconv.Itoa(i)+"\noutlet: Batch\n\n"+soakText(prefix+strconv.Itoa(i), 3)), 0o644)
			}
			args = []string{"import", "--project", st.project, bdir}
			check = func(out string) {
				st.batches[prefix] = soakBatch{size: n, confirmed: strings.Contains(out, "Imported ")}
			}
		case "analyze":
			args = []string{"analyze", "--project", st.project}
		case "annotate":
			note := fmt.Sprintf("soak %d", k)
			args = []string{"annotate", "--project", st.project, "--article", "1", "--start", "0", "--end", "6", "--code", "Soak/Kill"}
			env = []string{"PARALLAX_SOAK_NOTE=" + note}
			check = func(out string) {
				for _, l := range strings.Split(out, "\n") {
					if n, ok := strings.CutPrefix(l, "CONFIRMED "); ok {
						st.notes[n] = true
					}
				}
			}
		case "reimport":
			i := rng.IntN(4)
			p := filepath.Join(st.dir, fmt.Sprintf("single-%d.txt", i))
			text := soakText(fmt.Sprintf("single %d version %d", i, k), 8)
			os.WriteFile(p, []byte("title: single "+strconv.Itoa(i)+"\noutlet: Soak\n\n"+text), 0o644)
			old := st.versions[p][0]
			st.versions[p] = []string{old, text}
			args = []string{"import", "--project", st.project, p}
			check = func(out string) {
				if strings.Contains(out, "new version of article") {
					st.versions[p] = []string{text}
				}
			}
		}
		out, elapsed, running := soakRun(t, op, args, env, time.Duration(rng.Int64N(int64(took[kind])*6/5)))
		if running {
			killedRunning++
		} else if op != "annotate" {
			took[kind] = (took[kind] + elapsed) / 2
		}
		check(out)
		l, p, bad := st.verify(t)
		lost += l
		partial += p
		integrity += bad
	}
	summary := fmt.Sprintf("soak: %d runs, %d killed while working (import %d, analyze %d, annotate %d, re-import %d runs): %d confirmed annotations, %d import batches; lost %d, partial %d, integrity failures %d",
		runs, killedRunning, tally["import"], tally["analyze"], tally["annotate"], tally["reimport"], len(st.notes), len(st.batches), lost, partial, integrity)
	t.Log(summary)
	fmt.Println(summary)
	if lost+partial+integrity > 0 {
		t.Fatal(summary)
	}
}

// soakText is a short article unique to id.
func soakText(id string, sentences int) string {
	var b strings.Builder
	for i := range sentences {
		fmt.Fprintf(&b, "The council said in statement %d of %s that services were “improving”. ", i, id)
	}
	return strings.TrimSpace(b.String())
}

// soakRun runs the command line in a child process and kills it with
// SIGKILL after delay, unless it ended before; it returns what the child
// printed, how long it ran and whether it was still running when killed.
func soakRun(t *testing.T, op string, args, env []string, delay time.Duration) (string, time.Duration, bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), "PARALLAX_SOAK_CHILD="+op, "PARALLAX_SOAK_ARGS="+strings.Join(args, "\x1f")), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	read := make(chan struct{})
	go func() {
		defer close(read)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			out.WriteString(sc.Text() + "\n")
		}
	}()
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	running := false
	select {
	case <-exited:
	case <-time.After(delay):
		running = cmd.Process.Signal(syscall.SIGKILL) == nil
		<-exited
	}
	elapsed := time.Since(start)
	<-read
	return out.String(), elapsed, running
}

// verify opens the project as a user would after the crash and checks it;
// it returns the confirmed writes missing, the batches or versions present
// in part, and whether the file failed a check (0 or 1).
func (st *soakState) verify(t *testing.T) (lost, partial, bad int) {
	t.Helper()
	ctx := context.Background()
	if rep, err := data.Check(ctx, st.project); err != nil || !rep.OK() {
		t.Errorf("check after a kill: %+v %v", rep, err)
		return 0, 0, 1
	}
	s, err := data.Open(st.project) // also finishes indexing a killed import
	if err != nil {
		t.Errorf("open after a kill: %v", err)
		return 0, 0, 1
	}
	defer s.Close()
	db, err := sql.Open("sqlite3", st.project)
	if err != nil {
		t.Fatal(err)
	}
	_, ferr := db.Exec("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
	db.Close()
	if ferr != nil {
		t.Errorf("search index after a kill: %v", ferr)
		bad = 1
	}
	list, err := s.ListArticles(ctx, data.ListQuery{})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	byTitle := map[string][]int64{}
	for _, a := range list {
		if i := strings.Index(a.Title, " item "); i >= 0 {
			count[a.Title[:i+len(" item ")]]++
		}
		byTitle[a.Title] = append(byTitle[a.Title], a.ID)
	}
	for prefix, b := range st.batches {
		switch n := count[prefix]; {
		case n != 0 && n != b.size:
			t.Errorf("batch %q: %d of %d articles", prefix, n, b.size)
			partial++
		case n == 0 && b.confirmed:
			t.Errorf("batch %q confirmed but missing", prefix)
			lost++
		}
	}
	for p, texts := range st.versions {
		title := "single " + strings.TrimSuffix(strings.TrimPrefix(filepath.Base(p), "single-"), ".txt")
		ids := byTitle[title]
		if len(ids) != 1 {
			t.Errorf("%s: %d articles", title, len(ids))
			partial++
			continue
		}
		a, err := s.Article(ctx, ids[0])
		if err != nil {
			t.Fatal(err)
		}
		if a.Text != texts[0] && (len(texts) < 2 || a.Text != texts[1]) {
			t.Errorf("%s holds neither its confirmed nor its new text", title)
			if len(texts) == 1 {
				lost++
			} else {
				partial++
			}
		}
		if a.Text == texts[len(texts)-1] {
			st.versions[p] = texts[len(texts)-1:]
		}
	}
	anns, err := s.Annotations(ctx, data.AnnotationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, a := range anns {
		have[a.Note] = true
	}
	for n := range st.notes {
		if !have[n] {
			t.Errorf("confirmed annotation %q lost", n)
			lost++
		}
	}
	if len(anns) < st.annots {
		t.Errorf("%d annotations, %d before", len(anns), st.annots)
		lost++
	}
	st.annots = len(anns)
	return lost, partial, bad
}
