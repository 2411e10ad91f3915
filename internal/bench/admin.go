package bench

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// adminClient makes the signed calls that prepare a run: the pool, the app
// client and the users.
type adminClient struct {
	raw                 *rawClient
	keyID, secret, host string
	region              string
}

// signed runs one operation signed with the administrator key.
func (a *adminClient) signed(ctx context.Context, op string, in, out any) error {
	return a.raw.callWith(ctx, op, in, out, func(body []byte) []header {
		date, auth := signV4(a.keyID, a.secret, a.region, a.host, targetPrefix+op, body, time.Now())
		return []header{{"X-Amz-Date", date}, {"Authorization", auth}}
	})
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
