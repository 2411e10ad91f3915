package userpool

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/store"
)

// GroupInput is what CreateGroup and UpdateGroup carry; nil members were
// not sent.
type GroupInput struct {
	PoolID      string
	Name        string
	Description *string
	RoleARN     *string
	Precedence  *int64
}

var (
	errGroupNotFound = apierr.New(apierr.ResourceNotFound, "Group not found.")
	errGroupExists   = apierr.New(apierr.GroupExists, "A group with the name already exists.")
)

// groupErr maps a store failure on a group: a missing group is
// ResourceNotFound, the rest as storeErr.
func groupErr(err error, poolID string) error {
	if isNotFound(err) {
		return errGroupNotFound
	}
	return storeErr(err, poolID)
}

// CreateGroup creates a group in a pool.
func (s *Service) CreateGroup(ctx context.Context, in GroupInput) (store.Group, error) {
	if _, err := s.Pool(ctx, in.PoolID); err != nil {
		return store.Group{}, err
	}
	now := s.clock()
	g := store.Group{PoolID: in.PoolID, Name: in.Name, Precedence: in.Precedence, CreatedAt: now, UpdatedAt: now}
	if in.Description != nil {
		g.Description = *in.Description
	}
	if in.RoleARN != nil {
		g.RoleARN = *in.RoleARN
	}
	err := s.store.CreateGroup(ctx, g)
	if errors.Is(err, store.ErrAlreadyExists) {
		return store.Group{}, errGroupExists
	}
	if err != nil {
		return store.Group{}, storeErr(err, in.PoolID) // the pool went meanwhile
	}
	return g, nil
}

// Group returns a group of a pool.
func (s *Service) Group(ctx context.Context, poolID, name string) (store.Group, error) {
	if _, err := s.Pool(ctx, poolID); err != nil {
		return store.Group{}, err
	}
	g, err := s.store.GetGroup(ctx, poolID, name)
	if err != nil {
		return store.Group{}, groupErr(err, poolID)
	}
	return g, nil
}

// UpdateGroup changes the members of a group that are sent and keeps the
// others, as Cognito's "updates any of the properties" does.
func (s *Service) UpdateGroup(ctx context.Context, in GroupInput) (store.Group, error) {
	if _, err := s.Pool(ctx, in.PoolID); err != nil {
		return store.Group{}, err
	}
	g, err := s.store.UpdateGroup(ctx, in.PoolID, in.Name, func(g store.Group) (store.Group, error) {
		if in.Description != nil {
			g.Description = *in.Description
		}
		if in.RoleARN != nil {
			g.RoleARN = *in.RoleARN
		}
		if in.Precedence != nil {
			g.Precedence = in.Precedence
		}
		g.UpdatedAt = s.clock()
		return g, nil
	})
	if err != nil {
		return store.Group{}, groupErr(err, in.PoolID)
	}
	return g, nil
}

// DeleteGroup deletes a group; its members leave it.
func (s *Service) DeleteGroup(ctx context.Context, poolID, name string) error {
	if _, err := s.Pool(ctx, poolID); err != nil {
		return err
	}
	return groupErr(s.store.DeleteGroup(ctx, poolID, name), poolID)
}

// ListGroups lists a pool's groups by name, a page at a time. next is ""
// on the last page.
func (s *Service) ListGroups(ctx context.Context, poolID, after string, limit int) (groups []store.Group, next string, err error) {
	if _, err := s.Pool(ctx, poolID); err != nil {
		return nil, "", err
	}
	gs, err := s.store.ListGroups(ctx, poolID, after, limit+1)
	if err != nil {
		return nil, "", apierr.Internal(err)
	}
	if len(gs) > limit {
		return gs[:limit], gs[limit-1].Name, nil
	}
	return gs, "", nil
}

// member resolves the group and the user an administrator names, in that
// order.
func (s *Service) member(ctx context.Context, poolID, username, group string) (store.Pool, store.User, error) {
	p, err := s.Pool(ctx, poolID)
	if err != nil {
		return p, store.User{}, err
	}
	if _, err := s.store.GetGroup(ctx, poolID, group); err != nil {
		return p, store.User{}, groupErr(err, poolID)
	}
	u, err := s.findUser(ctx, p, username)
	return p, u, err
}

// membershipErr maps a store failure on a membership. The group and the
// user were there a moment before; the one that went decides the error.
func (s *Service) membershipErr(ctx context.Context, err error, poolID, group string) error {
	if !isNotFound(err) {
		return storeErr(err, poolID)
	}
	if _, err := s.store.GetGroup(ctx, poolID, group); err != nil {
		return groupErr(err, poolID)
	}
	return errUserNotFound
}

// AdminAddUserToGroup adds a user to a group; adding a member again
// succeeds.
func (s *Service) AdminAddUserToGroup(ctx context.Context, poolID, username, group string) error {
	p, u, err := s.member(ctx, poolID, username, group)
	if err != nil {
		return err
	}
	if err := s.store.AddUserToGroup(ctx, p.ID, group, subKey(u)); err != nil {
		return s.membershipErr(ctx, err, p.ID, group)
	}
	return nil
}

// AdminRemoveUserFromGroup removes a user from a group; removing a user
// who is not a member succeeds.
func (s *Service) AdminRemoveUserFromGroup(ctx context.Context, poolID, username, group string) error {
	p, u, err := s.member(ctx, poolID, username, group)
	if err != nil {
		return err
	}
	if err := s.store.RemoveUserFromGroup(ctx, p.ID, group, subKey(u)); err != nil {
		return s.membershipErr(ctx, err, p.ID, group)
	}
	return nil
}

// AdminListGroupsForUser lists a user's groups in the order of the tokens'
// cognito:groups claim, a page at a time.
func (s *Service) AdminListGroupsForUser(ctx context.Context, poolID, username, after string, limit int) (groups []store.Group, next string, err error) {
	_, u, err := s.userByName(ctx, poolID, username)
	if err != nil {
		return nil, "", err
	}
	gs, err := s.groupsOf(ctx, u)
	if err != nil {
		return nil, "", err
	}
	if after != "" {
		i, found := slices.BinarySearchFunc(gs, after, func(g store.Group, key string) int { return strings.Compare(groupKey(g), key) })
		if found {
			i++
		}
		gs = gs[i:]
	}
	if len(gs) > limit {
		return gs[:limit], groupKey(gs[limit-1]), nil
	}
	return gs, "", nil
}

// ListUsersInGroup lists the members of a group by username, a page at a
// time, with all their attributes.
func (s *Service) ListUsersInGroup(ctx context.Context, poolID, group, after string, limit int) ([]UserWithAttributes, string, error) {
	p, err := s.Pool(ctx, poolID)
	if err != nil {
		return nil, "", err
	}
	if _, err := s.store.GetGroup(ctx, poolID, group); err != nil {
		return nil, "", groupErr(err, poolID)
	}
	users, err := s.store.ListGroupMembers(ctx, poolID, group, after, limit+1)
	if err != nil {
		return nil, "", apierr.Internal(err)
	}
	next := ""
	if len(users) > limit {
		users = users[:limit]
		next = normalise(p, users[len(users)-1].Username)
	}
	out := make([]UserWithAttributes, len(users))
	for i, u := range users {
		out[i] = UserWithAttributes{User: u, Attributes: attributeList(u, nil)}
	}
	return out, next, nil
}

func subKey(u store.User) store.UserKey { return store.UserKey{Kind: store.KeySub, Value: u.Sub} }

// groupsOf returns a user's groups in claim order (sortGroups).
func (s *Service) groupsOf(ctx context.Context, u store.User) ([]store.Group, error) {
	gs, err := s.store.GroupsOfUser(ctx, u.PoolID, subKey(u))
	if err != nil {
		return nil, apierr.Internal(err)
	}
	sortGroups(gs)
	return gs, nil
}

// groupKey orders groups as Cognito ranks them: by precedence, lowest
// first, groups without one last, then by name. The key is also the
// pagination token of AdminListGroupsForUser, so it has no white space.
func groupKey(g store.Group) string {
	rank := strings.Repeat("~", 19) // after every number
	if g.Precedence != nil {
		rank = fmt.Sprintf("%019d", *g.Precedence)
	}
	return rank + ":" + g.Name
}

func sortGroups(gs []store.Group) {
	slices.SortFunc(gs, func(a, b store.Group) int { return strings.Compare(groupKey(a), groupKey(b)) })
}

// groupClaims are the claims a user's groups put in tokens.
type groupClaims struct {
	Groups        []string // cognito:groups, ID and access tokens
	Roles         []string // cognito:roles, ID token
	PreferredRole string   // cognito:preferred_role, ID token
}

// claimsOf computes the group claims from groups in claim order. Roles are
// the groups' role ARNs, each once, in that order. The preferred role is
// the role of the best-ranked groups that have one; when groups of that
// rank (the same precedence, or none) disagree on it, there is none, as
// Cognito documents for Precedence.
func claimsOf(groups []store.Group) groupClaims {
	var c groupClaims
	var best *store.Group
	ambiguous := false
	for i, g := range groups {
		c.Groups = append(c.Groups, g.Name)
		if g.RoleARN == "" {
			continue
		}
		if !slices.Contains(c.Roles, g.RoleARN) {
			c.Roles = append(c.Roles, g.RoleARN)
		}
		switch {
		case best == nil:
			best = &groups[i]
		case sameRank(*best, g) && g.RoleARN != best.RoleARN:
			ambiguous = true
		}
	}
	if best != nil && !ambiguous {
		c.PreferredRole = best.RoleARN
	}
	return c
}

func sameRank(a, b store.Group) bool {
	if a.Precedence == nil || b.Precedence == nil {
		return a.Precedence == nil && b.Precedence == nil
	}
	return *a.Precedence == *b.Precedence
}
