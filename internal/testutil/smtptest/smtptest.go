// Package smtptest runs an SMTP server on 127.0.0.1 that keeps the mail it
// receives, for tests of code that sends email.
package smtptest

import (
	"errors"
	"io"
	"net"
	"sync"
	"testing"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Mailbox is an SMTP server on 127.0.0.1 that keeps what it receives.
type Mailbox struct {
	// Addr is the server's host:port.
	Addr     string
	user     string // required login; "" for none
	password string

	mu  sync.Mutex
	got []Mail
}

// Mail is one message received: its envelope and its data.
type Mail struct {
	From string
	To   []string
	Data string
}

// Start runs a Mailbox until the test ends. With a user, it requires that
// login (PLAIN, allowed without TLS) before it takes mail.
func Start(t testing.TB, user, password string) *Mailbox {
	t.Helper()
	mb := &Mailbox{user: user, password: password}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &mailSession{mb: mb}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mb.Addr = l.Addr().String()
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return mb
}

// Messages returns the mail received so far, oldest first.
func (mb *Mailbox) Messages() []Mail {
	mb.mu.Lock()
	defer mb.mu.Unlock()
	return append([]Mail(nil), mb.got...)
}

type mailSession struct {
	mb     *Mailbox
	authed bool
	cur    Mail
}

func (s *mailSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *mailSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, password string) error {
		if user != s.mb.user || password != s.mb.password {
			return errors.New("invalid credentials")
		}
		s.authed = true
		return nil
	}), nil
}

func (s *mailSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.mb.user != "" && !s.authed {
		return &smtp.SMTPError{Code: 530, Message: "authentication required"}
	}
	s.cur = Mail{From: from}
	return nil
}

func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.cur.To = append(s.cur.To, to)
	return nil
}

func (s *mailSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.Data = string(b)
	s.mb.mu.Lock()
	s.mb.got = append(s.mb.got, s.cur)
	s.mb.mu.Unlock()
	return nil
}

func (s *mailSession) Reset()        { s.cur = Mail{} }
func (s *mailSession) Logout() error { return nil }
