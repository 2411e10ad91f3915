package userpool

import (
	"context"
	"crypto/subtle"
	"strings"
	"time"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/messaging"
	"github.com/cognate-auth/cognate/internal/store"
)

// Code purposes.
const (
	purposeSignUp = "SignUp"
)

// codeValidity is how long a sign-up or verification code lives.
const codeValidity = 24 * time.Hour

// codeHash binds a code to its user and purpose.
func (s *Service) codeHash(u store.User, purpose, code string) []byte {
	return s.codes.Hash(u.PoolID, u.Sub, purpose, code)
}

// CodeDelivery tells the caller where a code went, masked as Cognito masks it.
type CodeDelivery struct {
	Destination    string
	DeliveryMedium string // EMAIL or SMS
	AttributeName  string
}

// deliveryAttribute picks where a verification code goes: the pool's
// auto-verified attributes the user has, email first.
func deliveryAttribute(p store.Pool, u store.User) string {
	for _, a := range []string{"email", "phone_number"} {
		for _, av := range p.Settings.AutoVerifiedAttributes {
			if av == a && u.Attributes[a] != "" {
				return a
			}
		}
	}
	return ""
}

// issueCode records a new code of purpose on u (in place) and returns it.
// c describes the code (its destination, and what else the purpose keeps
// with it); its hash is filled in, and its expiry, codeValidity from now,
// when c has none.
func (s *Service) issueCode(u *store.User, purpose string, c store.Code) string {
	code := s.newCode()
	if u.Codes == nil {
		u.Codes = map[string]store.Code{}
	}
	c.Hash = s.codeHash(*u, purpose, code)
	if c.ExpiresAt.IsZero() {
		c.ExpiresAt = s.clock().Add(codeValidity)
	}
	u.Codes[purpose] = c
	return code
}

// Errors of codes.
var (
	errCodeExpired  = apierr.New(apierr.ExpiredCode, "Invalid code provided, please request a code again.")
	errCodeMismatch = apierr.New(apierr.CodeMismatch, "Invalid verification code provided, please try again.")
)

// consumeCode checks a code of purpose against u (in place): a match
// removes it. Tries are counted by the caller's budget (codeAttempts), not
// on the code, so that guessing cannot burn the code a user holds.
func (s *Service) consumeCode(u *store.User, purpose, code string) (store.Code, error) {
	c, ok := u.Codes[purpose]
	if !ok {
		return c, errCodeExpired
	}
	if s.clock().After(c.ExpiresAt) {
		return c, errCodeExpired
	}
	if subtle.ConstantTimeCompare(c.Hash, s.codeHash(*u, purpose, code)) != 1 {
		return c, errCodeMismatch
	}
	delete(u.Codes, purpose)
	return c, nil
}

// sendCode delivers a verification code to the user's attribute and
// reports where; o says what asked for it.
func (s *Service) sendCode(ctx context.Context, p store.Pool, u store.User, attr, purpose, code string, o origin) (CodeDelivery, error) {
	tpl := p.Settings.Messages
	if attr == "email" {
		return s.deliver(ctx, p, u, attr, purpose, code, o, template{orDefault(tpl.EmailVerificationSubject, "Your verification code"),
			orDefault(tpl.EmailVerificationMessage, "Your verification code is {####}. ")})
	}
	return s.deliver(ctx, p, u, attr, purpose, code, o, template{"", orDefault(tpl.SMSVerificationMessage, "Your verification code is {####}. ")})
}

// deliver sends a code, in a message made from a template (or the one the
// custom message trigger wrote), to the user's email address (attr "email")
// or phone number, and reports where. A pool with a custom sender for the
// channel has its function deliver the code instead.
func (s *Service) deliver(ctx context.Context, p store.Pool, u store.User, attr, purpose, code string, o origin, t template) (CodeDelivery, error) {
	dest := u.Attributes[attr]
	channel := "SMS"
	if attr == "email" {
		channel = "EMAIL"
	}
	delivery := CodeDelivery{Destination: messaging.Mask(attr, dest), DeliveryMedium: channel, AttributeName: attr}
	if arn := senderARN(p, channel); arn != "" {
		if err := s.customSend(ctx, p, u, o, channel, arn, code); err != nil {
			return CodeDelivery{}, err
		}
		return delivery, nil
	}
	tpls, err := s.customMessage(ctx, p, u, o, map[string]template{channel: t})
	if err != nil {
		return CodeDelivery{}, err
	}
	t = tpls[channel]
	m := store.Message{PoolID: p.ID, Username: u.Username, Destination: dest, Purpose: purpose, Code: code, CreatedAt: s.clock(),
		Channel: channel, Body: fillTemplate(t.body, u.Username, code)}
	if channel == "EMAIL" {
		m.Subject = t.subject
	}
	if err := s.sender.Send(ctx, m); err != nil {
		return CodeDelivery{}, apierr.Wrap(apierr.CodeDeliveryFailure, "Unable to deliver the verification code.", err)
	}
	return delivery, nil
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func fillTemplate(tpl, username, code string) string {
	return strings.NewReplacer("{####}", code, "{username}", username).Replace(tpl)
}

// messageAuthentication is the purpose of sign-in codes in the outbox
// (Cognito's CustomMessage_Authentication).
const messageAuthentication = "Authentication"

// sendMFACode sends a sign-in code with the pool's MFA templates: the SMS
// authentication message, or the email MFA message and subject.
func (s *Service) sendMFACode(ctx context.Context, p store.Pool, u store.User, attr, code string, o origin) (CodeDelivery, error) {
	const body = "Your authentication code is {####}. "
	if attr == "email" {
		m := p.Settings.MFA
		return s.deliver(ctx, p, u, attr, messageAuthentication, code, o, template{orDefault(m.EmailSubject, "Your authentication code"),
			orDefault(m.EmailMessage, body)})
	}
	return s.deliver(ctx, p, u, attr, messageAuthentication, code, o, template{"", orDefault(p.Settings.Messages.SMSAuthenticationMessage, body)})
}
