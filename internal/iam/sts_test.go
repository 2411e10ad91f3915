package iam_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/iam"
)

const (
	poolID   = "us-east-1:11111111-2222-3333-4444-555555555555"
	cognito  = "cognito-identity.amazonaws.com"
	identity = "us-east-1:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
)

func identityKeys(aud string, amr ...string) map[string][]string {
	return map[string][]string{cognito + ":aud": {aud}, cognito + ":sub": {identity}, cognito + ":amr": amr}
}

func TestAssumeRoleWithWebIdentity(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	auth, err := e.svc.CreateRole(ctx, iam.RoleInput{Name: "Auth", Path: "/cognito/", AssumeRolePolicy: cognitoTrust, MaxSessionDuration: 2 * time.Hour})
	must(t, err)
	denyBanned := `{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"},
  {"Effect":"Deny","Principal":"*","Action":"sts:*","Condition":{"ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"banned.example.com:*"}}}]}`
	open, err := e.svc.CreateRole(ctx, iam.RoleInput{Name: "Open", AssumeRolePolicy: denyBanned})
	must(t, err)

	ok := iam.WebIdentityRequest{RoleARN: auth.ARN, SessionName: "CognitoIdentityCredentials", Provider: cognito,
		Keys: identityKeys(poolID, "authenticated", "accounts.google.com", "accounts.google.com:123"), PrincipalTags: map[string]string{"dept": "eng"}}
	with := func(f func(*iam.WebIdentityRequest)) iam.WebIdentityRequest {
		r := ok
		f(&r)
		return r
	}
	denied := "Not authorized to perform sts:AssumeRoleWithWebIdentity"
	tests := []struct {
		name      string
		req       iam.WebIdentityRequest
		code, msg string
		lifetime  time.Duration
	}{
		{"allowed, default hour", ok, "", "", time.Hour},
		{"allowed, role's maximum", with(func(r *iam.WebIdentityRequest) { r.Duration = 2 * time.Hour }), "", "", 2 * time.Hour},
		{"allowed, shortest", with(func(r *iam.WebIdentityRequest) { r.Duration = 15 * time.Minute }), "", "", 15 * time.Minute},
		{"other pool", with(func(r *iam.WebIdentityRequest) { r.Keys = identityKeys("us-east-1:other", "authenticated") }), iam.CodeAccessDenied, denied, 0},
		{"unauthenticated identity", with(func(r *iam.WebIdentityRequest) { r.Keys = identityKeys(poolID, "unauthenticated") }), iam.CodeAccessDenied, denied, 0},
		{"no amr at all", with(func(r *iam.WebIdentityRequest) { r.Keys = identityKeys(poolID) }), iam.CodeAccessDenied, denied, 0},
		{"other provider", with(func(r *iam.WebIdentityRequest) { r.Provider = "accounts.google.com" }), iam.CodeAccessDenied, denied, 0},
		{"missing role", with(func(r *iam.WebIdentityRequest) { r.RoleARN = "arn:aws:iam::123456789012:role/cognito/Gone" }), iam.CodeAccessDenied, denied, 0},
		{"wrong path", with(func(r *iam.WebIdentityRequest) { r.RoleARN = "arn:aws:iam::123456789012:role/Auth" }), iam.CodeAccessDenied, denied, 0},
		{"other account", with(func(r *iam.WebIdentityRequest) { r.RoleARN = "arn:aws:iam::999999999999:role/cognito/Auth" }), iam.CodeAccessDenied, denied, 0},
		{"not an ARN", with(func(r *iam.WebIdentityRequest) { r.RoleARN = "Auth" }), iam.CodeValidationError, "Request ARN is invalid", 0},
		{"longer than the role allows", with(func(r *iam.WebIdentityRequest) { r.Duration = 3 * time.Hour }), iam.CodeValidationError,
			"The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", 0},
		{"too short", with(func(r *iam.WebIdentityRequest) { r.Duration = time.Minute }), iam.CodeValidationError, "", 0},
		{"bad session name", with(func(r *iam.WebIdentityRequest) { r.SessionName = "a b" }), iam.CodeValidationError, "", 0},
		{"explicit deny wins", iam.WebIdentityRequest{RoleARN: open.ARN, SessionName: "s1", Provider: cognito,
			Keys: identityKeys(poolID, "authenticated", "banned.example.com", "banned.example.com:7")}, iam.CodeAccessDenied, denied, 0},
		{"allowed without the denied provider", iam.WebIdentityRequest{RoleARN: open.ARN, SessionName: "s1", Provider: cognito,
			Keys: identityKeys(poolID, "unauthenticated")}, "", "", time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			creds, err := e.svc.AssumeRoleWithWebIdentity(ctx, tt.req)
			if tt.code != "" {
				wantErr(t, err, tt.code, tt.msg)
				if tt.code == iam.CodeAccessDenied && apierr.As(err).Status != http.StatusForbidden {
					t.Errorf("status = %d, want 403", apierr.As(err).Status)
				}
				return
			}
			must(t, err)
			if !strings.HasPrefix(creds.AccessKeyID, "ASIA") || !creds.Expiration.Equal(e.clock.Now().Add(tt.lifetime)) {
				t.Errorf("credentials = %+v", creds)
			}
			sess, secret, err := e.minter.Open(creds.AccessKeyID, creds.SessionToken, e.clock.Now())
			must(t, err)
			if secret != creds.SecretAccessKey || sess.RoleARN != tt.req.RoleARN || sess.AccountID != account ||
				sess.SessionName != tt.req.SessionName {
				t.Errorf("session = %+v", sess)
			}
			if diff := cmp.Diff(tt.req.Keys, sess.Keys); diff != "" {
				t.Error(diff)
			}
		})
	}

	sess, _, err := e.svc.WebIdentitySession(ctx, ok)
	must(t, err)
	if sess.RoleID != auth.ID || sess.AssumedRoleARN() != "arn:aws:sts::123456789012:assumed-role/Auth/CognitoIdentityCredentials" ||
		sess.PrincipalTags["dept"] != "eng" {
		t.Errorf("session = %+v", sess)
	}

	// A changed trust policy applies to the next request.
	must(t, e.svc.UpdateAssumeRolePolicy(ctx, "Auth", strings.Replace(cognitoTrust, poolID, "us-east-1:other", 1)))
	_, err = e.svc.AssumeRoleWithWebIdentity(ctx, ok)
	wantErr(t, err, iam.CodeAccessDenied, denied)
}

// TestAssumeRoleWithAccessTokenKeys: the principals and condition keys of
// Facebook and Login with Amazon access tokens (ProviderId), as trust
// policies name them: Login with Amazon's app_id holds the application id
// and the client id, and a policy written with either accepts the token.
func TestAssumeRoleWithAccessTokenKeys(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	trust := func(provider, key, value string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + provider +
			`"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"` + key + `":"` + value + `"}}}]}`
	}
	const (
		fbApp     = "1234567890123"
		lwaApp    = "amzn1.application.0123456789abcdef0123456789abcdef"
		lwaClient = "amzn1.application-oa2-client.fedcba9876543210fedcba9876543210"
	)
	roles := map[string]string{}
	for name, doc := range map[string]string{
		"facebook":   trust("graph.facebook.com", "graph.facebook.com:app_id", fbApp),
		"lwa-app":    trust("www.amazon.com", "www.amazon.com:app_id", lwaApp),
		"lwa-client": trust("www.amazon.com", "www.amazon.com:app_id", lwaClient),
		"lwa-user":   trust("www.amazon.com", "www.amazon.com:user_id", "amzn1.account.ADA"),
		"fb-user":    trust("graph.facebook.com", "graph.facebook.com:id", "10150000000000001"),
	} {
		r, err := e.svc.CreateRole(ctx, iam.RoleInput{Name: name, AssumeRolePolicy: doc})
		must(t, err)
		roles[name] = r.ARN
	}
	facebook := func(app, user string) map[string][]string {
		return map[string][]string{"graph.facebook.com:app_id": {app}, "graph.facebook.com:id": {user}}
	}
	amazon := func(user string, apps ...string) map[string][]string {
		return map[string][]string{"www.amazon.com:app_id": apps, "www.amazon.com:user_id": {user}}
	}
	tests := []struct {
		name, role, provider string
		keys                 map[string][]string
		allowed              bool
	}{
		{"facebook app", "facebook", "graph.facebook.com", facebook(fbApp, "10150000000000001"), true},
		{"facebook other app", "facebook", "graph.facebook.com", facebook("999999999999", "10150000000000001"), false},
		{"facebook user", "fb-user", "graph.facebook.com", facebook("999999999999", "10150000000000001"), true},
		{"facebook other user", "fb-user", "graph.facebook.com", facebook(fbApp, "10150000000000002"), false},
		{"facebook keys from amazon", "facebook", "www.amazon.com", facebook(fbApp, "10150000000000001"), false},
		{"amazon by application id", "lwa-app", "www.amazon.com", amazon("amzn1.account.ADA", lwaApp, lwaClient), true},
		{"amazon by client id", "lwa-client", "www.amazon.com", amazon("amzn1.account.ADA", lwaApp, lwaClient), true},
		{"amazon other app", "lwa-app", "www.amazon.com", amazon("amzn1.account.ADA", "amzn1.application.other", "amzn1.application-oa2-client.other"), false},
		{"amazon user", "lwa-user", "www.amazon.com", amazon("amzn1.account.ADA", "amzn1.application.other"), true},
		{"amazon other user", "lwa-user", "www.amazon.com", amazon("amzn1.account.BOB", lwaApp), false},
		{"amazon keys from facebook", "lwa-app", "graph.facebook.com", amazon("amzn1.account.ADA", lwaApp), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sess, _, err := e.svc.WebIdentitySession(ctx, iam.WebIdentityRequest{RoleARN: roles[tt.role], SessionName: "app", Provider: tt.provider, Keys: tt.keys})
			if !tt.allowed {
				wantErr(t, err, iam.CodeAccessDenied, "Not authorized to perform sts:AssumeRoleWithWebIdentity")
				return
			}
			must(t, err)
			if want := "arn:aws:sts::123456789012:assumed-role/" + tt.role + "/app"; sess.AssumedRoleARN() != want {
				t.Errorf("session %s, want %s", sess.AssumedRoleARN(), want)
			}
			if diff := cmp.Diff(tt.keys, sess.Keys); diff != "" {
				t.Error(diff)
			}
		})
	}
}

func BenchmarkAssumeRoleWithWebIdentity(b *testing.B) {
	e := newEnv(b)
	ctx := context.Background()
	r, err := e.svc.CreateRole(ctx, iam.RoleInput{Name: "Auth", AssumeRolePolicy: cognitoTrust})
	if err != nil {
		b.Fatal(err)
	}
	req := iam.WebIdentityRequest{RoleARN: r.ARN, SessionName: "CognitoIdentityCredentials", Provider: cognito,
		Keys: identityKeys(poolID, "authenticated", "accounts.google.com")}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.svc.AssumeRoleWithWebIdentity(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}
