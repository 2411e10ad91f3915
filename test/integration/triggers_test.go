package integration

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognate-auth/cognate/internal/config"
	"github.com/cognate-auth/cognate/internal/server"
	"github.com/cognate-auth/cognate/webhook"
)

// The trigger functions of these tests, each a webhook of the hook below.
const (
	preSignUpARN          = "arn:aws:lambda:us-east-1:000000000000:function:pre-signup"
	postConfirmationARN   = "arn:aws:lambda:us-east-1:000000000000:function:post-confirmation"
	preAuthenticationARN  = "arn:aws:lambda:us-east-1:000000000000:function:pre-authentication"
	postAuthenticationARN = "arn:aws:lambda:us-east-1:000000000000:function:post-authentication"
	unmappedARN           = "arn:aws:lambda:us-east-1:000000000000:function:nowhere"
)

// hook is a webhook receiver on 127.0.0.1 serving every trigger function:
// it verifies each request's signature, records the event and answers as
// the test says.
type hook struct {
	secret []byte
	srv    *httptest.Server
	mu     sync.Mutex
	events []map[string]any
	answer func(w http.ResponseWriter, event map[string]any)
}

func newHook(t *testing.T) *hook {
	h := &hook{secret: []byte("a shared secret of the trigger tests")}
	h.srv = httptest.NewServer(http.HandlerFunc(h.serve))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hook) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "unreadable", http.StatusBadRequest)
		return
	}
	if err := webhook.Verify(h.secret, r.Header.Get(webhook.Header), body, time.Now(), webhook.DefaultWindow); err != nil {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var event, recorded map[string]any // the answer changes the one, not the other
	if json.Unmarshal(body, &event) != nil || json.Unmarshal(body, &recorded) != nil {
		http.Error(w, "bad event", http.StatusBadRequest)
		return
	}
	h.mu.Lock()
	h.events = append(h.events, recorded)
	answer := h.answer
	h.mu.Unlock()
	if answer == nil {
		answer = func(w http.ResponseWriter, event map[string]any) { reply(w, event, nil) }
	}
	answer(w, event)
}

// on sets how the hook answers from now on.
func (h *hook) on(answer func(w http.ResponseWriter, event map[string]any)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.answer = answer
}

// received returns the events the hook got for a pool, oldest first.
func (h *hook) received(poolID string) []map[string]any {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []map[string]any
	for _, e := range h.events {
		if e["userPoolId"] == poolID {
			out = append(out, e)
		}
	}
	return out
}

// file writes the functions file mapping the tests' ARNs to the hook.
func (h *hook) file(t *testing.T) string {
	fns := map[string]any{}
	for arn, path := range map[string]string{preSignUpARN: "/pre-signup", postConfirmationARN: "/post-confirmation",
		preAuthenticationARN: "/pre-authentication", postAuthenticationARN: "/post-authentication", preTokenARN: "/pre-token",
		customMessageARN: "/custom-message", customEmailSenderARN: "/custom-email-sender", customSMSSenderARN: "/custom-sms-sender",
		userMigrationARN: "/user-migration"} {
		fns[arn] = map[string]string{"url": h.srv.URL + path, "secret": string(h.secret)}
	}
	return functionsFile(t, t.TempDir(), fns)
}

// functionsFile writes a functions file mapping ARNs to their targets into
// dir (which a command target's relative path starts from) and returns its
// path.
func functionsFile(t *testing.T, dir string, fns map[string]any) string {
	t.Helper()
	data, err := json.Marshal(map[string]any{"functions": fns})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "functions.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// reply answers with the event, its response set.
func reply(w http.ResponseWriter, event map[string]any, response map[string]any) {
	if response != nil {
		event["response"] = response
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(event)
}

// fail answers with a function error, as Lambda reports one.
func fail(message string) func(http.ResponseWriter, map[string]any) {
	return func(w http.ResponseWriter, _ map[string]any) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amz-Function-Error", "Unhandled")
		json.NewEncoder(w).Encode(map[string]string{"errorType": "Error", "errorMessage": message})
	}
}

// triggerTimeout is the servers' limit on an invocation here: short, so
// that a function sleeping past it is quick to show.
const triggerTimeout = 500 * time.Millisecond

// triggerEngines runs fn once per store engine, on a server whose functions
// file maps the tests' ARNs to a hook of its own.
func triggerEngines(t *testing.T, fn func(t *testing.T, e *env, h *hook)) {
	storeEngines(t, func(t *testing.T, db string) {
		h := newHook(t)
		file := h.file(t)
		e := startServer(t, db, t.TempDir(), "", server.Options{FunctionTimeout: triggerTimeout},
			func(c *config.Config) { c.FunctionsFile = file })
		fn(t, e, h)
	})
}

// triggerPool creates a pool with the given triggers, email addresses
// verified, and a client allowing the password flows.
func (e *env) triggerPool(t *testing.T, lc *types.LambdaConfigType) (poolID, clientID string) {
	t.Helper()
	p, err := e.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{
		PoolName: aws.String("triggers"), LambdaConfig: lc,
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		Schema:                 []types.SchemaAttributeType{{Name: aws.String("email"), Required: aws.Bool(true), Mutable: aws.Bool(true)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: p.UserPool.Id, ClientName: aws.String("app"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowUserSrpAuth,
			types.ExplicitAuthFlowsTypeAllowAdminUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	return *p.UserPool.Id, *c.UserPoolClient.ClientId
}

// member reads a path such as "request.validationData" of an event.
func member(event map[string]any, path string) any {
	var v any = event
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// wantEvent checks members of the only event a pool's functions received.
func wantEvent(t *testing.T, events []map[string]any, want map[string]any) {
	t.Helper()
	if len(events) != 1 {
		t.Fatalf("%d events, want 1: %v", len(events), events)
	}
	for path, w := range want {
		if got := member(events[0], path); !reflect.DeepEqual(got, w) {
			t.Errorf("event %s = %#v, want %#v", path, got, w)
		}
	}
}

func wantError(t *testing.T, err error, code, message string) {
	t.Helper()
	wantCode(t, err, code)
	if got := errorMessage(err); got != message {
		t.Errorf("message %q, want %q", got, message)
	}
}

func (e *env) wantNoUser(t *testing.T, poolID, username string) {
	t.Helper()
	_, err := e.Admin.AdminGetUser(ctx(t), &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String(username)})
	wantCode(t, err, "UserNotFoundException")
}

func (e *env) signUp(t *testing.T, clientID, username string, validation []types.AttributeType, meta map[string]string) (*cip.SignUpOutput, error) {
	return e.Anon.SignUp(ctx(t), &cip.SignUpInput{
		ClientId: aws.String(clientID), Username: aws.String(username), Password: aws.String(password),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(username + "@example.com")}},
		ValidationData: validation, ClientMetadata: meta,
	})
}

func TestTriggerConfiguration(t *testing.T) {
	triggerEngines(t, func(t *testing.T, e *env, _ *hook) {
		lc := &types.LambdaConfigType{PreSignUp: aws.String(preSignUpARN), PostConfirmation: aws.String(postConfirmationARN),
			PreAuthentication: aws.String(preAuthenticationARN), PostAuthentication: aws.String(postAuthenticationARN)}
		poolID, _ := e.triggerPool(t, lc)
		d, err := e.Admin.DescribeUserPool(ctx(t), &cip.DescribeUserPoolInput{UserPoolId: aws.String(poolID)})
		if err != nil {
			t.Fatal(err)
		}
		got := d.UserPool.LambdaConfig
		if aws.ToString(got.PreSignUp) != preSignUpARN || aws.ToString(got.PostConfirmation) != postConfirmationARN ||
			aws.ToString(got.PreAuthentication) != preAuthenticationARN || aws.ToString(got.PostAuthentication) != postAuthenticationARN {
			t.Errorf("DescribeUserPool LambdaConfig = %+v", got)
		}
		refused := []struct {
			name string
			lc   *types.LambdaConfigType
			want string
		}{
			{"unreachable", &types.LambdaConfigType{PreSignUp: aws.String(unmappedARN)}, "LambdaConfig.PreSignUp: Cognate cannot reach the function " + unmappedARN},
			{"not an ARN", &types.LambdaConfigType{PostAuthentication: aws.String("arn:aws:lambda:us-east-1:000000000000:layer:x")}, "LambdaConfig.PostAuthentication"},
			{"custom message, unreachable", &types.LambdaConfigType{CustomMessage: aws.String(unmappedARN)}, "LambdaConfig.CustomMessage: Cognate cannot reach"},
			{"pre token generation, two functions", &types.LambdaConfigType{PreTokenGeneration: aws.String(preSignUpARN),
				PreTokenGenerationConfig: &types.PreTokenGenerationVersionConfigType{
					LambdaArn: aws.String(preTokenARN), LambdaVersion: types.PreTokenGenerationLambdaVersionTypeV20}}, "must be the same function"},
			{"custom email sender without a key", &types.LambdaConfigType{PreSignUp: aws.String(preSignUpARN),
				CustomEmailSender: &types.CustomEmailLambdaVersionConfigType{LambdaArn: aws.String(preSignUpARN), LambdaVersion: types.CustomEmailSenderLambdaVersionTypeV10}},
				"LambdaConfig.KMSKeyID is required with LambdaConfig.CustomEmailSender."},
			{"custom SMS sender without a key", &types.LambdaConfigType{
				CustomSMSSender: &types.CustomSMSLambdaVersionConfigType{LambdaArn: aws.String(preSignUpARN), LambdaVersion: types.CustomSMSSenderLambdaVersionTypeV10}},
				"LambdaConfig.KMSKeyID is required with LambdaConfig.CustomSMSSender."},
			{"custom SMS sender, unreachable", &types.LambdaConfigType{KMSKeyID: aws.String("arn:aws:kms:us-east-1:000000000000:key/k"),
				CustomSMSSender: &types.CustomSMSLambdaVersionConfigType{LambdaArn: aws.String(unmappedARN), LambdaVersion: types.CustomSMSSenderLambdaVersionTypeV10}},
				"LambdaConfig.CustomSMSSender: Cognate cannot reach"},
		}
		for _, tt := range refused {
			_, err := e.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String("refused"), LambdaConfig: tt.lc})
			wantCode(t, err, "InvalidParameterException")
			if !strings.Contains(errorMessage(err), tt.want) {
				t.Errorf("%s: message %q, want one containing %q", tt.name, errorMessage(err), tt.want)
			}
			_, err = e.Admin.UpdateUserPool(ctx(t), &cip.UpdateUserPoolInput{UserPoolId: aws.String(poolID), LambdaConfig: tt.lc})
			wantCode(t, err, "InvalidParameterException")
		}
		// A refused update left the pool's triggers as they were.
		d, err = e.Admin.DescribeUserPool(ctx(t), &cip.DescribeUserPoolInput{UserPoolId: aws.String(poolID)})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(d.UserPool.LambdaConfig.PreSignUp) != preSignUpARN {
			t.Errorf("after refused updates, LambdaConfig = %+v", d.UserPool.LambdaConfig)
		}
	})
}

func TestPreSignUpTrigger(t *testing.T) {
	triggerEngines(t, func(t *testing.T, e *env, h *hook) {
		t.Run("auto-confirm with the caller's data", func(t *testing.T) {
			poolID, clientID := e.triggerPool(t, &types.LambdaConfigType{PreSignUp: aws.String(preSignUpARN)})
			h.on(func(w http.ResponseWriter, event map[string]any) {
				reply(w, event, map[string]any{"autoConfirmUser": true, "autoVerifyEmail": true})
			})
			out, err := e.signUp(t, clientID, "alice", []types.AttributeType{{Name: aws.String("invite"), Value: aws.String("XYZ")}},
				map[string]string{"source": "web"})
			if err != nil {
				t.Fatal(err)
			}
			if !out.UserConfirmed || out.CodeDeliveryDetails != nil {
				t.Errorf("UserConfirmed %v, delivery %+v; want confirmed without a code", out.UserConfirmed, out.CodeDeliveryDetails)
			}
			wantEvent(t, h.received(poolID), map[string]any{
				"version": "1", "triggerSource": "PreSignUp_SignUp", "region": region, "userName": "alice",
				"callerContext.clientId":        clientID,
				"request.userAttributes":        map[string]any{"email": "alice@example.com"},
				"request.validationData":        map[string]any{"invite": "XYZ"},
				"request.clientMetadata":        map[string]any{"source": "web"},
				"response.autoConfirmUser":      false,
				"callerContext.awsSdkVersion":   "aws-sdk-unknown-unknown",
				"request.clientMetadata.source": "web",
			})
			u, err := e.Admin.AdminGetUser(ctx(t), &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String("alice")})
			if err != nil {
				t.Fatal(err)
			}
			if u.UserStatus != types.UserStatusTypeConfirmed || attr(u.UserAttributes, "email_verified") != "true" {
				t.Errorf("status %s, email_verified %q; want CONFIRMED and true", u.UserStatus, attr(u.UserAttributes, "email_verified"))
			}
			if msgs := e.messages(poolID, "alice"); len(msgs) != 0 {
				t.Errorf("%d messages sent to an auto-confirmed user", len(msgs))
			}
			if _, err := e.srpSignIn(t, poolID, clientID, "alice", password); err != nil {
				t.Errorf("auto-confirmed user cannot sign in: %v", err)
			}
		})
		t.Run("left unconfirmed", func(t *testing.T) {
			poolID, clientID := e.triggerPool(t, &types.LambdaConfigType{PreSignUp: aws.String(preSignUpARN)})
			h.on(nil)
			out, err := e.signUp(t, clientID, "bob", nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if out.UserConfirmed || out.CodeDeliveryDetails == nil {
				t.Errorf("UserConfirmed %v, delivery %+v; want a code sent", out.UserConfirmed, out.CodeDeliveryDetails)
			}
			wantEvent(t, h.received(poolID), map[string]any{"request.validationData": nil, "request.clientMetadata": nil})
		})
		refusals := []struct {
			name          string
			answer        func(http.ResponseWriter, map[string]any)
			code, message string
		}{
			{"function error", fail("Invitation only"), "UserLambdaValidationException", "PreSignUp failed with error Invitation only."},
			{"garbage", func(w http.ResponseWriter, _ map[string]any) { io.WriteString(w, "<html>no</html>") },
				"InvalidLambdaResponseException", "Unrecognizable lambda output"},
			{"wrong type", func(w http.ResponseWriter, event map[string]any) {
				reply(w, event, map[string]any{"autoConfirmUser": "yes"})
			}, "InvalidLambdaResponseException", "Unrecognizable lambda output"},
			{"too slow", func(w http.ResponseWriter, event map[string]any) {
				time.Sleep(2 * triggerTimeout)
				reply(w, event, nil)
			}, "UnexpectedLambdaException", "PreSignUp invocation failed due to error Socket timeout while invoking Lambda function."},
		}
		for _, tt := range refusals {
			t.Run(tt.name, func(t *testing.T) {
				poolID, clientID := e.triggerPool(t, &types.LambdaConfigType{PreSignUp: aws.String(preSignUpARN)})
				h.on(tt.answer)
				_, err := e.signUp(t, clientID, "mallory", nil, nil)
				wantError(t, err, tt.code, tt.message)
				e.wantNoUser(t, poolID, "mallory")
				if msgs := e.messages(poolID, "mallory"); len(msgs) != 0 {
					t.Errorf("%d messages sent for a refused sign-up", len(msgs))
				}
				_, err = e.Admin.AdminCreateUser(ctx(t), &cip.AdminCreateUserInput{UserPoolId: aws.String(poolID), Username: aws.String("mallory"),
					UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("m@example.com")}}})
				wantError(t, err, tt.code, tt.message)
				e.wantNoUser(t, poolID, "mallory")
			})
		}
		t.Run("admin create user", func(t *testing.T) {
			poolID, _ := e.triggerPool(t, &types.LambdaConfigType{PreSignUp: aws.String(preSignUpARN)})
			h.on(func(w http.ResponseWriter, event map[string]any) {
				reply(w, event, map[string]any{"autoConfirmUser": true, "autoVerifyEmail": true})
			})
			u, err := e.Admin.AdminCreateUser(ctx(t), &cip.AdminCreateUserInput{UserPoolId: aws.String(poolID), Username: aws.String("carol"),
				UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("carol@example.com")}},
				ValidationData: []types.AttributeType{{Name: aws.String("ticket"), Value: aws.String("42")}},
				ClientMetadata: map[string]string{"by": "admin"}, MessageAction: types.MessageActionTypeSuppress})
			if err != nil {
				t.Fatal(err)
			}
			wantEvent(t, h.received(poolID), map[string]any{"triggerSource": "PreSignUp_AdminCreateUser", "userName": "carol",
				"callerContext.clientId": "CLIENT_ID_NOT_APPLICABLE", "request.validationData": map[string]any{"ticket": "42"},
				"request.clientMetadata": map[string]any{"by": "admin"}})
			if u.User.UserStatus != types.UserStatusTypeForceChangePassword || attr(u.User.Attributes, "email_verified") != "true" {
				t.Errorf("status %s, email_verified %q; want FORCE_CHANGE_PASSWORD and true", u.User.UserStatus, attr(u.User.Attributes, "email_verified"))
			}
		})
	})
}

func attr(attrs []types.AttributeType, name string) string {
	for _, a := range attrs {
		if aws.ToString(a.Name) == name {
			return aws.ToString(a.Value)
		}
	}
	return ""
}

func TestPostConfirmationTrigger(t *testing.T) {
	triggerEngines(t, func(t *testing.T, e *env, h *hook) {
		poolID, clientID := e.triggerPool(t, &types.LambdaConfigType{PostConfirmation: aws.String(postConfirmationARN)})
		h.on(nil)
		out, err := e.signUp(t, clientID, "dave", nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(h.received(poolID)); n != 0 {
			t.Fatalf("%d events before confirmation", n)
		}
		_, err = e.Anon.ConfirmSignUp(ctx(t), &cip.ConfirmSignUpInput{ClientId: aws.String(clientID), Username: aws.String("dave"),
			ConfirmationCode: aws.String(e.lastCode(poolID, "dave")), ClientMetadata: map[string]string{"step": "confirm"}})
		if err != nil {
			t.Fatal(err)
		}
		wantEvent(t, h.received(poolID), map[string]any{"triggerSource": "PostConfirmation_ConfirmSignUp", "userName": "dave",
			"callerContext.clientId": clientID, "request.clientMetadata": map[string]any{"step": "confirm"},
			"request.userAttributes.sub": *out.UserSub, "request.userAttributes.email_verified": "true",
			"request.userAttributes.cognito:user_status": "CONFIRMED"})

		// A failing trigger fails the call, and the confirmation stays, as in Cognito.
		h.on(fail("CRM is down"))
		if _, err := e.Anon.ForgotPassword(ctx(t), &cip.ForgotPasswordInput{ClientId: aws.String(clientID), Username: aws.String("dave")}); err != nil {
			t.Fatal(err)
		}
		_, err = e.Anon.ConfirmForgotPassword(ctx(t), &cip.ConfirmForgotPasswordInput{ClientId: aws.String(clientID), Username: aws.String("dave"),
			ConfirmationCode: aws.String(e.lastCode(poolID, "dave")), Password: aws.String(password + "2"), ClientMetadata: map[string]string{"step": "reset"}})
		wantError(t, err, "UserLambdaValidationException", "PostConfirmation failed with error CRM is down.")
		events := h.received(poolID)
		wantEvent(t, events[1:], map[string]any{"triggerSource": "PostConfirmation_ConfirmForgotPassword",
			"request.clientMetadata": map[string]any{"step": "reset"}})
		if _, err := e.srpSignIn(t, poolID, clientID, "dave", password+"2"); err != nil {
			t.Errorf("the new password was not kept: %v", err)
		}

		_, err = e.signUp(t, clientID, "erin", nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.Anon.ConfirmSignUp(ctx(t), &cip.ConfirmSignUpInput{ClientId: aws.String(clientID), Username: aws.String("erin"),
			ConfirmationCode: aws.String(e.lastCode(poolID, "erin"))})
		wantError(t, err, "UserLambdaValidationException", "PostConfirmation failed with error CRM is down.")
		u, err := e.Admin.AdminGetUser(ctx(t), &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String("erin")})
		if err != nil {
			t.Fatal(err)
		}
		if u.UserStatus != types.UserStatusTypeConfirmed {
			t.Errorf("status %s after a failed post confirmation trigger, want CONFIRMED", u.UserStatus)
		}

		// AdminConfirmSignUp confirms, as ConfirmSignUp does.
		h.on(nil)
		if _, err := e.signUp(t, clientID, "ivan", nil, nil); err != nil {
			t.Fatal(err)
		}
		before := len(h.received(poolID))
		if _, err := e.Admin.AdminConfirmSignUp(ctx(t), &cip.AdminConfirmSignUpInput{UserPoolId: aws.String(poolID), Username: aws.String("ivan"),
			ClientMetadata: map[string]string{"by": "support"}}); err != nil {
			t.Fatal(err)
		}
		wantEvent(t, h.received(poolID)[before:], map[string]any{"triggerSource": "PostConfirmation_ConfirmSignUp", "userName": "ivan",
			"callerContext.clientId": "CLIENT_ID_NOT_APPLICABLE", "request.clientMetadata": map[string]any{"by": "support"}})
	})
}

// A user the pre sign-up trigger confirms is confirmed at sign-up, and the
// post confirmation trigger runs then.
func TestAutoConfirmedSignUpRunsPostConfirmation(t *testing.T) {
	triggerEngines(t, func(t *testing.T, e *env, h *hook) {
		poolID, clientID := e.triggerPool(t, &types.LambdaConfigType{PreSignUp: aws.String(preSignUpARN), PostConfirmation: aws.String(postConfirmationARN)})
		h.on(func(w http.ResponseWriter, event map[string]any) {
			if event["triggerSource"] == "PreSignUp_SignUp" {
				reply(w, event, map[string]any{"autoConfirmUser": true})
				return
			}
			reply(w, event, nil)
		})
		out, err := e.signUp(t, clientID, "judy", nil, map[string]string{"plan": "free"})
		if err != nil {
			t.Fatal(err)
		}
		events := h.received(poolID)
		if len(events) != 2 {
			t.Fatalf("%d events, want pre sign-up then post confirmation", len(events))
		}
		wantEvent(t, events[1:], map[string]any{"triggerSource": "PostConfirmation_ConfirmSignUp", "userName": "judy",
			"callerContext.clientId": clientID, "request.clientMetadata": map[string]any{"plan": "free"},
			"request.userAttributes.sub": *out.UserSub, "request.userAttributes.cognito:user_status": "CONFIRMED"})
	})
}

func TestAuthenticationTriggers(t *testing.T) {
	triggerEngines(t, func(t *testing.T, e *env, h *hook) {
		poolID, clientID := e.triggerPool(t, &types.LambdaConfigType{PreAuthentication: aws.String(preAuthenticationARN),
			PostAuthentication: aws.String(postAuthenticationARN)})
		h.on(nil)
		sub := e.signUpConfirmed(t, poolID, clientID, "frank", password)
		signIn := func(meta map[string]string) (*cip.InitiateAuthOutput, error) {
			return e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(clientID),
				AuthParameters: map[string]string{"USERNAME": "frank", "PASSWORD": password}, ClientMetadata: meta})
		}
		out, err := signIn(map[string]string{"app": "mobile"})
		if err != nil || out.AuthenticationResult == nil {
			t.Fatalf("sign-in: %v", err)
		}
		events := h.received(poolID)
		if len(events) != 2 {
			t.Fatalf("%d events, want pre and post authentication", len(events))
		}
		wantEvent(t, events[:1], map[string]any{"triggerSource": "PreAuthentication_Authentication", "userName": "frank",
			"callerContext.clientId": clientID, "request.validationData": map[string]any{"app": "mobile"},
			"request.userNotFound": false, "request.userAttributes.sub": sub})
		wantEvent(t, events[1:], map[string]any{"triggerSource": "PostAuthentication_Authentication", "userName": "frank",
			"callerContext.clientId": clientID, "request.clientMetadata": map[string]any{"app": "mobile"},
			"request.newDeviceUsed": false, "request.userAttributes.email": "frank@example.com"})
		e.wantSessions(t, poolID, sub, 1)

		// SRP: the pre authentication trigger runs at InitiateAuth, before the verifier is asked for.
		h.on(fail("Sign-in is closed"))
		init, err := e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserSrpAuth, ClientId: aws.String(clientID),
			AuthParameters: map[string]string{"USERNAME": "frank", "SRP_A": strings.Repeat("a", 256)}})
		wantError(t, err, "UserLambdaValidationException", "PreAuthentication failed with error Sign-in is closed.")
		if init != nil {
			t.Errorf("a challenge was issued: %+v", init)
		}
		_, err = e.Admin.AdminInitiateAuth(ctx(t), &cip.AdminInitiateAuthInput{AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth,
			UserPoolId: aws.String(poolID), ClientId: aws.String(clientID), AuthParameters: map[string]string{"USERNAME": "frank", "PASSWORD": password}})
		wantError(t, err, "UserLambdaValidationException", "PreAuthentication failed with error Sign-in is closed.")

		// A failing post authentication trigger fails the sign-in, and no session is left.
		h.on(func(w http.ResponseWriter, event map[string]any) {
			if event["triggerSource"] == "PostAuthentication_Authentication" {
				fail("Audit log unavailable")(w, event)
				return
			}
			reply(w, event, nil)
		})
		_, err = signIn(nil)
		wantError(t, err, "UserLambdaValidationException", "PostAuthentication failed with error Audit log unavailable.")
		_, err = e.srpSignIn(t, poolID, clientID, "frank", password)
		wantError(t, err, "UserLambdaValidationException", "PostAuthentication failed with error Audit log unavailable.")
		e.wantSessions(t, poolID, sub, 0)

		// A wrong password is refused after the pre authentication trigger, and runs no post authentication trigger.
		h.on(nil)
		before := len(h.received(poolID))
		_, err = e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(clientID),
			AuthParameters: map[string]string{"USERNAME": "frank", "PASSWORD": "Wr0ng-password!"}})
		wantCode(t, err, "NotAuthorizedException")
		if got := h.received(poolID)[before:]; len(got) != 1 || got[0]["triggerSource"] != "PreAuthentication_Authentication" {
			t.Errorf("events of a wrong password: %v", got)
		}
	})
}

// wantSessions revokes the user's sessions and checks how many there were.
func (e *env) wantSessions(t *testing.T, poolID, sub string, want int64) {
	t.Helper()
	n, err := e.Server.Store.RevokeUserSessions(context.Background(), poolID, sub, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if n != want {
		t.Errorf("%d sessions, want %d", n, want)
	}
}

// The pre authentication trigger hears of a name that is no user only when
// the client prevents user existence errors, as in Cognito; the sign-in
// then fails as a wrong password does.
func TestPreAuthenticationUnknownUser(t *testing.T) {
	triggerEngines(t, func(t *testing.T, e *env, h *hook) {
		poolID, clientID := e.triggerPool(t, &types.LambdaConfigType{PreAuthentication: aws.String(preAuthenticationARN)})
		h.on(nil)
		unknown := func(clientID string) error {
			_, err := e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(clientID),
				AuthParameters: map[string]string{"USERNAME": "nobody", "PASSWORD": password}, ClientMetadata: map[string]string{"k": "v"}})
			return err
		}
		wantCode(t, unknown(clientID), "UserNotFoundException")
		if n := len(h.received(poolID)); n != 0 {
			t.Fatalf("%d events for an unknown user of a client that shows existence errors", n)
		}
		hiding, err := e.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("hiding"),
			PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled,
			ExplicitAuthFlows:          []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
		if err != nil {
			t.Fatal(err)
		}
		hidingID := *hiding.UserPoolClient.ClientId
		wantError(t, unknown(hidingID), "NotAuthorizedException", "Incorrect username or password.")
		wantEvent(t, h.received(poolID), map[string]any{"triggerSource": "PreAuthentication_Authentication", "userName": "nobody",
			"callerContext.clientId": hidingID, "request.userNotFound": true, "request.userAttributes": map[string]any{},
			"request.validationData": map[string]any{"k": "v"}})
	})
}

// A trigger function may be a local command: the event on its standard
// input, the answer on its standard output, a failure its exit status and
// last line of standard error.
func TestTriggerCommandTarget(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash for the command target")
	}
	storeEngines(t, func(t *testing.T, db string) {
		dir := t.TempDir()
		script := "#!" + bash + `
event=$(cat)
if grep -q '"blocked":"yes"' <<<"$event"; then
  echo "Account blocked" >&2
  exit 1
fi
printf '%s' "$event"
`
		if err := os.WriteFile(filepath.Join(dir, "pre-auth"), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		file := functionsFile(t, dir, map[string]any{preAuthenticationARN: map[string]any{"command": []string{"./pre-auth"}}})
		e := startServer(t, db, t.TempDir(), "", server.Options{}, func(c *config.Config) { c.FunctionsFile = file })
		poolID, clientID := e.triggerPool(t, &types.LambdaConfigType{PreAuthentication: aws.String(preAuthenticationARN)})
		e.signUpConfirmed(t, poolID, clientID, "kim", password)
		signIn := func(meta map[string]string) (*cip.InitiateAuthOutput, error) {
			return e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(clientID),
				AuthParameters: map[string]string{"USERNAME": "kim", "PASSWORD": password}, ClientMetadata: meta})
		}
		if out, err := signIn(map[string]string{"blocked": "no"}); err != nil || out.AuthenticationResult == nil {
			t.Fatalf("sign-in: %v", err)
		}
		_, err := signIn(map[string]string{"blocked": "yes"})
		wantError(t, err, "UserLambdaValidationException", "PreAuthentication failed with error Account blocked.")
	})
}
