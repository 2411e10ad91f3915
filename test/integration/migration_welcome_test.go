package integration

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/sendercode"
)

// migrationPool creates a pool with the given triggers, its invitation
// templates set, and email as an alias when alias is true; and a client
// allowing the password flows.
func (e *env) migrationPool(t *testing.T, lc *types.LambdaConfigType, alias bool) (poolID, clientID string) {
	t.Helper()
	in := &cip.CreateUserPoolInput{PoolName: aws.String("migration"), LambdaConfig: lc,
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		AdminCreateUserConfig: &types.AdminCreateUserConfigType{InviteMessageTemplate: &types.MessageTemplateType{
			EmailSubject: aws.String("Welcome aboard"), EmailMessage: aws.String("Hello {username}, your password: {####}"),
			SMSMessage: aws.String("Hi {username} {####}")}}}
	if alias {
		in.AliasAttributes = []types.AliasAttributeType{types.AliasAttributeTypeEmail}
	}
	p, err := e.Admin.CreateUserPool(ctx(t), in)
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: p.UserPool.Id, ClientName: aws.String("app"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	return *p.UserPool.Id, *c.UserPoolClient.ClientId
}

// withPhone is a migration answer's attributes with a phone number too.
func withPhone(name string) map[string]any {
	return map[string]any{"email": name + "@legacy.example.com", "email_verified": "true", "phone_number": "+15555550123"}
}

// wantNoPassword fails when a message holds the legacy password.
func wantNoPassword(t *testing.T, msgs []store.Message) {
	t.Helper()
	for _, m := range msgs {
		if strings.Contains(m.Body, legacyPassword) || strings.Contains(m.Subject, legacyPassword) || m.Code != "" {
			t.Errorf("message %+v holds a password or code", m)
		}
	}
}

// A migrated user is sent the pool's invitation, as a welcome, unless the
// function answers messageAction SUPPRESS: by SMS unless it asks for other
// mediums, through the custom message trigger and the custom senders.
func TestUserMigrationWelcome(t *testing.T) {
	triggerEngines(t, func(t *testing.T, e *env, h *hook) {
		t.Run("mediums", func(t *testing.T) {
			poolID, clientID := e.migrationPool(t, &types.LambdaConfigType{UserMigration: aws.String(userMigrationARN)}, false)
			for _, c := range []struct {
				name     string
				response map[string]any
				want     []string // channels, in order
			}{
				{"anna", map[string]any{}, []string{"SMS"}},
				{"ben", map[string]any{"messageAction": "SUPPRESS"}, nil},
				{"cleo", map[string]any{"desiredDeliveryMediums": []string{"EMAIL"}}, []string{"EMAIL"}},
				{"dan", map[string]any{"desiredDeliveryMediums": []string{"EMAIL", "SMS"}, "messageAction": "RESEND"}, []string{"EMAIL", "SMS"}},
				{"eve", map[string]any{"desiredDeliveryMediums": []string{"EMAIL", "EMAIL"}}, []string{"EMAIL"}},
			} {
				c.response["userAttributes"] = withPhone(c.name)
				c.response["finalUserStatus"] = "CONFIRMED"
				h.on(migrateFrom(map[string]bool{c.name: true}, c.response))
				if _, err := e.migrationSignIn(t, clientID, c.name, legacyPassword); err != nil {
					t.Fatalf("%s: sign-in: %v", c.name, err)
				}
				msgs := e.messages(poolID, c.name)
				wantNoPassword(t, msgs)
				if len(msgs) != len(c.want) {
					t.Fatalf("%s: %d messages %+v, want %v", c.name, len(msgs), msgs, c.want)
				}
				for i, m := range msgs {
					if m.Channel != c.want[i] || m.Purpose != "UserMigration" {
						t.Errorf("%s: message %d on %s for %s, want %s for UserMigration", c.name, i, m.Channel, m.Purpose, c.want[i])
					}
					switch m.Channel {
					case "EMAIL":
						if m.Destination != c.name+"@legacy.example.com" || m.Subject != "Welcome aboard" || m.Body != "Hello "+c.name+", your password: " {
							t.Errorf("%s: email %+v, want the invitation template", c.name, m)
						}
					case "SMS":
						if m.Destination != "+15555550123" || m.Body != "Hi "+c.name+" " {
							t.Errorf("%s: SMS %+v, want the invitation template", c.name, m)
						}
					}
				}
			}
			// A medium the user has no attribute for sends nothing, and fails nothing.
			h.on(migrateFrom(map[string]bool{"finn": true}, map[string]any{"finalUserStatus": "CONFIRMED"}))
			if _, err := e.migrationSignIn(t, clientID, "finn", legacyPassword); err != nil {
				t.Fatalf("sign-in without a phone number: %v", err)
			}
			if msgs := e.messages(poolID, "finn"); len(msgs) != 0 {
				t.Errorf("messages %+v to a user without a phone number", msgs)
			}
		})

		t.Run("forgot password", func(t *testing.T) {
			poolID, clientID := e.migrationPool(t, &types.LambdaConfigType{UserMigration: aws.String(userMigrationARN)}, false)
			h.on(migrateFrom(map[string]bool{"gus": true}, map[string]any{"desiredDeliveryMediums": []string{"EMAIL"}}))
			if _, err := e.Anon.ForgotPassword(ctx(t), &cip.ForgotPasswordInput{ClientId: aws.String(clientID), Username: aws.String("gus")}); err != nil {
				t.Fatal(err)
			}
			msgs := e.messages(poolID, "gus")
			if len(msgs) != 2 || msgs[0].Purpose != "UserMigration" || msgs[0].Code != "" || msgs[1].Code == "" {
				t.Fatalf("messages %+v, want the welcome then the reset code", msgs)
			}
		})

		t.Run("custom message", func(t *testing.T) {
			poolID, clientID := e.migrationPool(t, &types.LambdaConfigType{UserMigration: aws.String(userMigrationARN),
				CustomMessage: aws.String(customMessageARN)}, false)
			migrate := migrateFrom(map[string]bool{"hana": true}, map[string]any{"desiredDeliveryMediums": []string{"EMAIL"}})
			h.on(func(w http.ResponseWriter, event map[string]any) {
				if strings.HasPrefix(event["triggerSource"].(string), "CustomMessage_") {
					writeMessages(w, event)
					return
				}
				migrate(w, event)
			})
			if _, err := e.migrationSignIn(t, clientID, "hana", legacyPassword); err != nil {
				t.Fatal(err)
			}
			ev := lastEvent(t, h, poolID)
			for path, want := range map[string]any{"triggerSource": "CustomMessage_AdminCreateUser", "callerContext.clientId": clientID,
				"request.codeParameter": "{####}", "request.usernameParameter": "{username}", "request.clientMetadata.app": "web",
				"request.userAttributes.email": "hana@legacy.example.com"} {
				if got := member(ev, path); got != want {
					t.Errorf("event %s = %#v, want %#v", path, got, want)
				}
			}
			m := e.lastMessage(t, poolID, "hana")
			if m.Body != "<p>CustomMessage_AdminCreateUser:  for hana</p>" || m.Subject != "About CustomMessage_AdminCreateUser" {
				t.Errorf("message %+v, want the function's", m)
			}
		})

		t.Run("custom sender", func(t *testing.T) {
			key := e.senderKey(t, senderKMSKeyID)
			poolID, clientID := e.migrationPool(t, &types.LambdaConfigType{UserMigration: aws.String(userMigrationARN), KMSKeyID: aws.String(senderKMSKeyID),
				CustomEmailSender: &types.CustomEmailLambdaVersionConfigType{LambdaArn: aws.String(customEmailSenderARN), LambdaVersion: types.CustomEmailSenderLambdaVersionTypeV10}}, false)
			migrate := migrateFrom(map[string]bool{"ivan": true}, map[string]any{"desiredDeliveryMediums": []string{"EMAIL", "SMS"},
				"userAttributes": withPhone("ivan")})
			h.on(func(w http.ResponseWriter, event map[string]any) {
				if strings.HasPrefix(event["triggerSource"].(string), "CustomEmailSender_") {
					w.Write([]byte("null"))
					return
				}
				migrate(w, event)
			})
			if _, err := e.migrationSignIn(t, clientID, "ivan", legacyPassword); err != nil {
				t.Fatal(err)
			}
			ev := lastEvent(t, h, poolID)
			if ev["triggerSource"] != "CustomEmailSender_AdminCreateUser" || member(ev, "callerContext.clientId") != clientID {
				t.Fatalf("event %v, want CustomEmailSender_AdminCreateUser from the client", ev)
			}
			envelope, _ := member(ev, "request.code").(string)
			code, err := sendercode.Decrypt(key, envelope, binding(ev))
			if err != nil || code != "" {
				t.Errorf("request.code decrypts to %q (%v), want no code", code, err)
			}
			// Email went to the function; SMS is Cognate's.
			msgs := e.messages(poolID, "ivan")
			if len(msgs) != 1 || msgs[0].Channel != "SMS" {
				t.Errorf("outbox %+v, want the SMS only", msgs)
			}
		})

		t.Run("failure", func(t *testing.T) {
			// The custom message function's failure is the sign-in's; the user stays, as an invitation's failure leaves the user.
			poolID, clientID := e.migrationPool(t, &types.LambdaConfigType{UserMigration: aws.String(userMigrationARN),
				CustomMessage: aws.String(customMessageARN)}, false)
			migrate := migrateFrom(map[string]bool{"jo": true}, map[string]any{"desiredDeliveryMediums": []string{"EMAIL"}})
			h.on(func(w http.ResponseWriter, event map[string]any) {
				if strings.HasPrefix(event["triggerSource"].(string), "CustomMessage_") {
					fail("No templates")(w, event)
					return
				}
				migrate(w, event)
			})
			_, err := e.migrationSignIn(t, clientID, "jo", legacyPassword)
			wantError(t, err, "UserLambdaValidationException", "CustomMessage failed with error No templates.")
			e.wantUser(t, poolID, "jo", types.UserStatusTypeConfirmed, "jo@legacy.example.com")
			if _, err := e.migrationSignIn(t, clientID, "jo", legacyPassword); err != nil {
				t.Errorf("second sign-in: %v", err)
			}
		})
	})
}

// forceAliasCreation moves an email address another user holds as a
// verified alias to the migrated user; without it, the migration fails with
// AliasExistsException and nothing is created.
func TestUserMigrationForceAlias(t *testing.T) {
	triggerEngines(t, func(t *testing.T, e *env, h *hook) {
		poolID, clientID := e.migrationPool(t, &types.LambdaConfigType{UserMigration: aws.String(userMigrationARN)}, true)
		const shared = "shared@legacy.example.com"
		if _, err := e.Admin.AdminCreateUser(ctx(t), &cip.AdminCreateUserInput{UserPoolId: aws.String(poolID), Username: aws.String("holder"),
			MessageAction: types.MessageActionTypeSuppress, TemporaryPassword: aws.String(password),
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(shared)},
				{Name: aws.String("email_verified"), Value: aws.String("true")}}}); err != nil {
			t.Fatal(err)
		}
		answer := func(names []string, force any) {
			known := map[string]bool{}
			for _, n := range names {
				known[n] = true
			}
			resp := map[string]any{"finalUserStatus": "CONFIRMED", "messageAction": "SUPPRESS",
				"userAttributes": map[string]any{"email": "Shared@legacy.example.com", "email_verified": "true"}}
			if force != nil {
				resp["forceAliasCreation"] = force
			}
			h.on(migrateFrom(known, resp))
		}
		for _, force := range []any{nil, false} {
			answer([]string{"kim"}, force)
			_, err := e.migrationSignIn(t, clientID, "kim", legacyPassword)
			wantError(t, err, "AliasExistsException", "An account with the email already exists.")
			e.wantNoUser(t, poolID, "kim")
		}
		holderVerified := func(name string) string {
			t.Helper()
			u, err := e.Admin.AdminGetUser(ctx(t), &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String(name)})
			if err != nil {
				t.Fatal(err)
			}
			return attr(u.UserAttributes, "email_verified")
		}
		if v := holderVerified("holder"); v != "true" {
			t.Fatalf("a refused migration changed the holder: email_verified %q", v)
		}

		answer([]string{"kim"}, true)
		if _, err := e.migrationSignIn(t, clientID, "kim", legacyPassword); err != nil {
			t.Fatalf("sign-in taking the alias: %v", err)
		}
		// The alias signs kim in now; the holder keeps the address, unverified, and its username.
		if _, err := e.migrationSignIn(t, clientID, shared, legacyPassword); err != nil {
			t.Errorf("sign-in with the moved alias: %v", err)
		}
		u, err := e.Admin.AdminGetUser(ctx(t), &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String(shared)})
		if err != nil || aws.ToString(u.Username) != "kim" {
			t.Errorf("the alias names %v (%v), want kim", u, err)
		}
		if v := holderVerified("holder"); v != "false" {
			t.Errorf("holder's email_verified %q, want false", v)
		}
		if v := holderVerified("kim"); v != "true" {
			t.Errorf("kim's email_verified %q, want true", v)
		}

		// Two migrations taking the alias at once both succeed, and one of them holds it.
		answer([]string{"lou", "max"}, true)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, name := range []string{"lou", "max"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = e.migrationSignIn(t, clientID, name, legacyPassword)
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("racing migration %d: %v", i, err)
			}
		}
		verified := 0
		for _, name := range []string{"holder", "kim", "lou", "max"} {
			if holderVerified(name) == "true" {
				verified++
			}
		}
		if verified != 1 {
			t.Errorf("%d users hold the alias verified, want 1", verified)
		}
	})
}
