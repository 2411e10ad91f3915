package integration

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognate-auth/cognate/internal/store"
)

const customMessageARN = "arn:aws:lambda:us-east-1:000000000000:function:custom-message"

// writeMessages answers a custom message event with messages naming its
// source and holding its placeholders, as a function should.
func writeMessages(w http.ResponseWriter, event map[string]any) {
	src, _ := event["triggerSource"].(string)
	code, _ := member(event, "request.codeParameter").(string)
	text := src + ": " + code
	if user, ok := member(event, "request.usernameParameter").(string); ok {
		text += " for " + user
	}
	reply(w, event, map[string]any{"emailMessage": "<p>" + text + "</p>", "emailSubject": "About " + src, "smsMessage": text})
}

// lastMessage returns the newest outbox message to a user.
func (e *env) lastMessage(t *testing.T, poolID, username string) store.Message {
	t.Helper()
	msgs := e.messages(poolID, username)
	if len(msgs) == 0 {
		t.Fatalf("no message to %s", username)
	}
	return msgs[len(msgs)-1]
}

// wantWritten checks that the newest message to a user is the function's,
// for src, with the real code (and username) in place of the placeholders.
func (e *env) wantWritten(t *testing.T, poolID, username, src string) store.Message {
	t.Helper()
	m := e.lastMessage(t, poolID, username)
	text := src + ": " + m.Code
	if src == "CustomMessage_AdminCreateUser" {
		text += " for " + username
	}
	if m.Code == "" || m.Body != "<p>"+text+"</p>" || m.Subject != "About "+src {
		t.Errorf("message %q (subject %q, code %q), want the function's for %s with the code", m.Body, m.Subject, m.Code, src)
	}
	return m
}

// lastEvent returns the newest event a pool's functions received.
func lastEvent(t *testing.T, h *hook, poolID string) map[string]any {
	t.Helper()
	evs := h.received(poolID)
	if len(evs) == 0 {
		t.Fatal("no event")
	}
	return evs[len(evs)-1]
}

func TestCustomMessageTrigger(t *testing.T) {
	triggerEngines(t, func(t *testing.T, e *env, h *hook) {
		t.Run("every source", func(t *testing.T) {
			poolID, clientID := e.triggerPool(t, &types.LambdaConfigType{CustomMessage: aws.String(customMessageARN)})
			h.on(writeMessages)
			source := func(want string, extra map[string]any) {
				t.Helper()
				ev := lastEvent(t, h, poolID)
				checks := map[string]any{"triggerSource": want, "request.codeParameter": "{####}", "response.emailMessage": nil}
				for k, v := range extra {
					checks[k] = v
				}
				for path, w := range checks {
					if got := member(ev, path); got != w {
						t.Errorf("%s: event %s = %#v, want %#v", want, path, got, w)
					}
				}
			}

			if _, err := e.signUp(t, clientID, "carol", nil, map[string]string{"campaign": "spring"}); err != nil {
				t.Fatal(err)
			}
			e.wantWritten(t, poolID, "carol", "CustomMessage_SignUp")
			source("CustomMessage_SignUp", map[string]any{"callerContext.clientId": clientID, "request.linkParameter": "{##Click Here##}",
				"request.usernameParameter": nil, "request.clientMetadata.campaign": "spring", "request.userAttributes.email": "carol@example.com",
				"request.userAttributes.cognito:user_status": "UNCONFIRMED"})

			if _, err := e.Anon.ResendConfirmationCode(ctx(t), &cip.ResendConfirmationCodeInput{ClientId: aws.String(clientID), Username: aws.String("carol"),
				ClientMetadata: map[string]string{"op": "resend"}}); err != nil {
				t.Fatal(err)
			}
			m := e.wantWritten(t, poolID, "carol", "CustomMessage_ResendCode")
			source("CustomMessage_ResendCode", map[string]any{"request.clientMetadata.op": "resend"})
			if _, err := e.Anon.ConfirmSignUp(ctx(t), &cip.ConfirmSignUpInput{ClientId: aws.String(clientID), Username: aws.String("carol"),
				ConfirmationCode: aws.String(m.Code)}); err != nil {
				t.Fatalf("the code of the function's message does not confirm: %v", err)
			}

			if _, err := e.Anon.ForgotPassword(ctx(t), &cip.ForgotPasswordInput{ClientId: aws.String(clientID), Username: aws.String("carol"),
				ClientMetadata: map[string]string{"op": "forgot"}}); err != nil {
				t.Fatal(err)
			}
			e.wantWritten(t, poolID, "carol", "CustomMessage_ForgotPassword")
			source("CustomMessage_ForgotPassword", map[string]any{"request.linkParameter": nil, "request.clientMetadata.op": "forgot"})

			if _, err := e.Admin.AdminResetUserPassword(ctx(t), &cip.AdminResetUserPasswordInput{UserPoolId: aws.String(poolID), Username: aws.String("carol"),
				ClientMetadata: map[string]string{"op": "reset"}}); err != nil {
				t.Fatal(err)
			}
			e.wantWritten(t, poolID, "carol", "CustomMessage_ForgotPassword")
			source("CustomMessage_ForgotPassword", map[string]any{"callerContext.clientId": "CLIENT_ID_NOT_APPLICABLE", "request.clientMetadata.op": "reset"})

			if _, err := e.Admin.AdminCreateUser(ctx(t), &cip.AdminCreateUserInput{UserPoolId: aws.String(poolID), Username: aws.String("dave"),
				DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail},
				UserAttributes:         []types.AttributeType{{Name: aws.String("email"), Value: aws.String("dave@example.com")}},
				ClientMetadata:         map[string]string{"team": "ops"}}); err != nil {
				t.Fatal(err)
			}
			e.wantWritten(t, poolID, "dave", "CustomMessage_AdminCreateUser")
			source("CustomMessage_AdminCreateUser", map[string]any{"request.usernameParameter": "{username}", "request.linkParameter": nil,
				"request.clientMetadata.team": "ops", "callerContext.clientId": "CLIENT_ID_NOT_APPLICABLE"})

			// An invitation by SMS and email: one event, each channel its message.
			before := len(h.received(poolID))
			if _, err := e.Admin.AdminCreateUser(ctx(t), &cip.AdminCreateUserInput{UserPoolId: aws.String(poolID), Username: aws.String("ivy"),
				DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeSms, types.DeliveryMediumTypeEmail},
				UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("ivy@example.com")},
					{Name: aws.String("phone_number"), Value: aws.String("+15550004321")}}}); err != nil {
				t.Fatal(err)
			}
			if n := len(h.received(poolID)) - before; n != 1 {
				t.Errorf("%d events for one invitation, want 1", n)
			}
			if msgs := e.messages(poolID, "ivy"); len(msgs) != 2 {
				t.Errorf("%d messages, want an SMS and an email", len(msgs))
			} else if sms := msgs[0]; sms.Channel != "SMS" || sms.Destination != "+15550004321" || sms.Subject != "" ||
				sms.Body != "CustomMessage_AdminCreateUser: "+sms.Code+" for ivy" {
				t.Errorf("SMS %+v, want the function's smsMessage", sms)
			}
			e.wantWritten(t, poolID, "ivy", "CustomMessage_AdminCreateUser")

			e.signUpConfirmed(t, poolID, clientID, "erin", password)
			access := e.passwordSignIn(t, clientID, "erin").AuthenticationResult.AccessToken
			if _, err := e.Anon.UpdateUserAttributes(ctx(t), &cip.UpdateUserAttributesInput{AccessToken: access,
				UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("erin@example.org")}},
				ClientMetadata: map[string]string{"op": "update"}}); err != nil {
				t.Fatal(err)
			}
			if m := e.wantWritten(t, poolID, "erin", "CustomMessage_UpdateUserAttribute"); m.Destination != "erin@example.org" {
				t.Errorf("sent to %s, want the new address", m.Destination)
			}
			source("CustomMessage_UpdateUserAttribute", map[string]any{"callerContext.clientId": clientID, "request.clientMetadata.op": "update"})

			if _, err := e.Anon.GetUserAttributeVerificationCode(ctx(t), &cip.GetUserAttributeVerificationCodeInput{AccessToken: access,
				AttributeName: aws.String("email"), ClientMetadata: map[string]string{"op": "verify"}}); err != nil {
				t.Fatal(err)
			}
			e.wantWritten(t, poolID, "erin", "CustomMessage_VerifyUserAttribute")
			source("CustomMessage_VerifyUserAttribute", map[string]any{"request.clientMetadata.op": "verify"})

			if _, err := e.Admin.AdminUpdateUserAttributes(ctx(t), &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(poolID), Username: aws.String("erin"),
				UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("erin@example.net")}},
				ClientMetadata: map[string]string{"op": "admin-update"}}); err != nil {
				t.Fatal(err)
			}
			e.wantWritten(t, poolID, "erin", "CustomMessage_UpdateUserAttribute")
			source("CustomMessage_UpdateUserAttribute", map[string]any{"callerContext.clientId": "CLIENT_ID_NOT_APPLICABLE", "request.clientMetadata.op": "admin-update"})
			for _, ev := range h.received(poolID) {
				if strings.Contains(ev["request"].(map[string]any)["codeParameter"].(string), e.lastMessage(t, poolID, "erin").Code) {
					t.Error("an event carries a real code")
				}
			}
		})

		t.Run("sign-in codes", func(t *testing.T) {
			p, err := e.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String("otp"),
				LambdaConfig: &types.LambdaConfigType{CustomMessage: aws.String(customMessageARN)},
				Policies: &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{
					AllowedFirstAuthFactors: []types.AuthFactorType{types.AuthFactorTypePassword, types.AuthFactorTypeEmailOtp}}}})
			if err != nil {
				t.Fatal(err)
			}
			poolID := *p.UserPool.Id
			c, err := e.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("app"),
				ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
			if err != nil {
				t.Fatal(err)
			}
			clientID := *c.UserPoolClient.ClientId
			h.on(writeMessages)
			if _, err := e.Admin.AdminCreateUser(ctx(t), &cip.AdminCreateUserInput{UserPoolId: aws.String(poolID), Username: aws.String("dana"),
				MessageAction: types.MessageActionTypeSuppress, UserAttributes: []types.AttributeType{
					{Name: aws.String("email"), Value: aws.String("dana@example.com")}, {Name: aws.String("email_verified"), Value: aws.String("true")}}}); err != nil {
				t.Fatal(err)
			}
			if _, err := e.Admin.AdminSetUserPassword(ctx(t), &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(poolID),
				Username: aws.String("dana"), Password: aws.String(password), Permanent: true}); err != nil {
				t.Fatal(err)
			}
			init, err := e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: flowUserAuth, ClientId: aws.String(clientID),
				AuthParameters: map[string]string{"USERNAME": "dana", "PREFERRED_CHALLENGE": "EMAIL_OTP"},
				ClientMetadata: map[string]string{"op": "sign-in"}})
			if err != nil {
				t.Fatal(err)
			}
			m := e.wantWritten(t, poolID, "dana", "CustomMessage_Authentication")
			ev := lastEvent(t, h, poolID)
			for path, want := range map[string]any{"triggerSource": "CustomMessage_Authentication", "callerContext.clientId": clientID,
				"request.clientMetadata.op": "sign-in", "request.usernameParameter": nil, "request.linkParameter": nil} {
				if got := member(ev, path); got != want {
					t.Errorf("event %s = %#v, want %#v", path, got, want)
				}
			}
			out, err := e.answer(t, clientID, types.ChallengeNameTypeEmailOtp, init.Session, "dana", "EMAIL_OTP_CODE", m.Code)
			if err != nil || out.AuthenticationResult == nil {
				t.Fatalf("the function's code does not sign in: %v", err)
			}
		})

		t.Run("a message without the placeholders is not used", func(t *testing.T) {
			poolID, clientID := e.triggerPool(t, &types.LambdaConfigType{CustomMessage: aws.String(customMessageARN)})
			h.on(func(w http.ResponseWriter, event map[string]any) {
				reply(w, event, map[string]any{"emailMessage": "no code here", "emailSubject": "Ignored too"})
			})
			if _, err := e.signUp(t, clientID, "fay", nil, nil); err != nil {
				t.Fatal(err)
			}
			m := e.lastMessage(t, poolID, "fay")
			if m.Body != "Your verification code is "+m.Code+". " || m.Subject != "Your verification code" {
				t.Errorf("message %q (subject %q), want the default one", m.Body, m.Subject)
			}
			// An invitation needs the username placeholder as well.
			h.on(func(w http.ResponseWriter, event map[string]any) {
				reply(w, event, map[string]any{"emailMessage": "Temporary password {####}"})
			})
			if _, err := e.Admin.AdminCreateUser(ctx(t), &cip.AdminCreateUserInput{UserPoolId: aws.String(poolID), Username: aws.String("gus"),
				DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail},
				UserAttributes:         []types.AttributeType{{Name: aws.String("email"), Value: aws.String("gus@example.com")}}}); err != nil {
				t.Fatal(err)
			}
			m = e.lastMessage(t, poolID, "gus")
			if want := "Your username is gus and temporary password is " + m.Code + "."; m.Body != want {
				t.Errorf("invitation %q, want %q", m.Body, want)
			}
			// Null members leave Cognate's messages.
			h.on(nil)
			if _, err := e.Anon.ResendConfirmationCode(ctx(t), &cip.ResendConfirmationCodeInput{ClientId: aws.String(clientID), Username: aws.String("fay")}); err != nil {
				t.Fatal(err)
			}
			if m := e.lastMessage(t, poolID, "fay"); m.Body != "Your verification code is "+m.Code+". " {
				t.Errorf("message %q, want the default one", m.Body)
			}
		})

		t.Run("failures", func(t *testing.T) {
			poolID, clientID := e.triggerPool(t, &types.LambdaConfigType{CustomMessage: aws.String(customMessageARN)})
			h.on(fail("no template"))
			_, err := e.signUp(t, clientID, "hal", nil, nil)
			wantError(t, err, "UserLambdaValidationException", "CustomMessage failed with error no template.")
			if n := len(e.messages(poolID, "hal")); n != 0 {
				t.Errorf("%d messages sent after the function failed", n)
			}
			// As in Cognito, the user signed up stays, unconfirmed.
			u, err := e.Admin.AdminGetUser(ctx(t), &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String("hal")})
			if err != nil || u.UserStatus != types.UserStatusTypeUnconfirmed {
				t.Errorf("after the failure: %v, %+v", err, u)
			}
			h.on(func(w http.ResponseWriter, event map[string]any) {
				reply(w, event, map[string]any{"emailMessage": 42})
			})
			_, err = e.Anon.ResendConfirmationCode(ctx(t), &cip.ResendConfirmationCodeInput{ClientId: aws.String(clientID), Username: aws.String("hal")})
			wantError(t, err, "InvalidLambdaResponseException", "Unrecognizable lambda output")
			if n := len(e.messages(poolID, "hal")); n != 0 {
				t.Errorf("%d messages sent after an unreadable answer", n)
			}
		})
	})
}
