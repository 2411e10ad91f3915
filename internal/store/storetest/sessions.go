package storetest

import (
	"crypto/sha256"
	"testing"

	"github.com/cognate-auth/cognate/internal/store"
)

var sessionTests = []test{
	{"Session/CreateGet", testSessionCreateGet},
	{"Session/GetSessionAndUser", testSessionAndUser},
	{"Session/Revoke", testSessionRevoke},
	{"Session/RevokeUserSessions", testSessionRevokeUser},
	{"Session/DeleteExpired", testSessionDeleteExpired},
	{"Session/RotateRefreshToken", testSessionRotate},
}

// newSession returns a session of u created n minutes after base, valid
// for 30 days, whose refresh token hash and device key derive from id.
func newSession(id string, u store.User, clientID string, n int) store.Session {
	h := sha256.Sum256([]byte("refresh token of " + id))
	return store.Session{
		ID:               id,
		PoolID:           u.PoolID,
		ClientID:         clientID,
		Username:         u.Username,
		Sub:              u.Sub,
		RefreshTokenHash: h[:],
		AuthTime:         at(n - 1),
		CreatedAt:        at(n),
		ExpiresAt:        at(n + 30*24*60),
		DeviceKey:        "us-east-1_" + id,
	}
}

func testSessionCreateGet(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	u := newUser(poolA, "alice", 1)
	x := newSession("origin-jti-1", u, "client", 0)
	must(t, "CreateSession", s.CreateSession(ctx, x))
	got, err := s.GetSession(ctx, x.ID)
	must(t, "GetSession", err)
	equal(t, "GetSession", got, x)
	got, err = s.GetSessionByRefreshToken(ctx, x.RefreshTokenHash)
	must(t, "GetSessionByRefreshToken", err)
	equal(t, "GetSessionByRefreshToken", got, x)

	// The replay of a sign-in step is refused.
	wantErr(t, "CreateSession again", s.CreateSession(ctx, x), store.ErrAlreadyExists)
	_, err = s.GetSession(ctx, "origin-jti-2")
	wantErr(t, "GetSession missing", err, store.ErrNotFound)
	other := sha256.Sum256([]byte("another token"))
	_, err = s.GetSessionByRefreshToken(ctx, other[:])
	wantErr(t, "GetSessionByRefreshToken missing", err, store.ErrNotFound)

	// Sessions without a refresh token may be many.
	for _, id := range []string{"no-refresh-1", "no-refresh-2"} {
		y := newSession(id, u, "client", 1)
		y.RefreshTokenHash, y.DeviceKey = nil, ""
		must(t, "CreateSession without refresh token", s.CreateSession(ctx, y))
		got, err := s.GetSession(ctx, id)
		must(t, "GetSession", err)
		equal(t, "session without refresh token", got, y)
	}
	_, err = s.GetSessionByRefreshToken(ctx, nil)
	wantErr(t, "GetSessionByRefreshToken(nil)", err, store.ErrNotFound)
}

func testSessionRevoke(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	x := newSession("origin-jti-1", newUser(poolA, "alice", 1), "client", 0)
	must(t, "CreateSession", s.CreateSession(ctx, x))

	must(t, "RevokeSession", s.RevokeSession(ctx, x.ID, at(5)))
	got, err := s.GetSession(ctx, x.ID)
	must(t, "GetSession", err)
	x.RevokedAt = at(5)
	equal(t, "revoked session", got, x)

	must(t, "RevokeSession again", s.RevokeSession(ctx, x.ID, at(6)))
	got, err = s.GetSession(ctx, x.ID)
	must(t, "GetSession", err)
	equal(t, "session revoked twice", got, x)

	wantErr(t, "RevokeSession missing", s.RevokeSession(ctx, "missing", at(5)), store.ErrNotFound)
}

func testSessionRevokeUser(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	createPool(t, s, poolB)
	alice, bob := newUser(poolA, "alice", 1), newUser(poolA, "bob", 2)
	aliceElsewhere := newUser(poolB, "alice", 1) // same sub, other pool
	live := []store.Session{
		newSession("a1", alice, "c1", 0),
		newSession("a2", alice, "c2", 10),
		newSession("a3", alice, "c1", 20),
	}
	revoked := newSession("a4", alice, "c1", 30)
	expired := newSession("a5", alice, "c1", 40)
	expired.ExpiresAt = at(50)
	others := []store.Session{newSession("b1", bob, "c1", 0), newSession("x1", aliceElsewhere, "c1", 0)}
	for _, x := range append(append(live, revoked, expired), others...) {
		must(t, "CreateSession", s.CreateSession(ctx, x))
	}
	must(t, "RevokeSession", s.RevokeSession(ctx, revoked.ID, at(35)))

	n, err := s.RevokeUserSessions(ctx, poolA, alice.Sub, at(60))
	must(t, "RevokeUserSessions", err)
	equal(t, "sessions revoked", n, int64(len(live)))
	for _, x := range live {
		got, err := s.GetSession(ctx, x.ID)
		must(t, "GetSession", err)
		equal(t, "revocation time of "+x.ID, got.RevokedAt, at(60))
	}
	got, err := s.GetSession(ctx, revoked.ID)
	must(t, "GetSession", err)
	equal(t, "revocation time of the already revoked session", got.RevokedAt, at(35))
	for _, x := range others {
		got, err := s.GetSession(ctx, x.ID)
		must(t, "GetSession", err)
		equal(t, "session of another user "+x.ID, got, x)
	}

	n, err = s.RevokeUserSessions(ctx, poolA, alice.Sub, at(61))
	must(t, "RevokeUserSessions again", err)
	equal(t, "sessions revoked again", n, int64(0))
}

func testSessionDeleteExpired(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	u := newUser(poolA, "alice", 1)
	var all []store.Session
	for i, id := range []string{"s1", "s2", "s3", "s4"} {
		x := newSession(id, u, "c", 0)
		x.ExpiresAt = at(10 * (i + 1)) // 10, 20, 30, 40
		must(t, "CreateSession", s.CreateSession(ctx, x))
		all = append(all, x)
	}
	n, err := s.DeleteExpiredSessions(ctx, at(30))
	must(t, "DeleteExpiredSessions", err)
	equal(t, "sessions deleted", n, int64(2))
	for i, x := range all {
		_, err := s.GetSession(ctx, x.ID)
		if i < 2 {
			wantErr(t, "GetSession of expired "+x.ID, err, store.ErrNotFound)
		} else {
			must(t, "GetSession of live "+x.ID, err)
		}
	}
	_, err = s.GetSessionByRefreshToken(ctx, all[0].RefreshTokenHash)
	wantErr(t, "GetSessionByRefreshToken of expired", err, store.ErrNotFound)
}

func testSessionAndUser(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	createPool(t, s, poolB)
	alice := newUser(poolA, "alice", 1)
	must(t, "CreateUser", s.CreateUser(ctx, alice))
	alice = getUser(t, s, poolA, store.UserKey{Kind: store.KeySub, Value: alice.Sub})
	// bob has alice's sub in another pool: the session's pool decides.
	bob := newUser(poolB, "bob", 1)
	must(t, "CreateUser", s.CreateUser(ctx, bob))

	x := newSession("origin-jti-1", alice, "client", 0)
	must(t, "CreateSession", s.CreateSession(ctx, x))
	gotSession, gotUser, err := s.GetSessionAndUser(ctx, x.ID)
	must(t, "GetSessionAndUser", err)
	equal(t, "GetSessionAndUser session", gotSession, x)
	equal(t, "GetSessionAndUser user", gotUser, alice)
	gotSession, gotUser, err = s.GetSessionAndUserByRefreshToken(ctx, x.RefreshTokenHash)
	must(t, "GetSessionAndUserByRefreshToken", err)
	equal(t, "GetSessionAndUserByRefreshToken session", gotSession, x)
	equal(t, "GetSessionAndUserByRefreshToken user", gotUser, alice)

	// A session whose user is gone comes with the zero User.
	ghost := newSession("origin-jti-2", newUser(poolA, "ghost", 9), "client", 0)
	must(t, "CreateSession", s.CreateSession(ctx, ghost))
	gotSession, gotUser, err = s.GetSessionAndUser(ctx, ghost.ID)
	must(t, "GetSessionAndUser of a session without user", err)
	equal(t, "GetSessionAndUser session without user", gotSession, ghost)
	equal(t, "GetSessionAndUser user of a session without user", gotUser, store.User{})
	gotSession, gotUser, err = s.GetSessionAndUserByRefreshToken(ctx, ghost.RefreshTokenHash)
	must(t, "GetSessionAndUserByRefreshToken of a session without user", err)
	equal(t, "GetSessionAndUserByRefreshToken session without user", gotSession, ghost)
	equal(t, "GetSessionAndUserByRefreshToken user of a session without user", gotUser, store.User{})

	_, _, err = s.GetSessionAndUser(ctx, "origin-jti-3")
	wantErr(t, "GetSessionAndUser missing", err, store.ErrNotFound)
	other := sha256.Sum256([]byte("another token"))
	_, _, err = s.GetSessionAndUserByRefreshToken(ctx, other[:])
	wantErr(t, "GetSessionAndUserByRefreshToken missing", err, store.ErrNotFound)
	_, _, err = s.GetSessionAndUserByRefreshToken(ctx, nil)
	wantErr(t, "GetSessionAndUserByRefreshToken without hash", err, store.ErrNotFound)
	// Deleting the user deletes its sessions.
	must(t, "DeleteUser", s.DeleteUser(ctx, poolA, store.UserKey{Kind: store.KeySub, Value: alice.Sub}))
	_, _, err = s.GetSessionAndUser(ctx, x.ID)
	wantErr(t, "GetSessionAndUser after DeleteUser", err, store.ErrNotFound)
}

func testSessionRotate(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	u := newUser(poolA, "alice", 1)
	must(t, "CreateUser", s.CreateUser(ctx, u))
	x := newSession("origin-jti-1", u, "client", 0)
	must(t, "CreateSession", s.CreateSession(ctx, x))
	first := x.RefreshTokenHash
	second := sha256.Sum256([]byte("second"))
	third := sha256.Sum256([]byte("third"))

	must(t, "RotateRefreshToken", s.RotateRefreshToken(ctx, x.ID, first, second[:], at(1)))
	want := x
	want.RefreshTokenHash, want.PrevRefreshTokenHash, want.PrevValidUntil = second[:], first, at(1)
	for _, h := range [][]byte{second[:], first} {
		got, err := s.GetSessionByRefreshToken(ctx, h)
		must(t, "GetSessionByRefreshToken after rotation", err)
		equal(t, "rotated session", got, want)
		got, gotUser, err := s.GetSessionAndUserByRefreshToken(ctx, h)
		must(t, "GetSessionAndUserByRefreshToken after rotation", err)
		equal(t, "rotated session with user", got, want)
		equal(t, "user of the rotated session", gotUser.Sub, u.Sub)
	}

	// Only the current token rotates; a stale rotation is not found.
	wantErr(t, "RotateRefreshToken from the previous token", s.RotateRefreshToken(ctx, x.ID, first, third[:], at(2)), store.ErrNotFound)
	wantErr(t, "RotateRefreshToken of a missing session", s.RotateRefreshToken(ctx, "nope", second[:], third[:], at(2)), store.ErrNotFound)

	// The next rotation forgets the first token.
	must(t, "RotateRefreshToken again", s.RotateRefreshToken(ctx, x.ID, second[:], third[:], at(2)))
	_, err := s.GetSessionByRefreshToken(ctx, first)
	wantErr(t, "GetSessionByRefreshToken of a token two rotations old", err, store.ErrNotFound)

	// A token another session holds cannot be rotated in.
	y := newSession("origin-jti-2", u, "client", 3)
	must(t, "CreateSession", s.CreateSession(ctx, y))
	wantErr(t, "RotateRefreshToken to a taken token", s.RotateRefreshToken(ctx, y.ID, y.RefreshTokenHash, third[:], at(4)), store.ErrAlreadyExists)
}
