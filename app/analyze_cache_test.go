package app

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/parallax-research/parallax/data"
)

// TestCachedAnalysisStored: an extraction is stored deflated, smaller than
// its JSON, and reads back the same; a row stored as plain JSON by an
// earlier version still reads.
func TestCachedAnalysisStored(t *testing.T) {
	text := `The council's children's services were rated "inadequate" by Ofsted on Tuesday. "There are widespread and serious failures," the report said. ` +
		`Mark Douglas, the council's director, said: "We accept the findings in full." The trust will take over in April.`
	in := data.AnalysisInput{ArticleID: 7, Text: text, Hash: "h"}
	row, err := extract(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(row.Units) == 0 || row.Units[0] != deflatedMark {
		t.Fatalf("stored extraction does not start with the deflated mark: % x", row.Units[:min(8, len(row.Units))])
	}
	js, err := inflateCached(row.Units)
	if err != nil {
		t.Fatal(err)
	}
	if len(row.Units) >= len(js) {
		t.Errorf("deflated %d bytes, JSON %d: no smaller", len(row.Units), len(js))
	}
	stored := data.AnalysisRow{ArticleID: 7, Text: text, Units: row.Units}
	plain := data.AnalysisRow{ArticleID: 7, Text: text, Units: js}
	for _, tt := range []struct {
		name string
		row  data.AnalysisRow
	}{{"deflated", stored}, {"plain JSON of an earlier version", plain}} {
		t.Run(tt.name, func(t *testing.T) {
			qs, us, err := decodeAnalysis(tt.row)
			if err != nil {
				t.Fatal(err)
			}
			wq, wu, _ := decodeAnalysis(plain)
			if !reflect.DeepEqual(qs, wq) || !reflect.DeepEqual(us, wu) {
				t.Errorf("decoded %v / %v, want %v / %v", qs, us, wq, wu)
			}
			if len(us) == 0 || len(qs) == 0 {
				t.Errorf("%d units, %d quotes: the sample should have both", len(us), len(qs))
			}
		})
	}
	// Damage is an error naming the article, not a panic or a silent
	// empty analysis.
	bad := append([]byte{deflatedMark}, 0xff, 0x00, 0x13)
	if _, _, err := decodeAnalysis(data.AnalysisRow{ArticleID: 7, Text: text, Units: bad}); err == nil {
		t.Error("damaged deflated row decoded without an error")
	}
	var c cachedAnalysis
	if err := json.Unmarshal(js, &c); err != nil {
		t.Errorf("inflated row is not the cache's JSON: %v", err)
	}
}
