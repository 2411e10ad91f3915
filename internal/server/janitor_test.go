package server

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"
)

// sessionsStub records the cut-offs it was asked to delete before.
type sessionsStub struct {
	mu       sync.Mutex
	before   []time.Time
	messages []time.Time
	counters []time.Time
}

func (s *sessionsStub) DeleteExpiredCounters(_ context.Context, before time.Time) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counters = append(s.counters, before)
	return 0, nil
}

func (s *sessionsStub) DeleteMessagesBefore(_ context.Context, before time.Time) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages = append(s.messages, before)
	return 0, nil
}

func (s *sessionsStub) DeleteExpiredSessions(_ context.Context, before time.Time) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.before = append(s.before, before)
	return 1, nil
}

func snapshot(s *sessionsStub) []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.before...)
}

func TestSweepKeepsSessionsWhileTheirAccessTokensMayLive(t *testing.T) {
	st := &sessionsStub{}
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	sweep(t.Context(), st, now, slog.New(slog.DiscardHandler))
	got := snapshot(st)
	if len(got) != 1 || !got[0].Equal(now.Add(-25*time.Hour)) {
		t.Fatalf("deleted sessions expired before %v, want %v", got, now.Add(-25*time.Hour))
	}
	// The longest access token (one day) of a session whose refresh token
	// expired at the cut-off is itself expired.
	if cut := got[0]; !cut.Add(24 * time.Hour).Before(now) {
		t.Errorf("a day-long access token issued at %v would still live at %v", cut, now)
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if len(st.messages) != 1 || !st.messages[0].Equal(now.Add(-7*24*time.Hour)) {
		t.Errorf("deleted outbox messages created before %v, want a week before %v", st.messages, now)
	}
	if len(st.counters) != 1 || !st.counters[0].Equal(now) {
		t.Errorf("deleted counters expired before %v, want %v", st.counters, now)
	}
}

func TestSweepEveryStopsWithItsContext(t *testing.T) {
	st := &sessionsStub{}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		defer close(done)
		sweepEvery(ctx, time.Millisecond, st, time.Now, slog.New(slog.DiscardHandler))
	}()
	for deadline := time.Now().Add(5 * time.Second); len(snapshot(st)) < 2 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	cancel()
	<-done
	if len(snapshot(st)) < 2 {
		t.Fatal("the sweeper did not run repeatedly")
	}
}
