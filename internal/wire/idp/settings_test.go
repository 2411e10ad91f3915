package idp

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/cognate-auth/cognate/internal/wire/idpapi"
)

// fill sets every field reachable from v: strings to distinct values,
// booleans to true, pointers to a filled value.
func fill(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("s%d", *n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), n)
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i), n)
		}
	default:
		panic("fill: unhandled kind " + v.Kind().String())
	}
}

func filled[T any]() *T {
	var n int
	v := new(T)
	fill(reflect.ValueOf(v).Elem(), &n)
	return v
}

// TestSettingsRoundTrip translates a value of each kept member with every
// field set to the store's type and back, so a member the translation
// forgets, now or when the model grows, fails here.
func TestSettingsRoundTrip(t *testing.T) {
	check := func(name string, in, out any) {
		t.Helper()
		if !reflect.DeepEqual(in, out) {
			t.Errorf("%s: sent %+v, got back %+v", name, in, out)
		}
	}
	lambda := filled[idpapi.LambdaConfigType]()
	check("LambdaConfig", lambda, wireLambdaConfig(lambdaConfig(lambda)))
	email := filled[idpapi.EmailConfigurationType]()
	check("EmailConfiguration", email, wireEmailConfiguration(emailConfiguration(email)))
	sms := filled[idpapi.SmsConfigurationType]()
	check("SmsConfiguration", sms, wireSMSConfiguration(smsConfiguration(sms)))
	addOns := filled[idpapi.UserPoolAddOnsType]()
	check("UserPoolAddOns", addOns, wireUserPoolAddOns(userPoolAddOns(addOns)))
	webAuthn := filled[idpapi.WebAuthnConfigurationType]()
	check("WebAuthnConfiguration", webAuthn, wireWebAuthnConfiguration(webAuthnConfiguration(webAuthn)))
	analytics := filled[idpapi.AnalyticsConfigurationType]()
	check("AnalyticsConfiguration", analytics, wireAnalyticsConfiguration(analyticsConfiguration(analytics)))

	// Members not sent: Cognito reports LambdaConfig and
	// EmailConfiguration empty, and leaves the others out.
	check("no LambdaConfig", &idpapi.LambdaConfigType{}, wireLambdaConfig(lambdaConfig(nil)))
	check("no EmailConfiguration", &idpapi.EmailConfigurationType{}, wireEmailConfiguration(emailConfiguration(nil)))
	check("no SmsConfiguration", (*idpapi.SmsConfigurationType)(nil), wireSMSConfiguration(smsConfiguration(nil)))
	check("no UserPoolAddOns", (*idpapi.UserPoolAddOnsType)(nil), wireUserPoolAddOns(userPoolAddOns(nil)))
	check("no WebAuthnConfiguration", (*idpapi.WebAuthnConfigurationType)(nil), wireWebAuthnConfiguration(webAuthnConfiguration(nil)))
	check("no AnalyticsConfiguration", (*idpapi.AnalyticsConfigurationType)(nil), wireAnalyticsConfiguration(analyticsConfiguration(nil)))
	// Sub-members not sent stay out too.
	check("UserPoolAddOns without flows", &idpapi.UserPoolAddOnsType{AdvancedSecurityMode: "AUDIT"},
		wireUserPoolAddOns(userPoolAddOns(&idpapi.UserPoolAddOnsType{AdvancedSecurityMode: "AUDIT"})))
	check("LambdaConfig without versions", &idpapi.LambdaConfigType{PreSignUp: "arn"},
		wireLambdaConfig(lambdaConfig(&idpapi.LambdaConfigType{PreSignUp: "arn"})))
}
