package federation

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
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
