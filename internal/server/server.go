// Package server assembles a Cognate server from its configuration: it opens
// the store, loads the master key, builds the user-pool service and mounts
// the wire protocols (AWS JSON for cognito-idp, JWKS and OIDC discovery,
// health) on one HTTP handler.
package server

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/cognate-auth/cognate/authz"
	"github.com/cognate-auth/cognate/internal/adminkey"
	"github.com/cognate-auth/cognate/internal/config"
	"github.com/cognate-auth/cognate/internal/domains"
	"github.com/cognate-auth/cognate/internal/federation"
	"github.com/cognate-auth/cognate/internal/functions"
	"github.com/cognate-auth/cognate/internal/guard"
	"github.com/cognate-auth/cognate/internal/iam"
	"github.com/cognate-auth/cognate/internal/identitypool"
	"github.com/cognate-auth/cognate/internal/messaging"
	"github.com/cognate-auth/cognate/internal/requestctx"
	"github.com/cognate-auth/cognate/internal/secretbox"
	"github.com/cognate-auth/cognate/internal/sessiontoken"
	"github.com/cognate-auth/cognate/internal/signin"
	"github.com/cognate-auth/cognate/internal/sigv4"
	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/store/sqlstore"
	"github.com/cognate-auth/cognate/internal/tokens"
	"github.com/cognate-auth/cognate/internal/triggers"
	"github.com/cognate-auth/cognate/internal/userpool"
	"github.com/cognate-auth/cognate/internal/wire/authserver"
	"github.com/cognate-auth/cognate/internal/wire/awsjson"
	"github.com/cognate-auth/cognate/internal/wire/iamapi"
	"github.com/cognate-auth/cognate/internal/wire/iamsts"
	"github.com/cognate-auth/cognate/internal/wire/identity"
	"github.com/cognate-auth/cognate/internal/wire/identityapi"
	"github.com/cognate-auth/cognate/internal/wire/idp"
	"github.com/cognate-auth/cognate/internal/wire/idpapi"
	"github.com/cognate-auth/cognate/internal/wire/query"
	"github.com/cognate-auth/cognate/internal/wire/stsapi"
	"github.com/cognate-auth/cognate/internal/wire/wellknown"
)

// Options configure a Server beyond its Config; zero values are fine.
type Options struct {
	Logger *slog.Logger
	// Now replaces the clock (tests).
	Now func() time.Time
	// Funcs are in-process trigger functions, by the names the functions
	// file's "go" targets use (programs that embed Cognate).
	Funcs map[string]functions.Func
	// FunctionTimeout bounds each trigger invocation; zero is Cognito's
	// five seconds (tests shorten it).
	FunctionTimeout time.Duration
	// HTTPClient makes the server's calls to identity providers (OpenID
	// Connect discovery and keys, token inspection); nil means a client
	// with a ten-second timeout. Tests give one that trusts their
	// providers' certificate authority.
	HTTPClient *http.Client
}

// Server is a ready-to-serve Cognate.
type Server struct {
	Store   store.Store
	Handler http.Handler
	// GeneratedAdminKey is the administrator key created by this start, or
	// nil when one already existed or came from the environment.
	GeneratedAdminKey *store.AccessKey

	stopSweeping context.CancelFunc
	sweeping     chan struct{} // closed when the sweeper has stopped
}

// OpenStore opens the configured store with the master key, creating the
// data directory and the key file when they are missing.
func OpenStore(ctx context.Context, cfg config.Config, log *slog.Logger) (store.Store, []byte, error) {
	key, err := secretbox.LoadOrCreateKeyFile(cfg.MasterKeyFile)
	if err != nil {
		return nil, nil, err
	}
	return openStore(ctx, cfg, log, key)
}

// OpenExistingStore opens the store a server already uses, for the tools
// that read it (cognate messages, keys); it creates nothing, so a wrong
// --data-dir is reported instead of leaving an empty store behind.
func OpenExistingStore(ctx context.Context, cfg config.Config, log *slog.Logger) (store.Store, error) {
	hint := "is this the --data-dir / --master-key-file that cognate serve uses?"
	key, err := secretbox.LoadKeyFile(cfg.MasterKeyFile)
	if err != nil {
		return nil, fmt.Errorf("%w (%s)", err, hint)
	}
	if cfg.DatabaseURL == "" {
		if _, err := os.Stat(filepath.Join(cfg.DataDir, "cognate.db")); err != nil {
			return nil, fmt.Errorf("no store in %s (%s)", cfg.DataDir, hint)
		}
	}
	st, _, err := openStore(ctx, cfg, log, key)
	return st, err
}

func openStore(ctx context.Context, cfg config.Config, log *slog.Logger, key []byte) (store.Store, []byte, error) {
	sc := sqlstore.Config{Driver: "postgres", DSN: cfg.DatabaseURL, MasterKey: key, Logger: log}
	if cfg.DatabaseURL == "" {
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return nil, nil, fmt.Errorf("creating data directory: %w", err)
		}
		sc.Driver, sc.DSN = "sqlite", filepath.Join(cfg.DataDir, "cognate.db")
	}
	st, err := sqlstore.Open(ctx, sc)
	if err != nil {
		return nil, nil, err
	}
	return st, key, nil
}

// New builds a Server.
func New(ctx context.Context, cfg config.Config, opts Options) (*Server, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	st, key, err := OpenStore(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	srv, err := assemble(ctx, cfg, opts, log, st, key)
	if err != nil {
		st.Close()
		return nil, err
	}
	return srv, nil
}

func assemble(ctx context.Context, cfg config.Config, opts Options, log *slog.Logger, st store.Store, key []byte) (*Server, error) {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	if cfg.AccountID == "" {
		cfg.AccountID = config.DefaultAccountID
	}
	issuer := tokens.NewIssuer(st, tokens.Options{Now: now})
	sender, err := newSender(cfg, st, log)
	if err != nil {
		return nil, err
	}
	g := guard.New(guard.Config{Store: st, Key: guard.DeriveKey(key), Now: now})
	timing := guard.NewTiming()
	runner, err := newTriggers(cfg, opts, log)
	if err != nil {
		return nil, err
	}
	pools, err := userpool.New(userpool.Config{
		Store: st, Tokens: issuer, Sender: sender, Triggers: runner, Guard: g, Timing: timing, MasterKey: key,
		Issuer:       func(poolID string) string { return tokens.IssuerURL(cfg.PublicURL, poolID) },
		DomainSuffix: cmp.Or(cfg.DomainSuffix, domains.DefaultSuffix),
		Now:          now, Logger: log,
	})
	if err != nil {
		return nil, err
	}
	engine, err := signin.New(signin.Config{Directory: pools.SignInDirectory(), Guard: g, Timing: timing, MasterKey: key,
		Now: now, Logger: log})
	if err != nil {
		return nil, err
	}
	keys := adminkey.New(st, cfg.AdminAccessKeyID, cfg.AdminSecretAccessKey)
	generated, err := keys.Bootstrap(ctx, now())
	if err != nil {
		return nil, fmt.Errorf("preparing the administrator key: %w", err)
	}
	minter, err := sessiontoken.NewMinter(key)
	if err != nil {
		return nil, err
	}
	iamSvc, err := iam.New(iam.Config{Store: st, Minter: minter, AccountID: cfg.AccountID, Now: now, Logger: log})
	if err != nil {
		return nil, err
	}
	fed, err := federation.New(federation.Config{IDTokens: pools, Providers: iamSvc, AccountID: cfg.AccountID,
		PublicURL: cfg.PublicURL, MasterKey: key, HTTPClient: opts.HTTPClient, Now: now, Logger: log,
		FacebookGraphURL: cfg.FacebookGraphURL, AmazonAPIURL: cfg.AmazonAPIURL})
	if err != nil {
		return nil, err
	}
	identities, err := identitypool.New(identitypool.Config{Store: st, Logins: fed, Roles: iamSvc, Tokens: fed, Guard: g,
		Region: cfg.Region, AccountID: cfg.AccountID, Now: now, Logger: log})
	if err != nil {
		return nil, err
	}
	checker, err := authz.New(authz.Config{VerifierKey: minter.Key(), Policies: iamSvc, Service: "cognate", Now: now})
	if err != nil {
		return nil, err
	}
	who := &callers{iam: iamSvc, sessions: minter.Verifier, checker: checker, now: now}
	creds := callerKeys{admin: keys, sessions: minter.Verifier, now: now}
	// The AWS JSON services name the operation in a header: a signature
	// that does not cover it could be replayed, body and all, to run
	// another one.
	jsonVerifier := &sigv4.Verifier{Credentials: creds, Services: []string{"cognito-idp", "cognito-identity"},
		Regions: cfg.Regions(), Now: now, SignedHeaders: []string{"x-amz-target", "content-type"}}
	// IAM is global: its requests are scoped to us-east-1 whatever the
	// region Cognate answers as, as AWS's are.
	iamVerifier := &sigv4.Verifier{Credentials: creds, Services: []string{"iam"},
		Regions: append([]string{"us-east-1"}, cfg.Regions()...), Now: now}
	stsVerifier := &sigv4.Verifier{Credentials: creds, Services: []string{"sts"}, Regions: append([]string{"us-east-1"}, cfg.Regions()...), Now: now}

	m := newMetrics()
	idpHandler, err := awsjson.NewHandler(awsjson.Config{
		TargetPrefix: idpapi.TargetPrefix,
		Operations: idpapi.Operations(&idp.Handlers{Pools: pools, SignIn: engine, Region: cfg.Region, AccountID: cfg.AccountID,
			DomainTarget: publicHost(cfg.PublicURL)}),
		ExceptionStatus: idpapi.ExceptionStatus,
		Authenticate:    authenticate(jsonVerifier, who, cfg.TrustedProxies),
		Annotate:        annotate(jsonVerifier, cfg.TrustedProxies),
		Logger:          log,
		Observe:         m.observe,
	})
	if err != nil {
		return nil, err
	}
	identityHandler, err := awsjson.NewHandler(awsjson.Config{
		TargetPrefix:    identityapi.TargetPrefix,
		Operations:      identityapi.Operations(&identity.Handlers{Pools: identities}),
		ExceptionStatus: identityapi.ExceptionStatus,
		Authenticate:    authenticate(jsonVerifier, who, cfg.TrustedProxies),
		Annotate:        annotate(jsonVerifier, cfg.TrustedProxies),
		Logger:          log,
		Observe:         m.observe,
	})
	if err != nil {
		return nil, err
	}
	// One listener for every AWS JSON service, told apart by X-Amz-Target.
	services, err := awsjson.NewRouter(awsjson.RouterConfig{
		Services: []*awsjson.Handler{idpHandler, identityHandler}, Logger: log, Observe: m.observe,
	})
	if err != nil {
		return nil, err
	}
	iamHandler, err := query.NewHandler(query.Config{Service: "iam", Version: "2010-05-08",
		Namespace: "https://iam.amazonaws.com/doc/2010-05-08/", Operations: iamapi.Operations(&iamsts.IAM{Service: iamSvc}),
		ErrorStatus: iamapi.ErrorStatus, Authenticate: queryAuthenticate(iamVerifier, who, cfg.TrustedProxies), Logger: log})
	if err != nil {
		return nil, err
	}
	stsHandler, err := query.NewHandler(query.Config{Service: "sts", Version: "2011-06-15",
		Namespace: "https://sts.amazonaws.com/doc/2011-06-15/", Operations: stsapi.Operations(&iamsts.STS{Service: iamSvc, WebIdentities: fed}),
		ErrorStatus: stsapi.ErrorStatus, Authenticate: queryAuthenticate(stsVerifier, who, cfg.TrustedProxies),
		Annotate: func(r *http.Request) context.Context { return withClientIP(r, cfg.TrustedProxies) }, Logger: log})
	if err != nil {
		return nil, err
	}
	// Form-encoded requests are IAM's and STS's query protocol; the rest
	// are the JSON services'.
	apis := query.NewDispatcher(map[string]*query.Handler{"iam": iamHandler, "sts": stsHandler}, services)
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.handler())
	mux.Handle("/", apis)
	// The keys of the identity tokens Cognate signs (GetOpenIdToken),
	// where Cognito serves its own.
	mux.HandleFunc("GET /.well-known/jwks_uri", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "public, max-age=3600")
		_, _ = w.Write(fed.IdentityJWKS())
	})
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok"}`))
	})
	wellknown.New(issuer, pools.PoolExists, cfg.PublicURL).Register(mux)
	// The OAuth 2.0 endpoints answer at the pools' domains, named by Host.
	hosts, err := domains.NewResolver(st, cmp.Or(cfg.DomainSuffix, domains.DefaultSuffix))
	if err != nil {
		return nil, err
	}
	poolOfHost := func(ctx context.Context, host string) (string, error) {
		d, err := hosts.Resolve(ctx, host)
		if errors.Is(err, domains.ErrUnknownHost) {
			return "", authserver.ErrNoDomain
		}
		return d.PoolID, err
	}
	authserver.New(pools, poolOfHost, log).Register(mux)
	srv := &Server{Store: st, Handler: mux, GeneratedAdminKey: generated, sweeping: make(chan struct{})}
	sweepCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	srv.stopSweeping = stop
	go func() {
		defer close(srv.sweeping)
		sweepEvery(sweepCtx, SweepInterval, st, now, log)
	}()
	return srv, nil
}

// Close stops the housekeeping and releases the store.
func (s *Server) Close() error {
	s.stopSweeping()
	<-s.sweeping
	return s.Store.Close()
}

// newSender returns what delivers messages: the outbox, or SMTP for email
// (and the outbox for the rest) when an SMTP server is configured.
func newSender(cfg config.Config, st store.Store, log *slog.Logger) (userpool.Sender, error) {
	outbox := &messaging.Outbox{Store: st, Logger: log}
	if cfg.SMTPURL == "" {
		return outbox, nil
	}
	smtp, err := messaging.NewSMTP(cfg.SMTPURL, cfg.SMTPPassword, cfg.EmailFrom)
	if err != nil {
		return nil, err
	}
	return messaging.Router{Email: smtp, Other: outbox}, nil
}

// authenticate verifies the signature of a signed operation, records the
// region it was signed for (which the verifier accepted) and the client's
// address, and lets the caller through if it may run the operation.
func authenticate(v *sigv4.Verifier, who *callers, proxies []netip.Prefix) awsjson.Authenticator {
	return func(r *http.Request, body []byte) (context.Context, error) {
		res, err := v.Verify(r, body)
		if err != nil {
			return nil, err
		}
		return who.caller(requestctx.WithRegion(withClientIP(r, proxies), res.Region), res, body)
	}
}

// queryAuthenticate is authenticate for IAM and STS.
func queryAuthenticate(v *sigv4.Verifier, who *callers, proxies []netip.Prefix) func(*http.Request, []byte) (context.Context, error) {
	return func(r *http.Request, body []byte) (context.Context, error) {
		res, err := v.Verify(r, body)
		if err != nil {
			return nil, err
		}
		return who.caller(withClientIP(r, proxies), res, body)
	}
}

// annotate records the client's address and the region of an unsigned
// operation's credential scope, which nothing verifies: only a region
// Cognate serves is believed, any other leaves the default region.
func annotate(v *sigv4.Verifier, proxies []netip.Prefix) awsjson.Annotator {
	return func(r *http.Request) context.Context {
		ctx := withClientIP(r, proxies)
		if region := v.UnverifiedRegion(r); region != "" {
			ctx = requestctx.WithRegion(ctx, region)
		}
		return ctx
	}
}

// withClientIP records the address a request came from, which devices keep
// as last_ip_used: the peer's, or what trusted proxies say (see
// requestctx.RemoteIP).
func withClientIP(r *http.Request, proxies []netip.Prefix) context.Context {
	if ip := requestctx.RemoteIP(r, proxies); ip != "" {
		return requestctx.WithClientIP(r.Context(), ip)
	}
	return r.Context()
}

// newTriggers builds the invoker of trigger functions from the Lambda
// endpoint and the functions file, and the runner the pools call.
func newTriggers(cfg config.Config, opts Options, log *slog.Logger) (*triggers.Runner, error) {
	fc := functions.Config{Funcs: opts.Funcs, Timeout: opts.FunctionTimeout, Logger: log, Lambda: functions.LambdaConfig{
		Endpoint: cfg.LambdaEndpoint, Region: cfg.LambdaRegion,
		AccessKeyID: cfg.LambdaAccessKeyID, SecretAccessKey: cfg.LambdaSecretAccessKey, SessionToken: cfg.LambdaSessionToken,
	}}
	if cfg.FunctionsFile != "" {
		f, err := functions.LoadFile(cfg.FunctionsFile)
		if err != nil {
			return nil, err
		}
		fc.Functions = f
	}
	inv, err := functions.New(fc)
	if err != nil {
		return nil, err
	}
	return triggers.New(inv), nil
}

// publicHost is the host name, without port, of the server's public URL:
// what user pool domains report as their CloudFront distribution, the
// name a DNS alias of a custom domain points at.
func publicHost(publicURL string) string {
	u, err := url.Parse(publicURL)
	if err != nil {
		return ""
	}
	return u.Hostname()
}
