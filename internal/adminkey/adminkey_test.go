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
