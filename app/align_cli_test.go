package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestAnalyzeQuotesAlignCorpus(t *testing.T) {
	dir := bradford(t)
	project := filepath.Join(t.TempDir(), "p.db")
	if _, e, code := run(t, "import", "--project", project, "--manifest", filepath.Join(dir, "manifest.csv"), dir); code != 0 {
		t.Fatal(e)
	}
	out, e, code := run(t, "analyze", "--project", project, "--json")
	if code != 0 {
		t.Fatalf("analyze: %s", e)
	}
	var rep AnalyzeJSON
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Extracted != 5 || rep.Clusters == 0 || rep.Incremental {
		t.Fatalf("analyze --json = %s (%v)", out, err)
	}

	// Quotes: the contract's fields, offsets that index the stored text.
	out, _, code = run(t, "quotes", "--project", project, "--json")
	var quotes []map[string]any
	if err := json.Unmarshal([]byte(out), &quotes); code != 0 || err != nil || len(quotes) == 0 {
		t.Fatalf("quotes: exit %d, %v", code, err)
	}
	texts := map[int64][]rune{}
	for id := int64(1); id <= 5; id++ {
		o, _, _ := run(t, "show", "--project", project, "--article", itoa(id), "--json")
		var a map[string]any
		json.Unmarshal([]byte(o), &a)
		texts[id] = []rune(a["text"].(string))
	}
	split := 0
	for _, q := range quotes {
		for _, k := range []string{"article", "outlet", "speaker", "cue", "confidence", "text", "start", "end"} {
			if _, ok := q[k]; !ok {
				t.Fatalf("quote lacks %q: %v", k, q)
			}
		}
		rs := texts[int64(q["article"].(float64))]
		start, end := int(q["start"].(float64)), int(q["end"].(float64))
		if spans, ok := q["spans"].([]any); ok {
			split++
			var parts []string
			for _, s := range spans {
				m := s.(map[string]any)
				parts = append(parts, string(rs[int(m["start"].(float64)):int(m["end"].(float64))]))
			}
			if strings.Join(parts, " ") != q["text"] {
				t.Fatalf("split quote text %q != spans %q", q["text"], parts)
			}
		} else if string(rs[start:end]) != q["text"] {
			t.Fatalf("quote text %q != text[%d:%d] %q", q["text"], start, end, string(rs[start:end]))
		}
	}
	if split == 0 {
		t.Fatal("no split quote listed with spans")
	}

	out, _, code = run(t, "align", "--project", project, "--json")
	// Past maxHeldArticles the clusters are read with SQLite cutting each
	// passage: the same bytes.
	held := maxHeldArticles
	maxHeldArticles = 0
	cut, _, _ := run(t, "align", "--project", project, "--json")
	maxHeldArticles = held
	if cut != out {
		t.Fatalf("align --json read without holding the texts differs:\n%s\nagainst\n%s", cut, out)
	}
	var al struct {
		Clusters []struct {
			ID      int64            `json:"id"`
			Kind    string           `json:"kind"`
			Speaker string           `json:"speaker"`
			Status  string           `json:"status"`
			Members []map[string]any `json:"members"`
		} `json:"clusters"`
	}
	if err := json.Unmarshal([]byte(out), &al); code != 0 || err != nil || len(al.Clusters) == 0 {
		t.Fatalf("align: exit %d, %v\n%s", code, err, out)
	}
	var raw map[string][]map[string]any
	json.Unmarshal([]byte(out), &raw)
	if k := keys(raw["clusters"][0]); !reflect.DeepEqual(k, []string{"id", "kind", "members", "speaker", "status"}) {
		t.Fatalf("cluster keys %v", k)
	}
	found := false
	for _, c := range al.Clusters {
		articles := map[float64]bool{}
		for _, m := range c.Members {
			for _, k := range []string{"article", "outlet", "text", "start", "end", "reference", "relations", "diff"} {
				if _, ok := m[k]; !ok {
					t.Fatalf("member lacks %q", k)
				}
			}
			articles[m["article"].(float64)] = true
		}
		if len(articles) < 2 {
			t.Fatalf("cluster %d spans one article without --all", c.ID)
		}
		for _, m := range c.Members {
			if strings.Contains(m["text"].(string), "We know that children and families deserve better") && !m["reference"].(bool) {
				rels := m["relations"].([]any)
				found = c.Status == "agree" && c.Speaker == "Marium Haque" && len(rels) == 1 && rels[0] == "verbatim"
			}
		}
	}
	if !found {
		t.Fatal("the Haque quote is not an agreeing verbatim cluster")
	}

	// Incremental: nothing to redo, then only the new article.
	out, _, _ = run(t, "analyze", "--project", project, "--json")
	json.Unmarshal([]byte(out), &rep)
	if rep.Extracted != 0 || rep.Cached != 5 {
		t.Fatalf("re-analyse: %v", rep)
	}
	extra := filepath.Join(t.TempDir(), "extra.txt")
	os.WriteFile(extra, []byte(`Marium Haque said: "We know that children and families deserve better."`), 0o644)
	run(t, "import", "--project", project, extra)
	out, _, _ = run(t, "analyze", "--project", project, "--json")
	json.Unmarshal([]byte(out), &rep)
	if rep.Extracted != 1 || rep.Cached != 5 || !rep.Incremental {
		t.Fatalf("after one import: %v", rep)
	}
	out, _, _ = run(t, "align", "--project", project)
	if !strings.Contains(out, "verbatim") || !strings.Contains(out, "AGREE") {
		t.Fatalf("human-readable align:\n%s", out)
	}
	if !slices.Contains(strings.Split(out, "\n"), "") {
		t.Fatal("clusters are not separated by blank lines")
	}
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
