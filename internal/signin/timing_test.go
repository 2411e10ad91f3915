package signin_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/cognate-auth/cognate/auth/cognitosrp"
	"github.com/cognate-auth/cognate/internal/signin"
	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/testutil/domaintest"
	"github.com/cognate-auth/cognate/internal/userpool"
)

// TestUnknownUsersTakeAsLong is the statistical test of existence hiding
// in time: for each operation a name that is no user could be probed with,
// it times a user and an unknown name in alternation, each name once (so
// that no lock-out or budget shortens a run), and compares the medians. A
// user's password check used to take 2.7 ms where an unknown name's took
// 0.5 ms; the margin allowed here is generous (the slower median within
// 1.6 times the faster), and no absolute time is asserted.
func TestUnknownUsersTakeAsLong(t *testing.T) {
	if testing.Short() {
		t.Skip("times many sign-ins")
	}
	const n = 31
	env := domaintest.New(t, false)
	ctx := t.Context()
	p, err := env.Pools.CreatePool(ctx, "us-east-1", userpool.PoolInput{Name: "timing",
		Settings: store.PoolSettings{AutoVerifiedAttributes: []string{"email"}, FirstAuthFactors: []string{"PASSWORD", "EMAIL_OTP"}}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := env.Pools.CreateClient(ctx, p.ID, userpool.ClientInput{Name: "app", Settings: store.ClientSettings{
		PreventUserExistenceErrors: "ENABLED",
		ExplicitAuthFlows:          []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}})
	if err != nil {
		t.Fatal(err)
	}
	const password = "Timing-Passw0rd!"
	user := func(i int) string { return fmt.Sprintf("user-%02d", i) }
	unconfirmed := func(i int) string { return fmt.Sprintf("new-%02d", i) }
	unknown := func(op string, i int) string { return fmt.Sprintf("nobody-%s-%02d", op, i) }
	for i := range n {
		for _, name := range []string{user(i), unconfirmed(i)} {
			if _, err := env.Pools.SignUp(ctx, userpool.SignUpInput{ClientID: c.ID, Username: name, Password: password,
				Attributes: []userpool.Attribute{{Name: "email", Value: name + "@example.com"}}}); err != nil {
				t.Fatal(err)
			}
		}
		if err := env.Pools.AdminConfirmSignUp(ctx, p.ID, user(i), nil); err != nil {
			t.Fatal(err)
		}
	}
	wrong := func(name string) {
		_, err := env.SignIn.Start(ctx, signin.StartInput{ClientID: c.ID, Flow: signin.UserPassword,
			Parameters: map[string]string{"USERNAME": name, "PASSWORD": "Wrong-Passw0rd!"}})
		if err == nil {
			t.Fatal("a wrong password signed in")
		}
	}
	srpAnswer := func(name string) func() {
		cl, err := cognitosrp.NewClient(p.ID, name, "Wrong-Passw0rd!")
		if err != nil {
			t.Fatal(err)
		}
		r, err := env.SignIn.Start(ctx, signin.StartInput{ClientID: c.ID, Flow: signin.UserSRP, Parameters: cl.AuthParameters()})
		if err != nil {
			t.Fatal(err)
		}
		answer, err := cl.ChallengeResponses(r.Parameters, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return func() {
			if _, err := env.SignIn.Respond(ctx, signin.RespondInput{ClientID: c.ID, Challenge: r.Challenge, Responses: answer}); err == nil {
				t.Fatal("a wrong password signed in")
			}
		}
	}
	cases := []struct {
		op          string
		real, other func(i int) func() // the timed call, prepared
	}{
		{"USER_PASSWORD_AUTH",
			func(i int) func() { return func() { wrong(user(i)) } },
			func(i int) func() { return func() { wrong(unknown("pw", i)) } }},
		{"USER_SRP_AUTH",
			func(i int) func() { return func() { srpStart(t, env, p.ID, c.ID, user(i)) } },
			func(i int) func() { return func() { srpStart(t, env, p.ID, c.ID, unknown("srp", i)) } }},
		{"PASSWORD_VERIFIER",
			func(i int) func() { return srpAnswer(user(i)) },
			func(i int) func() { return srpAnswer(unknown("verifier", i)) }},
		{"USER_AUTH",
			func(i int) func() { return func() { choose(t, env, c.ID, user(i)) } },
			func(i int) func() { return func() { choose(t, env, c.ID, unknown("choice", i)) } }},
		{"ForgotPassword",
			func(i int) func() { return func() { forgot(t, env, c.ID, user(i)) } },
			func(i int) func() { return func() { forgot(t, env, c.ID, unknown("forgot", i)) } }},
		{"ConfirmForgotPassword",
			func(i int) func() { return func() { confirmForgot(env, c.ID, user(i)) } },
			func(i int) func() { return func() { confirmForgot(env, c.ID, unknown("forgot", i)) } }},
		{"ResendConfirmationCode",
			func(i int) func() { return func() { resend(t, env, c.ID, unconfirmed(i)) } },
			func(i int) func() { return func() { resend(t, env, c.ID, unknown("resend", i)) } }},
		{"ConfirmSignUp",
			func(i int) func() { return func() { confirmSignUp(env, c.ID, unconfirmed(i)) } },
			func(i int) func() { return func() { confirmSignUp(env, c.ID, unknown("confirm", i)) } }},
	}
	for _, tc := range cases {
		fns := []func(int) func(){tc.real, tc.other}
		times := make([][]time.Duration, 2)
		for i := range n {
			order := []int{0, 1}
			if i%2 == 1 {
				order = []int{1, 0} // alternate which goes first
			}
			for _, j := range order {
				call := fns[j](i)
				start := time.Now()
				call()
				times[j] = append(times[j], time.Since(start))
			}
		}
		real, other := times[0], times[1]
		mr, mo := median(real), median(other)
		t.Logf("%s: median %v for users, %v for unknown names", tc.op, mr, mo)
		if ratio := float64(max(mr, mo)) / float64(max(min(mr, mo), 1)); ratio > 1.6 {
			t.Errorf("%s: median %v for users against %v for unknown names (%.1f times)", tc.op, mr, mo, ratio)
		}
	}
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func srpStart(t *testing.T, env *domaintest.Env, poolID, clientID, name string) {
	cl, err := cognitosrp.NewClient(poolID, name, "Wrong-Passw0rd!")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.SignIn.Start(t.Context(), signin.StartInput{ClientID: clientID, Flow: signin.UserSRP, Parameters: cl.AuthParameters()}); err != nil {
		t.Fatal(err)
	}
}

func forgot(t *testing.T, env *domaintest.Env, clientID, name string) {
	if _, err := env.Pools.ForgotPassword(t.Context(), userpool.ForgotPasswordInput{ClientID: clientID, Username: name}); err != nil {
		t.Fatal(err)
	}
}

func confirmForgot(env *domaintest.Env, clientID, name string) {
	_ = env.Pools.ConfirmForgotPassword(context.Background(), userpool.ConfirmForgotPasswordInput{ClientID: clientID, Username: name,
		Code: "000000", Password: "N3w-Horse-Battery!"})
}

func resend(t *testing.T, env *domaintest.Env, clientID, name string) {
	if _, err := env.Pools.ResendConfirmationCode(t.Context(), clientID, "", name, nil); err != nil {
		t.Fatal(err)
	}
}

func confirmSignUp(env *domaintest.Env, clientID, name string) {
	_ = env.Pools.ConfirmSignUp(context.Background(), userpool.ConfirmSignUpInput{ClientID: clientID, Username: name, Code: "000000"})
}

func choose(t *testing.T, env *domaintest.Env, clientID, name string) {
	r, err := env.SignIn.Start(t.Context(), signin.StartInput{ClientID: clientID, Flow: signin.UserAuth, Parameters: map[string]string{"USERNAME": name}})
	if err != nil || r.Challenge != signin.SelectChallenge {
		t.Fatalf("USER_AUTH: %+v, %v", r, err)
	}
}
