package integration

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/cognate-auth/cognate/internal/config"
	"github.com/cognate-auth/cognate/internal/testutil/pgtest"
)

const (
	socialFacebookApp = "1234567890123"
	socialAmazonApp   = "amzn1.application.0123456789abcdef0123456789abcdef"
	socialAmazonOA2   = "amzn1.application-oa2-client.fedcba9876543210fedcba9876543210"
	socialFacebookAda = "10150000000000001"
	socialAmazonAda   = "amzn1.account.AHQG2JPGF47GOIO4WYGDWAHKTIVA"
	// socialOddToken has characters that mean something in a query.
	socialOddToken = "Atza|IwEB+/x=&access_token=Atza|other#f"
)

// socialProviders stands in on loopback for the Graph API (/app, /me) and
// Login with Amazon (/auth/o2/tokeninfo), answering for its tokens as the
// providers do, their error JSON included.
type socialProviders struct {
	*httptest.Server
	mu       sync.Mutex
	failing  bool
	received []string
	facebook map[string][2]string // token: app, user
	amazon   map[string][3]string // token: client id, app id, user
}

func startSocialProviders(t *testing.T) *socialProviders {
	t.Helper()
	p := &socialProviders{
		facebook: map[string][2]string{
			"EAAfb-ada": {socialFacebookApp, socialFacebookAda}, "EAAfb-ada-later": {socialFacebookApp, socialFacebookAda},
			"EAAfb-other-app": {"999999999999", "10150000000000009"},
		},
		amazon: map[string][3]string{
			"Atza|ada": {socialAmazonOA2, socialAmazonApp, socialAmazonAda}, socialOddToken: {socialAmazonOA2, socialAmazonApp, socialAmazonAda},
			"Atza|other-app": {"amzn1.application-oa2-client.other", "amzn1.application.other", "amzn1.account.OTHER"},
		},
	}
	answer := func(w http.ResponseWriter, status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	token := func(w http.ResponseWriter, r *http.Request) (string, bool) {
		p.mu.Lock()
		defer p.mu.Unlock()
		tokens := r.URL.Query()["access_token"]
		if len(tokens) != 1 {
			http.Error(w, "one access_token wanted", http.StatusBadRequest)
			return "", false
		}
		p.received = append(p.received, tokens[0])
		if p.failing {
			http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
			return "", false
		}
		return tokens[0], true
	}
	graph := func(object int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			tok, ok := token(w, r)
			if !ok {
				return
			}
			ids, known := p.facebook[tok]
			if !known {
				answer(w, http.StatusBadRequest, map[string]any{"error": map[string]any{
					"message": "Invalid OAuth access token - Cannot parse access token", "type": "OAuthException", "code": 190, "fbtrace_id": "A1b2C3"}})
				return
			}
			answer(w, http.StatusOK, map[string]string{"id": ids[object]})
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /app", graph(0))
	mux.HandleFunc("GET /me", graph(1))
	mux.HandleFunc("GET /auth/o2/tokeninfo", func(w http.ResponseWriter, r *http.Request) {
		tok, ok := token(w, r)
		if !ok {
			return
		}
		ids, known := p.amazon[tok]
		if !known {
			answer(w, http.StatusBadRequest, map[string]string{"error_description": "The request has an invalid parameter : access_token",
				"error": "invalid_token"})
			return
		}
		answer(w, http.StatusOK, map[string]any{"aud": ids[0], "app_id": ids[1], "user_id": ids[2], "iss": "https://www.amazon.com",
			"exp": 3597, "iat": 1764860000})
	})
	p.Server = httptest.NewServer(mux)
	t.Cleanup(p.Close)
	return p
}

func (p *socialProviders) setFailing(failing bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.failing = failing
}

func (p *socialProviders) got(token string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Contains(p.received, token)
}

func TestIdentityPoolSocialLogins(t *testing.T) {
	for name, dbURL := range map[string]func(testing.TB) string{
		"sqlite":   func(testing.TB) string { return "" },
		"postgres": pgtest.URL,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			providers := startSocialProviders(t)
			e := startIn(t, dbURL(t), t.TempDir(), "", func(c *config.Config) {
				c.FacebookGraphURL, c.AmazonAPIURL = providers.URL, providers.URL
			})
			testSocialLogins(t, e, providers)
		})
	}
}

func testSocialLogins(t *testing.T, e *env, providers *socialProviders) {
	c := newIdentityClients(e.URL)
	created, err := c.Admin.CreateIdentityPool(ctx(t), &ci.CreateIdentityPoolInput{
		IdentityPoolName: aws.String("social"), AllowUnauthenticatedIdentities: false, AllowClassicFlow: aws.Bool(true),
		SupportedLoginProviders: map[string]string{"graph.facebook.com": socialFacebookApp, "www.amazon.com": socialAmazonApp},
	})
	if err != nil {
		t.Fatal(err)
	}
	ipID := *created.IdentityPoolId
	// The role trusts the users of the pool's two apps, by the amr Cognito
	// gives their sessions; the other only Facebook's.
	authRole := c.createRole(t, "social-auth", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity",
		"Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"`+ipID+`"},
		"ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":["graph.facebook.com:`+socialFacebookApp+`:*","www.amazon.com:`+socialAmazonApp+`:*"]}}}]}`)
	facebookRole := c.createRole(t, "facebook-only", trustPolicy(ipID, "graph.facebook.com:"+socialFacebookApp+":*"))
	if _, err := c.Admin.SetIdentityPoolRoles(ctx(t), &ci.SetIdentityPoolRolesInput{IdentityPoolId: aws.String(ipID),
		Roles: map[string]string{"authenticated": authRole}}); err != nil {
		t.Fatal(err)
	}
	anonSTS := sts.New(sts.Options{Region: region, BaseEndpoint: aws.String(e.URL), Credentials: aws.AnonymousCredentials{}})

	identities := map[string]string{}
	for _, tt := range []struct {
		provider, token, again, user string
	}{
		{"graph.facebook.com", "EAAfb-ada", "EAAfb-ada-later", socialFacebookAda},
		{"www.amazon.com", "Atza|ada", socialOddToken, socialAmazonAda},
	} {
		t.Run(tt.provider, func(t *testing.T) {
			logins := map[string]string{tt.provider: tt.token}
			first, err := c.Anon.GetId(ctx(t), &ci.GetIdInput{IdentityPoolId: aws.String(ipID), Logins: logins})
			if err != nil {
				t.Fatal(err)
			}
			// Another token of the same user is the same identity.
			again, err := c.Anon.GetId(ctx(t), &ci.GetIdInput{IdentityPoolId: aws.String(ipID), Logins: map[string]string{tt.provider: tt.again}})
			if err != nil || *again.IdentityId != *first.IdentityId {
				t.Fatalf("GetId with another token of the user = %v, %v; want %s", again, err, *first.IdentityId)
			}
			identities[tt.provider] = *first.IdentityId
			out, err := c.Anon.GetCredentialsForIdentity(ctx(t), &ci.GetCredentialsForIdentityInput{IdentityId: first.IdentityId, Logins: logins})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := c.callerARN(t, out.Credentials), "arn:aws:sts::000000000000:assumed-role/social-auth/CognitoIdentityCredentials"; got != want {
				t.Fatalf("caller %s, want %s", got, want)
			}
			desc, err := c.Admin.DescribeIdentity(ctx(t), &ci.DescribeIdentityInput{IdentityId: first.IdentityId})
			if err != nil || !slices.Equal(desc.Logins, []string{tt.provider}) {
				t.Fatalf("DescribeIdentity = %+v, %v", desc, err)
			}

			// The session's amr names provider, app and user, as Cognito's.
			open, err := c.Anon.GetOpenIdToken(ctx(t), &ci.GetOpenIdTokenInput{IdentityId: first.IdentityId, Logins: logins})
			if err != nil {
				t.Fatal(err)
			}
			appID := map[string]string{"graph.facebook.com": socialFacebookApp, "www.amazon.com": socialAmazonApp}[tt.provider]
			amr, _ := claims(t, open.Token)["amr"].([]any)
			if want := []any{"authenticated", tt.provider, tt.provider + ":" + appID + ":" + tt.user}; !slices.Equal(amr, want) {
				t.Fatalf("amr %v, want %v", amr, want)
			}
			_, err = anonSTS.AssumeRoleWithWebIdentity(ctx(t), &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(facebookRole),
				RoleSessionName: aws.String("social"), WebIdentityToken: open.Token})
			if tt.provider == "graph.facebook.com" && err != nil {
				t.Fatalf("the Facebook-only role refused a Facebook session: %v", err)
			}
			if tt.provider != "graph.facebook.com" {
				wantCode(t, err, "AccessDenied")
			}
		})
	}
	if len(identities) != 2 || identities["graph.facebook.com"] == identities["www.amazon.com"] {
		t.Fatalf("identities %v: want one per provider's user", identities)
	}
	if !providers.got(socialOddToken) {
		t.Fatalf("the provider never got the token %q intact", socialOddToken)
	}

	t.Run("bad tokens create nothing", func(t *testing.T) {
		amazonOnly, err := c.Admin.CreateIdentityPool(ctx(t), &ci.CreateIdentityPoolInput{IdentityPoolName: aws.String("lwa"),
			AllowUnauthenticatedIdentities: false, SupportedLoginProviders: map[string]string{"www.amazon.com": socialAmazonApp}})
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			name, pool, provider, token string
		}{
			{"facebook token of another app", ipID, "graph.facebook.com", "EAAfb-other-app"},
			{"facebook bad token", ipID, "graph.facebook.com", "EAAfb-forged"},
			{"amazon token of another app", ipID, "www.amazon.com", "Atza|other-app"},
			{"amazon bad token", ipID, "www.amazon.com", "Atza|forged"},
			{"amazon token injecting another", ipID, "www.amazon.com", "x&access_token=Atza|ada"},
			{"facebook not in the pool", *amazonOnly.IdentityPoolId, "graph.facebook.com", "EAAfb-ada"},
		} {
			before := countIdentities(t, c.Admin, tt.pool)
			_, err := c.Anon.GetId(ctx(t), &ci.GetIdInput{IdentityPoolId: aws.String(tt.pool), Logins: map[string]string{tt.provider: tt.token}})
			if code := apiCode(err); code != "NotAuthorizedException" {
				t.Errorf("%s: GetId error %v (code %q), want NotAuthorizedException", tt.name, err, code)
			}
			if after := countIdentities(t, c.Admin, tt.pool); after != before {
				t.Errorf("%s: identities %d before, %d after", tt.name, before, after)
			}
		}
		// A known identity does not get credentials with another app's token.
		_, err = c.Anon.GetCredentialsForIdentity(ctx(t), &ci.GetCredentialsForIdentityInput{IdentityId: aws.String(identities["graph.facebook.com"]),
			Logins: map[string]string{"graph.facebook.com": "EAAfb-other-app"}})
		wantCode(t, err, "NotAuthorizedException")
	})

	t.Run("provider down", func(t *testing.T) {
		providers.setFailing(true)
		defer providers.setFailing(false)
		for provider, token := range map[string]string{"graph.facebook.com": "EAAfb-ada", "www.amazon.com": "Atza|ada"} {
			_, err := c.Anon.GetId(ctx(t), &ci.GetIdInput{IdentityPoolId: aws.String(ipID), Logins: map[string]string{provider: token}})
			wantCode(t, err, "ExternalServiceException")
		}
	})
}
