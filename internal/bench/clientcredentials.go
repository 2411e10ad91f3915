package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// The clientcredentials operation is a machine's token request: POST
// /oauth2/token with grant_type=client_credentials, the client's id and
// secret in the Authorization header, at the domain of the run's pool (the
// request's Host names it; it is sent to the endpoint's address). Its
// set-up gives the pool a resource server with one scope, a confidential
// client allowed the grant, and a prefix domain.

// benchScope is the resource server's scope the machine asks for.
const benchScope = "cognate-bench/read"

// machine is what the operation needs.
type machine struct {
	tokenURL, host   string
	clientID, secret string
}

// prepareMachine makes the resource server, the client and the domain.
func prepareMachine(ctx context.Context, o Options, admin *adminClient, f *fixture, progress io.Writer) error {
	type scope struct{ ScopeName, ScopeDescription string }
	rs := struct {
		UserPoolId, Identifier, Name string
		Scopes                       []scope
	}{f.poolID, "cognate-bench", "cognate bench", []scope{{"read", "what the bench's machines ask for"}}}
	if err := admin.signed(ctx, "CreateResourceServer", rs, nil); err != nil && !isCode(err, "InvalidParameterException") {
		return fmt.Errorf("creating the resource server: %w", err)
	}
	in := struct {
		UserPoolId, ClientName          string
		GenerateSecret                  bool
		AllowedOAuthFlows               []string
		AllowedOAuthScopes              []string
		AllowedOAuthFlowsUserPoolClient bool
	}{f.poolID, "cognate-bench-machine", true, []string{"client_credentials"}, []string{benchScope}, true}
	var out struct {
		UserPoolClient struct{ ClientId, ClientSecret string }
	}
	if err := admin.signed(ctx, "CreateUserPoolClient", in, &out); err != nil {
		return fmt.Errorf("creating the machine client: %w", err)
	}
	prefix := "cognate-bench-" + f.runID
	if err := admin.signed(ctx, "CreateUserPoolDomain", struct{ UserPoolId, Domain string }{f.poolID, prefix}, nil); err != nil {
		return fmt.Errorf("creating the domain: %w", err)
	}
	u, _ := url.Parse(o.Endpoint)
	host := prefix + "." + o.DomainSuffix
	if u.Port() != "" {
		host += ":" + u.Port()
	}
	f.machine = &machine{tokenURL: strings.TrimRight(o.Endpoint, "/") + "/oauth2/token", host: host,
		clientID: out.UserPoolClient.ClientId, secret: out.UserPoolClient.ClientSecret}
	fmt.Fprintf(progress, "bench: machine client %s at https://%s/oauth2/token (sent to %s)\n", f.machine.clientID, host, o.Endpoint)
	return f.machine.token(ctx, http.DefaultClient)
}

func isCode(err error, code string) bool {
	var api *APIError
	return errors.As(err, &api) && api.Code == code
}

var machineForm = "grant_type=client_credentials&scope=" + url.QueryEscape(benchScope)

// token runs one grant and checks that it answered a token.
func (m *machine) token(ctx context.Context, hc *http.Client) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.tokenURL, strings.NewReader(machineForm))
	if err != nil {
		return err
	}
	req.Host = m.host
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(m.clientID, m.secret)
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("bench: token endpoint answered %d: %s", resp.StatusCode, body)
	}
	var t struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(body, &t); err != nil || t.AccessToken == "" {
		return fmt.Errorf("bench: token endpoint answered no token: %s", body)
	}
	return nil
}
