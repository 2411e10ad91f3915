package integration

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func (e *env) forgotPassword(t *testing.T, clientID, username string) (*types.CodeDeliveryDetailsType, error) {
	t.Helper()
	out, err := e.Anon.ForgotPassword(ctx(t), &cip.ForgotPasswordInput{ClientId: aws.String(clientID), Username: aws.String(username)})
	if err != nil {
		return nil, err
	}
	return out.CodeDeliveryDetails, nil
}

func (e *env) confirmForgotPassword(t *testing.T, clientID, username, code, newPassword string) error {
	t.Helper()
	_, err := e.Anon.ConfirmForgotPassword(ctx(t), &cip.ConfirmForgotPasswordInput{
		ClientId: aws.String(clientID), Username: aws.String(username), ConfirmationCode: aws.String(code), Password: aws.String(newPassword),
	})
	return err
}

// noRetry makes one call without the SDK's retries.
func noRetry(o *cip.Options) { o.Retryer = aws.NopRetryer{} }

// otherCode returns a six-digit code that is not code.
func otherCode(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}

func TestForgotPasswordLifecycle(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.poolWithClient(t, &cip.CreateUserPoolClientInput{
			ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
		})
		e.signUpConfirmed(t, poolID, clientID, "ada", password)

		d, err := e.forgotPassword(t, clientID, "ada")
		if err != nil {
			t.Fatal(err)
		}
		if d.DeliveryMedium != types.DeliveryMediumTypeEmail {
			t.Errorf("delivery medium = %v", d.DeliveryMedium)
		}
		if got := aws.ToString(d.Destination); got != "a***@e***" || aws.ToString(d.AttributeName) != "email" {
			t.Errorf("delivery = %s to %s, want a***@e*** (email)", aws.ToString(d.AttributeName), got)
		}
		msgs := e.messages(poolID, "ada")
		last := msgs[len(msgs)-1]
		if last.Purpose != "ForgotPassword" || last.Destination != "ada@example.com" || !strings.Contains(last.Body, last.Code) {
			t.Errorf("outbox message = %+v", last)
		}
		code := last.Code

		// The old password works until the code is used.
		if _, err := e.srpSignIn(t, poolID, clientID, "ada", password); err != nil {
			t.Fatalf("sign-in with the old password before the reset: %v", err)
		}

		const newPassword = "N3w-Horse-Battery!"
		// A password the policy refuses costs no attempt.
		for range 6 {
			wantCode(t, e.confirmForgotPassword(t, clientID, "ada", code, "short"), "InvalidPasswordException")
		}
		wantCode(t, e.confirmForgotPassword(t, clientID, "ada", otherCode(code), newPassword), "CodeMismatchException")
		if err := e.confirmForgotPassword(t, clientID, "ada", code, newPassword); err != nil {
			t.Fatalf("ConfirmForgotPassword: %v", err)
		}
		wantCode(t, e.confirmForgotPassword(t, clientID, "ada", code, newPassword+"x"), "ExpiredCodeException")

		_, err = e.srpSignIn(t, poolID, clientID, "ada", password)
		wantCode(t, err, "NotAuthorizedException")
		if _, err := e.srpSignIn(t, poolID, clientID, "ada", newPassword); err != nil {
			t.Fatalf("sign-in with the new password: %v", err)
		}
		u, err := e.Admin.AdminGetUser(ctx(t), &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String("ada")})
		if err != nil {
			t.Fatal(err)
		}
		if u.UserStatus != types.UserStatusTypeConfirmed {
			t.Errorf("status after reset = %s, want CONFIRMED", u.UserStatus)
		}
	})
}

func TestForgotPasswordLimits(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.poolWithClient(t, nil)
		e.signUpConfirmed(t, poolID, clientID, "bob", password)

		t.Run("code expires after an hour", func(t *testing.T) {
			if _, err := e.forgotPassword(t, clientID, "bob"); err != nil {
				t.Fatal(err)
			}
			code := e.lastCode(poolID, "bob")
			e.Clock.Advance(61 * time.Minute)
			wantCode(t, e.confirmForgotPassword(t, clientID, "bob", code, "N3w-Horse-Battery!"), "ExpiredCodeException")
		})

		// Wrong codes spend the user's budget of tries, five an hour from
		// one address and twenty in all; they do not burn the code, so an
		// attacker guessing from one address cannot spoil the user's reset.
		t.Run("guesses from one address do not spoil the code", func(t *testing.T) {
			e.Clock.Advance(2 * time.Hour) // a new window
			if _, err := e.forgotPassword(t, clientID, "bob"); err != nil {
				t.Fatal(err)
			}
			code := e.lastCode(poolID, "bob")
			attacker := e.from("203.0.113.9")
			try := func(c *cip.Client, code string) error {
				_, err := c.ConfirmForgotPassword(ctx(t), &cip.ConfirmForgotPasswordInput{ClientId: aws.String(clientID), Username: aws.String("bob"),
					ConfirmationCode: aws.String(code), Password: aws.String("N3w-Horse-Battery!")}, noRetry)
				return err
			}
			for i := range 5 {
				if err := try(attacker, otherCode(code)); apiCode(err) != "CodeMismatchException" {
					t.Fatalf("wrong code %d: %v", i+1, err)
				}
			}
			// The attacker's address has spent its share, right code or not.
			wantCode(t, try(attacker, otherCode(code)), "LimitExceededException")
			wantCode(t, try(attacker, code), "LimitExceededException")
			// The user, elsewhere, resets with the code it holds.
			if err := try(e.from("198.51.100.7"), code); err != nil {
				t.Fatalf("the user's reset: %v", err)
			}
		})

		t.Run("twenty tries an hour in all", func(t *testing.T) {
			e.Clock.Advance(2 * time.Hour)
			if _, err := e.forgotPassword(t, clientID, "bob"); err != nil {
				t.Fatal(err)
			}
			code := e.lastCode(poolID, "bob")
			for i := range 20 {
				_, err := e.from(fmt.Sprintf("203.0.113.%d", i/5+10)).ConfirmForgotPassword(ctx(t), &cip.ConfirmForgotPasswordInput{
					ClientId: aws.String(clientID), Username: aws.String("bob"), ConfirmationCode: aws.String(otherCode(code)),
					Password: aws.String("N3w-Horse-Battery!")}, noRetry)
				if apiCode(err) != "CodeMismatchException" {
					t.Fatalf("try %d: %v", i+1, err)
				}
			}
			_, err := e.from("198.51.100.7").ConfirmForgotPassword(ctx(t), &cip.ConfirmForgotPasswordInput{ClientId: aws.String(clientID),
				Username: aws.String("bob"), ConfirmationCode: aws.String(code), Password: aws.String("N3w-Horse-Battery!")}, noRetry)
			wantCode(t, err, "LimitExceededException")
			// The window ends an hour after it opened, however often the
			// limit was met meanwhile; the code lives an hour too.
			e.Clock.Advance(time.Hour)
			wantCode(t, e.confirmForgotPassword(t, clientID, "bob", code, "N3w-Horse-Battery!"), "ExpiredCodeException")
		})

		// Requests: five an hour from one address, ten in all. One over the
		// limit changes nothing: the code sent last stays good.
		t.Run("requests an hour", func(t *testing.T) {
			e.Clock.Advance(2 * time.Hour) // a new window
			attacker := e.from("203.0.113.9")
			forgot := func(c *cip.Client) error {
				_, err := c.ForgotPassword(ctx(t), &cip.ForgotPasswordInput{ClientId: aws.String(clientID), Username: aws.String("bob")}, noRetry)
				return err
			}
			for i := range 5 {
				if err := forgot(attacker); err != nil {
					t.Fatalf("request %d: %v", i+1, err)
				}
			}
			wantCode(t, forgot(attacker), "LimitExceededException")
			for i := range 5 {
				if err := forgot(e.from(fmt.Sprintf("198.51.100.%d", i+1))); err != nil {
					t.Fatalf("request %d from elsewhere: %v", i+6, err)
				}
			}
			wantCode(t, forgot(e.from("192.0.2.1")), "LimitExceededException")
			sent := len(e.messages(poolID, "bob"))
			wantCode(t, forgot(e.from("192.0.2.2")), "LimitExceededException")
			if len(e.messages(poolID, "bob")) != sent {
				t.Fatal("a refused request sent a code")
			}
			// The newest code still works.
			if err := e.confirmForgotPassword(t, clientID, "bob", e.lastCode(poolID, "bob"), "N3w-Horse-Battery!"); err != nil {
				t.Fatal(err)
			}
		})
	})
}

func TestForgotPasswordRefusals(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.poolWithClient(t, nil)
		c, err := e.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{
			UserPoolId: aws.String(poolID), ClientName: aws.String("hiding"), PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled,
		})
		if err != nil {
			t.Fatal(err)
		}
		hidingClient := *c.UserPoolClient.ClientId

		// Unconfirmed: the email is not verified yet.
		if _, err := e.Anon.SignUp(ctx(t), &cip.SignUpInput{ClientId: aws.String(clientID), Username: aws.String("cy"), Password: aws.String(password),
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("cy@example.com")}}}); err != nil {
			t.Fatal(err)
		}
		_, err = e.forgotPassword(t, clientID, "cy")
		wantCode(t, err, "InvalidParameterException")
		if !strings.Contains(err.Error(), "no registered/verified email or phone_number") {
			t.Errorf("message = %v", err)
		}

		// Unknown users.
		_, err = e.forgotPassword(t, clientID, "nobody")
		wantCode(t, err, "UserNotFoundException")
		d, err := e.forgotPassword(t, hidingClient, "nobody")
		if err != nil || d == nil || aws.ToString(d.AttributeName) != "email" {
			t.Errorf("ForgotPassword for an unknown user through a hiding client = %+v, %v; want a simulated delivery", d, err)
		}
		if n := len(e.messages(poolID, "nobody")); n != 0 {
			t.Errorf("%d messages sent for a user that does not exist", n)
		}
		wantCode(t, e.confirmForgotPassword(t, hidingClient, "nobody", "123456", "N3w-Horse-Battery!"), "CodeMismatchException")
		wantCode(t, e.confirmForgotPassword(t, clientID, "nobody", "123456", "N3w-Horse-Battery!"), "UserNotFoundException")

		// Disabled users.
		e.signUpConfirmed(t, poolID, clientID, "dan", password)
		if _, err := e.Admin.AdminDisableUser(ctx(t), &cip.AdminDisableUserInput{UserPoolId: aws.String(poolID), Username: aws.String("dan")}); err != nil {
			t.Fatal(err)
		}
		_, err = e.forgotPassword(t, clientID, "dan")
		wantCode(t, err, "NotAuthorizedException")
		if _, err := e.forgotPassword(t, hidingClient, "dan"); err != nil {
			t.Errorf("ForgotPassword for a disabled user through a hiding client: %v", err)
		}
		_, err = e.Admin.AdminResetUserPassword(ctx(t), &cip.AdminResetUserPasswordInput{UserPoolId: aws.String(poolID), Username: aws.String("dan")})
		wantCode(t, err, "NotAuthorizedException")

		// Users with a temporary password change it at sign-in instead.
		if _, err := e.Admin.AdminCreateUser(ctx(t), &cip.AdminCreateUserInput{UserPoolId: aws.String(poolID), Username: aws.String("eve"),
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("eve@example.com")}, {Name: aws.String("email_verified"), Value: aws.String("true")}},
		}); err != nil {
			t.Fatal(err)
		}
		_, err = e.forgotPassword(t, clientID, "eve")
		wantCode(t, err, "NotAuthorizedException")

		// Validation from the service model runs first.
		_, err = e.forgotPassword(t, clientID, strings.Repeat("x", 129))
		wantCode(t, err, "InvalidParameterException")
	})
}

func TestAdminResetUserPassword(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.poolWithClient(t, nil)
		e.signUpConfirmed(t, poolID, clientID, "fay", password)
		if _, err := e.Admin.AdminResetUserPassword(ctx(t), &cip.AdminResetUserPasswordInput{UserPoolId: aws.String(poolID), Username: aws.String("fay")}); err != nil {
			t.Fatal(err)
		}
		u, err := e.Admin.AdminGetUser(ctx(t), &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String("fay")})
		if err != nil {
			t.Fatal(err)
		}
		if u.UserStatus != types.UserStatusTypeResetRequired {
			t.Errorf("status = %s, want RESET_REQUIRED", u.UserStatus)
		}
		_, err = e.srpSignIn(t, poolID, clientID, "fay", password)
		wantCode(t, err, "PasswordResetRequiredException")

		msgs := e.messages(poolID, "fay")
		if last := msgs[len(msgs)-1]; last.Purpose != "AdminResetUserPassword" {
			t.Fatalf("last message = %+v, want the reset code", last)
		}
		if err := e.confirmForgotPassword(t, clientID, "fay", e.lastCode(poolID, "fay"), "N3w-Horse-Battery!"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.srpSignIn(t, poolID, clientID, "fay", "N3w-Horse-Battery!"); err != nil {
			t.Fatalf("sign-in after the reset: %v", err)
		}

		_, err = e.Admin.AdminResetUserPassword(ctx(t), &cip.AdminResetUserPasswordInput{UserPoolId: aws.String(poolID), Username: aws.String("nobody")})
		wantCode(t, err, "UserNotFoundException")
		_, err = e.Anon.AdminResetUserPassword(ctx(t), &cip.AdminResetUserPasswordInput{UserPoolId: aws.String(poolID), Username: aws.String("fay")})
		if apiCode(err) == "" {
			t.Errorf("AdminResetUserPassword without credentials succeeded")
		}
	})
}

func TestAccountRecoverySetting(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		newPool := func(t *testing.T, recovery *types.AccountRecoverySettingType) (string, string) {
			p, err := e.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{
				PoolName: aws.String("recovery"), AccountRecoverySetting: recovery,
				AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
			})
			if err != nil {
				t.Fatal(err)
			}
			c, err := e.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: p.UserPool.Id, ClientName: aws.String("app")})
			if err != nil {
				t.Fatal(err)
			}
			poolID := *p.UserPool.Id
			// A user with a verified email and a verified phone number.
			if _, err := e.Admin.AdminCreateUser(ctx(t), &cip.AdminCreateUserInput{UserPoolId: p.UserPool.Id, Username: aws.String("gil"),
				MessageAction: types.MessageActionTypeSuppress,
				UserAttributes: []types.AttributeType{
					{Name: aws.String("email"), Value: aws.String("gil@example.com")}, {Name: aws.String("email_verified"), Value: aws.String("true")},
					{Name: aws.String("phone_number"), Value: aws.String("+15555550100")}, {Name: aws.String("phone_number_verified"), Value: aws.String("true")},
				}}); err != nil {
				t.Fatal(err)
			}
			if _, err := e.Admin.AdminSetUserPassword(ctx(t), &cip.AdminSetUserPasswordInput{UserPoolId: p.UserPool.Id, Username: aws.String("gil"),
				Password: aws.String(password), Permanent: true}); err != nil {
				t.Fatal(err)
			}
			return poolID, *c.UserPoolClient.ClientId
		}
		mech := func(name types.RecoveryOptionNameType, prio int32) types.RecoveryOptionType {
			return types.RecoveryOptionType{Name: name, Priority: aws.Int32(prio)}
		}
		cases := []struct {
			name     string
			recovery *types.AccountRecoverySettingType
			attr     string // "" for an error
		}{
			{"legacy: phone first", nil, "phone_number"},
			{"email first", &types.AccountRecoverySettingType{RecoveryMechanisms: []types.RecoveryOptionType{
				mech(types.RecoveryOptionNameTypeVerifiedPhoneNumber, 2), mech(types.RecoveryOptionNameTypeVerifiedEmail, 1)}}, "email"},
			{"phone only", &types.AccountRecoverySettingType{RecoveryMechanisms: []types.RecoveryOptionType{
				mech(types.RecoveryOptionNameTypeVerifiedPhoneNumber, 1)}}, "phone_number"},
			{"admin only", &types.AccountRecoverySettingType{RecoveryMechanisms: []types.RecoveryOptionType{
				mech(types.RecoveryOptionNameTypeAdminOnly, 1)}}, ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				poolID, clientID := newPool(t, c.recovery)
				d, err := e.forgotPassword(t, clientID, "gil")
				if c.attr == "" {
					wantCode(t, err, "InvalidParameterException")
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if got := aws.ToString(d.AttributeName); got != c.attr {
					t.Errorf("code went to %s, want %s", got, c.attr)
				}
				desc, err := e.Admin.DescribeUserPool(ctx(t), &cip.DescribeUserPoolInput{UserPoolId: aws.String(poolID)})
				if err != nil {
					t.Fatal(err)
				}
				if got := desc.UserPool.AccountRecoverySetting; (got == nil) != (c.recovery == nil) ||
					(got != nil && len(got.RecoveryMechanisms) != len(c.recovery.RecoveryMechanisms)) {
					t.Errorf("DescribeUserPool AccountRecoverySetting = %+v, want %+v", got, c.recovery)
				}
			})
		}

		_, err := e.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String("bad"),
			AccountRecoverySetting: &types.AccountRecoverySettingType{RecoveryMechanisms: []types.RecoveryOptionType{
				mech(types.RecoveryOptionNameTypeAdminOnly, 1), mech(types.RecoveryOptionNameTypeVerifiedEmail, 2)}}})
		wantCode(t, err, "InvalidParameterException")
	})
}
