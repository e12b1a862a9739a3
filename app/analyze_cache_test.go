package app

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/data/ingest/ingesttest"
)

// TestCachedAnalysisStored: an extraction is stored deflated, smaller than
// its JSON, and reads back the same; a row stored as plain JSON by an
// earlier version still reads.
func TestCachedAnalysisStored(t *testing.T) {
	text := `The council's children's services were rated "inadequate" by Ofsted on Tuesday. "There are widespread and serious failures," the report said. ` +
		`Mark Douglas, the council's director, said: "We accept the findings in full." The trust will take over in April.`
	in := data.AnalysisInput{ArticleID: 7, Text: text, Hash: "h"}
	row, extracted, err := extract(in)
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
			if !reflect.DeepEqual(us, extracted) {
				t.Errorf("units read back %v, extracted %v", us, extracted)
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

// TestCacheRoundTripCorpus: on every article of the real corpus, the units
// read back from the cache are the units extracted, so a full analysis
// (which aligns the units as extracted) and an incremental one (which
// reads the others from the cache) align the same passages.
func TestCacheRoundTripCorpus(t *testing.T) {
	arts := ingesttest.CorpusArticles(t, 1000)
	for i, a := range arts {
		text := data.NormalizeText(a.Body())
		row, extracted, err := extract(data.AnalysisInput{ArticleID: int64(i + 1), Text: text})
		if err != nil {
			t.Fatal(err)
		}
		_, us, err := decodeAnalysis(data.AnalysisRow{ArticleID: int64(i + 1), Text: text, Units: row.Units})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(us, extracted) {
			for k := range min(len(us), len(extracted)) {
				if !reflect.DeepEqual(us[k], extracted[k]) {
					t.Errorf("%s, unit %d: read back %+v, extracted %+v", a.Title, k, us[k], extracted[k])
					break
				}
			}
			if len(us) != len(extracted) {
				t.Errorf("%s: %d units read back, %d extracted", a.Title, len(us), len(extracted))
			}
		}
	}
	if len(arts) < 40 {
		t.Errorf("only %d corpus articles", len(arts))
	}
}
