package userpool

import (
	"maps"
	"testing"

	"github.com/cognate-auth/cognate/internal/store"
)

// Changing a verified email or phone number leaves it unverified: Cognito
// then reports email_verified "false" (GetUser, the ID token's claim), it
// does not drop the attribute.
func TestUnverifyChanged(t *testing.T) {
	verified := map[string]string{"email": "a@x.io", "email_verified": "true", "phone_number": "+15550000000", "phone_number_verified": "true"}
	cases := []struct {
		name  string
		attrs []Attribute
		want  map[string]string // changes to verified
	}{
		{"new email", []Attribute{{"email", "b@x.io"}}, map[string]string{"email": "b@x.io", "email_verified": "false"}},
		{"same email", []Attribute{{"email", "a@x.io"}}, nil},
		{"other attribute", []Attribute{{"name", "Ada"}}, map[string]string{"name": "Ada"}},
		{"new phone", []Attribute{{"phone_number", "+15551111111"}}, map[string]string{"phone_number": "+15551111111", "phone_number_verified": "false"}},
		{"email and its verification together (administrators)", []Attribute{{"email", "b@x.io"}, {"email_verified", "true"}},
			map[string]string{"email": "b@x.io"}},
		{"email removed", []Attribute{{"email", ""}}, map[string]string{"email": "", "email_verified": ""}},
	}
	for _, c := range cases {
		u := &store.User{Attributes: maps.Clone(verified)}
		for _, a := range c.attrs { // what applyAttributes did
			if a.Value == "" {
				delete(u.Attributes, a.Name)
			} else {
				u.Attributes[a.Name] = a.Value
			}
		}
		unverifyChanged(verified, u, c.attrs)
		want := maps.Clone(verified)
		for k, v := range c.want {
			if v == "" {
				delete(want, k)
			} else {
				want[k] = v
			}
		}
		if !maps.Equal(u.Attributes, want) {
			t.Errorf("%s: attributes %v, want %v", c.name, u.Attributes, want)
		}
	}
}
