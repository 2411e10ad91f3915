package signin_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cognate-auth/cognate/auth/cognitosrp"
	"github.com/cognate-auth/cognate/internal/signin"
	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/testutil/domaintest"
	"github.com/cognate-auth/cognate/internal/userpool"
)

// The benchmarks below run whole flows in process, on the embedded SQLite
// store as cognate serve opens it (synchronous FULL): everything a request
// costs the server but HTTP and the wire layer. Compare them with the crypto
// alone (BenchmarkCheckPassword and friends in internal/srp, BenchmarkSign
// in internal/tokens); docs/benchmarks.md has the figures.

const benchPassword = "Bench-Passw0rd!"

type benchEnv struct {
	svc              *userpool.Service
	signIn           *signin.Engine
	poolID, clientID string
	users            []string
}

// newBenchEnv makes a pool, an app client allowing the password, SRP and
// refresh flows, and n confirmed users.
func newBenchEnv(b *testing.B, n int) *benchEnv {
	b.Helper()
	ctx := context.Background()
	env := domaintest.New(b, true)
	svc := env.Pools
	p, err := svc.CreatePool(ctx, "us-east-1", userpool.PoolInput{Name: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	c, err := svc.CreateClient(ctx, p.ID, userpool.ClientInput{Name: "bench", Settings: store.ClientSettings{
		ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}})
	if err != nil {
		b.Fatal(err)
	}
	e := &benchEnv{svc: svc, signIn: env.SignIn, poolID: p.ID, clientID: c.ID}
	for i := range n {
		name := fmt.Sprintf("bench-user-%d", i)
		if _, err := svc.SignUp(ctx, userpool.SignUpInput{ClientID: c.ID, Username: name, Password: benchPassword}); err != nil {
			b.Fatal(err)
		}
		if err := svc.AdminConfirmSignUp(ctx, p.ID, name, nil); err != nil {
			b.Fatal(err)
		}
		e.users = append(e.users, name)
	}
	return e
}

func (e *benchEnv) passwordSignIn(ctx context.Context, name string) (*signin.Tokens, error) {
	r, err := e.signIn.Start(ctx, signin.StartInput{ClientID: e.clientID, Flow: signin.UserPassword,
		Parameters: map[string]string{"USERNAME": name, "PASSWORD": benchPassword}})
	if err == nil && r.Tokens == nil {
		err = fmt.Errorf("no tokens (challenge %s)", r.Challenge)
	}
	return r.Tokens, err
}

// BenchmarkSignInPassword is USER_PASSWORD_AUTH: the password checked
// against the SRP verifier, a session stored, two tokens signed.
func BenchmarkSignInPassword(b *testing.B) {
	e := newBenchEnv(b, 16)
	ctx := context.Background()
	var n atomic.Uint64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := e.passwordSignIn(ctx, e.users[n.Add(1)%uint64(len(e.users))]); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkSignInSRP is USER_SRP_AUTH and the PASSWORD_VERIFIER answer, the
// server's side only: the client's math (auth/cognitosrp) runs with the
// timer stopped.
func BenchmarkSignInSRP(b *testing.B) {
	e := newBenchEnv(b, 16)
	ctx := context.Background()
	for i := 0; b.Loop(); i++ {
		name := e.users[i%len(e.users)]
		b.StopTimer()
		c, err := cognitosrp.NewClient(e.poolID, name, benchPassword)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		r, err := e.signIn.Start(ctx, signin.StartInput{ClientID: e.clientID, Flow: signin.UserSRP, Parameters: c.AuthParameters()})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		answer, err := c.ChallengeResponses(r.Parameters, time.Now())
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		r, err = e.signIn.Respond(ctx, signin.RespondInput{ClientID: e.clientID, Challenge: r.Challenge, Responses: answer})
		if err != nil || r.Tokens == nil {
			b.Fatalf("RespondToAuthChallenge: %v, tokens %v", err, r.Tokens)
		}
	}
}

// BenchmarkRefresh is REFRESH_TOKEN_AUTH: the session read, two tokens
// signed.
func BenchmarkRefresh(b *testing.B) {
	e := newBenchEnv(b, 4)
	ctx := context.Background()
	t, err := e.passwordSignIn(ctx, e.users[0])
	if err != nil {
		b.Fatal(err)
	}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r, err := e.signIn.Start(ctx, signin.StartInput{ClientID: e.clientID, Flow: signin.RefreshToken,
				Parameters: map[string]string{"REFRESH_TOKEN": t.RefreshToken}})
			if err != nil || r.Tokens == nil {
				b.Errorf("refresh: %v", err)
				return
			}
		}
	})
}

// BenchmarkGetUser is GetUser with a valid access token: the token
// checked (remembered after its first verification), its session read for
// revocation, the user and the app client read.
func BenchmarkGetUser(b *testing.B) {
	e := newBenchEnv(b, 4)
	ctx := context.Background()
	t, err := e.passwordSignIn(ctx, e.users[0])
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, _, err := e.svc.GetUser(ctx, t.AccessToken); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkSignInDevice is a sign-in with a remembered device after
// USER_PASSWORD_AUTH: DEVICE_SRP_AUTH and the DEVICE_PASSWORD_VERIFIER
// answer, the server's side only (the client's math runs with the timer
// stopped). It costs what an SRP sign-in costs, plus the device's reads
// and its last-authenticated write.
func BenchmarkSignInDevice(b *testing.B) {
	e := newBenchEnv(b, 1)
	ctx := context.Background()
	if _, err := e.svc.UpdatePool(ctx, e.poolID, userpool.PoolInput{Name: "bench",
		Settings: store.PoolSettings{Devices: &store.DeviceSettings{ChallengeRequiredOnNewDevice: true}}}); err != nil {
		b.Fatal(err)
	}
	name := e.users[0]
	first, err := e.passwordSignIn(ctx, name)
	if err != nil {
		b.Fatal(err)
	}
	nd := first.NewDevice
	secret, err := cognitosrp.NewDeviceSecret(nd.GroupKey, nd.Key)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := e.svc.ConfirmDevice(ctx, userpool.ConfirmDeviceInput{AccessToken: first.AccessToken, DeviceKey: nd.Key,
		Verifier: &userpool.DeviceVerifierConfig{PasswordVerifier: secret.PasswordVerifier, Salt: secret.Salt}}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		r, err := e.signIn.Start(ctx, signin.StartInput{ClientID: e.clientID, Flow: signin.UserPassword,
			Parameters: map[string]string{"USERNAME": name, "PASSWORD": benchPassword, "DEVICE_KEY": nd.Key}})
		if err != nil || r.Challenge != signin.DeviceSRPAuth {
			b.Fatalf("InitiateAuth: %v, challenge %q", err, r.Challenge)
		}
		c, err := cognitosrp.NewDeviceClient(nd.GroupKey, nd.Key, secret.Password)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		v, err := e.signIn.Respond(ctx, signin.RespondInput{ClientID: e.clientID, Challenge: r.Challenge,
			Session: r.Session, Responses: c.AuthResponses(name)})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		answer, err := c.ChallengeResponses(name, v.Parameters, time.Now())
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		done, err := e.signIn.Respond(ctx, signin.RespondInput{ClientID: e.clientID, Challenge: v.Challenge,
			Responses: answer})
		if err != nil || done.Tokens == nil {
			b.Fatalf("DEVICE_PASSWORD_VERIFIER: %v, tokens %v", err, done.Tokens)
		}
	}
}
