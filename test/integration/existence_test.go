package integration

import (
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognate-auth/cognate/auth/cognitosrp"
	"github.com/cognate-auth/cognate/internal/store"
)

// Under PreventUserExistenceErrors=ENABLED a name that is no user must be
// told apart from a user by nothing: not the answer, not its shape, not
// the limits it meets. (Timing is proven in package signin, where it can be
// measured without the network's noise.)

var uuidShape = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// hidingPool makes a pool (signing in by email when emailUsernames) with
// a client that hides existence and allows every password flow.
func (e *env) hidingPool(t *testing.T, emailUsernames bool) (poolID, clientID string) {
	t.Helper()
	in := &cip.CreateUserPoolInput{PoolName: aws.String("hiding"),
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		Policies: &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{
			AllowedFirstAuthFactors: []types.AuthFactorType{types.AuthFactorTypePassword, types.AuthFactorTypeEmailOtp}}}}
	if emailUsernames {
		in.UsernameAttributes = []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}
	}
	p, err := e.Admin.CreateUserPool(ctx(t), in)
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: p.UserPool.Id, ClientName: aws.String("app"),
		PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled, ExplicitAuthFlows: allPasswordFlows.ExplicitAuthFlows})
	if err != nil {
		t.Fatal(err)
	}
	return *p.UserPool.Id, *c.UserPoolClient.ClientId
}

func TestExistenceHidingInSignIn(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		for _, emailUsernames := range []bool{false, true} {
			poolID, clientID := e.hidingPool(t, emailUsernames)
			real, unknown := "alice", "mallory"
			if emailUsernames {
				real, unknown = "alice@example.com", "mallory@example.com"
			}
			if emailUsernames {
				e.signUpConfirmedAs(t, poolID, clientID, real, real)
			} else {
				e.signUpConfirmed(t, poolID, clientID, real, password)
			}

			startSRP := func(name string) *cip.InitiateAuthOutput {
				t.Helper()
				c, err := cognitosrp.NewClient(poolID, name, "Wrong-Passw0rd!")
				if err != nil {
					t.Fatal(err)
				}
				out, err := e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserSrpAuth,
					ClientId: aws.String(clientID), AuthParameters: c.AuthParameters()})
				if err != nil {
					t.Fatalf("USER_SRP_AUTH for %s: %v", name, err)
				}
				return out
			}
			r, u := startSRP(real), startSRP(unknown)
			if len(r.ChallengeParameters["SECRET_BLOCK"]) != len(u.ChallengeParameters["SECRET_BLOCK"]) {
				t.Errorf("SECRET_BLOCK lengths %d and %d", len(r.ChallengeParameters["SECRET_BLOCK"]), len(u.ChallengeParameters["SECRET_BLOCK"]))
			}
			for _, k := range []string{"SALT", "SRP_B", "USERNAME", "USER_ID_FOR_SRP", "SECRET_BLOCK"} {
				if u.ChallengeParameters[k] == "" || r.ChallengeParameters[k] == "" {
					t.Errorf("%s missing: user %q, unknown %q", k, r.ChallengeParameters[k], u.ChallengeParameters[k])
				}
			}
			id := u.ChallengeParameters["USER_ID_FOR_SRP"]
			switch {
			case emailUsernames && (!uuidShape.MatchString(id) || !uuidShape.MatchString(r.ChallengeParameters["USER_ID_FOR_SRP"])):
				t.Errorf("USER_ID_FOR_SRP %q (user) and %q (unknown), want subs", r.ChallengeParameters["USER_ID_FOR_SRP"], id)
			case !emailUsernames && (id != unknown || r.ChallengeParameters["USER_ID_FOR_SRP"] != real):
				t.Errorf("USER_ID_FOR_SRP %q and %q, want the names", r.ChallengeParameters["USER_ID_FOR_SRP"], id)
			}
			if again := startSRP(unknown); again.ChallengeParameters["SALT"] != u.ChallengeParameters["SALT"] ||
				again.ChallengeParameters["USER_ID_FOR_SRP"] != id {
				t.Error("an unknown name's salt or id changed between sign-ins")
			}

			// Wrong passwords: the same answers, then the same lock-out.
			for _, name := range []string{real, unknown} {
				for i := range 5 {
					_, err := e.passwordOnce(t, clientID, name, "Wrong-Passw0rd!")
					if errorMessage(err) != "Incorrect username or password." {
						t.Fatalf("%s, wrong password %d: %v", name, i+1, err)
					}
				}
				_, err := e.passwordOnce(t, clientID, name, password)
				wantLocked(t, name, err)
			}
			e.Clock.Advance(2 * time.Second)

			// USER_AUTH: a choice of factors either way, and an emailed code
			// "sent" either way.
			userAuth := func(name, pref string) (*cip.InitiateAuthOutput, error) {
				params := map[string]string{"USERNAME": name}
				if pref != "" {
					params["PREFERRED_CHALLENGE"] = pref
				}
				return e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserAuth, ClientId: aws.String(clientID),
					AuthParameters: params}, noRetry)
			}
			for _, name := range []string{real, unknown} {
				sel, err := userAuth(name, "")
				if err != nil || sel.ChallengeName != types.ChallengeNameTypeSelectChallenge || len(sel.AvailableChallenges) < 2 {
					t.Fatalf("USER_AUTH for %s: %+v, %v", name, sel, err)
				}
				if again, err := userAuth(name, ""); err != nil || !slices.Equal(again.AvailableChallenges, sel.AvailableChallenges) {
					t.Fatalf("USER_AUTH for %s offered %v, then %v (%v)", name, sel.AvailableChallenges, again.AvailableChallenges, err)
				}
				otp, err := userAuth(name, "EMAIL_OTP")
				if !slices.Contains(sel.AvailableChallenges, types.ChallengeNameTypeEmailOtp) {
					// As for a user without a verified email address.
					if err != nil || otp.ChallengeName != types.ChallengeNameTypeSelectChallenge {
						t.Fatalf("USER_AUTH EMAIL_OTP for %s, who has no email factor: %+v, %v", name, otp, err)
					}
					continue
				}
				if err != nil || otp.ChallengeName != types.ChallengeNameTypeEmailOtp ||
					!maskedEmail.MatchString(otp.ChallengeParameters["CODE_DELIVERY_DESTINATION"]) {
					t.Fatalf("USER_AUTH EMAIL_OTP for %s: %+v, %v", name, otp, err)
				}
				_, err = e.Anon.RespondToAuthChallenge(ctx(t), &cip.RespondToAuthChallengeInput{ChallengeName: types.ChallengeNameTypeEmailOtp,
					ClientId: aws.String(clientID), Session: otp.Session,
					ChallengeResponses: map[string]string{"USERNAME": name, "EMAIL_OTP_CODE": "000000"}}, noRetry)
				wantCode(t, err, "CodeMismatchException")
			}
		}
	})
}

func TestExistenceHidingInCodes(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.hidingPool(t, false)
		e.signUpConfirmed(t, poolID, clientID, "alice", password)
		resend := func(c *cip.Client, name string) (*cip.ResendConfirmationCodeOutput, error) {
			return c.ResendConfirmationCode(ctx(t), &cip.ResendConfirmationCodeInput{ClientId: aws.String(clientID), Username: aws.String(name)}, noRetry)
		}
		forgot := func(c *cip.Client, name string) (*cip.ForgotPasswordOutput, error) {
			return c.ForgotPassword(ctx(t), &cip.ForgotPasswordInput{ClientId: aws.String(clientID), Username: aws.String(name)}, noRetry)
		}
		confirmForgot := func(name string) error {
			_, err := e.Anon.ConfirmForgotPassword(ctx(t), &cip.ConfirmForgotPasswordInput{ClientId: aws.String(clientID), Username: aws.String(name),
				ConfirmationCode: aws.String("000000"), Password: aws.String("N3w-Horse-Battery!")}, noRetry)
			return err
		}

		for _, name := range []string{"alice", "mallory"} {
			// A confirmed user and an unknown name: a code "sent", whose
			// confirmation is a wrong code.
			out, err := resend(e.Anon, name)
			if err != nil || !maskedEmail.MatchString(aws.ToString(out.CodeDeliveryDetails.Destination)) {
				t.Fatalf("ResendConfirmationCode for %s: %+v, %v", name, out, err)
			}
			_, err = e.Anon.ConfirmSignUp(ctx(t), &cip.ConfirmSignUpInput{ClientId: aws.String(clientID), Username: aws.String(name),
				ConfirmationCode: aws.String("123456")}, noRetry)
			wantCode(t, err, "CodeMismatchException")
			// No code asked for yet: an expired one, either way.
			wantCode(t, confirmForgot(name), "ExpiredCodeException")
		}
		// The unknown name's destination is its own, not made of its
		// letters.
		if out, _ := forgot(e.Anon, "zed"); out != nil && aws.ToString(out.CodeDeliveryDetails.Destination) == "z***@z***" {
			t.Error("the unknown name's destination is made from the name")
		}

		// Requests: five an hour from one address, for a user and an
		// unknown name alike; this is the regression test of the
		// unlimited ResendConfirmationCode (30 of 30 accepted).
		for _, name := range []string{"alice", "mallory"} {
			from := e.from("203.0.113.50")
			for i := range 5 {
				if _, err := forgot(from, name); err != nil {
					t.Fatalf("ForgotPassword %d for %s: %v", i+1, name, err)
				}
			}
			_, err := forgot(from, name)
			wantCode(t, err, "LimitExceededException")
			// Asked for: now a mismatch, either way.
			wantCode(t, confirmForgot(name), "CodeMismatchException")
			for i := range 5 {
				if _, err := resend(from, name); err != nil {
					t.Fatalf("ResendConfirmationCode %d for %s: %v", i+1, name, err)
				}
			}
			_, err = resend(from, name)
			wantCode(t, err, "LimitExceededException")
		}
	})
}

// TestVerificationCodeRequestsAreLimited is the regression test of the
// unlimited GetUserAttributeVerificationCode (25 of 25 accepted).
func TestVerificationCodeRequestsAreLimited(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.poolWithClient(t, allPasswordFlows)
		e.signUpConfirmed(t, poolID, clientID, "erin", password)
		out, err := e.passwordOnce(t, clientID, "erin", password)
		if err != nil {
			t.Fatal(err)
		}
		ask := func() error {
			_, err := e.Anon.GetUserAttributeVerificationCode(ctx(t), &cip.GetUserAttributeVerificationCodeInput{
				AccessToken: out.AuthenticationResult.AccessToken, AttributeName: aws.String("email")}, noRetry)
			return err
		}
		for i := range 5 {
			if err := ask(); err != nil {
				t.Fatalf("request %d: %v", i+1, err)
			}
		}
		wantCode(t, ask(), "LimitExceededException")
		e.Clock.Advance(61 * time.Minute)
		if out, err = e.passwordOnce(t, clientID, "erin", password); err != nil {
			t.Fatal(err)
		}
		if err := ask(); err != nil {
			t.Fatalf("after the hour: %v", err)
		}
	})
}

// signUpConfirmedAs signs a user up with an email address and confirms it.
func (e *env) signUpConfirmedAs(t *testing.T, poolID, clientID, username, email string) {
	t.Helper()
	if _, err := e.Anon.SignUp(ctx(t), &cip.SignUpInput{ClientId: aws.String(clientID), Username: aws.String(username), Password: aws.String(password),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(email)}}}); err != nil {
		t.Fatal(err)
	}
	msgs, err := e.Server.Store.ListMessages(ctx(t), store.MessageFilter{PoolID: poolID})
	if err != nil || len(msgs) == 0 {
		t.Fatalf("no sign-up code: %v", err)
	}
	if _, err := e.Anon.ConfirmSignUp(ctx(t), &cip.ConfirmSignUpInput{ClientId: aws.String(clientID), Username: aws.String(username),
		ConfirmationCode: aws.String(msgs[len(msgs)-1].Code)}); err != nil {
		t.Fatal(err)
	}
}
