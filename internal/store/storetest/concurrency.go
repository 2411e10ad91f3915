package storetest

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/cognate-auth/cognate/internal/store"
)

var concurrencyTests = []test{
	{"CreateUserRace", testCreateUserRace},
	{"UpdateUserCounter", testUpdateUserCounter},
	{"UpdateUserKeyRace", testUpdateUserKeyRace},
	{"CreateSessionRace", testCreateSessionRace},
	{"CreateGroupRace", testCreateGroupRace},
	{"AddUserToGroupRace", testAddUserToGroupRace},
	{"DeleteGroupWhileAdding", testDeleteGroupWhileAdding},
	{"CreateDeviceRace", testCreateDeviceRace},
	{"UpdateDeviceRace", testUpdateDeviceRace},
}

// racers is how many goroutines race in each test.
const racers = 16

// race runs fn(i) for i in [0, racers) on as many goroutines, released
// together, and returns their errors.
func race(fn func(i int) error) []error {
	errs := make([]error, racers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range racers {
		wg.Go(func() {
			<-start
			errs[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// testCreateUserRace: racing CreateUser calls for one username end with
// exactly one user; every loser learns which key was taken.
func testCreateUserRace(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	errs := race(func(i int) error {
		u := newUser(poolA, "alice", i)
		u.Keys = u.Keys[:2] // username and a sub of its own
		return s.CreateUser(ctx, u)
	})
	wins := 0
	for i, err := range errs {
		if err == nil {
			wins++
			continue
		}
		wantKeyConflict(t, fmt.Sprintf("racer %d", i), err, store.UserKey{Kind: store.KeyUsername, Value: "alice"})
	}
	equal(t, "successful CreateUser calls", wins, 1)
	n, err := s.CountUsers(ctx, poolA)
	must(t, "CountUsers", err)
	equal(t, "users", n, int64(1))
}

// testUpdateUserCounter: concurrent read-modify-write updates of one user
// lose nothing.
func testUpdateUserCounter(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	u := newUser(poolA, "alice", 1)
	must(t, "CreateUser", s.CreateUser(ctx, u))
	const rounds = 25
	errs := race(func(i int) error {
		key := u.Keys[i%len(u.Keys)] // through every key
		for range rounds {
			_, err := s.UpdateUser(ctx, poolA, key, func(u store.User) (store.User, error) {
				u.Codes = bump(u.Codes)
				return u, nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	for i, err := range errs {
		must(t, fmt.Sprintf("racer %d", i), err)
	}
	equal(t, "counted updates", getUser(t, s, poolA, u.Keys[0]).Codes["race"].Attempts, racers*rounds)
}

// testUpdateUserKeyRace: users racing to take one alias through UpdateUser
// end with one owner.
func testUpdateUserKeyRace(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	for i := range racers {
		must(t, "CreateUser", s.CreateUser(ctx, newUser(poolA, fmt.Sprintf("user%02d", i), i)))
	}
	shared := store.UserKey{Kind: "email", Value: "shared@example.com"}
	errs := race(func(i int) error {
		_, err := s.UpdateUser(ctx, poolA, store.UserKey{Kind: store.KeySub, Value: subOf(i)}, func(u store.User) (store.User, error) {
			u.Attributes["email"] = shared.Value
			u.Keys[2] = shared
			return u, nil
		})
		return err
	})
	winner := -1
	for i, err := range errs {
		if err == nil {
			if winner >= 0 {
				t.Fatalf("racers %d and %d both took %v", winner, i, shared)
			}
			winner = i
			continue
		}
		wantKeyConflict(t, fmt.Sprintf("racer %d", i), err, shared)
	}
	if winner < 0 {
		t.Fatal("no racer took the key")
	}
	equal(t, "owner of the shared key", getUser(t, s, poolA, shared).Sub, subOf(winner))
}

// testCreateSessionRace: of racing CreateSession calls with one id, one
// wins; that is what refuses a replayed sign-in step.
func testCreateSessionRace(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	u := newUser(poolA, "alice", 1)
	errs := race(func(i int) error {
		x := newSession("origin-jti", u, fmt.Sprintf("client-%d", i), i)
		return s.CreateSession(ctx, x)
	})
	wins := 0
	for i, err := range errs {
		if err == nil {
			wins++
			continue
		}
		if !errors.Is(err, store.ErrAlreadyExists) {
			t.Fatalf("racer %d: err = %v, want store.ErrAlreadyExists", i, err)
		}
	}
	equal(t, "successful CreateSession calls", wins, 1)
}

// testCreateGroupRace: racing CreateGroup calls for one name end with
// exactly one group; every loser gets store.ErrAlreadyExists.
func testCreateGroupRace(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	errs := race(func(i int) error {
		g := newGroup(poolA, "admins", int64(i))
		return s.CreateGroup(ctx, g)
	})
	winner := -1
	for i, err := range errs {
		if err == nil {
			if winner >= 0 {
				t.Fatalf("racers %d and %d both created the group", winner, i)
			}
			winner = i
			continue
		}
		if !errors.Is(err, store.ErrAlreadyExists) {
			t.Fatalf("racer %d: err = %v, want store.ErrAlreadyExists", i, err)
		}
	}
	if winner < 0 {
		t.Fatal("no racer created the group")
	}
	gs, err := s.ListGroups(ctx, poolA, "", 0)
	must(t, "ListGroups", err)
	equal(t, "groups", gs, []store.Group{newGroup(poolA, "admins", int64(winner))})
}

// testAddUserToGroupRace: racing additions of one user, through its
// different keys, all succeed and make one membership.
func testAddUserToGroupRace(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	u := newUser(poolA, "alice", 1)
	must(t, "CreateUser", s.CreateUser(ctx, u))
	createGroup(t, s, newGroup(poolA, "admins", 0))
	errs := race(func(i int) error {
		return s.AddUserToGroup(ctx, poolA, "admins", u.Keys[i%len(u.Keys)])
	})
	for i, err := range errs {
		must(t, fmt.Sprintf("racer %d", i), err)
	}
	equal(t, "members", membersOf(t, s, poolA, "admins"), []string{"alice"})
	equal(t, "groups", groupsOf(t, s, poolA, u.Keys[0]), []string{"admins"})
}

// testDeleteGroupWhileAdding: users added to a group while it is deleted
// either join before the delete, which takes their membership with it, or
// find no group; no membership outlives the group.
func testDeleteGroupWhileAdding(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	users := make([]store.User, racers)
	for i := range racers {
		users[i] = newUser(poolA, fmt.Sprintf("user%02d", i), i)
		must(t, "CreateUser", s.CreateUser(ctx, users[i]))
	}
	createGroup(t, s, newGroup(poolA, "admins", 0))
	errs := race(func(i int) error {
		if i == 0 {
			return s.DeleteGroup(ctx, poolA, "admins")
		}
		return s.AddUserToGroup(ctx, poolA, "admins", users[i].Keys[0])
	})
	must(t, "DeleteGroup", errs[0])
	for i, err := range errs[1:] {
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("racer %d: err = %v, want nil or store.ErrNotFound", i+1, err)
		}
	}
	// The group made again has none of them.
	createGroup(t, s, newGroup(poolA, "admins", 0))
	equal(t, "members of the group made again", membersOf(t, s, poolA, "admins"), nil)
	for _, u := range users {
		equal(t, "groups of "+u.Username, groupsOf(t, s, poolA, u.Keys[0]), nil)
	}
}

// testCreateDeviceRace: racing ConfirmDevice calls for one device key, each
// with its own verifier, end with one device, the winner's.
func testCreateDeviceRace(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	alice := createdUser(t, s, poolA, "alice", 1)
	devices := make([]store.Device, racers)
	for i := range devices {
		devices[i] = newDevice(alice, 1)
		devices[i].Verifier.Verifier = bytes.Repeat([]byte{byte(i + 1)}, 384)
	}
	errs := race(func(i int) error { return s.CreateDevice(ctx, devices[i]) })
	winner := -1
	for i, err := range errs {
		if err == nil {
			if winner >= 0 {
				t.Fatalf("racers %d and %d both created the device", winner, i)
			}
			winner = i
			continue
		}
		wantErr(t, fmt.Sprintf("racer %d", i), err, store.ErrAlreadyExists)
	}
	if winner < 0 {
		t.Fatal("no racer created the device")
	}
	equal(t, "the device", getDevice(t, s, poolA, devices[winner].Key), devices[winner])
	got, err := s.ListDevices(ctx, poolA, alice.Sub, false, "", 0)
	must(t, "ListDevices", err)
	equal(t, "devices", len(got), 1)
}

// testUpdateDeviceRace: a device's status flipped by concurrent updates,
// each flip a read-modify-write, loses none of them.
func testUpdateDeviceRace(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	alice := createdUser(t, s, poolA, "alice", 1)
	d := newDevice(alice, 2) // remembered
	d.Name = ""
	must(t, "CreateDevice", s.CreateDevice(ctx, d))
	errs := race(func(int) error {
		_, err := s.UpdateDevice(ctx, poolA, d.Key, func(d store.Device) (store.Device, error) {
			d.Remembered = !d.Remembered
			d.Name += "x"
			return d, nil
		})
		return err
	})
	for i, err := range errs {
		must(t, fmt.Sprintf("racer %d", i), err)
	}
	got := getDevice(t, s, poolA, d.Key)
	equal(t, "updates counted", len(got.Name), racers)
	equal(t, "status after an even number of flips", got.Remembered, d.Remembered)
}

// bump counts one more update in a user's codes, returning a new map.
func bump(codes map[string]store.Code) map[string]store.Code {
	out := map[string]store.Code{}
	for k, v := range codes {
		out[k] = v
	}
	c := out["race"]
	c.Attempts++
	out["race"] = c
	return out
}
