package userpool

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/store"
)

// Moving an alias (ForceAliasCreation, a migration's forceAliasCreation):
// an email address or phone number that signs another user in, as a
// verified alias, is taken from that user so that a new user can have it.
// The other user keeps the attribute, no longer verified, and so no longer
// signs in with it, as Cognito documents.

// movableAlias reports whether a key of this kind is an alias that can
// move: a verified email address or phone number of a pool that signs in
// with it as an alias. A username, or an attribute the pool signs in with
// in place of a username, never moves.
func movableAlias(p store.Pool, kind string) bool {
	return (kind == "email" || kind == "phone_number") && slices.Contains(p.Settings.AliasAttributes, kind)
}

// takeAlias takes the alias key from the user holding it: its attribute is
// no longer verified. A holder that no longer holds it (it changed, or was
// deleted, concurrently) is left alone.
func (s *Service) takeAlias(ctx context.Context, p store.Pool, key store.UserKey) error {
	holder, err := s.store.GetUserByKey(ctx, p.ID, key)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return apierr.Internal(err)
	}
	_, err = s.updateUser(ctx, p, holder, func(u *store.User) error {
		if strings.ToLower(u.Attributes[key.Kind]) == key.Value {
			u.Attributes[key.Kind+"_verified"] = "false"
		}
		return nil
	})
	if apierr.HasCode(err, apierr.UserNotFound) {
		return nil
	}
	return err
}

// aliasMoves bounds how often a new user takes an alias from another user
// before giving up: each move can lose to a concurrent one.
const aliasMoves = 3

// createForcing stores a new user. With force, an alias key another user
// holds moves to it (ForceAliasCreation). Any other conflict is the
// store's *store.KeyConflictError, for the caller to map.
func (s *Service) createForcing(ctx context.Context, p store.Pool, u store.User, force bool) error {
	var err error
	for range aliasMoves {
		err = s.store.CreateUser(ctx, u)
		var kc *store.KeyConflictError
		if !force || !errors.As(err, &kc) || !movableAlias(p, kc.Key.Kind) {
			return err
		}
		if err := s.takeAlias(ctx, p, kc.Key); err != nil {
			return err
		}
	}
	return err
}

// takeAliasesOf takes from other users each alias u's attributes would be
// once verified: what ForceAliasCreation does before u is confirmed.
func (s *Service) takeAliasesOf(ctx context.Context, p store.Pool, u store.User) error {
	for _, kind := range p.Settings.AliasAttributes {
		v := u.Attributes[kind]
		if v == "" || !movableAlias(p, kind) {
			continue
		}
		key := store.UserKey{Kind: kind, Value: strings.ToLower(v)}
		holder, err := s.store.GetUserByKey(ctx, p.ID, key)
		if errors.Is(err, store.ErrNotFound) || (err == nil && holder.Sub == u.Sub) {
			continue
		}
		if err != nil {
			return apierr.Internal(err)
		}
		if err := s.takeAlias(ctx, p, key); err != nil {
			return err
		}
	}
	return nil
}
