// Package authserver serves the OAuth 2.0 endpoints of a user pool's
// domain, as Cognito's authorization server answers them. The domain a
// request came to (its Host) names the pool; every answer is JSON, with
// RFC 6749's error codes.
//
//	POST /oauth2/token   the token endpoint: client_credentials
//
// The grants themselves, and every rule about clients, scopes and tokens,
// are in internal/userpool and internal/oauth; this package reads the
// request, authenticates nothing itself, and writes the answer.
package authserver

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/oauth"
	"github.com/cognate-auth/cognate/internal/userpool"
)

// TokenPattern is the token endpoint's http.ServeMux pattern.
const TokenPattern = "POST /oauth2/token"

// maxBody bounds a token request: its parameters are a few hundred bytes.
const maxBody = 64 << 10

// ErrNoDomain is what a PoolOfHost returns for a host that is no pool's
// domain.
var ErrNoDomain = errors.New("authserver: no user pool domain is served at this host")

// PoolOfHost returns the pool whose domain host (a request's Host, port
// and all) is, or an error wrapping ErrNoDomain.
type PoolOfHost func(ctx context.Context, host string) (poolID string, err error)

// Grants are the grants the token endpoint runs.
type Grants interface {
	ClientCredentials(ctx context.Context, in userpool.ClientCredentialsInput) (userpool.AccessToken, error)
}

// Handler serves the endpoints.
type Handler struct {
	grants Grants
	pool   PoolOfHost
	log    *slog.Logger
}

// New returns a Handler; log may be nil.
func New(grants Grants, pool PoolOfHost, log *slog.Logger) *Handler {
	if log == nil {
		log = slog.Default()
	}
	return &Handler{grants: grants, pool: pool, log: log}
}

// Register adds the endpoints to mux.
func (h *Handler) Register(mux *http.ServeMux) {
	mux.HandleFunc(TokenPattern, h.serveToken)
}

// tokenResponse is the token endpoint's success (RFC 6749 section 5.1), in
// Cognito's member order.
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int64  `json:"expires_in"`
	TokenType   string `json:"token_type"`
}

func (h *Handler) serveToken(w http.ResponseWriter, r *http.Request) {
	poolID, err := h.pool(r.Context(), r.Host)
	if errors.Is(err, ErrNoDomain) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	form, err := readForm(w, r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	id, secret, err := clientCredentials(r, form)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	switch form.Get("grant_type") {
	case "":
		h.fail(w, r, oauth.Errorf(oauth.InvalidRequest, "grant_type is required"))
	case oauth.GrantClientCredentials:
		scopes, ok := oauth.ParseScope(form.Get("scope"))
		if !ok {
			h.fail(w, r, oauth.Errorf(oauth.InvalidScope, ""))
			return
		}
		t, err := h.grants.ClientCredentials(r.Context(), userpool.ClientCredentialsInput{
			PoolID: poolID, ClientID: id, ClientSecret: secret, Scopes: scopes})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, tokenResponse{AccessToken: t.Token, ExpiresIn: t.ExpiresIn, TokenType: "Bearer"})
	default:
		h.fail(w, r, oauth.Errorf(oauth.UnsupportedGrantType, ""))
	}
}

// readForm reads a token request's parameters: a form in the body, each
// parameter at most once (RFC 6749 section 3.2).
func readForm(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return nil, oauth.Errorf(oauth.InvalidRequest, "Content-Type must be application/x-www-form-urlencoded")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, oauth.Errorf(oauth.InvalidRequest, "the request body is too large")
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, oauth.Errorf(oauth.InvalidRequest, "the request body is not a form")
	}
	for name, values := range form {
		if len(values) > 1 {
			return nil, oauth.Errorf(oauth.InvalidRequest, name+" is given more than once")
		}
	}
	return form, nil
}

// clientCredentials returns the client's id and secret, from the
// Authorization header (client_secret_basic) or the form
// (client_secret_post); a request using both ways is refused (RFC 6749
// section 2.3), and a client_id in the form must then name the same client.
func clientCredentials(r *http.Request, form url.Values) (id, secret string, err error) {
	if r.Header.Get("Authorization") == "" {
		return form.Get("client_id"), form.Get("client_secret"), nil
	}
	id, secret, ok := r.BasicAuth()
	switch {
	case !ok || id == "":
		return "", "", oauth.Errorf(oauth.InvalidClient, "")
	case form.Has("client_secret"):
		return "", "", oauth.Errorf(oauth.InvalidRequest, "the client authenticates in the Authorization header and in the body")
	case form.Has("client_id") && form.Get("client_id") != id:
		return "", "", oauth.Errorf(oauth.InvalidRequest, "client_id is not the client of the Authorization header")
	}
	return id, secret, nil
}

// errorResponse is an OAuth error answer (RFC 6749 section 5.2).
type errorResponse struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

// fail answers with err: an *oauth.Error as it is, with status 400 as
// Cognito's documentation shows for every code; a refusal of the pool's
// trigger functions as invalid_request with the exception's message; and
// anything else as server_error, logged.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	var oe *oauth.Error
	var ae *apierr.Error
	switch {
	case errors.As(err, &oe):
		writeJSON(w, http.StatusBadRequest, errorResponse{Error: oe.Code, Description: oe.Description})
	case errors.As(err, &ae) && ae.Code != apierr.InternalError:
		writeJSON(w, http.StatusBadRequest, errorResponse{Error: oauth.InvalidRequest, Description: ae.Message})
	default:
		h.log.ErrorContext(r.Context(), "oauth endpoint failed", "path", r.URL.Path, "err", err)
		writeJSON(w, http.StatusInternalServerError, errorResponse{Error: "server_error"})
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json;charset=UTF-8")
	// Tokens and errors about them are never cached (RFC 6749 section 5.1).
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
