package integration

// The interop tests run the real cognate binary as a child process and
// drive it with real clients: the aws CLI, Amplify JS v6 and
// amazon-cognito-identity-js. Codes are read from the outbox with the real
// `cognate messages` subcommand while the server runs. When the aws CLI,
// Node.js or the JS packages are missing the tests are skipped, or fail when
// CI is set.

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/cognate-auth/cognate/internal/testutil/pgtest"
)

// binaryEngines runs fn once per store engine, each on its own cognate
// process.
func binaryEngines(t *testing.T, fn func(t *testing.T, p *process)) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, startBinary(t, t.TempDir(), ""))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		fn(t, startBinary(t, t.TempDir(), pgtest.URL(t)))
	})
}

func TestAWSCLI(t *testing.T) {
	tool(t, "aws", "the aws CLI interop test drives it")
	binaryEngines(t, func(t *testing.T, p *process) {
		cli := newAWSCLI(t, p.URL)

		var pool struct {
			UserPool struct{ Id, Name, Arn string }
		}
		cli.ok(t, &pool, "create-user-pool", "--pool-name", "interop", "--auto-verified-attributes", "email")
		poolID := pool.UserPool.Id
		if !strings.HasPrefix(poolID, region+"_") || pool.UserPool.Arn != "arn:aws:cognito-idp:"+region+":000000000000:userpool/"+poolID {
			t.Fatalf("create-user-pool: %+v", pool.UserPool)
		}
		var client struct{ UserPoolClient struct{ ClientId string } }
		cli.ok(t, &client, "create-user-pool-client", "--user-pool-id", poolID, "--client-name", "cli",
			"--explicit-auth-flows", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH")
		clientID := client.UserPoolClient.ClientId

		var described struct {
			UserPool struct {
				Name                   string
				AutoVerifiedAttributes []string
				MfaConfiguration       string
			}
		}
		cli.ok(t, &described, "describe-user-pool", "--user-pool-id", poolID)
		if d := described.UserPool; d.Name != "interop" || !slices.Equal(d.AutoVerifiedAttributes, []string{"email"}) || d.MfaConfiguration != "OFF" {
			t.Fatalf("describe-user-pool: %+v", d)
		}
		var describedClient struct {
			UserPoolClient struct {
				ClientName, ClientId, UserPoolId string
				ExplicitAuthFlows                []string
			}
		}
		cli.ok(t, &describedClient, "describe-user-pool-client", "--user-pool-id", poolID, "--client-id", clientID)
		dc := describedClient.UserPoolClient
		slices.Sort(dc.ExplicitAuthFlows)
		if dc.ClientName != "cli" || dc.ClientId != clientID || dc.UserPoolId != poolID ||
			!slices.Equal(dc.ExplicitAuthFlows, []string{"ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"}) {
			t.Fatalf("describe-user-pool-client: %+v", dc)
		}

		var up struct {
			UserConfirmed       bool
			UserSub             string
			CodeDeliveryDetails struct{ DeliveryMedium, AttributeName string }
		}
		cli.ok(t, &up, "sign-up", "--client-id", clientID, "--username", "carol", "--password", password,
			"--user-attributes", "Name=email,Value=carol@example.com")
		if up.UserConfirmed || up.UserSub == "" || up.CodeDeliveryDetails.DeliveryMedium != "EMAIL" || up.CodeDeliveryDetails.AttributeName != "email" {
			t.Fatalf("sign-up: %+v", up)
		}
		cli.ok(t, nil, "confirm-sign-up", "--client-id", clientID, "--username", "carol",
			"--confirmation-code", p.lastCode(t, poolID, "carol"))

		var auth struct {
			AuthenticationResult struct {
				AccessToken, IdToken, RefreshToken, TokenType string
				ExpiresIn                                     int
			}
		}
		cli.ok(t, &auth, "initiate-auth", "--client-id", clientID, "--auth-flow", "USER_PASSWORD_AUTH",
			"--auth-parameters", `{"USERNAME":"carol","PASSWORD":"`+password+`"}`)
		tokens := auth.AuthenticationResult
		if tokens.AccessToken == "" || tokens.IdToken == "" || tokens.RefreshToken == "" || tokens.TokenType != "Bearer" || tokens.ExpiresIn != 3600 {
			t.Fatalf("initiate-auth: %+v", tokens)
		}

		type attribute struct{ Name, Value string }
		var user struct {
			Username       string
			UserAttributes []attribute
		}
		cli.ok(t, &user, "get-user", "--access-token", tokens.AccessToken)
		if user.Username != "carol" || !slices.Contains(user.UserAttributes, attribute{"sub", up.UserSub}) ||
			!slices.Contains(user.UserAttributes, attribute{"email_verified", "true"}) {
			t.Fatalf("get-user: %+v", user)
		}
		var adminUser struct {
			Username   string
			UserStatus string
			Enabled    bool
		}
		cli.ok(t, &adminUser, "admin-get-user", "--user-pool-id", poolID, "--username", "carol")
		if adminUser.Username != "carol" || adminUser.UserStatus != "CONFIRMED" || !adminUser.Enabled {
			t.Fatalf("admin-get-user: %+v", adminUser)
		}

		cli.ok(t, nil, "global-sign-out", "--access-token", tokens.AccessToken)
		cli.fails(t, nil, "NotAuthorizedException", nil, "get-user", "--access-token", tokens.AccessToken)
		cli.fails(t, nil, "NotAuthorizedException", nil, "initiate-auth", "--client-id", clientID,
			"--auth-flow", "REFRESH_TOKEN_AUTH", "--auth-parameters", `{"REFRESH_TOKEN":"`+tokens.RefreshToken+`"}`)

		// A forgotten password, reset with the code from the outbox.
		var forgot struct {
			CodeDeliveryDetails struct{ Destination, DeliveryMedium, AttributeName string }
		}
		cli.ok(t, &forgot, "forgot-password", "--client-id", clientID, "--username", "carol")
		if d := forgot.CodeDeliveryDetails; d.Destination != "c***@e***" || d.DeliveryMedium != "EMAIL" || d.AttributeName != "email" {
			t.Fatalf("forgot-password: %+v", d)
		}
		cli.fails(t, nil, "CodeMismatchException", []string{"Invalid verification code provided"}, "confirm-forgot-password",
			"--client-id", clientID, "--username", "carol", "--confirmation-code", otherCode(p.lastCode(t, poolID, "carol")), "--password", password+"2")
		cli.ok(t, nil, "confirm-forgot-password", "--client-id", clientID, "--username", "carol",
			"--confirmation-code", p.lastCode(t, poolID, "carol"), "--password", password+"2")
		cli.fails(t, nil, "NotAuthorizedException", []string{"Incorrect username or password."}, "initiate-auth", "--client-id", clientID,
			"--auth-flow", "USER_PASSWORD_AUTH", "--auth-parameters", `{"USERNAME":"carol","PASSWORD":"`+password+`"}`)
		cli.ok(t, nil, "admin-reset-user-password", "--user-pool-id", poolID, "--username", "carol")
		cli.fails(t, nil, "PasswordResetRequiredException", nil, "initiate-auth", "--client-id", clientID,
			"--auth-flow", "USER_PASSWORD_AUTH", "--auth-parameters", `{"USERNAME":"carol","PASSWORD":"`+password+`2"}`)

		var users struct {
			Users []struct {
				Username, UserStatus string
				Attributes           []attribute
			}
		}
		cli.ok(t, &users, "list-users", "--user-pool-id", poolID, "--filter", `email = "carol@example.com"`)
		if len(users.Users) != 1 || users.Users[0].Username != "carol" || users.Users[0].UserStatus != "RESET_REQUIRED" {
			t.Fatalf("list-users: %+v", users)
		}

		// Validation happens on the server, with AWS's messages. The CLI
		// checks minimums itself, so 0 reaches the server only with its
		// parameter validation turned off; it does not check maximums.
		cli.fails(t, []string{cli.configFile(t, "no-validation", "[default]", "parameter_validation = false")},
			"InvalidParameterException", []string{"1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"},
			"list-user-pools", "--max-results", "0")
		cli.fails(t, nil, "InvalidParameterException",
			[]string{"Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60"},
			"list-user-pools", "--max-results", "61")

		// Signatures are verified for real.
		cli.fails(t, []string{"AWS_SECRET_ACCESS_KEY=not-the-secret"}, "InvalidSignatureException",
			[]string{"The request signature we calculated does not match the signature you provided."},
			"list-user-pools", "--max-results", "10")
		cli.fails(t, []string{"AWS_ACCESS_KEY_ID=AKIAUNKNOWNKEY000000"}, "UnrecognizedClientException",
			[]string{"The security token included in the request is invalid."}, "list-user-pools", "--max-results", "10")
		cli.fails(t, nil, "MissingAuthenticationTokenException", nil, "list-user-pools", "--max-results", "10", "--no-sign-request")

		cli.ok(t, nil, "delete-user-pool", "--user-pool-id", poolID)
		cli.fails(t, nil, "ResourceNotFoundException", []string{"User pool " + poolID + " does not exist."},
			"describe-user-pool", "--user-pool-id", poolID)
	})
}

// amplifyResult is what test/js/amplify-flow.mjs prints.
type amplifyResult struct {
	Amplify struct {
		SignInCalls  []string       `json:"signInCalls"`
		RefreshAPI   string         `json:"refreshApi"`
		IDToken      map[string]any `json:"idToken"`
		IDTokenJWT   string         `json:"idTokenJwt"`
		AccessToken  map[string]any `json:"accessToken"`
		RefreshCalls []string       `json:"refreshCalls"`
	} `json:"amplify"`
	IdentityJS struct {
		SignInCalls []string `json:"signInCalls"`
	} `json:"identityJs"`
	SentHeaders   []string `json:"sentHeaders"`
	EmailUsername struct {
		Username string `json:"username"`
		Sub      string `json:"sub"`
	} `json:"emailUsername"`
	Trace []traceEntry `json:"trace"`
}

// jsClients returns node and the directory of the JS test clients, skipping
// (or, in CI, failing) the test when either is missing.
func jsClients(t *testing.T) (node, dir string) {
	t.Helper()
	node = tool(t, "node", "the Amplify JS interop tests run on Node.js")
	dir, err := filepath.Abs("../js")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "aws-amplify", "package.json")); err != nil {
		missing(t, "test/js/node_modules is not installed (run npm ci in test/js, as scripts/test.sh does)")
	}
	return node, dir
}

func TestAmplifyJS(t *testing.T) {
	node, jsDir := jsClients(t)
	binaryEngines(t, func(t *testing.T, p *process) {
		out, err := p.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{
			PoolName:               aws.String("amplify"),
			AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		})
		if err != nil {
			t.Fatal(err)
		}
		poolID := *out.UserPool.Id
		c, err := p.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{
			UserPoolId: aws.String(poolID), ClientName: aws.String("web"),
			ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth,
				types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
		})
		if err != nil {
			t.Fatal(err)
		}
		clientID := *c.UserPoolClient.ClientId
		// Amplify Gen 2's default: the email is the username.
		emailPool, err := p.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{
			PoolName:               aws.String("amplify-email"),
			UsernameAttributes:     []types.UsernameAttributeType{types.UsernameAttributeTypeEmail},
			AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		})
		if err != nil {
			t.Fatal(err)
		}
		emailClient, err := p.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{
			UserPoolId: emailPool.UserPool.Id, ClientName: aws.String("web")})
		if err != nil {
			t.Fatal(err)
		}

		res := runAmplifyFlow(t, node, filepath.Join(jsDir, "amplify-flow.mjs"), p, poolID, clientID, "ada",
			"COGNATE_EMAIL_POOL_ID="+*emailPool.UserPool.Id, "COGNATE_EMAIL_CLIENT_ID="+*emailClient.UserPoolClient.ClientId)
		if res.EmailUsername.Username == "" || res.EmailUsername.Username != res.EmailUsername.Sub {
			t.Errorf("email-as-username pool: access token username %q, want the sub %q", res.EmailUsername.Username, res.EmailUsername.Sub)
		}

		iss := p.URL + "/" + poolID
		if res.Amplify.IDToken["iss"] != iss || res.Amplify.IDToken["aud"] != clientID || res.Amplify.AccessToken["client_id"] != clientID {
			t.Fatalf("ID token %v, access token %v; want iss %s, aud and client_id %s", res.Amplify.IDToken, res.Amplify.AccessToken, iss, clientID)
		}
		if !slices.Equal(res.Amplify.SignInCalls, []string{"InitiateAuth", "RespondToAuthChallenge"}) ||
			!slices.Equal(res.IdentityJS.SignInCalls, []string{"InitiateAuth", "RespondToAuthChallenge"}) {
			t.Fatalf("sign-in calls: Amplify %v, amazon-cognito-identity-js %v", res.Amplify.SignInCalls, res.IdentityJS.SignInCalls)
		}
		// Amplify 6.22 (@aws-amplify/auth 6.21) refreshes with
		// GetTokensFromRefreshToken, not InitiateAuth REFRESH_TOKEN_AUTH.
		if res.Amplify.RefreshAPI != "GetTokensFromRefreshToken" {
			t.Errorf("Amplify refreshed with %q", res.Amplify.RefreshAPI)
		}
		t.Logf("Amplify refreshed tokens with %s; the JS clients sent headers %v, all allowed by CORS", res.Amplify.RefreshAPI, res.SentHeaders)

		// Every failure Amplify met is one the flow provoked.
		failures := failedCalls(t, res.Trace)
		want := []string{
			"RespondToAuthChallenge:NotAuthorizedException",  // Amplify, wrong password
			"RespondToAuthChallenge:NotAuthorizedException",  // identity-js, wrong password
			"ConfirmForgotPassword:InvalidPasswordException", // a reset to a password the policy refuses
			"RespondToAuthChallenge:NotAuthorizedException",  // the password from before the reset
			"InitiateAuth:UserNotFoundException",             // after deleteUser
		}
		if !slices.Equal(failures, want) {
			t.Errorf("failed calls %v, want %v", failures, want)
		}

		// A token verifier finds the issuer's keys through discovery.
		verifyCtx := oidc.ClientContext(ctx(t), nil)
		provider, err := oidc.NewProvider(verifyCtx, iss)
		if err != nil {
			t.Fatal(err)
		}
		idToken, err := provider.Verifier(&oidc.Config{ClientID: clientID}).Verify(verifyCtx, res.Amplify.IDTokenJWT)
		if err != nil {
			t.Fatalf("verifying Amplify's ID token: %v", err)
		}
		if idToken.Subject != res.Amplify.IDToken["sub"] {
			t.Fatalf("verified sub %s, want %v", idToken.Subject, res.Amplify.IDToken["sub"])
		}

		_, err = p.Admin.AdminGetUser(ctx(t), &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String("ada")})
		wantCode(t, err, "UserNotFoundException")
	})
}

// runAmplifyFlow runs amplify-flow.mjs against p and returns what it printed.
func runAmplifyFlow(t *testing.T, node, script string, p *process, poolID, clientID, username string, env ...string) amplifyResult {
	t.Helper()
	var res amplifyResult
	runScript(t, node, script, p, username, &res, append([]string{"COGNATE_POOL_ID=" + poolID, "COGNATE_CLIENT_ID=" + clientID}, env...)...)
	return res
}

// runScript runs a script of test/js against p as username, with the
// given environment besides, and decodes the JSON it printed into out.
func runScript(t *testing.T, node, script string, p *process, username string, out any, env ...string) {
	t.Helper()
	c, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(c, node, script)
	cmd.Dir = filepath.Dir(script)
	cmd.Env = append(cleanEnv("COGNATE_"),
		"COGNATE_ENDPOINT="+p.URL, "COGNATE_USERNAME="+username, "COGNATE_PASSWORD="+password, "COGNATE_BIN="+p.bin)
	cmd.Env = append(append(cmd.Env, p.storeEnv()...), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	name := filepath.Base(script)
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\nstdout:\n%s\nstderr:\n%s", name, err, stdout.Bytes(), stderr.Bytes())
	}
	if err := json.Unmarshal(stdout.Bytes(), out); err != nil {
		t.Fatalf("%s printed %q: %v\nstderr:\n%s", name, stdout.Bytes(), err, stderr.Bytes())
	}
}

// traceEntry is one request a JS script's traced fetch recorded.
type traceEntry struct {
	Op        string `json:"op"`
	Flow      string `json:"flow"`
	Challenge string `json:"challenge"`
	Status    int    `json:"status"`
	Error     string `json:"error"`
}

// failedCalls lists the calls of a trace that failed, as "Op:Exception",
// and reports those not answered with 400, as Cognito answers them.
func failedCalls(t *testing.T, trace []traceEntry) []string {
	t.Helper()
	var failures []string
	for _, e := range trace {
		if e.Status != 200 {
			failures = append(failures, e.Op+":"+e.Error)
			if e.Status != 400 {
				t.Errorf("%s answered %d (%s), want 400 as Cognito", e.Op, e.Status, e.Error)
			}
		}
	}
	return failures
}

// amplifyMFAResult is what test/js/amplify-mfa.mjs prints.
type amplifyMFAResult struct {
	Optional struct {
		SignInFlow  []string       `json:"signInFlow"`
		AccessToken map[string]any `json:"accessToken"`
	} `json:"optional"`
	Required struct {
		SetUpFlow  []string `json:"setUpFlow"`
		SignInFlow []string `json:"signInFlow"`
	} `json:"required"`
	Trace []traceEntry `json:"trace"`
}

// TestAmplifyJSMFA has Amplify JS v6 set up TOTP and sign in with it: in an
// OPTIONAL pool while signed in (setUpTOTP, verifyTOTPSetup,
// updateMFAPreference), and in an ON pool during the first sign-in.
func TestAmplifyJSMFA(t *testing.T) {
	node, jsDir := jsClients(t)
	binaryEngines(t, func(t *testing.T, p *process) {
		pool := func(name string, mode types.UserPoolMfaType) (poolID, clientID string) {
			out, err := p.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String(name),
				AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.Admin.SetUserPoolMfaConfig(ctx(t), &cip.SetUserPoolMfaConfigInput{UserPoolId: out.UserPool.Id, MfaConfiguration: mode,
				SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}}); err != nil {
				t.Fatal(err)
			}
			c, err := p.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: out.UserPool.Id, ClientName: aws.String("web"),
				ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth,
					types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
			if err != nil {
				t.Fatal(err)
			}
			return *out.UserPool.Id, *c.UserPoolClient.ClientId
		}
		optionalPool, optionalClient := pool("amplify-mfa-optional", types.UserPoolMfaTypeOptional)
		requiredPool, requiredClient := pool("amplify-mfa-required", types.UserPoolMfaTypeOn)

		var res amplifyMFAResult
		runScript(t, node, filepath.Join(jsDir, "amplify-mfa.mjs"), p, "tess", &res,
			"COGNATE_OPTIONAL_POOL_ID="+optionalPool, "COGNATE_OPTIONAL_CLIENT_ID="+optionalClient,
			"COGNATE_REQUIRED_POOL_ID="+requiredPool, "COGNATE_REQUIRED_CLIENT_ID="+requiredClient)

		for _, f := range []struct {
			what      string
			got, want []string
		}{
			{"TOTP sign-in (a wrong code, then the right one)", res.Optional.SignInFlow,
				[]string{"USER_SRP_AUTH", "PASSWORD_VERIFIER", "SOFTWARE_TOKEN_MFA", "SOFTWARE_TOKEN_MFA"}},
			{"sign-in with TOTP set-up", res.Required.SetUpFlow,
				[]string{"USER_SRP_AUTH", "PASSWORD_VERIFIER", "AssociateSoftwareToken", "VerifySoftwareToken", "MFA_SETUP"}},
			{"sign-in after set-up", res.Required.SignInFlow, []string{"USER_SRP_AUTH", "PASSWORD_VERIFIER", "SOFTWARE_TOKEN_MFA"}},
		} {
			if !slices.Equal(f.got, f.want) {
				t.Errorf("%s = %v, want %v", f.what, f.got, f.want)
			}
		}
		if iss := p.URL + "/" + optionalPool; res.Optional.AccessToken["iss"] != iss || res.Optional.AccessToken["client_id"] != optionalClient {
			t.Errorf("access token after TOTP sign-in: %v", res.Optional.AccessToken)
		}

		// Every failure Amplify met is one the flow provoked.
		want := []string{
			"VerifySoftwareToken:EnableSoftwareTokenMFAException", // verifyTOTPSetup with a wrong code
			"RespondToAuthChallenge:CodeMismatchException",        // confirmSignIn with a wrong code
		}
		if failures := failedCalls(t, res.Trace); !slices.Equal(failures, want) {
			t.Errorf("failed calls %v, want %v", failures, want)
		}

		got, err := p.Admin.AdminGetUser(ctx(t), &cip.AdminGetUserInput{UserPoolId: aws.String(requiredPool), Username: aws.String("tess.new")})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.UserMFASettingList, []string{"SOFTWARE_TOKEN_MFA"}) {
			t.Errorf("UserMFASettingList after set-up during sign-in = %v", got.UserMFASettingList)
		}
	})
}

// amplifyUserAuthResult is what test/js/amplify-userauth.mjs prints.
type amplifyUserAuthResult struct {
	PreferredFlow       []string     `json:"preferredFlow"`
	SelectFlow          []string     `json:"selectFlow"`
	SRPFlow             []string     `json:"srpFlow"`
	AvailableChallenges []string     `json:"availableChallenges"`
	Trace               []traceEntry `json:"trace"`
}

// TestAmplifyJSUserAuth signs in through Amplify JS v6's USER_AUTH: a
// preferred emailed code, a chosen one, and preferred PASSWORD_SRP.
func TestAmplifyJSUserAuth(t *testing.T) {
	node, jsDir := jsClients(t)
	binaryEngines(t, func(t *testing.T, p *process) {
		out, err := p.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String("amplify-userauth"),
			AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
			Policies: &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{
				AllowedFirstAuthFactors: []types.AuthFactorType{types.AuthFactorTypePassword, types.AuthFactorTypeEmailOtp}}}})
		if err != nil {
			t.Fatal(err)
		}
		c, err := p.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: out.UserPool.Id, ClientName: aws.String("web"),
			ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
		if err != nil {
			t.Fatal(err)
		}
		var res amplifyUserAuthResult
		runScript(t, node, filepath.Join(jsDir, "amplify-userauth.mjs"), p, "uma", &res,
			"COGNATE_POOL_ID="+*out.UserPool.Id, "COGNATE_CLIENT_ID="+*c.UserPoolClient.ClientId)
		for _, f := range []struct {
			what      string
			got, want []string
		}{
			{"preferred EMAIL_OTP (a wrong code, then the right one)", res.PreferredFlow, []string{"USER_AUTH", "EMAIL_OTP", "EMAIL_OTP"}},
			{"SELECT_CHALLENGE, then EMAIL_OTP", res.SelectFlow, []string{"USER_AUTH", "SELECT_CHALLENGE", "EMAIL_OTP"}},
			{"preferred PASSWORD_SRP", res.SRPFlow, []string{"USER_AUTH", "PASSWORD_VERIFIER"}},
			{"available challenges", res.AvailableChallenges, []string{"PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"}},
		} {
			if !slices.Equal(f.got, f.want) {
				t.Errorf("%s = %v, want %v", f.what, f.got, f.want)
			}
		}
		want := []string{"RespondToAuthChallenge:CodeMismatchException"} // confirmSignIn with a wrong code
		if failures := failedCalls(t, res.Trace); !slices.Equal(failures, want) {
			t.Errorf("failed calls %v, want %v", failures, want)
		}
	})
}
