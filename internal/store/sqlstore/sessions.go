package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/cognate-auth/cognate/internal/store"
)

const sessionColumns = `id, pool_id, client_id, username, sub, refresh_token_hash, auth_time, created_at, expires_at, revoked_at, prev_refresh_token_hash, prev_valid_until, device_key`

// sessionScan receives the sessionColumns of a row.
type sessionScan struct {
	x                                            store.Session
	auth, created, expires, revokedAt, prevValid int64
}

func (r *sessionScan) dests() []any {
	x := &r.x
	return []any{&x.ID, &x.PoolID, &x.ClientID, &x.Username, &x.Sub, &x.RefreshTokenHash,
		&r.auth, &r.created, &r.expires, &r.revokedAt, &x.PrevRefreshTokenHash, &r.prevValid, &x.DeviceKey}
}

func (r *sessionScan) session() store.Session {
	x := r.x
	x.AuthTime, x.CreatedAt = fromNanos(r.auth), fromNanos(r.created)
	x.ExpiresAt, x.RevokedAt = fromNanos(r.expires), fromNanos(r.revokedAt)
	x.PrevValidUntil = fromNanos(r.prevValid)
	return x
}

func scanSession(row scanner) (store.Session, error) {
	var r sessionScan
	if err := row.Scan(r.dests()...); err != nil {
		return store.Session{}, err
	}
	return r.session(), nil
}

// sessionAndUser selects sessions joined with their user's columns; a
// condition on s follows.
var sessionAndUser = `SELECT ` + prefixColumns("s.", sessionColumns) + `, ` + userColumns + `
	FROM sessions s
	JOIN user_keys k ON k.pool_id = s.pool_id AND k.kind = '` + store.KeySub + `' AND k.value = s.sub
	JOIN users u ON u.id = k.user_id
	WHERE `

// prefixColumns qualifies a list of columns with a table alias.
func prefixColumns(prefix, columns string) string {
	parts := strings.Split(columns, ",")
	for i, c := range parts {
		parts[i] = prefix + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

// prefixed is a scanner that puts dests before the ones it is given, so
// that one row can fill two records.
type prefixed struct {
	row   scanner
	dests []any
}

func (p prefixed) Scan(dest ...any) error { return p.row.Scan(append(p.dests, dest...)...) }

// GetSessionAndUser implements store.SessionStore: one query when the
// session and its user exist, the common case.
func (s *Store) GetSessionAndUser(ctx context.Context, id string) (store.Session, store.User, error) {
	return s.sessionAndUser(ctx, `s.id = $1`, id, func() (store.Session, error) { return s.GetSession(ctx, id) })
}

// GetSessionAndUserByRefreshToken implements store.SessionStore.
func (s *Store) GetSessionAndUserByRefreshToken(ctx context.Context, hash []byte) (store.Session, store.User, error) {
	if len(hash) == 0 {
		return store.Session{}, store.User{}, notFound("session with refresh token", "")
	}
	return s.sessionAndUser(ctx, `(s.refresh_token_hash = $1 OR s.prev_refresh_token_hash = $1)`, hash, func() (store.Session, error) {
		return s.GetSessionByRefreshToken(ctx, hash)
	})
}

// sessionAndUser reads the session where cond holds for arg, with its
// user; when the join finds no row, alone reads the session without it.
func (s *Store) sessionAndUser(ctx context.Context, cond string, arg any, alone func() (store.Session, error)) (store.Session, store.User, error) {
	var r sessionScan
	u, err := s.scanUser(prefixed{s.reader().QueryRowContext(ctx, sessionAndUser+cond, arg), r.dests()})
	if err == nil {
		return r.session(), u.user, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return store.Session{}, store.User{}, err
	}
	x, err := alone() // the session without a user, or no session
	return x, store.User{}, err
}

// CreateSession implements store.SessionStore. It fails with
// store.ErrAlreadyExists when the id or the refresh token hash is taken,
// and store.ErrNotFound when the pool does not exist. A session whose
// ExpiresAt is zero never expires.
func (s *Store) CreateSession(ctx context.Context, x store.Session) error {
	var e encoder
	args := []any{x.ID, x.PoolID, x.ClientID, x.Username, x.Sub, nullable(x.RefreshTokenHash),
		e.time(x.AuthTime), e.time(x.CreatedAt), e.time(x.ExpiresAt), e.time(x.RevokedAt),
		nullable(x.PrevRefreshTokenHash), e.time(x.PrevValidUntil), x.DeviceKey}
	if e.err != nil {
		return e.err
	}
	_, err := s.writer().ExecContext(ctx, `INSERT INTO sessions (`+sessionColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`, args...)
	switch {
	case s.d.isUnique(err):
		return alreadyExists("session", x.ID)
	case s.d.isForeignKey(err):
		return notFound("pool", x.PoolID)
	}
	return err
}

// GetSession implements store.SessionStore.
func (s *Store) GetSession(ctx context.Context, id string) (store.Session, error) {
	x, err := scanSession(s.reader().QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Session{}, notFound("session", id)
	}
	return x, err
}

// GetSessionByRefreshToken implements store.SessionStore.
func (s *Store) GetSessionByRefreshToken(ctx context.Context, hash []byte) (store.Session, error) {
	if len(hash) == 0 {
		return store.Session{}, notFound("session with refresh token", "")
	}
	x, err := scanSession(s.reader().QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM sessions
		WHERE refresh_token_hash = $1 OR prev_refresh_token_hash = $1`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Session{}, notFound("session with refresh token", "")
	}
	return x, err
}

// RotateRefreshToken implements store.SessionStore.
func (s *Store) RotateRefreshToken(ctx context.Context, id string, from, to []byte, prevValidUntil time.Time) error {
	var e encoder
	t := e.time(prevValidUntil)
	if e.err != nil {
		return e.err
	}
	if len(from) == 0 || len(to) == 0 {
		return notFound("session", id)
	}
	n, err := rowsAffected(s.writer().ExecContext(ctx, `UPDATE sessions
		SET prev_refresh_token_hash = refresh_token_hash, prev_valid_until = $4, refresh_token_hash = $3
		WHERE id = $1 AND refresh_token_hash = $2`, id, from, to, t))
	if s.d.isUnique(err) {
		return alreadyExists("session refresh token", id)
	}
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound("session", id)
	}
	return nil
}

// RevokeSession implements store.SessionStore. A session revoked twice
// keeps the time of the first revocation.
func (s *Store) RevokeSession(ctx context.Context, id string, at time.Time) error {
	var e encoder
	t := e.time(at)
	if e.err != nil {
		return e.err
	}
	n, err := rowsAffected(s.writer().ExecContext(ctx,
		`UPDATE sessions SET revoked_at = CASE WHEN revoked_at = 0 THEN $2 ELSE revoked_at END WHERE id = $1`, id, t))
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound("session", id)
	}
	return nil
}

// RevokeUserSessions implements store.SessionStore. A live session is one
// neither revoked nor expired at the given time.
func (s *Store) RevokeUserSessions(ctx context.Context, poolID, sub string, at time.Time) (int64, error) {
	var e encoder
	t := e.time(at)
	if e.err != nil {
		return 0, e.err
	}
	return rowsAffected(s.writer().ExecContext(ctx, `UPDATE sessions SET revoked_at = $3
		WHERE pool_id = $1 AND sub = $2 AND revoked_at = 0 AND (expires_at = 0 OR expires_at > $3)`, poolID, sub, t))
}

// DeleteExpiredSessions implements store.SessionStore.
func (s *Store) DeleteExpiredSessions(ctx context.Context, before time.Time) (int64, error) {
	var e encoder
	t := e.time(before)
	if e.err != nil {
		return 0, e.err
	}
	return rowsAffected(s.writer().ExecContext(ctx, `DELETE FROM sessions WHERE expires_at > 0 AND expires_at < $1`, t))
}
