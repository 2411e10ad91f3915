package userpool

import (
	"context"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/mfa"
	"github.com/cognate-auth/cognate/internal/store"
)

// TOTP authenticators: AssociateSoftwareToken gives a seed, and
// VerifySoftwareToken registers it once the user's app produced a right code
// from it. Either is authorised by the user's access token or, during a
// sign-in that asked for MFA_SETUP, by the sign-in's session.
//
// With an access token, the seed waits in the user's record as
// PendingTOTP; a verified authenticator stays in use until the new one is
// verified, and using TOTP still needs SetUserMFAPreference. During sign-in
// the seed travels in the sealed session, and verifying it enables TOTP and
// returns the session that MFA_SETUP is answered with.

// VerifySoftwareToken statuses.
const (
	TOTPVerified = "SUCCESS"
)

var (
	errTOTPVerifyMismatch = apierr.New(apierr.EnableSoftwareTokenMFA, "Code mismatch and fail enable Software Token MFA")
	errTOTPNotAssociated  = apierr.New(apierr.SoftwareTokenMFANotFound, "Software Token MFA does not exist for the user.")
)

// oneOf checks that exactly one of an access token and a session came.
func oneOf(accessToken, session string) error {
	switch {
	case accessToken != "" && session != "":
		return apierr.New(apierr.InvalidParameter, "Only one of AccessToken or Session can be provided.")
	case accessToken == "" && session == "":
		return apierr.New(apierr.InvalidParameter, "Either AccessToken or Session must be provided.")
	}
	return nil
}

// AssociateSoftwareToken gives a new TOTP seed as Cognito's SecretCode and,
// when called with a session, the session to verify it with.
func (s *Service) AssociateSoftwareToken(ctx context.Context, accessToken, session string) (secret, nextSession string, err error) {
	if err := oneOf(accessToken, session); err != nil {
		return "", "", err
	}
	seed, err := mfa.NewTOTPSeed(s.rand)
	if err != nil {
		return "", "", apierr.Internal(err)
	}
	if session != "" {
		st, err := s.openState(session, stepMFASetup, "")
		if err != nil {
			return "", "", err
		}
		next := s.nextState(stepTOTPAssociated, st)
		next.Factors, next.TOTPSeed = st.Factors, seed
		return mfa.SecretCode(seed), s.sealState(next), nil
	}
	caller, err := s.Authenticate(ctx, accessToken)
	if err != nil {
		return "", "", err
	}
	_, err = s.updateUser(ctx, caller.Pool, caller.User, func(u *store.User) error {
		m := store.UserMFA{}
		if u.MFA != nil {
			m = *u.MFA
		}
		m.PendingTOTP = &store.TOTPAuthenticator{Secret: seed, CreatedAt: s.clock()}
		u.MFA = &m
		return nil
	})
	if err != nil {
		return "", "", err
	}
	return mfa.SecretCode(seed), "", nil
}

// VerifySoftwareTokenInput is a VerifySoftwareToken request.
type VerifySoftwareTokenInput struct {
	AccessToken        string
	Session            string
	UserCode           string
	FriendlyDeviceName string
}

// VerifySoftwareToken registers the seed AssociateSoftwareToken gave once
// code is one of its codes. It returns the status and, when called with a
// session, the session to answer MFA_SETUP with. The code is used up: it
// cannot also sign in.
func (s *Service) VerifySoftwareToken(ctx context.Context, in VerifySoftwareTokenInput) (status, nextSession string, err error) {
	if err := oneOf(in.AccessToken, in.Session); err != nil {
		return "", "", err
	}
	if in.Session != "" {
		return s.verifySetupToken(ctx, in)
	}
	caller, err := s.Authenticate(ctx, in.AccessToken)
	if err != nil {
		return "", "", err
	}
	_, err = s.updateUser(ctx, caller.Pool, caller.User, func(u *store.User) error {
		if u.MFA == nil || u.MFA.PendingTOTP == nil {
			return errTOTPNotAssociated
		}
		return s.registerTOTP(u, *u.MFA.PendingTOTP, in)
	})
	if err != nil {
		return "", "", err
	}
	return TOTPVerified, "", nil
}

// verifySetupToken is VerifySoftwareToken during sign-in: the verified
// authenticator also becomes an enabled factor.
func (s *Service) verifySetupToken(ctx context.Context, in VerifySoftwareTokenInput) (string, string, error) {
	st, err := s.openState(in.Session, stepTOTPAssociated, "")
	if err != nil {
		return "", "", err
	}
	p, err := s.store.GetPool(ctx, st.PoolID)
	if err != nil {
		return "", "", storeErr(err, st.PoolID)
	}
	u, err := s.userBySub(ctx, p, st.Sub)
	if err != nil {
		return "", "", err
	}
	if !u.Enabled {
		return "", "", errUserDisabled
	}
	_, err = s.updateUser(ctx, p, u, func(u *store.User) error {
		if err := s.registerTOTP(u, store.TOTPAuthenticator{Secret: st.TOTPSeed, CreatedAt: s.clock()}, in); err != nil {
			return err
		}
		mfa.Enable(u, store.MFATOTP)
		return nil
	})
	if err != nil {
		return "", "", err
	}
	return TOTPVerified, s.sealState(s.nextState(stepTOTPVerified, st)), nil
}

// registerTOTP makes a the user's authenticator (in place) if code is one of
// its codes, recording the code's step so that it is not used again.
func (s *Service) registerTOTP(u *store.User, a store.TOTPAuthenticator, in VerifySoftwareTokenInput) error {
	step, ok := mfa.MatchTOTP(a.Secret, in.UserCode, s.now())
	if !ok {
		return errTOTPVerifyMismatch
	}
	a.LastStep, a.FriendlyName = step, in.FriendlyDeviceName
	m := store.UserMFA{}
	if u.MFA != nil {
		m = *u.MFA
	}
	m.TOTP, m.PendingTOTP = &a, nil
	u.MFA = &m
	return nil
}
