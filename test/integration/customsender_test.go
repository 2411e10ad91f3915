package integration

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognate-auth/cognate/internal/secretbox"
	"github.com/cognate-auth/cognate/internal/userpool"
	"github.com/cognate-auth/cognate/sendercode"
)

const (
	customEmailSenderARN = "arn:aws:lambda:us-east-1:000000000000:function:custom-email-sender"
	customSMSSenderARN   = "arn:aws:lambda:us-east-1:000000000000:function:custom-sms-sender"
	senderKMSKeyID       = "arn:aws:kms:us-east-1:000000000000:key/sender"
)

// senderKey is the key `cognate keys sender-key --kms-key-id id` prints for
// the server's master key: what a sender function is given.
func (e *env) senderKey(t *testing.T, id string) []byte {
	t.Helper()
	master, err := secretbox.LoadKeyFile(e.Config.MasterKeyFile)
	if err != nil {
		t.Fatal(err)
	}
	key, err := userpool.SenderKey(master, id)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// binding is what a sender event's code is bound to, read from the event.
func binding(ev map[string]any) sendercode.Binding {
	pool, _ := ev["userPoolId"].(string)
	src, _ := ev["triggerSource"].(string)
	sub, _ := member(ev, "request.userAttributes.sub").(string)
	return sendercode.Binding{UserPoolID: pool, TriggerSource: src, Sub: sub}
}

// sentCode decrypts the code of the newest sender event, checking its
// source and request type, as a sender function would.
func sentCode(t *testing.T, h *hook, poolID string, key []byte, src, typ string) (string, map[string]any) {
	t.Helper()
	ev := lastEvent(t, h, poolID)
	if got := ev["triggerSource"]; got != src {
		t.Fatalf("triggerSource %v, want %s", got, src)
	}
	if got := member(ev, "request.type"); got != typ {
		t.Errorf("%s: request.type %v, want %s", src, got, typ)
	}
	envelope, _ := member(ev, "request.code").(string)
	code, err := sendercode.Decrypt(key, envelope, binding(ev))
	if err != nil || code == "" {
		t.Fatalf("%s: the function cannot decrypt request.code %q: %v", src, envelope, err)
	}
	if strings.Contains(envelope, code) {
		t.Errorf("%s: request.code %q holds the code %q in clear", src, envelope, code)
	}
	return code, ev
}

func TestCustomSenderTriggers(t *testing.T) {
	triggerEngines(t, func(t *testing.T, e *env, h *hook) {
		key := e.senderKey(t, senderKMSKeyID)
		t.Run("codes reach the function encrypted and nothing is sent", func(t *testing.T) {
			poolID, clientID := e.triggerPool(t, &types.LambdaConfigType{KMSKeyID: aws.String(senderKMSKeyID),
				CustomEmailSender: &types.CustomEmailLambdaVersionConfigType{LambdaArn: aws.String(customEmailSenderARN), LambdaVersion: types.CustomEmailSenderLambdaVersionTypeV10},
				CustomSMSSender:   &types.CustomSMSLambdaVersionConfigType{LambdaArn: aws.String(customSMSSenderARN), LambdaVersion: types.CustomSMSSenderLambdaVersionTypeV10}})
			// What a sender returns is not read: a Node function returning nothing answers null.
			h.on(func(w http.ResponseWriter, _ map[string]any) { w.Write([]byte("null")) })

			out, err := e.signUp(t, clientID, "carol", nil, map[string]string{"campaign": "spring"})
			if err != nil {
				t.Fatal(err)
			}
			if d := out.CodeDeliveryDetails; d == nil || d.DeliveryMedium != types.DeliveryMediumTypeEmail {
				t.Errorf("CodeDeliveryDetails %+v, want EMAIL", d)
			}
			code, ev := sentCode(t, h, poolID, key, "CustomEmailSender_SignUp", "customEmailSenderRequestV1")
			if member(ev, "request.clientMetadata.campaign") != "spring" || member(ev, "request.userAttributes.email") != "carol@example.com" ||
				member(ev, "callerContext.clientId") != clientID {
				t.Errorf("event %v lacks the request's metadata, attributes or client", ev)
			}
			b := binding(ev)
			envelope := member(ev, "request.code").(string)
			raw, _ := base64.StdEncoding.DecodeString(envelope)
			raw[len(raw)-1] ^= 1
			for name, try := range map[string]func() (string, error){
				"tampered envelope": func() (string, error) { return sendercode.Decrypt(key, base64.StdEncoding.EncodeToString(raw), b) },
				"another KMSKeyID's key": func() (string, error) {
					return sendercode.Decrypt(e.senderKey(t, senderKMSKeyID+"-other"), envelope, b)
				},
				"another source": func() (string, error) {
					return sendercode.Decrypt(key, envelope, sendercode.Binding{UserPoolID: b.UserPoolID, TriggerSource: "CustomEmailSender_ForgotPassword", Sub: b.Sub})
				},
			} {
				if got, err := try(); err == nil {
					t.Errorf("%s decrypted to %q", name, got)
				}
			}
			if _, err := e.Anon.ResendConfirmationCode(ctx(t), &cip.ResendConfirmationCodeInput{ClientId: aws.String(clientID), Username: aws.String("carol")}); err != nil {
				t.Fatal(err)
			}
			code, _ = sentCode(t, h, poolID, key, "CustomEmailSender_ResendCode", "customEmailSenderRequestV1")
			if _, err := e.Anon.ConfirmSignUp(ctx(t), &cip.ConfirmSignUpInput{ClientId: aws.String(clientID), Username: aws.String("carol"),
				ConfirmationCode: aws.String(code)}); err != nil {
				t.Fatalf("the decrypted code does not confirm: %v", err)
			}

			if _, err := e.Anon.ForgotPassword(ctx(t), &cip.ForgotPasswordInput{ClientId: aws.String(clientID), Username: aws.String("carol")}); err != nil {
				t.Fatal(err)
			}
			code, _ = sentCode(t, h, poolID, key, "CustomEmailSender_ForgotPassword", "customEmailSenderRequestV1")
			if _, err := e.Anon.ConfirmForgotPassword(ctx(t), &cip.ConfirmForgotPasswordInput{ClientId: aws.String(clientID), Username: aws.String("carol"),
				ConfirmationCode: aws.String(code), Password: aws.String(password + "2")}); err != nil {
				t.Fatalf("the decrypted code does not reset the password: %v", err)
			}

			signIn, err := e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{ClientId: aws.String(clientID), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
				AuthParameters: map[string]string{"USERNAME": "carol", "PASSWORD": password + "2"}})
			if err != nil || signIn.AuthenticationResult == nil {
				t.Fatalf("sign-in with the reset password: %v", err)
			}
			access := signIn.AuthenticationResult.AccessToken
			if _, err := e.Anon.UpdateUserAttributes(ctx(t), &cip.UpdateUserAttributesInput{AccessToken: access,
				UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("carol@example.org")}}}); err != nil {
				t.Fatal(err)
			}
			code, _ = sentCode(t, h, poolID, key, "CustomEmailSender_UpdateUserAttribute", "customEmailSenderRequestV1")
			if _, err := e.Anon.VerifyUserAttribute(ctx(t), &cip.VerifyUserAttributeInput{AccessToken: access, AttributeName: aws.String("email"),
				Code: aws.String(code)}); err != nil {
				t.Fatalf("the decrypted code does not verify the new address: %v", err)
			}
			if _, err := e.Anon.GetUserAttributeVerificationCode(ctx(t), &cip.GetUserAttributeVerificationCodeInput{AccessToken: access,
				AttributeName: aws.String("email")}); err != nil {
				t.Fatal(err)
			}
			sentCode(t, h, poolID, key, "CustomEmailSender_VerifyUserAttribute", "customEmailSenderRequestV1")

			// An invitation by SMS and email: each sender gets the temporary password.
			before := len(h.received(poolID))
			if _, err := e.Admin.AdminCreateUser(ctx(t), &cip.AdminCreateUserInput{UserPoolId: aws.String(poolID), Username: aws.String("ivy"),
				DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeSms, types.DeliveryMediumTypeEmail},
				UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("ivy@example.com")},
					{Name: aws.String("phone_number"), Value: aws.String("+15550004321")}}}); err != nil {
				t.Fatal(err)
			}
			evs := h.received(poolID)[before:]
			if len(evs) != 2 {
				t.Fatalf("%d events for an invitation by SMS and email, want 2", len(evs))
			}
			var passwords []string
			for i, want := range []string{"CustomSMSSender_AdminCreateUser", "CustomEmailSender_AdminCreateUser"} {
				if evs[i]["triggerSource"] != want {
					t.Errorf("event %d: %v, want %s", i, evs[i]["triggerSource"], want)
				}
				p, err := sendercode.Decrypt(key, member(evs[i], "request.code").(string), binding(evs[i]))
				if err != nil {
					t.Fatalf("%s: %v", want, err)
				}
				passwords = append(passwords, p)
			}
			if passwords[0] != passwords[1] {
				t.Errorf("the senders got two temporary passwords: %q", passwords)
			}
			if _, err := e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{ClientId: aws.String(clientID), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
				AuthParameters: map[string]string{"USERNAME": "ivy", "PASSWORD": passwords[0]}}); err != nil {
				t.Errorf("the decrypted temporary password does not sign in: %v", err)
			}
			for _, user := range []string{"carol", "ivy"} {
				if msgs := e.messages(poolID, user); len(msgs) != 0 {
					t.Errorf("Cognate sent %d messages to %s itself: %+v", len(msgs), user, msgs)
				}
			}
		})

		t.Run("sign-in codes", func(t *testing.T) {
			p, err := e.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String("otp"),
				LambdaConfig: &types.LambdaConfigType{KMSKeyID: aws.String(senderKMSKeyID),
					CustomEmailSender: &types.CustomEmailLambdaVersionConfigType{LambdaArn: aws.String(customEmailSenderARN), LambdaVersion: types.CustomEmailSenderLambdaVersionTypeV10}},
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
			h.on(func(w http.ResponseWriter, ev map[string]any) { reply(w, ev, nil) })
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
				AuthParameters: map[string]string{"USERNAME": "dana", "PREFERRED_CHALLENGE": "EMAIL_OTP"}})
			if err != nil {
				t.Fatal(err)
			}
			code, _ := sentCode(t, h, poolID, key, "CustomEmailSender_Authentication", "customEmailSenderRequestV1")
			out, err := e.answer(t, clientID, types.ChallengeNameTypeEmailOtp, init.Session, "dana", "EMAIL_OTP_CODE", code)
			if err != nil || out.AuthenticationResult == nil {
				t.Fatalf("the decrypted code does not sign in: %v", err)
			}
			if msgs := e.messages(poolID, "dana"); len(msgs) != 0 {
				t.Errorf("Cognate sent %d messages itself", len(msgs))
			}
		})

		t.Run("the function's failure is the operation's", func(t *testing.T) {
			poolID, clientID := e.triggerPool(t, &types.LambdaConfigType{KMSKeyID: aws.String(senderKMSKeyID),
				CustomEmailSender: &types.CustomEmailLambdaVersionConfigType{LambdaArn: aws.String(customEmailSenderARN), LambdaVersion: types.CustomEmailSenderLambdaVersionTypeV10}})
			h.on(fail("no provider"))
			_, err := e.signUp(t, clientID, "dave", nil, nil)
			wantCode(t, err, "UserLambdaValidationException")
			if msg := errorMessage(err); !strings.Contains(msg, "CustomEmailSender failed with error no provider.") {
				t.Errorf("message %q", msg)
			}
			if msgs := e.messages(poolID, "dave"); len(msgs) != 0 {
				t.Errorf("Cognate sent %d messages itself", len(msgs))
			}
		})

		t.Run("a channel without a sender is Cognate's", func(t *testing.T) {
			poolID, clientID := e.triggerPool(t, &types.LambdaConfigType{KMSKeyID: aws.String(senderKMSKeyID),
				CustomSMSSender: &types.CustomSMSLambdaVersionConfigType{LambdaArn: aws.String(customSMSSenderARN), LambdaVersion: types.CustomSMSSenderLambdaVersionTypeV10}})
			h.on(fail("must not be called"))
			if _, err := e.signUp(t, clientID, "erin", nil, nil); err != nil {
				t.Fatal(err)
			}
			if msgs := e.messages(poolID, "erin"); len(msgs) != 1 || msgs[0].Channel != "EMAIL" {
				t.Errorf("messages %+v, want Cognate's email", msgs)
			}
			if evs := h.received(poolID); len(evs) != 0 {
				t.Errorf("%d events for an email, want none", len(evs))
			}
		})

		t.Run("KMSKeyID is required", func(t *testing.T) {
			_, err := e.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String("senders"), LambdaConfig: &types.LambdaConfigType{
				CustomEmailSender: &types.CustomEmailLambdaVersionConfigType{LambdaArn: aws.String(customEmailSenderARN), LambdaVersion: types.CustomEmailSenderLambdaVersionTypeV10}}})
			wantCode(t, err, "InvalidParameterException")
			if msg := errorMessage(err); !strings.Contains(msg, "KMSKeyID is required") {
				t.Errorf("message %q", msg)
			}
		})
	})
}
