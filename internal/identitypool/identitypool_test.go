package identitypool_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/federation"
	"github.com/cognate-auth/cognate/internal/guard"
	"github.com/cognate-auth/cognate/internal/iam"
	"github.com/cognate-auth/cognate/internal/identitypool"
	"github.com/cognate-auth/cognate/internal/requestctx"
	"github.com/cognate-auth/cognate/internal/sessiontoken"
	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/testutil/domaintest"
)

// logins verifies tokens from a table, standing in for the providers
// (package federation has its own tests against real token issuers); the
// OpenID tokens Cognate mints go to the real federation.Verifier.
type logins struct {
	real   *federation.Verifier
	tokens map[string]federation.Login // by provider + " " + token
}

func (l *logins) Verify(ctx context.Context, t federation.Trust, provider, token string) (federation.Login, error) {
	if provider == federation.IdentityProvider {
		return l.real.Verify(ctx, t, provider, token)
	}
	login, ok := l.tokens[provider+" "+token]
	if !ok {
		return federation.Login{}, apierr.New(apierr.NotAuthorized, "Invalid login token.")
	}
	return login, nil
}

// roles records what the domain asks IAM for and mints real credentials;
// roles it is told to refuse answer AccessDenied as IAM does.
type roles struct {
	minter  *sessiontoken.Minter
	refuse  map[string]bool
	mu      sync.Mutex
	last    iam.WebIdentityRequest
	assumed int
}

func (r *roles) AssumeRoleWithWebIdentity(_ context.Context, req iam.WebIdentityRequest) (sessiontoken.Credentials, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.refuse[req.RoleARN] {
		return sessiontoken.Credentials{}, apierr.New("AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity")
	}
	r.last, r.assumed = req, r.assumed+1
	now := time.Now()
	return r.minter.Mint(sessiontoken.Session{AccountID: "000000000000", RoleARN: req.RoleARN, RoleID: "AROATEST",
		SessionName: req.SessionName, Keys: req.Keys, PrincipalTags: req.PrincipalTags, Issued: now, Expires: now.Add(req.Duration)})
}

type noProviders struct{}

func (noProviders) OpenIDConnectProvider(context.Context, string) (federation.OIDCProvider, error) {
	return federation.OIDCProvider{}, store.ErrNotFound
}

func (noProviders) OpenIDConnectProviderByURL(context.Context, string) (federation.OIDCProvider, error) {
	return federation.OIDCProvider{}, store.ErrNotFound
}

type env struct {
	svc    *identitypool.Service
	st     store.Store
	logins *logins
	roles  *roles
}

const (
	userPool  = "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123"
	authRole  = "arn:aws:iam::000000000000:role/Cognito_Auth"
	guestRole = "arn:aws:iam::000000000000:role/Cognito_Unauth"
	adminRole = "arn:aws:iam::000000000000:role/Admins"
)

func newEnv(t *testing.T, configure ...func(*identitypool.Config, store.Store)) *env {
	t.Helper()
	d := domaintest.New(t, false)
	key := bytes.Repeat([]byte{9}, 32)
	fed, err := federation.New(federation.Config{IDTokens: d.Pools, Providers: noProviders{}, AccountID: "000000000000",
		PublicURL: "http://127.0.0.1:9229", MasterKey: key})
	if err != nil {
		t.Fatal(err)
	}
	minter, err := sessiontoken.NewMinter(key)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{st: d.Store, logins: &logins{real: fed, tokens: map[string]federation.Login{}},
		roles: &roles{minter: minter, refuse: map[string]bool{}}}
	cfg := identitypool.Config{Store: d.Store, Logins: e.logins, Roles: e.roles, Tokens: fed,
		Region: "us-east-1", AccountID: "000000000000"}
	for _, f := range configure {
		f(&cfg, d.Store)
	}
	e.svc, err = identitypool.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// user registers a token of the test user pool for subject with claims.
func (e *env) user(token, subject string, claims map[string]any, roles ...string) {
	c := map[string]any{"sub": subject, "aud": "client1"}
	maps.Copy(c, claims)
	l := federation.Login{Provider: userPool, Subject: subject, Claims: c, Roles: roles}
	if p, ok := claims["cognito:preferred_role"].(string); ok {
		l.PreferredRole = p
	}
	e.logins.tokens[userPool+" "+token] = l
}

func (e *env) pool(t *testing.T, c identitypool.PoolConfig) store.IdentityPool {
	t.Helper()
	if c.Name == "" {
		c.Name = "app"
	}
	c.CognitoProviders = []store.CognitoIdentityProvider{{ProviderName: userPool, ClientID: "client1"}}
	p, err := e.svc.CreatePool(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetRoles(context.Background(), p.ID, map[string]string{"authenticated": authRole, "unauthenticated": guestRole}, nil); err != nil {
		t.Fatal(err)
	}
	return p
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	var e *apierr.Error
	if code == "" {
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return
	}
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("%s: got %v, want %s", what, err, code)
	}
}

func TestGuests(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	closed := e.pool(t, identitypool.PoolConfig{})
	_, err := e.svc.GetID(ctx, closed.ID, nil)
	wantCode(t, "guest in a closed pool", err, apierr.NotAuthorized)

	open := e.pool(t, identitypool.PoolConfig{AllowUnauthenticated: true})
	id, err := e.svc.GetID(ctx, open.ID, nil)
	wantCode(t, "guest", err, "")
	c, err := e.svc.CredentialsForIdentity(ctx, id, nil, "")
	wantCode(t, "guest credentials", err, "")
	if c.IdentityID != id || c.AccessKeyID == "" || e.roles.last.RoleARN != guestRole {
		t.Fatalf("guest credentials %+v for role %s", c, e.roles.last.RoleARN)
	}
	want := map[string][]string{
		"cognito-identity.amazonaws.com:aud": {open.ID},
		"cognito-identity.amazonaws.com:sub": {id},
		"cognito-identity.amazonaws.com:amr": {"unauthenticated"},
	}
	if !maps.EqualFunc(e.roles.last.Keys, want, slices.Equal) {
		t.Fatalf("keys %v, want %v", e.roles.last.Keys, want)
	}
	if e.roles.last.Provider != federation.IdentityProvider || e.roles.last.SessionName != "CognitoIdentityCredentials" {
		t.Fatalf("request %+v", e.roles.last)
	}
	// A guest identity of one pool is not one of another's.
	_, err = e.svc.CredentialsForIdentity(ctx, "us-east-1:00000000-0000-0000-0000-000000000000", nil, "")
	wantCode(t, "unknown identity", err, apierr.ResourceNotFound)
	_, err = e.svc.CredentialsForIdentity(ctx, id, nil, guestRole)
	wantCode(t, "custom role for a guest", err, apierr.InvalidParameter)
}

func TestAuthenticatedIdentities(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	p := e.pool(t, identitypool.PoolConfig{AllowUnauthenticated: true})
	e.user("alice-token", "alice", nil)
	e.user("bob-token", "bob", nil)

	_, err := e.svc.GetID(ctx, p.ID, map[string]string{userPool: "forged"})
	wantCode(t, "forged token", err, apierr.NotAuthorized)
	if ids, _, _ := e.svc.ListIdentities(ctx, p.ID, 60, ""); len(ids) != 0 {
		t.Fatalf("a refused login created %v", ids)
	}

	alice, err := e.svc.GetID(ctx, p.ID, map[string]string{userPool: "alice-token"})
	wantCode(t, "alice", err, "")
	again, err := e.svc.GetID(ctx, p.ID, map[string]string{userPool: "alice-token"})
	if err != nil || again != alice {
		t.Fatalf("alice again: %s, %v; want %s", again, err, alice)
	}
	if _, err := e.svc.CredentialsForIdentity(ctx, alice, map[string]string{userPool: "alice-token"}, ""); err != nil {
		t.Fatal(err)
	}
	if e.roles.last.RoleARN != authRole || !slices.Equal(e.roles.last.Keys["cognito-identity.amazonaws.com:amr"],
		[]string{"authenticated", userPool, userPool + ":CognitoSignIn:alice"}) {
		t.Fatalf("alice's request %+v", e.roles.last)
	}
	// Bob's token opens no door of Alice's identity; neither does none.
	_, err = e.svc.CredentialsForIdentity(ctx, alice, map[string]string{userPool: "bob-token"}, "")
	wantCode(t, "bob on alice", err, apierr.NotAuthorized)
	_, err = e.svc.CredentialsForIdentity(ctx, alice, nil, "")
	wantCode(t, "alice as a guest", err, apierr.NotAuthorized)

	d, err := e.svc.DescribeIdentity(ctx, alice)
	if err != nil || !slices.Equal(d.Logins, []string{userPool}) {
		t.Fatalf("describe %+v, %v", d, err)
	}
	// Unlinking Alice's only login makes her identity a guest's.
	if err := e.svc.Unlink(ctx, alice, map[string]string{userPool: "alice-token"}, []string{userPool}); err != nil {
		t.Fatal(err)
	}
	if d, _ := e.svc.DescribeIdentity(ctx, alice); len(d.Logins) != 0 {
		t.Fatalf("after unlink %+v", d)
	}
}

func TestConcurrentGetID(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	p := e.pool(t, identitypool.PoolConfig{})
	e.user("carol-token", "carol", nil)
	ids := make([]string, 16)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Go(func() {
			id, err := e.svc.GetID(ctx, p.ID, map[string]string{userPool: "carol-token"})
			if err != nil {
				t.Error(err)
			}
			ids[i] = id
		})
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("one login, several identities: %v", ids)
		}
	}
}

func TestRoleMapping(t *testing.T) {
	ctx := context.Background()
	rules := store.RoleMapping{Type: "Rules", AmbiguousRoleResolution: "Deny", Rules: []store.MappingRule{
		{Claim: "cognito:groups", MatchType: "Equals", Value: "admins", RoleARN: adminRole},
		{Claim: "email", MatchType: "StartsWith", Value: "ops@", RoleARN: authRole},
	}}
	token := store.RoleMapping{Type: "Token", AmbiguousRoleResolution: "AuthenticatedRole"}
	tests := []struct {
		name    string
		mapping store.RoleMapping
		claims  map[string]any
		offered []string
		custom  string
		role    string
		code    string
	}{
		{name: "rule on a list claim", mapping: rules, claims: map[string]any{"cognito:groups": []any{"users", "admins"}}, role: adminRole},
		{name: "second rule", mapping: rules, claims: map[string]any{"email": "ops@example.com"}, role: authRole},
		{name: "no rule, deny", mapping: rules, claims: map[string]any{"email": "x@example.com"}, code: "InvalidIdentityPoolConfigurationException"},
		{name: "token preferred role", mapping: token, claims: map[string]any{"cognito:preferred_role": adminRole}, offered: []string{adminRole, authRole}, role: adminRole},
		{name: "token single role", mapping: token, offered: []string{adminRole}, role: adminRole},
		{name: "token ambiguous, default", mapping: token, offered: []string{adminRole, guestRole}, role: authRole},
		{name: "token custom role offered", mapping: token, offered: []string{adminRole, guestRole}, custom: guestRole, role: guestRole},
		{name: "token custom role not offered", mapping: token, offered: []string{adminRole}, custom: guestRole, code: apierr.InvalidParameter},
		{name: "refused by the trust policy", mapping: token, offered: []string{"arn:aws:iam::000000000000:role/Untrusting"}, code: "InvalidIdentityPoolConfigurationException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.roles.refuse["arn:aws:iam::000000000000:role/Untrusting"] = true
			p := e.pool(t, identitypool.PoolConfig{})
			err := e.svc.SetRoles(ctx, p.ID, map[string]string{"authenticated": authRole},
				map[string]store.RoleMapping{userPool + ":client1": tt.mapping})
			wantCode(t, "set roles", err, "")
			e.user("tok", "dave", tt.claims, tt.offered...)
			logins := map[string]string{userPool: "tok"}
			id, err := e.svc.GetID(ctx, p.ID, logins)
			wantCode(t, "get id", err, "")
			_, err = e.svc.CredentialsForIdentity(ctx, id, logins, tt.custom)
			wantCode(t, "credentials", err, tt.code)
			if tt.code == "" && e.roles.last.RoleARN != tt.role {
				t.Fatalf("role %s, want %s", e.roles.last.RoleARN, tt.role)
			}
		})
	}
}

func TestPrincipalTags(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	p := e.pool(t, identitypool.PoolConfig{})
	e.user("tok", "erin", map[string]any{"department": "sales", "cognito:groups": []any{"a", "b"}})
	err := e.svc.SetPrincipalTags(ctx, p.ID, userPool, false, map[string]string{"dept": "department", "groups": "cognito:groups", "who": "sub"})
	wantCode(t, "set tags", err, "")
	logins := map[string]string{userPool: "tok"}
	id, _ := e.svc.GetID(ctx, p.ID, logins)
	if _, err := e.svc.CredentialsForIdentity(ctx, id, logins, ""); err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"dept": "sales", "who": "erin"}; !maps.Equal(e.roles.last.PrincipalTags, want) {
		t.Fatalf("tags %v, want %v", e.roles.last.PrincipalTags, want)
	}
	if err := e.svc.SetPrincipalTags(ctx, p.ID, userPool, true, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.CredentialsForIdentity(ctx, id, logins, ""); err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"username": "erin", "client": "client1"}; !maps.Equal(e.roles.last.PrincipalTags, want) {
		t.Fatalf("default tags %v, want %v", e.roles.last.PrincipalTags, want)
	}
}

func TestDeveloperIdentities(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	p := e.pool(t, identitypool.PoolConfig{DeveloperProviderName: "login.example"})
	plain := e.pool(t, identitypool.PoolConfig{})

	_, err := e.svc.DeveloperOpenIDToken(ctx, plain.ID, "", map[string]string{"login.example": "u1"}, nil, 0)
	wantCode(t, "pool without a developer provider", err, apierr.InvalidParameter)
	_, err = e.svc.DeveloperOpenIDToken(ctx, p.ID, "", map[string]string{"other.example": "u1"}, nil, 0)
	wantCode(t, "no developer login", err, apierr.InvalidParameter)
	_, err = e.svc.DeveloperOpenIDToken(ctx, p.ID, "", map[string]string{"login.example": "u1"}, nil, 48*time.Hour)
	wantCode(t, "too long", err, apierr.InvalidParameter)

	u1, err := e.svc.DeveloperOpenIDToken(ctx, p.ID, "", map[string]string{"login.example": "u1"}, nil, 0)
	wantCode(t, "u1", err, "")
	again, err := e.svc.DeveloperOpenIDToken(ctx, p.ID, "", map[string]string{"login.example": "u1"}, nil, time.Hour)
	if err != nil || again.IdentityID != u1.IdentityID || again.Token == u1.Token {
		t.Fatalf("u1 again: %+v, %v", again, err)
	}
	// The token is a login of the identity, and of no other pool's.
	c, err := e.svc.CredentialsForIdentity(ctx, u1.IdentityID, map[string]string{federation.IdentityProvider: u1.Token}, "")
	wantCode(t, "credentials with the developer token", err, "")
	if c.IdentityID != u1.IdentityID || e.roles.last.RoleARN != authRole {
		t.Fatalf("credentials %+v for %s", c, e.roles.last.RoleARN)
	}
	_, err = e.svc.GetID(ctx, plain.ID, map[string]string{federation.IdentityProvider: u1.Token})
	wantCode(t, "token in another pool", err, apierr.NotAuthorized)
	if len(e.roles.last.PrincipalTags) != 0 {
		t.Fatalf("a token without tags gave the session tags %v", e.roles.last.PrincipalTags)
	}

	// The developer's principal tags travel in the token to the session.
	tagged, err := e.svc.DeveloperOpenIDToken(ctx, p.ID, "", map[string]string{"login.example": "u1"},
		map[string]string{"dept": "sales", "tier": "gold"}, 0)
	wantCode(t, "u1 with tags", err, "")
	if _, err := e.svc.CredentialsForIdentity(ctx, u1.IdentityID, map[string]string{federation.IdentityProvider: tagged.Token}, ""); err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"dept": "sales", "tier": "gold"}; !maps.Equal(e.roles.last.PrincipalTags, want) {
		t.Fatalf("session tags %v, want %v", e.roles.last.PrincipalTags, want)
	}

	u2, err := e.svc.DeveloperOpenIDToken(ctx, p.ID, "", map[string]string{"login.example": "u2"}, nil, 0)
	wantCode(t, "u2", err, "")
	_, err = e.svc.DeveloperOpenIDToken(ctx, p.ID, u1.IdentityID, map[string]string{"login.example": "u2"}, nil, 0)
	wantCode(t, "u2 onto u1's identity", err, "DeveloperUserAlreadyRegisteredException")

	l, err := e.svc.LookupDeveloper(ctx, p.ID, "", "u1", 10, "")
	if err != nil || l.IdentityID != u1.IdentityID || !slices.Equal(l.Users, []string{"u1"}) {
		t.Fatalf("lookup u1: %+v, %v", l, err)
	}
	_, err = e.svc.LookupDeveloper(ctx, p.ID, "", "nobody", 10, "")
	wantCode(t, "lookup nobody", err, apierr.ResourceNotFound)

	merged, err := e.svc.MergeDeveloper(ctx, p.ID, "login.example", "u2", "u1")
	if err != nil || merged != u1.IdentityID {
		t.Fatalf("merge: %s, %v", merged, err)
	}
	l, _ = e.svc.LookupDeveloper(ctx, p.ID, u1.IdentityID, "", 10, "")
	if !slices.Equal(l.Users, []string{"u1", "u2"}) {
		t.Fatalf("after merge %+v", l)
	}
	_, err = e.svc.DescribeIdentity(ctx, u2.IdentityID)
	wantCode(t, "merged identity", err, apierr.ResourceNotFound)
	_, err = e.svc.MergeDeveloper(ctx, p.ID, "wrong.example", "u2", "u1")
	wantCode(t, "merge, wrong provider", err, apierr.InvalidParameter)

	err = e.svc.UnlinkDeveloper(ctx, p.ID, u1.IdentityID, "login.example", "u2")
	wantCode(t, "unlink u2", err, "")
	err = e.svc.UnlinkDeveloper(ctx, p.ID, u1.IdentityID, "login.example", "u2")
	wantCode(t, "unlink u2 again", err, apierr.ResourceNotFound)
}

func TestClassicFlow(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	enhanced := e.pool(t, identitypool.PoolConfig{AllowUnauthenticated: true})
	id, _ := e.svc.GetID(ctx, enhanced.ID, nil)
	_, err := e.svc.OpenIDToken(ctx, id, nil)
	wantCode(t, "classic flow off", err, apierr.InvalidParameter)

	classic := e.pool(t, identitypool.PoolConfig{AllowUnauthenticated: true, AllowClassicFlow: true})
	id, _ = e.svc.GetID(ctx, classic.ID, nil)
	tok, err := e.svc.OpenIDToken(ctx, id, nil)
	wantCode(t, "classic token", err, "")
	login, err := e.logins.real.Verify(ctx, federation.Trust{IdentityPoolID: classic.ID}, federation.IdentityProvider, tok)
	if err != nil || login.Subject != id {
		t.Fatalf("the classic token verifies as %+v, %v", login, err)
	}
}

func TestPoolsAndPaging(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	for range 5 {
		e.pool(t, identitypool.PoolConfig{})
	}
	var seen []string
	next := ""
	for {
		page, n, err := e.svc.ListPools(ctx, 2, next)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range page {
			seen = append(seen, p.ID)
		}
		if n == "" {
			break
		}
		next = n
	}
	if len(seen) != 5 || slices.Compact(slices.Sorted(slices.Values(seen))) == nil {
		t.Fatalf("paged %v", seen)
	}
	_, _, err := e.svc.ListPools(ctx, 2, "!!!")
	wantCode(t, "bad token", err, apierr.InvalidParameter)

	p := e.pool(t, identitypool.PoolConfig{DeveloperProviderName: "dev.example"})
	_, err = e.svc.UpdatePool(ctx, p.ID, identitypool.PoolConfig{Name: "renamed", DeveloperProviderName: "other.example"})
	wantCode(t, "changing the developer provider", err, apierr.InvalidParameter)
	arn := e.svc.PoolARN(p.ID)
	if err := e.svc.Tag(ctx, arn, map[string]string{"team": "a", "env": "dev"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Tag(ctx, arn, nil, []string{"env"}); err != nil {
		t.Fatal(err)
	}
	if tags, _ := e.svc.Tags(ctx, arn); !maps.Equal(tags, map[string]string{"team": "a"}) {
		t.Fatalf("tags %v", tags)
	}
	err = e.svc.DeletePool(ctx, p.ID)
	wantCode(t, "delete", err, "")
	_, err = e.svc.DescribePool(ctx, p.ID)
	wantCode(t, "deleted", err, apierr.ResourceNotFound)
}

func TestLinking(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	p := e.pool(t, identitypool.PoolConfig{AllowUnauthenticated: true})
	e.user("frank-token", "frank", nil)
	other := "accounts.example.com"
	e.logins.tokens[other+" frank-oidc"] = federation.Login{Provider: other, Subject: "f-123", Claims: map[string]any{"sub": "f-123"}}
	e.logins.tokens[other+" mallory-oidc"] = federation.Login{Provider: other, Subject: "m-666", Claims: map[string]any{"sub": "m-666"}}

	// A guest who signs in keeps the identity, now authenticated.
	guest, _ := e.svc.GetID(ctx, p.ID, nil)
	if _, err := e.svc.CredentialsForIdentity(ctx, guest, map[string]string{userPool: "frank-token"}, ""); err != nil {
		t.Fatal(err)
	}
	id, err := e.svc.GetID(ctx, p.ID, map[string]string{userPool: "frank-token"})
	if err != nil || id != guest {
		t.Fatalf("frank's identity %s, %v; want the guest's %s", id, err, guest)
	}
	// A second login joins with the first, not alone.
	_, err = e.svc.CredentialsForIdentity(ctx, guest, map[string]string{other: "mallory-oidc"}, "")
	wantCode(t, "a stranger's login alone", err, apierr.NotAuthorized)
	_, err = e.svc.CredentialsForIdentity(ctx, guest, map[string]string{userPool: "frank-token", other: "frank-oidc"}, "")
	wantCode(t, "both of frank's logins", err, "")
	id, err = e.svc.GetID(ctx, p.ID, map[string]string{other: "frank-oidc"})
	if err != nil || id != guest {
		t.Fatalf("the second login finds %s, %v", id, err)
	}
	// One user per provider: a second user of a provider does not join.
	e.logins.tokens[other+" eve-oidc"] = federation.Login{Provider: other, Subject: "e-777", Claims: map[string]any{"sub": "e-777"}}
	_, err = e.svc.GetID(ctx, p.ID, map[string]string{userPool: "frank-token", other: "eve-oidc"})
	wantCode(t, "a second user of a provider", err, "ResourceConflictException")
	_, err = e.svc.CredentialsForIdentity(ctx, guest, map[string]string{userPool: "frank-token", other: "eve-oidc"}, "")
	wantCode(t, "credentials with a second user of a provider", err, "ResourceConflictException")
	if id, err := e.svc.GetID(ctx, p.ID, map[string]string{other: "eve-oidc"}); err != nil || id == guest {
		t.Fatalf("eve's login finds %s, %v; want an identity of her own", id, err)
	}
	// Logins of two identities are not merged.
	mallory, _ := e.svc.GetID(ctx, p.ID, map[string]string{other: "mallory-oidc"})
	_, err = e.svc.GetID(ctx, p.ID, map[string]string{userPool: "frank-token", other: "mallory-oidc"})
	wantCode(t, "logins of two identities", err, "ResourceConflictException")
	if mallory == guest {
		t.Fatal("mallory has frank's identity")
	}
	// Credentials for frank's identity with mallory's login beside his:
	// her login is another identity's. With hers alone, nothing is his.
	_, err = e.svc.CredentialsForIdentity(ctx, guest, map[string]string{userPool: "frank-token", other: "mallory-oidc"}, "")
	wantCode(t, "credentials with another identity's login", err, "ResourceConflictException")
	_, err = e.svc.CredentialsForIdentity(ctx, guest, map[string]string{other: "mallory-oidc"}, "")
	wantCode(t, "credentials with another identity's login alone", err, apierr.NotAuthorized)
}

func (noProviders) SAMLProvider(context.Context, string) (federation.SAMLProvider, error) {
	return federation.SAMLProvider{}, apierr.New("NoSuchEntity", "no SAML providers here")
}

// TestSocialLoginsAMR checks the amr of Facebook and Login with Amazon
// sessions: the provider, then <provider>:<app id>:<user id>, as Cognito
// writes them for role trust policies to match.
func TestSocialLoginsAMR(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	p := e.pool(t, identitypool.PoolConfig{SupportedLoginProviders: map[string]string{
		federation.Facebook: "1234567890", federation.Amazon: "amzn1.application.abc"}})
	e.logins.tokens[federation.Facebook+" fb-token"] = federation.Login{Provider: federation.Facebook, Subject: "10150000",
		Audience: "1234567890", Claims: map[string]any{"sub": "10150000", "aud": "1234567890"}}
	e.logins.tokens[federation.Amazon+" lwa-token"] = federation.Login{Provider: federation.Amazon, Subject: "amzn1.account.XYZ",
		Audience: "amzn1.application.abc", Claims: map[string]any{"sub": "amzn1.account.XYZ"}}
	for _, c := range []struct{ provider, token, want string }{
		{federation.Facebook, "fb-token", "graph.facebook.com:1234567890:10150000"},
		{federation.Amazon, "lwa-token", "www.amazon.com:amzn1.application.abc:amzn1.account.XYZ"},
	} {
		logins := map[string]string{c.provider: c.token}
		id, err := e.svc.GetID(ctx, p.ID, logins)
		if err != nil {
			t.Fatalf("%s: %v", c.provider, err)
		}
		if _, err := e.svc.CredentialsForIdentity(ctx, id, logins, ""); err != nil {
			t.Fatalf("%s: %v", c.provider, err)
		}
		if got := e.roles.last.Keys["cognito-identity.amazonaws.com:amr"]; !slices.Equal(got, []string{"authenticated", c.provider, c.want}) {
			t.Errorf("%s: amr %q", c.provider, got)
		}
	}
}

// TestGuestBudget: anyone may ask for a guest identity, so their creation
// is budgeted per client address and per pool; a returning guest, who
// keeps its identity, spends nothing.
func TestGuestBudget(t *testing.T) {
	e := newEnv(t, func(c *identitypool.Config, st store.Store) {
		c.Guard = guard.New(guard.Config{Store: st, Key: []byte("test key")})
		c.GuestLimit = guard.Limit{Total: 5, PerSource: 2, Window: time.Hour}
	})
	p := e.pool(t, identitypool.PoolConfig{AllowUnauthenticated: true})
	from := func(ip string) context.Context { return requestctx.WithClientIP(context.Background(), ip) }
	guest := func(ip string) error {
		_, err := e.svc.GetID(from(ip), p.ID, nil)
		return err
	}
	for i := range 2 {
		wantCode(t, fmt.Sprintf("guest %d from one address", i), guest("192.0.2.1"), "")
	}
	wantCode(t, "a third guest from that address", guest("192.0.2.1"), "TooManyRequestsException")
	wantCode(t, "a guest from elsewhere", guest("192.0.2.2"), "")
	wantCode(t, "another", guest("192.0.2.3"), "")
	wantCode(t, "the pool's fifth", guest("192.0.2.4"), "")
	wantCode(t, "past the pool's budget", guest("192.0.2.5"), "TooManyRequestsException")
	ids, _, err := e.svc.ListIdentities(context.Background(), p.ID, 60, "")
	if err != nil || len(ids) != 5 {
		t.Fatalf("ListIdentities = %d identities, %v; want the 5 admitted", len(ids), err)
	}
	// A signed-in user is not a guest: the budget does not apply.
	e.user("ann-token", "ann", nil)
	if _, err := e.svc.GetID(from("192.0.2.1"), p.ID, map[string]string{userPool: "ann-token"}); err != nil {
		t.Fatalf("a signed-in identity from the spent address: %v", err)
	}
}
