package ingest

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parallax-research/parallax/data"
)

// utf16LE and utf16BE encode ASCII-or-BMP text with a byte-order mark, as
// Notepad saves "Unicode" files.
func utf16LE(s string) []byte {
	b := []byte{0xFF, 0xFE}
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

func utf16BE(s string) []byte {
	b := []byte{0xFE, 0xFF}
	for _, r := range s {
		b = append(b, byte(r>>8), byte(r))
	}
	return b
}

var decodeTests = []struct {
	name    string
	in      []byte
	want    string
	wantErr string // substring; "" means success
}{
	{name: "ascii", in: []byte("Hello\nworld\n"), want: "Hello\nworld\n"},
	{name: "utf8", in: []byte("Caf\u00e9 \u201cquoted\u201d \u2013 na\u00efve"), want: "Caf\u00e9 \u201cquoted\u201d \u2013 na\u00efve"},
	{name: "utf8 bom", in: []byte("\xEF\xBB\xBFTitle: x\n\nBody"), want: "Title: x\n\nBody"},
	{name: "utf16le bom", in: utf16LE("Caf\u00e9 \u2019s\r\nnext"), want: "Caf\u00e9 \u2019s\r\nnext"},
	{name: "utf16be bom", in: utf16BE("Caf\u00e9 \u2019s\nnext"), want: "Caf\u00e9 \u2019s\nnext"},
	{
		name: "cp1252 quotes and accents",
		in:   []byte("It\x92s a \x93caf\xe9\x94 \x96 fine"),
		want: "It\u2019s a \u201ccaf\u00e9\u201d \u2013 fine",
	},
	{name: "cp1252 euro", in: []byte("\x80100"), want: "\u20ac100"},
	{
		name:    "corrupt utf8 beside good utf8",
		in:      []byte("caf\u00e9 is fine\nbut this \xe9 is not"),
		wantErr: "invalid UTF-8 at line 2",
	},
	{name: "utf8 bom then invalid", in: []byte("\xEF\xBB\xBFa\n\n\xff"), wantErr: "invalid UTF-8 at line 3"},
	{name: "byte undefined in cp1252", in: []byte("one\ntwo \x81 three\xe9"), wantErr: "invalid UTF-8 at line 2, and not Windows-1252"},
	{name: "nul", in: []byte("PK\x03\x04\x00\x00binary"), wantErr: "binary file, not text"},
	{name: "nul in utf16", in: utf16LE("a\x00b"), wantErr: "binary file, not text"},
	{name: "many controls", in: []byte("\x01\x02\x03\x04text"), wantErr: "binary file, not text"},
	{name: "a stray control is fine", in: []byte("an old DOS file with plenty of words in it\x1a"), want: "an old DOS file with plenty of words in it\x1a"},
	{name: "form feed is fine", in: []byte("page one\fpage two"), want: "page one\fpage two"},
	{name: "empty", in: nil, wantErr: "empty file"},
	{name: "whitespace", in: []byte(" \r\n\t \n"), wantErr: "empty file"},
	{name: "bom only", in: []byte("\xEF\xBB\xBF"), wantErr: "empty file"},
	{name: "utf16 bom only", in: []byte{0xFF, 0xFE}, wantErr: "empty file"},
}

func TestDecodeText(t *testing.T) {
	for _, tt := range decodeTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeText(tt.in)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("DecodeText(%q) = %q, want error containing %q", tt.in, got, tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error %q, want it to contain %q", err, tt.wantErr)
				}
				if data.ErrorCode(err) != data.EInvalid {
					t.Errorf("error code %q, want %q", data.ErrorCode(err), data.EInvalid)
				}
				return
			}
			if err != nil {
				t.Fatalf("DecodeText(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("DecodeText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzDecodeText(f *testing.F) {
	for _, tt := range decodeTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := DecodeText(b)
		if err != nil {
			if data.ErrorCode(err) != data.EInvalid || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %q: want a one-line EInvalid error", err)
			}
			return
		}
		if !utf8.ValidString(s) {
			t.Fatalf("DecodeText(%q) = %q: not valid UTF-8", b, s)
		}
		// UTF-8 input must come back byte for byte, less a leading mark.
		switch in := string(b); {
		case strings.HasPrefix(in, "\xEF\xBB\xBF"):
			if s != in[3:] {
				t.Fatalf("DecodeText(%q) = %q, want the input without its mark", b, s)
			}
		case utf8.ValidString(in):
			if s != in {
				t.Fatalf("DecodeText(%q) = %q, want the input unchanged", b, s)
			}
		}
		if strings.IndexByte(s, 0) >= 0 {
			t.Fatalf("DecodeText(%q) returned a NUL", b)
		}
		if strings.TrimFunc(s, isSpace) == "" {
			t.Fatalf("DecodeText(%q) returned blank text without error", b)
		}
		if n := data.NormalizeText(s); strings.Contains(n, "\r") || !utf8.ValidString(n) {
			t.Fatalf("NormalizeText(DecodeText(%q)) = %q", b, n)
		}
	})
}
