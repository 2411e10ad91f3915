package tokens

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cognate-auth/cognate/internal/store"
)

// memKeys is a store.KeyStore in memory, keeping the engines' promises:
// oldest first, ErrAlreadyExists and ErrNotFound. It counts reads so tests
// can check the hot paths leave the store alone.
type memKeys struct {
	mu    sync.Mutex
	keys  map[string][]store.SigningKey
	reads atomic.Int64
}

func newMemKeys() *memKeys { return &memKeys{keys: map[string][]store.SigningKey{}} }

func (m *memKeys) AddSigningKey(_ context.Context, k store.SigningKey) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, o := range m.keys[k.PoolID] {
		if o.KID == k.KID {
			return fmt.Errorf("key %s: %w", k.KID, store.ErrAlreadyExists)
		}
	}
	k.PrivateDER = slices.Clone(k.PrivateDER)
	m.keys[k.PoolID] = append(m.keys[k.PoolID], k)
	return nil
}

func (m *memKeys) SigningKeys(_ context.Context, poolID string) ([]store.SigningKey, error) {
	m.reads.Add(1)
	m.mu.Lock()
	defer m.mu.Unlock()
	out := slices.Clone(m.keys[poolID])
	slices.SortStableFunc(out, func(a, b store.SigningKey) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return out, nil
}

func (m *memKeys) RetireSigningKey(_ context.Context, poolID, kid string, at time.Time) error {
	return m.update(poolID, kid, func(ks []store.SigningKey, i int) []store.SigningKey {
		ks[i].RetiredAt = at
		return ks
	})
}

func (m *memKeys) DeleteSigningKey(_ context.Context, poolID, kid string) error {
	return m.update(poolID, kid, func(ks []store.SigningKey, i int) []store.SigningKey {
		return slices.Delete(ks, i, i+1)
	})
}

func (m *memKeys) update(poolID, kid string, f func([]store.SigningKey, int) []store.SigningKey) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := slices.IndexFunc(m.keys[poolID], func(k store.SigningKey) bool { return k.KID == kid })
	if i < 0 {
		return fmt.Errorf("key %s: %w", kid, store.ErrNotFound)
	}
	m.keys[poolID] = f(m.keys[poolID], i)
	return nil
}

func (m *memKeys) count(poolID string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.keys[poolID])
}
