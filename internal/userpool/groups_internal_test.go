package userpool

import (
	"slices"
	"testing"

	"github.com/cognate-auth/cognate/internal/store"
)

func group(name string, precedence *int64, role string) store.Group {
	return store.Group{Name: name, Precedence: precedence, RoleARN: role}
}

func prec(n int64) *int64 { return &n }

const (
	roleA = "arn:aws:iam::123456789012:role/a"
	roleB = "arn:aws:iam::123456789012:role/b"
	roleC = "arn:aws:iam::123456789012:role/c"
)

func TestSortGroups(t *testing.T) {
	gs := []store.Group{
		group("zeta", nil, ""),
		group("beta", prec(10), ""),
		group("alpha", nil, ""),
		group("gamma", prec(2), ""),
		group("delta", prec(10), ""),
		group("omega", prec(0), ""),
		group("big", prec(1<<31-1), ""),
	}
	sortGroups(gs)
	var names []string
	for _, g := range gs {
		names = append(names, g.Name)
	}
	// Precedence ascending (2 before 10: by value, not text), none last,
	// then name.
	want := []string{"omega", "gamma", "beta", "delta", "big", "alpha", "zeta"}
	if !slices.Equal(names, want) {
		t.Fatalf("order %v, want %v", names, want)
	}
}

func TestClaimsOf(t *testing.T) {
	cases := []struct {
		name      string
		groups    []store.Group // in claim order
		roles     []string
		preferred string
	}{
		{"no groups", nil, nil, ""},
		{"groups without roles", []store.Group{group("a", prec(1), ""), group("b", nil, "")}, nil, ""},
		{"one role", []store.Group{group("a", prec(1), ""), group("b", prec(2), roleB)}, []string{roleB}, roleB},
		{"lowest precedence with a role wins",
			[]store.Group{group("a", prec(0), roleA), group("b", prec(1), roleB), group("c", nil, roleC)},
			[]string{roleA, roleB, roleC}, roleA},
		{"a group without a role does not take precedence",
			[]store.Group{group("a", prec(0), ""), group("b", prec(5), roleB), group("c", nil, roleC)},
			[]string{roleB, roleC}, roleB},
		{"a group with precedence beats one without",
			[]store.Group{group("b", prec(9), roleB), group("a", nil, roleA)},
			[]string{roleB, roleA}, roleB},
		{"same precedence, different roles: none preferred",
			[]store.Group{group("a", prec(1), roleA), group("b", prec(1), roleB), group("c", prec(2), roleC)},
			[]string{roleA, roleB, roleC}, ""},
		{"same precedence, same role: that role",
			[]store.Group{group("a", prec(1), roleA), group("b", prec(1), roleA), group("c", prec(2), roleC)},
			[]string{roleA, roleC}, roleA},
		{"same precedence, one without a role",
			[]store.Group{group("a", prec(1), ""), group("b", prec(1), roleB)},
			[]string{roleB}, roleB},
		{"no precedence anywhere, different roles: none preferred",
			[]store.Group{group("a", nil, roleA), group("b", nil, roleB)},
			[]string{roleA, roleB}, ""},
		{"no precedence anywhere, one role", []store.Group{group("a", nil, ""), group("b", nil, roleB)}, []string{roleB}, roleB},
	}
	for _, c := range cases {
		got := claimsOf(c.groups)
		var names []string
		for _, g := range c.groups {
			names = append(names, g.Name)
		}
		if !slices.Equal(got.Groups, names) {
			t.Errorf("%s: cognito:groups %v, want %v", c.name, got.Groups, names)
		}
		if !slices.Equal(got.Roles, c.roles) {
			t.Errorf("%s: cognito:roles %v, want %v", c.name, got.Roles, c.roles)
		}
		if got.PreferredRole != c.preferred {
			t.Errorf("%s: cognito:preferred_role %q, want %q", c.name, got.PreferredRole, c.preferred)
		}
	}
}
