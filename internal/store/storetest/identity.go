package storetest

import (
	"testing"

	"github.com/cognate-auth/cognate/internal/store"
)

var identityTests = []test{
	{"Identity/Pools", testIdentityPools},
	{"Identity/Logins", testIdentityLogins},
	{"Identity/MoveAndDelete", testIdentityMoveAndDelete},
}

var identityConcurrencyTests = []test{
	{"Identity/CreateRace", testIdentityCreateRace},
}

const identityPoolA = "us-east-1:00000000-0000-4000-8000-00000000000a"

func newIdentityPool(id string, n int) store.IdentityPool {
	return store.IdentityPool{ID: id, Name: "app", CreatedAt: at(n), UpdatedAt: at(n), Settings: store.IdentityPoolSettings{
		AllowUnauthenticated: true,
		CognitoProviders:     []store.CognitoIdentityProvider{{ProviderName: "cognito-idp.us-east-1.amazonaws.com/us-east-1_a", ClientID: "c", ServerSideTokenCheck: true}},
		Roles:                map[string]string{"authenticated": "arn:aws:iam::000000000000:role/a"},
		RoleMappings: map[string]store.RoleMapping{"graph.facebook.com": {Type: "Rules", AmbiguousRoleResolution: "Deny",
			Rules: []store.MappingRule{{Claim: "c", MatchType: "Equals", Value: "v", RoleARN: "arn:aws:iam::000000000000:role/b"}}}},
	}}
}

func testIdentityPools(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := newIdentityPool(identityPoolA, 1), newIdentityPool("us-east-1:00000000-0000-4000-8000-00000000000b", 2)
	for _, p := range []store.IdentityPool{b, a} {
		must(t, "CreateIdentityPool", s.CreateIdentityPool(ctx, p))
	}
	wantErr(t, "CreateIdentityPool again", s.CreateIdentityPool(ctx, a), store.ErrAlreadyExists)
	got, err := s.GetIdentityPool(ctx, a.ID)
	must(t, "GetIdentityPool", err)
	equal(t, "GetIdentityPool", got, a)
	list, err := s.ListIdentityPools(ctx, "", 1)
	must(t, "ListIdentityPools", err)
	equal(t, "first page", list, []store.IdentityPool{a})
	list, err = s.ListIdentityPools(ctx, a.ID, 10)
	must(t, "ListIdentityPools", err)
	equal(t, "second page", list, []store.IdentityPool{b})

	updated, err := s.UpdateIdentityPool(ctx, a.ID, func(p store.IdentityPool) (store.IdentityPool, error) {
		p.Name, p.UpdatedAt = "renamed", at(3)
		p.Settings.Tags = map[string]string{"k": "v"}
		return p, nil
	})
	must(t, "UpdateIdentityPool", err)
	got, err = s.GetIdentityPool(ctx, a.ID)
	must(t, "GetIdentityPool", err)
	equal(t, "after UpdateIdentityPool", got, updated)
	_, err = s.UpdateIdentityPool(ctx, a.ID, func(p store.IdentityPool) (store.IdentityPool, error) { return p, errUpdater })
	wantErr(t, "refused update", err, errUpdater)

	must(t, "DeleteIdentityPool", s.DeleteIdentityPool(ctx, a.ID))
	_, err = s.GetIdentityPool(ctx, a.ID)
	wantErr(t, "GetIdentityPool deleted", err, store.ErrNotFound)
	wantErr(t, "DeleteIdentityPool again", s.DeleteIdentityPool(ctx, a.ID), store.ErrNotFound)
}

func identityID(n byte) string {
	return "us-east-1:00000000-0000-4000-8000-0000000000" + string([]byte{'0' + n/10, '0' + n%10})
}

func testIdentityLogins(t *testing.T, s store.Store) {
	ctx := t.Context()
	must(t, "CreateIdentityPool", s.CreateIdentityPool(ctx, newIdentityPool(identityPoolA, 1)))
	google := store.IdentityLogin{Provider: "accounts.google.com", Subject: "g-1"}
	pool := store.IdentityLogin{Provider: "cognito-idp.us-east-1.amazonaws.com/us-east-1_a", Subject: "sub-1"}
	one := store.Identity{ID: identityID(1), PoolID: identityPoolA, CreatedAt: at(1), ModifiedAt: at(1), Logins: []store.IdentityLogin{google}}
	must(t, "CreateIdentity", s.CreateIdentity(ctx, one))
	guest := store.Identity{ID: identityID(2), PoolID: identityPoolA, CreatedAt: at(2), ModifiedAt: at(2)}
	must(t, "CreateIdentity guest", s.CreateIdentity(ctx, guest))
	taken := store.Identity{ID: identityID(3), PoolID: identityPoolA, CreatedAt: at(3), ModifiedAt: at(3), Logins: []store.IdentityLogin{pool, google}}
	wantErr(t, "CreateIdentity with a linked login", s.CreateIdentity(ctx, taken), store.ErrAlreadyExists)
	_, err := s.GetIdentity(ctx, taken.ID)
	wantErr(t, "the refused identity", err, store.ErrNotFound)
	_, err = s.FindIdentityByLogin(ctx, identityPoolA, pool)
	wantErr(t, "a login of the refused identity", err, store.ErrNotFound)
	wantErr(t, "CreateIdentity in no pool", s.CreateIdentity(ctx, store.Identity{ID: identityID(4), PoolID: "us-east-1:nope",
		CreatedAt: at(1), ModifiedAt: at(1)}), store.ErrNotFound)

	got, err := s.FindIdentityByLogin(ctx, identityPoolA, google)
	must(t, "FindIdentityByLogin", err)
	equal(t, "FindIdentityByLogin", got, one)
	must(t, "LinkLogins", s.LinkLogins(ctx, one.ID, []store.IdentityLogin{google, pool}, at(5)))
	got, err = s.GetIdentity(ctx, one.ID)
	must(t, "GetIdentity", err)
	equal(t, "logins after linking", got.Logins, []store.IdentityLogin{google, pool})
	equal(t, "modified after linking", got.ModifiedAt, at(5))
	wantErr(t, "linking another identity's login", s.LinkLogins(ctx, guest.ID, []store.IdentityLogin{pool}, at(6)), store.ErrAlreadyExists)
	wantErr(t, "linking to no identity", s.LinkLogins(ctx, identityID(9), []store.IdentityLogin{pool}, at(6)), store.ErrNotFound)

	must(t, "UnlinkLogin", s.UnlinkLogin(ctx, one.ID, google, at(7)))
	wantErr(t, "UnlinkLogin again", s.UnlinkLogin(ctx, one.ID, google, at(7)), store.ErrNotFound)
	list, err := s.ListIdentities(ctx, identityPoolA, "", 10)
	must(t, "ListIdentities", err)
	equal(t, "identities", len(list), 2)
	equal(t, "first identity's logins", list[0].Logins, []store.IdentityLogin{pool})
	list, err = s.ListIdentities(ctx, identityPoolA, one.ID, 10)
	must(t, "ListIdentities after", err)
	equal(t, "second page", list, []store.Identity{guest})
}

func testIdentityMoveAndDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	must(t, "CreateIdentityPool", s.CreateIdentityPool(ctx, newIdentityPool(identityPoolA, 1)))
	dev := store.IdentityLogin{Provider: "login.dev", Subject: "u-1"}
	other := store.IdentityLogin{Provider: "login.dev", Subject: "u-2"}
	a := store.Identity{ID: identityID(1), PoolID: identityPoolA, CreatedAt: at(1), ModifiedAt: at(1), Logins: []store.IdentityLogin{dev}}
	b := store.Identity{ID: identityID(2), PoolID: identityPoolA, CreatedAt: at(1), ModifiedAt: at(1), Logins: []store.IdentityLogin{other}}
	must(t, "CreateIdentity", s.CreateIdentity(ctx, a))
	must(t, "CreateIdentity", s.CreateIdentity(ctx, b))
	must(t, "MoveLogins", s.MoveLogins(ctx, a.ID, b.ID, at(2)))
	_, err := s.GetIdentity(ctx, a.ID)
	wantErr(t, "the merged identity", err, store.ErrNotFound)
	got, err := s.FindIdentityByLogin(ctx, identityPoolA, dev)
	must(t, "FindIdentityByLogin", err)
	equal(t, "merged logins", got.Logins, []store.IdentityLogin{dev, other})

	must(t, "DeleteIdentity", s.DeleteIdentity(ctx, b.ID))
	_, err = s.FindIdentityByLogin(ctx, identityPoolA, dev)
	wantErr(t, "a deleted identity's login", err, store.ErrNotFound)
	wantErr(t, "DeleteIdentity again", s.DeleteIdentity(ctx, b.ID), store.ErrNotFound)

	must(t, "CreateIdentity", s.CreateIdentity(ctx, a))
	must(t, "DeleteIdentityPool", s.DeleteIdentityPool(ctx, identityPoolA))
	_, err = s.GetIdentity(ctx, a.ID)
	wantErr(t, "an identity of a deleted pool", err, store.ErrNotFound)
}

// testIdentityCreateRace: racing first sign-ins with one login end with one
// identity.
func testIdentityCreateRace(t *testing.T, s store.Store) {
	ctx := t.Context()
	must(t, "CreateIdentityPool", s.CreateIdentityPool(ctx, newIdentityPool(identityPoolA, 1)))
	login := store.IdentityLogin{Provider: "accounts.google.com", Subject: "g-1"}
	errs := race(func(i int) error {
		return s.CreateIdentity(ctx, store.Identity{ID: identityID(byte(i)), PoolID: identityPoolA, CreatedAt: at(1), ModifiedAt: at(1),
			Logins: []store.IdentityLogin{login}})
	})
	wins := 0
	for _, err := range errs {
		if err == nil {
			wins++
		} else {
			wantErr(t, "a losing CreateIdentity", err, store.ErrAlreadyExists)
		}
	}
	equal(t, "identities created", wins, 1)
	list, err := s.ListIdentities(ctx, identityPoolA, "", 100)
	must(t, "ListIdentities", err)
	equal(t, "identities in the pool", len(list), 1)
}
