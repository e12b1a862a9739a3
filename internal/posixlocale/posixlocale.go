// Package posixlocale keeps Fyne from logging "Error parsing user locale C"
// on every start under the C/POSIX locale with a codeset, such as
// LANG=C.UTF-8, the default of Docker images and CI runners.
//
// Fyne's package fyne.io/fyne/v2/lang reads the locale in its package
// initialisation (init → AddTranslationsFS → updateLocalizer →
// closestSupportedLocale). Its locale library skips "C" and "POSIX" but
// passes "C.UTF-8" on as the language tag "C", which does not parse, and
// Fyne logs the failure to stderr before main runs: the command line's
// one-line errors and --json output would start with three lines of noise.
//
// This package's init rewrites LC_ALL, LC_MESSAGES and LANG to plain "C"
// when they name the C or POSIX locale with a codeset or modifier, and
// Restore puts the values back once Fyne has initialised, so the rest of
// the process (and anything it starts) sees the environment it was given.
// The result for Fyne is the same either way: no translation, English.
//
// Why its init runs before Fyne's: Go initialises packages in dependency
// order and, among the packages whose imports are all initialised, in
// order of import path. This package imports only syscall, so it is ready
// as soon as syscall is; fyne.io/fyne/v2/lang imports log (and Fyne
// imports os), which import syscall and sort after this package's path,
// so neither can be initialised while this package waits. lang's path
// sorts first ("fyne.io" < "github.com"), which is why a dependency on
// os or strings here would not be enough: lang could then become ready
// in the same step as this package and win. TestQuietLocale in package
// main checks the built binary under each such locale.
package posixlocale

import "syscall"

// vars are the variables Fyne's locale library reads, in its order.
var vars = [...]string{"LC_ALL", "LC_MESSAGES", "LANG"}

// saved holds the values init replaced, for Restore.
var saved [len(vars)]struct {
	value   string
	changed bool
}

func init() {
	for i, k := range vars {
		v, ok := syscall.Getenv(k)
		if !ok || !posixWithSuffix(v) {
			continue
		}
		if syscall.Setenv(k, "C") == nil {
			saved[i].value, saved[i].changed = v, true
		}
	}
}

// Restore puts back the values init replaced. Call it from main, after
// package initialisation; it is safe to call more than once.
func Restore() {
	for i, k := range vars {
		if saved[i].changed {
			_ = syscall.Setenv(k, saved[i].value) // best effort: the value came from this environment
			saved[i].changed = false
		}
	}
}

// posixWithSuffix reports whether v names the C or POSIX locale with a
// codeset or modifier ("C.UTF-8", "C.utf8", "POSIX@euro"). Plain "C" and
// "POSIX" are left alone: Fyne's locale library already skips them.
func posixWithSuffix(v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] == '.' || v[i] == '@' {
			base := v[:i]
			return base == "C" || base == "POSIX"
		}
	}
	return false
}
