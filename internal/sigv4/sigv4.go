// Package sigv4 verifies AWS Signature Version 4 on incoming requests.
//
// Cognito's privileged operations (Admin*, pool and client management) must
// be signed by an administrator key, the way the aws CLI, boto3 and the AWS
// SDKs sign: an Authorization header
//
//	AWS4-HMAC-SHA256 Credential=AKID/20261122/us-east-1/cognito-idp/aws4_request, SignedHeaders=…, Signature=…
//
// with X-Amz-Date (or Date), and X-Amz-Security-Token for temporary
// credentials. A Verifier rebuilds the canonical request, derives the signing
// key from the secret its Credentials return, and compares signatures in
// constant time. Every rejection is an *Error whose Kind the wire layer
// names in its protocol's words (InvalidSignatureException for AWS JSON) and
// whose message and check order are those of AWS's front door, so clients
// see what they would see from AWS. The package knows no protocol, so every
// AWS-style service can share it.
//
// Presigned URLs (X-Amz-Signature in the query) are not accepted: no Cognito
// client sends them.
package sigv4

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Credentials looks up the secrets of administrator keys.
type Credentials interface {
	// SecretKey returns the secret for an access key id (and session token,
	// "" when absent); an error wrapping ErrUnknownKey when the key (or
	// token) is not known.
	SecretKey(ctx context.Context, accessKeyID, sessionToken string) (string, error)
}

// ErrUnknownKey is wrapped by Credentials errors for keys and tokens that do
// not exist; clients are told their security token is invalid.
var ErrUnknownKey = errors.New("sigv4: unknown access key or session token")

// DefaultMaxSkew is how far a request's date may be from the server's clock,
// either way, as AWS allows.
const DefaultMaxSkew = 15 * time.Minute

const (
	algorithm  = "AWS4-HMAC-SHA256"
	timeFormat = "20060102T150405Z"
	terminator = "aws4_request"
)

// Verifier checks signed requests. Its fields are read-only once in use.
type Verifier struct {
	Credentials Credentials
	// Services are the service names accepted in the credential scope, for
	// example "cognito-idp"; the first is named in the rejection of others.
	// Empty accepts any.
	Services []string
	// Regions are the regions accepted in the credential scope. Empty
	// accepts any well-formed region name.
	Regions []string
	// SignedHeaders are headers, in lower case, that must be among the
	// SignedHeaders whenever the request carries them. An AWS JSON service
	// names x-amz-target and content-type: the operation is in a header,
	// so a signature that does not cover it could be replayed, body and
	// all, to run another operation.
	SignedHeaders []string
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// MaxSkew is the allowed clock difference; 0 means DefaultMaxSkew.
	MaxSkew time.Duration
}

// Result is the verified identity of a request's signer and the region and
// service it signed for.
type Result struct {
	AccessKeyID, Region, Service, SessionToken string
}

// Verify checks r (whose body has already been read into body) and returns
// the signer's identity and the region/service from the credential scope.
// Errors are *Error with AWS's messages, raised in the order AWS checks: the header's presence and shape, the date, the host, the
// algorithm, the credential scope, the key, then the signature.
func (v *Verifier) Verify(r *http.Request, body []byte) (Result, error) {
	header := r.Header.Get("Authorization")
	auth, aerr := parseAuthorization(header)
	if aerr != nil {
		return Result{}, aerr
	}
	stamp := firstNonEmpty(r.Header.Get("X-Amz-Date"), r.Header.Get("Date"))
	if missing := auth.missing(stamp != ""); missing != "" {
		return Result{}, incomplete("%sAuthorization=%s", missing, header)
	}
	signedAt, err := time.Parse(timeFormat, stamp)
	if err != nil || !basicFormat(stamp) {
		return Result{}, badDate(stamp)
	}
	if err := v.checkClock(signedAt); err != nil {
		return Result{}, err
	}
	if !auth.signsHost() {
		return Result{}, invalid(msgHostNotSigned)
	}
	for _, name := range v.SignedHeaders {
		if len(r.Header.Values(name)) > 0 && !auth.signs(name) {
			return Result{}, notSigned(name)
		}
	}
	if auth.algorithm != algorithm {
		return Result{}, unsupportedAlgorithm(auth.algorithm)
	}
	sc, aerr := parseCredential(auth.credential)
	if aerr != nil {
		return Result{}, aerr
	}
	if msg := v.scopeProblems(sc, stamp); msg != "" {
		return Result{}, invalid(msg)
	}

	token := r.Header.Get("X-Amz-Security-Token")
	secret, err := v.secret(r.Context(), sc.accessKeyID, token)
	if err != nil {
		return Result{}, err
	}
	if err := verifySignature(r, body, auth, sc, stamp, secret); err != nil {
		return Result{}, err
	}
	return Result{AccessKeyID: sc.accessKeyID, Region: sc.region, Service: sc.service, SessionToken: token}, nil
}

// UnverifiedRegion returns the region of an Authorization header's
// credential scope without verifying anything, for operations that are not
// signed; "" when there is none or when it is not a region v accepts, so
// that a caller cannot name a region Cognate does not serve.
func (v *Verifier) UnverifiedRegion(r *http.Request) string {
	auth, err := parseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		return ""
	}
	sc, err := parseCredential(auth.credential)
	if err != nil || !v.acceptsRegion(sc.region) {
		return ""
	}
	return sc.region
}

func (v *Verifier) checkClock(signedAt time.Time) error {
	now := time.Now()
	if v.Now != nil {
		now = v.Now()
	}
	now = now.UTC()
	skew := v.MaxSkew
	if skew <= 0 {
		skew = DefaultMaxSkew
	}
	if earliest := now.Add(-skew); signedAt.Before(earliest) {
		return expired(signedAt, earliest, now, skew)
	}
	if latest := now.Add(skew); signedAt.After(latest) {
		return notYetCurrent(signedAt, latest, now, skew)
	}
	return nil
}

// scopeProblems lists everything wrong with the credential scope in one
// message, as AWS does; "" when nothing is.
func (v *Verifier) scopeProblems(sc scope, stamp string) string {
	regionOK := v.acceptsRegion(sc.region)
	serviceOK := len(v.Services) == 0 || slices.Contains(v.Services, sc.service)
	if regionOK && serviceOK && sc.terminator == terminator && sc.date == stamp[:8] {
		return ""
	}
	var b strings.Builder
	if !regionOK {
		fmt.Fprintf(&b, "Credential should be scoped to a valid region, not '%s'. ", sc.region)
	}
	if !serviceOK {
		fmt.Fprintf(&b, "Credential should be scoped to correct service: '%s'. ", v.Services[0])
	}
	if sc.terminator != terminator {
		fmt.Fprintf(&b, "Credential should be scoped with a valid terminator: '%s', not '%s'. ", terminator, sc.terminator)
	}
	if day := stamp[:8]; sc.date != day {
		fmt.Fprintf(&b, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.",
			sc.date, day, stamp)
	}
	return b.String()
}

func (v *Verifier) acceptsRegion(region string) bool {
	if len(v.Regions) > 0 {
		return slices.Contains(v.Regions, region)
	}
	return wellFormedRegion(region)
}

// wellFormedRegion accepts names like "us-east-1" or "eu-central-2": lower
// case letters, digits and inner hyphens.
func wellFormedRegion(region string) bool {
	if region == "" || len(region) > 32 || region[0] == '-' || region[len(region)-1] == '-' {
		return false
	}
	for i := 0; i < len(region); i++ {
		c := region[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// basicFormat reports whether stamp is exactly YYYYMMDD'T'HHMMSS'Z';
// time.Parse alone lets a one-digit hour through.
func basicFormat(stamp string) bool {
	if len(stamp) != len(timeFormat) || stamp[8] != 'T' || stamp[15] != 'Z' {
		return false
	}
	for i := 0; i < 15; i++ {
		if i != 8 && (stamp[i] < '0' || stamp[i] > '9') {
			return false
		}
	}
	return true
}

func (v *Verifier) secret(ctx context.Context, accessKeyID, token string) (string, error) {
	if v.Credentials == nil {
		return "", internal(errors.New("sigv4: Verifier has no Credentials"))
	}
	secret, err := v.Credentials.SecretKey(ctx, accessKeyID, token)
	switch {
	case errors.Is(err, ErrUnknownKey):
		return "", unknownKey(err)
	case err != nil:
		return "", internal(fmt.Errorf("sigv4: looking up access key %q: %w", accessKeyID, err))
	}
	return secret, nil
}

var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// verifySignature recomputes the signature over the canonical request and
// compares it with the one sent. The payload hash is always the hash of the
// body: like AWS's services other than S3, Cognate does not honour
// UNSIGNED-PAYLOAD, and an X-Amz-Content-Sha256 that differs from the body
// is a mismatch even when the signature itself verifies.
func verifySignature(r *http.Request, body []byte, auth authorization, sc scope, stamp, secret string) error {
	bodySum := sha256.Sum256(body)
	var payloadHash [2 * sha256.Size]byte
	hex.Encode(payloadHash[:], bodySum[:])

	buf := buffers.Get().(*bytes.Buffer)
	defer buffers.Put(buf)
	buf.Reset()
	if err := canonicalRequest(buf, r, auth.signedHeaders, string(payloadHash[:]), false); err != nil {
		return mismatch(err)
	}
	requestSum := sha256.Sum256(buf.Bytes())

	buf.Reset()
	writeStringToSign(buf, stamp, sc, requestSum[:])

	key := signingKey(secret, sc.date, sc.region, sc.service)
	want := hmacSHA256(key[:], buf.Bytes())
	var got [sha256.Size]byte
	if len(auth.signature) != hex.EncodedLen(len(got)) {
		return mismatch(explain(r, auth, string(payloadHash[:]), buf.String()))
	}
	_, decodeErr := hex.Decode(got[:], []byte(auth.signature))
	if subtle.ConstantTimeCompare(want[:], got[:]) != 1 || decodeErr != nil {
		return mismatch(explain(r, auth, string(payloadHash[:]), buf.String()))
	}
	if sent := r.Header.Values("X-Amz-Content-Sha256"); len(sent) > 0 &&
		!strings.EqualFold(sent[0], string(payloadHash[:])) {
		return mismatch(fmt.Errorf("X-Amz-Content-Sha256 %q is not the body's hash %s", sent[0], payloadHash[:]))
	}
	return nil
}

// writeStringToSign writes algorithm, time, scope and the canonical request's
// hash, one per line.
func writeStringToSign(buf *bytes.Buffer, stamp string, sc scope, requestSum []byte) {
	buf.WriteString(algorithm)
	buf.WriteByte('\n')
	buf.WriteString(stamp)
	buf.WriteByte('\n')
	for _, part := range [...]string{sc.date, "/", sc.region, "/", sc.service, "/", sc.terminator, "\n"} {
		buf.WriteString(part)
	}
	var requestHex [2 * sha256.Size]byte
	hex.Encode(requestHex[:], requestSum)
	buf.Write(requestHex[:])
}

// explain describes a mismatch for the log: the canonical request and string
// to sign Cognate computed, session token redacted, for comparison with the
// client's. It runs only on failure.
func explain(r *http.Request, auth authorization, payloadHash, stringToSign string) error {
	var buf bytes.Buffer
	if err := canonicalRequest(&buf, r, auth.signedHeaders, payloadHash, true); err != nil {
		return err
	}
	return fmt.Errorf("signature mismatch; canonical request:\n%s\nstring to sign:\n%s", buf.String(), stringToSign)
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
