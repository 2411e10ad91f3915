package userpool

import (
	"slices"
	"strings"
	"testing"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/store"
)

func TestCheckPassword(t *testing.T) {
	strict := DefaultPasswordPolicy()
	lax := store.PasswordPolicy{MinimumLength: 6}
	cases := []struct {
		policy   store.PasswordPolicy
		password string
		want     string // "" for accepted, else a fragment of the message
	}{
		{strict, "Corr3ct-Horse!", ""},
		{strict, "Sh0rt!", "not long enough"},
		{strict, "ALLUPPER1!", "lowercase"},
		{strict, "alllower1!", "uppercase"},
		{strict, "NoDigits!!", "numeric"},
		{strict, "NoSymbols11", "symbol"},
		{strict, " Leading1!x", "space"},
		{strict, "Ünïcödé1!Aa", ""},
		{lax, "abcdef", ""},
		{lax, "abcde", "not long enough"},
		{store.PasswordPolicy{MinimumLength: 2}, "abcde", "not long enough"}, // never below 6
	}
	for _, c := range cases {
		err := checkPassword(c.policy, c.password)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%q rejected: %v", c.password, err)
		case c.want != "" && (err == nil || !apierr.HasCode(err, apierr.InvalidPassword) || !contains(err.Error(), c.want)):
			t.Errorf("%q: err = %v, want InvalidPasswordException mentioning %q", c.password, err, c.want)
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func TestUserKeys(t *testing.T) {
	emailAlias := store.Pool{Settings: store.PoolSettings{AliasAttributes: []string{"email", "preferred_username"}}}
	emailUsername := store.Pool{Settings: store.PoolSettings{UsernameAttributes: []string{"email"}, CaseSensitive: true}}
	u := store.User{Username: "Alice", Sub: "s-1", Attributes: map[string]string{"email": "A@X.io", "preferred_username": "Al"}}
	verified := u
	verified.Attributes = map[string]string{"email": "A@X.io", "email_verified": "true"}
	cases := []struct {
		name string
		pool store.Pool
		user store.User
		want []store.UserKey
	}{
		{"alias unverified email is no key", emailAlias, u, []store.UserKey{{Kind: "username", Value: "alice"}, {Kind: "sub", Value: "s-1"}, {Kind: "preferred_username", Value: "al"}}},
		{"alias verified email is a key", emailAlias, verified, []store.UserKey{{Kind: "username", Value: "alice"}, {Kind: "sub", Value: "s-1"}, {Kind: "email", Value: "a@x.io"}}},
		{"email as username always a key", emailUsername, u, []store.UserKey{{Kind: "username", Value: "Alice"}, {Kind: "sub", Value: "s-1"}, {Kind: "email", Value: "a@x.io"}}},
	}
	for _, c := range cases {
		if got := userKeys(c.pool, c.user); !slices.Equal(got, c.want) {
			t.Errorf("%s: keys = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestClientSettingsDefaultsAndRanges(t *testing.T) {
	p := store.Pool{Settings: store.PoolSettings{Schema: standardSchema()}}
	st, err := clientSettings(p, ClientInput{})
	if err != nil {
		t.Fatal(err)
	}
	if st.AccessTokenValidity != 60 || st.TokenValidityUnits.AccessToken != "minutes" || st.RefreshTokenValidity != 30 ||
		st.TokenValidityUnits.RefreshToken != "days" || !st.EnableTokenRevocation || st.AuthSessionValidity != 3 {
		t.Fatalf("defaults = %+v", st)
	}
	hours, err := clientSettings(p, ClientInput{Settings: store.ClientSettings{TokenValidityUnits: store.TokenUnits{AccessToken: "hours"}}})
	if err != nil || hours.AccessTokenValidity != 1 {
		t.Fatalf("default validity in hours = %d, %v", hours.AccessTokenValidity, err)
	}
	bad := []store.ClientSettings{
		{AccessTokenValidity: 2},
		{IDTokenValidity: 2, TokenValidityUnits: store.TokenUnits{IDToken: "days"}},
		{RefreshTokenValidity: 30, TokenValidityUnits: store.TokenUnits{RefreshToken: "minutes"}},
		{ReadAttributes: []string{"nope"}},
		{WriteAttributes: []string{"sub"}},
		{AuthSessionValidity: 16},
	}
	for _, b := range bad {
		if _, err := clientSettings(p, ClientInput{Settings: b}); !apierr.HasCode(err, apierr.InvalidParameter) {
			t.Errorf("%+v accepted (err %v)", b, err)
		}
	}
}
