package integration

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// userAuthTriggerPool is userAuthPool with triggers, and a second client
// preventing user existence errors.
func (e *env) userAuthTriggerPool(t *testing.T, lc *types.LambdaConfigType) (poolID, clientID, hidingID string) {
	t.Helper()
	p, err := e.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String("userauth-triggers"), LambdaConfig: lc,
		Policies: &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{AllowedFirstAuthFactors: []types.AuthFactorType{
			types.AuthFactorTypePassword, types.AuthFactorTypeEmailOtp, types.AuthFactorTypeSmsOtp}}}})
	if err != nil {
		t.Fatal(err)
	}
	poolID = *p.UserPool.Id
	ids := make([]string, 2)
	for i, prevent := range []types.PreventUserExistenceErrorTypes{types.PreventUserExistenceErrorTypesLegacy, types.PreventUserExistenceErrorTypesEnabled} {
		c, err := e.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String(fmt.Sprint("app", i)),
			PreventUserExistenceErrors: prevent,
			ExplicitAuthFlows:          []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = *c.UserPoolClient.ClientId
	}
	e.addDana(t, poolID)
	return poolID, ids[0], ids[1]
}

// The pre authentication trigger runs for USER_AUTH's passwordless first
// factors as for its passwords: once per sign-in, when the factor is
// chosen and before its code is sent, so that a refusal sends nothing.
func TestUserAuthPreAuthentication(t *testing.T) {
	triggerEngines(t, func(t *testing.T, e *env, h *hook) {
		poolID, clientID, hidingID := e.userAuthTriggerPool(t, &types.LambdaConfigType{PreAuthentication: aws.String(preAuthenticationARN)})
		preAuths := func() int {
			n := 0
			for _, ev := range h.received(poolID) {
				if ev["triggerSource"] == "PreAuthentication_Authentication" {
					n++
				}
			}
			return n
		}
		sent := func() int { return len(e.messages(poolID, "dana")) }
		initiate := func(client string, params map[string]string) (*cip.InitiateAuthOutput, error) {
			return e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: flowUserAuth, ClientId: aws.String(client),
				AuthParameters: params, ClientMetadata: map[string]string{"via": "otp"}}, noRetry)
		}

		// Preferred EMAIL_OTP: at InitiateAuth, with its ClientMetadata; the code's answer does not run it again.
		h.on(nil)
		init, err := initiate(clientID, map[string]string{"USERNAME": "dana", "PREFERRED_CHALLENGE": "EMAIL_OTP"})
		if err != nil {
			t.Fatal(err)
		}
		wantEvent(t, h.received(poolID), map[string]any{"triggerSource": "PreAuthentication_Authentication", "userName": "dana",
			"callerContext.clientId": clientID, "request.userNotFound": false, "request.validationData": map[string]any{"via": "otp"},
			"request.userAttributes.email": "dana@example.com"})
		out, err := e.answer(t, clientID, types.ChallengeNameTypeEmailOtp, init.Session, "dana", "EMAIL_OTP_CODE", e.lastCode(poolID, "dana"))
		wantTokens(t, authResult(out), err)
		if n := preAuths(); n != 1 {
			t.Errorf("%d pre authentication events for one sign-in, want 1", n)
		}

		// SELECT_CHALLENGE: not before a factor is chosen; SMS_OTP chosen runs it.
		init, err = initiate(clientID, map[string]string{"USERNAME": "dana"})
		if err != nil || init.ChallengeName != challengeSelect {
			t.Fatalf("InitiateAuth = %v, %v; want SELECT_CHALLENGE", init, err)
		}
		if n := preAuths(); n != 1 {
			t.Errorf("SELECT_CHALLENGE ran the trigger: %d events", n)
		}
		sel, err := e.answer(t, clientID, challengeSelect, init.Session, "dana", "ANSWER", "SMS_OTP")
		if err != nil || sel.ChallengeName != challengeSMSOTP {
			t.Fatalf("ANSWER SMS_OTP = %v, %v", sel, err)
		}
		if n := preAuths(); n != 2 {
			t.Errorf("%d pre authentication events after SMS_OTP was chosen, want 2", n)
		}

		// A refusal fails the sign-in, and no code is sent.
		h.on(fail("Sign-in is closed"))
		before := sent()
		_, err = initiate(clientID, map[string]string{"USERNAME": "dana", "PREFERRED_CHALLENGE": "EMAIL_OTP"})
		wantError(t, err, "UserLambdaValidationException", "PreAuthentication failed with error Sign-in is closed.")
		init, err = initiate(clientID, map[string]string{"USERNAME": "dana"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.answer(t, clientID, challengeSelect, init.Session, "dana", "ANSWER", "SMS_OTP")
		wantError(t, err, "UserLambdaValidationException", "PreAuthentication failed with error Sign-in is closed.")
		if n := sent() - before; n != 0 {
			t.Errorf("%d codes sent to a user the trigger refused", n)
		}

		// A name that is no user, for a client preventing existence errors: its decoy's code challenge runs the trigger too.
		h.on(nil)
		for i := range 8 {
			name := fmt.Sprint("nobody", i)
			before := len(h.received(poolID))
			init, err := initiate(hidingID, map[string]string{"USERNAME": name, "PREFERRED_CHALLENGE": "EMAIL_OTP"})
			if err != nil {
				t.Fatal(err)
			}
			if init.ChallengeName != types.ChallengeNameTypeEmailOtp {
				continue // this decoy has no email address
			}
			evs := h.received(poolID)[before:]
			wantEvent(t, evs, map[string]any{"triggerSource": "PreAuthentication_Authentication", "userName": name,
				"request.userNotFound": true, "callerContext.clientId": hidingID})
			return
		}
		t.Error("no decoy offered EMAIL_OTP")
	})
}
