package userpool

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/clientauth"
	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/triggers/events"
)

// migrateUser runs the pool's user migration trigger, if any, for a name
// that is no user, and creates the user the function describes: at
// sign-in (src UserMigration_Authentication) with the password typed, as
// an SRP verifier; in the forgot-password flow without a password, and
// RESET_REQUIRED. found is false when the pool has no such trigger.
//
// Two requests migrating the same name race on the store's uniqueness:
// the loser continues with the user the winner stored.
func (s *Service) migrateUser(ctx context.Context, p store.Pool, clientID string, src events.UserMigrationSource, name, password string,
	clientMetadata map[string]string) (store.User, bool, error) {
	arn := p.Settings.LambdaConfig.UserMigration
	if arn == "" {
		return store.User{}, false, nil
	}
	run, err := s.runner("UserMigration")
	if err != nil {
		return store.User{}, false, err
	}
	// Cognito's guide: the sign-in request's ClientMetadata is how a
	// caller passes validationData to this trigger.
	resp, err := run.UserMigration(ctx, arn, src, caller(p, clientID, name), password, clientMetadata, clientMetadata)
	if err != nil {
		return store.User{}, false, err
	}
	u, err := s.migratedUser(p, src, name, password, resp)
	if err != nil {
		return store.User{}, false, err
	}
	force := resp.ForceAliasCreation != nil && *resp.ForceAliasCreation
	won, created, err := s.createMigrated(ctx, p, u, name, force)
	if err != nil || !created {
		return won, err == nil, err
	}
	if resp.MessageAction == nil || *resp.MessageAction != "SUPPRESS" {
		if err := s.sendInvitation(ctx, p, u, migrationWelcome(clientID, resp.DesiredDeliveryMediums, clientMetadata)); err != nil {
			return store.User{}, false, err
		}
	}
	return u, true, nil
}

// createMigrated stores a migrated user. created is false when a concurrent
// request stored a user of that name first: won is that user. With force,
// an email address or phone number another user holds as an alias moves to
// the migrated user, as ForceAliasCreation moves it.
func (s *Service) createMigrated(ctx context.Context, p store.Pool, u store.User, name string, force bool) (won store.User, created bool, err error) {
	err = s.createForcing(ctx, p, u, force)
	var kc *store.KeyConflictError
	if errors.As(err, &kc) {
		if w, ferr := s.findUser(ctx, p, name); ferr == nil {
			return w, false, nil
		}
	}
	if err != nil {
		return store.User{}, false, conflictError(p, err)
	}
	return u, true, nil
}

// migrationWelcome is the welcome message a migrated user is sent unless
// the function suppresses it. Cognito calls it the welcome message and
// documents no more; Cognate sends the pool's invitation (its templates
// and the invitation's custom message and sender sources), the message
// Cognito's API calls the welcome message elsewhere. A migrated user has no
// temporary password, and the password typed is never put in a message:
// {####} becomes nothing.
func migrationWelcome(clientID string, mediums []string, clientMetadata map[string]string) invitation {
	return invitation{origin: origin{events.CustomMessageAdminCreateUser, clientID, clientMetadata}, purpose: "UserMigration",
		mediums: mediums, subject: "Welcome", body: "Welcome. Your username is {username}."}
}

// errMigrationResponse is what Cognito answers a user migration function
// that describes no user Cognito could create.
var errMigrationResponse = apierr.New(apierr.InvalidLambdaResponse, "Unrecognizable lambda output")

// migratedUser is the user a migration function's answer describes.
func (s *Service) migratedUser(p store.Pool, src events.UserMigrationSource, name, password string, resp events.UserMigrationResponse) (store.User, error) {
	if len(resp.UserAttributes) == 0 {
		return store.User{}, errMigrationResponse
	}
	status := store.StatusConfirmed
	if resp.FinalUserStatus != nil {
		switch *resp.FinalUserStatus {
		case store.StatusConfirmed, "":
		case store.StatusResetRequired:
			status = store.StatusResetRequired
		default:
			return store.User{}, errMigrationResponse
		}
	}
	if src == events.UserMigrationForgotPassword {
		status = store.StatusResetRequired // no password is known
	}
	if resp.MessageAction != nil && *resp.MessageAction != "" && *resp.MessageAction != "SUPPRESS" && *resp.MessageAction != "RESEND" {
		return store.User{}, errMigrationResponse
	}
	for _, m := range resp.DesiredDeliveryMediums {
		if m != "EMAIL" && m != "SMS" {
			return store.User{}, errMigrationResponse
		}
	}
	now := s.clock()
	u := store.User{PoolID: p.ID, Sub: s.newUUID(), Status: status, Enabled: true, CreatedAt: now, UpdatedAt: now,
		Attributes: map[string]string{}}
	attrs := make([]Attribute, 0, len(resp.UserAttributes))
	for n, v := range resp.UserAttributes {
		attrs = append(attrs, Attribute{Name: n, Value: v})
	}
	slices.SortFunc(attrs, func(a, b Attribute) int { return strings.Compare(a.Name, b.Name) })
	if err := applyAttributes(p, nil, byAdmin, &u, attrs, true); err != nil {
		return store.User{}, err
	}
	if err := prepareUsername(p, &u, name); err != nil {
		return store.User{}, err
	}
	if err := checkRequired(p, u); err != nil {
		return store.User{}, err
	}
	if src == events.UserMigrationAuthentication {
		v, err := newVerifier(p.ID, u.Username, password)
		if err != nil {
			return store.User{}, err
		}
		u.Password = v
	}
	// enableSMSMFA: the user's SMS MFA is on, as SetUserMFAPreference
	// would turn it on, when the user has a phone number to send codes to.
	if resp.EnableSMSMFA != nil && *resp.EnableSMSMFA && u.Attributes["phone_number"] != "" {
		u.MFA = &store.UserMFA{Enabled: []string{store.MFASMS}, Preferred: store.MFASMS}
	}
	u.Keys = userKeys(p, u)
	return u, nil
}

// MigrateUser runs the user migration trigger at a sign-in with the
// password itself (signin.Directory).
func (d directory) MigrateUser(ctx context.Context, p store.Pool, c store.Client, name, password string,
	clientMetadata map[string]string) (store.User, bool, error) {
	return d.s.migrateUser(ctx, p, c.ID, events.UserMigrationAuthentication, name, password, clientMetadata)
}

// migrateRecipient runs the user migration trigger for a ForgotPassword
// that names no user (r, err: who recipientOf found instead, a decoy or
// UserNotFoundException). The user it creates is RESET_REQUIRED and is
// sent the code; a name the function refuses stays what it was, when the
// client hides existence.
func (s *Service) migrateRecipient(ctx context.Context, c store.Client, p store.Pool, in ForgotPasswordInput, r recipient, err error) (recipient, error) {
	// The function hears of no name a client did not vouch for.
	if herr := clientauth.CheckSecretHash(c, in.SecretHash, in.Username); herr != nil {
		return recipient{}, herr
	}
	u, found, merr := s.migrateUser(ctx, p, c.ID, events.UserMigrationForgotPassword, in.Username, "", in.ClientMetadata)
	switch {
	case found:
		return recipient{user: u, subject: userSubject(u)}, nil
	case merr == nil:
		return r, err
	case clientauth.HidesExistence(c) && (apierr.HasCode(merr, apierr.UserLambdaValidation) || apierr.HasCode(merr, apierr.InvalidLambdaResponse)):
		return r, err
	}
	return recipient{}, merr
}
