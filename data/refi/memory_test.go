package refi

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/internal/ziptest"
)

// TestMain lets TestImportMemoryBounded run an import in a child process,
// whose peak memory the operating system measures.
func TestMain(m *testing.M) {
	if qdpx := os.Getenv("PARALLAX_REFI_MEMORY_CHILD"); qdpx != "" {
		if n, err := strconv.Atoi(os.Getenv("PARALLAX_REFI_MAX_TEXT")); err == nil {
			maxTextBytes = n
		}
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
	head, tail, _ := strings.Cut(expandingQDE, "@PAD@")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	ziptest.Expanding(t, zw, "project.qde", head+open, unit, close+tail, n)
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
// since what such a file stores is one short article. Before the import
// streamed the document, the first file took 2.5 GB.
func TestImportMemoryBounded(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("peak memory is read from Linux's resource usage")
	}
	type shape struct {
		name, open, unit, close string
		size                    int
		want                    string
	}
	shapes := []shape{
		{"white space between elements", "", " \n", "", 500 << 20, "IMPORTED 1 articles, 1 annotations, 0 memos"},
		{"a long comment", "<!--", "c", "-->", 128 << 20, "IMPORTED 1 articles, 1 annotations, 0 memos"},
		// The Decoder reads these byte by byte, twice: smaller, for time.
		{"repeated references", "", `<NoteRef targetGUID="77777777-7777-7777-7777-777777777777"/>`, "", 64 << 20, "IMPORTED 1 articles, 1 annotations, 0 memos, 1 skipped"},
		{"a long description", "<Description>", "x", "</Description>", 48 << 20, "REFUSED"},
	}
	limitMB := int64(100)
	env := []string{"GOMEMLIMIT=64MiB"}
	if raceBuild {
		// The race detector's shadow memory raises the figures and its
		// slowness the time: smaller files, a lower cap on a text run
		// (passed to the child), and a higher bound.
		limitMB = 200
		for i, sz := range []int{64 << 20, 32 << 20, 2 << 20, 4 << 20} {
			shapes[i].size = sz
		}
		env = append(env, "PARALLAX_REFI_MAX_TEXT=1048576")
	}
	for _, c := range shapes {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			qdpx := filepath.Join(dir, "expanding.qdpx")
			onDisk := writeExpandingQDPX(t, qdpx, c.open, c.unit, c.close, c.size)
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(append(os.Environ(), "PARALLAX_REFI_MEMORY_CHILD="+qdpx, "PARALLAX_REFI_MEMORY_PROJECT="+filepath.Join(dir, "p.parallax")), env...)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			started := time.Now()
			if err := cmd.Run(); err != nil {
				t.Fatalf("child: %v\n%s", err, out.String())
			}
			peakMB := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss >> 10
			t.Logf("%d KB on disk, %d MB expanded: peak %d MB in %v; %s", onDisk>>10, c.size>>20, peakMB, time.Since(started).Round(time.Millisecond),
				strings.TrimSpace(out.String()))
			if !strings.HasPrefix(out.String(), c.want) {
				t.Errorf("outcome %q, want %q", out.String(), c.want)
			}
			if peakMB > limitMB {
				t.Errorf("peak memory %d MB, over the %d MB bound", peakMB, limitMB)
			}
		})
	}
}
