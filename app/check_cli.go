package app

import (
	"fmt"

	"github.com/parallax-research/parallax/data"
)

// damagedHint is what to do about a damaged project, printed under the
// message that names it.
const damagedHint = "Restore the project from a backup, or copy what can still be read into a new project with\n" +
	"  parallax recover --project FILE --out NEW.parallax\n" +
	"('parallax check --project FILE' lists every problem.)"

func cmdCheck(e *env, args []string) error {
	cmd := newProjectCommand("check")
	if err := cmd.parseFlags(args); err != nil {
		return err
	}
	path, err := projectPath(*cmd.project)
	if err != nil {
		return err
	}
	rep, err := data.Check(e.ctx, path)
	if err != nil {
		return err
	}
	if rep.OK() {
		fmt.Fprintf(e.stdout, "%s: ok (integrity_check and foreign_key_check found nothing wrong)\n", path)
		return nil
	}
	for _, p := range rep.Integrity {
		fmt.Fprintf(e.stdout, "integrity: %s\n", p)
	}
	for _, p := range rep.References {
		fmt.Fprintf(e.stdout, "reference: %s\n", p)
	}
	return &data.Error{Code: data.EDamaged, Message: fmt.Sprintf("%s is damaged: %d integrity and %d reference problems (listed above)",
		path, len(rep.Integrity), len(rep.References))}
}

func cmdRecover(e *env, args []string) error {
	cmd := newProjectCommand("recover")
	out := cmd.String("out", "", "the new project to copy into (must not exist)")
	if err := cmd.parseFlags(args); err != nil {
		return err
	}
	if *out == "" {
		return usageError{"--out NEW.parallax is required"}
	}
	path, err := projectPath(*cmd.project)
	if err != nil {
		return err
	}
	rep, err := data.Recover(e.ctx, path, *out)
	if err != nil {
		return err
	}
	damaged := 0
	for _, t := range rep.Tables {
		note := ""
		if t.Damaged {
			note = " (damaged: some rows could not be read)"
			damaged++
		}
		fmt.Fprintf(e.stdout, "%-20s %d rows%s\n", t.Name, t.Copied, note)
	}
	if rep.Dropped > 0 {
		fmt.Fprintf(e.stdout, "%d rows left out because what they refer to could not be read\n", rep.Dropped)
	}
	fmt.Fprintf(e.stdout, "Recovered into %s (%d damaged tables); %s was not changed. Run 'parallax analyze --project %s' to redo any missing analysis.\n",
		*out, damaged, path, *out)
	return nil
}
