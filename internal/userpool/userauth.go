package userpool

import (
	"context"
	"slices"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/signin"
	"github.com/cognate-auth/cognate/internal/store"
)

// Choice-based sign-in (USER_AUTH) runs in package signin; the pool's
// setting of its first factors and GetUserAuthFactors are the pool's.

// First factors of USER_AUTH (AuthFactorType), also the values of a pool's
// AllowedFirstAuthFactors.
const (
	FactorPassword    = string(signin.Password)
	FactorPasswordSRP = string(signin.PasswordSRP)
	FactorEmailOTP    = string(signin.EmailOTP)
	FactorSMSOTP      = string(signin.SMSOTP)
	FactorWebAuthn    = signin.WebAuthn
)

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
	factors := slices.DeleteFunc(signin.UserFirstFactors(p, caller.User), func(f string) bool { return f == FactorPasswordSRP })
	return caller.User, factors, nil
}
