package federation

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// amazonTokenInfo is Login with Amazon's tokeninfo answer. Its exp is the
// seconds the token has left, not a time; iat is a Unix time.
type amazonTokenInfo struct {
	Issuer   string          `json:"iss"`
	UserID   string          `json:"user_id"`
	Audience string          `json:"aud"`
	AppID    string          `json:"app_id"`
	Exp      json.RawMessage `json:"exp"`
	IssuedAt json.RawMessage `json:"iat"`
}

// amazonError is Login with Amazon's OAuth 2.0 error answer.
type amazonError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

const (
	// maxAmazonUserID bounds user ids (amzn1.account.<28 characters>).
	maxAmazonUserID = 128
	// maxAmazonTokenLife bounds exp: access tokens live an hour.
	maxAmazonTokenLife = 86400
)

// inspectAmazon checks a Login with Amazon access token with the tokeninfo
// endpoint. The token names its application twice: by the application's
// id (app_id, amzn1.application.…) and by its security profile's client
// id (aud, amzn1.application-oa2-client.…); allow is handed both. The
// token's user is its user_id.
func (v *Verifier) inspectAmazon(ctx context.Context, token string, allow appFilter) (socialToken, error) {
	ctx, cancel := context.WithTimeout(ctx, socialTimeout)
	defer cancel()
	a, err := v.get(ctx, v.amazonURL+"/auth/o2/tokeninfo", url.Values{"access_token": {token}})
	if err != nil {
		return socialToken{}, &socialError{failure: providerUnavailable}
	}
	if a.status != http.StatusOK {
		return socialToken{}, v.amazonRefusal(ctx, a)
	}
	var info amazonTokenInfo
	left, expOK := int64(0), false
	if decodeObject(a.body, &info) == nil {
		left, expOK = jsonInt(info.Exp)
	}
	if !expOK || left > maxAmazonTokenLife || info.UserID == "" || len(info.UserID) > maxAmazonUserID || (info.Audience == "" && info.AppID == "") {
		v.cfg.Logger.WarnContext(ctx, "Login with Amazon answered unexpected token information", "bytes", len(a.body))
		return socialToken{}, &socialError{failure: providerUnavailable, status: a.status}
	}
	if left <= 0 {
		return socialToken{}, &socialError{failure: tokenExpired, status: a.status}
	}
	if !allow(info.AppID, info.Audience) {
		return socialToken{}, &socialError{failure: tokenOfOtherApp}
	}
	expires := v.now().Add(time.Duration(left) * time.Second).Truncate(time.Second)
	claims := map[string]any{"sub": info.UserID, "user_id": info.UserID, "aud": info.Audience, "app_id": info.AppID,
		"iss": info.Issuer, "exp": float64(expires.Unix())}
	if iat, ok := jsonInt(info.IssuedAt); ok {
		claims["iat"] = float64(iat)
	}
	return socialToken{user: info.UserID, appID: info.AppID, clientID: info.Audience, expires: expires, claims: claims}, nil
}

// amazonRefusal reads a tokeninfo error answer: the token's fault for
// invalid_token and invalid_request, the provider's for anything else.
func (v *Verifier) amazonRefusal(ctx context.Context, a providerAnswer) error {
	var e amazonError
	if a.status >= http.StatusInternalServerError || a.status == http.StatusTooManyRequests ||
		decodeObject(a.body, &e) != nil || (e.Error != "invalid_token" && e.Error != "invalid_request") {
		v.cfg.Logger.WarnContext(ctx, "Login with Amazon failed", "status", a.status, "error", e.Error, "description", e.Description)
		return &socialError{failure: providerUnavailable, status: a.status}
	}
	v.cfg.Logger.DebugContext(ctx, "Login with Amazon refused the token", "status", a.status, "error", e.Error, "description", e.Description)
	if strings.Contains(strings.ToLower(e.Description), "expired") {
		return &socialError{failure: tokenExpired, status: a.status}
	}
	return &socialError{failure: tokenRefused, status: a.status}
}

// jsonInt reads an integer given as a JSON number or a string of digits.
func jsonInt(raw json.RawMessage) (int64, bool) {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		s = string(raw)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}
