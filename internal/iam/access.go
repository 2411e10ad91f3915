package iam

import (
	"context"

	"github.com/cognate-auth/cognate/authz/policy"
	"github.com/cognate-auth/cognate/internal/federation"
	"github.com/cognate-auth/cognate/internal/store"
)

// RolePolicies returns a role's inline policies, compiled: what its
// sessions may do. A role of another account, or none, has none. It makes
// *Service an authz.PolicySource, for Cognate's check of the calls role
// sessions make to its own APIs.
func (s *Service) RolePolicies(ctx context.Context, roleARN string) ([]*policy.Policy, error) {
	account, path, name, ok := parseRoleARN(roleARN)
	if !ok || account != s.account {
		return nil, nil
	}
	r, err := s.store.GetRole(ctx, name)
	if isNotFound(err) || (err == nil && r.Path != path) {
		return nil, nil
	}
	if err != nil {
		return nil, storeErr(err)
	}
	return s.inlinePolicies(ctx, store.PolicyOwner{Kind: store.PolicyOwnerRole, Name: r.Name})
}

// AdminPolicies returns the administrator's user policies, compiled, and
// whether it has any. An administrator without policies may do
// everything; one given policies may do what they allow.
func (s *Service) AdminPolicies(ctx context.Context) ([]*policy.Policy, bool, error) {
	ps, err := s.inlinePolicies(ctx, store.PolicyOwner{Kind: store.PolicyOwnerUser, Name: s.admin})
	return ps, len(ps) > 0, err
}

func (s *Service) inlinePolicies(ctx context.Context, owner store.PolicyOwner) ([]*policy.Policy, error) {
	stored, err := s.store.ListPolicies(ctx, owner)
	if isNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, storeErr(err)
	}
	out := make([]*policy.Policy, 0, len(stored))
	for _, p := range stored {
		key := "identity\x00" + p.Document
		compiled, ok := s.parsed.Get(key)
		if !ok {
			if compiled, err = policy.Parse(p.Document, policy.Identity); err != nil {
				// Checked when stored; one that no longer parses grants nothing.
				s.log.Error("iam: a stored policy does not parse", "owner", owner.Name, "policy", p.Name, "error", err)
				continue
			}
			s.parsed.Put(key, compiled)
		}
		out = append(out, compiled)
	}
	return out, nil
}

// SAMLProvider returns a SAML provider for the verification of SAML
// logins (federation.ProviderSource).
func (s *Service) SAMLProvider(ctx context.Context, arn string) (federation.SAMLProvider, error) {
	p, err := s.GetSAMLProvider(ctx, arn)
	if err != nil {
		return federation.SAMLProvider{}, err
	}
	return federation.SAMLProvider{ARN: p.ARN, MetadataDocument: p.MetadataDocument}, nil
}
