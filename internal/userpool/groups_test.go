package userpool_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/signin"
	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/testutil/domaintest"
	"github.com/cognate-auth/cognate/internal/userpool"
)

// groupEnv is a service on a fresh SQLite store with a pool whose users
// also sign in with a verified email, an app client for the password and
// refresh flows, and confirmed users alice and bob.
type groupEnv struct {
	svc              *userpool.Service
	engine           *signin.Engine
	poolID, clientID string
}

const groupPassword = "Group-Passw0rd!"

func newGroupEnv(t *testing.T) *groupEnv {
	t.Helper()
	ctx := t.Context()
	env := domaintest.New(t, false)
	svc := env.Pools
	p, err := svc.CreatePool(ctx, "us-east-1", userpool.PoolInput{Name: "groups",
		Settings: store.PoolSettings{AliasAttributes: []string{"email"}}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := svc.CreateClient(ctx, p.ID, userpool.ClientInput{Name: "app", Settings: store.ClientSettings{
		ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}})
	if err != nil {
		t.Fatal(err)
	}
	e := &groupEnv{svc: svc, engine: env.SignIn, poolID: p.ID, clientID: c.ID}
	for _, name := range []string{"alice", "bob"} {
		if _, err := svc.SignUp(ctx, userpool.SignUpInput{ClientID: c.ID, Username: name, Password: groupPassword,
			Attributes: []userpool.Attribute{{Name: "email", Value: name + "@example.com"}}}); err != nil {
			t.Fatal(err)
		}
		if err := svc.AdminConfirmSignUp(ctx, p.ID, name, nil); err != nil {
			t.Fatal(err)
		}
		if err := svc.AdminUpdateUserAttributes(ctx, p.ID, name, []userpool.Attribute{{Name: "email_verified", Value: "true"}}, nil); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

func (e *groupEnv) createGroup(t *testing.T, name string, precedence *int64, role string) store.Group {
	t.Helper()
	in := userpool.GroupInput{PoolID: e.poolID, Name: name, Precedence: precedence, Description: ptr("the " + name)}
	if role != "" {
		in.RoleARN = &role
	}
	g, err := e.svc.CreateGroup(t.Context(), in)
	if err != nil {
		t.Fatalf("CreateGroup %s: %v", name, err)
	}
	return g
}

func ptr[T any](v T) *T { return &v }

// wantAPIError fails t unless err is an *apierr.Error with code and message.
func wantAPIError(t *testing.T, what string, err error, code, message string) {
	t.Helper()
	if !apierr.HasCode(err, code) || apierr.As(err).Message != message {
		t.Fatalf("%s: err = %v, want %s %q", what, err, code, message)
	}
}

func names(gs []store.Group) []string {
	var out []string
	for _, g := range gs {
		out = append(out, g.Name)
	}
	return out
}

func TestGroupLifecycle(t *testing.T) {
	e := newGroupEnv(t)
	ctx := t.Context()
	g := e.createGroup(t, "admins", ptr[int64](1), "arn:aws:iam::123456789012:role/admin")
	if g.CreatedAt.IsZero() || !g.UpdatedAt.Equal(g.CreatedAt) || g.PoolID != e.poolID {
		t.Fatalf("created group %+v", g)
	}
	got, err := e.svc.Group(ctx, e.poolID, "admins")
	if err != nil || got.Description != "the admins" || *got.Precedence != 1 {
		t.Fatalf("Group = %+v, %v", got, err)
	}

	// UpdateGroup changes what it is sent and keeps the rest.
	cases := []struct {
		name   string
		in     userpool.GroupInput
		expect func(*store.Group)
	}{
		{"nothing", userpool.GroupInput{}, func(*store.Group) {}},
		{"description", userpool.GroupInput{Description: ptr("changed")}, func(g *store.Group) { g.Description = "changed" }},
		{"precedence 0", userpool.GroupInput{Precedence: ptr[int64](0)}, func(g *store.Group) { g.Precedence = ptr[int64](0) }},
		{"role", userpool.GroupInput{RoleARN: ptr("arn:aws:iam::123456789012:role/other")},
			func(g *store.Group) { g.RoleARN = "arn:aws:iam::123456789012:role/other" }},
	}
	want := got
	for _, c := range cases {
		c.in.PoolID, c.in.Name = e.poolID, "admins"
		updated, err := e.svc.UpdateGroup(ctx, c.in)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		c.expect(&want)
		want.UpdatedAt = updated.UpdatedAt
		if updated.Description != want.Description || updated.RoleARN != want.RoleARN || *updated.Precedence != *want.Precedence ||
			!updated.CreatedAt.Equal(want.CreatedAt) {
			t.Fatalf("%s: updated %+v, want %+v", c.name, updated, want)
		}
	}

	if err := e.svc.DeleteGroup(ctx, e.poolID, "admins"); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Group(ctx, e.poolID, "admins")
	wantAPIError(t, "Group after delete", err, apierr.ResourceNotFound, "Group not found.")
}

func TestGroupErrors(t *testing.T) {
	e := newGroupEnv(t)
	ctx := t.Context()
	e.createGroup(t, "admins", nil, "")
	const missingPool = "us-east-1_AAAAAAAAA"
	poolGone := "User pool " + missingPool + " does not exist."

	_, err := e.svc.CreateGroup(ctx, userpool.GroupInput{PoolID: e.poolID, Name: "admins"})
	wantAPIError(t, "CreateGroup duplicate", err, apierr.GroupExists, "A group with the name already exists.")
	// Names are case-sensitive.
	e.createGroup(t, "Admins", nil, "")

	cases := []struct {
		name          string
		call          func() error
		code, message string
	}{
		{"CreateGroup, unknown pool", func() error {
			_, err := e.svc.CreateGroup(ctx, userpool.GroupInput{PoolID: missingPool, Name: "x"})
			return err
		}, apierr.ResourceNotFound, poolGone},
		{"Group, unknown group", func() error { _, err := e.svc.Group(ctx, e.poolID, "nobody"); return err },
			apierr.ResourceNotFound, "Group not found."},
		{"Group, unknown pool", func() error { _, err := e.svc.Group(ctx, missingPool, "admins"); return err },
			apierr.ResourceNotFound, poolGone},
		{"UpdateGroup, unknown group", func() error {
			_, err := e.svc.UpdateGroup(ctx, userpool.GroupInput{PoolID: e.poolID, Name: "nobody", Description: ptr("x")})
			return err
		}, apierr.ResourceNotFound, "Group not found."},
		{"DeleteGroup, unknown group", func() error { return e.svc.DeleteGroup(ctx, e.poolID, "nobody") },
			apierr.ResourceNotFound, "Group not found."},
		{"ListGroups, unknown pool", func() error { _, _, err := e.svc.ListGroups(ctx, missingPool, "", 10); return err },
			apierr.ResourceNotFound, poolGone},
		{"AdminAddUserToGroup, unknown group", func() error { return e.svc.AdminAddUserToGroup(ctx, e.poolID, "alice", "nobody") },
			apierr.ResourceNotFound, "Group not found."},
		{"AdminAddUserToGroup, unknown user", func() error { return e.svc.AdminAddUserToGroup(ctx, e.poolID, "nobody", "admins") },
			apierr.UserNotFound, "User does not exist."},
		{"AdminAddUserToGroup, unknown group and user", func() error {
			return e.svc.AdminAddUserToGroup(ctx, e.poolID, "nobody", "nobody")
		}, apierr.ResourceNotFound, "Group not found."},
		{"AdminAddUserToGroup, unknown pool", func() error { return e.svc.AdminAddUserToGroup(ctx, missingPool, "alice", "admins") },
			apierr.ResourceNotFound, poolGone},
		{"AdminRemoveUserFromGroup, unknown group", func() error {
			return e.svc.AdminRemoveUserFromGroup(ctx, e.poolID, "alice", "nobody")
		}, apierr.ResourceNotFound, "Group not found."},
		{"AdminRemoveUserFromGroup, unknown user", func() error {
			return e.svc.AdminRemoveUserFromGroup(ctx, e.poolID, "nobody", "admins")
		}, apierr.UserNotFound, "User does not exist."},
		{"AdminListGroupsForUser, unknown user", func() error {
			_, _, err := e.svc.AdminListGroupsForUser(ctx, e.poolID, "nobody", "", 10)
			return err
		}, apierr.UserNotFound, "User does not exist."},
		{"ListUsersInGroup, unknown group", func() error {
			_, _, err := e.svc.ListUsersInGroup(ctx, e.poolID, "nobody", "", 10)
			return err
		}, apierr.ResourceNotFound, "Group not found."},
	}
	for _, c := range cases {
		wantAPIError(t, c.name, c.call(), c.code, c.message)
	}
}

func TestGroupMembership(t *testing.T) {
	e := newGroupEnv(t)
	ctx := t.Context()
	for _, name := range []string{"readers", "admins", "editors"} {
		e.createGroup(t, name, nil, "")
	}
	// The username, or an alias the pool signs in with, names the user;
	// adding a member again succeeds.
	for _, add := range [][2]string{{"alice", "admins"}, {"alice@example.com", "readers"}, {"ALICE@example.com", "readers"}, {"bob", "admins"}} {
		if err := e.svc.AdminAddUserToGroup(ctx, e.poolID, add[0], add[1]); err != nil {
			t.Fatalf("AdminAddUserToGroup %s %s: %v", add[0], add[1], err)
		}
	}
	gs, next, err := e.svc.AdminListGroupsForUser(ctx, e.poolID, "alice", "", 60)
	if err != nil || next != "" || !slices.Equal(names(gs), []string{"admins", "readers"}) {
		t.Fatalf("alice's groups %v, next %q, %v", names(gs), next, err)
	}
	members, next, err := e.svc.ListUsersInGroup(ctx, e.poolID, "admins", "", 60)
	if err != nil || next != "" || len(members) != 2 || members[0].User.Username != "alice" || members[1].User.Username != "bob" {
		t.Fatalf("members of admins %+v, next %q, %v", members, next, err)
	}
	if a := members[0].Attributes; len(a) == 0 || a[0].Name != "sub" || !slices.Contains(a, userpool.Attribute{Name: "email", Value: "alice@example.com"}) {
		t.Fatalf("member attributes %+v", a)
	}

	// Removing a user who is not a member succeeds.
	for _, rm := range [][2]string{{"alice@example.com", "admins"}, {"alice", "admins"}, {"bob", "editors"}} {
		if err := e.svc.AdminRemoveUserFromGroup(ctx, e.poolID, rm[0], rm[1]); err != nil {
			t.Fatalf("AdminRemoveUserFromGroup %s %s: %v", rm[0], rm[1], err)
		}
	}
	gs, _, _ = e.svc.AdminListGroupsForUser(ctx, e.poolID, "alice", "", 60)
	if !slices.Equal(names(gs), []string{"readers"}) {
		t.Fatalf("alice's groups after removal %v", names(gs))
	}

	// Deleting a user or a group ends its memberships.
	if err := e.svc.AdminDeleteUser(ctx, e.poolID, "alice"); err != nil {
		t.Fatal(err)
	}
	members, _, _ = e.svc.ListUsersInGroup(ctx, e.poolID, "readers", "", 60)
	if len(members) != 0 {
		t.Fatalf("readers still has %+v", members)
	}
	if err := e.svc.DeleteGroup(ctx, e.poolID, "admins"); err != nil {
		t.Fatal(err)
	}
	gs, _, _ = e.svc.AdminListGroupsForUser(ctx, e.poolID, "bob", "", 60)
	if len(gs) != 0 {
		t.Fatalf("bob is still in %v", names(gs))
	}
}

func TestGroupPages(t *testing.T) {
	e := newGroupEnv(t)
	ctx := t.Context()
	precedences := map[string]*int64{"g1": ptr[int64](10), "g2": nil, "g3": ptr[int64](2), "g4": ptr[int64](10), "g5": nil, "g6": ptr[int64](0)}
	for _, name := range []string{"g1", "g2", "g3", "g4", "g5", "g6"} {
		e.createGroup(t, name, precedences[name], "")
		if err := e.svc.AdminAddUserToGroup(ctx, e.poolID, "bob", name); err != nil {
			t.Fatal(err)
		}
	}
	pages := func(list func(after string) ([]store.Group, string, error)) []string {
		var all []string
		after := ""
		for range 10 {
			gs, next, err := list(after)
			if err != nil {
				t.Fatal(err)
			}
			if len(gs) > 4 {
				t.Fatalf("page of %d, limit 4", len(gs))
			}
			all = append(all, names(gs)...)
			if next == "" {
				return all
			}
			if strings.ContainsAny(next, " \t\n") {
				t.Fatalf("token %q has white space", next)
			}
			after = next
		}
		t.Fatal("pagination does not end")
		return nil
	}
	byName := pages(func(after string) ([]store.Group, string, error) { return e.svc.ListGroups(ctx, e.poolID, after, 4) })
	if !slices.Equal(byName, []string{"g1", "g2", "g3", "g4", "g5", "g6"}) {
		t.Fatalf("ListGroups pages %v", byName)
	}
	// A user's groups come in claim order: precedence, none last, then name.
	ranked := pages(func(after string) ([]store.Group, string, error) {
		return e.svc.AdminListGroupsForUser(ctx, e.poolID, "bob", after, 4)
	})
	if !slices.Equal(ranked, []string{"g6", "g3", "g1", "g4", "g2", "g5"}) {
		t.Fatalf("AdminListGroupsForUser pages %v", ranked)
	}
	// An exact page has no token after it.
	if _, next, _ := e.svc.ListGroups(ctx, e.poolID, "", 6); next != "" {
		t.Fatalf("ListGroups of exactly a page: next %q", next)
	}

	for _, name := range []string{"carol", "dave", "erin"} {
		if _, err := e.svc.AdminCreateUser(ctx, userpool.AdminCreateUserInput{PoolID: e.poolID, Username: name, MessageAction: "SUPPRESS",
			Attributes: []userpool.Attribute{{Name: "email", Value: name + "@example.com"}}}); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.AdminAddUserToGroup(ctx, e.poolID, name, "g1"); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.svc.AdminAddUserToGroup(ctx, e.poolID, "alice", "g1"); err != nil {
		t.Fatal(err)
	}
	var members []string
	after := ""
	for {
		page, next, err := e.svc.ListUsersInGroup(ctx, e.poolID, "g1", after, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range page {
			members = append(members, m.User.Username)
		}
		if next == "" {
			break
		}
		after = next
	}
	if !slices.Equal(members, []string{"alice", "bob", "carol", "dave", "erin"}) {
		t.Fatalf("ListUsersInGroup pages %v", members)
	}
}

// claims decodes a JWT's payload; tokens' signatures are checked elsewhere.
func claims(t *testing.T, token string) map[string]any {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", token)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func (e *groupEnv) signIn(ctx context.Context, t *testing.T, name string) *signin.Tokens {
	t.Helper()
	r, err := e.engine.Start(ctx, signin.StartInput{ClientID: e.clientID, Flow: signin.UserPassword,
		Parameters: map[string]string{"USERNAME": name, "PASSWORD": groupPassword}})
	if err != nil || r.Tokens == nil {
		t.Fatalf("sign-in: %v, %+v", err, r)
	}
	return r.Tokens
}

func TestGroupClaims(t *testing.T) {
	e := newGroupEnv(t)
	ctx := t.Context()
	const admin, editor = "arn:aws:iam::123456789012:role/admin", "arn:aws:iam::123456789012:role/editor"
	e.createGroup(t, "readers", nil, "")
	e.createGroup(t, "editors", ptr[int64](5), editor)
	e.createGroup(t, "admins", ptr[int64](1), admin)

	// No groups, no group claims.
	tk := e.signIn(ctx, t, "alice")
	for _, c := range []map[string]any{claims(t, tk.IDToken), claims(t, tk.AccessToken)} {
		for _, k := range []string{"cognito:groups", "cognito:roles", "cognito:preferred_role"} {
			if _, ok := c[k]; ok {
				t.Fatalf("token of a user in no group has %s: %v", k, c)
			}
		}
	}

	for _, g := range []string{"readers", "editors", "admins"} {
		if err := e.svc.AdminAddUserToGroup(ctx, e.poolID, "alice", g); err != nil {
			t.Fatal(err)
		}
	}
	check := func(what string, tk *signin.Tokens, groups, roles []any, preferred any) {
		t.Helper()
		id, access := claims(t, tk.IDToken), claims(t, tk.AccessToken)
		for _, c := range []struct {
			token map[string]any
			claim string
			want  any
		}{
			{id, "cognito:groups", groups},
			{access, "cognito:groups", groups},
			{id, "cognito:roles", roles},
			{id, "cognito:preferred_role", preferred},
			{access, "cognito:roles", nil},
			{access, "cognito:preferred_role", nil},
		} {
			got := c.token[c.claim]
			if gotList, ok := got.([]any); ok {
				if wantList, _ := c.want.([]any); slices.Equal(gotList, wantList) {
					continue
				}
			} else if got == c.want {
				continue
			}
			t.Errorf("%s: %s %s = %v, want %v", what, c.token["token_use"], c.claim, got, c.want)
		}
	}
	tk = e.signIn(ctx, t, "alice@example.com")
	check("sign-in", tk, []any{"admins", "editors", "readers"}, []any{admin, editor}, admin)

	// A refresh reads the memberships again.
	if err := e.svc.AdminRemoveUserFromGroup(ctx, e.poolID, "alice", "admins"); err != nil {
		t.Fatal(err)
	}
	r, err := e.engine.Start(ctx, signin.StartInput{ClientID: e.clientID, Flow: signin.RefreshToken,
		Parameters: map[string]string{"REFRESH_TOKEN": tk.RefreshToken}})
	if err != nil || r.Tokens == nil {
		t.Fatalf("refresh: %v", err)
	}
	check("refresh", r.Tokens, []any{"editors", "readers"}, []any{editor}, editor)

	// Two groups of one precedence with different roles: no preferred role.
	e.createGroup(t, "auditors", ptr[int64](5), admin)
	if err := e.svc.AdminAddUserToGroup(ctx, e.poolID, "alice", "auditors"); err != nil {
		t.Fatal(err)
	}
	check("tie", e.signIn(ctx, t, "alice"), []any{"auditors", "editors", "readers"}, []any{admin, editor}, nil)
}
