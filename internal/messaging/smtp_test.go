package messaging

import (
	"context"
	"strings"
	"testing"

	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/testutil/smtptest"
)

var codeMessage = store.Message{PoolID: "us-east-1_abc", Username: "ada", Channel: "EMAIL", Destination: "ada@example.com",
	Purpose: "SignUp", Subject: "Your verification code", Body: "Your verification code is 493817. ", Code: "493817"}

func TestSMTPDelivers(t *testing.T) {
	cases := []struct {
		name, user, password, url, from, wantFrom string
	}{
		{name: "no login", wantFrom: DefaultFrom},
		{name: "login in the URL", user: "cognate", password: "s3cret", wantFrom: "auth@example.com", from: "Example Auth <auth@example.com>"},
		{name: "password from the environment", user: "cognate", password: "env-secret", wantFrom: DefaultFrom},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mb := smtptest.Start(t, c.user, c.password)
			url := "smtp+insecure://" + mb.Addr
			var password string
			switch c.name {
			case "login in the URL":
				url = "smtp+insecure://" + c.user + ":" + c.password + "@" + mb.Addr
			case "password from the environment":
				url = "smtp+insecure://" + c.user + ":wrong@" + mb.Addr
				password = c.password
			}
			s, err := NewSMTP(url, password, c.from)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Send(context.Background(), codeMessage); err != nil {
				t.Fatal(err)
			}
			got := mb.Messages()
			if len(got) != 1 {
				t.Fatalf("mailbox holds %d messages, want 1", len(got))
			}
			m := got[0]
			if m.From != c.wantFrom || len(m.To) != 1 || m.To[0] != "ada@example.com" {
				t.Errorf("envelope from %q to %v", m.From, m.To)
			}
			for _, want := range []string{"Subject: Your verification code", "Your verification code is 493817.", "Content-Type: text/plain"} {
				if !strings.Contains(m.Data, want) {
					t.Errorf("message lacks %q:\n%s", want, m.Data)
				}
			}
		})
	}
}

func TestSMTPRefusals(t *testing.T) {
	mb := smtptest.Start(t, "cognate", "s3cret")
	// Wrong password: the server refuses the login.
	s, err := NewSMTP("smtp+insecure://cognate:nope@"+mb.Addr, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), codeMessage); err == nil {
		t.Error("delivery with a wrong password succeeded")
	}
	// smtp:// requires STARTTLS, which this server does not offer.
	s, err = NewSMTP("smtp://cognate:s3cret@"+mb.Addr, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), codeMessage); err == nil {
		t.Error("smtp:// delivered without STARTTLS")
	}
	if n := len(mb.Messages()); n != 0 {
		t.Errorf("%d messages got through", n)
	}
	// SMS is not for this sender.
	sms := codeMessage
	sms.Channel = "SMS"
	if err := s.Send(context.Background(), sms); err == nil {
		t.Error("an SMS went to SMTP")
	}
}

func TestNewSMTPValidates(t *testing.T) {
	for _, bad := range []string{"", "http://mail.example.com", "smtp://", "smtp://mail.example.com:0", "smtp://mail.example.com:99999",
		"smtp://mail.example.com/path", "smtp://mail.example.com?tls=off", "::"} {
		if _, err := NewSMTP(bad, "", ""); err == nil {
			t.Errorf("NewSMTP(%q) accepted it", bad)
		}
	}
	if _, err := NewSMTP("smtps://mail.example.com", "", "not an address"); err == nil {
		t.Error("NewSMTP accepted a bad sender address")
	}
	for _, good := range []string{"smtps://mail.example.com", "smtp://u:p@mail.example.com:2525", "smtp+insecure://127.0.0.1:1025"} {
		if _, err := NewSMTP(good, "", ""); err != nil {
			t.Errorf("NewSMTP(%q): %v", good, err)
		}
	}
}

func TestRouter(t *testing.T) {
	email, other := &fakeOutbox{}, &fakeOutbox{}
	r := Router{Email: &Outbox{Store: email}, Other: &Outbox{Store: other}}
	sms := codeMessage
	sms.Channel = "SMS"
	for _, m := range []store.Message{codeMessage, sms} {
		if err := r.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	if len(email.got) != 1 || email.got[0].Channel != "EMAIL" || len(other.got) != 1 || other.got[0].Channel != "SMS" {
		t.Errorf("email got %v, other got %v", email.got, other.got)
	}
}

func TestContentType(t *testing.T) {
	if contentType("Your code is 123456.") != "text/plain" || contentType("<p>Your code is <b>123456</b></p>") != "text/html" {
		t.Error("contentType picks the wrong type")
	}
}
