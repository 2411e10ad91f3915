package config

import (
	"net/netip"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

func resolve(t *testing.T, args []string, env map[string]string) (Config, error) {
	t.Helper()
	var c Config
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	c.Register(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	err := c.Resolve(fs, func(k string) string { return env[k] })
	return c, err
}

func TestDefaults(t *testing.T) {
	c, err := resolve(t, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Config{Listen: DefaultListen, DataDir: DefaultDataDir, Region: DefaultRegion, AccountID: DefaultAccountID, PublicURL: "http://127.0.0.1:9229",
		DomainSuffix:  "auth.localhost",
		MasterKeyFile: "cognate-data/master.key", LogLevel: "info", EmailFrom: "no-reply@verificationemail.com",
		FacebookGraphURL: DefaultFacebookGraphURL, AmazonAPIURL: DefaultAmazonAPIURL}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("got %+v\nwant %+v", c, want)
	}
	if got := c.Regions(); !slices.Equal(got, []string{DefaultRegion}) {
		t.Errorf("Regions() = %q, want only the default region", got)
	}
}

func TestPrecedence(t *testing.T) {
	env := map[string]string{"COGNATE_LISTEN": "127.0.0.1:1", "COGNATE_REGION": "eu-west-1", "COGNATE_PUBLIC_URL": "https://auth.example.com/"}
	c, err := resolve(t, []string{"--listen", "127.0.0.1:2"}, env)
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:2" {
		t.Errorf("flag should win over environment: listen = %s", c.Listen)
	}
	if c.Region != "eu-west-1" {
		t.Errorf("environment should fill unset flags: region = %s", c.Region)
	}
	if c.PublicURL != "https://auth.example.com" {
		t.Errorf("public URL = %s, want trailing slash trimmed", c.PublicURL)
	}
}

func TestSMTPSettings(t *testing.T) {
	env := map[string]string{"COGNATE_SMTP_URL": "smtp://cognate@mail.example.com", "COGNATE_SMTP_PASSWORD": "s3cret"}
	c, err := resolve(t, []string{"--email-from", "Example <auth@example.com>"}, env)
	if err != nil {
		t.Fatal(err)
	}
	if c.SMTPURL != "smtp://cognate@mail.example.com" || c.SMTPPassword != "s3cret" || c.EmailFrom != "Example <auth@example.com>" {
		t.Errorf("SMTP settings = %q %q %q", c.SMTPURL, c.SMTPPassword, c.EmailFrom)
	}
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	new(Config).Register(fs)
	if fs.Lookup("smtp-password") != nil {
		t.Error("the SMTP password must not be a flag: command lines are visible to other users")
	}
}

func TestSocialProviderURLs(t *testing.T) {
	tests := []struct {
		name                     string
		args                     []string
		env                      map[string]string
		wantFacebook, wantAmazon string
		wantErr                  []string
	}{
		{name: "defaults", wantFacebook: "https://graph.facebook.com", wantAmazon: "https://api.amazon.com"},
		{name: "flags", args: []string{"--facebook-graph-url", "http://127.0.0.1:8081", "--amazon-api-url", "http://127.0.0.1:8082/lwa"},
			wantFacebook: "http://127.0.0.1:8081", wantAmazon: "http://127.0.0.1:8082/lwa"},
		{name: "environment", env: map[string]string{"COGNATE_FACEBOOK_GRAPH_URL": "https://fb.test", "COGNATE_AMAZON_API_URL": "https://lwa.test"},
			wantFacebook: "https://fb.test", wantAmazon: "https://lwa.test"},
		{name: "flag wins", args: []string{"--facebook-graph-url", "https://flag.test"}, env: map[string]string{"COGNATE_FACEBOOK_GRAPH_URL": "https://env.test"},
			wantFacebook: "https://flag.test", wantAmazon: "https://api.amazon.com"},
		{name: "not absolute", args: []string{"--facebook-graph-url", "graph.facebook.com", "--amazon-api-url", "/auth"},
			wantErr: []string{`Facebook Graph URL "graph.facebook.com"`, `Amazon API URL "/auth"`}},
		{name: "not http", env: map[string]string{"COGNATE_AMAZON_API_URL": "ftp://api.amazon.com"}, wantErr: []string{`Amazon API URL "ftp://api.amazon.com"`}},
		{name: "with a query", args: []string{"--facebook-graph-url", "https://graph.facebook.com/?access_token=x"}, wantErr: []string{"Facebook Graph URL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := resolve(t, tt.args, tt.env)
			if tt.wantErr != nil {
				for _, want := range tt.wantErr {
					if err == nil || !strings.Contains(err.Error(), want) {
						t.Errorf("error %v, want one mentioning %s", err, want)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.FacebookGraphURL != tt.wantFacebook || c.AmazonAPIURL != tt.wantAmazon {
				t.Fatalf("URLs %q, %q; want %q, %q", c.FacebookGraphURL, c.AmazonAPIURL, tt.wantFacebook, tt.wantAmazon)
			}
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	env := map[string]string{"COGNATE_ADMIN_ACCESS_KEY_ID": "AKID", "COGNATE_DATABASE_URL": "mysql://x", "COGNATE_SMTP_URL": "http://mail"}
	_, err := resolve(t, []string{"--listen", "nope", "--region", "mars", "--log-level", "loud", "--email-from", "not an address",
		"--extra-regions", "eu-west-1,bogus", "--trusted-proxies", "nowhere", "--account-id", "12345", "--domain-suffix", "localhost"}, env)
	if err == nil {
		t.Fatal("invalid configuration accepted")
	}
	for _, want := range []string{"listen", "region", "database URL", "must be set together", "log level", "SMTP URL", "email sender",
		`extra region "bogus"`, `trusted proxy "nowhere"`, `account id "12345"`, `domain suffix "localhost"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestExtraRegions(t *testing.T) {
	tests := []struct {
		name        string
		args        []string
		env         map[string]string
		wantExtra   []string
		wantRegions []string
		wantErr     string
	}{
		{name: "none", wantRegions: []string{"us-east-1"}},
		{name: "flag", args: []string{"--extra-regions", "eu-west-1, ap-southeast-2 ,"},
			wantExtra: []string{"eu-west-1", "ap-southeast-2"}, wantRegions: []string{"us-east-1", "eu-west-1", "ap-southeast-2"}},
		{name: "environment", env: map[string]string{"COGNATE_EXTRA_REGIONS": "us-gov-west-1"},
			wantExtra: []string{"us-gov-west-1"}, wantRegions: []string{"us-east-1", "us-gov-west-1"}},
		{name: "flag wins", args: []string{"--extra-regions", "eu-west-2"}, env: map[string]string{"COGNATE_EXTRA_REGIONS": "eu-west-3"},
			wantExtra: []string{"eu-west-2"}, wantRegions: []string{"us-east-1", "eu-west-2"}},
		{name: "the main region again is served once", args: []string{"--region", "eu-west-1", "--extra-regions", "eu-west-1,us-east-1"},
			wantExtra: []string{"eu-west-1", "us-east-1"}, wantRegions: []string{"eu-west-1", "us-east-1"}},
		{name: "not a region", args: []string{"--extra-regions", "eu-west-1,bogus"}, wantErr: `extra region "bogus"`},
		{name: "upper case", env: map[string]string{"COGNATE_EXTRA_REGIONS": "EU-WEST-1"}, wantErr: `extra region "EU-WEST-1"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := resolve(t, tt.args, tt.env)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one mentioning %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(c.ExtraRegions, tt.wantExtra) || !slices.Equal(c.Regions(), tt.wantRegions) {
				t.Errorf("ExtraRegions %q, Regions() %q; want %q, %q", c.ExtraRegions, c.Regions(), tt.wantExtra, tt.wantRegions)
			}
		})
	}
}

func TestTrustedProxies(t *testing.T) {
	prefixes := func(ss ...string) []netip.Prefix {
		var out []netip.Prefix
		for _, s := range ss {
			out = append(out, netip.MustParsePrefix(s))
		}
		return out
	}
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    []netip.Prefix
		wantErr string
	}{
		{name: "none"},
		{name: "CIDRs and addresses", args: []string{"--trusted-proxies", "10.0.0.0/8, 192.0.2.7,fd00::/8,::1"},
			want: prefixes("10.0.0.0/8", "192.0.2.7/32", "fd00::/8", "::1/128")},
		{name: "environment, host bits cleared", env: map[string]string{"COGNATE_TRUSTED_PROXIES": "172.16.5.4/12"},
			want: prefixes("172.16.0.0/12")},
		{name: "not a network", args: []string{"--trusted-proxies", "10.0.0.0/8,proxy.internal"}, wantErr: `trusted proxy "proxy.internal"`},
		{name: "bad prefix length", args: []string{"--trusted-proxies", "10.0.0.0/33"}, wantErr: `trusted proxy "10.0.0.0/33"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := resolve(t, tt.args, tt.env)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one mentioning %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(c.TrustedProxies, tt.want) {
				t.Errorf("TrustedProxies = %v, want %v", c.TrustedProxies, tt.want)
			}
		})
	}
}

func TestLambdaSettings(t *testing.T) {
	type lambda struct{ endpoint, region, file, key, secret, token string }
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    lambda
		wantErr []string
	}{
		{name: "defaults"},
		{name: "flags", args: []string{"--lambda-endpoint", "http://127.0.0.1:9001", "--lambda-region", "eu-west-1", "--functions", "/etc/cognate/functions.json"},
			want: lambda{endpoint: "http://127.0.0.1:9001", region: "eu-west-1", file: "/etc/cognate/functions.json"}},
		{name: "environment", env: map[string]string{"COGNATE_LAMBDA_ENDPOINT": "https://lambda.us-east-1.amazonaws.com", "COGNATE_FUNCTIONS_FILE": "fn.json",
			"COGNATE_LAMBDA_REGION": "us-east-1", "COGNATE_LAMBDA_ACCESS_KEY_ID": "AKID", "COGNATE_LAMBDA_SECRET_ACCESS_KEY": "secret", "COGNATE_LAMBDA_SESSION_TOKEN": "token"},
			want: lambda{endpoint: "https://lambda.us-east-1.amazonaws.com", region: "us-east-1", file: "fn.json", key: "AKID", secret: "secret", token: "token"}},
		{name: "flag wins", args: []string{"--functions", "flag.json"}, env: map[string]string{"COGNATE_FUNCTIONS_FILE": "env.json"}, want: lambda{file: "flag.json"}},
		{name: "endpoint not absolute", args: []string{"--lambda-endpoint", "127.0.0.1:9001"}, wantErr: []string{`Lambda endpoint "127.0.0.1:9001"`}},
		{name: "endpoint with a query", args: []string{"--lambda-endpoint", "http://127.0.0.1:9001/?x=1"}, wantErr: []string{"Lambda endpoint"}},
		{name: "bad region", args: []string{"--lambda-region", "moon"}, wantErr: []string{`Lambda region "moon"`}},
		{name: "key without secret", env: map[string]string{"COGNATE_LAMBDA_ACCESS_KEY_ID": "AKID"}, wantErr: []string{"COGNATE_LAMBDA_SECRET_ACCESS_KEY must be set together"}},
		{name: "token without keys", env: map[string]string{"COGNATE_LAMBDA_SESSION_TOKEN": "t"}, wantErr: []string{"COGNATE_LAMBDA_SESSION_TOKEN needs"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := resolve(t, tt.args, tt.env)
			if tt.wantErr != nil {
				for _, want := range tt.wantErr {
					if err == nil || !strings.Contains(err.Error(), want) {
						t.Errorf("error %v, want one mentioning %s", err, want)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := lambda{c.LambdaEndpoint, c.LambdaRegion, c.FunctionsFile, c.LambdaAccessKeyID, c.LambdaSecretAccessKey, c.LambdaSessionToken}
			if got != tt.want {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	new(Config).Register(fs)
	for _, name := range []string{"lambda-access-key-id", "lambda-secret-access-key", "lambda-session-token"} {
		if fs.Lookup(name) != nil {
			t.Errorf("--%s must not be a flag: command lines are visible to other users", name)
		}
	}
}
