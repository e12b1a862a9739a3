package ingest

import (
	"regexp"
	"sync"
)

// lazyRegexp is expr compiled the first time it is used. Compiled when the
// program started, the importers' expressions (the case-folded Nexis and
// date-line ones most) took 6 ms of every command's start, and most
// commands import nothing.
func lazyRegexp(expr string) func() *regexp.Regexp {
	re := sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
	lazyRegexps = append(lazyRegexps, re)
	return re
}

// lazyRegexps lists every expression lazyRegexp made, for the test that
// compiles them all: a mistyped one fails it, not the first import to
// reach it.
var lazyRegexps []func() *regexp.Regexp
