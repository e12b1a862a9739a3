package app

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/parallax-research/parallax/data"
)

func cmdExport(e *env, args []string) error {
	cmd := newProjectCommand("export")
	format := cmd.String("format", "", "one of: "+strings.Join(ExportFormats(), ", "))
	out := cmd.String("out", "", "file to write")
	codes := cmd.String("codes", "", "only annotations with these code paths, comma-separated")
	articles := cmd.String("articles", "", "only these article IDs, comma-separated")
	clusters := cmd.String("clusters", "", "only these cluster IDs, comma-separated")
	if err := cmd.parseFlags(args); err != nil {
		return err
	}
	if _, ok := exporters[*format]; !ok {
		return usageError{fmt.Sprintf("--format %q: want one of %s", *format, strings.Join(ExportFormats(), ", "))}
	}
	if *out == "" {
		return usageError{"--out PATH is required"}
	}
	var sc data.ExportScope
	var err error
	if sc.Articles, err = parseIDs("--articles", *articles); err != nil {
		return err
	}
	if sc.Clusters, err = parseIDs("--clusters", *clusters); err != nil {
		return err
	}
	return cmd.run(func(store *data.Store) error {
		if *codes != "" {
			all, err := store.Codes(e.ctx)
			if err != nil {
				return err
			}
			for _, p := range strings.Split(*codes, ",") {
				p = strings.TrimSpace(p)
				id := int64(0)
				for _, c := range all {
					if data.CodePath(all, c.ID) == p {
						id = c.ID
					}
				}
				if id == 0 {
					return data.Errorf(data.ENotFound, "no code %q in this project", p)
				}
				sc.Codes = append(sc.Codes, id)
			}
		}
		if err := Export(e.ctx, store, *format, sc, *out); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "wrote %s (%s)\n", *out, *format)
		return nil
	})
}

func parseIDs(flagName, s string) ([]int64, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []int64
	for _, f := range strings.Split(s, ",") {
		id, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64)
		if err != nil || id <= 0 {
			return nil, usageError{fmt.Sprintf("%s: %q is not an ID", flagName, f)}
		}
		out = append(out, id)
	}
	return out, nil
}
