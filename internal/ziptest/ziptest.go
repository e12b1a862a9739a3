// Package ziptest writes zip entries that expand far beyond what they
// weigh, for the tests that hold importers to bounded memory. It is
// imported only by tests.
package ziptest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"strings"
	"testing"
)

// Expanding adds to zw an entry named name holding head, then unit
// repeated to n bytes (whole units only, so markup stays well-formed), then
// tail: a megabyte or two on disk however large n is. The padding is
// compressed once, a megabyte of it, and that block repeated: a deflate
// stream is a sequence of blocks, and a block from a fresh compressor
// refers to nothing before it, so making the file costs what it weighs,
// not what it expands to.
func Expanding(tb testing.TB, zw *zip.Writer, name, head, unit, tail string, n int) {
	tb.Helper()
	per := max(1, (1<<20)/len(unit))
	chunk := strings.Repeat(unit, per)
	var comp bytes.Buffer
	crc := crc32.NewIEEE()
	size := 0
	add := func(plain string, block []byte) {
		comp.Write(block)
		crc.Write([]byte(plain))
		size += len(plain)
	}
	add(head, DeflateBlock(tb, []byte(head), false))
	block := DeflateBlock(tb, []byte(chunk), false)
	count := n / len(unit)
	for ; count >= per; count -= per {
		add(chunk, block)
	}
	rest := strings.Repeat(unit, count)
	add(rest, DeflateBlock(tb, []byte(rest), false))
	add(tail, DeflateBlock(tb, []byte(tail), true))
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc.Sum32(),
		CompressedSize64: uint64(comp.Len()), UncompressedSize64: uint64(size)})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := w.Write(comp.Bytes()); err != nil {
		tb.Fatal(err)
	}
}

// DeflateBlock compresses s as a block that refers to nothing before it,
// so that it can be repeated in a deflate stream; final ends the stream.
func DeflateBlock(tb testing.TB, s []byte, final bool) []byte {
	tb.Helper()
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		tb.Fatal(err)
	}
	w.Write(s)
	if final {
		err = w.Close()
	} else {
		err = w.Flush() // ends the block without ending the stream
	}
	if err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}
