package integration

import (
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognate-auth/cognate/internal/config"
)

func TestPoolAdministration(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		var ids []string
		for range 3 {
			p, err := e.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String("p"),
				Policies:           &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(12)}},
				DeletionProtection: types.DeletionProtectionTypeActive})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, *p.UserPool.Id)
		}
		var seen []string
		var next *string
		for {
			page, err := e.Admin.ListUserPools(ctx(t), &cip.ListUserPoolsInput{MaxResults: aws.Int32(2), NextToken: next})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range page.UserPools {
				seen = append(seen, *p.Id)
			}
			if next = page.NextToken; next == nil {
				break
			}
		}
		if len(seen) != 3 {
			t.Fatalf("listed %v, created %v", seen, ids)
		}

		d, err := e.Admin.DescribeUserPool(ctx(t), &cip.DescribeUserPoolInput{UserPoolId: aws.String(ids[0])})
		if err != nil {
			t.Fatal(err)
		}
		pp := d.UserPool.Policies.PasswordPolicy
		if aws.ToInt32(pp.MinimumLength) != 12 || pp.RequireSymbols || d.UserPool.DeletionProtection != types.DeletionProtectionTypeActive {
			t.Fatalf("described pool: %+v", d.UserPool)
		}
		_, err = e.Admin.DeleteUserPool(ctx(t), &cip.DeleteUserPoolInput{UserPoolId: aws.String(ids[0])})
		wantCode(t, err, "InvalidParameterException")

		// UpdateUserPool resets what it is not sent, as Cognito does.
		if _, err := e.Admin.UpdateUserPool(ctx(t), &cip.UpdateUserPoolInput{UserPoolId: aws.String(ids[0])}); err != nil {
			t.Fatal(err)
		}
		d, _ = e.Admin.DescribeUserPool(ctx(t), &cip.DescribeUserPoolInput{UserPoolId: aws.String(ids[0])})
		if aws.ToInt32(d.UserPool.Policies.PasswordPolicy.MinimumLength) != 8 || d.UserPool.DeletionProtection != types.DeletionProtectionTypeInactive {
			t.Fatalf("after update: %+v", d.UserPool.Policies.PasswordPolicy)
		}

		if _, err := e.Admin.AddCustomAttributes(ctx(t), &cip.AddCustomAttributesInput{UserPoolId: aws.String(ids[0]),
			CustomAttributes: []types.SchemaAttributeType{{Name: aws.String("plan"), AttributeDataType: types.AttributeDataTypeString}}}); err != nil {
			t.Fatal(err)
		}
		_, err = e.Admin.AddCustomAttributes(ctx(t), &cip.AddCustomAttributesInput{UserPoolId: aws.String(ids[0]),
			CustomAttributes: []types.SchemaAttributeType{{Name: aws.String("plan"), AttributeDataType: types.AttributeDataTypeString}}})
		wantCode(t, err, "InvalidParameterException")
		d, _ = e.Admin.DescribeUserPool(ctx(t), &cip.DescribeUserPoolInput{UserPoolId: aws.String(ids[0])})
		found := false
		for _, a := range d.UserPool.SchemaAttributes {
			found = found || aws.ToString(a.Name) == "custom:plan"
		}
		if !found {
			t.Fatal("custom:plan missing from the schema")
		}

		if _, err := e.Admin.DeleteUserPool(ctx(t), &cip.DeleteUserPoolInput{UserPoolId: aws.String(ids[0])}); err != nil {
			t.Fatal(err)
		}
		_, err = e.Admin.DescribeUserPool(ctx(t), &cip.DescribeUserPoolInput{UserPoolId: aws.String(ids[0])})
		wantCode(t, err, "ResourceNotFoundException")

		// Validation against the model happens before any logic.
		_, err = e.Admin.ListUserPools(ctx(t), &cip.ListUserPoolsInput{MaxResults: aws.Int32(0)})
		wantCode(t, err, "InvalidParameterException")
	})
}

func TestSignedRequestsAndRegions(t *testing.T) {
	t.Parallel()
	// The store plays no part here, so one engine is enough.
	e := startIn(t, "", t.TempDir(), "", func(c *config.Config) { c.ExtraRegions = []string{"eu-west-1"} })
	wrongSecret := e.client(credentials.NewStaticCredentialsProvider(adminKeyID, "not-the-secret", ""))
	_, err := wrongSecret.ListUserPools(ctx(t), &cip.ListUserPoolsInput{MaxResults: aws.Int32(1)})
	wantCode(t, err, "InvalidSignatureException")
	unknown := e.client(credentials.NewStaticCredentialsProvider("AKIAUNKNOWNKEY000000", adminSecret, ""))
	_, err = unknown.ListUserPools(ctx(t), &cip.ListUserPoolsInput{MaxResults: aws.Int32(1)})
	wantCode(t, err, "UnrecognizedClientException")

	inRegion := func(region string) *cip.Client {
		return cip.New(cip.Options{Region: region, BaseEndpoint: aws.String(e.URL),
			Credentials: credentials.NewStaticCredentialsProvider(adminKeyID, adminSecret, "")})
	}
	p, err := inRegion("eu-west-1").CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String("eu")})
	if err != nil {
		t.Fatal(err)
	}
	if id := *p.UserPool.Id; len(id) != len("eu-west-1_")+9 || id[:10] != "eu-west-1_" {
		t.Fatalf("pool id %s does not carry the signed region", id)
	}
	_, err = e.Admin.DescribeUserPool(ctx(t), &cip.DescribeUserPoolInput{UserPoolId: p.UserPool.Id})
	wantCode(t, err, "ResourceNotFoundException")

	// Regions Cognate does not serve are refused, whatever their name.
	for _, region := range []string{"eu-central-1", "bogus"} {
		_, err = inRegion(region).CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String("nowhere")})
		wantCode(t, err, "InvalidSignatureException")
	}
}

func TestClientAttributePermissionsAndExistenceErrors(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.poolWithClient(t, &cip.CreateUserPoolClientInput{
			WriteAttributes:            []string{"email", "name"},
			PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled,
			ExplicitAuthFlows:          []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowUserPasswordAuth},
		})
		_, err := e.Anon.SignUp(ctx(t), &cip.SignUpInput{ClientId: aws.String(clientID), Username: aws.String("ivy"), Password: aws.String(password),
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("ivy@example.com")},
				{Name: aws.String("custom:tenant"), Value: aws.String("x")}}})
		wantCode(t, err, "NotAuthorizedException")
		e.signUpConfirmed(t, poolID, clientID, "ivy", password)

		// An unknown user looks like a wrong password, through both flows.
		_, err = e.srpSignIn(t, poolID, clientID, "nobody", password)
		wantCode(t, err, "NotAuthorizedException")
		_, err = e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(clientID),
			AuthParameters: map[string]string{"USERNAME": "nobody", "PASSWORD": password}})
		wantCode(t, err, "NotAuthorizedException")

		// A delivery to a masked address that is the name's own each time.
		var dest string
		for range 2 {
			resent, err := e.Anon.ResendConfirmationCode(ctx(t), &cip.ResendConfirmationCodeInput{ClientId: aws.String(clientID), Username: aws.String("nobody@example.com")})
			if err != nil || resent.CodeDeliveryDetails == nil || !maskedEmail.MatchString(aws.ToString(resent.CodeDeliveryDetails.Destination)) ||
				(dest != "" && dest != aws.ToString(resent.CodeDeliveryDetails.Destination)) {
				t.Fatalf("ResendConfirmationCode for an unknown user = %+v, %v; want a simulated delivery", resent, err)
			}
			dest = aws.ToString(resent.CodeDeliveryDetails.Destination)
		}

		auth, err := e.srpSignIn(t, poolID, clientID, "ivy", password)
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.Anon.UpdateUserAttributes(ctx(t), &cip.UpdateUserAttributesInput{AccessToken: auth.AccessToken,
			UserAttributes: []types.AttributeType{{Name: aws.String("custom:tenant"), Value: aws.String("y")}}})
		wantCode(t, err, "NotAuthorizedException")
		if _, err := e.Anon.UpdateUserAttributes(ctx(t), &cip.UpdateUserAttributesInput{AccessToken: auth.AccessToken,
			UserAttributes: []types.AttributeType{{Name: aws.String("name"), Value: aws.String("Ivy")}}}); err != nil {
			t.Fatal(err)
		}
		// A new email must be verified again, with a code sent to it.
		up, err := e.Anon.UpdateUserAttributes(ctx(t), &cip.UpdateUserAttributesInput{AccessToken: auth.AccessToken,
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("ivy@new.example")}}})
		if err != nil || len(up.CodeDeliveryDetailsList) != 1 {
			t.Fatalf("UpdateUserAttributes(email) = %+v, %v", up, err)
		}
		if _, err := e.Anon.VerifyUserAttribute(ctx(t), &cip.VerifyUserAttributeInput{AccessToken: auth.AccessToken,
			AttributeName: aws.String("email"), Code: aws.String(e.lastCode(poolID, "ivy"))}); err != nil {
			t.Fatal(err)
		}
		user, err := e.Admin.AdminGetUser(ctx(t), &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String("ivy")})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, a := range user.UserAttributes {
			got[*a.Name] = aws.ToString(a.Value)
		}
		if got["name"] != "Ivy" || got["email"] != "ivy@new.example" || got["email_verified"] != "true" {
			t.Fatalf("attributes = %v", got)
		}

		if _, err := e.Anon.ChangePassword(ctx(t), &cip.ChangePasswordInput{AccessToken: auth.AccessToken,
			PreviousPassword: aws.String(password), ProposedPassword: aws.String("N3w-passw0rd!")}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.srpSignIn(t, poolID, clientID, "ivy", "N3w-passw0rd!"); err != nil {
			t.Fatal(err)
		}

		// An administrator's email change is verified the same way, unless
		// the request marks the new email verified itself.
		sent := len(e.messages(poolID, "ivy"))
		if _, err := e.Admin.AdminUpdateUserAttributes(ctx(t), &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(poolID), Username: aws.String("ivy"),
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("ivy@third.example")}}}); err != nil {
			t.Fatal(err)
		}
		if msgs := e.messages(poolID, "ivy"); len(msgs) != sent+1 || msgs[len(msgs)-1].Destination != "ivy@third.example" {
			t.Fatalf("no verification code sent to the new email: %+v", msgs[len(msgs)-1])
		}
		if _, err := e.Admin.AdminUpdateUserAttributes(ctx(t), &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(poolID), Username: aws.String("ivy"),
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("ivy@fourth.example")},
				{Name: aws.String("email_verified"), Value: aws.String("true")}}}); err != nil {
			t.Fatal(err)
		}
		if msgs := e.messages(poolID, "ivy"); len(msgs) != sent+1 {
			t.Fatalf("a code was sent although the request verified the email")
		}
	})
}

// maskedEmail is the shape of a masked email address.
var maskedEmail = regexp.MustCompile(`^[a-z0-9]\*\*\*@[a-z0-9]\*\*\*$`)
