package iam_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cognate-auth/cognate/internal/iam"
	"github.com/cognate-auth/cognate/internal/sessiontoken"
)

func TestRolePolicies(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	_, err := e.svc.CreateRole(ctx, iam.RoleInput{Name: "web", AssumeRolePolicy: cognitoTrust})
	must(t, err)
	for _, n := range []string{"c", "a", "b"} {
		must(t, e.svc.PutRolePolicy(ctx, "Web", n, s3Read))
	}
	replaced := strings.Replace(s3Read, "photos", "videos", 1)
	must(t, e.svc.PutRolePolicy(ctx, "web", "a", replaced))
	p, err := e.svc.GetRolePolicy(ctx, "WEB", "a")
	must(t, err)
	if p.Name != "a" || p.Document != replaced {
		t.Errorf("GetRolePolicy = %+v", p)
	}
	page, err := e.svc.ListRolePolicies(ctx, "web", iam.ListInput{MaxItems: 2})
	must(t, err)
	if diff := cmp.Diff([]string{"a", "b"}, page.Names); diff != "" || page.Marker == "" {
		t.Errorf("first page %v (marker %q) %s", page.Names, page.Marker, diff)
	}
	page, err = e.svc.ListRolePolicies(ctx, "web", iam.ListInput{MaxItems: 2, Marker: page.Marker})
	must(t, err)
	if diff := cmp.Diff([]string{"c"}, page.Names); diff != "" || page.Marker != "" {
		t.Errorf("second page %v (marker %q) %s", page.Names, page.Marker, diff)
	}

	trustAsIdentity := cognitoTrust
	big := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::` + strings.Repeat("x", 9950) + `"}]}`
	tests := []struct {
		name      string
		err       error
		code, msg string
	}{
		{"put on missing role", e.svc.PutRolePolicy(ctx, "nope", "a", s3Read), iam.CodeNoSuchEntity, "The role with name nope cannot be found."},
		{"trust policy as identity policy", e.svc.PutRolePolicy(ctx, "web", "t", trustAsIdentity), iam.CodeMalformedPolicyDocument, ""},
		{"bad policy name", e.svc.PutRolePolicy(ctx, "web", "a/b", s3Read), iam.CodeValidationError, ""},
		{"aggregate size", e.svc.PutRolePolicy(ctx, "web", "big", big), iam.CodeLimitExceeded, "Maximum policy size of 10240 bytes exceeded for role web"},
		{"delete missing policy", e.svc.DeleteRolePolicy(ctx, "web", "zz"), iam.CodeNoSuchEntity, "The role policy with name zz cannot be found."},
		{"delete on missing role", e.svc.DeleteRolePolicy(ctx, "nope", "a"), iam.CodeNoSuchEntity, "The role with name nope cannot be found."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantErr(t, tt.err, tt.code, tt.msg) })
	}
	_, err = e.svc.GetRolePolicy(ctx, "web", "zz")
	wantErr(t, err, iam.CodeNoSuchEntity, "The role policy with name zz cannot be found.")
	_, err = e.svc.ListRolePolicies(ctx, "nope", iam.ListInput{})
	wantErr(t, err, iam.CodeNoSuchEntity, "The role with name nope cannot be found.")
	// The big policy alone fits: the quota is on the sum.
	must(t, e.svc.DeleteRolePolicy(ctx, "web", "b"))
	must(t, e.svc.DeleteRolePolicy(ctx, "web", "c"))
	must(t, e.svc.PutRolePolicy(ctx, "web", "a", big))
}

func TestUserPolicies(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	admin := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	must(t, e.svc.PutUserPolicy(ctx, "cognate-admin", "all", admin))
	p, err := e.svc.GetUserPolicy(ctx, "Cognate-Admin", "all")
	must(t, err)
	if p.Document != admin {
		t.Errorf("GetUserPolicy = %+v", p)
	}
	page, err := e.svc.ListUserPolicies(ctx, "cognate-admin", iam.ListInput{})
	must(t, err)
	if diff := cmp.Diff([]string{"all"}, page.Names); diff != "" {
		t.Error(diff)
	}
	wantErr(t, e.svc.PutUserPolicy(ctx, "bob", "all", admin), iam.CodeNoSuchEntity, "The user with name bob cannot be found.")
	_, err = e.svc.GetUserPolicy(ctx, "bob", "all")
	wantErr(t, err, iam.CodeNoSuchEntity, "The user with name bob cannot be found.")
	_, err = e.svc.ListUserPolicies(ctx, "bob", iam.ListInput{})
	wantErr(t, err, iam.CodeNoSuchEntity, "The user with name bob cannot be found.")
	_, err = e.svc.GetUserPolicy(ctx, "cognate-admin", "none")
	wantErr(t, err, iam.CodeNoSuchEntity, "The user policy with name none cannot be found.")
	big := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::` + strings.Repeat("x", 2000) + `"}]}`
	wantErr(t, e.svc.PutUserPolicy(ctx, "cognate-admin", "big", big), iam.CodeLimitExceeded, "Maximum policy size of 2048 bytes exceeded for user cognate-admin")
	must(t, e.svc.DeleteUserPolicy(ctx, "cognate-admin", "all"))
	wantErr(t, e.svc.DeleteUserPolicy(ctx, "cognate-admin", "all"), iam.CodeNoSuchEntity, "The user policy with name all cannot be found.")
}

func TestUsersAndCallers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	c := e.svc.AdminCaller()
	if c.ARN != "arn:aws:iam::123456789012:user/cognate-admin" || c.Account != account || !regexp.MustCompile(`^AIDA[A-Z2-7]{17}$`).MatchString(c.UserID) {
		t.Errorf("AdminCaller = %+v", c)
	}
	if again := newEnv(t).svc.AdminCaller(); again.UserID != c.UserID {
		t.Errorf("the admin's id is not stable: %s, %s", c.UserID, again.UserID)
	}
	u, err := e.svc.GetUser(ctx, "COGNATE-ADMIN")
	must(t, err)
	if u.ARN != c.ARN || u.ID != c.UserID || u.Name != "cognate-admin" || u.Path != "/" {
		t.Errorf("GetUser = %+v", u)
	}
	u, err = e.svc.GetUser(iam.ContextWithCaller(ctx, c), "")
	must(t, err)
	if u.ARN != c.ARN {
		t.Errorf("GetUser(caller) = %+v", u)
	}
	_, err = e.svc.GetUser(ctx, "bob")
	wantErr(t, err, iam.CodeNoSuchEntity, "The user with name bob cannot be found.")

	sess := sessiontoken.Session{AccountID: account, RoleARN: "arn:aws:iam::123456789012:role/web", RoleID: "AROAEXAMPLE", SessionName: "s1"}
	sc := iam.SessionCaller(sess)
	if sc.ARN != "arn:aws:sts::123456789012:assumed-role/web/s1" || sc.UserID != "AROAEXAMPLE:s1" || sc.Session == nil {
		t.Errorf("SessionCaller = %+v", sc)
	}
	_, err = e.svc.GetUser(iam.ContextWithCaller(ctx, sc), "")
	wantErr(t, err, iam.CodeValidationError, "Must specify userName when calling with non-User credentials")
	got, ok := iam.CallerFrom(iam.ContextWithCaller(ctx, sc))
	if !ok || got.ARN != sc.ARN {
		t.Errorf("CallerFrom = %+v, %v", got, ok)
	}
	if _, ok := iam.CallerFrom(ctx); ok {
		t.Error("CallerFrom of a bare context found a caller")
	}
}
