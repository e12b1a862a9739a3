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

.PHONY: run build test check vet lint unit fuzz bench deps clean

run: build
	./parallax $(ARGS)

build: deps
	$(GO) build $(GOFLAGS_BUILD) -o parallax .

test: deps check unit

check:
	@echo "== gofmt"; out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi
	@echo "== go vet"; $(GO) vet -tags "$(TAGS)" ./...
	@echo "== staticcheck"; $(GO) tool staticcheck -tags "$(TAGS)" ./...

unit:
	@echo "== go test"; $(GO) test -tags "$(TAGS)" -count=1 ./...

# Short fuzzing pass over every fuzz target (FUZZTIME=1m for longer).
FUZZTIME ?= 15s
fuzz:
	@for pkg in ./data ./diffing; do \
	  for f in $$($(GO) test -tags "$(TAGS)" -list 'Fuzz.*' $$pkg | grep ^Fuzz); do \
	    echo "== $$pkg $$f"; $(GO) test -tags "$(TAGS)" -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; done

bench:
	$(GO) test -tags "$(TAGS)" -run '^$$' -bench . -benchmem ./...

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
