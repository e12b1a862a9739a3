#!/bin/sh
# Makes the committed PDF fixtures from the synthetic articles in
# ../../ingesttest/synthetic with LibreOffice, so the tests read PDFs as a
# word processor writes them (embedded subset fonts, ToUnicode maps, real
# hyphenation), which the test-time generator (fpdf, core fonts) does not.
# Needs: python3, libreoffice (writer), hyphen-en-us, qpdf. Not run by
# `make test`; rerun by hand after changing the synthetic text:
#   sh data/ingest/testdata/pdf/make-pdf-fixtures.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src="$here/../../ingesttest/synthetic"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in "$src"/story*.txt; do
  b=$(basename "$f" .txt)
  # mkpdf.py wants the headline on the first line, then the paragraphs.
  { sed -n 's/^title: //p' "$f"; sed '1,/^$/d' "$f"; } > "$tmp/$b.txt"
  for n in 2 3; do
    python3 "$here/mkpdf.py" "$tmp/$b.txt" "$tmp/$b-c$n.fodt" --columns $n --header "The Example Gazette · Morning edition"
  done
done
(cd "$tmp" && soffice --headless --convert-to pdf ./*.fodt >/dev/null 2>&1)
# Two articles, two pages: the running header and page numbers repeat.
qpdf --empty --pages "$tmp/story1-c2.pdf" "$tmp/story2-c2.pdf" -- "$here/columns2.pdf"
qpdf --empty --pages "$tmp/story1-c3.pdf" "$tmp/story2-c3.pdf" -- "$here/columns3.pdf"
ls -l "$here"/*.pdf
