package sigv4

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

const (
	testKey     = "AKIDEXAMPLE"
	testSecret  = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	tempKey     = "ASIATEMPORARY"
	tempSecret  = "temporary/secret/key"
	tempToken   = "IQoJb3JpZ2luX2VjEXAMPLEsessionTOKEN=="
	testHost    = "cognito-idp.us-east-1.amazonaws.com"
	testBody    = `{"MaxResults":1}`
	testService = "cognito-idp"
	testRegion  = "us-east-1"
)

// testNow is the server's clock in these tests; requests are signed 15
// minutes earlier unless a case says otherwise.
var (
	testNow    = time.Date(2026, 11, 22, 10, 40, 10, 0, time.UTC)
	testSigned = time.Date(2026, 11, 22, 10, 25, 10, 0, time.UTC)
)

// keyring is a Credentials backed by a map from (key, token) to secret.
type keyring map[[2]string]string

func (k keyring) SecretKey(_ context.Context, accessKeyID, sessionToken string) (string, error) {
	if secret, ok := k[[2]string{accessKeyID, sessionToken}]; ok {
		return secret, nil
	}
	return "", fmt.Errorf("access key %q: %w", accessKeyID, ErrUnknownKey)
}

var testKeys = keyring{
	{testKey, ""}:          testSecret,
	{tempKey, tempToken}:   tempSecret,
	{"AKIDOTHER", ""}:      "other-secret",
	{"AKIDEXAMPLE2", "xx"}: "unused",
}

func testVerifier() *Verifier {
	return &Verifier{
		Credentials: testKeys,
		Services:    []string{testService},
		Now:         func() time.Time { return testNow },
	}
}

// signing describes how the client signs a request.
type signing struct {
	key, secret, token string
	service, region    string
	at                 time.Time
	body               string
	query              string
	// prepare changes the client's request before it is signed.
	prepare func(*http.Request)
}

// jsonHeaders makes a verifier require what an AWS JSON service requires.
func jsonHeaders(v *Verifier) { v.SignedHeaders = []string{"x-amz-target", "content-type"} }

func defaultSigning() signing {
	return signing{key: testKey, secret: testSecret, service: testService, region: testRegion, at: testSigned, body: testBody}
}

// signedRequest signs a Cognito request with aws-sdk-go-v2's signer and
// returns it as a server receives it: written to the wire and read back.
func signedRequest(t testing.TB, s signing) (*http.Request, []byte) {
	t.Helper()
	url := "https://" + testHost + "/"
	if s.query != "" {
		url += "?" + s.query
	}
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(s.body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.ListUserPools")
	if s.prepare != nil {
		s.prepare(req)
	}
	creds := aws.Credentials{AccessKeyID: s.key, SecretAccessKey: s.secret, SessionToken: s.token}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, sha256Hex(s.body), s.service, s.region, s.at); err != nil {
		t.Fatal(err)
	}
	return toServer(t, req)
}

func toServer(t testing.TB, req *http.Request) (*http.Request, []byte) {
	t.Helper()
	var wire bytes.Buffer
	if err := req.Write(&wire); err != nil {
		t.Fatal(err)
	}
	r, err := http.ReadRequest(bufio.NewReader(&wire))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return r, body
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// replaceAuth rewrites part of the Authorization header after signing.
func replaceAuth(old, new string) func(*http.Request, []byte) []byte {
	return func(r *http.Request, body []byte) []byte {
		r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), old, new, 1))
		return body
	}
}

func setHeader(name, value string) func(*http.Request, []byte) []byte {
	return func(r *http.Request, body []byte) []byte {
		r.Header.Set(name, value)
		return body
	}
}

func TestVerifyAcceptsSDKSignatures(t *testing.T) {
	tests := []struct {
		name     string
		signing  func(*signing)
		verifier func(*Verifier)
		want     Result
	}{
		{
			name: "long-term key",
			want: Result{AccessKeyID: testKey, Region: testRegion, Service: testService},
		},
		{
			name:    "session token",
			signing: func(s *signing) { s.key, s.secret, s.token = tempKey, tempSecret, tempToken },
			want:    Result{AccessKeyID: tempKey, Region: testRegion, Service: testService, SessionToken: tempToken},
		},
		{
			name:    "empty body",
			signing: func(s *signing) { s.body = "" },
			want:    Result{AccessKeyID: testKey, Region: testRegion, Service: testService},
		},
		{
			name:    "query string in any order",
			signing: func(s *signing) { s.query = "b=2&a=1&a=0&c=x%20y&d=~_.-&e" },
			want:    Result{AccessKeyID: testKey, Region: testRegion, Service: testService},
		},
		{
			name:    "signed at the edge of the past skew",
			signing: func(s *signing) { s.at = testNow.Add(-DefaultMaxSkew) },
			want:    Result{AccessKeyID: testKey, Region: testRegion, Service: testService},
		},
		{
			name:    "signed at the edge of the future skew",
			signing: func(s *signing) { s.at = testNow.Add(DefaultMaxSkew) },
			want:    Result{AccessKeyID: testKey, Region: testRegion, Service: testService},
		},
		{
			name:     "wider skew",
			signing:  func(s *signing) { s.at = testNow.Add(-time.Hour) },
			verifier: func(v *Verifier) { v.MaxSkew = 2 * time.Hour },
			want:     Result{AccessKeyID: testKey, Region: testRegion, Service: testService},
		},
		{
			name:    "other region",
			signing: func(s *signing) { s.region = "eu-central-1" },
			want:    Result{AccessKeyID: testKey, Region: "eu-central-1", Service: testService},
		},
		{
			name:     "second accepted service",
			signing:  func(s *signing) { s.service = "cognito-identity" },
			verifier: func(v *Verifier) { v.Services = []string{testService, "cognito-identity"} },
			want:     Result{AccessKeyID: testKey, Region: testRegion, Service: "cognito-identity"},
		},
		{
			name:     "any service when none configured",
			signing:  func(s *signing) { s.service = "sts" },
			verifier: func(v *Verifier) { v.Services = nil },
			want:     Result{AccessKeyID: testKey, Region: testRegion, Service: "sts"},
		},
		{
			name: "matching X-Amz-Content-Sha256, signed",
			signing: func(s *signing) {
				s.prepare = func(r *http.Request) { r.Header.Set("X-Amz-Content-Sha256", sha256Hex(testBody)) }
			},
			want: Result{AccessKeyID: testKey, Region: testRegion, Service: testService},
		},
		{
			name: "repeated and spaced header values",
			signing: func(s *signing) {
				s.prepare = func(r *http.Request) {
					r.Header.Add("X-Amz-Meta-Note", "  a   b  ")
					r.Header.Add("X-Amz-Meta-Note", "c")
				}
			},
			want: Result{AccessKeyID: testKey, Region: testRegion, Service: testService},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := defaultSigning()
			if tt.signing != nil {
				tt.signing(&s)
			}
			v := testVerifier()
			if tt.verifier != nil {
				tt.verifier(v)
			}
			r, body := signedRequest(t, s)
			got, err := v.Verify(r, body)
			if err != nil {
				t.Fatalf("Verify: %v\nAuthorization: %s", err, r.Header.Get("Authorization"))
			}
			if got != tt.want {
				t.Errorf("Verify = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestVerifyRejects(t *testing.T) {
	const (
		missingAll = "Authorization header requires 'Credential' parameter. " +
			"Authorization header requires 'Signature' parameter. " +
			"Authorization header requires 'SignedHeaders' parameter. "
		goodCredential = "Credential=AKIDEXAMPLE/20261122/us-east-1/cognito-idp/aws4_request"
	)
	tests := []struct {
		name     string
		signing  func(*signing)
		verifier func(*Verifier)
		tamper   func(*http.Request, []byte) []byte
		kind     Kind
		message  string // exact, unless prefix is set
		prefix   bool
	}{
		// Who signed.
		{
			name:    "wrong secret",
			signing: func(s *signing) { s.secret = "not-the-secret" },
			kind:    Invalid, message: msgMismatch,
		},
		{
			name:    "unknown key",
			signing: func(s *signing) { s.key = "AKIDUNKNOWN" },
			kind:    UnknownKey, message: "The security token included in the request is invalid.",
		},
		{
			name:    "unknown session token",
			signing: func(s *signing) { s.key, s.secret, s.token = tempKey, tempSecret, "forged-token" },
			kind:    UnknownKey, message: msgUnknownKey,
		},
		{
			name:    "session token dropped",
			signing: func(s *signing) { s.key, s.secret, s.token = tempKey, tempSecret, tempToken },
			tamper: func(r *http.Request, body []byte) []byte {
				r.Header.Del("X-Amz-Security-Token")
				return body
			},
			kind: UnknownKey, message: msgUnknownKey,
		},
		{
			name:    "session token of another key",
			signing: func(s *signing) { s.token = tempToken },
			kind:    UnknownKey, message: msgUnknownKey,
		},

		// What was signed.
		{
			name: "altered body",
			tamper: func(_ *http.Request, _ []byte) []byte {
				return []byte(`{"MaxResults":60}`)
			},
			kind: Invalid, message: msgMismatch,
		},
		{
			name:   "altered signed header",
			tamper: setHeader("X-Amz-Target", "AWSCognitoIdentityProviderService.AdminDeleteUser"),
			kind:   Invalid, message: msgMismatch,
		},
		{
			name: "altered host",
			tamper: func(r *http.Request, body []byte) []byte {
				r.Host = "cognito-idp.eu-west-1.amazonaws.com"
				return body
			},
			kind: Invalid, message: msgMismatch,
		},
		{
			name: "added query parameter",
			tamper: func(r *http.Request, body []byte) []byte {
				r.URL.RawQuery = "Action=AdminDeleteUser"
				return body
			},
			kind: Invalid, message: msgMismatch,
		},
		{
			name: "altered path",
			tamper: func(r *http.Request, body []byte) []byte {
				r.URL.Path = "/admin"
				return body
			},
			kind: Invalid, message: msgMismatch,
		},
		{
			name: "altered method",
			tamper: func(r *http.Request, body []byte) []byte {
				r.Method = http.MethodPut
				return body
			},
			kind: Invalid, message: msgMismatch,
		},
		{
			name:   "signature of other length",
			tamper: replaceAuth("Signature=", "Signature=00"),
			kind:   Invalid, message: msgMismatch,
		},
		{
			name:   "signed header missing from the request",
			tamper: func(r *http.Request, body []byte) []byte { r.Header.Del("X-Amz-Target"); return body },
			kind:   Invalid, message: msgMismatch,
		},
		{
			name:   "unsigned X-Amz-Content-Sha256 that lies",
			tamper: setHeader("X-Amz-Content-Sha256", sha256Hex("something else")),
			kind:   Invalid, message: msgMismatch,
		},
		{
			name:   "unsigned UNSIGNED-PAYLOAD",
			tamper: setHeader("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD"),
			kind:   Invalid, message: msgMismatch,
		},
		{
			name: "signed UNSIGNED-PAYLOAD",
			signing: func(s *signing) {
				s.prepare = func(r *http.Request) { r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD") }
			},
			kind: Invalid, message: msgMismatch,
		},

		// Headers an AWS JSON request must sign.
		{
			name: "signature for one operation replayed to run another",
			signing: func(s *signing) {
				s.prepare = func(r *http.Request) {
					r.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.AdminGetUser")
					r.Header.Del("X-Amz-Target") // left out of the signature
				}
			},
			verifier: jsonHeaders,
			tamper:   setHeader("X-Amz-Target", "AWSCognitoIdentityProviderService.AdminDisableUser"),
			kind:     Invalid,
			message:  "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.",
		},
		{
			name: "content type not signed",
			signing: func(s *signing) {
				s.prepare = func(r *http.Request) { r.Header.Del("Content-Type") }
			},
			verifier: jsonHeaders,
			tamper:   setHeader("Content-Type", "application/x-amz-json-1.1"),
			kind:     Invalid,
			message:  "'Content-Type' must be a 'SignedHeader' in the AWS Authorization.",
		},
		{
			name: "content type neither sent nor signed",
			signing: func(s *signing) {
				s.prepare = func(r *http.Request) { r.Header.Del("Content-Type") }
			},
			verifier: jsonHeaders,
			kind:     0, // accepted
		},
		{
			name: "required headers are checked before the scope",
			signing: func(s *signing) {
				s.region = "bogus"
				s.prepare = func(r *http.Request) { r.Header.Del("X-Amz-Target") }
			},
			verifier: jsonHeaders,
			tamper:   setHeader("X-Amz-Target", "AWSCognitoIdentityProviderService.AdminDisableUser"),
			kind:     Invalid,
			message:  "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.",
		},

		// When it was signed.
		{
			name:    "stale date",
			signing: func(s *signing) { s.at = testNow.Add(-16 * time.Minute) },
			kind:    Invalid,
			message: "Signature expired: 20261122T102410Z is now earlier than 20261122T102510Z (20261122T104010Z - 15 min.)",
		},
		{
			name:    "future date",
			signing: func(s *signing) { s.at = testNow.Add(16 * time.Minute) },
			kind:    Invalid,
			message: "Signature not yet current: 20261122T105610Z is still later than 20261122T105510Z (20261122T104010Z + 15 min.)",
		},
		{
			name:     "stale for a narrower skew",
			signing:  func(s *signing) { s.at = testNow.Add(-90 * time.Second) },
			verifier: func(v *Verifier) { v.MaxSkew = time.Minute },
			kind:     Invalid,
			message:  "Signature expired: 20261122T103840Z is now earlier than 20261122T103910Z (20261122T104010Z - 1 min.)",
		},
		{
			name:    "date in scope differs from X-Amz-Date",
			signing: func(s *signing) { s.at = time.Date(2026, 11, 22, 0, 5, 10, 0, time.UTC) },
			verifier: func(v *Verifier) {
				v.Now = func() time.Time { return time.Date(2026, 11, 22, 0, 5, 10, 0, time.UTC) }
			},
			tamper: setHeader("X-Amz-Date", "20261121T235910Z"),
			kind:   Invalid,
			message: "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: " +
				"'20261122' != '20261121', from '20261121T235910Z'.",
		},
		{
			name:    "X-Amz-Date not in basic format",
			tamper:  setHeader("X-Amz-Date", "2026-11-22T10:25:10Z"),
			kind:    Incomplete,
			message: "Date must be in ISO-8601 'basic format'. Got '2026-11-22T10:25:10Z'. See http://en.wikipedia.org/wiki/ISO_8601",
		},
		{
			name: "only an HTTP Date header",
			tamper: func(r *http.Request, body []byte) []byte {
				r.Header.Del("X-Amz-Date")
				r.Header.Set("Date", "Sun, 22 Nov 2026 10:25:10 GMT")
				return body
			},
			kind:    Incomplete,
			message: "Date must be in ISO-8601 'basic format'. Got 'Sun, 22 Nov 2026 10:25:10 GMT'. See http://en.wikipedia.org/wiki/ISO_8601",
		},
		{
			name:   "no date at all",
			tamper: func(r *http.Request, body []byte) []byte { r.Header.Del("X-Amz-Date"); return body },
			kind:   Incomplete,
			message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=" +
				"AWS4-HMAC-SHA256 ",
			prefix: true,
		},

		// Where it was signed for.
		{
			name:    "wrong service",
			signing: func(s *signing) { s.service = "cognito-identity" },
			kind:    Invalid,
			message: "Credential should be scoped to correct service: 'cognito-idp'. ",
		},
		{
			name:     "region not served",
			signing:  func(s *signing) { s.region = "eu-west-1" },
			verifier: func(v *Verifier) { v.Regions = []string{testRegion} },
			kind:     Invalid,
			message:  "Credential should be scoped to a valid region, not 'eu-west-1'. ",
		},
		{
			name:     "well-formed region that is not served",
			signing:  func(s *signing) { s.region = "bogus" },
			verifier: func(v *Verifier) { v.Regions = []string{testRegion, "eu-west-1"} },
			kind:     Invalid,
			message:  "Credential should be scoped to a valid region, not 'bogus'. ",
		},
		{
			name:    "malformed region",
			signing: func(s *signing) { s.region = "US_EAST_1" },
			kind:    Invalid,
			message: "Credential should be scoped to a valid region, not 'US_EAST_1'. ",
		},
		{
			name:    "every scope problem at once",
			signing: func(s *signing) { s.region, s.service = "Mars", "s3" },
			tamper:  replaceAuth("/aws4_request", "/aws5_request"),
			kind:    Invalid,
			message: "Credential should be scoped to a valid region, not 'Mars'. " +
				"Credential should be scoped to correct service: 'cognito-idp'. " +
				"Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. ",
		},

		// Malformed Authorization headers.
		{
			name:   "no Authorization header",
			tamper: func(r *http.Request, body []byte) []byte { r.Header.Del("Authorization"); return body },
			kind:   MissingToken, message: "Missing Authentication Token",
		},
		{
			name:   "empty Authorization header",
			tamper: setHeader("Authorization", ""),
			kind:   MissingToken, message: msgMissingToken,
		},
		{
			name:   "bearer token",
			tamper: setHeader("Authorization", "Bearer eyJraWQiOiJ4In0.e30.c2ln"),
			kind:   MissingToken, message: msgMissingToken,
		},
		{
			name:   "signature version 2",
			tamper: setHeader("Authorization", "AWS AKIDEXAMPLE:c2lnbmF0dXJl"),
			kind:   MissingToken, message: msgMissingToken,
		},
		{
			name:    "algorithm alone",
			tamper:  setHeader("Authorization", "AWS4-HMAC-SHA256"),
			kind:    Incomplete,
			message: missingAll + "Authorization=AWS4-HMAC-SHA256",
		},
		{
			name: "algorithm alone, no date",
			tamper: func(r *http.Request, body []byte) []byte {
				r.Header.Del("X-Amz-Date")
				r.Header.Set("Authorization", "AWS4-HMAC-SHA256")
				return body
			},
			kind: Incomplete,
			message: missingAll + "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
				"Authorization=AWS4-HMAC-SHA256",
		},
		{
			name:    "only a credential",
			tamper:  setHeader("Authorization", "AWS4-HMAC-SHA256 "+goodCredential),
			kind:    Incomplete,
			message: "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256 " + goodCredential,
		},
		{
			name:    "empty credential and signature",
			tamper:  setHeader("Authorization", "AWS4-HMAC-SHA256 Credential=, SignedHeaders=host, Signature="),
			kind:    Incomplete,
			message: "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization=AWS4-HMAC-SHA256 Credential=, SignedHeaders=host, Signature=",
		},
		{
			name:   "space after Credential=",
			tamper: replaceAuth("Credential=", "Credential= "),
			kind:   Incomplete,
			message: "'AKIDEXAMPLE/20261122/us-east-1/cognito-idp/aws4_request' not a valid key=value pair (missing equal-sign) " +
				"in Authorization header: 'AWS4-HMAC-SHA256 Credential= AKIDEXAMPLE/20261122/us-east-1/cognito-idp/aws4_request, SignedHeaders=",
			prefix: true,
		},
		{
			name:    "bare word",
			tamper:  setHeader("Authorization", "AWS4-HMAC-SHA256 Signature=b,    Credential,    SignedHeaders"),
			kind:    Incomplete,
			message: "'Credential' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Signature=b,    Credential,    SignedHeaders'.",
		},
		{
			name:    "host not signed",
			tamper:  replaceAuth("SignedHeaders=content-length;content-type;host;", "SignedHeaders=content-length;content-type;"),
			kind:    Invalid,
			message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
		},
		{
			name:    "empty SignedHeaders",
			tamper:  setHeader("Authorization", "AWS4-HMAC-SHA256 "+goodCredential+", SignedHeaders=, Signature=abc"),
			kind:    Invalid,
			message: msgHostNotSigned,
		},
		{
			name:    "other algorithm",
			tamper:  replaceAuth("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512"),
			kind:    Incomplete,
			message: "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). ",
		},
		{
			name:    "no space after the algorithm",
			tamper:  replaceAuth("AWS4-HMAC-SHA256 ", "AWS4-HMAC-SHA256"),
			kind:    Incomplete,
			message: "Authorization header requires 'Credential' parameter. Authorization=AWS4-HMAC-SHA256Credential=",
			prefix:  true,
		},
		{
			name:    "credential of four parts",
			tamper:  replaceAuth("/aws4_request", ""),
			kind:    Incomplete,
			message: "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIDEXAMPLE/20261122/us-east-1/cognito-idp'",
		},
		{
			name:    "credential of six parts",
			tamper:  replaceAuth("/aws4_request", "/aws4_request/extra"),
			kind:    Incomplete,
			message: "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIDEXAMPLE/20261122/us-east-1/cognito-idp/aws4_request/extra'",
		},
		{
			name:   "credential with trailing slashes still verifies the signature",
			tamper: replaceAuth("/aws4_request", "/aws4_request//"),
			kind:   0, // accepted
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := defaultSigning()
			if tt.signing != nil {
				tt.signing(&s)
			}
			v := testVerifier()
			if tt.verifier != nil {
				tt.verifier(v)
			}
			r, body := signedRequest(t, s)
			if tt.tamper != nil {
				body = tt.tamper(r, body)
			}
			_, err := v.Verify(r, body)
			if tt.kind == 0 {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				return
			}
			e, ok := err.(*Error)
			if !ok {
				t.Fatalf("Verify error = %#v, want *sigv4.Error %s", err, tt.kind)
			}
			if e.Kind != tt.kind {
				t.Errorf("kind = %s, want %s (message %q)", e.Kind, tt.kind, e.Message)
			}
			if tt.prefix && !strings.HasPrefix(e.Message, tt.message) || !tt.prefix && e.Message != tt.message {
				t.Errorf("message = %q\nwant        %q (prefix %v)", e.Message, tt.message, tt.prefix)
			}
		})
	}
}

// TestVerifyDateHeader checks the fallback AWS documents: without X-Amz-Date
// the Date header carries the (basic-format) time. No SDK signs that way, so
// the canonical request is written out by hand.
func TestVerifyDateHeader(t *testing.T) {
	const stamp = "20261122T102510Z"
	canonical := strings.Join([]string{
		"POST",
		"/",
		"",
		"content-type:application/x-amz-json-1.1",
		"date:" + stamp,
		"host:" + testHost,
		"",
		"content-type;date;host",
		sha256Hex(testBody),
	}, "\n")
	stringToSign := strings.Join([]string{algorithm, stamp, "20261122/us-east-1/cognito-idp/aws4_request", sha256Hex(canonical)}, "\n")
	key := deriveKey(testSecret, "20261122", testRegion, testService)
	sig := hmacSHA256(key[:], []byte(stringToSign))

	req, _ := http.NewRequest(http.MethodPost, "https://"+testHost+"/", strings.NewReader(testBody))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("Date", stamp)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+testKey+"/20261122/us-east-1/cognito-idp/aws4_request, SignedHeaders=content-type;date;host, Signature="+hex.EncodeToString(sig[:]))
	r, body := toServer(t, req)
	got, err := testVerifier().Verify(r, body)
	if err != nil {
		t.Fatal(err)
	}
	if got.AccessKeyID != testKey {
		t.Errorf("AccessKeyID = %q", got.AccessKeyID)
	}
}

// TestVerifySuiteVectors checks requests from AWS's published SigV4 test
// suite, signed independently of aws-sdk-go-v2.
func TestVerifySuiteVectors(t *testing.T) {
	const scope = "AKIDEXAMPLE/20150830/us-east-1/service/aws4_request"
	tests := []struct {
		name, wire, signature string
	}{
		{
			name:      "get-vanilla",
			wire:      "GET / HTTP/1.1\r\nHost: example.amazonaws.com\r\nX-Amz-Date: 20150830T123600Z\r\n",
			signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
		},
		{
			name:      "get-vanilla-query-order-key-case",
			wire:      "GET /?Param2=value2&Param1=value1 HTTP/1.1\r\nHost: example.amazonaws.com\r\nX-Amz-Date: 20150830T123600Z\r\n",
			signature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
		},
		{
			name:      "get-vanilla-empty-query-key",
			wire:      "GET /?Param1=value1 HTTP/1.1\r\nHost: example.amazonaws.com\r\nX-Amz-Date: 20150830T123600Z\r\n",
			signature: "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb",
		},
	}
	v := &Verifier{
		Credentials: testKeys,
		Services:    []string{"service"},
		Now:         func() time.Time { return time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC) },
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wire := tt.wire + "Authorization: AWS4-HMAC-SHA256 Credential=" + scope +
				", SignedHeaders=host;x-amz-date, Signature=" + tt.signature + "\r\n\r\n"
			r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(wire)))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := v.Verify(r, nil); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestUnverifiedRegion(t *testing.T) {
	served := &Verifier{Regions: []string{"us-east-1", "eu-west-3"}}
	tests := []struct {
		authorization string
		verifier      *Verifier
		want          string
	}{
		{"AWS4-HMAC-SHA256 Credential=AKID/20261122/eu-west-3/cognito-idp/aws4_request, SignedHeaders=host, Signature=x", served, "eu-west-3"},
		{"AWS4-HMAC-SHA256 Credential=AKID/20261122/eu-west-3/cognito-idp/aws4_request, SignedHeaders=host, Signature=x", testVerifier(), "eu-west-3"},
		{"AWS4-HMAC-SHA256 Credential=AKID/20261122/us-gov-west-1/cognito-idp/aws4_request/", testVerifier(), "us-gov-west-1"},
		{"AWS4-HMAC-SHA256 Credential=AKID/20261122/us-gov-west-1/cognito-idp/aws4_request/", served, ""},
		{"AWS4-HMAC-SHA256 Credential=AKID/20261122/bogus/cognito-idp/aws4_request", served, ""},
		{"AWS4-HMAC-SHA256 Credential=AKID/20261122/cognito-idp/aws4_request", testVerifier(), ""},
		{"AWS4-HMAC-SHA256 Credential=AKID/20261122/../cognito-idp/aws4_request", testVerifier(), ""},
		{"AWS4-HMAC-SHA256 Credential=AKID/20261122/US-EAST-1/cognito-idp/aws4_request", testVerifier(), ""},
		{"AWS4-HMAC-SHA256 Credential= AKID/20261122/us-east-1/cognito-idp/aws4_request", testVerifier(), ""},
		{"Bearer token", testVerifier(), ""},
		{"", testVerifier(), ""},
	}
	for _, tt := range tests {
		r, _ := http.NewRequest(http.MethodPost, "http://localhost/", nil)
		if tt.authorization != "" {
			r.Header.Set("Authorization", tt.authorization)
		}
		if got := tt.verifier.UnverifiedRegion(r); got != tt.want {
			t.Errorf("UnverifiedRegion(%q) with regions %q = %q, want %q", tt.authorization, tt.verifier.Regions, got, tt.want)
		}
	}
}

func TestVerifyCredentialsFailure(t *testing.T) {
	r, body := signedRequest(t, defaultSigning())
	v := testVerifier()
	v.Credentials = failingCredentials{}
	_, err := v.Verify(r, body)
	if e, ok := err.(*Error); !ok || e.Kind != Internal || !strings.Contains(e.Error(), "database is down") {
		t.Fatalf("Verify = %v, want an Internal error with its cause", err)
	}
	v.Credentials = nil
	if _, err := v.Verify(r, body); err.(*Error).Kind != Internal {
		t.Fatalf("Verify without Credentials = %v, want an Internal error", err)
	}
}

type failingCredentials struct{}

func (failingCredentials) SecretKey(context.Context, string, string) (string, error) {
	return "", fmt.Errorf("database is down")
}

// TestMismatchCauseRedactsToken checks that the logged explanation of a
// mismatch carries the canonical request but not the session token.
func TestMismatchCauseRedactsToken(t *testing.T) {
	s := defaultSigning()
	s.key, s.secret, s.token = tempKey, "wrong", tempToken
	r, body := signedRequest(t, s)
	_, err := testVerifier().Verify(r, body)
	e, ok := err.(*Error)
	if !ok || e.Cause == nil {
		t.Fatalf("Verify = %v, want a mismatch with a cause", err)
	}
	cause := e.Cause.Error()
	if strings.Contains(cause, tempToken) || !strings.Contains(cause, "x-amz-security-token:<redacted>") {
		t.Errorf("cause does not redact the token:\n%s", cause)
	}
	if !strings.Contains(cause, "x-amz-target:AWSCognitoIdentityProviderService.ListUserPools") {
		t.Errorf("cause lacks the canonical request:\n%s", cause)
	}
}
