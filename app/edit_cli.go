package app

import (
	"flag"
	"fmt"
	"strings"

	"github.com/parallax-research/parallax/data"
)

// EditJSON is the `edit --json` contract: the articles changed.
type EditJSON struct {
	Updated []int64 `json:"updated"`
}

// cmdEdit sets metadata on several articles in one transaction, as the
// library's bulk edit does.
func cmdEdit(e *env, args []string) error {
	cmd := newProjectCommand("edit")
	articles := cmd.String("articles", "", "article IDs, comma-separated (see 'parallax list')")
	var attrs stringList
	cmd.Var(&attrs, "attr", "attribute NAME=VALUE to set (repeatable; an empty VALUE removes it)")
	asJSON := cmd.Bool("json", false, "print the articles changed as JSON")
	// Only the flags given are set: an absent --title leaves titles alone,
	// while --title "" clears them.
	fields := map[string]*string{}
	for _, f := range []struct{ name, help string }{
		{"outlet", "outlet"}, {"date", "date: YYYY, YYYY-MM, YYYY-MM-DD, or a time with its zone, 2023-01-31T09:30-05:00 (empty to clear)"},
		{"title", "title"}, {"author", "author"}, {"url", "URL"},
	} {
		fields[f.name] = cmd.String(f.name, "", f.help)
	}
	if err := cmd.parseFlags(args); err != nil {
		return err
	}
	ids, err := parseIDs("--articles", *articles)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return usageError{"--articles ID,... is required"}
	}
	var edit data.MetaEdit
	given := map[string]bool{}
	cmd.Visit(func(f *flag.Flag) { given[f.Name] = true })
	pick := func(name string) *string {
		if given[name] {
			return fields[name]
		}
		return nil
	}
	edit.Outlet, edit.Title, edit.Author, edit.URL = pick("outlet"), pick("title"), pick("author"), pick("url")
	if given["date"] {
		d, err := data.ParseDateTime(*fields["date"])
		if err != nil {
			return usageError{"--date: " + err.Error()}
		}
		edit.Date = &d
	}
	for _, a := range attrs {
		k, v, ok := strings.Cut(a, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return usageError{fmt.Sprintf("--attr %q: want NAME=VALUE", a)}
		}
		if edit.Attributes == nil {
			edit.Attributes = map[string]string{}
		}
		edit.Attributes[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	if edit.Empty() {
		return usageError{"nothing to set: give --outlet, --date, --title, --author, --url or --attr"}
	}
	return cmd.run(func(store *data.Store) error {
		before, err := store.EditArticles(e.ctx, ids, edit)
		if err != nil {
			return err
		}
		changed := make([]int64, len(before))
		for i, m := range before {
			changed[i] = m.ID
		}
		if *asJSON {
			return writeJSON(e.stdout, EditJSON{Updated: changed})
		}
		fmt.Fprintf(e.stdout, "Updated %d %s.\n", len(changed), pluralWord(len(changed), "article", "articles"))
		return nil
	})
}
