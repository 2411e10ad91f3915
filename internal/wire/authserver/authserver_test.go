package authserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/oauth"
	"github.com/cognate-auth/cognate/internal/userpool"
)

// fakeGrants records the grant it was asked for and answers as told.
type fakeGrants struct {
	got userpool.ClientCredentialsInput
	err error
}

func (f *fakeGrants) ClientCredentials(_ context.Context, in userpool.ClientCredentialsInput) (userpool.AccessToken, error) {
	f.got = in
	if f.err != nil {
		return userpool.AccessToken{}, f.err
	}
	return userpool.AccessToken{Token: "token-for-" + in.ClientID, ExpiresIn: 3600}, nil
}

const domainHost = "app.auth.localhost:9229"

func poolOfHost(_ context.Context, host string) (string, error) {
	switch host {
	case domainHost:
		return "us-east-1_Pool00001", nil
	case "broken.auth.localhost":
		return "", errors.New("store down")
	}
	return "", fmt.Errorf("%w: %s", ErrNoDomain, host)
}

func serve(t *testing.T, g *fakeGrants, host, contentType, body string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	mux := http.NewServeMux()
	New(g, poolOfHost, nil).Register(mux)
	r := httptest.NewRequest(http.MethodPost, "/oauth2/token", strings.NewReader(body))
	r.Host = host
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, r)
	return w
}

const form = "application/x-www-form-urlencoded"

func basic(id, secret string) string {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.SetBasicAuth(id, secret)
	return r.Header.Get("Authorization")
}

func TestTokenClientCredentials(t *testing.T) {
	cases := []struct {
		name            string
		body            string
		auth            string
		wantID, wantSec string
		wantScopes      []string
	}{
		{"basic", "grant_type=client_credentials&scope=rs%2Fread+rs%2Fwrite", basic("client1", "s3cret"), "client1", "s3cret", []string{"rs/read", "rs/write"}},
		{"post", "grant_type=client_credentials&client_id=client2&client_secret=s3cret", "", "client2", "s3cret", nil},
		{"basic with the same client_id", "grant_type=client_credentials&client_id=client1", basic("client1", "s"), "client1", "s", nil},
		{"repeated scope", "grant_type=client_credentials&scope=rs%2Fa%20rs%2Fa", basic("c", "s"), "c", "s", []string{"rs/a"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := &fakeGrants{}
			w := serve(t, g, domainHost, form+"; charset=utf-8", c.body, "Authorization", c.auth)
			if w.Code != http.StatusOK {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			want := userpool.ClientCredentialsInput{PoolID: "us-east-1_Pool00001", ClientID: c.wantID, ClientSecret: c.wantSec, Scopes: c.wantScopes}
			if g.got.PoolID != want.PoolID || g.got.ClientID != want.ClientID || g.got.ClientSecret != want.ClientSecret || !slices.Equal(g.got.Scopes, want.Scopes) {
				t.Errorf("grant got %+v, want %+v", g.got, want)
			}
			if got := w.Body.String(); got != `{"access_token":"token-for-`+c.wantID+`","expires_in":3600,"token_type":"Bearer"}` {
				t.Errorf("body %s", got)
			}
			if w.Header().Get("Cache-Control") != "no-store" || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
				t.Errorf("headers %v", w.Header())
			}
		})
	}
}

func TestTokenErrors(t *testing.T) {
	long := strings.Repeat("x", maxBody)
	many := make([]string, oauth.MaxScopes+1)
	for i := range many {
		many[i] = fmt.Sprintf("rs/s%d", i)
	}
	cases := []struct {
		name        string
		host, ctype string
		body, auth  string
		grantErr    error
		status      int
		want        string // the error member
	}{
		{"not a domain", "cognito.example.com", form, "grant_type=client_credentials", "", nil, 404, ""},
		{"domain lookup fails", "broken.auth.localhost", form, "grant_type=client_credentials", "", nil, 500, "server_error"},
		{"json body", domainHost, "application/json", `{"grant_type":"client_credentials"}`, "", nil, 400, oauth.InvalidRequest},
		{"no content type", domainHost, "", "grant_type=client_credentials", "", nil, 400, oauth.InvalidRequest},
		{"body too large", domainHost, form, "grant_type=client_credentials&x=" + long, "", nil, 400, oauth.InvalidRequest},
		{"not a form", domainHost, form, "grant_type=%zz", "", nil, 400, oauth.InvalidRequest},
		{"parameter twice", domainHost, form, "grant_type=client_credentials&grant_type=client_credentials", "", nil, 400, oauth.InvalidRequest},
		{"no grant type", domainHost, form, "scope=rs%2Fa", basic("c", "s"), nil, 400, oauth.InvalidRequest},
		{"password grant", domainHost, form, "grant_type=password&username=u&password=p", basic("c", "s"), nil, 400, oauth.UnsupportedGrantType},
		{"two client authentications", domainHost, form, "grant_type=client_credentials&client_secret=s", basic("c", "s"), nil, 400, oauth.InvalidRequest},
		{"another client_id in the body", domainHost, form, "grant_type=client_credentials&client_id=d", basic("c", "s"), nil, 400, oauth.InvalidRequest},
		{"bearer, not basic", domainHost, form, "grant_type=client_credentials", "Bearer abc", nil, 400, oauth.InvalidClient},
		{"too many scopes", domainHost, form, "grant_type=client_credentials&scope=" + url.QueryEscape(strings.Join(many, " ")), basic("c", "s"), nil, 400, oauth.InvalidScope},
		{"grant refused", domainHost, form, "grant_type=client_credentials", basic("c", "s"), oauth.Errorf(oauth.InvalidClient, ""), 400, oauth.InvalidClient},
		{"trigger refused", domainHost, form, "grant_type=client_credentials", basic("c", "s"),
			apierr.New(apierr.UserLambdaValidation, "PreTokenGeneration failed with error no."), 400, oauth.InvalidRequest},
		{"internal", domainHost, form, "grant_type=client_credentials", basic("c", "s"), apierr.Internal(errors.New("disk")), 500, "server_error"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := &fakeGrants{err: c.grantErr}
			w := serve(t, g, c.host, c.ctype, c.body, "Authorization", c.auth)
			if w.Code != c.status {
				t.Fatalf("status %d, want %d: %s", w.Code, c.status, w.Body)
			}
			if c.want == "" {
				return
			}
			var e errorResponse
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error != c.want {
				t.Errorf("body %s, want error %s", w.Body, c.want)
			}
			if strings.Contains(w.Body.String(), "disk") {
				t.Errorf("an internal cause reached the client: %s", w.Body)
			}
		})
	}
}

func FuzzTokenRequest(f *testing.F) {
	f.Add("grant_type=client_credentials&scope=rs%2Fa", "Basic Yzpz")
	f.Add("grant_type=client_credentials&client_id=c&client_secret=s", "")
	f.Add("%%%", "Basic ???")
	f.Fuzz(func(t *testing.T, body, auth string) {
		g := &fakeGrants{}
		w := serve(t, g, domainHost, form, body, "Authorization", auth)
		switch w.Code {
		case http.StatusOK:
			if g.got.ClientID == "" && g.got.ClientSecret == "" && auth == "" && !strings.Contains(body, "client_") {
				t.Fatalf("a grant ran with no client: %+v", g.got)
			}
		case http.StatusBadRequest:
			var e errorResponse
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error == "" {
				t.Fatalf("400 without an error member: %s", w.Body)
			}
		default:
			t.Fatalf("status %d", w.Code)
		}
	})
}
