package integration

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// senderSignInPool creates a pool whose custom senders deliver every code,
// with SMS and email MFA optional, SMS_OTP and EMAIL_OTP first factors, a
// client for passwords and USER_AUTH, and users: sam prefers SMS MFA, eve
// email MFA, and otto has no MFA.
func (e *env) senderSignInPool(t *testing.T) (poolID, clientID string) {
	t.Helper()
	p, err := e.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String("sender-sign-in"),
		LambdaConfig: &types.LambdaConfigType{KMSKeyID: aws.String(senderKMSKeyID),
			CustomEmailSender: &types.CustomEmailLambdaVersionConfigType{LambdaArn: aws.String(customEmailSenderARN), LambdaVersion: types.CustomEmailSenderLambdaVersionTypeV10},
			CustomSMSSender:   &types.CustomSMSLambdaVersionConfigType{LambdaArn: aws.String(customSMSSenderARN), LambdaVersion: types.CustomSMSSenderLambdaVersionTypeV10}},
		Policies: &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{
			AllowedFirstAuthFactors: []types.AuthFactorType{types.AuthFactorTypePassword, types.AuthFactorTypeEmailOtp, types.AuthFactorTypeSmsOtp}}}})
	if err != nil {
		t.Fatal(err)
	}
	poolID = *p.UserPool.Id
	if _, err := e.Admin.SetUserPoolMfaConfig(ctx(t), &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(poolID),
		MfaConfiguration: types.UserPoolMfaTypeOptional,
		SmsMfaConfiguration: &types.SmsMfaConfigType{SmsConfiguration: &types.SmsConfigurationType{
			SnsCallerArn: aws.String("arn:aws:iam::000000000000:role/cognito-sns"), ExternalId: aws.String("x")}},
		EmailMfaConfiguration: &types.EmailMfaConfigType{Subject: aws.String("Sign-in code")}}); err != nil {
		t.Fatal(err)
	}
	c, err := e.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("app"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowUserAuth,
			types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct {
		name string
		mfa  *cip.AdminSetUserMFAPreferenceInput
	}{
		{"sam", &cip.AdminSetUserMFAPreferenceInput{SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true, PreferredMfa: true}}},
		{"eve", &cip.AdminSetUserMFAPreferenceInput{EmailMfaSettings: &types.EmailMfaSettingsType{Enabled: true, PreferredMfa: true}}},
		{"otto", nil},
	} {
		if _, err := e.Admin.AdminCreateUser(ctx(t), &cip.AdminCreateUserInput{UserPoolId: aws.String(poolID), Username: aws.String(u.name),
			MessageAction: types.MessageActionTypeSuppress, UserAttributes: []types.AttributeType{
				{Name: aws.String("email"), Value: aws.String(u.name + "@example.com")}, {Name: aws.String("email_verified"), Value: aws.String("true")},
				{Name: aws.String("phone_number"), Value: aws.String("+15550009876")}, {Name: aws.String("phone_number_verified"), Value: aws.String("true")}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Admin.AdminSetUserPassword(ctx(t), &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(poolID),
			Username: aws.String(u.name), Password: aws.String(password), Permanent: true}); err != nil {
			t.Fatal(err)
		}
		if u.mfa != nil {
			u.mfa.UserPoolId, u.mfa.Username = aws.String(poolID), aws.String(u.name)
			if _, err := e.Admin.AdminSetUserMFAPreference(ctx(t), u.mfa); err != nil {
				t.Fatal(err)
			}
		}
	}
	return poolID, *c.UserPoolClient.ClientId
}

// Sign-in codes, of MFA and of passwordless first factors, reach the custom
// senders encrypted, and the code the function decrypts signs in; Cognate
// sends nothing itself.
func TestCustomSendersSignIn(t *testing.T) {
	triggerEngines(t, func(t *testing.T, e *env, h *hook) {
		key := e.senderKey(t, senderKMSKeyID)
		poolID, clientID := e.senderSignInPool(t)
		passwordAuth := func(username string) map[string]string {
			return map[string]string{"USERNAME": username, "PASSWORD": password}
		}
		userAuth := func(challenge string) map[string]string {
			return map[string]string{"USERNAME": "otto", "PREFERRED_CHALLENGE": challenge}
		}
		cases := []struct {
			name      string
			flow      types.AuthFlowType
			params    map[string]string
			challenge types.ChallengeNameType
			medium    string
			source    string
			typ       string
			response  string
		}{
			{"SMS MFA", types.AuthFlowTypeUserPasswordAuth, passwordAuth("sam"), types.ChallengeNameTypeSmsMfa, "SMS",
				"CustomSMSSender_Authentication", "customSMSSenderRequestV1", "SMS_MFA_CODE"},
			{"EMAIL_OTP MFA", types.AuthFlowTypeUserPasswordAuth, passwordAuth("eve"), types.ChallengeNameTypeEmailOtp, "EMAIL",
				"CustomEmailSender_Authentication", "customEmailSenderRequestV1", "EMAIL_OTP_CODE"},
			{"USER_AUTH SMS_OTP", flowUserAuth, userAuth("SMS_OTP"), challengeSMSOTP, "SMS",
				"CustomSMSSender_Authentication", "customSMSSenderRequestV1", "SMS_OTP_CODE"},
			{"USER_AUTH EMAIL_OTP", flowUserAuth, userAuth("EMAIL_OTP"), types.ChallengeNameTypeEmailOtp, "EMAIL",
				"CustomEmailSender_Authentication", "customEmailSenderRequestV1", "EMAIL_OTP_CODE"},
		}
		for _, tt := range cases {
			t.Run(tt.name, func(t *testing.T) {
				h.on(func(w http.ResponseWriter, ev map[string]any) { reply(w, ev, nil) })
				username := tt.params["USERNAME"]
				before := len(h.received(poolID))
				init, err := e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: tt.flow, ClientId: aws.String(clientID),
					AuthParameters: tt.params}, noRetry)
				if err != nil {
					t.Fatal(err)
				}
				wantChallenge(t, init.ChallengeName, init.ChallengeParameters, tt.challenge, map[string]string{"CODE_DELIVERY_DELIVERY_MEDIUM": tt.medium})
				if n := len(h.received(poolID)) - before; n != 1 {
					t.Fatalf("%d sender events for one sign-in, want 1", n)
				}
				code, ev := sentCode(t, h, poolID, key, tt.source, tt.typ)
				if ev["userName"] != username || member(ev, "callerContext.clientId") != clientID {
					t.Errorf("event for %v from client %v, want %s from %s", ev["userName"], member(ev, "callerContext.clientId"), username, clientID)
				}
				_, err = e.answer(t, clientID, tt.challenge, init.Session, username, tt.response, wrongCode(code))
				wantCode(t, err, "CodeMismatchException")
				out, err := e.answer(t, clientID, tt.challenge, init.Session, username, tt.response, code)
				wantTokens(t, authResult(out), err)
				if msgs := e.messages(poolID, username); len(msgs) != 0 {
					t.Errorf("Cognate sent %d messages itself: %+v", len(msgs), msgs)
				}
			})
		}

		// A name that is no user, at a client hiding existence, is answered
		// as a user would be, and no function hears of it.
		t.Run("no such user", func(t *testing.T) {
			hiding, err := e.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID),
				ClientName: aws.String("hiding"), PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled,
				ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserAuth}})
			if err != nil {
				t.Fatal(err)
			}
			h.on(fail("must not be called"))
			before := len(h.received(poolID))
			for _, challenge := range []string{"EMAIL_OTP", "SMS_OTP"} {
				init, err := e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: flowUserAuth, ClientId: hiding.UserPoolClient.ClientId,
					AuthParameters: map[string]string{"USERNAME": "nobody", "PREFERRED_CHALLENGE": challenge}}, noRetry)
				if err != nil {
					t.Fatalf("%s for no user: %v", challenge, err)
				}
				// A decoy has the factors a user plausibly has (guard.Decoy).
				if string(init.ChallengeName) != challenge && init.ChallengeName != challengeSelect {
					t.Errorf("%s for no user: challenge %s", challenge, init.ChallengeName)
				}
			}
			if evs := h.received(poolID)[before:]; len(evs) != 0 {
				t.Errorf("the senders heard of a name that is no user: %v", evs)
			}
		})

		// The sender's failure fails the sign-in, and no challenge is left to answer.
		h.on(fail("no provider"))
		for _, tt := range cases {
			out, err := e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: tt.flow, ClientId: aws.String(clientID),
				AuthParameters: tt.params}, noRetry)
			trigger := "CustomSMSSender"
			if tt.medium == "EMAIL" {
				trigger = "CustomEmailSender"
			}
			wantError(t, err, "UserLambdaValidationException", trigger+" failed with error no provider.")
			if out != nil {
				t.Errorf("%s: a challenge was issued: %+v", tt.name, out)
			}
		}
	})
}
