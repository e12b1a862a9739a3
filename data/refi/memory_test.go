package refi

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/parallax-research/parallax/data"
)

// TestMain lets TestImportMemoryBounded run an import in a child process,
// whose peak memory the operating system measures.
func TestMain(m *testing.M) {
	if qdpx := os.Getenv("PARALLAX_REFI_MEMORY_CHILD"); qdpx != "" {
		os.Exit(memoryChild(qdpx, os.Getenv("PARALLAX_REFI_MEMORY_PROJECT")))
	}
	os.Exit(m.Run())
}

// memoryChild imports qdpx into a new project and prints the outcome.
func memoryChild(qdpx, project string) int {
	s, err := data.Open(project)
	if err != nil {
		fmt.Println("ERROR", err)
		return 1
	}
	defer s.Close()
	rep, err := Import(context.Background(), s, qdpx)
	if err != nil {
		fmt.Println("REFUSED", err)
		return 0
	}
	st, err := s.Stats(context.Background())
	if err != nil {
		fmt.Println("ERROR", err)
		return 1
	}
	fmt.Printf("IMPORTED %d articles, %d annotations, %d memos, %d skipped\n", st.Articles, rep.Annotations, rep.Memos, len(rep.Skipped))
	return 0
}

// expandingQDE is a small valid project whose @PAD@ an expanding file
// fills: one source with a coded selection.
const expandingQDE = `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="expanding">
<CodeBook><Codes><Code guid="22222222-2222-2222-2222-222222222222" name="C" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="44444444-4444-4444-4444-444444444444" name="a" plainTextPath="internal://a.txt">
<PlainTextSelection guid="55555555-5555-5555-5555-555555555555" startPosition="0" endPosition="5"><Coding guid="66666666-6666-6666-6666-666666666666"><CodeRef targetGUID="22222222-2222-2222-2222-222222222222"/></Coding></PlainTextSelection>
</TextSource></Sources>
@PAD@</Project>`

// writeExpandingQDPX writes a .qdpx whose project.qde holds n bytes of
// unit repeated where @PAD@ is, between open and close: a few hundred
// kilobytes on disk that decompress to n bytes.
func writeExpandingQDPX(t *testing.T, path, open, unit, close string, n int) int64 {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestCompression) })
	w, err := zw.Create("project.qde")
	if err != nil {
		t.Fatal(err)
	}
	head, tail, _ := strings.Cut(expandingQDE, "@PAD@")
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString(head + open)
	// Whole units only, so that the padding stays well-formed.
	per := max(1, (1<<20)/len(unit))
	chunk := []byte(strings.Repeat(unit, per))
	for left := n / len(unit); left > 0; left -= per {
		bw.Write(chunk[:min(left, per)*len(unit)])
	}
	bw.WriteString(close + tail)
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	src, err := zw.Create("sources/a.txt")
	if err != nil {
		t.Fatal(err)
	}
	src.Write([]byte(hostileText))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

// TestImportMemoryBounded imports .qdpx files whose project.qde expands
// to hundreds of megabytes (under the 512 MB limit) and checks the
// import's peak memory, measured by the operating system in a child
// process with a soft memory limit: it must stay within a fixed bound,
// since what such a file stores is one short article.
func TestImportMemoryBounded(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("peak memory is read from Linux's resource usage")
	}
	// The race detector's shadow memory and its slowness change both the
	// figures and the time: a smaller file and a larger bound then.
	size, limitMB := 500<<20, 160
	if raceBuild {
		size, limitMB = 96<<20, 480
	}
	if testing.Short() {
		size = 64 << 20
	}
	cases := []struct {
		name, open, unit, close string
		size                    int
		want                    string
	}{
		{"white space between elements", "", " \n", "", size, "IMPORTED 1 articles, 1 annotations"},
		{"a long comment", "<!--", "c", "-->", size / 4, "IMPORTED 1 articles, 1 annotations"},
		{"repeated references", "", `<NoteRef targetGUID="77777777-7777-7777-7777-777777777777"/>`, "", size / 4, "IMPORTED 1 articles, 1 annotations"},
		{"a long description", "<Description>", "x", "</Description>", size / 4, "REFUSED"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			qdpx := filepath.Join(dir, "expanding.qdpx")
			made := time.Now()
			onDisk := writeExpandingQDPX(t, qdpx, c.open, c.unit, c.close, c.size)
			t.Logf("made in %v", time.Since(made))
			started := time.Now()
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "PARALLAX_REFI_MEMORY_CHILD="+qdpx, "PARALLAX_REFI_MEMORY_PROJECT="+filepath.Join(dir, "p.parallax"),
				"GOMEMLIMIT=64MiB")
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Run(); err != nil {
				t.Fatalf("child: %v\n%s", err, out.String())
			}
			t.Logf("imported in %v", time.Since(started))
			peakMB := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss >> 10
			t.Logf("%d KB on disk, %d MB expanded: peak %d MB; %s", onDisk>>10, c.size>>20, peakMB, strings.TrimSpace(out.String()))
			if !strings.HasPrefix(out.String(), c.want) {
				t.Errorf("outcome %q, want %q", out.String(), c.want)
			}
			if peakMB > int64(limitMB) {
				t.Errorf("peak memory %d MB, over the %d MB bound", peakMB, limitMB)
			}
		})
	}
}
