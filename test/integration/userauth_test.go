package integration

import (
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognate-auth/cognate/auth/cognitosrp"
)

const (
	flowUserAuth    = types.AuthFlowType("USER_AUTH")
	challengeSelect = types.ChallengeNameType("SELECT_CHALLENGE")
	challengeSMSOTP = types.ChallengeNameType("SMS_OTP")
)

// userAuthPool creates a pool allowing factors as first factors, a client
// with ALLOW_USER_AUTH, and a confirmed user "dana" with a password and a
// verified email address and phone number.
func (e *env) userAuthPool(t *testing.T, factors ...types.AuthFactorType) (poolID, clientID string) {
	t.Helper()
	in := &cip.CreateUserPoolInput{PoolName: aws.String("userauth")}
	if factors != nil {
		in.Policies = &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{AllowedFirstAuthFactors: factors}}
	}
	p, err := e.Admin.CreateUserPool(ctx(t), in)
	if err != nil {
		t.Fatal(err)
	}
	poolID = *p.UserPool.Id
	c, err := e.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("app"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	e.addDana(t, poolID)
	return poolID, *c.UserPoolClient.ClientId
}

// addDana adds the user "dana", confirmed with password, a verified email
// and a verified phone number, to a pool.
func (e *env) addDana(t *testing.T, poolID string) {
	t.Helper()
	if _, err := e.Admin.AdminCreateUser(ctx(t), &cip.AdminCreateUserInput{UserPoolId: aws.String(poolID), Username: aws.String("dana"),
		MessageAction: types.MessageActionTypeSuppress, UserAttributes: []types.AttributeType{
			{Name: aws.String("email"), Value: aws.String("dana@example.com")},
			{Name: aws.String("email_verified"), Value: aws.String("true")},
			{Name: aws.String("phone_number"), Value: aws.String("+15550001234")},
			{Name: aws.String("phone_number_verified"), Value: aws.String("true")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Admin.AdminSetUserPassword(ctx(t), &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(poolID),
		Username: aws.String("dana"), Password: aws.String(password), Permanent: true}); err != nil {
		t.Fatal(err)
	}
}

func (e *env) userAuth(t *testing.T, clientID string, params map[string]string) (*cip.InitiateAuthOutput, error) {
	t.Helper()
	return e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: flowUserAuth, ClientId: aws.String(clientID),
		AuthParameters: params}, noRetry)
}

func wantTokens(t *testing.T, r *types.AuthenticationResultType, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	if r == nil || aws.ToString(r.AccessToken) == "" || aws.ToString(r.IdToken) == "" || aws.ToString(r.RefreshToken) == "" {
		t.Fatalf("AuthenticationResult = %+v, want tokens", r)
	}
}

func TestUserAuthSignInPolicy(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, _ := e.userAuthPool(t, types.AuthFactorTypePassword, types.AuthFactorTypeEmailOtp, types.AuthFactorTypeSmsOtp)
		d, err := e.Admin.DescribeUserPool(ctx(t), &cip.DescribeUserPoolInput{UserPoolId: aws.String(poolID)})
		if err != nil {
			t.Fatal(err)
		}
		want := []types.AuthFactorType{types.AuthFactorTypePassword, types.AuthFactorTypeEmailOtp, types.AuthFactorTypeSmsOtp}
		if got := d.UserPool.Policies.SignInPolicy.AllowedFirstAuthFactors; !slices.Equal(got, want) {
			t.Fatalf("AllowedFirstAuthFactors = %v, want %v", got, want)
		}
		if _, err := e.Admin.UpdateUserPool(ctx(t), &cip.UpdateUserPoolInput{UserPoolId: aws.String(poolID), Policies: &types.UserPoolPolicyType{
			SignInPolicy: &types.SignInPolicyType{AllowedFirstAuthFactors: []types.AuthFactorType{types.AuthFactorTypeEmailOtp}}}}); err == nil {
			t.Fatal("UpdateUserPool without PASSWORD among the first factors succeeded")
		} else {
			wantCode(t, err, "InvalidParameterException")
		}
		if _, err := e.Admin.UpdateUserPool(ctx(t), &cip.UpdateUserPoolInput{UserPoolId: aws.String(poolID), Policies: &types.UserPoolPolicyType{
			SignInPolicy: &types.SignInPolicyType{AllowedFirstAuthFactors: []types.AuthFactorType{types.AuthFactorTypePassword, types.AuthFactorTypeEmailOtp}}}}); err != nil {
			t.Fatal(err)
		}
		d, err = e.Admin.DescribeUserPool(ctx(t), &cip.DescribeUserPoolInput{UserPoolId: aws.String(poolID)})
		if err != nil {
			t.Fatal(err)
		}
		want = []types.AuthFactorType{types.AuthFactorTypePassword, types.AuthFactorTypeEmailOtp}
		if got := d.UserPool.Policies.SignInPolicy.AllowedFirstAuthFactors; !slices.Equal(got, want) {
			t.Fatalf("AllowedFirstAuthFactors after update = %v, want %v", got, want)
		}
		other, _ := e.userAuthPool(t)
		d, err = e.Admin.DescribeUserPool(ctx(t), &cip.DescribeUserPoolInput{UserPoolId: aws.String(other)})
		if err != nil {
			t.Fatal(err)
		}
		if got := d.UserPool.Policies.SignInPolicy.AllowedFirstAuthFactors; !slices.Equal(got, []types.AuthFactorType{types.AuthFactorTypePassword}) {
			t.Fatalf("default AllowedFirstAuthFactors = %v, want [PASSWORD]", got)
		}
	})
}

func TestUserAuthOTP(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.userAuthPool(t, types.AuthFactorTypePassword, types.AuthFactorTypeEmailOtp, types.AuthFactorTypeSmsOtp)

		// Preferred EMAIL_OTP: the code goes out at once.
		init, err := e.userAuth(t, clientID, map[string]string{"USERNAME": "dana", "PREFERRED_CHALLENGE": "EMAIL_OTP"})
		if err != nil {
			t.Fatal(err)
		}
		wantChallenge(t, init.ChallengeName, init.ChallengeParameters, types.ChallengeNameTypeEmailOtp,
			map[string]string{"CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL", "CODE_DELIVERY_DESTINATION": "d***@e***"})
		code := e.lastCode(poolID, "dana")
		_, err = e.answer(t, clientID, types.ChallengeNameTypeEmailOtp, init.Session, "dana", "EMAIL_OTP_CODE", wrongCode(code))
		wantCode(t, err, "CodeMismatchException")
		out, err := e.answer(t, clientID, types.ChallengeNameTypeEmailOtp, init.Session, "dana", "EMAIL_OTP_CODE", code)
		wantTokens(t, authResult(out), err)
		factors, err := e.Anon.GetUserAuthFactors(ctx(t), &cip.GetUserAuthFactorsInput{AccessToken: out.AuthenticationResult.AccessToken})
		if err != nil {
			t.Fatal(err)
		}
		if want := []types.AuthFactorType{"PASSWORD", "EMAIL_OTP", "SMS_OTP"}; aws.ToString(factors.Username) != "dana" ||
			!slices.Equal(factors.ConfiguredUserAuthFactors, want) {
			t.Fatalf("GetUserAuthFactors = %s %v, want %v", aws.ToString(factors.Username), factors.ConfiguredUserAuthFactors, want)
		}
		_, err = e.answer(t, clientID, types.ChallengeNameTypeEmailOtp, init.Session, "dana", "EMAIL_OTP_CODE", code)
		if err == nil {
			t.Fatal("a used code signed in again")
		}

		// No preference: SELECT_CHALLENGE lists what dana can use.
		init, err = e.userAuth(t, clientID, map[string]string{"USERNAME": "dana"})
		if err != nil {
			t.Fatal(err)
		}
		if init.ChallengeName != challengeSelect || !slices.Equal(init.AvailableChallenges,
			[]types.ChallengeNameType{"PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"}) {
			t.Fatalf("InitiateAuth = %s %v, want SELECT_CHALLENGE", init.ChallengeName, init.AvailableChallenges)
		}
		sel, err := e.answer(t, clientID, challengeSelect, init.Session, "dana", "ANSWER", "EMAIL_OTP")
		if err != nil {
			t.Fatal(err)
		}
		wantChallenge(t, sel.ChallengeName, sel.ChallengeParameters, types.ChallengeNameTypeEmailOtp, map[string]string{"CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL"})
		out, err = e.answer(t, clientID, types.ChallengeNameTypeEmailOtp, sel.Session, "dana", "EMAIL_OTP_CODE", e.lastCode(poolID, "dana"))
		wantTokens(t, authResult(out), err)

		// SMS_OTP through SELECT_CHALLENGE.
		init, err = e.userAuth(t, clientID, map[string]string{"USERNAME": "dana"})
		if err != nil {
			t.Fatal(err)
		}
		sel, err = e.answer(t, clientID, challengeSelect, init.Session, "dana", "ANSWER", "SMS_OTP")
		if err != nil {
			t.Fatal(err)
		}
		wantChallenge(t, sel.ChallengeName, sel.ChallengeParameters, challengeSMSOTP, map[string]string{"CODE_DELIVERY_DELIVERY_MEDIUM": "SMS"})
		out, err = e.answer(t, clientID, challengeSMSOTP, sel.Session, "dana", "SMS_OTP_CODE", e.lastCode(poolID, "dana"))
		wantTokens(t, authResult(out), err)

		// The code expires with the session.
		init, err = e.userAuth(t, clientID, map[string]string{"USERNAME": "dana", "PREFERRED_CHALLENGE": "EMAIL_OTP"})
		if err != nil {
			t.Fatal(err)
		}
		e.Clock.Advance(4 * time.Minute)
		_, err = e.answer(t, clientID, types.ChallengeNameTypeEmailOtp, init.Session, "dana", "EMAIL_OTP_CODE", e.lastCode(poolID, "dana"))
		wantCode(t, err, "NotAuthorizedException")
	})
}

func authResult(out *cip.RespondToAuthChallengeOutput) *types.AuthenticationResultType {
	if out == nil {
		return nil
	}
	return out.AuthenticationResult
}

// wrongCode returns a code that differs from code.
func wrongCode(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}

func TestUserAuthPassword(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.userAuthPool(t, types.AuthFactorTypePassword, types.AuthFactorTypeEmailOtp)

		init, err := e.userAuth(t, clientID, map[string]string{"USERNAME": "dana", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": password})
		if err != nil {
			t.Fatal(err)
		}
		wantTokens(t, init.AuthenticationResult, nil)
		_, err = e.userAuth(t, clientID, map[string]string{"USERNAME": "dana", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": "wrong-" + password})
		wantCode(t, err, "NotAuthorizedException")

		init, err = e.userAuth(t, clientID, map[string]string{"USERNAME": "dana"})
		if err != nil {
			t.Fatal(err)
		}
		out, err := e.Anon.RespondToAuthChallenge(ctx(t), &cip.RespondToAuthChallengeInput{ChallengeName: challengeSelect, ClientId: aws.String(clientID),
			Session: init.Session, ChallengeResponses: map[string]string{"USERNAME": "dana", "ANSWER": "PASSWORD", "PASSWORD": password}}, noRetry)
		wantTokens(t, authResult(out), err)

		// PASSWORD_SRP, preferred and chosen.
		srpSignIn := func(start func(params map[string]string) (map[string]string, *string, error)) {
			t.Helper()
			c, err := cognitosrp.NewClient(poolID, "dana", password)
			if err != nil {
				t.Fatal(err)
			}
			params, session, err := start(c.AuthParameters())
			if err != nil {
				t.Fatal(err)
			}
			responses, err := c.ChallengeResponses(params, e.Clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			out, err := e.Anon.RespondToAuthChallenge(ctx(t), &cip.RespondToAuthChallengeInput{ChallengeName: types.ChallengeNameTypePasswordVerifier,
				ClientId: aws.String(clientID), ChallengeResponses: responses, Session: session}, noRetry)
			wantTokens(t, authResult(out), err)
		}
		srpSignIn(func(params map[string]string) (map[string]string, *string, error) {
			params["PREFERRED_CHALLENGE"] = "PASSWORD_SRP"
			init, err := e.userAuth(t, clientID, params)
			if err != nil {
				return nil, nil, err
			}
			if init.ChallengeName != types.ChallengeNameTypePasswordVerifier {
				t.Fatalf("challenge = %s, want PASSWORD_VERIFIER", init.ChallengeName)
			}
			return init.ChallengeParameters, init.Session, nil
		})
		srpSignIn(func(params map[string]string) (map[string]string, *string, error) {
			init, err := e.userAuth(t, clientID, map[string]string{"USERNAME": "dana"})
			if err != nil {
				return nil, nil, err
			}
			out, err := e.Anon.RespondToAuthChallenge(ctx(t), &cip.RespondToAuthChallengeInput{ChallengeName: challengeSelect, ClientId: aws.String(clientID),
				Session: init.Session, ChallengeResponses: map[string]string{"USERNAME": "dana", "ANSWER": "PASSWORD_SRP", "SRP_A": params["SRP_A"]}}, noRetry)
			if err != nil {
				return nil, nil, err
			}
			if out.ChallengeName != types.ChallengeNameTypePasswordVerifier {
				t.Fatalf("challenge = %s, want PASSWORD_VERIFIER", out.ChallengeName)
			}
			return out.ChallengeParameters, out.Session, nil
		})
	})
}

func TestUserAuthRefused(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.userAuthPool(t) // PASSWORD only

		// A factor the pool does not allow is not offered, nor accepted.
		init, err := e.userAuth(t, clientID, map[string]string{"USERNAME": "dana", "PREFERRED_CHALLENGE": "EMAIL_OTP"})
		if err != nil {
			t.Fatal(err)
		}
		if init.ChallengeName != challengeSelect || !slices.Equal(init.AvailableChallenges, []types.ChallengeNameType{"PASSWORD", "PASSWORD_SRP"}) {
			t.Fatalf("InitiateAuth = %s %v, want SELECT_CHALLENGE of the password factors", init.ChallengeName, init.AvailableChallenges)
		}
		_, err = e.answer(t, clientID, challengeSelect, init.Session, "dana", "ANSWER", "EMAIL_OTP")
		wantCode(t, err, "InvalidParameterException")
		if n := len(e.messages(poolID, "dana")); n != 0 {
			t.Fatalf("%d messages sent, want none", n)
		}
		_, err = e.userAuth(t, clientID, map[string]string{"USERNAME": "dana", "PREFERRED_CHALLENGE": "WEB_AUTHN"})
		if err == nil {
			t.Fatal("WEB_AUTHN accepted")
		}

		// A client without ALLOW_USER_AUTH refuses the flow.
		c, err := e.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("srp"),
			ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.userAuth(t, *c.UserPoolClient.ClientId, map[string]string{"USERNAME": "dana"})
		wantCode(t, err, "InvalidParameterException")

		// Unknown users: UserNotFoundException, or with
		// PreventUserExistenceErrors a SELECT_CHALLENGE that fails later.
		_, err = e.userAuth(t, clientID, map[string]string{"USERNAME": "nobody"})
		wantCode(t, err, "UserNotFoundException")
		if _, err := e.Admin.UpdateUserPoolClient(ctx(t), &cip.UpdateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientId: aws.String(clientID),
			ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserAuth}, PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled}); err != nil {
			t.Fatal(err)
		}
		init, err = e.userAuth(t, clientID, map[string]string{"USERNAME": "nobody"})
		if err != nil {
			t.Fatal(err)
		}
		if init.ChallengeName != challengeSelect || !slices.Equal(init.AvailableChallenges, []types.ChallengeNameType{"PASSWORD", "PASSWORD_SRP"}) {
			t.Fatalf("InitiateAuth of an unknown user = %s %v, want SELECT_CHALLENGE", init.ChallengeName, init.AvailableChallenges)
		}
		_, err = e.Anon.RespondToAuthChallenge(ctx(t), &cip.RespondToAuthChallengeInput{ChallengeName: challengeSelect, ClientId: aws.String(clientID),
			Session: init.Session, ChallengeResponses: map[string]string{"USERNAME": "nobody", "ANSWER": "PASSWORD", "PASSWORD": password}}, noRetry)
		wantMessage(t, err, "NotAuthorizedException", "Incorrect username or password.")
	})
}

// TestUserAuthMFA: MFA follows a password first factor, not an emailed code.
func TestUserAuthMFA(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.userAuthPool(t, types.AuthFactorTypePassword, types.AuthFactorTypeEmailOtp)
		if _, err := e.Admin.SetUserPoolMfaConfig(ctx(t), &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(poolID),
			MfaConfiguration: types.UserPoolMfaTypeOptional, EmailMfaConfiguration: &types.EmailMfaConfigType{}}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Admin.AdminSetUserMFAPreference(ctx(t), &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(poolID), Username: aws.String("dana"),
			EmailMfaSettings: &types.EmailMfaSettingsType{Enabled: true, PreferredMfa: true}}); err != nil {
			t.Fatal(err)
		}
		init, err := e.userAuth(t, clientID, map[string]string{"USERNAME": "dana", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": password})
		if err != nil {
			t.Fatal(err)
		}
		wantChallenge(t, init.ChallengeName, init.ChallengeParameters, types.ChallengeNameTypeEmailOtp, map[string]string{"USER_ID_FOR_SRP": "dana"})
		out, err := e.answer(t, clientID, types.ChallengeNameTypeEmailOtp, init.Session, "dana", "EMAIL_OTP_CODE", e.lastCode(poolID, "dana"))
		wantTokens(t, authResult(out), err)

		init, err = e.userAuth(t, clientID, map[string]string{"USERNAME": "dana", "PREFERRED_CHALLENGE": "EMAIL_OTP"})
		if err != nil {
			t.Fatal(err)
		}
		out, err = e.answer(t, clientID, types.ChallengeNameTypeEmailOtp, init.Session, "dana", "EMAIL_OTP_CODE", e.lastCode(poolID, "dana"))
		wantTokens(t, authResult(out), err)

		// AdminInitiateAuth runs the same flow.
		admin, err := e.Admin.AdminInitiateAuth(ctx(t), &cip.AdminInitiateAuthInput{UserPoolId: aws.String(poolID), ClientId: aws.String(clientID),
			AuthFlow: flowUserAuth, AuthParameters: map[string]string{"USERNAME": "dana"}})
		if err != nil {
			t.Fatal(err)
		}
		if admin.ChallengeName != challengeSelect || len(admin.AvailableChallenges) != 3 {
			t.Fatalf("AdminInitiateAuth = %s %v, want SELECT_CHALLENGE", admin.ChallengeName, admin.AvailableChallenges)
		}
	})
}
