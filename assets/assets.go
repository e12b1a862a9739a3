// Package assets bundles Parallax's icon and other static resources into
// the binary.
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.svg
var iconSVG []byte

// Icon is the application icon.
var Icon = fyne.NewStaticResource("parallax.svg", iconSVG)
