package server

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/cognate-auth/cognate/authz"
	"github.com/cognate-auth/cognate/authz/policy"
	"github.com/cognate-auth/cognate/internal/adminkey"
	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/iam"
	"github.com/cognate-auth/cognate/internal/requestctx"
	"github.com/cognate-auth/cognate/internal/sessiontoken"
	"github.com/cognate-auth/cognate/internal/sigv4"
)

// callerKeys are the keys requests may be signed with: the administrator's
// (no session token), or temporary credentials Cognate vended (with their
// session token, which carries the secret sealed).
type callerKeys struct {
	admin    *adminkey.Keys
	sessions *sessiontoken.Verifier
	now      func() time.Time
}

func (k callerKeys) SecretKey(ctx context.Context, id, token string) (string, error) {
	if token == "" {
		return k.admin.SecretKey(ctx, id, "")
	}
	_, secret, err := k.sessions.Open(id, token, k.now())
	if err != nil {
		return "", fmt.Errorf("%w: %w", sigv4.ErrUnknownKey, err)
	}
	return secret, nil
}

// callers turns a verified signature into the caller it names and decides
// whether the caller may run the operation: the administrator what its
// user policies allow, or every operation while it has none; a role
// session only what its role's policies allow. Both are checked for the
// action <service>:<operation> on the resource the request names
// (resourceOf). sts:GetCallerIdentity is open to every caller, as in AWS.
type callers struct {
	iam      *iam.Service
	sessions *sessiontoken.Verifier
	checker  *authz.Checker
	now      func() time.Time
}

func (c *callers) caller(ctx context.Context, res sigv4.Result, body []byte) (context.Context, error) {
	if res.SessionToken == "" {
		return c.admin(ctx, res, body)
	}
	s, _, err := c.sessions.Open(res.AccessKeyID, res.SessionToken, c.now())
	if err != nil { // verified a moment ago; expired since
		return nil, apierr.New("ExpiredTokenException", "The security token included in the request is expired")
	}
	ctx = iam.ContextWithCaller(ctx, iam.Caller{ARN: s.AssumedRoleARN(), Account: s.AccountID, UserID: s.UserID(), Session: &s})
	action := res.Service + ":" + requestctx.Operation(ctx)
	if action == "sts:GetCallerIdentity" {
		return ctx, nil
	}
	who := &authz.Caller{AccessKeyID: res.AccessKeyID, Account: s.AccountID, ARN: s.AssumedRoleARN(), RoleARN: s.RoleARN,
		SessionName: s.SessionName, UserID: s.UserID(), Keys: s.Keys, PrincipalTags: s.PrincipalTags, Expires: s.Expires}
	resource := resourceOf(ctx, c.iam, res.Service, res.Region, s.AccountID, body)
	decision, err := c.checker.Authorize(ctx, who, action, resource, nil)
	if err != nil {
		return nil, apierr.Internal(err)
	}
	if decision.Decision != policy.Allowed {
		return nil, accessDenied(res.Service, who.ARN, action, resource)
	}
	return ctx, nil
}

// admin admits a request signed with the administrator's key. An
// administrator without policies may run every operation; once it has
// inline user policies (PutUserPolicy on cognate-admin), they decide, as
// they would for an IAM user, on action <service>:<operation> and the
// resource the request names. So that no policy can lock the administrator out for
// good, it may always read and delete its own policies, as an account's
// root user can always undo what it did.
func (c *callers) admin(ctx context.Context, res sigv4.Result, body []byte) (context.Context, error) {
	who := c.iam.AdminCaller()
	ctx = iam.ContextWithCaller(ctx, who)
	action := res.Service + ":" + requestctx.Operation(ctx)
	switch action {
	case "sts:GetCallerIdentity", "iam:GetUser", "iam:ListUserPolicies", "iam:GetUserPolicy", "iam:DeleteUserPolicy":
		return ctx, nil
	}
	policies, has, err := c.iam.AdminPolicies(ctx)
	if err != nil {
		return nil, apierr.Internal(err)
	}
	if !has {
		return ctx, nil
	}
	now := c.now().UTC()
	resource := resourceOf(ctx, c.iam, res.Service, res.Region, who.Account, body)
	req := policy.Request{Action: action, Resource: resource, Principal: map[string][]string{"AWS": {who.ARN}},
		Context: map[string][]string{
			"aws:userid":           {who.UserID},
			"aws:username":         {c.iam.AdminUserName()},
			"aws:PrincipalArn":     {who.ARN},
			"aws:PrincipalAccount": {who.Account},
			"aws:PrincipalType":    {"User"},
			"aws:CurrentTime":      {now.Format(time.RFC3339)},
			"aws:EpochTime":        {strconv.FormatInt(now.Unix(), 10)},
		}}
	if policy.Evaluate(req, policies...).Decision != policy.Allowed {
		return nil, accessDenied(res.Service, who.ARN, action, resource)
	}
	return ctx, nil
}

// accessDenied is the refusal of an operation as each protocol words it:
// the JSON services answer AccessDeniedException with 400, IAM and STS
// AccessDenied with 403.
func accessDenied(service, arn, action, resource string) error {
	code, status := "AccessDeniedException", http.StatusBadRequest
	if service == "iam" || service == "sts" {
		code, status = "AccessDenied", http.StatusForbidden
	}
	return &apierr.Error{Code: code, Status: status,
		Message: "User: " + arn + " is not authorized to perform: " + action + " on resource: " + resource}
}
