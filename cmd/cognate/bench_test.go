package main

import (
	"strings"
	"testing"
)

func TestAdminKeyFromEnv(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	cases := []struct {
		env              map[string]string
		wantID, wantSecr string
	}{
		{map[string]string{"AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "a", "COGNATE_ADMIN_ACCESS_KEY_ID": "C", "COGNATE_ADMIN_SECRET_ACCESS_KEY": "c"}, "A", "a"},
		{map[string]string{"AWS_ACCESS_KEY_ID": "A", "COGNATE_ADMIN_ACCESS_KEY_ID": "C", "COGNATE_ADMIN_SECRET_ACCESS_KEY": "c"}, "C", "c"},
		{map[string]string{}, "", ""},
	}
	for _, c := range cases {
		if id, secret := adminKeyFromEnv(env(c.env)); id != c.wantID || secret != c.wantSecr {
			t.Errorf("adminKeyFromEnv(%v) = %s, %s; want %s, %s", c.env, id, secret, c.wantID, c.wantSecr)
		}
	}
}

// TestBenchRejectsBadFlags checks that bad settings stop bench before it
// sends anything.
func TestBenchRejectsBadFlags(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--ops", "signup,login"}, `unknown operation "login"`},
		{[]string{"--endpoint", "http://203.0.113.7:9229"}, "not a loopback address"},
		{[]string{"--concurrency", "0", "--duration", "-1s"}, "concurrency"},
		{[]string{"--client", "abc"}, "--client needs --pool"},
		{[]string{"--users", "5", "--sessions", "6"}, "sessions must be"},
		{[]string{"--duration", "soon"}, "invalid argument"},
		{[]string{"--ops", "forged", "--forged", "0"}, "forged requests must be"},
	}
	for _, c := range cases {
		_, err := run(t, append([]string{"bench"}, c.args...)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("bench %v: err = %v, want %q", c.args, err, c.want)
		}
	}
}
