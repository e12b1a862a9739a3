package ingest

import (
	"reflect"
	"testing"
)

func TestLikelySameOutlet(t *testing.T) {
	for _, c := range []struct {
		name  string
		names []string
		want  [][]string
	}{
		{"case and spaces", []string{"USA Today", "USA TODAY", "usa  today", "Reuters"}, [][]string{{"USA TODAY", "USA Today", "usa  today"}}},
		{"Nexis's place in brackets, and the", []string{"The Guardian (London)", "The Guardian", "Guardian", "The Times (London)"},
			[][]string{{"Guardian", "The Guardian", "The Guardian (London)"}}},
		{"a listed host", []string{"bbc.co.uk", "BBC News"}, [][]string{{"BBC News", "bbc.co.uk"}}},
		{"a listed host under its subdomain", []string{"www.theguardian.com", "The Guardian"}, [][]string{{"The Guardian", "www.theguardian.com"}}},
		{"an unlisted host", []string{"news.thecourier.co.uk", "The Courier", "Courier Mail"}, [][]string{{"The Courier", "news.thecourier.co.uk"}}},
		{"an unlisted host's registered name", []string{"courier.example.co.uk", "The Courier"}, nil},
		{"two listed outlets of one name", []string{"ABC News", "ABC News (Australia)"}, nil},
		{"two listed outlets and a variant", []string{"ABC News", "ABC News (Australia)", "abc news"}, [][]string{{"ABC News", "ABC News (Australia)", "abc news"}}},
		{"different outlets", []string{"The Times", "The Sunday Times", "Times of India", "New York Times"}, nil},
		{"one name twice, and names without letters", []string{"Herald", "Herald", "", "  ", "()", "—"}, nil},
		{"the name itself in brackets", []string{"(The Herald)", "Herald"}, nil},
	} {
		if got := LikelySameOutlet(c.names); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func FuzzLikelySameOutlet(f *testing.F) {
	f.Add("The Guardian (London)", "theguardian.com")
	f.Add("bbc.co.uk", "(x)(y)")
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, g := range LikelySameOutlet([]string{a, b}) {
			if len(g) != 2 || g[0] == g[1] {
				t.Fatalf("LikelySameOutlet(%q, %q): group %q", a, b, g)
			}
		}
	})
}
