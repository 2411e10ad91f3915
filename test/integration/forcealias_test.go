package integration

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// ForceAliasCreation on AdminCreateUser and ConfirmSignUp moves a verified
// email alias from the user holding it; without it, AliasExistsException
// and nothing changes.
func TestForceAliasCreation(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.migrationPool(t, nil, true)
		const shared = "taken@example.com"
		verified := func(name string) string {
			t.Helper()
			u, err := e.Admin.AdminGetUser(ctx(t), &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String(name)})
			if err != nil {
				t.Fatal(err)
			}
			return attr(u.UserAttributes, "email_verified")
		}
		create := func(name string, force bool) error {
			_, err := e.Admin.AdminCreateUser(ctx(t), &cip.AdminCreateUserInput{UserPoolId: aws.String(poolID), Username: aws.String(name),
				MessageAction: types.MessageActionTypeSuppress, ForceAliasCreation: force,
				UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(shared)},
					{Name: aws.String("email_verified"), Value: aws.String("true")}}})
			return err
		}
		if err := create("first", false); err != nil {
			t.Fatal(err)
		}
		wantError(t, create("second", false), "AliasExistsException", "An account with the email already exists.")
		e.wantNoUser(t, poolID, "second")
		if err := create("second", true); err != nil {
			t.Fatalf("AdminCreateUser with ForceAliasCreation: %v", err)
		}
		if verified("first") != "false" || verified("second") != "true" {
			t.Errorf("email_verified first %q, second %q; want false, true", verified("first"), verified("second"))
		}

		// ConfirmSignUp verifies the address a user signed up with, which "second" holds now.
		if _, err := e.Anon.SignUp(ctx(t), &cip.SignUpInput{ClientId: aws.String(clientID), Username: aws.String("third"), Password: aws.String(password),
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(shared)}}}); err != nil {
			t.Fatal(err)
		}
		code := e.lastCode(poolID, "third")
		confirm := func(force bool) error {
			_, err := e.Anon.ConfirmSignUp(ctx(t), &cip.ConfirmSignUpInput{ClientId: aws.String(clientID), Username: aws.String("third"),
				ConfirmationCode: aws.String(code), ForceAliasCreation: force})
			return err
		}
		wantError(t, confirm(false), "AliasExistsException", "An account with the email already exists.")
		if verified("second") != "true" {
			t.Error("a refused confirmation moved the alias")
		}
		if err := confirm(true); err != nil {
			t.Fatalf("ConfirmSignUp with ForceAliasCreation: %v", err)
		}
		if verified("second") != "false" || verified("third") != "true" {
			t.Errorf("email_verified second %q, third %q; want false, true", verified("second"), verified("third"))
		}
		u, err := e.Admin.AdminGetUser(ctx(t), &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String(shared)})
		if err != nil || aws.ToString(u.Username) != "third" || u.UserStatus != types.UserStatusTypeConfirmed {
			t.Errorf("the alias names %+v (%v), want third, confirmed", u, err)
		}
	})
}
