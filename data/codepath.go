package data

import (
	"slices"
	"strings"

	"github.com/google/uuid"
)

// Code names are data: a name may contain "/" (NVivo and QualCoder allow
// "consent / IRB"). A path such as "Findings/Severity" is a display of the
// hierarchy, made from the names; where a path is typed to name a code (on
// the command line, in the annotation form) a "/" inside a name is written
// "\/" and a backslash "\\", or the code is named by its GUID as
// "guid:6a3f0b1c-…".

// CodePath is a code's name with its ancestors', "Findings/Severity", for
// display. A "/" in a name is shown as it is, so two codes may display
// alike; CodeAddress gives a path that names one code.
func CodePath(codes []Code, id int64) string {
	return strings.Join(codeNames(codes, id), "/")
}

// CodeAddress is the path that names a code in a typed code path: the
// names joined by "/", each with "\" and "/" escaped. It equals CodePath
// for names without either character.
func CodeAddress(codes []Code, id int64) string {
	names := codeNames(codes, id)
	for i, n := range names {
		names[i] = EscapeCodeName(n)
	}
	return strings.Join(names, "/")
}

// EscapeCodeName writes a name as one part of a typed code path.
func EscapeCodeName(name string) string {
	return strings.NewReplacer(`\`, `\\`, `/`, `\/`).Replace(name)
}

func codeNames(codes []Code, id int64) []string {
	byID := make(map[int64]Code, len(codes))
	for _, c := range codes {
		byID[c.ID] = c
	}
	var parts []string
	for seen := 0; id != 0 && seen < len(codes); seen++ {
		c, ok := byID[id]
		if !ok {
			break
		}
		parts = append(parts, c.Name)
		id = c.ParentID
	}
	slices.Reverse(parts)
	return parts
}

// SplitCodePath splits a typed code path into names: "/" separates them,
// "\/" is a "/" inside a name and "\\" a backslash. Each name is trimmed of
// surrounding spaces; an empty one is refused.
func SplitCodePath(path string) ([]string, error) {
	var names []string
	var cur strings.Builder
	rs := []rune(path)
	for i := 0; i < len(rs); i++ {
		switch r := rs[i]; {
		case r == '\\' && i+1 < len(rs) && (rs[i+1] == '/' || rs[i+1] == '\\'):
			cur.WriteRune(rs[i+1])
			i++
		case r == '/':
			names = append(names, cur.String())
			cur.Reset()
		default:
			cur.WriteRune(r)
		}
	}
	names = append(names, cur.String())
	for i, n := range names {
		names[i] = strings.TrimSpace(n)
		if names[i] == "" {
			return nil, Errorf(EInvalid, "code path %q has an empty part (write a \"/\" inside a name as \\/)", path)
		}
	}
	return names, nil
}

// codeGUIDPrefix names a code by its GUID in a typed code reference.
const codeGUIDPrefix = "guid:"

// FindCode returns the code a typed reference names: "guid:<GUID>", a path
// whose names escape "/" as "\/", or the code's displayed path when exactly
// one code displays so (so that "consent / IRB" finds the top-level code of
// that name without escapes).
func FindCode(codes []Code, ref string) (Code, error) {
	ref = strings.TrimSpace(ref)
	if g, ok := strings.CutPrefix(ref, codeGUIDPrefix); ok {
		u, err := uuid.Parse(strings.TrimSpace(g))
		if err != nil {
			return Code{}, Errorf(EInvalid, "code reference %q: not a GUID", ref)
		}
		for _, c := range codes {
			if strings.EqualFold(c.GUID, u.String()) {
				return c, nil
			}
		}
		return Code{}, Errorf(ENotFound, "no code with GUID %s in this project", u)
	}
	if names, err := SplitCodePath(ref); err == nil {
		if c, ok := codeAtNames(codes, names); ok {
			return c, nil
		}
	}
	var found []Code
	for _, c := range codes {
		if CodePath(codes, c.ID) == ref {
			found = append(found, c)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return Code{}, Errorf(ENotFound, "no code %q in this project", ref)
	}
	return Code{}, Errorf(EConflict, "%d codes display as %q (a \"/\" in a name); write it as \\/ or name the code by guid:GUID", len(found), ref)
}

// codeAtNames walks names down from the top of the codebook.
func codeAtNames(codes []Code, names []string) (Code, bool) {
	var parent int64
	var cur Code
	for _, n := range names {
		i := slices.IndexFunc(codes, func(c Code) bool { return c.ParentID == parent && c.Name == n })
		if i < 0 {
			return Code{}, false
		}
		cur = codes[i]
		parent = cur.ID
	}
	return cur, true
}

// Subtree returns ids with every code under them, each once, in codebook
// order: a code scope means the code and everything under it.
func Subtree(codes []Code, ids []int64) []int64 {
	in := map[int64]bool{}
	for _, id := range ids {
		in[id] = true
	}
	// Codes() lists parents before children, so one pass suffices; the
	// loop repeats for a list in another order.
	for changed := true; changed; {
		changed = false
		for _, c := range codes {
			if !in[c.ID] && c.ParentID != 0 && in[c.ParentID] {
				in[c.ID] = true
				changed = true
			}
		}
	}
	var out []int64
	for _, c := range codes {
		if in[c.ID] {
			out = append(out, c.ID)
		}
	}
	// IDs not in the codebook stay, so that a caller can report them.
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// SharedNames lists the code names that two or more codes carry under
// different parents, each with those codes' IDs. QualCoder needs unique
// names; exporting to it should qualify these.
func SharedNames(codes []Code) map[string][]int64 {
	by := map[string][]int64{}
	for _, c := range codes {
		by[c.Name] = append(by[c.Name], c.ID)
	}
	for n, ids := range by {
		if len(ids) < 2 {
			delete(by, n)
		}
	}
	return by
}
