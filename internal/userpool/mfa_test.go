package userpool

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/store"
)

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

func TestApplyMFAPreference(t *testing.T) {
	on := &MFASetting{Enabled: true}
	preferred := &MFASetting{Enabled: true, Preferred: true}
	off := &MFASetting{}
	cases := []struct {
		name      string
		user      store.User
		pref      MFAPreference
		enabled   []string
		preferred string
		err       string // the exception, "" for none
	}{
		{"enable TOTP", mfaUser(true, ""), MFAPreference{TOTP: on}, []string{store.MFATOTP}, "", ""},
		{"enable TOTP before it is verified", mfaUser(false, ""), MFAPreference{TOTP: preferred}, nil, "", apierr.InvalidParameter},
		{"enable SMS without a phone number", store.User{Attributes: map[string]string{"email": "a@x.io"}},
			MFAPreference{SMS: on}, nil, "", apierr.InvalidParameter},
		{"enable email", mfaUser(false, ""), MFAPreference{Email: preferred}, []string{store.MFAEmail}, store.MFAEmail, ""},
		{"prefer TOTP over SMS", mfaUser(true, store.MFASMS, store.MFASMS), MFAPreference{TOTP: preferred},
			[]string{store.MFASMS, store.MFATOTP}, store.MFATOTP, ""},
		{"factors not sent stay", mfaUser(true, store.MFATOTP, store.MFATOTP, store.MFASMS), MFAPreference{Email: on},
			[]string{store.MFASMS, store.MFATOTP, store.MFAEmail}, store.MFATOTP, ""},
		{"a factor sent without preference is not preferred", mfaUser(true, store.MFATOTP, store.MFATOTP), MFAPreference{TOTP: on},
			[]string{store.MFATOTP}, "", ""},
		{"a factor sent empty is disabled", mfaUser(true, store.MFATOTP, store.MFATOTP, store.MFASMS), MFAPreference{TOTP: off},
			[]string{store.MFASMS}, "", ""},
		{"two preferred", mfaUser(true, ""), MFAPreference{TOTP: preferred, SMS: preferred}, nil, "", apierr.InvalidParameter},
		{"preferred but disabled", mfaUser(true, ""), MFAPreference{SMS: &MFASetting{Preferred: true}}, nil, "", apierr.InvalidParameter},
		{"first preferences", store.User{Attributes: map[string]string{"phone_number": "+15550000000"}},
			MFAPreference{SMS: preferred}, []string{store.MFASMS}, store.MFASMS, ""},
	}
	for _, c := range cases {
		u := c.user
		before, _ := json.Marshal(u.MFA)
		err := applyMFAPreference(&u, c.pref)
		if after, _ := json.Marshal(c.user.MFA); string(after) != string(before) {
			t.Errorf("%s: the user's original settings changed", c.name)
		}
		if c.err != "" {
			if !apierr.HasCode(err, c.err) {
				t.Errorf("%s: err = %v, want %s", c.name, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !slices.Equal(u.MFA.Enabled, c.enabled) || u.MFA.Preferred != c.preferred {
			t.Errorf("%s: enabled %v, preferred %q; want %v, %q", c.name, u.MFA.Enabled, u.MFA.Preferred, c.enabled, c.preferred)
		}
	}
}

func TestApplyPoolMFA(t *testing.T) {
	sms := &store.SMSConfiguration{SNSCallerArn: "arn:aws:iam::000000000000:role/sns"}
	phone := []string{"phone_number"}
	cases := []struct {
		name  string
		prev  store.PoolMFA
		st    store.PoolSettings
		want  store.PoolMFA
		error bool
	}{
		{"off", store.PoolMFA{TOTP: true}, store.PoolSettings{MFAConfiguration: MFAOff}, store.PoolMFA{}, false},
		{"on with SMS", store.PoolMFA{}, store.PoolSettings{MFAConfiguration: MFAOn, SMSConfiguration: sms, AutoVerifiedAttributes: phone},
			store.PoolMFA{SMS: true}, false},
		{"on without an SMS configuration", store.PoolMFA{}, store.PoolSettings{MFAConfiguration: MFAOn, AutoVerifiedAttributes: phone},
			store.PoolMFA{}, true},
		{"optional without phone verification", store.PoolMFA{}, store.PoolSettings{MFAConfiguration: MFAOptional, SMSConfiguration: sms},
			store.PoolMFA{}, true},
		{"on, keeping TOTP", store.PoolMFA{TOTP: true}, store.PoolSettings{MFAConfiguration: MFAOn}, store.PoolMFA{TOTP: true}, false},
	}
	for _, c := range cases {
		st := c.st
		err := applyPoolMFA(c.prev, &st)
		if c.error != (err != nil) || (err == nil && st.MFA != c.want) {
			t.Errorf("%s: MFA %+v, err %v; want %+v, error %v", c.name, st.MFA, err, c.want, c.error)
		}
	}
}

// With AccountRecoverySetting, a channel that is an MFA factor of the user
// does not recover the account.
func TestRecoveryAvoidsMFAChannels(t *testing.T) {
	verified := map[string]string{"email": "a@x.io", "email_verified": "true", "phone_number": "+15550000000", "phone_number_verified": "true"}
	phoneFirst := store.Pool{Settings: store.PoolSettings{AccountRecovery: []store.RecoveryOption{
		{Name: RecoverByPhone, Priority: 1}, {Name: RecoverByEmail, Priority: 2}}}}
	cases := []struct {
		name string
		pool store.Pool
		mfa  []string
		want string
	}{
		{"no MFA", phoneFirst, nil, "phone_number"},
		{"SMS MFA", phoneFirst, []string{store.MFASMS}, "email"},
		{"SMS and email MFA", phoneFirst, []string{store.MFASMS, store.MFAEmail}, ""},
		{"legacy order ignores MFA", store.Pool{}, []string{store.MFASMS}, "phone_number"},
	}
	for _, c := range cases {
		u := store.User{Attributes: verified, MFA: &store.UserMFA{Enabled: c.mfa}}
		if got := recoveryAttribute(c.pool, u); got != c.want {
			t.Errorf("%s: recoveryAttribute = %q, want %q", c.name, got, c.want)
		}
	}
}
