package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// rawClient speaks AWS JSON 1.1 directly: one POST per call, the body
// encoded with encoding/json, no middleware. It is what a lean client costs.
// Plain-HTTP endpoints go through conns; HTTPS ones through net/http.
type rawClient struct {
	url   string
	host  string // the Host header
	http  *http.Client
	conns *conns // nil for HTTPS
}

func newRawClient(endpoint string, hc *http.Client, maxIdle int) *rawClient {
	c := &rawClient{url: strings.TrimRight(endpoint, "/") + "/", http: hc}
	if u, err := url.Parse(endpoint); err == nil {
		c.host = u.Host
		if u.Scheme == "http" {
			c.conns = newConns(u.Host, maxIdle)
		}
	}
	return c
}

// close releases the idle connections.
func (c *rawClient) close() {
	if c.conns != nil {
		c.conns.closeIdle()
	}
}

// header is a request header beyond the ones every call sends.
type header struct{ name, value string }

// post sends one request to the operation target (a service's prefix and
// the operation's name) and returns the status and body of the answer.
func (c *rawClient) post(ctx context.Context, target string, body []byte, extra []header) (int, []byte, error) {
	if c.conns != nil {
		return c.conns.post(ctx, target, body, extra)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header["Content-Type"] = []string{contentType}
	req.Header["X-Amz-Target"] = []string{target}
	for _, h := range extra {
		req.Header[h.name] = []string{h.value}
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, data, err
}

// The X-Amz-Target prefixes of cognito-idp and cognito-identity.
const (
	targetPrefix         = "AWSCognitoIdentityProviderService."
	identityTargetPrefix = "AWSCognitoIdentityService."
)

// call runs one cognito-idp operation; out may be nil.
func (c *rawClient) call(ctx context.Context, op string, in, out any) error {
	return c.callWith(ctx, targetPrefix+op, in, out, nil)
}

// callWith runs the operation target (prefix and name) with headers
// computed from the body (a signature), if headers is not nil.
func (c *rawClient) callWith(ctx context.Context, target string, in, out any, headers func(body []byte) []header) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	var extra []header
	if headers != nil {
		extra = headers(body)
	}
	status, data, err := c.post(ctx, target, body, extra)
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return decodeError(status, data)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s: decoding the response: %w", target, err)
	}
	return nil
}

// decodeError reads an AWS JSON error body; __type may carry a namespace
// ("aws.cognito#NotAuthorizedException") as in AWS's own answers.
func decodeError(status int, body []byte) error {
	var e struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	_ = json.Unmarshal(body, &e)
	code := e.Type
	if i := strings.LastIndexByte(code, '#'); i >= 0 {
		code = code[i+1:]
	}
	if code == "" {
		code = "UnknownError"
	}
	return &APIError{Status: status, Code: code, Message: e.Message}
}

func (c *rawClient) SignUp(ctx context.Context, clientID, username, password string) error {
	in := struct{ ClientId, Username, Password string }{clientID, username, password}
	return c.call(ctx, "SignUp", in, nil)
}

// wireAuth is the answer of InitiateAuth and RespondToAuthChallenge.
type wireAuth struct {
	ChallengeName        string
	ChallengeParameters  map[string]string
	Session              string
	AuthenticationResult *struct{ AccessToken, IdToken, RefreshToken string }
}

func (w wireAuth) result() authResult {
	r := authResult{ChallengeName: w.ChallengeName, ChallengeParameters: w.ChallengeParameters, Session: w.Session}
	if a := w.AuthenticationResult; a != nil {
		r.AccessToken, r.IDToken, r.RefreshToken = a.AccessToken, a.IdToken, a.RefreshToken
	}
	return r
}

func (c *rawClient) InitiateAuth(ctx context.Context, clientID, flow string, params map[string]string) (authResult, error) {
	in := struct {
		AuthFlow       string
		ClientId       string
		AuthParameters map[string]string
	}{flow, clientID, params}
	var out wireAuth
	err := c.call(ctx, "InitiateAuth", in, &out)
	return out.result(), err
}

func (c *rawClient) RespondToAuthChallenge(ctx context.Context, clientID, challenge, session string, responses map[string]string) (authResult, error) {
	in := struct {
		ClientId           string
		ChallengeName      string
		Session            string `json:",omitempty"`
		ChallengeResponses map[string]string
	}{clientID, challenge, session, responses}
	var out wireAuth
	err := c.call(ctx, "RespondToAuthChallenge", in, &out)
	return out.result(), err
}

func (c *rawClient) GetUser(ctx context.Context, accessToken string) (string, error) {
	in := struct{ AccessToken string }{accessToken}
	var out struct{ Username string }
	err := c.call(ctx, "GetUser", in, &out)
	return out.Username, err
}

// callIdentity runs one unsigned cognito-identity operation.
func (c *rawClient) callIdentity(ctx context.Context, op string, in, out any) error {
	return c.callWith(ctx, identityTargetPrefix+op, in, out, nil)
}

func (c *rawClient) GetID(ctx context.Context, identityPoolID string, logins map[string]string) (string, error) {
	in := struct {
		IdentityPoolId string
		Logins         map[string]string
	}{identityPoolID, logins}
	var out struct{ IdentityId string }
	err := c.callIdentity(ctx, "GetId", in, &out)
	return out.IdentityId, err
}

func (c *rawClient) GetCredentialsForIdentity(ctx context.Context, identityID string, logins map[string]string) (identityCredentials, error) {
	in := struct {
		IdentityId string
		Logins     map[string]string
	}{identityID, logins}
	var out struct {
		IdentityId  string
		Credentials struct{ AccessKeyId, SecretKey, SessionToken string }
	}
	err := c.callIdentity(ctx, "GetCredentialsForIdentity", in, &out)
	return identityCredentials{IdentityID: out.IdentityId, AccessKeyID: out.Credentials.AccessKeyId,
		SecretKey: out.Credentials.SecretKey, SessionToken: out.Credentials.SessionToken}, err
}
