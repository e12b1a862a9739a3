package views

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// variantTheme pins the default theme to one variant. The app follows the
// system by default; snapshots and tests need a fixed look.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

// FixedTheme returns Fyne's default theme locked to the light or dark
// variant.
func FixedTheme(dark bool) fyne.Theme {
	v := theme.VariantLight
	if dark {
		v = theme.VariantDark
	}
	return &variantTheme{Theme: theme.DefaultTheme(), variant: v}
}

func (t *variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}
