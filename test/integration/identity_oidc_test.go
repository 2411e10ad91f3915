package integration

import (
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	citypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentity/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/cognate-auth/cognate/internal/server"
)

// TestIdentityPoolOIDC federates a real OpenID Connect provider
// (oidc-provider over TLS, startOIDCIssuer) into an identity pool through
// IAM, as AWS does: the provider is registered with
// CreateOpenIDConnectProvider, the pool lists its ARN, and apps present
// its ID tokens under the issuer's host and port. Its ID tokens also open
// roles directly with STS AssumeRoleWithWebIdentity.
func TestIdentityPoolOIDC(t *testing.T) {
	iss := startOIDCIssuer(t)
	provider := strings.TrimPrefix(iss.URL, "https://") // 127.0.0.1:<port>
	// Tokens that do not depend on the server, made once for both engines.
	otherAudience := iss.IDTokenFor(t, iss.OtherClientID, "alice")
	expired := iss.ExpiredIDToken(t, "alice")

	enginesWith(t, server.Options{HTTPClient: iss.HTTPClient}, func(t *testing.T, e *env) {
		c := newIdentityClients(e.URL)
		created, err := c.IAM.CreateOpenIDConnectProvider(ctx(t), &iam.CreateOpenIDConnectProviderInput{
			Url: aws.String(iss.URL), ClientIDList: []string{iss.ClientID, iss.ExpiringClientID},
			ThumbprintList: []string{iss.CAThumbprint},
		})
		if err != nil {
			t.Fatal(err)
		}
		providerARN := *created.OpenIDConnectProviderArn
		if want := "arn:aws:iam::000000000000:oidc-provider/" + provider; providerARN != want {
			t.Fatalf("OpenID Connect provider ARN %s, want %s", providerARN, want)
		}

		pool, err := c.Admin.CreateIdentityPool(ctx(t), &ci.CreateIdentityPoolInput{
			IdentityPoolName: aws.String("oidc"), AllowUnauthenticatedIdentities: true, AllowClassicFlow: aws.Bool(true),
			OpenIdConnectProviderARNs: []string{providerARN},
		})
		if err != nil {
			t.Fatal(err)
		}
		ipID := *pool.IdentityPoolId
		authRole := c.createRole(t, "oidc-auth", trustPolicy(ipID, "authenticated"))
		guestRole := c.createRole(t, "oidc-guest", trustPolicy(ipID, "unauthenticated"))
		if _, err := c.Admin.SetIdentityPoolRoles(ctx(t), &ci.SetIdentityPoolRolesInput{IdentityPoolId: aws.String(ipID),
			Roles: map[string]string{"authenticated": authRole, "unauthenticated": guestRole}}); err != nil {
			t.Fatal(err)
		}
		// A second pool that trusts no OpenID Connect provider.
		other, err := c.Admin.CreateIdentityPool(ctx(t), &ci.CreateIdentityPoolInput{
			IdentityPoolName: aws.String("no-oidc"), AllowUnauthenticatedIdentities: true})
		if err != nil {
			t.Fatal(err)
		}
		otherID := *other.IdentityPoolId

		getID := func(poolID, token string) (string, error) {
			out, err := c.Anon.GetId(ctx(t), &ci.GetIdInput{IdentityPoolId: aws.String(poolID),
				Logins: map[string]string{provider: token}})
			if err != nil {
				return "", err
			}
			return *out.IdentityId, nil
		}

		t.Run("login", func(t *testing.T) {
			token := iss.IDToken(t, "alice")
			id, err := getID(ipID, token)
			if err != nil {
				t.Fatal(err)
			}
			out, err := c.Anon.GetCredentialsForIdentity(ctx(t), &ci.GetCredentialsForIdentityInput{IdentityId: aws.String(id),
				Logins: map[string]string{provider: token}})
			if err != nil {
				t.Fatal(err)
			}
			if want := "arn:aws:sts::000000000000:assumed-role/oidc-auth/CognitoIdentityCredentials"; c.callerARN(t, out.Credentials) != want {
				t.Fatalf("caller %s, want %s", c.callerARN(t, out.Credentials), want)
			}
			desc, err := c.Admin.DescribeIdentity(ctx(t), &ci.DescribeIdentityInput{IdentityId: aws.String(id)})
			if err != nil || len(desc.Logins) != 1 || desc.Logins[0] != provider {
				t.Fatalf("DescribeIdentity = %+v, %v; want logins [%s]", desc, err, provider)
			}

			// Another token of the same subject is the same identity; another
			// subject is another.
			again, err := getID(ipID, iss.IDToken(t, "alice"))
			if err != nil || again != id {
				t.Fatalf("alice's second token: GetId = %q, %v; want %s", again, err, id)
			}
			bob, err := getID(ipID, iss.IDToken(t, "bob"))
			if err != nil || bob == id {
				t.Fatalf("bob's token: GetId = %q, %v; want an identity other than alice's", bob, err)
			}
			// Without the login the identity gets no credentials at all.
			_, err = c.Anon.GetCredentialsForIdentity(ctx(t), &ci.GetCredentialsForIdentityInput{IdentityId: aws.String(id)})
			wantCode(t, err, "NotAuthorizedException")
		})

		t.Run("bad tokens create nothing", func(t *testing.T) {
			good := iss.IDToken(t, "carol")
			before, otherBefore := countIdentities(t, c.Admin, ipID), countIdentities(t, c.Admin, otherID)
			const unsupported = "Token is not from a supported provider of this identity pool."
			for _, tc := range []struct {
				name, pool, provider, token string
				message                     string // in the error's message
			}{
				{"audience not in the client id list", ipID, provider, otherAudience, "Incorrect token audience."},
				{"expired", ipID, provider, expired, "Token expired: "},
				{"signature tampered", ipID, provider, tamperSignature(good), "Not a valid OpenId Connect identity token."},
				{"payload tampered", ipID, provider, tamperPayload(t, good), "Not a valid OpenId Connect identity token."},
				{"pool does not trust the provider", otherID, provider, good, unsupported},
				{"provider not registered", ipID, "127.0.0.1:1", good, unsupported},
			} {
				_, err := c.Anon.GetId(ctx(t), &ci.GetIdInput{IdentityPoolId: aws.String(tc.pool),
					Logins: map[string]string{tc.provider: tc.token}})
				if code := apiCode(err); code != "NotAuthorizedException" || !strings.Contains(errorMessage(err), tc.message) {
					t.Errorf("%s: GetId error %v (code %q), want NotAuthorizedException saying %q", tc.name, err, code, tc.message)
				}
			}
			if after, otherAfter := countIdentities(t, c.Admin, ipID), countIdentities(t, c.Admin, otherID); after != before || otherAfter != otherBefore {
				t.Fatalf("identities %d and %d before the bad tokens, %d and %d after", before, otherBefore, after, otherAfter)
			}
			// An identity made with a good token is refused credentials for a
			// bad one.
			id, err := getID(ipID, good)
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Anon.GetCredentialsForIdentity(ctx(t), &ci.GetCredentialsForIdentityInput{IdentityId: aws.String(id),
				Logins: map[string]string{provider: tamperSignature(good)}})
			wantCode(t, err, "NotAuthorizedException")
		})

		t.Run("AssumeRoleWithWebIdentity", func(t *testing.T) {
			webTrust := func(aud string) string {
				return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
				"Principal":{"Federated":"` + providerARN + `"},"Action":"sts:AssumeRoleWithWebIdentity",
				"Condition":{"StringEquals":{"` + provider + `:aud":"` + aud + `"}}}]}`
			}
			webRole := c.createRole(t, "oidc-web", webTrust(iss.ClientID))
			expiringRole := c.createRole(t, "oidc-web-expiring", webTrust(iss.ExpiringClientID))
			anonSTS := sts.New(sts.Options{Region: region, BaseEndpoint: aws.String(e.URL), Credentials: aws.AnonymousCredentials{}})
			assume := func(role, token string) (*sts.AssumeRoleWithWebIdentityOutput, error) {
				return anonSTS.AssumeRoleWithWebIdentity(ctx(t), &sts.AssumeRoleWithWebIdentityInput{
					RoleArn: aws.String(role), RoleSessionName: aws.String("web"), WebIdentityToken: aws.String(token)})
			}

			token := iss.IDToken(t, "dave")
			out, err := assume(webRole, token)
			if err != nil {
				t.Fatal(err)
			}
			if *out.SubjectFromWebIdentityToken != "dave" || *out.Audience != iss.ClientID || *out.Provider != providerARN ||
				*out.AssumedRoleUser.Arn != "arn:aws:sts::000000000000:assumed-role/oidc-web/web" {
				t.Fatalf("AssumeRoleWithWebIdentity = subject %q audience %q provider %q user %q", aws.ToString(out.SubjectFromWebIdentityToken),
					aws.ToString(out.Audience), aws.ToString(out.Provider), aws.ToString(out.AssumedRoleUser.Arn))
			}
			vended := sts.New(sts.Options{Region: region, BaseEndpoint: aws.String(e.URL), Credentials: credentials.NewStaticCredentialsProvider(
				*out.Credentials.AccessKeyId, *out.Credentials.SecretAccessKey, *out.Credentials.SessionToken)})
			caller, err := vended.GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{})
			if err != nil || *caller.Arn != *out.AssumedRoleUser.Arn {
				t.Fatalf("GetCallerIdentity with the session = %+v, %v", caller, err)
			}

			// STS's codes: InvalidIdentityToken for a token it cannot
			// validate, ExpiredTokenException for an expired one, AccessDenied
			// when the role's trust policy refuses a valid one.
			for _, tc := range []struct{ name, role, token, code string }{
				// The token's audience is not a client id of the provider.
				{"audience not in the client id list", webRole, otherAudience, "InvalidIdentityToken"},
				// The audience is the provider's, not the one the role trusts.
				{"audience the role does not trust", expiringRole, token, "AccessDenied"},
				{"signature tampered", webRole, tamperSignature(token), "InvalidIdentityToken"},
				{"payload tampered", webRole, tamperPayload(t, token), "InvalidIdentityToken"},
				{"expired", expiringRole, expired, "ExpiredTokenException"},
			} {
				if _, err := assume(tc.role, tc.token); apiCode(err) != tc.code {
					t.Errorf("%s: AssumeRoleWithWebIdentity error %v (code %q), want %s", tc.name, err, apiCode(err), tc.code)
				}
			}
		})

		t.Run("classic flow", func(t *testing.T) {
			token := iss.IDToken(t, "gina")
			id, err := getID(ipID, token)
			if err != nil {
				t.Fatal(err)
			}
			oid, err := c.Anon.GetOpenIdToken(ctx(t), &ci.GetOpenIdTokenInput{IdentityId: aws.String(id),
				Logins: map[string]string{provider: token}})
			if err != nil {
				t.Fatal(err)
			}
			var claims struct {
				Sub string   `json:"sub"`
				Aud string   `json:"aud"`
				AMR []string `json:"amr"`
			}
			if err := unverifiedClaims(*oid.Token, &claims); err != nil {
				t.Fatal(err)
			}
			if claims.Sub != id || claims.Aud != ipID || !slices.Equal(claims.AMR, []string{"authenticated", provider}) {
				t.Fatalf("identity token claims %+v, want sub %s aud %s amr [authenticated %s]", claims, id, ipID, provider)
			}
			anonSTS := sts.New(sts.Options{Region: region, BaseEndpoint: aws.String(e.URL), Credentials: aws.AnonymousCredentials{}})
			out, err := anonSTS.AssumeRoleWithWebIdentity(ctx(t), &sts.AssumeRoleWithWebIdentityInput{
				RoleArn: aws.String(authRole), RoleSessionName: aws.String("classic"), WebIdentityToken: oid.Token})
			if err != nil {
				t.Fatal(err)
			}
			if *out.SubjectFromWebIdentityToken != id || *out.AssumedRoleUser.Arn != "arn:aws:sts::000000000000:assumed-role/oidc-auth/classic" {
				t.Fatalf("AssumeRoleWithWebIdentity = subject %q user %q", *out.SubjectFromWebIdentityToken, *out.AssumedRoleUser.Arn)
			}
		})

		t.Run("rules on the token's claims", func(t *testing.T) {
			admins := c.createRole(t, "oidc-admins", trustPolicy(ipID, "authenticated"))
			if _, err := c.Admin.SetIdentityPoolRoles(ctx(t), &ci.SetIdentityPoolRolesInput{IdentityPoolId: aws.String(ipID),
				Roles: map[string]string{"authenticated": authRole, "unauthenticated": guestRole},
				RoleMappings: map[string]citypes.RoleMapping{provider: {Type: citypes.RoleMappingTypeRules,
					AmbiguousRoleResolution: citypes.AmbiguousRoleResolutionTypeAuthenticatedRole,
					RulesConfiguration: &citypes.RulesConfigurationType{Rules: []citypes.MappingRule{{Claim: aws.String("email"),
						MatchType: citypes.MappingRuleMatchTypeEquals, Value: aws.String("alice@users.oidc.test"), RoleARN: aws.String(admins)}}}}},
			}); err != nil {
				t.Fatal(err)
			}
			// The issuer gives each subject the email <subject>@users.oidc.test.
			for subject, role := range map[string]string{"alice": "oidc-admins", "bob": "oidc-auth"} {
				token := iss.IDToken(t, subject)
				id, err := getID(ipID, token)
				if err != nil {
					t.Fatal(err)
				}
				out, err := c.Anon.GetCredentialsForIdentity(ctx(t), &ci.GetCredentialsForIdentityInput{IdentityId: aws.String(id),
					Logins: map[string]string{provider: token}})
				if err != nil {
					t.Fatal(err)
				}
				want := "arn:aws:sts::000000000000:assumed-role/" + role + "/CognitoIdentityCredentials"
				if got := c.callerARN(t, out.Credentials); got != want {
					t.Errorf("%s: caller %s, want %s", subject, got, want)
				}
			}
		})

		t.Run("provider deleted", func(t *testing.T) {
			token := iss.IDToken(t, "erin")
			if _, err := getID(ipID, token); err != nil {
				t.Fatal(err)
			}
			if _, err := c.IAM.DeleteOpenIDConnectProvider(ctx(t), &iam.DeleteOpenIDConnectProviderInput{
				OpenIDConnectProviderArn: aws.String(providerARN)}); err != nil {
				t.Fatal(err)
			}
			before := countIdentities(t, c.Admin, ipID)
			_, err := getID(ipID, token)
			wantCode(t, err, "NotAuthorizedException")
			_, err = getID(ipID, iss.IDToken(t, "frank"))
			wantCode(t, err, "NotAuthorizedException")
			if after := countIdentities(t, c.Admin, ipID); after != before {
				t.Fatalf("identities %d before, %d after logins of a deleted provider", before, after)
			}
			anonSTS := sts.New(sts.Options{Region: region, BaseEndpoint: aws.String(e.URL), Credentials: aws.AnonymousCredentials{}})
			_, err = anonSTS.AssumeRoleWithWebIdentity(ctx(t), &sts.AssumeRoleWithWebIdentityInput{
				RoleArn: aws.String("arn:aws:iam::000000000000:role/oidc-web"), RoleSessionName: aws.String("web"), WebIdentityToken: aws.String(token)})
			wantCode(t, err, "InvalidIdentityToken")
		})
	})
}

// tamperSignature changes the last bytes of a compact JWS's signature.
func tamperSignature(jws string) string {
	last := jws[len(jws)-4:]
	repl := "AAAA"
	if last == repl {
		repl = "BBBB"
	}
	return jws[:len(jws)-4] + repl
}

// tamperPayload re-encodes a JWS's payload with its subject changed,
// keeping the signature.
func tamperPayload(t *testing.T, jws string) string {
	t.Helper()
	parts := strings.Split(jws, ".")
	var claims map[string]any
	if err := unverifiedClaims(jws, &claims); err != nil {
		t.Fatal(err)
	}
	claims["sub"] = "mallory"
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	parts[1] = base64.RawURLEncoding.EncodeToString(payload)
	return strings.Join(parts, ".")
}

// TestIdentityPoolOIDCThumbprints federates the OpenID Connect provider
// into a server that does not trust the issuer's CA (its default HTTP
// client): as in AWS, the provider's thumbprints in IAM decide. The
// thumbprint of the CA, the top certificate the issuer presents, lets
// logins in; another one keeps them out; a replaced list takes effect at
// the next login.
func TestIdentityPoolOIDCThumbprints(t *testing.T) {
	iss := startOIDCIssuer(t)
	provider := strings.TrimPrefix(iss.URL, "https://")
	wrong := strings.Repeat("0f", 20)
	otherAudience := iss.IDTokenFor(t, iss.OtherClientID, "alice")

	enginesWith(t, server.Options{}, func(t *testing.T, e *env) {
		c := newIdentityClients(e.URL)
		created, err := c.IAM.CreateOpenIDConnectProvider(ctx(t), &iam.CreateOpenIDConnectProviderInput{
			Url: aws.String(iss.URL), ClientIDList: []string{iss.ClientID}, ThumbprintList: []string{wrong},
		})
		if err != nil {
			t.Fatal(err)
		}
		providerARN := created.OpenIDConnectProviderArn
		pool, err := c.Admin.CreateIdentityPool(ctx(t), &ci.CreateIdentityPoolInput{
			IdentityPoolName: aws.String("oidc"), AllowUnauthenticatedIdentities: false,
			OpenIdConnectProviderARNs: []string{*providerARN},
		})
		if err != nil {
			t.Fatal(err)
		}
		ipID := *pool.IdentityPoolId
		authRole := c.createRole(t, "oidc-auth", trustPolicy(ipID, "authenticated"))
		if _, err := c.Admin.SetIdentityPoolRoles(ctx(t), &ci.SetIdentityPoolRolesInput{IdentityPoolId: aws.String(ipID),
			Roles: map[string]string{"authenticated": authRole}}); err != nil {
			t.Fatal(err)
		}
		webRole := c.createRole(t, "oidc-web", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
			"Principal":{"Federated":"`+*providerARN+`"},"Action":"sts:AssumeRoleWithWebIdentity"}]}`)
		anonSTS := sts.New(sts.Options{Region: region, BaseEndpoint: aws.String(e.URL), Credentials: aws.AnonymousCredentials{}})

		// login signs subject in through GetId, GetCredentialsForIdentity
		// and AssumeRoleWithWebIdentity, with a token of the given
		// audience (empty: ClientID).
		login := func(t *testing.T, subject, token string) error {
			t.Helper()
			if token == "" {
				token = iss.IDToken(t, subject)
			}
			id, err := c.Anon.GetId(ctx(t), &ci.GetIdInput{IdentityPoolId: aws.String(ipID), Logins: map[string]string{provider: token}})
			if err != nil {
				return err
			}
			if _, err := c.Anon.GetCredentialsForIdentity(ctx(t), &ci.GetCredentialsForIdentityInput{IdentityId: id.IdentityId,
				Logins: map[string]string{provider: token}}); err != nil {
				return err
			}
			_, err = anonSTS.AssumeRoleWithWebIdentity(ctx(t), &sts.AssumeRoleWithWebIdentityInput{
				RoleArn: aws.String(webRole), RoleSessionName: aws.String("web"), WebIdentityToken: aws.String(token)})
			return err
		}
		refused := func(t *testing.T, what, token string) {
			t.Helper()
			before := countIdentities(t, c.Admin, ipID)
			_, err := c.Anon.GetId(ctx(t), &ci.GetIdInput{IdentityPoolId: aws.String(ipID), Logins: map[string]string{provider: token}})
			if apiCode(err) != "NotAuthorizedException" {
				t.Errorf("%s: GetId error %v, want NotAuthorizedException", what, err)
			}
			_, err = anonSTS.AssumeRoleWithWebIdentity(ctx(t), &sts.AssumeRoleWithWebIdentityInput{
				RoleArn: aws.String(webRole), RoleSessionName: aws.String("web"), WebIdentityToken: aws.String(token)})
			if apiCode(err) != "InvalidIdentityToken" {
				t.Errorf("%s: AssumeRoleWithWebIdentity error %v, want InvalidIdentityToken", what, err)
			}
			if after := countIdentities(t, c.Admin, ipID); after != before {
				t.Errorf("%s: identities %d before, %d after", what, before, after)
			}
		}
		setThumbprints := func(t *testing.T, ts ...string) {
			t.Helper()
			if _, err := c.IAM.UpdateOpenIDConnectProviderThumbprint(ctx(t), &iam.UpdateOpenIDConnectProviderThumbprintInput{
				OpenIDConnectProviderArn: providerARN, ThumbprintList: ts}); err != nil {
				t.Fatal(err)
			}
		}

		// Subtests run in order: each changes the provider.
		t.Run("wrong thumbprint", func(t *testing.T) {
			refused(t, "a thumbprint that is not the CA's", iss.IDToken(t, "alice"))
		})
		t.Run("the CA's thumbprint", func(t *testing.T) {
			setThumbprints(t, wrong, strings.ToUpper(iss.CAThumbprint))
			if err := login(t, "alice", ""); err != nil {
				t.Fatalf("after UpdateOpenIDConnectProviderThumbprint to the CA's: %v", err)
			}
			if n := countIdentities(t, c.Admin, ipID); n != 1 {
				t.Errorf("%d identities after alice's login, want 1", n)
			}
		})
		t.Run("client ids", func(t *testing.T) {
			refused(t, "an audience the provider does not list", otherAudience)
			if _, err := c.IAM.AddClientIDToOpenIDConnectProvider(ctx(t), &iam.AddClientIDToOpenIDConnectProviderInput{
				OpenIDConnectProviderArn: providerARN, ClientID: aws.String(iss.OtherClientID)}); err != nil {
				t.Fatal(err)
			}
			if err := login(t, "alice", otherAudience); err != nil {
				t.Fatalf("a token for %s once the provider lists it: %v", iss.OtherClientID, err)
			}
			if _, err := c.IAM.RemoveClientIDFromOpenIDConnectProvider(ctx(t), &iam.RemoveClientIDFromOpenIDConnectProviderInput{
				OpenIDConnectProviderArn: providerARN, ClientID: aws.String(iss.OtherClientID)}); err != nil {
				t.Fatal(err)
			}
			refused(t, "an audience removed from the provider", otherAudience)
		})
		t.Run("thumbprint replaced again", func(t *testing.T) {
			setThumbprints(t, wrong)
			refused(t, "the CA's thumbprint taken away", iss.IDToken(t, "bob"))
		})
	})
}
