package integration

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognate-auth/cognate/auth/cognitosrp"
)

// A confidential client rotates its secret without downtime: a second
// secret works beside the first, then the first is deleted.
func TestClientSecretRotation(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.poolWithClient(t, &cip.CreateUserPoolClientInput{GenerateSecret: true,
			ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
		pool, client := aws.String(poolID), aws.String(clientID)
		desc, err := e.Admin.DescribeUserPoolClient(ctx(t), &cip.DescribeUserPoolClientInput{UserPoolId: pool, ClientId: client})
		if err != nil {
			t.Fatal(err)
		}
		first := aws.ToString(desc.UserPoolClient.ClientSecret)
		signIn := func(secret string) error {
			t.Helper()
			_, err := e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: client,
				AuthParameters: map[string]string{"USERNAME": "nia", "PASSWORD": password, "SECRET_HASH": cognitosrp.SecretHash("nia", clientID, secret)}})
			return err
		}
		if _, err := e.Anon.SignUp(ctx(t), &cip.SignUpInput{ClientId: client, Username: aws.String("nia"), Password: aws.String(password),
			SecretHash:     aws.String(cognitosrp.SecretHash("nia", clientID, first)),
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("nia@example.com")}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Admin.AdminConfirmSignUp(ctx(t), &cip.AdminConfirmSignUpInput{UserPoolId: pool, Username: aws.String("nia")}); err != nil {
			t.Fatal(err)
		}

		added, err := e.Admin.AddUserPoolClientSecret(ctx(t), &cip.AddUserPoolClientSecretInput{UserPoolId: pool, ClientId: client})
		if err != nil {
			t.Fatal(err)
		}
		second := aws.ToString(added.ClientSecretDescriptor.ClientSecretValue)
		if second == "" || second == first || added.ClientSecretDescriptor.ClientSecretCreateDate == nil {
			t.Fatalf("AddUserPoolClientSecret = %+v", added.ClientSecretDescriptor)
		}
		for name, secret := range map[string]string{"first": first, "second": second} {
			if err := signIn(secret); err != nil {
				t.Errorf("sign-in with the %s secret: %v", name, err)
			}
		}
		_, err = e.Admin.AddUserPoolClientSecret(ctx(t), &cip.AddUserPoolClientSecretInput{UserPoolId: pool, ClientId: client})
		wantCode(t, err, "LimitExceededException")

		list, err := e.Admin.ListUserPoolClientSecrets(ctx(t), &cip.ListUserPoolClientSecretsInput{UserPoolId: pool, ClientId: client})
		if err != nil {
			t.Fatal(err)
		}
		if len(list.ClientSecrets) != 2 || list.ClientSecrets[0].ClientSecretValue != nil || list.ClientSecrets[1].ClientSecretValue != nil {
			t.Fatalf("ListUserPoolClientSecrets = %+v", list.ClientSecrets)
		}
		firstID := list.ClientSecrets[0].ClientSecretId
		if _, err := e.Admin.DeleteUserPoolClientSecret(ctx(t), &cip.DeleteUserPoolClientSecretInput{UserPoolId: pool, ClientId: client,
			ClientSecretId: firstID}); err != nil {
			t.Fatal(err)
		}
		wantCode(t, signIn(first), "NotAuthorizedException")
		if err := signIn(second); err != nil {
			t.Errorf("sign-in with the remaining secret: %v", err)
		}
		desc, _ = e.Admin.DescribeUserPoolClient(ctx(t), &cip.DescribeUserPoolClientInput{UserPoolId: pool, ClientId: client})
		if aws.ToString(desc.UserPoolClient.ClientSecret) != second {
			t.Error("DescribeUserPoolClient does not show the remaining secret")
		}
		_, err = e.Admin.DeleteUserPoolClientSecret(ctx(t), &cip.DeleteUserPoolClientSecretInput{UserPoolId: pool, ClientId: client,
			ClientSecretId: added.ClientSecretDescriptor.ClientSecretId})
		wantCode(t, err, "InvalidParameterException") // the last one stays
		_, err = e.Admin.DeleteUserPoolClientSecret(ctx(t), &cip.DeleteUserPoolClientSecretInput{UserPoolId: pool, ClientId: client,
			ClientSecretId: firstID})
		wantCode(t, err, "ResourceNotFoundException")

		// A secret the caller chooses is not echoed back.
		custom, err := e.Admin.AddUserPoolClientSecret(ctx(t), &cip.AddUserPoolClientSecretInput{UserPoolId: pool, ClientId: client,
			ClientSecret: aws.String("myOwnSecretOfAtLeastTwentyFourChars")})
		if err != nil {
			t.Fatal(err)
		}
		if custom.ClientSecretDescriptor.ClientSecretValue != nil {
			t.Error("a custom secret was echoed back")
		}
		if err := signIn("myOwnSecretOfAtLeastTwentyFourChars"); err != nil {
			t.Errorf("sign-in with the custom secret: %v", err)
		}

		// A public client has no secret to rotate; a client may start with a chosen secret.
		c, err := e.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: pool, ClientName: aws.String("chosen"),
			ClientSecret: aws.String("chosenSecretChosenSecret1234"), GenerateSecret: true})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(c.UserPoolClient.ClientSecret) != "chosenSecretChosenSecret1234" {
			t.Errorf("CreateUserPoolClient with ClientSecret: secret %q", aws.ToString(c.UserPoolClient.ClientSecret))
		}
		plain, err := e.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: pool, ClientName: aws.String("public")})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.Admin.AddUserPoolClientSecret(ctx(t), &cip.AddUserPoolClientSecretInput{UserPoolId: pool, ClientId: plain.UserPoolClient.ClientId})
		wantCode(t, err, "InvalidParameterException")
	})
}
