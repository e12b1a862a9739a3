package app

import (
	"fmt"
	"maps"
	"slices"
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
	qualified := cmd.Bool("qualified-names", false, `qdpx/qdc: write a code name that codes under other parents share as "Name (Parent)" (QualCoder needs unique names)`)
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
		all, err := store.Codes(e.ctx)
		if err != nil {
			return err
		}
		if *codes != "" {
			// Each code brings the codes under it (see LoadExport).
			for _, p := range strings.Split(*codes, ",") {
				c, err := data.FindCode(all, p)
				if err != nil {
					return err
				}
				sc.Codes = append(sc.Codes, c.ID)
			}
		}
		if (*format == "qdpx" || *format == "qdc") && !*qualified {
			if w := SharedNamesWarning(all); w != "" {
				fmt.Fprintf(e.stderr, "warning: %s; add --qualified-names to write them as \"Name (Parent)\"\n", w)
			}
		}
		warn := func(w string) { fmt.Fprintf(e.stderr, "warning: %s\n", w) }
		if err := ExportWith(e.ctx, store, *format, sc, *out, ExportOptions{QualifyNames: *qualified, Warn: warn}); err != nil {
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

// SharedNamesWarning says which code names codes under different parents
// share, "" when none: QualCoder needs unique names.
func SharedNamesWarning(codes []data.Code) string {
	shared := data.SharedNames(codes)
	if len(shared) == 0 {
		return ""
	}
	var parts []string
	for _, name := range slices.Sorted(maps.Keys(shared)) {
		var paths []string
		for _, id := range shared[name] {
			paths = append(paths, data.CodePath(codes, id))
		}
		parts = append(parts, strings.Join(paths, ", "))
	}
	return fmt.Sprintf("%d code name(s) are shared by codes under different parents (%s); QualCoder needs unique names", len(shared), strings.Join(parts, "; "))
}
