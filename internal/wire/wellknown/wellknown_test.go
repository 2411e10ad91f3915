package wellknown

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/tokens"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const (
	testPool   = "us-east-1_Example12"
	publicURL  = "https://auth.example.com"
	goldenPath = "testdata/openid-configuration.golden.json"
)

// memKeys is the smallest store.KeyStore the handler's tests need.
type memKeys struct {
	mu   sync.Mutex
	keys map[string][]store.SigningKey
}

func (m *memKeys) AddSigningKey(_ context.Context, k store.SigningKey) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.keys == nil {
		m.keys = map[string][]store.SigningKey{}
	}
	m.keys[k.PoolID] = append(m.keys[k.PoolID], k)
	return nil
}

func (m *memKeys) SigningKeys(_ context.Context, poolID string) ([]store.SigningKey, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.keys[poolID]), nil
}

func (m *memKeys) RetireSigningKey(_ context.Context, poolID, kid string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.keys[poolID] {
		if m.keys[poolID][i].KID == kid {
			m.keys[poolID][i].RetiredAt = at
		}
	}
	return nil
}

func (m *memKeys) DeleteSigningKey(context.Context, string, string) error { return nil }

// poolsNamed reports the given pools as existing.
func poolsNamed(ids ...string) PoolExists {
	return func(_ context.Context, id string) error {
		if slices.Contains(ids, id) {
			return nil
		}
		return fmt.Errorf("pool %s: %w", id, store.ErrNotFound)
	}
}

func newHandler(t *testing.T) (*Handler, *tokens.Issuer) {
	t.Helper()
	iss := tokens.NewIssuer(&memKeys{}, tokens.Options{})
	return New(iss, poolsNamed(testPool), publicURL+"/"), iss
}

func get(t *testing.T, h http.Handler, path string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestDiscoveryGolden(t *testing.T) {
	h, _ := newHandler(t)
	w := get(t, h, "/"+testPool+"/.well-known/openid-configuration")
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	checkHeaders(t, w)
	if *update {
		if err := os.WriteFile(goldenPath, w.Body.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(w.Body.Bytes(), bytes.TrimSpace(want)) {
		t.Errorf("discovery document differs from %s (run with -update to accept):\n got %s\nwant %s", goldenPath, w.Body, want)
	}

	var d Discovery
	if err := json.Unmarshal(w.Body.Bytes(), &d); err != nil {
		t.Fatal(err)
	}
	if want := tokens.IssuerURL(publicURL, testPool); d.Issuer != want {
		t.Errorf("issuer = %q, want the tokens' iss %q", d.Issuer, want)
	}
	if d.JWKSURI != d.Issuer+"/.well-known/jwks.json" {
		t.Errorf("jwks_uri = %q, not under the issuer", d.JWKSURI)
	}
}

// TestDiscoveryAdvertisesOnlyServedURLs: every URL the document names
// answers, and the members OpenID Connect Discovery requires of a verifier's
// view (issuer, keys, signing algorithms, subject and response types) are
// present.
func TestDiscoveryAdvertisesOnlyServedURLs(t *testing.T) {
	h, _ := newHandler(t)
	w := get(t, h, "/"+testPool+"/.well-known/openid-configuration")
	var doc map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"issuer", "jwks_uri", "id_token_signing_alg_values_supported", "subject_types_supported", "response_types_supported"} {
		if _, ok := doc[name]; !ok {
			t.Errorf("no %s", name)
		}
	}
	for name, v := range doc {
		if !strings.HasSuffix(name, "_endpoint") && !strings.HasSuffix(name, "_uri") {
			continue
		}
		u, _ := v.(string)
		path, ok := strings.CutPrefix(u, publicURL)
		if !ok {
			t.Errorf("%s = %q, not under %s", name, u, publicURL)
			continue
		}
		if w := get(t, h, path); w.Code != http.StatusOK {
			t.Errorf("%s = %q answers %d", name, u, w.Code)
		}
	}
}

func TestJWKS(t *testing.T) {
	h, iss := newHandler(t)
	w := get(t, h, "/"+testPool+"/.well-known/jwks.json")
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	checkHeaders(t, w)
	want, err := iss.JWKS(context.Background(), testPool)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(w.Body.Bytes(), want) {
		t.Errorf("body = %s, want %s", w.Body, want)
	}

	// A client holding the document gets 304 until it changes.
	etag := w.Header().Get("ETag")
	if w := get(t, h, "/"+testPool+"/.well-known/jwks.json", "If-None-Match", etag); w.Code != http.StatusNotModified {
		t.Errorf("If-None-Match with the current ETag: status %d, want 304", w.Code)
	}
	if _, err := iss.Rotate(context.Background(), testPool); err != nil {
		t.Fatal(err)
	}
	if w := get(t, h, "/"+testPool+"/.well-known/jwks.json", "If-None-Match", etag); w.Code != http.StatusOK {
		t.Errorf("If-None-Match after rotation: status %d, want 200", w.Code)
	}
}

func checkHeaders(t *testing.T, w *httptest.ResponseRecorder) {
	t.Helper()
	for name, want := range map[string]string{
		"Content-Type":                "application/json",
		"Access-Control-Allow-Origin": "*",
		"Cache-Control":               cacheControl,
	} {
		if got := w.Header().Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if w.Header().Get("ETag") == "" {
		t.Error("no ETag")
	}
}

func TestErrors(t *testing.T) {
	iss := tokens.NewIssuer(&memKeys{}, tokens.Options{})
	broken := New(iss, func(context.Context, string) error { return errors.New("database is down") }, publicURL)
	h, _ := newHandler(t)
	tests := []struct {
		name    string
		h       http.Handler
		method  string
		path    string
		status  int
		body    string
		corsSet bool
	}{
		{"unknown pool, discovery", h, "GET", "/us-east-1_Missing00/.well-known/openid-configuration", notFoundStatus,
			`{"message":"User pool us-east-1_Missing00 does not exist."}`, true},
		{"unknown pool, JWKS", h, "GET", "/us-east-1_Missing00/.well-known/jwks.json", notFoundStatus,
			`{"message":"User pool us-east-1_Missing00 does not exist."}`, true},
		{"store failure", broken, "GET", "/" + testPool + "/.well-known/jwks.json", http.StatusInternalServerError,
			`{"message":"Internal server error."}`, true},
		{"other document", h, "GET", "/" + testPool + "/.well-known/other.json", http.StatusNotFound, "", false},
		{"POST", h, "POST", "/" + testPool + "/.well-known/jwks.json", http.StatusMethodNotAllowed, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			tt.h.ServeHTTP(w, httptest.NewRequest(tt.method, tt.path, nil))
			if w.Code != tt.status {
				t.Errorf("status = %d, want %d", w.Code, tt.status)
			}
			if tt.body != "" && w.Body.String() != tt.body {
				t.Errorf("body = %s, want %s", w.Body, tt.body)
			}
			if tt.corsSet && w.Header().Get("Access-Control-Allow-Origin") != "*" {
				t.Error("no CORS header on the error")
			}
		})
	}
}

func TestHEAD(t *testing.T) {
	h, _ := newHandler(t)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodHead, "/"+testPool+"/.well-known/openid-configuration", nil))
	if w.Code != http.StatusOK {
		t.Errorf("HEAD status %d", w.Code)
	}
}
