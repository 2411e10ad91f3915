package userpool

import (
	"context"
	"slices"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/clientauth"
	"github.com/cognate-auth/cognate/internal/store"
)

// Choice-based sign-in (USER_AUTH). The user names a preferred first factor
// (PREFERRED_CHALLENGE) or chooses one from the factors the pool allows and
// it can use (SELECT_CHALLENGE with AvailableChallenges). A password, typed
// or through SRP, goes on as USER_PASSWORD_AUTH or USER_SRP_AUTH would,
// MFA included; a code sent by email or SMS is the whole sign-in, without
// MFA. The codes are the MFA codes' (hashed in the user's codes, tied to the
// sign-in, counted, expiring with its session), and every step carries the
// sign-in's nonce, so its tokens have one origin_jti and a replay is
// refused.

// First factors of USER_AUTH (AuthFactorType), also the values of a pool's
// AllowedFirstAuthFactors.
const (
	FactorPassword    = "PASSWORD"
	FactorPasswordSRP = "PASSWORD_SRP"
	FactorEmailOTP    = "EMAIL_OTP"
	FactorSMSOTP      = "SMS_OTP"
	FactorWebAuthn    = "WEB_AUTHN"
	// ChallengeSelect asks the user to choose a first factor.
	ChallengeSelect = "SELECT_CHALLENGE"
	// ChallengeSMSOTP asks for the code of an SMS first factor
	// (EMAIL_OTP, the email one, is also the email MFA challenge).
	ChallengeSMSOTP = FactorSMSOTP
)

const stepSelectChallenge = "firstfactor" // awaiting SELECT_CHALLENGE

// firstFactorOrder is the order in which factors are offered.
var firstFactorOrder = []string{FactorPassword, FactorPasswordSRP, FactorEmailOTP, FactorSMSOTP}

// FirstAuthFactorsOf returns the first factors a pool allows
// (SignInPolicy.AllowedFirstAuthFactors): PASSWORD alone unless set.
func FirstAuthFactorsOf(p store.Pool) []string {
	if f := p.Settings.FirstAuthFactors; len(f) > 0 {
		return f
	}
	return []string{FactorPassword}
}

// checkFirstAuthFactors enforces Cognito's rules on AllowedFirstAuthFactors:
// known factors, and PASSWORD among them.
func checkFirstAuthFactors(factors []string) error {
	if len(factors) == 0 {
		return nil
	}
	for _, f := range factors {
		if !slices.Contains([]string{FactorPassword, FactorEmailOTP, FactorSMSOTP, FactorWebAuthn}, f) {
			return apierr.Newf(apierr.InvalidParameter, "Invalid AllowedFirstAuthFactors value %s.", f)
		}
	}
	if !slices.Contains(factors, FactorPassword) {
		return apierr.New(apierr.InvalidParameter, "AllowedFirstAuthFactors must include PASSWORD.")
	}
	return nil
}

// firstFactors are the first factors of USER_AUTH that pool p allows and
// user u can use: a password (typed or through SRP), a verified email
// address, a verified phone number. Codes go only to confirmed users. A
// zero u (an unknown user) gets every factor the pool allows, so that it
// cannot be told apart.
func firstFactors(p store.Pool, u store.User) []string {
	allowed := FirstAuthFactorsOf(p)
	var out []string
	for _, f := range firstFactorOrder {
		pool := f
		if f == FactorPasswordSRP {
			pool = FactorPassword
		}
		if slices.Contains(allowed, pool) && (u.Sub == "" || canUseFirstFactor(u, f)) {
			out = append(out, f)
		}
	}
	return out
}

func canUseFirstFactor(u store.User, f string) bool {
	switch f {
	case FactorPassword, FactorPasswordSRP:
		return u.Password != nil
	case FactorEmailOTP:
		return u.Status == store.StatusConfirmed && u.Attributes["email"] != "" && u.Attributes["email_verified"] == "true"
	case FactorSMSOTP:
		return u.Status == store.StatusConfirmed && u.Attributes["phone_number"] != "" && u.Attributes["phone_number_verified"] == "true"
	}
	return false
}

// userAuth starts a USER_AUTH sign-in: straight with the preferred factor
// when the pool allows it and the user can use it, else with
// SELECT_CHALLENGE.
func (s *Service) userAuth(ctx context.Context, c store.Client, p store.Pool, params map[string]string) (AuthResult, error) {
	name, pref := params["USERNAME"], params["PREFERRED_CHALLENGE"]
	if name == "" {
		return AuthResult{}, missing("USERNAME")
	}
	if pref == FactorWebAuthn {
		return AuthResult{}, apierr.New(apierr.UnsupportedOperation, "The WEB_AUTHN first factor is not supported by Cognate yet.")
	}
	if pref != "" && !slices.Contains(firstFactorOrder, pref) {
		return AuthResult{}, apierr.Newf(apierr.InvalidParameter, "Invalid PREFERRED_CHALLENGE %s.", pref)
	}
	if err := clientauth.RequireSecretHash(c, params["SECRET_HASH"]); err != nil {
		return AuthResult{}, err
	}
	allowsPassword := slices.Contains(firstFactors(p, store.User{}), FactorPassword)
	switch {
	case pref == FactorPassword && params["PASSWORD"] != "" && allowsPassword:
		return s.passwordAuth(ctx, c, p, params, nil)
	case pref == FactorPasswordSRP && params["SRP_A"] != "" && allowsPassword:
		return s.startSRP(ctx, c, p, params, nil)
	}
	u, decoy, err := s.signInUserOrDecoy(ctx, c, p, name, params["SECRET_HASH"])
	if err != nil {
		return AuthResult{}, err
	}
	if decoy {
		u = store.User{Username: name}
	}
	factors := firstFactors(p, u)
	st := s.newState(stepSelectChallenge, p.ID, c.ID, c.Settings.AuthSessionValidity)
	st.Sub, st.Username, st.Typed, st.Device, st.Factors = u.Sub, u.Username, name, params["DEVICE_KEY"], factors
	if (pref == FactorEmailOTP || pref == FactorSMSOTP) && slices.Contains(factors, pref) {
		if decoy {
			return AuthResult{}, errBadCredentials
		}
		return s.firstFactorCode(ctx, p, u, st, pref)
	}
	return AuthResult{ChallengeName: ChallengeSelect, Session: s.sealState(st), ChallengeParameters: map[string]string{},
		AvailableChallenges: factors}, nil
}

// firstFactorCode sends the code of an EMAIL_OTP or SMS_OTP first factor
// and asks for it. Its answer ends the sign-in: no MFA, and no device
// authentication (the sign-in gets a new device, as one that presented
// none).
func (s *Service) firstFactorCode(ctx context.Context, p store.Pool, u store.User, st authState, factor string) (AuthResult, error) {
	st.Device = ""
	return s.mfaChallenge(ctx, p, u, st, factor, false)
}

// selectChallenge answers SELECT_CHALLENGE with the chosen factor (answer).
// PASSWORD and PASSWORD_SRP may come with the password or SRP_A; without
// them, a PASSWORD or PASSWORD_SRP challenge with the same sign-in asks for
// them, and is answered here too.
func (s *Service) selectChallenge(ctx context.Context, c store.Client, p store.Pool, in RespondInput, answer string) (AuthResult, error) {
	r := in.Responses
	if r["USERNAME"] == "" {
		return AuthResult{}, missing("USERNAME")
	}
	if answer == "" {
		return AuthResult{}, missing("ANSWER")
	}
	st, err := s.openState(in.Session, stepSelectChallenge, c.ID)
	if err != nil {
		return AuthResult{}, err
	}
	if st.PoolID != p.ID {
		return AuthResult{}, errInvalidSession
	}
	if err := clientauth.CheckSecretHash(c, r["SECRET_HASH"], r["USERNAME"], st.Username, st.Typed); err != nil {
		return AuthResult{}, err
	}
	if answer == FactorWebAuthn {
		return AuthResult{}, apierr.New(apierr.UnsupportedOperation, "The WEB_AUTHN first factor is not supported by Cognate yet.")
	}
	if !slices.Contains(st.Factors, answer) {
		return AuthResult{}, apierr.Newf(apierr.InvalidParameter, "Invalid ANSWER: choose one of %s.", factorList(st.Factors))
	}
	params := map[string]string{"USERNAME": st.Typed, "SECRET_HASH": r["SECRET_HASH"], "DEVICE_KEY": st.Device}
	switch answer {
	case FactorPassword, FactorPasswordSRP:
		key := "PASSWORD"
		if answer == FactorPasswordSRP {
			key = "SRP_A"
		}
		if r[key] == "" {
			next := s.nextState(stepSelectChallenge, st)
			next.Factors = []string{answer}
			return AuthResult{ChallengeName: answer, Session: s.sealState(next), ChallengeParameters: map[string]string{}}, nil
		}
		params[key] = r[key]
		if answer == FactorPassword {
			return s.passwordAuth(ctx, c, p, params, st.Nonce)
		}
		return s.startSRP(ctx, c, p, params, st.Nonce)
	}
	if st.Sub == "" {
		return AuthResult{}, errBadCredentials
	}
	u, err := s.userBySub(ctx, p, st.Sub)
	if err != nil {
		return AuthResult{}, err
	}
	if !u.Enabled {
		return AuthResult{}, errUserDisabled
	}
	if !canUseFirstFactor(u, answer) {
		return AuthResult{}, apierr.Newf(apierr.InvalidParameter, "Invalid ANSWER: choose one of %s.", factorList(firstFactors(p, u)))
	}
	return s.firstFactorCode(ctx, p, u, s.nextState(stepMFA, st), answer)
}

// UserAuthFactors returns the caller of GetUserAuthFactors and the first
// factors of USER_AUTH it can use in its pool (ConfiguredUserAuthFactors):
// PASSWORD, EMAIL_OTP, SMS_OTP. PASSWORD_SRP is not an AuthFactorType; it
// goes with PASSWORD.
func (s *Service) UserAuthFactors(ctx context.Context, token string) (store.User, []string, error) {
	caller, err := s.authenticate(ctx, token)
	if err != nil {
		return store.User{}, nil, err
	}
	p, err := s.Pool(ctx, caller.Pool.ID)
	if err != nil {
		return store.User{}, nil, err
	}
	factors := slices.DeleteFunc(firstFactors(p, caller.User), func(f string) bool { return f == FactorPasswordSRP })
	return caller.User, factors, nil
}
