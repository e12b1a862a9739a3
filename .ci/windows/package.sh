#!/usr/bin/env bash
# Cross-compiles the Windows build, dist/parallax.exe, on Debian/Ubuntu:
# a GUI-subsystem executable (-H windowsgui) with the icon, version
# information and an application manifest embedded as resources.
#
#   bash .ci/windows/package.sh          (or: make package-windows)
#
# Needs Go, MinGW-w64 (apt-get install gcc-mingw-w64-x86-64) and
# rsvg-convert (librsvg2-bin) for the icon. The resources are compiled by
# go-winres (pinned below, fetched through the Go module proxy) into a
# .syso file that exists only for the duration of the build: nothing
# generated is committed.
#
# TAGS and LDFLAGS come from the Makefile when called from it; run
# directly, the tags are read from the Makefile and the version ldflags
# are rebuilt the same way, so the Makefile stays the one place for them.
set -euo pipefail

GO_WINRES=github.com/tc-hib/go-winres@v0.3.3
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
GO=${GO:-go}
CC_WIN=${CC_WIN:-x86_64-w64-mingw32-gcc}
OUT=${OUT:-dist/parallax.exe}
PKG=github.com/parallax-research/parallax

for tool in "$GO" "$CC_WIN"; do
	command -v "$tool" >/dev/null || { echo "package-windows: $tool not found (apt-get install -y gcc-mingw-w64-x86-64)" >&2; exit 1; }
done

toml() { sed -n "s/^[[:space:]]*$1 = \"\{0,1\}\([^\"]*\)\"\{0,1\}[[:space:]]*\$/\1/p" FyneApp.toml | head -n1; }
VERSION=${VERSION:-$(toml Version)}
BUILD=$(toml Build)
COMMIT=${COMMIT:-$(git rev-parse --short=12 HEAD 2>/dev/null || true)}
BUILDDATE=${BUILDDATE:-$(date -u +%Y-%m-%dT%H:%M:%SZ)}
TAGS=${TAGS:-$(sed -n 's/^TAGS[[:space:]]*:=[[:space:]]*//p' Makefile)}
LDFLAGS=${LDFLAGS:--X $PKG/app.version=$VERSION -X $PKG/app.commit=$COMMIT -X $PKG/app.buildDate=$BUILDDATE}
NAME=$(toml Name)
APPID=$(toml ID)
WEBSITE=$(toml Website)

# Windows wants four numbers: 0.1.0 (or 0.1.0-dev) with Build = 1 -> 0.1.0.1.
IFS=. read -r MAJ MIN PAT _ <<<"${VERSION%%[-+]*}"
NUMVER="${MAJ:-0}.${MIN:-0}.${PAT:-0}.${BUILD:-0}"

WORK=$(mktemp -d)
SYSO=app/zz_winres_windows_amd64.syso # picked up by go build for windows/amd64 only
cleanup() { rm -rf "$WORK" "$SYSO"; }
trap cleanup EXIT

# --- icon: every size drawn from assets/icon.svg by rsvg-convert, the
# renderer `make icon` makes assets/icon.png with (same art; the SVG is
# drawn on a 16-unit grid to stay crisp at 16 and 32 px, which scaling the
# 512 px PNG down would blur). Without rsvg-convert, assets/icon.png is
# scaled down with ImageMagick instead.
SIZES="256 64 48 32 24 16"
ICONS=()
if command -v rsvg-convert >/dev/null; then
	src=assets/icon.svg
	for s in $SIZES; do
		rsvg-convert --width "$s" --height "$s" --keep-aspect-ratio --output "$WORK/icon$s.png" "$src"
		ICONS+=("icon$s.png")
	done
elif [ -f assets/icon.png ] && command -v convert >/dev/null; then
	src=assets/icon.png
	for s in $SIZES; do
		convert assets/icon.png -resize "${s}x${s}" "PNG32:$WORK/icon$s.png"
		ICONS+=("icon$s.png")
	done
else
	echo "package-windows: rsvg-convert not found (apt-get install -y librsvg2-bin)" >&2; exit 1
fi
ICON_JSON=$(printf '"%s",' "${ICONS[@]}")
ICON_JSON="[${ICON_JSON%,}]"

cat >"$WORK/winres.json" <<EOF
{
  "RT_GROUP_ICON": { "APP": { "0000": $ICON_JSON } },
  "RT_MANIFEST": {
    "#1": {
      "0409": {
        "identity": { "name": "$APPID", "version": "$NUMVER" },
        "description": "$NAME",
        "minimum-os": "win10",
        "execution-level": "as invoker",
        "dpi-awareness": "per monitor v2",
        "long-path-aware": true,
        "use-common-controls-v6": true
      }
    }
  },
  "RT_VERSION": {
    "#1": {
      "0000": {
        "fixed": { "file_version": "$NUMVER", "product_version": "$NUMVER" },
        "info": {
          "0409": {
            "Comments": "$WEBSITE",
            "CompanyName": "Parallax Research",
            "FileDescription": "$NAME — news comparison workbench",
            "FileVersion": "$VERSION",
            "InternalName": "parallax",
            "LegalCopyright": "Parallax Research",
            "OriginalFilename": "parallax.exe",
            "ProductName": "$NAME",
            "ProductVersion": "$VERSION (commit ${COMMIT:-unknown}, built $BUILDDATE)"
          }
        }
      }
    }
  }
}
EOF

echo "== resources: $NAME $VERSION ($NUMVER), icon $SIZES px from $src"
(cd "$WORK" && GOOS= GOARCH= CGO_ENABLED=0 "$GO" run "$GO_WINRES" make --in winres.json --arch amd64 --out rsrc)
cp "$WORK/rsrc_windows_amd64.syso" "$SYSO"

echo "== go build (windows/amd64, tags: $TAGS) -> $OUT"
mkdir -p "$(dirname "$OUT")"
CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC="$CC_WIN" \
	"$GO" build -tags "$TAGS" -ldflags "-H windowsgui $LDFLAGS" -o "$OUT" .

# What ships is one file: it must need no MinGW runtime DLL next to it.
OBJDUMP=${CC_WIN%gcc}objdump
if command -v "$OBJDUMP" >/dev/null; then
	dlls=$("$OBJDUMP" -p "$OUT" | sed -n 's/^[[:space:]]*DLL Name: //p' | sort -u | tr '\n' ' ')
	echo "== imports: $dlls"
	case " ${dlls,,} " in
	*" libgcc"* | *" libwinpthread"* | *" libstdc++"*)
		echo "package-windows: $OUT needs a MinGW runtime DLL" >&2; exit 1 ;;
	esac
	"$OBJDUMP" -h "$OUT" | grep -q '\.rsrc' || { echo "package-windows: no resources in $OUT" >&2; exit 1; }
fi
ls -l "$OUT"
