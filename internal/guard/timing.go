package guard

import (
	"context"
	"math/rand/v2"
	"runtime"
	"sync"
	"time"
)

// Timing keeps how long the recent real runs of some operations took, so
// that a decoy standing in for one takes as long. Most of what a decoy does
// is the same work a user's request does (the same password check, the
// same reads, the same counters); what it cannot do, such as storing a code
// and delivering it, it replaces by waiting for a duration drawn from the
// real runs, so that the two take the same time in distribution.
//
// A Timing is process memory, and bounded: timingKinds kinds of
// timingSamples durations each. It is safe for concurrent use.
type Timing struct {
	mu    sync.Mutex
	kinds map[string]*samples
}

const (
	timingSamples = 64
	timingKinds   = 32
)

type samples struct {
	d    [timingSamples]time.Duration
	n    int // how many are set
	next int
}

// NewTiming returns an empty Timing.
func NewTiming() *Timing { return &Timing{kinds: map[string]*samples{}} }

// Observe records that a real run of kind, begun at start, has ended.
func (t *Timing) Observe(kind string, start time.Time) {
	d := time.Since(start)
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.kinds[kind]
	if s == nil {
		if len(t.kinds) >= timingKinds {
			return
		}
		s = &samples{}
		t.kinds[kind] = s
	}
	s.d[s.next] = d
	s.next = (s.next + 1) % timingSamples
	s.n = min(s.n+1, timingSamples)
}

// Wait returns once a decoy's run of kind, begun at start, has lasted as
// long as a real run drawn from the recent ones, or when ctx ends. Without
// any real run yet it returns at once.
func (t *Timing) Wait(ctx context.Context, kind string, start time.Time) {
	t.mu.Lock()
	var d time.Duration
	if s := t.kinds[kind]; s != nil && s.n > 0 {
		d = s.d[rand.IntN(s.n)]
	}
	t.mu.Unlock()
	until := start.Add(d)
	// Timers wake up to a millisecond late, which would make a short
	// wait (most are under a millisecond) tell on itself: sleep all but
	// the last millisecond, then yield until the time comes.
	if wait := time.Until(until) - time.Millisecond; wait > 0 {
		timer := time.NewTimer(wait)
		select {
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			return
		}
	}
	for time.Now().Before(until) && ctx.Err() == nil {
		runtime.Gosched()
	}
}
