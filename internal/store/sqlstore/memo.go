package sqlstore

import (
	"maps"
	"slices"
	"sync"

	"github.com/cognate-auth/cognate/internal/store"
)

// Bounds of a memo: how many distinct settings texts it keeps, how many
// bytes of text in all, and the longest text it keeps (a longer one is
// decoded every time). Settings are written only by signed administrator
// calls, each under the front door's 1 MiB body limit; the bytes bound
// keeps a memo at a few MiB (its decoded values are a small multiple of
// their text) however long the texts.
const (
	memoMax      = 256
	memoMaxBytes = 4 << 20
	memoMaxText  = memoMaxBytes / 16
)

// A memo remembers what a settings column decodes to, keyed by the column's
// exact text. Every sign-in and token check reads its pool and app client;
// decoding their settings (a pool's schema alone is 3 KB of JSON) cost more
// than the reads themselves. The rows are still read every time, so a change
// made by any replica is seen at once: only the decoding of text already
// seen is skipped. Callers get a deep copy, which they may change. When a
// new text would pass memoMax or memoMaxBytes the memo starts afresh.
type memo[T any] struct {
	column string
	clone  func(T) T
	mu     sync.Mutex
	m      map[string]T
	bytes  int // length of the texts held
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
	if len(text) > memoMaxText {
		return v, nil // not kept, so the caller may have it
	}
	m.mu.Lock()
	if _, ok := m.m[text]; !ok {
		if len(m.m) >= memoMax || m.bytes+len(text) > memoMaxBytes {
			clear(m.m)
			m.bytes = 0
		}
		m.m[text] = v
		m.bytes += len(text)
	}
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
