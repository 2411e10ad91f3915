package guard

import (
	"context"
	"time"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/store"
)

// Limit is a budget of events within a window that opens at the first
// event: at most Total in all, and at most PerSource from one client
// address (0: no per-source budget). A per-source budget below the total
// keeps one attacker from spending the whole budget of a user, so that the
// user, from elsewhere, can still act.
type Limit struct {
	Total     int
	PerSource int
	Window    time.Duration
}

// Spend counts one event of kind for s from source (a client address; ""
// when unknown) and refuses it with ErrLimitExceeded when the window's
// budget, in all or for the source, is spent. A refused event is not
// counted and does not extend the window, so a limit ends when its window
// does, however often it is met.
func (g *Guard) Spend(ctx context.Context, s Subject, kind, source string, lim Limit) error {
	keys := []string{g.counterKey("budget/"+kind, s, "")}
	if lim.PerSource > 0 && source != "" {
		keys = append(keys, g.counterKey("budget/"+kind, s, g.digest("source", source)))
	}
	now := g.now()
	_, err := g.update(ctx, keys, func(cs []store.Counter) ([]store.Counter, error) {
		for i := range cs {
			if cs[i].ExpiresAt.IsZero() || !now.Before(cs[i].Start.Add(lim.Window)) {
				cs[i] = store.Counter{Start: now, ExpiresAt: now.Add(lim.Window)}
			}
		}
		if cs[0].Count >= lim.Total || (len(cs) > 1 && cs[1].Count >= lim.PerSource) {
			return nil, ErrLimitExceeded
		}
		for i := range cs {
			cs[i].Count++
		}
		return cs, nil
	})
	return err
}

// Spent returns how many events of kind s spent in the current window.
func (g *Guard) Spent(ctx context.Context, s Subject, kind string) (int, error) {
	cs, err := g.store.Counters(ctx, []string{g.counterKey("budget/"+kind, s, "")}, g.now())
	if err != nil {
		return 0, apierr.As(err)
	}
	return cs[0].Count, nil
}
