package integration

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestDeleteUserAttributes(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.poolWithClient(t, &cip.CreateUserPoolClientInput{
			ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
		})
		e.signUpConfirmed(t, poolID, clientID, "ivy", password)
		if _, err := e.Admin.AdminUpdateUserAttributes(ctx(t), &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(poolID), Username: aws.String("ivy"),
			UserAttributes: []types.AttributeType{{Name: aws.String("name"), Value: aws.String("Ivy")}, {Name: aws.String("given_name"), Value: aws.String("I")},
				{Name: aws.String("custom:tenant"), Value: aws.String("acme")}}}); err != nil {
			t.Fatal(err)
		}
		auth, err := e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(clientID),
			AuthParameters: map[string]string{"USERNAME": "ivy", "PASSWORD": password}})
		if err != nil {
			t.Fatal(err)
		}
		access := auth.AuthenticationResult.AccessToken
		attrs := func() map[string]string {
			t.Helper()
			u, err := e.Admin.AdminGetUser(ctx(t), &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String("ivy")})
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]string{}
			for _, a := range u.UserAttributes {
				out[*a.Name] = aws.ToString(a.Value)
			}
			return out
		}

		if _, err := e.Anon.DeleteUserAttributes(ctx(t), &cip.DeleteUserAttributesInput{AccessToken: access, UserAttributeNames: []string{"name", "given_name"}}); err != nil {
			t.Fatal(err)
		}
		if a := attrs(); a["name"] != "" || a["given_name"] != "" || a["custom:tenant"] != "acme" || a["email"] == "" {
			t.Errorf("after DeleteUserAttributes(name, given_name): %v", a)
		}
		if _, err := e.Admin.AdminDeleteUserAttributes(ctx(t), &cip.AdminDeleteUserAttributesInput{UserPoolId: aws.String(poolID), Username: aws.String("ivy"),
			UserAttributeNames: []string{"custom:tenant"}}); err != nil {
			t.Fatal(err)
		}
		if a := attrs(); a["custom:tenant"] != "" {
			t.Errorf("custom:tenant after AdminDeleteUserAttributes: %q", a["custom:tenant"])
		}

		for _, c := range []struct {
			names []string
			code  string
		}{
			{[]string{"email"}, "InvalidParameterException"}, // required by the pool
			{[]string{"sub"}, "InvalidParameterException"},
			{[]string{"nickname", "no_such_attribute"}, "InvalidParameterException"},
		} {
			_, err := e.Anon.DeleteUserAttributes(ctx(t), &cip.DeleteUserAttributesInput{AccessToken: access, UserAttributeNames: c.names})
			if apiCode(err) != c.code {
				t.Errorf("DeleteUserAttributes(%v) = %v, want %s", c.names, err, c.code)
			}
		}
		// Clearing a required attribute through an update is refused too.
		_, err = e.Anon.UpdateUserAttributes(ctx(t), &cip.UpdateUserAttributesInput{AccessToken: access,
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("")}}})
		wantCode(t, err, "InvalidParameterException")
		if a := attrs(); a["email"] != "ivy@example.com" || a["email_verified"] != "true" {
			t.Errorf("email after refused deletions: %v", a)
		}

		// A client may delete only what it may write.
		c, err := e.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("narrow"),
			WriteAttributes:   []string{"nickname"},
			ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
		if err != nil {
			t.Fatal(err)
		}
		narrow, err := e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: c.UserPoolClient.ClientId,
			AuthParameters: map[string]string{"USERNAME": "ivy", "PASSWORD": password}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.Anon.DeleteUserAttributes(ctx(t), &cip.DeleteUserAttributesInput{AccessToken: narrow.AuthenticationResult.AccessToken, UserAttributeNames: []string{"locale"}})
		wantCode(t, err, "NotAuthorizedException")
	})
}

// With AttributesRequireVerificationBeforeUpdate, a changed email waits for
// its code while the verified original stays in force.
func TestKeepOriginalUntilVerified(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		p, err := e.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{
			PoolName:                    aws.String("keep-original"),
			AutoVerifiedAttributes:      []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
			AliasAttributes:             []types.AliasAttributeType{types.AliasAttributeTypeEmail},
			UserAttributeUpdateSettings: &types.UserAttributeUpdateSettingsType{AttributesRequireVerificationBeforeUpdate: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}},
		})
		if err != nil {
			t.Fatal(err)
		}
		poolID := *p.UserPool.Id
		c, err := e.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: p.UserPool.Id, ClientName: aws.String("app"),
			ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
		if err != nil {
			t.Fatal(err)
		}
		clientID := *c.UserPoolClient.ClientId
		e.signUpConfirmed(t, poolID, clientID, "max", password)
		access := e.passwordSignIn(t, clientID, "max").AuthenticationResult.AccessToken
		email := func() (string, string) {
			t.Helper()
			u, err := e.Anon.GetUser(ctx(t), &cip.GetUserInput{AccessToken: access})
			if err != nil {
				t.Fatal(err)
			}
			var v, verified string
			for _, a := range u.UserAttributes {
				switch *a.Name {
				case "email":
					v = *a.Value
				case "email_verified":
					verified = *a.Value
				}
			}
			return v, verified
		}

		up, err := e.Anon.UpdateUserAttributes(ctx(t), &cip.UpdateUserAttributesInput{AccessToken: access,
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("max.new@example.org")}}})
		if err != nil {
			t.Fatal(err)
		}
		if len(up.CodeDeliveryDetailsList) != 1 || aws.ToString(up.CodeDeliveryDetailsList[0].Destination) != "m***@e***" {
			t.Errorf("code deliveries = %+v", up.CodeDeliveryDetailsList)
		}
		if v, verified := email(); v != "max@example.com" || verified != "true" {
			t.Errorf("before verification email = %s (verified %s), want the original, verified", v, verified)
		}
		msgs := e.messages(poolID, "max")
		last := msgs[len(msgs)-1]
		if last.Destination != "max.new@example.org" {
			t.Fatalf("code went to %s, want the new address", last.Destination)
		}
		// The original still signs in; the new one does not yet.
		e.passwordSignIn(t, clientID, "max@example.com")
		_, err = e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(clientID),
			AuthParameters: map[string]string{"USERNAME": "max.new@example.org", "PASSWORD": password}})
		wantCode(t, err, "UserNotFoundException")

		// A resent code still goes to the waiting address.
		if _, err := e.Anon.GetUserAttributeVerificationCode(ctx(t), &cip.GetUserAttributeVerificationCodeInput{AccessToken: access, AttributeName: aws.String("email")}); err != nil {
			t.Fatal(err)
		}
		msgs = e.messages(poolID, "max")
		last = msgs[len(msgs)-1]
		if last.Destination != "max.new@example.org" {
			t.Fatalf("resent code went to %s", last.Destination)
		}
		if _, err := e.Anon.VerifyUserAttribute(ctx(t), &cip.VerifyUserAttributeInput{AccessToken: access, AttributeName: aws.String("email"),
			Code: aws.String(last.Code)}); err != nil {
			t.Fatal(err)
		}
		if v, verified := email(); v != "max.new@example.org" || verified != "true" {
			t.Errorf("after verification email = %s (verified %s)", v, verified)
		}
		e.passwordSignIn(t, clientID, "max.new@example.org")

		// An administrator who marks the address verified changes it at once.
		if _, err := e.Admin.AdminUpdateUserAttributes(ctx(t), &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(poolID), Username: aws.String("max"),
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("max@example.net")}, {Name: aws.String("email_verified"), Value: aws.String("true")}}}); err != nil {
			t.Fatal(err)
		}
		if v, _ := email(); v != "max@example.net" {
			t.Errorf("after the administrator's change email = %s", v)
		}
	})
}
