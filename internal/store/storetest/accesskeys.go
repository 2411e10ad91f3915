package storetest

import (
	"testing"

	"github.com/cognate-auth/cognate/internal/store"
)

var accessKeyTests = []test{
	{"AccessKey/AddGetList", testAccessKeyAddGetList},
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
