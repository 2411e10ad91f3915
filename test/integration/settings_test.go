package integration

import (
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// sameAs fails the test when a member read back differs from the one sent.
func sameAs(t *testing.T, what string, got, sent any) {
	t.Helper()
	if !reflect.DeepEqual(got, sent) {
		t.Errorf("%s: got %+v, sent %+v", what, got, sent)
	}
}

// The pool members Cognate keeps and reports without acting on them come
// back from DescribeUserPool as CreateUserPool and UpdateUserPool sent
// them; UpdateUserPool without them resets them, as in Cognito.
func TestPoolSettingsRoundTrip(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		email := &types.EmailConfigurationType{SourceArn: aws.String("arn:aws:ses:us-east-1:123456789012:identity/example.com"),
			ReplyToEmailAddress: aws.String("help@example.com"), EmailSendingAccount: types.EmailSendingAccountTypeDeveloper,
			From: aws.String("Example <no-reply@example.com>"), ConfigurationSet: aws.String("cognate-set")}
		sms := &types.SmsConfigurationType{SnsCallerArn: aws.String("arn:aws:iam::123456789012:role/cognito-sns"),
			ExternalId: aws.String("external"), SnsRegion: aws.String("us-west-2")}
		addOns := &types.UserPoolAddOnsType{AdvancedSecurityMode: types.AdvancedSecurityModeTypeAudit,
			AdvancedSecurityAdditionalFlows: &types.AdvancedSecurityAdditionalFlowsType{CustomAuthMode: types.AdvancedSecurityEnabledModeTypeEnforced}}
		devices := &types.DeviceConfigurationType{ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true}
		created, err := e.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String("settings"),
			EmailConfiguration: email, SmsConfiguration: sms, UserPoolAddOns: addOns, DeviceConfiguration: devices,
			LambdaConfig: &types.LambdaConfigType{}, UserPoolTier: types.UserPoolTierTypePlus})
		if err != nil {
			t.Fatal(err)
		}
		poolID := created.UserPool.Id
		describe := func() *types.UserPoolType {
			t.Helper()
			out, err := e.Admin.DescribeUserPool(ctx(t), &cip.DescribeUserPoolInput{UserPoolId: poolID})
			if err != nil {
				t.Fatal(err)
			}
			return out.UserPool
		}
		for what, p := range map[string]*types.UserPoolType{"CreateUserPool": created.UserPool, "DescribeUserPool": describe()} {
			sameAs(t, what+" EmailConfiguration", p.EmailConfiguration, email)
			sameAs(t, what+" SmsConfiguration", p.SmsConfiguration, sms)
			sameAs(t, what+" UserPoolAddOns", p.UserPoolAddOns, addOns)
			sameAs(t, what+" DeviceConfiguration", p.DeviceConfiguration, devices)
			sameAs(t, what+" LambdaConfig", p.LambdaConfig, &types.LambdaConfigType{})
		}

		email = &types.EmailConfigurationType{EmailSendingAccount: types.EmailSendingAccountTypeCognitoDefault,
			ReplyToEmailAddress: aws.String("other@example.com")}
		sms = &types.SmsConfigurationType{SnsCallerArn: aws.String("arn:aws:iam::123456789012:role/other-sns")}
		addOns = &types.UserPoolAddOnsType{AdvancedSecurityMode: types.AdvancedSecurityModeTypeEnforced}
		if _, err := e.Admin.UpdateUserPool(ctx(t), &cip.UpdateUserPoolInput{UserPoolId: poolID,
			EmailConfiguration: email, SmsConfiguration: sms, UserPoolAddOns: addOns}); err != nil {
			t.Fatal(err)
		}
		p := describe()
		sameAs(t, "updated EmailConfiguration", p.EmailConfiguration, email)
		sameAs(t, "updated SmsConfiguration", p.SmsConfiguration, sms)
		sameAs(t, "updated UserPoolAddOns", p.UserPoolAddOns, addOns)

		if _, err := e.Admin.UpdateUserPool(ctx(t), &cip.UpdateUserPoolInput{UserPoolId: poolID}); err != nil {
			t.Fatal(err)
		}
		p = describe()
		sameAs(t, "reset EmailConfiguration", p.EmailConfiguration, &types.EmailConfigurationType{})
		sameAs(t, "reset SmsConfiguration", p.SmsConfiguration, (*types.SmsConfigurationType)(nil))
		sameAs(t, "reset UserPoolAddOns", p.UserPoolAddOns, (*types.UserPoolAddOnsType)(nil))
		sameAs(t, "reset LambdaConfig", p.LambdaConfig, &types.LambdaConfigType{})
	})
}

// Lambda triggers are refused where Cognate cannot run them — the members
// it does not run yet, and, on a server with neither a functions file nor a
// Lambda endpoint, every function; an empty LambdaConfig is reported
// everywhere.
func TestPoolLambdaConfigRefused(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		arn := aws.String("arn:aws:lambda:us-east-1:123456789012:function:trigger")
		for name, lc := range map[string]*types.LambdaConfigType{
			"PreSignUp":   {PreSignUp: arn},
			"PreTokenGen": {PreTokenGenerationConfig: &types.PreTokenGenerationVersionConfigType{LambdaVersion: types.PreTokenGenerationLambdaVersionTypeV20, LambdaArn: arn}},
			"CustomSender": {CustomEmailSender: &types.CustomEmailLambdaVersionConfigType{LambdaVersion: types.CustomEmailSenderLambdaVersionTypeV10, LambdaArn: arn},
				KMSKeyID: aws.String("arn:aws:kms:us-east-1:123456789012:key/k")},
			"Inbound": {InboundFederation: &types.InboundFederationLambdaType{LambdaVersion: types.InboundFederationLambdaVersionTypeV10, LambdaArn: arn}},
		} {
			_, err := e.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String("lambda"), LambdaConfig: lc})
			if apiCode(err) != "InvalidParameterException" {
				t.Errorf("CreateUserPool with %s: %v, want InvalidParameterException", name, err)
			}
		}
		created, err := e.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String("lambda")})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.Admin.UpdateUserPool(ctx(t), &cip.UpdateUserPoolInput{UserPoolId: created.UserPool.Id,
			LambdaConfig: &types.LambdaConfigType{PostConfirmation: arn}})
		wantCode(t, err, "InvalidParameterException")
		list, err := e.Admin.ListUserPools(ctx(t), &cip.ListUserPoolsInput{MaxResults: aws.Int32(60)})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range list.UserPools {
			sameAs(t, "ListUserPools LambdaConfig", p.LambdaConfig, &types.LambdaConfigType{})
		}
	})
}

// SetUserPoolMfaConfig keeps WebAuthnConfiguration and the SMS
// configuration as sent; a request without WebAuthnConfiguration keeps the
// pool's.
func TestMFAConfigSettingsRoundTrip(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		created, err := e.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String("passkeys")})
		if err != nil {
			t.Fatal(err)
		}
		poolID := created.UserPool.Id
		webAuthn := &types.WebAuthnConfigurationType{RelyingPartyId: aws.String("auth.example.com"),
			UserVerification: types.UserVerificationTypeRequired, FactorConfiguration: types.WebAuthnFactorConfigurationTypeMultiFactorWithUserVerification}
		sms := &types.SmsConfigurationType{SnsCallerArn: aws.String("arn:aws:iam::123456789012:role/cognito-sns"),
			ExternalId: aws.String("external"), SnsRegion: aws.String("eu-west-1")}
		set, err := e.Admin.SetUserPoolMfaConfig(ctx(t), &cip.SetUserPoolMfaConfigInput{UserPoolId: poolID,
			MfaConfiguration:      types.UserPoolMfaTypeOptional,
			SmsMfaConfiguration:   &types.SmsMfaConfigType{SmsAuthenticationMessage: aws.String("Code: {####}"), SmsConfiguration: sms},
			WebAuthnConfiguration: webAuthn})
		if err != nil {
			t.Fatal(err)
		}
		sameAs(t, "SetUserPoolMfaConfig WebAuthnConfiguration", set.WebAuthnConfiguration, webAuthn)
		sameAs(t, "SetUserPoolMfaConfig SmsConfiguration", set.SmsMfaConfiguration.SmsConfiguration, sms)
		got, err := e.Admin.GetUserPoolMfaConfig(ctx(t), &cip.GetUserPoolMfaConfigInput{UserPoolId: poolID})
		if err != nil {
			t.Fatal(err)
		}
		sameAs(t, "GetUserPoolMfaConfig WebAuthnConfiguration", got.WebAuthnConfiguration, webAuthn)
		sameAs(t, "GetUserPoolMfaConfig SmsConfiguration", got.SmsMfaConfiguration.SmsConfiguration, sms)
		desc, err := e.Admin.DescribeUserPool(ctx(t), &cip.DescribeUserPoolInput{UserPoolId: poolID})
		if err != nil {
			t.Fatal(err)
		}
		sameAs(t, "DescribeUserPool SmsConfiguration", desc.UserPool.SmsConfiguration, sms)

		if _, err := e.Admin.SetUserPoolMfaConfig(ctx(t), &cip.SetUserPoolMfaConfigInput{UserPoolId: poolID,
			MfaConfiguration:              types.UserPoolMfaTypeOptional,
			SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}}); err != nil {
			t.Fatal(err)
		}
		got, err = e.Admin.GetUserPoolMfaConfig(ctx(t), &cip.GetUserPoolMfaConfigInput{UserPoolId: poolID})
		if err != nil {
			t.Fatal(err)
		}
		sameAs(t, "WebAuthnConfiguration kept", got.WebAuthnConfiguration, webAuthn)
	})
}

// An app client's AnalyticsConfiguration comes back as it was sent, and
// goes when an update leaves it out.
func TestClientAnalyticsRoundTrip(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		created, err := e.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String("analytics")})
		if err != nil {
			t.Fatal(err)
		}
		poolID := created.UserPool.Id
		analytics := &types.AnalyticsConfigurationType{ApplicationId: aws.String("0123456789abcdef0123456789abcdef"),
			RoleArn: aws.String("arn:aws:iam::123456789012:role/pinpoint"), ExternalId: aws.String("external"), UserDataShared: true}
		c, err := e.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: poolID, ClientName: aws.String("app"),
			AnalyticsConfiguration: analytics})
		if err != nil {
			t.Fatal(err)
		}
		sameAs(t, "CreateUserPoolClient AnalyticsConfiguration", c.UserPoolClient.AnalyticsConfiguration, analytics)
		clientID := c.UserPoolClient.ClientId
		describe := func() *types.UserPoolClientType {
			t.Helper()
			out, err := e.Admin.DescribeUserPoolClient(ctx(t), &cip.DescribeUserPoolClientInput{UserPoolId: poolID, ClientId: clientID})
			if err != nil {
				t.Fatal(err)
			}
			return out.UserPoolClient
		}
		sameAs(t, "DescribeUserPoolClient AnalyticsConfiguration", describe().AnalyticsConfiguration, analytics)

		analytics = &types.AnalyticsConfigurationType{ApplicationArn: aws.String("arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123456789abcdef")}
		up, err := e.Admin.UpdateUserPoolClient(ctx(t), &cip.UpdateUserPoolClientInput{UserPoolId: poolID, ClientId: clientID,
			AnalyticsConfiguration: analytics})
		if err != nil {
			t.Fatal(err)
		}
		sameAs(t, "UpdateUserPoolClient AnalyticsConfiguration", up.UserPoolClient.AnalyticsConfiguration, analytics)
		sameAs(t, "updated AnalyticsConfiguration", describe().AnalyticsConfiguration, analytics)

		if _, err := e.Admin.UpdateUserPoolClient(ctx(t), &cip.UpdateUserPoolClientInput{UserPoolId: poolID, ClientId: clientID}); err != nil {
			t.Fatal(err)
		}
		sameAs(t, "AnalyticsConfiguration left out", describe().AnalyticsConfiguration, (*types.AnalyticsConfigurationType)(nil))
	})
}
