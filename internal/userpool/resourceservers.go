package userpool

import (
	"context"
	"slices"
	"strings"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/store"
)

// maxResourceServers is how many resource servers a pool may have, as in
// Cognito's quotas.
const maxResourceServers = 25

func resourceServerNotFound(id string) error {
	return apierr.Newf(apierr.ResourceNotFound, "Resource server %s does not exist.", id)
}

// checkScopes refuses a scope named twice.
func checkScopes(scopes []store.Scope) error {
	seen := map[string]bool{}
	for _, sc := range scopes {
		if seen[sc.Name] {
			return apierr.Newf(apierr.InvalidParameter, "Duplicate scope name %s.", sc.Name)
		}
		seen[sc.Name] = true
	}
	return nil
}

// CreateResourceServer adds a resource server to a pool.
func (s *Service) CreateResourceServer(ctx context.Context, poolID string, rs store.ResourceServer) (store.ResourceServer, error) {
	if err := checkScopes(rs.Scopes); err != nil {
		return rs, err
	}
	return rs, s.changeResourceServers(ctx, poolID, func(servers []store.ResourceServer) ([]store.ResourceServer, error) {
		i, found := findResourceServer(servers, rs.Identifier)
		if found {
			return nil, apierr.Newf(apierr.InvalidParameter, "Resource server with identifier %s already exists.", rs.Identifier)
		}
		if len(servers) >= maxResourceServers {
			return nil, apierr.Newf(apierr.LimitExceeded, "A user pool can have at most %d resource servers.", maxResourceServers)
		}
		return slices.Insert(servers, i, rs), nil
	})
}

// UpdateResourceServer replaces a resource server's name and scopes.
func (s *Service) UpdateResourceServer(ctx context.Context, poolID string, rs store.ResourceServer) (store.ResourceServer, error) {
	if err := checkScopes(rs.Scopes); err != nil {
		return rs, err
	}
	return rs, s.changeResourceServers(ctx, poolID, func(servers []store.ResourceServer) ([]store.ResourceServer, error) {
		i, found := findResourceServer(servers, rs.Identifier)
		if !found {
			return nil, resourceServerNotFound(rs.Identifier)
		}
		servers[i] = rs
		return servers, nil
	})
}

// DeleteResourceServer removes a resource server.
func (s *Service) DeleteResourceServer(ctx context.Context, poolID, identifier string) error {
	return s.changeResourceServers(ctx, poolID, func(servers []store.ResourceServer) ([]store.ResourceServer, error) {
		i, found := findResourceServer(servers, identifier)
		if !found {
			return nil, resourceServerNotFound(identifier)
		}
		return slices.Delete(servers, i, i+1), nil
	})
}

// ResourceServer returns one resource server of a pool.
func (s *Service) ResourceServer(ctx context.Context, poolID, identifier string) (store.ResourceServer, error) {
	p, err := s.Pool(ctx, poolID)
	if err != nil {
		return store.ResourceServer{}, err
	}
	i, found := findResourceServer(p.Settings.ResourceServers, identifier)
	if !found {
		return store.ResourceServer{}, resourceServerNotFound(identifier)
	}
	return p.Settings.ResourceServers[i], nil
}

// ListResourceServers returns up to limit resource servers after the given
// identifier, in identifier order; next is "" on the last page.
func (s *Service) ListResourceServers(ctx context.Context, poolID, after string, limit int) (servers []store.ResourceServer, next string, err error) {
	p, err := s.Pool(ctx, poolID)
	if err != nil {
		return nil, "", err
	}
	all := p.Settings.ResourceServers
	start, _ := slices.BinarySearchFunc(all, after, func(r store.ResourceServer, id string) int { return strings.Compare(r.Identifier, id) })
	if after != "" && start < len(all) && all[start].Identifier == after {
		start++
	}
	end := min(start+limit, len(all))
	if end < len(all) {
		next = all[end-1].Identifier
	}
	return all[start:end], next, nil
}

func findResourceServer(servers []store.ResourceServer, identifier string) (int, bool) {
	return slices.BinarySearchFunc(servers, identifier, func(r store.ResourceServer, id string) int {
		return strings.Compare(r.Identifier, id)
	})
}

// changeResourceServers updates a pool's resource servers atomically.
func (s *Service) changeResourceServers(ctx context.Context, poolID string, change func([]store.ResourceServer) ([]store.ResourceServer, error)) error {
	_, err := s.changePool(ctx, poolID, func(p *store.Pool) error {
		servers, err := change(slices.Clone(p.Settings.ResourceServers))
		if err != nil {
			return err
		}
		p.Settings.ResourceServers = servers
		return nil
	})
	return err
}
