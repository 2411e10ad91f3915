package server

import (
	"context"
	"net/http"
	"runtime/debug"
	"sync/atomic"
	"time"
)

// GCPercent is the garbage collector's target cognate serve runs with when
// the GOGC environment variable does not set one. A server's live heap is a
// few megabytes, so the default of 100 collects very often under load; 200
// gave sign-ins 3-5% and GetUser about 10% more throughput on the 2-core
// benchmark machine, for about 5 MB more heap while busy, which
// ReleaseWhenIdle hands back once the load stops (docs/benchmarks.md).
const GCPercent = 200

// IdleRelease is how long cognate serve waits after the last request before
// returning free memory to the operating system.
const IdleRelease = 30 * time.Second

// TuneGC applies GCPercent unless GOGC is set.
func TuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(GCPercent)
	}
}

// ReleaseWhenIdle wraps h so that, once requests have come and then none
// for the idle duration, the heap's free pages go back to the operating
// system (debug.FreeOSMemory), once per quiet spell: the Go runtime would
// otherwise keep them for minutes, and the resident memory of an idle
// server would be what its last burst of load left. It stops when ctx is
// done.
func ReleaseWhenIdle(ctx context.Context, h http.Handler, idle time.Duration) http.Handler {
	return releaseWhenIdle(ctx, h, idle, debug.FreeOSMemory)
}

func releaseWhenIdle(ctx context.Context, h http.Handler, idle time.Duration, release func()) http.Handler {
	var requests atomic.Uint64
	go func() {
		tick := time.NewTicker(idle / 2)
		defer tick.Stop()
		var seen, released uint64
		quiet := 0
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			n := requests.Load()
			switch {
			case n != seen:
				seen, quiet = n, 0
			case n != released:
				// No request since the last tick; two quiet ticks make idle.
				if quiet++; quiet >= 2 {
					release()
					released = n
				}
			}
		}
	}()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		h.ServeHTTP(w, r)
	})
}
