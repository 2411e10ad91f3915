package userpool

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"slices"
	"time"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/clientauth"
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
// SMS and email codes live hashed in the user's codes, tied to the sign-in
// and expiring with its session; wrong answers, of every factor, are counted
// there, and mfaMaxAttempts of them end the sign-in.

const (
	purposeMFA = "SignInMFA"
	// mfaMaxAttempts wrong codes end a sign-in.
	mfaMaxAttempts = 5
	// messageAuthentication is the purpose of MFA messages in the outbox
	// (Cognito's CustomMessage_Authentication).
	messageAuthentication = "Authentication"
)

var (
	errMFACodeMismatch  = apierr.New(apierr.CodeMismatch, "Invalid code or auth state for the user.")
	errTOTPCodeMismatch = apierr.New(apierr.CodeMismatch, "Invalid code received for user")
	errTOTPReused       = apierr.New(apierr.CodeMismatch, "Your software token has already been used once.")
	errSessionSpent     = apierr.New(apierr.NotAuthorized, "Invalid session for the user.")
)

// mfaCodeKeys are the challenge responses that carry each factor's code.
var mfaCodeKeys = map[string]string{
	ChallengeSMSMFA:   "SMS_MFA_CODE",
	ChallengeTOTPMFA:  "SOFTWARE_TOKEN_MFA_CODE",
	ChallengeEmailOTP: "EMAIL_OTP_CODE",
	ChallengeSMSOTP:   "SMS_OTP_CODE",
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
	if (mode != MFAOn && mode != MFAOptional) || len(offered) == 0 {
		return mfaPlan{}
	}
	usable := func(f string) bool { return slices.Contains(offered, f) && mfa.CanReceive(u, f) }
	var factors []string
	if u.MFA != nil {
		factors = slices.DeleteFunc(slices.Clone(u.MFA.Enabled), func(f string) bool { return !usable(f) })
	}
	if len(factors) == 0 && mode == MFAOn {
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

// finishSignIn ends a sign-in whose password passed: with the MFA challenge
// the pool and the user call for, unless the device skips it; then with the
// device's authentication when the sign-in presented one (dev), else with
// tokens. typed is the name the user signed in with ("" when unknown).
func (s *Service) finishSignIn(ctx context.Context, c store.Client, p store.Pool, u store.User, nonce []byte, typed string, dev *store.Device) (AuthResult, error) {
	plan := planMFA(p, u)
	if skipsMFA(p, dev) {
		plan = mfaPlan{}
	}
	base := authState{PoolID: p.ID, ClientID: c.ID, Sub: u.Sub, Username: u.Username, Typed: typed, Nonce: nonce,
		Minutes: c.Settings.AuthSessionValidity, Device: deviceKeyOf(dev)}
	if plan.Factor == "" && plan.Choose == nil && plan.Setup == nil {
		return s.afterMFA(ctx, c, p, u, base)
	}
	switch {
	case plan.Factor != "":
		return s.mfaChallenge(ctx, p, u, base, plan.Factor, false)
	case plan.Choose != nil:
		st := s.nextState(stepSelectMFA, base)
		st.Factors = plan.Choose
		return AuthResult{ChallengeName: ChallengeSelectMFA, Session: s.sealState(st),
			ChallengeParameters: map[string]string{"MFAS_CAN_CHOOSE": factorList(plan.Choose), "USER_ID_FOR_SRP": u.Username}}, nil
	}
	st := s.nextState(stepMFASetup, base)
	st.Factors = plan.Setup
	return AuthResult{ChallengeName: ChallengeMFASetup, Session: s.sealState(st),
		ChallengeParameters: map[string]string{"MFAS_CAN_SETUP": factorList(plan.Setup), "USER_ID_FOR_SRP": u.Username}}, nil
}

// factorList renders factors as Cognito's challenge parameters carry them:
// a JSON array, `["SMS_MFA","SOFTWARE_TOKEN_MFA"]`.
func factorList(factors []string) string {
	b, _ := json.Marshal(factors)
	return string(b)
}

// mfaChallenge asks for a code of factor, sending it first for SMS and
// email. setup marks a factor being set up, which the right code enables.
func (s *Service) mfaChallenge(ctx context.Context, p store.Pool, u store.User, prev authState, factor string, setup bool) (AuthResult, error) {
	st := s.nextState(stepMFA, prev)
	st.Factor, st.Setup = factor, setup
	params := map[string]string{"USER_ID_FOR_SRP": u.Username}
	switch factor {
	case ChallengeTOTPMFA:
		if name := u.MFA.TOTP.FriendlyName; name != "" {
			params["FRIENDLY_DEVICE_NAME"] = name
		}
	case ChallengeSMSMFA, ChallengeEmailOTP, ChallengeSMSOTP:
		attr := factorAttribute(factor)
		code := s.newCode()
		sid := mfaSession(st.Nonce)
		u, err := s.updateUser(ctx, p, u, func(u *store.User) error {
			if u.Codes == nil {
				u.Codes = map[string]store.Code{}
			}
			u.Codes[purposeMFA] = store.Code{Hash: s.mfaCodeHash(*u, sid, code), ExpiresAt: time.Unix(st.Expires, 0).UTC(),
				Destination: attr, Session: sid}
			return nil
		})
		if err != nil {
			return AuthResult{}, err
		}
		d, err := s.sendMFACode(ctx, p, u, attr, code)
		if err != nil {
			return AuthResult{}, err
		}
		params["CODE_DELIVERY_DELIVERY_MEDIUM"], params["CODE_DELIVERY_DESTINATION"] = d.DeliveryMedium, d.Destination
	}
	return AuthResult{ChallengeName: factor, Session: s.sealState(st), ChallengeParameters: params}, nil
}

// factorAttribute is the attribute a factor's codes go to.
func factorAttribute(factor string) string {
	if factor == ChallengeEmailOTP {
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

func (s *Service) mfaCodeHash(u store.User, session, code string) []byte {
	return s.codeHash(u, purposeMFA+"\x00"+session, code)
}

// sendMFACode sends an MFA code with the pool's MFA templates: the SMS
// authentication message, or the email MFA message and subject.
func (s *Service) sendMFACode(ctx context.Context, p store.Pool, u store.User, attr, code string) (CodeDelivery, error) {
	const body = "Your authentication code is {####}. "
	if attr == "email" {
		m := p.Settings.MFA
		return s.deliver(ctx, p, u, attr, messageAuthentication, code, orDefault(m.EmailSubject, "Your authentication code"),
			orDefault(m.EmailMessage, body))
	}
	return s.deliver(ctx, p, u, attr, messageAuthentication, code, "", orDefault(p.Settings.Messages.SMSAuthenticationMessage, body))
}

// answerMFA checks the code of an SMS_MFA, EMAIL_OTP or SOFTWARE_TOKEN_MFA
// challenge and, when it is right, goes on to the sign-in's device or ends
// it with tokens. A right
// SMS or email code also marks its phone number or email address verified,
// as Cognito does after a first MFA.
func (s *Service) answerMFA(ctx context.Context, c store.Client, p store.Pool, in RespondInput) (AuthResult, error) {
	r, codeKey := in.Responses, mfaCodeKeys[in.ChallengeName]
	if r["USERNAME"] == "" {
		return AuthResult{}, missing("USERNAME")
	}
	if r[codeKey] == "" {
		return AuthResult{}, missing(codeKey)
	}
	st, u, err := s.openMFAStep(ctx, c, p, in.Session, stepMFA, r)
	if err != nil {
		return AuthResult{}, err
	}
	if st.Factor != in.ChallengeName {
		return AuthResult{}, errSessionSpent
	}
	var codeErr error
	u, err = s.updateUser(ctx, p, u, func(u *store.User) error {
		codeErr = s.checkMFACode(u, st, r[codeKey])
		if codeErr != nil {
			return nil // keep the counted attempt
		}
		if st.Factor == ChallengeTOTPMFA {
			return nil
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
		return AuthResult{}, err
	}
	if codeErr != nil {
		return AuthResult{}, codeErr
	}
	return s.afterMFA(ctx, c, p, u, st)
}

// openMFAStep opens the session of an MFA step of this pool and client,
// checks the secret hash and loads the user, who must still be enabled.
func (s *Service) openMFAStep(ctx context.Context, c store.Client, p store.Pool, session, kind string, r map[string]string) (authState, store.User, error) {
	st, err := s.openState(session, kind, c.ID)
	if err != nil {
		return st, store.User{}, err
	}
	if st.PoolID != p.ID {
		return st, store.User{}, errInvalidSession
	}
	if err := clientauth.CheckSecretHash(c, r["SECRET_HASH"], r["USERNAME"], st.Username, st.Typed); err != nil {
		return st, store.User{}, err
	}
	u, err := s.userBySub(ctx, p, st.Sub)
	if err != nil {
		return st, u, err
	}
	if !u.Enabled {
		return st, u, errUserDisabled
	}
	if u.MFA == nil {
		u.MFA = &store.UserMFA{}
	}
	return st, u, nil
}

// checkMFACode checks the answer to the MFA step st against u (in place):
// a right code is used up, a wrong one counted.
func (s *Service) checkMFACode(u *store.User, st authState, code string) error {
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
	case st.Factor == ChallengeTOTPMFA:
		err = s.useTOTPCode(u, code)
		if err == errTOTPReused {
			return err
		}
	case !bound || s.clock().After(slot.ExpiresAt):
		// Another sign-in of the user sent a newer code, or this one's
		// expired: there is nothing to guess.
		return errMFACodeMismatch
	case subtle.ConstantTimeCompare(slot.Hash, s.mfaCodeHash(*u, sid, code)) != 1:
		err = errMFACodeMismatch
	}
	if err == nil {
		if bound {
			delete(u.Codes, purposeMFA)
		}
		return nil
	}
	if !bound {
		slot = store.Code{Session: sid, ExpiresAt: time.Unix(st.Expires, 0).UTC()}
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
func (s *Service) useTOTPCode(u *store.User, code string) error {
	if u.MFA == nil || u.MFA.TOTP == nil {
		return errTOTPCodeMismatch
	}
	step, ok := mfa.MatchTOTP(u.MFA.TOTP.Secret, code, s.now())
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
func (s *Service) selectMFA(ctx context.Context, c store.Client, p store.Pool, in RespondInput) (AuthResult, error) {
	r := in.Responses
	if r["USERNAME"] == "" {
		return AuthResult{}, missing("USERNAME")
	}
	if r["ANSWER"] == "" {
		return AuthResult{}, missing("ANSWER")
	}
	st, u, err := s.openMFAStep(ctx, c, p, in.Session, stepSelectMFA, r)
	if err != nil {
		return AuthResult{}, err
	}
	answer := r["ANSWER"]
	if answer == "EMAIL_MFA" {
		answer = ChallengeEmailOTP
	}
	if !slices.Contains(st.Factors, answer) || !mfa.CanReceive(u, answer) {
		return AuthResult{}, apierr.Newf(apierr.InvalidParameter, "Invalid ANSWER: choose one of %s.", factorList(st.Factors))
	}
	return s.mfaChallenge(ctx, p, u, st, answer, false)
}

// answerMFASetup answers MFA_SETUP. With the session VerifySoftwareToken
// returned, the authenticator is set up and the sign-in goes on as after
// an MFA code.
// With an EMAIL response (an address, for a pool that offers email MFA), the
// address becomes the user's email and an EMAIL_OTP challenge follows, whose
// code verifies it and enables email MFA.
func (s *Service) answerMFASetup(ctx context.Context, c store.Client, p store.Pool, in RespondInput) (AuthResult, error) {
	r := in.Responses
	if r["USERNAME"] == "" {
		return AuthResult{}, missing("USERNAME")
	}
	if email := r["EMAIL"]; email != "" {
		return s.setUpEmailMFA(ctx, c, p, in.Session, email, r)
	}
	st, u, err := s.openMFAStep(ctx, c, p, in.Session, stepTOTPVerified, r)
	if err != nil {
		return AuthResult{}, err
	}
	return s.afterMFA(ctx, c, p, u, st)
}

func (s *Service) setUpEmailMFA(ctx context.Context, c store.Client, p store.Pool, session, email string, r map[string]string) (AuthResult, error) {
	st, u, err := s.openMFAStep(ctx, c, p, session, stepMFASetup, r)
	if err != nil {
		return AuthResult{}, err
	}
	if !slices.Contains(st.Factors, ChallengeEmailOTP) {
		return AuthResult{}, apierr.New(apierr.InvalidParameter, "Email MFA is not enabled for this user pool.")
	}
	u, err = s.updateUser(ctx, p, u, func(u *store.User) error {
		if u.Attributes == nil {
			u.Attributes = map[string]string{}
		}
		if err := applyAttributes(p, &c, byClient, u, []Attribute{{Name: "email", Value: email}}, false); err != nil {
			return err
		}
		u.Attributes["email_verified"] = "false"
		return nil
	})
	if err != nil {
		return AuthResult{}, err
	}
	if u.MFA == nil {
		u.MFA = &store.UserMFA{}
	}
	return s.mfaChallenge(ctx, p, u, st, ChallengeEmailOTP, true)
}
