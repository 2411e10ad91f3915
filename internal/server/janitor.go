package server

import (
	"context"
	"log/slog"
	"time"

	"github.com/cognate-auth/cognate/internal/store"
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
)

// sweep deletes the sign-in sessions no token can use any more.
func sweep(ctx context.Context, st store.SessionStore, now time.Time, log *slog.Logger) {
	n, err := st.DeleteExpiredSessions(ctx, now.Add(-sessionAfterlife))
	switch {
	case err != nil && ctx.Err() == nil:
		log.WarnContext(ctx, "deleting expired sessions failed", "err", err)
	case n > 0:
		log.InfoContext(ctx, "deleted expired sessions", "count", n)
	}
}

// sweepEvery runs sweep every interval until ctx is done. Replicas may all
// do it: the deletions are idempotent.
func sweepEvery(ctx context.Context, interval time.Duration, st store.SessionStore, now func() time.Time, log *slog.Logger) {
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
