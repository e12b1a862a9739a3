package propagate

import (
	"math"
	"time"
)

// lagModel is how long copies take to appear after their sources, learnt
// from the pass before: for versions with times of day a log-normal
// distribution of the lag, for versions dated to the day a distribution
// over whole days (0 to maxDays, the last meaning as many or more). A
// candidate whose lag fits how this corpus copies is the likelier source:
// of two identical versions, the one published a typical delay before.
// One distribution serves every outlet: means per outlet, fitted to the
// pass before's choices, recovered fewer true sources in the simulations
// (they learn the first pass's mistakes).
type lagModel struct {
	timed     bool
	mu, sigma float64 // of the lag's logarithm, in minutes
	days      [maxDays + 1]float64
	dayed     bool
	// typicalTimed and typicalDays are the expected log-likelihoods;
	// logSigma is -log(sigma).
	typicalTimed, typicalDays float64
	logSigma                  float64
}

const maxDays = 7

// minLag is the lag given to a copy in the same minute as its source, so
// that its logarithm is finite.
const minLag = 30 * time.Second

// fitLags fits the lag model to a pass's choices of confidence one half
// or more, each pickup of a syndicated text once (see copies).
func fitLags(graphs []Graph) lagModel {
	held := copiesHeld(graphs, func(g Graph, i int) bool { return g.Sources[i].Confidence >= 0.5 }, nil)
	var m lagModel
	var xs []float64
	var dayCounts [maxDays + 1]float64
	dayTotal := 0.0
	for k, g := range graphs {
		for i, s := range g.Sources {
			if s.From < 0 || s.Confidence < 0.5 {
				continue
			}
			if !held.counts(k, g, i) {
				continue
			}
			a, b := g.Versions[s.From].Time, g.Versions[i].Time
			switch {
			case a.Timed() && b.Timed():
				xs = append(xs, math.Log(minutes(min(max(b.Lo.Sub(a.Lo), minLag), farLag))))
			case isDay(a) && isDay(b):
				dayCounts[dayIndex(b.Lo.Sub(a.Lo))]++
				dayTotal++
			}
		}
	}
	if len(xs) >= 20 {
		var sum float64
		for _, x := range xs {
			sum += x
		}
		m.mu = sum / float64(len(xs))
		var sq float64
		for _, x := range xs {
			sq += (x - m.mu) * (x - m.mu)
		}
		m.sigma = math.Max(0.3, math.Sqrt(sq/float64(len(xs))))
		m.timed = true
		m.logSigma = -math.Log(m.sigma)
		// The expected log-density, for a candidate without a lag.
		m.typicalTimed = -math.Log(m.sigma) - 0.5
	}
	if dayTotal >= 20 {
		m.dayed = true
		for k := range m.days {
			p := (dayCounts[k] + 1) / (dayTotal + maxDays + 1)
			m.days[k] = math.Log(p)
			m.typicalDays += p * m.days[k]
		}
	}
	return m
}

func minutes(d time.Duration) float64 { return d.Minutes() }

// isDay reports a stamp of exactly one day: a date without a time.
func isDay(s Stamp) bool { return s.Known && s.Hi.Sub(s.Lo) == 24*time.Hour }

func dayIndex(d time.Duration) int {
	k := int(d / (24 * time.Hour))
	return min(max(k, 0), maxDays)
}

// logP is the log-likelihood of the lag between a candidate source dated
// a and a version dated b, up to a constant shared by the candidates; 0
// when the model knows nothing of such dates. Spans are compared as Unix
// nanoseconds: this runs for every pair of versions of a cluster.
func (m *lagModel) logP(a, b span) float64 {
	if !a.known || !b.known {
		return 0
	}
	return m.logPLag(a.hi-a.lo, b.hi-b.lo, b.lo-a.lo, a.lo >= b.hi)
}

// logPLag is logP for dates spanning wa and wb nanoseconds, the second
// beginning lag after the first; after when the first begins after the
// second ends.
func (m *lagModel) logPLag(wa, wb, lag int64, after bool) float64 {
	const day = int64(24 * time.Hour)
	switch {
	case m.timed && wa < day && wb < day:
		if after {
			return m.typicalTimed
		}
		x := math.Log(minutes(min(max(time.Duration(lag), minLag), farLag)))
		z := (x - m.mu) / m.sigma
		return m.logSigma - z*z/2
	case m.dayed && wa == day && wb == day:
		return m.days[dayIndex(time.Duration(lag))]
	}
	return 0
}

// farLag is the longest lag the model tells apart: a copy a week or more
// after its source is as likely at any such lag (the days' distribution
// ends in "a week or more"; the log-normal one reads a longer lag as a
// week). So candidates published a week or more before a version differ
// only in wording and outlet, and choose sums them by those.
const farLag = maxDays * 24 * time.Hour

// Kinds of date, as the lag model reads them.
const (
	typeTimed = iota // to the minute
	typeDay          // to the day
	// typeWide is a time of day in an unknown zone among times in known
	// ones: a span of a day and two hours (see Stamp). It is ordered and
	// summed like the dated kinds, though the lag model reads nothing
	// into it.
	typeWide
	typeOther // to the month or year, or undated
	numTypes
)

// spanType is the kind of date a span is.
func spanType(s span) int8 {
	const day = int64(24 * time.Hour)
	switch w := s.hi - s.lo; {
	case !s.known || w > 2*day:
		return typeOther
	case w > day:
		return typeWide
	case w == day:
		return typeDay
	}
	return typeTimed
}

// typeWidth is a span's width of each kind, as logPLag reads it (any
// width over a day reads as nothing).
var typeWidth = [numTypes]int64{int64(time.Minute), int64(24 * time.Hour), int64(48 * time.Hour), int64(48 * time.Hour)}

// typical is the lag term of a candidate whose lag is unknown (an unseen
// source): what a candidate of this corpus scores on average.
func (m lagModel) typical() float64 {
	switch {
	case m.timed:
		return m.typicalTimed
	case m.dayed:
		return m.typicalDays
	}
	return 0
}
