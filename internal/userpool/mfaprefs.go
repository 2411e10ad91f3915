package userpool

import (
	"context"
	"slices"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/mfa"
	"github.com/cognate-auth/cognate/internal/store"
)

// A user's MFA preferences: which factors it activated and which one it
// prefers (SetUserMFAPreference, AdminSetUserMFAPreference), and how GetUser
// and AdminGetUser report them.

// MFASetting is one factor of a preference request. As in Cognito's model,
// where both members default to false (and SDKs leave false out), a factor
// sent says everything about it: a member not sent is false.
type MFASetting struct {
	Enabled   bool
	Preferred bool
}

// MFAPreference is a SetUserMFAPreference request: a factor not sent (nil)
// is left as it is.
type MFAPreference struct {
	SMS   *MFASetting
	TOTP  *MFASetting
	Email *MFASetting
}

// SetUserMFAPreference sets the caller's MFA preferences.
func (s *Service) SetUserMFAPreference(ctx context.Context, token string, pref MFAPreference) error {
	caller, err := s.Authenticate(ctx, token)
	if err != nil {
		return err
	}
	return s.setMFAPreference(ctx, caller.Pool, caller.User, pref)
}

// AdminSetUserMFAPreference sets a user's MFA preferences.
func (s *Service) AdminSetUserMFAPreference(ctx context.Context, poolID, username string, pref MFAPreference) error {
	p, u, err := s.userByName(ctx, poolID, username)
	if err != nil {
		return err
	}
	return s.setMFAPreference(ctx, p, u, pref)
}

func (s *Service) setMFAPreference(ctx context.Context, p store.Pool, u store.User, pref MFAPreference) error {
	_, err := s.updateUser(ctx, p, u, func(u *store.User) error { return applyMFAPreference(u, pref) })
	return err
}

// applyMFAPreference applies a preference request to u. A factor can be
// enabled only when the user can receive it: a phone number for SMS, an
// email address for email, a verified authenticator for TOTP. At most one
// factor is preferred; a factor sent as not preferred (or disabled) that
// was preferred leaves none preferred.
func applyMFAPreference(u *store.User, pref MFAPreference) error {
	m := store.UserMFA{}
	if u.MFA != nil {
		m = *u.MFA
	}
	m.Enabled = slices.Clone(m.Enabled)
	preferred := 0
	for _, f := range []struct {
		name    string
		setting *MFASetting
	}{{store.MFASMS, pref.SMS}, {store.MFATOTP, pref.TOTP}, {store.MFAEmail, pref.Email}} {
		st := f.setting
		if st == nil {
			continue
		}
		switch {
		case st.Enabled && !mfa.CanReceive(*u, f.name):
			return apierr.Newf(apierr.InvalidParameter, "User does not have delivery config set to turn on %s", f.name)
		case st.Enabled && !slices.Contains(m.Enabled, f.name):
			m.Enabled = append(m.Enabled, f.name)
		case !st.Enabled:
			m.Enabled = slices.DeleteFunc(m.Enabled, func(e string) bool { return e == f.name })
		}
		switch {
		case st.Preferred && !st.Enabled:
			return apierr.Newf(apierr.InvalidParameter, "%s cannot be the preferred MFA method unless it is enabled.", f.name)
		case st.Preferred:
			if preferred++; preferred > 1 {
				return apierr.New(apierr.InvalidParameter, "Only one MFA method can be preferred.")
			}
			m.Preferred = f.name
		case m.Preferred == f.name:
			m.Preferred = ""
		}
	}
	slices.SortFunc(m.Enabled, mfa.Compare)
	u.MFA = &m
	return nil
}

// MFAStatus is what GetUser and AdminGetUser report of a user's MFA.
type MFAStatus struct {
	// Enabled is UserMFASettingList: the factors the user activated.
	Enabled []string
	// Preferred is PreferredMfaSetting.
	Preferred string
	// SMSOption is set when SMS is enabled: the legacy MFAOptions member
	// then lists SMS to phone_number, as Cognito still reports it.
	SMSOption bool
}

// UserMFAStatus reports a user's MFA settings.
func UserMFAStatus(u store.User) MFAStatus {
	if u.MFA == nil {
		return MFAStatus{}
	}
	return MFAStatus{Enabled: slices.Clone(u.MFA.Enabled), Preferred: u.MFA.Preferred,
		SMSOption: slices.Contains(u.MFA.Enabled, store.MFASMS)}
}

// SMSOption is one MFAOptions entry of the legacy SetUserSettings: a
// delivery medium and the attribute codes go to.
type SMSOption struct {
	DeliveryMedium string
	AttributeName  string
}

// SetUserSettings is the legacy way to turn SMS MFA on or off for the
// caller (amazon-cognito-identity-js's enableMFA and disableMFA use it): an
// SMS option to phone_number enables it, none disables it. Other factors
// cannot be set this way, as in Cognito.
func (s *Service) SetUserSettings(ctx context.Context, token string, options []SMSOption) error {
	caller, err := s.Authenticate(ctx, token)
	if err != nil {
		return err
	}
	return s.setSMSOption(ctx, caller.Pool, caller.User, options)
}

// AdminSetUserSettings is SetUserSettings for an administrator.
func (s *Service) AdminSetUserSettings(ctx context.Context, poolID, username string, options []SMSOption) error {
	p, u, err := s.userByName(ctx, poolID, username)
	if err != nil {
		return err
	}
	return s.setSMSOption(ctx, p, u, options)
}

func (s *Service) setSMSOption(ctx context.Context, p store.Pool, u store.User, options []SMSOption) error {
	enable := false
	for _, o := range options {
		if o.DeliveryMedium != "SMS" || o.AttributeName != "phone_number" {
			return apierr.New(apierr.InvalidParameter, "Only SMS to phone_number can be set with MFAOptions; use SetUserMFAPreference for other factors.")
		}
		enable = true
	}
	_, err := s.updateUser(ctx, p, u, func(u *store.User) error {
		if enable {
			if !mfa.CanReceive(*u, store.MFASMS) {
				return apierr.Newf(apierr.InvalidParameter, "User does not have delivery config set to turn on %s", store.MFASMS)
			}
			mfa.Enable(u, store.MFASMS)
			return nil
		}
		if mfa.Has(*u, store.MFASMS) {
			m := *u.MFA
			m.Enabled = slices.DeleteFunc(slices.Clone(m.Enabled), func(f string) bool { return f == store.MFASMS })
			if m.Preferred == store.MFASMS {
				m.Preferred = ""
			}
			u.MFA = &m
		}
		return nil
	})
	return err
}
