package storetest

import (
	"fmt"
	"testing"

	"github.com/cognate-auth/cognate/internal/store"
)

var poolTests = []test{
	{"Pool/CreateGet", testPoolCreateGet},
	{"Pool/Update", testPoolUpdate},
	{"Pool/UpdateAbort", testPoolUpdateAbort},
	{"Pool/Delete", testPoolDelete},
	{"Pool/DeleteCascade", testPoolDeleteCascade},
	{"Pool/List", testPoolList},
}

func testPoolCreateGet(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := newPool("us-east-1_AAAAAAAAA")
	must(t, "CreatePool", s.CreatePool(ctx, p))
	got, err := s.GetPool(ctx, p.ID)
	must(t, "GetPool", err)
	equal(t, "GetPool", got, p)

	wantErr(t, "CreatePool again", s.CreatePool(ctx, newPool(p.ID)), store.ErrAlreadyExists)
	_, err = s.GetPool(ctx, "us-east-1_missing")
	wantErr(t, "GetPool missing", err, store.ErrNotFound)

	// The zero value round-trips too.
	empty := store.Pool{ID: "us-east-1_ZZZZZZZZZ"}
	must(t, "CreatePool empty", s.CreatePool(ctx, empty))
	got, err = s.GetPool(ctx, empty.ID)
	must(t, "GetPool empty", err)
	equal(t, "GetPool empty", got, empty)
}

func testPoolUpdate(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := newPool("us-east-1_AAAAAAAAA")
	must(t, "CreatePool", s.CreatePool(ctx, p))

	var seen store.Pool
	got, err := s.UpdatePool(ctx, p.ID, func(old store.Pool) (store.Pool, error) {
		seen = old
		old.Name = "renamed"
		old.UpdatedAt = at(5)
		old.Settings.MFAConfiguration = "OPTIONAL"
		old.Settings.Schema = old.Settings.Schema[:1]
		return old, nil
	})
	must(t, "UpdatePool", err)
	equal(t, "updater's argument", seen, p)
	want := p
	want.Name, want.UpdatedAt = "renamed", at(5)
	want.Settings.MFAConfiguration = "OPTIONAL"
	want.Settings.Schema = p.Settings.Schema[:1]
	equal(t, "UpdatePool result", got, want)
	stored, err := s.GetPool(ctx, p.ID)
	must(t, "GetPool", err)
	equal(t, "GetPool after update", stored, want)

	called := false
	_, err = s.UpdatePool(ctx, "us-east-1_missing", func(p store.Pool) (store.Pool, error) { called = true; return p, nil })
	wantErr(t, "UpdatePool missing", err, store.ErrNotFound)
	if called {
		t.Fatal("UpdatePool called the updater for a missing pool")
	}

	_, err = s.UpdatePool(ctx, p.ID, func(p store.Pool) (store.Pool, error) { p.ID = "us-east-1_BBBBBBBBB"; return p, nil })
	if err == nil {
		t.Fatal("UpdatePool let the updater change the id")
	}
	_, err = s.GetPool(ctx, "us-east-1_BBBBBBBBB")
	wantErr(t, "GetPool of the changed id", err, store.ErrNotFound)
}

func testPoolUpdateAbort(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := newPool("us-east-1_AAAAAAAAA")
	must(t, "CreatePool", s.CreatePool(ctx, p))
	_, err := s.UpdatePool(ctx, p.ID, func(old store.Pool) (store.Pool, error) {
		old.Name = "changed"
		return old, errUpdater
	})
	wantErr(t, "UpdatePool with failing updater", err, errUpdater)
	got, err := s.GetPool(ctx, p.ID)
	must(t, "GetPool", err)
	equal(t, "pool after aborted update", got, p)
}

func testPoolDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := newPool("us-east-1_AAAAAAAAA")
	must(t, "CreatePool", s.CreatePool(ctx, p))
	must(t, "DeletePool", s.DeletePool(ctx, p.ID))
	_, err := s.GetPool(ctx, p.ID)
	wantErr(t, "GetPool deleted", err, store.ErrNotFound)
	wantErr(t, "DeletePool again", s.DeletePool(ctx, p.ID), store.ErrNotFound)
	must(t, "CreatePool after delete", s.CreatePool(ctx, p))
}

// testPoolDeleteCascade fills two pools and deletes one: everything in it
// goes, nothing of the other.
func testPoolDeleteCascade(t *testing.T, s store.Store) {
	ctx := t.Context()
	type filled struct {
		pool    store.Pool
		client  store.Client
		user    store.User
		session store.Session
		key     store.SigningKey
		group   store.Group
	}
	fill := func(id string) filled {
		f := filled{pool: newPool(id)}
		must(t, "CreatePool", s.CreatePool(ctx, f.pool))
		f.client = newClient(id, "client"+id[len(id)-1:])
		must(t, "CreateClient", s.CreateClient(ctx, f.client))
		f.user = newUser(id, "alice", 1)
		must(t, "CreateUser", s.CreateUser(ctx, f.user))
		f.session = newSession("session-"+id, f.user, f.client.ID, 1)
		must(t, "CreateSession", s.CreateSession(ctx, f.session))
		f.key = newSigningKey(id, "kid-"+id, 0)
		must(t, "AddSigningKey", s.AddSigningKey(ctx, f.key))
		f.group = newGroup(id, "admins", 0)
		must(t, "CreateGroup", s.CreateGroup(ctx, f.group))
		must(t, "AddUserToGroup", s.AddUserToGroup(ctx, id, f.group.Name, f.user.Keys[0]))
		_, err := s.AddMessage(ctx, newMessage(id, "alice", 0))
		must(t, "AddMessage", err)
		return f
	}
	gone, kept := fill("us-east-1_AAAAAAAAA"), fill("us-east-1_BBBBBBBBB")
	must(t, "DeletePool", s.DeletePool(ctx, gone.pool.ID))

	_, err := s.GetClient(ctx, gone.client.ID)
	wantErr(t, "GetClient of deleted pool", err, store.ErrNotFound)
	for _, k := range gone.user.Keys {
		_, err = s.GetUserByKey(ctx, gone.pool.ID, k)
		wantErr(t, fmt.Sprintf("GetUserByKey %s of deleted pool", k.Kind), err, store.ErrNotFound)
	}
	_, err = s.GetSession(ctx, gone.session.ID)
	wantErr(t, "GetSession of deleted pool", err, store.ErrNotFound)
	_, err = s.GetSessionByRefreshToken(ctx, gone.session.RefreshTokenHash)
	wantErr(t, "GetSessionByRefreshToken of deleted pool", err, store.ErrNotFound)
	keys, err := s.SigningKeys(ctx, gone.pool.ID)
	must(t, "SigningKeys", err)
	equal(t, "signing keys of deleted pool", len(keys), 0)
	msgs, err := s.ListMessages(ctx, store.MessageFilter{PoolID: gone.pool.ID})
	must(t, "ListMessages", err)
	equal(t, "messages of deleted pool", len(msgs), 0)
	n, err := s.CountUsers(ctx, gone.pool.ID)
	must(t, "CountUsers", err)
	equal(t, "users of deleted pool", n, 0)
	_, err = s.GetGroup(ctx, gone.pool.ID, gone.group.Name)
	wantErr(t, "GetGroup of deleted pool", err, store.ErrNotFound)
	groups, err := s.ListGroups(ctx, gone.pool.ID, "", 0)
	must(t, "ListGroups", err)
	equal(t, "groups of deleted pool", len(groups), 0)
	equal(t, "members of deleted pool's group", membersOf(t, s, gone.pool.ID, gone.group.Name), nil)

	// The other pool is whole.
	_, err = s.GetClient(ctx, kept.client.ID)
	must(t, "GetClient of kept pool", err)
	u, err := s.GetUserByKey(ctx, kept.pool.ID, kept.user.Keys[0])
	must(t, "GetUserByKey of kept pool", err)
	equal(t, "user of kept pool", u, kept.user)
	_, err = s.GetSession(ctx, kept.session.ID)
	must(t, "GetSession of kept pool", err)
	keys, err = s.SigningKeys(ctx, kept.pool.ID)
	must(t, "SigningKeys of kept pool", err)
	equal(t, "signing keys of kept pool", keys, []store.SigningKey{kept.key})
	msgs, err = s.ListMessages(ctx, store.MessageFilter{PoolID: kept.pool.ID})
	must(t, "ListMessages of kept pool", err)
	equal(t, "messages of kept pool", len(msgs), 1)
	equal(t, "groups of kept pool's user", groupsOf(t, s, kept.pool.ID, kept.user.Keys[0]), []string{kept.group.Name})

	// Nothing of the deleted pool lingers: it can be made again, with the
	// same client, user (same keys), session, signing key and group.
	fill(gone.pool.ID)
}

func testPoolList(t *testing.T, s store.Store) {
	ctx := t.Context()
	ids := []string{"us-east-1_CCCCCCCCC", "eu-west-1_AAAAAAAAA", "us-east-1_AAAAAAAAA", "ap-south-1_ZZZZZZZZZ", "us-east-1_BBBBBBBBB"}
	for _, id := range ids {
		must(t, "CreatePool", s.CreatePool(ctx, newPool(id)))
	}
	sorted := []string{"ap-south-1_ZZZZZZZZZ", "eu-west-1_AAAAAAAAA", "us-east-1_AAAAAAAAA", "us-east-1_BBBBBBBBB", "us-east-1_CCCCCCCCC"}

	var got []string
	after := ""
	for page := 0; ; page++ {
		pools, err := s.ListPools(ctx, after, 2)
		must(t, "ListPools", err)
		if len(pools) > 2 {
			t.Fatalf("page %d has %d pools, limit 2", page, len(pools))
		}
		if len(pools) == 0 {
			break
		}
		for _, p := range pools {
			equal(t, "listed pool", p, newPool(p.ID))
			got = append(got, p.ID)
		}
		after = pools[len(pools)-1].ID
	}
	equal(t, "paged ids", got, sorted)

	all, err := s.ListPools(ctx, "", 0)
	must(t, "ListPools without limit", err)
	equal(t, "ListPools without limit", len(all), len(ids))
	rest, err := s.ListPools(ctx, "us-east-1_AAAAAAAAA", 10)
	must(t, "ListPools after", err)
	equal(t, "ListPools after", len(rest), 2)
}
