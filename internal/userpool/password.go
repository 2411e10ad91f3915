package userpool

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/srp"
	"github.com/cognate-auth/cognate/internal/store"
)

// passwordSymbols are the characters Cognito counts as symbols.
const passwordSymbols = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- "

// checkPassword enforces a pool's password policy, reporting the first
// rule broken the way Cognito words it.
func checkPassword(pp store.PasswordPolicy, password string) error {
	fail := func(why string) error {
		return apierr.New(apierr.InvalidPassword, "Password did not conform with policy: "+why)
	}
	if utf8.RuneCountInString(password) < max(pp.MinimumLength, 6) {
		return fail("Password not long enough")
	}
	if strings.HasPrefix(password, " ") || strings.HasSuffix(password, " ") {
		return apierr.New(apierr.InvalidPassword, "Password did not conform with policy: Password must not begin or end with a space")
	}
	var upper, lower, number, symbol bool
	for _, r := range password {
		switch {
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		case r >= '0' && r <= '9':
			number = true
		case strings.ContainsRune(passwordSymbols, r):
			symbol = true
		}
	}
	switch {
	case pp.RequireLowercase && !lower:
		return fail("Password must have lowercase characters")
	case pp.RequireUppercase && !upper:
		return fail("Password must have uppercase characters")
	case pp.RequireNumbers && !number:
		return fail("Password must have numeric characters")
	case pp.RequireSymbols && !symbol:
		return fail("Password must have symbol characters")
	}
	return nil
}

// newVerifier derives what Cognate keeps of a password.
func newVerifier(poolID, username, password string) (*store.PasswordVerifier, error) {
	salt, err := srp.NewSalt()
	if err != nil {
		return nil, apierr.Internal(err)
	}
	return &store.PasswordVerifier{Salt: salt, Verifier: srp.ComputeVerifier(poolName(poolID), username, password, salt)}, nil
}

// passwordMatches checks a password against a user's verifier.
func passwordMatches(poolID string, u store.User, password string) bool {
	return u.Password != nil && srp.CheckPassword(poolName(poolID), u.Username, password, u.Password.Salt, u.Password.Verifier)
}

// temporaryPassword generates a password that satisfies the policy.
func (s *Service) temporaryPassword(pp store.PasswordPolicy) string {
	const upper, lower, symbols = "ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz", "^$*.!@#%&"
	n := max(pp.MinimumLength, 12)
	pw := randomString(s.rand, upper, 1) + randomString(s.rand, lower, 1) + randomString(s.rand, digits, 1) +
		randomString(s.rand, symbols, 1) + randomString(s.rand, mixedAlnum, n-4)
	return pw
}
