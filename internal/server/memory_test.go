package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime/debug"
	"sync/atomic"
	"testing"
	"time"
)

func TestReleaseWhenIdle(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var releases atomic.Int32
	h := releaseWhenIdle(ctx, http.NotFoundHandler(), 20*time.Millisecond, func() { releases.Add(1) })
	serve := func() { h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil)) }

	// waitFor polls until n releases happened (bounded, not a timing assertion).
	waitFor := func(n int32) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); releases.Load() < n; {
			if time.Now().After(deadline) {
				t.Fatalf("%d releases, want %d", releases.Load(), n)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	serve()
	waitFor(1)
	// Idle with no new request: no second release.
	time.Sleep(100 * time.Millisecond)
	if got := releases.Load(); got != 1 {
		t.Fatalf("%d releases while idle after one burst, want 1", got)
	}
	serve()
	serve()
	waitFor(2)
}

func TestTuneGC(t *testing.T) {
	prev := debug.SetGCPercent(77)
	defer debug.SetGCPercent(prev)
	TuneGC(func(string) string { return "50" })
	if got := debug.SetGCPercent(77); got != 77 {
		t.Errorf("with GOGC set, TuneGC changed the GC percent to %d", got)
	}
	TuneGC(func(string) string { return "" })
	if got := debug.SetGCPercent(77); got != GCPercent {
		t.Errorf("without GOGC, GC percent = %d, want %d", got, GCPercent)
	}
}
