package storetest

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/cognate-auth/cognate/internal/store"
)

var userTests = []test{
	{"User/CreateGet", testUserCreateGet},
	{"User/CreateKeyConflict", testUserCreateKeyConflict},
	{"User/CreateMissingPool", testUserCreateMissingPool},
	{"User/Update", testUserUpdate},
	{"User/UpdateKeys", testUserUpdateKeys},
	{"User/UpdateKeyConflict", testUserUpdateKeyConflict},
	{"User/UpdateAbort", testUserUpdateAbort},
	{"User/UpdateMissing", testUserUpdateMissing},
	{"User/Delete", testUserDelete},
	{"User/ListPages", testUserListPages},
	{"User/ListFilter", testUserListFilter},
	{"User/Count", testUserCount},
}

// subOf returns the sub of the n-th fixture user.
func subOf(n int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }

// newUser returns user number n of a pool, with every field filled in and
// three keys: its username (lower-cased), its sub and its email.
func newUser(poolID, username string, n int) store.User {
	email := strings.ToLower(username) + "@example.com"
	return store.User{
		PoolID:    poolID,
		Username:  username,
		Sub:       subOf(n),
		Status:    store.StatusConfirmed,
		Enabled:   true,
		CreatedAt: at(0),
		UpdatedAt: at(1),
		Attributes: map[string]string{
			"email":          email,
			"email_verified": "true",
			"custom:tenant":  fmt.Sprintf("tenant-%d", n%2),
		},
		Keys: []store.UserKey{
			{Kind: store.KeyUsername, Value: strings.ToLower(username)},
			{Kind: store.KeySub, Value: subOf(n)},
			{Kind: "email", Value: email},
		},
		Password: &store.PasswordVerifier{
			Salt:     bytes.Repeat([]byte{byte(n), 0x5a}, 8),
			Verifier: bytes.Repeat([]byte{0xc3, byte(n)}, 128),
		},
		PasswordExpiresAt: at(7 * 24 * 60),
		Codes: map[string]store.Code{
			"verify:email": {Hash: []byte("0123456789abcdef0123456789abcdef"), ExpiresAt: at(30), Attempts: 1, Destination: "email"},
		},
		MFA: &store.UserMFA{
			Enabled:   []string{store.MFATOTP, store.MFAEmail},
			Preferred: store.MFATOTP,
			TOTP: &store.TOTPAuthenticator{Secret: bytes.Repeat([]byte{0x7e, byte(n)}, 16), FriendlyName: "phone",
				CreatedAt: at(2), LastStep: 58_000_000 + int64(n)},
			PendingTOTP: &store.TOTPAuthenticator{Secret: bytes.Repeat([]byte{0x1f, byte(n)}, 16), CreatedAt: at(4)},
		},
	}
}

func createPool(t *testing.T, s store.Store, id string) {
	t.Helper()
	must(t, "CreatePool", s.CreatePool(t.Context(), newPool(id)))
}

func getUser(t *testing.T, s store.Store, poolID string, key store.UserKey) store.User {
	t.Helper()
	u, err := s.GetUserByKey(t.Context(), poolID, key)
	must(t, fmt.Sprintf("GetUserByKey %s=%s", key.Kind, key.Value), err)
	return u
}

const poolA, poolB = "us-east-1_AAAAAAAAA", "us-east-1_BBBBBBBBB"

func testUserCreateGet(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	createPool(t, s, poolB)
	u := newUser(poolA, "Alice", 1)
	must(t, "CreateUser", s.CreateUser(ctx, u))
	for _, k := range u.Keys {
		equal(t, "GetUserByKey "+k.Kind, getUser(t, s, poolA, k), u)
	}

	// A user with nothing optional: no password, attributes, codes or times.
	bare := store.User{
		PoolID: poolA, Username: "bare", Sub: subOf(2), Status: store.StatusExternalProvider,
		Keys: []store.UserKey{{Kind: store.KeyUsername, Value: "bare"}, {Kind: store.KeySub, Value: subOf(2)}},
	}
	must(t, "CreateUser bare", s.CreateUser(ctx, bare))
	equal(t, "bare user", getUser(t, s, poolA, bare.Keys[1]), bare)

	for _, c := range []struct {
		name string
		pool string
		key  store.UserKey
	}{
		{"unknown username", poolA, store.UserKey{Kind: store.KeyUsername, Value: "bob"}},
		{"username as typed, not as keyed", poolA, store.UserKey{Kind: store.KeyUsername, Value: "Alice"}},
		{"value of another kind", poolA, store.UserKey{Kind: "phone_number", Value: "alice@example.com"}},
		{"other pool", poolB, u.Keys[0]},
		{"missing pool", "us-east-1_missing", u.Keys[0]},
	} {
		_, err := s.GetUserByKey(ctx, c.pool, c.key)
		wantErr(t, "GetUserByKey "+c.name, err, store.ErrNotFound)
	}
}

func testUserCreateKeyConflict(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	createPool(t, s, poolB)
	alice := newUser(poolA, "alice", 1)
	must(t, "CreateUser", s.CreateUser(ctx, alice))

	cases := []struct {
		name  string
		user  store.User
		taken store.UserKey
	}{
		{"same username", newUser(poolA, "alice", 2), alice.Keys[0]},
		{"same sub", func() store.User {
			u := newUser(poolA, "bob", 1)
			u.Keys = u.Keys[:2]
			return u
		}(), alice.Keys[1]},
		{"same email", func() store.User {
			u := newUser(poolA, "carol", 3)
			u.Keys[2].Value = "alice@example.com"
			return u
		}(), alice.Keys[2]},
	}
	for _, c := range cases {
		wantKeyConflict(t, c.name, s.CreateUser(ctx, c.user), c.taken)
		// Nothing of the refused user was kept.
		for _, k := range c.user.Keys {
			if slices.Contains(alice.Keys, k) {
				continue
			}
			_, err := s.GetUserByKey(ctx, poolA, k)
			wantErr(t, c.name+": key "+k.Kind+" of the refused user", err, store.ErrNotFound)
		}
	}
	equal(t, "alice after conflicts", getUser(t, s, poolA, alice.Keys[0]), alice)
	n, err := s.CountUsers(ctx, poolA)
	must(t, "CountUsers", err)
	equal(t, "users after conflicts", n, 1)

	// Keys are unique per pool only.
	must(t, "CreateUser in another pool", s.CreateUser(ctx, newUser(poolB, "alice", 1)))
}

func testUserCreateMissingPool(t *testing.T, s store.Store) {
	wantErr(t, "CreateUser in missing pool", s.CreateUser(t.Context(), newUser(poolA, "alice", 1)), store.ErrNotFound)
}

func testUserUpdate(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	u := newUser(poolA, "alice", 1)
	must(t, "CreateUser", s.CreateUser(ctx, u))

	cases := []struct {
		name   string
		change func(*store.User)
	}{
		{"expiry", func(u *store.User) { u.PasswordExpiresAt = at(10); u.UpdatedAt = at(10) }},
		{"status", func(u *store.User) { u.Status = store.StatusResetRequired; u.Enabled = false }},
		{"attributes", func(u *store.User) {
			u.Attributes = map[string]string{"email": "alice@example.com", "name": "Alice Liddell"}
		}},
		{"codes", func(u *store.User) { u.Codes = nil }},
		{"code of a sign-in", func(u *store.User) {
			u.Codes = map[string]store.Code{"mfa": {Hash: []byte("hash"), ExpiresAt: at(12), Attempts: 2, Session: "c2lnbi1pbg"}}
		}},
		{"MFA preference", func(u *store.User) {
			mfa := *u.MFA
			mfa.Enabled, mfa.Preferred = []string{store.MFASMS}, store.MFASMS
			u.MFA = &mfa
		}},
		{"TOTP verified", func(u *store.User) {
			mfa := *u.MFA
			mfa.TOTP, mfa.PendingTOTP = mfa.PendingTOTP, nil
			u.MFA = &mfa
		}},
		{"no MFA", func(u *store.User) { u.MFA = nil }},
		{"new password", func(u *store.User) {
			u.Password = &store.PasswordVerifier{Salt: []byte("salt"), Verifier: []byte("verifier")}
			u.PasswordExpiresAt = store.User{}.PasswordExpiresAt
		}},
		{"no password", func(u *store.User) { u.Password = nil }},
	}
	want := u
	for _, c := range cases {
		var seen store.User
		got, err := s.UpdateUser(ctx, poolA, u.Keys[1], func(old store.User) (store.User, error) {
			seen = old
			c.change(&old)
			return old, nil
		})
		must(t, c.name, err)
		equal(t, c.name+": updater's argument", seen, want)
		c.change(&want)
		equal(t, c.name+": result", got, want)
		equal(t, c.name+": stored", getUser(t, s, poolA, u.Keys[0]), want)
	}

	_, err := s.UpdateUser(ctx, poolA, u.Keys[0], func(u store.User) (store.User, error) { u.PoolID = poolB; return u, nil })
	if err == nil {
		t.Fatal("UpdateUser let the updater move the user to another pool")
	}
}

func testUserUpdateKeys(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	alice, bob := newUser(poolA, "alice", 1), newUser(poolA, "bob", 2)
	must(t, "CreateUser", s.CreateUser(ctx, alice))
	must(t, "CreateUser", s.CreateUser(ctx, bob))

	// Alice adds a phone number and drops her email.
	phone := store.UserKey{Kind: "phone_number", Value: "+15555550100"}
	got, err := s.UpdateUser(ctx, poolA, alice.Keys[0], func(u store.User) (store.User, error) {
		u.Keys = []store.UserKey{u.Keys[0], u.Keys[1], phone}
		return u, nil
	})
	must(t, "UpdateUser keys", err)
	equal(t, "found by the new key", getUser(t, s, poolA, phone), got)
	_, err = s.GetUserByKey(ctx, poolA, alice.Keys[2])
	wantErr(t, "GetUserByKey of the dropped key", err, store.ErrNotFound)

	// Her old email is free: Bob takes it.
	_, err = s.UpdateUser(ctx, poolA, bob.Keys[0], func(u store.User) (store.User, error) {
		u.Keys[2] = alice.Keys[2]
		return u, nil
	})
	must(t, "UpdateUser taking a freed key", err)
	equal(t, "owner of the freed key", getUser(t, s, poolA, alice.Keys[2]).Username, "bob")
	_, err = s.GetUserByKey(ctx, poolA, bob.Keys[2])
	wantErr(t, "GetUserByKey of bob's old email", err, store.ErrNotFound)

	// A value may move from one kind to another in one update.
	moved := store.UserKey{Kind: "preferred_username", Value: phone.Value}
	_, err = s.UpdateUser(ctx, poolA, alice.Keys[0], func(u store.User) (store.User, error) {
		u.Keys = []store.UserKey{u.Keys[0], u.Keys[1], moved}
		return u, nil
	})
	must(t, "UpdateUser moving a value between kinds", err)
	equal(t, "owner of the moved key", getUser(t, s, poolA, moved).Username, "alice")
	_, err = s.GetUserByKey(ctx, poolA, phone)
	wantErr(t, "GetUserByKey of the old kind", err, store.ErrNotFound)
}

func testUserUpdateKeyConflict(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	alice, bob := newUser(poolA, "alice", 1), newUser(poolA, "bob", 2)
	must(t, "CreateUser", s.CreateUser(ctx, alice))
	must(t, "CreateUser", s.CreateUser(ctx, bob))

	_, err := s.UpdateUser(ctx, poolA, bob.Keys[0], func(u store.User) (store.User, error) {
		u.Attributes["email"] = "alice@example.com"
		u.Keys[2] = alice.Keys[2]
		u.Status = store.StatusResetRequired
		return u, nil
	})
	wantKeyConflict(t, "UpdateUser to a taken email", err, alice.Keys[2])
	equal(t, "bob after the refused update", getUser(t, s, poolA, bob.Keys[2]), bob)
	equal(t, "alice after the refused update", getUser(t, s, poolA, alice.Keys[2]), alice)
}

func testUserUpdateAbort(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	u := newUser(poolA, "alice", 1)
	must(t, "CreateUser", s.CreateUser(ctx, u))
	_, err := s.UpdateUser(ctx, poolA, u.Keys[0], func(old store.User) (store.User, error) {
		old.Status = store.StatusResetRequired
		old.Keys = append(old.Keys, store.UserKey{Kind: "phone_number", Value: "+15555550100"})
		return old, errUpdater
	})
	wantErr(t, "UpdateUser with failing updater", err, errUpdater)
	equal(t, "user after aborted update", getUser(t, s, poolA, u.Keys[0]), u)
	_, err = s.GetUserByKey(ctx, poolA, store.UserKey{Kind: "phone_number", Value: "+15555550100"})
	wantErr(t, "key of the aborted update", err, store.ErrNotFound)
}

func testUserUpdateMissing(t *testing.T, s store.Store) {
	createPool(t, s, poolA)
	called := false
	_, err := s.UpdateUser(t.Context(), poolA, store.UserKey{Kind: store.KeyUsername, Value: "nobody"},
		func(u store.User) (store.User, error) { called = true; return u, nil })
	wantErr(t, "UpdateUser missing", err, store.ErrNotFound)
	if called {
		t.Fatal("UpdateUser called the updater for a missing user")
	}
}

func testUserDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	alice, bob := newUser(poolA, "alice", 1), newUser(poolA, "bob", 2)
	must(t, "CreateUser", s.CreateUser(ctx, alice))
	must(t, "CreateUser", s.CreateUser(ctx, bob))
	aliceSession, bobSession := newSession("s-alice", alice, "client", 1), newSession("s-bob", bob, "client", 2)
	must(t, "CreateSession", s.CreateSession(ctx, aliceSession))
	must(t, "CreateSession", s.CreateSession(ctx, bobSession))

	must(t, "DeleteUser", s.DeleteUser(ctx, poolA, alice.Keys[2])) // by email
	for _, k := range alice.Keys {
		_, err := s.GetUserByKey(ctx, poolA, k)
		wantErr(t, "GetUserByKey "+k.Kind+" of deleted user", err, store.ErrNotFound)
	}
	_, err := s.GetSession(ctx, aliceSession.ID)
	wantErr(t, "GetSession of deleted user", err, store.ErrNotFound)
	_, err = s.GetSession(ctx, bobSession.ID)
	must(t, "GetSession of another user", err)
	equal(t, "other user", getUser(t, s, poolA, bob.Keys[0]), bob)

	wantErr(t, "DeleteUser again", s.DeleteUser(ctx, poolA, alice.Keys[0]), store.ErrNotFound)
	// The keys are free again.
	must(t, "CreateUser after delete", s.CreateUser(ctx, alice))
}

func testUserListPages(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	createPool(t, s, poolB)
	names := []string{"Eve", "bob", "Alice", "dave", "carol", "frank", "Zed"}
	for i, name := range names {
		must(t, "CreateUser", s.CreateUser(ctx, newUser(poolA, name, i)))
	}
	must(t, "CreateUser in other pool", s.CreateUser(ctx, newUser(poolB, "aaron", 99)))

	var got []string
	after := ""
	for {
		users, err := s.ListUsers(ctx, poolA, store.UserFilter{}, after, 3)
		must(t, "ListUsers", err)
		if len(users) > 3 {
			t.Fatalf("ListUsers returned %d users, limit 3", len(users))
		}
		if len(users) == 0 {
			break
		}
		for _, u := range users {
			got = append(got, u.Username)
		}
		after = users[len(users)-1].Keys[0].Value // the username key
	}
	// Ordered by username key (lower-cased here), byte order.
	equal(t, "paged usernames", got, []string{"Alice", "bob", "carol", "dave", "Eve", "frank", "Zed"})

	users, err := s.ListUsers(ctx, poolA, store.UserFilter{}, "", 0)
	must(t, "ListUsers without limit", err)
	equal(t, "users without limit", len(users), len(names))
	equal(t, "listed user", users[0], newUser(poolA, "Alice", 2))
}

func testUserListFilter(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	for i, name := range []string{"alice", "albert", "bob", "alfred", "carol"} {
		u := newUser(poolA, name, i)
		if name == "bob" {
			u.Status = store.StatusUnconfirmed
		}
		must(t, "CreateUser", s.CreateUser(ctx, u))
	}
	cases := []struct {
		filter store.UserFilter
		after  string
		limit  int
		want   []string
	}{
		{store.UserFilter{Attribute: "username", Value: "bob"}, "", 10, []string{"bob"}},
		{store.UserFilter{Attribute: "username", Value: "bo"}, "", 10, nil},
		{store.UserFilter{Attribute: "username", Value: "al", Prefix: true}, "", 10, []string{"albert", "alfred", "alice"}},
		{store.UserFilter{Attribute: "username", Value: "al", Prefix: true}, "albert", 1, []string{"alfred"}},
		{store.UserFilter{Attribute: "username", Value: "AL", Prefix: true}, "", 10, nil},
		{store.UserFilter{Attribute: "username", Value: "", Prefix: true}, "", 2, []string{"albert", "alfred"}},
		{store.UserFilter{Attribute: "sub", Value: subOf(3)}, "", 10, []string{"alfred"}},
		{store.UserFilter{Attribute: "sub", Value: "00000000-0000-4000", Prefix: true}, "", 10, []string{"albert", "alfred", "alice", "bob", "carol"}},
		{store.UserFilter{Attribute: "status", Value: store.StatusUnconfirmed}, "", 10, []string{"bob"}},
		{store.UserFilter{Attribute: "status", Value: "CONF", Prefix: true}, "", 10, []string{"albert", "alfred", "alice", "carol"}},
		{store.UserFilter{Attribute: "email", Value: "carol@example.com"}, "", 10, []string{"carol"}},
		{store.UserFilter{Attribute: "email", Value: "al", Prefix: true}, "", 10, []string{"albert", "alfred", "alice"}},
		{store.UserFilter{Attribute: "email", Value: "%", Prefix: true}, "", 10, nil},
		{store.UserFilter{Attribute: "email", Value: "_lice@example.com"}, "", 10, nil},
		{store.UserFilter{Attribute: "custom:tenant", Value: "tenant-1"}, "", 10, []string{"albert", "alfred"}},
		{store.UserFilter{Attribute: "name", Value: "x"}, "", 10, nil},
	}
	for _, c := range cases {
		users, err := s.ListUsers(ctx, poolA, c.filter, c.after, c.limit)
		must(t, fmt.Sprintf("ListUsers %+v", c.filter), err)
		var got []string
		for _, u := range users {
			got = append(got, u.Username)
		}
		equal(t, fmt.Sprintf("ListUsers %+v after %q limit %d", c.filter, c.after, c.limit), got, c.want)
	}
}

func testUserCount(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	createPool(t, s, poolB)
	for i := range 5 {
		must(t, "CreateUser", s.CreateUser(ctx, newUser(poolA, fmt.Sprintf("user%d", i), i)))
	}
	must(t, "CreateUser", s.CreateUser(ctx, newUser(poolB, "other", 9)))
	must(t, "DeleteUser", s.DeleteUser(ctx, poolA, store.UserKey{Kind: store.KeyUsername, Value: "user0"}))
	for pool, want := range map[string]int64{poolA: 4, poolB: 1, "us-east-1_missing": 0} {
		n, err := s.CountUsers(ctx, pool)
		must(t, "CountUsers", err)
		equal(t, "CountUsers "+pool, n, want)
	}
}
