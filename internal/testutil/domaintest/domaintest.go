// Package domaintest assembles the domain of user pools for tests, as the
// server does: an embedded store in a temporary directory, the token
// issuer, the guard, the user-pool service and the sign-in engine, on a
// clock the test may move.
package domaintest

import (
	"bytes"
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/cognate-auth/cognate/internal/guard"
	"github.com/cognate-auth/cognate/internal/messaging"
	"github.com/cognate-auth/cognate/internal/signin"
	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/store/sqlstore"
	"github.com/cognate-auth/cognate/internal/tokens"
	"github.com/cognate-auth/cognate/internal/userpool"
)

// Env is an assembled domain.
type Env struct {
	Store  store.Store
	Pools  *userpool.Service
	SignIn *signin.Engine
	Guard  *guard.Guard

	mu  sync.Mutex
	now time.Time
}

// New assembles a domain whose clock starts now and moves only with
// Advance. The store syncs every write (as cognate serve's does) when
// durable is set, which benchmarks want; tests run faster without.
func New(tb testing.TB, durable bool) *Env {
	tb.Helper()
	key := bytes.Repeat([]byte{7}, 32)
	st := OpenStore(tb, durable)
	e := &Env{Store: st, now: time.Now().UTC()}
	e.Guard = guard.New(guard.Config{Store: st, Key: guard.DeriveKey(key), Now: e.Now})
	timing := guard.NewTiming()
	var err error
	e.Pools, err = userpool.New(userpool.Config{
		Store: st, Tokens: tokens.NewIssuer(st, tokens.Options{Now: e.Now}), Sender: &messaging.Outbox{Store: st},
		Guard: e.Guard, Timing: timing, MasterKey: key, Now: e.Now,
		Issuer: func(poolID string) string { return tokens.IssuerURL("http://127.0.0.1:9229", poolID) },
	})
	if err != nil {
		tb.Fatal(err)
	}
	e.SignIn, err = signin.New(signin.Config{Directory: e.Pools.SignInDirectory(), Guard: e.Guard, Timing: timing,
		MasterKey: key, Now: e.Now})
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

// Now is the domain's clock.
func (e *Env) Now() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

// Advance moves the clock.
func (e *Env) Advance(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.now = e.now.Add(d)
}

// OpenStore opens a fresh embedded store for one test, closed when the
// test ends, under the same master key New uses. It syncs every write when
// durable is set.
func OpenStore(tb testing.TB, durable bool) store.Store {
	tb.Helper()
	sync := "NORMAL"
	if durable {
		sync = "FULL"
	}
	st, err := sqlstore.Open(context.Background(), sqlstore.Config{Driver: "sqlite", DSN: filepath.Join(tb.TempDir(), "cognate.db"),
		MasterKey: bytes.Repeat([]byte{7}, 32), SQLiteSynchronous: sync})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}
