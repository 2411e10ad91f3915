package userpool

import (
	"context"
	"slices"
	"time"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/clientauth"
	"github.com/cognate-auth/cognate/internal/guard"
	"github.com/cognate-auth/cognate/internal/messaging"
	"github.com/cognate-auth/cognate/internal/requestctx"
	"github.com/cognate-auth/cognate/internal/store"
)

// The code operations anyone may call with a name: ResendConfirmationCode,
// ConfirmSignUp, ForgotPassword, ConfirmForgotPassword. Each spends a
// budget of the user's (guard.Spend): codes requested, and codes tried,
// within an hour, in all and from one client address, so that nobody can
// flood a user's mailbox or guess a code, and one attacker alone cannot
// spend the budget a user needs. A request refused by its budget changes
// nothing, so the last code sent stays good.
//
// When the client prevents user existence errors, a name that is no user
// is served by its decoy (guard.Decoy), which spends the same budgets, does
// the same work (the same lookups and counters, the same password checks),
// waits as long as storing and delivering a code takes (guard.Timing), and
// answers as a user in the most common state would: a code "sent" to a
// stable masked destination, a code that is wrong. A user who could not
// get a code (disabled, confirmed already, without a verified destination)
// is answered the same way instead of with an error that would tell it
// exists.

// Budgets of the code operations, per user and hour.
var (
	codeRequests = guard.Limit{Total: 10, PerSource: 5, Window: time.Hour}
	codeAttempts = guard.Limit{Total: 20, PerSource: 5, Window: time.Hour}
)

// Kinds of Timing: the real runs of storing a code and sending it, and of
// checking a sign-up code.
const (
	timingSignUpCode   = "signup-code"
	timingRecoveryCode = "recovery-code"
	timingSignUpCheck  = "signup-check"
)

// recipient is whom a code operation is for: a user, or the decoy of a
// name that is none.
type recipient struct {
	user    store.User
	decoy   *guard.Decoy
	subject guard.Subject
}

// username is the username the recipient's SECRET_HASH may be computed
// with besides the name given.
func (r recipient) username() string {
	if r.decoy != nil {
		return ""
	}
	return r.user.Username
}

// recipientOf finds whom a name names: the user, or, for a client that
// hides existence, the name's decoy; UserNotFoundException otherwise.
func (s *Service) recipientOf(ctx context.Context, c store.Client, p store.Pool, name string) (recipient, error) {
	u, err := s.findUser(ctx, p, name)
	switch {
	case err == nil:
		return recipient{user: u, subject: userSubject(u)}, nil
	case apierr.HasCode(err, apierr.UserNotFound) && clientauth.HidesExistence(c):
		d := s.guard.Decoy(p.ID, canonicalName(p, name))
		return recipient{decoy: &d, subject: d.Subject(p.ID)}, nil
	}
	return recipient{}, err
}

// spend spends one of a budget of the recipient's.
func (s *Service) spend(ctx context.Context, r recipient, kind string, lim guard.Limit) error {
	return s.guard.Spend(ctx, r.subject, kind, requestctx.ClientIP(ctx), lim)
}

// pretendDelivery is the answer of a code operation that sends nothing:
// where the code would have gone, after as long as sending takes. The
// destination is the user's own, masked, when it has one; else a stable
// one of the name's.
func (s *Service) pretendDelivery(ctx context.Context, p store.Pool, r recipient, name, attr, timing string, start time.Time) CodeDelivery {
	s.timing.Wait(ctx, timing, start)
	medium := "EMAIL"
	if attr == "phone_number" {
		medium = "SMS"
	}
	dest := ""
	if r.decoy == nil {
		dest = r.user.Attributes[attr]
	}
	if dest == "" {
		d := r.decoy
		if d == nil {
			dd := s.guard.Decoy(p.ID, canonicalName(p, name))
			d = &dd
		}
		dest = d.Address(attr)
	}
	return CodeDelivery{Destination: messaging.Mask(attr, dest), DeliveryMedium: medium, AttributeName: attr}
}

// signUpAttribute is where a pool sends sign-up codes by default: email
// when it verifies email addresses, else the phone number.
func signUpAttribute(p store.Pool) string {
	if !slices.Contains(p.Settings.AutoVerifiedAttributes, "email") && slices.Contains(p.Settings.AutoVerifiedAttributes, "phone_number") {
		return "phone_number"
	}
	return "email"
}

// likelyRecoveryAttribute is where a recovery code most likely goes in a
// pool: its first recovery mechanism by priority, or, in Cognito's legacy
// order, the attribute the pool verifies.
func likelyRecoveryAttribute(p store.Pool) string {
	if opts := p.Settings.AccountRecovery; len(opts) > 0 {
		best := opts[0]
		for _, o := range opts[1:] {
			if o.Priority < best.Priority {
				best = o
			}
		}
		if best.Name == RecoverByPhone {
			return "phone_number"
		}
		return "email"
	}
	return signUpAttribute(p)
}
