// Package iamsts serves Cognate's IAM and STS on their query protocol:
// IAM implements iamapi.Service and STS stsapi.Service over package iam,
// translating the generated wire structs to the domain's values and back.
// The rules are the domain's; this package only translates.
package iamsts

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/cognate-auth/cognate/internal/iam"
	"github.com/cognate-auth/cognate/internal/wire/iamapi"
)

// IAM serves the iam operations.
type IAM struct {
	iamapi.UnimplementedService
	Service *iam.Service
}

var _ iamapi.Service = (*IAM)(nil)

// CreateRole serves CreateRole.
func (h *IAM) CreateRole(ctx context.Context, in *iamapi.CreateRoleRequest) (*iamapi.CreateRoleResponse, error) {
	if in.PermissionsBoundary != "" {
		return nil, unsupportedParameter("PermissionsBoundary")
	}
	r, err := h.Service.CreateRole(ctx, iam.RoleInput{
		Name: in.RoleName, Path: in.Path, AssumeRolePolicy: in.AssumeRolePolicyDocument,
		Description: in.Description, MaxSessionDuration: seconds(in.MaxSessionDuration), Tags: domainTags(in.Tags),
	})
	if err != nil {
		return nil, err
	}
	return &iamapi.CreateRoleResponse{Role: wireRole(r)}, nil
}

// GetRole serves GetRole. IAM's GetRole always has RoleLastUsed, empty
// for a role not used lately; Cognate does not record use, so it is
// always empty.
func (h *IAM) GetRole(ctx context.Context, in *iamapi.GetRoleRequest) (*iamapi.GetRoleResponse, error) {
	r, err := h.Service.GetRole(ctx, in.RoleName)
	if err != nil {
		return nil, err
	}
	wr := wireRole(r)
	wr.RoleLastUsed = &iamapi.RoleLastUsed{}
	return &iamapi.GetRoleResponse{Role: wr}, nil
}

// ListRoles serves ListRoles. IAM leaves tags and the permissions
// boundary out of listed roles.
func (h *IAM) ListRoles(ctx context.Context, in *iamapi.ListRolesRequest) (*iamapi.ListRolesResponse, error) {
	page, err := h.Service.ListRoles(ctx, in.PathPrefix, listInput(in.Marker, in.MaxItems))
	if err != nil {
		return nil, err
	}
	out := &iamapi.ListRolesResponse{Roles: make([]iamapi.Role, len(page.Roles)), Marker: page.Marker, IsTruncated: truncated(page.Marker)}
	for i, r := range page.Roles {
		wr := wireRole(r)
		wr.Tags = nil
		out.Roles[i] = *wr
	}
	return out, nil
}

// DeleteRole serves DeleteRole.
func (h *IAM) DeleteRole(ctx context.Context, in *iamapi.DeleteRoleRequest) (*iamapi.DeleteRoleResponse, error) {
	return nil, h.Service.DeleteRole(ctx, in.RoleName)
}

// UpdateRole serves UpdateRole.
func (h *IAM) UpdateRole(ctx context.Context, in *iamapi.UpdateRoleRequest) (*iamapi.UpdateRoleResponse, error) {
	var u iam.RoleUpdate
	if in.Description != "" {
		u.Description = &in.Description
	}
	if in.MaxSessionDuration != nil {
		d := seconds(in.MaxSessionDuration)
		u.MaxSessionDuration = &d
	}
	if err := h.Service.UpdateRole(ctx, in.RoleName, u); err != nil {
		return nil, err
	}
	return &iamapi.UpdateRoleResponse{}, nil
}

// UpdateAssumeRolePolicy serves UpdateAssumeRolePolicy.
func (h *IAM) UpdateAssumeRolePolicy(ctx context.Context, in *iamapi.UpdateAssumeRolePolicyRequest) (*iamapi.UpdateAssumeRolePolicyResponse, error) {
	return nil, h.Service.UpdateAssumeRolePolicy(ctx, in.RoleName, in.PolicyDocument)
}

// PutRolePolicy serves PutRolePolicy.
func (h *IAM) PutRolePolicy(ctx context.Context, in *iamapi.PutRolePolicyRequest) (*iamapi.PutRolePolicyResponse, error) {
	return nil, h.Service.PutRolePolicy(ctx, in.RoleName, in.PolicyName, in.PolicyDocument)
}

// GetRolePolicy serves GetRolePolicy; the document is URL-encoded, as
// IAM sends it.
func (h *IAM) GetRolePolicy(ctx context.Context, in *iamapi.GetRolePolicyRequest) (*iamapi.GetRolePolicyResponse, error) {
	r, err := h.Service.GetRole(ctx, in.RoleName)
	if err != nil {
		return nil, err
	}
	p, err := h.Service.GetRolePolicy(ctx, in.RoleName, in.PolicyName)
	if err != nil {
		return nil, err
	}
	return &iamapi.GetRolePolicyResponse{RoleName: r.Name, PolicyName: p.Name, PolicyDocument: encodeDocument(p.Document)}, nil
}

// DeleteRolePolicy serves DeleteRolePolicy.
func (h *IAM) DeleteRolePolicy(ctx context.Context, in *iamapi.DeleteRolePolicyRequest) (*iamapi.DeleteRolePolicyResponse, error) {
	return nil, h.Service.DeleteRolePolicy(ctx, in.RoleName, in.PolicyName)
}

// ListRolePolicies serves ListRolePolicies.
func (h *IAM) ListRolePolicies(ctx context.Context, in *iamapi.ListRolePoliciesRequest) (*iamapi.ListRolePoliciesResponse, error) {
	page, err := h.Service.ListRolePolicies(ctx, in.RoleName, listInput(in.Marker, in.MaxItems))
	if err != nil {
		return nil, err
	}
	return &iamapi.ListRolePoliciesResponse{PolicyNames: page.Names, Marker: page.Marker, IsTruncated: truncated(page.Marker)}, nil
}

// GetUser serves GetUser.
func (h *IAM) GetUser(ctx context.Context, in *iamapi.GetUserRequest) (*iamapi.GetUserResponse, error) {
	u, err := h.Service.GetUser(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	return &iamapi.GetUserResponse{User: &iamapi.User{Path: u.Path, UserName: u.Name, UserId: u.ID, Arn: u.ARN}}, nil
}

// PutUserPolicy serves PutUserPolicy.
func (h *IAM) PutUserPolicy(ctx context.Context, in *iamapi.PutUserPolicyRequest) (*iamapi.PutUserPolicyResponse, error) {
	return nil, h.Service.PutUserPolicy(ctx, in.UserName, in.PolicyName, in.PolicyDocument)
}

// GetUserPolicy serves GetUserPolicy; the document is URL-encoded.
func (h *IAM) GetUserPolicy(ctx context.Context, in *iamapi.GetUserPolicyRequest) (*iamapi.GetUserPolicyResponse, error) {
	p, err := h.Service.GetUserPolicy(ctx, in.UserName, in.PolicyName)
	if err != nil {
		return nil, err
	}
	u, err := h.Service.GetUser(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	return &iamapi.GetUserPolicyResponse{UserName: u.Name, PolicyName: p.Name, PolicyDocument: encodeDocument(p.Document)}, nil
}

// DeleteUserPolicy serves DeleteUserPolicy.
func (h *IAM) DeleteUserPolicy(ctx context.Context, in *iamapi.DeleteUserPolicyRequest) (*iamapi.DeleteUserPolicyResponse, error) {
	return nil, h.Service.DeleteUserPolicy(ctx, in.UserName, in.PolicyName)
}

// ListUserPolicies serves ListUserPolicies.
func (h *IAM) ListUserPolicies(ctx context.Context, in *iamapi.ListUserPoliciesRequest) (*iamapi.ListUserPoliciesResponse, error) {
	page, err := h.Service.ListUserPolicies(ctx, in.UserName, listInput(in.Marker, in.MaxItems))
	if err != nil {
		return nil, err
	}
	return &iamapi.ListUserPoliciesResponse{PolicyNames: page.Names, Marker: page.Marker, IsTruncated: truncated(page.Marker)}, nil
}

// CreateOpenIDConnectProvider serves CreateOpenIDConnectProvider.
func (h *IAM) CreateOpenIDConnectProvider(ctx context.Context, in *iamapi.CreateOpenIDConnectProviderRequest) (*iamapi.CreateOpenIDConnectProviderResponse, error) {
	p, err := h.Service.CreateOpenIDConnectProvider(ctx, iam.OIDCProviderInput{
		URL: in.Url, ClientIDs: in.ClientIDList, Thumbprints: in.ThumbprintList, Tags: domainTags(in.Tags),
	})
	if err != nil {
		return nil, err
	}
	return &iamapi.CreateOpenIDConnectProviderResponse{OpenIDConnectProviderArn: p.ARN, Tags: wireTags(p.Tags)}, nil
}

// GetOpenIDConnectProvider serves GetOpenIDConnectProvider.
func (h *IAM) GetOpenIDConnectProvider(ctx context.Context, in *iamapi.GetOpenIDConnectProviderRequest) (*iamapi.GetOpenIDConnectProviderResponse, error) {
	p, err := h.Service.GetOpenIDConnectProvider(ctx, in.OpenIDConnectProviderArn)
	if err != nil {
		return nil, err
	}
	return &iamapi.GetOpenIDConnectProviderResponse{
		Url: p.URL, ClientIDList: nonNil(p.ClientIDs), ThumbprintList: nonNil(p.Thumbprints),
		CreateDate: date(p.CreatedAt), Tags: wireTags(p.Tags),
	}, nil
}

// ListOpenIDConnectProviders serves ListOpenIDConnectProviders.
func (h *IAM) ListOpenIDConnectProviders(ctx context.Context, _ *iamapi.ListOpenIDConnectProvidersRequest) (*iamapi.ListOpenIDConnectProvidersResponse, error) {
	ps, err := h.Service.ListOpenIDConnectProviders(ctx)
	if err != nil {
		return nil, err
	}
	out := &iamapi.ListOpenIDConnectProvidersResponse{OpenIDConnectProviderList: make([]iamapi.OpenIDConnectProviderListEntry, len(ps))}
	for i, p := range ps {
		out.OpenIDConnectProviderList[i].Arn = p.ARN
	}
	return out, nil
}

// DeleteOpenIDConnectProvider serves DeleteOpenIDConnectProvider.
func (h *IAM) DeleteOpenIDConnectProvider(ctx context.Context, in *iamapi.DeleteOpenIDConnectProviderRequest) (*iamapi.DeleteOpenIDConnectProviderResponse, error) {
	return nil, h.Service.DeleteOpenIDConnectProvider(ctx, in.OpenIDConnectProviderArn)
}

// AddClientIDToOpenIDConnectProvider serves AddClientIDToOpenIDConnectProvider.
func (h *IAM) AddClientIDToOpenIDConnectProvider(ctx context.Context, in *iamapi.AddClientIDToOpenIDConnectProviderRequest) (*iamapi.AddClientIDToOpenIDConnectProviderResponse, error) {
	return nil, h.Service.AddClientIDToOpenIDConnectProvider(ctx, in.OpenIDConnectProviderArn, in.ClientID)
}

// RemoveClientIDFromOpenIDConnectProvider serves RemoveClientIDFromOpenIDConnectProvider.
func (h *IAM) RemoveClientIDFromOpenIDConnectProvider(ctx context.Context, in *iamapi.RemoveClientIDFromOpenIDConnectProviderRequest) (*iamapi.RemoveClientIDFromOpenIDConnectProviderResponse, error) {
	return nil, h.Service.RemoveClientIDFromOpenIDConnectProvider(ctx, in.OpenIDConnectProviderArn, in.ClientID)
}

// UpdateOpenIDConnectProviderThumbprint serves UpdateOpenIDConnectProviderThumbprint.
func (h *IAM) UpdateOpenIDConnectProviderThumbprint(ctx context.Context, in *iamapi.UpdateOpenIDConnectProviderThumbprintRequest) (*iamapi.UpdateOpenIDConnectProviderThumbprintResponse, error) {
	return nil, h.Service.UpdateOpenIDConnectProviderThumbprint(ctx, in.OpenIDConnectProviderArn, in.ThumbprintList)
}

// CreateSAMLProvider serves CreateSAMLProvider.
func (h *IAM) CreateSAMLProvider(ctx context.Context, in *iamapi.CreateSAMLProviderRequest) (*iamapi.CreateSAMLProviderResponse, error) {
	if in.AssertionEncryptionMode != "" {
		return nil, unsupportedParameter("AssertionEncryptionMode")
	}
	if in.AddPrivateKey != "" {
		return nil, unsupportedParameter("AddPrivateKey")
	}
	p, err := h.Service.CreateSAMLProvider(ctx, iam.SAMLProviderInput{Name: in.Name, MetadataDocument: in.SAMLMetadataDocument, Tags: domainTags(in.Tags)})
	if err != nil {
		return nil, err
	}
	return &iamapi.CreateSAMLProviderResponse{SAMLProviderArn: p.ARN, Tags: wireTags(p.Tags)}, nil
}

// GetSAMLProvider serves GetSAMLProvider.
func (h *IAM) GetSAMLProvider(ctx context.Context, in *iamapi.GetSAMLProviderRequest) (*iamapi.GetSAMLProviderResponse, error) {
	p, err := h.Service.GetSAMLProvider(ctx, in.SAMLProviderArn)
	if err != nil {
		return nil, err
	}
	return &iamapi.GetSAMLProviderResponse{SAMLMetadataDocument: p.MetadataDocument, CreateDate: date(p.CreatedAt),
		ValidUntil: date(p.ValidUntil), Tags: wireTags(p.Tags)}, nil
}

// ListSAMLProviders serves ListSAMLProviders.
func (h *IAM) ListSAMLProviders(ctx context.Context, _ *iamapi.ListSAMLProvidersRequest) (*iamapi.ListSAMLProvidersResponse, error) {
	ps, err := h.Service.ListSAMLProviders(ctx)
	if err != nil {
		return nil, err
	}
	out := &iamapi.ListSAMLProvidersResponse{SAMLProviderList: make([]iamapi.SAMLProviderListEntry, len(ps))}
	for i, p := range ps {
		out.SAMLProviderList[i] = iamapi.SAMLProviderListEntry{Arn: p.ARN, ValidUntil: date(p.ValidUntil), CreateDate: date(p.CreatedAt)}
	}
	return out, nil
}

// DeleteSAMLProvider serves DeleteSAMLProvider.
func (h *IAM) DeleteSAMLProvider(ctx context.Context, in *iamapi.DeleteSAMLProviderRequest) (*iamapi.DeleteSAMLProviderResponse, error) {
	return nil, h.Service.DeleteSAMLProvider(ctx, in.SAMLProviderArn)
}

// SimulatePrincipalPolicy serves SimulatePrincipalPolicy.
func (h *IAM) SimulatePrincipalPolicy(ctx context.Context, in *iamapi.SimulatePrincipalPolicyRequest) (*iamapi.SimulatePolicyResponse, error) {
	if err := simulationUnsupported(in.PermissionsBoundaryPolicyInputList, in.ResourcePolicy, in.CallerArn); err != nil {
		return nil, err
	}
	res, err := h.Service.SimulatePrincipalPolicy(ctx, simulationInput(in.PolicySourceArn, in.PolicyInputList, in.ActionNames, in.ResourceArns, in.ContextEntries))
	if err != nil {
		return nil, err
	}
	return simulationPage(res, in.Marker, in.MaxItems)
}

// SimulateCustomPolicy serves SimulateCustomPolicy.
func (h *IAM) SimulateCustomPolicy(ctx context.Context, in *iamapi.SimulateCustomPolicyRequest) (*iamapi.SimulatePolicyResponse, error) {
	if err := simulationUnsupported(in.PermissionsBoundaryPolicyInputList, in.ResourcePolicy, in.CallerArn); err != nil {
		return nil, err
	}
	res, err := h.Service.SimulateCustomPolicy(ctx, simulationInput("", in.PolicyInputList, in.ActionNames, in.ResourceArns, in.ContextEntries))
	if err != nil {
		return nil, err
	}
	return simulationPage(res, in.Marker, in.MaxItems)
}

func wireRole(r iam.Role) *iamapi.Role {
	secs := int32(r.MaxSessionDuration / time.Second)
	return &iamapi.Role{
		Path: r.Path, RoleName: r.Name, RoleId: r.ID, Arn: r.ARN, CreateDate: date(r.CreatedAt),
		AssumeRolePolicyDocument: encodeDocument(r.AssumeRolePolicy), Description: r.Description,
		MaxSessionDuration: &secs, Tags: wireTags(r.Tags),
	}
}

// encodeDocument URL-encodes a policy document as IAM returns documents
// (RFC 3986: every byte but the unreserved ones percent-encoded).
func encodeDocument(doc string) string {
	return strings.ReplaceAll(url.QueryEscape(doc), "+", "%20")
}

func domainTags(tags []iamapi.Tag) []iam.Tag {
	if len(tags) == 0 {
		return nil
	}
	out := make([]iam.Tag, len(tags))
	for i, t := range tags {
		out[i] = iam.Tag{Key: t.Key, Value: t.Value}
	}
	return out
}

func wireTags(m map[string]string) []iamapi.Tag {
	tags := iam.Tags(m)
	if len(tags) == 0 {
		return nil
	}
	out := make([]iamapi.Tag, len(tags))
	for i, t := range tags {
		out[i] = iamapi.Tag{Key: t.Key, Value: t.Value}
	}
	return out
}

func seconds(n *int32) time.Duration {
	if n == nil {
		return 0
	}
	return time.Duration(*n) * time.Second
}

func date(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func listInput(marker string, max *int32) iam.ListInput {
	in := iam.ListInput{Marker: marker}
	if max != nil {
		in.MaxItems = int(*max)
	}
	return in
}

func truncated(marker string) *bool {
	t := marker != ""
	return &t
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
