package identity

import (
	"context"
	"time"

	"github.com/cognate-auth/cognate/internal/identitypool"
	"github.com/cognate-auth/cognate/internal/wire/identityapi"
)

// GetId returns the identity of a set of logins, or a new guest identity.
func (h *Handlers) GetId(ctx context.Context, in *identityapi.GetIdInput) (*identityapi.GetIdResponse, error) {
	id, err := h.Pools.GetID(ctx, in.IdentityPoolId, in.Logins)
	if err != nil {
		return nil, err
	}
	return &identityapi.GetIdResponse{IdentityId: id}, nil
}

// GetCredentialsForIdentity returns an identity's credentials.
func (h *Handlers) GetCredentialsForIdentity(ctx context.Context, in *identityapi.GetCredentialsForIdentityInput) (*identityapi.GetCredentialsForIdentityResponse, error) {
	c, err := h.Pools.CredentialsForIdentity(ctx, in.IdentityId, in.Logins, in.CustomRoleArn)
	if err != nil {
		return nil, err
	}
	return &identityapi.GetCredentialsForIdentityResponse{IdentityId: c.IdentityID, Credentials: &identityapi.Credentials{
		AccessKeyId: c.AccessKeyID, SecretKey: c.SecretKey, SessionToken: c.SessionToken, Expiration: stamp(c.Expiration)}}, nil
}

// GetOpenIdToken returns an identity's OpenID token (the classic flow).
func (h *Handlers) GetOpenIdToken(ctx context.Context, in *identityapi.GetOpenIdTokenInput) (*identityapi.GetOpenIdTokenResponse, error) {
	token, err := h.Pools.OpenIDToken(ctx, in.IdentityId, in.Logins)
	if err != nil {
		return nil, err
	}
	return &identityapi.GetOpenIdTokenResponse{IdentityId: in.IdentityId, Token: token}, nil
}

func wireIdentity(d identitypool.Description) identityapi.IdentityDescription {
	logins := d.Logins
	if logins == nil {
		logins = []string{}
	}
	return identityapi.IdentityDescription{IdentityId: d.ID, Logins: logins, CreationDate: stamp(d.Created),
		LastModifiedDate: stamp(d.LastChanged)}
}

// DescribeIdentity returns an identity.
func (h *Handlers) DescribeIdentity(ctx context.Context, in *identityapi.DescribeIdentityInput) (*identityapi.IdentityDescription, error) {
	d, err := h.Pools.DescribeIdentity(ctx, in.IdentityId)
	if err != nil {
		return nil, err
	}
	out := wireIdentity(d)
	return &out, nil
}

// ListIdentities lists a pool's identities.
func (h *Handlers) ListIdentities(ctx context.Context, in *identityapi.ListIdentitiesInput) (*identityapi.ListIdentitiesResponse, error) {
	ids, next, err := h.Pools.ListIdentities(ctx, in.IdentityPoolId, maxResults(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &identityapi.ListIdentitiesResponse{IdentityPoolId: in.IdentityPoolId, Identities: []identityapi.IdentityDescription{}, NextToken: next}
	for _, d := range ids {
		out.Identities = append(out.Identities, wireIdentity(d))
	}
	return out, nil
}

// DeleteIdentities deletes identities.
func (h *Handlers) DeleteIdentities(ctx context.Context, in *identityapi.DeleteIdentitiesInput) (*identityapi.DeleteIdentitiesResponse, error) {
	failed, err := h.Pools.DeleteIdentities(ctx, in.IdentityIdsToDelete)
	if err != nil {
		return nil, err
	}
	out := &identityapi.DeleteIdentitiesResponse{UnprocessedIdentityIds: []identityapi.UnprocessedIdentityId{}}
	for _, id := range in.IdentityIdsToDelete {
		if code, ok := failed[id]; ok {
			out.UnprocessedIdentityIds = append(out.UnprocessedIdentityIds, identityapi.UnprocessedIdentityId{IdentityId: id, ErrorCode: code})
		}
	}
	return out, nil
}

// UnlinkIdentity removes logins from an identity.
func (h *Handlers) UnlinkIdentity(ctx context.Context, in *identityapi.UnlinkIdentityInput) (*identityapi.UnlinkIdentityOutput, error) {
	if err := h.Pools.Unlink(ctx, in.IdentityId, in.Logins, in.LoginsToRemove); err != nil {
		return nil, err
	}
	return &identityapi.UnlinkIdentityOutput{}, nil
}

// GetOpenIdTokenForDeveloperIdentity registers or finds a developer user
// and returns its identity's OpenID token.
func (h *Handlers) GetOpenIdTokenForDeveloperIdentity(ctx context.Context, in *identityapi.GetOpenIdTokenForDeveloperIdentityInput) (*identityapi.GetOpenIdTokenForDeveloperIdentityResponse, error) {
	var ttl time.Duration
	if in.TokenDuration != nil {
		ttl = time.Duration(*in.TokenDuration) * time.Second
	}
	t, err := h.Pools.DeveloperOpenIDToken(ctx, in.IdentityPoolId, in.IdentityId, in.Logins, in.PrincipalTags, ttl)
	if err != nil {
		return nil, err
	}
	return &identityapi.GetOpenIdTokenForDeveloperIdentityResponse{IdentityId: t.IdentityID, Token: t.Token}, nil
}

// LookupDeveloperIdentity maps developer user identifiers and identities.
func (h *Handlers) LookupDeveloperIdentity(ctx context.Context, in *identityapi.LookupDeveloperIdentityInput) (*identityapi.LookupDeveloperIdentityResponse, error) {
	l, err := h.Pools.LookupDeveloper(ctx, in.IdentityPoolId, in.IdentityId, in.DeveloperUserIdentifier, maxResults(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, err
	}
	users := l.Users
	if users == nil {
		users = []string{}
	}
	return &identityapi.LookupDeveloperIdentityResponse{IdentityId: l.IdentityID, DeveloperUserIdentifierList: users, NextToken: l.NextToken}, nil
}

// MergeDeveloperIdentities merges one developer user's identity into another's.
func (h *Handlers) MergeDeveloperIdentities(ctx context.Context, in *identityapi.MergeDeveloperIdentitiesInput) (*identityapi.MergeDeveloperIdentitiesResponse, error) {
	id, err := h.Pools.MergeDeveloper(ctx, in.IdentityPoolId, in.DeveloperProviderName, in.SourceUserIdentifier, in.DestinationUserIdentifier)
	if err != nil {
		return nil, err
	}
	return &identityapi.MergeDeveloperIdentitiesResponse{IdentityId: id}, nil
}

// UnlinkDeveloperIdentity removes a developer user identifier from an identity.
func (h *Handlers) UnlinkDeveloperIdentity(ctx context.Context, in *identityapi.UnlinkDeveloperIdentityInput) (*identityapi.UnlinkDeveloperIdentityOutput, error) {
	if err := h.Pools.UnlinkDeveloper(ctx, in.IdentityPoolId, in.IdentityId, in.DeveloperProviderName, in.DeveloperUserIdentifier); err != nil {
		return nil, err
	}
	return &identityapi.UnlinkDeveloperIdentityOutput{}, nil
}
