package storetest

import (
	"slices"
	"testing"

	"github.com/cognate-auth/cognate/internal/store"
)

var clientTests = []test{
	{"Client/CreateGet", testClientCreateGet},
	{"Client/Update", testClientUpdate},
	{"Client/UpdateAbort", testClientUpdateAbort},
	{"Client/Delete", testClientDelete},
	{"Client/List", testClientList},
}

// newClient returns a client of poolID with a secret and settings.
func newClient(poolID, id string) store.Client {
	return store.Client{
		ID:        id,
		PoolID:    poolID,
		Name:      "app " + id,
		Secrets:   []store.ClientSecret{{ID: id + "--1", Value: "s3cr3t-" + id, CreatedAt: at(0)}},
		CreatedAt: at(0),
		UpdatedAt: at(2),
		Settings: store.ClientSettings{
			ExplicitAuthFlows:      []string{"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
			RefreshTokenValidity:   30,
			AccessTokenValidity:    60,
			IDTokenValidity:        60,
			TokenValidityUnits:     store.TokenUnits{AccessToken: "minutes", IDToken: "minutes", RefreshToken: "days"},
			ReadAttributes:         []string{"email", "custom:tenant"},
			EnableTokenRevocation:  true,
			AuthSessionValidity:    3,
			CallbackURLs:           []string{"https://app.example.com/cb"},
			AllowedOAuthFlows:      []string{"code"},
			AnalyticsConfiguration: &store.AnalyticsConfiguration{ApplicationID: "0123456789abcdef0123456789abcdef", UserDataShared: true},
		},
	}
}

func testClientCreateGet(t *testing.T, s store.Store) {
	ctx := t.Context()
	pool := newPool("us-east-1_AAAAAAAAA")
	must(t, "CreatePool", s.CreatePool(ctx, pool))

	withSecret := newClient(pool.ID, "aaaaaaaaaaaaaaaaaaaaaaaaa1")
	public := newClient(pool.ID, "aaaaaaaaaaaaaaaaaaaaaaaaa2")
	public.Secrets = nil
	for _, c := range []store.Client{withSecret, public} {
		must(t, "CreateClient", s.CreateClient(ctx, c))
		got, err := s.GetClient(ctx, c.ID)
		must(t, "GetClient", err)
		equal(t, "GetClient", got, c)
		got, gotPool, err := s.GetClientAndPool(ctx, c.ID)
		must(t, "GetClientAndPool", err)
		equal(t, "GetClientAndPool client", got, c)
		equal(t, "GetClientAndPool pool", gotPool, pool)
	}

	wantErr(t, "CreateClient again", s.CreateClient(ctx, withSecret), store.ErrAlreadyExists)
	wantErr(t, "CreateClient in missing pool",
		s.CreateClient(ctx, newClient("us-east-1_missing", "aaaaaaaaaaaaaaaaaaaaaaaaa3")), store.ErrNotFound)
	_, err := s.GetClient(ctx, "aaaaaaaaaaaaaaaaaaaaaaaaa3")
	wantErr(t, "GetClient missing", err, store.ErrNotFound)
	_, _, err = s.GetClientAndPool(ctx, "aaaaaaaaaaaaaaaaaaaaaaaaa3")
	wantErr(t, "GetClientAndPool missing", err, store.ErrNotFound)
}

func testClientUpdate(t *testing.T, s store.Store) {
	ctx := t.Context()
	pool := newPool("us-east-1_AAAAAAAAA")
	must(t, "CreatePool", s.CreatePool(ctx, pool))
	c := newClient(pool.ID, "aaaaaaaaaaaaaaaaaaaaaaaaa1")
	must(t, "CreateClient", s.CreateClient(ctx, c))

	cases := []struct {
		name   string
		change func(*store.Client)
	}{
		{"rename", func(c *store.Client) { c.Name = "renamed"; c.UpdatedAt = at(9) }},
		{"second secret", func(c *store.Client) {
			c.Secrets = append(slices.Clone(c.Secrets), store.ClientSecret{ID: c.ID + "--2", Value: "another secret", CreatedAt: at(5), Custom: true})
		}},
		{"first secret deleted", func(c *store.Client) { c.Secrets = slices.Clone(c.Secrets[1:]) }},
		{"remove secrets", func(c *store.Client) { c.Secrets = nil }},
		{"settings", func(c *store.Client) { c.Settings.CallbackURLs = nil; c.Settings.AccessTokenValidity = 5 }},
	}
	want := c
	for _, tc := range cases {
		var seen store.Client
		got, err := s.UpdateClient(ctx, c.ID, func(old store.Client) (store.Client, error) {
			seen = old
			tc.change(&old)
			return old, nil
		})
		must(t, tc.name, err)
		equal(t, tc.name+": updater's argument", seen, want)
		tc.change(&want)
		equal(t, tc.name+": result", got, want)
		stored, err := s.GetClient(ctx, c.ID)
		must(t, tc.name+": GetClient", err)
		equal(t, tc.name+": stored", stored, want)
	}

	_, err := s.UpdateClient(ctx, "aaaaaaaaaaaaaaaaaaaaaaaaa9", func(c store.Client) (store.Client, error) { return c, nil })
	wantErr(t, "UpdateClient missing", err, store.ErrNotFound)
	_, err = s.UpdateClient(ctx, c.ID, func(c store.Client) (store.Client, error) { c.PoolID = "us-east-1_BBBBBBBBB"; return c, nil })
	if err == nil {
		t.Fatal("UpdateClient let the updater move the client to another pool")
	}
}

func testClientUpdateAbort(t *testing.T, s store.Store) {
	ctx := t.Context()
	pool := newPool("us-east-1_AAAAAAAAA")
	must(t, "CreatePool", s.CreatePool(ctx, pool))
	c := newClient(pool.ID, "aaaaaaaaaaaaaaaaaaaaaaaaa1")
	must(t, "CreateClient", s.CreateClient(ctx, c))
	_, err := s.UpdateClient(ctx, c.ID, func(old store.Client) (store.Client, error) {
		old.Secrets = nil
		return old, errUpdater
	})
	wantErr(t, "UpdateClient with failing updater", err, errUpdater)
	got, err := s.GetClient(ctx, c.ID)
	must(t, "GetClient", err)
	equal(t, "client after aborted update", got, c)
}

func testClientDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	pool := newPool("us-east-1_AAAAAAAAA")
	must(t, "CreatePool", s.CreatePool(ctx, pool))
	c := newClient(pool.ID, "aaaaaaaaaaaaaaaaaaaaaaaaa1")
	must(t, "CreateClient", s.CreateClient(ctx, c))
	must(t, "DeleteClient", s.DeleteClient(ctx, c.ID))
	_, err := s.GetClient(ctx, c.ID)
	wantErr(t, "GetClient deleted", err, store.ErrNotFound)
	wantErr(t, "DeleteClient again", s.DeleteClient(ctx, c.ID), store.ErrNotFound)
	must(t, "CreateClient after delete", s.CreateClient(ctx, c))
}

func testClientList(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := newPool("us-east-1_AAAAAAAAA"), newPool("us-east-1_BBBBBBBBB")
	must(t, "CreatePool", s.CreatePool(ctx, a))
	must(t, "CreatePool", s.CreatePool(ctx, b))
	for _, id := range []string{"c3", "c1", "c5", "c2", "c4"} {
		must(t, "CreateClient", s.CreateClient(ctx, newClient(a.ID, id)))
	}
	must(t, "CreateClient", s.CreateClient(ctx, newClient(b.ID, "c0")))

	var got []string
	after := ""
	for {
		cs, err := s.ListClients(ctx, a.ID, after, 2)
		must(t, "ListClients", err)
		if len(cs) > 2 {
			t.Fatalf("ListClients returned %d clients, limit 2", len(cs))
		}
		if len(cs) == 0 {
			break
		}
		for _, c := range cs {
			equal(t, "listed client", c, newClient(a.ID, c.ID))
			got = append(got, c.ID)
		}
		after = cs[len(cs)-1].ID
	}
	equal(t, "paged client ids", got, []string{"c1", "c2", "c3", "c4", "c5"})

	cs, err := s.ListClients(ctx, "us-east-1_missing", "", 10)
	must(t, "ListClients of missing pool", err)
	equal(t, "clients of missing pool", len(cs), 0)
}
