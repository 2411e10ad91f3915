package adminkey

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cognate-auth/cognate/internal/sigv4"
	"github.com/cognate-auth/cognate/internal/store"
)

// keyStore is an in-memory AccessKeyStore.
type keyStore struct{ keys []store.AccessKey }

func (s *keyStore) AddAccessKey(_ context.Context, k store.AccessKey) error {
	s.keys = append(s.keys, k)
	return nil
}

func (s *keyStore) GetAccessKey(_ context.Context, id string) (store.AccessKey, error) {
	for _, k := range s.keys {
		if k.ID == id {
			return k, nil
		}
	}
	return store.AccessKey{}, store.ErrNotFound
}

func (s *keyStore) ListAccessKeys(context.Context) ([]store.AccessKey, error) { return s.keys, nil }

func (s *keyStore) ReplaceAccessKeys(_ context.Context, k store.AccessKey) error {
	s.keys = []store.AccessKey{k}
	return nil
}

func TestBootstrapGeneratesOnce(t *testing.T) {
	ctx := context.Background()
	st := &keyStore{}
	k, err := New(st, "", "").Bootstrap(ctx, time.Now())
	if err != nil || k == nil || len(k.ID) != 20 || k.ID[:4] != "AKIA" || len(k.Secret) != 40 {
		t.Fatalf("generated %+v, %v", k, err)
	}
	again, err := New(st, "", "").Bootstrap(ctx, time.Now())
	if err != nil || again != nil || len(st.keys) != 1 {
		t.Fatalf("second start generated %+v (%d keys), %v", again, len(st.keys), err)
	}
	secret, err := New(st, "", "").SecretKey(ctx, k.ID, "")
	if err != nil || secret != k.Secret {
		t.Fatalf("SecretKey = %q, %v", secret, err)
	}
}

func TestEnvironmentKey(t *testing.T) {
	ctx := context.Background()
	st := &keyStore{}
	keys := New(st, "AKIAENV", "env-secret")
	if k, err := keys.Bootstrap(ctx, time.Now()); k != nil || err != nil || len(st.keys) != 0 {
		t.Fatalf("bootstrap with an environment key generated %+v, %v", k, err)
	}
	if s, err := keys.SecretKey(ctx, "AKIAENV", ""); s != "env-secret" || err != nil {
		t.Fatalf("SecretKey = %q, %v", s, err)
	}
	for _, c := range []struct{ id, token string }{{"AKIAOTHER", ""}, {"AKIAENV", "session-token"}} {
		if _, err := keys.SecretKey(ctx, c.id, c.token); !errors.Is(err, sigv4.ErrUnknownKey) {
			t.Errorf("SecretKey(%s, %q) err = %v, want ErrUnknownKey", c.id, c.token, err)
		}
	}
}

func TestStoredAndReset(t *testing.T) {
	ctx := context.Background()
	st := &keyStore{}
	if _, err := Stored(ctx, st); !errors.Is(err, ErrNone) {
		t.Fatalf("Stored of an empty store: err = %v, want ErrNone", err)
	}
	start := time.Now()
	first, err := New(st, "", "").Bootstrap(ctx, start)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := Stored(ctx, st); err != nil || got != *first {
		t.Fatalf("Stored = %+v, %v; want the bootstrapped %+v", got, err, *first)
	}

	// A running server has looked the first key up.
	now := start
	server := New(st, "", "")
	server.now = func() time.Time { return now }
	if _, err := server.SecretKey(ctx, first.ID, ""); err != nil {
		t.Fatal(err)
	}

	second, err := Reset(ctx, st, start.Add(time.Second))
	if err != nil || second.ID == first.ID || second.Secret == first.Secret || len(second.ID) != 20 || len(second.Secret) != 40 {
		t.Fatalf("Reset = %+v, %v", second, err)
	}
	if got, err := Stored(ctx, st); err != nil || got != second || len(st.keys) != 1 {
		t.Fatalf("after Reset: Stored = %+v, %v (%d keys); want only %+v", got, err, len(st.keys), second)
	}
	if s, err := server.SecretKey(ctx, second.ID, ""); err != nil || s != second.Secret {
		t.Fatalf("the new key on a running server: %q, %v", s, err)
	}
	now = now.Add(CacheFor)
	if _, err := server.SecretKey(ctx, first.ID, ""); !errors.Is(err, sigv4.ErrUnknownKey) {
		t.Fatalf("the replaced key %s after CacheFor: err = %v, want ErrUnknownKey", CacheFor, err)
	}
}
