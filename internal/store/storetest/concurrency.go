package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/cognate-auth/cognate/internal/store"
)

var concurrencyTests = []test{
	{"CreateUserRace", testCreateUserRace},
	{"UpdateUserCounter", testUpdateUserCounter},
	{"UpdateUserKeyRace", testUpdateUserKeyRace},
	{"CreateSessionRace", testCreateSessionRace},
}

// racers is how many goroutines race in each test.
const racers = 16

// race runs fn(i) for i in [0, racers) on as many goroutines, released
// together, and returns their errors.
func race(fn func(i int) error) []error {
	errs := make([]error, racers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range racers {
		wg.Go(func() {
			<-start
			errs[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// testCreateUserRace: racing CreateUser calls for one username end with
// exactly one user; every loser learns which key was taken.
func testCreateUserRace(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	errs := race(func(i int) error {
		u := newUser(poolA, "alice", i)
		u.Keys = u.Keys[:2] // username and a sub of its own
		return s.CreateUser(ctx, u)
	})
	wins := 0
	for i, err := range errs {
		if err == nil {
			wins++
			continue
		}
		wantKeyConflict(t, fmt.Sprintf("racer %d", i), err, store.UserKey{Kind: store.KeyUsername, Value: "alice"})
	}
	equal(t, "successful CreateUser calls", wins, 1)
	n, err := s.CountUsers(ctx, poolA)
	must(t, "CountUsers", err)
	equal(t, "users", n, int64(1))
}

// testUpdateUserCounter: concurrent read-modify-write updates of one user
// lose nothing.
func testUpdateUserCounter(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	u := newUser(poolA, "alice", 1)
	u.FailedSignIns = 0
	must(t, "CreateUser", s.CreateUser(ctx, u))
	const rounds = 25
	errs := race(func(i int) error {
		key := u.Keys[i%len(u.Keys)] // through every key
		for range rounds {
			_, err := s.UpdateUser(ctx, poolA, key, func(u store.User) (store.User, error) {
				u.FailedSignIns++
				return u, nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	for i, err := range errs {
		must(t, fmt.Sprintf("racer %d", i), err)
	}
	equal(t, "FailedSignIns", getUser(t, s, poolA, u.Keys[0]).FailedSignIns, racers*rounds)
}

// testUpdateUserKeyRace: users racing to take one alias through UpdateUser
// end with one owner.
func testUpdateUserKeyRace(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	for i := range racers {
		must(t, "CreateUser", s.CreateUser(ctx, newUser(poolA, fmt.Sprintf("user%02d", i), i)))
	}
	shared := store.UserKey{Kind: "email", Value: "shared@example.com"}
	errs := race(func(i int) error {
		_, err := s.UpdateUser(ctx, poolA, store.UserKey{Kind: store.KeySub, Value: subOf(i)}, func(u store.User) (store.User, error) {
			u.Attributes["email"] = shared.Value
			u.Keys[2] = shared
			return u, nil
		})
		return err
	})
	winner := -1
	for i, err := range errs {
		if err == nil {
			if winner >= 0 {
				t.Fatalf("racers %d and %d both took %v", winner, i, shared)
			}
			winner = i
			continue
		}
		wantKeyConflict(t, fmt.Sprintf("racer %d", i), err, shared)
	}
	if winner < 0 {
		t.Fatal("no racer took the key")
	}
	equal(t, "owner of the shared key", getUser(t, s, poolA, shared).Sub, subOf(winner))
}

// testCreateSessionRace: of racing CreateSession calls with one id, one
// wins; that is what refuses a replayed sign-in step.
func testCreateSessionRace(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	u := newUser(poolA, "alice", 1)
	errs := race(func(i int) error {
		x := newSession("origin-jti", u, fmt.Sprintf("client-%d", i), i)
		return s.CreateSession(ctx, x)
	})
	wins := 0
	for i, err := range errs {
		if err == nil {
			wins++
			continue
		}
		if !errors.Is(err, store.ErrAlreadyExists) {
			t.Fatalf("racer %d: err = %v, want store.ErrAlreadyExists", i, err)
		}
	}
	equal(t, "successful CreateSession calls", wins, 1)
}
