package authz

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/cognate-auth/cognate/authz/policy"
	"github.com/cognate-auth/cognate/internal/sessiontoken"
)

const roleARN = "arn:aws:iam::000000000000:role/app-auth"

type fixture struct {
	minter  *sessiontoken.Minter
	checker *Checker
	now     time.Time
	creds   sessiontoken.Credentials
}

func newFixture(t testing.TB, statements ...string) *fixture {
	t.Helper()
	minter, err := sessiontoken.NewMinter(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	doc := `{"Version":"2012-10-17","Statement":[` + strings.Join(statements, ",") + `]}`
	p, err := policy.Parse(doc, policy.Identity)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{minter: minter, now: time.Now()}
	f.checker, err = New(Config{VerifierKey: minter.Key(), Policies: StaticPolicies{roleARN: {p}}, Service: "photos",
		Regions: []string{"us-east-1"}, Now: func() time.Time { return f.now }})
	if err != nil {
		t.Fatal(err)
	}
	f.creds = f.mint(t, f.now.Add(time.Hour))
	return f
}

func (f *fixture) mint(t testing.TB, expires time.Time) sessiontoken.Credentials {
	t.Helper()
	c, err := f.minter.Mint(sessiontoken.Session{AccountID: "000000000000", RoleARN: roleARN, RoleID: "AROAEXAMPLEEXAMPLE01",
		SessionName: "CognitoIdentityCredentials", Keys: map[string][]string{"cognito-identity.amazonaws.com:sub": {"us-east-1:me"}},
		PrincipalTags: map[string]string{"team": "blue"}, Issued: f.now.Add(-time.Minute), Expires: expires})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// request returns a request signed by aws-sdk-go-v2's signer.
func request(t testing.TB, c sessiontoken.Credentials, service, method, path, body string, at time.Time) *http.Request {
	t.Helper()
	r := httptest.NewRequest(method, "http://127.0.0.1:8080"+path, strings.NewReader(body))
	sum := sha256.Sum256([]byte(body))
	hash := hex.EncodeToString(sum[:])
	r.Header.Set("X-Amz-Content-Sha256", hash)
	creds := aws.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, hash, service, "us-east-1", at); err != nil {
		t.Fatal(err)
	}
	return r
}

const ownPhotos = `{"Effect":"Allow","Action":"photos:Get*","Resource":"arn:aws:photos:::photo/${cognito-identity.amazonaws.com:sub}/*"}`

func TestCheck(t *testing.T) {
	f := newFixture(t, ownPhotos,
		`{"Effect":"Allow","Action":"photos:Put*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"blue"}}}`,
		`{"Effect":"Deny","Action":"photos:GetSecret","Resource":"*"}`)
	mine := "arn:aws:photos:::photo/us-east-1:me/cat.jpg"
	for _, c := range []struct {
		name, action, resource string
		want                   policy.Decision
	}{
		{"own photo", "photos:GetPhoto", mine, policy.Allowed},
		{"someone else's photo", "photos:GetPhoto", "arn:aws:photos:::photo/us-east-1:other/cat.jpg", policy.ImplicitDeny},
		{"by principal tag", "photos:PutPhoto", mine, policy.Allowed},
		{"explicit deny", "photos:GetSecret", mine, policy.ExplicitDeny},
		{"other action", "photos:DeletePhoto", mine, policy.ImplicitDeny},
	} {
		r := request(t, f.creds, "photos", "POST", "/photos", `{"a":1}`, f.now)
		who, res, err := f.checker.Check(r, c.action, c.resource)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if res.Decision != c.want {
			t.Errorf("%s: decision %v, want %v", c.name, res.Decision, c.want)
		}
		if who.ARN != "arn:aws:sts::000000000000:assumed-role/app-auth/CognitoIdentityCredentials" || who.UserID != "AROAEXAMPLEEXAMPLE01:CognitoIdentityCredentials" {
			t.Fatalf("caller %+v", who)
		}
	}
}

func TestVerifyRefuses(t *testing.T) {
	f := newFixture(t, ownPhotos)
	expired := f.mint(t, f.now.Add(time.Minute))
	other, _ := sessiontoken.NewMinter(append(make([]byte, 31), 1))
	foreign, err := other.Mint(sessiontoken.Session{RoleARN: roleARN, RoleID: "AROAX", SessionName: "s", Issued: f.now, Expires: f.now.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, code string
		req        func() *http.Request
		later      time.Duration
	}{
		{"tampered body", "SignatureDoesNotMatch", func() *http.Request {
			r := request(t, f.creds, "photos", "POST", "/p", `{"a":1}`, f.now)
			r.Body = httptestBody(`{"a":2}`)
			r.Header.Del("X-Amz-Content-Sha256")
			return r
		}, 0},
		{"tampered path", "SignatureDoesNotMatch", func() *http.Request {
			r := request(t, f.creds, "photos", "GET", "/p/1", "", f.now)
			r.URL.Path = "/p/2"
			return r
		}, 0},
		{"wrong service", "SignatureDoesNotMatch", func() *http.Request { return request(t, f.creds, "s3", "GET", "/p", "", f.now) }, 0},
		{"expired credentials", "ExpiredToken", func() *http.Request { return request(t, expired, "photos", "GET", "/p", "", f.now.Add(2*time.Minute)) }, 2 * time.Minute},
		{"replayed after expiry", "SignatureDoesNotMatch", func() *http.Request { return request(t, f.creds, "photos", "GET", "/p", "", f.now) }, 30 * time.Minute},
		{"token of another deployment", "InvalidClientTokenId", func() *http.Request { return request(t, foreign, "photos", "GET", "/p", "", f.now) }, 0},
		{"forged token", "InvalidClientTokenId", func() *http.Request {
			forged := f.creds
			forged.SessionToken = forged.SessionToken[:len(forged.SessionToken)-8] + "AAAAAAAA"
			return request(t, forged, "photos", "GET", "/p", "", f.now)
		}, 0},
		{"long-term key", "InvalidClientTokenId", func() *http.Request {
			k := f.creds
			k.SessionToken = ""
			return request(t, k, "photos", "GET", "/p", "", f.now)
		}, 0},
		{"unsigned", "MissingAuthenticationToken", func() *http.Request { return httptest.NewRequest("GET", "/p", nil) }, 0},
	} {
		r := c.req()
		saved := f.now
		f.now = f.now.Add(c.later)
		_, err := f.checker.Verify(r)
		f.now = saved
		var e *Error
		if !errors.As(err, &e) || e.Code != c.code {
			t.Errorf("%s: error %v, want %s", c.name, err, c.code)
		}
	}
}

func TestPresigned(t *testing.T) {
	f := newFixture(t, ownPhotos)
	presigned := func(at time.Time, expires int) *http.Request {
		r := httptest.NewRequest("GET", "http://127.0.0.1:8080/photos/cat.jpg?X-Amz-Expires="+strconv.Itoa(expires), nil)
		creds := aws.Credentials{AccessKeyID: f.creds.AccessKeyID, SecretAccessKey: f.creds.SecretAccessKey, SessionToken: f.creds.SessionToken}
		u, _, err := v4.NewSigner().PresignHTTP(context.Background(), creds, r, "UNSIGNED-PAYLOAD", "photos", "us-east-1", at)
		if err != nil {
			t.Fatal(err)
		}
		return httptest.NewRequest("GET", u, nil)
	}
	_, res, err := f.checker.Check(presigned(f.now, 60), "photos:GetPhoto", "arn:aws:photos:::photo/us-east-1:me/cat.jpg")
	if err != nil || res.Decision != policy.Allowed {
		t.Fatalf("presigned: %v, %v", res.Decision, err)
	}
	_, err = f.checker.Verify(presigned(f.now.Add(-2*time.Minute), 60))
	var e *Error
	if !errors.As(err, &e) || e.Code != "SignatureDoesNotMatch" || !strings.Contains(e.Message, "expired") {
		t.Fatalf("expired presigned URL: %v", err)
	}
}

func httptestBody(s string) *readCloser { return &readCloser{strings.NewReader(s)} }

type readCloser struct{ *strings.Reader }

func (readCloser) Close() error { return nil }

func TestNewRefusesBadKeys(t *testing.T) {
	if _, err := New(Config{VerifierKey: "nope", Policies: StaticPolicies{}, Service: "x"}); err == nil {
		t.Fatal("New accepted a malformed verifier key")
	}
}

// BenchmarkCheck is a request's whole check: its signature, its session
// token (cached after the first), and a ten-statement policy.
func BenchmarkCheck(b *testing.B) {
	statements := []string{ownPhotos}
	for i := range 9 {
		statements = append(statements, `{"Effect":"Allow","Action":"other`+string(rune('a'+i))+`:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"red"}}}`)
	}
	f := newFixture(b, statements...)
	r := request(b, f.creds, "photos", "GET", "/photos/cat.jpg", "", f.now)
	b.ReportAllocs()
	for b.Loop() {
		_, res, err := f.checker.Check(r, "photos:GetPhoto", "arn:aws:photos:::photo/us-east-1:me/cat.jpg")
		if err != nil || res.Decision != policy.Allowed {
			b.Fatal(err, res.Decision)
		}
	}
}
