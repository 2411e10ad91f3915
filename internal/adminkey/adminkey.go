// Package adminkey manages the administrator access keys whose SigV4
// signatures Cognate accepts on privileged operations (Admin*, pool and
// client management).
//
// A key comes from the environment (COGNATE_ADMIN_ACCESS_KEY_ID and
// COGNATE_ADMIN_SECRET_ACCESS_KEY) or, when none is set, is generated on the
// first start and kept in the store, so every replica accepts it. The stored
// key can be read back (Stored) and replaced (Reset) by cognate admin-key.
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

// CacheFor is how long a server trusts a stored key it has looked up
// before looking again: a key Reset removed is refused by every running
// server at most this long afterwards.
const CacheFor = time.Minute

// ErrNone reports that the store holds no administrator key.
var ErrNone = errors.New("no administrator key is stored")

// Keys looks administrator secrets up; it implements sigv4.Credentials.
type Keys struct {
	store store.AccessKeyStore
	env   store.AccessKey
	now   func() time.Time
	mu    sync.RWMutex
	cache map[string]cachedSecret
}

type cachedSecret struct {
	secret string
	until  time.Time
}

// New returns the administrator keys: the environment's (if envID is set)
// and those in the store.
func New(st store.AccessKeyStore, envID, envSecret string) *Keys {
	return &Keys{store: st, env: store.AccessKey{ID: envID, Secret: envSecret}, now: time.Now, cache: map[string]cachedSecret{}}
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
	now := k.now()
	k.mu.RLock()
	c, ok := k.cache[id]
	k.mu.RUnlock()
	if ok && now.Before(c.until) {
		return c.secret, nil
	}
	key, err := k.store.GetAccessKey(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		k.mu.Lock()
		delete(k.cache, id)
		k.mu.Unlock()
		return "", sigv4.ErrUnknownKey
	}
	if err != nil {
		return "", err
	}
	k.mu.Lock()
	// id may be a slice of a request's header, which must not stay alive.
	k.cache[strings.Clone(id)] = cachedSecret{secret: key.Secret, until: now.Add(CacheFor)}
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
	key := generate(now)
	if err := k.store.AddAccessKey(ctx, key); err != nil {
		return nil, err
	}
	return &key, nil
}

// Stored returns the administrator key kept in the store (the newest, should
// there be several), or ErrNone.
func Stored(ctx context.Context, st store.AccessKeyStore) (store.AccessKey, error) {
	keys, err := st.ListAccessKeys(ctx)
	if err != nil {
		return store.AccessKey{}, err
	}
	if len(keys) == 0 {
		return store.AccessKey{}, ErrNone
	}
	newest := keys[0]
	for _, key := range keys[1:] {
		if key.CreatedAt.After(newest.CreatedAt) {
			newest = key
		}
	}
	return newest, nil
}

// Reset replaces every stored administrator key with a new one and returns
// it. Servers refuse the old keys within CacheFor; a key from the
// environment is not touched.
func Reset(ctx context.Context, st store.AccessKeyStore, now time.Time) (store.AccessKey, error) {
	key := generate(now)
	if err := st.ReplaceAccessKeys(ctx, key); err != nil {
		return store.AccessKey{}, err
	}
	return key, nil
}

func generate(now time.Time) store.AccessKey {
	return store.AccessKey{ID: "AKIA" + random(upperAlnum, 16), Secret: random(secretChars, 40), CreatedAt: now}
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
