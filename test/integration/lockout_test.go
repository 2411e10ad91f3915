package integration

import (
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognate-auth/cognate/auth/cognitosrp"
)

// The lock-out, tried as an attacker would: through a sign-in opened
// before it began, with guesses sent all at once, through ChangePassword,
// and through every flow that proves a password.

var allPasswordFlows = &cip.CreateUserPoolClientInput{ExplicitAuthFlows: []types.ExplicitAuthFlowsType{
	types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowUserPasswordAuth,
	types.ExplicitAuthFlowsTypeAllowUserAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth,
}}

// passwordOnce runs USER_PASSWORD_AUTH once, without retries.
func (e *env) passwordOnce(t *testing.T, clientID, username, password string) (*cip.InitiateAuthOutput, error) {
	t.Helper()
	return e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(clientID),
		AuthParameters: map[string]string{"USERNAME": username, "PASSWORD": password}}, noRetry)
}

// lockOut makes the five wrong password proofs that lock a user out.
func (e *env) lockOut(t *testing.T, clientID, username string) {
	t.Helper()
	for i := range 5 {
		_, err := e.passwordOnce(t, clientID, username, "Wrong-Passw0rd!")
		if apiCode(err) != "NotAuthorizedException" || errorMessage(err) != "Incorrect username or password." {
			t.Fatalf("wrong password %d: %v", i+1, err)
		}
	}
}

func wantLocked(t *testing.T, what string, err error) {
	t.Helper()
	if apiCode(err) != "NotAuthorizedException" || errorMessage(err) != "Password attempts exceeded" {
		t.Fatalf("%s while locked out: %v, want NotAuthorizedException: Password attempts exceeded", what, err)
	}
}

// TestLockoutHoldsForSessionsOpenedBefore is the regression test of the
// bypass: an SRP sign-in started before the lock-out cannot be used to go
// on guessing, nor to sign in with the right password while it lasts.
func TestLockoutHoldsForSessionsOpenedBefore(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.poolWithClient(t, allPasswordFlows)
		e.signUpConfirmed(t, poolID, clientID, "alice", password)

		// Two SRP sign-ins opened before the lock-out: one answered with
		// the right password, one with a wrong one.
		open := func(pw string) (map[string]string, *string) {
			c, err := cognitosrp.NewClient(poolID, "alice", pw)
			if err != nil {
				t.Fatal(err)
			}
			init, err := e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserSrpAuth,
				ClientId: aws.String(clientID), AuthParameters: c.AuthParameters()})
			if err != nil {
				t.Fatal(err)
			}
			r, err := c.ChallengeResponses(init.ChallengeParameters, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			return r, init.Session
		}
		answer := func(r map[string]string, session *string) error {
			_, err := e.Anon.RespondToAuthChallenge(ctx(t), &cip.RespondToAuthChallengeInput{ChallengeName: types.ChallengeNameTypePasswordVerifier,
				ClientId: aws.String(clientID), ChallengeResponses: r, Session: session}, noRetry)
			return err
		}
		right, rightSession := open(password)
		wrong, wrongSession := open("Wrong-Passw0rd!")

		e.lockOut(t, clientID, "alice")
		wantLocked(t, "a guess on a session opened before", answer(wrong, wrongSession))
		wantLocked(t, "the right password on a session opened before", answer(right, rightSession))
		_, err := e.passwordOnce(t, clientID, "alice", password)
		wantLocked(t, "USER_PASSWORD_AUTH", err)
		_, err = e.srpSignIn(t, poolID, clientID, "alice", password)
		wantLocked(t, "USER_SRP_AUTH", err)
		_, err = e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserAuth, ClientId: aws.String(clientID),
			AuthParameters: map[string]string{"USERNAME": "alice", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": password}}, noRetry)
		wantLocked(t, "USER_AUTH with PASSWORD", err)

		// The lock-out ends (one second after the fifth failure); the right
		// password then signs in and forgets the failures.
		e.Clock.Advance(2 * time.Second)
		if _, err := e.passwordOnce(t, clientID, "alice", password); err != nil {
			t.Fatalf("after the lock-out: %v", err)
		}
	})
}

// TestOneGuessPerChallenge: a PASSWORD_VERIFIER challenge answered wrongly
// cannot be answered again; one answered rightly can (amazon-cognito-
// identity-js answers again when its device key was unknown).
func TestOneGuessPerChallenge(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.poolWithClient(t, allPasswordFlows)
		e.signUpConfirmed(t, poolID, clientID, "bob", password)
		wrong, err := cognitosrp.NewClient(poolID, "bob", "Wrong-Passw0rd!")
		if err != nil {
			t.Fatal(err)
		}
		init, err := e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserSrpAuth,
			ClientId: aws.String(clientID), AuthParameters: wrong.AuthParameters()})
		if err != nil {
			t.Fatal(err)
		}
		r, err := wrong.ChallengeResponses(init.ChallengeParameters, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		respond := func() error {
			_, err := e.Anon.RespondToAuthChallenge(ctx(t), &cip.RespondToAuthChallengeInput{ChallengeName: types.ChallengeNameTypePasswordVerifier,
				ClientId: aws.String(clientID), ChallengeResponses: r, Session: init.Session}, noRetry)
			return err
		}
		if err := respond(); errorMessage(err) != "Incorrect username or password." {
			t.Fatalf("first answer: %v", err)
		}
		for range 3 {
			if err := respond(); errorMessage(err) != "Invalid session for the user." {
				t.Fatalf("answer again: %v", err)
			}
		}
		// Only the first answer counted: four more failures before a
		// lock-out.
		for i := range 4 {
			if _, err := e.passwordOnce(t, clientID, "bob", "Wrong-Passw0rd!"); errorMessage(err) != "Incorrect username or password." {
				t.Fatalf("failure %d: %v", i+2, err)
			}
		}
		_, err = e.passwordOnce(t, clientID, "bob", password)
		wantLocked(t, "the sixth proof", err)
	})
}

// TestConcurrentGuessesStopAtTheLimit is the regression test of the race:
// fifty wrong passwords sent at once are evaluated five times.
func TestConcurrentGuessesStopAtTheLimit(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.poolWithClient(t, allPasswordFlows)
		e.signUpConfirmed(t, poolID, clientID, "carol", password)
		var mu sync.Mutex
		got := map[string]int{}
		var wg sync.WaitGroup
		for range 50 {
			wg.Go(func() {
				_, err := e.passwordOnce(t, clientID, "carol", "Wrong-Passw0rd!")
				mu.Lock()
				got[errorMessage(err)]++
				mu.Unlock()
			})
		}
		wg.Wait()
		if got["Incorrect username or password."] != 5 || got["Password attempts exceeded"] != 45 {
			t.Fatalf("answers %v, want 5 wrong passwords evaluated and 45 refused", got)
		}
	})
}

// TestChangePasswordCountsTowardsTheLockout: wrong previous passwords lock
// the user out, and a locked-out user cannot change its password.
func TestChangePasswordCountsTowardsTheLockout(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.poolWithClient(t, allPasswordFlows)
		e.signUpConfirmed(t, poolID, clientID, "dave", password)
		out, err := e.passwordOnce(t, clientID, "dave", password)
		if err != nil {
			t.Fatal(err)
		}
		change := func(previous string) error {
			_, err := e.Anon.ChangePassword(ctx(t), &cip.ChangePasswordInput{AccessToken: out.AuthenticationResult.AccessToken,
				PreviousPassword: aws.String(previous), ProposedPassword: aws.String("N3w-Horse-Battery!")}, noRetry)
			return err
		}
		for i := range 5 {
			if err := change("Wrong-Passw0rd!"); errorMessage(err) != "Incorrect username or password." {
				t.Fatalf("wrong previous password %d: %v", i+1, err)
			}
		}
		wantLocked(t, "ChangePassword with the right previous password", change(password))
		_, err = e.passwordOnce(t, clientID, "dave", password)
		wantLocked(t, "sign-in", err)
	})
}
