package signin

import (
	"context"
	"slices"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/store"
)

// Choice-based sign-in (USER_AUTH). The user names a preferred first factor
// (PREFERRED_CHALLENGE) or chooses one from the factors the pool allows and
// it can use (SELECT_CHALLENGE with AvailableChallenges). A password, typed
// or through SRP, goes on as USER_PASSWORD_AUTH or USER_SRP_AUTH would,
// MFA included; a code sent by email or SMS is the whole sign-in, without
// MFA. The codes are the MFA codes' (mfa.go), and every step carries the
// sign-in's nonce, so its tokens have one origin_jti and a replay is
// refused. A decoy is offered the factors a user would plausibly have, and
// its codes are never right.

// WebAuthn is the passkey first factor, which Cognate does not have yet.
const WebAuthn = "WEB_AUTHN"

// firstFactorOrder is the order in which first factors are offered.
var firstFactorOrder = []Challenge{Password, PasswordSRP, EmailOTP, SMSOTP}

// poolFactor is the AllowedFirstAuthFactors value that allows a first
// factor: PASSWORD_SRP goes with PASSWORD.
func poolFactor(f Challenge) string {
	if f == PasswordSRP {
		return string(Password)
	}
	return string(f)
}

// AllowedFirstFactors returns the first factors a pool allows
// (SignInPolicy.AllowedFirstAuthFactors): PASSWORD alone unless set.
func AllowedFirstFactors(p store.Pool) []string {
	if f := p.Settings.FirstAuthFactors; len(f) > 0 {
		return f
	}
	return []string{string(Password)}
}

// UserFirstFactors are the first factors of USER_AUTH that pool p allows
// and user u can use: a password (typed or through SRP), a verified email
// address, a verified phone number. Codes go only to confirmed users.
func UserFirstFactors(p store.Pool, u store.User) []string {
	allowed := AllowedFirstFactors(p)
	var out []string
	for _, f := range firstFactorOrder {
		if slices.Contains(allowed, poolFactor(f)) && canUseFirstFactor(u, f) {
			out = append(out, string(f))
		}
	}
	return out
}

func canUseFirstFactor(u store.User, f Challenge) bool {
	switch f {
	case Password, PasswordSRP:
		return u.Password != nil
	case EmailOTP:
		return u.Status == store.StatusConfirmed && u.Attributes["email"] != "" && u.Attributes["email_verified"] == "true"
	case SMSOTP:
		return u.Status == store.StatusConfirmed && u.Attributes["phone_number"] != "" && u.Attributes["phone_number_verified"] == "true"
	}
	return false
}

// firstFactors are the first factors a signer is offered.
func firstFactors(p store.Pool, s signer) []string {
	if s.isDecoy() {
		return decoyFactors(AllowedFirstFactors(p), *s.decoy)
	}
	return UserFirstFactors(p, s.user)
}

var errWebAuthn = apierr.New(apierr.UnsupportedOperation, "The WEB_AUTHN first factor is not supported by Cognate yet.")

// startChoice starts a USER_AUTH sign-in: straight with the preferred
// factor when the pool allows it and the signer can use it, else with
// SELECT_CHALLENGE.
func (e *Engine) startChoice(ctx context.Context, a *attempt) (Result, error) {
	name, pref := a.params["USERNAME"], Challenge(a.params["PREFERRED_CHALLENGE"])
	if name == "" {
		return Result{}, missing("USERNAME")
	}
	if pref == WebAuthn {
		return Result{}, errWebAuthn
	}
	if pref != "" && !slices.Contains(firstFactorOrder, pref) {
		return Result{}, apierr.Newf(apierr.InvalidParameter, "Invalid PREFERRED_CHALLENGE %s.", pref)
	}
	allowsPassword := slices.Contains(AllowedFirstFactors(a.pool), string(Password))
	switch {
	case pref == Password && a.params["PASSWORD"] != "" && allowsPassword:
		return e.startPassword(ctx, a, nil, claimNone)
	case pref == PasswordSRP && a.params["SRP_A"] != "" && allowsPassword:
		return e.startSRP(ctx, a, nil)
	}
	s, err := e.signerOf(ctx, a, name)
	if err != nil {
		return Result{}, err
	}
	factors := firstFactors(a.pool, s)
	st := e.newState(stepSelectChallenge, a)
	st.Sub, st.Username, st.Typed, st.Device, st.Factors = s.sub(), s.username(), name, a.params["DEVICE_KEY"], factors
	if (pref == EmailOTP || pref == SMSOTP) && slices.Contains(factors, string(pref)) {
		return e.firstFactorCode(ctx, a, s, st, string(pref))
	}
	return Result{Challenge: SelectChallenge, Session: e.seal(st), Parameters: map[string]string{}, Available: factors}, nil
}

// firstFactorCode sends the code of an EMAIL_OTP or SMS_OTP first factor
// and asks for it. Its answer ends the sign-in: no MFA, and no device
// authentication (the sign-in gets a new device, as one that presented
// none). The pre authentication trigger runs first, as it runs before a
// password is checked: Cognito documents it for every sign-in, and
// excludes passwordless sign-in only from user migration. A refusal sends
// no code.
func (e *Engine) firstFactorCode(ctx context.Context, a *attempt, s signer, st state, factor string) (Result, error) {
	if err := e.preAuthentication(ctx, a, s, st.Typed); err != nil {
		return Result{}, err
	}
	st.Device = ""
	if s.isDecoy() {
		return e.decoyCodeChallenge(ctx, a, s, st, factor)
	}
	return e.mfaChallenge(ctx, a, s.user, st, factor, false)
}

// selectFirstFactor answers SELECT_CHALLENGE with the chosen factor (the
// ANSWER response, or answer for the PASSWORD and PASSWORD_SRP
// challenges). PASSWORD and PASSWORD_SRP may come with the password or
// SRP_A; without them, a PASSWORD or PASSWORD_SRP challenge with the same
// sign-in asks for them, and is answered here too. A password answers the
// state once (its claim).
func selectFirstFactor(answer Challenge) func(e *Engine, ctx context.Context, a *attempt) (Result, error) {
	return func(e *Engine, ctx context.Context, a *attempt) (Result, error) {
		choice := answer
		if choice == "" {
			choice = Challenge(a.params["ANSWER"])
		}
		return e.selectFirstFactor(ctx, a, choice)
	}
}

func (e *Engine) selectFirstFactor(ctx context.Context, a *attempt, answer Challenge) (Result, error) {
	st, r := a.state, a.params
	if answer == "" {
		return Result{}, missing("ANSWER")
	}
	if answer == WebAuthn {
		return Result{}, errWebAuthn
	}
	if !slices.Contains(st.Factors, string(answer)) {
		return Result{}, apierr.Newf(apierr.InvalidParameter, "Invalid ANSWER: choose one of %s.", factorList(st.Factors))
	}
	switch answer {
	case Password, PasswordSRP:
		key := "PASSWORD"
		if answer == PasswordSRP {
			key = "SRP_A"
		}
		if r[key] == "" {
			next := e.next(stepSelectChallenge, st)
			next.Factors = []string{string(answer)}
			return Result{Challenge: answer, Session: e.seal(next), Parameters: map[string]string{}}, nil
		}
		b := *a
		b.params = map[string]string{"USERNAME": st.Typed, "SECRET_HASH": r["SECRET_HASH"], "DEVICE_KEY": st.Device, key: r[key]}
		if answer == Password {
			return e.startPassword(ctx, &b, st.Nonce, e.claimOf(st))
		}
		return e.startSRP(ctx, &b, st.Nonce)
	}
	s, err := e.resume(ctx, a)
	if err != nil {
		return Result{}, err
	}
	if s.isDecoy() {
		return e.firstFactorCode(ctx, a, s, e.next(stepMFA, st), string(answer))
	}
	if !s.user.Enabled {
		return Result{}, errUserDisabled
	}
	if !canUseFirstFactor(s.user, answer) {
		return Result{}, apierr.Newf(apierr.InvalidParameter, "Invalid ANSWER: choose one of %s.", factorList(UserFirstFactors(a.pool, s.user)))
	}
	return e.firstFactorCode(ctx, a, s, e.next(stepMFA, st), string(answer))
}
