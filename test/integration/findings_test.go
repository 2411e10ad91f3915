package integration

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// Smaller findings of the security review, each pinned down.

// TestDeletedClientsTokensStopWorking: deleting an app client ends its
// access tokens and refresh tokens.
func TestDeletedClientsTokensStopWorking(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.poolWithClient(t, allPasswordFlows)
		e.signUpConfirmed(t, poolID, clientID, "frank", password)
		out, err := e.passwordOnce(t, clientID, "frank", password)
		if err != nil {
			t.Fatal(err)
		}
		access := out.AuthenticationResult.AccessToken
		if _, err := e.Anon.GetUser(ctx(t), &cip.GetUserInput{AccessToken: access}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Admin.DeleteUserPoolClient(ctx(t), &cip.DeleteUserPoolClientInput{UserPoolId: aws.String(poolID),
			ClientId: aws.String(clientID)}); err != nil {
			t.Fatal(err)
		}
		_, err = e.Anon.GetUser(ctx(t), &cip.GetUserInput{AccessToken: access})
		wantCode(t, err, "NotAuthorizedException")
		_, err = e.Anon.GlobalSignOut(ctx(t), &cip.GlobalSignOutInput{AccessToken: access})
		wantCode(t, err, "NotAuthorizedException")
		_, err = e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(clientID),
			AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(out.AuthenticationResult.RefreshToken)}})
		wantCode(t, err, "ResourceNotFoundException")
	})
}

// TestRevokeTokenTellsNothingOfOthersTokens: RevokeToken answers another
// client's valid token as it answers a made-up one, and revokes nothing.
func TestRevokeTokenTellsNothingOfOthersTokens(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.poolWithClient(t, allPasswordFlows)
		other, err := e.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("other")})
		if err != nil {
			t.Fatal(err)
		}
		e.signUpConfirmed(t, poolID, clientID, "gus", password)
		out, err := e.passwordOnce(t, clientID, "gus", password)
		if err != nil {
			t.Fatal(err)
		}
		revoke := func(token string) error {
			_, err := e.Anon.RevokeToken(ctx(t), &cip.RevokeTokenInput{ClientId: other.UserPoolClient.ClientId, Token: aws.String(token)})
			return err
		}
		madeUp, theirs := revoke("bm90IGEgcmVmcmVzaCB0b2tlbiBhdCBhbGw"), revoke(aws.ToString(out.AuthenticationResult.RefreshToken))
		if madeUp != nil || theirs != nil {
			t.Fatalf("RevokeToken: made-up token %v, another client's %v; want both accepted alike", madeUp, theirs)
		}
		if _, err := e.Anon.GetUser(ctx(t), &cip.GetUserInput{AccessToken: out.AuthenticationResult.AccessToken}); err != nil {
			t.Fatalf("the token was revoked by another client: %v", err)
		}
	})
}

// TestVerifiedAttributesTakeAnyCase: email_verified and
// phone_number_verified take True and FALSE as Cognito does (checked
// against real Cognito: AdminCreateUser with email_verified=True works).
func TestVerifiedAttributesTakeAnyCase(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, _ := e.poolWithClient(t, nil)
		if _, err := e.Admin.AdminCreateUser(ctx(t), &cip.AdminCreateUserInput{UserPoolId: aws.String(poolID), Username: aws.String("hal"),
			MessageAction: types.MessageActionTypeSuppress, UserAttributes: []types.AttributeType{
				{Name: aws.String("email"), Value: aws.String("hal@example.com")}, {Name: aws.String("email_verified"), Value: aws.String("True")}}}); err != nil {
			t.Fatal(err)
		}
		u, err := e.Admin.AdminGetUser(ctx(t), &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String("hal")})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range u.UserAttributes {
			if aws.ToString(a.Name) == "email_verified" && aws.ToString(a.Value) != "true" {
				t.Fatalf("email_verified = %q, want true", aws.ToString(a.Value))
			}
		}
		if _, err := e.Admin.AdminUpdateUserAttributes(ctx(t), &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(poolID),
			Username: aws.String("hal"), UserAttributes: []types.AttributeType{{Name: aws.String("email_verified"), Value: aws.String("FALSE")}}}); err != nil {
			t.Fatal(err)
		}
		_, err = e.Admin.AdminUpdateUserAttributes(ctx(t), &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(poolID),
			Username: aws.String("hal"), UserAttributes: []types.AttributeType{{Name: aws.String("email_verified"), Value: aws.String("yes")}}})
		wantCode(t, err, "InvalidParameterException")
	})
}

// TestInvalidUTF8IsRefused: a username or attribute that is not UTF-8 is
// refused, not rewritten. The SDKs replace such bytes before sending, so
// the requests are written by hand.
func TestInvalidUTF8IsRefused(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.poolWithClient(t, nil)
		for _, body := range []string{
			`{"ClientId":"` + clientID + `","Username":"ivan` + "\xff" + `","Password":"` + password + `"}`,
			`{"ClientId":"` + clientID + `","Username":"ivan","Password":"` + password + `","UserAttributes":[{"Name":"email","Value":"iv\ud800an@example.com"}]}`,
		} {
			req, err := http.NewRequest(http.MethodPost, e.URL, strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-amz-json-1.1")
			req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.SignUp")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), "InvalidParameterException") {
				t.Errorf("SignUp with %q: %d %s", body, resp.StatusCode, b)
			}
		}
		_, err := e.Admin.AdminGetUser(ctx(t), &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String("ivan")})
		wantCode(t, err, "UserNotFoundException")
	})
}
