package integration

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// domainClient is an HTTP client that sends every request to the server's
// address whatever host the URL names, as DNS would for a pool's domain
// under the default suffix (auth.localhost).
func domainClient(e *env) *http.Client {
	u, _ := url.Parse(e.URL)
	d := &net.Dialer{}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, u.Host)
	}
	return &http.Client{Transport: t}
}

// machinePool makes a pool with a resource server, its domain and a
// confidential client allowed client_credentials for scopes.
func (e *env) machinePool(t *testing.T, lc *types.LambdaConfigType, prefix string, scopes ...string) (poolID string, cfg clientcredentials.Config) {
	t.Helper()
	p, err := e.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String("machines"), LambdaConfig: lc})
	if err != nil {
		t.Fatal(err)
	}
	pool := p.UserPool.Id
	if _, err := e.Admin.CreateResourceServer(ctx(t), &cip.CreateResourceServerInput{UserPoolId: pool, Identifier: aws.String("orders"), Name: aws.String("orders"),
		Scopes: []types.ResourceServerScopeType{{ScopeName: aws.String("read"), ScopeDescription: aws.String("r")},
			{ScopeName: aws.String("write"), ScopeDescription: aws.String("w")}, {ScopeName: aws.String("admin"), ScopeDescription: aws.String("a")}}}); err != nil {
		t.Fatal(err)
	}
	c, err := e.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: pool, ClientName: aws.String("machine"), GenerateSecret: true,
		AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials}, AllowedOAuthScopes: scopes, AllowedOAuthFlowsUserPoolClient: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Admin.CreateUserPoolDomain(ctx(t), &cip.CreateUserPoolDomainInput{UserPoolId: pool, Domain: aws.String(prefix)}); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(e.URL)
	return *pool, clientcredentials.Config{ClientID: *c.UserPoolClient.ClientId, ClientSecret: *c.UserPoolClient.ClientSecret,
		TokenURL: "http://" + prefix + ".auth.localhost:" + u.Port() + "/oauth2/token", AuthStyle: oauth2.AuthStyleInHeader}
}

// TestClientCredentialsGrant: golang.org/x/oauth2 gets access tokens from
// a pool's domain with a confidential client, on both stores; what a
// machine may not do is refused with RFC 6749's errors.
func TestClientCredentialsGrant(t *testing.T) {
	triggerEngines(t, func(t *testing.T, e *env, h *hook) {
		hc := domainClient(e)
		octx := context.WithValue(ctx(t), oauth2.HTTPClient, hc)
		poolID, cfg := e.machinePool(t, nil, "machines", "orders/read", "orders/write")

		// No scope asked: every scope the client allows.
		tok, err := cfg.Token(octx)
		if err != nil {
			t.Fatal(err)
		}
		jwks := e.URL + "/" + poolID + "/.well-known/jwks.json"
		claims := verifyWithJWKS(t, jwks, tok.AccessToken)
		wantClaims(t, "access token", claims, map[string]any{"sub": cfg.ClientID, "client_id": cfg.ClientID, "token_use": "access",
			"scope": "orders/read orders/write", "version": float64(2), "username": nil, "cognito:groups": nil})
		if tok.TokenType != "Bearer" || tok.Expiry.IsZero() || tok.RefreshToken != "" || tok.Extra("id_token") != nil {
			t.Errorf("token %+v", tok)
		}
		// An access token of a machine opens no user's account.
		_, err = e.Anon.GetUser(ctx(t), &cip.GetUserInput{AccessToken: aws.String(tok.AccessToken)})
		wantCode(t, err, "NotAuthorizedException")

		// The secret in the body works as well (client_secret_post).
		post := cfg
		post.AuthStyle, post.Scopes = oauth2.AuthStyleInParams, []string{"orders/write"}
		if tok, err = post.Token(octx); err != nil {
			t.Fatal(err)
		} else if c := verifyWithJWKS(t, jwks, tok.AccessToken); c["scope"] != "orders/write" {
			t.Errorf("scope %v", c["scope"])
		}

		refusals := []struct {
			name string
			edit func(*clientcredentials.Config)
			want string
		}{
			{"wrong secret", func(c *clientcredentials.Config) { c.ClientSecret += "x" }, "invalid_client"},
			{"unknown client", func(c *clientcredentials.Config) { c.ClientID = "0000000000000000000000000a" }, "invalid_client"},
			{"scope the client lacks", func(c *clientcredentials.Config) { c.Scopes = []string{"orders/admin"} }, "invalid_scope"},
			{"scope no resource server has", func(c *clientcredentials.Config) { c.Scopes = []string{"orders/delete"} }, "invalid_scope"},
			{"standard scope", func(c *clientcredentials.Config) { c.Scopes = []string{"openid"} }, "invalid_scope"},
			{"another pool's domain", func(c *clientcredentials.Config) {
				c.TokenURL = strings.Replace(c.TokenURL, "//machines.", "//other.", 1)
			}, "invalid_client"},
		}
		_, _ = e.machinePool(t, nil, "other", "orders/read")
		for _, r := range refusals {
			c := cfg
			r.edit(&c)
			_, err := c.Token(octx)
			var re *oauth2.RetrieveError
			if !errors.As(err, &re) || re.ErrorCode != r.want || re.Response.StatusCode != http.StatusBadRequest {
				t.Errorf("%s: %v, want %s", r.name, err, r.want)
			}
		}

		// A client not allowed the grant: unauthorized_client.
		code, err := e.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("web"),
			GenerateSecret: true, AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeCode}, AllowedOAuthScopes: []string{"openid"},
			AllowedOAuthFlowsUserPoolClient: true, CallbackURLs: []string{"https://app.example.com/cb"}})
		if err != nil {
			t.Fatal(err)
		}
		web := cfg
		web.ClientID, web.ClientSecret = *code.UserPoolClient.ClientId, *code.UserPoolClient.ClientSecret
		var re *oauth2.RetrieveError
		if _, err := web.Token(octx); !errors.As(err, &re) || re.ErrorCode != "unauthorized_client" {
			t.Errorf("code client: %v, want unauthorized_client", err)
		}

		// A host that is no domain does not serve the endpoint.
		resp, err := hc.Post(e.URL+"/oauth2/token", "application/x-www-form-urlencoded", strings.NewReader("grant_type=client_credentials"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("token endpoint at the API host: %d", resp.StatusCode)
		}
	})
}

// TestClientCredentialsPreTokenGeneration: a V3_0 function hears of a
// machine's token (TokenGeneration_ClientCredentials, no user) and changes
// its claims and scopes; a V2_0 function is not asked; a refusal is the
// token endpoint's error.
func TestClientCredentialsPreTokenGeneration(t *testing.T) {
	triggerEngines(t, func(t *testing.T, e *env, h *hook) {
		octx := context.WithValue(ctx(t), oauth2.HTTPClient, domainClient(e))
		lc := func(v types.PreTokenGenerationLambdaVersionType) *types.LambdaConfigType {
			return &types.LambdaConfigType{PreTokenGenerationConfig: &types.PreTokenGenerationVersionConfigType{LambdaArn: aws.String(preTokenARN), LambdaVersion: v}}
		}
		poolID, cfg := e.machinePool(t, lc(types.PreTokenGenerationLambdaVersionTypeV30), "v3", "orders/read", "orders/write")
		h.on(answerPreToken(map[string]any{"claimsAndScopeOverrideDetails": map[string]any{
			"accessTokenGeneration": map[string]any{"claimsToAddOrOverride": map[string]any{"tenant": "acme", "sub": "forged"},
				"scopesToAdd": []string{"orders/extra"}, "scopesToSuppress": []string{"orders/write"}},
			"idTokenGeneration": map[string]any{"claimsToAddOrOverride": map[string]any{"ignored": "yes"}},
		}}))
		cfg.Scopes = []string{"orders/read", "orders/write"}
		tok, err := cfg.Token(octx)
		if err != nil {
			t.Fatal(err)
		}
		claims := verifyWithJWKS(t, e.URL+"/"+poolID+"/.well-known/jwks.json", tok.AccessToken)
		wantClaims(t, "access token", claims, map[string]any{"tenant": "acme", "sub": cfg.ClientID, "scope": "orders/read orders/extra", "ignored": nil})
		events := h.received(poolID)
		if len(events) != 1 {
			t.Fatalf("%d events", len(events))
		}
		wantEvent(t, events, map[string]any{"version": "3", "triggerSource": "TokenGeneration_ClientCredentials", "userName": "",
			"callerContext.clientId": cfg.ClientID})
		if s, _ := json.Marshal(member(events[0], "request.scopes")); string(s) != `["orders/read","orders/write"]` {
			t.Errorf("request.scopes %s", s)
		}

		h.on(fail("no machines today"))
		_, err = cfg.Token(octx)
		var re *oauth2.RetrieveError
		if !errors.As(err, &re) || re.ErrorCode != "invalid_request" || re.ErrorDescription != "PreTokenGeneration failed with error no machines today." {
			t.Errorf("refused by the function: %v", err)
		}

		// A V2_0 function is for users' tokens only.
		v2pool, v2 := e.machinePool(t, lc(types.PreTokenGenerationLambdaVersionTypeV20), "v2", "orders/read")
		if _, err := v2.Token(octx); err != nil {
			t.Fatal(err)
		}
		if n := len(h.received(v2pool)); n != 0 {
			t.Errorf("a V2_0 function got %d events for a machine's token", n)
		}
	})
}
