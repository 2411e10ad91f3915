package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"

	"github.com/cognate-auth/cognate/internal/config"
	"github.com/cognate-auth/cognate/internal/requestctx"
	"github.com/cognate-auth/cognate/internal/sigv4"
)

const (
	testKeyID  = "AKIASERVERTEST000001"
	testSecret = "server-test-secret-server-test-secret-00"
	target     = "AWSCognitoIdentityProviderService."
)

// testServer runs a server on 127.0.0.1 serving us-east-1 and eu-west-1.
func testServer(t *testing.T, configure ...func(*config.Config)) string {
	t.Helper()
	dir := t.TempDir()
	cfg := config.Config{Listen: "127.0.0.1:0", DataDir: dir, Region: "us-east-1", ExtraRegions: []string{"eu-west-1"},
		PublicURL: "http://127.0.0.1:0", MasterKeyFile: dir + "/master.key", LogLevel: "error",
		AdminAccessKeyID: testKeyID, AdminSecretAccessKey: testSecret}
	for _, f := range configure {
		f(&cfg)
	}
	srv, err := New(t.Context(), cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	ts := httptest.NewServer(srv.Handler)
	t.Cleanup(ts.Close)
	return ts.URL
}

func adminClient(url, region string) *cip.Client {
	return cip.New(cip.Options{Region: region, BaseEndpoint: aws.String(url), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider(testKeyID, testSecret, "")})
}

func apiError(err error) (code, message string) {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode(), apiErr.ErrorMessage()
	}
	return "", ""
}

// Signed requests may address the configured regions only.
func TestSignedRequestsServeConfiguredRegions(t *testing.T) {
	url := testServer(t)
	tests := []struct {
		region      string
		wantCode    string
		wantMessage string
	}{
		{region: "us-east-1"},
		{region: "eu-west-1"},
		{region: "bogus", wantCode: "InvalidSignatureException",
			wantMessage: "Credential should be scoped to a valid region, not 'bogus'. "},
		{region: "ap-south-1", wantCode: "InvalidSignatureException",
			wantMessage: "Credential should be scoped to a valid region, not 'ap-south-1'. "},
	}
	for _, tt := range tests {
		t.Run(tt.region, func(t *testing.T) {
			out, err := adminClient(url, tt.region).CreateUserPool(t.Context(), &cip.CreateUserPoolInput{PoolName: aws.String("p")})
			if tt.wantCode == "" {
				if err != nil {
					t.Fatal(err)
				}
				if id := aws.ToString(out.UserPool.Id); !strings.HasPrefix(id, tt.region+"_") {
					t.Errorf("pool id %s does not carry the region", id)
				}
				return
			}
			if code, msg := apiError(err); code != tt.wantCode || msg != tt.wantMessage {
				t.Errorf("CreateUserPool = %v; want %s %q", err, tt.wantCode, msg)
			}
		})
	}
}

// rawCall posts body to op. prepare, if set, changes the request first;
// after, if set, is called once the request is signed.
func rawCall(t *testing.T, url, op, body string, prepare, after func(*http.Request)) (status int, code, message string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", target+op)
	if prepare != nil {
		prepare(req)
	}
	if after != nil {
		sum := sha256.Sum256([]byte(body))
		creds := aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret}
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "cognito-idp", "us-east-1", time.Now()); err != nil {
			t.Fatal(err)
		}
		after(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var e struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	_ = json.Unmarshal(raw, &e)
	return resp.StatusCode, e.Type, e.Message
}

// A signature must cover the operation it was made for: one made for
// AdminGetUser cannot run AdminDisableUser with the same body.
func TestSignatureCoversTheOperation(t *testing.T) {
	url := testServer(t)
	pool, err := adminClient(url, "us-east-1").CreateUserPool(t.Context(), &cip.CreateUserPoolInput{PoolName: aws.String("p")})
	if err != nil {
		t.Fatal(err)
	}
	body := `{"UserPoolId":"` + aws.ToString(pool.UserPool.Id) + `","Username":"alice"}`
	unsignedTarget := func(r *http.Request) { r.Header.Del("X-Amz-Target") }
	replayAs := func(op string) func(*http.Request) {
		return func(r *http.Request) { r.Header.Set("X-Amz-Target", target+op) }
	}
	tests := []struct {
		name             string
		prepare, after   func(*http.Request)
		wantCode, wantIn string
	}{
		{name: "signed target", after: func(*http.Request) {}, wantCode: "UserNotFoundException"},
		{name: "target left out of the signature", prepare: unsignedTarget, after: replayAs("AdminDisableUser"),
			wantCode: "InvalidSignatureException", wantIn: "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization."},
		{name: "content type left out of the signature",
			prepare:  func(r *http.Request) { r.Header.Del("Content-Type") },
			after:    func(r *http.Request) { r.Header.Set("Content-Type", "application/x-amz-json-1.1") },
			wantCode: "InvalidSignatureException", wantIn: "'Content-Type' must be a 'SignedHeader' in the AWS Authorization."},
		{name: "signed target changed", after: replayAs("AdminDisableUser"),
			wantCode: "InvalidSignatureException", wantIn: "The request signature we calculated does not match"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, code, msg := rawCall(t, url, "AdminGetUser", body, tt.prepare, tt.after)
			if status != 400 || code != tt.wantCode || !strings.Contains(msg, tt.wantIn) {
				t.Errorf("got %d %s %q; want 400 %s containing %q", status, code, msg, tt.wantCode, tt.wantIn)
			}
		})
	}
}

// The credential scope of an unsigned operation is not verified, so only a
// region Cognate serves is believed; any other leaves the default region.
func TestUnsignedOperationsIgnoreUnservedRegions(t *testing.T) {
	v := &sigv4.Verifier{Regions: []string{"us-east-1", "eu-west-1"}}
	tests := []struct {
		name, authorization, want string
	}{
		{"no scope", "", ""},
		{"the default region", scope("us-east-1"), "us-east-1"},
		{"another served region", scope("eu-west-1"), "eu-west-1"},
		{"a region not served", scope("ap-south-1"), ""},
		{"not a region", scope("bogus"), ""},
		{"malformed header", "AWS4-HMAC-SHA256 Credential=x", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/", nil)
			if tt.authorization != "" {
				r.Header.Set("Authorization", tt.authorization)
			}
			if got := requestctx.Region(annotate(v, nil)(r)); got != tt.want {
				t.Errorf("region %q, want %q", got, tt.want)
			}
		})
	}
}

func scope(region string) string {
	return "AWS4-HMAC-SHA256 Credential=AKIDANYONE/20260101/" + region + "/cognito-idp/aws4_request, SignedHeaders=host, Signature=00"
}

// Behind trusted proxies, the client is who X-Forwarded-For says; anyone
// else's X-Forwarded-For is ignored.
func TestClientIPBehindTrustedProxies(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	tests := []struct {
		name, peer, forwarded, want string
	}{
		{"direct client", "192.0.2.1:5000", "", "192.0.2.1"},
		{"direct client forging the header", "192.0.2.1:5000", "203.0.113.9", "192.0.2.1"},
		{"through the proxy", "10.1.1.1:5000", "198.51.100.1, 203.0.113.9", "203.0.113.9"},
	}
	v := &sigv4.Verifier{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/", nil)
			r.RemoteAddr = tt.peer
			if tt.forwarded != "" {
				r.Header.Set("X-Forwarded-For", tt.forwarded)
			}
			if got := requestctx.ClientIP(annotate(v, proxies)(r)); got != tt.want {
				t.Errorf("client IP %q, want %q", got, tt.want)
			}
		})
	}
}
