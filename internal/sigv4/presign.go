package sigv4

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// MaxPresignedExpiry is the longest X-Amz-Expires AWS accepts: seven days.
const MaxPresignedExpiry = 7 * 24 * time.Hour

// Presigned reports whether r carries its signature in the query string
// (a presigned URL) rather than in an Authorization header.
func Presigned(r *http.Request) bool {
	return r.Header.Get("Authorization") == "" && r.URL.Query().Has("X-Amz-Signature")
}

// VerifyPresigned checks a presigned request: X-Amz-Algorithm,
// X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders and
// X-Amz-Signature (with X-Amz-Security-Token for temporary credentials) in
// the query. The payload is UNSIGNED-PAYLOAD unless an
// X-Amz-Content-Sha256 header names its hash. A URL is refused once its
// expiry has passed, as well as before its date (beyond the allowed skew).
func (v *Verifier) VerifyPresigned(r *http.Request) (Result, error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return Result{}, incomplete("The query string could not be parsed.")
	}
	get := func(name string) string {
		if vs := q[name]; len(vs) == 1 {
			return vs[0]
		}
		return ""
	}
	auth := authorization{algorithm: get("X-Amz-Algorithm"), credential: get("X-Amz-Credential"),
		signedHeaders: get("X-Amz-SignedHeaders"), signature: get("X-Amz-Signature"), hasSignedHeaders: q.Has("X-Amz-SignedHeaders")}
	stamp, expiresText := get("X-Amz-Date"), get("X-Amz-Expires")
	var missing []string
	for _, p := range []struct{ name, value string }{{"X-Amz-Algorithm", auth.algorithm}, {"X-Amz-Credential", auth.credential},
		{"X-Amz-Signature", auth.signature}, {"X-Amz-SignedHeaders", auth.signedHeaders}, {"X-Amz-Date", stamp}, {"X-Amz-Expires", expiresText}} {
		if p.value == "" {
			missing = append(missing, p.name)
		}
	}
	if len(missing) > 0 {
		return Result{}, incomplete("AWS query-string parameters must include %s. Re-examine the query-string parameters.",
			strings.Join(missing, ", "))
	}
	signedAt, err := time.Parse(timeFormat, stamp)
	if err != nil || !basicFormat(stamp) {
		return Result{}, badDate(stamp)
	}
	seconds, err := strconv.Atoi(expiresText)
	if err != nil || seconds < 1 || time.Duration(seconds)*time.Second > MaxPresignedExpiry {
		return Result{}, invalid("X-Amz-Expires must be between 1 and 604800 seconds.")
	}
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	if !now().Before(signedAt.Add(time.Duration(seconds) * time.Second)) {
		return Result{}, invalid("Request has expired")
	}
	if v.MaxSkew > 0 && signedAt.After(now().Add(v.MaxSkew)) || v.MaxSkew <= 0 && signedAt.After(now().Add(DefaultMaxSkew)) {
		return Result{}, invalid("Request is not yet valid")
	}
	if !auth.signsHost() {
		return Result{}, invalid(msgHostNotSigned)
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
	token := get("X-Amz-Security-Token")
	secret, err := v.secret(r.Context(), sc.accessKeyID, token)
	if err != nil {
		return Result{}, err
	}

	payloadHash := "UNSIGNED-PAYLOAD"
	if h := r.Header.Get("X-Amz-Content-Sha256"); h != "" {
		payloadHash = h
	}
	// The canonical query is every parameter but the signature.
	unsigned := *r
	u := *r.URL
	u.RawQuery = withoutParam(r.URL.RawQuery, "X-Amz-Signature")
	unsigned.URL = &u
	buf := buffers.Get().(*bytes.Buffer)
	defer buffers.Put(buf)
	buf.Reset()
	if err := canonicalRequest(buf, &unsigned, auth.signedHeaders, payloadHash, false); err != nil {
		return Result{}, mismatch(err)
	}
	requestSum := sha256.Sum256(buf.Bytes())
	buf.Reset()
	writeStringToSign(buf, stamp, sc, requestSum[:])
	key := signingKey(secret, sc.date, sc.region, sc.service)
	want := hmacSHA256(key[:], buf.Bytes())
	var got [sha256.Size]byte
	if len(auth.signature) != hex.EncodedLen(len(got)) {
		return Result{}, mismatch(nil)
	}
	_, decodeErr := hex.Decode(got[:], []byte(auth.signature))
	if subtle.ConstantTimeCompare(want[:], got[:]) != 1 || decodeErr != nil {
		return Result{}, mismatch(nil)
	}
	return Result{AccessKeyID: sc.accessKeyID, Region: sc.region, Service: sc.service, SessionToken: token}, nil
}

// withoutParam returns rawQuery without the parameters named name.
func withoutParam(rawQuery, name string) string {
	var b strings.Builder
	for part := range strings.SplitSeq(rawQuery, "&") {
		k, _, _ := strings.Cut(part, "=")
		if key, err := url.QueryUnescape(k); err == nil && key == name {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(part)
	}
	return b.String()
}
