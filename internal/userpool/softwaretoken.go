package userpool

import (
	"context"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/mfa"
	"github.com/cognate-auth/cognate/internal/store"
)

// TOTP authenticators: AssociateSoftwareToken gives a seed, and
// VerifySoftwareToken registers it once the user's app produced a right code
// from it. Here both are authorised by the user's access token; during a
// sign-in that asked for MFA_SETUP they are the sign-in engine's, with the
// sign-in's session.
//
// The seed waits in the user's record as PendingTOTP; a verified
// authenticator stays in use until the new one is verified, and using TOTP
// still needs SetUserMFAPreference.

// VerifySoftwareToken statuses.
const (
	TOTPVerified = "SUCCESS"
)

var errTOTPNotAssociated = apierr.New(apierr.SoftwareTokenMFANotFound, "Software Token MFA does not exist for the user.")

// AssociateSoftwareToken gives the caller a new TOTP seed as Cognito's
// SecretCode.
func (s *Service) AssociateSoftwareToken(ctx context.Context, accessToken string) (secret string, err error) {
	seed, err := mfa.NewTOTPSeed(s.rand)
	if err != nil {
		return "", apierr.Internal(err)
	}
	caller, err := s.Authenticate(ctx, accessToken)
	if err != nil {
		return "", err
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
		return "", err
	}
	return mfa.SecretCode(seed), nil
}

// VerifySoftwareTokenInput is a VerifySoftwareToken request.
type VerifySoftwareTokenInput struct {
	AccessToken        string
	UserCode           string
	FriendlyDeviceName string
}

// VerifySoftwareToken registers the seed AssociateSoftwareToken gave the
// caller once the code is one of its codes, and returns the status.
func (s *Service) VerifySoftwareToken(ctx context.Context, in VerifySoftwareTokenInput) (status string, err error) {
	caller, err := s.Authenticate(ctx, in.AccessToken)
	if err != nil {
		return "", err
	}
	_, err = s.updateUser(ctx, caller.Pool, caller.User, func(u *store.User) error {
		if u.MFA == nil || u.MFA.PendingTOTP == nil {
			return errTOTPNotAssociated
		}
		return mfa.Register(u, *u.MFA.PendingTOTP, in.UserCode, in.FriendlyDeviceName, s.now())
	})
	if err != nil {
		return "", err
	}
	return TOTPVerified, nil
}
