package userpool

import (
	"testing"

	"github.com/cognate-auth/cognate/internal/store"
)

func TestParseFilter(t *testing.T) {
	cases := []struct {
		in   string
		want store.UserFilter
		ok   bool
	}{
		{``, store.UserFilter{}, true},
		{`email = "a@example.com"`, store.UserFilter{Attribute: "email", Value: "a@example.com"}, true},
		{`username ^= "jo"`, store.UserFilter{Attribute: "username", Value: "jo", Prefix: true}, true},
		{`cognito:user_status="UNCONFIRMED"`, store.UserFilter{Attribute: "status", Value: "UNCONFIRMED"}, true},
		{`name = "say \"hi\""`, store.UserFilter{Attribute: "name", Value: `say "hi"`}, true},
		{`name = ""`, store.UserFilter{Attribute: "name", Value: ""}, true},
		{`custom:x = "1"`, store.UserFilter{}, false},
		{`email = a@example.com`, store.UserFilter{}, false},
		{`email != "x"`, store.UserFilter{}, false},
		{`email = "x" extra`, store.UserFilter{}, false},
		{`= "x"`, store.UserFilter{}, false},
		{`email = "x\"`, store.UserFilter{}, false},
	}
	for _, c := range cases {
		got, err := ParseFilter(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseFilter(%q) = %+v, %v; want %+v ok=%v", c.in, got, err, c.want, c.ok)
		}
	}
}

func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{`email = "a"`, `username ^= "x\\"`, `sub="`, ``} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseFilter(s)
		if err == nil && got.Attribute == "" && s != "" && len(s) > 0 {
			for _, c := range s {
				if c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\v' && c != '\f' {
					t.Fatalf("non-empty filter %q parsed to empty filter", s)
				}
			}
		}
	})
}
