package bench

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// benchPassword is every prepared user's password; it satisfies the
// default policy.
const benchPassword = "Bench-Passw0rd!"

// userName is the name of prepared user i.
func userName(i int) string { return fmt.Sprintf("bench-user-%07d", i) }

// fixture is what the operations need: a pool, a client, users and the
// tokens of some of them, and for the identity operation an identity pool.
type fixture struct {
	poolID, clientID string
	users            int
	sessions         []session
	runID            string // makes sign-up, identity pool and role names unique across runs
	identityPoolID   string // "" unless the identity operation runs

	// The triggers operation's pool, its app client and its webhook
	// (triggers.go); triggerSignIns counts the sign-ins it attempts.
	triggerPoolID, triggerClientID string
	webhook                        *noopWebhook
	triggerSignIns                 atomic.Int64

	machine *machine // the clientcredentials operation's client and domain
}

// session is a signed-in user's tokens and, when the identity operation
// runs, its identity.
type session struct {
	access, refresh, id string
	logins              map[string]string // the ID token under its user pool's provider name
	identityID          string
}

// clientFlows are the flows the operations use.
var clientFlows = []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}

// prepare makes the pool and the client unless given, prepares the users
// and signs some of them in; if the identity operation is to run, it makes
// an identity pool for them too (identity.go). Users are created through the API as an
// application would: SignUp, then AdminConfirmSignUp. That costs the server
// one verifier (one exponentiation) per user; AdminCreateUser followed by
// AdminSetUserPassword would cost two.
func prepare(ctx context.Context, o Options, admin *adminClient, api idpClient, ids identityClient, progress io.Writer) (*fixture, Setup, error) {
	start := time.Now()
	var st Setup
	f := &fixture{poolID: o.PoolID, clientID: o.ClientID, users: o.Users, runID: fmt.Sprintf("%x", time.Now().UnixNano())}
	if f.poolID == "" {
		id, err := admin.createPool(ctx, "cognate-bench-"+f.runID)
		if err != nil {
			return nil, st, fmt.Errorf("creating the pool: %w", err)
		}
		f.poolID, st.CreatedPool = id, true
	}
	if f.clientID == "" {
		id, err := admin.createClient(ctx, f.poolID, "cognate-bench", clientFlows)
		if err != nil {
			return nil, st, fmt.Errorf("creating the app client: %w", err)
		}
		f.clientID = id
	}
	fmt.Fprintf(progress, "bench: pool %s, client %s\n", f.poolID, f.clientID)

	var created, found atomic.Int64
	users := o.Users
	if o.ReuseUsers {
		found.Store(int64(users))
		users = 0
	}
	err := forEach(ctx, o.Concurrency, users, progress, "users prepared", func(ctx context.Context, i int) error {
		made, err := prepareUser(ctx, admin, api, f, userName(i), !st.CreatedPool)
		if made {
			created.Add(1)
		} else {
			found.Add(1)
		}
		return err
	})
	st.UsersCreated, st.UsersFound = int(created.Load()), int(found.Load())
	if err != nil {
		return nil, st, err
	}

	f.sessions = make([]session, o.Sessions)
	err = forEach(ctx, o.Concurrency, o.Sessions, progress, "sessions opened", func(ctx context.Context, i int) error {
		r, err := api.InitiateAuth(ctx, f.clientID, "USER_PASSWORD_AUTH", map[string]string{"USERNAME": userName(i), "PASSWORD": benchPassword})
		if err != nil {
			return fmt.Errorf("signing in %s: %w", userName(i), err)
		}
		if r.AccessToken == "" || r.RefreshToken == "" || r.IDToken == "" {
			return fmt.Errorf("signing in %s: no tokens (challenge %q)", userName(i), r.ChallengeName)
		}
		f.sessions[i] = session{access: r.AccessToken, refresh: r.RefreshToken, id: r.IDToken}
		return nil
	})
	st.SessionsOpened = o.Sessions
	if err == nil && slices.Contains(o.Ops, OpIdentity) {
		err = prepareIdentity(ctx, o, admin, ids, f, &st, progress)
	}
	if err == nil && slices.Contains(o.Ops, OpClientCredentials) {
		err = prepareMachine(ctx, o, admin, f, progress)
	}
	if err == nil && slices.Contains(o.Ops, OpTriggers) {
		err = prepareTriggers(ctx, o, admin, api, f, progress)
		st.TriggerPoolID = f.triggerPoolID
	}
	st.Seconds = round3(time.Since(start).Seconds())
	return f, st, err
}

// prepareUser makes sure a confirmed user with benchPassword exists. When
// the pool is not new, it asks first. made reports whether it signed the
// user up.
func prepareUser(ctx context.Context, admin *adminClient, api idpClient, f *fixture, name string, check bool) (made bool, err error) {
	if check {
		status, err := admin.userStatus(ctx, f.poolID, name)
		switch {
		case err != nil:
			return false, fmt.Errorf("looking up %s: %w", name, err)
		case status == "CONFIRMED":
			return false, nil
		case status == "UNCONFIRMED":
			return false, confirm(ctx, admin, f.poolID, name)
		case status != "":
			return false, fmt.Errorf("user %s exists with status %s", name, status)
		}
	}
	if err := api.SignUp(ctx, f.clientID, name, benchPassword); err != nil {
		return false, fmt.Errorf("signing up %s: %w", name, err)
	}
	return true, confirm(ctx, admin, f.poolID, name)
}

func confirm(ctx context.Context, admin *adminClient, poolID, name string) error {
	if err := admin.confirm(ctx, poolID, name); err != nil {
		return fmt.Errorf("confirming %s: %w", name, err)
	}
	return nil
}

// progressEvery is how often forEach reports.
const progressEvery = 5 * time.Second

// forEach runs fn for 0..n-1 on workers goroutines, stopping at the first
// error, and reports progress while it runs.
func forEach(ctx context.Context, workers, n int, progress io.Writer, what string, fn func(context.Context, int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var next, done atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				if err := fn(ctx, int(i)); err != nil {
					cancel(err)
					return
				}
				done.Add(1)
			}
		}()
	}
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	tick := time.NewTicker(progressEvery)
	defer tick.Stop()
	for {
		select {
		case <-finished:
			if n >= 100 {
				fmt.Fprintf(progress, "bench: %d/%d %s\n", done.Load(), n, what)
			}
			return context.Cause(ctx)
		case <-tick.C:
			fmt.Fprintf(progress, "bench: %d/%d %s\n", done.Load(), n, what)
		}
	}
}
