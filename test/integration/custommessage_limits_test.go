package integration

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// padded is a message of n UTF-8 characters (not bytes) holding the
// invitation's placeholders.
func padded(n int) string {
	const placeholders = "{####} {username}"
	return placeholders + strings.Repeat("é", n-len(placeholders))
}

// A message the custom message function returns longer than Cognito's
// limits (20,000 characters for email, 140 for SMS and for the subject) is
// not used: the pool's own goes out instead, as Cognito is reported to do.
func TestCustomMessageLimits(t *testing.T) {
	triggerEngines(t, func(t *testing.T, e *env, h *hook) {
		poolID, _ := e.triggerPool(t, &types.LambdaConfigType{CustomMessage: aws.String(customMessageARN)})
		const defaultSubject, defaultBody = "Your temporary password", "Your username is %s and temporary password is "
		for _, c := range []struct {
			name                 string
			email, subject, sms  int
			ownEmail, ownSubject bool
			ownSMS               bool
		}{
			{"at-limits", 20000, 140, 140, true, true, true},
			{"email-over", 20001, 140, 140, false, false, true}, // the subject goes with its message
			{"sms-over", 20000, 140, 141, true, true, false},
			{"subject-over", 20000, 141, 140, true, false, true},
		} {
			h.on(func(w http.ResponseWriter, event map[string]any) {
				reply(w, event, map[string]any{"emailMessage": padded(c.email), "emailSubject": strings.Repeat("s", c.subject), "smsMessage": padded(c.sms)})
			})
			if _, err := e.Admin.AdminCreateUser(ctx(t), &cip.AdminCreateUserInput{UserPoolId: aws.String(poolID), Username: aws.String(c.name),
				DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail, types.DeliveryMediumTypeSms},
				UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(c.name + "@example.com")},
					{Name: aws.String("phone_number"), Value: aws.String("+15555550199")}}}); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			msgs := e.messages(poolID, c.name)
			if len(msgs) != 2 {
				t.Fatalf("%s: %d messages, want 2", c.name, len(msgs))
			}
			for _, m := range msgs {
				own := strings.HasSuffix(m.Body, "é")
				switch m.Channel {
				case "EMAIL":
					if own != c.ownEmail {
						t.Errorf("%s: the function's email used %v, want %v", c.name, own, c.ownEmail)
					}
					if (m.Subject != defaultSubject) != c.ownSubject {
						t.Errorf("%s: subject %q, the function's wanted %v", c.name, m.Subject, c.ownSubject)
					}
				case "SMS":
					if own != c.ownSMS {
						t.Errorf("%s: the function's SMS used %v, want %v", c.name, own, c.ownSMS)
					}
				}
				if !own && !strings.HasPrefix(m.Body, strings.Replace(defaultBody, "%s", c.name, 1)) {
					t.Errorf("%s: %s body %q, want the default", c.name, m.Channel, m.Body)
				}
			}
		}
	})
}
