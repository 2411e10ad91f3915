package iamsts_test

// memStore is a stand-in for store.IAMStore while its SQL engine is being
// written on another branch; store_test.go switches to sqlstore once it is
// merged, and this file goes.

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/cognate-auth/cognate/internal/store"
)

type memStore struct {
	mu    sync.Mutex
	roles map[string]store.Role
	pols  map[store.PolicyOwner]map[string]store.InlinePolicy
	oidc  map[string]store.OIDCProvider
	saml  map[string]store.SAMLProvider
}

func newMem() *memStore {
	return &memStore{roles: map[string]store.Role{}, pols: map[store.PolicyOwner]map[string]store.InlinePolicy{}, oidc: map[string]store.OIDCProvider{}, saml: map[string]store.SAMLProvider{}}
}

func (m *memStore) CreateRole(_ context.Context, r store.Role) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := strings.ToLower(r.Name)
	if _, ok := m.roles[k]; ok {
		return store.ErrAlreadyExists
	}
	m.roles[k] = r
	return nil
}
func (m *memStore) GetRole(_ context.Context, name string) (store.Role, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.roles[strings.ToLower(name)]
	if !ok {
		return r, store.ErrNotFound
	}
	return r, nil
}
func (m *memStore) UpdateRole(_ context.Context, name string, fn func(*store.Role) error) (store.Role, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.roles[strings.ToLower(name)]
	if !ok {
		return r, store.ErrNotFound
	}
	if err := fn(&r); err != nil {
		return store.Role{}, err
	}
	m.roles[strings.ToLower(name)] = r
	return r, nil
}
func (m *memStore) DeleteRole(_ context.Context, name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.roles[strings.ToLower(name)]
	if !ok {
		return store.ErrNotFound
	}
	delete(m.roles, strings.ToLower(name))
	delete(m.pols, store.PolicyOwner{Kind: "role", Name: r.Name})
	return nil
}
func (m *memStore) ListRoles(_ context.Context, prefix, after string, limit int) ([]store.Role, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []store.Role
	for k, r := range m.roles {
		if strings.HasPrefix(r.Path, prefix) && k > strings.ToLower(after) {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b store.Role) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
func (m *memStore) PutPolicy(_ context.Context, o store.PolicyOwner, p store.InlinePolicy) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if o.Kind == "role" {
		if _, ok := m.roles[strings.ToLower(o.Name)]; !ok {
			return store.ErrNotFound
		}
	}
	if m.pols[o] == nil {
		m.pols[o] = map[string]store.InlinePolicy{}
	}
	m.pols[o][p.Name] = p
	return nil
}
func (m *memStore) GetPolicy(_ context.Context, o store.PolicyOwner, name string) (store.InlinePolicy, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.pols[o][name]
	if !ok {
		return p, store.ErrNotFound
	}
	return p, nil
}
func (m *memStore) DeletePolicy(_ context.Context, o store.PolicyOwner, name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.pols[o][name]; !ok {
		return store.ErrNotFound
	}
	delete(m.pols[o], name)
	return nil
}
func (m *memStore) ListPolicies(_ context.Context, o store.PolicyOwner) ([]store.InlinePolicy, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []store.InlinePolicy
	for _, p := range m.pols[o] {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b store.InlinePolicy) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}
func (m *memStore) CreateOIDCProvider(_ context.Context, p store.OIDCProvider) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.oidc[p.ARN]; ok {
		return store.ErrAlreadyExists
	}
	m.oidc[p.ARN] = p
	return nil
}
func (m *memStore) GetOIDCProvider(_ context.Context, arn string) (store.OIDCProvider, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.oidc[arn]
	if !ok {
		return p, store.ErrNotFound
	}
	return p, nil
}
func (m *memStore) ListOIDCProviders(context.Context) ([]store.OIDCProvider, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []store.OIDCProvider
	for _, p := range m.oidc {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b store.OIDCProvider) int { return strings.Compare(a.ARN, b.ARN) })
	return out, nil
}
func (m *memStore) DeleteOIDCProvider(_ context.Context, arn string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.oidc[arn]; !ok {
		return store.ErrNotFound
	}
	delete(m.oidc, arn)
	return nil
}
func (m *memStore) CreateSAMLProvider(_ context.Context, p store.SAMLProvider) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.saml[p.ARN]; ok {
		return store.ErrAlreadyExists
	}
	m.saml[p.ARN] = p
	return nil
}
func (m *memStore) GetSAMLProvider(_ context.Context, arn string) (store.SAMLProvider, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.saml[arn]
	if !ok {
		return p, store.ErrNotFound
	}
	return p, nil
}
func (m *memStore) ListSAMLProviders(context.Context) ([]store.SAMLProvider, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []store.SAMLProvider
	for _, p := range m.saml {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b store.SAMLProvider) int { return strings.Compare(a.ARN, b.ARN) })
	return out, nil
}
func (m *memStore) DeleteSAMLProvider(_ context.Context, arn string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.saml[arn]; !ok {
		return store.ErrNotFound
	}
	delete(m.saml, arn)
	return nil
}
