package app

import (
	"fmt"
	"runtime/debug"
)

// Set at link time by the Makefile (-ldflags "-X ..."); the build info
// fills in what a plain `go build` leaves empty.
var (
	version   = "0.1.0-dev"
	commit    = ""
	buildDate = ""
)

// Version is the release version.
func Version() string { return version }

// VersionLine is the version with the commit and build date, for bug
// reports.
func VersionLine() string {
	c, d := commit, buildDate
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				if c == "" {
					c = s.Value
				}
			case "vcs.time":
				if d == "" {
					d = s.Value
				}
			}
		}
	}
	if len(c) > 12 {
		c = c[:12]
	}
	if c == "" {
		c = "unknown"
	}
	if d == "" {
		d = "unknown"
	}
	return fmt.Sprintf("%s (commit %s, built %s)", version, c, d)
}
