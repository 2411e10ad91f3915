package idp

import (
	"context"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/userpool"
	"github.com/cognate-auth/cognate/internal/wire/idpapi"
)

// SetUserPoolMfaConfig replaces a pool's MFA configuration.
func (h *Handlers) SetUserPoolMfaConfig(ctx context.Context, in *idpapi.SetUserPoolMfaConfigRequest) (*idpapi.SetUserPoolMfaConfigResponse, error) {
	mi := userpool.PoolMFAInput{PoolID: in.UserPoolId, Mode: in.MfaConfiguration, WebAuthnConfiguration: webAuthnConfiguration(in.WebAuthnConfiguration)}
	if c := in.SmsMfaConfiguration; c != nil {
		mi.SMS = &userpool.SMSMFAConfig{Message: c.SmsAuthenticationMessage, SmsConfiguration: smsConfiguration(c.SmsConfiguration)}
	}
	if c := in.SoftwareTokenMfaConfiguration; c != nil {
		mi.TOTP = derefBool(c.Enabled)
	}
	if c := in.EmailMfaConfiguration; c != nil {
		mi.Email = &userpool.EmailMFAConfig{Message: c.Message, Subject: c.Subject}
	}
	p, err := h.Pools.SetPoolMFA(ctx, mi)
	if err != nil {
		return nil, err
	}
	c := wireMFAConfig(p)
	return &idpapi.SetUserPoolMfaConfigResponse{MfaConfiguration: c.MfaConfiguration, SmsMfaConfiguration: c.SmsMfaConfiguration,
		SoftwareTokenMfaConfiguration: c.SoftwareTokenMfaConfiguration, EmailMfaConfiguration: c.EmailMfaConfiguration,
		WebAuthnConfiguration: c.WebAuthnConfiguration}, nil
}

// GetUserPoolMfaConfig describes a pool's MFA configuration.
func (h *Handlers) GetUserPoolMfaConfig(ctx context.Context, in *idpapi.GetUserPoolMfaConfigRequest) (*idpapi.GetUserPoolMfaConfigResponse, error) {
	p, err := h.Pools.Pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	return wireMFAConfig(p), nil
}

// wireMFAConfig renders a pool's MFA configuration: a factor's member is
// present when the pool offers it.
func wireMFAConfig(p store.Pool) *idpapi.GetUserPoolMfaConfigResponse {
	st := p.Settings
	out := &idpapi.GetUserPoolMfaConfigResponse{MfaConfiguration: st.MFAConfiguration,
		WebAuthnConfiguration: wireWebAuthnConfiguration(st.WebAuthnConfiguration)}
	if st.MFA.SMS {
		out.SmsMfaConfiguration = &idpapi.SmsMfaConfigType{SmsAuthenticationMessage: st.Messages.SMSAuthenticationMessage,
			SmsConfiguration: wireSMSConfiguration(st.SMSConfiguration)}
	}
	if st.MFA.TOTP {
		out.SoftwareTokenMfaConfiguration = &idpapi.SoftwareTokenMfaConfigType{Enabled: boolp(true)}
	}
	if st.MFA.Email {
		out.EmailMfaConfiguration = &idpapi.EmailMfaConfigType{Message: st.MFA.EmailMessage, Subject: st.MFA.EmailSubject}
	}
	return out
}

// AssociateSoftwareToken gives a new TOTP seed.
func (h *Handlers) AssociateSoftwareToken(ctx context.Context, in *idpapi.AssociateSoftwareTokenRequest) (*idpapi.AssociateSoftwareTokenResponse, error) {
	if err := oneOf(in.AccessToken, in.Session); err != nil {
		return nil, err
	}
	if in.Session != "" {
		secret, session, err := h.SignIn.AssociateSoftwareToken(ctx, in.Session)
		if err != nil {
			return nil, err
		}
		return &idpapi.AssociateSoftwareTokenResponse{SecretCode: secret, Session: session}, nil
	}
	secret, err := h.Pools.AssociateSoftwareToken(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	return &idpapi.AssociateSoftwareTokenResponse{SecretCode: secret}, nil
}

// VerifySoftwareToken registers a TOTP authenticator with one of its codes.
func (h *Handlers) VerifySoftwareToken(ctx context.Context, in *idpapi.VerifySoftwareTokenRequest) (*idpapi.VerifySoftwareTokenResponse, error) {
	if err := oneOf(in.AccessToken, in.Session); err != nil {
		return nil, err
	}
	if in.Session != "" {
		session, err := h.SignIn.VerifySoftwareToken(ctx, in.Session, in.UserCode, in.FriendlyDeviceName)
		if err != nil {
			return nil, err
		}
		return &idpapi.VerifySoftwareTokenResponse{Status: userpool.TOTPVerified, Session: session}, nil
	}
	status, err := h.Pools.VerifySoftwareToken(ctx, userpool.VerifySoftwareTokenInput{AccessToken: in.AccessToken,
		UserCode: in.UserCode, FriendlyDeviceName: in.FriendlyDeviceName})
	if err != nil {
		return nil, err
	}
	return &idpapi.VerifySoftwareTokenResponse{Status: status}, nil
}

func mfaPreference(sms *idpapi.SMSMfaSettingsType, totp *idpapi.SoftwareTokenMfaSettingsType, email *idpapi.EmailMfaSettingsType) userpool.MFAPreference {
	var p userpool.MFAPreference
	if sms != nil {
		p.SMS = &userpool.MFASetting{Enabled: derefBool(sms.Enabled), Preferred: derefBool(sms.PreferredMfa)}
	}
	if totp != nil {
		p.TOTP = &userpool.MFASetting{Enabled: derefBool(totp.Enabled), Preferred: derefBool(totp.PreferredMfa)}
	}
	if email != nil {
		p.Email = &userpool.MFASetting{Enabled: derefBool(email.Enabled), Preferred: derefBool(email.PreferredMfa)}
	}
	return p
}

// SetUserMFAPreference sets the caller's MFA preferences.
func (h *Handlers) SetUserMFAPreference(ctx context.Context, in *idpapi.SetUserMFAPreferenceRequest) (*idpapi.SetUserMFAPreferenceResponse, error) {
	pref := mfaPreference(in.SMSMfaSettings, in.SoftwareTokenMfaSettings, in.EmailMfaSettings)
	if err := h.Pools.SetUserMFAPreference(ctx, in.AccessToken, pref); err != nil {
		return nil, err
	}
	return &idpapi.SetUserMFAPreferenceResponse{}, nil
}

// AdminSetUserMFAPreference sets a user's MFA preferences.
func (h *Handlers) AdminSetUserMFAPreference(ctx context.Context, in *idpapi.AdminSetUserMFAPreferenceRequest) (*idpapi.AdminSetUserMFAPreferenceResponse, error) {
	pref := mfaPreference(in.SMSMfaSettings, in.SoftwareTokenMfaSettings, in.EmailMfaSettings)
	if err := h.Pools.AdminSetUserMFAPreference(ctx, in.UserPoolId, in.Username, pref); err != nil {
		return nil, err
	}
	return &idpapi.AdminSetUserMFAPreferenceResponse{}, nil
}

// userMFA renders what GetUser and AdminGetUser report of a user's MFA:
// UserMFASettingList, PreferredMfaSetting and the legacy MFAOptions.
func userMFA(u store.User) (list []string, preferred string, options []idpapi.MFAOptionType) {
	st := userpool.UserMFAStatus(u)
	if st.SMSOption {
		options = []idpapi.MFAOptionType{{DeliveryMedium: "SMS", AttributeName: "phone_number"}}
	}
	return st.Enabled, st.Preferred, options
}

func smsOptions(in []idpapi.MFAOptionType) []userpool.SMSOption {
	out := make([]userpool.SMSOption, len(in))
	for i, o := range in {
		out[i] = userpool.SMSOption{DeliveryMedium: o.DeliveryMedium, AttributeName: o.AttributeName}
	}
	return out
}

// SetUserSettings turns the caller's SMS MFA on or off (legacy).
func (h *Handlers) SetUserSettings(ctx context.Context, in *idpapi.SetUserSettingsRequest) (*idpapi.SetUserSettingsResponse, error) {
	if err := h.Pools.SetUserSettings(ctx, in.AccessToken, smsOptions(in.MFAOptions)); err != nil {
		return nil, err
	}
	return &idpapi.SetUserSettingsResponse{}, nil
}

// AdminSetUserSettings turns a user's SMS MFA on or off (legacy).
func (h *Handlers) AdminSetUserSettings(ctx context.Context, in *idpapi.AdminSetUserSettingsRequest) (*idpapi.AdminSetUserSettingsResponse, error) {
	if err := h.Pools.AdminSetUserSettings(ctx, in.UserPoolId, in.Username, smsOptions(in.MFAOptions)); err != nil {
		return nil, err
	}
	return &idpapi.AdminSetUserSettingsResponse{}, nil
}

// oneOf checks that exactly one of an access token and a session came.
func oneOf(accessToken, session string) error {
	switch {
	case accessToken != "" && session != "":
		return apierr.New(apierr.InvalidParameter, "Only one of AccessToken or Session can be provided.")
	case accessToken == "" && session == "":
		return apierr.New(apierr.InvalidParameter, "Either AccessToken or Session must be provided.")
	}
	return nil
}
