package storetest

import (
	"fmt"
	"testing"

	"github.com/cognate-auth/cognate/internal/store"
)

var groupTests = []test{
	{"Group/CreateGet", testGroupCreateGet},
	{"Group/Update", testGroupUpdate},
	{"Group/UpdateAbort", testGroupUpdateAbort},
	{"Group/Delete", testGroupDelete},
	{"Group/List", testGroupList},
	{"Group/Members", testGroupMembers},
	{"Group/MembersMissing", testGroupMembersMissing},
	{"Group/MembersPages", testGroupMembersPages},
	{"Group/DeleteUser", testGroupDeleteUser},
}

// newGroup returns a group of poolID with every field filled in.
func newGroup(poolID, name string, precedence int64) store.Group {
	return store.Group{
		PoolID:      poolID,
		Name:        name,
		Description: "the " + name,
		RoleARN:     "arn:aws:iam::123456789012:role/" + name,
		Precedence:  ptr(precedence),
		CreatedAt:   at(0),
		UpdatedAt:   at(1),
	}
}

func createGroup(t *testing.T, s store.Store, g store.Group) {
	t.Helper()
	must(t, "CreateGroup "+g.Name, s.CreateGroup(t.Context(), g))
}

// groupNames returns the names of groups, in their order.
func groupNames(gs []store.Group) []string {
	var names []string
	for _, g := range gs {
		names = append(names, g.Name)
	}
	return names
}

// groupsOf returns the names of the groups of the user owning key.
func groupsOf(t *testing.T, s store.Store, poolID string, key store.UserKey) []string {
	t.Helper()
	gs, err := s.GroupsOfUser(t.Context(), poolID, key)
	must(t, "GroupsOfUser", err)
	return groupNames(gs)
}

// membersOf returns the usernames of a group's members, all of them.
func membersOf(t *testing.T, s store.Store, poolID, name string) []string {
	t.Helper()
	users, err := s.ListGroupMembers(t.Context(), poolID, name, "", 0)
	must(t, "ListGroupMembers", err)
	var names []string
	for _, u := range users {
		names = append(names, u.Username)
	}
	return names
}

func testGroupCreateGet(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	createPool(t, s, poolB)
	full := newGroup(poolA, "admins", 0) // precedence 0 is a value, not "none"
	bare := store.Group{PoolID: poolA, Name: "Admins"}
	for _, g := range []store.Group{full, bare} {
		createGroup(t, s, g)
		got, err := s.GetGroup(ctx, poolA, g.Name)
		must(t, "GetGroup "+g.Name, err)
		equal(t, "GetGroup "+g.Name, got, g)
	}

	wantErr(t, "CreateGroup again", s.CreateGroup(ctx, newGroup(poolA, "admins", 5)), store.ErrAlreadyExists)
	equal(t, "group after a refused duplicate", getGroup(t, s, poolA, "admins"), full)
	wantErr(t, "CreateGroup in missing pool", s.CreateGroup(ctx, newGroup("us-east-1_missing", "admins", 0)), store.ErrNotFound)
	// Names are unique per pool only.
	createGroup(t, s, newGroup(poolB, "admins", 1))

	for _, c := range []struct{ pool, name string }{
		{poolA, "nobody"},
		{poolA, "ADMINS"},
		{"us-east-1_missing", "admins"},
	} {
		_, err := s.GetGroup(ctx, c.pool, c.name)
		wantErr(t, fmt.Sprintf("GetGroup %s/%s", c.pool, c.name), err, store.ErrNotFound)
	}
}

func getGroup(t *testing.T, s store.Store, poolID, name string) store.Group {
	t.Helper()
	g, err := s.GetGroup(t.Context(), poolID, name)
	must(t, "GetGroup "+name, err)
	return g
}

func testGroupUpdate(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	g := newGroup(poolA, "admins", 3)
	createGroup(t, s, g)

	cases := []struct {
		name   string
		change func(*store.Group)
	}{
		{"description", func(g *store.Group) { g.Description = "changed"; g.UpdatedAt = at(9) }},
		{"role", func(g *store.Group) { g.RoleARN = "arn:aws:iam::123456789012:role/other" }},
		{"precedence", func(g *store.Group) { g.Precedence = ptr[int64](0) }},
		{"no precedence", func(g *store.Group) { g.Precedence = nil }},
		{"nothing optional", func(g *store.Group) { g.Description, g.RoleARN = "", "" }},
	}
	want := g
	for _, c := range cases {
		var seen store.Group
		got, err := s.UpdateGroup(ctx, poolA, g.Name, func(old store.Group) (store.Group, error) {
			seen = old
			c.change(&old)
			return old, nil
		})
		must(t, c.name, err)
		equal(t, c.name+": updater's argument", seen, want)
		c.change(&want)
		equal(t, c.name+": result", got, want)
		equal(t, c.name+": stored", getGroup(t, s, poolA, g.Name), want)
	}

	called := false
	_, err := s.UpdateGroup(ctx, poolA, "nobody", func(g store.Group) (store.Group, error) { called = true; return g, nil })
	wantErr(t, "UpdateGroup missing", err, store.ErrNotFound)
	if called {
		t.Fatal("UpdateGroup called the updater for a missing group")
	}
	_, err = s.UpdateGroup(ctx, poolA, g.Name, func(g store.Group) (store.Group, error) { g.Name = "renamed"; return g, nil })
	if err == nil {
		t.Fatal("UpdateGroup let the updater rename the group")
	}
}

func testGroupUpdateAbort(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	g := newGroup(poolA, "admins", 3)
	createGroup(t, s, g)
	_, err := s.UpdateGroup(ctx, poolA, g.Name, func(old store.Group) (store.Group, error) {
		old.Description = "changed"
		return old, errUpdater
	})
	wantErr(t, "UpdateGroup with failing updater", err, errUpdater)
	equal(t, "group after aborted update", getGroup(t, s, poolA, g.Name), g)
}

func testGroupDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	alice := newUser(poolA, "alice", 1)
	must(t, "CreateUser", s.CreateUser(ctx, alice))
	createGroup(t, s, newGroup(poolA, "admins", 0))
	createGroup(t, s, newGroup(poolA, "editors", 1))
	for _, name := range []string{"admins", "editors"} {
		must(t, "AddUserToGroup "+name, s.AddUserToGroup(ctx, poolA, name, alice.Keys[0]))
	}

	// A group with members can be deleted; its memberships go with it.
	must(t, "DeleteGroup", s.DeleteGroup(ctx, poolA, "admins"))
	_, err := s.GetGroup(ctx, poolA, "admins")
	wantErr(t, "GetGroup deleted", err, store.ErrNotFound)
	equal(t, "alice's groups", groupsOf(t, s, poolA, alice.Keys[0]), []string{"editors"})
	wantErr(t, "DeleteGroup again", s.DeleteGroup(ctx, poolA, "admins"), store.ErrNotFound)

	// A group made again under the name starts empty.
	createGroup(t, s, newGroup(poolA, "admins", 0))
	equal(t, "members of the new group", membersOf(t, s, poolA, "admins"), nil)
	equal(t, "user after the delete", getUser(t, s, poolA, alice.Keys[0]), alice)
}

func testGroupList(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	createPool(t, s, poolB)
	for i, name := range []string{"editors", "Admins", "readers", "admins", "writers"} {
		createGroup(t, s, newGroup(poolA, name, int64(i)))
	}
	createGroup(t, s, newGroup(poolB, "others", 0))

	var got []string
	after := ""
	for {
		gs, err := s.ListGroups(ctx, poolA, after, 2)
		must(t, "ListGroups", err)
		if len(gs) > 2 {
			t.Fatalf("ListGroups returned %d groups, limit 2", len(gs))
		}
		if len(gs) == 0 {
			break
		}
		for _, g := range gs {
			equal(t, "listed group", g, getGroup(t, s, poolA, g.Name))
		}
		got = append(got, groupNames(gs)...)
		after = gs[len(gs)-1].Name
	}
	// Byte order.
	equal(t, "paged group names", got, []string{"Admins", "admins", "editors", "readers", "writers"})

	all, err := s.ListGroups(ctx, poolA, "", 0)
	must(t, "ListGroups without limit", err)
	equal(t, "groups without limit", len(all), 5)
	none, err := s.ListGroups(ctx, "us-east-1_missing", "", 10)
	must(t, "ListGroups of missing pool", err)
	equal(t, "groups of missing pool", len(none), 0)
}

func testGroupMembers(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	createPool(t, s, poolB)
	alice, bob := newUser(poolA, "alice", 1), newUser(poolA, "bob", 2)
	for _, u := range []store.User{alice, bob} {
		must(t, "CreateUser", s.CreateUser(ctx, u))
	}
	must(t, "CreateUser in other pool", s.CreateUser(ctx, newUser(poolB, "alice", 1)))
	for i, name := range []string{"writers", "admins", "editors"} {
		createGroup(t, s, newGroup(poolA, name, int64(i)))
	}
	createGroup(t, s, newGroup(poolB, "admins", 0))

	// Any of a user's keys names it; adding a member again changes nothing.
	must(t, "AddUserToGroup by username", s.AddUserToGroup(ctx, poolA, "writers", alice.Keys[0]))
	must(t, "AddUserToGroup by sub", s.AddUserToGroup(ctx, poolA, "admins", alice.Keys[1]))
	must(t, "AddUserToGroup by email", s.AddUserToGroup(ctx, poolA, "admins", alice.Keys[2]))
	must(t, "AddUserToGroup bob", s.AddUserToGroup(ctx, poolA, "admins", bob.Keys[0]))

	gs, err := s.GroupsOfUser(ctx, poolA, alice.Keys[2])
	must(t, "GroupsOfUser", err)
	equal(t, "alice's groups, by name", gs, []store.Group{getGroup(t, s, poolA, "admins"), getGroup(t, s, poolA, "writers")})
	equal(t, "bob's groups", groupsOf(t, s, poolA, bob.Keys[1]), []string{"admins"})
	equal(t, "alice's groups in the other pool", groupsOf(t, s, poolB, alice.Keys[0]), nil)
	equal(t, "groups of an unknown user", groupsOf(t, s, poolA, store.UserKey{Kind: store.KeyUsername, Value: "nobody"}), nil)

	members, err := s.ListGroupMembers(ctx, poolA, "admins", "", 0)
	must(t, "ListGroupMembers", err)
	equal(t, "members of admins", members, []store.User{alice, bob})
	equal(t, "members of editors", membersOf(t, s, poolA, "editors"), nil)
	equal(t, "members of admins in the other pool", membersOf(t, s, poolB, "admins"), nil)
	equal(t, "members of an unknown group", membersOf(t, s, poolA, "nobody"), nil)

	// Removing a member, then a user who is not one.
	must(t, "RemoveUserFromGroup", s.RemoveUserFromGroup(ctx, poolA, "admins", alice.Keys[2]))
	must(t, "RemoveUserFromGroup of a non-member", s.RemoveUserFromGroup(ctx, poolA, "admins", alice.Keys[0]))
	must(t, "RemoveUserFromGroup never added", s.RemoveUserFromGroup(ctx, poolA, "editors", bob.Keys[0]))
	equal(t, "alice's groups after removal", groupsOf(t, s, poolA, alice.Keys[0]), []string{"writers"})
	equal(t, "members of admins after removal", membersOf(t, s, poolA, "admins"), []string{"bob"})
	// Memberships leave the users and groups themselves alone.
	equal(t, "alice", getUser(t, s, poolA, alice.Keys[0]), alice)
	equal(t, "admins", getGroup(t, s, poolA, "admins"), newGroup(poolA, "admins", 1))
}

func testGroupMembersMissing(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	alice := newUser(poolA, "alice", 1)
	must(t, "CreateUser", s.CreateUser(ctx, alice))
	createGroup(t, s, newGroup(poolA, "admins", 0))
	nobody := store.UserKey{Kind: store.KeyUsername, Value: "nobody"}
	for _, c := range []struct {
		what, pool, group string
		key               store.UserKey
	}{
		{"unknown group", poolA, "nobody", alice.Keys[0]},
		{"unknown user", poolA, "admins", nobody},
		{"key of another kind", poolA, "admins", store.UserKey{Kind: "phone_number", Value: alice.Keys[2].Value}},
		{"missing pool", "us-east-1_missing", "admins", alice.Keys[0]},
	} {
		wantErr(t, "AddUserToGroup, "+c.what, s.AddUserToGroup(ctx, c.pool, c.group, c.key), store.ErrNotFound)
		wantErr(t, "RemoveUserFromGroup, "+c.what, s.RemoveUserFromGroup(ctx, c.pool, c.group, c.key), store.ErrNotFound)
	}
	equal(t, "members after refused additions", membersOf(t, s, poolA, "admins"), nil)
}

func testGroupMembersPages(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	createGroup(t, s, newGroup(poolA, "all", 0))
	names := []string{"Eve", "bob", "Alice", "dave", "carol", "frank", "Zed"}
	for i, name := range names {
		u := newUser(poolA, name, i)
		must(t, "CreateUser", s.CreateUser(ctx, u))
		must(t, "AddUserToGroup", s.AddUserToGroup(ctx, poolA, "all", u.Keys[1]))
	}
	must(t, "CreateUser outside the group", s.CreateUser(ctx, newUser(poolA, "aaron", 99)))

	var got []string
	after := ""
	for {
		users, err := s.ListGroupMembers(ctx, poolA, "all", after, 3)
		must(t, "ListGroupMembers", err)
		if len(users) > 3 {
			t.Fatalf("ListGroupMembers returned %d users, limit 3", len(users))
		}
		if len(users) == 0 {
			break
		}
		for _, u := range users {
			got = append(got, u.Username)
		}
		after = users[len(users)-1].Keys[0].Value // the username key
	}
	// Ordered by username key, as ListUsers.
	equal(t, "paged members", got, []string{"Alice", "bob", "carol", "dave", "Eve", "frank", "Zed"})
}

// testGroupDeleteUser: deleting a user ends its memberships; a user made
// again with the same keys is nobody's member.
func testGroupDeleteUser(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	alice, bob := newUser(poolA, "alice", 1), newUser(poolA, "bob", 2)
	must(t, "CreateUser", s.CreateUser(ctx, alice))
	must(t, "CreateUser", s.CreateUser(ctx, bob))
	createGroup(t, s, newGroup(poolA, "admins", 0))
	must(t, "AddUserToGroup", s.AddUserToGroup(ctx, poolA, "admins", alice.Keys[0]))
	must(t, "AddUserToGroup", s.AddUserToGroup(ctx, poolA, "admins", bob.Keys[0]))

	must(t, "DeleteUser", s.DeleteUser(ctx, poolA, alice.Keys[1]))
	equal(t, "members after the delete", membersOf(t, s, poolA, "admins"), []string{"bob"})
	must(t, "CreateUser again", s.CreateUser(ctx, alice))
	equal(t, "groups of the user made again", groupsOf(t, s, poolA, alice.Keys[0]), nil)
	equal(t, "group after the delete", getGroup(t, s, poolA, "admins"), newGroup(poolA, "admins", 0))
}
