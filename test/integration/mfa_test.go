package integration

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/cognate-auth/cognate/auth/cognitosrp"
	"github.com/cognate-auth/cognate/internal/testutil/pgtest"
)

// totpCode is the code an authenticator app shows for secret at t.
func totpCode(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	code, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// nextTOTPStep moves the server's clock to the next 30-second step, so that
// the authenticator shows a code not used yet.
func (e *env) nextTOTPStep() { e.Clock.Advance(30 * time.Second) }

func wantMessage(t *testing.T, err error, code, message string) {
	t.Helper()
	wantCode(t, err, code)
	var ae smithy.APIError
	if errors.As(err, &ae) && ae.ErrorMessage() != message {
		t.Fatalf("%s message = %q, want %q", code, ae.ErrorMessage(), message)
	}
}

var mfaFlows = []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowUserPasswordAuth,
	types.ExplicitAuthFlowsTypeAllowAdminUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}

// mfaPool creates a pool and a client for every flow, and sets the pool's
// MFA configuration.
func (e *env) mfaPool(t *testing.T, cfg *cip.SetUserPoolMfaConfigInput) (poolID, clientID string) {
	t.Helper()
	poolID, clientID = e.poolWithClient(t, &cip.CreateUserPoolClientInput{ExplicitAuthFlows: mfaFlows})
	cfg.UserPoolId = aws.String(poolID)
	if _, err := e.Admin.SetUserPoolMfaConfig(ctx(t), cfg); err != nil {
		t.Fatal(err)
	}
	return poolID, clientID
}

// srpPassword signs in with SRP and returns what answering
// PASSWORD_VERIFIER gave: tokens or the next challenge.
func (e *env) srpPassword(t *testing.T, clientID, poolID, username, pw string) (*cip.RespondToAuthChallengeOutput, error) {
	t.Helper()
	c, err := cognitosrp.NewClient(poolID, username, pw)
	if err != nil {
		t.Fatal(err)
	}
	init, err := e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserSrpAuth,
		ClientId: aws.String(clientID), AuthParameters: c.AuthParameters()})
	if err != nil {
		return nil, err
	}
	responses, err := c.ChallengeResponses(init.ChallengeParameters, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return e.Anon.RespondToAuthChallenge(ctx(t), &cip.RespondToAuthChallengeInput{ChallengeName: types.ChallengeNameTypePasswordVerifier,
		ClientId: aws.String(clientID), ChallengeResponses: responses, Session: init.Session})
}

// passwordSignIn starts USER_PASSWORD_AUTH.
func (e *env) passwordSignIn(t *testing.T, clientID, username string) *cip.InitiateAuthOutput {
	t.Helper()
	out, err := e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		ClientId: aws.String(clientID), AuthParameters: map[string]string{"USERNAME": username, "PASSWORD": password}})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// answer responds to a challenge with one response besides USERNAME.
func (e *env) answer(t *testing.T, clientID string, name types.ChallengeNameType, session *string, username, key, value string) (*cip.RespondToAuthChallengeOutput, error) {
	t.Helper()
	responses := map[string]string{"USERNAME": username}
	if key != "" {
		responses[key] = value
	}
	return e.Anon.RespondToAuthChallenge(ctx(t), &cip.RespondToAuthChallengeInput{ChallengeName: name, ClientId: aws.String(clientID),
		Session: session, ChallengeResponses: responses}, noRetry)
}

func wantChallenge(t *testing.T, got types.ChallengeNameType, params map[string]string, want types.ChallengeNameType, wantParams map[string]string) {
	t.Helper()
	if got != want {
		t.Fatalf("challenge = %q, want %q", got, want)
	}
	for k, v := range wantParams {
		if params[k] != v {
			t.Fatalf("%s challenge parameters %v, want %s=%q", want, params, k, v)
		}
	}
}

func TestTOTPSetUpAndSignIn(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.mfaPool(t, &cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOptional,
			SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}})
		e.signUpConfirmed(t, poolID, clientID, "alice", password)

		// MFA is optional and alice has none: the password is enough.
		first, err := e.srpSignIn(t, poolID, clientID, "alice", password)
		if err != nil {
			t.Fatal(err)
		}
		access := first.AccessToken
		_, err = e.Anon.SetUserMFAPreference(ctx(t), &cip.SetUserMFAPreferenceInput{AccessToken: access,
			SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true}})
		wantMessage(t, err, "InvalidParameterException", "User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA")

		assoc, err := e.Anon.AssociateSoftwareToken(ctx(t), &cip.AssociateSoftwareTokenInput{AccessToken: access})
		if err != nil {
			t.Fatal(err)
		}
		secret := aws.ToString(assoc.SecretCode)
		if len(secret) != 52 || assoc.Session != nil {
			t.Fatalf("AssociateSoftwareToken = %q, session %v", secret, assoc.Session)
		}
		_, err = e.Anon.VerifySoftwareToken(ctx(t), &cip.VerifySoftwareTokenInput{AccessToken: access,
			UserCode: aws.String(otherCode(totpCode(t, secret, e.Clock.Now())))})
		wantMessage(t, err, "EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA")
		setupCode := totpCode(t, secret, e.Clock.Now())
		verified, err := e.Anon.VerifySoftwareToken(ctx(t), &cip.VerifySoftwareTokenInput{AccessToken: access,
			UserCode: aws.String(setupCode), FriendlyDeviceName: aws.String("alice's phone")})
		if err != nil {
			t.Fatal(err)
		}
		if verified.Status != types.VerifySoftwareTokenResponseTypeSuccess || verified.Session != nil {
			t.Fatalf("VerifySoftwareToken = %+v", verified)
		}
		// Verified but not enabled: sign-in still needs the password only.
		if _, err := e.srpSignIn(t, poolID, clientID, "alice", password); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Anon.SetUserMFAPreference(ctx(t), &cip.SetUserMFAPreferenceInput{AccessToken: access,
			SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true}}); err != nil {
			t.Fatal(err)
		}
		user, err := e.Anon.GetUser(ctx(t), &cip.GetUserInput{AccessToken: access})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(user.UserMFASettingList, []string{"SOFTWARE_TOKEN_MFA"}) || aws.ToString(user.PreferredMfaSetting) != "SOFTWARE_TOKEN_MFA" ||
			len(user.MFAOptions) != 0 {
			t.Fatalf("GetUser MFA = %v, preferred %v, options %v", user.UserMFASettingList, aws.ToString(user.PreferredMfaSetting), user.MFAOptions)
		}

		// SRP, then SOFTWARE_TOKEN_MFA.
		ch, err := e.srpPassword(t, clientID, poolID, "alice", password)
		if err != nil {
			t.Fatal(err)
		}
		wantChallenge(t, ch.ChallengeName, ch.ChallengeParameters, types.ChallengeNameTypeSoftwareTokenMfa,
			map[string]string{"USER_ID_FOR_SRP": "alice", "FRIENDLY_DEVICE_NAME": "alice's phone"})
		if ch.AuthenticationResult != nil || ch.Session == nil {
			t.Fatalf("challenge result %+v", ch)
		}
		// The code that verified the authenticator was used.
		_, err = e.answer(t, clientID, types.ChallengeNameTypeSoftwareTokenMfa, ch.Session, "alice", "SOFTWARE_TOKEN_MFA_CODE", setupCode)
		wantMessage(t, err, "CodeMismatchException", "Your software token has already been used once.")
		e.nextTOTPStep()
		code := totpCode(t, secret, e.Clock.Now())
		_, err = e.answer(t, clientID, types.ChallengeNameTypeSoftwareTokenMfa, ch.Session, "alice", "SOFTWARE_TOKEN_MFA_CODE", otherCode(code))
		wantMessage(t, err, "CodeMismatchException", "Invalid code received for user")
		_, err = e.answer(t, clientID, types.ChallengeNameTypeSoftwareTokenMfa, ch.Session, "alice", "SOFTWARE_TOKEN_MFA_CODE", "")
		wantCode(t, err, "InvalidParameterException")
		signedIn, err := e.answer(t, clientID, types.ChallengeNameTypeSoftwareTokenMfa, ch.Session, "alice", "SOFTWARE_TOKEN_MFA_CODE", code)
		if err != nil {
			t.Fatal(err)
		}
		if signedIn.AuthenticationResult == nil || signedIn.AuthenticationResult.RefreshToken == nil {
			t.Fatalf("SOFTWARE_TOKEN_MFA answer = %+v", signedIn)
		}
		if _, err := e.Anon.GetUser(ctx(t), &cip.GetUserInput{AccessToken: signedIn.AuthenticationResult.AccessToken}); err != nil {
			t.Fatal(err)
		}
		// The same answer again: the code is used up.
		_, err = e.answer(t, clientID, types.ChallengeNameTypeSoftwareTokenMfa, ch.Session, "alice", "SOFTWARE_TOKEN_MFA_CODE", code)
		wantMessage(t, err, "CodeMismatchException", "Your software token has already been used once.")

		// Refreshing never asks for MFA.
		refreshed, err := e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
			ClientId: aws.String(clientID), AuthParameters: map[string]string{"REFRESH_TOKEN": *signedIn.AuthenticationResult.RefreshToken}})
		if err != nil || refreshed.AuthenticationResult == nil || refreshed.ChallengeName != "" {
			t.Fatalf("refresh = %+v, %v", refreshed, err)
		}

		// USER_PASSWORD_AUTH, then SOFTWARE_TOKEN_MFA.
		pw := e.passwordSignIn(t, clientID, "alice")
		wantChallenge(t, pw.ChallengeName, pw.ChallengeParameters, types.ChallengeNameTypeSoftwareTokenMfa, map[string]string{"USER_ID_FOR_SRP": "alice"})
		e.nextTOTPStep()
		if _, err := e.answer(t, clientID, types.ChallengeNameTypeSoftwareTokenMfa, pw.Session, "alice", "SOFTWARE_TOKEN_MFA_CODE",
			totpCode(t, secret, e.Clock.Now())); err != nil {
			t.Fatal(err)
		}

		// ADMIN_USER_PASSWORD_AUTH, then AdminRespondToAuthChallenge.
		admin, err := e.Admin.AdminInitiateAuth(ctx(t), &cip.AdminInitiateAuthInput{AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth,
			UserPoolId: aws.String(poolID), ClientId: aws.String(clientID), AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": password}})
		if err != nil {
			t.Fatal(err)
		}
		wantChallenge(t, admin.ChallengeName, admin.ChallengeParameters, types.ChallengeNameTypeSoftwareTokenMfa, nil)
		e.nextTOTPStep()
		adminDone, err := e.Admin.AdminRespondToAuthChallenge(ctx(t), &cip.AdminRespondToAuthChallengeInput{UserPoolId: aws.String(poolID),
			ClientId: aws.String(clientID), ChallengeName: types.ChallengeNameTypeSoftwareTokenMfa, Session: admin.Session,
			ChallengeResponses: map[string]string{"USERNAME": "alice", "SOFTWARE_TOKEN_MFA_CODE": totpCode(t, secret, e.Clock.Now())}})
		if err != nil || adminDone.AuthenticationResult == nil {
			t.Fatalf("AdminRespondToAuthChallenge = %+v, %v", adminDone, err)
		}

		// Five wrong codes end a sign-in.
		pw = e.passwordSignIn(t, clientID, "alice")
		e.nextTOTPStep()
		code = totpCode(t, secret, e.Clock.Now())
		for range 5 {
			_, err = e.answer(t, clientID, types.ChallengeNameTypeSoftwareTokenMfa, pw.Session, "alice", "SOFTWARE_TOKEN_MFA_CODE", otherCode(code))
			wantCode(t, err, "CodeMismatchException")
		}
		_, err = e.answer(t, clientID, types.ChallengeNameTypeSoftwareTokenMfa, pw.Session, "alice", "SOFTWARE_TOKEN_MFA_CODE", code)
		wantCode(t, err, "NotAuthorizedException")

		// A session outlives neither its three minutes nor its challenge.
		pw = e.passwordSignIn(t, clientID, "alice")
		_, err = e.answer(t, clientID, types.ChallengeNameTypeSmsMfa, pw.Session, "alice", "SMS_MFA_CODE", "123456")
		wantCode(t, err, "NotAuthorizedException")
		e.Clock.Advance(3*time.Minute + time.Second)
		_, err = e.answer(t, clientID, types.ChallengeNameTypeSoftwareTokenMfa, pw.Session, "alice", "SOFTWARE_TOKEN_MFA_CODE",
			totpCode(t, secret, e.Clock.Now()))
		wantMessage(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")
	})
}

func TestMFARequiredSetUpDuringSignIn(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.mfaPool(t, &cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOn,
			SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}})
		e.signUpConfirmed(t, poolID, clientID, "bob", password)

		ch, err := e.srpPassword(t, clientID, poolID, "bob", password)
		if err != nil {
			t.Fatal(err)
		}
		wantChallenge(t, ch.ChallengeName, ch.ChallengeParameters, types.ChallengeNameTypeMfaSetup,
			map[string]string{"MFAS_CAN_SETUP": `["SOFTWARE_TOKEN_MFA"]`, "USER_ID_FOR_SRP": "bob"})

		assoc, err := e.Anon.AssociateSoftwareToken(ctx(t), &cip.AssociateSoftwareTokenInput{Session: ch.Session})
		if err != nil {
			t.Fatal(err)
		}
		secret := aws.ToString(assoc.SecretCode)
		if len(secret) != 52 || assoc.Session == nil {
			t.Fatalf("AssociateSoftwareToken = %q, session %v", secret, assoc.Session)
		}
		// MFA_SETUP is answered with VerifySoftwareToken's session, not
		// with one from before.
		_, err = e.answer(t, clientID, types.ChallengeNameTypeMfaSetup, assoc.Session, "bob", "", "")
		wantCode(t, err, "NotAuthorizedException")
		_, err = e.Anon.VerifySoftwareToken(ctx(t), &cip.VerifySoftwareTokenInput{Session: assoc.Session,
			UserCode: aws.String(otherCode(totpCode(t, secret, e.Clock.Now())))})
		wantCode(t, err, "EnableSoftwareTokenMFAException")
		verified, err := e.Anon.VerifySoftwareToken(ctx(t), &cip.VerifySoftwareTokenInput{Session: assoc.Session,
			UserCode: aws.String(totpCode(t, secret, e.Clock.Now())), FriendlyDeviceName: aws.String("bob's phone")})
		if err != nil {
			t.Fatal(err)
		}
		if verified.Status != types.VerifySoftwareTokenResponseTypeSuccess || verified.Session == nil {
			t.Fatalf("VerifySoftwareToken = %+v", verified)
		}
		done, err := e.answer(t, clientID, types.ChallengeNameTypeMfaSetup, verified.Session, "bob", "", "")
		if err != nil {
			t.Fatal(err)
		}
		if done.AuthenticationResult == nil || done.AuthenticationResult.AccessToken == nil {
			t.Fatalf("MFA_SETUP answer = %+v", done)
		}
		// The last step cannot be replayed.
		_, err = e.answer(t, clientID, types.ChallengeNameTypeMfaSetup, verified.Session, "bob", "", "")
		wantCode(t, err, "NotAuthorizedException")

		got, err := e.Admin.AdminGetUser(ctx(t), &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String("bob")})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.UserMFASettingList, []string{"SOFTWARE_TOKEN_MFA"}) {
			t.Fatalf("AdminGetUser UserMFASettingList = %v", got.UserMFASettingList)
		}

		// From now on bob answers SOFTWARE_TOKEN_MFA.
		ch, err = e.srpPassword(t, clientID, poolID, "bob", password)
		if err != nil {
			t.Fatal(err)
		}
		wantChallenge(t, ch.ChallengeName, ch.ChallengeParameters, types.ChallengeNameTypeSoftwareTokenMfa,
			map[string]string{"FRIENDLY_DEVICE_NAME": "bob's phone"})
		e.nextTOTPStep()
		if _, err := e.answer(t, clientID, types.ChallengeNameTypeSoftwareTokenMfa, ch.Session, "bob", "SOFTWARE_TOKEN_MFA_CODE",
			totpCode(t, secret, e.Clock.Now())); err != nil {
			t.Fatal(err)
		}

		// An administrator disabling bob's only factor does not let him skip
		// MFA: the pool requires it.
		if _, err := e.Admin.AdminSetUserMFAPreference(ctx(t), &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(poolID),
			Username: aws.String("bob"), SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: false}}); err != nil {
			t.Fatal(err)
		}
		got, err = e.Admin.AdminGetUser(ctx(t), &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String("bob")})
		if err != nil || len(got.UserMFASettingList) != 0 || got.PreferredMfaSetting != nil {
			t.Fatalf("AdminGetUser after disabling = %v, %v, %v", got.UserMFASettingList, got.PreferredMfaSetting, err)
		}
		// His authenticator is still verified, so it is asked for anyway.
		pw := e.passwordSignIn(t, clientID, "bob")
		wantChallenge(t, pw.ChallengeName, pw.ChallengeParameters, types.ChallengeNameTypeSoftwareTokenMfa, nil)
	})
}

func TestSMSAndEmailMFA(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		set, err := e.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String("mfa")})
		if err != nil {
			t.Fatal(err)
		}
		poolID := *set.UserPool.Id
		sns := &types.SmsConfigurationType{SnsCallerArn: aws.String("arn:aws:iam::000000000000:role/cognito-sns"), ExternalId: aws.String("x")}
		cfg, err := e.Admin.SetUserPoolMfaConfig(ctx(t), &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(poolID),
			MfaConfiguration: types.UserPoolMfaTypeOptional,
			SmsMfaConfiguration: &types.SmsMfaConfigType{SmsAuthenticationMessage: aws.String("Sign-in code: {####}"),
				SmsConfiguration: sns},
			EmailMfaConfiguration: &types.EmailMfaConfigType{Message: aws.String("Your sign-in code is {####}."), Subject: aws.String("Sign-in code")}})
		if err != nil {
			t.Fatal(err)
		}
		if cfg.MfaConfiguration != types.UserPoolMfaTypeOptional || cfg.SoftwareTokenMfaConfiguration != nil ||
			aws.ToString(cfg.SmsMfaConfiguration.SmsConfiguration.SnsCallerArn) != *sns.SnsCallerArn {
			t.Fatalf("SetUserPoolMfaConfig = %+v", cfg)
		}
		read, err := e.Admin.GetUserPoolMfaConfig(ctx(t), &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String(poolID)})
		if err != nil {
			t.Fatal(err)
		}
		if read.MfaConfiguration != types.UserPoolMfaTypeOptional || aws.ToString(read.SmsMfaConfiguration.SmsAuthenticationMessage) != "Sign-in code: {####}" ||
			aws.ToString(read.EmailMfaConfiguration.Subject) != "Sign-in code" || aws.ToString(read.SmsMfaConfiguration.SmsConfiguration.ExternalId) != "x" {
			t.Fatalf("GetUserPoolMfaConfig = %+v", read)
		}
		c, err := e.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("app"),
			ExplicitAuthFlows: mfaFlows})
		if err != nil {
			t.Fatal(err)
		}
		clientID := *c.UserPoolClient.ClientId
		if _, err := e.Admin.AdminCreateUser(ctx(t), &cip.AdminCreateUserInput{UserPoolId: aws.String(poolID), Username: aws.String("carol"),
			MessageAction: types.MessageActionTypeSuppress, UserAttributes: []types.AttributeType{
				{Name: aws.String("email"), Value: aws.String("carol@example.com")},
				{Name: aws.String("phone_number"), Value: aws.String("+15550001234")}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Admin.AdminSetUserPassword(ctx(t), &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(poolID),
			Username: aws.String("carol"), Password: aws.String(password), Permanent: true}); err != nil {
			t.Fatal(err)
		}
		_, err = e.Admin.AdminSetUserMFAPreference(ctx(t), &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(poolID), Username: aws.String("carol"),
			SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true}})
		wantCode(t, err, "InvalidParameterException")
		if _, err := e.Admin.AdminSetUserMFAPreference(ctx(t), &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(poolID),
			Username: aws.String("carol"), SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true, PreferredMfa: true}}); err != nil {
			t.Fatal(err)
		}
		got, err := e.Admin.AdminGetUser(ctx(t), &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String("carol")})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.UserMFASettingList, []string{"SMS_MFA"}) || aws.ToString(got.PreferredMfaSetting) != "SMS_MFA" ||
			len(got.MFAOptions) != 1 || got.MFAOptions[0].DeliveryMedium != types.DeliveryMediumTypeSms ||
			aws.ToString(got.MFAOptions[0].AttributeName) != "phone_number" {
			t.Fatalf("AdminGetUser MFA = %v, %v, %+v", got.UserMFASettingList, aws.ToString(got.PreferredMfaSetting), got.MFAOptions)
		}

		// SMS_MFA, to the (unverified) phone number, with the pool's text.
		ch, err := e.srpPassword(t, clientID, poolID, "carol", password)
		if err != nil {
			t.Fatal(err)
		}
		wantChallenge(t, ch.ChallengeName, ch.ChallengeParameters, types.ChallengeNameTypeSmsMfa, map[string]string{
			"CODE_DELIVERY_DELIVERY_MEDIUM": "SMS", "CODE_DELIVERY_DESTINATION": "+*******1234", "USER_ID_FOR_SRP": "carol"})
		msgs := e.messages(poolID, "carol")
		sms := msgs[len(msgs)-1]
		if sms.Channel != "SMS" || sms.Destination != "+15550001234" || sms.Purpose != "Authentication" || sms.Body != "Sign-in code: "+sms.Code {
			t.Fatalf("SMS = %+v", sms)
		}
		_, err = e.answer(t, clientID, types.ChallengeNameTypeSmsMfa, ch.Session, "carol", "SMS_MFA_CODE", otherCode(sms.Code))
		wantMessage(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
		done, err := e.answer(t, clientID, types.ChallengeNameTypeSmsMfa, ch.Session, "carol", "SMS_MFA_CODE", sms.Code)
		if err != nil || done.AuthenticationResult == nil {
			t.Fatalf("SMS_MFA answer = %+v, %v", done, err)
		}
		_, err = e.answer(t, clientID, types.ChallengeNameTypeSmsMfa, ch.Session, "carol", "SMS_MFA_CODE", sms.Code)
		wantCode(t, err, "CodeMismatchException")
		user, err := e.Anon.GetUser(ctx(t), &cip.GetUserInput{AccessToken: done.AuthenticationResult.AccessToken})
		if err != nil {
			t.Fatal(err)
		}
		if !hasAttribute(user.UserAttributes, "phone_number_verified", "true") {
			t.Fatalf("phone number not verified by the first SMS MFA: %v", user.UserAttributes)
		}

		// Email MFA too and no preference: carol chooses.
		if _, err := e.Anon.SetUserMFAPreference(ctx(t), &cip.SetUserMFAPreferenceInput{AccessToken: done.AuthenticationResult.AccessToken,
			SMSMfaSettings:   &types.SMSMfaSettingsType{Enabled: true, PreferredMfa: false},
			EmailMfaSettings: &types.EmailMfaSettingsType{Enabled: true}}); err != nil {
			t.Fatal(err)
		}
		pw := e.passwordSignIn(t, clientID, "carol")
		wantChallenge(t, pw.ChallengeName, pw.ChallengeParameters, types.ChallengeNameTypeSelectMfaType,
			map[string]string{"MFAS_CAN_CHOOSE": `["SMS_MFA","EMAIL_OTP"]`, "USER_ID_FOR_SRP": "carol"})
		_, err = e.answer(t, clientID, types.ChallengeNameTypeSelectMfaType, pw.Session, "carol", "ANSWER", "SOFTWARE_TOKEN_MFA")
		wantCode(t, err, "InvalidParameterException")
		chosen, err := e.answer(t, clientID, types.ChallengeNameTypeSelectMfaType, pw.Session, "carol", "ANSWER", "EMAIL_OTP")
		if err != nil {
			t.Fatal(err)
		}
		wantChallenge(t, chosen.ChallengeName, chosen.ChallengeParameters, types.ChallengeNameTypeEmailOtp, map[string]string{
			"CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL", "CODE_DELIVERY_DESTINATION": "c***@e***"})
		msgs = e.messages(poolID, "carol")
		mail := msgs[len(msgs)-1]
		if mail.Channel != "EMAIL" || mail.Destination != "carol@example.com" || mail.Subject != "Sign-in code" ||
			mail.Body != "Your sign-in code is "+mail.Code+"." {
			t.Fatalf("email = %+v", mail)
		}
		if done, err := e.answer(t, clientID, types.ChallengeNameTypeEmailOtp, chosen.Session, "carol", "EMAIL_OTP_CODE", mail.Code); err != nil ||
			done.AuthenticationResult == nil {
			t.Fatalf("EMAIL_OTP answer = %+v, %v", done, err)
		}

		// A newer sign-in's code replaces an older one's.
		older := e.passwordSignIn(t, clientID, "carol")
		olderSMS, err := e.answer(t, clientID, types.ChallengeNameTypeSelectMfaType, older.Session, "carol", "ANSWER", "SMS_MFA")
		if err != nil {
			t.Fatal(err)
		}
		olderCode := e.lastCode(poolID, "carol")
		newer := e.passwordSignIn(t, clientID, "carol")
		if _, err := e.answer(t, clientID, types.ChallengeNameTypeSelectMfaType, newer.Session, "carol", "ANSWER", "SMS_MFA"); err != nil {
			t.Fatal(err)
		}
		_, err = e.answer(t, clientID, types.ChallengeNameTypeSmsMfa, olderSMS.Session, "carol", "SMS_MFA_CODE", olderCode)
		wantCode(t, err, "CodeMismatchException")

		// Codes expire with their session.
		pw = e.passwordSignIn(t, clientID, "carol")
		sel, err := e.answer(t, clientID, types.ChallengeNameTypeSelectMfaType, pw.Session, "carol", "ANSWER", "EMAIL_OTP")
		if err != nil {
			t.Fatal(err)
		}
		e.Clock.Advance(3*time.Minute + time.Second)
		_, err = e.answer(t, clientID, types.ChallengeNameTypeEmailOtp, sel.Session, "carol", "EMAIL_OTP_CODE", e.lastCode(poolID, "carol"))
		wantMessage(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")
	})
}

func hasAttribute(attrs []types.AttributeType, name, value string) bool {
	return slices.ContainsFunc(attrs, func(a types.AttributeType) bool {
		return aws.ToString(a.Name) == name && aws.ToString(a.Value) == value
	})
}

func TestPoolMFAConfiguration(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		_, err := e.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String("on"), MfaConfiguration: types.UserPoolMfaTypeOn})
		wantMessage(t, err, "InvalidParameterException", "SMS configuration and Auto verification for phone_number are required when MFA is required/optional")
		sns := &types.SmsConfigurationType{SnsCallerArn: aws.String("arn:aws:iam::000000000000:role/cognito-sns")}
		p, err := e.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String("on"), MfaConfiguration: types.UserPoolMfaTypeOn,
			SmsConfiguration: sns, AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypePhoneNumber},
			SmsAuthenticationMessage: aws.String("Code {####}")})
		if err != nil {
			t.Fatal(err)
		}
		poolID := aws.String(*p.UserPool.Id)
		if p.UserPool.MfaConfiguration != types.UserPoolMfaTypeOn {
			t.Fatalf("MfaConfiguration = %v", p.UserPool.MfaConfiguration)
		}
		read, err := e.Admin.GetUserPoolMfaConfig(ctx(t), &cip.GetUserPoolMfaConfigInput{UserPoolId: poolID})
		if err != nil {
			t.Fatal(err)
		}
		if read.SmsMfaConfiguration == nil || aws.ToString(read.SmsMfaConfiguration.SmsAuthenticationMessage) != "Code {####}" ||
			aws.ToString(read.SmsMfaConfiguration.SmsConfiguration.SnsCallerArn) != *sns.SnsCallerArn || read.SoftwareTokenMfaConfiguration != nil {
			t.Fatalf("GetUserPoolMfaConfig = %+v", read)
		}

		_, err = e.Admin.SetUserPoolMfaConfig(ctx(t), &cip.SetUserPoolMfaConfigInput{UserPoolId: poolID, MfaConfiguration: types.UserPoolMfaTypeOff,
			SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}})
		wantMessage(t, err, "InvalidParameterException", "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.")
		_, err = e.Admin.SetUserPoolMfaConfig(ctx(t), &cip.SetUserPoolMfaConfigInput{UserPoolId: poolID, MfaConfiguration: types.UserPoolMfaTypeOptional})
		wantMessage(t, err, "InvalidParameterException", "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.")
		_, err = e.Admin.SetUserPoolMfaConfig(ctx(t), &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(region + "_NoSuchPoo"),
			MfaConfiguration: types.UserPoolMfaTypeOff})
		wantCode(t, err, "ResourceNotFoundException")

		// TOTP alone, keeping the mode.
		if _, err := e.Admin.SetUserPoolMfaConfig(ctx(t), &cip.SetUserPoolMfaConfigInput{UserPoolId: poolID,
			SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}}); err != nil {
			t.Fatal(err)
		}
		read, err = e.Admin.GetUserPoolMfaConfig(ctx(t), &cip.GetUserPoolMfaConfigInput{UserPoolId: poolID})
		if err != nil {
			t.Fatal(err)
		}
		if read.MfaConfiguration != types.UserPoolMfaTypeOn || read.SmsMfaConfiguration != nil || read.SoftwareTokenMfaConfiguration == nil ||
			!read.SoftwareTokenMfaConfiguration.Enabled {
			t.Fatalf("GetUserPoolMfaConfig = %+v", read)
		}
		// UpdateUserPool keeps the factors while MFA stays on, and drops
		// them with MFA OFF.
		if _, err := e.Admin.UpdateUserPool(ctx(t), &cip.UpdateUserPoolInput{UserPoolId: poolID, MfaConfiguration: types.UserPoolMfaTypeOptional}); err != nil {
			t.Fatal(err)
		}
		read, _ = e.Admin.GetUserPoolMfaConfig(ctx(t), &cip.GetUserPoolMfaConfigInput{UserPoolId: poolID})
		if read.MfaConfiguration != types.UserPoolMfaTypeOptional || read.SoftwareTokenMfaConfiguration == nil {
			t.Fatalf("after UpdateUserPool OPTIONAL: %+v", read)
		}
		if _, err := e.Admin.UpdateUserPool(ctx(t), &cip.UpdateUserPoolInput{UserPoolId: poolID, MfaConfiguration: types.UserPoolMfaTypeOff}); err != nil {
			t.Fatal(err)
		}
		read, _ = e.Admin.GetUserPoolMfaConfig(ctx(t), &cip.GetUserPoolMfaConfigInput{UserPoolId: poolID})
		if read.MfaConfiguration != types.UserPoolMfaTypeOff || read.SoftwareTokenMfaConfiguration != nil {
			t.Fatalf("after UpdateUserPool OFF: %+v", read)
		}
	})
}

// TestMFAAcrossReplicas spreads MFA set-up and sign-in over two servers
// sharing one database: every step is a sealed state either can continue.
func TestMFAAcrossReplicas(t *testing.T) {
	db, keyDir := pgtest.URL(t), t.TempDir()
	a, b := startIn(t, db, keyDir, "https://auth.example.test"), startIn(t, db, keyDir, "https://auth.example.test")
	poolID, clientID := a.mfaPool(t, &cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOn,
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}})
	b.signUpConfirmed(t, poolID, clientID, "dora", password)

	setup := a.passwordSignIn(t, clientID, "dora")
	wantChallenge(t, setup.ChallengeName, setup.ChallengeParameters, types.ChallengeNameTypeMfaSetup, nil)
	assoc, err := b.Anon.AssociateSoftwareToken(ctx(t), &cip.AssociateSoftwareTokenInput{Session: setup.Session})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	verified, err := a.Anon.VerifySoftwareToken(ctx(t), &cip.VerifySoftwareTokenInput{Session: assoc.Session,
		UserCode: aws.String(totpCode(t, *assoc.SecretCode, now))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.answer(t, clientID, types.ChallengeNameTypeMfaSetup, verified.Session, "dora", "", ""); err != nil {
		t.Fatal(err)
	}

	// The code of the next step, accepted one step early: a challenge
	// issued by one replica and answered on the other, then the same
	// answer on the first, which the database refuses.
	ch := b.passwordSignIn(t, clientID, "dora")
	code := totpCode(t, *assoc.SecretCode, now.Add(30*time.Second))
	if _, err := a.answer(t, clientID, types.ChallengeNameTypeSoftwareTokenMfa, ch.Session, "dora", "SOFTWARE_TOKEN_MFA_CODE", code); err != nil {
		t.Fatal(err)
	}
	_, err = b.answer(t, clientID, types.ChallengeNameTypeSoftwareTokenMfa, ch.Session, "dora", "SOFTWARE_TOKEN_MFA_CODE", code)
	wantMessage(t, err, "CodeMismatchException", "Your software token has already been used once.")
}
