package storetest

import (
	"testing"

	"github.com/cognate-auth/cognate/internal/store"
)

var accessKeyTests = []test{
	{"AccessKey/AddGetList", testAccessKeyAddGetList},
	{"AccessKey/Replace", testAccessKeyReplace},
}

func newAccessKey(id string, n int) store.AccessKey {
	return store.AccessKey{ID: id, Secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + id, CreatedAt: at(n)}
}

func testAccessKeyAddGetList(t *testing.T, s store.Store) {
	ctx := t.Context()
	keys, err := s.ListAccessKeys(ctx)
	must(t, "ListAccessKeys of an empty store", err)
	equal(t, "access keys of an empty store", len(keys), 0)

	b, a := newAccessKey("AKIDBBBBBBBBBBBBBBBB", 1), newAccessKey("AKIDAAAAAAAAAAAAAAAA", 2)
	for _, k := range []store.AccessKey{b, a} {
		must(t, "AddAccessKey", s.AddAccessKey(ctx, k))
		got, err := s.GetAccessKey(ctx, k.ID)
		must(t, "GetAccessKey", err)
		equal(t, "GetAccessKey", got, k)
	}
	wantErr(t, "AddAccessKey again", s.AddAccessKey(ctx, newAccessKey(a.ID, 3)), store.ErrAlreadyExists)
	_, err = s.GetAccessKey(ctx, "AKIDMISSING")
	wantErr(t, "GetAccessKey missing", err, store.ErrNotFound)

	keys, err = s.ListAccessKeys(ctx)
	must(t, "ListAccessKeys", err)
	equal(t, "ListAccessKeys (by id)", keys, []store.AccessKey{a, b})
}

func testAccessKeyReplace(t *testing.T, s store.Store) {
	ctx := t.Context()
	for _, id := range []string{"AKIDOLDAAAAAAAAAAAAA", "AKIDOLDBBBBBBBBBBBBB"} {
		must(t, "AddAccessKey", s.AddAccessKey(ctx, newAccessKey(id, 1)))
	}
	k := newAccessKey("AKIDNEWAAAAAAAAAAAAA", 2)
	must(t, "ReplaceAccessKeys", s.ReplaceAccessKeys(ctx, k))
	keys, err := s.ListAccessKeys(ctx)
	must(t, "ListAccessKeys", err)
	equal(t, "keys after ReplaceAccessKeys", keys, []store.AccessKey{k})
	_, err = s.GetAccessKey(ctx, "AKIDOLDAAAAAAAAAAAAA")
	wantErr(t, "GetAccessKey of a replaced key", err, store.ErrNotFound)
	got, err := s.GetAccessKey(ctx, k.ID)
	must(t, "GetAccessKey of the new key", err)
	equal(t, "GetAccessKey of the new key", got, k)

	// Replacing with the key already there keeps it.
	must(t, "ReplaceAccessKeys with the same key", s.ReplaceAccessKeys(ctx, k))
	keys, err = s.ListAccessKeys(ctx)
	must(t, "ListAccessKeys", err)
	equal(t, "keys after replacing a key with itself", keys, []store.AccessKey{k})
}
