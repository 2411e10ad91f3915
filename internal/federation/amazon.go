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

// verifyAmazon checks a Login with Amazon access token with the tokeninfo
// endpoint. The pool's app id may be the application's id
// (amzn1.application.…, the token's app_id) or its security profile's
// client id (amzn1.application-oa2-client.…, the token's aud); the login's
// subject is the token's user_id.
func (v *Verifier) verifyAmazon(ctx context.Context, appID, token string) (Login, error) {
	ctx, cancel := context.WithTimeout(ctx, socialTimeout)
	defer cancel()
	endpoint := v.amazonURL + "/auth/o2/tokeninfo"
	a, err := v.get(ctx, endpoint, url.Values{"access_token": {token}})
	if err != nil {
		return Login{}, externalService(Amazon)
	}
	if a.status != http.StatusOK {
		return Login{}, v.amazonRefusal(ctx, a)
	}
	var info amazonTokenInfo
	left, expOK := int64(0), false
	if decodeObject(a.body, &info) == nil {
		left, expOK = jsonInt(info.Exp)
	}
	if !expOK || left > maxAmazonTokenLife || info.UserID == "" || len(info.UserID) > maxAmazonUserID || (info.Audience == "" && info.AppID == "") {
		v.cfg.Logger.WarnContext(ctx, "Login with Amazon answered unexpected token information", "bytes", len(a.body))
		return Login{}, externalService(Amazon)
	}
	if left <= 0 {
		return Login{}, notAuthorized("Invalid login token. The Login with Amazon access token has expired.")
	}
	if info.Audience != appID && info.AppID != appID {
		return Login{}, notAuthorized("Invalid login token. Incorrect token audience.")
	}
	expires := v.now().Add(time.Duration(left) * time.Second).Truncate(time.Second)
	claims := map[string]any{"sub": info.UserID, "user_id": info.UserID, "aud": info.Audience, "app_id": info.AppID,
		"iss": info.Issuer, "exp": float64(expires.Unix())}
	if iat, ok := jsonInt(info.IssuedAt); ok {
		claims["iat"] = float64(iat)
	}
	return Login{Provider: Amazon, Subject: info.UserID, Audience: appID, Claims: claims, Expires: expires}, nil
}

// amazonRefusal turns a tokeninfo error answer into Cognate's error: the
// token's fault for invalid_token and invalid_request, the provider's for
// anything else.
func (v *Verifier) amazonRefusal(ctx context.Context, a providerAnswer) error {
	var e amazonError
	if a.status >= http.StatusInternalServerError || a.status == http.StatusTooManyRequests ||
		decodeObject(a.body, &e) != nil || (e.Error != "invalid_token" && e.Error != "invalid_request") {
		v.cfg.Logger.WarnContext(ctx, "Login with Amazon failed", "status", a.status, "error", e.Error, "description", e.Description)
		return externalService(Amazon)
	}
	v.cfg.Logger.DebugContext(ctx, "Login with Amazon refused the token", "status", a.status, "error", e.Error, "description", e.Description)
	if strings.Contains(strings.ToLower(e.Description), "expired") {
		return notAuthorized("Invalid login token. The Login with Amazon access token has expired.")
	}
	return notAuthorized("Invalid login token. Not a valid Login with Amazon access token.")
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
