// Command parallax is a desktop research workbench for comparing how news
// outlets report the same event. Run without arguments it opens the
// window; `parallax help` lists its commands.
package main

import (
	"os"

	"github.com/parallax-research/parallax/app"
)

func main() {
	os.Exit(app.Main(os.Args[1:], os.Stdout, os.Stderr))
}
