package storetest

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/cognate-auth/cognate/internal/store"
)

var deviceTests = []test{
	{"Device/CreateGet", testDeviceCreateGet},
	{"Device/Update", testDeviceUpdate},
	{"Device/Delete", testDeviceDelete},
	{"Device/List", testDeviceList},
	{"Device/DeleteUserOrPool", testDeviceDeleteOwner},
}

// deviceKey returns the key of device number n.
func deviceKey(n int) string { return fmt.Sprintf("us-east-1_%08d-0000-4000-a000-000000000000", n) }

// newDevice returns device number n of u, with every field filled in.
func newDevice(u store.User, n int) store.Device {
	return store.Device{
		PoolID:   u.PoolID,
		Key:      deviceKey(n),
		Sub:      u.Sub,
		GroupKey: "-grpKey01",
		Name:     fmt.Sprintf("phone %d", n),
		Verifier: store.PasswordVerifier{
			Salt:     append([]byte{0}, bytes.Repeat([]byte{0x91, byte(n)}, 8)...),
			Verifier: bytes.Repeat([]byte{0x4d, byte(n)}, 192),
		},
		Remembered:          n%2 == 0,
		LastIP:              "192.0.2.1",
		CreatedAt:           at(n),
		UpdatedAt:           at(n + 1),
		LastAuthenticatedAt: at(n + 2).Truncate(1e9),
	}
}

// createdUser creates user number n of a pool and returns it.
func createdUser(t *testing.T, s store.Store, poolID, username string, n int) store.User {
	t.Helper()
	u := newUser(poolID, username, n)
	must(t, "CreateUser "+username, s.CreateUser(t.Context(), u))
	return u
}

func getDevice(t *testing.T, s store.Store, poolID, key string) store.Device {
	t.Helper()
	d, err := s.GetDevice(t.Context(), poolID, key)
	must(t, "GetDevice "+key, err)
	return d
}

func deviceKeys(ds []store.Device) []string {
	keys := []string{}
	for _, d := range ds {
		keys = append(keys, d.Key)
	}
	return keys
}

func testDeviceCreateGet(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	createPool(t, s, poolB)
	alice, bob := createdUser(t, s, poolA, "alice", 1), createdUser(t, s, poolA, "bob", 2)
	d := newDevice(alice, 1)
	must(t, "CreateDevice", s.CreateDevice(ctx, d))
	equal(t, "GetDevice", getDevice(t, s, poolA, d.Key), d)

	// A device key is taken once in a pool, whoever the owner.
	wantErr(t, "CreateDevice again", s.CreateDevice(ctx, d), store.ErrAlreadyExists)
	other := newDevice(bob, 1)
	wantErr(t, "CreateDevice with another user's key", s.CreateDevice(ctx, other), store.ErrAlreadyExists)
	equal(t, "device after the refused creations", getDevice(t, s, poolA, d.Key), d)

	// The owner must exist, in the device's pool.
	ghost := newDevice(newUser(poolA, "ghost", 9), 3)
	wantErr(t, "CreateDevice of an unknown user", s.CreateDevice(ctx, ghost), store.ErrNotFound)
	elsewhere := newDevice(alice, 4)
	elsewhere.PoolID = poolB
	wantErr(t, "CreateDevice of a user of another pool", s.CreateDevice(ctx, elsewhere), store.ErrNotFound)
	nowhere := newDevice(alice, 5)
	nowhere.PoolID = "us-east-1_NOWHERE00"
	wantErr(t, "CreateDevice in an unknown pool", s.CreateDevice(ctx, nowhere), store.ErrNotFound)

	// The same key in another pool is another device.
	carol := createdUser(t, s, poolB, "carol", 3)
	again := newDevice(carol, 1)
	again.Remembered = !d.Remembered
	must(t, "CreateDevice with the key in another pool", s.CreateDevice(ctx, again))
	equal(t, "device of the other pool", getDevice(t, s, poolB, d.Key), again)
	equal(t, "device of the first pool", getDevice(t, s, poolA, d.Key), d)

	// Zero values come back as they went.
	bare := store.Device{PoolID: poolA, Key: deviceKey(7), Sub: bob.Sub, Verifier: store.PasswordVerifier{Salt: []byte{1}, Verifier: []byte{2}}}
	must(t, "CreateDevice with zero values", s.CreateDevice(ctx, bare))
	equal(t, "device with zero values", getDevice(t, s, poolA, bare.Key), bare)

	_, err := s.GetDevice(ctx, poolA, deviceKey(8))
	wantErr(t, "GetDevice missing", err, store.ErrNotFound)
	_, err = s.GetDevice(ctx, poolB, deviceKey(7))
	wantErr(t, "GetDevice in the wrong pool", err, store.ErrNotFound)
}

func testDeviceUpdate(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	alice := createdUser(t, s, poolA, "alice", 1)
	d := newDevice(alice, 1)
	must(t, "CreateDevice", s.CreateDevice(ctx, d))

	want := d
	want.Remembered = !d.Remembered
	want.LastIP = "2001:db8::7"
	want.UpdatedAt, want.LastAuthenticatedAt = at(50), at(51)
	got, err := s.UpdateDevice(ctx, poolA, d.Key, func(d store.Device) (store.Device, error) {
		equal(t, "device given to the updater", d, newDevice(alice, 1))
		d.Remembered, d.LastIP, d.UpdatedAt, d.LastAuthenticatedAt = want.Remembered, want.LastIP, want.UpdatedAt, want.LastAuthenticatedAt
		return d, nil
	})
	must(t, "UpdateDevice", err)
	equal(t, "UpdateDevice result", got, want)
	equal(t, "device after UpdateDevice", getDevice(t, s, poolA, d.Key), want)

	_, err = s.UpdateDevice(ctx, poolA, d.Key, func(d store.Device) (store.Device, error) { return d, errUpdater })
	wantErr(t, "UpdateDevice with a refusing updater", err, errUpdater)
	for what, move := range map[string]func(*store.Device){
		"key":   func(d *store.Device) { d.Key = deviceKey(2) },
		"pool":  func(d *store.Device) { d.PoolID = poolB },
		"owner": func(d *store.Device) { d.Sub = subOf(2) },
	} {
		_, err = s.UpdateDevice(ctx, poolA, d.Key, func(d store.Device) (store.Device, error) { move(&d); return d, nil })
		if err == nil {
			t.Fatalf("UpdateDevice changing the device's %s succeeded", what)
		}
	}
	equal(t, "device after the refused updates", getDevice(t, s, poolA, d.Key), want)
	_, err = s.UpdateDevice(ctx, poolA, deviceKey(2), func(d store.Device) (store.Device, error) { return d, nil })
	wantErr(t, "UpdateDevice missing", err, store.ErrNotFound)
}

func testDeviceDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	alice := createdUser(t, s, poolA, "alice", 1)
	d, kept := newDevice(alice, 1), newDevice(alice, 2)
	must(t, "CreateDevice", s.CreateDevice(ctx, d))
	must(t, "CreateDevice", s.CreateDevice(ctx, kept))
	must(t, "DeleteDevice", s.DeleteDevice(ctx, poolA, d.Key))
	_, err := s.GetDevice(ctx, poolA, d.Key)
	wantErr(t, "GetDevice after DeleteDevice", err, store.ErrNotFound)
	wantErr(t, "DeleteDevice again", s.DeleteDevice(ctx, poolA, d.Key), store.ErrNotFound)
	equal(t, "the other device", getDevice(t, s, poolA, kept.Key), kept)
	// A forgotten key can be confirmed again.
	must(t, "CreateDevice after DeleteDevice", s.CreateDevice(ctx, d))
}

func testDeviceList(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	createPool(t, s, poolB)
	alice, bob := createdUser(t, s, poolA, "alice", 1), createdUser(t, s, poolA, "bob", 2)
	aliceElsewhere := createdUser(t, s, poolB, "alice", 1) // same sub, other pool
	var all, remembered []store.Device
	for _, n := range []int{5, 1, 4, 2, 3, 6} {
		d := newDevice(alice, n)
		must(t, "CreateDevice", s.CreateDevice(ctx, d))
	}
	for n := 1; n <= 6; n++ {
		d := newDevice(alice, n)
		all = append(all, d)
		if d.Remembered {
			remembered = append(remembered, d)
		}
	}
	must(t, "CreateDevice of bob", s.CreateDevice(ctx, newDevice(bob, 10)))
	must(t, "CreateDevice in the other pool", s.CreateDevice(ctx, newDevice(aliceElsewhere, 11)))

	got, err := s.ListDevices(ctx, poolA, alice.Sub, false, "", 0)
	must(t, "ListDevices", err)
	equal(t, "ListDevices", got, all)
	got, err = s.ListDevices(ctx, poolA, alice.Sub, true, "", -1)
	must(t, "ListDevices remembered", err)
	equal(t, "ListDevices remembered", got, remembered)

	// Pages of two.
	var paged []string
	after := ""
	for {
		page, err := s.ListDevices(ctx, poolA, alice.Sub, false, after, 2)
		must(t, "ListDevices page", err)
		if len(page) == 0 {
			break
		}
		if len(page) > 2 {
			t.Fatalf("page of %d devices, limit 2", len(page))
		}
		paged = append(paged, deviceKeys(page)...)
		after = page[len(page)-1].Key
	}
	equal(t, "paged device keys", paged, deviceKeys(all))
	page, err := s.ListDevices(ctx, poolA, alice.Sub, true, remembered[0].Key, 1)
	must(t, "ListDevices remembered page", err)
	equal(t, "second page of remembered devices", deviceKeys(page), deviceKeys(remembered[1:2]))

	got, err = s.ListDevices(ctx, poolA, subOf(9), false, "", 0)
	must(t, "ListDevices of an unknown user", err)
	equal(t, "devices of an unknown user", len(got), 0)
	got, err = s.ListDevices(ctx, poolB, alice.Sub, false, "", 0)
	must(t, "ListDevices in the other pool", err)
	equal(t, "devices in the other pool", deviceKeys(got), []string{deviceKey(11)})
}

func testDeviceDeleteOwner(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	createPool(t, s, poolB)
	alice, bob := createdUser(t, s, poolA, "alice", 1), createdUser(t, s, poolA, "bob", 2)
	carol := createdUser(t, s, poolB, "carol", 3)
	for _, d := range []store.Device{newDevice(alice, 1), newDevice(alice, 2), newDevice(bob, 3), newDevice(carol, 4)} {
		must(t, "CreateDevice", s.CreateDevice(ctx, d))
	}
	must(t, "DeleteUser", s.DeleteUser(ctx, poolA, alice.Keys[0]))
	for _, key := range []string{deviceKey(1), deviceKey(2)} {
		_, err := s.GetDevice(ctx, poolA, key)
		wantErr(t, "GetDevice of a deleted user's device", err, store.ErrNotFound)
	}
	got, err := s.ListDevices(ctx, poolA, alice.Sub, false, "", 0)
	must(t, "ListDevices of a deleted user", err)
	equal(t, "devices of a deleted user", len(got), 0)
	// A new user with the same sub does not inherit them.
	createdUser(t, s, poolA, "alice", 1)
	got, err = s.ListDevices(ctx, poolA, alice.Sub, false, "", 0)
	must(t, "ListDevices of a new user", err)
	equal(t, "devices of a new user with the sub", len(got), 0)
	equal(t, "bob's device", getDevice(t, s, poolA, deviceKey(3)), newDevice(bob, 3))

	must(t, "DeletePool", s.DeletePool(ctx, poolB))
	must(t, "CreatePool again", s.CreatePool(ctx, newPool(poolB)))
	_, err = s.GetDevice(ctx, poolB, deviceKey(4))
	wantErr(t, "GetDevice of a deleted pool", err, store.ErrNotFound)
}
