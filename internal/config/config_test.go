package config

import (
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
	want := Config{Listen: DefaultListen, DataDir: DefaultDataDir, Region: DefaultRegion, PublicURL: "http://127.0.0.1:9229",
		MasterKeyFile: "cognate-data/master.key", LogLevel: "info", EmailFrom: "no-reply@verificationemail.com"}
	if c != want {
		t.Fatalf("got %+v\nwant %+v", c, want)
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

func TestValidateReportsEveryProblem(t *testing.T) {
	env := map[string]string{"COGNATE_ADMIN_ACCESS_KEY_ID": "AKID", "COGNATE_DATABASE_URL": "mysql://x", "COGNATE_SMTP_URL": "http://mail"}
	_, err := resolve(t, []string{"--listen", "nope", "--region", "mars", "--log-level", "loud", "--email-from", "not an address"}, env)
	if err == nil {
		t.Fatal("invalid configuration accepted")
	}
	for _, want := range []string{"listen", "region", "database URL", "must be set together", "log level", "SMTP URL", "email sender"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}
