package integration

import (
	"net/http"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// amplifyTriggersResult is what test/js/amplify-triggers.mjs prints.
type amplifyTriggersResult struct {
	SignUp struct {
		IsSignUpComplete bool   `json:"isSignUpComplete"`
		SignUpStep       string `json:"signUpStep"`
	} `json:"signUp"`
	Claim    any          `json:"claim"`
	Username string       `json:"username"`
	Trace    []traceEntry `json:"trace"`
}

// TestAmplifyJSTriggers signs up and in through Amplify JS v6 against
// `cognate serve` whose functions file sends a pre sign-up trigger (which
// auto-confirms) and a V1_0 pre token generation trigger (which adds a
// claim) to a webhook.
func TestAmplifyJSTriggers(t *testing.T) {
	const claim, invite = "tier", "XYZ-42"
	node, jsDir := jsClients(t)
	h := newHook(t)
	h.on(func(w http.ResponseWriter, event map[string]any) {
		switch event["triggerSource"] {
		case "PreSignUp_SignUp":
			reply(w, event, map[string]any{"autoConfirmUser": true, "autoVerifyEmail": false, "autoVerifyPhone": false})
		case "TokenGeneration_Authentication":
			reply(w, event, map[string]any{"claimsOverrideDetails": map[string]any{"claimsToAddOrOverride": map[string]string{claim: "gold"}}})
		default:
			fail("unexpected "+event["triggerSource"].(string))(w, event)
		}
	})
	p := startServe(t, []string{"COGNATE_ADMIN_ACCESS_KEY_ID=" + adminKeyID, "COGNATE_ADMIN_SECRET_ACCESS_KEY=" + adminSecret},
		"--functions", h.file(t))
	p.Admin = cip.New(cip.Options{Region: region, BaseEndpoint: aws.String(p.URL),
		Credentials: credentials.NewStaticCredentialsProvider(adminKeyID, adminSecret, "")})
	pool, err := p.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String("amplify-triggers"),
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		LambdaConfig:           &types.LambdaConfigType{PreSignUp: aws.String(preSignUpARN), PreTokenGeneration: aws.String(preTokenARN)}})
	if err != nil {
		t.Fatal(err)
	}
	poolID := *pool.UserPool.Id
	c, err := p.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("web"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	clientID := *c.UserPoolClient.ClientId

	var res amplifyTriggersResult
	runScript(t, node, filepath.Join(jsDir, "amplify-triggers.mjs"), p, "tess", &res,
		"COGNATE_POOL_ID="+poolID, "COGNATE_CLIENT_ID="+clientID, "COGNATE_INVITE="+invite, "COGNATE_CLAIM="+claim)

	if !res.SignUp.IsSignUpComplete || res.SignUp.SignUpStep != "DONE" {
		t.Errorf("Amplify's signUp = %+v, want complete", res.SignUp)
	}
	if res.Claim != "gold" || res.Username != "tess" {
		t.Errorf("fetchAuthSession's ID token: %s = %v, cognito:username %q; want gold and tess", claim, res.Claim, res.Username)
	}
	events := h.received(poolID)
	if len(events) != 2 {
		t.Fatalf("%d events, want the pre sign-up and the pre token generation ones: %v", len(events), events)
	}
	wantEvent(t, events[:1], map[string]any{
		"triggerSource":          "PreSignUp_SignUp",
		"userName":               "tess",
		"callerContext.clientId": clientID,
		"request.validationData": map[string]any{"invite": invite},
		"request.clientMetadata": map[string]any{"source": "amplify"},
		"request.userAttributes": map[string]any{"email": "tess@example.com"},
	})
	wantEvent(t, events[1:], map[string]any{"triggerSource": "TokenGeneration_Authentication", "userName": "tess"})
	u, err := p.Admin.AdminGetUser(ctx(t), &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String("tess")})
	if err != nil {
		t.Fatal(err)
	}
	if u.UserStatus != types.UserStatusTypeConfirmed {
		t.Errorf("status %s, want CONFIRMED", u.UserStatus)
	}
	if msgs := p.messages(t, poolID, "tess"); len(msgs) != 0 {
		t.Errorf("%d messages sent to an auto-confirmed user, want none", len(msgs))
	}
	if failures := failedCalls(t, res.Trace); len(failures) != 0 {
		t.Errorf("failed calls %v, want none", failures)
	}
}
