package app

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"database/sql"
	"hash/crc32"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/data/storetest"
)

// reliabilityFixture is a closed project of three articles with a coded
// annotation, and a .qdpx export of it to mutate into hostile files.
func reliabilityFixture(t *testing.T) (project, qdpx string) {
	t.Helper()
	dir := t.TempDir()
	for i, text := range []string{
		"title: Services deteriorated\noutlet: ITV News\n\nOfsted said there are widespread and serious failures across all service areas.",
		"title: Rated inadequate again\noutlet: BBC News\n\nInspectors found widespread and serious failures. The council said it was sorry.",
		"title: Weaknesses remain\noutlet: Telegraph & Argus\n\nA monitoring visit found 1,365 children waiting for the council.",
	} {
		os.WriteFile(filepath.Join(dir, string(rune('a'+i))+".txt"), []byte(text), 0o644)
	}
	project = filepath.Join(t.TempDir(), "p.parallax")
	if _, e, code := run(t, "import", "--project", project, dir); code != 0 {
		t.Fatal(e)
	}
	if _, e, code := run(t, "annotate", "--project", project, "--article", "1", "--start", "0", "--end", "5", "--code", "Findings/Severity", "--note", "key"); code != 0 {
		t.Fatal(e)
	}
	qdpx = filepath.Join(t.TempDir(), "export.qdpx")
	if _, e, code := run(t, "export", "--project", project, "--format", "qdpx", "--out", qdpx); code != 0 {
		t.Fatal(e)
	}
	return project, qdpx
}

// zipEntry is one entry of a rewritten archive; claim, when set, is the
// uncompressed size its header states, which may lie.
type zipEntry struct {
	name  string
	data  []byte
	claim uint64
}

// rewriteZip writes the archive at src to dst, each entry passed through
// edit (which may change, drop or add entries).
func rewriteZip(t *testing.T, src, dst string, edit func([]zipEntry) []zipEntry) string {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var es []zipEntry
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		es = append(es, zipEntry{name: f.Name, data: b})
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range edit(es) {
		if e.claim == 0 {
			w, err := zw.Create(e.name)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(e.data)
			continue
		}
		var comp bytes.Buffer
		fw, _ := flate.NewWriter(&comp, flate.BestSpeed)
		fw.Write(e.data)
		fw.Close()
		w, err := zw.CreateRaw(&zip.FileHeader{Name: e.name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(e.data),
			CompressedSize64: uint64(comp.Len()), UncompressedSize64: e.claim})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(comp.Bytes())
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

// editQDE applies f to the archive's project.qde.
func editQDE(f func(string) string) func([]zipEntry) []zipEntry {
	return func(es []zipEntry) []zipEntry {
		for i := range es {
			if strings.EqualFold(es[i].name, "project.qde") {
				es[i].data = []byte(f(string(es[i].data)))
			}
		}
		return es
	}
}

// hostileFile is one row of the hostile-input table: a file made in dir,
// the words its one-line error must contain, and, for a hole known but
// not yet fixed, the issue that tracks it.
type hostileFile struct {
	name     string
	make     func(t *testing.T, dir, qdpx string) string
	want     string
	knownBug string
}

func writeFile(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

var hostileFiles = []hostileFile{
	{"empty text", func(t *testing.T, dir, _ string) string { return writeFile(t, dir, "empty.txt", nil) }, "empty.txt: empty file", ""},
	{"binary as text", func(t *testing.T, dir, _ string) string {
		return writeFile(t, dir, "elf.txt", []byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0})
	}, "elf.txt: binary file, not text", ""},
	{"NUL in text", func(t *testing.T, dir, _ string) string {
		return writeFile(t, dir, "nul.txt", []byte("A normal start\x00 and a NUL in the middle."))
	}, "nul.txt: binary file, not text", ""},
	{"200 MB sparse text", func(t *testing.T, dir, _ string) string {
		p := writeFile(t, dir, "huge.txt", nil)
		os.Truncate(p, 200<<20)
		return p
	}, "huge.txt", ""},
	{"broken JSON", func(t *testing.T, dir, _ string) string {
		return writeFile(t, dir, "broken.json", []byte(`[{"title": "a", "text": "b"`))
	}, "broken.json", ""},
	{"deeply nested JSON", func(t *testing.T, dir, _ string) string {
		return writeFile(t, dir, "deep.json", []byte(strings.Repeat("[", 100000)+strings.Repeat("]", 100000)))
	}, "deep.json", ""},
	{"HTML without text", func(t *testing.T, dir, _ string) string {
		return writeFile(t, dir, "script.html", []byte("<html><head><script>alert(1)</script></head><body><nav>Home</nav></body></html>"))
	}, "script.html", ""},
	{"symlink loop", func(t *testing.T, dir, _ string) string {
		a, b := filepath.Join(dir, "loop-a.txt"), filepath.Join(dir, "loop-b.txt")
		os.Symlink(b, a)
		os.Symlink(a, b)
		return a
	}, "loop-a.txt", ""},
	{"dangling symlink", func(t *testing.T, dir, _ string) string {
		p := filepath.Join(dir, "dangling.txt")
		os.Symlink(filepath.Join(dir, "gone.txt"), p)
		return p
	}, "dangling.txt", ""},
	{"qdpx: not a zip", func(t *testing.T, dir, _ string) string {
		return writeFile(t, dir, "text.qdpx", []byte("just some text"))
	}, "zip archive", ""},
	{"qdpx: zip slip", func(t *testing.T, dir, qdpx string) string {
		return rewriteZip(t, qdpx, filepath.Join(dir, "slip.qdpx"), func(es []zipEntry) []zipEntry {
			return append(es, zipEntry{name: "../../evil.txt", data: []byte("x")})
		})
	}, "points outside the archive", ""},
	{"qdpx: absolute path", func(t *testing.T, dir, qdpx string) string {
		return rewriteZip(t, qdpx, filepath.Join(dir, "abs.qdpx"), func(es []zipEntry) []zipEntry {
			return append(es, zipEntry{name: "/etc/evil", data: []byte("x")})
		})
	}, "points outside the archive", ""},
	{"qdpx: XXE", func(t *testing.T, dir, qdpx string) string {
		return rewriteZip(t, qdpx, filepath.Join(dir, "xxe.qdpx"), editQDE(func(s string) string {
			return strings.Replace(s, "<Project", `<!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]><Project`, 1)
		}))
	}, "DOCTYPE", ""},
	{"qdpx: billion laughs", func(t *testing.T, dir, qdpx string) string {
		return rewriteZip(t, qdpx, filepath.Join(dir, "laughs.qdpx"), editQDE(func(s string) string {
			return strings.Replace(s, "<Project", `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><Project`, 1)
		}))
	}, "DOCTYPE", ""},
	{"qdpx: zip bomb (size stated)", func(t *testing.T, dir, qdpx string) string {
		return rewriteZip(t, qdpx, filepath.Join(dir, "bomb.qdpx"), func(es []zipEntry) []zipEntry {
			for i := range es {
				if strings.EqualFold(es[i].name, "project.qde") {
					es[i].claim = 600 << 20
				}
			}
			return es
		})
	}, "likely zip bomb", ""},
	{"qdpx: offsets past the text", func(t *testing.T, dir, qdpx string) string {
		return rewriteZip(t, qdpx, filepath.Join(dir, "offsets.qdpx"), editQDE(func(s string) string {
			return regexp.MustCompile(`endPosition="\d+"`).ReplaceAllString(s, `endPosition="999999"`)
		}))
	}, "not a range inside the source", ""},
	{"qdpx: source missing", func(t *testing.T, dir, qdpx string) string {
		return rewriteZip(t, qdpx, filepath.Join(dir, "nosource.qdpx"), func(es []zipEntry) []zipEntry {
			var out []zipEntry
			for _, e := range es {
				if !strings.HasPrefix(strings.ToLower(e.name), "sources/") {
					out = append(out, e)
				}
			}
			return out
		})
	}, "not in the archive", ""},
	{"qdpx: NUL in source text", func(t *testing.T, dir, qdpx string) string {
		return rewriteZip(t, qdpx, filepath.Join(dir, "nulsource.qdpx"), func(es []zipEntry) []zipEntry {
			for i := range es {
				if strings.HasPrefix(strings.ToLower(es[i].name), "sources/") {
					es[i].data = append([]byte("\x00\x00"), es[i].data...)
				}
			}
			return es
		})
	}, "binary file, not text", ""},
}

// TestHostileFiles imports each hostile file into a project and checks
// that it is refused with its one-line error and that the project is left
// exactly as it was (same dump hash), with nothing half-done.
func TestHostileFiles(t *testing.T) {
	fixture, qdpx := reliabilityFixture(t)
	before := storetest.DumpHash(t, fixture)
	refused, unchanged := 0, 0
	for _, c := range hostileFiles {
		t.Run(c.name, func(t *testing.T) {
			// Each file meets the same project, whatever the others did.
			b, err := os.ReadFile(fixture)
			if err != nil {
				t.Fatal(err)
			}
			project := writeFile(t, t.TempDir(), "p.parallax", b)
			path := c.make(t, t.TempDir(), qdpx)
			done := make(chan struct{})
			var out, errOut string
			var code int
			go func() {
				defer close(done)
				out, errOut, code = run(t, "import", "--project", project, path)
			}()
			select {
			case <-done:
			case <-time.After(60 * time.Second):
				t.Fatalf("import of %s did not finish in a minute", c.name)
			}
			var line string
			for _, l := range strings.Split(errOut, "\n") {
				if strings.HasPrefix(l, "error: ") {
					line = l
					break
				}
			}
			t.Logf("%s", line)
			ok := code == 1 && strings.Contains(line, c.want) && strings.Contains(line, filepath.Base(path))
			same := storetest.DumpHash(t, project) == before
			if ok {
				refused++
			}
			if same {
				unchanged++
			}
			if c.knownBug != "" {
				if ok && same {
					t.Fatalf("fixed: %s — remove its knownBug mark", c.knownBug)
				}
				t.Skipf("known bug, %s (exit %d, stdout %q, stderr %q)", c.knownBug, code, out, errOut)
			}
			if !ok {
				t.Errorf("exit %d, error line %q; want exit 1 and a line with %q naming the file\nstdout: %s\nstderr: %s", code, line, c.want, out, errOut)
			}
			if !same {
				t.Fatal("the project changed")
			}
			if strings.Contains(errOut, "goroutine") || strings.Contains(errOut, "panic") {
				t.Fatalf("stack trace:\n%s", errOut)
			}
		})
	}
	t.Logf("hostile files: %d tried, %d refused, %d left the project unchanged", len(hostileFiles), refused, unchanged)
}

// TestSearchLeadingMinus: a query that starts with an exclusion is a
// query, not an unknown flag.
func TestSearchLeadingMinus(t *testing.T) {
	project, _ := reliabilityFixture(t)
	out, errOut, code := run(t, "search", "--project", project, "council", "-sorry")
	if code != 0 || !strings.Contains(out, "Weaknesses remain") || strings.Contains(out, "Rated inadequate") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if _, errOut, code := run(t, "search", "--project", project, "-council"); code != 0 {
		t.Fatalf("search -council: exit %d: %s", code, errOut)
	}
	if out, _, code := run(t, "search", "-council", "--json", "--project", project); code != 0 || strings.TrimSpace(out) != "[]" {
		t.Fatalf("flags after an exclusion: exit %d, %q", code, out)
	}
}

// TestDamagedProjectCommands: every command refuses a damaged project
// with its name and what to do; check lists the damage; recover copies
// what is readable into a new project the commands accept.
func TestDamagedProjectCommands(t *testing.T) {
	project, _ := reliabilityFixture(t)
	// Damage the page after the schema's: a table's root.
	f, err := os.OpenFile(project, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteAt(bytes.Repeat([]byte{0xde, 0xad}, 2048), 3*16384)
	f.Close()
	before := storetest.DumpHashOrEmpty(project)
	// propagation reads while the project is checked, and prints
	// nothing once the check finds damage.
	for _, cmd := range [][]string{{"list"}, {"search", "council"}, {"annotations"}, {"analyze"}, {"propagation"}, {"propagation", "--json"}} {
		out, errOut, code := run(t, append(cmd, "--project", project)...)
		if code != 1 || !strings.Contains(errOut, project+" is damaged") || !strings.Contains(errOut, "parallax recover --project") || out != "" {
			t.Errorf("%s: exit %d, %q, printed %q", cmd, code, errOut, out)
		}
	}
	out, errOut, code := run(t, "check", "--project", project)
	if code != 1 || !strings.Contains(out, "integrity: ") || !strings.Contains(errOut, "is damaged") {
		t.Fatalf("check: exit %d\n%s\n%s", code, out, errOut)
	}
	recovered := filepath.Join(t.TempDir(), "new.parallax")
	if out, errOut, code := run(t, "recover", "--project", project, "--out", recovered); code != 0 || !strings.Contains(out, "Recovered into") {
		t.Fatalf("recover: exit %d\n%s\n%s", code, out, errOut)
	}
	if out, _, code := run(t, "check", "--project", recovered); code != 0 || !strings.Contains(out, "ok") {
		t.Fatalf("check of the recovered project: exit %d, %s", code, out)
	}
	if _, errOut, code := run(t, "list", "--project", recovered); code != 0 {
		t.Fatalf("list of the recovered project: %s", errOut)
	}
	if storetest.DumpHashOrEmpty(project) != before {
		t.Fatal("the damaged file was changed")
	}
}

// TestReadCommandLeavesForeignEmptyDatabase: a read-only command on
// another program's empty SQLite database refuses it and leaves it byte
// for byte (no migrations, no application_id).
func TestReadCommandLeavesForeignEmptyDatabase(t *testing.T) {
	p := filepath.Join(t.TempDir(), "other.db")
	db, err := sql.Open("sqlite3", p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA user_version = 7"); err != nil { // a header, no tables
		t.Fatal(err)
	}
	db.Close()
	page, _ := os.ReadFile(p)
	for _, cmd := range []string{"list", "annotations", "search"} {
		args := []string{cmd, "--project", p}
		if cmd == "search" {
			args = append(args, "x")
		}
		_, errOut, code := run(t, args...)
		if code != 1 || !strings.Contains(errOut, "empty SQLite database") {
			t.Errorf("%s: exit %d, %q", cmd, code, errOut)
		}
		if after, _ := os.ReadFile(p); !bytes.Equal(after, page) {
			t.Fatalf("%s changed the file", cmd)
		}
	}
}

// TestWindowTitleReadOnly: the window's title says when the project
// cannot be changed.
func TestWindowTitleReadOnly(t *testing.T) {
	project, _ := reliabilityFixture(t)
	s, err := data.OpenWith(project, data.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := windowTitle(s); got != "Parallax — p.parallax (read-only)" {
		t.Fatalf("title %q", got)
	}
	_, err = s.CreateAnnotation(context.Background(), data.Annotation{ArticleID: 1, Start: 0, End: 3})
	if data.ErrorCode(err) != data.EReadOnly || !strings.Contains(err.Error(), project) {
		t.Fatalf("write to a read-only project: %v", err)
	}
}

// TestReadOnlyMount: on a read-only file system (a tmpfs remounted
// read-only, which needs root) reading, searching and exporting work,
// changes fail naming the file, and no -wal or -shm file is needed or
// left. Before, every command failed with "unable to open database file".
func TestReadOnlyMount(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a file system needs root")
	}
	project, _ := reliabilityFixture(t)
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", mnt).Run() })
	b, err := os.ReadFile(project)
	if err != nil {
		t.Fatal(err)
	}
	ro := writeFile(t, mnt, "p.parallax", b)
	if out, err := exec.Command("mount", "-o", "remount,ro", mnt).CombinedOutput(); err != nil {
		t.Fatalf("remount read-only: %v %s", err, out)
	}
	if out, e, code := run(t, "list", "--project", ro); code != 0 || !strings.Contains(out, "Services deteriorated") {
		t.Fatalf("list: exit %d\n%s\n%s", code, out, e)
	}
	if out, e, code := run(t, "search", "--project", ro, "council"); code != 0 || !strings.Contains(out, "Weaknesses remain") {
		t.Fatalf("search: exit %d\n%s\n%s", code, out, e)
	}
	if _, e, code := run(t, "export", "--project", ro, "--format", "csv", "--out", filepath.Join(t.TempDir(), "a.csv")); code != 0 {
		t.Fatalf("export: exit %d: %s", code, e)
	}
	_, e, code := run(t, "annotate", "--project", ro, "--article", "1", "--start", "0", "--end", "5")
	if code != 1 || !strings.Contains(e, ro+" cannot be changed (its folder is read-only)") && !strings.Contains(e, ro+" cannot be changed (the file is read-only)") {
		t.Fatalf("annotate: exit %d: %s", code, e)
	}
	newProject := filepath.Join(mnt, "new.parallax")
	if _, e, code := run(t, "import", "--project", newProject, project); code != 1 || !strings.Contains(e, "cannot create "+newProject+": its folder is read-only") {
		t.Fatalf("import into a new project there: exit %d: %s", code, e)
	}
	entries, _ := os.ReadDir(mnt)
	if len(entries) != 1 {
		t.Fatalf("the read-only folder holds %d files", len(entries))
	}
}
