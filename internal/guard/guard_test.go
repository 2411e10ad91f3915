package guard_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cognate-auth/cognate/internal/guard"
	"github.com/cognate-auth/cognate/internal/store/sqlstore"
)

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newGuard(t *testing.T) (*guard.Guard, *clock) {
	t.Helper()
	key := make([]byte, 32)
	st, err := sqlstore.Open(context.Background(), sqlstore.Config{Driver: "sqlite", DSN: filepath.Join(t.TempDir(), "g.db"), MasterKey: key, SQLiteSynchronous: "NORMAL"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := &clock{t: time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)}
	return guard.New(guard.Config{Store: st, Key: []byte("test key"), Now: c.now}), c
}

var alice = guard.User("us-east-1_aaaaaaaaa", "5a1f0e7c-0000-4000-8000-000000000001")

// proof runs one password proof that is right or wrong.
func proof(ctx context.Context, g *guard.Guard, s guard.Subject, claim guard.Claim, right bool) error {
	p, err := g.BeginProof(ctx, s, claim)
	if err != nil {
		return err
	}
	if right {
		return p.Succeeded(ctx)
	}
	return nil
}

func TestLockoutAfterFiveFailures(t *testing.T) {
	g, c := newGuard(t)
	ctx := t.Context()
	for i := range guard.LockoutThreshold {
		if err := proof(ctx, g, alice, guard.Claim{}, false); err != nil {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	// Locked: even the right password is refused, with Cognito's message.
	err := proof(ctx, g, alice, guard.Claim{}, true)
	if !errors.Is(err, guard.ErrLocked) || err.Error() != "NotAuthorizedException: Password attempts exceeded" {
		t.Fatalf("while locked: %v", err)
	}
	c.advance(time.Second) // the first lock-out lasts a second
	if err := proof(ctx, g, alice, guard.Claim{}, false); err != nil {
		t.Fatalf("after the lock-out: %v", err)
	}
	c.advance(time.Second) // the next one two seconds
	if err := proof(ctx, g, alice, guard.Claim{}, true); !errors.Is(err, guard.ErrLocked) {
		t.Fatalf("one second into a two-second lock-out: %v", err)
	}
	c.advance(time.Second)
	if err := proof(ctx, g, alice, guard.Claim{}, true); err != nil {
		t.Fatalf("right password after the lock-out: %v", err)
	}
	// A success forgets the failures: five more before a lock-out.
	for i := range guard.LockoutThreshold {
		if err := proof(ctx, g, alice, guard.Claim{}, false); err != nil {
			t.Fatalf("failure %d after a success: %v", i+1, err)
		}
	}
}

func TestLockoutDoublesUpToFifteenMinutes(t *testing.T) {
	g, c := newGuard(t)
	ctx := t.Context()
	for i := range 40 {
		if err := proof(ctx, g, alice, guard.Claim{}, false); err != nil {
			t.Fatalf("failure %d: %v", i+1, err)
		}
		if i < 39 {
			c.advance(15 * time.Minute) // no lock-out lasts longer
		}
	}
	// 40 failures: the lock-out is at its cap.
	c.advance(15*time.Minute - time.Second)
	if err := proof(ctx, g, alice, guard.Claim{}, true); !errors.Is(err, guard.ErrLocked) {
		t.Fatalf("just before the cap ends: %v", err)
	}
	c.advance(time.Second)
	if err := proof(ctx, g, alice, guard.Claim{}, true); err != nil {
		t.Fatalf("at the cap's end: %v", err)
	}
}

// TestConcurrentProofsStopAtTheLimit is the regression test of the
// lock-out race: fifty wrong passwords sent at once must be evaluated no
// more than the lock-out allows.
func TestConcurrentProofsStopAtTheLimit(t *testing.T) {
	g, _ := newGuard(t)
	ctx := t.Context()
	var admitted, locked atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range 50 {
		wg.Go(func() {
			<-start
			_, err := g.BeginProof(ctx, alice, guard.Claim{})
			switch {
			case err == nil:
				admitted.Add(1)
			case errors.Is(err, guard.ErrLocked):
				locked.Add(1)
			default:
				t.Error(err)
			}
		})
	}
	close(start)
	wg.Wait()
	if admitted.Load() != guard.LockoutThreshold || locked.Load() != 50-guard.LockoutThreshold {
		t.Fatalf("admitted %d, locked out %d; want %d admitted", admitted.Load(), locked.Load(), guard.LockoutThreshold)
	}
}

// TestClaimIsGuessedOnce: a wrong answer uses a challenge up; a right one
// gives it back, so that the same right answer may come again.
func TestClaimIsGuessedOnce(t *testing.T) {
	g, c := newGuard(t)
	ctx := t.Context()
	nonce := []byte("0123456789abcdef")
	claim := g.ChallengeClaim(nonce, "srp", c.now().Add(3*time.Minute))
	for range 2 {
		if err := proof(ctx, g, alice, claim, true); err != nil {
			t.Fatalf("right answer: %v", err)
		}
	}
	if err := proof(ctx, g, alice, claim, false); err != nil {
		t.Fatal(err)
	}
	for _, right := range []bool{false, true} {
		if err := proof(ctx, g, alice, claim, right); !errors.Is(err, guard.ErrAnswered) {
			t.Fatalf("answer after a wrong one (right=%v): %v", right, err)
		}
	}
	other := g.ChallengeClaim(nonce, "devsrp", c.now().Add(3*time.Minute))
	if err := proof(ctx, g, alice, other, false); err != nil {
		t.Fatalf("another step of the same sign-in: %v", err)
	}
	// Refused answers do not count towards the lock-out: three more
	// failures are admitted before it.
	for i := range guard.LockoutThreshold - 2 {
		if err := proof(ctx, g, alice, guard.Claim{}, false); err != nil {
			t.Fatalf("failure %d: %v", i+3, err)
		}
	}
	if err := proof(ctx, g, alice, guard.Claim{}, false); !errors.Is(err, guard.ErrLocked) {
		t.Fatalf("sixth failure: %v", err)
	}
}

// TestConcurrentAnswersOfOneChallenge: of answers sent at once to one
// challenge, one is evaluated.
func TestConcurrentAnswersOfOneChallenge(t *testing.T) {
	g, c := newGuard(t)
	ctx := t.Context()
	claim := g.ChallengeClaim([]byte("0123456789abcdef"), "srp", c.now().Add(3*time.Minute))
	var admitted atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range 20 {
		wg.Go(func() {
			<-start
			if _, err := g.BeginProof(ctx, alice, claim); err == nil {
				admitted.Add(1)
			} else if !errors.Is(err, guard.ErrAnswered) {
				t.Error(err)
			}
		})
	}
	close(start)
	wg.Wait()
	if admitted.Load() != 1 {
		t.Fatalf("%d answers evaluated, want 1", admitted.Load())
	}
}

func TestClearFailures(t *testing.T) {
	g, _ := newGuard(t)
	ctx := t.Context()
	for range guard.LockoutThreshold {
		if err := proof(ctx, g, alice, guard.Claim{}, false); err != nil {
			t.Fatal(err)
		}
	}
	if err := g.ClearFailures(ctx, alice); err != nil {
		t.Fatal(err)
	}
	if err := proof(ctx, g, alice, guard.Claim{}, true); err != nil {
		t.Fatalf("after ClearFailures: %v", err)
	}
}

func TestSpend(t *testing.T) {
	lim := guard.Limit{Total: 4, PerSource: 2, Window: time.Hour}
	cases := []struct {
		name    string
		sources []string // one event each, in order
		want    []bool   // admitted
	}{
		{"one source meets its budget", []string{"a", "a", "a"}, []bool{true, true, false}},
		{"other sources still can", []string{"a", "a", "a", "b", "c"}, []bool{true, true, false, true, true}},
		{"the total holds", []string{"a", "b", "c", "d", "e"}, []bool{true, true, true, true, false}},
		{"unknown sources count in the total", []string{"", "", "", "", ""}, []bool{true, true, true, true, false}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g, _ := newGuard(t)
			for i, src := range tc.sources {
				err := g.Spend(t.Context(), alice, "resend", src, lim)
				if (err == nil) != tc.want[i] {
					t.Fatalf("event %d from %q: err = %v, want admitted %v", i, src, err, tc.want[i])
				}
				if err != nil && (!errors.Is(err, guard.ErrLimitExceeded) ||
					err.Error() != "LimitExceededException: Attempt limit exceeded, please try after some time.") {
					t.Fatalf("event %d: %v", i, err)
				}
			}
		})
	}
}

// TestSpendWindowIsFixed: refused events do not extend the window, so an
// attacker who keeps meeting the limit cannot make it last.
func TestSpendWindowIsFixed(t *testing.T) {
	g, c := newGuard(t)
	ctx := t.Context()
	lim := guard.Limit{Total: 2, Window: time.Hour}
	for range 2 {
		if err := g.Spend(ctx, alice, "forgot", "", lim); err != nil {
			t.Fatal(err)
		}
	}
	for range 5 {
		c.advance(10 * time.Minute)
		if err := g.Spend(ctx, alice, "forgot", "", lim); !errors.Is(err, guard.ErrLimitExceeded) {
			t.Fatalf("within the window: %v", err)
		}
	}
	c.advance(10 * time.Minute) // an hour after the first event
	if err := g.Spend(ctx, alice, "forgot", "", lim); err != nil {
		t.Fatalf("after the window: %v", err)
	}
	if n, err := g.Spent(ctx, alice, "forgot"); err != nil || n != 1 {
		t.Fatalf("Spent = %d, %v; want 1", n, err)
	}
	// Budgets of other kinds and subjects are their own.
	if err := g.Spend(ctx, alice, "other", "", lim); err != nil {
		t.Fatal(err)
	}
	bob := guard.User("us-east-1_aaaaaaaaa", "5a1f0e7c-0000-4000-8000-000000000002")
	if n, err := g.Spent(ctx, bob, "forgot"); err != nil || n != 0 {
		t.Fatalf("bob's Spent = %d, %v", n, err)
	}
}

func TestDecoy(t *testing.T) {
	g, _ := newGuard(t)
	a1, a2 := g.Decoy("us-east-1_aaaaaaaaa", "mallory"), g.Decoy("us-east-1_aaaaaaaaa", "mallory")
	b := g.Decoy("us-east-1_aaaaaaaaa", "trudy")
	other := g.Decoy("us-east-1_bbbbbbbbb", "mallory")
	if a1.Sub != a2.Sub || string(a1.Bytes("salt", 16)) != string(a2.Bytes("salt", 16)) {
		t.Fatal("a name's decoy is not stable")
	}
	if a1.Sub == b.Sub || a1.Sub == other.Sub {
		t.Fatal("decoys of different names or pools coincide")
	}
	if len(a1.Sub) != 36 || a1.Sub[14] != '4' {
		t.Fatalf("decoy sub %q is not a version 4 UUID", a1.Sub)
	}
	if string(a1.Bytes("salt", 16)) == string(a1.Bytes("destination", 16)) {
		t.Fatal("labels do not separate a decoy's bytes")
	}
	// Another key (another deployment) gives other decoys.
	key2 := guard.New(guard.Config{Key: []byte("other key")})
	if key2.Decoy("us-east-1_aaaaaaaaa", "mallory").Sub == a1.Sub {
		t.Fatal("decoys do not depend on the key")
	}
}
