package userpool_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cognate-auth/cognate/auth/cognitosrp"
	"github.com/cognate-auth/cognate/internal/messaging"
	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/store/sqlstore"
	"github.com/cognate-auth/cognate/internal/tokens"
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
	poolID, clientID string
	users            []string
}

// newBenchEnv makes a pool, an app client allowing the password, SRP and
// refresh flows, and n confirmed users.
func newBenchEnv(b *testing.B, n int) *benchEnv {
	b.Helper()
	ctx := context.Background()
	key := bytes.Repeat([]byte{7}, 32)
	st, err := sqlstore.Open(ctx, sqlstore.Config{Driver: "sqlite", DSN: filepath.Join(b.TempDir(), "cognate.db"), MasterKey: key})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	svc, err := userpool.New(userpool.Config{
		Store: st, Tokens: tokens.NewIssuer(st, tokens.Options{}), Sender: &messaging.Outbox{Store: st}, MasterKey: key,
		Issuer: func(poolID string) string { return tokens.IssuerURL("http://127.0.0.1:9229", poolID) },
	})
	if err != nil {
		b.Fatal(err)
	}
	p, err := svc.CreatePool(ctx, "us-east-1", userpool.PoolInput{Name: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	c, err := svc.CreateClient(ctx, p.ID, userpool.ClientInput{Name: "bench", Settings: store.ClientSettings{
		ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}})
	if err != nil {
		b.Fatal(err)
	}
	e := &benchEnv{svc: svc, poolID: p.ID, clientID: c.ID}
	for i := range n {
		name := fmt.Sprintf("bench-user-%d", i)
		if _, err := svc.SignUp(ctx, userpool.SignUpInput{ClientID: c.ID, Username: name, Password: benchPassword}); err != nil {
			b.Fatal(err)
		}
		if err := svc.AdminConfirmSignUp(ctx, p.ID, name); err != nil {
			b.Fatal(err)
		}
		e.users = append(e.users, name)
	}
	return e
}

func (e *benchEnv) passwordSignIn(ctx context.Context, name string) (*userpool.Tokens, error) {
	r, err := e.svc.InitiateAuth(ctx, userpool.InitiateAuthInput{ClientID: e.clientID, Flow: userpool.AuthUserPassword,
		Params: map[string]string{"USERNAME": name, "PASSWORD": benchPassword}})
	if err == nil && r.Tokens == nil {
		err = fmt.Errorf("no tokens (challenge %s)", r.ChallengeName)
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
		r, err := e.svc.InitiateAuth(ctx, userpool.InitiateAuthInput{ClientID: e.clientID, Flow: userpool.AuthUserSRP, Params: c.AuthParameters()})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		answer, err := c.ChallengeResponses(r.ChallengeParameters, time.Now())
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		r, err = e.svc.RespondToAuthChallenge(ctx, userpool.RespondInput{ClientID: e.clientID, ChallengeName: r.ChallengeName, Responses: answer})
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
			r, err := e.svc.InitiateAuth(ctx, userpool.InitiateAuthInput{ClientID: e.clientID, Flow: userpool.AuthRefreshToken,
				Params: map[string]string{"REFRESH_TOKEN": t.RefreshToken}})
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
	secret, err := cognitosrp.NewDeviceSecret(nd.DeviceGroupKey, nd.DeviceKey)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := e.svc.ConfirmDevice(ctx, userpool.ConfirmDeviceInput{AccessToken: first.AccessToken, DeviceKey: nd.DeviceKey,
		Verifier: &userpool.DeviceVerifierConfig{PasswordVerifier: secret.PasswordVerifier, Salt: secret.Salt}}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		r, err := e.svc.InitiateAuth(ctx, userpool.InitiateAuthInput{ClientID: e.clientID, Flow: userpool.AuthUserPassword,
			Params: map[string]string{"USERNAME": name, "PASSWORD": benchPassword, "DEVICE_KEY": nd.DeviceKey}})
		if err != nil || r.ChallengeName != userpool.ChallengeDeviceSRP {
			b.Fatalf("InitiateAuth: %v, challenge %q", err, r.ChallengeName)
		}
		c, err := cognitosrp.NewDeviceClient(nd.DeviceGroupKey, nd.DeviceKey, secret.Password)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		v, err := e.svc.RespondToAuthChallenge(ctx, userpool.RespondInput{ClientID: e.clientID, ChallengeName: r.ChallengeName,
			Session: r.Session, Responses: c.AuthResponses(name)})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		answer, err := c.ChallengeResponses(name, v.ChallengeParameters, time.Now())
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		done, err := e.svc.RespondToAuthChallenge(ctx, userpool.RespondInput{ClientID: e.clientID, ChallengeName: v.ChallengeName,
			Responses: answer})
		if err != nil || done.Tokens == nil {
			b.Fatalf("DEVICE_PASSWORD_VERIFIER: %v, tokens %v", err, done.Tokens)
		}
	}
}
