package sigv4

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
)

var authorizationSeeds = []string{
	"",
	"AWS4-HMAC-SHA256",
	"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261122/us-east-1/cognito-idp/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
	"AWS4-HMAC-SHA256 Credential= AKID/20261122/us-east-1/cognito-idp/aws4_request,SignedHeaders=host,Signature=x",
	"AWS4-HMAC-SHA256 Signature=b,    Credential,    SignedHeaders",
	"AWS4-HMAC-SHA256Credential=a/b/c/d/e,,,\t Signature==",
	"AWS4-X Credential=a/b/c/d/e/// SignedHeaders=;;; Signature=",
	"Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln",
	"AWS AKID:sig",
	"  AWS4-HMAC-SHA256   Credential=k/d/r/s/t\t,SignedHeaders=Host,Signature=0 ",
}

// FuzzParseAuthorization checks that any header parses or fails with one of
// AWS's errors, and that what parses survives being written out again.
func FuzzParseAuthorization(f *testing.F) {
	for _, s := range authorizationSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		a, err := parseAuthorization(header)
		if err != nil {
			if err.Kind != MissingToken && err.Kind != Incomplete {
				t.Fatalf("parseAuthorization(%q) error kind %s", header, err.Kind)
			}
			return
		}
		if !strings.HasPrefix(a.algorithm, "AWS4-") {
			t.Fatalf("algorithm %q of %q", a.algorithm, header)
		}
		for _, v := range []string{a.algorithm, a.credential, a.signedHeaders, a.signature} {
			if strings.ContainsAny(v, " \t,") {
				t.Fatalf("parsed value %q of %q holds a separator", v, header)
			}
		}
		again, err := parseAuthorization(rewrite(a))
		if err != nil || again != a {
			t.Fatalf("round trip of %q: %+v, %v; want %+v", header, again, err, a)
		}
		_ = a.missing(true)
		_ = a.signsHost()
		if sc, err := parseCredential(a.credential); err == nil {
			if got := sc.accessKeyID + "/" + sc.String(); got != strings.TrimRight(a.credential, "/") {
				t.Fatalf("credential %q splits into %q", a.credential, got)
			}
		} else if err.Kind != Incomplete {
			t.Fatalf("parseCredential(%q) error kind %s", a.credential, err.Kind)
		}
		r, _ := http.NewRequest(http.MethodPost, "http://localhost/", nil)
		r.Header.Set("Authorization", header)
		if region := (&Verifier{}).UnverifiedRegion(r); region != "" && !wellFormedRegion(region) {
			t.Fatalf("UnverifiedRegion(%q) = %q", header, region)
		}
	})
}

func rewrite(a authorization) string {
	var b strings.Builder
	b.WriteString(a.algorithm)
	if a.credential != "" {
		b.WriteString(" Credential=" + a.credential)
	}
	if a.hasSignedHeaders {
		b.WriteString(", SignedHeaders=" + a.signedHeaders)
	}
	if a.signature != "" {
		b.WriteString(",Signature=" + a.signature)
	}
	return b.String()
}

// FuzzCanonicalQuery checks that the canonical query string is made only of
// encoded pairs and is its own canonical form.
func FuzzCanonicalQuery(f *testing.F) {
	for _, s := range []string{"", "b=2&a=1", "a=+b&a=%20", "k", "%7E=~&x=%2f", "a=%zz", "&&=&", "é=€"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		var once bytes.Buffer
		if err := writeCanonicalQuery(&once, raw); err != nil {
			return
		}
		for _, c := range once.Bytes() {
			if !unreserved(c) && c != '%' && c != '=' && c != '&' {
				t.Fatalf("canonical query of %q = %q holds %q", raw, once.String(), c)
			}
		}
		var twice bytes.Buffer
		if err := writeCanonicalQuery(&twice, once.String()); err != nil || twice.String() != once.String() {
			t.Fatalf("canonical query of %q = %q, canonicalized again %q, %v", raw, once.String(), twice.String(), err)
		}
	})
}

// FuzzVerify feeds arbitrary headers and bodies through Verify: it must
// never panic and must only ever answer with an *Error of a known kind.
func FuzzVerify(f *testing.F) {
	for _, s := range authorizationSeeds {
		f.Add(s, "20261122T102510Z", "", testBody)
	}
	f.Add(authorizationSeeds[2], "20261122T102510Z", "UNSIGNED-PAYLOAD", "")
	f.Add(authorizationSeeds[2], "Sun, 22 Nov 2026 10:25:10 GMT", "", "{}")
	v := testVerifier()
	f.Fuzz(func(t *testing.T, authorization, amzDate, contentSHA, body string) {
		r, err := http.NewRequest(http.MethodPost, "http://"+testHost+"/?x=1", strings.NewReader(body))
		if err != nil {
			t.Skip()
		}
		r.Header["Authorization"] = []string{authorization}
		r.Header["X-Amz-Date"] = []string{amzDate}
		if contentSHA != "" {
			r.Header["X-Amz-Content-Sha256"] = []string{contentSHA}
		}
		_, err = v.Verify(r, []byte(body))
		if e, ok := err.(*Error); err != nil && (!ok || e.Kind < MissingToken || e.Kind > Internal) {
			t.Fatalf("Verify error %T %v", err, err)
		}
	})
}
