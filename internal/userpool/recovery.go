package userpool

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/clientauth"
	"github.com/cognate-auth/cognate/internal/mfa"
	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/triggers/events"
)

// Password recovery: ForgotPassword sends a code to a verified email or
// phone number, ConfirmForgotPassword exchanges it for a new password, and
// AdminResetUserPassword makes a user's password unusable until they do.

// Recovery mechanisms of AccountRecoverySetting.
const (
	RecoverByEmail = "verified_email"
	RecoverByPhone = "verified_phone_number"
	RecoverByAdmin = "admin_only"
)

const (
	purposeForgotPassword = "ForgotPassword"
	// recoveryWindow is how long a recovery code lives (Cognito: one
	// hour).
	recoveryWindow = time.Hour
)

var (
	errNoRecoveryChannel = apierr.New(apierr.InvalidParameter,
		"Cannot reset password for the user as there is no registered/verified email or phone_number")
	errCannotReset  = apierr.New(apierr.NotAuthorized, "User password cannot be reset in the current state.")
	errUserDisabled = apierr.New(apierr.NotAuthorized, "User is disabled.")
	errWrongCode    = apierr.New(apierr.CodeMismatch, "Invalid verification code provided, please try again.")
)

// validateRecovery checks an AccountRecoverySetting: known names, distinct
// priorities of 1 or 2, and admin_only alone.
func validateRecovery(opts []store.RecoveryOption) error {
	seen := map[int]bool{}
	for _, o := range opts {
		switch o.Name {
		case RecoverByEmail, RecoverByPhone:
		case RecoverByAdmin:
			if len(opts) > 1 {
				return apierr.New(apierr.InvalidParameter, "admin_only cannot be combined with other recovery mechanisms.")
			}
		default:
			return apierr.Newf(apierr.InvalidParameter, "Invalid recovery mechanism %q.", o.Name)
		}
		if seen[o.Priority] {
			return apierr.New(apierr.InvalidParameter, "Recovery mechanisms must have distinct priorities.")
		}
		seen[o.Priority] = true
	}
	return nil
}

// recoveryAttribute picks where a user's recovery code goes: the first
// mechanism of the pool, by priority, that the user has a verified value for.
// A pool without AccountRecoverySetting uses Cognito's legacy order, phone
// first. With the setting, as in Cognito, a phone number the user receives
// SMS MFA at does not recover the account, nor an email address it receives
// email MFA at: one message channel must not be both factors. It returns ""
// when the user cannot recover by themselves.
func recoveryAttribute(p store.Pool, u store.User) string {
	order := []string{"phone_number", "email"}
	if opts := p.Settings.AccountRecovery; len(opts) > 0 {
		opts = slices.Clone(opts)
		slices.SortStableFunc(opts, func(a, b store.RecoveryOption) int { return a.Priority - b.Priority })
		order = order[:0]
		for _, o := range opts {
			switch {
			case o.Name == RecoverByEmail && !mfa.Has(u, store.MFAEmail):
				order = append(order, "email")
			case o.Name == RecoverByPhone && !mfa.Has(u, store.MFASMS):
				order = append(order, "phone_number")
			}
		}
	}
	for _, attr := range order {
		if u.Attributes[attr] != "" && u.Attributes[attr+"_verified"] == "true" {
			return attr
		}
	}
	return ""
}

// ForgotPasswordInput is a ForgotPassword request.
type ForgotPasswordInput struct {
	ClientID   string
	SecretHash string
	Username   string
	// ClientMetadata goes to the user migration and custom message
	// triggers.
	ClientMetadata map[string]string
}

// adminOnlyRecovery reports whether only an administrator can recover the
// pool's accounts.
func adminOnlyRecovery(p store.Pool) bool {
	opts := p.Settings.AccountRecovery
	return len(opts) == 1 && opts[0].Name == RecoverByAdmin
}

// ForgotPassword sends a password-reset code to the user's verified email
// or phone number, within the user's budget of requests; a request over
// budget leaves the last code good. The current password keeps working
// until the code is used. When the client hides existence, a name that is
// no user, and a user who cannot reset (disabled, with a temporary
// password, without a verified destination), are told of a code sent, and
// nothing is sent.
func (s *Service) ForgotPassword(ctx context.Context, in ForgotPasswordInput) (CodeDelivery, error) {
	c, p, err := s.appClient(ctx, in.ClientID)
	if err != nil {
		return CodeDelivery{}, err
	}
	if err := clientauth.RequireSecretHash(c, in.SecretHash); err != nil {
		return CodeDelivery{}, err
	}
	r, err := s.recipientOf(ctx, c, p, in.Username)
	if (err == nil && r.decoy != nil || apierr.HasCode(err, apierr.UserNotFound)) && !adminOnlyRecovery(p) {
		r, err = s.migrateRecipient(ctx, c, p, in, r, err)
	}
	if err != nil {
		return CodeDelivery{}, err
	}
	if err := clientauth.CheckSecretHash(c, in.SecretHash, in.Username, r.username()); err != nil {
		return CodeDelivery{}, err
	}
	if adminOnlyRecovery(p) {
		return CodeDelivery{}, errNoRecoveryChannel
	}
	start := time.Now()
	if err := s.spend(ctx, r, "code-request/"+purposeForgotPassword, codeRequests); err != nil {
		return CodeDelivery{}, err
	}
	pretend := func(attr string) CodeDelivery {
		return s.pretendDelivery(ctx, p, r, in.Username, cmp.Or(attr, likelyRecoveryAttribute(p)), timingRecoveryCode, start)
	}
	if r.decoy != nil {
		return pretend(""), nil
	}
	u, hide := r.user, clientauth.HidesExistence(c)
	attr := recoveryAttribute(p, u)
	switch {
	case !u.Enabled && hide, u.Status == store.StatusForceChangePassword && hide, attr == "" && hide:
		return pretend(attr), nil
	case !u.Enabled:
		return CodeDelivery{}, errUserDisabled
	case u.Status == store.StatusForceChangePassword:
		return CodeDelivery{}, errCannotReset
	case attr == "":
		return CodeDelivery{}, errNoRecoveryChannel
	}
	d, err := s.sendRecoveryCode(ctx, p, u, attr, purposeForgotPassword, origin{events.CustomMessageForgotPassword, c.ID, in.ClientMetadata})
	if err == nil {
		s.timing.Observe(timingRecoveryCode, start)
	}
	return d, err
}

// sendRecoveryCode issues a recovery code for u and sends it to attr.
func (s *Service) sendRecoveryCode(ctx context.Context, p store.Pool, u store.User, attr, messagePurpose string, o origin) (CodeDelivery, error) {
	var code string
	u, err := s.updateUser(ctx, p, u, func(u *store.User) error {
		code = s.issueCode(u, purposeForgotPassword, store.Code{Destination: attr, ExpiresAt: s.clock().Add(recoveryWindow)})
		return nil
	})
	if err != nil {
		return CodeDelivery{}, err
	}
	return s.sendCode(ctx, p, u, attr, messagePurpose, code, o)
}

// ConfirmForgotPasswordInput is a ConfirmForgotPassword request.
type ConfirmForgotPasswordInput struct {
	ClientID   string
	SecretHash string
	Username   string
	Code       string
	Password   string
	// ClientMetadata goes to the post confirmation trigger.
	ClientMetadata map[string]string
}

// ConfirmForgotPassword sets a new password with a code from ForgotPassword
// or AdminResetUserPassword, within the user's budget of tries. The user
// ends CONFIRMED, its lock-out lifted. When the client hides existence, a
// name that is no user, and a disabled user, get the answer of a wrong
// code: a mismatch while a code was asked for within the hour, else an
// expired code, as a user without a code gets.
func (s *Service) ConfirmForgotPassword(ctx context.Context, in ConfirmForgotPasswordInput) error {
	c, p, err := s.appClient(ctx, in.ClientID)
	if err != nil {
		return err
	}
	if err := clientauth.RequireSecretHash(c, in.SecretHash); err != nil {
		return err
	}
	r, err := s.recipientOf(ctx, c, p, in.Username)
	if err != nil {
		return err
	}
	if err := clientauth.CheckSecretHash(c, in.SecretHash, in.Username, r.username()); err != nil {
		return err
	}
	// The password is checked before the code, so that a password the
	// policy refuses does not use up a try.
	if err := checkPassword(p.Settings.PasswordPolicy, in.Password); err != nil {
		return err
	}
	name := in.Username
	if r.decoy == nil {
		name = r.user.Username
	}
	verifier, err := newVerifier(p.ID, name, in.Password) // a decoy's too: the same work
	if err != nil {
		return err
	}
	if err := s.spend(ctx, r, "code-attempt/"+purposeForgotPassword, codeAttempts); err != nil {
		return err
	}
	if r.decoy != nil || (!r.user.Enabled && clientauth.HidesExistence(c)) {
		n, err := s.guard.Spent(ctx, r.subject, "code-request/"+purposeForgotPassword)
		if err != nil {
			return err
		}
		if n == 0 {
			return errCodeExpired
		}
		return errWrongCode
	}
	if !r.user.Enabled {
		return errUserDisabled
	}
	// A wrong code aborts the update: nothing is written.
	u, err := s.updateUser(ctx, p, r.user, func(u *store.User) error {
		if _, err := s.consumeCode(u, purposeForgotPassword, in.Code); err != nil {
			return err
		}
		u.Password = verifier
		u.PasswordExpiresAt = time.Time{}
		if u.Status == store.StatusResetRequired {
			u.Status = store.StatusConfirmed
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := s.guard.ClearFailures(ctx, userSubject(u)); err != nil {
		return err
	}
	return s.postConfirmation(ctx, p, events.PostConfirmationConfirmForgotPassword, c.ID, u, in.ClientMetadata)
}

// AdminResetUserPassword makes the user's password unusable (sign-in then
// answers PasswordResetRequiredException) and, when the user has a verified
// email or phone number the pool recovers by, sends a code that
// ConfirmForgotPassword takes.
func (s *Service) AdminResetUserPassword(ctx context.Context, poolID, username string, clientMetadata map[string]string) error {
	p, u, err := s.userByName(ctx, poolID, username)
	if err != nil {
		return err
	}
	if !u.Enabled {
		return errUserDisabled
	}
	if u.Status != store.StatusConfirmed && u.Status != store.StatusResetRequired {
		return errCannotReset
	}
	attr := recoveryAttribute(p, u)
	var code string
	u, err = s.updateUser(ctx, p, u, func(u *store.User) error {
		u.Status = store.StatusResetRequired
		if attr != "" {
			code = s.issueCode(u, purposeForgotPassword, store.Code{Destination: attr, ExpiresAt: s.clock().Add(recoveryWindow)})
		}
		return nil
	})
	if err != nil || attr == "" {
		return err
	}
	_, err = s.sendCode(ctx, p, u, attr, "AdminResetUserPassword", code, origin{events.CustomMessageForgotPassword, adminClientID, clientMetadata})
	return err
}
