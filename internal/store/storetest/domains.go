package storetest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/cognate-auth/cognate/internal/store"
)

var domainTests = []test{
	{"Domain/CreateGet", testDomainCreateGet},
	{"Domain/Unique", testDomainUnique},
	{"Domain/Update", testDomainUpdate},
	{"Domain/Delete", testDomainDelete},
	{"Domain/DeletePool", testDomainDeletePool},
}

var domainConcurrencyTests = []test{
	{"CreateDomainRace", testCreateDomainRace},
	{"CreatePoolDomainRace", testCreatePoolDomainRace},
}

// newDomain returns a domain of poolID with every field filled in.
func newDomain(poolID, name string, custom bool) store.Domain {
	d := store.Domain{Name: name, PoolID: poolID, Custom: custom, ManagedLoginVersion: 2, CreatedAt: at(0), UpdatedAt: at(1)}
	if custom {
		d.CertificateARN = "arn:aws:acm:us-east-1:123456789012:certificate/" + name
	}
	return d
}

func poolDomains(t *testing.T, s store.Store, poolID string) []store.Domain {
	t.Helper()
	ds, err := s.PoolDomains(t.Context(), poolID)
	must(t, "PoolDomains", err)
	return ds
}

func testDomainCreateGet(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	custom, prefix := newDomain(poolA, "auth.example.com", true), newDomain(poolA, "myapp", false)
	must(t, "CreateDomain custom", s.CreateDomain(ctx, custom))
	must(t, "CreateDomain prefix", s.CreateDomain(ctx, prefix))
	got, err := s.GetDomain(ctx, "auth.example.com")
	must(t, "GetDomain", err)
	equal(t, "custom domain", got, custom)
	equal(t, "the pool's domains, prefix first", poolDomains(t, s, poolA), []store.Domain{prefix, custom})
	equal(t, "an unknown pool's domains", len(poolDomains(t, s, poolB)), 0)

	_, err = s.GetDomain(ctx, "MYAPP")
	wantErr(t, "GetDomain compares byte for byte", err, store.ErrNotFound)
	wantErr(t, "CreateDomain in an unknown pool", s.CreateDomain(ctx, newDomain(poolB, "other", false)), store.ErrNotFound)
}

// testDomainUnique: a name is unique among all pools, and a pool has one
// domain of each kind.
func testDomainUnique(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	createPool(t, s, poolB)
	must(t, "CreateDomain", s.CreateDomain(ctx, newDomain(poolA, "myapp", false)))
	wantErr(t, "the name in another pool", s.CreateDomain(ctx, newDomain(poolB, "myapp", false)), store.ErrAlreadyExists)
	wantErr(t, "a second prefix domain", s.CreateDomain(ctx, newDomain(poolA, "other", false)), store.ErrAlreadyExists)
	must(t, "a custom domain beside the prefix", s.CreateDomain(ctx, newDomain(poolA, "auth.example.com", true)))
	wantErr(t, "a second custom domain", s.CreateDomain(ctx, newDomain(poolA, "login.example.com", true)), store.ErrAlreadyExists)
	must(t, "the other pool's prefix", s.CreateDomain(ctx, newDomain(poolB, "other", false)))
}

func testDomainUpdate(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	d := newDomain(poolA, "auth.example.com", true)
	must(t, "CreateDomain", s.CreateDomain(ctx, d))
	want := d
	want.CertificateARN, want.ManagedLoginVersion, want.UpdatedAt = "arn:aws:acm:us-east-1:123456789012:certificate/new", 1, at(5)
	got, err := s.UpdateDomain(ctx, d.Name, func(old store.Domain) (store.Domain, error) {
		equal(t, "the updater's domain", old, d)
		return want, nil
	})
	must(t, "UpdateDomain", err)
	equal(t, "updated", got, want)
	stored, err := s.GetDomain(ctx, d.Name)
	must(t, "GetDomain", err)
	equal(t, "stored", stored, want)

	_, err = s.UpdateDomain(ctx, d.Name, func(store.Domain) (store.Domain, error) { return store.Domain{}, errUpdater })
	wantErr(t, "an updater's error", err, errUpdater)
	_, err = s.UpdateDomain(ctx, "nope.example.com", func(d store.Domain) (store.Domain, error) { return d, nil })
	wantErr(t, "UpdateDomain of an unknown domain", err, store.ErrNotFound)
	_, err = s.UpdateDomain(ctx, d.Name, func(d store.Domain) (store.Domain, error) { d.Custom = false; return d, nil })
	if err == nil {
		t.Fatal("an updater may change a domain's kind")
	}
	stored, err = s.GetDomain(ctx, d.Name)
	must(t, "GetDomain", err)
	equal(t, "after refused updates", stored, want)
}

func testDomainDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	must(t, "CreateDomain", s.CreateDomain(ctx, newDomain(poolA, "myapp", false)))
	must(t, "DeleteDomain", s.DeleteDomain(ctx, "myapp"))
	_, err := s.GetDomain(ctx, "myapp")
	wantErr(t, "GetDomain after DeleteDomain", err, store.ErrNotFound)
	wantErr(t, "DeleteDomain again", s.DeleteDomain(ctx, "myapp"), store.ErrNotFound)
	must(t, "another prefix once the first is gone", s.CreateDomain(ctx, newDomain(poolA, "second", false)))
}

func testDomainDeletePool(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	must(t, "CreateDomain", s.CreateDomain(ctx, newDomain(poolA, "myapp", false)))
	must(t, "DeletePool", s.DeletePool(ctx, poolA))
	_, err := s.GetDomain(ctx, "myapp")
	wantErr(t, "a deleted pool's domain", err, store.ErrNotFound)
	createPool(t, s, poolB)
	must(t, "the name for another pool", s.CreateDomain(ctx, newDomain(poolB, "myapp", false)))
}

// testCreateDomainRace: pools racing for one name end with one owner.
func testCreateDomainRace(t *testing.T, s store.Store) {
	ctx := t.Context()
	pools := make([]string, racers)
	for i := range pools {
		pools[i] = fmt.Sprintf("us-east-1_RACE%05d", i)
		createPool(t, s, pools[i])
	}
	errs := race(func(i int) error { return s.CreateDomain(ctx, newDomain(pools[i], "myapp", false)) })
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner >= 0:
			t.Fatalf("racers %d and %d both created the domain", winner, i)
		case err == nil:
			winner = i
		case !errors.Is(err, store.ErrAlreadyExists):
			t.Fatalf("racer %d: %v, want store.ErrAlreadyExists", i, err)
		}
	}
	if winner < 0 {
		t.Fatal("no racer created the domain")
	}
	d, err := s.GetDomain(ctx, "myapp")
	must(t, "GetDomain", err)
	equal(t, "owner", d.PoolID, pools[winner])
}

// testCreatePoolDomainRace: one pool racing for several prefixes ends with
// one prefix domain.
func testCreatePoolDomainRace(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	errs := race(func(i int) error { return s.CreateDomain(ctx, newDomain(poolA, fmt.Sprintf("app%d", i), false)) })
	wins := 0
	for i, err := range errs {
		if err == nil {
			wins++
		} else if !errors.Is(err, store.ErrAlreadyExists) {
			t.Fatalf("racer %d: %v, want store.ErrAlreadyExists", i, err)
		}
	}
	equal(t, "successful CreateDomain calls", wins, 1)
	equal(t, "the pool's domains", len(poolDomains(t, s, poolA)), 1)
}
