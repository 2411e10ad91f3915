package signin

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/codes"
	"github.com/cognate-auth/cognate/internal/guard"
	"github.com/cognate-auth/cognate/internal/mfa"
	"github.com/cognate-auth/cognate/internal/store"
)

// MFA during sign-in. Once the password (and any new password) passed,
// planMFA decides what the pool and the user call for: a code of one
// factor, a choice among several (SELECT_MFA_TYPE), or setting one up
// (MFA_SETUP). Each step hands the client a sealed state that carries the
// sign-in's nonce, so the tokens that end it have the origin_jti of the
// sign-in and a replayed last step is refused like the others.
//
// SMS and email codes, of MFA and of USER_AUTH's passwordless first
// factors, live hashed in the user's codes, tied to the sign-in and
// expiring with its session; wrong answers, of every factor, are counted
// there, and mfaMaxAttempts of them end the sign-in. Sending codes spends a
// budget of the user's (codeSends), so that nobody can flood a user's phone
// or mailbox.

const (
	purposeMFA = "SignInMFA"
	// mfaMaxAttempts wrong codes end a sign-in.
	mfaMaxAttempts = 5
	// timingCode names the real runs of storing and sending a sign-in
	// code, which a decoy's code challenge waits as long as.
	timingCode = "signin-code"
)

// codeSends is the budget of sign-in codes sent to one user.
var codeSends = guard.Limit{Total: 20, PerSource: 10, Window: time.Hour}

var (
	errCodeMismatch     = apierr.New(apierr.CodeMismatch, "Invalid code or auth state for the user.")
	errTOTPCodeMismatch = apierr.New(apierr.CodeMismatch, "Invalid code received for user")
	errTOTPReused       = apierr.New(apierr.CodeMismatch, "Your software token has already been used once.")
	errSessionSpent     = apierr.New(apierr.NotAuthorized, "Invalid session for the user.")
)

// codeResponses are the challenge responses that carry each factor's code.
var codeResponses = map[Challenge]string{
	SMSMFA:           "SMS_MFA_CODE",
	SoftwareTokenMFA: "SOFTWARE_TOKEN_MFA_CODE",
	EmailOTP:         "EMAIL_OTP_CODE",
	SMSOTP:           "SMS_OTP_CODE",
}

// mfaPlan is what a sign-in asks of the user after the password: at most
// one member is set; none means no MFA.
type mfaPlan struct {
	Factor string   // a code of this factor
	Choose []string // SELECT_MFA_TYPE among these
	Setup  []string // MFA_SETUP of one of these
}

// planMFA decides the MFA of a sign-in. With MFA OPTIONAL, the factors the
// user enabled and can receive, among those the pool offers, are asked for;
// none, no MFA. With MFA ON, a user who enabled none is asked for the
// offered factors it can receive anyway (a phone number for SMS, an email
// address for email, a verified authenticator), and one who can receive
// none must set one up. Of several factors the preferred one is asked for;
// without a preference the user chooses.
func planMFA(p store.Pool, u store.User) mfaPlan {
	mode, offered := p.Settings.MFAConfiguration, mfa.PoolFactors(p.Settings.MFA)
	if (mode != mfa.On && mode != mfa.Optional) || len(offered) == 0 {
		return mfaPlan{}
	}
	usable := func(f string) bool { return slices.Contains(offered, f) && mfa.CanReceive(u, f) }
	var factors []string
	if u.MFA != nil {
		factors = slices.DeleteFunc(slices.Clone(u.MFA.Enabled), func(f string) bool { return !usable(f) })
	}
	if len(factors) == 0 && mode == mfa.On {
		factors = slices.DeleteFunc(slices.Clone(offered), func(f string) bool { return !usable(f) })
		if len(factors) == 0 {
			return mfaPlan{Setup: offered}
		}
	}
	slices.SortFunc(factors, mfa.Compare)
	switch {
	case len(factors) == 0:
		return mfaPlan{}
	case len(factors) == 1:
		return mfaPlan{Factor: factors[0]}
	case u.MFA != nil && slices.Contains(factors, u.MFA.Preferred):
		return mfaPlan{Factor: u.MFA.Preferred}
	}
	return mfaPlan{Choose: factors}
}

// factorList renders factors as Cognito's challenge parameters carry them:
// a JSON array, `["SMS_MFA","SOFTWARE_TOKEN_MFA"]`.
func factorList(factors []string) string {
	b, _ := json.Marshal(factors)
	return string(b)
}

// factorAttribute is the attribute a factor's codes go to.
func factorAttribute(factor string) string {
	if factor == string(EmailOTP) {
		return "email"
	}
	return "phone_number"
}

// mfaSession names a sign-in in the codes it leaves on the user: a digest
// of its nonce, which stays unguessable although origin_jti is public.
func mfaSession(nonce []byte) string {
	sum := sha256.Sum256(append([]byte("cognate/mfa-session\x00"), nonce...))
	return base64.RawURLEncoding.EncodeToString(sum[:12])
}

// mfaChallenge asks for a code of factor, sending it first for SMS and
// email. setup marks a factor being set up, which the right code enables.
func (e *Engine) mfaChallenge(ctx context.Context, a *attempt, u store.User, prev state, factor string, setup bool) (Result, error) {
	st := e.next(stepMFA, prev)
	st.Factor, st.Setup = factor, setup
	params := map[string]string{"USER_ID_FOR_SRP": u.Username}
	switch Challenge(factor) {
	case SoftwareTokenMFA:
		if u.MFA != nil && u.MFA.TOTP != nil && u.MFA.TOTP.FriendlyName != "" {
			params["FRIENDLY_DEVICE_NAME"] = u.MFA.TOTP.FriendlyName
		}
	case SMSMFA, EmailOTP, SMSOTP:
		d, err := e.sendCode(ctx, a, u, st, factor)
		if err != nil {
			return Result{}, err
		}
		params["CODE_DELIVERY_DELIVERY_MEDIUM"], params["CODE_DELIVERY_DESTINATION"] = d.Medium, d.Destination
	}
	return Result{Challenge: Challenge(factor), Session: e.seal(st), Parameters: params}, nil
}

// sendCode spends the user's budget, stores a new code for the sign-in of
// st and sends it.
func (e *Engine) sendCode(ctx context.Context, a *attempt, u store.User, st state, factor string) (Delivery, error) {
	if err := e.guard.Spend(ctx, guard.User(a.pool.ID, u.Sub), "signin-code", a.source(ctx), codeSends); err != nil {
		return Delivery{}, err
	}
	start := time.Now()
	attr, code, sid := factorAttribute(factor), codes.New(e.rand), mfaSession(st.Nonce)
	u, err := e.dir.UpdateUser(ctx, a.pool, u, func(u *store.User) error {
		if u.Codes == nil {
			u.Codes = map[string]store.Code{}
		}
		u.Codes[purposeMFA] = store.Code{Hash: e.codes.Hash(u.PoolID, u.Sub, purposeMFA+"\x00"+sid, code), ExpiresAt: st.expiry(), Destination: attr, Session: sid}
		return nil
	})
	if err != nil {
		return Delivery{}, err
	}
	d, err := e.dir.SendCode(ctx, a.pool, a.client, u, attr, code, a.meta)
	if err == nil {
		e.timing.Observe(timingCode, start)
	}
	return d, err
}

// decoyCodeChallenge is a decoy's challenge for a code of factor (a
// passwordless first factor): it spends the decoy's budget, takes as long
// as storing and sending a code does, and reports a stable destination.
// No code exists; every answer is wrong.
func (e *Engine) decoyCodeChallenge(ctx context.Context, a *attempt, s signer, prev state, factor string) (Result, error) {
	st := e.next(stepMFA, prev)
	st.Factor = factor
	if err := e.guard.Spend(ctx, s.subject, "signin-code", a.source(ctx), codeSends); err != nil {
		return Result{}, err
	}
	start := time.Now()
	attr := factorAttribute(factor)
	medium := "SMS"
	if attr == "email" {
		medium = "EMAIL"
	}
	e.timing.Wait(ctx, timingCode, start)
	return Result{Challenge: Challenge(factor), Session: e.seal(st), Parameters: map[string]string{
		"USER_ID_FOR_SRP":               s.username(),
		"CODE_DELIVERY_DELIVERY_MEDIUM": medium,
		"CODE_DELIVERY_DESTINATION":     decoyDestination(*s.decoy, attr),
	}}, nil
}

// answerCode returns the answer of a code challenge: SMS_MFA, EMAIL_OTP,
// SMS_OTP or SOFTWARE_TOKEN_MFA. A right code goes on to the sign-in's
// device or ends it with tokens. A right SMS or email code also marks its
// phone number or email address verified, as Cognito does after a first
// MFA.
func answerCode(ch Challenge) func(e *Engine, ctx context.Context, a *attempt) (Result, error) {
	return func(e *Engine, ctx context.Context, a *attempt) (Result, error) {
		return e.answerCode(ctx, a, ch)
	}
}

func (e *Engine) answerCode(ctx context.Context, a *attempt, ch Challenge) (Result, error) {
	st, code := a.state, a.params[codeResponses[ch]]
	s, err := e.resume(ctx, a)
	if err != nil {
		return Result{}, err
	}
	if s.isDecoy() {
		return Result{}, e.decoyCodeAnswer(ctx, s, st)
	}
	u := s.user
	if !u.Enabled {
		return Result{}, errUserDisabled
	}
	if st.Factor != string(ch) {
		return Result{}, errSessionSpent
	}
	var codeErr error
	u, err = e.dir.UpdateUser(ctx, a.pool, u, func(u *store.User) error {
		codeErr = e.checkCode(u, st, code)
		if codeErr != nil || st.Factor == string(SoftwareTokenMFA) {
			return nil // keep the counted attempt
		}
		if u.Attributes == nil {
			u.Attributes = map[string]string{}
		}
		u.Attributes[factorAttribute(st.Factor)+"_verified"] = "true"
		if st.Setup {
			mfa.Enable(u, st.Factor)
		}
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	if codeErr != nil {
		return Result{}, codeErr
	}
	return e.afterMFA(ctx, a, u, st)
}

// decoyCodeAnswer answers a decoy's code as a user's wrong code is
// answered: a mismatch, counted, until the sign-in is spent.
func (e *Engine) decoyCodeAnswer(ctx context.Context, s signer, st state) error {
	lim := guard.Limit{Total: mfaMaxAttempts, Window: time.Until(st.expiry()) + time.Minute}
	err := e.guard.Spend(ctx, s.subject, "code-answers/"+mfaSession(st.Nonce), "", lim)
	if errors.Is(err, guard.ErrLimitExceeded) {
		return errSessionSpent
	}
	if err != nil {
		return err
	}
	return errCodeMismatch
}

// checkCode checks the answer to the code step st against u (in place): a
// right code is used up, a wrong one counted.
func (e *Engine) checkCode(u *store.User, st state, code string) error {
	sid := mfaSession(st.Nonce)
	if u.Codes == nil {
		u.Codes = map[string]store.Code{}
	}
	slot, bound := u.Codes[purposeMFA]
	bound = bound && slot.Session == sid
	if bound && slot.Attempts >= mfaMaxAttempts {
		return errSessionSpent
	}
	var err error
	switch {
	case st.Factor == string(SoftwareTokenMFA):
		err = e.useTOTPCode(u, code)
		if err == errTOTPReused {
			return err
		}
	case !bound || e.clock().After(slot.ExpiresAt):
		// Another sign-in of the user sent a newer code, or this one's
		// expired: there is nothing to guess.
		return errCodeMismatch
	case subtle.ConstantTimeCompare(slot.Hash, e.codes.Hash(u.PoolID, u.Sub, purposeMFA+"\x00"+sid, code)) != 1:
		err = errCodeMismatch
	}
	if err == nil {
		if bound {
			delete(u.Codes, purposeMFA)
		}
		return nil
	}
	if !bound {
		slot = store.Code{Session: sid, ExpiresAt: st.expiry()}
	}
	slot.Attempts++
	if slot.Attempts >= mfaMaxAttempts {
		slot.Hash = nil // burnt: the sign-in must start again
	}
	u.Codes[purposeMFA] = slot
	return err
}

// useTOTPCode checks a code of u's authenticator and records its time step,
// so that the code, or any earlier one, is not accepted again.
func (e *Engine) useTOTPCode(u *store.User, code string) error {
	if u.MFA == nil || u.MFA.TOTP == nil {
		return errTOTPCodeMismatch
	}
	step, ok := mfa.MatchTOTP(u.MFA.TOTP.Secret, code, e.now())
	if !ok {
		return errTOTPCodeMismatch
	}
	if step <= u.MFA.TOTP.LastStep {
		return errTOTPReused
	}
	m, totp := *u.MFA, *u.MFA.TOTP
	totp.LastStep = step
	m.TOTP = &totp
	u.MFA = &m
	return nil
}

// selectMFA answers SELECT_MFA_TYPE: the chosen factor's challenge follows.
// EMAIL_MFA is taken for EMAIL_OTP, as the API reference names it so.
func (e *Engine) selectMFA(ctx context.Context, a *attempt) (Result, error) {
	u, err := e.user(ctx, a)
	if err != nil {
		return Result{}, err
	}
	answer := a.params["ANSWER"]
	if answer == "EMAIL_MFA" {
		answer = string(EmailOTP)
	}
	if !slices.Contains(a.state.Factors, answer) || !mfa.CanReceive(u, answer) {
		return Result{}, apierr.Newf(apierr.InvalidParameter, "Invalid ANSWER: choose one of %s.", factorList(a.state.Factors))
	}
	return e.mfaChallenge(ctx, a, u, a.state, answer, false)
}

// answerMFASetup answers MFA_SETUP. With the session VerifySoftwareToken
// returned, the authenticator is set up and the sign-in goes on as after
// an MFA code. With an EMAIL response (an address, for a pool that offers
// email MFA) to the MFA_SETUP session itself, the address becomes the
// user's email and an EMAIL_OTP challenge follows, whose code verifies it
// and enables email MFA.
func (e *Engine) answerMFASetup(ctx context.Context, a *attempt) (Result, error) {
	u, err := e.user(ctx, a)
	if err != nil {
		return Result{}, err
	}
	email := a.params["EMAIL"]
	switch {
	case a.state.Kind == stepTOTPVerified && email == "":
		return e.afterMFA(ctx, a, u, a.state)
	case a.state.Kind != stepMFASetup || email == "":
		return Result{}, errBadSession
	}
	if !slices.Contains(a.state.Factors, store.MFAEmail) {
		return Result{}, apierr.New(apierr.InvalidParameter, "Email MFA is not enabled for this user pool.")
	}
	u, err = e.dir.SetEmail(ctx, a.pool, a.client, u, email)
	if err != nil {
		return Result{}, err
	}
	if u.MFA == nil {
		u.MFA = &store.UserMFA{}
	}
	return e.mfaChallenge(ctx, a, u, a.state, store.MFAEmail, true)
}

// AssociateSoftwareToken, during a sign-in that asked for MFA_SETUP, gives
// a new TOTP seed as Cognito's SecretCode and the session to verify it
// with. The seed travels in that session until VerifySoftwareToken stores
// it.
func (e *Engine) AssociateSoftwareToken(ctx context.Context, session string) (secret, nextSession string, err error) {
	st, err := e.open(session, "", stepMFASetup)
	if err != nil {
		return "", "", err
	}
	seed, err := mfa.NewTOTPSeed(e.rand)
	if err != nil {
		return "", "", apierr.Internal(err)
	}
	next := e.next(stepTOTPAssociated, st)
	next.Factors, next.TOTPSeed = st.Factors, seed
	return mfa.SecretCode(seed), e.seal(next), nil
}

// VerifySoftwareToken, during sign-in, registers the seed
// AssociateSoftwareToken gave once code is one of its codes, and enables
// TOTP; it returns the session MFA_SETUP is answered with. The code is used
// up: it cannot also sign in.
func (e *Engine) VerifySoftwareToken(ctx context.Context, session, code, friendlyName string) (nextSession string, err error) {
	st, err := e.open(session, "", stepTOTPAssociated)
	if err != nil {
		return "", err
	}
	p, err := e.dir.Pool(ctx, st.PoolID)
	if err != nil {
		return "", err
	}
	u, err := e.user(ctx, &attempt{pool: p, state: st})
	if err != nil {
		return "", err
	}
	_, err = e.dir.UpdateUser(ctx, p, u, func(u *store.User) error {
		if err := mfa.Register(u, store.TOTPAuthenticator{Secret: st.TOTPSeed, CreatedAt: e.clock()}, code, friendlyName, e.now()); err != nil {
			return err
		}
		mfa.Enable(u, store.MFATOTP)
		return nil
	})
	if err != nil {
		return "", err
	}
	return e.seal(e.next(stepTOTPVerified, st)), nil
}

// skipsMFA reports whether a sign-in with device d skips MFA: d is
// remembered, and the pool lets remembered devices replace MFA.
func skipsMFA(p store.Pool, d *store.Device) bool {
	cfg := p.Settings.Devices
	return d != nil && d.Remembered && cfg != nil && cfg.ChallengeRequiredOnNewDevice
}
