package userpool

import (
	"slices"
	"testing"

	"github.com/cognate-auth/cognate/internal/store"
)

func TestFirstFactors(t *testing.T) {
	all := store.Pool{Settings: store.PoolSettings{FirstAuthFactors: []string{FactorPassword, FactorEmailOTP, FactorSMSOTP}}}
	verified := store.User{Sub: "s", Status: store.StatusConfirmed, Password: &store.PasswordVerifier{},
		Attributes: map[string]string{"email": "a@example.com", "email_verified": "true", "phone_number": "+15550001234"}}
	cases := []struct {
		name string
		p    store.Pool
		u    store.User
		want []string
	}{
		{"default pool", store.Pool{}, verified, []string{FactorPassword, FactorPasswordSRP}},
		{"phone not verified", all, verified, []string{FactorPassword, FactorPasswordSRP, FactorEmailOTP}},
		{"no password", all, store.User{Sub: "s", Status: store.StatusConfirmed, Attributes: verified.Attributes}, []string{FactorEmailOTP}},
		{"unconfirmed", all, store.User{Sub: "s", Status: store.StatusUnconfirmed, Password: &store.PasswordVerifier{}, Attributes: verified.Attributes},
			[]string{FactorPassword, FactorPasswordSRP}},
		{"unknown user", all, store.User{}, []string{FactorPassword, FactorPasswordSRP, FactorEmailOTP, FactorSMSOTP}},
	}
	for _, c := range cases {
		if got := firstFactors(c.p, c.u); !slices.Equal(got, c.want) {
			t.Errorf("%s: firstFactors = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestCheckFirstAuthFactors(t *testing.T) {
	for _, ok := range [][]string{nil, {"PASSWORD"}, {"EMAIL_OTP", "PASSWORD", "SMS_OTP", "WEB_AUTHN"}} {
		if err := checkFirstAuthFactors(ok); err != nil {
			t.Errorf("%v: %v", ok, err)
		}
	}
	for _, bad := range [][]string{{"EMAIL_OTP"}, {"PASSWORD", "PASSWORD_SRP"}, {"PASSWORD", "SMS_MFA"}} {
		if err := checkFirstAuthFactors(bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
