package iam_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cognate-auth/cognate/internal/iam"
)

func TestCreateRole(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	r, err := e.svc.CreateRole(ctx, iam.RoleInput{Name: "Cognito_Auth", Path: "/pools/", AssumeRolePolicy: cognitoTrust,
		Description: "signed-in users", Tags: []iam.Tag{{"team", "id"}, {"env", ""}}})
	must(t, err)
	if !regexp.MustCompile(`^AROA[A-Z2-7]{17}$`).MatchString(r.ID) {
		t.Errorf("ID = %q", r.ID)
	}
	if r.ARN != "arn:aws:iam::123456789012:role/pools/Cognito_Auth" || r.MaxSessionDuration != time.Hour || !r.CreatedAt.Equal(e.clock.Now()) {
		t.Errorf("role = %+v", r)
	}
	got, err := e.svc.GetRole(ctx, "cognito_auth")
	must(t, err)
	if diff := cmp.Diff(r, got); diff != "" {
		t.Errorf("GetRole differs from CreateRole:\n%s", diff)
	}
	if diff := cmp.Diff([]iam.Tag{{"env", ""}, {"team", "id"}}, iam.Tags(got.Tags)); diff != "" {
		t.Error(diff)
	}

	tests := []struct {
		name      string
		in        iam.RoleInput
		code, msg string
	}{
		{"taken ignoring case", iam.RoleInput{Name: "COGNITO_AUTH", AssumeRolePolicy: cognitoTrust},
			iam.CodeEntityAlreadyExists, "Role with name COGNITO_AUTH already exists."},
		{"identity policy as trust policy", iam.RoleInput{Name: "r1", AssumeRolePolicy: s3Read}, iam.CodeMalformedPolicyDocument, ""},
		{"not JSON", iam.RoleInput{Name: "r1", AssumeRolePolicy: "{"}, iam.CodeMalformedPolicyDocument, ""},
		{"no trust policy", iam.RoleInput{Name: "r1"}, iam.CodeValidationError, ""},
		{"bad name", iam.RoleInput{Name: "a b", AssumeRolePolicy: cognitoTrust}, iam.CodeValidationError,
			`1 validation error detected: Value 'a b' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`},
		{"bad path", iam.RoleInput{Name: "r1", Path: "pools", AssumeRolePolicy: cognitoTrust}, iam.CodeValidationError, ""},
		{"session too short", iam.RoleInput{Name: "r1", AssumeRolePolicy: cognitoTrust, MaxSessionDuration: 30 * time.Minute}, iam.CodeValidationError,
			"1 validation error detected: Value '1800' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600"},
		{"session too long", iam.RoleInput{Name: "r1", AssumeRolePolicy: cognitoTrust, MaxSessionDuration: 13 * time.Hour}, iam.CodeValidationError, ""},
		{"duplicate tags", iam.RoleInput{Name: "r1", AssumeRolePolicy: cognitoTrust, Tags: []iam.Tag{{"a", "1"}, {"A", "2"}}}, iam.CodeInvalidInput,
			"Duplicate tag keys found. Please note that Tag keys are case insensitive."},
		{"trust policy too large", iam.RoleInput{Name: "r1", AssumeRolePolicy: largeTrust(2100)}, iam.CodeLimitExceeded,
			"Cannot exceed quota for ACLSizePerRole: 2048"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.CreateRole(ctx, tt.in)
			wantErr(t, err, tt.code, tt.msg)
		})
	}
	if _, err := e.svc.CreateRole(ctx, iam.RoleInput{Name: "r1", AssumeRolePolicy: largeTrust(2000)}); err != nil {
		t.Errorf("a trust policy just under the quota: %v", err)
	}
}

// largeTrust is a trust policy of about n characters besides white space.
func largeTrust(n int) string {
	base := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"k":""}}}]}`
	return strings.Replace(base, `"k":""`, `"k":"`+strings.Repeat("x", n-len(base))+`"`, 1)
}

func TestRoleUpdatesAndDeletion(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	_, err := e.svc.CreateRole(ctx, iam.RoleInput{Name: "web", AssumeRolePolicy: cognitoTrust})
	must(t, err)

	desc, max := "new", 2*time.Hour
	must(t, e.svc.UpdateRole(ctx, "WEB", iam.RoleUpdate{Description: &desc, MaxSessionDuration: &max}))
	r, err := e.svc.GetRole(ctx, "web")
	must(t, err)
	if r.Description != "new" || r.MaxSessionDuration != 2*time.Hour {
		t.Errorf("after UpdateRole: %+v", r)
	}
	tooLong := 43201 * time.Second
	wantErr(t, e.svc.UpdateRole(ctx, "web", iam.RoleUpdate{MaxSessionDuration: &tooLong}), iam.CodeValidationError, "")
	wantErr(t, e.svc.UpdateRole(ctx, "nope", iam.RoleUpdate{Description: &desc}), iam.CodeNoSuchEntity, "The role with name nope cannot be found.")

	other := strings.Replace(cognitoTrust, "authenticated", "unauthenticated", 1)
	must(t, e.svc.UpdateAssumeRolePolicy(ctx, "web", other))
	if r, _ = e.svc.GetRole(ctx, "web"); r.AssumeRolePolicy != other {
		t.Errorf("trust policy not replaced")
	}
	wantErr(t, e.svc.UpdateAssumeRolePolicy(ctx, "web", s3Read), iam.CodeMalformedPolicyDocument, "")
	wantErr(t, e.svc.UpdateAssumeRolePolicy(ctx, "nope", cognitoTrust), iam.CodeNoSuchEntity, "The role with name nope cannot be found.")

	must(t, e.svc.PutRolePolicy(ctx, "web", "read", s3Read))
	wantErr(t, e.svc.DeleteRole(ctx, "web"), iam.CodeDeleteConflict, "Cannot delete entity, must delete policies first.")
	must(t, e.svc.DeleteRolePolicy(ctx, "web", "read"))
	must(t, e.svc.DeleteRole(ctx, "web"))
	wantErr(t, e.svc.DeleteRole(ctx, "web"), iam.CodeNoSuchEntity, "The role with name web cannot be found.")
	_, err = e.svc.GetRole(ctx, "web")
	wantErr(t, err, iam.CodeNoSuchEntity, "The role with name web cannot be found.")
}

func TestListRoles(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	for _, n := range []string{"e", "B", "a", "d", "C"} {
		path := "/"
		if n == "B" || n == "d" {
			path = "/app/"
		}
		_, err := e.svc.CreateRole(ctx, iam.RoleInput{Name: n, Path: path, AssumeRolePolicy: cognitoTrust})
		must(t, err)
	}
	var names []string
	page := iam.ListInput{MaxItems: 2}
	for pages := 0; ; pages++ {
		if pages > 3 {
			t.Fatal("paging does not end")
		}
		p, err := e.svc.ListRoles(ctx, "", page)
		must(t, err)
		if len(p.Roles) > 2 {
			t.Fatalf("%d roles on a page of 2", len(p.Roles))
		}
		for _, r := range p.Roles {
			names = append(names, r.Name)
		}
		if p.Marker == "" {
			break
		}
		page.Marker = p.Marker
	}
	if diff := cmp.Diff([]string{"a", "B", "C", "d", "e"}, names); diff != "" {
		t.Error(diff)
	}
	p, err := e.svc.ListRoles(ctx, "/app/", iam.ListInput{})
	must(t, err)
	if len(p.Roles) != 2 || p.Roles[0].Name != "B" || p.Roles[1].ARN != "arn:aws:iam::123456789012:role/app/d" || p.Marker != "" {
		t.Errorf("under /app/: %+v", p)
	}
	_, err = e.svc.ListRoles(ctx, "", iam.ListInput{Marker: "not base64!"})
	wantErr(t, err, iam.CodeValidationError, "")
	_, err = e.svc.ListRoles(ctx, "", iam.ListInput{MaxItems: 1001})
	wantErr(t, err, iam.CodeValidationError, "")
}
