package integration

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	citypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentity/types"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// identityClients are the SDK clients of identity pools, IAM and STS,
// pointed at one Cognate.
type identityClients struct {
	Admin *ci.Client // signs with the administrator key
	Anon  *ci.Client // unsigned, like a browser app
	IAM   *iam.Client
	STS   *sts.Client // signs with the administrator key
	url   string
}

func newIdentityClients(baseURL string) *identityClients {
	admin := credentials.NewStaticCredentialsProvider(adminKeyID, adminSecret, "")
	return &identityClients{
		Admin: ci.New(ci.Options{Region: region, BaseEndpoint: aws.String(baseURL), Credentials: admin}),
		Anon:  ci.New(ci.Options{Region: region, BaseEndpoint: aws.String(baseURL), Credentials: aws.AnonymousCredentials{}}),
		IAM:   iam.New(iam.Options{Region: region, BaseEndpoint: aws.String(baseURL), Credentials: admin}),
		STS:   sts.New(sts.Options{Region: region, BaseEndpoint: aws.String(baseURL), Credentials: admin}),
		url:   baseURL,
	}
}

// as returns an STS client signing with vended credentials.
func (c *identityClients) as(creds *citypes.Credentials) *sts.Client {
	return sts.New(sts.Options{Region: region, BaseEndpoint: aws.String(c.url),
		Credentials: credentials.NewStaticCredentialsProvider(*creds.AccessKeyId, *creds.SecretKey, *creds.SessionToken)})
}

// callerARN asks STS whom creds belong to.
func (c *identityClients) callerARN(t *testing.T, creds *citypes.Credentials) string {
	t.Helper()
	out, err := c.as(creds).GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity with vended credentials: %v", err)
	}
	return *out.Arn
}

// trustPolicy is the trust policy the Cognito console writes for an
// identity pool's role.
func trustPolicy(identityPoolID, amr string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
	"Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity",
	"Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"` + identityPoolID + `"},
	"ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"` + amr + `"}}}]}`
}

// createRole creates a role with a trust policy and returns its ARN.
func (c *identityClients) createRole(t *testing.T, name, trust string) string {
	t.Helper()
	out, err := c.IAM.CreateRole(ctx(t), &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust)})
	if err != nil {
		t.Fatalf("CreateRole %s: %v", name, err)
	}
	return *out.Role.Arn
}

// signedInUser creates a confirmed user in a new pool with a client that
// allows password sign-in, and returns the pool, the client and an ID token.
func signedInUser(t *testing.T, admin, anon *cip.Client, username, password string) (poolID, clientID, idToken string) {
	t.Helper()
	pool, err := admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String("identity")})
	if err != nil {
		t.Fatal(err)
	}
	poolID = *pool.UserPool.Id
	client, err := admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(poolID), ClientName: aws.String("web"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth,
			types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
	})
	if err != nil {
		t.Fatal(err)
	}
	clientID = *client.UserPoolClient.ClientId
	if _, err := admin.AdminCreateUser(ctx(t), &cip.AdminCreateUserInput{UserPoolId: aws.String(poolID),
		Username: aws.String(username), MessageAction: types.MessageActionTypeSuppress}); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.AdminSetUserPassword(ctx(t), &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(poolID),
		Username: aws.String(username), Password: aws.String(password), Permanent: true}); err != nil {
		t.Fatal(err)
	}
	return poolID, clientID, passwordSignIn(t, anon, clientID, username, password)
}

func passwordSignIn(t *testing.T, anon *cip.Client, clientID, username, password string) string {
	t.Helper()
	out, err := anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		ClientId: aws.String(clientID), AuthParameters: map[string]string{"USERNAME": username, "PASSWORD": password}})
	if err != nil {
		t.Fatal(err)
	}
	return *out.AuthenticationResult.IdToken
}

func TestIdentityPools(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		c := newIdentityClients(e.URL)
		poolID, clientID, idToken := signedInUser(t, e.Admin, e.Anon, "ada", "Corr3ct-Horse!")
		provider := "cognito-idp." + region + ".amazonaws.com/" + poolID

		created, err := c.Admin.CreateIdentityPool(ctx(t), &ci.CreateIdentityPoolInput{
			IdentityPoolName:               aws.String("app"),
			AllowUnauthenticatedIdentities: true,
			AllowClassicFlow:               aws.Bool(true),
			CognitoIdentityProviders: []citypes.CognitoIdentityProvider{{
				ProviderName: aws.String(provider), ClientId: aws.String(clientID), ServerSideTokenCheck: aws.Bool(true)}},
		})
		if err != nil {
			t.Fatal(err)
		}
		ipID := *created.IdentityPoolId
		if !strings.HasPrefix(ipID, region+":") || len(ipID) != len(region)+1+36 {
			t.Fatalf("identity pool id %q", ipID)
		}
		_, err = c.Anon.CreateIdentityPool(ctx(t), &ci.CreateIdentityPoolInput{IdentityPoolName: aws.String("x"), AllowUnauthenticatedIdentities: true})
		if apiCode(err) == "" {
			t.Fatal("CreateIdentityPool without a signature succeeded")
		}

		authRole := c.createRole(t, "app-auth", trustPolicy(ipID, "authenticated"))
		guestRole := c.createRole(t, "app-guest", trustPolicy(ipID, "unauthenticated"))
		if _, err := c.IAM.PutRolePolicy(ctx(t), &iam.PutRolePolicyInput{RoleName: aws.String("app-auth"), PolicyName: aws.String("own-folder"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",
			"Resource":"arn:aws:s3:::photos/${cognito-identity.amazonaws.com:sub}/*"}]}`)}); err != nil {
			t.Fatal(err)
		}

		// Without roles there are no credentials to give.
		guest, err := c.Anon.GetId(ctx(t), &ci.GetIdInput{IdentityPoolId: aws.String(ipID)})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Anon.GetCredentialsForIdentity(ctx(t), &ci.GetCredentialsForIdentityInput{IdentityId: guest.IdentityId})
		wantCode(t, err, "InvalidIdentityPoolConfigurationException")

		if _, err := c.Admin.SetIdentityPoolRoles(ctx(t), &ci.SetIdentityPoolRolesInput{IdentityPoolId: aws.String(ipID),
			Roles: map[string]string{"authenticated": authRole, "unauthenticated": guestRole}}); err != nil {
			t.Fatal(err)
		}
		roles, err := c.Admin.GetIdentityPoolRoles(ctx(t), &ci.GetIdentityPoolRolesInput{IdentityPoolId: aws.String(ipID)})
		if err != nil || roles.Roles["authenticated"] != authRole || roles.Roles["unauthenticated"] != guestRole {
			t.Fatalf("GetIdentityPoolRoles = %+v, %v", roles, err)
		}

		t.Run("guest", func(t *testing.T) {
			out, err := c.Anon.GetCredentialsForIdentity(ctx(t), &ci.GetCredentialsForIdentityInput{IdentityId: guest.IdentityId})
			if err != nil {
				t.Fatal(err)
			}
			creds := out.Credentials
			if !strings.HasPrefix(*creds.AccessKeyId, "ASIA") || *out.IdentityId != *guest.IdentityId {
				t.Fatalf("guest credentials %+v", out)
			}
			if left := time.Until(*creds.Expiration); left < 55*time.Minute || left > 61*time.Minute {
				t.Fatalf("guest credentials expire in %v, want an hour", left)
			}
			want := "arn:aws:sts::000000000000:assumed-role/app-guest/CognitoIdentityCredentials"
			if got := c.callerARN(t, creds); got != want {
				t.Fatalf("guest caller %s, want %s", got, want)
			}
		})

		t.Run("authenticated", func(t *testing.T) {
			logins := map[string]string{provider: idToken}
			first, err := c.Anon.GetId(ctx(t), &ci.GetIdInput{IdentityPoolId: aws.String(ipID), Logins: logins})
			if err != nil {
				t.Fatal(err)
			}
			if *first.IdentityId == *guest.IdentityId {
				t.Fatal("a login got the guest identity")
			}
			// Amplify v6 names the provider by the token's issuer without its scheme.
			u, _ := url.Parse(e.URL)
			again, err := c.Anon.GetId(ctx(t), &ci.GetIdInput{IdentityPoolId: aws.String(ipID),
				Logins: map[string]string{u.Host + "/" + poolID: idToken}})
			if err != nil || *again.IdentityId != *first.IdentityId {
				t.Fatalf("GetId under the issuer's name = %v, %v; want %s", again, err, *first.IdentityId)
			}
			out, err := c.Anon.GetCredentialsForIdentity(ctx(t), &ci.GetCredentialsForIdentityInput{IdentityId: first.IdentityId, Logins: logins})
			if err != nil {
				t.Fatal(err)
			}
			want := "arn:aws:sts::000000000000:assumed-role/app-auth/CognitoIdentityCredentials"
			if got := c.callerARN(t, out.Credentials); got != want {
				t.Fatalf("authenticated caller %s, want %s", got, want)
			}
			// The identity's own credentials may not pose as a guest.
			_, err = c.Anon.GetCredentialsForIdentity(ctx(t), &ci.GetCredentialsForIdentityInput{IdentityId: first.IdentityId})
			wantCode(t, err, "NotAuthorizedException")

			desc, err := c.Admin.DescribeIdentity(ctx(t), &ci.DescribeIdentityInput{IdentityId: first.IdentityId})
			if err != nil || len(desc.Logins) != 1 || desc.Logins[0] != provider {
				t.Fatalf("DescribeIdentity = %+v, %v", desc, err)
			}

			// IAM's simulator evaluates the role's policy with the identity's sub.
			sim, err := c.IAM.SimulatePrincipalPolicy(ctx(t), &iam.SimulatePrincipalPolicyInput{
				PolicySourceArn: aws.String(authRole), ActionNames: []string{"s3:GetObject"},
				ResourceArns: []string{"arn:aws:s3:::photos/" + *first.IdentityId + "/cat.jpg", "arn:aws:s3:::photos/someone-else/cat.jpg"},
				ContextEntries: []iamtypes.ContextEntry{{ContextKeyName: aws.String("cognito-identity.amazonaws.com:sub"),
					ContextKeyType: iamtypes.ContextKeyTypeEnumString, ContextKeyValues: []string{*first.IdentityId}}},
			})
			if err != nil {
				t.Fatal(err)
			}
			// One result per action, the most restrictive decision on top,
			// each resource's own below, as IAM's simulator reports.
			if len(sim.EvaluationResults) != 1 {
				t.Fatalf("SimulatePrincipalPolicy = %+v", sim.EvaluationResults)
			}
			r := sim.EvaluationResults[0]
			if r.EvalDecision != iamtypes.PolicyEvaluationDecisionTypeImplicitDeny || len(r.ResourceSpecificResults) != 2 ||
				r.ResourceSpecificResults[0].EvalResourceDecision != iamtypes.PolicyEvaluationDecisionTypeAllowed ||
				r.ResourceSpecificResults[1].EvalResourceDecision != iamtypes.PolicyEvaluationDecisionTypeImplicitDeny {
				t.Fatalf("SimulatePrincipalPolicy = %+v", r)
			}
		})

		t.Run("bad tokens create nothing", func(t *testing.T) {
			before := countIdentities(t, c.Admin, ipID)
			forged := idToken[:len(idToken)-6] + "AAAAAA"
			otherPool, otherClient, otherToken := signedInUser(t, e.Admin, e.Anon, "eve", "Corr3ct-Horse!")
			for name, logins := range map[string]map[string]string{
				"forged signature":    {provider: forged},
				"not a token":         {provider: "hello"},
				"pool not trusted":    {"cognito-idp." + region + ".amazonaws.com/" + otherPool: otherToken},
				"token of other pool": {provider: otherToken},
				"unknown provider":    {"login.example.com": idToken},
			} {
				_, err := c.Anon.GetId(ctx(t), &ci.GetIdInput{IdentityPoolId: aws.String(ipID), Logins: logins})
				if code := apiCode(err); code != "NotAuthorizedException" {
					t.Errorf("%s: GetId error %v (code %q), want NotAuthorizedException", name, err, code)
				}
			}
			_ = otherClient
			if after := countIdentities(t, c.Admin, ipID); after != before {
				t.Fatalf("identities %d before, %d after the bad tokens", before, after)
			}
		})

		t.Run("revoked token", func(t *testing.T) {
			token := passwordSignIn(t, e.Anon, clientID, "ada", "Corr3ct-Horse!")
			logins := map[string]string{provider: token}
			id, err := c.Anon.GetId(ctx(t), &ci.GetIdInput{IdentityPoolId: aws.String(ipID), Logins: logins})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.Admin.AdminUserGlobalSignOut(ctx(t), &cip.AdminUserGlobalSignOutInput{UserPoolId: aws.String(poolID),
				Username: aws.String("ada")}); err != nil {
				t.Fatal(err)
			}
			_, err = c.Anon.GetCredentialsForIdentity(ctx(t), &ci.GetCredentialsForIdentityInput{IdentityId: id.IdentityId, Logins: logins})
			wantCode(t, err, "NotAuthorizedException")
		})

		t.Run("developer identities", func(t *testing.T) {
			if _, err := c.Admin.UpdateIdentityPool(ctx(t), &ci.UpdateIdentityPoolInput{IdentityPoolId: aws.String(ipID),
				IdentityPoolName: aws.String("app"), AllowUnauthenticatedIdentities: true, AllowClassicFlow: aws.Bool(true), DeveloperProviderName: aws.String("login.cognate.test"),
				CognitoIdentityProviders: []citypes.CognitoIdentityProvider{{ProviderName: aws.String(provider), ClientId: aws.String(clientID)}},
			}); err != nil {
				t.Fatal(err)
			}
			dev, err := c.Admin.GetOpenIdTokenForDeveloperIdentity(ctx(t), &ci.GetOpenIdTokenForDeveloperIdentityInput{
				IdentityPoolId: aws.String(ipID), Logins: map[string]string{"login.cognate.test": "user-42"}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Anon.GetOpenIdTokenForDeveloperIdentity(ctx(t), &ci.GetOpenIdTokenForDeveloperIdentityInput{
				IdentityPoolId: aws.String(ipID), Logins: map[string]string{"login.cognate.test": "user-42"}})
			if apiCode(err) == "" {
				t.Fatal("GetOpenIdTokenForDeveloperIdentity without a signature succeeded")
			}
			out, err := c.Anon.GetCredentialsForIdentity(ctx(t), &ci.GetCredentialsForIdentityInput{IdentityId: dev.IdentityId,
				Logins: map[string]string{"cognito-identity.amazonaws.com": *dev.Token}})
			if err != nil {
				t.Fatal(err)
			}
			if got := c.callerARN(t, out.Credentials); !strings.HasSuffix(got, ":assumed-role/app-auth/CognitoIdentityCredentials") {
				t.Fatalf("developer identity's caller %s", got)
			}
			found, err := c.Admin.LookupDeveloperIdentity(ctx(t), &ci.LookupDeveloperIdentityInput{IdentityPoolId: aws.String(ipID),
				DeveloperUserIdentifier: aws.String("user-42")})
			if err != nil || *found.IdentityId != *dev.IdentityId {
				t.Fatalf("LookupDeveloperIdentity = %+v, %v", found, err)
			}
			// The token is bound to its identity.
			other, err := c.Anon.GetId(ctx(t), &ci.GetIdInput{IdentityPoolId: aws.String(ipID)})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Anon.GetCredentialsForIdentity(ctx(t), &ci.GetCredentialsForIdentityInput{IdentityId: other.IdentityId,
				Logins: map[string]string{"cognito-identity.amazonaws.com": *dev.Token}})
			wantCode(t, err, "NotAuthorizedException")
		})

		t.Run("classic flow", func(t *testing.T) {
			id, err := c.Anon.GetId(ctx(t), &ci.GetIdInput{IdentityPoolId: aws.String(ipID)})
			if err != nil {
				t.Fatal(err)
			}
			tok, err := c.Anon.GetOpenIdToken(ctx(t), &ci.GetOpenIdTokenInput{IdentityId: id.IdentityId})
			if err != nil {
				t.Fatal(err)
			}
			anonSTS := sts.New(sts.Options{Region: region, BaseEndpoint: aws.String(e.URL), Credentials: aws.AnonymousCredentials{}})
			assumed, err := anonSTS.AssumeRoleWithWebIdentity(ctx(t), &sts.AssumeRoleWithWebIdentityInput{
				RoleArn: aws.String(guestRole), RoleSessionName: aws.String("classic"), WebIdentityToken: tok.Token})
			if err != nil {
				t.Fatal(err)
			}
			if *assumed.SubjectFromWebIdentityToken != *id.IdentityId || *assumed.AssumedRoleUser.Arn != "arn:aws:sts::000000000000:assumed-role/app-guest/classic" {
				t.Fatalf("AssumeRoleWithWebIdentity = %+v", assumed)
			}
			// A guest's token does not open the authenticated role.
			_, err = anonSTS.AssumeRoleWithWebIdentity(ctx(t), &sts.AssumeRoleWithWebIdentityInput{
				RoleArn: aws.String(authRole), RoleSessionName: aws.String("classic"), WebIdentityToken: tok.Token})
			wantCode(t, err, "AccessDenied")
		})

		t.Run("admin caller", func(t *testing.T) {
			out, err := c.STS.GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{})
			if err != nil {
				t.Fatal(err)
			}
			if *out.Account != "000000000000" || !strings.HasPrefix(*out.Arn, "arn:aws:iam::000000000000:user/") {
				t.Fatalf("GetCallerIdentity with the administrator key = %+v", out)
			}
		})
	})
}

func TestIdentityPoolGuestsRefused(t *testing.T) {
	e := start(t, "")
	c := newIdentityClients(e.URL)
	created, err := c.Admin.CreateIdentityPool(ctx(t), &ci.CreateIdentityPoolInput{IdentityPoolName: aws.String("members"),
		AllowUnauthenticatedIdentities: false})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Anon.GetId(ctx(t), &ci.GetIdInput{IdentityPoolId: created.IdentityPoolId})
	wantCode(t, err, "NotAuthorizedException")
	_, err = c.Anon.GetId(ctx(t), &ci.GetIdInput{IdentityPoolId: aws.String(region + ":00000000-0000-4000-8000-000000000000")})
	wantCode(t, err, "ResourceNotFoundException")
}

func countIdentities(t *testing.T, admin *ci.Client, poolID string) int {
	t.Helper()
	n := 0
	var next *string
	for {
		out, err := admin.ListIdentities(context.Background(), &ci.ListIdentitiesInput{IdentityPoolId: aws.String(poolID),
			MaxResults: aws.Int32(60), NextToken: next})
		if err != nil {
			t.Fatal(err)
		}
		n += len(out.Identities)
		if out.NextToken == nil {
			return n
		}
		next = out.NextToken
	}
}
