package integration

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognate-auth/cognate/auth/cognitosrp"
)

// userMigrationARN is the user migration function of these tests.
const userMigrationARN = "arn:aws:lambda:us-east-1:000000000000:function:user-migration"

// legacyPassword is every legacy user's password in the old directory.
const legacyPassword = "legacy-Passw0rd"

// migrateFrom answers the user migration trigger as a function reading a
// legacy directory would: a name it knows, with its password at sign-in,
// is described with the answer's members (an email address and the
// response's other members); anything else is refused with "Bad
// password". Other triggers get their event back.
func migrateFrom(known map[string]bool, response map[string]any) func(http.ResponseWriter, map[string]any) {
	return func(w http.ResponseWriter, event map[string]any) {
		src, _ := event["triggerSource"].(string)
		if src != "UserMigration_Authentication" && src != "UserMigration_ForgotPassword" {
			reply(w, event, nil)
			return
		}
		name, _ := event["userName"].(string)
		if !known[name] || (src == "UserMigration_Authentication" && member(event, "request.password") != legacyPassword) {
			fail("Bad password")(w, event)
			return
		}
		resp := map[string]any{"userAttributes": map[string]any{"email": name + "@legacy.example.com", "email_verified": "true"}}
		for k, v := range response {
			resp[k] = v
		}
		reply(w, event, resp)
	}
}

func (e *env) migrationSignIn(t *testing.T, clientID, name, pw string) (*cip.InitiateAuthOutput, error) {
	return e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(clientID),
		AuthParameters: map[string]string{"USERNAME": name, "PASSWORD": pw}, ClientMetadata: map[string]string{"app": "web"}})
}

func (e *env) wantUser(t *testing.T, poolID, name string, status types.UserStatusType, email string) *cip.AdminGetUserOutput {
	t.Helper()
	u, err := e.Admin.AdminGetUser(ctx(t), &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String(name)})
	if err != nil {
		t.Fatalf("AdminGetUser %s: %v", name, err)
	}
	if u.UserStatus != status || attr(u.UserAttributes, "email") != email || attr(u.UserAttributes, "email_verified") != "true" {
		t.Errorf("user %s: status %s, attributes %+v; want %s, %s verified", name, u.UserStatus, u.UserAttributes, status, email)
	}
	return u
}

func TestUserMigrationSignIn(t *testing.T) {
	triggerEngines(t, func(t *testing.T, e *env, h *hook) {
		poolID, clientID := e.triggerPool(t, &types.LambdaConfigType{UserMigration: aws.String(userMigrationARN)})
		d, err := e.Admin.DescribeUserPool(ctx(t), &cip.DescribeUserPoolInput{UserPoolId: aws.String(poolID)})
		if err != nil || aws.ToString(d.UserPool.LambdaConfig.UserMigration) != userMigrationARN {
			t.Fatalf("LambdaConfig described as %+v (%v)", d.UserPool.LambdaConfig, err)
		}
		known := map[string]bool{"linda": true, "olivia": true, "paul": true}
		h.on(migrateFrom(known, map[string]any{"finalUserStatus": "CONFIRMED", "messageAction": "SUPPRESS"}))

		// A legacy user signs in with the legacy password: migrated, and signed in in the same request.
		out, err := e.migrationSignIn(t, clientID, "linda", legacyPassword)
		if err != nil {
			t.Fatalf("sign-in of a legacy user: %v", err)
		}
		id, _ := e.verifiedTokens(t, poolID, out.AuthenticationResult)
		wantEvent(t, h.received(poolID), map[string]any{"triggerSource": "UserMigration_Authentication", "userName": "linda",
			"callerContext.clientId": clientID, "request.password": legacyPassword,
			"request.clientMetadata": map[string]any{"app": "web"}, "request.validationData": map[string]any{"app": "web"}})
		u := e.wantUser(t, poolID, "linda", types.UserStatusTypeConfirmed, "linda@legacy.example.com")
		if id["email"] != "linda@legacy.example.com" || id["sub"] != attr(u.UserAttributes, "sub") {
			t.Errorf("ID token claims %v", id)
		}
		// The user is Cognate's now: the function is not asked again, and SRP works with the password kept.
		if _, err := e.migrationSignIn(t, clientID, "linda", legacyPassword); err != nil {
			t.Fatalf("second sign-in: %v", err)
		}
		if _, err := e.srpSignIn(t, poolID, clientID, "linda", legacyPassword); err != nil {
			t.Fatalf("SRP sign-in of a migrated user: %v", err)
		}
		_, err = e.migrationSignIn(t, clientID, "linda", "Wr0ng-password!")
		wantError(t, err, "NotAuthorizedException", "Incorrect username or password.")
		if n := len(h.received(poolID)); n != 1 {
			t.Errorf("%d events, want the first sign-in's only", n)
		}

		// The function refuses a wrong password, or a name it does not know: nothing is created.
		for _, name := range []string{"olivia", "ghost"} {
			_, err = e.migrationSignIn(t, clientID, name, "Wr0ng-password!")
			wantError(t, err, "UserLambdaValidationException", "UserMigration failed with error Bad password.")
			e.wantNoUser(t, poolID, name)
		}

		// SRP sends no password: an unknown user is not migrated, as in Cognito.
		before := len(h.received(poolID))
		_, err = e.srpSignIn(t, poolID, clientID, "olivia", legacyPassword)
		wantCode(t, err, "UserNotFoundException")
		if n := len(h.received(poolID)); n != before {
			t.Errorf("SRP sign-in of an unknown user invoked the migration function")
		}
		e.wantNoUser(t, poolID, "olivia")

		// The administrators' password flow migrates too.
		a, err := e.Admin.AdminInitiateAuth(ctx(t), &cip.AdminInitiateAuthInput{AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth,
			UserPoolId: aws.String(poolID), ClientId: aws.String(clientID), AuthParameters: map[string]string{"USERNAME": "paul", "PASSWORD": legacyPassword}})
		if err != nil || a.AuthenticationResult == nil {
			t.Fatalf("admin sign-in of a legacy user: %v", err)
		}
		e.wantUser(t, poolID, "paul", types.UserStatusTypeConfirmed, "paul@legacy.example.com")

		// An answer describing no user, or with a status Cognito does not know, is the function's fault; nothing is created.
		for _, resp := range []map[string]any{{"userAttributes": nil}, {"finalUserStatus": "ENABLED"}, {"messageAction": "SEND"}} {
			h.on(migrateFrom(known, resp))
			_, err = e.migrationSignIn(t, clientID, "olivia", legacyPassword)
			wantError(t, err, "InvalidLambdaResponseException", "Unrecognizable lambda output")
			e.wantNoUser(t, poolID, "olivia")
		}

		// RESET_REQUIRED: created, and the sign-in asks for a password reset.
		h.on(migrateFrom(known, map[string]any{"finalUserStatus": "RESET_REQUIRED"}))
		_, err = e.migrationSignIn(t, clientID, "olivia", legacyPassword)
		wantCode(t, err, "PasswordResetRequiredException")
		e.wantUser(t, poolID, "olivia", types.UserStatusTypeResetRequired, "olivia@legacy.example.com")

		// A client preventing user existence errors: a name the function refuses fails as a wrong password.
		hiding, err := e.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("hiding"),
			PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled,
			ExplicitAuthFlows:          []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.migrationSignIn(t, *hiding.UserPoolClient.ClientId, "ghost", legacyPassword)
		wantError(t, err, "NotAuthorizedException", "Incorrect username or password.")
		e.wantNoUser(t, poolID, "ghost")
		known["rita"] = true
		if _, err := e.migrationSignIn(t, *hiding.UserPoolClient.ClientId, "rita", legacyPassword); err == nil {
			t.Error("a RESET_REQUIRED migration signed in")
		}
		e.wantUser(t, poolID, "rita", types.UserStatusTypeResetRequired, "rita@legacy.example.com")
	})
}

func TestUserMigrationForgotPassword(t *testing.T) {
	triggerEngines(t, func(t *testing.T, e *env, h *hook) {
		poolID, clientID := e.triggerPool(t, &types.LambdaConfigType{UserMigration: aws.String(userMigrationARN)})
		h.on(migrateFrom(map[string]bool{"quinn": true}, map[string]any{"finalUserStatus": "CONFIRMED", "messageAction": "SUPPRESS"}))
		out, err := e.Anon.ForgotPassword(ctx(t), &cip.ForgotPasswordInput{ClientId: aws.String(clientID), Username: aws.String("quinn"),
			ClientMetadata: map[string]string{"reason": "forgot"}})
		if err != nil {
			t.Fatalf("ForgotPassword of a legacy user: %v", err)
		}
		if out.CodeDeliveryDetails == nil || out.CodeDeliveryDetails.DeliveryMedium != types.DeliveryMediumTypeEmail {
			t.Errorf("delivery %+v", out.CodeDeliveryDetails)
		}
		wantEvent(t, h.received(poolID), map[string]any{"triggerSource": "UserMigration_ForgotPassword", "userName": "quinn",
			"request.password": nil, "request.clientMetadata": map[string]any{"reason": "forgot"}})
		e.wantUser(t, poolID, "quinn", types.UserStatusTypeResetRequired, "quinn@legacy.example.com")
		code := e.lastCode(poolID, "quinn")
		if code == "" {
			t.Fatal("no reset code sent")
		}
		if _, err := e.Anon.ConfirmForgotPassword(ctx(t), &cip.ConfirmForgotPasswordInput{ClientId: aws.String(clientID), Username: aws.String("quinn"),
			ConfirmationCode: aws.String(code), Password: aws.String(password)}); err != nil {
			t.Fatalf("ConfirmForgotPassword: %v", err)
		}
		e.wantUser(t, poolID, "quinn", types.UserStatusTypeConfirmed, "quinn@legacy.example.com")
		if _, err := e.migrationSignIn(t, clientID, "quinn", password); err != nil {
			t.Fatalf("sign-in with the new password: %v", err)
		}
		// A name the function does not know: its error, and no user.
		_, err = e.Anon.ForgotPassword(ctx(t), &cip.ForgotPasswordInput{ClientId: aws.String(clientID), Username: aws.String("nobody")})
		wantError(t, err, "UserLambdaValidationException", "UserMigration failed with error Bad password.")
		e.wantNoUser(t, poolID, "nobody")
		// A client preventing user existence errors pretends a delivery instead; still no user.
		hiding, err := e.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("hiding"),
			PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled})
		if err != nil {
			t.Fatal(err)
		}
		before := len(h.received(poolID))
		pretended, err := e.Anon.ForgotPassword(ctx(t), &cip.ForgotPasswordInput{ClientId: hiding.UserPoolClient.ClientId, Username: aws.String("nobody")})
		if err != nil || pretended.CodeDeliveryDetails == nil {
			t.Fatalf("ForgotPassword of a name the function refuses, existence hidden: %+v, %v", pretended, err)
		}
		if n := len(h.received(poolID)) - before; n != 1 {
			t.Errorf("%d migration events, want 1", n)
		}
		e.wantNoUser(t, poolID, "nobody")
	})
}

// Two sign-ins migrating one user at once end with one user, both signed in.
func TestUserMigrationRace(t *testing.T) {
	triggerEngines(t, func(t *testing.T, e *env, h *hook) {
		poolID, clientID := e.triggerPool(t, &types.LambdaConfigType{UserMigration: aws.String(userMigrationARN)})
		answer := migrateFrom(map[string]bool{"sam": true}, map[string]any{"finalUserStatus": "CONFIRMED"})
		var arrived sync.WaitGroup
		arrived.Add(2)
		h.on(func(w http.ResponseWriter, event map[string]any) {
			arrived.Done()
			arrived.Wait() // both sign-ins are past the look-up before either creates the user
			answer(w, event)
		})
		outs := make([]*cip.InitiateAuthOutput, 2)
		errs := make([]error, 2)
		var done sync.WaitGroup
		for i := range 2 {
			done.Add(1)
			go func() {
				defer done.Done()
				outs[i], errs[i] = e.migrationSignIn(t, clientID, "sam", legacyPassword)
			}()
		}
		waited := make(chan struct{})
		go func() { done.Wait(); close(waited) }()
		select {
		case <-waited:
		case <-time.After(20 * time.Second):
			t.Fatal("the racing sign-ins did not end")
		}
		subs := make([]string, 2)
		for i, err := range errs {
			if err != nil {
				t.Fatalf("sign-in %d: %v", i, err)
			}
			id, _ := e.verifiedTokens(t, poolID, outs[i].AuthenticationResult)
			subs[i], _ = id["sub"].(string)
		}
		if n := len(h.received(poolID)); n != 2 {
			t.Errorf("%d migration events, want 2", n)
		}
		if subs[0] == "" || subs[0] != subs[1] {
			t.Errorf("subs %q, want one user's", subs)
		}
		users, err := e.Admin.ListUsers(ctx(t), &cip.ListUsersInput{UserPoolId: aws.String(poolID)})
		if err != nil || len(users.Users) != 1 {
			t.Fatalf("%d users (%v), want 1", len(users.Users), err)
		}
	})
}

// USER_AUTH's password factor migrates as USER_PASSWORD_AUTH does; a client
// with a secret must vouch for the name before the function hears of it.
func TestUserMigrationChoiceAndSecret(t *testing.T) {
	triggerEngines(t, func(t *testing.T, e *env, h *hook) {
		p, err := e.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String("migration"),
			LambdaConfig: &types.LambdaConfigType{UserMigration: aws.String(userMigrationARN)},
			Policies: &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{
				AllowedFirstAuthFactors: []types.AuthFactorType{types.AuthFactorTypePassword}}}})
		if err != nil {
			t.Fatal(err)
		}
		poolID := aws.ToString(p.UserPool.Id)
		c, err := e.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: p.UserPool.Id, ClientName: aws.String("secret"),
			GenerateSecret:    true,
			ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
		if err != nil {
			t.Fatal(err)
		}
		clientID, secret := aws.ToString(c.UserPoolClient.ClientId), aws.ToString(c.UserPoolClient.ClientSecret)
		h.on(migrateFrom(map[string]bool{"uma": true}, nil))
		signIn := func(hash string) (*cip.InitiateAuthOutput, error) {
			return e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserAuth, ClientId: aws.String(clientID),
				AuthParameters: map[string]string{"USERNAME": "uma", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": legacyPassword, "SECRET_HASH": hash}})
		}
		_, err = signIn(cognitosrp.SecretHash("someone-else", clientID, secret))
		wantError(t, err, "NotAuthorizedException", "Unable to verify secret hash for client "+clientID)
		if n := len(h.received(poolID)); n != 0 {
			t.Errorf("%d events for a name the client did not vouch for", n)
		}
		e.wantNoUser(t, poolID, "uma")
		out, err := signIn(cognitosrp.SecretHash("uma", clientID, secret))
		if err != nil || out.AuthenticationResult == nil {
			t.Fatalf("USER_AUTH password sign-in of a legacy user: %v", err)
		}
		wantEvent(t, h.received(poolID), map[string]any{"triggerSource": "UserMigration_Authentication", "userName": "uma",
			"request.password": legacyPassword})
		e.wantUser(t, poolID, "uma", types.UserStatusTypeConfirmed, "uma@legacy.example.com")
	})
}

// enableSMSMFA turns the migrated user's SMS MFA on: the migrating sign-in
// goes on to the SMS_MFA challenge.
func TestUserMigrationSMSMFA(t *testing.T) {
	triggerEngines(t, func(t *testing.T, e *env, h *hook) {
		poolID, clientID := e.triggerPool(t, &types.LambdaConfigType{UserMigration: aws.String(userMigrationARN)})
		sns := &types.SmsConfigurationType{SnsCallerArn: aws.String("arn:aws:iam::000000000000:role/cognito-sns"), ExternalId: aws.String("x")}
		if _, err := e.Admin.SetUserPoolMfaConfig(ctx(t), &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(poolID),
			MfaConfiguration:    types.UserPoolMfaTypeOptional,
			SmsMfaConfiguration: &types.SmsMfaConfigType{SmsAuthenticationMessage: aws.String("Sign-in code: {####}"), SmsConfiguration: sns}}); err != nil {
			t.Fatal(err)
		}
		h.on(migrateFrom(map[string]bool{"mia": true}, map[string]any{"finalUserStatus": "CONFIRMED", "enableSMSMFA": true,
			"userAttributes": map[string]any{"email": "mia@legacy.example.com", "email_verified": "true", "phone_number": "+15555550100"}}))
		out, err := e.migrationSignIn(t, clientID, "mia", legacyPassword)
		if err != nil {
			t.Fatalf("sign-in of a legacy user with SMS MFA: %v", err)
		}
		if out.ChallengeName != types.ChallengeNameTypeSmsMfa || out.AuthenticationResult != nil {
			t.Fatalf("challenge %q, tokens %v; want SMS_MFA", out.ChallengeName, out.AuthenticationResult != nil)
		}
		code := e.lastCode(poolID, "mia")
		done, err := e.Anon.RespondToAuthChallenge(ctx(t), &cip.RespondToAuthChallengeInput{ClientId: aws.String(clientID),
			ChallengeName: types.ChallengeNameTypeSmsMfa, Session: out.Session,
			ChallengeResponses: map[string]string{"USERNAME": "mia", "SMS_MFA_CODE": code}})
		if err != nil || done.AuthenticationResult == nil {
			t.Fatalf("SMS_MFA answer: %v", err)
		}
	})
}
