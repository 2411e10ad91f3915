package idp

import (
	"context"

	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/userpool"
	"github.com/cognate-auth/cognate/internal/wire/idpapi"
)

// clientFields is the part of CreateUserPoolClient and
// UpdateUserPoolClient they share.
type clientFields struct {
	RefreshTokenValidity, AccessTokenValidity, IdTokenValidity *int32
	TokenValidityUnits                                         *idpapi.TokenValidityUnitsType
	ReadAttributes, WriteAttributes, ExplicitAuthFlows         []string
	SupportedIdentityProviders, CallbackURLs, LogoutURLs       []string
	DefaultRedirectURI                                         string
	AllowedOAuthFlows, AllowedOAuthScopes                      []string
	AllowedOAuthFlowsUserPoolClient                            *bool
	AnalyticsConfiguration                                     *idpapi.AnalyticsConfigurationType
	PreventUserExistenceErrors                                 string
	EnableTokenRevocation                                      *bool
	EnablePropagateAdditionalUserContextData                   *bool
	AuthSessionValidity                                        *int32
	RefreshTokenRotation                                       *idpapi.RefreshTokenRotationType
}

func (f clientFields) input(name string, secret bool) userpool.ClientInput {
	st := store.ClientSettings{
		ExplicitAuthFlows:    f.ExplicitAuthFlows,
		RefreshTokenValidity: deref32(f.RefreshTokenValidity),
		AccessTokenValidity:  deref32(f.AccessTokenValidity),
		IDTokenValidity:      deref32(f.IdTokenValidity),
		ReadAttributes:       f.ReadAttributes, WriteAttributes: f.WriteAttributes,
		PreventUserExistenceErrors:               f.PreventUserExistenceErrors,
		AuthSessionValidity:                      deref32(f.AuthSessionValidity),
		EnablePropagateAdditionalUserContextData: derefBool(f.EnablePropagateAdditionalUserContextData),
		CallbackURLs:                             f.CallbackURLs, LogoutURLs: f.LogoutURLs, DefaultRedirectURI: f.DefaultRedirectURI,
		AllowedOAuthFlows: f.AllowedOAuthFlows, AllowedOAuthScopes: f.AllowedOAuthScopes,
		AllowedOAuthFlowsUserPoolClient: derefBool(f.AllowedOAuthFlowsUserPoolClient),
		SupportedIdentityProviders:      f.SupportedIdentityProviders,
	}
	if u := f.TokenValidityUnits; u != nil {
		st.TokenValidityUnits = store.TokenUnits{AccessToken: u.AccessToken, IDToken: u.IdToken, RefreshToken: u.RefreshToken}
	}
	if r := f.RefreshTokenRotation; r != nil {
		st.RefreshTokenRotation = r.Feature == "ENABLED"
		st.RetryGracePeriodSeconds = deref32(r.RetryGracePeriodSeconds)
	}
	st.AnalyticsConfiguration = analyticsConfiguration(f.AnalyticsConfiguration)
	return userpool.ClientInput{Name: name, GenerateSecret: secret, Settings: st, EnableTokenRevocation: f.EnableTokenRevocation}
}

// CreateUserPoolClient creates an app client.
func (h *Handlers) CreateUserPoolClient(ctx context.Context, in *idpapi.CreateUserPoolClientRequest) (*idpapi.CreateUserPoolClientResponse, error) {
	f := clientFields{in.RefreshTokenValidity, in.AccessTokenValidity, in.IdTokenValidity, in.TokenValidityUnits,
		in.ReadAttributes, in.WriteAttributes, in.ExplicitAuthFlows, in.SupportedIdentityProviders, in.CallbackURLs,
		in.LogoutURLs, in.DefaultRedirectURI, in.AllowedOAuthFlows, in.AllowedOAuthScopes, in.AllowedOAuthFlowsUserPoolClient,
		in.AnalyticsConfiguration, in.PreventUserExistenceErrors, in.EnableTokenRevocation,
		in.EnablePropagateAdditionalUserContextData, in.AuthSessionValidity, in.RefreshTokenRotation}
	input := f.input(in.ClientName, derefBool(in.GenerateSecret))
	input.Secret = in.ClientSecret
	c, err := h.Pools.CreateClient(ctx, in.UserPoolId, input)
	if err != nil {
		return nil, err
	}
	return &idpapi.CreateUserPoolClientResponse{UserPoolClient: wireClient(c)}, nil
}

// DescribeUserPoolClient describes an app client.
func (h *Handlers) DescribeUserPoolClient(ctx context.Context, in *idpapi.DescribeUserPoolClientRequest) (*idpapi.DescribeUserPoolClientResponse, error) {
	c, err := h.Pools.Client(ctx, in.UserPoolId, in.ClientId)
	if err != nil {
		return nil, err
	}
	return &idpapi.DescribeUserPoolClientResponse{UserPoolClient: wireClient(c)}, nil
}

// UpdateUserPoolClient replaces an app client's settings.
func (h *Handlers) UpdateUserPoolClient(ctx context.Context, in *idpapi.UpdateUserPoolClientRequest) (*idpapi.UpdateUserPoolClientResponse, error) {
	f := clientFields{in.RefreshTokenValidity, in.AccessTokenValidity, in.IdTokenValidity, in.TokenValidityUnits,
		in.ReadAttributes, in.WriteAttributes, in.ExplicitAuthFlows, in.SupportedIdentityProviders, in.CallbackURLs,
		in.LogoutURLs, in.DefaultRedirectURI, in.AllowedOAuthFlows, in.AllowedOAuthScopes, in.AllowedOAuthFlowsUserPoolClient,
		in.AnalyticsConfiguration, in.PreventUserExistenceErrors, in.EnableTokenRevocation,
		in.EnablePropagateAdditionalUserContextData, in.AuthSessionValidity, in.RefreshTokenRotation}
	c, err := h.Pools.UpdateClient(ctx, in.UserPoolId, in.ClientId, f.input(in.ClientName, false))
	if err != nil {
		return nil, err
	}
	return &idpapi.UpdateUserPoolClientResponse{UserPoolClient: wireClient(c)}, nil
}

// DeleteUserPoolClient deletes an app client.
func (h *Handlers) DeleteUserPoolClient(ctx context.Context, in *idpapi.DeleteUserPoolClientRequest) (*idpapi.DeleteUserPoolClientResponse, error) {
	if err := h.Pools.DeleteClient(ctx, in.UserPoolId, in.ClientId); err != nil {
		return nil, err
	}
	return &idpapi.DeleteUserPoolClientResponse{}, nil
}

// ListUserPoolClients lists a pool's app clients.
func (h *Handlers) ListUserPoolClients(ctx context.Context, in *idpapi.ListUserPoolClientsRequest) (*idpapi.ListUserPoolClientsResponse, error) {
	limit := int(deref32(in.MaxResults))
	if limit == 0 {
		limit = 60
	}
	cs, next, err := h.Pools.ListClients(ctx, in.UserPoolId, in.NextToken, limit)
	if err != nil {
		return nil, err
	}
	out := &idpapi.ListUserPoolClientsResponse{NextToken: next, UserPoolClients: []idpapi.UserPoolClientDescription{}}
	for _, c := range cs {
		out.UserPoolClients = append(out.UserPoolClients, idpapi.UserPoolClientDescription{ClientId: c.ID, UserPoolId: c.PoolID, ClientName: c.Name})
	}
	return out, nil
}

// firstSecret is the secret DescribeUserPoolClient shows: the oldest.
func firstSecret(c store.Client) string {
	if len(c.Secrets) == 0 {
		return ""
	}
	return c.Secrets[0].Value
}

func wireClient(c store.Client) *idpapi.UserPoolClientType {
	st := c.Settings
	prevent := st.PreventUserExistenceErrors
	out := &idpapi.UserPoolClientType{
		UserPoolId: c.PoolID, ClientName: c.Name, ClientId: c.ID, ClientSecret: firstSecret(c),
		LastModifiedDate: stamp(c.UpdatedAt), CreationDate: stamp(c.CreatedAt),
		RefreshTokenValidity: i32(st.RefreshTokenValidity), AccessTokenValidity: i32(st.AccessTokenValidity), IdTokenValidity: i32(st.IDTokenValidity),
		TokenValidityUnits: &idpapi.TokenValidityUnitsType{AccessToken: st.TokenValidityUnits.AccessToken, IdToken: st.TokenValidityUnits.IDToken, RefreshToken: st.TokenValidityUnits.RefreshToken},
		ReadAttributes:     st.ReadAttributes, WriteAttributes: st.WriteAttributes, ExplicitAuthFlows: st.ExplicitAuthFlows,
		SupportedIdentityProviders: st.SupportedIdentityProviders, CallbackURLs: st.CallbackURLs, LogoutURLs: st.LogoutURLs,
		DefaultRedirectURI: st.DefaultRedirectURI, AllowedOAuthFlows: st.AllowedOAuthFlows, AllowedOAuthScopes: st.AllowedOAuthScopes,
		AllowedOAuthFlowsUserPoolClient:          boolp(st.AllowedOAuthFlowsUserPoolClient),
		AnalyticsConfiguration:                   wireAnalyticsConfiguration(st.AnalyticsConfiguration),
		PreventUserExistenceErrors:               prevent,
		EnableTokenRevocation:                    boolp(st.EnableTokenRevocation),
		EnablePropagateAdditionalUserContextData: boolp(st.EnablePropagateAdditionalUserContextData),
		AuthSessionValidity:                      i32(st.AuthSessionValidity),
	}
	if st.RefreshTokenRotation {
		out.RefreshTokenRotation = &idpapi.RefreshTokenRotationType{Feature: "ENABLED", RetryGracePeriodSeconds: i32(st.RetryGracePeriodSeconds)}
	}
	return out
}

func wireClientSecret(sec store.ClientSecret, withValue bool) idpapi.ClientSecretDescriptorType {
	out := idpapi.ClientSecretDescriptorType{ClientSecretId: sec.ID, ClientSecretCreateDate: stamp(sec.CreatedAt)}
	if withValue {
		out.ClientSecretValue = sec.Value
	}
	return out
}

// AddUserPoolClientSecret gives a confidential client another secret. The
// value is returned only when Cognate generated it, as in Cognito.
func (h *Handlers) AddUserPoolClientSecret(ctx context.Context, in *idpapi.AddUserPoolClientSecretRequest) (*idpapi.AddUserPoolClientSecretResponse, error) {
	sec, err := h.Pools.AddClientSecret(ctx, in.UserPoolId, in.ClientId, in.ClientSecret)
	if err != nil {
		return nil, err
	}
	d := wireClientSecret(sec, !sec.Custom)
	return &idpapi.AddUserPoolClientSecretResponse{ClientSecretDescriptor: &d}, nil
}

// ListUserPoolClientSecrets lists a client's secrets, without their values.
func (h *Handlers) ListUserPoolClientSecrets(ctx context.Context, in *idpapi.ListUserPoolClientSecretsRequest) (*idpapi.ListUserPoolClientSecretsResponse, error) {
	secrets, err := h.Pools.ClientSecrets(ctx, in.UserPoolId, in.ClientId)
	if err != nil {
		return nil, err
	}
	out := &idpapi.ListUserPoolClientSecretsResponse{ClientSecrets: []idpapi.ClientSecretDescriptorType{}}
	for _, sec := range secrets {
		out.ClientSecrets = append(out.ClientSecrets, wireClientSecret(sec, false))
	}
	return out, nil
}

// DeleteUserPoolClientSecret removes one of a client's secrets.
func (h *Handlers) DeleteUserPoolClientSecret(ctx context.Context, in *idpapi.DeleteUserPoolClientSecretRequest) (*idpapi.DeleteUserPoolClientSecretResponse, error) {
	if err := h.Pools.DeleteClientSecret(ctx, in.UserPoolId, in.ClientId, in.ClientSecretId); err != nil {
		return nil, err
	}
	return &idpapi.DeleteUserPoolClientSecretResponse{}, nil
}
