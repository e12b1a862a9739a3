#!/usr/bin/env python3
"""Write a Flat ODF text document from a plain-text article, for LibreOffice
to turn into a PDF: mkpdf.py IN.txt OUT.fodt [--columns N] [--header TEXT]
[--no-page-numbers] [--no-hyphenation] [--repeat N].

IN.txt: the first line is the headline, then paragraphs, one per line
(blank lines ignored). The PDF then holds the headline as a heading across
the page, the paragraphs justified in N columns, a running header on every
page and "Page N" in the footer."""
import sys, argparse
from xml.sax.saxutils import escape

ap = argparse.ArgumentParser()
ap.add_argument("src"); ap.add_argument("out")
ap.add_argument("--columns", type=int, default=1)
ap.add_argument("--header", default="")
ap.add_argument("--no-page-numbers", action="store_true")
ap.add_argument("--no-hyphenation", action="store_true")
ap.add_argument("--repeat", type=int, default=1)
a = ap.parse_args()

lines = [l.strip() for l in open(a.src, encoding="utf-8").read().splitlines()]
lines = [l for l in lines if l]
title, paras = lines[0], lines[1:]
hyph = "false" if a.no_hyphenation else "true"
header = f"<style:header><text:p>{escape(a.header)}</text:p></style:header>" if a.header else ""
footer = "" if a.no_page_numbers else "<style:footer><text:p text:style-name=\"F\">Page <text:page-number/></text:p></style:footer>"
body = []
for i in range(a.repeat):
    body.append(f'<text:h text:style-name="H" text:outline-level="1">{escape(title)}</text:h>')
    body.append('<text:section text:name="S%d" text:style-name="Sect">' % i)
    body += [f'<text:p text:style-name="P">{escape(p)}</text:p>' for p in paras]
    body.append('</text:section>')
doc = f'''<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:automatic-styles>
<style:style style:name="P" style:family="paragraph"><style:paragraph-properties fo:text-align="justify" fo:margin-bottom="0.2cm"/><style:text-properties style:font-name="Liberation Serif" fo:font-family="'Liberation Serif'" fo:font-size="10pt" fo:language="en" fo:country="US" fo:hyphenate="{hyph}" fo:hyphenation-remain-char-count="3" fo:hyphenation-push-char-count="3"/></style:style>
<style:style style:name="H" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.3cm" fo:break-before="page"/><style:text-properties fo:font-family="'Liberation Sans'" fo:font-size="16pt" fo:font-weight="bold"/></style:style>
<style:style style:name="F" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/></style:style>
<style:style style:name="Sect" style:family="section"><style:section-properties><style:columns fo:column-count="{a.columns}" fo:column-gap="0.6cm"/></style:section-properties></style:style>
<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="2cm" fo:margin-right="2cm"/></style:page-layout>
</office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1">{header}{footer}</style:master-page></office:master-styles>
<office:body><office:text>
{chr(10).join(body)}
</office:text></office:body></office:document>
'''
open(a.out, "w", encoding="utf-8").write(doc)
