package userpool

import (
	"context"
	"slices"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/mfa"
	"github.com/cognate-auth/cognate/internal/store"
)

// Multi-factor authentication of a pool: its mode (MfaConfiguration) and
// the factors it offers. CreateUserPool and UpdateUserPool set the mode and,
// through SmsConfiguration, SMS; SetUserPoolMfaConfig sets all of it.

// MfaConfiguration values.
const (
	MFAOff      = mfa.Off
	MFAOn       = mfa.On
	MFAOptional = mfa.Optional
)

// Challenge names of MFA.
const (
	ChallengeSMSMFA    = store.MFASMS
	ChallengeTOTPMFA   = store.MFATOTP
	ChallengeEmailOTP  = store.MFAEmail
	ChallengeSelectMFA = "SELECT_MFA_TYPE"
	ChallengeMFASetup  = "MFA_SETUP"
)

var (
	errMFANeedsSMS = apierr.New(apierr.InvalidParameter,
		"SMS configuration and Auto verification for phone_number are required when MFA is required/optional")
	errMFAOffConfigured = apierr.New(apierr.InvalidParameter,
		"Invalid MFA configuration given, can't turn off MFA and configure an MFA together.")
	errMFANoFactor = apierr.New(apierr.InvalidParameter,
		"Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.")
)

// applyPoolMFA sets the factors of settings that CreateUserPool or
// UpdateUserPool turn MFA on or off in; prev holds the factors the pool
// offered before (none for a new pool). OFF offers none. ON and OPTIONAL
// keep the factors offered before; a pool that offered none gets SMS, which
// needs an SmsConfiguration and phone numbers verified automatically, as in
// Cognito, where only SetUserPoolMfaConfig turns the other factors on.
func applyPoolMFA(prev store.PoolMFA, st *store.PoolSettings) error {
	if st.MFAConfiguration == MFAOff {
		st.MFA = store.PoolMFA{}
		return nil
	}
	st.MFA = prev
	if len(mfa.PoolFactors(prev)) > 0 {
		return nil
	}
	if st.SMSConfiguration == nil || !slices.Contains(st.AutoVerifiedAttributes, "phone_number") {
		return errMFANeedsSMS
	}
	st.MFA.SMS = true
	return nil
}

// PoolMFAInput is a SetUserPoolMfaConfig request. A factor left nil is
// turned off: the request describes the whole configuration.
type PoolMFAInput struct {
	PoolID string
	Mode   string // "" keeps the pool's mode
	SMS    *SMSMFAConfig
	TOTP   bool
	Email  *EmailMFAConfig
	// WebAuthnConfiguration is kept as received and returned: Cognate has
	// no passkeys yet. Nil keeps the pool's.
	WebAuthnConfiguration *store.WebAuthnConfiguration
}

// SMSMFAConfig is SmsMfaConfigType. SmsConfiguration is kept as received
// (Cognate delivers through its outbox, not Amazon SNS); nil keeps the
// pool's.
type SMSMFAConfig struct {
	Message          string
	SmsConfiguration *store.SMSConfiguration
}

// EmailMFAConfig is EmailMfaConfigType.
type EmailMFAConfig struct {
	Message string
	Subject string
}

// SetPoolMFA replaces a pool's MFA configuration. MFA cannot be OFF with a
// factor, nor ON or OPTIONAL without one.
func (s *Service) SetPoolMFA(ctx context.Context, in PoolMFAInput) (store.Pool, error) {
	return s.changePool(ctx, in.PoolID, func(p *store.Pool) error {
		mode := in.Mode
		if mode == "" {
			mode = p.Settings.MFAConfiguration
		}
		m := store.PoolMFA{SMS: in.SMS != nil, TOTP: in.TOTP, Email: in.Email != nil}
		switch configured := len(mfa.PoolFactors(m)) > 0; {
		case mode == MFAOff && configured:
			return errMFAOffConfigured
		case mode != MFAOff && !configured:
			return errMFANoFactor
		}
		st := &p.Settings
		if in.SMS != nil {
			st.Messages.SMSAuthenticationMessage = in.SMS.Message
			if in.SMS.SmsConfiguration != nil {
				st.SMSConfiguration = in.SMS.SmsConfiguration
			}
		}
		if in.Email != nil {
			m.EmailMessage, m.EmailSubject = in.Email.Message, in.Email.Subject
		}
		if in.WebAuthnConfiguration != nil {
			st.WebAuthnConfiguration = in.WebAuthnConfiguration
		}
		st.MFAConfiguration, st.MFA = mode, m
		return nil
	})
}
