package userpool

import (
	"strings"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/store"
)

// filterable maps the attribute names ListUsers can filter on to the
// store's filter attribute.
var filterable = map[string]string{
	"username":            "username",
	"sub":                 "sub",
	"cognito:user_status": "status",
	"email":               "email",
	"phone_number":        "phone_number",
	"name":                "name",
	"given_name":          "given_name",
	"family_name":         "family_name",
	"preferred_username":  "preferred_username",
}

// asciiSpace is the white space a filter may have around its parts. Other
// Unicode spaces (U+00A0...) are not white space here: a filter made of
// them is malformed, not empty.
const asciiSpace = " \t\n\r\v\f"

// ParseFilter parses a ListUsers filter: `name = "value"` for an exact
// match or `name ^= "value"` for a prefix, or "" for every user.
func ParseFilter(s string) (store.UserFilter, error) {
	s = strings.Trim(s, asciiSpace)
	if s == "" {
		return store.UserFilter{}, nil
	}
	bad := apierr.New(apierr.InvalidParameter, "Error while parsing filter.")
	i := strings.IndexAny(s, "=^ \t")
	if i <= 0 {
		return store.UserFilter{}, bad
	}
	name, rest := s[:i], strings.TrimLeft(s[i:], " \t")
	var f store.UserFilter
	switch {
	case strings.HasPrefix(rest, "^="):
		f.Prefix, rest = true, rest[2:]
	case strings.HasPrefix(rest, "="):
		rest = rest[1:]
	default:
		return store.UserFilter{}, bad
	}
	value, ok := unquote(strings.Trim(rest, asciiSpace))
	if !ok {
		return store.UserFilter{}, bad
	}
	attr, ok := filterable[name]
	if !ok {
		return store.UserFilter{}, apierr.Newf(apierr.InvalidParameter, "Invalid search attribute: %s", name)
	}
	f.Attribute, f.Value = attr, value
	return f, nil
}

// unquote reads a double-quoted string with backslash escapes that makes
// up the whole of s.
func unquote(s string) (string, bool) {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return "", false
	}
	var b strings.Builder
	body := s[1 : len(s)-1]
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c == '\\':
			if i+1 >= len(body) {
				return "", false
			}
			i++
			b.WriteByte(body[i])
		case c == '"':
			return "", false
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}
