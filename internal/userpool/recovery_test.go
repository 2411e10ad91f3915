package userpool

import (
	"testing"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/store"
)

func TestRecoveryAttribute(t *testing.T) {
	both := map[string]string{"email": "a@x.io", "email_verified": "true", "phone_number": "+15550000000", "phone_number_verified": "true"}
	emailOnly := map[string]string{"email": "a@x.io", "email_verified": "true", "phone_number": "+15550000000", "phone_number_verified": "false"}
	unverified := map[string]string{"email": "a@x.io", "email_verified": "false"}
	opt := func(name string, prio int) store.RecoveryOption {
		return store.RecoveryOption{Name: name, Priority: prio}
	}
	cases := []struct {
		name  string
		opts  []store.RecoveryOption
		attrs map[string]string
		want  string
	}{
		{"legacy prefers the phone", nil, both, "phone_number"},
		{"legacy falls back to email", nil, emailOnly, "email"},
		{"nothing verified", nil, unverified, ""},
		{"email by priority", []store.RecoveryOption{opt(RecoverByPhone, 2), opt(RecoverByEmail, 1)}, both, "email"},
		{"phone by priority", []store.RecoveryOption{opt(RecoverByEmail, 2), opt(RecoverByPhone, 1)}, both, "phone_number"},
		{"second choice when the first is unverified", []store.RecoveryOption{opt(RecoverByPhone, 1), opt(RecoverByEmail, 2)}, emailOnly, "email"},
		{"phone only, email verified", []store.RecoveryOption{opt(RecoverByPhone, 1)}, emailOnly, ""},
		{"admin only", []store.RecoveryOption{opt(RecoverByAdmin, 1)}, both, ""},
	}
	for _, c := range cases {
		p := store.Pool{Settings: store.PoolSettings{AccountRecovery: c.opts}}
		if got := recoveryAttribute(p, store.User{Attributes: c.attrs}); got != c.want {
			t.Errorf("%s: recoveryAttribute = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestValidateRecovery(t *testing.T) {
	opt := func(name string, prio int) store.RecoveryOption {
		return store.RecoveryOption{Name: name, Priority: prio}
	}
	cases := []struct {
		name string
		opts []store.RecoveryOption
		ok   bool
	}{
		{"none", nil, true},
		{"email and phone", []store.RecoveryOption{opt(RecoverByEmail, 1), opt(RecoverByPhone, 2)}, true},
		{"admin only", []store.RecoveryOption{opt(RecoverByAdmin, 1)}, true},
		{"admin with email", []store.RecoveryOption{opt(RecoverByAdmin, 1), opt(RecoverByEmail, 2)}, false},
		{"same priority", []store.RecoveryOption{opt(RecoverByEmail, 1), opt(RecoverByPhone, 1)}, false},
		{"unknown name", []store.RecoveryOption{opt("carrier_pigeon", 1)}, false},
	}
	for _, c := range cases {
		err := validateRecovery(c.opts)
		if c.ok != (err == nil) || (err != nil && !apierr.HasCode(err, apierr.InvalidParameter)) {
			t.Errorf("%s: validateRecovery = %v, want ok=%v", c.name, err, c.ok)
		}
	}
}
