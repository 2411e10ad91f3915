package integration

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"github.com/cognate-auth/cognate/auth/cognitosrp"
)

// poolWithClient creates a pool with email sign-in and a client.
func (e *env) poolWithClient(t *testing.T, clientIn *cip.CreateUserPoolClientInput) (poolID, clientID string) {
	t.Helper()
	p, err := e.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{
		PoolName:               aws.String("test"),
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		Schema: []types.SchemaAttributeType{
			{Name: aws.String("email"), Required: aws.Bool(true), Mutable: aws.Bool(true)},
			{Name: aws.String("tenant"), AttributeDataType: types.AttributeDataTypeString},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	// A copy: callers share inputs between tests that run in parallel.
	in := cip.CreateUserPoolClientInput{}
	if clientIn != nil {
		in = *clientIn
	}
	in.UserPoolId, in.ClientName = p.UserPool.Id, aws.String("app")
	c, err := e.Admin.CreateUserPoolClient(ctx(t), &in)
	if err != nil {
		t.Fatal(err)
	}
	return *p.UserPool.Id, *c.UserPoolClient.ClientId
}

// apiCode returns the exception name of an SDK error.
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// errorMessage returns the message of an SDK error.
func errorMessage(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorMessage()
	}
	return ""
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := apiCode(err); got != code {
		t.Fatalf("error = %v (code %q), want %s", err, got, code)
	}
}

// srpSignIn signs in with USER_SRP_AUTH through the independent SRP client.
func (e *env) srpSignIn(t *testing.T, poolID, clientID, username, password string) (*types.AuthenticationResultType, error) {
	t.Helper()
	c, err := cognitosrp.NewClient(poolID, username, password)
	if err != nil {
		t.Fatal(err)
	}
	init, err := e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeUserSrpAuth, ClientId: aws.String(clientID), AuthParameters: c.AuthParameters(),
	})
	if err != nil {
		return nil, err
	}
	if init.ChallengeName != types.ChallengeNameTypePasswordVerifier {
		t.Fatalf("challenge = %s, want PASSWORD_VERIFIER", init.ChallengeName)
	}
	responses, err := c.ChallengeResponses(init.ChallengeParameters, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	out, err := e.Anon.RespondToAuthChallenge(ctx(t), &cip.RespondToAuthChallengeInput{
		ChallengeName: types.ChallengeNameTypePasswordVerifier, ClientId: aws.String(clientID),
		ChallengeResponses: responses, Session: init.Session,
	})
	if err != nil {
		return nil, err
	}
	return out.AuthenticationResult, nil
}

// signUpConfirmed signs a user up and confirms it with the outbox code.
func (e *env) signUpConfirmed(t *testing.T, poolID, clientID, username, password string) string {
	t.Helper()
	out, err := e.Anon.SignUp(ctx(t), &cip.SignUpInput{
		ClientId: aws.String(clientID), Username: aws.String(username), Password: aws.String(password),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(username + "@example.com")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Anon.ConfirmSignUp(ctx(t), &cip.ConfirmSignUpInput{
		ClientId: aws.String(clientID), Username: aws.String(username), ConfirmationCode: aws.String(e.lastCode(poolID, username)),
	}); err != nil {
		t.Fatal(err)
	}
	return *out.UserSub
}

const password = "Corr3ct-Horse!"

func TestSignUpConfirmSignInLifecycle(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.poolWithClient(t, nil)

		up, err := e.Anon.SignUp(ctx(t), &cip.SignUpInput{
			ClientId: aws.String(clientID), Username: aws.String("alice"), Password: aws.String(password),
			UserAttributes: []types.AttributeType{
				{Name: aws.String("email"), Value: aws.String("alice@example.com")},
				{Name: aws.String("custom:tenant"), Value: aws.String("acme")},
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		if up.UserConfirmed || up.CodeDeliveryDetails == nil || up.CodeDeliveryDetails.DeliveryMedium != types.DeliveryMediumTypeEmail ||
			aws.ToString(up.CodeDeliveryDetails.Destination) != "a***@e***" {
			t.Fatalf("SignUp = %+v", up)
		}

		_, err = e.srpSignIn(t, poolID, clientID, "alice", password)
		wantCode(t, err, "UserNotConfirmedException")

		_, err = e.Anon.ConfirmSignUp(ctx(t), &cip.ConfirmSignUpInput{ClientId: aws.String(clientID), Username: aws.String("alice"), ConfirmationCode: aws.String("000000x")})
		wantCode(t, err, "CodeMismatchException")
		if _, err := e.Anon.ConfirmSignUp(ctx(t), &cip.ConfirmSignUpInput{
			ClientId: aws.String(clientID), Username: aws.String("alice"), ConfirmationCode: aws.String(e.lastCode(poolID, "alice")),
		}); err != nil {
			t.Fatal(err)
		}

		_, err = e.srpSignIn(t, poolID, clientID, "alice", "Wrong-passw0rd")
		wantCode(t, err, "NotAuthorizedException")

		auth, err := e.srpSignIn(t, poolID, clientID, "alice", password)
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(auth.TokenType) != "Bearer" || auth.ExpiresIn != 3600 || auth.RefreshToken == nil || auth.IdToken == nil {
			t.Fatalf("AuthenticationResult = %+v", auth)
		}

		user, err := e.Anon.GetUser(ctx(t), &cip.GetUserInput{AccessToken: auth.AccessToken})
		if err != nil {
			t.Fatal(err)
		}
		attrs := map[string]string{}
		for _, a := range user.UserAttributes {
			attrs[*a.Name] = aws.ToString(a.Value)
		}
		if *user.Username != "alice" || attrs["email_verified"] != "true" || attrs["custom:tenant"] != "acme" || attrs["sub"] != *up.UserSub {
			t.Fatalf("GetUser = %s %v", *user.Username, attrs)
		}

		refreshed, err := e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{
			AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(clientID),
			AuthParameters: map[string]string{"REFRESH_TOKEN": *auth.RefreshToken},
		})
		if err != nil {
			t.Fatal(err)
		}
		if refreshed.AuthenticationResult.AccessToken == nil || refreshed.AuthenticationResult.RefreshToken != nil {
			t.Fatalf("refresh result = %+v", refreshed.AuthenticationResult)
		}
		viaGet, err := e.Anon.GetTokensFromRefreshToken(ctx(t), &cip.GetTokensFromRefreshTokenInput{
			ClientId: aws.String(clientID), RefreshToken: auth.RefreshToken,
		})
		if err != nil {
			t.Fatal(err)
		}

		if _, err := e.Anon.GlobalSignOut(ctx(t), &cip.GlobalSignOutInput{AccessToken: auth.AccessToken}); err != nil {
			t.Fatal(err)
		}
		for _, tok := range []*string{auth.AccessToken, refreshed.AuthenticationResult.AccessToken, viaGet.AuthenticationResult.AccessToken} {
			_, err = e.Anon.GetUser(ctx(t), &cip.GetUserInput{AccessToken: tok})
			wantCode(t, err, "NotAuthorizedException")
		}
		_, err = e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{
			AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(clientID),
			AuthParameters: map[string]string{"REFRESH_TOKEN": *auth.RefreshToken},
		})
		wantCode(t, err, "NotAuthorizedException")

		again, err := e.srpSignIn(t, poolID, clientID, "alice", password)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.Anon.DeleteUser(ctx(t), &cip.DeleteUserInput{AccessToken: again.AccessToken}); err != nil {
			t.Fatal(err)
		}
		_, err = e.srpSignIn(t, poolID, clientID, "alice", password)
		wantCode(t, err, "UserNotFoundException")
	})
}

func TestPasswordFlowsAndClientSettings(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.poolWithClient(t, &cip.CreateUserPoolClientInput{
			ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth,
				types.ExplicitAuthFlowsTypeAllowAdminUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
		})
		e.signUpConfirmed(t, poolID, clientID, "bob", password)

		_, err := e.srpSignIn(t, poolID, clientID, "bob", password)
		wantCode(t, err, "InvalidParameterException")

		out, err := e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(clientID),
			AuthParameters: map[string]string{"USERNAME": "bob", "PASSWORD": password}})
		if err != nil || out.AuthenticationResult == nil {
			t.Fatalf("USER_PASSWORD_AUTH: %v", err)
		}
		_, err = e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(clientID),
			AuthParameters: map[string]string{"USERNAME": "bob", "PASSWORD": "nope-Nope1!"}})
		wantCode(t, err, "NotAuthorizedException")

		admin, err := e.Admin.AdminInitiateAuth(ctx(t), &cip.AdminInitiateAuthInput{AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth,
			UserPoolId: aws.String(poolID), ClientId: aws.String(clientID), AuthParameters: map[string]string{"USERNAME": "bob", "PASSWORD": password}})
		if err != nil || admin.AuthenticationResult == nil {
			t.Fatalf("ADMIN_USER_PASSWORD_AUTH: %v", err)
		}
		_, err = e.Anon.AdminInitiateAuth(ctx(t), &cip.AdminInitiateAuthInput{AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth,
			UserPoolId: aws.String(poolID), ClientId: aws.String(clientID), AuthParameters: map[string]string{"USERNAME": "bob", "PASSWORD": password}})
		wantCode(t, err, "MissingAuthenticationTokenException")
	})
}

func TestSecretHashEnforced(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.poolWithClient(t, &cip.CreateUserPoolClientInput{GenerateSecret: true,
			ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
		desc, err := e.Admin.DescribeUserPoolClient(ctx(t), &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(poolID), ClientId: aws.String(clientID)})
		if err != nil {
			t.Fatal(err)
		}
		secret := aws.ToString(desc.UserPoolClient.ClientSecret)
		if len(secret) != 51 {
			t.Fatalf("client secret %q", secret)
		}
		signUp := func(hash string) error {
			in := &cip.SignUpInput{ClientId: aws.String(clientID), Username: aws.String("carol"), Password: aws.String(password),
				UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("carol@example.com")}}}
			if hash != "" {
				in.SecretHash = aws.String(hash)
			}
			_, err := e.Anon.SignUp(ctx(t), in)
			return err
		}
		wantCode(t, signUp(""), "NotAuthorizedException")
		wantCode(t, signUp(cognitosrp.SecretHash("carol", clientID, "wrong")), "NotAuthorizedException")
		if err := signUp(cognitosrp.SecretHash("carol", clientID, secret)); err != nil {
			t.Fatal(err)
		}
	})
}

func TestAdminCreateUserNewPasswordRequired(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.poolWithClient(t, nil)
		created, err := e.Admin.AdminCreateUser(ctx(t), &cip.AdminCreateUserInput{UserPoolId: aws.String(poolID), Username: aws.String("dave"),
			UserAttributes:         []types.AttributeType{{Name: aws.String("email"), Value: aws.String("dave@example.com")}},
			DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail}})
		if err != nil {
			t.Fatal(err)
		}
		if created.User.UserStatus != types.UserStatusTypeForceChangePassword {
			t.Fatalf("status %s", created.User.UserStatus)
		}
		temp := e.lastCode(poolID, "dave")
		c, _ := cognitosrp.NewClient(poolID, "dave", temp)
		init, err := e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserSrpAuth, ClientId: aws.String(clientID), AuthParameters: c.AuthParameters()})
		if err != nil {
			t.Fatal(err)
		}
		resp, _ := c.ChallengeResponses(init.ChallengeParameters, time.Now())
		step, err := e.Anon.RespondToAuthChallenge(ctx(t), &cip.RespondToAuthChallengeInput{ChallengeName: types.ChallengeNameTypePasswordVerifier,
			ClientId: aws.String(clientID), ChallengeResponses: resp})
		if err != nil {
			t.Fatal(err)
		}
		if step.ChallengeName != types.ChallengeNameTypeNewPasswordRequired || step.Session == nil {
			t.Fatalf("challenge = %s", step.ChallengeName)
		}
		_, err = e.Anon.RespondToAuthChallenge(ctx(t), &cip.RespondToAuthChallengeInput{ChallengeName: types.ChallengeNameTypeNewPasswordRequired,
			ClientId: aws.String(clientID), Session: step.Session, ChallengeResponses: map[string]string{"USERNAME": "dave", "NEW_PASSWORD": "short"}})
		wantCode(t, err, "InvalidPasswordException")
		done, err := e.Anon.RespondToAuthChallenge(ctx(t), &cip.RespondToAuthChallengeInput{ChallengeName: types.ChallengeNameTypeNewPasswordRequired,
			ClientId: aws.String(clientID), Session: step.Session, ChallengeResponses: map[string]string{"USERNAME": "dave", "NEW_PASSWORD": password}})
		if err != nil || done.AuthenticationResult == nil {
			t.Fatalf("NEW_PASSWORD_REQUIRED: %v", err)
		}
		// The sealed session cannot be replayed into a second sign-in.
		_, err = e.Anon.RespondToAuthChallenge(ctx(t), &cip.RespondToAuthChallengeInput{ChallengeName: types.ChallengeNameTypeNewPasswordRequired,
			ClientId: aws.String(clientID), Session: step.Session, ChallengeResponses: map[string]string{"USERNAME": "dave", "NEW_PASSWORD": password}})
		wantCode(t, err, "NotAuthorizedException")
		if _, err := e.srpSignIn(t, poolID, clientID, "dave", password); err != nil {
			t.Fatal(err)
		}
	})
}

func TestRacingSignUpsMakeOneUser(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.poolWithClient(t, nil)
		const n = 12
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = e.Anon.SignUp(ctx(t), &cip.SignUpInput{ClientId: aws.String(clientID), Username: aws.String("eve"),
					Password: aws.String(password), UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("eve@example.com")}}})
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch apiCode(err) {
			case "":
				if err != nil {
					t.Fatal(err)
				}
				ok++
			case "UsernameExistsException":
			default:
				t.Fatalf("racing SignUp: %v", err)
			}
		}
		users, err := e.Admin.ListUsers(ctx(t), &cip.ListUsersInput{UserPoolId: aws.String(poolID)})
		if err != nil {
			t.Fatal(err)
		}
		if ok != 1 || len(users.Users) != 1 {
			t.Fatalf("%d successes, %d users; want exactly one", ok, len(users.Users))
		}
	})
}
