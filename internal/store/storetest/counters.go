package storetest

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cognate-auth/cognate/internal/store"
)

var counterTests = []test{
	{"Counters/RoundTrip", testCountersRoundTrip},
	{"Counters/Expiry", testCountersExpiry},
	{"Counters/UpdaterError", testCountersUpdaterError},
	{"Counters/BadKeys", testCountersBadKeys},
	{"Counters/DeleteExpired", testCountersDeleteExpired},
	{"Counters/Delete", testCountersDelete},
}

var counterConcurrencyTests = []test{
	{"CounterRace", testCounterRace},
	{"CounterPairRace", testCounterPairRace},
}

// testCountersRoundTrip: an absent counter reads as zero; what the updater
// returns is stored, each under its own key, times to the nanosecond.
func testCountersRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	keys := []string{"b/one", "a/two"}
	got, err := s.UpdateCounters(ctx, keys, at(0), func(cur []store.Counter) ([]store.Counter, error) {
		equal(t, "counters never written", cur, []store.Counter{{}, {}})
		return []store.Counter{
			{Count: 3, Start: at(1), Until: at(2), ExpiresAt: at(60)},
			{Count: 7, ExpiresAt: at(30)},
		}, nil
	})
	must(t, "UpdateCounters", err)
	want := []store.Counter{{Count: 3, Start: at(1), Until: at(2), ExpiresAt: at(60)}, {Count: 7, ExpiresAt: at(30)}}
	equal(t, "UpdateCounters result", got, want)
	read, err := s.Counters(ctx, []string{"a/two", "c/none", "b/one"}, at(1))
	must(t, "Counters", err)
	equal(t, "Counters", read, []store.Counter{want[1], {}, want[0]})
	_, err = s.UpdateCounters(ctx, []string{"a/two"}, at(2), func(cur []store.Counter) ([]store.Counter, error) {
		equal(t, "counter given to the updater", cur, []store.Counter{want[1]})
		cur[0].Count++
		return cur, nil
	})
	must(t, "UpdateCounters", err)
	read, err = s.Counters(ctx, []string{"a/two"}, at(2))
	must(t, "Counters", err)
	equal(t, "after the increment", read[0].Count, 8)
}

// testCountersExpiry: a counter reads as zero from its ExpiresAt on, and an
// updater that returns an expired counter deletes it.
func testCountersExpiry(t *testing.T, s store.Store) {
	ctx := t.Context()
	put := func(c store.Counter, now int) {
		t.Helper()
		_, err := s.UpdateCounters(ctx, []string{"k"}, at(now), func([]store.Counter) ([]store.Counter, error) {
			return []store.Counter{c}, nil
		})
		must(t, "UpdateCounters", err)
	}
	put(store.Counter{Count: 1, ExpiresAt: at(10)}, 0)
	for _, c := range []struct {
		now  int
		want int
	}{{9, 1}, {10, 0}, {11, 0}} {
		read, err := s.Counters(ctx, []string{"k"}, at(c.now))
		must(t, "Counters", err)
		equal(t, fmt.Sprintf("count at minute %d", c.now), read[0].Count, c.want)
	}
	_, err := s.UpdateCounters(ctx, []string{"k"}, at(10), func(cur []store.Counter) ([]store.Counter, error) {
		equal(t, "an expired counter given to the updater", cur[0], store.Counter{})
		return cur, nil
	})
	must(t, "UpdateCounters", err)
	put(store.Counter{Count: 5, ExpiresAt: at(40)}, 20)
	put(store.Counter{Count: 6, ExpiresAt: at(20)}, 20) // expires now: deleted
	read, err := s.Counters(ctx, []string{"k"}, at(21))
	must(t, "Counters", err)
	equal(t, "a counter stored expired", read[0], store.Counter{})
	n, err := s.DeleteExpiredCounters(ctx, at(1000))
	must(t, "DeleteExpiredCounters", err)
	equal(t, "rows left by a deleted counter", n, int64(0))
}

// testCountersUpdaterError: an updater's error aborts without a write and
// is returned as it is.
func testCountersUpdaterError(t *testing.T, s store.Store) {
	ctx := t.Context()
	_, err := s.UpdateCounters(ctx, []string{"k"}, at(0), func([]store.Counter) ([]store.Counter, error) {
		return nil, errUpdater
	})
	wantErr(t, "UpdateCounters with a refusing updater", err, errUpdater)
	read, err := s.Counters(ctx, []string{"k"}, at(0))
	must(t, "Counters", err)
	equal(t, "after an aborted update", read[0], store.Counter{})
	_, err = s.UpdateCounters(ctx, []string{"k", "l"}, at(0), func(cur []store.Counter) ([]store.Counter, error) {
		return cur[:1], nil
	})
	if err == nil {
		t.Fatal("an updater returning fewer counters than keys was accepted")
	}
}

// testCountersBadKeys: empty, oversized and repeated keys are refused.
func testCountersBadKeys(t *testing.T, s store.Store) {
	ctx := t.Context()
	for _, keys := range [][]string{{""}, {strings.Repeat("k", 201)}, {"a", "b", "a"}} {
		_, err := s.UpdateCounters(ctx, keys, at(0), func(cur []store.Counter) ([]store.Counter, error) { return cur, nil })
		if err == nil {
			t.Errorf("UpdateCounters(%q) succeeded", keys)
		}
		if _, err := s.Counters(ctx, keys, at(0)); err == nil {
			t.Errorf("Counters(%q) succeeded", keys)
		}
	}
}

// testCountersDeleteExpired: the sweep deletes what expired before its
// time and nothing else.
func testCountersDeleteExpired(t *testing.T, s store.Store) {
	ctx := t.Context()
	for i := 1; i <= 4; i++ {
		_, err := s.UpdateCounters(ctx, []string{fmt.Sprint("k", i)}, at(0), func([]store.Counter) ([]store.Counter, error) {
			return []store.Counter{{Count: i, ExpiresAt: at(10 * i)}}, nil
		})
		must(t, "UpdateCounters", err)
	}
	n, err := s.DeleteExpiredCounters(ctx, at(25))
	must(t, "DeleteExpiredCounters", err)
	equal(t, "counters deleted", n, int64(2))
	read, err := s.Counters(ctx, []string{"k1", "k2", "k3", "k4"}, at(0))
	must(t, "Counters", err)
	equal(t, "counts left", []int{read[0].Count, read[1].Count, read[2].Count, read[3].Count}, []int{0, 0, 3, 4})
}

// testCounterRace: racing increments of one counter, new at the start,
// lose none.
func testCounterRace(t *testing.T, s store.Store) {
	ctx := t.Context()
	const rounds = 5
	errs := race(func(int) error {
		for range rounds {
			if _, err := s.UpdateCounters(ctx, []string{"race"}, at(0), func(cur []store.Counter) ([]store.Counter, error) {
				cur[0].Count++
				cur[0].ExpiresAt = at(60)
				return cur, nil
			}); err != nil {
				return err
			}
		}
		return nil
	})
	must(t, "racing UpdateCounters", errors.Join(errs...))
	read, err := s.Counters(ctx, []string{"race"}, at(0))
	must(t, "Counters", err)
	equal(t, "count after the race", read[0].Count, racers*rounds)
}

// testCounterPairRace: updates of two keys named in opposite orders
// neither deadlock nor lose a count, and a limit checked inside the
// updater holds: at most limit of the racers are admitted.
func testCounterPairRace(t *testing.T, s store.Store) {
	ctx := t.Context()
	const limit = 5
	admitted := make([]bool, racers)
	errs := race(func(i int) error {
		keys := []string{"pair/a", "pair/b"}
		if i%2 == 1 {
			keys = []string{"pair/b", "pair/a"}
		}
		_, err := s.UpdateCounters(ctx, keys, at(0), func(cur []store.Counter) ([]store.Counter, error) {
			admitted[i] = false
			if cur[0].Count >= limit {
				return cur, nil
			}
			admitted[i] = true
			for j := range cur {
				cur[j].Count++
				cur[j].ExpiresAt = at(60)
			}
			return cur, nil
		})
		return err
	})
	must(t, "racing UpdateCounters", errors.Join(errs...))
	n := 0
	for _, a := range admitted {
		if a {
			n++
		}
	}
	equal(t, "racers admitted", n, limit)
	read, err := s.Counters(ctx, []string{"pair/a", "pair/b"}, at(0))
	must(t, "Counters", err)
	equal(t, "counts after the race", []int{read[0].Count, read[1].Count}, []int{limit, limit})
}

// testCountersDelete: deleted counters read as zero; deleting one that
// does not exist is no error.
func testCountersDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	_, err := s.UpdateCounters(ctx, []string{"a", "b"}, at(0), func([]store.Counter) ([]store.Counter, error) {
		return []store.Counter{{Count: 1, ExpiresAt: at(60)}, {Count: 2, ExpiresAt: at(60)}}, nil
	})
	must(t, "UpdateCounters", err)
	must(t, "DeleteCounters", s.DeleteCounters(ctx, []string{"a", "none"}))
	read, err := s.Counters(ctx, []string{"a", "b"}, at(1))
	must(t, "Counters", err)
	equal(t, "counts after the delete", []int{read[0].Count, read[1].Count}, []int{0, 2})
}
