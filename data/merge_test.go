package data

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// A colleague's copy of the project, coded by Ben, merges into Ana's:
// articles by their text, codes by GUID then path, Ben's annotations added
// under his name; what differs and is newer here is kept and reported; the
// merge undoes and redoes.
func TestMerge(t *testing.T) {
	ctx := context.Background()
	text := "Inspectors found serious failures in the nursery chain."
	mine := tempStore(t)
	mine.SetCoder("Ana")
	res, err := mine.AddArticles(ctx, []Article{{Meta: Meta{Outlet: "BBC", Title: "Failures"}, Text: text, Source: "a.txt"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sev, _ := mine.EnsureCodePath(ctx, "Findings/Severity")
	cat, _ := mine.CreateCode(ctx, Code{Name: "Themes", Category: true})
	shared, err := mine.CreateAnnotation(ctx, Annotation{ArticleID: res[0].ID, Start: 17, End: 33, CodeIDs: []int64{sev.ID}})
	if err != nil {
		t.Fatal(err)
	}

	theirs := tempStore(t)
	theirs.SetCoder("Ben")
	r2, _ := theirs.AddArticles(ctx, []Article{
		{Meta: Meta{Outlet: "BBC", Title: "Failures (Ben's copy)"}, Text: text, Source: "b.txt"},
		{Meta: Meta{Title: "Only Ben has this"}, Text: "Another article entirely.", Source: "c.txt"},
	}, nil)
	sevB, _ := theirs.EnsureCodePath(ctx, "Findings/Severity") // another GUID: matched by path
	scope, _ := theirs.EnsureCodePath(ctx, "Findings/Scope")   // new
	themes, _ := theirs.CreateCode(ctx, Code{Name: "Themes"})  // codable in Ben's copy
	for _, a := range []Annotation{
		{ArticleID: r2[0].ID, Start: 17, End: 33, CodeIDs: []int64{sevB.ID}, Note: "same passage, Ben's view"},
		{ArticleID: r2[0].ID, Start: 37, End: 55, CodeIDs: []int64{scope.ID, themes.ID}},
		{ArticleID: r2[1].ID, Start: 0, End: 7, CodeIDs: []int64{scope.ID}},
	} {
		if _, err := theirs.CreateAnnotation(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	// Ben's copy holds Ana's annotation too, changed.
	copyOfMine := shared
	copyOfMine.ID, copyOfMine.ArticleID, copyOfMine.CodeIDs, copyOfMine.Note = 0, r2[0].ID, []int64{sevB.ID}, "Ben edited this"
	if _, err := theirs.CreateAnnotation(ctx, copyOfMine); err != nil {
		t.Fatal(err)
	}
	if _, err := theirs.SaveMemo(ctx, Memo{TargetKind: "code", TargetID: scope.ID, Title: "Scope", Text: "How widespread."}); err != nil {
		t.Fatal(err)
	}
	// Ana changed hers after Ben's change: hers is the newer, and stays.
	mine.Now = func() time.Time { return time.Now().Add(time.Hour) }
	if _, err := mine.UpdateAnnotation(ctx, shared); err != nil {
		t.Fatal(err)
	}
	d, err := theirs.LoadExport(ctx, ExportScope{}, "ben.parallax")
	if err != nil {
		t.Fatal(err)
	}

	before, _ := mine.Stats(ctx)
	rep, added, err := mine.Merge(ctx, PlanFromExport(d))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("report %+v", rep)
	if rep.Annotations != 2 || rep.AnnotationsPresent != 1 || rep.Codes != 1 || rep.CodesMatched != 3 || rep.Memos != 1 || len(added.Annotations) != 2 {
		t.Errorf("report = %+v", rep)
	}
	for _, want := range []string{`article "Only Ben has this" is not in this project`, `"Themes", a category in this project`, "differs in the file"} {
		if !slices.ContainsFunc(rep.Conflicts, func(c string) bool { return strings.Contains(c, want) }) {
			t.Errorf("conflicts %q lack %q", rep.Conflicts, want)
		}
	}
	bens, _ := mine.Annotations(ctx, AnnotationFilter{Coder: "Ben"})
	if len(bens) != 2 || bens[0].Note != "same passage, Ben's view" || !slices.Equal(bens[0].CodeIDs, []int64{sev.ID}) || slices.Contains(bens[1].CodeIDs, cat.ID) {
		t.Errorf("Ben's annotations = %+v", bens)
	}
	if again, _ := mine.Annotation(ctx, shared.ID); again.Note != "" || again.Creator != "Ana" {
		t.Errorf("Ana's annotation changed: %+v", again)
	}

	// Undo removes exactly what the merge added; redo puts it back.
	if err := mine.DeleteCoding(ctx, added); err != nil {
		t.Fatal(err)
	}
	if after, _ := mine.Stats(ctx); after != before {
		t.Errorf("after undo %+v, before %+v", after, before)
	}
	if err := mine.RestoreCoding(ctx, added); err != nil {
		t.Fatal(err)
	}
	if bens, _ := mine.Annotations(ctx, AnnotationFilter{Coder: "Ben"}); len(bens) != 2 {
		t.Errorf("after redo: %d of Ben's annotations", len(bens))
	}
	// Merging again adds nothing.
	rep, added, err = mine.Merge(ctx, PlanFromExport(d))
	if err != nil || rep.Annotations+rep.Codes+rep.Memos != 0 || len(added.Annotations) != 0 {
		t.Errorf("second merge: %+v, %v", rep, err)
	}
}

// A colleague's newer version of an annotation and of a memo both
// projects hold replaces the project's; the report names each; undo puts
// the project's versions back and redo the colleague's.
func TestMergeAppliesNewerRevision(t *testing.T) {
	ctx := context.Background()
	text := "Inspectors found serious failures in the nursery chain."
	clock := time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)
	tick := func() time.Time { clock = clock.Add(time.Minute); return clock }
	mine := tempStore(t)
	mine.SetCoder("Ana")
	mine.Now = tick
	res, err := mine.AddArticles(ctx, []Article{{Meta: Meta{Title: "Failures"}, Text: text, Source: "a.txt"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sev, _ := mine.EnsureCodePath(ctx, "Findings/Severity")
	scope, _ := mine.EnsureCodePath(ctx, "Findings/Scope")
	an, err := mine.CreateAnnotation(ctx, Annotation{ArticleID: res[0].ID, Start: 17, End: 33, Note: "first reading", CodeIDs: []int64{sev.ID}})
	if err != nil {
		t.Fatal(err)
	}
	memo, err := mine.SaveMemo(ctx, Memo{TargetKind: "project", Title: "Method", Text: "Two coders."})
	if err != nil {
		t.Fatal(err)
	}

	// Ben works on a copy of Ana's project, later.
	d, err := mine.LoadExport(ctx, ExportScope{}, "ana.parallax")
	if err != nil {
		t.Fatal(err)
	}
	theirs := tempStore(t)
	theirs.SetCoder("Ben")
	theirs.Now = tick
	if _, err := theirs.AddArticles(ctx, []Article{{Meta: Meta{Title: "Failures"}, Text: text, Source: "a.txt"}}, nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := theirs.Merge(ctx, PlanFromExport(d)); err != nil {
		t.Fatal(err)
	}
	bensAn, _ := theirs.Annotations(ctx, AnnotationFilter{})
	bensScope, _ := theirs.EnsureCodePath(ctx, "Findings/Scope")
	bensAn[0].Note, bensAn[0].CodeIDs = "Ben's second reading", append(bensAn[0].CodeIDs, bensScope.ID)
	if _, err := theirs.UpdateAnnotation(ctx, bensAn[0]); err != nil {
		t.Fatal(err)
	}
	bensMemos, _ := theirs.Memos(ctx, "project", 0)
	bensMemos[0].Text = "Two coders; disagreements discussed."
	if _, err := theirs.SaveMemo(ctx, bensMemos[0]); err != nil {
		t.Fatal(err)
	}
	d2, err := theirs.LoadExport(ctx, ExportScope{}, "ben.parallax")
	if err != nil {
		t.Fatal(err)
	}

	rep, added, err := mine.Merge(ctx, PlanFromExport(d2))
	if err != nil {
		t.Fatal(err)
	}
	if rep.AnnotationsUpdated != 1 || rep.MemosUpdated != 1 || rep.Annotations != 0 || rep.AnnotationsPresent != 0 || len(rep.Updated) != 2 ||
		len(added.Revised) != 1 || len(added.RevisedMemos) != 1 {
		t.Fatalf("report %+v", rep)
	}
	if !strings.Contains(rep.Updated[0], "annotation on “serious failures”") || !strings.Contains(rep.Updated[0], "note, codes") ||
		!strings.Contains(rep.Updated[1], `memo "Method"`) {
		t.Errorf("updated = %q", rep.Updated)
	}
	got, _ := mine.Annotation(ctx, an.ID)
	if got.Note != "Ben's second reading" || !slices.Equal(got.CodeIDs, []int64{sev.ID, scope.ID}) || got.Modifier != "Ben" || got.Creator != "Ana" {
		t.Errorf("after the merge: %+v", got)
	}
	memos, _ := mine.Memos(ctx, "project", 0)
	if len(memos) != 1 || memos[0].Text != "Two coders; disagreements discussed." || memos[0].ID != memo.ID {
		t.Errorf("memos after the merge: %+v", memos)
	}

	// Undo puts Ana's versions back; redo Ben's.
	if err := mine.DeleteCoding(ctx, added); err != nil {
		t.Fatal(err)
	}
	got, _ = mine.Annotation(ctx, an.ID)
	memos, _ = mine.Memos(ctx, "project", 0)
	if got.Note != "first reading" || !slices.Equal(got.CodeIDs, []int64{sev.ID}) || got.Modifier != "Ana" || memos[0].Text != "Two coders." {
		t.Errorf("after undo: %+v, %+v", got, memos)
	}
	if err := mine.RestoreCoding(ctx, added); err != nil {
		t.Fatal(err)
	}
	got, _ = mine.Annotation(ctx, an.ID)
	memos, _ = mine.Memos(ctx, "project", 0)
	if got.Note != "Ben's second reading" || memos[0].Text != "Two coders; disagreements discussed." {
		t.Errorf("after redo: %+v, %+v", got, memos)
	}

	// The same file again changes nothing; an older one changes nothing
	// and says why.
	rep, _, err = mine.Merge(ctx, PlanFromExport(d2))
	if err != nil || rep.AnnotationsUpdated+rep.MemosUpdated != 0 || rep.AnnotationsPresent != 1 || rep.MemosPresent != 1 || len(rep.Conflicts) != 0 {
		t.Errorf("again: %+v, %v", rep, err)
	}
	rep, _, err = mine.Merge(ctx, PlanFromExport(d))
	if err != nil || rep.AnnotationsUpdated+rep.MemosUpdated != 0 || rep.AnnotationsPresent != 1 || len(rep.Conflicts) != 2 ||
		!strings.Contains(rep.Conflicts[0], "differs in the file (its note, codes)") || !strings.Contains(rep.Conflicts[0], "this project's is kept") {
		t.Errorf("older file: %+v, %v", rep, err)
	}
}

// A wire story is in the project word for word under two outlets: a
// colleague's coding goes on the copy the colleague coded, found by the
// article's outlet (or its annotations already here), and where nothing
// tells which copy it is the merge leaves it out and says so.
func TestMergeWireCopies(t *testing.T) {
	ctx := context.Background()
	text := "The council approved the new bus lanes on Tuesday after a long debate."
	for _, tc := range []struct {
		name   string
		file   Meta
		source string // the file's source file, "" for one neither copy came from
		// onGUID puts the file's selection's GUID on this outlet's copy
		// first, as an earlier merge would have.
		onGUID string
		want   string // the outlet whose copy gets the annotation, "" none
		report string // in a conflict line when want is ""
	}{
		{name: "Post's copy", file: Meta{Outlet: "Post", Title: "Bus lanes"}, want: "Post"},
		{name: "Times' copy", file: Meta{Outlet: "times ", Title: "Bus lanes"}, want: "Times"},
		{name: "dated and placed", file: Meta{Outlet: "Post", URL: "https://post.example/bus", Date: MustParseDate("2024-05-07")}, want: "Post"},
		{name: "annotation already on Post", file: Meta{Title: "Bus lanes"}, onGUID: "Post", want: "Post"},
		{name: "no outlet, the Post's file", file: Meta{Title: "Bus lanes"}, source: "post.txt", want: "Post"},
		{name: "nothing tells", file: Meta{Title: "Bus lanes"}, report: "nothing in the file (outlet, URL, date, title, its annotations and memos) tells which one it is; its 1 annotation(s) and 1 memo(s) were left out"},
		{name: "another outlet", file: Meta{Outlet: "Herald"}, report: `its text is in this project only as articles 1, 2, whose outlet, URL or date differ from the file's (outlet "Herald")`},
		{name: "another URL", file: Meta{Outlet: "Post", URL: "https://elsewhere.example/bus"}, report: "give that article the file's details and merge again"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tempStore(t)
			times, post := addWireCopies(t, s, text)
			byOutlet := map[string]int64{"Times": times, "Post": post}
			const guid = "0b7f6a52-6f1e-4c53-9d55-3f7d0c2a9e11"
			if tc.onGUID != "" {
				if _, err := s.CreateAnnotation(ctx, Annotation{GUID: guid, ArticleID: byOutlet[tc.onGUID], Start: 4, End: 11}); err != nil {
					t.Fatal(err)
				}
			}
			plan := &QDPXPlan{
				Codes: []QDPXCode{{GUID: "5d0f3c1e-2b7a-4f43-8a6e-1c9d2b3e4f50", Name: "Actors", Parent: -1}},
				Sources: []QDPXSource{{Article: Article{Meta: tc.file, Text: text, Source: cmp.Or(tc.source, "shared/bus.txt")},
					Selections: []QDPXSelection{{GUID: guid, Start: 4, End: 11, Codes: []int{0}, Note: "the Post's framing", Creator: "bob",
						Modified: time.Now().Add(time.Hour)}}}},
				Memos: []QDPXMemo{{GUID: "7c2d9e40-1a3b-4c5d-8e6f-708192a3b4c5", Kind: "article", Target: 0, Title: "Post", Text: "Read on page 3."}},
			}
			rep, _, err := s.Merge(ctx, plan)
			if err != nil {
				t.Fatal(err)
			}
			var placed []string
			for outlet, id := range byOutlet {
				if anns, _ := s.Annotations(ctx, AnnotationFilter{ArticleID: id}); len(anns) > 0 && len(anns[0].CodeIDs) > 0 {
					placed = append(placed, outlet)
				}
				if memos, _ := s.Memos(ctx, "article", id); len(memos) > 0 {
					placed = append(placed, outlet+" memo")
				}
			}
			slices.Sort(placed)
			var want []string
			if tc.want != "" {
				want = []string{tc.want, tc.want + " memo"}
			}
			if !slices.Equal(placed, want) {
				t.Errorf("coding on %v, want %v; conflicts %q", placed, want, rep.Conflicts)
			}
			if tc.report != "" && (!slices.ContainsFunc(rep.Conflicts, func(c string) bool { return strings.Contains(c, tc.report) }) || rep.AnnotationsSkipped != 1) {
				t.Errorf("conflicts %q (%d skipped) lack %q", rep.Conflicts, rep.AnnotationsSkipped, tc.report)
			}
		})
	}
}

// An article the project has once, which a colleague's file has once with
// other details (a corrected date, the outlet or URL written another way,
// the time in another zone), is that article: merge puts the colleague's
// coding on it and a .qdpx import reuses it, both reporting the details
// that differ. Only where the file has copies of the text do the details
// choose between them.
func TestSourceMatchOneCopyOtherDetails(t *testing.T) {
	ctx := context.Background()
	text := "The council approved the new bus lanes on Tuesday after a long debate."
	here := Meta{Outlet: "Times", Title: "Bus lanes", URL: "https://times.example/bus", Date: MustParseDate("2024-05-07T10:00:00+01:00")}
	post := Meta{Outlet: "Post", Title: "Bus lanes", URL: "https://post.example/bus"}
	for _, tc := range []struct {
		name string
		file []Meta // the file's sources with the text; the last is coded
		// coded is true when the coded source is the project's article;
		// report is in a conflict line.
		coded  bool
		report string
	}{
		{name: "corrected date", file: []Meta{{Outlet: "Times", Title: "Bus lanes", Date: MustParseDate("2024-05-06")}}, coded: true, report: `date "2024-05-06"`},
		{name: "outlet written out", file: []Meta{{Outlet: "The Times", Title: "Bus lanes"}}, coded: true, report: `outlet "The Times"`},
		{name: "http URL with a slash", file: []Meta{{Outlet: "Times", URL: "http://times.example/bus/"}}, coded: true, report: `URL "http://times.example/bus/"`},
		{name: "time in another zone", file: []Meta{{Outlet: "Times", Date: MustParseDate("2024-05-07T09:00:00Z")}}, coded: true, report: "this project's details are kept"},
		{name: "another outlet's copy beside it", file: []Meta{post, here}, coded: true},
		{name: "copies, the coded one corrected", file: []Meta{post, {Outlet: "Times", Title: "Bus lanes", Date: MustParseDate("2024-05-06")}},
			report: "give that article the file's details and merge again"},
	} {
		for _, merge := range []bool{true, false} {
			name := tc.name + map[bool]string{true: " (merge)", false: " (import)"}[merge]
			t.Run(name, func(t *testing.T) {
				s := tempStore(t)
				res, err := s.AddArticles(ctx, []Article{{Meta: here, Text: text, Source: "times.txt"}}, nil)
				if err != nil {
					t.Fatal(err)
				}
				plan := &QDPXPlan{Codes: []QDPXCode{{GUID: "5d0f3c1e-2b7a-4f43-8a6e-1c9d2b3e4f50", Name: "Actors", Parent: -1}}}
				for i, m := range tc.file {
					plan.Sources = append(plan.Sources, QDPXSource{Article: Article{Meta: m, Text: text, Source: "shared/bus.txt"}})
					if i == len(tc.file)-1 {
						plan.Sources[i].Selections = []QDPXSelection{{GUID: "0b7f6a52-6f1e-4c53-9d55-3f7d0c2a9e11", Start: 4, End: 11, Codes: []int{0}, Creator: "bob"}}
						plan.Memos = []QDPXMemo{{GUID: "7c2d9e40-1a3b-4c5d-8e6f-708192a3b4c5", Kind: "article", Target: i, Title: "Read", Text: "Page 3."}}
					}
				}
				rep := bringIn(t, s, plan, merge)
				anns, _ := s.Annotations(ctx, AnnotationFilter{ArticleID: res[0].ID})
				memos, _ := s.Memos(ctx, "article", res[0].ID)
				if got := len(anns) == 1 && len(memos) == 1; got != tc.coded {
					t.Errorf("coding on the project's article: %v, want %v; conflicts %q", got, tc.coded, rep.Conflicts)
				}
				// An import adds the sources that are not the article; one
				// that is, is never added beside it.
				wantAdded := len(tc.file) - map[bool]int{true: 1, false: 0}[tc.coded]
				if !merge && rep.Articles != wantAdded {
					t.Errorf("import added %d articles, want %d", rep.Articles, wantAdded)
				}
				if tc.report != "" && (merge || tc.coded) && !hasLine(rep.Conflicts, tc.report) {
					t.Errorf("conflicts %q lack %q", rep.Conflicts, tc.report)
				}
			})
		}
	}
}

// A source with nothing of its own to go by does not take, by file order,
// the article a later source's annotations are on: the later source is
// that article, and importing the file again adds and reports nothing new.
func TestSourceMatchAnnotationsFirst(t *testing.T) {
	ctx := context.Background()
	text := "The council approved the new bus lanes on Tuesday after a long debate."
	const mine = "0b7f6a52-6f1e-4c53-9d55-3f7d0c2a9e11"
	bothWays(t, Article{Meta: Meta{Title: "Bus lanes"}, Text: text, Source: "bus.txt"}, func(t *testing.T, s *Store, article int64, merge bool) {
		if _, err := s.CreateAnnotation(ctx, Annotation{GUID: mine, ArticleID: article, Start: 4, End: 11, Note: "mine"}); err != nil {
			t.Fatal(err)
		}
		plan := &QDPXPlan{Sources: []QDPXSource{
			{Article: Article{Meta: Meta{Title: "Bus lanes copy"}, Text: text, Source: "f.qdpx: Bus lanes copy"},
				Selections: []QDPXSelection{{GUID: "1b7f6a52-6f1e-4c53-9d55-3f7d0c2a9e11", Start: 12, End: 20, Note: "on the copy"}}},
			{Article: Article{Meta: Meta{Title: "Bus lanes"}, Text: text, Source: "f.qdpx: Bus lanes"},
				Selections: []QDPXSelection{{GUID: mine, Start: 4, End: 11, Note: "mine"}}},
		}}
		for round := range 2 {
			rep := bringIn(t, s, plan, merge)
			// The second import finds the copy's annotation too.
			present := 1
			if !merge && round == 1 {
				present = 2
			}
			if rep.AnnotationsPresent != present || hasLine(rep.Conflicts, "another article") {
				t.Errorf("round %d: %d annotation(s) present, conflicts %q", round, rep.AnnotationsPresent, rep.Conflicts)
			}
			// The copy is a new article on import; a merge, which adds
			// no articles, says that the text's one article is the
			// other source's.
			switch {
			case !merge && rep.Articles+rep.Annotations != []int{2, 0}[round]:
				t.Errorf("round %d: import added %d article(s) and %d annotation(s)", round, rep.Articles, rep.Annotations)
			case merge && !hasLine(rep.Conflicts, "which other articles of the file with this text were found to be"):
				t.Errorf("round %d: conflicts %q", round, rep.Conflicts)
			}
		}
		if anns, _ := s.Annotations(ctx, AnnotationFilter{ArticleID: article}); len(anns) != 1 || anns[0].Note != "mine" {
			t.Errorf("the project's article has %+v", anns)
		}
	})
}

// Among copies of a text (the Times' and the Post's), a source whose
// outlet or URL is the Times' written another way ("The Times", an
// address with "http", "www.", a slash or a fragment) is the Times' copy,
// on import and merge alike. A source of another outlet, which an import
// adds as a new article, is reported with the articles that have its
// text, so its coding is not silently on a copy beside them.
func TestSourceMatchOutletAndURLWrittenOtherwise(t *testing.T) {
	ctx := context.Background()
	text := "The council approved the new bus lanes on Tuesday after a long debate."
	for _, tc := range []struct {
		name string
		file Meta
		// times is true when the source is the Times' copy; report is
		// in a conflict line of an import otherwise.
		times  bool
		report string
	}{
		{name: "The Times", file: Meta{Outlet: "The Times", Title: "Bus lanes"}, times: true},
		{name: "place in brackets", file: Meta{Outlet: "The Times (London)", Title: "Bus lanes"}, times: true},
		{name: "slash at the end", file: Meta{Outlet: "Times", URL: "https://times.example/bus/"}, times: true},
		{name: "http and www", file: Meta{URL: "http://www.times.example/bus#top"}, times: true},
		{name: "another outlet", file: Meta{Outlet: "Herald", Title: "Bus lanes"},
			report: `source "Bus lanes" was added as a new article (3), though its text is in this project as articles 1, 2, whose outlet, URL or date differ from the file's (outlet "Herald"); if it is one of those articles with other details, the annotations and memos the file has for it are on the new article instead`},
		{name: "another page", file: Meta{Outlet: "Times", URL: "https://times.example/bus?page=2"}, report: "though its text is in this project as articles 1, 2"},
	} {
		for _, merge := range []bool{true, false} {
			t.Run(tc.name+map[bool]string{true: " (merge)", false: " (import)"}[merge], func(t *testing.T) {
				s := tempStore(t)
				times, _ := addWireCopies(t, s, text)
				plan := &QDPXPlan{Sources: []QDPXSource{{Article: Article{Meta: tc.file, Text: text, Source: "f.qdpx: Bus lanes"},
					Selections: []QDPXSelection{{GUID: "0b7f6a52-6f1e-4c53-9d55-3f7d0c2a9e13", Start: 4, End: 11}}}}}
				rep := bringIn(t, s, plan, merge)
				anns, _ := s.Annotations(ctx, AnnotationFilter{ArticleID: times})
				n, err := s.ArticleCount(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if got := len(anns) == 1; got != tc.times || tc.times && n != 2 {
					t.Errorf("on the Times' copy: %v, want %v; %d articles; conflicts %q", got, tc.times, n, rep.Conflicts)
				}
				if !merge && !tc.times && !hasLine(rep.Conflicts, tc.report) {
					t.Errorf("conflicts %q lack %q", rep.Conflicts, tc.report)
				}
			})
		}
	}
}

// A file holding the project's one text three times, alike in all but a
// memo on the third, is imported once: the first source is the project's
// article and the others are added. Bringing it in again finds all three
// by their memo, details and source file, ties none of them, and finds
// the memo present.
func TestSourceMatchMemosFirst(t *testing.T) {
	ctx := context.Background()
	text := "The council approved the new bus lanes on Tuesday after a long debate."
	plan := &QDPXPlan{Memos: []QDPXMemo{{GUID: "7c2d9e40-1a3b-4c5d-8e6f-708192a3b4c5", Kind: "article", Target: 2, Title: "Read", Text: "Page 3."}}}
	for range 3 {
		plan.Sources = append(plan.Sources, QDPXSource{Article: Article{Meta: Meta{Title: "Bus lanes"}, Text: text, Source: "f.qdpx: Bus lanes"}})
	}
	bothWays(t, Article{Meta: Meta{Outlet: "Times", Title: "Bus lanes"}, Text: text, Source: "times.txt"}, func(t *testing.T, s *Store, article int64, merge bool) {
		if rep := bringIn(t, s, plan, false); rep.Articles != 2 || rep.Memos != 1 {
			t.Fatalf("first import: %d article(s), %d memo(s) added; conflicts %q", rep.Articles, rep.Memos, rep.Conflicts)
		}
		rep := bringIn(t, s, plan, merge)
		if rep.Articles != 0 || rep.ArticlesReused != 3 || rep.Memos != 0 || rep.MemosPresent != 1 || hasLine(rep.Conflicts, "not brought in") {
			t.Errorf("again: %d added, %d reused, memos %d added %d present; conflicts %q",
				rep.Articles, rep.ArticlesReused, rep.Memos, rep.MemosPresent, rep.Conflicts)
		}
		if n, err := s.ArticleCount(ctx); err != nil || n != 3 {
			t.Errorf("%d articles (%v), want 3", n, err)
		}
	})
}

// An article found by its text is reported with the details the file
// gives otherwise, and only those: a field the file leaves empty, as
// REFI-QDA tools that keep no outlet or date do, is no difference.
func TestSourceMatchReportsOnlyGivenDetails(t *testing.T) {
	text := "The council approved the new bus lanes on Tuesday after a long debate."
	here := Article{Meta: Meta{Outlet: "Times", Title: "Bus lanes", URL: "https://times.example/bus", Author: "Ann Lee", Date: MustParseDate("2024-05-07")},
		Text: text, Source: "times.txt"}
	for _, tc := range []struct {
		name string
		file Meta
		want string // the conflict line's list of differences, "" for no line
	}{
		{name: "title only", file: Meta{Title: "Bus lanes"}},
		{name: "nothing", file: Meta{}},
		{name: "another title", file: Meta{Title: "Bus lanes approved"}, want: `another title "Bus lanes approved";`},
		{name: "another date, no outlet", file: Meta{Title: "Bus lanes", Date: MustParseDate("2024-05-06")}, want: `another date "2024-05-06";`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bothWays(t, here, func(t *testing.T, s *Store, _ int64, merge bool) {
				plan := &QDPXPlan{Sources: []QDPXSource{{Article: Article{Meta: tc.file, Text: text, Source: "f.qdpx: Bus lanes"}}}}
				rep := bringIn(t, s, plan, merge)
				got := slices.DeleteFunc(slices.Clone(rep.Conflicts), func(l string) bool { return !strings.Contains(l, "in the file with another") })
				if tc.want == "" && len(got) > 0 || tc.want != "" && (len(got) != 1 || !strings.Contains(got[0], tc.want)) {
					t.Errorf("conflicts %q, want a line with %q", rep.Conflicts, tc.want)
				}
			})
		})
	}
}

// addWireCopies adds text to s as the Times' article and the Post's, of
// one day, and returns their IDs.
func addWireCopies(t *testing.T, s *Store, text string) (times, post int64) {
	t.Helper()
	res, err := s.AddArticles(context.Background(), []Article{
		{Meta: Meta{Outlet: "Times", Title: "Bus lanes", URL: "https://times.example/bus", Date: MustParseDate("2024-05-07")}, Text: text, Source: "times.txt"},
		{Meta: Meta{Outlet: "Post", Title: "Bus lanes", URL: "https://post.example/bus", Date: MustParseDate("2024-05-07")}, Text: text, Source: "post.txt"},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res[0].ID, res[1].ID
}

// bringIn merges plan into s, or imports it as a .qdpx file's plan.
func bringIn(t *testing.T, s *Store, plan *QDPXPlan, merge bool) QDPXReport {
	t.Helper()
	var rep QDPXReport
	var err error
	if merge {
		rep, _, err = s.Merge(context.Background(), plan)
	} else {
		rep, err = s.ApplyQDPX(context.Background(), plan)
	}
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// hasLine reports whether a report line contains part.
func hasLine(lines []string, part string) bool {
	return slices.ContainsFunc(lines, func(l string) bool { return strings.Contains(l, part) })
}

// A code is found by its GUID wherever it stands in the file: a colleague
// who renamed the project's "Police" to "Police old" and made a new
// "Police" (which the file lists first, by name) brings two codes, the new
// one with its own colour, description and coding, not the old one's.
// Bringing the file in again adds nothing.
func TestCodesByGUIDBeforeName(t *testing.T) {
	ctx := context.Background()
	text := "Officers were attacked. Officers then beat a protester."
	const old, fresh = "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"
	bothWays(t, Article{Meta: Meta{Title: "Officers"}, Text: text, Source: "a.txt"}, func(t *testing.T, s *Store, article int64, merge bool) {
		if _, err := s.CreateCode(ctx, Code{Name: "Police", GUID: old, Color: "#FF0000"}); err != nil {
			t.Fatal(err)
		}
		plan := &QDPXPlan{
			Codes: []QDPXCode{
				{GUID: fresh, Name: "Police", Color: "#0000FF", Description: "as perpetrators", Parent: -1},
				{GUID: old, Name: "Police old", Color: "#FF0000", Parent: -1},
			},
			Sources: []QDPXSource{{Article: Article{Meta: Meta{Title: "Officers"}, Text: text, Source: "a.txt"},
				Selections: []QDPXSelection{{GUID: "0b7f6a52-6f1e-4c53-9d55-3f7d0c2a9e11", Start: 24, End: 55, Codes: []int{0}}}}},
		}
		for round := range 2 {
			rep := bringIn(t, s, plan, merge)
			if want := []int{1, 0}[round]; rep.Codes != want || rep.CodesMatched != 2-want {
				t.Errorf("round %d: %d code(s) created, %d matched; warnings %q, conflicts %q", round, rep.Codes, rep.CodesMatched, rep.Warnings, rep.Conflicts)
			}
		}
		codes, _ := s.Codes(ctx)
		var got []string
		for _, c := range codes {
			got = append(got, fmt.Sprintf("%s %s %s %s", c.GUID, c.Name, c.Color, c.Description))
		}
		slices.Sort(got)
		want := []string{old + " Police #FF0000 ", fresh + " Police (2) #0000FF as perpetrators"}
		anns, _ := s.Annotations(ctx, AnnotationFilter{ArticleID: article})
		if !slices.Equal(got, want) || len(anns) != 1 || len(anns[0].CodeIDs) != 1 || CodePath(codes, anns[0].CodeIDs[0]) != "Police (2)" {
			t.Errorf("codes %q, annotations %+v; want %q, the passage coded Police (2)", got, anns, want)
		}
	})
}

// bothWays runs test as a merge and as a .qdpx import, each into a new
// project holding a.
func bothWays(t *testing.T, a Article, test func(t *testing.T, s *Store, article int64, merge bool)) {
	for _, merge := range []bool{true, false} {
		t.Run(map[bool]string{true: "merge", false: "import"}[merge], func(t *testing.T) {
			s := tempStore(t)
			res, err := s.AddArticles(context.Background(), []Article{a}, nil)
			if err != nil {
				t.Fatal(err)
			}
			test(t, s, res[0].ID, merge)
		})
	}
}
