package server

import (
	"context"
	"fmt"
	"net/http"
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
// whether the caller may run the operation: the administrator may run
// every one; a role session only what its role's policies allow (action
// <service>:<operation> on any resource), except sts:GetCallerIdentity,
// which AWS lets everyone call.
type callers struct {
	iam      *iam.Service
	sessions *sessiontoken.Verifier
	checker  *authz.Checker
	now      func() time.Time
}

func (c *callers) caller(ctx context.Context, res sigv4.Result) (context.Context, error) {
	if res.SessionToken == "" {
		return iam.ContextWithCaller(ctx, c.iam.AdminCaller()), nil
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
	decision, err := c.checker.Authorize(ctx, who, action, "*", nil)
	if err != nil {
		return nil, apierr.Internal(err)
	}
	if decision.Decision != policy.Allowed {
		// The JSON services answer AccessDeniedException with 400, IAM
		// and STS AccessDenied with 403.
		code, status := "AccessDeniedException", http.StatusBadRequest
		if res.Service == "iam" || res.Service == "sts" {
			code, status = "AccessDenied", http.StatusForbidden
		}
		return nil, &apierr.Error{Code: code, Status: status,
			Message: "User: " + who.ARN + " is not authorized to perform: " + action + " on resource: *"}
	}
	return ctx, nil
}
