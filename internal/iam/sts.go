package iam

import (
	"context"
	"strconv"
	"time"

	"github.com/cognate-auth/cognate/authz/policy"
	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/sessiontoken"
)

// actionWebIdentity is the action a trust policy must allow.
const actionWebIdentity = "sts:AssumeRoleWithWebIdentity"

var errNotAuthorized = accessDenied("Not authorized to perform " + actionWebIdentity)

// AssumeRoleWithWebIdentity takes on a role for a verified web identity:
// the role's trust policy must allow req.Provider, as a federated
// principal, sts:AssumeRoleWithWebIdentity under req.Keys. A role that is
// missing, or not of this account, is refused as the trust policy's
// refusal is: AccessDenied (403).
func (s *Service) AssumeRoleWithWebIdentity(ctx context.Context, req WebIdentityRequest) (sessiontoken.Credentials, error) {
	_, creds, err := s.WebIdentitySession(ctx, req)
	return creds, err
}

// WebIdentitySession is AssumeRoleWithWebIdentity returning, with the
// credentials, the session they stand for (STS reports its assumed-role
// ARN and id).
func (s *Service) WebIdentitySession(ctx context.Context, req WebIdentityRequest) (sessiontoken.Session, sessiontoken.Credentials, error) {
	if err := checkSessionName(req.SessionName); err != nil {
		return sessiontoken.Session{}, sessiontoken.Credentials{}, err
	}
	d := req.Duration
	if d == 0 {
		d = DefaultSessionDuration
	}
	if d < MinSessionDuration || d > MaxSessionDuration {
		return sessiontoken.Session{}, sessiontoken.Credentials{}, validationError(
			"1 validation error detected: Value '%d' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200", int64(d/time.Second))
	}
	account, path, name, ok := parseRoleARN(req.RoleARN)
	if !ok {
		return sessiontoken.Session{}, sessiontoken.Credentials{}, validationError("Request ARN is invalid")
	}
	if account != s.account {
		return sessiontoken.Session{}, sessiontoken.Credentials{}, errNotAuthorized
	}
	r, err := s.store.GetRole(ctx, name)
	if isNotFound(err) || (err == nil && r.Path != path) {
		return sessiontoken.Session{}, sessiontoken.Credentials{}, errNotAuthorized
	}
	if err != nil {
		return sessiontoken.Session{}, sessiontoken.Credentials{}, storeErr(err)
	}
	trust, err := s.trustPolicy(r.AssumeRolePolicy)
	if err != nil {
		return sessiontoken.Session{}, sessiontoken.Credentials{}, err
	}
	arn := s.RoleARN(r.Path, r.Name)
	now := s.now().UTC()
	res := policy.Evaluate(policy.Request{
		Principal: map[string][]string{"Federated": {req.Provider}},
		Action:    actionWebIdentity,
		Resource:  arn,
		Context:   trustContext(req.Keys, now),
	}, trust)
	if res.Decision != policy.Allowed {
		return sessiontoken.Session{}, sessiontoken.Credentials{}, errNotAuthorized
	}
	if d > r.MaxSessionDuration {
		return sessiontoken.Session{}, sessiontoken.Credentials{}, validationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
	}
	sess := sessiontoken.Session{
		AccountID: s.account, RoleARN: arn, RoleID: r.ID, SessionName: req.SessionName,
		Keys: req.Keys, PrincipalTags: req.PrincipalTags, Issued: now, Expires: now.Add(d),
	}
	creds, err := s.minter.Mint(sess)
	if err != nil {
		return sessiontoken.Session{}, sessiontoken.Credentials{}, apierr.Internal(err)
	}
	return sess, creds, nil
}

// trustPolicy compiles a stored trust policy, once per document.
func (s *Service) trustPolicy(doc string) (*policy.Policy, error) {
	if p, ok := s.parsed.Get(doc); ok {
		return p, nil
	}
	p, err := policy.Parse(doc, policy.Trust)
	if err != nil {
		// It was checked when stored; a document that no longer parses
		// trusts no one.
		s.log.Error("iam: a stored trust policy does not parse", "error", err)
		return nil, errNotAuthorized
	}
	s.parsed.Put(doc, p)
	return p, nil
}

// trustContext is the request context a trust policy is evaluated in:
// the web identity's keys and the time.
func trustContext(keys map[string][]string, now time.Time) map[string][]string {
	ctx := make(map[string][]string, len(keys)+2)
	for k, v := range keys {
		ctx[k] = v
	}
	ctx["aws:CurrentTime"] = []string{now.Format(time.RFC3339)}
	ctx["aws:EpochTime"] = []string{strconv.FormatInt(now.Unix(), 10)}
	return ctx
}

func checkSessionName(n string) error {
	switch {
	case len(n) < 2:
		return validationError("1 validation error detected: Value '%s' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2", n)
	case len(n) > 64:
		return validationError("1 validation error detected: Value '%s' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64", n)
	case !namePattern.MatchString(n):
		return validationError(`1 validation error detected: Value '%s' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`, n)
	}
	return nil
}
