package sqlstore

import (
	"maps"
	"slices"
	"sync"

	"github.com/cognate-auth/cognate/internal/store"
)

// memoMax bounds how many distinct settings texts a memo keeps.
const memoMax = 256

// A memo remembers what a settings column decodes to, keyed by the column's
// exact text. Every sign-in and token check reads its pool and app client;
// decoding their settings (a pool's schema alone is 3 KB of JSON) cost more
// than the reads themselves. The rows are still read every time, so a change
// made by any replica is seen at once: only the decoding of text already
// seen is skipped. Callers get a deep copy, which they may change.
type memo[T any] struct {
	column string
	clone  func(T) T
	mu     sync.Mutex
	m      map[string]T
}

func newMemo[T any](column string, clone func(T) T) *memo[T] {
	return &memo[T]{column: column, clone: clone, m: map[string]T{}}
}

// decode returns text decoded, from the memo when it holds that text.
func (m *memo[T]) decode(text string) (T, error) {
	m.mu.Lock()
	v, ok := m.m[text]
	m.mu.Unlock()
	if ok {
		return m.clone(v), nil
	}
	if err := decodeJSON(m.column, text, &v); err != nil {
		return v, err
	}
	m.mu.Lock()
	if len(m.m) >= memoMax {
		clear(m.m)
	}
	m.m[text] = v
	m.mu.Unlock()
	return m.clone(v), nil
}

// clonePoolSettings deep-copies pool settings.
func clonePoolSettings(s store.PoolSettings) store.PoolSettings {
	if s.Schema != nil {
		schema := make([]store.SchemaAttribute, len(s.Schema))
		for i, a := range s.Schema {
			a.MinLength, a.MaxLength = clonePtr(a.MinLength), clonePtr(a.MaxLength)
			a.MinValue, a.MaxValue = clonePtr(a.MinValue), clonePtr(a.MaxValue)
			schema[i] = a
		}
		s.Schema = schema
	}
	s.UsernameAttributes = slices.Clone(s.UsernameAttributes)
	s.AliasAttributes = slices.Clone(s.AliasAttributes)
	s.AutoVerifiedAttributes = slices.Clone(s.AutoVerifiedAttributes)
	s.AttributesRequireVerificationBeforeUpdate = slices.Clone(s.AttributesRequireVerificationBeforeUpdate)
	s.AccountRecovery = slices.Clone(s.AccountRecovery)
	s.Tags = maps.Clone(s.Tags)
	if s.ResourceServers != nil {
		servers := make([]store.ResourceServer, len(s.ResourceServers))
		for i, r := range s.ResourceServers {
			r.Scopes = slices.Clone(r.Scopes)
			servers[i] = r
		}
		s.ResourceServers = servers
	}
	s.FirstAuthFactors = slices.Clone(s.FirstAuthFactors)
	s.Devices = clonePtr(s.Devices)
	s.EmailConfiguration = clonePtr(s.EmailConfiguration)
	s.SMSConfiguration = clonePtr(s.SMSConfiguration)
	s.WebAuthnConfiguration = clonePtr(s.WebAuthnConfiguration)
	if s.UserPoolAddOns != nil {
		a := *s.UserPoolAddOns
		a.AdvancedSecurityAdditionalFlows = clonePtr(a.AdvancedSecurityAdditionalFlows)
		s.UserPoolAddOns = &a
	}
	return s
}

// cloneClientSettings deep-copies app client settings.
func cloneClientSettings(s store.ClientSettings) store.ClientSettings {
	s.ExplicitAuthFlows = slices.Clone(s.ExplicitAuthFlows)
	s.ReadAttributes = slices.Clone(s.ReadAttributes)
	s.WriteAttributes = slices.Clone(s.WriteAttributes)
	s.CallbackURLs = slices.Clone(s.CallbackURLs)
	s.LogoutURLs = slices.Clone(s.LogoutURLs)
	s.AllowedOAuthFlows = slices.Clone(s.AllowedOAuthFlows)
	s.AllowedOAuthScopes = slices.Clone(s.AllowedOAuthScopes)
	s.SupportedIdentityProviders = slices.Clone(s.SupportedIdentityProviders)
	s.AnalyticsConfiguration = clonePtr(s.AnalyticsConfiguration)
	return s
}

// clonePtr copies what p points to, which must hold no pointers itself.
func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
