package userpool

import (
	"context"
	"slices"
	"time"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/clientauth"
	"github.com/cognate-auth/cognate/internal/mfa"
	"github.com/cognate-auth/cognate/internal/store"
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
	// recoveryWindow is how long a recovery code lives, and the window in
	// which recoveryRequests requests are allowed (Cognito: one hour, and
	// "between 5 and 20" attempts).
	recoveryWindow   = time.Hour
	recoveryRequests = 10
)

var (
	errNoRecoveryChannel = apierr.New(apierr.InvalidParameter,
		"Cannot reset password for the user as there is no registered/verified email or phone_number")
	errCannotReset   = apierr.New(apierr.NotAuthorized, "User password cannot be reset in the current state.")
	errUserDisabled  = apierr.New(apierr.NotAuthorized, "User is disabled.")
	errAttemptsLimit = apierr.New(apierr.LimitExceeded, "Attempt limit exceeded, please try after some time.")
	errWrongCode     = apierr.New(apierr.CodeMismatch, "Invalid verification code provided, please try again.")
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
}

// ForgotPassword sends a password-reset code to the user's verified email
// or phone number. The current password keeps working until the code is
// used. With PreventUserExistenceErrors, a user that does not exist or is
// disabled gets a delivery that looks real.
func (s *Service) ForgotPassword(ctx context.Context, in ForgotPasswordInput) (CodeDelivery, error) {
	c, p, err := s.appClient(ctx, in.ClientID)
	if err != nil {
		return CodeDelivery{}, err
	}
	if err := clientauth.RequireSecretHash(c, in.SecretHash); err != nil {
		return CodeDelivery{}, err
	}
	hide := c.Settings.PreventUserExistenceErrors == "ENABLED"
	u, err := s.findUser(ctx, p, in.Username)
	if apierr.HasCode(err, apierr.UserNotFound) && hide {
		return simulatedDelivery(p, in.Username), nil
	}
	if err != nil {
		return CodeDelivery{}, err
	}
	if err := clientauth.CheckSecretHash(c, in.SecretHash, in.Username, u.Username); err != nil {
		return CodeDelivery{}, err
	}
	if !u.Enabled {
		if hide {
			return simulatedDelivery(p, in.Username), nil
		}
		return CodeDelivery{}, errUserDisabled
	}
	if u.Status == store.StatusForceChangePassword {
		return CodeDelivery{}, errCannotReset
	}
	return s.sendRecoveryCode(ctx, p, u, purposeForgotPassword)
}

// sendRecoveryCode issues a recovery code for u, counting the request
// against the hourly limit, and sends it.
func (s *Service) sendRecoveryCode(ctx context.Context, p store.Pool, u store.User, messagePurpose string) (CodeDelivery, error) {
	attr := recoveryAttribute(p, u)
	if attr == "" {
		return CodeDelivery{}, errNoRecoveryChannel
	}
	var code string
	u, err := s.updateUser(ctx, p, u, func(u *store.User) error {
		var err error
		code, err = s.issueRecoveryCode(u, attr)
		return err
	})
	if err != nil {
		return CodeDelivery{}, err
	}
	return s.sendCode(ctx, p, u, attr, messagePurpose, code)
}

// issueRecoveryCode replaces u's recovery code (in place). Requests made
// while an earlier code is alive count towards recoveryRequests; the window
// closes when the newest code expires.
func (s *Service) issueRecoveryCode(u *store.User, attr string) (string, error) {
	requests := 1
	if prev, ok := u.Codes[purposeForgotPassword]; ok && s.clock().Before(prev.ExpiresAt) {
		requests = prev.Requests + 1
		if requests > recoveryRequests {
			return "", errAttemptsLimit
		}
	}
	return s.issueCode(u, purposeForgotPassword,
		store.Code{Destination: attr, ExpiresAt: s.clock().Add(recoveryWindow), Requests: requests}), nil
}

// ConfirmForgotPasswordInput is a ConfirmForgotPassword request.
type ConfirmForgotPasswordInput struct {
	ClientID   string
	SecretHash string
	Username   string
	Code       string
	Password   string
}

// ConfirmForgotPassword sets a new password with a code from ForgotPassword
// or AdminResetUserPassword. The user ends CONFIRMED, its lock-out lifted.
// Too many wrong codes burn the code.
func (s *Service) ConfirmForgotPassword(ctx context.Context, in ConfirmForgotPasswordInput) error {
	c, p, err := s.appClient(ctx, in.ClientID)
	if err != nil {
		return err
	}
	if err := clientauth.RequireSecretHash(c, in.SecretHash); err != nil {
		return err
	}
	hide := c.Settings.PreventUserExistenceErrors == "ENABLED"
	u, err := s.findUser(ctx, p, in.Username)
	if apierr.HasCode(err, apierr.UserNotFound) && hide {
		return errWrongCode
	}
	if err != nil {
		return err
	}
	if err := clientauth.CheckSecretHash(c, in.SecretHash, in.Username, u.Username); err != nil {
		return err
	}
	if !u.Enabled {
		if hide {
			return errWrongCode
		}
		return errUserDisabled
	}
	// The password is checked before the code, so that a password the
	// policy refuses does not use up an attempt.
	if err := checkPassword(p.Settings.PasswordPolicy, in.Password); err != nil {
		return err
	}
	verifier, err := newVerifier(p.ID, u.Username, in.Password)
	if err != nil {
		return err
	}
	var codeErr error
	_, err = s.updateUser(ctx, p, u, func(u *store.User) error {
		codeErr = nil
		if _, err := s.consumeCode(u, purposeForgotPassword, in.Code); err != nil {
			if apierr.HasCode(err, apierr.TooManyFailedAttempts) {
				err = errAttemptsLimit
			}
			codeErr = err // keep the attempt count: store the user, report the error
			return nil
		}
		u.Password = verifier
		u.PasswordExpiresAt = time.Time{}
		u.FailedSignIns, u.LockedUntil = 0, time.Time{}
		if u.Status == store.StatusResetRequired {
			u.Status = store.StatusConfirmed
		}
		return nil
	})
	if err != nil {
		return err
	}
	return codeErr
}

// AdminResetUserPassword makes the user's password unusable (sign-in then
// answers PasswordResetRequiredException) and, when the user has a verified
// email or phone number the pool recovers by, sends a code that
// ConfirmForgotPassword takes.
func (s *Service) AdminResetUserPassword(ctx context.Context, poolID, username string) error {
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
		if attr == "" {
			return nil
		}
		var err error
		code, err = s.issueRecoveryCode(u, attr)
		return err
	})
	if err != nil || attr == "" {
		return err
	}
	_, err = s.sendCode(ctx, p, u, attr, "AdminResetUserPassword", code)
	return err
}
