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
		{"two listed outlets and a variant", []string{"ABC News", "ABC News (Australia)", "abc news"}, [][]string{{"ABC News", "abc news"}}},
		// The table's name of a host differs from it only by case: read
		// as that name once (it had been read again, without end).
		{"a host listed under its own name", []string{"GOV.UK", "gov.uk", "DutchNews.nl", "dutchnews.nl", "TheJournal.ie"}, [][]string{{"DutchNews.nl", "dutchnews.nl"}, {"GOV.UK", "gov.uk"}}},
		{"places in brackets differ", []string{"The Herald (Glasgow)", "The Herald (Rock Hill, SC)", "The Times (London)", "The Times (Trenton, New Jersey)",
			"The Independent (United Kingdom)", "The Independent (Bangladesh)", "The Daily Telegraph (London)", "The Daily Telegraph (Sydney)"}, nil},
		{"a plain name among two places", []string{"The Herald (Glasgow)", "The Herald (Rock Hill, SC)", "The Herald", "HERALD"}, [][]string{{"HERALD", "The Herald"}}},
		{"a place without a space, twice the same", []string{"The Guardian(London)", "The Guardian (London)", "the guardian"}, [][]string{{"The Guardian (London)", "The Guardian(London)", "the guardian"}}},
		{"hosts the table lists as other outlets", []string{"ABC News", "abc.net.au", "ABC News (Australia)", "abcnews.go.com", "The News", "news.com.au"}, [][]string{{"ABC News", "abcnews.go.com"}, {"ABC News (Australia)", "abc.net.au"}}},
		{"an unlisted host with a short name after the", []string{"theme.co.uk", "Me"}, nil},
		{"a host that is a public suffix", []string{"co.uk", "Co"}, nil},
		// The table lists "Nation" (nation.africa) and "The Nation"
		// (thenation.com): of one base, two outlets.
		{"two listed outlets of one base", []string{"nation.africa", "thenation.com", "The Nation"}, [][]string{{"The Nation", "thenation.com"}}},
		{"a name between two listed outlets", []string{"Nation", "The Nation", "THE NATION"}, nil},
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
	f.Add("GOV.UK", "gov.uk")
	f.Add("TheJournal.ie", "thejournal.ie")
	f.Add("thenation.com", "THE NATION")
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, g := range LikelySameOutlet([]string{a, b, "The Nation", "nation.africa"}) {
			listed := map[string]bool{}
			for i, n := range g {
				if i > 0 && n == g[i-1] {
					t.Fatalf("LikelySameOutlet(%q, %q): %q twice in %q", a, b, n, g)
				}
				if l := readOutletName(n).listed; l != "" {
					listed[l] = true
				}
			}
			if len(g) < 2 || len(listed) > 1 {
				t.Fatalf("LikelySameOutlet(%q, %q): group %q (listed as %v)", a, b, g, listed)
			}
		}
	})
}
