package bench

import (
	"testing"
	"time"
)

func unit(ds ...time.Duration) []weighted {
	w := make([]weighted, len(ds))
	for i, d := range ds {
		w[i] = weighted{d, 1}
	}
	return w
}

func TestWeightedPercentileNearestRank(t *testing.T) {
	// 1..100 ms: the p-th percentile is p ms.
	var ds []time.Duration
	for i := 1; i <= 100; i++ {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	w := unit(ds...)
	for _, c := range []struct {
		p    float64
		want time.Duration
	}{{50, 50 * time.Millisecond}, {90, 90 * time.Millisecond}, {99, 99 * time.Millisecond}, {100, 100 * time.Millisecond}, {0, time.Millisecond}, {0.5, time.Millisecond}} {
		if got := weightedPercentile(w, c.p); got != c.want {
			t.Errorf("p%v = %v, want %v", c.p, got, c.want)
		}
	}
	// Five samples: rank ceil(0.5*5) = 3, ceil(0.9*5) = 5.
	five := unit(1, 2, 3, 4, 5)
	if got := weightedPercentile(five, 50); got != 3 {
		t.Errorf("p50 of 1..5 = %v, want 3", got)
	}
	if got := weightedPercentile(five, 90); got != 5 {
		t.Errorf("p90 of 1..5 = %v, want 5", got)
	}
	if got := weightedPercentile(unit(7), 99); got != 7 {
		t.Errorf("p99 of one sample = %v, want it", got)
	}
}

func TestWeightedPercentileWeights(t *testing.T) {
	// One sample standing for 9 latencies of 1 ms, one for a single 10 ms.
	w := []weighted{{time.Millisecond, 9}, {10 * time.Millisecond, 1}}
	if got := weightedPercentile(w, 90); got != time.Millisecond {
		t.Errorf("p90 = %v, want 1ms", got)
	}
	if got := weightedPercentile(w, 91); got != 10*time.Millisecond {
		t.Errorf("p91 = %v, want 10ms", got)
	}
}

func TestSummarize(t *testing.T) {
	a, b := newSampler(1), newSampler(2)
	for i := 1; i <= 50; i++ {
		a.add(time.Duration(i) * time.Millisecond)
		b.add(time.Duration(50+i) * time.Millisecond)
	}
	got := summarize([]*sampler{a, b, newSampler(3)})
	want := Latency{P50: 50, P90: 90, P99: 99, Max: 100}
	if got != want {
		t.Errorf("summarize = %+v, want %+v", got, want)
	}
	if got := summarize(nil); got != (Latency{}) {
		t.Errorf("summarize(nil) = %+v", got)
	}
}

func TestSamplerKeepsABoundedUniformSample(t *testing.T) {
	s := newSampler(42)
	s.limit = 1000
	const n = 100_000
	for i := range n {
		s.add(time.Duration(i))
	}
	if s.seen != n || len(s.samples) != s.limit {
		t.Fatalf("seen %d, kept %d; want %d, %d", s.seen, len(s.samples), n, s.limit)
	}
	// A uniform sample of 0..n-1 has its median near n/2; a sampler that
	// kept the first or the last values would be far off.
	p50 := summarize([]*sampler{s}).P50 * float64(time.Millisecond)
	if p50 < 0.4*n || p50 > 0.6*n {
		t.Errorf("median of the sample = %v, want about %d", p50, n/2)
	}
}

func TestSamplerWeightsAcrossWorkers(t *testing.T) {
	// A busy worker that had to sample must count for all it saw.
	busy, idle := newSampler(1), newSampler(2)
	busy.limit = 10
	for range 1000 {
		busy.add(time.Millisecond)
	}
	for range 10 {
		idle.add(time.Second)
	}
	if got := summarize([]*sampler{busy, idle}); got.P50 != 1 || got.P99 != 1 || got.Max != 1000 {
		t.Errorf("summarize = %+v, want p50 = p99 = 1ms, max 1s", got)
	}
}
