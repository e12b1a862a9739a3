package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// buildTags reads the build tags from the Makefile, where they live.
func buildTags(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("Makefile")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^TAGS\s*:=\s*(.+)$`).FindSubmatch(b)
	if m == nil {
		t.Fatal("no TAGS := line in the Makefile")
	}
	return strings.TrimSpace(string(m[1]))
}

// TestQuietLocale runs the built binary under the C and POSIX locales
// (with and without a codeset, as Docker images and CI set them) and
// checks that commands print nothing on stderr: Fyne reads the locale
// while its packages initialise, before main, and used to log three
// "Error parsing user locale C" lines there.
func TestQuietLocale(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("needs the go command to build the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "parallax")
	args := []string{"build", "-tags", buildTags(t), "-o", bin}
	if raceBuild {
		args = append(args, "-race")
	}
	build := exec.Command(goTool, append(args, ".")...)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	project := filepath.Join(dir, "p.parallax")
	article := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(article, []byte("title: A\n\nSome text of an article.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "import", "--project", project, article).CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	// Only the variables under test reach the child, so the machine's own
	// locale cannot hide a failure.
	var base []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE":
		default:
			base = append(base, kv)
		}
	}
	for _, locale := range [][]string{
		{"LANG=C.UTF-8"}, {"LC_ALL=C.UTF-8"}, {"LANG=C"}, {"LANG=POSIX"}, {"LANG=C.utf8", "LANGUAGE=fr"},
		{"LC_MESSAGES=POSIX.UTF-8", "LANG=en_GB.UTF-8"},
	} {
		for _, args := range [][]string{{"version"}, {"help"}, {"list", "--json", "--project", project}} {
			cmd := exec.Command(bin, args...)
			cmd.Env = append(append([]string{}, base...), locale...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Errorf("%v parallax %v: %v\n%s", locale, args, err, stderr.String())
				continue
			}
			if stderr.Len() > 0 {
				t.Errorf("%v parallax %v printed on stderr:\n%s", locale, args, stderr.String())
			}
			if stdout.Len() == 0 {
				t.Errorf("%v parallax %v printed nothing", locale, args)
			}
		}
	}
}
