// Package integration drives a real Cognate server through real clients:
// aws-sdk-go-v2 in Go, and (in interop_test.go) the aws CLI and Amplify JS.
// Every test runs on the embedded SQLite store and on PostgreSQL.
package integration

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognate-auth/cognate/internal/config"
	"github.com/cognate-auth/cognate/internal/server"
	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/testutil/lambdatest"
	"github.com/cognate-auth/cognate/internal/testutil/pgtest"
)

func TestMain(m *testing.M) {
	if lambdatest.IsRuntime() {
		// Started by the Lambda Runtime Interface Emulator: this binary
		// is the trigger function (lambda_trigger_test.go).
		lambda.Start(preSignUpHandler)
		return
	}
	code := m.Run()
	pgtest.Stop()
	lambdatest.Remove()
	removeBinary()
	os.Exit(code)
}

const (
	adminKeyID  = "AKIACOGNATETEST00001"
	adminSecret = "cognate-test-secret-key-0000000000000000"
	region      = "us-east-1"
)

// env is one running server and clients for it.
type env struct {
	t      *testing.T
	URL    string
	Server *server.Server
	Config config.Config
	// Admin signs with the administrator key; Anon sends no credentials,
	// like a browser app.
	Admin *cip.Client
	Anon  *cip.Client
	// Clock is the server's clock: real time plus an offset tests can move.
	Clock *clock
}

// clock is real time shifted by an adjustable offset.
type clock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

// Advance moves the server's clock forward. Signed (admin) calls made
// afterwards fail SigV4's clock check, as they would against AWS.
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// engines runs fn once per store engine.
func engines(t *testing.T, fn func(t *testing.T, e *env)) {
	enginesWith(t, server.Options{}, fn)
}

// enginesWith is engines with servers started with opts (startWith).
func enginesWith(t *testing.T, opts server.Options, fn func(t *testing.T, e *env)) {
	storeEngines(t, func(t *testing.T, databaseURL string) { fn(t, startWith(t, databaseURL, opts)) })
}

// storeEngines runs fn, in parallel, once per store engine with its
// database URL: "" for the embedded store, then a throw-away PostgreSQL.
func storeEngines(t *testing.T, fn func(t *testing.T, databaseURL string)) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, "")
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		fn(t, pgtest.URL(t))
	})
}

// start runs a server on 127.0.0.1 with a fresh store.
func start(t *testing.T, databaseURL string) *env {
	t.Helper()
	return startWith(t, databaseURL, server.Options{})
}

// startWith is start with server options, such as the HTTP client of the
// server's calls to identity providers; the env's clock replaces opts.Now.
func startWith(t *testing.T, databaseURL string, opts server.Options) *env {
	t.Helper()
	return startServer(t, databaseURL, t.TempDir(), "", opts)
}

// startIn runs a server whose master key lives in dir; servers given the
// same database, dir and public URL are replicas of one deployment behind
// one address. An empty publicURL is the server's own address. configure
// functions adjust the configuration before the server starts.
func startIn(t *testing.T, databaseURL, dir, publicURL string, configure ...func(*config.Config)) *env {
	t.Helper()
	return startServer(t, databaseURL, dir, publicURL, server.Options{}, configure...)
}

func startServer(t *testing.T, databaseURL, dir, publicURL string, opts server.Options, configure ...func(*config.Config)) *env {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	if publicURL == "" {
		publicURL = "http://" + ts.Listener.Addr().String()
	}
	cfg := config.Config{
		Listen: ts.Listener.Addr().String(), DataDir: dir + "/" + ts.Listener.Addr().String(), DatabaseURL: databaseURL, Region: region, AccountID: config.DefaultAccountID,
		PublicURL: publicURL, MasterKeyFile: dir + "/master.key", LogLevel: "error",
		AdminAccessKeyID: adminKeyID, AdminSecretAccessKey: adminSecret,
		// The tests' clients are proxies that say, in X-Forwarded-For,
		// which address a request came from (from).
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")},
	}
	for _, f := range configure {
		f(&cfg)
	}
	clk := &clock{}
	opts.Now = clk.Now
	srv, err := server.New(context.Background(), cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = srv.Handler
	ts.Start()
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
	})
	e := &env{t: t, URL: ts.URL, Server: srv, Config: cfg, Clock: clk}
	e.Admin = e.client(credentials.NewStaticCredentialsProvider(adminKeyID, adminSecret, ""))
	e.Anon = e.client(aws.AnonymousCredentials{})
	return e
}

func (e *env) client(creds aws.CredentialsProvider) *cip.Client {
	return cip.New(cip.Options{Region: region, BaseEndpoint: aws.String(e.URL), Credentials: creds})
}

// from returns an anonymous client whose requests come, as far as the
// server can tell, from the client address ip.
func (e *env) from(ip string) *cip.Client {
	hc := &http.Client{Transport: forwardedFor{ip: ip, next: http.DefaultTransport}}
	return cip.New(cip.Options{Region: region, BaseEndpoint: aws.String(e.URL), Credentials: aws.AnonymousCredentials{}, HTTPClient: hc})
}

// forwardedFor adds X-Forwarded-For to every request, as a proxy does.
type forwardedFor struct {
	ip   string
	next http.RoundTripper
}

func (f forwardedFor) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Forwarded-For", f.ip)
	return f.next.RoundTrip(r)
}

// messages returns the outbox messages for a user, oldest first.
func (e *env) messages(poolID, username string) []store.Message {
	e.t.Helper()
	msgs, err := e.Server.Store.ListMessages(context.Background(), store.MessageFilter{PoolID: poolID, Username: username})
	if err != nil {
		e.t.Fatal(err)
	}
	return msgs
}

// lastCode returns the code of the newest message to a user.
func (e *env) lastCode(poolID, username string) string {
	e.t.Helper()
	msgs := e.messages(poolID, username)
	if len(msgs) == 0 {
		e.t.Fatalf("no message for %s in %s", username, poolID)
	}
	return msgs[len(msgs)-1].Code
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return c
}
