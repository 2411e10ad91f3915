package bench

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseOps(t *testing.T) {
	cases := []struct {
		in   string
		want []string
		err  string
	}{
		{"all", AllOps, ""},
		{"getuser,srp", []string{OpSRP, OpGetUser}, ""}, // AllOps order
		{" SRP , srp,,password ", []string{OpPassword, OpSRP}, ""},
		{"signup,all", AllOps, ""},
		{"forged", []string{OpForged}, ""},
		{"forged,getuser", []string{OpGetUser, OpForged}, ""},
		{"all,forged", slices.Concat(AllOps, []string{OpForged}), ""},
		{"triggers,srp,password", []string{OpPassword, OpTriggers, OpSRP}, ""}, // right after its baseline
		{"all,triggers", slices.Insert(slices.Clone(AllOps), 2, OpTriggers), ""},
		{"login", nil, `unknown operation "login"`},
		{"", nil, "no operation"},
		{" , ", nil, "no operation"},
	}
	for _, c := range cases {
		got, err := ParseOps(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseOps(%q) error = %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("ParseOps(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
}

func validOptions() Options {
	return Options{Endpoint: DefaultEndpoint, Region: "us-east-1", Concurrency: 4, Duration: time.Second, Rounds: 1,
		Ops: AllOps, Users: 10, Sessions: 10, Forged: 10, ForgedIDLen: DefaultForgedIDLen, AdminKeyID: "AKIA", AdminSecret: "s",
		DomainSuffix: DefaultDomainSuffix}
}

// withTriggers adds the triggers operation and what it needs to o.
func withTriggers(o Options) Options {
	o.Ops = append(slices.Clone(o.Ops), OpTriggers)
	o.TriggerARN, o.WebhookAddr, o.WebhookSecret = DefaultTriggerARN, DefaultWebhookAddr, "0123456789abcdef"
	return o
}

func TestValidate(t *testing.T) {
	if err := validOptions().Validate(); err != nil {
		t.Fatalf("valid options: %v", err)
	}
	if err := withTriggers(validOptions()).Validate(); err != nil {
		t.Fatalf("valid options with triggers: %v", err)
	}
	cases := []struct {
		edit func(*Options)
		want string
	}{
		{func(o *Options) { o.Endpoint = "http://10.0.0.1:9229" }, "not a loopback"},
		{func(o *Options) { o.Endpoint = "ftp://127.0.0.1" }, "http:// or https://"},
		{func(o *Options) { o.Concurrency = 0 }, "concurrency"},
		{func(o *Options) { o.Duration = 0 }, "duration"},
		{func(o *Options) { o.Duration = 2 * MaxDuration }, "duration"},
		{func(o *Options) { o.Users = 0 }, "users"},
		{func(o *Options) { o.Rounds = 0 }, "rounds"},
		{func(o *Options) { o.Sessions = 11 }, "sessions"},
		{func(o *Options) { o.ClientID = "abc" }, "--client needs --pool"},
		{func(o *Options) { o.ReuseUsers = true }, "--reuse-users needs --pool"},
		{func(o *Options) { o.AdminSecret = "" }, "administrator key"},
		{func(o *Options) { o.Ops = nil }, "no operation"},
		{func(o *Options) { o.Ops = []string{OpForged}; o.Forged = 0 }, "forged requests"},
		{func(o *Options) { o.Ops = []string{OpForged}; o.ForgedIDLen = maxPoolIDLen }, "forged pool id length"},
		{func(o *Options) { o.Ops = []string{OpForged}; o.Settle = -time.Second }, "settle"},
		{func(o *Options) { o.DomainSuffix = "" }, "domain suffix"},
		{func(o *Options) { o.DomainSuffix = "auth.localhost:9229" }, "domain suffix"},
		{func(o *Options) { *o = withTriggers(*o); o.WebhookSecret = "short" }, "COGNATE_BENCH_WEBHOOK_SECRET"},
		{func(o *Options) { *o = withTriggers(*o); o.WebhookAddr = "0.0.0.0:9231" }, "loopback host:port"},
		{func(o *Options) { *o = withTriggers(*o); o.WebhookAddr = "127.0.0.1" }, "loopback host:port"},
		{func(o *Options) { *o = withTriggers(*o); o.TriggerARN = "pre-auth" }, "Lambda function ARN"},
	}
	for _, c := range cases {
		o := validOptions()
		c.edit(&o)
		if err := o.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Validate() = %v, want an error mentioning %q", err, c.want)
		}
	}
	// Every problem is reported at once.
	o := validOptions()
	o.Concurrency, o.Users = 0, 0
	if err := o.Validate(); err == nil || !strings.Contains(err.Error(), "concurrency") || !strings.Contains(err.Error(), "users") {
		t.Errorf("Validate() = %v, want both problems", err)
	}
}

func TestCheckEndpoint(t *testing.T) {
	for _, ok := range []string{"http://127.0.0.1:9229", "http://localhost:1", "https://[::1]:8443/", "http://127.1.2.3"} {
		if err := checkEndpoint(ok, false); err != nil {
			t.Errorf("checkEndpoint(%s) = %v", ok, err)
		}
	}
	for _, bad := range []string{"http://example.com", "http://192.168.1.1:9229", "127.0.0.1:9229", ""} {
		if err := checkEndpoint(bad, false); err == nil {
			t.Errorf("checkEndpoint(%q) accepted", bad)
		}
	}
	if err := checkEndpoint("https://cognito.example.com", true); err != nil {
		t.Errorf("remote endpoint with --allow-remote: %v", err)
	}
}
