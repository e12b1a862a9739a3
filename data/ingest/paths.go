package ingest

import (
	"path/filepath"
	"runtime"
	"strings"
)

// pathKey is the form a file path is compared in: absolute, cleaned, and
// case-folded on Windows, where "Z:\a.txt", "z:/a.txt" and "a.txt" run from
// Z:\ name the same file. Without it a manifest row or an earlier import
// of the same file would be missed because of how the path was typed.
func pathKey(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	p = filepath.Clean(p)
	if runtime.GOOS == "windows" {
		p = strings.ToLower(p)
	}
	return p
}
