package iamsts_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/cognate-auth/cognate/internal/federation"
	"github.com/cognate-auth/cognate/internal/iam"
	"github.com/cognate-auth/cognate/internal/sessiontoken"
	"github.com/cognate-auth/cognate/internal/sigv4"
	"github.com/cognate-auth/cognate/internal/testutil/domaintest"
	"github.com/cognate-auth/cognate/internal/wire/iamapi"
	"github.com/cognate-auth/cognate/internal/wire/iamsts"
	"github.com/cognate-auth/cognate/internal/wire/query"
	"github.com/cognate-auth/cognate/internal/wire/stsapi"
)

const (
	account     = "123456789012"
	adminKey    = "AKIACOGNATETEST00001"
	adminSecret = "cognate/test/secret/0001"
)

// env is Cognate's IAM and STS behind a real listener, as a client sees them.
type env struct {
	svc      *iam.Service
	minter   *sessiontoken.Minter
	verifier *federation.Verifier
	url      string
}

// keys resolves the administrator's key and session credentials, as the
// server does.
type keys struct {
	minter *sessiontoken.Minter
	now    func() time.Time
}

func (k keys) SecretKey(_ context.Context, id, token string) (string, error) {
	if id == adminKey && token == "" {
		return adminSecret, nil
	}
	if token != "" {
		if _, secret, err := k.minter.Open(id, token, k.now()); err == nil {
			return secret, nil
		}
	}
	return "", fmt.Errorf("key %s: %w", id, sigv4.ErrUnknownKey)
}

// noIDTokens stands for user pools, which these tests do not use.
type noIDTokens struct{}

func (noIDTokens) VerifyIDToken(context.Context, string, []string, string, bool) (map[string]any, error) {
	return nil, errors.New("no user pools here")
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvAt(t, time.Now)
}

// newEnvAt is newEnv on a clock of the caller's: IAM's dates, session
// expirations, identity tokens and the signatures' time window all read it.
func newEnvAt(t *testing.T, now func() time.Time) *env {
	t.Helper()
	key := bytes.Repeat([]byte{9}, 32)
	m, err := sessiontoken.NewMinter(key)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := iam.New(iam.Config{Store: domaintest.OpenStore(t, false), Minter: m, AccountID: account, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	fv, err := federation.New(federation.Config{IDTokens: noIDTokens{}, Providers: svc, AccountID: account,
		PublicURL: "http://127.0.0.1:9229", MasterKey: key, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	v := &sigv4.Verifier{Credentials: keys{m, now}, Now: now}
	authenticate := func(r *http.Request, body []byte) (context.Context, error) {
		res, err := v.Verify(r, body)
		if err != nil {
			return nil, err
		}
		c := svc.AdminCaller()
		if res.SessionToken != "" {
			sess, _, err := m.Open(res.AccessKeyID, res.SessionToken, now())
			if err != nil {
				return nil, err
			}
			c = iam.SessionCaller(sess)
		}
		return iam.ContextWithCaller(r.Context(), c), nil
	}
	iamH, err := query.NewHandler(query.Config{Service: "iam", Version: iamapi.Version, Namespace: iamapi.Namespace,
		Operations: iamapi.Operations(&iamsts.IAM{Service: svc}), ErrorStatus: iamapi.ErrorStatus, Authenticate: authenticate})
	if err != nil {
		t.Fatal(err)
	}
	stsH, err := query.NewHandler(query.Config{Service: "sts", Version: stsapi.Version, Namespace: stsapi.Namespace,
		Operations: stsapi.Operations(&iamsts.STS{Service: svc, WebIdentities: fv}), ErrorStatus: stsapi.ErrorStatus, Authenticate: authenticate})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(query.NewDispatcher(map[string]*query.Handler{"iam": iamH, "sts": stsH}, http.NotFoundHandler()))
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	return &env{svc: svc, minter: m, verifier: fv, url: srv.URL}
}

func (e *env) iamClient(creds aws.CredentialsProvider) *awsiam.Client {
	return awsiam.New(awsiam.Options{BaseEndpoint: aws.String(e.url), Region: "us-east-1", Credentials: creds, Retryer: aws.NopRetryer{}})
}

func (e *env) stsClient(creds aws.CredentialsProvider) *sts.Client {
	return sts.New(sts.Options{BaseEndpoint: aws.String(e.url), Region: "us-east-1", Credentials: creds, Retryer: aws.NopRetryer{}})
}

var admin = credentials.NewStaticCredentialsProvider(adminKey, adminSecret, "")

func wantAPIError(t *testing.T, err error, code string, status int, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want %s", err, code)
	}
	if ae.ErrorCode() != code || (msg != "" && ae.ErrorMessage() != msg) {
		t.Errorf("err = %s: %q, want %s: %q", ae.ErrorCode(), ae.ErrorMessage(), code, msg)
	}
	var re *awshttp.ResponseError
	if !errors.As(err, &re) || re.HTTPStatusCode() != status {
		t.Errorf("status of %v, want %d", err, status)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
