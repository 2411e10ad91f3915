package oauth

import (
	"slices"
	"strings"
	"testing"
)

func TestParseScope(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"   ", nil},
		{"rs/read", []string{"rs/read"}},
		{"rs/read  rs/write rs/read", []string{"rs/read", "rs/write"}},
		// Only spaces separate scopes (RFC 6749 section 3.3): a tab is part of one.
		{"a\tb c", []string{"a\tb", "c"}},
	}
	for _, c := range cases {
		got, ok := ParseScope(c.in)
		if !ok || !slices.Equal(got, c.want) {
			t.Errorf("ParseScope(%q) = %q, %v; want %q", c.in, got, ok, c.want)
		}
	}
	many := make([]string, MaxScopes+1)
	for i := range many {
		many[i] = "rs/s" + strings.Repeat("x", i)
	}
	if _, ok := ParseScope(strings.Join(many[:MaxScopes], " ")); !ok {
		t.Errorf("%d scopes refused", MaxScopes)
	}
	if _, ok := ParseScope(strings.Join(many, " ")); ok {
		t.Errorf("%d scopes accepted", MaxScopes+1)
	}
	// Repeats do not count towards the bound.
	if got, ok := ParseScope(strings.Repeat("rs/a ", 10*MaxScopes)); !ok || len(got) != 1 {
		t.Errorf("repeated scope: %q, %v", got, ok)
	}
}

func TestIsStandardScope(t *testing.T) {
	for _, s := range []string{"openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"} {
		if !IsStandardScope(s) {
			t.Errorf("%s is not standard", s)
		}
	}
	for _, s := range []string{"", "OPENID", "rs/read", "offline_access"} {
		if IsStandardScope(s) {
			t.Errorf("%q is standard", s)
		}
	}
}

func FuzzParseScope(f *testing.F) {
	for _, s := range []string{"", "openid email", "rs/a rs/b rs/a", " \t "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParseScope(s)
		if !ok {
			return
		}
		if len(got) > MaxScopes {
			t.Fatalf("%d scopes", len(got))
		}
		for i, g := range got {
			if g == "" || strings.Contains(g, " ") || slices.Contains(got[:i], g) {
				t.Fatalf("scope %q in %q", g, got)
			}
		}
	})
}
