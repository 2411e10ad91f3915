// Package wellknown serves a user pool's OpenID Connect discovery document
// and JSON Web Key Set, at Cognito's paths:
//
//	GET /{poolId}/.well-known/openid-configuration
//	GET /{poolId}/.well-known/jwks.json
//
// The document's issuer is tokens.IssuerURL(publicURL, poolId), exactly the
// "iss" of the pool's tokens, so OpenID Connect libraries that discover the
// pool verify its tokens with no configuration beyond that URL. The
// document names only endpoints Cognate serves (see Discovery).
package wellknown

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/tokens"
)

// Paths of the endpoints, as http.ServeMux patterns.
const (
	DiscoveryPattern = "GET /{poolId}/.well-known/openid-configuration"
	JWKSPattern      = "GET /{poolId}/.well-known/jwks.json"
)

// cacheControl lets clients and proxies keep both documents for a while.
// Key rotation adds a key before it signs on other replicas only within the
// issuer's cache TTL, so verifiers that refetch on an unknown kid (as
// go-oidc and aws-jwt-verify do) are not held up by it.
const cacheControl = "public, max-age=300"

// notFoundStatus is the status of the answer for a pool that does not exist.
// The one sample of Cognito's answer found (a client's test fixture of a
// deleted pool) is 400 with {"message":"User pool <id> does not exist."}.
const notFoundStatus = http.StatusBadRequest

// PoolExists reports whether a pool exists: nil if it does, an error
// wrapping store.ErrNotFound if it does not, any other error on failure.
type PoolExists func(ctx context.Context, poolID string) error

// Handler serves the well-known documents of every pool.
type Handler struct {
	issuer    *tokens.Issuer
	exists    PoolExists
	publicURL string
	log       *slog.Logger
	mux       *http.ServeMux
}

// New returns a Handler. publicURL is the base URL Cognate is reached at,
// "https://auth.example.com"; the issuer and the key set's URL are under it.
func New(issuer *tokens.Issuer, exists PoolExists, publicURL string) *Handler {
	h := &Handler{
		issuer:    issuer,
		exists:    exists,
		publicURL: strings.TrimRight(publicURL, "/"),
		log:       slog.Default(),
	}
	h.mux = http.NewServeMux()
	h.Register(h.mux)
	return h
}

// Register adds the handler's routes to mux, for servers that compose
// several handlers on one mux.
func (h *Handler) Register(mux *http.ServeMux) {
	mux.HandleFunc(DiscoveryPattern, h.serveDiscovery)
	mux.HandleFunc(JWKSPattern, h.serveJWKS)
}

// ServeHTTP serves the two documents; other paths get 404.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mux.ServeHTTP(w, r)
}

// Discovery is the pool's OpenID Connect discovery document, with the
// members in Cognito's (alphabetical) order.
//
// It says only what is true of this server: the issuer (the tokens' iss),
// where its keys are, how its ID tokens are signed and what their subjects
// are. OpenID Connect Discovery 1.0 (section 3) also requires
// authorization_endpoint and token_endpoint, and Cognito lists those, the
// userinfo and logout endpoints, scopes and token endpoint authentication
// methods. Cognate serves none of those endpoints yet (its OAuth 2.0 and
// hosted sign-in pages do not exist), and a document sending clients to
// URLs that answer 400 is worse than one a strict client refuses, so they
// are left out until they exist. response_types_supported, required too,
// describes the authorization endpoint: it is present and empty. Token
// verifiers need nothing more: go-oidc, for one, reads issuer, jwks_uri and
// id_token_signing_alg_values_supported (oidc_test.go).
type Discovery struct {
	IDTokenSigningAlgValuesSupported []string `json:"id_token_signing_alg_values_supported"`
	Issuer                           string   `json:"issuer"`
	JWKSURI                          string   `json:"jwks_uri"`
	ResponseTypesSupported           []string `json:"response_types_supported"`
	SubjectTypesSupported            []string `json:"subject_types_supported"`
}

// DiscoveryFor returns the discovery document of a pool served at publicURL.
func DiscoveryFor(publicURL, poolID string) Discovery {
	issuer := tokens.IssuerURL(publicURL, poolID)
	return Discovery{
		IDTokenSigningAlgValuesSupported: []string{"RS256"},
		Issuer:                           issuer,
		JWKSURI:                          issuer + "/.well-known/jwks.json",
		ResponseTypesSupported:           []string{},
		SubjectTypesSupported:            []string{"public"},
	}
}

func (h *Handler) serveDiscovery(w http.ResponseWriter, r *http.Request) {
	poolID := r.PathValue("poolId")
	if !h.checkPool(w, r, poolID) {
		return
	}
	body, err := json.Marshal(DiscoveryFor(h.publicURL, poolID))
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	h.write(w, r, body)
}

func (h *Handler) serveJWKS(w http.ResponseWriter, r *http.Request) {
	poolID := r.PathValue("poolId")
	if !h.checkPool(w, r, poolID) {
		return
	}
	body, err := h.issuer.JWKS(r.Context(), poolID)
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	h.write(w, r, body)
}

// checkPool answers for a pool that does not exist and reports whether the
// request may go on.
func (h *Handler) checkPool(w http.ResponseWriter, r *http.Request, poolID string) bool {
	err := h.exists(r.Context(), poolID)
	switch {
	case err == nil:
		return true
	case errors.Is(err, store.ErrNotFound):
		writeJSON(w, notFoundStatus, message("User pool "+poolID+" does not exist."))
	default:
		h.internalError(w, r, err)
	}
	return false
}

// write sends a document with its validator, answering a matching
// If-None-Match with 304.
func (h *Handler) write(w http.ResponseWriter, r *http.Request, body []byte) {
	sum := sha256.Sum256(body)
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"`
	hdr := w.Header()
	hdr.Set("Access-Control-Allow-Origin", "*")
	hdr.Set("Cache-Control", cacheControl)
	hdr.Set("ETag", etag)
	if matchesETag(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	writeJSON(w, http.StatusOK, body)
}

// matchesETag reports whether an If-None-Match header lists etag.
func matchesETag(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

func (h *Handler) internalError(w http.ResponseWriter, r *http.Request, err error) {
	h.log.ErrorContext(r.Context(), "well-known document failed", "path", r.URL.Path, "err", err)
	writeJSON(w, http.StatusInternalServerError, message("Internal server error."))
}

// message is the body of an error answer: {"message":"..."}.
func message(text string) []byte {
	b, _ := json.Marshal(struct {
		Message string `json:"message"`
	}{text})
	return b
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	hdr := w.Header()
	hdr.Set("Access-Control-Allow-Origin", "*")
	hdr.Set("Content-Type", "application/json")
	hdr.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
