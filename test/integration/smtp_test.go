package integration

import (
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognate-auth/cognate/internal/config"
	"github.com/cognate-auth/cognate/internal/testutil/smtptest"
)

// With an SMTP server configured, email goes there, really, and not to the
// outbox; a user confirms with the code from the mail.
func TestEmailThroughSMTP(t *testing.T) {
	mb := smtptest.Start(t, "cognate", "s3cret")
	e := startIn(t, "", t.TempDir(), "", func(c *config.Config) {
		c.SMTPURL = "smtp+insecure://cognate@" + mb.Addr
		c.SMTPPassword = "s3cret"
		c.EmailFrom = "Example Auth <auth@example.com>"
	})
	poolID, clientID := e.poolWithClient(t, nil)
	up, err := e.Anon.SignUp(ctx(t), &cip.SignUpInput{
		ClientId: aws.String(clientID), Username: aws.String("hal"), Password: aws.String(password),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("hal@example.com")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if d := up.CodeDeliveryDetails; d == nil || d.DeliveryMedium != types.DeliveryMediumTypeEmail {
		t.Fatalf("delivery = %+v", up.CodeDeliveryDetails)
	}
	if n := len(e.messages(poolID, "hal")); n != 0 {
		t.Errorf("%d messages in the outbox; email should have gone through SMTP only", n)
	}
	mail := mb.Messages()
	if len(mail) != 1 {
		t.Fatalf("the SMTP server received %d messages, want 1", len(mail))
	}
	m := mail[0]
	if m.From != "auth@example.com" || len(m.To) != 1 || m.To[0] != "hal@example.com" || !strings.Contains(m.Data, "Subject: Your verification code") {
		t.Fatalf("mail from %s to %v:\n%s", m.From, m.To, m.Data)
	}
	code := regexp.MustCompile(`\b\d{6}\b`).FindString(m.Data)
	if code == "" {
		t.Fatalf("no code in the mail:\n%s", m.Data)
	}
	if _, err := e.Anon.ConfirmSignUp(ctx(t), &cip.ConfirmSignUpInput{
		ClientId: aws.String(clientID), Username: aws.String("hal"), ConfirmationCode: aws.String(code),
	}); err != nil {
		t.Fatalf("confirming with the mailed code: %v", err)
	}
}

// A server that refuses the mail makes the request fail with Cognito's
// delivery error rather than pretend the code went out.
func TestEmailDeliveryFailure(t *testing.T) {
	mb := smtptest.Start(t, "cognate", "s3cret")
	e := startIn(t, "", t.TempDir(), "", func(c *config.Config) {
		c.SMTPURL = "smtp+insecure://cognate:wrong@" + mb.Addr
	})
	_, clientID := e.poolWithClient(t, nil)
	_, err := e.Anon.SignUp(ctx(t), &cip.SignUpInput{
		ClientId: aws.String(clientID), Username: aws.String("ida"), Password: aws.String(password),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("ida@example.com")}},
	})
	wantCode(t, err, "CodeDeliveryFailureException")
}
