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
