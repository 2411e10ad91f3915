package signin_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/cognate-auth/cognate/internal/requestctx"
	"github.com/cognate-auth/cognate/internal/signin"
	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/testutil/domaintest"
	"github.com/cognate-auth/cognate/internal/userpool"
)

// TestSignInLogs: sign-ins are logged at info, failures and successes, with
// the request, pool and client, and never with what the user sent.
func TestSignInLogs(t *testing.T) {
	env := domaintest.New(t, false)
	var buf bytes.Buffer
	engine, err := signin.New(signin.Config{Directory: env.Pools.SignInDirectory(), Guard: env.Guard, MasterKey: bytes.Repeat([]byte{7}, 32),
		Now: env.Now, Logger: slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))})
	if err != nil {
		t.Fatal(err)
	}
	ctx := requestctx.WithRequestID(t.Context(), "req-1234")
	p, err := env.Pools.CreatePool(ctx, "us-east-1", userpool.PoolInput{Name: "logs"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := env.Pools.CreateClient(ctx, p.ID, userpool.ClientInput{Name: "app", Settings: store.ClientSettings{
		ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}})
	if err != nil {
		t.Fatal(err)
	}
	const secret = "Secret-Passw0rd-1!"
	if _, err := env.Pools.SignUp(ctx, userpool.SignUpInput{ClientID: c.ID, Username: "alice", Password: secret}); err != nil {
		t.Fatal(err)
	}
	if err := env.Pools.AdminConfirmSignUp(ctx, p.ID, "alice", nil); err != nil {
		t.Fatal(err)
	}
	signIn := func(pw string) (signin.Result, error) {
		return engine.Start(ctx, signin.StartInput{ClientID: c.ID, Flow: signin.UserPassword,
			Parameters: map[string]string{"USERNAME": "alice", "PASSWORD": pw}})
	}
	for range 5 {
		if _, err := signIn("Wrong-Passw0rd-2!"); err == nil {
			t.Fatal("a wrong password signed in")
		}
	}
	_, _ = signIn(secret) // locked out
	env.Advance(2e9)
	r, err := signIn(secret)
	if err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{`"msg":"sign-in step failed"`, `"error":"NotAuthorizedException"`, `"msg":"sign-in refused: locked out"`,
		`"msg":"sign-in succeeded"`, `"request_id":"req-1234"`, `"pool":"` + p.ID + `"`, `"client":"` + c.ID + `"`, `"flow":"USER_PASSWORD_AUTH"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the logs lack %s:\n%s", want, out)
		}
	}
	for _, secret := range []string{secret, "Wrong-Passw0rd-2!", r.Tokens.AccessToken, r.Tokens.RefreshToken} {
		if strings.Contains(out, secret) {
			t.Errorf("the logs show a secret: %s", secret)
		}
	}
}
