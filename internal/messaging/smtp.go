package messaging

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/cognate-auth/cognate/internal/store"
)

// DefaultFrom is the sender address of email messages unless configured,
// the one Cognito uses when a pool sends with its own (COGNITO_DEFAULT)
// account.
const DefaultFrom = "no-reply@verificationemail.com"

// smtpTimeout bounds one delivery: a request waits for it.
const smtpTimeout = 15 * time.Second

// SMTP delivers email messages through an SMTP server. It is safe for
// concurrent use; each message opens its own connection.
type SMTP struct {
	host string
	opts []gomail.Option
	from string
}

// NewSMTP configures delivery through the server of rawURL:
//
//	smtps://[user[:password]@]host[:port]          TLS from the start (port 465 by default)
//	smtp://[user[:password]@]host[:port]           STARTTLS, required (port 587 by default)
//	smtp+insecure://[user[:password]@]host[:port]  no TLS, for a local mail catcher (port 25 by default)
//
// password, when not empty, replaces the URL's. from is the sender address
// ("Name <addr>" or "addr"); DefaultFrom if empty.
func NewSMTP(rawURL, password, from string) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("SMTP URL: %w", err)
	}
	if u.Hostname() == "" {
		return nil, errors.New("SMTP URL: no host")
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" {
		return nil, errors.New("SMTP URL: want scheme://[user[:password]@]host[:port], without path or query")
	}
	opts := []gomail.Option{gomail.WithTimeout(smtpTimeout)}
	var port int
	switch u.Scheme {
	case "smtps":
		port = 465
		opts = append(opts, gomail.WithSSL())
	case "smtp":
		port = 587
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case "smtp+insecure":
		port = 25
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		return nil, fmt.Errorf("SMTP URL: scheme %q: want smtps, smtp or smtp+insecure", u.Scheme)
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil || port < 1 || port > 65535 {
			return nil, fmt.Errorf("SMTP URL: port %q", p)
		}
	}
	opts = append(opts, gomail.WithPort(port))
	if user := u.User.Username(); user != "" {
		if password == "" {
			password, _ = u.User.Password()
		}
		auth := gomail.SMTPAuthPlain
		if u.Scheme == "smtp+insecure" {
			auth = gomail.SMTPAuthPlainNoEnc // the operator chose a link without TLS
		}
		opts = append(opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(user), gomail.WithPassword(password))
	}
	if from == "" {
		from = DefaultFrom
	}
	if _, err := mail.ParseAddress(from); err != nil {
		return nil, fmt.Errorf("sender address %q: %w", from, err)
	}
	return &SMTP{host: u.Hostname(), opts: opts, from: from}, nil
}

// Send delivers an EMAIL message to its destination.
func (s *SMTP) Send(ctx context.Context, m store.Message) error {
	if m.Channel != "EMAIL" {
		return fmt.Errorf("smtp: cannot deliver a %s message", m.Channel)
	}
	msg := gomail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return fmt.Errorf("smtp: sender: %w", err)
	}
	if err := msg.To(m.Destination); err != nil {
		return fmt.Errorf("smtp: recipient: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetBodyString(contentType(m.Body), m.Body)
	c, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		return fmt.Errorf("smtp: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("smtp: delivering through %s: %w", s.host, err)
	}
	return nil
}

// contentType sends a body with markup as HTML, as Cognito does with
// message templates that contain it, and anything else as plain text.
func contentType(body string) gomail.ContentType {
	if strings.Contains(body, "<") && strings.Contains(body, ">") {
		return gomail.TypeTextHTML
	}
	return gomail.TypeTextPlain
}

// Router sends EMAIL messages through Email and every other message
// through Other.
type Router struct {
	Email interface {
		Send(context.Context, store.Message) error
	}
	Other interface {
		Send(context.Context, store.Message) error
	}
}

// Send routes m by its channel.
func (r Router) Send(ctx context.Context, m store.Message) error {
	if m.Channel == "EMAIL" {
		return r.Email.Send(ctx, m)
	}
	return r.Other.Send(ctx, m)
}
