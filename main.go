// Command parallax is a desktop research workbench for comparing how news
// outlets report the same event. Run without arguments it opens the
// window; `parallax help` lists its commands.
package main

import (
	"os"

	"github.com/parallax-research/parallax/app"
	// Initialised before Fyne, to keep a C.UTF-8 locale from making Fyne
	// log errors at start: see the package's documentation.
	"github.com/parallax-research/parallax/internal/posixlocale"
)

func main() {
	posixlocale.Restore()
	os.Exit(app.Main(os.Args[1:], os.Stdout, os.Stderr))
}
