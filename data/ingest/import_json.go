package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/parallax-research/parallax/data"
)

// JSON files hold many articles, so they may be far larger than one
// article; each record is still held to MaxArticleBytes.
const maxJSONFileBytes = 1 << 30

// jsonFields lists, for each article field, the JSON keys that fill it in
// order of preference. They are the names scrapers and news databases
// (Media Cloud, NewsAPI, newspaper3k, trafilatura) use. Keys match without
// regard to case.
var jsonFields = []struct {
	field string
	keys  []string
}{
	{"title", []string{"title", "headline"}},
	{"outlet", []string{"outlet", "source", "media_name", "publisher", "sitename", "site_name"}},
	{"date", []string{"date", "publish_date", "published", "publication_date", "publishedat"}},
	{"url", []string{"url"}},
	{"author", []string{"author", "authors", "byline"}},
	{"text", []string{"text", "body", "content"}},
}

// readJSONLines reads a JSON Lines file, one article object per line,
// and passes each article, or each record's problem, to yield until it
// returns false. Every Item's Path is name; articles' Source is "name#N"
// for the Nth record, and errors start "name:LINE:". Lines are read with a
// buffer bounded by MaxArticleBytes, so a 1 GB file is never held whole,
// and a line over the limit is an error for that record only.
func readJSONLines(r io.Reader, name string, yield func(Item) bool) {
	errs := &recordErrors{name: name, yield: yield}
	defer errs.finish()
	yield = errs.add
	br := jsonInput(r)
	n := 0
	for line := 1; ; line++ {
		b, tooLong, err := readLine(br, data.MaxArticleBytes)
		if err != nil && err != io.EOF {
			yield(Item{Path: name, Err: fmt.Errorf("%s:%d: reading: %w", name, line, err)})
			return
		}
		if tooLong || len(bytes.TrimSpace(b)) > 0 {
			n++
			var it Item
			if tooLong {
				it = Item{Path: name, Err: fmt.Errorf("%s:%d: %w", name, line,
					data.Errorf(data.EInvalid, "record is over the %d MB per-article limit", data.MaxArticleBytes>>20))}
			} else {
				it = jsonRecordItem(b, name, line, fmt.Sprintf("%s#%d", name, n))
			}
			if !yield(it) {
				return
			}
		}
		if err == io.EOF {
			break
		}
	}
	if n == 0 {
		yield(Item{Path: name, Err: fmt.Errorf("%s: %w", name, data.Errorf(data.EInvalid, "no records in the file"))})
	}
}

// jsonInput buffers r, dropping a UTF-8 byte-order mark and transcoding
// UTF-16 with a mark, which is what Windows PowerShell's Out-File writes.
// JSON without a mark must be UTF-8, as the standard says.
func jsonInput(r io.Reader) *bufio.Reader {
	br := bufio.NewReaderSize(r, 64<<10)
	b, _ := br.Peek(3)
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		dec := xunicode.BOMOverride(xunicode.UTF8.NewDecoder())
		br = bufio.NewReaderSize(transform.NewReader(br, dec), 64<<10)
	}
	return br
}

// readLine reads one line without its "\n" (and "\r"). A line longer than
// limit is read to its end and discarded, and tooLong is set, so one bad
// record cannot exhaust memory or stop the rest of the file.
func readLine(br *bufio.Reader, limit int) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(chunk) > limit+2 { // +2: room for "\r\n"
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		line = bytes.TrimSuffix(line, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		if !tooLong && len(line) > limit {
			tooLong, line = true, nil
		}
		return line, tooLong, err
	}
}

// readJSONFile reads a .json file holding either one article object or an
// array of them, reporting to yield as readJSONLines does. A lone object's
// Source is name; array elements are "name#N". The array is split into
// records by a small scanner rather than decoded whole, so memory is
// bounded by the largest record, not the file.
func readJSONFile(r io.Reader, name string, yield func(Item) bool) {
	errs := &recordErrors{name: name, yield: yield}
	defer errs.finish()
	yield = errs.add
	s := &jsonScanner{r: jsonInput(r), line: 1}
	fail := func(line int, format string, args ...any) {
		yield(Item{Path: name, Err: fmt.Errorf("%s:%d: %w", name, line, data.Errorf(data.EInvalid, format, args...))})
	}
	c, err := s.skipSpace()
	if err == io.EOF {
		yield(Item{Path: name, Err: fmt.Errorf("%s: %w", name, data.Errorf(data.EInvalid, "empty file"))})
		return
	}
	if err != nil {
		fail(s.line, "reading: %v", err)
		return
	}
	switch c {
	case '{':
		line := s.line
		v, tooBig, err := s.value()
		if err != nil {
			fail(s.line, "%v", err)
			return
		}
		if tooBig {
			fail(line, "record is over the %d MB per-article limit", data.MaxArticleBytes>>20)
			return
		}
		if !s.atEnd() {
			fail(s.line, "unexpected data after the object")
			return
		}
		if recs, ok := newsAPIArticles(v); ok {
			// A NewsAPI response saved as it came: its articles are the
			// records, as if the file were their array.
			for i, r := range recs {
				if !yield(jsonRecordItem(r.raw, name, line+r.at, fmt.Sprintf("%s#%d", name, i+1))) {
					return
				}
			}
			if len(recs) == 0 {
				yield(Item{Path: name, Err: fmt.Errorf("%s: %w", name, data.Errorf(data.EInvalid, "no records in the file (a NewsAPI response with no articles)"))})
			}
			return
		}
		yield(jsonRecordItem(v, name, line, name))
	case '[':
		s.r.ReadByte()
		n := 0
		for {
			c, err := s.skipSpace()
			if err != nil {
				fail(s.line, "unexpected end of file inside the array")
				return
			}
			if c == ']' && n == 0 {
				s.r.ReadByte()
				break
			}
			n++
			line := s.line
			v, tooBig, err := s.value()
			if err != nil {
				fail(s.line, "%v", err)
				return
			}
			var it Item
			if tooBig {
				it = Item{Path: name, Err: fmt.Errorf("%s:%d: %w", name, line,
					data.Errorf(data.EInvalid, "record is over the %d MB per-article limit", data.MaxArticleBytes>>20))}
			} else {
				it = jsonRecordItem(v, name, line, fmt.Sprintf("%s#%d", name, n))
			}
			if !yield(it) {
				return
			}
			c, err = s.skipSpace()
			if err != nil {
				fail(s.line, "unexpected end of file inside the array")
				return
			}
			s.r.ReadByte()
			if c == ']' {
				break
			}
			if c != ',' {
				fail(s.line, "want , or ] after a record, got %q", string(c))
				return
			}
		}
		if !s.atEnd() {
			fail(s.line, "unexpected data after the array")
			return
		}
		if n == 0 {
			yield(Item{Path: name, Err: fmt.Errorf("%s: %w", name, data.Errorf(data.EInvalid, "no records in the file"))})
		}
	default:
		fail(s.line, "want a JSON array or object, got %q", string(c))
	}
}

// maxRecordErrors bounds the problems listed one by one for one file. A
// file of a hundred million empty records would otherwise be a hundred
// million messages, tens of gigabytes, for a file of a few hundred
// megabytes; past the first hundred the researcher needs the count, not
// the list.
const maxRecordErrors = 100

// recordErrors passes a file's items on, the first maxRecordErrors
// problems among them, and counts the rest.
type recordErrors struct {
	name     string
	yield    func(Item) bool
	n, extra int
}

func (e *recordErrors) add(it Item) bool {
	if it.Err != nil {
		if e.n++; e.n > maxRecordErrors {
			e.extra++
			return true
		}
	}
	return e.yield(it)
}

// finish reports the problems not listed.
func (e *recordErrors) finish() {
	if e.extra > 0 {
		e.yield(Item{Path: e.name, Err: fmt.Errorf("%s: %w", e.name,
			data.Errorf(data.EInvalid, "%d more records could not be read (only the first %d problems are listed)", e.extra, maxRecordErrors))})
	}
}

// jsonScanner finds where one JSON value ends without decoding it, so
// records can be cut from an array one at a time. It only tracks strings
// and nesting; json.Unmarshal judges each record's syntax afterwards.
type jsonScanner struct {
	r    *bufio.Reader
	line int
}

// skipSpace skips white space and returns, without consuming it, the next
// byte.
func (s *jsonScanner) skipSpace() (byte, error) {
	for {
		c, err := s.r.ReadByte()
		if err != nil {
			return 0, err
		}
		switch c {
		case '\n':
			s.line++
		case ' ', '\t', '\r':
		default:
			s.r.UnreadByte()
			return c, nil
		}
	}
}

// atEnd reports whether only white space is left.
func (s *jsonScanner) atEnd() bool {
	_, err := s.skipSpace()
	return err == io.EOF
}

// value reads one JSON value. Past MaxArticleBytes it keeps scanning to
// the value's end but stops keeping bytes, and reports tooBig.
func (s *jsonScanner) value() (v []byte, tooBig bool, err error) {
	depth := 0
	inString, escaped := false, false
	keep := func(c byte) {
		if tooBig {
			return
		}
		if len(v) >= data.MaxArticleBytes {
			tooBig, v = true, nil
			return
		}
		v = append(v, c)
	}
	for {
		c, err := s.r.ReadByte()
		if err == io.EOF {
			if depth == 0 && !inString && (len(v) > 0 || tooBig) {
				return v, tooBig, nil
			}
			return nil, false, errors.New("unexpected end of file inside a record")
		}
		if err != nil {
			return nil, false, err
		}
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			if depth == 0 { // the end of the enclosing array, after a scalar
				s.r.UnreadByte()
				if len(v) == 0 && !tooBig {
					return nil, false, fmt.Errorf("unexpected %q", string(c))
				}
				return v, tooBig, nil
			}
			depth--
		case depth == 0 && c == ',' && len(v) == 0 && !tooBig:
			return nil, false, errors.New("unexpected \",\"")
		case depth == 0 && (c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n'):
			s.r.UnreadByte()
			return v, tooBig, nil
		}
		if c == '\n' {
			s.line++
		}
		keep(c)
		if depth == 0 && !inString && (c == '}' || c == ']' || c == '"') {
			return v, tooBig, nil
		}
	}
}

// jsonRecordItem turns one record into an Item: an article, or an error
// starting "name:line:".
func jsonRecordItem(b []byte, name string, line int, source string) Item {
	a, warning, at, err := jsonArticle(b)
	if err != nil {
		return Item{Path: name, Err: fmt.Errorf("%s:%d: %w", name, line+at, err)}
	}
	a.Source = source
	it := Item{Path: name, Article: a}
	it.warn(warning)
	return it
}

// newsAPIRecord is one element of a NewsAPI response's "articles", and
// its line counted from 0 at the response's first line.
type newsAPIRecord struct {
	raw json.RawMessage
	at  int
}

// newsAPIArticles reports whether b, a whole JSON object, is a NewsAPI
// response ({"status": "ok", "totalResults": N, "articles": [...]})
// rather than an article, and returns its articles. It is one only when
// it has an "articles" list and none of the keys an article's text is
// read from, so an article that merely has a list named "articles" is
// still read as an article.
func newsAPIArticles(b []byte) ([]newsAPIRecord, bool) {
	if !json.Valid(b) || invalidUTF8At(b) >= 0 {
		return nil, false // jsonArticle says what is wrong
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, false
	}
	var recs []newsAPIRecord
	found := false
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return nil, false
		}
		key, _ := k.(string)
		if jsonAliasField[strings.ToLower(key)] == "text" {
			return nil, false
		}
		if key != "articles" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, false
			}
			continue
		}
		if t, err := dec.Token(); err != nil || t != json.Delim('[') {
			return nil, false
		}
		found, recs = true, nil // the last "articles" wins, as encoding/json would keep it
		for dec.More() {
			start := int(dec.InputOffset())
			var r json.RawMessage
			if err := dec.Decode(&r); err != nil {
				return nil, false
			}
			// InputOffset is the end of the previous token: the
			// element starts after the comma and white space.
			start += len(b[start:]) - len(bytes.TrimLeft(b[start:], ", \t\r\n"))
			recs = append(recs, newsAPIRecord{raw: r, at: bytes.Count(b[:start], []byte{'\n'})})
		}
		if _, err := dec.Token(); err != nil { // the closing bracket
			return nil, false
		}
	}
	return recs, found
}

// newsAPITruncated matches the end NewsAPI gives its "content": the
// first 200 or so characters of the text, then "… [+2375 chars]" saying
// how many it left out; its first group is the marker after the "…", its
// second the count. The "…" must be there, or the marker be all the
// field holds: an article's own text may end in a bracket that reads
// alike ("the sums [+3 chars]").
var newsAPITruncated = regexp.MustCompile(`(?:^|…)(\s*\[\+(\d+) chars\]\s*)$`)

// jsonArticle decodes one record. Its errors do not name the record's
// place; jsonRecordItem adds that. at is the line of a syntax error,
// counted from 0 at the record's first line, since records in a .json
// array span many lines.
//
// The record's values are read one at a time, keeping only what an
// article can use (see jsonValue): a record that holds a list of seven
// million numbers beside its text took 470 MB decoded into generic
// values, and the numbers are not kept.
//
// warning, if not empty, says what of the record was not taken as it
// stands (NewsAPI's truncated content, see newsAPITruncated).
func jsonArticle(b []byte) (a data.Article, warning string, at int, err error) {
	if i := invalidUTF8At(b); i >= 0 {
		return data.Article{}, "", bytes.Count(b[:i], []byte{'\n'}), data.Errorf(data.EInvalid, "invalid UTF-8 (JSON must be UTF-8)")
	}
	// A record that is not valid JSON is decoded again, as a copy, to
	// find the line of the error and tell a second value from damage.
	if !json.Valid(b) {
		at, err := jsonRecordError(b)
		return data.Article{}, "", at, err
	}
	raw := json.RawMessage(bytes.TrimSpace(b)) // JSON's white space only, as it is valid
	obj, err := readJSONRecord(raw)
	if err != nil { // not expected: the record's syntax is checked
		return data.Article{}, "", 0, data.Errorf(data.EInvalid, "invalid JSON: %v", err)
	}
	if obj == nil {
		return data.Article{}, "", 0, data.Errorf(data.EInvalid, "want a JSON object, got %s", rawJSONValue(raw).kind)
	}

	// Sorted keys make the choice between "Title" and "title" in one
	// object the same on every run.
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	lower := make(map[string]string, len(keys)) // lower-cased key -> key
	for _, k := range keys {
		if _, dup := lower[strings.ToLower(k)]; !dup {
			lower[strings.ToLower(k)] = k
		}
	}

	used := make(map[string]bool)
	var text, textKey string
	for _, f := range jsonFields {
		for _, alias := range f.keys {
			k, ok := lower[alias]
			if !ok || obj[k].kind == jsonNull {
				continue
			}
			val, err := jsonField(f.field, k, obj[k])
			if err != nil {
				return data.Article{}, "", 0, err
			}
			if val == "" {
				continue
			}
			switch f.field {
			case "title":
				a.Title = cleanSpace(val)
			case "outlet":
				a.Outlet = cleanSpace(val)
			case "url":
				a.URL = strings.TrimSpace(val)
			case "author":
				a.Author = val
			case "text":
				text, textKey = val, k
			case "date":
				d, err := parseLooseDateTime(val)
				if err != nil {
					if strings.EqualFold(k, "date") { // ParseDate's message starts with "date"
						return data.Article{}, "", 0, data.Errorf(data.EInvalid, "%v", err)
					}
					return data.Article{}, "", 0, data.Errorf(data.EInvalid, "%s: %v", k, err)
				}
				a.Date = d
			}
			break
		}
		// Every alias of a field is consumed, used or not: a "content"
		// teaser beside the full "text" is not an attribute.
		for _, alias := range f.keys {
			if k, ok := lower[alias]; ok {
				used[k] = true
			}
		}
	}
	// NewsAPI cuts its "content" to about 200 characters and says so at
	// the end. Stored as it is, the fragment passes for the article, and
	// every outlet's copy of the story looks like a copy of it; the
	// marker goes and the researcher is told, the cut-off "…" kept. Only
	// "content" is NewsAPI's: a "text" or "body" is some other tool's,
	// whatever its end looks like.
	if m := newsAPITruncated.FindStringSubmatchIndex(text); m != nil && strings.EqualFold(textKey, "content") {
		n := text[m[4]:m[5]]
		text = text[:m[2]]
		if strings.TrimSpace(text) != "" {
			warning = fmt.Sprintf("the text is truncated: %q ended with NewsAPI's \"[+%s chars]\", so %s characters of the article are missing", textKey, n, n)
		}
	}
	text = data.NormalizeText(text)
	if strings.TrimSpace(text) == "" {
		if v, ok := obj["articles"]; ok && v.kind == jsonList {
			return data.Article{}, "", 0, data.Errorf(data.EInvalid, "no text (looked for text, body, content); this looks like a NewsAPI response, whose \"articles\" are read from a .json file holding the response alone")
		}
		return data.Article{}, "", 0, data.Errorf(data.EInvalid, "no text (looked for text, body, content)")
	}
	a.Text = text
	a.Words = data.CountWords(text)

	for _, k := range keys {
		if used[k] {
			continue
		}
		if v := obj[k]; v.scalar() {
			if s := strings.TrimSpace(v.s); s != "" {
				if a.Attributes == nil {
					a.Attributes = make(map[string]string)
				}
				a.Attributes[k] = s
			}
		}
	}
	return a, warning, 0, nil
}

// jsonKind is the kind of a JSON value, in the words of messages.
type jsonKind string

const (
	jsonNull   jsonKind = "null"
	jsonString jsonKind = "a string"
	jsonNumber jsonKind = "a number"
	jsonBool   jsonKind = "a boolean"
	jsonList   jsonKind = "a list"
	jsonObject jsonKind = "an object"
)

// jsonValue is what an article can use of one value of a record: its
// kind and, for a string, number or boolean, its text as written. A list
// is kept only as the names of an author field, an object only as the
// "name" of an outlet field (NewsAPI's "source": {"id": ..., "name":
// ...}); every other list and object is read past without being kept.
type jsonValue struct {
	kind jsonKind
	s    string
	// names are an author list's strings, when all its elements are
	// strings; otherwise notName is the kind of the first that is not.
	names   []string
	notName jsonKind
	// name is an outlet object's last "name" member, if it has one.
	name *jsonValue
}

func (v jsonValue) scalar() bool {
	return v.kind == jsonString || v.kind == jsonNumber || v.kind == jsonBool
}

// jsonAliasField maps a lower-cased key to the article field it may fill.
var jsonAliasField = func() map[string]string {
	m := map[string]string{}
	for _, f := range jsonFields {
		for _, k := range f.keys {
			m[k] = f.field
		}
	}
	return m
}()

// jsonRecordError says what is wrong with a record that is not valid
// JSON, and on which line, counted from 0, as decoding it did before.
func jsonRecordError(b []byte) (at int, err error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) && se.Offset > 0 && int(se.Offset) <= len(b) {
			at = bytes.Count(b[:se.Offset-1], []byte{'\n'})
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			err = errors.New("unexpected end of record")
		}
		return at, data.Errorf(data.EInvalid, "invalid JSON: %v", err)
	}
	return 0, data.Errorf(data.EInvalid, "more than one JSON value in a record")
}

// readJSONRecord reads a record whose syntax is checked. For an object
// it returns its members, each key's last value as encoding/json would
// keep it; for any other value, nil.
func readJSONRecord(raw json.RawMessage) (map[string]jsonValue, error) {
	if raw[0] != '{' {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil { // the opening brace
		return nil, err
	}
	obj := map[string]jsonValue{}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := k.(string) // Token returns an object's keys as strings
		v, err := readJSONValue(dec, jsonAliasField[strings.ToLower(key)])
		if err != nil {
			return nil, err
		}
		obj[key] = v
	}
	return obj, nil
}

// readJSONValue reads the next value. field is the article field its key
// may fill, which decides what of a list or an object is kept. A value is
// read as raw bytes, which a list of numbers passes through in one scan;
// only an author list and an outlet object are read member by member.
func readJSONValue(dec *json.Decoder, field string) (jsonValue, error) {
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return jsonValue{}, err
	}
	v := rawJSONValue(raw)
	switch {
	case field == "author" && v.kind == jsonList:
		return v, readJSONMembers(raw, func(_ string, m json.RawMessage) {
			switch e := rawJSONValue(m); {
			case v.notName != "":
			case e.kind == jsonString:
				v.names = append(v.names, e.s)
			default:
				v.notName, v.names = e.kind, nil
			}
		})
	case field == "outlet" && v.kind == jsonObject:
		return v, readJSONMembers(raw, func(key string, m json.RawMessage) {
			if key == "name" {
				name := rawJSONValue(m)
				v.name = &name
			}
		})
	}
	return v, nil
}

// readJSONMembers passes each element of a list, or each member of an
// object with its key, to f as raw bytes.
func readJSONMembers(raw json.RawMessage, f func(key string, m json.RawMessage)) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil { // the opening bracket or brace
		return err
	}
	object := raw[0] == '{'
	for dec.More() {
		var key string
		if object {
			k, err := dec.Token()
			if err != nil {
				return err
			}
			key, _ = k.(string)
		}
		var m json.RawMessage
		if err := dec.Decode(&m); err != nil {
			return err
		}
		f(key, m)
	}
	return nil
}

// rawJSONValue reads a value whose syntax is checked: its kind, and the
// text of a string, number or boolean.
func rawJSONValue(raw json.RawMessage) jsonValue {
	switch raw[0] {
	case '"':
		var s string
		json.Unmarshal(raw, &s) // cannot fail: a checked string
		return jsonValue{kind: jsonString, s: s}
	case '{':
		return jsonValue{kind: jsonObject}
	case '[':
		return jsonValue{kind: jsonList}
	case 't':
		return jsonValue{kind: jsonBool, s: "true"}
	case 'f':
		return jsonValue{kind: jsonBool, s: "false"}
	case 'n':
		return jsonValue{kind: jsonNull}
	}
	return jsonValue{kind: jsonNumber, s: string(raw)}
}

// invalidUTF8At returns the offset of the first byte that is not valid
// UTF-8, or -1. encoding/json would quietly turn such bytes into U+FFFD;
// a record saved in another encoding should be refused, not garbled.
func invalidUTF8At(b []byte) int {
	if utf8.Valid(b) {
		return -1
	}
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}

// jsonField reads the value of a standard field as a string.
func jsonField(field, key string, v jsonValue) (string, error) {
	switch field {
	case "author":
		if v.kind == jsonList {
			if v.notName != "" {
				return "", data.Errorf(data.EInvalid, "%s: want a name or a list of names, got a list holding %s", key, v.notName)
			}
			// A set, not a search of the list, so a list of a million
			// names takes a moment, not hours.
			var names []string
			seen := map[string]bool{}
			for _, s := range v.names {
				if s = cleanSpace(s); s != "" && !seen[s] {
					seen[s] = true
					names = append(names, s)
				}
			}
			return strings.Join(names, ", "), nil
		}
		if v.kind == jsonString {
			return cleanSpace(v.s), nil
		}
	case "outlet":
		if v.kind == jsonObject && v.name != nil && v.name.kind == jsonString {
			return v.name.s, nil
		}
	case "text":
		if v.kind == jsonString {
			return v.s, nil
		}
		return "", data.Errorf(data.EInvalid, "%s: want a string, got %s", key, v.kind)
	}
	if v.scalar() {
		return strings.TrimSpace(v.s), nil
	}
	return "", data.Errorf(data.EInvalid, "%s: want a string, got %s", key, v.kind)
}
