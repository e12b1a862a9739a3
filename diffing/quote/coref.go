package quote

import "strings"

// Coreference: a pronoun, a surname alone or a generic "the council"
// resolved to a speaker the article named earlier.

// entity is a speaker already met in the article, for pronoun and
// short-reference resolution.
type entity struct {
	name    string
	kind    SpeakerKind
	role    string
	plural  bool
	surname string
	tok     int
	nameLen int
	cue     bool // the subject of a reporting verb, not only of a sentence
}

// resolved is a speaker after resolution.
type resolved struct {
	speaker string
	kind    SpeakerKind
	role    string
	via     string
	conf    float64 // the most this resolution allows
}

// lookBack bounds, in tokens, the search for the full name behind a
// surname or a generic noun: several pages of news, and no quadratic
// blow-up on a pathological text.
const lookBack = 5000

// maxEnts bounds how many earlier speakers a pronoun is matched against.
const maxEnts = 200

// resolve turns a speaker phrase into the speaker it names, using what the
// article said before token at.
func (d *doc) resolve(np *phrase, at int) resolved {
	switch np.pronoun {
	case "she", "he":
		return d.resolveHeShe(np, at)
	case "it", "they":
		for i := len(d.ents) - 1; i >= 0 && i >= len(d.ents)-maxEnts; i-- {
			e := &d.ents[i]
			if e.tok >= at {
				continue
			}
			ok := e.kind == SpeakerOrganisation || e.kind == SpeakerDocument
			if np.pronoun == "they" {
				ok = e.kind == SpeakerGroup || e.kind == SpeakerOrganisation || e.plural
			}
			if ok {
				return resolved{e.name, e.kind, e.role, np.pronoun, 0.65}
			}
		}
		return resolved{via: np.pronoun}
	}
	conf := 1.0
	if np.weak {
		conf = 0.85
	}
	if p := d.personOf(np); p != nil {
		role := np.roleOr()
		if role == "" {
			role = p.role
		}
		if bodyRole(role) {
			// "a South Korean newspaper, Munhwa Ilbo,": a body's name
			return resolved{p.name, SpeakerOrganisation, role, "", conf}
		}
		if p.name == np.text {
			return resolved{p.name, SpeakerPerson, role, "", conf}
		}
		if !np.short && !p.full {
			return resolved{np.text, SpeakerPerson, role, "", conf}
		}
		return resolved{p.name, SpeakerPerson, role, np.text, min(conf, 0.85)}
	}
	if np.kind == SpeakerPerson && np.short {
		if full, role := d.fullName(np, at); full != "" {
			if np.role != "" || role == "" {
				role = np.roleOr()
			}
			return resolved{full, SpeakerPerson, role, np.text, min(conf, 0.85)}
		}
		return resolved{np.text, SpeakerPerson, np.roleOr(), "", min(conf, 0.8)}
	}
	if p := d.holder(np); p != nil {
		role := p.role
		if role == "" {
			role = np.text
		}
		return resolved{p.name, SpeakerPerson, role, np.text, min(conf, 0.75)}
	}
	if np.generic != "" {
		if name := d.namedBody(np.generic, at); name != "" {
			return resolved{name, SpeakerOrganisation, np.role, np.text, min(conf, 0.8)}
		}
	}
	return resolved{np.text, np.kind, np.roleOr(), "", conf}
}

// continuing are reporting verbs that carry on from the speaker before:
// "He added:" after a paragraph that named someone else is still the
// previous speaker's.
var continuing = map[string]bool{"added": true, "adds": true, "adding": true, "continued": true, "continues": true, "concluded": true, "went": true}

// resolveHeShe resolves "he" or "she" at token at: to the person last
// named as the subject of a sentence or of a reporting verb, of the
// pronoun's sex or of none known yet. After "added" or "continued" the
// subject of the last reporting verb comes first: the same speaker goes
// on.
func (d *doc) resolveHeShe(np *phrase, at int) resolved {
	want := byte('f')
	if np.pronoun == "he" {
		want = 'm'
	}
	ok := func(e *entity) bool {
		if e.tok >= at || e.kind != SpeakerPerson || e.plural {
			return false
		}
		g := d.gender[e.name]
		return g == 0 || g == want
	}
	pick := -1
	cont := d.isWord(at) && continuing[d.lw(at)]
	for i := len(d.ents) - 1; i >= 0 && i >= len(d.ents)-maxEnts; i-- {
		e := &d.ents[i]
		if !ok(e) {
			continue
		}
		if pick < 0 {
			pick = i
		}
		if !cont || e.cue {
			pick = i
			break
		}
		if d.words(e.tok, at) > 400 {
			break
		}
	}
	if pick < 0 {
		return resolved{via: np.pronoun}
	}
	e := &d.ents[pick]
	if d.gender[e.name] == 0 {
		d.gender[e.name] = want
	}
	return resolved{e.name, e.kind, e.role, np.pronoun, 0.7}
}

// fullName finds the full name a surname refers to among the speakers
// already met, for a surname the article's list of people does not hold.
func (d *doc) fullName(np *phrase, at int) (string, string) {
	sur := lowerWord(np.surname)
	for i := len(d.ents) - 1; i >= 0 && i >= len(d.ents)-maxEnts; i-- {
		e := d.ents[i]
		if e.tok < at && e.kind == SpeakerPerson && e.nameLen > 1 && e.surname != "" && e.surname == sur {
			if g := d.gender[e.name]; g != 0 && np.gender != 0 && g != np.gender {
				continue
			}
			return e.name, e.role
		}
	}
	return "", ""
}

// namedBody finds the named organisation a generic noun stands for: "the
// council" for an earlier "Bradford Council", "the watchdog" for "watchdog
// Ofsted".
func (d *doc) namedBody(head string, at int) string {
	// Answers are kept per noun, so each stretch of text is searched once.
	from := max(0, at-lookBack)
	hit, ok := d.bodies[head]
	if ok && hit.upTo <= at {
		from = max(from, hit.upTo)
	} else {
		hit = body{}
	}
	if name := d.namedBodyIn(head, from, at); name != "" {
		hit.name = name
	}
	hit.upTo = at
	if d.bodies == nil {
		d.bodies = map[string]body{}
	}
	d.bodies[head] = hit
	return hit.name
}

// body is the named body found for a generic noun in text before upTo.
type body struct {
	upTo int
	name string
}

func (d *doc) namedBodyIn(head string, from, at int) string {
	for i := min(at, len(d.toks)) - 1; i >= from; i-- {
		if !d.isWord(i) || baseNoun(d.lw(i)) != head {
			continue
		}
		if d.isCapTok(i) {
			// "Bradford Council", "Department for Education"
			j := d.capRunBack(0, i)
			k := d.capRunFwd(i, len(d.toks)-1)
			if k-j < 1 {
				continue
			}
			np := d.classifyName(j, k, false)
			if np != nil && np.kind == SpeakerOrganisation && np.text != "" {
				return np.text
			}
			continue
		}
		// "watchdog Ofsted"
		if d.isNameTok(i + 1) {
			k := d.capRunFwd(i+1, len(d.toks)-1)
			np := d.classifyName(i+1, k, false)
			if np != nil && np.text != "" {
				return np.text
			}
		}
	}
	return ""
}

// register records a resolved speaker for later pronouns and surnames.
func (d *doc) register(r resolved, np *phrase, at int) {
	d.note(r, np, at, true)
}

// note records a speaker, or with cue false the person a sentence is
// about, for later pronouns and surnames.
func (d *doc) note(r resolved, np *phrase, at int, cue bool) {
	if r.speaker == "" {
		return
	}
	e := entity{name: r.speaker, kind: r.kind, role: r.role, tok: at, plural: np.plural, cue: cue}
	if r.kind == SpeakerPerson {
		e.nameLen = len(strings.Fields(r.speaker))
		if np.pronoun == "" && np.surname != "" {
			e.surname = lowerWord(np.surname)
		} else {
			fs := strings.Fields(r.speaker)
			e.surname = lowerWord(fs[len(fs)-1])
		}
		g := np.gender
		if p := d.personOf(np); p != nil && p.gender != 0 {
			g = p.gender
		}
		if g != 0 && d.gender[r.speaker] == 0 {
			d.gender[r.speaker] = g
		}
	}
	d.ents = append(d.ents, e)
}
