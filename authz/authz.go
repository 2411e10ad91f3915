// Package authz is the check that makes the temporary credentials Cognate
// vends mean something to a resource server: it verifies a request signed
// with them (AWS Signature Version 4, the session token included) and
// evaluates the IAM policies of the role they were issued for.
//
// A resource server gets Cognate's verifier key once (`cognate keys
// verifier-key`): it opens the credentials' session tokens but cannot mint
// them. Verification needs no call to Cognate; the role's policies come from
// a PolicySource — a fixed set, or Cognate's IAM API (IAMPolicies).
//
//	checker, err := authz.New(authz.Config{VerifierKey: key, Service: "execute-api", Policies: src})
//	...
//	caller, result, err := checker.Check(r, "photos:GetPhoto", "arn:aws:photos:::photo/"+id)
//	if err != nil || result.Decision != policy.Allowed { deny }
package authz

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/cognate-auth/cognate/authz/policy"
	"github.com/cognate-auth/cognate/internal/sessiontoken"
	"github.com/cognate-auth/cognate/internal/sigv4"
)

// PolicySource returns the policies of a role.
type PolicySource interface {
	RolePolicies(ctx context.Context, roleARN string) ([]*policy.Policy, error)
}

// StaticPolicies is a PolicySource of fixed policies by role ARN.
type StaticPolicies map[string][]*policy.Policy

// RolePolicies implements PolicySource.
func (s StaticPolicies) RolePolicies(_ context.Context, roleARN string) ([]*policy.Policy, error) {
	return s[roleARN], nil
}

// Config configures a Checker.
type Config struct {
	// VerifierKey is Cognate's verifier key (cognate keys verifier-key).
	VerifierKey string
	// Policies gives each role's policies.
	Policies PolicySource
	// Service is the SigV4 service name requests must be signed for.
	Service string
	// Regions are the regions requests may be signed for; empty accepts any.
	Regions []string
	// MaxSkew is how far a request's date may be from the clock; 0 means
	// five minutes.
	MaxSkew time.Duration
	// MaxBodyBytes bounds the body Verify reads to hash it; 0 means 10 MiB.
	MaxBodyBytes int64
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

// Checker verifies and authorizes requests. It is safe for concurrent use.
type Checker struct {
	cfg      Config
	sessions *sessiontoken.Verifier
	sigv4    *sigv4.Verifier
}

// New returns a Checker.
func New(cfg Config) (*Checker, error) {
	sessions, err := sessiontoken.ParseVerifierKey(cfg.VerifierKey)
	if err != nil {
		return nil, fmt.Errorf("authz: %w", err)
	}
	if cfg.Policies == nil || cfg.Service == "" {
		return nil, errors.New("authz: Config needs Policies and Service")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxSkew == 0 {
		cfg.MaxSkew = 5 * time.Minute
	}
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = 10 << 20
	}
	c := &Checker{cfg: cfg, sessions: sessions}
	c.sigv4 = &sigv4.Verifier{Credentials: sessionKeys{c}, Services: []string{cfg.Service}, Regions: cfg.Regions,
		Now: cfg.Now, MaxSkew: cfg.MaxSkew}
	return c, nil
}

// sessionKeys hands sigv4 the secret sealed in a session token.
type sessionKeys struct{ c *Checker }

func (k sessionKeys) SecretKey(_ context.Context, id, token string) (string, error) {
	if token == "" {
		return "", fmt.Errorf("%w: %w", sigv4.ErrUnknownKey, errNoToken)
	}
	_, secret, err := k.c.sessions.Open(id, token, k.c.cfg.Now())
	if err != nil {
		return "", fmt.Errorf("%w: %w", sigv4.ErrUnknownKey, err)
	}
	return secret, nil
}

var errNoToken = errors.New("authz: only temporary credentials (with a session token) are accepted")

// Caller is who signed a request: a role session.
type Caller struct {
	AccessKeyID string
	Account     string
	// ARN is the session's: arn:aws:sts::<account>:assumed-role/<role>/<session>.
	ARN         string
	RoleARN     string
	SessionName string
	// UserID is <role id>:<session name>, as aws:userid.
	UserID string
	// Keys are the session's condition keys, e.g.
	// cognito-identity.amazonaws.com:sub, the identity id.
	Keys          map[string][]string
	PrincipalTags map[string]string
	Expires       time.Time
}

// Error is a refused request, with AWS's code and the HTTP status to send.
type Error struct {
	Code    string
	Message string
	Status  int
	cause   error
}

func (e *Error) Error() string { return "authz: " + e.Code + ": " + e.Message }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.cause }

// Verify checks r's signature, in its Authorization header or in a
// presigned URL's query, and returns its signer. The body is read
// (at most MaxBodyBytes) to hash it and put back for the next reader.
func (c *Checker) Verify(r *http.Request) (*Caller, error) {
	body, err := c.readBody(r)
	if err != nil {
		return nil, err
	}
	var res sigv4.Result
	if sigv4.Presigned(r) {
		res, err = c.sigv4.VerifyPresigned(r)
	} else {
		res, err = c.sigv4.Verify(r, body)
	}
	if err != nil {
		return nil, refusal(err)
	}
	s, _, err := c.sessions.Open(res.AccessKeyID, res.SessionToken, c.cfg.Now())
	if err != nil {
		return nil, refusal(err)
	}
	return &Caller{AccessKeyID: res.AccessKeyID, Account: s.AccountID, ARN: s.AssumedRoleARN(), RoleARN: s.RoleARN,
		SessionName: s.SessionName, UserID: s.UserID(), Keys: s.Keys, PrincipalTags: s.PrincipalTags, Expires: s.Expires}, nil
}

func (c *Checker) readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, c.cfg.MaxBodyBytes+1))
	r.Body.Close()
	if err != nil {
		return nil, &Error{Code: "IncompleteSignature", Message: "The request body could not be read.", Status: http.StatusBadRequest, cause: err}
	}
	if int64(len(body)) > c.cfg.MaxBodyBytes {
		return nil, &Error{Code: "RequestEntityTooLarge", Message: "The request body is too large to verify.", Status: http.StatusRequestEntityTooLarge}
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return body, nil
}

// refusal words a verification failure as AWS does.
func refusal(err error) error {
	if errors.Is(err, sessiontoken.ErrExpired) {
		return &Error{Code: "ExpiredToken", Message: "The security token included in the request is expired", Status: http.StatusForbidden, cause: err}
	}
	var e *sigv4.Error
	if !errors.As(err, &e) {
		return &Error{Code: "InvalidClientTokenId", Message: "The security token included in the request is invalid.", Status: http.StatusForbidden, cause: err}
	}
	switch e.Kind {
	case sigv4.MissingToken:
		return &Error{Code: "MissingAuthenticationToken", Message: e.Message, Status: http.StatusForbidden, cause: err}
	case sigv4.Incomplete:
		return &Error{Code: "IncompleteSignature", Message: e.Message, Status: http.StatusBadRequest, cause: err}
	case sigv4.UnknownKey:
		return &Error{Code: "InvalidClientTokenId", Message: e.Message, Status: http.StatusForbidden, cause: err}
	case sigv4.Internal:
		return &Error{Code: "InternalFailure", Message: e.Message, Status: http.StatusInternalServerError, cause: err}
	}
	return &Error{Code: "SignatureDoesNotMatch", Message: e.Message, Status: http.StatusForbidden, cause: err}
}

// Authorize evaluates the caller's role policies for action on resource.
// The context holds the session's keys, aws:PrincipalTag/<key>, aws:userid,
// aws:PrincipalArn, aws:PrincipalAccount, aws:CurrentTime and
// aws:EpochTime, then extra (which wins). A role without policies is
// denied implicitly.
func (c *Checker) Authorize(ctx context.Context, who *Caller, action, resource string, extra map[string][]string) (policy.Result, error) {
	policies, err := c.cfg.Policies.RolePolicies(ctx, who.RoleARN)
	if err != nil {
		return policy.Result{}, fmt.Errorf("authz: policies of %s: %w", who.RoleARN, err)
	}
	now := c.cfg.Now().UTC()
	keys := make(map[string][]string, len(who.Keys)+len(who.PrincipalTags)+6+len(extra))
	for k, v := range who.Keys {
		keys[k] = v
	}
	for k, v := range who.PrincipalTags {
		keys["aws:PrincipalTag/"+k] = []string{v}
	}
	keys["aws:userid"] = []string{who.UserID}
	keys["aws:PrincipalArn"] = []string{who.RoleARN}
	keys["aws:PrincipalAccount"] = []string{who.Account}
	keys["aws:CurrentTime"] = []string{now.Format(time.RFC3339)}
	keys["aws:EpochTime"] = []string{strconv.FormatInt(now.Unix(), 10)}
	for k, v := range extra {
		keys[k] = v
	}
	req := policy.Request{Action: action, Resource: resource, Context: keys,
		Principal: map[string][]string{"AWS": {who.ARN, who.RoleARN}}}
	return policy.Evaluate(req, policies...), nil
}

// Check verifies r and authorizes action on resource for its signer,
// with aws:SourceIp and aws:SecureTransport from the request. A denial is
// returned as the Result, not as an error.
func (c *Checker) Check(r *http.Request, action, resource string) (*Caller, policy.Result, error) {
	who, err := c.Verify(r)
	if err != nil {
		return nil, policy.Result{}, err
	}
	extra := map[string][]string{"aws:SecureTransport": {strconv.FormatBool(r.TLS != nil)}}
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		extra["aws:SourceIp"] = []string{host}
	}
	res, err := c.Authorize(r.Context(), who, action, resource, extra)
	return who, res, err
}

// Denied is the error to answer a request the policies do not allow.
func Denied(who *Caller, action, resource string) *Error {
	return &Error{Code: "AccessDenied", Status: http.StatusForbidden,
		Message: "User: " + who.ARN + " is not authorized to perform: " + action + " on resource: " + resource}
}
