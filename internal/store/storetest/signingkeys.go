package storetest

import (
	"bytes"
	"testing"

	"github.com/cognate-auth/cognate/internal/store"
)

var signingKeyTests = []test{
	{"SigningKey/AddList", testSigningKeyAddList},
	{"SigningKey/RetireDelete", testSigningKeyRetireDelete},
}

// newSigningKey returns a key of the pool created n minutes after base. Its
// "DER" is recognisable filler: engines do not parse it.
func newSigningKey(poolID, kid string, n int) store.SigningKey {
	return store.SigningKey{
		PoolID:     poolID,
		KID:        kid,
		PrivateDER: append([]byte{0x30, 0x82, 0x04, 0xbd}, bytes.Repeat([]byte("private key "+kid), 40)...),
		CreatedAt:  at(n),
	}
}

func listKIDs(t *testing.T, s store.Store, poolID string) []string {
	t.Helper()
	keys, err := s.SigningKeys(t.Context(), poolID)
	must(t, "SigningKeys", err)
	var kids []string
	for _, k := range keys {
		kids = append(kids, k.KID)
	}
	return kids
}

func testSigningKeyAddList(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	createPool(t, s, poolB)
	// Added out of order; listed oldest first.
	k2, k1, k3 := newSigningKey(poolA, "k2", 20), newSigningKey(poolA, "k1", 10), newSigningKey(poolA, "k3", 30)
	for _, k := range []store.SigningKey{k2, k1, k3} {
		must(t, "AddSigningKey", s.AddSigningKey(ctx, k))
	}
	must(t, "AddSigningKey other pool", s.AddSigningKey(ctx, newSigningKey(poolB, "k1", 0)))
	keys, err := s.SigningKeys(ctx, poolA)
	must(t, "SigningKeys", err)
	equal(t, "SigningKeys", keys, []store.SigningKey{k1, k2, k3})

	wantErr(t, "AddSigningKey again", s.AddSigningKey(ctx, k1), store.ErrAlreadyExists)
	keys, err = s.SigningKeys(ctx, "us-east-1_missing")
	must(t, "SigningKeys of missing pool", err)
	equal(t, "keys of missing pool", len(keys), 0)
}

func testSigningKeyRetireDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	old, current := newSigningKey(poolA, "old", 0), newSigningKey(poolA, "current", 10)
	must(t, "AddSigningKey", s.AddSigningKey(ctx, old))

	// Rotation: the new key is added, the old one retired but still
	// published, then deleted.
	must(t, "AddSigningKey", s.AddSigningKey(ctx, current))
	must(t, "RetireSigningKey", s.RetireSigningKey(ctx, poolA, old.KID, at(11)))
	keys, err := s.SigningKeys(ctx, poolA)
	must(t, "SigningKeys", err)
	old.RetiredAt = at(11)
	equal(t, "keys after retiring", keys, []store.SigningKey{old, current})

	must(t, "RetireSigningKey again", s.RetireSigningKey(ctx, poolA, old.KID, at(12)))
	keys, err = s.SigningKeys(ctx, poolA)
	must(t, "SigningKeys", err)
	equal(t, "retired twice keeps the first time", keys[0].RetiredAt, at(11))

	must(t, "DeleteSigningKey", s.DeleteSigningKey(ctx, poolA, old.KID))
	equal(t, "keys after deleting", listKIDs(t, s, poolA), []string{"current"})

	wantErr(t, "DeleteSigningKey again", s.DeleteSigningKey(ctx, poolA, old.KID), store.ErrNotFound)
	wantErr(t, "RetireSigningKey missing", s.RetireSigningKey(ctx, poolA, old.KID, at(13)), store.ErrNotFound)
	wantErr(t, "RetireSigningKey in another pool", s.RetireSigningKey(ctx, poolB, current.KID, at(13)), store.ErrNotFound)
	wantErr(t, "DeleteSigningKey in another pool", s.DeleteSigningKey(ctx, poolB, current.KID), store.ErrNotFound)
}
