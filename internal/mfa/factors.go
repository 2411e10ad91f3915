// Package mfa holds the rules of second factors that user pools and sign-in
// share: the factors a pool offers and a user can receive, their order, and
// TOTP authenticators as Cognito runs them (RFC 6238).
package mfa

import (
	"slices"

	"github.com/cognate-auth/cognate/internal/store"
)

// MfaConfiguration values of a pool.
const (
	Off      = "OFF"
	On       = "ON"
	Optional = "OPTIONAL"
)

// PoolFactors lists the factors a pool offers, in Cognito's order.
func PoolFactors(m store.PoolMFA) []string {
	var out []string
	if m.SMS {
		out = append(out, store.MFASMS)
	}
	if m.TOTP {
		out = append(out, store.MFATOTP)
	}
	if m.Email {
		out = append(out, store.MFAEmail)
	}
	return out
}

// CanReceive reports whether u has somewhere to receive a factor's codes: a
// phone number for SMS, an email address for email, a verified
// authenticator for TOTP.
func CanReceive(u store.User, factor string) bool {
	switch factor {
	case store.MFASMS:
		return u.Attributes["phone_number"] != ""
	case store.MFAEmail:
		return u.Attributes["email"] != ""
	case store.MFATOTP:
		return u.MFA != nil && u.MFA.TOTP != nil
	}
	return false
}

// Compare orders factors as Cognito lists them: SMS, TOTP, email.
func Compare(a, b string) int {
	rank := func(f string) int { return slices.Index([]string{store.MFASMS, store.MFATOTP, store.MFAEmail}, f) }
	return rank(a) - rank(b)
}

// Enable adds a factor to u's enabled ones (in place).
func Enable(u *store.User, factor string) {
	m := store.UserMFA{}
	if u.MFA != nil {
		m = *u.MFA
	}
	if !slices.Contains(m.Enabled, factor) {
		m.Enabled = append(slices.Clone(m.Enabled), factor)
		slices.SortFunc(m.Enabled, Compare)
	}
	u.MFA = &m
}

// Has reports whether u enabled a factor.
func Has(u store.User, factor string) bool {
	return u.MFA != nil && slices.Contains(u.MFA.Enabled, factor)
}
