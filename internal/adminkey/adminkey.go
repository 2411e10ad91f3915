// Package adminkey manages the administrator access keys whose SigV4
// signatures Cognate accepts on privileged operations (Admin*, pool and
// client management).
//
// A key comes from the environment (COGNATE_ADMIN_ACCESS_KEY_ID and
// COGNATE_ADMIN_SECRET_ACCESS_KEY) or, when none is set, is generated on the
// first start and kept in the store, so every replica accepts it.
package adminkey

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/cognate-auth/cognate/internal/sigv4"
	"github.com/cognate-auth/cognate/internal/store"
)

// Keys looks administrator secrets up; it implements sigv4.Credentials.
type Keys struct {
	store store.AccessKeyStore
	env   store.AccessKey
	mu    sync.RWMutex
	cache map[string]string // keys are immutable once stored
}

// New returns the administrator keys: the environment's (if envID is set)
// and those in the store.
func New(st store.AccessKeyStore, envID, envSecret string) *Keys {
	return &Keys{store: st, env: store.AccessKey{ID: envID, Secret: envSecret}, cache: map[string]string{}}
}

// SecretKey returns the secret of an administrator key. Administrator keys
// are long-term: a request carrying a session token is not theirs.
func (k *Keys) SecretKey(ctx context.Context, id, sessionToken string) (string, error) {
	if sessionToken != "" {
		return "", fmt.Errorf("%w: session tokens are not accepted for administrator keys", sigv4.ErrUnknownKey)
	}
	if k.env.ID != "" && id == k.env.ID {
		return k.env.Secret, nil
	}
	k.mu.RLock()
	secret, ok := k.cache[id]
	k.mu.RUnlock()
	if ok {
		return secret, nil
	}
	key, err := k.store.GetAccessKey(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return "", sigv4.ErrUnknownKey
	}
	if err != nil {
		return "", err
	}
	k.mu.Lock()
	k.cache[strings.Clone(id)] = key.Secret // id may be a slice of a request's header
	k.mu.Unlock()
	return key.Secret, nil
}

// Bootstrap makes sure an administrator key exists. When the environment
// names none and the store holds none, it generates one, stores it and
// returns it so the caller can show it once; otherwise it returns nil.
func (k *Keys) Bootstrap(ctx context.Context, now time.Time) (*store.AccessKey, error) {
	if k.env.ID != "" {
		return nil, nil
	}
	keys, err := k.store.ListAccessKeys(ctx)
	if err != nil || len(keys) > 0 {
		return nil, err
	}
	key := store.AccessKey{ID: "AKIA" + random(upperAlnum, 16), Secret: random(secretChars, 40), CreatedAt: now}
	if err := k.store.AddAccessKey(ctx, key); err != nil {
		return nil, err
	}
	return &key, nil
}

const (
	upperAlnum  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	secretChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
)

// random draws n characters from an alphabet whose size divides 256.
func random(alphabet string, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
