package export

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// w3cSuite compiles the W3C Web Annotation test suite's assertions kept in
// testdata/w3c (see NOTICE.md there), by file name.
func w3cSuite(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	const base = "https://w3c.test/web-annotation-tests/"
	files, err := filepath.Glob(filepath.Join("testdata", "w3c", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no schemas in testdata/w3c: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4)
	c.AssertFormat()
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if err := c.AddResource(base+filepath.Base(f), doc); err != nil {
			t.Fatal(err)
		}
	}
	out := map[string]*jsonschema.Schema{}
	for _, f := range files {
		name := filepath.Base(f)
		if !strings.HasPrefix(name, "3.") { // definitions, reached through the assertions
			continue
		}
		s, err := c.Compile(base + name)
		if err != nil {
			t.Fatalf("compile %s: %v", name, err)
		}
		out[name] = s
	}
	if len(out) != 14 {
		t.Fatalf("%d assertions compiled, want the 12 musts and the creator and generator checks", len(out))
	}
	return out
}

// Every exported annotation passes every must-pass assertion of the W3C's
// own test suite, and implements creator (where the coder is known) and
// generator. The suite tests annotations one at a time, each with its
// @context; inside the exported collection they take the collection's.
func TestW3CValidatesAgainstW3CSuite(t *testing.T) {
	suite := w3cSuite(t)
	d := exportFixture(t)
	d.Generator = "Parallax 0.1.0"
	for i := range d.Annotations {
		d.Annotations[i].Creator = "Ana Lima"
	}
	var buf bytes.Buffer
	if err := WriteW3C(&buf, d); err != nil {
		t.Fatal(err)
	}
	var coll struct {
		Context string                           `json:"@context"`
		First   struct{ Items []map[string]any } `json:"first"`
	}
	if err := json.Unmarshal(buf.Bytes(), &coll); err != nil {
		t.Fatal(err)
	}
	if len(coll.First.Items) == 0 {
		t.Fatal("no annotations exported")
	}
	for i, item := range coll.First.Items {
		item["@context"] = coll.Context
		inst := roundTripJSON(t, item)
		for name, s := range suite {
			if err := s.Validate(inst); err != nil {
				t.Errorf("annotation %d fails %s: %v", i, name, err)
			}
		}
	}

	// The suite is not a rubber stamp: an annotation without a target, or
	// with a creator that is neither an IRI nor an object, fails it.
	bad := roundTripJSON(t, map[string]any{"@context": coll.Context, "id": "urn:uuid:0b5d2b2e-3f43-4c1c-9a67-3d8f7f3b9a10", "type": "Annotation", "creator": 42})
	if suite["3.1-targetKeyFound.json"].Validate(bad) == nil || suite["3.3.1-annotationCreatorImplemented.json"].Validate(bad) == nil {
		t.Error("a broken annotation passed the suite")
	}
	noCreator := roundTripJSON(t, map[string]any{"@context": coll.Context, "id": "urn:uuid:0b5d2b2e-3f43-4c1c-9a67-3d8f7f3b9a10", "type": "Annotation",
		"target": "https://example.org/"})
	if suite["3.3.1-annotationCreatorImplemented.json"].Validate(noCreator) == nil || suite["3.3.1-annotationGeneratorImplemented.json"].Validate(noCreator) == nil {
		t.Error("an annotation without creator or generator passed their checks")
	}
}

func roundTripJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return inst
}
