package integration

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// TestClientOAuthSettings: CreateUserPoolClient and UpdateUserPoolClient
// apply Cognito's rules to OAuth flows and scopes.
func TestClientOAuthSettings(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.poolWithClient(t, nil)
		pool := aws.String(poolID)
		if _, err := e.Admin.CreateResourceServer(ctx(t), &cip.CreateResourceServerInput{UserPoolId: pool, Identifier: aws.String("orders"),
			Name: aws.String("orders"), Scopes: []types.ResourceServerScopeType{{ScopeName: aws.String("read"), ScopeDescription: aws.String("r")}}}); err != nil {
			t.Fatal(err)
		}
		cc := []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials}
		cases := []struct {
			name    string
			in      cip.CreateUserPoolClientInput
			code    string
			message string
		}{
			{"unknown custom scope", cip.CreateUserPoolClientInput{AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeCode},
				AllowedOAuthScopes: []string{"openid", "orders/write"}}, "ScopeDoesNotExistException", "Invalid scope requested: orders/write"},
			{"client_credentials with code", cip.CreateUserPoolClientInput{GenerateSecret: true,
				AllowedOAuthFlows: append(cc, types.OAuthFlowTypeCode), AllowedOAuthScopes: []string{"orders/read"}},
				"InvalidOAuthFlowException", "client_credentials flow can not be selected along with code flow or implicit flow."},
			{"client_credentials without a secret", cip.CreateUserPoolClientInput{AllowedOAuthFlows: cc, AllowedOAuthScopes: []string{"orders/read"}},
				"InvalidOAuthFlowException", "client_credentials flow can not be selected if client does not have a client secret."},
			{"client_credentials with openid", cip.CreateUserPoolClientInput{GenerateSecret: true, AllowedOAuthFlows: cc,
				AllowedOAuthScopes: []string{"orders/read", "openid"}}, "InvalidOAuthFlowException", "openid is not supported with client_credentials flow"},
		}
		for _, c := range cases {
			in := c.in
			in.UserPoolId, in.ClientName = pool, aws.String("oauth")
			_, err := e.Admin.CreateUserPoolClient(ctx(t), &in)
			wantError(t, err, c.code, c.message)
		}
		ok, err := e.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: pool, ClientName: aws.String("m2m"),
			GenerateSecret: true, AllowedOAuthFlows: cc, AllowedOAuthScopes: []string{"orders/read"}, AllowedOAuthFlowsUserPoolClient: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := ok.UserPoolClient.AllowedOAuthScopes; len(got) != 1 || got[0] != "orders/read" {
			t.Errorf("scopes %v", got)
		}
		// The first client has no secret: UpdateUserPoolClient knows.
		_, err = e.Admin.UpdateUserPoolClient(ctx(t), &cip.UpdateUserPoolClientInput{UserPoolId: pool, ClientId: aws.String(clientID),
			AllowedOAuthFlows: cc, AllowedOAuthScopes: []string{"orders/read"}})
		wantError(t, err, "InvalidOAuthFlowException", "client_credentials flow can not be selected if client does not have a client secret.")
	})
}
