package sigv4

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// presign returns a request for a URL presigned by aws-sdk-go-v2's signer.
func presign(t testing.TB, key, secret, token, service string, at time.Time, expires time.Duration) *http.Request {
	t.Helper()
	r, err := http.NewRequest("GET", "http://127.0.0.1:9229/photos/cat.jpg?size=large&X-Amz-Expires="+
		strconv.Itoa(int(expires/time.Second)), nil)
	if err != nil {
		t.Fatal(err)
	}
	signed, _, err := v4.NewSigner().PresignHTTP(context.Background(),
		aws.Credentials{AccessKeyID: key, SecretAccessKey: secret, SessionToken: token}, r, "UNSIGNED-PAYLOAD", service, "us-east-1", at)
	if err != nil {
		t.Fatal(err)
	}
	out, err := http.NewRequest("GET", signed, nil)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestVerifyPresigned(t *testing.T) {
	v := testVerifier()
	ok := presign(t, tempKey, tempSecret, tempToken, testService, testNow.Add(-time.Minute), 5*time.Minute)
	if !Presigned(ok) {
		t.Fatal("Presigned = false for a presigned URL")
	}
	res, err := v.VerifyPresigned(ok)
	if err != nil || res.AccessKeyID != tempKey || res.SessionToken != tempToken || res.Region != "us-east-1" {
		t.Fatalf("VerifyPresigned = %+v, %v", res, err)
	}
	for _, c := range []struct {
		name string
		req  func() *http.Request
		kind Kind
	}{
		{"expired", func() *http.Request {
			return presign(t, tempKey, tempSecret, tempToken, testService, testNow.Add(-10*time.Minute), 5*time.Minute)
		}, Invalid},
		{"wrong secret", func() *http.Request {
			return presign(t, tempKey, "wrong", tempToken, testService, testNow, time.Minute)
		}, Invalid},
		{"unknown key", func() *http.Request {
			return presign(t, "AKIDNOPE", "x", "", testService, testNow, time.Minute)
		}, UnknownKey},
		{"wrong service", func() *http.Request {
			return presign(t, tempKey, tempSecret, tempToken, "s3", testNow, time.Minute)
		}, Invalid},
		{"tampered path", func() *http.Request {
			r := presign(t, tempKey, tempSecret, tempToken, testService, testNow, time.Minute)
			r.URL.Path = "/photos/dog.jpg"
			return r
		}, Invalid},
		{"tampered query", func() *http.Request {
			r := presign(t, tempKey, tempSecret, tempToken, testService, testNow, time.Minute)
			r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "size=large", "size=small", 1)
			return r
		}, Invalid},
		{"expiry too long", func() *http.Request {
			r := presign(t, tempKey, tempSecret, tempToken, testService, testNow, time.Minute)
			r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "X-Amz-Expires=60", "X-Amz-Expires=604801", 1)
			return r
		}, Invalid},
		{"no signature parts", func() *http.Request {
			r, _ := http.NewRequest("GET", "http://127.0.0.1/p?X-Amz-Signature=00", nil)
			return r
		}, Incomplete},
	} {
		_, err := v.VerifyPresigned(c.req())
		var e *Error
		if !errors.As(err, &e) || e.Kind != c.kind {
			t.Errorf("%s: error %v, want kind %v", c.name, err, c.kind)
		}
	}
}

func FuzzVerifyPresigned(f *testing.F) {
	f.Add("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20261122%2Fus-east-1%2Fcognito-idp%2Faws4_request&X-Amz-Date=20261122T104000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=00")
	f.Add("X-Amz-Signature=&&=%zz")
	v := testVerifier()
	f.Fuzz(func(t *testing.T, query string) {
		r, err := http.NewRequest("GET", "http://127.0.0.1/p", nil)
		if err != nil {
			t.Skip()
		}
		r.URL.RawQuery = query
		if _, err := v.VerifyPresigned(r); err == nil {
			t.Fatalf("VerifyPresigned accepted %q", query)
		}
	})
}
