package integration

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// SetUserSettings, the legacy switch for SMS MFA that
// amazon-cognito-identity-js's enableMFA/disableMFA call.
func TestLegacySMSSettings(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.mfaPool(t, &cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOptional,
			SmsMfaConfiguration: &types.SmsMfaConfigType{SmsConfiguration: &types.SmsConfigurationType{
				SnsCallerArn: aws.String("arn:aws:iam::000000000000:role/cognito-sns")}}})
		e.signUpConfirmed(t, poolID, clientID, "dot", password)
		access := e.passwordSignIn(t, clientID, "dot").AuthenticationResult.AccessToken
		sms := []types.MFAOptionType{{DeliveryMedium: types.DeliveryMediumTypeSms, AttributeName: aws.String("phone_number")}}

		// No phone number yet: nothing to send codes to.
		_, err := e.Anon.SetUserSettings(ctx(t), &cip.SetUserSettingsInput{AccessToken: access, MFAOptions: sms})
		wantCode(t, err, "InvalidParameterException")
		if _, err := e.Admin.AdminUpdateUserAttributes(ctx(t), &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(poolID), Username: aws.String("dot"),
			UserAttributes: []types.AttributeType{{Name: aws.String("phone_number"), Value: aws.String("+15550004321")}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Anon.SetUserSettings(ctx(t), &cip.SetUserSettingsInput{AccessToken: access, MFAOptions: sms}); err != nil {
			t.Fatal(err)
		}
		enabled := func() []string {
			t.Helper()
			u, err := e.Anon.GetUser(ctx(t), &cip.GetUserInput{AccessToken: access})
			if err != nil {
				t.Fatal(err)
			}
			return u.UserMFASettingList
		}
		if got := enabled(); !slices.Equal(got, []string{"SMS_MFA"}) {
			t.Fatalf("after SetUserSettings(SMS) MFA = %v", got)
		}
		if out := e.passwordSignIn(t, clientID, "dot"); out.ChallengeName != types.ChallengeNameTypeSmsMfa {
			t.Errorf("sign-in with SMS MFA on: challenge %q", out.ChallengeName)
		}

		if _, err := e.Anon.SetUserSettings(ctx(t), &cip.SetUserSettingsInput{AccessToken: access, MFAOptions: []types.MFAOptionType{}}); err != nil {
			t.Fatal(err)
		}
		if got := enabled(); len(got) != 0 {
			t.Errorf("after SetUserSettings([]) MFA = %v", got)
		}
		_, err = e.Anon.SetUserSettings(ctx(t), &cip.SetUserSettingsInput{AccessToken: access,
			MFAOptions: []types.MFAOptionType{{DeliveryMedium: types.DeliveryMediumTypeEmail, AttributeName: aws.String("email")}}})
		wantCode(t, err, "InvalidParameterException")

		if _, err := e.Admin.AdminSetUserSettings(ctx(t), &cip.AdminSetUserSettingsInput{UserPoolId: aws.String(poolID), Username: aws.String("dot"),
			MFAOptions: sms}); err != nil {
			t.Fatal(err)
		}
		if got := enabled(); !slices.Equal(got, []string{"SMS_MFA"}) {
			t.Errorf("after AdminSetUserSettings(SMS) MFA = %v", got)
		}
	})
}
