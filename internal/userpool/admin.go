package userpool

import (
	"context"
	"slices"
	"time"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/triggers/events"
)

// AdminCreateUserInput is an AdminCreateUser request.
type AdminCreateUserInput struct {
	PoolID             string
	Username           string
	Attributes         []Attribute
	TemporaryPassword  string
	ForceAliasCreation bool
	MessageAction      string   // "", "RESEND" or "SUPPRESS"
	DeliveryMediums    []string // "EMAIL", "SMS"; Cognito's default is SMS
	// ValidationData and ClientMetadata go to the pre sign-up trigger.
	ValidationData map[string]string
	ClientMetadata map[string]string
}

// AdminCreateUser creates a user with a temporary password that must be
// changed at first sign-in (NEW_PASSWORD_REQUIRED), and sends the
// invitation. With MessageAction RESEND it issues a new temporary password
// to an existing user instead.
func (s *Service) AdminCreateUser(ctx context.Context, in AdminCreateUserInput) (store.User, error) {
	p, err := s.Pool(ctx, in.PoolID)
	if err != nil {
		return store.User{}, err
	}
	password := in.TemporaryPassword
	if password == "" {
		password = s.temporaryPassword(p.Settings.PasswordPolicy)
	} else if err := checkPassword(p.Settings.PasswordPolicy, password); err != nil {
		return store.User{}, err
	}
	expires := s.clock().Add(time.Duration(p.Settings.PasswordPolicy.TemporaryPasswordValidityDays) * 24 * time.Hour)
	var u store.User
	if in.MessageAction == "RESEND" {
		u, err = s.findUser(ctx, p, in.Username)
		if err != nil {
			return store.User{}, err
		}
		if u.Status != store.StatusForceChangePassword {
			return store.User{}, apierr.New(apierr.UnsupportedOperation, "Resend not possible. "+u.Username+" status is not FORCE_CHANGE_PASSWORD.")
		}
		verifier, err := newVerifier(p.ID, u.Username, password)
		if err != nil {
			return store.User{}, err
		}
		if u, err = s.updateUser(ctx, p, u, func(u *store.User) error {
			u.Password, u.PasswordExpiresAt = verifier, expires
			return nil
		}); err != nil {
			return store.User{}, err
		}
	} else {
		now := s.clock()
		u = store.User{PoolID: p.ID, Sub: s.newUUID(), Status: store.StatusForceChangePassword, Enabled: true,
			CreatedAt: now, UpdatedAt: now, Attributes: map[string]string{}, PasswordExpiresAt: expires}
		if err := applyAttributes(p, nil, byAdmin, &u, in.Attributes, true); err != nil {
			return store.User{}, err
		}
		if err := prepareUsername(p, &u, in.Username); err != nil {
			return store.User{}, err
		}
		if err := checkRequired(p, u); err != nil {
			return store.User{}, err
		}
		if u.Password, err = newVerifier(p.ID, u.Username, password); err != nil {
			return store.User{}, err
		}
		// Before anything is written; an administrator's user stays
		// FORCE_CHANGE_PASSWORD whatever the trigger answers.
		if err := s.preSignUp(ctx, p, events.PreSignUpAdminCreateUser, adminClientID, &u, in.ValidationData, in.ClientMetadata); err != nil {
			return store.User{}, err
		}
		u.Keys = userKeys(p, u)
		if err := s.createForcing(ctx, p, u, in.ForceAliasCreation); err != nil {
			return store.User{}, conflictError(p, err)
		}
	}
	if in.MessageAction != "SUPPRESS" {
		if err := s.sendInvitation(ctx, p, u, adminInvitation(password, in.DeliveryMediums, in.ClientMetadata)); err != nil {
			return store.User{}, err
		}
	}
	return u, nil
}

// invitation is a welcome message to send: AdminCreateUser's, with the
// temporary password, or a migrated user's (welcome), with none. The pool's
// invitation templates are its text either way; body and subject are the
// defaults when the pool has none.
type invitation struct {
	origin
	purpose       string   // the outbox's
	code          string   // what {####} becomes
	mediums       []string // "EMAIL", "SMS"; Cognito's default is SMS
	subject, body string
}

// adminInvitation is AdminCreateUser's invitation: the temporary password,
// from no app client.
func adminInvitation(password string, mediums []string, clientMetadata map[string]string) invitation {
	return invitation{origin: origin{events.CustomMessageAdminCreateUser, adminClientID, clientMetadata}, purpose: "AdminCreateUser",
		code: password, mediums: mediums, subject: "Your temporary password", body: "Your username is {username} and temporary password is {####}."}
}

// sendInvitation sends an invitation through each requested medium the
// user has an attribute for; a medium with a custom sender has its function
// deliver it instead.
func (s *Service) sendInvitation(ctx context.Context, p store.Pool, u store.User, inv invitation) error {
	mediums := inv.mediums
	if len(mediums) == 0 {
		mediums = []string{"SMS"}
	}
	tpl := p.Settings.AdminCreateUser
	defaults := map[string]template{}
	for _, medium := range mediums {
		switch {
		case medium == "EMAIL" && u.Attributes["email"] != "":
			defaults[medium] = template{orDefault(tpl.InviteEmailSubject, inv.subject), orDefault(tpl.InviteEmailMessage, inv.body)}
		case medium == "SMS" && u.Attributes["phone_number"] != "":
			defaults[medium] = template{"", orDefault(tpl.InviteSMSMessage, inv.body)}
		}
	}
	for _, medium := range mediums {
		arn := senderARN(p, medium)
		if _, ok := defaults[medium]; !ok || arn == "" {
			continue
		}
		delete(defaults, medium)
		if err := s.customSend(ctx, p, u, inv.origin, medium, arn, inv.code); err != nil {
			return err
		}
	}
	if len(defaults) == 0 {
		return nil
	}
	tpls, err := s.customMessage(ctx, p, u, inv.origin, defaults)
	if err != nil {
		return err
	}
	for _, medium := range mediums {
		t, ok := tpls[medium]
		if !ok {
			continue
		}
		delete(tpls, medium) // a medium asked for twice is sent once
		m := store.Message{PoolID: p.ID, Username: u.Username, Channel: medium, Purpose: inv.purpose, Code: inv.code, CreatedAt: s.clock(),
			Destination: u.Attributes["phone_number"], Body: fillTemplate(t.body, u.Username, inv.code)}
		if medium == "EMAIL" {
			m.Destination, m.Subject = u.Attributes["email"], t.subject
		}
		if err := s.sender.Send(ctx, m); err != nil {
			return apierr.Wrap(apierr.CodeDeliveryFailure, "Unable to deliver the invitation.", err)
		}
	}
	return nil
}

// AdminGetUser returns a user and all its attributes.
func (s *Service) AdminGetUser(ctx context.Context, poolID, username string) (store.User, []Attribute, error) {
	_, u, err := s.userByName(ctx, poolID, username)
	if err != nil {
		return store.User{}, nil, err
	}
	return u, attributeList(u, nil), nil
}

// AdminDeleteUser deletes a user and its sessions.
func (s *Service) AdminDeleteUser(ctx context.Context, poolID, username string) error {
	_, u, err := s.userByName(ctx, poolID, username)
	if err != nil {
		return err
	}
	return storeUserErr(s.store.DeleteUser(ctx, poolID, store.UserKey{Kind: store.KeySub, Value: u.Sub}))
}

// AdminSetUserPassword sets a user's password, permanent or temporary.
func (s *Service) AdminSetUserPassword(ctx context.Context, poolID, username, password string, permanent bool) error {
	p, u, err := s.userByName(ctx, poolID, username)
	if err != nil {
		return err
	}
	if err := checkPassword(p.Settings.PasswordPolicy, password); err != nil {
		return err
	}
	verifier, err := newVerifier(p.ID, u.Username, password)
	if err != nil {
		return err
	}
	_, err = s.updateUser(ctx, p, u, func(u *store.User) error {
		u.Password = verifier
		if permanent {
			u.PasswordExpiresAt = time.Time{}
			if u.Status == store.StatusForceChangePassword || u.Status == store.StatusResetRequired {
				u.Status = store.StatusConfirmed
			}
		} else {
			u.Status = store.StatusForceChangePassword
			u.PasswordExpiresAt = s.clock().Add(time.Duration(p.Settings.PasswordPolicy.TemporaryPasswordValidityDays) * 24 * time.Hour)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.guard.ClearFailures(ctx, userSubject(u)) // a new password lifts the lock-out
}

// AdminSetEnabled enables or disables a user. Disabling also revokes the
// user's sign-ins.
func (s *Service) AdminSetEnabled(ctx context.Context, poolID, username string, enabled bool) error {
	p, u, err := s.userByName(ctx, poolID, username)
	if err != nil {
		return err
	}
	if _, err := s.updateUser(ctx, p, u, func(u *store.User) error {
		u.Enabled = enabled
		return nil
	}); err != nil {
		return err
	}
	if !enabled {
		if _, err := s.store.RevokeUserSessions(ctx, p.ID, u.Sub, s.clock()); err != nil {
			return apierr.Internal(err)
		}
	}
	return nil
}

// AdminUserGlobalSignOut revokes every sign-in of a user.
func (s *Service) AdminUserGlobalSignOut(ctx context.Context, poolID, username string) error {
	p, u, err := s.userByName(ctx, poolID, username)
	if err != nil {
		return err
	}
	if _, err := s.store.RevokeUserSessions(ctx, p.ID, u.Sub, s.clock()); err != nil {
		return apierr.Internal(err)
	}
	return nil
}

// AdminUpdateUserAttributes sets attributes of a user.
func (s *Service) AdminUpdateUserAttributes(ctx context.Context, poolID, username string, attrs []Attribute, clientMetadata map[string]string) error {
	p, u, err := s.userByName(ctx, poolID, username)
	if err != nil {
		return err
	}
	_, err = s.updateAttributes(ctx, p, nil, byAdmin, u, attrs, clientMetadata)
	return err
}

// AdminDeleteUserAttributes removes attributes of a user; required and
// immutable attributes stay.
func (s *Service) AdminDeleteUserAttributes(ctx context.Context, poolID, username string, names []string) error {
	p, u, err := s.userByName(ctx, poolID, username)
	if err != nil {
		return err
	}
	_, err = s.updateAttributes(ctx, p, nil, byAdmin, u, deletions(names), nil)
	return err
}

// ListUsersInput is a ListUsers request.
type ListUsersInput struct {
	PoolID     string
	Filter     store.UserFilter
	Attributes []string // attributes to return; empty for all
	After      string
	Limit      int
}

// UserWithAttributes is a user as ListUsers reports it.
type UserWithAttributes struct {
	User       store.User
	Attributes []Attribute
}

// ListUsers lists a pool's users a page at a time.
func (s *Service) ListUsers(ctx context.Context, in ListUsersInput) ([]UserWithAttributes, string, error) {
	p, err := s.Pool(ctx, in.PoolID)
	if err != nil {
		return nil, "", err
	}
	users, err := s.store.ListUsers(ctx, in.PoolID, in.Filter, in.After, in.Limit+1)
	if err != nil {
		return nil, "", apierr.Internal(err)
	}
	next := ""
	if len(users) > in.Limit {
		users = users[:in.Limit]
		next = normalise(p, users[len(users)-1].Username)
	}
	var filter func(string) bool
	if len(in.Attributes) > 0 {
		filter = func(n string) bool { return slices.Contains(in.Attributes, n) }
	}
	out := make([]UserWithAttributes, len(users))
	for i, u := range users {
		attrs := attributeList(u, filter)
		if filter != nil && !filter("sub") {
			attrs = attrs[1:]
		}
		out[i] = UserWithAttributes{User: u, Attributes: attrs}
	}
	return out, next, nil
}
