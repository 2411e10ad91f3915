package bench

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// adminClient makes the signed calls that prepare a run: the pool, the app
// client and the users, and for the identity operation an IAM role and an
// identity pool.
type adminClient struct {
	raw                 *rawClient
	keyID, secret, host string
	region              string
}

// signed runs one cognito-idp operation signed with the administrator key.
func (a *adminClient) signed(ctx context.Context, op string, in, out any) error {
	return a.signedJSON(ctx, "cognito-idp", targetPrefix+op, in, out)
}

// signedIdentity runs one cognito-identity operation signed with the
// administrator key.
func (a *adminClient) signedIdentity(ctx context.Context, op string, in, out any) error {
	return a.signedJSON(ctx, "cognito-identity", identityTargetPrefix+op, in, out)
}

// signedJSON runs the AWS JSON operation target of service, signed.
func (a *adminClient) signedJSON(ctx context.Context, service, target string, in, out any) error {
	return a.raw.callWith(ctx, target, in, out, func(body []byte) []header {
		p := signedPost{service: service, region: a.region, host: a.host, contentType: contentType, target: target, body: body}
		date, auth := p.sign(a.keyID, a.secret, time.Now())
		return []header{{"X-Amz-Date", date}, {"Authorization", auth}}
	})
}

// formContentType is the query protocol's.
const formContentType = "application/x-www-form-urlencoded"

// iam runs one IAM action in the query protocol: a form POSTed to /,
// signed for us-east-1 (IAM is global: its requests are scoped to
// us-east-1 whatever region the server answers as), answered in XML, which
// is decoded into out. It goes through net/http: it only prepares a run.
func (a *adminClient) iam(ctx context.Context, action string, params url.Values, out any) error {
	params.Set("Action", action)
	params.Set("Version", "2010-05-08")
	body := []byte(params.Encode())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.raw.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	p := signedPost{service: "iam", region: "us-east-1", host: a.host, contentType: formContentType, body: body}
	date, auth := p.sign(a.keyID, a.secret, time.Now())
	req.Header["Content-Type"] = []string{formContentType}
	req.Header["X-Amz-Date"] = []string{date}
	req.Header["Authorization"] = []string{auth}
	resp, err := a.raw.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return decodeQueryError(resp.StatusCode, data)
	}
	if err := xml.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s: decoding the response: %w", action, err)
	}
	return nil
}

// decodeQueryError reads an IAM ErrorResponse.
func decodeQueryError(status int, body []byte) error {
	var e struct {
		Error struct{ Code, Message string }
	}
	_ = xml.Unmarshal(body, &e)
	if e.Error.Code == "" {
		e.Error.Code = "UnknownError"
	}
	return &APIError{Status: status, Code: e.Error.Code, Message: e.Error.Message}
}

func (a *adminClient) createPool(ctx context.Context, name string) (string, error) {
	var out struct{ UserPool struct{ Id string } }
	err := a.signed(ctx, "CreateUserPool", struct{ PoolName string }{name}, &out)
	return out.UserPool.Id, err
}

func (a *adminClient) createClient(ctx context.Context, poolID, name string, flows []string) (string, error) {
	in := struct {
		UserPoolId, ClientName string
		ExplicitAuthFlows      []string
	}{poolID, name, flows}
	var out struct{ UserPoolClient struct{ ClientId string } }
	err := a.signed(ctx, "CreateUserPoolClient", in, &out)
	return out.UserPoolClient.ClientId, err
}

// userStatus returns a user's status, or "" if there is no such user.
func (a *adminClient) userStatus(ctx context.Context, poolID, name string) (string, error) {
	var out struct{ UserStatus string }
	err := a.signed(ctx, "AdminGetUser", struct{ UserPoolId, Username string }{poolID, name}, &out)
	var api *APIError
	if errors.As(err, &api) && api.Code == "UserNotFoundException" {
		return "", nil
	}
	if err == nil && out.UserStatus == "" {
		err = fmt.Errorf("AdminGetUser %s: no UserStatus", name)
	}
	return out.UserStatus, err
}

func (a *adminClient) confirm(ctx context.Context, poolID, name string) error {
	return a.signed(ctx, "AdminConfirmSignUp", struct{ UserPoolId, Username string }{poolID, name}, nil)
}
