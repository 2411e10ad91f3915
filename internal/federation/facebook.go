package federation

import (
	"context"
	"net/http"
	"net/url"
	"slices"
)

// graphError is the Graph API's error answer.
type graphError struct {
	Error struct {
		Message     string `json:"message"`
		Type        string `json:"type"`
		Code        int    `json:"code"`
		Subcode     int    `json:"error_subcode"`
		IsTransient bool   `json:"is_transient"`
	} `json:"error"`
}

// Graph API error codes that are the provider's trouble, not the token's:
// unknown and service errors, and the rate limits.
var graphTransient = []int{1, 2, 4, 17, 32, 341, 613}

// Graph API codes for a token that is no longer valid: 190 with subcode
// 463 is an expired one.
const (
	graphInvalidToken = 190
	graphTokenExpired = 463
)

// maxGraphObjectID bounds the ids the Graph API answers (digits, in fact).
const maxGraphObjectID = 128

// inspectFacebook checks a Facebook user access token with the Graph API,
// knowing no more of the app than its id: GET /app with the token names
// the app it was issued to (debug_token would say more, but wants an app
// token Cognito does not have), GET /me the user, by the app-scoped id. The
// user is only asked for when allow accepts the app. The Graph API does not
// say when a user token expires, so expires stays zero.
func (v *Verifier) inspectFacebook(ctx context.Context, token string, allow appFilter) (socialToken, error) {
	ctx, cancel := context.WithTimeout(ctx, socialTimeout)
	defer cancel()
	app, err := v.graphObjectID(ctx, "/app", token)
	if err != nil {
		return socialToken{}, err
	}
	if !allow(app, "") {
		return socialToken{}, &socialError{failure: tokenOfOtherApp}
	}
	user, err := v.graphObjectID(ctx, "/me", token)
	if err != nil {
		return socialToken{}, err
	}
	return socialToken{user: user, appID: app,
		claims: map[string]any{"sub": user, "aud": app, "id": user, "app_id": app}}, nil
}

// graphObjectID reads the id of the Graph API object at path (/app, /me)
// as the token sees it.
func (v *Verifier) graphObjectID(ctx context.Context, path, token string) (string, error) {
	endpoint := v.facebookURL + path
	a, err := v.get(ctx, endpoint, url.Values{"fields": {"id"}, "access_token": {token}})
	if err != nil {
		return "", &socialError{failure: providerUnavailable}
	}
	if a.status == http.StatusOK {
		var obj struct {
			ID string `json:"id"`
		}
		if decodeObject(a.body, &obj) != nil || obj.ID == "" || len(obj.ID) > maxGraphObjectID {
			v.cfg.Logger.WarnContext(ctx, "Graph API answered an unexpected object", "endpoint", endpoint, "bytes", len(a.body))
			return "", &socialError{failure: providerUnavailable, status: a.status}
		}
		return obj.ID, nil
	}
	var e graphError
	if a.status >= http.StatusInternalServerError || decodeObject(a.body, &e) != nil || e.Error.Code == 0 ||
		e.Error.IsTransient || slices.Contains(graphTransient, e.Error.Code) {
		v.cfg.Logger.WarnContext(ctx, "Graph API failed", "endpoint", endpoint, "status", a.status,
			"code", e.Error.Code, "type", e.Error.Type, "message", e.Error.Message)
		return "", &socialError{failure: providerUnavailable, status: a.status}
	}
	v.cfg.Logger.DebugContext(ctx, "Graph API refused the token", "endpoint", endpoint, "status", a.status,
		"code", e.Error.Code, "subcode", e.Error.Subcode, "message", e.Error.Message)
	if e.Error.Code == graphInvalidToken && e.Error.Subcode == graphTokenExpired {
		return "", &socialError{failure: tokenExpired, status: a.status}
	}
	return "", &socialError{failure: tokenRefused, status: a.status}
}
