package proxy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/cognate-auth/cognate/authz"
	"github.com/cognate-auth/cognate/authz/policy"
	"github.com/cognate-auth/cognate/internal/sessiontoken"
)

const (
	roleARN  = "arn:aws:iam::000000000000:role/app-auth"
	identity = "us-east-1:11111111-2222-4333-8444-555555555555"
	routes   = `# the photo service
GET  /photos/{owner}/{name}  photos:GetPhoto  arn:aws:photos:::photo/{owner}/{name}
PUT  /photos/{owner}/{name}  photos:PutPhoto  arn:aws:photos:::photo/{owner}/{name}
`
	rolePolicy = `{"Version":"2012-10-17","Statement":[
	{"Effect":"Allow","Action":"photos:GetPhoto","Resource":"arn:aws:photos:::photo/*"},
	{"Effect":"Allow","Action":"photos:PutPhoto","Resource":"arn:aws:photos:::photo/${cognito-identity.amazonaws.com:sub}/*"}]}`
)

type setup struct {
	proxy, upstream *httptest.Server
	creds, expiring sessiontoken.Credentials
	seen            chan http.Header
}

func newSetup(t testing.TB) *setup {
	t.Helper()
	minter, err := sessiontoken.NewMinter(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	p, err := policy.Parse(rolePolicy, policy.Identity)
	if err != nil {
		t.Fatal(err)
	}
	checker, err := authz.New(authz.Config{VerifierKey: minter.Key(), Policies: authz.StaticPolicies{roleARN: {p}}, Service: "photos"})
	if err != nil {
		t.Fatal(err)
	}
	s := &setup{seen: make(chan http.Header, 1)}
	s.upstream = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case s.seen <- r.Header.Clone():
		default:
		}
		body, _ := io.ReadAll(r.Body)
		_ = json.NewEncoder(w).Encode(map[string]string{"path": r.URL.Path, "body": string(body), "query": r.URL.RawQuery})
	}))
	t.Cleanup(s.upstream.Close)
	rs, err := ParseRoutes(strings.NewReader(routes))
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(s.upstream.URL)
	h, err := New(Config{Upstream: u, Routes: rs, Checker: checker})
	if err != nil {
		t.Fatal(err)
	}
	s.proxy = httptest.NewServer(h)
	t.Cleanup(s.proxy.Close)
	mint := func(d time.Duration) sessiontoken.Credentials {
		c, err := minter.Mint(sessiontoken.Session{AccountID: "000000000000", RoleARN: roleARN, RoleID: "AROAEXAMPLEEXAMPLE01",
			SessionName: "CognitoIdentityCredentials", Keys: map[string][]string{"cognito-identity.amazonaws.com:sub": {identity}},
			Issued: time.Now().Add(-time.Minute), Expires: time.Now().Add(d)})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	s.creds, s.expiring = mint(time.Hour), mint(time.Second)
	return s
}

// send signs a request with aws-sdk-go-v2's signer and sends it through
// the proxy; tamper may change it after signing.
func (s *setup) send(t testing.TB, c sessiontoken.Credentials, method, path, body string, tamper func(*http.Request)) (int, string) {
	t.Helper()
	r, err := http.NewRequest(method, s.proxy.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(body))
	r.Header.Set("X-Cognate-Identity-Id", "us-east-1:forged") // a client may not name itself
	err = v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey,
		SessionToken: c.SessionToken}, r, hex.EncodeToString(sum[:]), "photos", "us-east-1", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if tamper != nil {
		tamper(r)
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

func TestProxy(t *testing.T) {
	s := newSetup(t)
	own := "/photos/" + identity + "/cat.jpg"

	status, body := s.send(t, s.creds, "PUT", own, "meow", nil)
	if status != 200 || !strings.Contains(body, `"body":"meow"`) {
		t.Fatalf("allowed PUT: %d %s", status, body)
	}
	h := <-s.seen
	if h.Get(HeaderIdentityID) != identity || h.Get(HeaderRoleARN) != roleARN || h.Get("Authorization") != "" ||
		h.Get("X-Amz-Security-Token") != "" || h.Get(HeaderPrincipalARN) != "arn:aws:sts::000000000000:assumed-role/app-auth/CognitoIdentityCredentials" {
		t.Fatalf("upstream saw headers %v", h)
	}

	for _, c := range []struct {
		name, method, path, body string
		creds                    sessiontoken.Credentials
		tamper                   func(*http.Request)
		status                   int
		code                     string
	}{
		{"someone else's folder", "PUT", "/photos/us-east-1:other/cat.jpg", "x", s.creds, nil, 403, "AccessDenied"},
		{"no route", "DELETE", own, "", s.creds, nil, 403, "AccessDenied"},
		{"tampered body", "PUT", own, "meow", s.creds, func(r *http.Request) {
			r.Body = io.NopCloser(strings.NewReader("woof"))
			r.Header.Del("X-Amz-Content-Sha256")
		}, 403, "SignatureDoesNotMatch"},
		{"tampered path", "GET", own, "", s.creds, func(r *http.Request) { r.URL.Path = "/photos/" + identity + "/dog.jpg" }, 403, "SignatureDoesNotMatch"},
		{"forged token", "GET", own, "", s.creds, func(r *http.Request) {
			r.Header.Set("X-Amz-Security-Token", s.creds.SessionToken[:len(s.creds.SessionToken)-4]+"AAAA")
		}, 403, "InvalidClientTokenId"},
		{"unsigned", "GET", own, "", s.creds, func(r *http.Request) { r.Header.Del("Authorization") }, 403, "MissingAuthenticationToken"},
	} {
		status, body := s.send(t, c.creds, c.method, c.path, c.body, c.tamper)
		if status != c.status || !strings.Contains(body, "<Code>"+c.code+"</Code>") {
			t.Errorf("%s: %d %s, want %d %s", c.name, status, body, c.status, c.code)
		}
	}

	time.Sleep(1100 * time.Millisecond) // the short credentials expire
	status, body = s.send(t, s.expiring, "GET", own, "", nil)
	if status != 403 || !strings.Contains(body, "<Code>ExpiredToken</Code>") {
		t.Fatalf("expired credentials: %d %s", status, body)
	}
}

func TestParseRoutes(t *testing.T) {
	for _, bad := range []string{"", "# only a comment\n", "GET /x photos:Get", "get /x photos:Get arn", "GET x photos:Get arn", "GET /x photos arn"} {
		if _, err := ParseRoutes(strings.NewReader(bad)); err == nil {
			t.Errorf("ParseRoutes(%q) succeeded", bad)
		}
	}
}

// BenchmarkProxy is one allowed request through the proxy; BenchmarkDirect
// the same request straight to the upstream. Their difference is what the
// proxy adds.
func BenchmarkProxy(b *testing.B) {
	s := newSetup(b)
	for b.Loop() {
		if status, body := s.send(b, s.creds, "GET", "/photos/"+identity+"/cat.jpg", "", nil); status != 200 {
			b.Fatal(status, body)
		}
	}
}

func BenchmarkDirect(b *testing.B) {
	s := newSetup(b)
	for b.Loop() {
		resp, err := http.Get(s.upstream.URL + "/photos/x/cat.jpg")
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// BenchmarkProxyLatency alternates one allowed request through the proxy
// with the same request straight to the upstream, signing outside the
// timed part, and reports both latencies' median and 99th percentile and
// what the proxy adds to each (added-p50-µs, added-p99-µs).
func BenchmarkProxyLatency(b *testing.B) {
	s := newSetup(b)
	creds := aws.Credentials{AccessKeyID: s.creds.AccessKeyID, SecretAccessKey: s.creds.SecretAccessKey, SessionToken: s.creds.SessionToken}
	empty := sha256.Sum256(nil)
	roundTrip := func(r *http.Request) time.Duration {
		start := time.Now()
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatal(resp.Status)
		}
		return time.Since(start)
	}
	var viaProxy, direct []time.Duration
	for b.Loop() {
		r, _ := http.NewRequest("GET", s.proxy.URL+"/photos/"+identity+"/cat.jpg", nil)
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, hex.EncodeToString(empty[:]), "photos", "us-east-1", time.Now()); err != nil {
			b.Fatal(err)
		}
		viaProxy = append(viaProxy, roundTrip(r))
		r, _ = http.NewRequest("GET", s.upstream.URL+"/photos/"+identity+"/cat.jpg", nil)
		direct = append(direct, roundTrip(r))
	}
	pct := func(d []time.Duration, p float64) float64 {
		slices.Sort(d)
		return float64(d[int(p*float64(len(d)-1))].Microseconds())
	}
	b.ReportMetric(pct(viaProxy, 0.50), "proxy-p50-µs")
	b.ReportMetric(pct(viaProxy, 0.99), "proxy-p99-µs")
	b.ReportMetric(pct(direct, 0.50), "direct-p50-µs")
	b.ReportMetric(pct(direct, 0.99), "direct-p99-µs")
	b.ReportMetric(pct(viaProxy, 0.50)-pct(direct, 0.50), "added-p50-µs")
	b.ReportMetric(pct(viaProxy, 0.99)-pct(direct, 0.99), "added-p99-µs")
}
