// Package config holds the settings every cognate subcommand shares, read
// from flags with environment-variable twins, and checks them all at once.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/cognate-auth/cognate/internal/domains"
	"github.com/spf13/pflag"

	"github.com/cognate-auth/cognate/internal/tlscert"
)

// Config is Cognate's configuration.
type Config struct {
	Listen      string // address to listen on
	DataDir     string // where the embedded store and the master key live
	DatabaseURL string // postgres://... ; empty for the embedded store
	Region      string // the region Cognate answers as, and names new pools after
	AccountID   string // the AWS account id in ARNs (roles, pools, providers)
	PublicURL   string // base URL put in token issuers
	// DomainSuffix is the name prefix domains are served under:
	// <prefix>.<suffix> (see package domains).
	DomainSuffix  string
	MasterKeyFile string // key that encrypts secrets at rest
	LogLevel      string // debug, info, warn, error
	// SMTPURL, when set, sends email messages through that server instead
	// of the outbox (see messaging.NewSMTP for its forms); EmailFrom is
	// their sender address.
	SMTPURL   string
	EmailFrom string
	// ExtraRegions are further regions signed requests may address; a
	// request scoped to any other region is refused. Parsed from the
	// comma-separated --extra-regions.
	ExtraRegions []string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client (see requestctx.RemoteIP). Parsed from the comma-separated
	// --trusted-proxies; a bare address is a prefix of its full length.
	TrustedProxies []netip.Prefix
	// FacebookGraphURL and AmazonAPIURL are where Facebook and Login with
	// Amazon access tokens are checked (the Graph API; Login with Amazon's
	// tokeninfo): the real providers unless a stand-in is wanted.
	FacebookGraphURL string
	AmazonAPIURL     string
	// LambdaEndpoint is the Lambda Invoke API that trigger functions not in
	// FunctionsFile are invoked through (AWS Lambda, LocalStack, the Lambda
	// Runtime Interface Emulator); LambdaRegion signs its requests (empty:
	// each function ARN's region). FunctionsFile maps function ARNs to
	// webhooks, commands and Lambda endpoints of their own (see
	// docs/triggers.md).
	LambdaEndpoint string
	LambdaRegion   string
	FunctionsFile  string
	// TLSCertFile and TLSKeyFile, when set, serve HTTPS with that key pair
	// (read again when the files change). TLSAuto serves HTTPS with a
	// certificate from a development CA kept in the data directory, for
	// localhost, the listen and public URL hosts, and TLSHosts (parsed from
	// the comma-separated --tls-hosts). Either makes the default public URL
	// https.
	TLSCertFile string
	TLSKeyFile  string
	TLSAuto     bool
	TLSHosts    []string

	// AdminAccessKeyID and AdminSecretAccessKey come from the environment
	// only, never from flags (command lines are visible to other users).
	AdminAccessKeyID     string
	AdminSecretAccessKey string
	// SMTPPassword, from the environment only, replaces the password of
	// SMTPURL.
	SMTPPassword string
	// LambdaAccessKeyID, LambdaSecretAccessKey and LambdaSessionToken,
	// from the environment only, sign Lambda Invoke API requests; without
	// them requests are not signed.
	LambdaAccessKeyID     string
	LambdaSecretAccessKey string
	LambdaSessionToken    string

	// Comma-separated lists as given, parsed by Resolve.
	extraRegions, trustedProxies, tlsHosts string
}

// Defaults.
const (
	DefaultListen  = "127.0.0.1:9229"
	DefaultDataDir = "./cognate-data"
	DefaultRegion  = "us-east-1"
	// DefaultAccountID is the account of ARNs when none is configured:
	// the one LocalStack and moto use too, so SDK fixtures carry over.
	DefaultAccountID = "000000000000"
	// DefaultFacebookGraphURL and DefaultAmazonAPIURL are the providers'
	// own endpoints.
	DefaultFacebookGraphURL = "https://graph.facebook.com"
	DefaultAmazonAPIURL     = "https://api.amazon.com"
)

// binding ties a flag to its environment twin.
type binding struct {
	flag, env, usage string
	target           *string
	def              string
}

func (c *Config) bindings() []binding {
	return []binding{
		{"listen", "COGNATE_LISTEN", "address to listen on", &c.Listen, DefaultListen},
		{"data-dir", "COGNATE_DATA_DIR", "directory of the embedded store and the generated master key", &c.DataDir, DefaultDataDir},
		{"database", "COGNATE_DATABASE_URL", "PostgreSQL URL (postgres://...); empty for the embedded SQLite store", &c.DatabaseURL, ""},
		{"region", "COGNATE_REGION", "AWS region Cognate answers as", &c.Region, DefaultRegion},
		{"account-id", "COGNATE_ACCOUNT_ID", "12-digit AWS account id Cognate names in ARNs", &c.AccountID, DefaultAccountID},
		{"extra-regions", "COGNATE_EXTRA_REGIONS", "further regions signed requests may address, comma-separated (requests scoped to any other region are refused)", &c.extraRegions, ""},
		{"trusted-proxies", "COGNATE_TRUSTED_PROXIES", "reverse proxies, comma-separated CIDRs or addresses, whose X-Forwarded-For names the client (default: none, the peer is the client)", &c.trustedProxies, ""},
		{"public-url", "COGNATE_PUBLIC_URL", "base URL of this server as clients reach it, used in token issuers (default http://<listen>)", &c.PublicURL, ""},
		{"domain-suffix", "COGNATE_DOMAIN_SUFFIX", "name prefix domains are served under: prefix myapp at myapp.<suffix>, as Cognito serves it at myapp.auth.<region>.amazoncognito.com", &c.DomainSuffix, domains.DefaultSuffix},
		{"master-key-file", "COGNATE_MASTER_KEY_FILE", "file holding the key that encrypts secrets at rest (default <data-dir>/master.key, created if missing)", &c.MasterKeyFile, ""},
		{"log-level", "COGNATE_LOG_LEVEL", "log level: debug, info, warn or error", &c.LogLevel, "info"},
		{"smtp-url", "COGNATE_SMTP_URL", "send email through this SMTP server instead of the outbox: smtps://, smtp:// (STARTTLS) or smtp+insecure:// [user@]host[:port]; the password from $COGNATE_SMTP_PASSWORD", &c.SMTPURL, ""},
		{"email-from", "COGNATE_EMAIL_FROM", "sender address of email messages", &c.EmailFrom, "no-reply@verificationemail.com"},
		{"facebook-graph-url", "COGNATE_FACEBOOK_GRAPH_URL", "base URL of the Facebook Graph API, which checks graph.facebook.com access tokens for identity pools and STS", &c.FacebookGraphURL, DefaultFacebookGraphURL},
		{"amazon-api-url", "COGNATE_AMAZON_API_URL", "base URL of the Login with Amazon API, whose tokeninfo checks www.amazon.com access tokens for identity pools and STS", &c.AmazonAPIURL, DefaultAmazonAPIURL},
		{"lambda-endpoint", "COGNATE_LAMBDA_ENDPOINT", "Lambda Invoke API endpoint that trigger functions are invoked through unless the functions file maps them (AWS Lambda, LocalStack, the Lambda Runtime Interface Emulator); credentials from $COGNATE_LAMBDA_ACCESS_KEY_ID and $COGNATE_LAMBDA_SECRET_ACCESS_KEY", &c.LambdaEndpoint, ""},
		{"lambda-region", "COGNATE_LAMBDA_REGION", "region that signs Lambda Invoke API requests (default: each function ARN's region)", &c.LambdaRegion, ""},
		{"functions", "COGNATE_FUNCTIONS_FILE", "JSON file mapping trigger function ARNs to webhooks, commands or Lambda endpoints (docs/triggers.md)", &c.FunctionsFile, ""},
		{"tls-cert", "COGNATE_TLS_CERT", "serve HTTPS with this PEM certificate file (intermediates after it), re-read when it changes", &c.TLSCertFile, ""},
		{"tls-key", "COGNATE_TLS_KEY", "PEM private key file of --tls-cert", &c.TLSKeyFile, ""},
		{"tls-hosts", "COGNATE_TLS_HOSTS", "further host names and addresses, comma-separated, for the certificate of --tls-auto (localhost, 127.0.0.1, ::1 and the --listen and --public-url hosts are always in it)", &c.tlsHosts, ""},
	}
}

// tlsAuto is the one boolean setting: its environment twin is read by
// Resolve.
const (
	tlsAutoFlag = "tls-auto"
	tlsAutoEnv  = "COGNATE_TLS_AUTO"
)

// Register adds the shared flags to fs. Call Resolve after parsing.
func (c *Config) Register(fs *pflag.FlagSet) {
	for _, b := range c.bindings() {
		fs.StringVar(b.target, b.flag, b.def, b.usage+" [$"+b.env+"]")
	}
	fs.BoolVar(&c.TLSAuto, tlsAutoFlag, false, "serve HTTPS with a certificate from a development CA that Cognate makes and keeps in <data-dir>/tls (cognate tls ca prints it) [$"+tlsAutoEnv+"]")
}

// Resolve fills every setting not given as a flag from its environment
// twin, derives defaults and validates the result, reporting every problem.
func (c *Config) Resolve(fs *pflag.FlagSet, getenv func(string) string) error {
	if getenv == nil {
		getenv = os.Getenv
	}
	for _, b := range c.bindings() {
		if f := fs.Lookup(b.flag); f != nil && f.Changed {
			continue
		}
		if v := getenv(b.env); v != "" {
			*b.target = v
		}
	}
	c.AdminAccessKeyID = getenv("COGNATE_ADMIN_ACCESS_KEY_ID")
	c.AdminSecretAccessKey = getenv("COGNATE_ADMIN_SECRET_ACCESS_KEY")
	c.SMTPPassword = getenv("COGNATE_SMTP_PASSWORD")
	c.LambdaAccessKeyID = getenv("COGNATE_LAMBDA_ACCESS_KEY_ID")
	c.LambdaSecretAccessKey = getenv("COGNATE_LAMBDA_SECRET_ACCESS_KEY")
	c.LambdaSessionToken = getenv("COGNATE_LAMBDA_SESSION_TOKEN")
	var errs []error
	if f := fs.Lookup(tlsAutoFlag); f == nil || !f.Changed {
		if v := getenv(tlsAutoEnv); v != "" {
			auto, err := strconv.ParseBool(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s %q: want true or false", tlsAutoEnv, v))
			}
			c.TLSAuto = auto
		}
	}
	if c.PublicURL == "" {
		c.PublicURL = "http://" + c.Listen
		if c.ServesTLS() {
			c.PublicURL = "https://" + c.Listen
		}
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	if c.MasterKeyFile == "" {
		c.MasterKeyFile = filepath.Join(c.DataDir, "master.key")
	}
	c.ExtraRegions = splitList(c.extraRegions)
	proxies, proxyErrs := parsePrefixes(splitList(c.trustedProxies))
	c.TrustedProxies = proxies
	c.TLSHosts = nil
	for _, h := range splitList(c.tlsHosts) {
		c.TLSHosts = append(c.TLSHosts, strings.ToLower(h))
	}
	errs = append(errs, proxyErrs...)
	return errors.Join(append(errs, c.validate())...)
}

// ServesTLS reports whether cognate serve serves HTTPS.
func (c *Config) ServesTLS() bool {
	return c.TLSAuto || c.TLSCertFile != "" || c.TLSKeyFile != ""
}

// parsePrefixes reads CIDRs such as 10.0.0.0/8 or fd00::/8, and addresses,
// which stand for themselves alone.
func parsePrefixes(items []string) ([]netip.Prefix, []error) {
	var prefixes []netip.Prefix
	var errs []error
	for _, item := range items {
		p, err := netip.ParsePrefix(item)
		if err != nil {
			a, aerr := netip.ParseAddr(item)
			if aerr != nil {
				errs = append(errs, fmt.Errorf("trusted proxy %q: want a CIDR such as 10.0.0.0/8 or an address, separated by commas", item))
				continue
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		prefixes = append(prefixes, p.Masked())
	}
	return prefixes, errs
}

// Regions returns every region Cognate serves: Region, then ExtraRegions,
// each once.
func (c *Config) Regions() []string {
	regions := []string{c.Region}
	for _, r := range c.ExtraRegions {
		if !slices.Contains(regions, r) {
			regions = append(regions, r)
		}
	}
	return regions
}

// splitList splits a comma-separated list, dropping blanks around and
// between its items.
func splitList(s string) []string {
	var items []string
	for item := range strings.SplitSeq(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			items = append(items, item)
		}
	}
	return items
}

var (
	regionPattern  = regexp.MustCompile(`^[a-z]{2}(-gov)?-[a-z]+-\d$`)
	accountPattern = regexp.MustCompile(`^\d{12}$`)
)

func (c *Config) validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		errs = append(errs, fmt.Errorf("listen %q: want host:port", c.Listen))
	}
	if !regionPattern.MatchString(c.Region) {
		errs = append(errs, fmt.Errorf("region %q: want a region name such as us-east-1", c.Region))
	}
	if !accountPattern.MatchString(c.AccountID) {
		errs = append(errs, fmt.Errorf("account id %q: want 12 digits", c.AccountID))
	}
	for _, r := range c.ExtraRegions {
		if !regionPattern.MatchString(r) {
			errs = append(errs, fmt.Errorf("extra region %q: want region names such as eu-west-1, separated by commas", r))
		}
	}
	if !absoluteHTTP(c.PublicURL) {
		errs = append(errs, fmt.Errorf("public URL %q: want an absolute http(s) URL", c.PublicURL))
	}
	if !domains.ValidSuffix(c.DomainSuffix) {
		errs = append(errs, fmt.Errorf("domain suffix %q: want a lower-case DNS name of two labels or more, such as %s", c.DomainSuffix, domains.DefaultSuffix))
	}
	for _, u := range []struct{ name, url string }{{"Facebook Graph URL", c.FacebookGraphURL}, {"Amazon API URL", c.AmazonAPIURL}} {
		if v, err := url.Parse(u.url); !absoluteHTTP(u.url) || err != nil || v.RawQuery != "" || v.Fragment != "" {
			errs = append(errs, fmt.Errorf("%s %q: want an absolute http(s) URL", u.name, u.url))
		}
	}
	if c.DatabaseURL != "" {
		if u, err := url.Parse(c.DatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			errs = append(errs, errors.New("database URL: want a postgres:// URL"))
		}
	}
	if (c.AdminAccessKeyID == "") != (c.AdminSecretAccessKey == "") {
		errs = append(errs, errors.New("COGNATE_ADMIN_ACCESS_KEY_ID and COGNATE_ADMIN_SECRET_ACCESS_KEY must be set together"))
	}
	if c.LambdaEndpoint != "" {
		if u, err := url.Parse(c.LambdaEndpoint); !absoluteHTTP(c.LambdaEndpoint) || err != nil || u.RawQuery != "" || u.Fragment != "" {
			errs = append(errs, fmt.Errorf("the Lambda endpoint %q: want an absolute http(s) URL", c.LambdaEndpoint))
		}
	}
	if c.LambdaRegion != "" && !regionPattern.MatchString(c.LambdaRegion) {
		errs = append(errs, fmt.Errorf("the Lambda region %q: want a region name such as us-east-1", c.LambdaRegion))
	}
	if (c.LambdaAccessKeyID == "") != (c.LambdaSecretAccessKey == "") {
		errs = append(errs, errors.New("COGNATE_LAMBDA_ACCESS_KEY_ID and COGNATE_LAMBDA_SECRET_ACCESS_KEY must be set together"))
	}
	if c.LambdaSessionToken != "" && c.LambdaAccessKeyID == "" {
		errs = append(errs, errors.New("COGNATE_LAMBDA_SESSION_TOKEN needs COGNATE_LAMBDA_ACCESS_KEY_ID and COGNATE_LAMBDA_SECRET_ACCESS_KEY"))
	}
	if c.SMTPURL != "" {
		if u, err := url.Parse(c.SMTPURL); err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps" && u.Scheme != "smtp+insecure") || u.Hostname() == "" {
			errs = append(errs, fmt.Errorf("SMTP URL: want smtps://, smtp:// or smtp+insecure:// followed by [user@]host[:port]"))
		}
	}
	if _, err := mail.ParseAddress(c.EmailFrom); c.EmailFrom != "" && err != nil {
		errs = append(errs, fmt.Errorf("email sender %q: want an address such as no-reply@example.com or \"Name <addr>\"", c.EmailFrom))
	}
	errs = append(errs, c.validateTLS()...)
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("log level %q: want debug, info, warn or error", c.LogLevel))
	}
	return errors.Join(errs...)
}

func (c *Config) validateTLS() []error {
	var errs []error
	if (c.TLSCertFile == "") != (c.TLSKeyFile == "") {
		errs = append(errs, errors.New("--tls-cert and --tls-key ($COGNATE_TLS_CERT, $COGNATE_TLS_KEY) must be given together"))
	}
	if c.TLSAuto && (c.TLSCertFile != "" || c.TLSKeyFile != "") {
		errs = append(errs, errors.New("--tls-auto makes its own certificate: give it or --tls-cert and --tls-key, not both"))
	}
	if len(c.TLSHosts) > 0 && !c.TLSAuto {
		errs = append(errs, errors.New("--tls-hosts names hosts for the certificate of --tls-auto, which is not set"))
	}
	for _, h := range c.TLSHosts {
		if err := tlscert.CheckHost(h); err != nil {
			errs = append(errs, fmt.Errorf("TLS %w, separated by commas", err))
		}
	}
	return errs
}

// absoluteHTTP reports whether s is an absolute http or https URL.
func absoluteHTTP(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
