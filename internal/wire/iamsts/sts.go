package iamsts

import (
	"context"
	"errors"
	"time"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/federation"
	"github.com/cognate-auth/cognate/internal/iam"
	"github.com/cognate-auth/cognate/internal/wire/stsapi"
)

// WebIdentities verifies the tokens AssumeRoleWithWebIdentity is handed
// (federation.Verifier implements it).
type WebIdentities interface {
	VerifyWebIdentity(ctx context.Context, token, providerID string) (federation.WebIdentity, error)
}

// STS serves the sts operations.
type STS struct {
	stsapi.UnimplementedService
	Service       *iam.Service
	WebIdentities WebIdentities
}

var _ stsapi.Service = (*STS)(nil)

// AssumeRoleWithWebIdentity serves AssumeRoleWithWebIdentity: the token
// is verified, then the role taken on by its principal.
func (h *STS) AssumeRoleWithWebIdentity(ctx context.Context, in *stsapi.AssumeRoleWithWebIdentityRequest) (*stsapi.AssumeRoleWithWebIdentityResponse, error) {
	if in.Policy != "" || len(in.PolicyArns) > 0 {
		// Ignoring a session policy would grant more than was asked.
		return nil, unsupportedParameter("Session policies (Policy, PolicyArns)")
	}
	wi, err := h.WebIdentities.VerifyWebIdentity(ctx, in.WebIdentityToken, in.ProviderId)
	if err != nil {
		return nil, err
	}
	var d time.Duration
	if in.DurationSeconds != nil {
		d = time.Duration(*in.DurationSeconds) * time.Second
	}
	sess, creds, err := h.Service.WebIdentitySession(ctx, iam.WebIdentityRequest{
		RoleARN: in.RoleArn, SessionName: in.RoleSessionName, Provider: wi.Principal, Keys: wi.Keys, Duration: d,
	})
	if err != nil {
		return nil, err
	}
	return &stsapi.AssumeRoleWithWebIdentityResponse{
		Credentials: &stsapi.Credentials{AccessKeyId: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey,
			SessionToken: creds.SessionToken, Expiration: &creds.Expiration},
		SubjectFromWebIdentityToken: wi.Subject,
		AssumedRoleUser:             &stsapi.AssumedRoleUser{Arn: sess.AssumedRoleARN(), AssumedRoleId: sess.UserID()},
		Provider:                    wi.Principal,
		Audience:                    wi.Audience,
	}, nil
}

// GetCallerIdentity serves GetCallerIdentity from the caller the
// request's signature established.
func (h *STS) GetCallerIdentity(ctx context.Context, _ *stsapi.GetCallerIdentityRequest) (*stsapi.GetCallerIdentityResponse, error) {
	c, ok := iam.CallerFrom(ctx)
	if !ok {
		return nil, apierr.Internal(errors.New("iamsts: GetCallerIdentity without a caller in the context"))
	}
	out := &stsapi.GetCallerIdentityResponse{Account: c.Account, Arn: c.ARN, UserId: c.UserID}
	if c.Session != nil {
		out.Arn, out.UserId, out.Account = c.Session.AssumedRoleARN(), c.Session.UserID(), c.Session.AccountID
	}
	return out, nil
}
