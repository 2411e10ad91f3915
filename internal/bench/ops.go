package bench

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/cognate-auth/cognate/auth/cognitosrp"
)

var errNoTokens = errors.New("bench: the answer carried no tokens")

// workload returns one operation as the clients run it over HTTP. Sign-ins
// pick prepared users at random, so that in a large pool most of them are
// rows no earlier request touched; refresh, getuser and identity take the
// sessions in turn; each sign-up registers a new user.
func (f *fixture) workload(op string, api idpClient, ids identityClient, hc *http.Client) (func(context.Context) error, error) {
	var n atomic.Uint64
	next := func(mod int) int { return int((n.Add(1) - 1) % uint64(mod)) }
	switch op {
	case OpSignUp:
		return func(ctx context.Context) error {
			return api.SignUp(ctx, f.clientID, fmt.Sprintf("bench-signup-%s-%d", f.runID, n.Add(1)), benchPassword)
		}, nil
	case OpPassword:
		return func(ctx context.Context) error {
			r, err := api.InitiateAuth(ctx, f.clientID, "USER_PASSWORD_AUTH",
				map[string]string{"USERNAME": userName(rand.IntN(f.users)), "PASSWORD": benchPassword})
			return tokensIn(r, err)
		}, nil
	case OpTriggers:
		if f.triggerPoolID == "" {
			return nil, errors.New("bench: no trigger pool was prepared")
		}
		return func(ctx context.Context) error {
			f.triggerSignIns.Add(1)
			r, err := api.InitiateAuth(ctx, f.triggerClientID, "USER_PASSWORD_AUTH",
				map[string]string{"USERNAME": userName(rand.IntN(f.users)), "PASSWORD": benchPassword})
			return tokensIn(r, err)
		}, nil
	case OpSRP:
		return func(ctx context.Context) error { return f.signInSRP(ctx, api, userName(rand.IntN(f.users))) }, nil
	case OpRefresh:
		return func(ctx context.Context) error {
			s := f.sessions[next(len(f.sessions))]
			r, err := api.InitiateAuth(ctx, f.clientID, "REFRESH_TOKEN_AUTH", map[string]string{"REFRESH_TOKEN": s.refresh})
			return tokensIn(r, err)
		}, nil
	case OpGetUser:
		return func(ctx context.Context) error {
			name, err := api.GetUser(ctx, f.sessions[next(len(f.sessions))].access)
			if err == nil && name == "" {
				return errors.New("bench: GetUser answered no username")
			}
			return err
		}, nil
	case OpIdentity:
		if f.identityPoolID == "" {
			return nil, errors.New("bench: no identity pool was prepared")
		}
		return func(ctx context.Context) error {
			return f.identityPair(ctx, ids, f.sessions[next(len(f.sessions))])
		}, nil
	case OpClientCredentials:
		if f.machine == nil {
			return nil, errors.New("bench: no machine client was prepared")
		}
		return func(ctx context.Context) error { return f.machine.token(ctx, hc) }, nil
	}
	return nil, fmt.Errorf("bench: unknown operation %q", op)
}

// signInSRP runs both round trips of USER_SRP_AUTH, the client's math done
// by auth/cognitosrp.
func (f *fixture) signInSRP(ctx context.Context, api idpClient, name string) error {
	c, err := cognitosrp.NewClient(f.poolID, name, benchPassword)
	if err != nil {
		return err
	}
	r, err := api.InitiateAuth(ctx, f.clientID, "USER_SRP_AUTH", c.AuthParameters())
	if err != nil {
		return err
	}
	if r.ChallengeName != "PASSWORD_VERIFIER" {
		return fmt.Errorf("bench: challenge %q, want PASSWORD_VERIFIER", r.ChallengeName)
	}
	answer, err := c.ChallengeResponses(r.ChallengeParameters, time.Now())
	if err != nil {
		return err
	}
	return tokensIn(api.RespondToAuthChallenge(ctx, f.clientID, r.ChallengeName, r.Session, answer))
}

func tokensIn(r authResult, err error) error {
	if err != nil {
		return err
	}
	if r.AccessToken == "" || r.IDToken == "" {
		return errNoTokens
	}
	return nil
}
