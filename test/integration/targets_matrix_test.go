package integration

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognate-auth/cognate/internal/config"
	"github.com/cognate-auth/cognate/internal/functions"
	"github.com/cognate-auth/cognate/internal/server"
	"github.com/cognate-auth/cognate/internal/testutil/lambdatest"
	"github.com/cognate-auth/cognate/internal/testutil/triggerfn"
	"github.com/cognate-auth/cognate/webhook"
)

const matrixSecret = "the matrix webhook's shared secret"

// matrixARN is the function of a kind's pool, for all of its triggers.
func matrixARN(kind string) string {
	return "arn:aws:lambda:us-east-1:000000000000:function:matrix-" + kind
}

// matrixWebhook serves fn as a webhook receiver does: it checks the
// signature and reports fn's error as Lambda does.
func matrixWebhook(t *testing.T, fn functions.Func) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil || webhook.Verify([]byte(matrixSecret), r.Header.Get(webhook.Header), body, time.Now(), webhook.DefaultWindow) != nil {
			http.Error(w, "bad request", http.StatusUnauthorized)
			return
		}
		out, err := fn(r.Context(), body)
		w.Header().Set("Content-Type", "application/json")
		if err != nil {
			w.Header().Set("X-Amz-Function-Error", "Unhandled")
			json.NewEncoder(w).Encode(map[string]string{"errorType": "Error", "errorMessage": err.Error()})
			return
		}
		w.Write(out)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// One trigger function (package triggerfn), written with aws-lambda-go's
// event types as a team writes one, is reached through each kind of target:
// the Lambda Invoke API of the Runtime Interface Emulator running it, a
// webhook, a command and an in-process Go function. Each kind has a pool
// sending every trigger of the sign-up and sign-in paths to it, and the same
// flow runs through one server per store on each.
func TestTriggerTargetsMatrix(t *testing.T) {
	program := triggerfn.Build(t)
	storeEngines(t, func(t *testing.T, db string) {
		hook := matrixWebhook(t, triggerfn.New("webhook"))
		fns := map[string]any{
			matrixARN("webhook"): map[string]string{"url": hook.URL, "secret": matrixSecret},
			matrixARN("command"): map[string]any{"command": []string{program}, "env": map[string]string{"TRIGGERFN_KIND": "command"}},
			matrixARN("go"):      map[string]string{"go": "matrix"},
		}
		kinds := []string{"webhook", "command", "go"}
		if why := lambdatest.Unavailable(); why != "" {
			t.Logf("no Lambda target: %s", why)
		} else {
			endpoint := lambdatest.Start(t, program, "TRIGGERFN_KIND=lambda")
			fns[matrixARN("lambda")] = map[string]any{"lambda": map[string]string{"endpoint": endpoint, "functionName": "function"}}
			kinds = append(kinds, "lambda")
		}
		file := functionsFile(t, t.TempDir(), fns)
		e := startServer(t, db, t.TempDir(), "", server.Options{Funcs: map[string]functions.Func{"matrix": triggerfn.New("go")}},
			func(c *config.Config) {
				c.FunctionsFile = file
				// Invoke API requests are SigV4-signed, as for AWS Lambda.
				c.LambdaAccessKeyID, c.LambdaSecretAccessKey = "AKIALAMBDATEST000001", "lambda-test-secret"
			})
		for _, kind := range kinds {
			t.Run(kind, func(t *testing.T) {
				t.Parallel()
				matrixFlow(t, e, kind)
			})
		}
	})
}

// matrixPool creates a pool whose triggers all go to the kind's function,
// with a client for the password, custom and refresh flows.
func (e *env) matrixPool(t *testing.T, kind string) (poolID, clientID string) {
	t.Helper()
	arn := aws.String(matrixARN(kind))
	p, err := e.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{
		PoolName: aws.String("matrix-" + kind),
		LambdaConfig: &types.LambdaConfigType{PreSignUp: arn, PostConfirmation: arn, CustomMessage: arn,
			PreAuthentication: arn, PostAuthentication: arn,
			PreTokenGenerationConfig: &types.PreTokenGenerationVersionConfigType{LambdaArn: arn, LambdaVersion: types.PreTokenGenerationLambdaVersionTypeV20},
			DefineAuthChallenge:      arn, CreateAuthChallenge: arn, VerifyAuthChallengeResponse: arn, UserMigration: arn},
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: p.UserPool.Id, ClientName: aws.String("app"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowCustomAuth,
			types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	return *p.UserPool.Id, *c.UserPoolClient.ClientId
}

// matrixFlow signs users up and in on a pool of the kind's function.
func matrixFlow(t *testing.T, e *env, kind string) {
	poolID, clientID := e.matrixPool(t, kind)
	web := map[string]string{"source": "web"}
	invite := func(code string) []types.AttributeType {
		return []types.AttributeType{{Name: aws.String("invite"), Value: aws.String(code)}}
	}
	signIn := func(username, pw string, meta map[string]string) (*cip.InitiateAuthOutput, error) {
		return e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(clientID),
			AuthParameters: map[string]string{"USERNAME": username, "PASSWORD": pw}, ClientMetadata: meta})
	}
	wantTarget := func(what string, auth *types.AuthenticationResultType, source string) {
		t.Helper()
		id, access := e.verifiedTokens(t, poolID, auth)
		wantClaims(t, what+" ID token", id, map[string]any{"target": kind, "source": source})
		wantClaims(t, what+" access token", access, map[string]any{"target": kind})
	}

	// Sign-up: pre sign-up confirms the invited, refuses the others, and
	// post confirmation runs at once.
	out, err := e.signUp(t, clientID, "ann", invite("XYZ"), web)
	if err != nil {
		t.Fatal(err)
	}
	if !out.UserConfirmed || out.CodeDeliveryDetails != nil {
		t.Errorf("UserConfirmed %v, delivery %+v; want confirmed without a code", out.UserConfirmed, out.CodeDeliveryDetails)
	}
	e.wantUser(t, poolID, "ann", types.UserStatusTypeConfirmed, "ann@example.com")
	_, err = e.signUp(t, clientID, "cy", nil, web)
	wantError(t, err, "UserLambdaValidationException", "PreSignUp failed with error Invitation only.")
	e.wantNoUser(t, poolID, "cy")
	_, err = e.signUp(t, clientID, "bea", invite("XYZ"), map[string]string{"source": "web", "crm": "down"})
	wantError(t, err, "UserLambdaValidationException", "PostConfirmation failed with error CRM is down.")

	// A user left to confirm gets the custom message's code.
	if _, err := e.signUp(t, clientID, "dee", invite("LATER"), web); err != nil {
		t.Fatal(err)
	}
	msgs := e.messages(poolID, "dee")
	if len(msgs) != 1 || msgs[0].Subject != "Welcome ("+kind+")" || msgs[0].Body != "Your code from "+kind+": "+msgs[0].Code {
		t.Fatalf("messages to dee: %+v", msgs)
	}
	if _, err := e.Anon.ConfirmSignUp(ctx(t), &cip.ConfirmSignUpInput{ClientId: aws.String(clientID), Username: aws.String("dee"),
		ConfirmationCode: aws.String(msgs[0].Code), ClientMetadata: web}); err != nil {
		t.Fatal(err)
	}

	// Sign-in: pre authentication, post authentication, pre token
	// generation in both tokens, and on refresh.
	in, err := signIn("ann", password, map[string]string{"app": "mobile"})
	if err != nil {
		t.Fatalf("sign-in: %v", err)
	}
	wantTarget("sign-in", in.AuthenticationResult, "TokenGeneration_Authentication")
	refreshed, err := e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(clientID),
		AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(in.AuthenticationResult.RefreshToken)}})
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	wantTarget("refresh", refreshed.AuthenticationResult, "TokenGeneration_RefreshTokens")
	_, err = signIn("ann", password, map[string]string{"blocked": "yes"})
	wantError(t, err, "UserLambdaValidationException", "PreAuthentication failed with error Account blocked.")
	_, err = signIn("dee", password, map[string]string{"audit": "down"})
	wantError(t, err, "UserLambdaValidationException", "PostAuthentication failed with error Audit log unavailable.")

	// Custom authentication: a question, a wrong answer, a right one.
	ch, err := e.startCustom(t, clientID, "ann")
	if err != nil {
		t.Fatal(err)
	}
	if ch.ChallengeName != types.ChallengeNameTypeCustomChallenge || ch.ChallengeParameters["question"] != triggerfn.Question {
		t.Fatalf("custom challenge %s %v", ch.ChallengeName, ch.ChallengeParameters)
	}
	_, err = e.answerCustom(t, clientID, "ann", ch.Session, "41")
	wantError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	ch, err = e.startCustom(t, clientID, "ann")
	if err != nil {
		t.Fatal(err)
	}
	done, err := e.answerCustom(t, clientID, "ann", ch.Session, triggerfn.Answer)
	if err != nil {
		t.Fatalf("right answer: %v", err)
	}
	wantTarget("custom sign-in", done.AuthenticationResult, "TokenGeneration_Authentication")

	// User migration: a legacy user signs in with the old password.
	_, err = signIn(triggerfn.LegacyUser, "Wr0ng-password!", nil)
	wantError(t, err, "UserLambdaValidationException", "UserMigration failed with error Bad password.")
	e.wantNoUser(t, poolID, triggerfn.LegacyUser)
	migrated, err := signIn(triggerfn.LegacyUser, triggerfn.LegacyPassword, nil)
	if err != nil {
		t.Fatalf("migration sign-in: %v", err)
	}
	wantTarget("migration sign-in", migrated.AuthenticationResult, "TokenGeneration_Authentication")
	e.wantUser(t, poolID, triggerfn.LegacyUser, types.UserStatusTypeConfirmed, triggerfn.LegacyUser+"@legacy.example.com")
}
