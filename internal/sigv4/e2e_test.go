package sigv4_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"

	"github.com/cognate-auth/cognate/internal/sigv4"
	"github.com/cognate-auth/cognate/internal/wire/awsjson"
)

const (
	adminKey    = "AKIACOGNATEADMIN0001"
	adminSecret = "cognate/admin/secret/0001+EXAMPLE"
	tempKey     = "ASIACOGNATETEMP00001"
	tempSecret  = "cognate/temp/secret"
	tempToken   = "FwoGZXIvYXdzEXAMPLEtoken/with+slashes=="
)

type keyring map[[2]string]string

func (k keyring) SecretKey(_ context.Context, accessKeyID, sessionToken string) (string, error) {
	if secret, ok := k[[2]string{accessKeyID, sessionToken}]; ok {
		return secret, nil
	}
	return "", fmt.Errorf("access key %q: %w", accessKeyID, sigv4.ErrUnknownKey)
}

// verifyingServer answers every request through Cognate's AWS JSON front
// door: verify the signature, then either {} or AWS's JSON error document,
// as awsjson names each kind of rejection.
type verifyingServer struct {
	*httptest.Server
	mu      sync.Mutex
	results []outcome
}

type outcome struct {
	result  sigv4.Result
	err     error
	headers http.Header
}

func newVerifyingServer(t *testing.T) *verifyingServer {
	t.Helper()
	v := &sigv4.Verifier{
		Credentials:   keyring{{adminKey, ""}: adminSecret, {tempKey, tempToken}: tempSecret},
		Services:      []string{"cognito-idp"},
		Regions:       []string{"us-east-1"},
		SignedHeaders: []string{"x-amz-target", "content-type"},
	}
	s := &verifyingServer{}
	empty := awsjson.Operation{Invoke: func(context.Context, []byte) (any, error) { return struct{}{}, nil }}
	h, err := awsjson.NewHandler(awsjson.Config{
		TargetPrefix: "AWSCognitoIdentityProviderService",
		Operations:   map[string]awsjson.Operation{"ListUserPools": empty, "AdminGetUser": empty},
		Authenticate: func(r *http.Request, body []byte) (context.Context, error) {
			res, err := v.Verify(r, body)
			s.mu.Lock()
			s.results = append(s.results, outcome{res, err, r.Header.Clone()})
			s.mu.Unlock()
			return r.Context(), err
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Server = httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s
}

func (s *verifyingServer) last(t *testing.T) outcome {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.results) == 0 {
		t.Fatal("the server received no request")
	}
	return s.results[len(s.results)-1]
}

func sdkClient(url string, creds aws.Credentials) *cip.Client {
	return cip.New(cip.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(url),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return creds, nil
		}),
		RetryMaxAttempts: 1,
	})
}

// TestSDKClientSignaturesVerify proves that what aws-sdk-go-v2's Cognito
// client signs, with all the headers it adds, verifies.
func TestSDKClientSignaturesVerify(t *testing.T) {
	srv := newVerifyingServer(t)
	ctx := context.Background()
	tests := []struct {
		name  string
		creds aws.Credentials
		call  func(*cip.Client) error
		want  sigv4.Result
	}{
		{
			name:  "ListUserPools with a long-term key",
			creds: aws.Credentials{AccessKeyID: adminKey, SecretAccessKey: adminSecret},
			call: func(c *cip.Client) error {
				_, err := c.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(1)})
				return err
			},
			want: sigv4.Result{AccessKeyID: adminKey, Region: "us-east-1", Service: "cognito-idp"},
		},
		{
			name:  "AdminGetUser with temporary credentials",
			creds: aws.Credentials{AccessKeyID: tempKey, SecretAccessKey: tempSecret, SessionToken: tempToken},
			call: func(c *cip.Client) error {
				_, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String("us-east-1_Example"), Username: aws.String("zoë + friends")})
				return err
			},
			want: sigv4.Result{AccessKeyID: tempKey, Region: "us-east-1", Service: "cognito-idp", SessionToken: tempToken},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(sdkClient(srv.URL, tt.creds)); err != nil {
				t.Fatalf("call: %v", err)
			}
			got := srv.last(t)
			if got.err != nil {
				t.Fatalf("Verify: %v", got.err)
			}
			if got.result != tt.want {
				t.Errorf("Verify = %+v, want %+v", got.result, tt.want)
			}
			// The SDK signs its own bookkeeping headers too; if it stops,
			// this test no longer covers them.
			auth := got.headers.Get("Authorization")
			for _, h := range []string{"amz-sdk-invocation-id", "amz-sdk-request", "content-length", "content-type", "host", "x-amz-date", "x-amz-target"} {
				if !strings.Contains(auth, h) {
					t.Errorf("the SDK did not sign %s: %s", h, auth)
				}
			}
		})
	}
}

// TestSDKClientSeesAWSErrors checks that a rejection reaches the SDK as the
// exception AWS would send, with its message.
func TestSDKClientSeesAWSErrors(t *testing.T) {
	srv := newVerifyingServer(t)
	tests := []struct {
		name          string
		creds         aws.Credentials
		code, message string
	}{
		{
			name:    "wrong secret",
			creds:   aws.Credentials{AccessKeyID: adminKey, SecretAccessKey: "not-the-secret"},
			code:    "InvalidSignatureException",
			message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
		},
		{
			name:    "unknown key",
			creds:   aws.Credentials{AccessKeyID: "AKIAUNKNOWN", SecretAccessKey: adminSecret},
			code:    "UnrecognizedClientException",
			message: "The security token included in the request is invalid.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sdkClient(srv.URL, tt.creds).ListUserPools(context.Background(), &cip.ListUserPoolsInput{MaxResults: aws.Int32(1)})
			var apiErr smithy.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("ListUserPools error = %v, want an API error", err)
			}
			if apiErr.ErrorCode() != tt.code || apiErr.ErrorMessage() != tt.message {
				t.Errorf("error = %s: %q, want %s: %q", apiErr.ErrorCode(), apiErr.ErrorMessage(), tt.code, tt.message)
			}
		})
	}
}
