package integration

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// TestAdminUserPolicies: the administrator key is the IAM user
// cognate-admin. Without policies it may do everything; given inline user
// policies, they decide what it may do, with explicit denials winning,
// and it can always remove them again.
func TestAdminUserPolicies(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		c := newIdentityClients(e.URL)
		put := func(t *testing.T, name, doc string) {
			t.Helper()
			if _, err := c.IAM.PutUserPolicy(ctx(t), &iam.PutUserPolicyInput{UserName: aws.String("cognate-admin"),
				PolicyName: aws.String(name), PolicyDocument: aws.String(doc)}); err != nil {
				t.Fatalf("PutUserPolicy %s: %v", name, err)
			}
		}
		del := func(t *testing.T, name string) {
			t.Helper()
			if _, err := c.IAM.DeleteUserPolicy(ctx(t), &iam.DeleteUserPolicyInput{UserName: aws.String("cognate-admin"),
				PolicyName: aws.String(name)}); err != nil {
				t.Fatalf("DeleteUserPolicy %s: %v", name, err)
			}
		}
		createPool := func(name string) error {
			_, err := e.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String(name)})
			return err
		}

		// No policies: everything is allowed.
		if err := createPool("before"); err != nil {
			t.Fatalf("CreateUserPool without policies: %v", err)
		}

		// Read-only user-pool access: listing passes, creating does not,
		// with the JSON services' AccessDeniedException (400).
		put(t, "read-only", `{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":["cognito-idp:List*","cognito-idp:Describe*"],"Resource":"*"}]}`)
		if _, err := e.Admin.ListUserPools(ctx(t), &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)}); err != nil {
			t.Fatalf("ListUserPools allowed by the policy: %v", err)
		}
		err := createPool("denied")
		wantCode(t, err, "AccessDeniedException")
		wantStatus(t, err, http.StatusBadRequest)
		if msg := errorMessage(err); msg != "User: arn:aws:iam::000000000000:user/cognate-admin is not authorized to perform: cognito-idp:CreateUserPool on resource: *" {
			t.Errorf("message = %q", msg)
		}
		// IAM is not in the policy either: refused with IAM's AccessDenied
		// (403), except the administrator's own policies.
		_, err = c.IAM.ListRoles(ctx(t), &iam.ListRolesInput{})
		wantCode(t, err, "AccessDenied")
		wantStatus(t, err, http.StatusForbidden)
		if _, err := c.IAM.ListUserPolicies(ctx(t), &iam.ListUserPoliciesInput{UserName: aws.String("cognate-admin")}); err != nil {
			t.Fatalf("ListUserPolicies on itself: %v", err)
		}
		// Who am I is open to every caller.
		if _, err := c.STS.GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{}); err != nil {
			t.Fatalf("GetCallerIdentity: %v", err)
		}
		// Adding a policy needs iam:PutUserPolicy, which read-only lacks.
		_, err = c.IAM.PutUserPolicy(ctx(t), &iam.PutUserPolicyInput{UserName: aws.String("cognate-admin"),
			PolicyName: aws.String("escalate"), PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)})
		wantCode(t, err, "AccessDenied")
		del(t, "read-only")

		// Everything but deleting pools: the explicit denial wins over
		// the allowance of everything.
		put(t, "all", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)
		put(t, "keep-pools", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"cognito-idp:DeleteUserPool","Resource":"*"}]}`)
		if err := createPool("after"); err != nil {
			t.Fatalf("CreateUserPool allowed by the policy: %v", err)
		}
		pools, err := e.Admin.ListUserPools(ctx(t), &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
		if err != nil || len(pools.UserPools) != 2 {
			t.Fatalf("ListUserPools = %v, %v; want the two pools", pools, err)
		}
		_, err = e.Admin.DeleteUserPool(ctx(t), &cip.DeleteUserPoolInput{UserPoolId: pools.UserPools[0].Id})
		wantCode(t, err, "AccessDeniedException")

		// Policies name resources as IAM does: a user pool's ARN scopes
		// the allowance to that pool, a role's ARN to that role.
		del(t, "all")
		del(t, "keep-pools")
		mine, theirs := *pools.UserPools[0].Id, *pools.UserPools[1].Id
		put(t, "one-pool", `{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":"cognito-idp:*","Resource":"arn:aws:cognito-idp:`+region+`:000000000000:userpool/`+mine+`"},
			{"Effect":"Allow","Action":"iam:*Role*","Resource":"arn:aws:iam::000000000000:role/app-*"}]}`)
		if _, err := e.Admin.DescribeUserPool(ctx(t), &cip.DescribeUserPoolInput{UserPoolId: aws.String(mine)}); err != nil {
			t.Fatalf("DescribeUserPool of the pool the policy names: %v", err)
		}
		_, err = e.Admin.DescribeUserPool(ctx(t), &cip.DescribeUserPoolInput{UserPoolId: aws.String(theirs)})
		wantCode(t, err, "AccessDeniedException")
		if want := "on resource: arn:aws:cognito-idp:" + region + ":000000000000:userpool/" + theirs; !strings.HasSuffix(errorMessage(err), want) {
			t.Errorf("message %q, want it to end %q", errorMessage(err), want)
		}
		// An operation that names no pool acts on "*", which a policy
		// scoped to one pool does not grant.
		wantCode(t, createPool("unscoped"), "AccessDeniedException")
		trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}`
		if _, err := c.IAM.CreateRole(ctx(t), &iam.CreateRoleInput{RoleName: aws.String("app-reader"), AssumeRolePolicyDocument: aws.String(trust)}); err != nil {
			t.Fatalf("CreateRole of a role the policy names: %v", err)
		}
		_, err = c.IAM.CreateRole(ctx(t), &iam.CreateRoleInput{RoleName: aws.String("ops-admin"), AssumeRolePolicyDocument: aws.String(trust)})
		wantCode(t, err, "AccessDenied")
		del(t, "one-pool")

		// A policy that denies everything cannot lock the administrator
		// out: it can still delete it.
		put(t, "nothing", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`)
		wantCode(t, createPool("locked"), "AccessDeniedException")
		del(t, "nothing")
		if _, err := e.Admin.DeleteUserPool(ctx(t), &cip.DeleteUserPoolInput{UserPoolId: pools.UserPools[0].Id}); err != nil {
			t.Fatalf("DeleteUserPool with the policies gone: %v", err)
		}
	})
}

// wantStatus checks the HTTP status of an SDK error.
func wantStatus(t *testing.T, err error, status int) {
	t.Helper()
	var re *smithyhttp.ResponseError
	if !errors.As(err, &re) || re.HTTPStatusCode() != status {
		t.Fatalf("error = %v, want HTTP status %d", err, status)
	}
}
