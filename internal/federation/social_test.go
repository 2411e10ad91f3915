package federation

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cognate-auth/cognate/internal/apierr"
)

// socialProvider stands in for graph.facebook.com and api.amazon.com on
// loopback: the endpoints Cognate calls, answering as the real ones do
// (their success and error JSON), for the tokens it was given. fault makes
// every answer a failure of the provider.
type socialProvider struct {
	srv *httptest.Server
	mu  sync.Mutex
	// facebook and amazon are the valid tokens.
	facebook map[string]facebookToken
	amazon   map[string]amazonToken
	fault    string
	received []string // access_token of each request, as decoded
	bad      []string // requests whose query was not as Cognate sends it
}

type facebookToken struct{ app, user string }

type amazonToken struct {
	clientID, appID, user string
	left                  int // seconds; 0 or less is expired
}

func newSocialProvider(t *testing.T) *socialProvider {
	t.Helper()
	p := &socialProvider{facebook: map[string]facebookToken{}, amazon: map[string]amazonToken{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /app", func(w http.ResponseWriter, r *http.Request) { p.graph(w, r, "app") })
	mux.HandleFunc("GET /me", func(w http.ResponseWriter, r *http.Request) { p.graph(w, r, "me") })
	mux.HandleFunc("GET /auth/o2/tokeninfo", p.tokenInfo)
	mux.HandleFunc("GET /elsewhere", func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.bad = append(p.bad, "followed a redirect")
		p.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{"id": "1", "user_id": "amzn1.account.R", "aud": "x", "app_id": "x", "exp": 3600})
	})
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	return p
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// token records the request's access token and checks its query holds
// exactly the parameters Cognate sends, once each.
func (p *socialProvider) token(r *http.Request, params ...string) (string, string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	q := r.URL.Query()
	tokens := q["access_token"]
	if len(tokens) != 1 || len(q) != len(params) {
		p.bad = append(p.bad, r.URL.RawQuery)
	}
	for _, k := range params {
		if len(q[k]) != 1 {
			p.bad = append(p.bad, r.URL.RawQuery)
		}
	}
	if len(tokens) > 0 {
		p.received = append(p.received, tokens[0])
	}
	return q.Get("access_token"), p.fault
}

// answerFault answers as a provider in trouble does; false when there is
// no fault.
func answerFault(w http.ResponseWriter, r *http.Request, fault string, throttled func()) bool {
	switch fault {
	case "":
		return false
	case "500":
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
	case "garbage":
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html><body>Sorry, something went wrong.</body></html>"))
	case "not found":
		http.Error(w, "<html>404</html>", http.StatusNotFound)
	case "huge":
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"1","user_id":"amzn1.account.R","aud":"x","app_id":"x","exp":3600,"padding":"` +
			strings.Repeat("A", 1<<20) + `"}`))
	case "redirect":
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	case "slow":
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	case "throttled":
		throttled()
	}
	return true
}

func (p *socialProvider) graph(w http.ResponseWriter, r *http.Request, object string) {
	token, fault := p.token(r, "access_token", "fields")
	if answerFault(w, r, fault, func() {
		writeJSON(w, http.StatusForbidden, map[string]any{"error": map[string]any{"message": "(#4) Application request limit reached",
			"type": "OAuthException", "is_transient": true, "code": 4, "fbtrace_id": "AbCdEf"}})
	}) {
		return
	}
	oauthError := func(msg string, subcode int) {
		e := map[string]any{"message": msg, "type": "OAuthException", "code": 190, "fbtrace_id": "AbCdEf"}
		if subcode != 0 {
			e["error_subcode"] = subcode
		}
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": e})
	}
	p.mu.Lock()
	tok, ok := p.facebook[token]
	p.mu.Unlock()
	switch {
	case token == "fb-expired":
		oauthError("Error validating access token: Session has expired on Thursday, 03-Dec-26 10:00:00 PST.", 463)
	case !ok:
		oauthError("Invalid OAuth access token - Cannot parse access token", 0)
	case object == "app":
		writeJSON(w, http.StatusOK, map[string]any{"link": "https://www.facebook.com/games/?app_id=" + tok.app, "name": "App", "id": tok.app})
	default:
		writeJSON(w, http.StatusOK, map[string]any{"id": tok.user})
	}
}

func (p *socialProvider) tokenInfo(w http.ResponseWriter, r *http.Request) {
	token, fault := p.token(r, "access_token")
	if answerFault(w, r, fault, func() {
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"error": "TooManyRequests", "error_description": "Rate exceeded"})
	}) {
		return
	}
	p.mu.Lock()
	tok, ok := p.amazon[token]
	p.mu.Unlock()
	if !ok {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error_description": "The request has an invalid parameter : access_token",
			"error": "invalid_token"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"iss": "https://www.amazon.com", "user_id": tok.user, "aud": tok.clientID,
		"app_id": tok.appID, "exp": tok.left, "iat": time.Now().Unix()})
}

func (p *socialProvider) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fault, p.received, p.bad = "", nil, nil
}

// newSocialVerifier is a Verifier that asks p for both providers and logs
// into logs.
func newSocialVerifier(t *testing.T, p *socialProvider, logs *bytes.Buffer) *Verifier {
	t.Helper()
	v, err := New(Config{IDTokens: &idTokens{}, Providers: providers{}, AccountID: "000000000000", PublicURL: "http://127.0.0.1:9229",
		MasterKey: testKey, FacebookGraphURL: p.srv.URL, AmazonAPIURL: p.srv.URL + "/",
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func wantAPIError(t *testing.T, what string, err error, code, message string) {
	t.Helper()
	var e *apierr.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("%s: error %v, want %s", what, err, code)
	}
	if !strings.Contains(e.Message, message) {
		t.Fatalf("%s: message %q, want one containing %q", what, e.Message, message)
	}
}

const (
	fbApp     = "1234567890123"
	lwaApp    = "amzn1.application.0123456789abcdef0123456789abcdef"
	lwaClient = "amzn1.application-oa2-client.fedcba9876543210fedcba9876543210"
	// tricky is a token whose characters mean something in a query.
	tricky = "EAAB&access_token=fb-other-app&fields=name#frag %2F+=?;"
)

func TestSocialLogins(t *testing.T) {
	p := newSocialProvider(t)
	p.facebook["fb-good"] = facebookToken{app: fbApp, user: "10150000000000001"}
	p.facebook["fb-other-app"] = facebookToken{app: "999999999999", user: "10150000000000002"}
	p.facebook[tricky] = facebookToken{app: fbApp, user: "10150000000000003"}
	p.amazon["Atza|good"] = amazonToken{clientID: lwaClient, appID: lwaApp, user: "amzn1.account.AAAAAAAAAAAAAAAAAAAAAAAAAAAA", left: 3598}
	p.amazon["Atza|other-app"] = amazonToken{clientID: "amzn1.application-oa2-client.other", appID: "amzn1.application.other",
		user: "amzn1.account.BBBBBBBBBBBBBBBBBBBBBBBBBBBB", left: 3598}
	p.amazon["Atza|expired"] = amazonToken{clientID: lwaClient, appID: lwaApp, user: "amzn1.account.CCCCCCCCCCCCCCCCCCCCCCCCCCCC", left: 0}
	p.amazon[tricky] = amazonToken{clientID: lwaClient, appID: lwaApp, user: "amzn1.account.DDDDDDDDDDDDDDDDDDDDDDDDDDDD", left: 60}
	var logs bytes.Buffer
	v := newSocialVerifier(t, p, &logs)
	trust := Trust{IdentityPoolID: "us-east-1:p", SupportedLoginProviders: map[string]string{Facebook: fbApp, Amazon: lwaApp}}
	byClientID := Trust{IdentityPoolID: "us-east-1:p", SupportedLoginProviders: map[string]string{Amazon: lwaClient}}
	googleOnly := Trust{IdentityPoolID: "us-east-1:p", SupportedLoginProviders: map[string]string{google: "web.apps.googleusercontent.com"}}

	tests := []struct {
		name            string
		trust           Trust
		provider, token string
		fault           string
		wantSubject     string
		wantCode        string // empty: accepted
		wantMessage     string
		wantCalls       int // requests the provider receives; -1 for any
	}{
		{name: "facebook", trust: trust, provider: Facebook, token: "fb-good", wantSubject: "10150000000000001", wantCalls: 2},
		{name: "facebook token of another app", trust: trust, provider: Facebook, token: "fb-other-app",
			wantCode: apierr.NotAuthorized, wantMessage: "Incorrect token audience", wantCalls: 1},
		{name: "facebook expired token", trust: trust, provider: Facebook, token: "fb-expired",
			wantCode: apierr.NotAuthorized, wantMessage: "has expired", wantCalls: 1},
		{name: "facebook invalid token", trust: trust, provider: Facebook, token: "not-a-token",
			wantCode: apierr.NotAuthorized, wantMessage: "Not a valid Facebook access token", wantCalls: 1},
		{name: "facebook characters to escape", trust: trust, provider: Facebook, token: tricky, wantSubject: "10150000000000003", wantCalls: 2},
		{name: "facebook query injection", trust: trust, provider: Facebook, token: "x&access_token=fb-good",
			wantCode: apierr.NotAuthorized, wantMessage: "Not a valid Facebook access token", wantCalls: 1},
		{name: "facebook not in the pool", trust: googleOnly, provider: Facebook, token: "fb-good",
			wantCode: apierr.NotAuthorized, wantMessage: "not from a supported provider"},
		{name: "facebook 500", trust: trust, provider: Facebook, token: "fb-good", fault: "500", wantCode: codeExternalService, wantCalls: 1},
		{name: "facebook garbage", trust: trust, provider: Facebook, token: "fb-good", fault: "garbage", wantCode: codeExternalService, wantCalls: 1},
		{name: "facebook 404 page", trust: trust, provider: Facebook, token: "fb-good", fault: "not found", wantCode: codeExternalService, wantCalls: 1},
		{name: "facebook huge body", trust: trust, provider: Facebook, token: "fb-good", fault: "huge", wantCode: codeExternalService, wantCalls: 1},
		{name: "facebook redirect", trust: trust, provider: Facebook, token: "fb-good", fault: "redirect", wantCode: codeExternalService, wantCalls: 1},
		{name: "facebook throttled", trust: trust, provider: Facebook, token: "fb-good", fault: "throttled", wantCode: codeExternalService, wantCalls: 1},

		{name: "amazon by app id", trust: trust, provider: Amazon, token: "Atza|good", wantSubject: "amzn1.account.AAAAAAAAAAAAAAAAAAAAAAAAAAAA", wantCalls: 1},
		{name: "amazon by client id", trust: byClientID, provider: Amazon, token: "Atza|good", wantSubject: "amzn1.account.AAAAAAAAAAAAAAAAAAAAAAAAAAAA", wantCalls: 1},
		{name: "amazon token of another app", trust: trust, provider: Amazon, token: "Atza|other-app",
			wantCode: apierr.NotAuthorized, wantMessage: "Incorrect token audience", wantCalls: 1},
		{name: "amazon expired token", trust: trust, provider: Amazon, token: "Atza|expired",
			wantCode: apierr.NotAuthorized, wantMessage: "has expired", wantCalls: 1},
		{name: "amazon invalid token", trust: trust, provider: Amazon, token: "Atza|forged",
			wantCode: apierr.NotAuthorized, wantMessage: "Not a valid Login with Amazon access token", wantCalls: 1},
		{name: "amazon characters to escape", trust: trust, provider: Amazon, token: tricky, wantSubject: "amzn1.account.DDDDDDDDDDDDDDDDDDDDDDDDDDDD", wantCalls: 1},
		{name: "amazon query injection", trust: trust, provider: Amazon, token: "x&access_token=Atza|good",
			wantCode: apierr.NotAuthorized, wantMessage: "Not a valid Login with Amazon access token", wantCalls: 1},
		{name: "amazon not in the pool", trust: googleOnly, provider: Amazon, token: "Atza|good",
			wantCode: apierr.NotAuthorized, wantMessage: "not from a supported provider"},
		{name: "amazon 500", trust: trust, provider: Amazon, token: "Atza|good", fault: "500", wantCode: codeExternalService, wantCalls: 1},
		{name: "amazon garbage", trust: trust, provider: Amazon, token: "Atza|good", fault: "garbage", wantCode: codeExternalService, wantCalls: 1},
		{name: "amazon 404 page", trust: trust, provider: Amazon, token: "Atza|good", fault: "not found", wantCode: codeExternalService, wantCalls: 1},
		{name: "amazon huge body", trust: trust, provider: Amazon, token: "Atza|good", fault: "huge", wantCode: codeExternalService, wantCalls: 1},
		{name: "amazon redirect", trust: trust, provider: Amazon, token: "Atza|good", fault: "redirect", wantCode: codeExternalService, wantCalls: 1},
		{name: "amazon throttled", trust: trust, provider: Amazon, token: "Atza|good", fault: "throttled", wantCode: codeExternalService, wantCalls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p.reset()
			p.fault = tt.fault
			l, err := v.Verify(t.Context(), tt.trust, tt.provider, tt.token)
			p.mu.Lock()
			received, bad := p.received, p.bad
			p.mu.Unlock()
			if len(bad) > 0 {
				t.Fatalf("the provider got requests Cognate should not send: %q", bad)
			}
			if len(received) != tt.wantCalls {
				t.Fatalf("the provider got %d requests, want %d", len(received), tt.wantCalls)
			}
			for _, got := range received {
				if got != tt.token {
					t.Fatalf("the provider got the token %q, want %q", got, tt.token)
				}
			}
			if tt.wantCode != "" {
				wantAPIError(t, tt.name, err, tt.wantCode, tt.wantMessage)
				if l.Subject != "" {
					t.Fatalf("a refused login came with %+v", l)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			appID := tt.trust.SupportedLoginProviders[tt.provider]
			if l.Provider != tt.provider || l.Subject != tt.wantSubject || l.Audience != appID ||
				l.Claims["sub"] != tt.wantSubject || l.Claims["aud"] == nil {
				t.Fatalf("login %+v", l)
			}
			switch tt.provider {
			case Facebook:
				if !l.Expires.IsZero() || l.Claims["app_id"] != fbApp || l.Claims["id"] != tt.wantSubject {
					t.Fatalf("facebook login %+v", l)
				}
			case Amazon:
				left := p.amazon[tt.token].left
				if d := time.Until(l.Expires) - time.Duration(left)*time.Second; d < -5*time.Second || d > time.Second {
					t.Fatalf("amazon login expires %v, want in %ds", l.Expires, left)
				}
				if l.Claims["app_id"] != lwaApp || l.Claims["aud"] != lwaClient || l.Claims["user_id"] != tt.wantSubject {
					t.Fatalf("amazon claims %v", l.Claims)
				}
			}
		})
	}
	for _, secret := range []string{"fb-good", "Atza|good"} {
		if strings.Contains(logs.String(), secret) {
			t.Fatalf("a token reached the log:\n%s", logs.String())
		}
	}
}

// TestSocialProviderUnreachable: a provider that is down or too slow is
// ExternalServiceException (STS: IDPCommunicationError), and the token stays out of the log even
// though the failed request's URL holds it.
func TestSocialProviderUnreachable(t *testing.T) {
	p := newSocialProvider(t)
	p.facebook["fb-good"] = facebookToken{app: fbApp, user: "1"}
	p.amazon["Atza|good"] = amazonToken{clientID: lwaClient, appID: lwaApp, user: "amzn1.account.A", left: 3600}
	trust := Trust{IdentityPoolID: "us-east-1:p", SupportedLoginProviders: map[string]string{Facebook: fbApp, Amazon: lwaApp}}
	var logs bytes.Buffer
	v := newSocialVerifier(t, p, &logs)

	p.fault = "slow"
	for provider, token := range map[string]string{Facebook: "fb-good", Amazon: "Atza|good"} {
		ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
		_, err := v.Verify(ctx, trust, provider, token)
		cancel()
		wantAPIError(t, provider+" slow", err, codeExternalService, provider)
	}

	for provider, token := range map[string]string{Facebook: "fb-good", Amazon: "Atza|good"} {
		ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
		_, err := v.VerifyWebIdentity(ctx, token, provider)
		cancel()
		wantAPIError(t, provider+" slow, for STS", err, codeIDPCommunication, provider)
	}

	p.srv.Close()
	for provider, token := range map[string]string{Facebook: "fb-good", Amazon: "Atza|good"} {
		_, err := v.Verify(t.Context(), trust, provider, token)
		wantAPIError(t, provider+" down", err, codeExternalService, provider)
		_, err = v.VerifyWebIdentity(t.Context(), token, provider)
		wantAPIError(t, provider+" down, for STS", err, codeIDPCommunication, provider)
	}
	if !strings.Contains(logs.String(), "identity provider unreachable") {
		t.Fatalf("the failures were not logged:\n%s", logs.String())
	}
	for _, secret := range []string{"fb-good", "Atza|good", "Atza%7Cgood"} {
		if strings.Contains(logs.String(), secret) {
			t.Fatalf("a token reached the log:\n%s", logs.String())
		}
	}
}

func TestSocialBaseURLs(t *testing.T) {
	for _, bad := range []string{"graph.facebook.com", "ftp://graph.facebook.com", "https://", "https://x/?q=1", "://x"} {
		_, err := New(Config{IDTokens: &idTokens{}, Providers: providers{}, PublicURL: "http://127.0.0.1:9229", MasterKey: testKey,
			FacebookGraphURL: bad})
		if err == nil {
			t.Errorf("Facebook Graph URL %q accepted", bad)
		}
		_, err = New(Config{IDTokens: &idTokens{}, Providers: providers{}, PublicURL: "http://127.0.0.1:9229", MasterKey: testKey,
			AmazonAPIURL: bad})
		if err == nil {
			t.Errorf("Amazon API URL %q accepted", bad)
		}
	}
	v, err := New(Config{IDTokens: &idTokens{}, Providers: providers{}, PublicURL: "http://127.0.0.1:9229", MasterKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	if v.facebookURL != DefaultFacebookGraphURL || v.amazonURL != DefaultAmazonAPIURL {
		t.Fatalf("defaults %q %q", v.facebookURL, v.amazonURL)
	}
}

// TestWebIdentityAccessTokens: STS's AssumeRoleWithWebIdentity with a
// ProviderId asks the same endpoints as identity pools do, but accepts the
// token of any app: the token's app and user become the condition keys
// the role's trust policy is evaluated with.
func TestWebIdentityAccessTokens(t *testing.T) {
	p := newSocialProvider(t)
	p.facebook["fb-good"] = facebookToken{app: fbApp, user: "10150000000000001"}
	p.facebook["fb-other-app"] = facebookToken{app: "999999999999", user: "10150000000000002"}
	p.amazon["Atza|good"] = amazonToken{clientID: lwaClient, appID: lwaApp, user: "amzn1.account.AAAAAAAAAAAAAAAAAAAAAAAAAAAA", left: 3598}
	p.amazon["Atza|client-only"] = amazonToken{clientID: lwaClient, user: "amzn1.account.BBBBBBBBBBBBBBBBBBBBBBBBBBBB", left: 60}
	p.amazon["Atza|expired"] = amazonToken{clientID: lwaClient, appID: lwaApp, user: "amzn1.account.CCCCCCCCCCCCCCCCCCCCCCCCCCCC", left: 0}
	var logs bytes.Buffer
	v := newSocialVerifier(t, p, &logs)
	identityToken, err := v.Mint(t.Context(), "us-east-1:p", "us-east-1:id", []string{"authenticated"}, nil, time.Hour)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name                string
		providerID, token   string
		fault               string
		wantSubject         string
		wantAudience        string
		wantKeys            map[string][]string
		wantCode, wantInMsg string
		wantCalls           int
	}{
		{name: "facebook", providerID: Facebook, token: "fb-good", wantSubject: "10150000000000001", wantAudience: fbApp,
			wantKeys: map[string][]string{"graph.facebook.com:app_id": {fbApp}, "graph.facebook.com:id": {"10150000000000001"}}, wantCalls: 2},
		{name: "facebook token of another app", providerID: Facebook, token: "fb-other-app", wantSubject: "10150000000000002", wantAudience: "999999999999",
			wantKeys: map[string][]string{"graph.facebook.com:app_id": {"999999999999"}, "graph.facebook.com:id": {"10150000000000002"}}, wantCalls: 2},
		{name: "facebook expired", providerID: Facebook, token: "fb-expired", wantCode: codeExpiredToken, wantInMsg: "expired", wantCalls: 1},
		{name: "facebook refused", providerID: Facebook, token: "not-a-token", wantCode: codeIDPRejectedClaim, wantInMsg: "graph.facebook.com: graph.facebook.com refused the access token (HTTP 400)", wantCalls: 1},
		{name: "facebook query injection", providerID: Facebook, token: "x&access_token=fb-good", wantCode: codeIDPRejectedClaim, wantCalls: 1},
		{name: "facebook 500", providerID: Facebook, token: "fb-good", fault: "500", wantCode: codeIDPCommunication, wantInMsg: "graph.facebook.com", wantCalls: 1},
		{name: "facebook garbage", providerID: Facebook, token: "fb-good", fault: "garbage", wantCode: codeIDPCommunication, wantCalls: 1},
		{name: "facebook throttled", providerID: Facebook, token: "fb-good", fault: "throttled", wantCode: codeIDPCommunication, wantCalls: 1},
		{name: "facebook redirect", providerID: Facebook, token: "fb-good", fault: "redirect", wantCode: codeIDPCommunication, wantCalls: 1},
		{name: "facebook huge body", providerID: Facebook, token: "fb-good", fault: "huge", wantCode: codeIDPCommunication, wantCalls: 1},

		{name: "amazon", providerID: Amazon, token: "Atza|good", wantSubject: "amzn1.account.AAAAAAAAAAAAAAAAAAAAAAAAAAAA", wantAudience: lwaClient,
			wantKeys: map[string][]string{"www.amazon.com:app_id": {lwaApp, lwaClient}, "www.amazon.com:user_id": {"amzn1.account.AAAAAAAAAAAAAAAAAAAAAAAAAAAA"}}, wantCalls: 1},
		{name: "amazon token naming only its client", providerID: Amazon, token: "Atza|client-only", wantSubject: "amzn1.account.BBBBBBBBBBBBBBBBBBBBBBBBBBBB", wantAudience: lwaClient,
			wantKeys: map[string][]string{"www.amazon.com:app_id": {lwaClient}, "www.amazon.com:user_id": {"amzn1.account.BBBBBBBBBBBBBBBBBBBBBBBBBBBB"}}, wantCalls: 1},
		{name: "amazon expired", providerID: Amazon, token: "Atza|expired", wantCode: codeExpiredToken, wantInMsg: "www.amazon.com access token has expired", wantCalls: 1},
		{name: "amazon refused", providerID: Amazon, token: "Atza|forged", wantCode: codeIDPRejectedClaim, wantInMsg: "(HTTP 400)", wantCalls: 1},
		{name: "amazon 500", providerID: Amazon, token: "Atza|good", fault: "500", wantCode: codeIDPCommunication, wantInMsg: "www.amazon.com", wantCalls: 1},
		{name: "amazon throttled", providerID: Amazon, token: "Atza|good", fault: "throttled", wantCode: codeIDPCommunication, wantCalls: 1},
		{name: "amazon garbage", providerID: Amazon, token: "Atza|good", fault: "garbage", wantCode: codeIDPCommunication, wantCalls: 1},

		{name: "ID token with a ProviderId", providerID: Facebook, token: identityToken, wantCode: codeInvalidIdentityToken, wantInMsg: "ProviderId is only for OAuth 2.0 access tokens"},
		{name: "unsigned JWT with a ProviderId", providerID: Amazon, token: "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", wantCode: codeInvalidIdentityToken},
		{name: "Google", providerID: "accounts.google.com", token: "ya29.token", wantCode: codeValidationError, wantInMsg: "ProviderId accounts.google.com"},
		{name: "identity pools' provider", providerID: IdentityProvider, token: identityToken, wantCode: codeValidationError},
		{name: "provider in other case", providerID: "Graph.Facebook.com", token: "fb-good", wantCode: codeValidationError},
		{name: "oversized", providerID: Facebook, token: strings.Repeat("A", maxTokenBytes+1), wantCode: codeInvalidIdentityToken, wantInMsg: "too long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p.reset()
			p.fault = tt.fault
			wi, err := v.VerifyWebIdentity(t.Context(), tt.token, tt.providerID)
			p.mu.Lock()
			received, bad := p.received, p.bad
			p.mu.Unlock()
			if len(bad) > 0 {
				t.Fatalf("the provider got requests Cognate should not send: %q", bad)
			}
			if len(received) != tt.wantCalls {
				t.Fatalf("the provider got %d requests, want %d", len(received), tt.wantCalls)
			}
			if tt.wantCode != "" {
				wantAPIError(t, tt.name, err, tt.wantCode, tt.wantInMsg)
				if wi.Subject != "" || wi.Keys != nil {
					t.Fatalf("a refused token came with %+v", wi)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if wi.Principal != tt.providerID || wi.Provider != tt.providerID || wi.Subject != tt.wantSubject || wi.Audience != tt.wantAudience ||
				!maps.EqualFunc(wi.Keys, tt.wantKeys, slices.Equal) {
				t.Fatalf("web identity %+v", wi)
			}
			if left := p.amazon[tt.token].left; tt.providerID == Amazon {
				if d := time.Until(wi.Expires) - time.Duration(left)*time.Second; d < -5*time.Second || d > time.Second {
					t.Fatalf("expires %v, want in %ds", wi.Expires, left)
				}
			} else if !wi.Expires.IsZero() {
				t.Fatalf("a Facebook token expires %v: the Graph API does not say", wi.Expires)
			}
		})
	}
	for _, secret := range []string{"fb-good", "Atza|good"} {
		if strings.Contains(logs.String(), secret) {
			t.Fatalf("a token reached the log:\n%s", logs.String())
		}
	}
}
