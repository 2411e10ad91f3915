package bench

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Operation names, as --ops takes them.
const (
	OpSignUp   = "signup"
	OpPassword = "password"
	// OpTriggers is OpPassword in a pool whose pre authentication and pre
	// token generation functions are a no-op webhook this process serves
	// (triggers.go).
	OpTriggers = "triggers"
	OpSRP      = "srp"
	OpRefresh  = "refresh"
	OpGetUser  = "getuser"
	// OpIdentity is GetId then GetCredentialsForIdentity, a user pool's
	// ID token as the login: one iteration is the pair (identity.go).
	OpIdentity = "identity"
	// OpClientCredentials is a client_credentials grant at the token
	// endpoint of the pool's domain (clientcredentials.go).
	OpClientCredentials = "clientcredentials"
	// OpForged sends GetUser requests with forged access tokens and
	// reports what they did to the server's memory (forged.go).
	OpForged = "forged"
)

// AllOps is every timed operation, in the order they run: what "all"
// selects.
var AllOps = []string{OpSignUp, OpPassword, OpSRP, OpRefresh, OpGetUser, OpIdentity, OpClientCredentials}

// knownOps is every operation --ops accepts, in the order they run. The
// triggers operation runs only when named, since the server must be started
// for it, and right after password, its baseline; the forged-token check
// runs only when named: it measures memory, not speed.
var knownOps = append(slices.Insert(slices.Clone(AllOps), slices.Index(AllOps, OpPassword)+1, OpTriggers), OpForged)

// Options configure a run.
type Options struct {
	Endpoint    string        // base URL of the server
	Region      string        // region of the pool and of signed requests
	Concurrency int           // clients running at once
	Duration    time.Duration // measured time of each operation
	Warmup      time.Duration // unmeasured time before each operation
	// Rounds is how many slices Duration is cut into, each preceded by a
	// slice of the operation's crypto floor (and the last followed by
	// one), so that the floor and the operation see the same machine.
	Rounds   int
	Ops      []string // operations to run, in AllOps order
	Users    int      // users to prepare for the sign-in operations
	Sessions int      // signed-in users whose tokens refresh and getuser use
	PoolID   string   // pool to use; "" to create one
	ClientID string   // app client to use; "" to create one
	// ReuseUsers trusts that PoolID holds the users a previous run
	// prepared, instead of looking each one up.
	ReuseUsers bool

	// Forged is how many requests OpForged sends.
	Forged int
	// ForgedIDLen is the length of the long pool ids OpForged's tokens
	// name (every other token names a well-formed one).
	ForgedIDLen int
	// Settle, if positive, is how long OpForged waits after its last
	// request before reading the server's resident memory once more: the
	// server hands free heap back to the system after 30-45 s without
	// requests, so what stays then is what the requests left behind.
	Settle time.Duration

	// TriggerARN is the function OpTriggers' pool names for both triggers;
	// the server's functions file maps it to http://WebhookAddr/, where
	// this process serves it, signed with WebhookSecret.
	TriggerARN    string
	WebhookAddr   string
	WebhookSecret string

	// DomainSuffix is the server's --domain-suffix: the clientcredentials
	// operation's requests go to <prefix>.<DomainSuffix>.
	DomainSuffix string

	// FloorDuration is how long each operation's crypto floor runs in
	// all, over Rounds+1 slices; 0 skips the floors.
	FloorDuration time.Duration
	// ServerPID is the server's process, for its CPU time; 0 finds the
	// process listening on the endpoint's port, if it is local.
	ServerPID int
	// AllowRemote allows an endpoint that is not a loopback address.
	AllowRemote bool

	// AdminKeyID and AdminSecret sign the set-up calls (pool, client,
	// users; identity pool and IAM role).
	AdminKeyID, AdminSecret string
}

// Defaults of Options.
const (
	DefaultEndpoint      = "http://127.0.0.1:9229"
	DefaultConcurrency   = 32
	DefaultDuration      = 10 * time.Second
	DefaultWarmup        = time.Second
	DefaultRounds        = 5
	DefaultUsers         = 1000
	DefaultSessions      = 256
	DefaultFloorDuration = 6 * time.Second
	DefaultForged        = 10_000
	DefaultForgedIDLen   = 16 << 10
	DefaultTriggerARN    = "arn:aws:lambda:us-east-1:000000000000:function:cognate-bench-noop"
	DefaultWebhookAddr   = "127.0.0.1:9231"
	DefaultDomainSuffix  = "auth.localhost"
)

// minWebhookSecret is the shortest secret the server's functions file takes.
const minWebhookSecret = 16

// Bounds that keep every loop of a run finite.
const (
	MaxConcurrency = 4096
	MaxDuration    = time.Hour
	MaxUsers       = 10_000_000
	MaxRounds      = 1000
	MaxForged      = 10_000_000
	// MaxForgedIDLen keeps a forged token within the server's 1 MiB body
	// limit, so that it is the token the server refuses, not the body.
	MaxForgedIDLen = 512 << 10
)

// ParseOps parses a comma-separated list of operations ("all" is every
// one of AllOps) into the order they run, without duplicates.
func ParseOps(s string) ([]string, error) {
	seen := map[string]bool{}
	for _, f := range strings.Split(s, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		switch {
		case f == "":
			continue
		case f == "all":
			for _, op := range AllOps {
				seen[op] = true
			}
		case slices.Contains(knownOps, f):
			seen[f] = true
		default:
			return nil, fmt.Errorf("unknown operation %q (want %s or all)", f, strings.Join(knownOps, ", "))
		}
	}
	var ops []string
	for _, op := range knownOps {
		if seen[op] {
			ops = append(ops, op)
		}
	}
	if len(ops) == 0 {
		return nil, errors.New("no operation to run")
	}
	return ops, nil
}

// Validate checks o and reports every problem at once.
func (o Options) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if err := checkEndpoint(o.Endpoint, o.AllowRemote); err != nil {
		errs = append(errs, err)
	}
	if o.Concurrency < 1 || o.Concurrency > MaxConcurrency {
		bad("concurrency must be between 1 and %d, got %d", MaxConcurrency, o.Concurrency)
	}
	if o.Duration <= 0 || o.Duration > MaxDuration {
		bad("duration must be positive and at most %s, got %s", MaxDuration, o.Duration)
	}
	if o.Rounds < 1 || o.Rounds > MaxRounds {
		bad("rounds must be between 1 and %d, got %d", MaxRounds, o.Rounds)
	}
	if o.Warmup < 0 || o.Warmup > MaxDuration {
		bad("warmup must be between 0 and %s, got %s", MaxDuration, o.Warmup)
	}
	if o.FloorDuration < 0 || o.FloorDuration > MaxDuration {
		bad("floor duration must be between 0 and %s, got %s", MaxDuration, o.FloorDuration)
	}
	if len(o.Ops) == 0 {
		bad("no operation to run")
	}
	if o.Users < 1 || o.Users > MaxUsers {
		bad("users must be between 1 and %d, got %d", MaxUsers, o.Users)
	}
	if o.Sessions < 1 || o.Sessions > o.Users {
		bad("sessions must be between 1 and users (%d), got %d", o.Users, o.Sessions)
	}
	if slices.Contains(o.Ops, OpForged) {
		if o.Forged < 1 || o.Forged > MaxForged {
			bad("forged requests must be between 1 and %d, got %d", MaxForged, o.Forged)
		}
		if o.ForgedIDLen <= maxPoolIDLen || o.ForgedIDLen > MaxForgedIDLen {
			bad("forged pool id length must be between %d and %d, got %d", maxPoolIDLen+1, MaxForgedIDLen, o.ForgedIDLen)
		}
		if o.Settle < 0 || o.Settle > MaxDuration {
			bad("settle must be between 0 and %s, got %s", MaxDuration, o.Settle)
		}
	}
	if slices.Contains(o.Ops, OpTriggers) {
		if !strings.HasPrefix(o.TriggerARN, "arn:aws:lambda:") {
			bad("the trigger function must be a Lambda function ARN, got %q", o.TriggerARN)
		}
		if err := checkLoopbackAddr(o.WebhookAddr); err != nil {
			errs = append(errs, err)
		}
		if len(o.WebhookSecret) < minWebhookSecret {
			bad("the triggers operation needs the webhook's secret, at least %d bytes, in COGNATE_BENCH_WEBHOOK_SECRET (the one in the server's functions file)", minWebhookSecret)
		}
	}
	if slices.Contains(o.Ops, OpClientCredentials) && (o.DomainSuffix == "" || strings.ContainsAny(o.DomainSuffix, "/:@ ")) {
		bad("the clientcredentials operation needs the server's domain suffix (a host name such as %s), got %q", DefaultDomainSuffix, o.DomainSuffix)
	}
	if o.ClientID != "" && o.PoolID == "" {
		bad("--client needs --pool")
	}
	if o.ReuseUsers && o.PoolID == "" {
		bad("--reuse-users needs --pool")
	}
	if o.AdminKeyID == "" || o.AdminSecret == "" {
		bad("an administrator key is needed to prepare users: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or COGNATE_ADMIN_ACCESS_KEY_ID and COGNATE_ADMIN_SECRET_ACCESS_KEY")
	}
	return errors.Join(errs...)
}

// checkLoopbackAddr accepts a host:port whose host is a loopback address:
// the server sends the webhook passwords, so it must not leave the machine.
func checkLoopbackAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); err == nil && port != "" && ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("the webhook address must be a loopback host:port such as %s, got %q", DefaultWebhookAddr, addr)
}

// checkEndpoint accepts an http(s) URL; unless remote is allowed its host
// must be a loopback address, so that a load test cannot hit a shared
// server by mistake.
func checkEndpoint(endpoint string, remote bool) error {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("endpoint must be an http:// or https:// URL, got %q", endpoint)
	}
	if remote {
		return nil
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("endpoint %s is not a loopback address; pass --allow-remote to load it anyway", endpoint)
}
