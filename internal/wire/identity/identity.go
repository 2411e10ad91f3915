// Package identity connects the cognito-identity wire operations to the
// identity-pool domain: each method translates a generated request type
// into a call of package identitypool and its result back. It holds no
// business rules.
package identity

import (
	"context"
	"time"

	"github.com/cognate-auth/cognate/internal/identitypool"
	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/wire/awsjson"
	"github.com/cognate-auth/cognate/internal/wire/identityapi"
)

// Handlers implements identityapi.Service on an identitypool.Service.
type Handlers struct {
	identityapi.UnimplementedService
	Pools *identitypool.Service
}

var _ identityapi.Service = (*Handlers)(nil)

func boolp(v bool) *bool { return &v }

func deref(p *bool) bool { return p != nil && *p }

func stamp(t time.Time) *awsjson.Timestamp {
	ts := awsjson.TimestampOf(t)
	return &ts
}

func maxResults(p *int32) int {
	if p == nil {
		return 60
	}
	return int(*p)
}

func poolConfig(name string, unauth, classic *bool, logins map[string]string, developer string,
	oidc []string, cognito []identityapi.CognitoIdentityProvider, saml []string, tags map[string]string) identitypool.PoolConfig {
	c := identitypool.PoolConfig{Name: name, AllowUnauthenticated: deref(unauth), AllowClassicFlow: deref(classic),
		SupportedLoginProviders: logins, DeveloperProviderName: developer, OpenIDConnectProviderARNs: oidc,
		SAMLProviderARNs: saml, Tags: tags}
	for _, p := range cognito {
		c.CognitoProviders = append(c.CognitoProviders, store.CognitoIdentityProvider{ProviderName: p.ProviderName,
			ClientID: p.ClientId, ServerSideTokenCheck: deref(p.ServerSideTokenCheck)})
	}
	return c
}

func wirePool(p store.IdentityPool) *identityapi.IdentityPool {
	s := p.Settings
	out := &identityapi.IdentityPool{IdentityPoolId: p.ID, IdentityPoolName: p.Name,
		AllowUnauthenticatedIdentities: boolp(s.AllowUnauthenticated), AllowClassicFlow: boolp(s.AllowClassicFlow),
		SupportedLoginProviders: s.SupportedLoginProviders, DeveloperProviderName: s.DeveloperProviderName,
		OpenIdConnectProviderARNs: s.OpenIDConnectProviderARNs, SamlProviderARNs: s.SAMLProviderARNs,
		IdentityPoolTags: s.Tags}
	for _, c := range s.CognitoProviders {
		out.CognitoIdentityProviders = append(out.CognitoIdentityProviders, identityapi.CognitoIdentityProvider{
			ProviderName: c.ProviderName, ClientId: c.ClientID, ServerSideTokenCheck: boolp(c.ServerSideTokenCheck)})
	}
	return out
}

// CreateIdentityPool creates a pool.
func (h *Handlers) CreateIdentityPool(ctx context.Context, in *identityapi.CreateIdentityPoolInput) (*identityapi.IdentityPool, error) {
	tags := in.IdentityPoolTags
	if tags == nil {
		tags = map[string]string{}
	}
	p, err := h.Pools.CreatePool(ctx, poolConfig(in.IdentityPoolName, in.AllowUnauthenticatedIdentities, in.AllowClassicFlow,
		in.SupportedLoginProviders, in.DeveloperProviderName, in.OpenIdConnectProviderARNs, in.CognitoIdentityProviders,
		in.SamlProviderARNs, tags))
	if err != nil {
		return nil, err
	}
	return wirePool(p), nil
}

// DescribeIdentityPool returns a pool.
func (h *Handlers) DescribeIdentityPool(ctx context.Context, in *identityapi.DescribeIdentityPoolInput) (*identityapi.IdentityPool, error) {
	p, err := h.Pools.DescribePool(ctx, in.IdentityPoolId)
	if err != nil {
		return nil, err
	}
	return wirePool(p), nil
}

// UpdateIdentityPool replaces a pool's configuration.
func (h *Handlers) UpdateIdentityPool(ctx context.Context, in *identityapi.IdentityPool) (*identityapi.IdentityPool, error) {
	p, err := h.Pools.UpdatePool(ctx, in.IdentityPoolId, poolConfig(in.IdentityPoolName, in.AllowUnauthenticatedIdentities,
		in.AllowClassicFlow, in.SupportedLoginProviders, in.DeveloperProviderName, in.OpenIdConnectProviderARNs,
		in.CognitoIdentityProviders, in.SamlProviderARNs, in.IdentityPoolTags))
	if err != nil {
		return nil, err
	}
	return wirePool(p), nil
}

// DeleteIdentityPool deletes a pool.
func (h *Handlers) DeleteIdentityPool(ctx context.Context, in *identityapi.DeleteIdentityPoolInput) (*identityapi.DeleteIdentityPoolOutput, error) {
	if err := h.Pools.DeletePool(ctx, in.IdentityPoolId); err != nil {
		return nil, err
	}
	return &identityapi.DeleteIdentityPoolOutput{}, nil
}

// ListIdentityPools lists pools.
func (h *Handlers) ListIdentityPools(ctx context.Context, in *identityapi.ListIdentityPoolsInput) (*identityapi.ListIdentityPoolsResponse, error) {
	pools, next, err := h.Pools.ListPools(ctx, maxResults(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &identityapi.ListIdentityPoolsResponse{IdentityPools: []identityapi.IdentityPoolShortDescription{}, NextToken: next}
	for _, p := range pools {
		out.IdentityPools = append(out.IdentityPools, identityapi.IdentityPoolShortDescription{IdentityPoolId: p.ID, IdentityPoolName: p.Name})
	}
	return out, nil
}

// SetIdentityPoolRoles sets a pool's roles and role mappings.
func (h *Handlers) SetIdentityPoolRoles(ctx context.Context, in *identityapi.SetIdentityPoolRolesInput) (*identityapi.SetIdentityPoolRolesOutput, error) {
	var mappings map[string]store.RoleMapping
	if len(in.RoleMappings) > 0 {
		mappings = make(map[string]store.RoleMapping, len(in.RoleMappings))
	}
	for provider, m := range in.RoleMappings {
		sm := store.RoleMapping{Type: m.Type, AmbiguousRoleResolution: m.AmbiguousRoleResolution}
		if m.RulesConfiguration != nil {
			for _, r := range m.RulesConfiguration.Rules {
				sm.Rules = append(sm.Rules, store.MappingRule{Claim: r.Claim, MatchType: r.MatchType, Value: r.Value, RoleARN: r.RoleARN})
			}
		}
		mappings[provider] = sm
	}
	if err := h.Pools.SetRoles(ctx, in.IdentityPoolId, in.Roles, mappings); err != nil {
		return nil, err
	}
	return &identityapi.SetIdentityPoolRolesOutput{}, nil
}

// GetIdentityPoolRoles returns a pool's roles and role mappings.
func (h *Handlers) GetIdentityPoolRoles(ctx context.Context, in *identityapi.GetIdentityPoolRolesInput) (*identityapi.GetIdentityPoolRolesResponse, error) {
	p, err := h.Pools.DescribePool(ctx, in.IdentityPoolId)
	if err != nil {
		return nil, err
	}
	out := &identityapi.GetIdentityPoolRolesResponse{IdentityPoolId: p.ID, Roles: p.Settings.Roles}
	if out.Roles == nil {
		out.Roles = map[string]string{}
	}
	for provider, m := range p.Settings.RoleMappings {
		if out.RoleMappings == nil {
			out.RoleMappings = map[string]identityapi.RoleMapping{}
		}
		wm := identityapi.RoleMapping{Type: m.Type, AmbiguousRoleResolution: m.AmbiguousRoleResolution}
		if len(m.Rules) > 0 {
			wm.RulesConfiguration = &identityapi.RulesConfigurationType{}
			for _, r := range m.Rules {
				wm.RulesConfiguration.Rules = append(wm.RulesConfiguration.Rules,
					identityapi.MappingRule{Claim: r.Claim, MatchType: r.MatchType, Value: r.Value, RoleARN: r.RoleARN})
			}
		}
		out.RoleMappings[provider] = wm
	}
	return out, nil
}

// SetPrincipalTagAttributeMap sets a provider's principal tag map.
func (h *Handlers) SetPrincipalTagAttributeMap(ctx context.Context, in *identityapi.SetPrincipalTagAttributeMapInput) (*identityapi.SetPrincipalTagAttributeMapResponse, error) {
	if err := h.Pools.SetPrincipalTags(ctx, in.IdentityPoolId, in.IdentityProviderName, deref(in.UseDefaults), in.PrincipalTags); err != nil {
		return nil, err
	}
	return &identityapi.SetPrincipalTagAttributeMapResponse{IdentityPoolId: in.IdentityPoolId,
		IdentityProviderName: in.IdentityProviderName, UseDefaults: boolp(deref(in.UseDefaults)), PrincipalTags: in.PrincipalTags}, nil
}

// GetPrincipalTagAttributeMap returns a provider's principal tag map.
func (h *Handlers) GetPrincipalTagAttributeMap(ctx context.Context, in *identityapi.GetPrincipalTagAttributeMapInput) (*identityapi.GetPrincipalTagAttributeMapResponse, error) {
	p, err := h.Pools.DescribePool(ctx, in.IdentityPoolId)
	if err != nil {
		return nil, err
	}
	m := p.Settings.PrincipalTags[in.IdentityProviderName]
	return &identityapi.GetPrincipalTagAttributeMapResponse{IdentityPoolId: p.ID, IdentityProviderName: in.IdentityProviderName,
		UseDefaults: boolp(m.UseDefaults), PrincipalTags: m.Tags}, nil
}

// TagResource tags a pool.
func (h *Handlers) TagResource(ctx context.Context, in *identityapi.TagResourceInput) (*identityapi.TagResourceResponse, error) {
	if err := h.Pools.Tag(ctx, in.ResourceArn, in.Tags, nil); err != nil {
		return nil, err
	}
	return &identityapi.TagResourceResponse{}, nil
}

// UntagResource removes tags from a pool.
func (h *Handlers) UntagResource(ctx context.Context, in *identityapi.UntagResourceInput) (*identityapi.UntagResourceResponse, error) {
	if err := h.Pools.Tag(ctx, in.ResourceArn, nil, in.TagKeys); err != nil {
		return nil, err
	}
	return &identityapi.UntagResourceResponse{}, nil
}

// ListTagsForResource returns a pool's tags.
func (h *Handlers) ListTagsForResource(ctx context.Context, in *identityapi.ListTagsForResourceInput) (*identityapi.ListTagsForResourceResponse, error) {
	tags, err := h.Pools.Tags(ctx, in.ResourceArn)
	if err != nil {
		return nil, err
	}
	if tags == nil {
		tags = map[string]string{}
	}
	return &identityapi.ListTagsForResourceResponse{Tags: tags}, nil
}
