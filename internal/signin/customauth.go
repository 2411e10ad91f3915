package signin

import (
	"context"
	"errors"
	"maps"
	"time"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/guard"
	"github.com/cognate-auth/cognate/internal/srp"
	"github.com/cognate-auth/cognate/internal/store"
)

// Custom sign-ins (CUSTOM_AUTH). The pool's DefineAuthChallenge function
// leads: given the rounds so far, it issues tokens, fails the sign-in, or
// names the next challenge. A CUSTOM_CHALLENGE is made by
// CreateAuthChallenge, whose private parameters and metadata stay in the
// sealed state, and checked by VerifyAuthChallengeResponse; each answer
// becomes a round of the history. With CHALLENGE_NAME SRP_A (Amplify's
// CUSTOM_WITH_SRP) the history starts with SRP_A, and DefineAuthChallenge
// may ask for the PASSWORD_VERIFIER, whose success becomes a round too.
//
// Each round's state is answered once (a replay is "Invalid session for
// the user."), a sign-in has at most maxCustomRounds rounds, and the
// answers of a user are counted within a budget (customAnswers), so that
// guessing is bounded without the password lock-out being touched: a
// right answer to a challenge anyone may read must not clear it.

// CustomRound is one round of a custom sign-in, as the triggers' session
// array carries it.
type CustomRound struct {
	Name     string `json:"n"`
	Result   bool   `json:"r,omitempty"`
	Metadata string `json:"m,omitempty"`
}

// CustomDecision is what DefineAuthChallenge decided.
type CustomDecision struct {
	Challenge   string
	IssueTokens bool
	Fail        bool
}

// CustomChallengeSpec is what CreateAuthChallenge made: the parameters
// the client sees, those only VerifyAuthChallengeResponse sees, and the
// metadata the round's history records.
type CustomChallengeSpec struct {
	Public   map[string]string
	Private  map[string]string
	Metadata string
}

// maxCustomRounds bounds the rounds of one custom sign-in (Cognate's
// bound: the history travels in the sealed state).
const maxCustomRounds = 16

// customAnswers is the budget of a user's answers to custom challenges:
// in all, and from one client address, so that one guesser cannot spend
// all of it (Cognate's bound; Cognito leaves it to the functions).
var customAnswers = guard.Limit{Total: 30, PerSource: 10, Window: 15 * time.Minute}

var (
	errCustomNotConfigured = apierr.New(apierr.InvalidParameter, "Custom auth lambda trigger is not configured for the user pool.")
	errCustomUnrecognized  = apierr.New(apierr.InvalidLambdaResponse, "Unrecognizable lambda output")
)

// userRef is the user a trigger is told of: nil for a decoy, whose name
// the triggers see with userNotFound.
func (s signer) userRef() *store.User {
	if s.isDecoy() {
		return nil
	}
	return &s.user
}

// startCustom runs CUSTOM_AUTH's InitiateAuth.
func (e *Engine) startCustom(ctx context.Context, a *attempt) (Result, error) {
	name := a.params["USERNAME"]
	if name == "" {
		return Result{}, missing("USERNAME")
	}
	if a.pool.Settings.LambdaConfig.DefineAuthChallenge == "" {
		return Result{}, errCustomNotConfigured
	}
	var A []byte
	switch a.params["CHALLENGE_NAME"] {
	case "":
	case "SRP_A":
		if a.params["SRP_A"] == "" {
			return Result{}, missing("SRP_A")
		}
		var err error
		if A, err = srp.ParsePublic(a.params["SRP_A"]); err != nil {
			return Result{}, apierr.New(apierr.InvalidParameter, "Invalid SRP_A.")
		}
	default:
		return Result{}, apierr.New(apierr.InvalidParameter, "CHALLENGE_NAME must be SRP_A, or absent.")
	}
	s, err := e.signerOf(ctx, a, name)
	if err != nil {
		return Result{}, err
	}
	if err := e.preAuthentication(ctx, a, s, name); err != nil {
		return Result{}, err
	}
	st := e.newState(stepCustom, a)
	st.Sub, st.Username, st.Typed, st.Device = s.sub(), s.username(), name, a.params["DEVICE_KEY"]
	if A != nil {
		st.A = A
		st.Rounds = []CustomRound{{Name: "SRP_A", Result: true}}
	}
	return e.defineNext(ctx, a, s, st)
}

// defineNext asks DefineAuthChallenge what follows the rounds of st.
func (e *Engine) defineNext(ctx context.Context, a *attempt, s signer, st state) (Result, error) {
	if len(st.Rounds) >= maxCustomRounds {
		return Result{}, errBadCredentials
	}
	d, err := e.dir.DefineAuthChallenge(ctx, a.pool, a.client, s.userRef(), st.Typed, st.Rounds, a.meta)
	if err != nil {
		return Result{}, err
	}
	switch {
	case d.Fail:
		return Result{}, errBadCredentials
	case d.IssueTokens:
		if s.isDecoy() {
			return Result{}, errBadCredentials
		}
		return e.afterPassword(ctx, a, s, true, st.Nonce, st.Typed, st.Device)
	case d.Challenge == string(CustomChallenge):
		return e.customChallenge(ctx, a, s, st)
	case d.Challenge == string(PasswordVerifier) && len(st.A) > 0 && len(st.Rounds) == 1:
		return e.customPasswordVerifier(a, s, st)
	case d.Challenge == "":
		return Result{}, errCustomUnrecognized
	}
	return Result{}, apierr.Newf(apierr.UnsupportedOperation,
		"DefineAuthChallenge chose the %s challenge, which Cognate does not run in a custom sign-in.", d.Challenge)
}

// customChallenge has CreateAuthChallenge make the next challenge.
func (e *Engine) customChallenge(ctx context.Context, a *attempt, s signer, st state) (Result, error) {
	c, err := e.dir.CreateAuthChallenge(ctx, a.pool, a.client, s.userRef(), st.Typed, string(CustomChallenge), st.Rounds, a.meta)
	if err != nil {
		return Result{}, err
	}
	next := e.next(stepCustom, st)
	next.Rounds, next.Private, next.Metadata = st.Rounds, c.Private, c.Metadata
	params := maps.Clone(c.Public)
	if params == nil {
		params = map[string]string{}
	}
	params["USERNAME"] = s.username()
	session := e.seal(next)
	if len(session) > maxSessionLength {
		// The private parameters, the metadata and the history travel in
		// the session, which clients may send back only this long.
		return Result{}, apierr.New(apierr.InvalidLambdaResponse,
			"CreateAuthChallenge returned more private challenge data than a session can carry.")
	}
	return Result{Challenge: CustomChallenge, Session: session, Parameters: params}, nil
}

// maxSessionLength is the longest Session the service model lets a
// client send back (RespondToAuthChallenge).
const maxSessionLength = 2048

// customPasswordVerifier asks for the password proof of CUSTOM_WITH_SRP,
// as USER_SRP_AUTH does; the state keeps the rounds.
func (e *Engine) customPasswordVerifier(a *attempt, s signer, st state) (Result, error) {
	v := e.verifier(a.pool, s)
	ch, err := srp.NewChallenge(v.Verifier)
	if err != nil {
		return Result{}, apierr.Internal(err)
	}
	next := e.next(stepPasswordVerifier, st)
	next.Rounds, next.A, next.SecretB, next.B = st.Rounds, st.A, ch.Secret, ch.Public
	return Result{
		Challenge: PasswordVerifier,
		Parameters: map[string]string{
			"SALT":            srp.HexInt(v.Salt),
			"SECRET_BLOCK":    e.seal(next),
			"SRP_B":           srp.HexInt(ch.Public),
			"USERNAME":        s.username(),
			"USER_ID_FOR_SRP": s.username(),
		},
	}, nil
}

// afterCustomPassword goes on with a CUSTOM_WITH_SRP sign-in whose
// password was checked: a wrong one fails as USER_SRP_AUTH's does, a
// right one becomes the PASSWORD_VERIFIER round.
func (e *Engine) afterCustomPassword(ctx context.Context, a *attempt, s signer, ok bool, deviceKey string) (Result, error) {
	if !ok {
		return Result{}, errBadCredentials
	}
	next := e.next(stepCustom, a.state)
	next.Device = deviceKey
	next.Rounds = append(a.state.Rounds, CustomRound{Name: string(PasswordVerifier), Result: true})
	return e.defineNext(ctx, a, s, next)
}

// answerCustom answers a CUSTOM_CHALLENGE: once per round, within the
// budget of wrong answers.
func (e *Engine) answerCustom(ctx context.Context, a *attempt) (Result, error) {
	st := a.state
	s, err := e.resume(ctx, a)
	if err != nil {
		return Result{}, err
	}
	round := guard.Limit{Total: 1, Window: st.expiry().Sub(e.now()) + time.Minute}
	if err := e.guard.Spend(ctx, s.subject, "custom-round/"+customRoundID(st), "", round); errors.Is(err, guard.ErrLimitExceeded) {
		return Result{}, errBadSession
	} else if err != nil {
		return Result{}, err
	}
	// Counted before the function sees it, so that past the budget no
	// answer, right or wrong, is checked.
	if err := e.guard.Spend(ctx, s.subject, "custom-answers", a.source(ctx), customAnswers); err != nil {
		return Result{}, err
	}
	ok, err := e.dir.VerifyAuthChallengeResponse(ctx, a.pool, a.client, s.userRef(), st.Typed, st.Private, a.params["ANSWER"], a.meta)
	if err != nil {
		return Result{}, err
	}
	next := e.next(stepCustom, st)
	next.Rounds = append(st.Rounds, CustomRound{Name: string(CustomChallenge), Result: ok, Metadata: st.Metadata})
	return e.defineNext(ctx, a, s, next)
}

// customRoundID names one round of a custom sign-in.
func customRoundID(st state) string {
	return mfaSession(append([]byte{byte(len(st.Rounds))}, st.Nonce...))
}
