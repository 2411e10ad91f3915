package userpool

import (
	"testing"
)

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
