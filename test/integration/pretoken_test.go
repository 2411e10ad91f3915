package integration

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognate-auth/cognate/internal/config"
	"github.com/cognate-auth/cognate/internal/server"
)

// preTokenARN is the pre token generation function of these tests.
const preTokenARN = "arn:aws:lambda:us-east-1:000000000000:function:pre-token"

const testRole = "arn:aws:iam::000000000000:role/readers"

// answerPreToken answers the pre token generation trigger with response,
// and every other trigger with its event.
func answerPreToken(response map[string]any) func(http.ResponseWriter, map[string]any) {
	return func(w http.ResponseWriter, event map[string]any) {
		if strings.HasPrefix(event["triggerSource"].(string), "TokenGeneration_") {
			reply(w, event, response)
			return
		}
		reply(w, event, nil)
	}
}

// tokens verifies a result's tokens against the pool's JWKS.
func (e *env) verifiedTokens(t *testing.T, poolID string, auth *types.AuthenticationResultType) (id, access map[string]any) {
	t.Helper()
	if auth == nil {
		t.Fatal("no tokens")
	}
	jwks := e.URL + "/" + poolID + "/.well-known/jwks.json"
	return verifyWithJWKS(t, jwks, aws.ToString(auth.IdToken)), verifyWithJWKS(t, jwks, aws.ToString(auth.AccessToken))
}

// wantClaims checks claims of a token; a nil value wants the claim absent.
func wantClaims(t *testing.T, what string, claims map[string]any, want map[string]any) {
	t.Helper()
	for name, w := range want {
		got, ok := claims[name]
		if w == nil {
			if ok {
				t.Errorf("%s: %s = %v, want none", what, name, got)
			}
			continue
		}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("%s: %s = %#v, want %#v", what, name, got, w)
		}
	}
}

func TestPreTokenGenerationConfiguration(t *testing.T) {
	triggerEngines(t, func(t *testing.T, e *env, h *hook) {
		for _, tt := range []struct {
			name string
			lc   *types.LambdaConfigType
			want string // "" accepted
		}{
			{"the older member", &types.LambdaConfigType{PreTokenGeneration: aws.String(preTokenARN)}, ""},
			{"a version", &types.LambdaConfigType{PreTokenGenerationConfig: &types.PreTokenGenerationVersionConfigType{
				LambdaArn: aws.String(preTokenARN), LambdaVersion: types.PreTokenGenerationLambdaVersionTypeV30}}, ""},
			{"both, the same", &types.LambdaConfigType{PreTokenGeneration: aws.String(preTokenARN),
				PreTokenGenerationConfig: &types.PreTokenGenerationVersionConfigType{
					LambdaArn: aws.String(preTokenARN), LambdaVersion: types.PreTokenGenerationLambdaVersionTypeV20}}, ""},
			{"both, different", &types.LambdaConfigType{PreTokenGeneration: aws.String(preAuthenticationARN),
				PreTokenGenerationConfig: &types.PreTokenGenerationVersionConfigType{
					LambdaArn: aws.String(preTokenARN), LambdaVersion: types.PreTokenGenerationLambdaVersionTypeV20}},
				"LambdaConfig.PreTokenGeneration and LambdaConfig.PreTokenGenerationConfig.LambdaArn must be the same function."},
			{"unreachable", &types.LambdaConfigType{PreTokenGenerationConfig: &types.PreTokenGenerationVersionConfigType{
				LambdaArn: aws.String(unmappedARN), LambdaVersion: types.PreTokenGenerationLambdaVersionTypeV10}}, "LambdaConfig.PreTokenGeneration"},
		} {
			_, err := e.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String("pretoken"), LambdaConfig: tt.lc})
			if tt.want == "" {
				if err != nil {
					t.Errorf("%s: %v", tt.name, err)
				}
				continue
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s: %v, want InvalidParameterException %q", tt.name, err, tt.want)
			}
			wantCode(t, err, "InvalidParameterException")
		}
		poolID, clientID := e.triggerPool(t, &types.LambdaConfigType{PreTokenGenerationConfig: &types.PreTokenGenerationVersionConfigType{
			LambdaArn: aws.String(preTokenARN), LambdaVersion: types.PreTokenGenerationLambdaVersionTypeV20}})
		d, err := e.Admin.DescribeUserPool(ctx(t), &cip.DescribeUserPoolInput{UserPoolId: aws.String(poolID)})
		if err != nil {
			t.Fatal(err)
		}
		if lc := d.UserPool.LambdaConfig; lc.PreTokenGenerationConfig == nil || aws.ToString(lc.PreTokenGenerationConfig.LambdaArn) != preTokenARN ||
			lc.PreTokenGenerationConfig.LambdaVersion != types.PreTokenGenerationLambdaVersionTypeV20 || aws.ToString(lc.PreTokenGeneration) != preTokenARN {
			t.Errorf("LambdaConfig described as %+v %+v", lc, lc.PreTokenGenerationConfig)
		}
		// A function named by PreTokenGeneration alone is described as a V1_0 one.
		older, _ := e.triggerPool(t, &types.LambdaConfigType{PreTokenGeneration: aws.String(preTokenARN)})
		d, err = e.Admin.DescribeUserPool(ctx(t), &cip.DescribeUserPoolInput{UserPoolId: aws.String(older)})
		if err != nil {
			t.Fatal(err)
		}
		if c := d.UserPool.LambdaConfig.PreTokenGenerationConfig; c == nil || aws.ToString(c.LambdaArn) != preTokenARN ||
			c.LambdaVersion != types.PreTokenGenerationLambdaVersionTypeV10 {
			t.Errorf("PreTokenGenerationConfig of a PreTokenGeneration function described as %+v", c)
		}

		// A V3_0 function gets version 3 events for user sign-ins.
		_, err = e.Admin.UpdateUserPool(ctx(t), &cip.UpdateUserPoolInput{UserPoolId: aws.String(poolID),
			AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
			LambdaConfig: &types.LambdaConfigType{PreTokenGenerationConfig: &types.PreTokenGenerationVersionConfigType{
				LambdaArn: aws.String(preTokenARN), LambdaVersion: types.PreTokenGenerationLambdaVersionTypeV30}}})
		if err != nil {
			t.Fatal(err)
		}
		h.on(answerPreToken(map[string]any{"claimsAndScopeOverrideDetails": map[string]any{
			"accessTokenGeneration": map[string]any{"claimsToAddOrOverride": map[string]any{"v": 3}}}}))
		e.signUpConfirmed(t, poolID, clientID, "tess", password)
		before := len(h.received(poolID))
		out, err := e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(clientID),
			AuthParameters: map[string]string{"USERNAME": "tess", "PASSWORD": password}})
		if err != nil {
			t.Fatalf("sign-in: %v", err)
		}
		wantEvent(t, h.received(poolID)[before:], map[string]any{"version": "3", "triggerSource": "TokenGeneration_Authentication"})
		_, access := e.verifiedTokens(t, poolID, out.AuthenticationResult)
		wantClaims(t, "V3_0 access token", access, map[string]any{"v": float64(3)})
	})
}

// A V1_0 function changes the ID token's claims and the groups of both
// tokens, on sign-in, on a new password and on refresh; the claims Cognito
// protects stay; its failure fails the sign-in with no session left.
func TestPreTokenGenerationV1(t *testing.T) {
	triggerEngines(t, func(t *testing.T, e *env, h *hook) {
		poolID, clientID := e.triggerPool(t, &types.LambdaConfigType{PreTokenGeneration: aws.String(preTokenARN)})
		h.on(nil)
		sub := e.signUpConfirmed(t, poolID, clientID, "vera", password)
		if _, err := e.Admin.CreateGroup(ctx(t), &cip.CreateGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String("staff")}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Admin.AdminAddUserToGroup(ctx(t), &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(poolID),
			Username: aws.String("vera"), GroupName: aws.String("staff")}); err != nil {
			t.Fatal(err)
		}
		h.on(answerPreToken(map[string]any{"claimsOverrideDetails": map[string]any{
			"claimsToAddOrOverride": map[string]any{"tenant": "acme", "email": "override@example.com", "sub": "forged", "iss": "https://evil", "token_use": "access"},
			"claimsToSuppress":      []any{"email_verified", "aud", "cognito:username"},
			"groupOverrideDetails": map[string]any{"groupsToOverride": []any{"admins", "readers"},
				"iamRolesToOverride": []any{testRole}, "preferredRole": testRole},
		}}))
		signIn := func() (*cip.InitiateAuthOutput, error) {
			return e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(clientID),
				AuthParameters: map[string]string{"USERNAME": "vera", "PASSWORD": password}, ClientMetadata: map[string]string{"app": "web"}})
		}
		before := len(h.received(poolID))
		out, err := signIn()
		if err != nil {
			t.Fatalf("sign-in: %v", err)
		}
		wantEvent(t, h.received(poolID)[before:], map[string]any{"version": "1", "triggerSource": "TokenGeneration_Authentication",
			"userName": "vera", "callerContext.clientId": clientID, "request.userAttributes.sub": sub,
			"request.userAttributes.email": "vera@example.com", "request.clientMetadata": map[string]any{"app": "web"},
			"request.groupConfiguration": map[string]any{"groupsToOverride": []any{"staff"}, "iamRolesToOverride": []any{}, "preferredRole": nil},
			"response":                   map[string]any{"claimsOverrideDetails": nil}})
		check := func(what string, auth *types.AuthenticationResultType) {
			t.Helper()
			id, access := e.verifiedTokens(t, poolID, auth)
			wantClaims(t, what+" ID token", id, map[string]any{"tenant": "acme", "email": "override@example.com", "email_verified": nil,
				"sub": sub, "aud": clientID, "cognito:username": "vera", "token_use": "id", "iss": access["iss"],
				"cognito:groups": []any{"admins", "readers"}, "cognito:roles": []any{testRole}, "cognito:preferred_role": testRole})
			wantClaims(t, what+" access token", access, map[string]any{"tenant": nil, "sub": sub, "token_use": "access",
				"cognito:groups": []any{"admins", "readers"}})
			if !strings.HasPrefix(access["iss"].(string), e.URL) {
				t.Errorf("%s: iss %v", what, access["iss"])
			}
		}
		check("sign-in", out.AuthenticationResult)
		if _, err := e.Anon.GetUser(ctx(t), &cip.GetUserInput{AccessToken: out.AuthenticationResult.AccessToken}); err != nil {
			t.Errorf("GetUser: %v", err)
		}

		before = len(h.received(poolID))
		ref, err := e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(clientID),
			AuthParameters: map[string]string{"REFRESH_TOKEN": *out.AuthenticationResult.RefreshToken}, ClientMetadata: map[string]string{"on": "refresh"}})
		if err != nil {
			t.Fatalf("refresh: %v", err)
		}
		wantEvent(t, h.received(poolID)[before:], map[string]any{"triggerSource": "TokenGeneration_RefreshTokens",
			"request.clientMetadata": map[string]any{"on": "refresh"}})
		check("refresh", ref.AuthenticationResult)

		// A failing function fails the refresh and the sign-in, and leaves no new session.
		h.on(func(w http.ResponseWriter, event map[string]any) { fail("Claims service down")(w, event) })
		ref, err = e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(clientID),
			AuthParameters: map[string]string{"REFRESH_TOKEN": *out.AuthenticationResult.RefreshToken}})
		wantError(t, err, "UserLambdaValidationException", "PreTokenGeneration failed with error Claims service down.")
		if ref != nil {
			t.Errorf("tokens of a failed refresh: %+v", ref)
		}
		e.wantSessions(t, poolID, sub, 1)
		out, err = signIn()
		wantError(t, err, "UserLambdaValidationException", "PreTokenGeneration failed with error Claims service down.")
		if out != nil {
			t.Errorf("tokens of a failed sign-in: %+v", out)
		}
		_, err = e.srpSignIn(t, poolID, clientID, "vera", password)
		wantError(t, err, "UserLambdaValidationException", "PreTokenGeneration failed with error Claims service down.")
		e.wantSessions(t, poolID, sub, 0)

		// A temporary password's sign-in ends with the new password's source.
		h.on(nil)
		if _, err := e.Admin.AdminCreateUser(ctx(t), &cip.AdminCreateUserInput{UserPoolId: aws.String(poolID), Username: aws.String("nina"),
			TemporaryPassword: aws.String("Temp0rary-Pass!"), MessageAction: types.MessageActionTypeSuppress,
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("nina@example.com")}}}); err != nil {
			t.Fatal(err)
		}
		init, err := e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(clientID),
			AuthParameters: map[string]string{"USERNAME": "nina", "PASSWORD": "Temp0rary-Pass!"}})
		if err != nil || init.ChallengeName != types.ChallengeNameTypeNewPasswordRequired {
			t.Fatalf("temporary password: %v %+v", err, init)
		}
		before = len(h.received(poolID))
		done, err := e.Anon.RespondToAuthChallenge(ctx(t), &cip.RespondToAuthChallengeInput{ClientId: aws.String(clientID),
			ChallengeName: types.ChallengeNameTypeNewPasswordRequired, Session: init.Session,
			ChallengeResponses: map[string]string{"USERNAME": "nina", "NEW_PASSWORD": password}})
		if err != nil || done.AuthenticationResult == nil {
			t.Fatalf("new password: %v", err)
		}
		wantEvent(t, h.received(poolID)[before:], map[string]any{"triggerSource": "TokenGeneration_NewPasswordChallenge", "userName": "nina"})

		// Without groupOverrideDetails the groups stay; an empty one removes them.
		for _, tt := range []struct {
			name   string
			answer map[string]any
			groups any
		}{
			{"claims only", map[string]any{"claimsToAddOrOverride": map[string]any{"k": "v"}}, []any{"staff"}},
			{"null groups", map[string]any{"groupOverrideDetails": nil}, []any{"staff"}},
			{"empty groups", map[string]any{"groupOverrideDetails": map[string]any{}}, nil},
		} {
			h.on(answerPreToken(map[string]any{"claimsOverrideDetails": tt.answer}))
			out, err := signIn()
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			id, access := e.verifiedTokens(t, poolID, out.AuthenticationResult)
			wantClaims(t, tt.name+" ID token", id, map[string]any{"cognito:groups": tt.groups})
			wantClaims(t, tt.name+" access token", access, map[string]any{"cognito:groups": tt.groups})
		}
	})
}

// A V2_0 function changes both tokens: claims of any JSON type, and the
// access token's scopes; GetUser takes the changed access token while it
// keeps the user-pool API scope, and refuses it without.
func TestPreTokenGenerationV2(t *testing.T) {
	triggerEngines(t, func(t *testing.T, e *env, h *hook) {
		poolID, clientID := e.triggerPool(t, &types.LambdaConfigType{PreTokenGenerationConfig: &types.PreTokenGenerationVersionConfigType{
			LambdaArn: aws.String(preTokenARN), LambdaVersion: types.PreTokenGenerationLambdaVersionTypeV20}})
		h.on(nil)
		sub := e.signUpConfirmed(t, poolID, clientID, "otto", password)
		details := map[string]any{
			"idTokenGeneration": map[string]any{
				"claimsToAddOrOverride": map[string]any{"tier": 3, "profile": map[string]any{"plan": "gold", "seats": []any{1, "two", true}}},
				"claimsToSuppress":      []any{"email", "exp"},
			},
			"accessTokenGeneration": map[string]any{
				"claimsToAddOrOverride": map[string]any{"tenant": "acme", "features": []any{"a", "b"}, "client_id": "forged", "username": "forged", "scope": "admin"},
				"claimsToSuppress":      []any{"auth_time", "origin_jti"},
				"scopesToAdd":           []any{"orders/read", "orders/write"},
				"scopesToSuppress":      []any{"orders/write"},
			},
			"groupOverrideDetails": map[string]any{"groupsToOverride": []any{"beta"}},
		}
		h.on(answerPreToken(map[string]any{"claimsAndScopeOverrideDetails": details}))
		out, err := e.Admin.AdminInitiateAuth(ctx(t), &cip.AdminInitiateAuthInput{AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth,
			UserPoolId: aws.String(poolID), ClientId: aws.String(clientID), AuthParameters: map[string]string{"USERNAME": "otto", "PASSWORD": password}})
		if err != nil {
			t.Fatalf("sign-in: %v", err)
		}
		wantEvent(t, h.received(poolID), map[string]any{"version": "2", "triggerSource": "TokenGeneration_Authentication",
			"request.scopes": []any{"aws.cognito.signin.user.admin"}, "request.groupConfiguration.groupsToOverride": []any{},
			"response": map[string]any{"claimsAndScopeOverrideDetails": nil}})
		check := func(what string, auth *types.AuthenticationResultType) {
			t.Helper()
			id, access := e.verifiedTokens(t, poolID, auth)
			wantClaims(t, what+" ID token", id, map[string]any{"tier": float64(3),
				"profile": map[string]any{"plan": "gold", "seats": []any{float64(1), "two", true}},
				"email":   nil, "sub": sub, "cognito:groups": []any{"beta"}})
			if _, ok := id["exp"]; !ok {
				t.Errorf("%s: the ID token lost exp", what)
			}
			wantClaims(t, what+" access token", access, map[string]any{"tenant": "acme", "features": []any{"a", "b"},
				"client_id": clientID, "username": "otto", "sub": sub, "cognito:groups": []any{"beta"},
				"scope": "aws.cognito.signin.user.admin orders/read"})
			for _, c := range []string{"auth_time", "origin_jti"} {
				if _, ok := access[c]; !ok {
					t.Errorf("%s: the access token lost %s", what, c)
				}
			}
		}
		check("sign-in", out.AuthenticationResult)
		if u, err := e.Anon.GetUser(ctx(t), &cip.GetUserInput{AccessToken: out.AuthenticationResult.AccessToken}); err != nil || aws.ToString(u.Username) != "otto" {
			t.Errorf("GetUser with the changed access token: %v", err)
		}

		before := len(h.received(poolID))
		ref, err := e.Anon.GetTokensFromRefreshToken(ctx(t), &cip.GetTokensFromRefreshTokenInput{ClientId: aws.String(clientID),
			RefreshToken: out.AuthenticationResult.RefreshToken, ClientMetadata: map[string]string{"k": "v"}})
		if err != nil {
			t.Fatalf("GetTokensFromRefreshToken: %v", err)
		}
		wantEvent(t, h.received(poolID)[before:], map[string]any{"version": "2", "triggerSource": "TokenGeneration_RefreshTokens",
			"request.clientMetadata": map[string]any{"k": "v"}})
		check("refresh", ref.AuthenticationResult)

		// Without the user-pool API scope the access token no longer serves GetUser, as in Cognito.
		access := details["accessTokenGeneration"].(map[string]any)
		access["scopesToSuppress"] = []any{"aws.cognito.signin.user.admin"}
		h.on(answerPreToken(map[string]any{"claimsAndScopeOverrideDetails": details}))
		out, err = e.Admin.AdminInitiateAuth(ctx(t), &cip.AdminInitiateAuthInput{AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth,
			UserPoolId: aws.String(poolID), ClientId: aws.String(clientID), AuthParameters: map[string]string{"USERNAME": "otto", "PASSWORD": password}})
		if err != nil {
			t.Fatalf("sign-in: %v", err)
		}
		_, got := e.verifiedTokens(t, poolID, out.AuthenticationResult)
		if scopes := strings.Fields(got["scope"].(string)); slices.Contains(scopes, "aws.cognito.signin.user.admin") {
			t.Errorf("scope %v kept the suppressed scope", scopes)
		}
		_, err = e.Anon.GetUser(ctx(t), &cip.GetUserInput{AccessToken: out.AuthenticationResult.AccessToken})
		wantError(t, err, "NotAuthorizedException", "Access Token does not have required scopes")

		// An answer that is no event is refused, and leaves no session.
		e.wantSessions(t, poolID, sub, 2)
		h.on(answerPreToken(map[string]any{"claimsAndScopeOverrideDetails": map[string]any{"idTokenGeneration": "not an object"}}))
		_, err = e.Admin.AdminInitiateAuth(ctx(t), &cip.AdminInitiateAuthInput{AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth,
			UserPoolId: aws.String(poolID), ClientId: aws.String(clientID), AuthParameters: map[string]string{"USERNAME": "otto", "PASSWORD": password}})
		wantCode(t, err, "InvalidLambdaResponseException")
		e.wantSessions(t, poolID, sub, 0)
	})
}

// A V1_0 function may be a local command.
func TestPreTokenGenerationCommandTarget(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash for the command target")
	}
	storeEngines(t, func(t *testing.T, db string) {
		dir := t.TempDir()
		script := "#!" + bash + `
sed 's/"claimsOverrideDetails":null/"claimsOverrideDetails":{"claimsToAddOrOverride":{"via":"command"},"claimsToSuppress":["email"]}/'
`
		if err := os.WriteFile(filepath.Join(dir, "pre-token"), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		file := functionsFile(t, dir, map[string]any{preTokenARN: map[string]any{"command": []string{"./pre-token"}}})
		e := startServer(t, db, t.TempDir(), "", server.Options{}, func(c *config.Config) { c.FunctionsFile = file })
		poolID, clientID := e.triggerPool(t, &types.LambdaConfigType{PreTokenGeneration: aws.String(preTokenARN)})
		e.signUpConfirmed(t, poolID, clientID, "ivo", password)
		out, err := e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(clientID),
			AuthParameters: map[string]string{"USERNAME": "ivo", "PASSWORD": password}})
		if err != nil {
			t.Fatalf("sign-in: %v", err)
		}
		id, _ := e.verifiedTokens(t, poolID, out.AuthenticationResult)
		wantClaims(t, "ID token", id, map[string]any{"via": "command", "email": nil, "cognito:username": "ivo"})
	})
}

// A sign-in that ends with a device's authentication runs the trigger with
// TokenGeneration_AuthenticateDevice.
func TestPreTokenGenerationAuthenticateDevice(t *testing.T) {
	triggerEngines(t, func(t *testing.T, e *env, h *hook) {
		p, err := e.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String("devices"),
			LambdaConfig:           &types.LambdaConfigType{PreTokenGeneration: aws.String(preTokenARN)},
			DeviceConfiguration:    &types.DeviceConfigurationType{ChallengeRequiredOnNewDevice: true},
			AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}})
		if err != nil {
			t.Fatal(err)
		}
		poolID := *p.UserPool.Id
		c, err := e.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID),
			ClientName: aws.String("app"), ExplicitAuthFlows: mfaFlows})
		if err != nil {
			t.Fatal(err)
		}
		clientID := *c.UserPoolClient.ClientId
		h.on(answerPreToken(map[string]any{"claimsOverrideDetails": map[string]any{"claimsToAddOrOverride": map[string]any{"seen": "yes"}}}))
		e.signUpConfirmed(t, poolID, clientID, "dora", password)
		first, err := e.srpSignIn(t, poolID, clientID, "dora", password)
		if err != nil {
			t.Fatal(err)
		}
		dev, _ := e.confirmDevice(t, first, "dora's phone")
		ch, err := e.srpWithDevice(t, poolID, clientID, "dora", dev.key, true)
		if err != nil {
			t.Fatal(err)
		}
		before := len(h.received(poolID))
		auth, err := e.deviceSRP(t, false, poolID, clientID, "dora", ch.ChallengeName, ch.ChallengeParameters, ch.Session, dev)
		if err != nil {
			t.Fatal(err)
		}
		wantEvent(t, h.received(poolID)[before:], map[string]any{"triggerSource": "TokenGeneration_AuthenticateDevice", "userName": "dora"})
		id, access := e.verifiedTokens(t, poolID, auth)
		wantClaims(t, "ID token", id, map[string]any{"seen": "yes"})
		wantClaims(t, "access token", access, map[string]any{"device_key": dev.key})
	})
}
