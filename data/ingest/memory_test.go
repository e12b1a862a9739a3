package ingest

import (
	"archive/zip"
	"bufio"
	"bytes"
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/parallax-research/parallax/internal/ziptest"
)

// TestMain lets TestImportMemoryBounded run an import in a child process,
// whose peak memory the operating system measures.
func TestMain(m *testing.M) {
	if p := os.Getenv("PARALLAX_INGEST_MEMORY_CHILD"); p != "" {
		if os.Getenv("PARALLAX_INGEST_MEMORY_INNER") == "" {
			os.Exit(memorySpawn())
		}
		os.Exit(memoryChild(p))
	}
	os.Exit(m.Run())
}

// memorySpawn runs the import in a process of its own and prints its
// output and peak memory. Linux counts in a child's peak the memory of the
// process that started it, up to the exec, so the test's own process,
// grown by the tests before, does not start the import: this small one
// does.
func memorySpawn() int {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "PARALLAX_INGEST_MEMORY_INNER=1")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stdout
	err := cmd.Run()
	if cmd.ProcessState == nil {
		fmt.Println("ERROR", err)
		return 1
	}
	fmt.Printf("\nPEAK %d\n", cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss)
	if err != nil {
		fmt.Println("ERROR", err)
		return 1
	}
	return 0
}

// memoryChild imports one file (or reads one manifest) and prints the
// outcome: how many articles, how many bytes of text, and the first error.
func memoryChild(path string) int {
	if strings.HasSuffix(path, ".csv") {
		m, err := ReadManifest(path)
		if err != nil {
			fmt.Println("REFUSED", err)
			return 0
		}
		fmt.Printf("IMPORTED %d rows\n", len(m.Rows))
		return 0
	}
	items, err := (&Importer{}).Read(context.Background(), []string{path}, nil)
	if err != nil {
		fmt.Println("ERROR", err)
		return 1
	}
	arts, text, errs := 0, 0, 0
	var first error
	for _, it := range items {
		if it.Err != nil {
			if errs++; first == nil {
				first = it.Err
			}
			continue
		}
		arts++
		text += len(it.Article.Text)
	}
	switch {
	case arts > 0:
		fmt.Printf("IMPORTED %d articles, %d bytes of text, %d errors\n", arts, text, errs)
	case first != nil:
		fmt.Printf("REFUSED (%d errors) %v\n", errs, first)
	default:
		fmt.Println("NOTHING")
	}
	return 0
}

// expandingDocxHead opens a document with one short paragraph of text
// and a comment of random letters: the letters barely compress, so the
// whole part stays under the 200-to-1 ratio a .docx is held to, as a file
// made to pass the zip-bomb check would.
func expandingDocxHead(noise int) string {
	rng := rand.New(rand.NewPCG(1, 2))
	const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/"
	b := make([]byte, noise)
	for i := range b {
		b[i] = letters[rng.IntN(len(letters))]
	}
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
		`<w:p><w:r><w:t>` + hostileArticle + `</w:t></w:r></w:p><!--` + string(b) + `-->`
}

// hostileArticle is the text each hostile file holds.
const hostileArticle = "The council approved the new budget on Tuesday after a long debate about the library."

// writeExpandingDocx writes a .docx whose word/document.xml holds n bytes
// of unit repeated after a paragraph of text: a megabyte or two on disk.
func writeExpandingDocx(t *testing.T, path, unit string, n int) int64 {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	ziptest.Expanding(t, zw, "word/document.xml", expandingDocxHead(n/150+(1<<20)), unit, `</w:body></w:document>`, n)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

// writePadded writes head, then unit repeated to n bytes, then tail.
func writePadded(t *testing.T, path, head, unit, tail string, n int) int64 {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := strings.Repeat(unit, max(1, (1<<20)/len(unit)))
	f.WriteString(head)
	written := 0
	for written+len(chunk) <= n {
		f.WriteString(chunk)
		written += len(chunk)
	}
	f.WriteString(strings.Repeat(unit, (n-written)/len(unit)))
	f.WriteString(tail)
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

// writeManifestRows writes a metadata sheet of about n bytes of short
// rows, each naming a different file.
func writeManifestRows(t *testing.T, path string, n int) int64 {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	written, _ := w.WriteString("file,title\n")
	for i := 0; written < n; i++ {
		k, _ := fmt.Fprintf(w, "f%08d.txt,T\n", i)
		written += k
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

// TestImportMemoryBounded imports files of hundreds of megabytes of
// markup that hold one short article (or none), each within the limits
// for its type, and checks the import's peak memory, measured by the
// operating system in a child process: it must stay within a fixed bound,
// whatever the file's size, and the import must store the article or
// refuse the file with a message, never crash.
func TestImportMemoryBounded(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("peak memory is read from Linux's resource usage")
	}
	type shape struct {
		name, file string
		write      func(t *testing.T, path string, n int) int64
		size       int
		want       string
	}
	docx := func(unit string) func(*testing.T, string, int) int64 {
		return func(t *testing.T, p string, n int) int64 { return writeExpandingDocx(t, p, unit, n) }
	}
	padded := func(head, unit, tail string) func(*testing.T, string, int) int64 {
		return func(t *testing.T, p string, n int) int64 { return writePadded(t, p, head, unit, tail, n) }
	}
	rtfHead := `{\rtf1\ansi\deff0{\fonttbl{\f0 Times;}}\pard ` + hostileArticle + `\par `
	shapes := []shape{
		{"docx white space", "a.docx", docx(" \n"), 250 << 20, "IMPORTED 1 articles"},
		// The Decoder takes a while over each tag: smaller, for time.
		{"docx empty paragraphs", "a.docx", docx("<w:p/>"), 24 << 20, "IMPORTED 1 articles"},
		{"rtf empty paragraphs", "a.rtf", padded(rtfHead, `\par `, "}"), 64 << 20, "IMPORTED 1 articles"},
		// Each record, even empty, costs microseconds: smaller, for time.
		{"json empty records", "a.json", padded(`[{"text":"`+hostileArticle+`"}`, `,{}`, "]"), 4 << 20, "IMPORTED 1 articles"},
		{"jsonl empty records", "a.jsonl", padded(`{"text":"`+hostileArticle+`"}`+"\n", "{}\n", ""), 4 << 20, "IMPORTED 1 articles"},
		// One record, under the per-article limit, whose text sits beside
		// a list of seven million numbers that is not kept.
		{"json record of a huge list", "a.json", padded(`{"text":"`+hostileArticle+`","scores":[0`, `,0`, `]}`), 15 << 20, "IMPORTED 1 articles"},
		// A page under the per-article limit with two million elements:
		// refused before readability builds and scores them.
		{"html empty paragraphs", "a.html", padded(`<html><head><title>Budget</title></head><body><p>`+hostileArticle+`</p>`, `<p></p>`, `</body></html>`), 15 << 20, "REFUSED"},
		// A page just under the cap on its parts, which readability reads.
		{"html at the cap", "a.html", padded(`<html><head><title>Budget</title></head><body><p>`+hostileArticle+`</p>`, `<p></p>`, `</body></html>`), 7 * (maxHTMLParts - 100), "IMPORTED 1 articles"},
		// A metadata sheet of short rows, each naming a file of its own.
		{"manifest short rows", "manifest.csv", writeManifestRows, 250 << 20, "REFUSED"},
		// A sheet just under the cap on rows, which is read.
		{"manifest at the row cap", "manifest.csv", writeManifestRows, len("file,title\n") + len("f00000000.txt,T\n")*(maxManifestRows-1), "IMPORTED 249999 rows"},
	}
	limitMB := int64(300)
	limits := map[string]int64{} // a case's own bound, if not limitMB
	if raceBuild {
		// The race detector's slowness: smaller files, for time.
		// Files refused for what they hold, not for their size, keep
		// their size: smaller, they would not reach the cap. The race
		// detector's shadow memory, several times what it watches, then
		// takes the 15 MB page past the bound, so theirs is doubled.
		whole := map[string]bool{"html empty paragraphs": true, "manifest short rows": true}
		for i := range shapes {
			if whole[shapes[i].name] {
				limits[shapes[i].name] = 2 * limitMB
			} else {
				shapes[i].size /= 16
			}
			if strings.HasSuffix(shapes[i].name, "at the row cap") {
				shapes[i].want = "IMPORTED" // fewer rows
			}
		}
	}
	only := os.Getenv("PARALLAX_INGEST_MEMORY_ONLY")
	for _, c := range shapes {
		t.Run(c.name, func(t *testing.T) {
			if only != "" && !strings.Contains(c.name, only) {
				t.Skip("PARALLAX_INGEST_MEMORY_ONLY is set")
			}
			dir := t.TempDir()
			p := filepath.Join(dir, c.file)
			onDisk := c.write(t, p, c.size)
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "PARALLAX_INGEST_MEMORY_CHILD="+p)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			started := time.Now()
			err := cmd.Run()
			res, peak, _ := strings.Cut(out.String(), "\nPEAK ")
			peakKB, perr := strconv.ParseInt(strings.TrimSpace(strings.SplitN(peak, "\n", 2)[0]), 10, 64)
			if perr != nil {
				t.Fatalf("child: %v\n%s", err, out.String())
			}
			peakMB := peakKB >> 10
			msg := strings.TrimSpace(res)
			if len(msg) > 300 {
				msg = msg[:300] + "…"
			}
			t.Logf("%d KB on disk, %d MB of markup: peak %d MB in %v; %s", onDisk>>10, c.size>>20, peakMB, time.Since(started).Round(time.Millisecond), msg)
			if err != nil {
				t.Fatalf("child: %v", err)
			}
			if !strings.HasPrefix(res, c.want) {
				t.Errorf("outcome %q, want %q", msg, c.want)
			}
			if limit := cmp.Or(limits[c.name], limitMB); peakMB > limit {
				t.Errorf("peak memory %d MB, over the %d MB bound", peakMB, limit)
			}
		})
	}
}
