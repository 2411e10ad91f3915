package iamsts_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/google/go-cmp/cmp"
)

const (
	cognitoTrust = `{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"Federated": "cognito-identity.amazonaws.com"},
    "Action": "sts:AssumeRoleWithWebIdentity",
    "Condition": {
      "StringEquals": {"cognito-identity.amazonaws.com:aud": "us-east-1:11111111-2222-3333-4444-555555555555"},
      "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}
    }
  }]
}`
	s3Read = `{"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::photos/*"}]}`
)

// decoded reads a document IAM sent URL-encoded.
func decoded(t *testing.T, s *string) string {
	t.Helper()
	d, err := url.QueryUnescape(aws.ToString(s))
	if err != nil {
		t.Fatalf("document %q is not URL-encoded: %v", aws.ToString(s), err)
	}
	return d
}

func TestRoles(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.iamClient(admin)
	ctx := context.Background()

	out, err := c.CreateRole(ctx, &awsiam.CreateRoleInput{RoleName: aws.String("Cognito_Auth"), Path: aws.String("/pools/"),
		AssumeRolePolicyDocument: aws.String(cognitoTrust), Description: aws.String("signed in"), MaxSessionDuration: aws.Int32(7200),
		Tags: []iamtypes.Tag{{Key: aws.String("b"), Value: aws.String("2")}, {Key: aws.String("a"), Value: aws.String("")}}})
	must(t, err)
	r := out.Role
	if *r.Arn != "arn:aws:iam::123456789012:role/pools/Cognito_Auth" || !strings.HasPrefix(*r.RoleId, "AROA") || *r.MaxSessionDuration != 7200 ||
		*r.Path != "/pools/" || *r.Description != "signed in" || r.CreateDate == nil {
		t.Errorf("CreateRole = %+v", r)
	}
	if raw := aws.ToString(r.AssumeRolePolicyDocument); !strings.HasPrefix(raw, "%7B%0A%20%20%22Version%22%3A%20%222012-10-17%22") {
		t.Errorf("trust policy sent as %q, want it URL-encoded as IAM does", raw)
	}
	if decoded(t, r.AssumeRolePolicyDocument) != cognitoTrust {
		t.Errorf("trust policy = %q", decoded(t, r.AssumeRolePolicyDocument))
	}
	if len(r.Tags) != 2 || *r.Tags[0].Key != "a" || *r.Tags[1].Value != "2" {
		t.Errorf("tags = %+v", r.Tags)
	}

	got, err := c.GetRole(ctx, &awsiam.GetRoleInput{RoleName: aws.String("cognito_auth")})
	must(t, err)
	if *got.Role.RoleId != *r.RoleId || !got.Role.CreateDate.Equal(*r.CreateDate) || got.Role.RoleLastUsed == nil {
		t.Errorf("GetRole = %+v", got.Role)
	}
	if r.RoleLastUsed != nil {
		t.Errorf("CreateRole has RoleLastUsed %+v; IAM sends it from GetRole only", r.RoleLastUsed)
	}

	_, err = c.CreateRole(ctx, &awsiam.CreateRoleInput{RoleName: aws.String("Cognito_Auth"), AssumeRolePolicyDocument: aws.String(cognitoTrust)})
	wantAPIError(t, err, "EntityAlreadyExists", 409, "Role with name Cognito_Auth already exists.")
	_, err = c.CreateRole(ctx, &awsiam.CreateRoleInput{RoleName: aws.String("x"), AssumeRolePolicyDocument: aws.String(s3Read)})
	wantAPIError(t, err, "MalformedPolicyDocument", 400, "")
	_, err = c.GetRole(ctx, &awsiam.GetRoleInput{RoleName: aws.String("missing")})
	wantAPIError(t, err, "NoSuchEntity", 404, "The role with name missing cannot be found.")

	for _, n := range []string{"b", "a"} {
		_, err := c.CreateRole(ctx, &awsiam.CreateRoleInput{RoleName: aws.String(n), AssumeRolePolicyDocument: aws.String(cognitoTrust)})
		must(t, err)
	}
	var names []string
	p := awsiam.NewListRolesPaginator(c, &awsiam.ListRolesInput{MaxItems: aws.Int32(2)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		must(t, err)
		for _, r := range page.Roles {
			names = append(names, *r.RoleName)
			if r.Tags != nil {
				t.Errorf("ListRoles lists tags of %s", *r.RoleName)
			}
		}
	}
	if diff := cmp.Diff([]string{"a", "b", "Cognito_Auth"}, names); diff != "" {
		t.Error(diff)
	}

	_, err = c.UpdateRole(ctx, &awsiam.UpdateRoleInput{RoleName: aws.String("a"), Description: aws.String("d"), MaxSessionDuration: aws.Int32(3600 * 12)})
	must(t, err)
	_, err = c.UpdateRole(ctx, &awsiam.UpdateRoleInput{RoleName: aws.String("a"), MaxSessionDuration: aws.Int32(100)})
	wantAPIError(t, err, "ValidationError", 400, "")
	_, err = c.UpdateAssumeRolePolicy(ctx, &awsiam.UpdateAssumeRolePolicyInput{RoleName: aws.String("a"), PolicyDocument: aws.String(s3Read)})
	wantAPIError(t, err, "MalformedPolicyDocument", 400, "")
	_, err = c.UpdateAssumeRolePolicy(ctx, &awsiam.UpdateAssumeRolePolicyInput{RoleName: aws.String("a"), PolicyDocument: aws.String(strings.ReplaceAll(cognitoTrust, "authenticated", "unauthenticated"))})
	must(t, err)
	a, err := c.GetRole(ctx, &awsiam.GetRoleInput{RoleName: aws.String("a")})
	must(t, err)
	if *a.Role.Description != "d" || *a.Role.MaxSessionDuration != 43200 || !strings.Contains(decoded(t, a.Role.AssumeRolePolicyDocument), "unauthenticated") {
		t.Errorf("after updates: %+v", a.Role)
	}

	// Inline policies.
	_, err = c.PutRolePolicy(ctx, &awsiam.PutRolePolicyInput{RoleName: aws.String("a"), PolicyName: aws.String("read"), PolicyDocument: aws.String(s3Read)})
	must(t, err)
	_, err = c.PutRolePolicy(ctx, &awsiam.PutRolePolicyInput{RoleName: aws.String("a"), PolicyName: aws.String("bad"), PolicyDocument: aws.String(cognitoTrust)})
	wantAPIError(t, err, "MalformedPolicyDocument", 400, "")
	_, err = c.PutRolePolicy(ctx, &awsiam.PutRolePolicyInput{RoleName: aws.String("zz"), PolicyName: aws.String("read"), PolicyDocument: aws.String(s3Read)})
	wantAPIError(t, err, "NoSuchEntity", 404, "The role with name zz cannot be found.")
	rp, err := c.GetRolePolicy(ctx, &awsiam.GetRolePolicyInput{RoleName: aws.String("A"), PolicyName: aws.String("read")})
	must(t, err)
	if *rp.RoleName != "a" || *rp.PolicyName != "read" || decoded(t, rp.PolicyDocument) != s3Read || strings.Contains(*rp.PolicyDocument, "{") {
		t.Errorf("GetRolePolicy = %s %s %s", *rp.RoleName, *rp.PolicyName, *rp.PolicyDocument)
	}
	_, err = c.GetRolePolicy(ctx, &awsiam.GetRolePolicyInput{RoleName: aws.String("a"), PolicyName: aws.String("nope")})
	wantAPIError(t, err, "NoSuchEntity", 404, "The role policy with name nope cannot be found.")
	lp, err := c.ListRolePolicies(ctx, &awsiam.ListRolePoliciesInput{RoleName: aws.String("a")})
	must(t, err)
	if diff := cmp.Diff([]string{"read"}, lp.PolicyNames); diff != "" || lp.IsTruncated {
		t.Error(diff)
	}
	_, err = c.DeleteRole(ctx, &awsiam.DeleteRoleInput{RoleName: aws.String("a")})
	wantAPIError(t, err, "DeleteConflict", 409, "Cannot delete entity, must delete policies first.")
	_, err = c.DeleteRolePolicy(ctx, &awsiam.DeleteRolePolicyInput{RoleName: aws.String("a"), PolicyName: aws.String("read")})
	must(t, err)
	_, err = c.DeleteRole(ctx, &awsiam.DeleteRoleInput{RoleName: aws.String("a")})
	must(t, err)
	_, err = c.DeleteRole(ctx, &awsiam.DeleteRoleInput{RoleName: aws.String("a")})
	wantAPIError(t, err, "NoSuchEntity", 404, "The role with name a cannot be found.")

	_, err = c.CreateRole(ctx, &awsiam.CreateRoleInput{RoleName: aws.String("pb"), AssumeRolePolicyDocument: aws.String(cognitoTrust),
		PermissionsBoundary: aws.String("arn:aws:iam::123456789012:policy/b")})
	wantAPIError(t, err, "InvalidInput", 400, "PermissionsBoundary is not supported by Cognate yet.")
}

func TestAdministrator(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.iamClient(admin)
	ctx := context.Background()
	u, err := c.GetUser(ctx, &awsiam.GetUserInput{})
	must(t, err)
	want := e.svc.AdminCaller()
	if *u.User.Arn != want.ARN || *u.User.UserId != want.UserID || *u.User.UserName != "cognate-admin" || *u.User.Path != "/" {
		t.Errorf("GetUser = %+v", u.User)
	}
	_, err = c.GetUser(ctx, &awsiam.GetUserInput{UserName: aws.String("bob")})
	wantAPIError(t, err, "NoSuchEntity", 404, "The user with name bob cannot be found.")

	all := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	_, err = c.PutUserPolicy(ctx, &awsiam.PutUserPolicyInput{UserName: aws.String("cognate-admin"), PolicyName: aws.String("all"), PolicyDocument: aws.String(all)})
	must(t, err)
	up, err := c.GetUserPolicy(ctx, &awsiam.GetUserPolicyInput{UserName: aws.String("cognate-admin"), PolicyName: aws.String("all")})
	must(t, err)
	if *up.UserName != "cognate-admin" || decoded(t, up.PolicyDocument) != all {
		t.Errorf("GetUserPolicy = %+v", up)
	}
	lp, err := c.ListUserPolicies(ctx, &awsiam.ListUserPoliciesInput{UserName: aws.String("cognate-admin")})
	must(t, err)
	if diff := cmp.Diff([]string{"all"}, lp.PolicyNames); diff != "" {
		t.Error(diff)
	}
	_, err = c.PutUserPolicy(ctx, &awsiam.PutUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("all"), PolicyDocument: aws.String(all)})
	wantAPIError(t, err, "NoSuchEntity", 404, "The user with name bob cannot be found.")
	_, err = c.DeleteUserPolicy(ctx, &awsiam.DeleteUserPolicyInput{UserName: aws.String("cognate-admin"), PolicyName: aws.String("all")})
	must(t, err)
	_, err = c.GetUserPolicy(ctx, &awsiam.GetUserPolicyInput{UserName: aws.String("cognate-admin"), PolicyName: aws.String("all")})
	wantAPIError(t, err, "NoSuchEntity", 404, "The user policy with name all cannot be found.")
}
