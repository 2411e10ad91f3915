package signin

import (
	"slices"
	"testing"

	"github.com/cognate-auth/cognate/internal/mfa"
	"github.com/cognate-auth/cognate/internal/store"
)

func mfaPool(mode string, m store.PoolMFA) store.Pool {
	return store.Pool{Settings: store.PoolSettings{MFAConfiguration: mode, MFA: m}}
}

// mfaUser has a phone number and an email address, a verified
// authenticator when totp is set, and the given factors enabled.
func mfaUser(totp bool, preferred string, enabled ...string) store.User {
	u := store.User{Attributes: map[string]string{"email": "a@x.io", "phone_number": "+15550000000"},
		MFA: &store.UserMFA{Enabled: enabled, Preferred: preferred}}
	if totp {
		u.MFA.TOTP = &store.TOTPAuthenticator{Secret: []byte("12345678901234567890")}
	}
	return u
}

func TestPlanMFA(t *testing.T) {
	all := store.PoolMFA{SMS: true, TOTP: true, Email: true}
	totpOnly := store.PoolMFA{TOTP: true}
	noContact := store.User{}
	cases := []struct {
		name string
		pool store.Pool
		user store.User
		want mfaPlan
	}{
		{"MFA off", mfaPool(mfa.Off, all), mfaUser(true, "", store.MFATOTP), mfaPlan{}},
		{"optional, nothing enabled", mfaPool(mfa.Optional, all), mfaUser(true, ""), mfaPlan{}},
		{"optional, TOTP enabled", mfaPool(mfa.Optional, all), mfaUser(true, "", store.MFATOTP), mfaPlan{Factor: store.MFATOTP}},
		{"optional, SMS enabled", mfaPool(mfa.Optional, all), mfaUser(false, "", store.MFASMS), mfaPlan{Factor: store.MFASMS}},
		{"optional, enabled factor the pool does not offer", mfaPool(mfa.Optional, totpOnly), mfaUser(false, "", store.MFASMS), mfaPlan{}},
		{"optional, two enabled, none preferred", mfaPool(mfa.Optional, all), mfaUser(true, "", store.MFAEmail, store.MFATOTP),
			mfaPlan{Choose: []string{store.MFATOTP, store.MFAEmail}}},
		{"optional, two enabled, one preferred", mfaPool(mfa.Optional, all), mfaUser(true, store.MFAEmail, store.MFATOTP, store.MFAEmail),
			mfaPlan{Factor: store.MFAEmail}},
		{"optional, preferred factor the pool does not offer", mfaPool(mfa.Optional, store.PoolMFA{SMS: true, Email: true}),
			mfaUser(true, store.MFATOTP, store.MFATOTP, store.MFASMS, store.MFAEmail), mfaPlan{Choose: []string{store.MFASMS, store.MFAEmail}}},
		{"on, enabled factor", mfaPool(mfa.On, all), mfaUser(true, "", store.MFATOTP), mfaPlan{Factor: store.MFATOTP}},
		{"on, nothing enabled, phone number", mfaPool(mfa.On, store.PoolMFA{SMS: true, TOTP: true}), mfaUser(false, ""),
			mfaPlan{Factor: store.MFASMS}},
		{"on, nothing enabled, several receivable", mfaPool(mfa.On, all), mfaUser(true, ""),
			mfaPlan{Choose: []string{store.MFASMS, store.MFATOTP, store.MFAEmail}}},
		{"on, nothing receivable", mfaPool(mfa.On, all), noContact, mfaPlan{Setup: []string{store.MFASMS, store.MFATOTP, store.MFAEmail}}},
		{"on, TOTP only, no authenticator", mfaPool(mfa.On, totpOnly), mfaUser(false, ""), mfaPlan{Setup: []string{store.MFATOTP}}},
		{"on, pool offers nothing", mfaPool(mfa.On, store.PoolMFA{}), noContact, mfaPlan{}},
	}
	for _, c := range cases {
		got := planMFA(c.pool, c.user)
		if got.Factor != c.want.Factor || !slices.Equal(got.Choose, c.want.Choose) || !slices.Equal(got.Setup, c.want.Setup) {
			t.Errorf("%s: planMFA = %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestUserFirstFactors(t *testing.T) {
	all := store.Pool{Settings: store.PoolSettings{FirstAuthFactors: []string{"PASSWORD", "EMAIL_OTP", "SMS_OTP"}}}
	verified := store.User{Sub: "s", Status: store.StatusConfirmed, Password: &store.PasswordVerifier{},
		Attributes: map[string]string{"email": "a@example.com", "email_verified": "true", "phone_number": "+15550001234"}}
	cases := []struct {
		name string
		p    store.Pool
		u    store.User
		want []string
	}{
		{"default pool", store.Pool{}, verified, []string{"PASSWORD", "PASSWORD_SRP"}},
		{"phone not verified", all, verified, []string{"PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"}},
		{"no password", all, store.User{Sub: "s", Status: store.StatusConfirmed, Attributes: verified.Attributes}, []string{"EMAIL_OTP"}},
		{"unconfirmed", all, store.User{Sub: "s", Status: store.StatusUnconfirmed, Password: &store.PasswordVerifier{}, Attributes: verified.Attributes},
			[]string{"PASSWORD", "PASSWORD_SRP"}},
	}
	for _, c := range cases {
		if got := UserFirstFactors(c.p, c.u); !slices.Equal(got, c.want) {
			t.Errorf("%s: UserFirstFactors = %v, want %v", c.name, got, c.want)
		}
	}
}
