package federation

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/cognate-auth/cognate/internal/apierr"
)

// Facebook and Login with Amazon hand apps OAuth 2.0 access tokens, not
// signed ID tokens: the only way to check one is to ask the provider,
// which is what Cognito does. Cognito knows no more of the app than its id
// (SupportedLoginProviders), so neither can Cognate: no app secret, no app
// token.

// Default base URLs of the providers' token-inspection endpoints.
const (
	DefaultFacebookGraphURL = "https://graph.facebook.com"
	DefaultAmazonAPIURL     = "https://api.amazon.com"
)

const (
	// socialTimeout bounds one verification, every call to the provider
	// included.
	socialTimeout = 10 * time.Second
	// maxSocialResponse bounds what is read of a provider's answer; theirs
	// are a few hundred bytes.
	maxSocialResponse = 64 << 10
)

// codeExternalService is cognito-identity's error for "a dependent
// service such as Facebook or Twitter is not responding" (a client fault,
// status 400, in its model). Cognate answers it when the provider is down,
// throttles or answers what it never answers, so that a caller is not told
// that a token it may well hold rightly is invalid.
const codeExternalService = "ExternalServiceException"

func externalService(provider string) error {
	return apierr.New(codeExternalService, "The login token could not be checked: "+provider+" did not answer as expected. Try again later.")
}

// socialToken is what a provider's inspection endpoints say of an access
// token.
type socialToken struct {
	user string
	// appID is the app the token was issued to: Facebook's app id, Login
	// with Amazon's application id (app_id). clientID is, for Login with
	// Amazon, the application's security profile client id (aud).
	appID, clientID string
	// expires is zero when the provider does not say (Facebook).
	expires time.Time
	claims  map[string]any
}

// appFilter decides, once the provider has named the token's app, whether
// the token is of an app the caller accepts.
type appFilter func(appID, clientID string) bool

func anyApp(string, string) bool { return true }

// socialFailure is why a provider's inspection gave no token.
type socialFailure int

const (
	// providerUnavailable: the provider could not be reached, failed,
	// throttled, or answered what it never answers.
	providerUnavailable socialFailure = iota + 1
	// tokenRefused: the provider says the token is not valid.
	tokenRefused
	// tokenExpired: the provider says the token has expired.
	tokenExpired
	// tokenOfOtherApp: the token is valid, for an app the filter refused.
	tokenOfOtherApp
)

// socialError is an inspection's failure; each caller turns it into its
// service's error. status is the provider's HTTP status, when it answered.
type socialError struct {
	failure socialFailure
	status  int
}

func (e *socialError) Error() string {
	return fmt.Sprintf("social provider inspection failed (%d), HTTP status %d", e.failure, e.status)
}

// failureOf reads an inspection's error; anything but a *socialError is
// the provider's trouble.
func failureOf(err error) *socialError {
	var e *socialError
	if errors.As(err, &e) {
		return e
	}
	return &socialError{failure: providerUnavailable}
}

// inspect asks provider (Facebook or Amazon) about token.
func (v *Verifier) inspect(ctx context.Context, provider, token string, allow appFilter) (socialToken, error) {
	if provider == Facebook {
		return v.inspectFacebook(ctx, token, allow)
	}
	return v.inspectAmazon(ctx, token, allow)
}

// socialNames are the providers' names in Cognito's messages.
var socialNames = map[string]string{Facebook: "Facebook", Amazon: "Login with Amazon"}

// verifySocial checks a Facebook or Login with Amazon access token for an
// identity pool whose app id at provider is appID (Login with Amazon's
// may be the application id or the client id).
func (v *Verifier) verifySocial(ctx context.Context, provider, appID, token string) (Login, error) {
	t, err := v.inspect(ctx, provider, token, func(app, client string) bool {
		return app == appID || (client != "" && client == appID)
	})
	if err != nil {
		switch failureOf(err).failure {
		case tokenOfOtherApp:
			return Login{}, notAuthorized("Invalid login token. Incorrect token audience.")
		case tokenExpired:
			return Login{}, notAuthorized("Invalid login token. The " + socialNames[provider] + " access token has expired.")
		case tokenRefused:
			return Login{}, notAuthorized("Invalid login token. Not a valid " + socialNames[provider] + " access token.")
		}
		return Login{}, externalService(provider)
	}
	return Login{Provider: provider, Subject: t.user, Audience: appID, Claims: t.claims, Expires: t.expires}, nil
}

// STS's errors for a provider that cannot be asked and a token it refuses.
const (
	codeIDPCommunication = "IDPCommunicationError"
	codeIDPRejectedClaim = "IDPRejectedClaim"
)

// verifyAccessToken checks, for STS, an OAuth 2.0 access token of the
// provider STS's ProviderId names: graph.facebook.com or www.amazon.com.
// STS knows no app id of its own; the token's app and user become the
// condition keys AWS documents (graph.facebook.com:app_id and :id,
// www.amazon.com:app_id and :user_id), so that the role's trust policy
// decides which apps it accepts. Login with Amazon names its app twice (the
// application id and its security profile's client id) and the app_id key
// holds both, for trust policies are written with either.
func (v *Verifier) verifyAccessToken(ctx context.Context, providerID, token string) (WebIdentity, error) {
	if providerID != Facebook && providerID != Amazon {
		return WebIdentity{}, apierr.New(codeValidationError, "ProviderId "+providerID+" is not an OAuth 2.0 provider STS accepts "+
			"(graph.facebook.com, www.amazon.com); an OpenID Connect ID token is passed without a ProviderId.")
	}
	if looksLikeJWT(token) {
		// AWS: ProviderId is for OAuth 2.0 access tokens only; an ID
		// token goes without it, to be verified by its issuer's keys.
		return WebIdentity{}, apierr.New(codeInvalidIdentityToken, "The web identity token is a JSON web token: "+
			"ProviderId is only for OAuth 2.0 access tokens; pass an OpenID Connect ID token without it.")
	}
	t, err := v.inspect(ctx, providerID, token, anyApp)
	if err != nil {
		// A token the provider refuses is STS's IDPRejectedClaim (403), as
		// AWS answers it; anyApp refuses no app, so what is left is the
		// provider's trouble.
		f := failureOf(err)
		switch f.failure {
		case tokenExpired:
			return WebIdentity{}, apierr.New(codeExpiredToken, "The "+providerID+" access token has expired.")
		case tokenRefused:
			return WebIdentity{}, apierr.New(codeIDPRejectedClaim, fmt.Sprintf("%s: %s refused the access token (HTTP %d).", providerID, providerID, f.status))
		}
		return WebIdentity{}, apierr.New(codeIDPCommunication, providerID+" could not be asked about the access token: it did not answer as expected. Try again later.")
	}
	wi := WebIdentity{Principal: providerID, Provider: providerID, Subject: t.user, Audience: t.appID, Expires: t.expires}
	if providerID == Facebook {
		wi.Keys = map[string][]string{Facebook + ":app_id": {t.appID}, Facebook + ":id": {t.user}}
		return wi, nil
	}
	apps := []string{}
	for _, id := range []string{t.appID, t.clientID} {
		if id != "" && !slices.Contains(apps, id) {
			apps = append(apps, id)
		}
	}
	wi.Audience = cmp.Or(t.clientID, t.appID)
	wi.Keys = map[string][]string{Amazon + ":app_id": apps, Amazon + ":user_id": {t.user}}
	return wi, nil
}

// codeValidationError is STS's error for a parameter it does not accept.
const codeValidationError = "ValidationError"

// looksLikeJWT reports whether token is a JWS in compact form: three
// base64url segments, the first a JSON object.
func looksLikeJWT(token string) bool {
	if strings.Count(token, ".") != 2 {
		return false
	}
	header, _, _ := strings.Cut(token, ".")
	raw, err := base64.RawURLEncoding.DecodeString(header)
	return err == nil && decodeObject(raw, &map[string]any{}) == nil
}

// baseURL reads a configured provider base URL, def when empty.
func baseURL(name, raw, def string) (string, error) {
	if raw == "" {
		raw = def
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("federation: %s %q is not an absolute http(s) URL", name, raw)
	}
	return strings.TrimRight(raw, "/"), nil
}

// noRedirects refuses to follow redirects: the access token is in the
// query, and the providers' inspection endpoints do not redirect.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// providerAnswer is a provider's answer: its status and body, whole.
type providerAnswer struct {
	status int
	body   []byte
}

// errProviderFailed is a call that got no usable answer; the cause is
// logged, the caller told ExternalServiceException.
var errProviderFailed = errors.New("provider call failed")

// get calls endpoint (base URL and path) with query and returns the
// answer. A transport failure, a redirect or an oversized body is
// errProviderFailed; it is logged without the URL, whose query holds the
// token.
func (v *Verifier) get(ctx context.Context, endpoint string, query url.Values) (providerAnswer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+"?"+query.Encode(), nil)
	if err != nil {
		return providerAnswer{}, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := v.social.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		v.cfg.Logger.WarnContext(ctx, "identity provider unreachable", "endpoint", endpoint, "err", err)
		return providerAnswer{}, errProviderFailed
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxSocialResponse+1))
	if err != nil || len(body) > maxSocialResponse {
		v.cfg.Logger.WarnContext(ctx, "identity provider answer unreadable or too large", "endpoint", endpoint,
			"status", resp.StatusCode, "bytes", len(body), "err", err)
		return providerAnswer{}, errProviderFailed
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		v.cfg.Logger.WarnContext(ctx, "identity provider redirected", "endpoint", endpoint, "status", resp.StatusCode)
		return providerAnswer{}, errProviderFailed
	}
	return providerAnswer{status: resp.StatusCode, body: body}, nil
}

// decodeObject decodes a JSON object, and only an object.
func decodeObject(body []byte, out any) error {
	if body = bytes.TrimSpace(body); len(body) == 0 || body[0] != '{' {
		return errors.New("not a JSON object")
	}
	return json.Unmarshal(body, out)
}
