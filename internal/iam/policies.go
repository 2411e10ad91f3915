package iam

import (
	"context"
	"strings"

	"github.com/cognate-auth/cognate/authz/policy"
	"github.com/cognate-auth/cognate/internal/store"
)

// NamePage is one page of ListRolePolicies or ListUserPolicies.
type NamePage struct {
	Names []string
	// Marker, when the list is truncated, asks for the next page.
	Marker string
}

// maxUserPolicies is IAM's quota on the aggregate size of a user's
// inline policies.
const maxUserPolicies = 2048

// PutRolePolicy creates or replaces an inline policy of a role.
func (s *Service) PutRolePolicy(ctx context.Context, roleName, policyName, doc string) error {
	r, err := s.GetRole(ctx, roleName)
	if err != nil {
		return err
	}
	owner := store.PolicyOwner{Kind: store.PolicyOwnerRole, Name: r.Name}
	return s.putPolicy(ctx, owner, policyName, doc, maxRolePolicies, func(err error) error {
		if isNotFound(err) {
			return roleNotFound(roleName)
		}
		return storeErr(err)
	})
}

// GetRolePolicy returns an inline policy of a role.
func (s *Service) GetRolePolicy(ctx context.Context, roleName, policyName string) (store.InlinePolicy, error) {
	r, err := s.GetRole(ctx, roleName)
	if err != nil {
		return store.InlinePolicy{}, err
	}
	return s.getPolicy(ctx, store.PolicyOwner{Kind: store.PolicyOwnerRole, Name: r.Name}, policyName)
}

// DeleteRolePolicy removes an inline policy of a role.
func (s *Service) DeleteRolePolicy(ctx context.Context, roleName, policyName string) error {
	r, err := s.GetRole(ctx, roleName)
	if err != nil {
		return err
	}
	return s.deletePolicy(ctx, store.PolicyOwner{Kind: store.PolicyOwnerRole, Name: r.Name}, policyName)
}

// ListRolePolicies lists the names of a role's inline policies.
func (s *Service) ListRolePolicies(ctx context.Context, roleName string, page ListInput) (NamePage, error) {
	r, err := s.GetRole(ctx, roleName)
	if err != nil {
		return NamePage{}, err
	}
	return s.listPolicies(ctx, store.PolicyOwner{Kind: store.PolicyOwnerRole, Name: r.Name}, page)
}

// PutUserPolicy creates or replaces an inline policy of the administrator.
func (s *Service) PutUserPolicy(ctx context.Context, userName, policyName, doc string) error {
	owner, err := s.userOwner(userName)
	if err != nil {
		return err
	}
	return s.putPolicy(ctx, owner, policyName, doc, maxUserPolicies, storeErr)
}

// GetUserPolicy returns an inline policy of the administrator.
func (s *Service) GetUserPolicy(ctx context.Context, userName, policyName string) (store.InlinePolicy, error) {
	owner, err := s.userOwner(userName)
	if err != nil {
		return store.InlinePolicy{}, err
	}
	return s.getPolicy(ctx, owner, policyName)
}

// DeleteUserPolicy removes an inline policy of the administrator.
func (s *Service) DeleteUserPolicy(ctx context.Context, userName, policyName string) error {
	owner, err := s.userOwner(userName)
	if err != nil {
		return err
	}
	return s.deletePolicy(ctx, owner, policyName)
}

// ListUserPolicies lists the names of the administrator's inline policies.
func (s *Service) ListUserPolicies(ctx context.Context, userName string, page ListInput) (NamePage, error) {
	owner, err := s.userOwner(userName)
	if err != nil {
		return NamePage{}, err
	}
	return s.listPolicies(ctx, owner, page)
}

// userOwner names the administrator's policies; every other user name is
// NoSuchEntity, as there is no other user.
func (s *Service) userOwner(name string) (store.PolicyOwner, error) {
	if !strings.EqualFold(name, s.admin) {
		return store.PolicyOwner{}, userNotFound(name)
	}
	return store.PolicyOwner{Kind: store.PolicyOwnerUser, Name: s.admin}, nil
}

func policyNotFound(owner store.PolicyOwner, name string) error {
	return noSuchEntity("The %s policy with name %s cannot be found.", owner.Kind, name)
}

func (s *Service) putPolicy(ctx context.Context, owner store.PolicyOwner, name, doc string, quota int, onErr func(error) error) error {
	if err := checkName(name, "policyName", 128); err != nil {
		return err
	}
	if _, err := parsePolicy(doc, policy.Identity); err != nil {
		return err
	}
	existing, err := s.store.ListPolicies(ctx, owner)
	if err != nil {
		return storeErr(err)
	}
	size := policySize(doc)
	for _, p := range existing {
		if p.Name != name {
			size += policySize(p.Document)
		}
	}
	if size > quota {
		return limitExceeded("Maximum policy size of %d bytes exceeded for %s %s", quota, owner.Kind, owner.Name)
	}
	if err := s.store.PutPolicy(ctx, owner, store.InlinePolicy{Name: name, Document: doc}); err != nil {
		return onErr(err)
	}
	return nil
}

func (s *Service) getPolicy(ctx context.Context, owner store.PolicyOwner, name string) (store.InlinePolicy, error) {
	p, err := s.store.GetPolicy(ctx, owner, name)
	if isNotFound(err) {
		return store.InlinePolicy{}, policyNotFound(owner, name)
	}
	if err != nil {
		return store.InlinePolicy{}, storeErr(err)
	}
	return p, nil
}

func (s *Service) deletePolicy(ctx context.Context, owner store.PolicyOwner, name string) error {
	err := s.store.DeletePolicy(ctx, owner, name)
	if isNotFound(err) {
		return policyNotFound(owner, name)
	}
	if err != nil {
		return storeErr(err)
	}
	return nil
}

func (s *Service) listPolicies(ctx context.Context, owner store.PolicyOwner, page ListInput) (NamePage, error) {
	limit, err := maxItems(page.MaxItems)
	if err != nil {
		return NamePage{}, err
	}
	after, err := decodeMarker(page.Marker)
	if err != nil {
		return NamePage{}, err
	}
	all, err := s.store.ListPolicies(ctx, owner)
	if err != nil {
		return NamePage{}, storeErr(err)
	}
	out := NamePage{Names: []string{}}
	for _, p := range all {
		if after != "" && p.Name <= after {
			continue
		}
		if len(out.Names) == limit {
			out.Marker = encodeMarker(out.Names[limit-1])
			break
		}
		out.Names = append(out.Names, p.Name)
	}
	return out, nil
}
