package idp

import (
	"context"

	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/wire/idpapi"
)

func domainResourceServer(identifier, name string, scopes []idpapi.ResourceServerScopeType) store.ResourceServer {
	rs := store.ResourceServer{Identifier: identifier, Name: name}
	for _, sc := range scopes {
		rs.Scopes = append(rs.Scopes, store.Scope{Name: sc.ScopeName, Description: sc.ScopeDescription})
	}
	return rs
}

func wireResourceServer(poolID string, rs store.ResourceServer) *idpapi.ResourceServerType {
	out := &idpapi.ResourceServerType{UserPoolId: poolID, Identifier: rs.Identifier, Name: rs.Name}
	for _, sc := range rs.Scopes {
		out.Scopes = append(out.Scopes, idpapi.ResourceServerScopeType{ScopeName: sc.Name, ScopeDescription: sc.Description})
	}
	return out
}

// CreateResourceServer adds an OAuth resource server to a pool.
func (h *Handlers) CreateResourceServer(ctx context.Context, in *idpapi.CreateResourceServerRequest) (*idpapi.CreateResourceServerResponse, error) {
	rs, err := h.Pools.CreateResourceServer(ctx, in.UserPoolId, domainResourceServer(in.Identifier, in.Name, in.Scopes))
	if err != nil {
		return nil, err
	}
	return &idpapi.CreateResourceServerResponse{ResourceServer: wireResourceServer(in.UserPoolId, rs)}, nil
}

// DescribeResourceServer returns a resource server.
func (h *Handlers) DescribeResourceServer(ctx context.Context, in *idpapi.DescribeResourceServerRequest) (*idpapi.DescribeResourceServerResponse, error) {
	rs, err := h.Pools.ResourceServer(ctx, in.UserPoolId, in.Identifier)
	if err != nil {
		return nil, err
	}
	return &idpapi.DescribeResourceServerResponse{ResourceServer: wireResourceServer(in.UserPoolId, rs)}, nil
}

// UpdateResourceServer replaces a resource server's name and scopes.
func (h *Handlers) UpdateResourceServer(ctx context.Context, in *idpapi.UpdateResourceServerRequest) (*idpapi.UpdateResourceServerResponse, error) {
	rs, err := h.Pools.UpdateResourceServer(ctx, in.UserPoolId, domainResourceServer(in.Identifier, in.Name, in.Scopes))
	if err != nil {
		return nil, err
	}
	return &idpapi.UpdateResourceServerResponse{ResourceServer: wireResourceServer(in.UserPoolId, rs)}, nil
}

// DeleteResourceServer removes a resource server.
func (h *Handlers) DeleteResourceServer(ctx context.Context, in *idpapi.DeleteResourceServerRequest) (*idpapi.DeleteResourceServerResponse, error) {
	if err := h.Pools.DeleteResourceServer(ctx, in.UserPoolId, in.Identifier); err != nil {
		return nil, err
	}
	return &idpapi.DeleteResourceServerResponse{}, nil
}

// ListResourceServers lists a pool's resource servers a page at a time.
func (h *Handlers) ListResourceServers(ctx context.Context, in *idpapi.ListResourceServersRequest) (*idpapi.ListResourceServersResponse, error) {
	limit := int(deref32(in.MaxResults))
	if limit == 0 {
		limit = 50
	}
	servers, next, err := h.Pools.ListResourceServers(ctx, in.UserPoolId, in.NextToken, limit)
	if err != nil {
		return nil, err
	}
	out := &idpapi.ListResourceServersResponse{NextToken: next, ResourceServers: []idpapi.ResourceServerType{}}
	for _, rs := range servers {
		out.ResourceServers = append(out.ResourceServers, *wireResourceServer(in.UserPoolId, rs))
	}
	return out, nil
}
