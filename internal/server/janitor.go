package server

import (
	"context"
	"log/slog"
	"time"
)

// Housekeeping.
const (
	// SweepInterval is how often a server deletes what has expired.
	SweepInterval = time.Hour
	// sessionAfterlife is how long a session is kept after its refresh
	// token expired: access tokens can outlive their refresh token (a day
	// against an hour at the extremes of a client's settings), and they are
	// checked against their session.
	sessionAfterlife = 25 * time.Hour
	// OutboxRetention is how long the outbox keeps a message. Its codes
	// have long expired by then (the longest, a temporary password, can be
	// sent again with AdminCreateUser's RESEND), and the outbox keeps them
	// in clear.
	OutboxRetention = 7 * 24 * time.Hour
)

// sweeper is what housekeeping deletes from.
type sweeper interface {
	DeleteExpiredSessions(ctx context.Context, before time.Time) (int64, error)
	DeleteMessagesBefore(ctx context.Context, before time.Time) (int64, error)
	DeleteExpiredCounters(ctx context.Context, before time.Time) (int64, error)
}

// sweep deletes the sign-in sessions no token can use any more, the
// outbox messages past their retention and the expired counters of the
// guard's limits.
func sweep(ctx context.Context, st sweeper, now time.Time, log *slog.Logger) {
	report := func(what string, n int64, err error) {
		switch {
		case err != nil && ctx.Err() == nil:
			log.WarnContext(ctx, "deleting "+what+" failed", "err", err)
		case n > 0:
			log.InfoContext(ctx, "deleted "+what, "count", n)
		}
	}
	n, err := st.DeleteExpiredSessions(ctx, now.Add(-sessionAfterlife))
	report("expired sessions", n, err)
	n, err = st.DeleteMessagesBefore(ctx, now.Add(-OutboxRetention))
	report("old outbox messages", n, err)
	n, err = st.DeleteExpiredCounters(ctx, now)
	report("expired counters", n, err)
}

// sweepEvery runs sweep every interval until ctx is done. Replicas may all
// do it: the deletions are idempotent.
func sweepEvery(ctx context.Context, interval time.Duration, st sweeper, now func() time.Time, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			sweep(ctx, st, now(), log)
		}
	}
}
