package bench

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// maxSamples bounds the latencies one worker keeps; past it the worker keeps
// a uniform random sample of them (reservoir sampling), so percentiles stay
// unbiased and memory stays bounded however long a run is.
const maxSamples = 1 << 16

// sampler collects the latencies of one worker. It is not safe for
// concurrent use: every worker has its own.
type sampler struct {
	seen    int // latencies offered
	samples []time.Duration
	rng     *rand.Rand
	limit   int
}

func newSampler(seed uint64) *sampler {
	return &sampler{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), limit: maxSamples}
}

// add offers one latency.
func (s *sampler) add(d time.Duration) {
	s.seen++
	if len(s.samples) < s.limit {
		s.samples = append(s.samples, d)
		return
	}
	if i := s.rng.IntN(s.seen); i < s.limit {
		s.samples[i] = d
	}
}

// Latency summarises latencies in milliseconds.
type Latency struct {
	P50 float64 `json:"p50_ms"`
	P90 float64 `json:"p90_ms"`
	P99 float64 `json:"p99_ms"`
	Max float64 `json:"max_ms"`
}

// summarize merges the workers' samples and returns their percentiles. Each
// latency a worker kept stands for seen/kept of the latencies it saw, so a
// worker that had to sample counts as much as the requests it made.
func summarize(ss []*sampler) Latency {
	var w []weighted
	for _, s := range ss {
		if len(s.samples) == 0 {
			continue
		}
		weight := float64(s.seen) / float64(len(s.samples))
		for _, d := range s.samples {
			w = append(w, weighted{d, weight})
		}
	}
	if len(w) == 0 {
		return Latency{}
	}
	slices.SortFunc(w, func(a, b weighted) int {
		switch {
		case a.d < b.d:
			return -1
		case a.d > b.d:
			return 1
		}
		return 0
	})
	return Latency{
		P50: ms(weightedPercentile(w, 50)),
		P90: ms(weightedPercentile(w, 90)),
		P99: ms(weightedPercentile(w, 99)),
		Max: ms(w[len(w)-1].d),
	}
}

type weighted struct {
	d time.Duration
	w float64
}

// weightedPercentile returns the nearest-rank p-th percentile of sorted
// weighted samples: the smallest sample such that at least p% of the total
// weight is at or below it. With unit weights it is sorted[ceil(p/100·n)-1].
func weightedPercentile(sorted []weighted, p float64) time.Duration {
	var total float64
	for _, s := range sorted {
		total += s.w
	}
	rank := math.Ceil(p / 100 * total)
	if rank < 1 {
		rank = 1
	}
	var acc float64
	for _, s := range sorted {
		acc += s.w
		if acc >= rank-1e-9 {
			return s.d
		}
	}
	return sorted[len(sorted)-1].d
}

func ms(d time.Duration) float64 { return round3(float64(d) / float64(time.Millisecond)) }

// round3 keeps three decimals, enough for milliseconds and rates.
func round3(f float64) float64 { return math.Round(f*1000) / 1000 }
