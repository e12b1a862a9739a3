# Parallax build. The two commands a person needs:
#   make run    set up what is missing, build, and open the window
#   make test   set up what is missing, and run every check and test
#
# Build tags live here and only here: FTS5 for go-sqlite3, and Fyne's
# fyne.Do threading model (the FyneApp.toml [Migrations] entry does the
# same for `fyne build`/`fyne package`).
TAGS      := sqlite_fts5 migrated_fynedo
GO        ?= go
PKG       := github.com/parallax-research/parallax
VERSION   ?= $(shell sed -n 's/^Version = "\(.*\)"/\1/p' FyneApp.toml)
COMMIT    := $(shell git rev-parse --short=12 HEAD 2>/dev/null)
BUILDDATE := $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS   := -X $(PKG)/app.version=$(VERSION) -X $(PKG)/app.commit=$(COMMIT) -X $(PKG)/app.buildDate=$(BUILDDATE)
GOFLAGS_BUILD := -tags "$(TAGS)" -ldflags "$(LDFLAGS)"

# Fyne cannot parse the POSIX locale (C, C.UTF-8, POSIX) and logs an error
# on every start; give it a real one when the environment has none.
ifneq ($(filter C C.% POSIX,$(or $(LANG),C)),)
export LANG := en_US.UTF-8
endif
export CGO_ENABLED := 1

# Debian/Ubuntu packages: a C compiler for cgo, OpenGL and X11 headers for
# Fyne's GLFW window, xmllint for the REFI-QDA schema tests, Chromium to
# render the HTML report in a real browser in the tests.

.PHONY: run build test check vet lint unit fuzz bench bench-cli soak deps clean

run: build
	./parallax $(ARGS)

build: deps
	$(GO) build $(GOFLAGS_BUILD) -o parallax .

test: deps check unit

# The tests run under the race detector, which watches the worker pools
# (analysis, alignment) and the background jobs; RACE= turns it off where Go
# has none. go vet and staticcheck build with the same flag, so all three
# share one build of every package, cgo's C code included, instead of two.
RACE ?= -race

check:
	@echo "== gofmt"; out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi
	@echo "== go vet"; $(GO) vet $(RACE) -tags "$(TAGS)" ./...
	@echo "== staticcheck"; GOFLAGS="$$($(GO) env GOFLAGS) $(RACE)" $(GO) tool staticcheck -tags "$(TAGS)" ./...

# SKIP is a go test -skip regexp for what a machine cannot run, as
# .github/workflows/ci.yml passes it; $(value) keeps its $ anchors.
unit:
	@echo "== go test $(RACE)"; $(GO) test $(RACE) -tags "$(TAGS)" -count=1 $(if $(value SKIP),-skip '$(value SKIP)') ./...

# Short fuzzing pass over every fuzz target (FUZZTIME=1m for longer).
FUZZTIME ?= 15s
fuzz:
	@for pkg in $$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u); do \
	  for f in $$($(GO) test -tags "$(TAGS)" -list 'Fuzz.*' $$pkg | grep ^Fuzz); do \
	    echo "== $$pkg $$f"; $(GO) test -tags "$(TAGS)" -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; done

# Kill import, analyze, annotate and re-import with SIGKILL at random
# moments (SOAK_KILLS times while they work; `make test` does a few) and
# check integrity and that every confirmed write survived after each kill.
SOAK_KILLS ?= 200
soak:
	PARALLAX_SOAK_KILLS=$(SOAK_KILLS) $(GO) test -tags "$(TAGS)" -count=1 -timeout 60m -run '^TestSoak$$' -v ./app/ | grep -E '^(soak:|--- |ok|FAIL|PASS)|soak_test'

bench:
	$(GO) test -tags "$(TAGS)" -run '^$$' -bench . -benchmem ./...

# End to end through the command line on gencorpus.py corpora: import,
# analyze and align --json at 1k, 4k and 16k articles (SIZES, REPEAT).
bench-cli: build
	@SIZES="$(SIZES)" REPEAT="$(REPEAT)" bash .ci/bench-cli.sh

# deps installs what a fresh Debian/Ubuntu machine lacks when run as root,
# and otherwise prints the exact command to run.
deps:
	@command -v $(GO) >/dev/null || { echo "Go is not installed: see https://go.dev/doc/install"; exit 1; }
	@if [ "$$(uname -s)" = Linux ]; then \
	  missing=""; \
	  command -v gcc >/dev/null || missing="$$missing gcc"; \
	  [ -f /usr/include/GL/gl.h ] || missing="$$missing libgl1-mesa-dev"; \
	  { [ -f /usr/include/X11/Xlib.h ] && [ -f /usr/include/X11/extensions/Xrandr.h ] && [ -f /usr/include/X11/Xcursor/Xcursor.h ] && [ -f /usr/include/X11/extensions/Xinerama.h ] && [ -f /usr/include/X11/extensions/XInput2.h ]; } || missing="$$missing xorg-dev"; \
	  command -v xmllint >/dev/null || missing="$$missing libxml2-utils"; \
	  command -v chromium >/dev/null || missing="$$missing chromium"; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	      echo "Installing:$$missing"; \
	      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	    else \
	      echo "Missing system packages. Install them with:"; \
	      echo "  sudo apt-get install -y$$missing"; exit 1; \
	    fi; \
	  fi; \
	fi

clean:
	rm -f parallax parallax.exe

# ---- Packaging (Linux desktop) ---------------------------------------------
#   make icon           render assets/icon.png (512x512) from assets/icon.svg
#   make package-linux  dist/parallax-VERSION-linux-ARCH.tar.xz, made by Fyne's
#                       packager: binary, icon, desktop entry and a Makefile
#   make install        install that package under PREFIX (default /usr/local;
#                       DESTDIR is honoured); builds it first when missing
#   make uninstall      remove what install put there
#   make check-desktop  install into a temporary prefix and validate the
#                       desktop entry with desktop-file-validate
.PHONY: icon package-linux install uninstall check-desktop

# Fyne's packager, pinned. `go run pkg@version` needs no install step and
# keeps the tool out of go.mod (fyne.io/tools v1.7.4 requires Fyne v2.8,
# which `go get -tool` would force on the app). The empty -ldflags= keeps the
# tool's own build independent of GOFLAGS below, so it stays cached.
FYNE_TOOLS   := fyne.io/tools/cmd/fyne@v1.7.4
FYNE         := $(GO) run -ldflags= $(FYNE_TOOLS)
# fyne build/package take extra linker flags only from GOFLAGS, one
# whitespace-free -ldflags= word per flag: LDFLAGS' -X pairs rewritten so.
FYNE_GOFLAGS  = $(strip $(shell $(GO) env GOFLAGS) $(foreach f,$(filter-out -X,$(LDFLAGS)),-ldflags=-X=$(f)))
comma        := ,
empty        :=
space        := $(empty) $(empty)
APPID         = $(shell sed -n 's/^ID = "\(.*\)"/\1/p' FyneApp.toml)
PKG_ARCH      = $(shell $(GO) env GOARCH)
DIST         := dist
LINUX_PKG     = $(DIST)/parallax-$(VERSION)-linux-$(PKG_ARCH).tar.xz
PREFIX       ?= /usr/local
DESTDIR      ?=

# $(call need,COMMAND,DEBIAN-PACKAGE): like deps, install the package as root
# when the command is missing, and otherwise print the command to run.
need = command -v $(1) >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing: $(2)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; \
	  else \
	    echo "Missing $(1). Install it with:"; echo "  sudo apt-get install -y $(2)"; exit 1; \
	  fi; }

icon:
	@$(call need,rsvg-convert,librsvg2-bin)
	rsvg-convert --width 512 --height 512 --keep-aspect-ratio --output assets/icon.png assets/icon.svg

# Always rebuilds. fyne builds the binary itself (with --release: -trimpath,
# -s -w, the "release" tag, hardening C flags; FyneApp.toml's fyneDo
# migration adds migrated_fynedo) into a temporary folder, so ./parallax from
# `make build` is left alone. fyne writes ./Parallax.tar.xz and bumps Build in
# FyneApp.toml; the file is restored (with its mtime) afterwards.
package-linux: deps
	@mkdir -p $(DIST)
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  cp -p FyneApp.toml "$$tmp/FyneApp.toml" && \
	  echo "== fyne package --target linux ($(FYNE_TOOLS))" && \
	  GOFLAGS="$(FYNE_GOFLAGS)" $(FYNE) package --target linux --release \
	    --tags "$(subst $(space),$(comma),$(TAGS))" --executable "$$tmp/parallax"; \
	  rc=$$?; cp -p "$$tmp/FyneApp.toml" FyneApp.toml; [ $$rc = 0 ] || exit $$rc; \
	  mv -f Parallax.tar.xz $(LINUX_PKG) && echo "== $(LINUX_PKG)" && tar -tJvf $(LINUX_PKG)

# Rebuilt by install/check-desktop only when missing or older than its sources.
$(LINUX_PKG): FyneApp.toml assets/icon.png go.mod go.sum $(shell git ls-files '*.go' 2>/dev/null)
	@$(MAKE) --no-print-directory package-linux

# The package's own Makefile does the installing (bin/, share/applications/,
# share/pixmaps/ under PREFIX).
install: $(LINUX_PKG)
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  tar -xJf $(LINUX_PKG) -C "$$tmp" && \
	  $(MAKE) --no-print-directory -C "$$tmp/parallax" install PREFIX="$(PREFIX)" DESTDIR="$(DESTDIR)"

uninstall:
	rm -f "$(DESTDIR)$(PREFIX)/bin/parallax" \
	  "$(DESTDIR)$(PREFIX)/share/applications/$(APPID).desktop" \
	  "$(DESTDIR)$(PREFIX)/share/pixmaps/$(APPID).png"

check-desktop: $(LINUX_PKG)
	@$(call need,desktop-file-validate,desktop-file-utils)
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  $(MAKE) --no-print-directory install PREFIX="$$tmp" DESTDIR= && \
	  echo "== installed under a temporary PREFIX" && (cd "$$tmp" && find . -type f | sort) && \
	  desktop="$$tmp/share/applications/$(APPID).desktop" && \
	  echo "== $(APPID).desktop" && cat "$$desktop" && \
	  echo "== desktop-file-validate" && desktop-file-validate "$$desktop" && echo "valid" && \
	  icon=$$(sed -n 's/^Icon=//p' "$$desktop") && \
	  test -f "$$tmp/share/pixmaps/$$icon.png" && echo "== icon $$icon.png found" && \
	  echo "== parallax version" && "$$tmp/bin/parallax" version && \
	  $(MAKE) --no-print-directory uninstall PREFIX="$$tmp" DESTDIR= && \
	  left=$$(find "$$tmp" -type f) && [ -z "$$left" ] && echo "== uninstall removed every file"

# ---- Packaging (Windows, cross-compiled on Debian/Ubuntu) -------------------
#   make package-windows  dist/parallax.exe for windows/amd64 with MinGW-w64:
#                         GUI subsystem (commands still print in cmd/PowerShell),
#                         icon, version information and manifest embedded
#   make smoke-windows    run that .exe under Wine and Xvfb: version, import and
#                         list --json with Windows paths, console output, and the
#                         window, screenshotted to assets/screenshots/windows-wine.png
.PHONY: package-windows smoke-windows

install-missing = if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	  else \
	    echo "Missing system packages. Install them with:"; \
	    echo "  sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

WIN_BUILD_NEEDS = command -v x86_64-w64-mingw32-gcc >/dev/null || missing="$$missing gcc-mingw-w64-x86-64"; \
	  command -v rsvg-convert >/dev/null || missing="$$missing librsvg2-bin"
WIN_SMOKE_NEEDS = { command -v wine64 >/dev/null || [ -x /usr/lib/wine/wine64 ]; } || missing="$$missing wine64"; \
	  command -v Xvfb >/dev/null || missing="$$missing xvfb"; \
	  { command -v import >/dev/null && [ -x /usr/bin/convert ]; } || missing="$$missing imagemagick"; \
	  command -v xwininfo >/dev/null || missing="$$missing x11-utils"; \
	  command -v python3 >/dev/null || missing="$$missing python3"; \
	  command -v script >/dev/null || missing="$$missing bsdutils"

package-windows:
	@command -v $(GO) >/dev/null || { echo "Go is not installed: see https://go.dev/doc/install"; exit 1; }
	@missing=""; $(WIN_BUILD_NEEDS); $(if $(filter smoke-windows,$(MAKECMDGOALS)),$(WIN_SMOKE_NEEDS);) \
	  $(install-missing)
	@GO="$(GO)" TAGS="$(TAGS)" LDFLAGS="$(LDFLAGS)" VERSION="$(VERSION)" COMMIT="$(COMMIT)" \
	  BUILDDATE="$(BUILDDATE)" OUT="$(DIST)/parallax.exe" bash .ci/windows/package.sh

smoke-windows: package-windows
	@missing=""; $(WIN_SMOKE_NEEDS); \
	  $(install-missing)
	@EXE="$(DIST)/parallax.exe" bash .ci/windows/smoke.sh
