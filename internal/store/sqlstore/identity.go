package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/cognate-auth/cognate/internal/store"
)

const identityPoolColumns = `id, name, created_at, updated_at, settings`

func scanIdentityPool(row scanner) (store.IdentityPool, error) {
	var (
		p                store.IdentityPool
		created, updated int64
		settings         string
	)
	if err := row.Scan(&p.ID, &p.Name, &created, &updated, &settings); err != nil {
		return store.IdentityPool{}, err
	}
	p.CreatedAt, p.UpdatedAt = fromNanos(created), fromNanos(updated)
	if err := decodeJSON("identity_pools.settings", settings, &p.Settings); err != nil {
		return store.IdentityPool{}, err
	}
	return p, nil
}

func identityPoolArgs(p store.IdentityPool) ([]any, error) {
	var e encoder
	args := []any{p.ID, p.Name, e.time(p.CreatedAt), e.time(p.UpdatedAt), e.json(p.Settings)}
	return args, e.err
}

// CreateIdentityPool implements store.IdentityStore.
func (s *Store) CreateIdentityPool(ctx context.Context, p store.IdentityPool) error {
	args, err := identityPoolArgs(p)
	if err != nil {
		return err
	}
	_, err = s.writer().ExecContext(ctx, `INSERT INTO identity_pools (`+identityPoolColumns+`) VALUES ($1, $2, $3, $4, $5)`, args...)
	if s.d.isUnique(err) {
		return alreadyExists("identity pool", p.ID)
	}
	return err
}

// GetIdentityPool implements store.IdentityStore.
func (s *Store) GetIdentityPool(ctx context.Context, id string) (store.IdentityPool, error) {
	p, err := scanIdentityPool(s.reader().QueryRowContext(ctx, `SELECT `+identityPoolColumns+` FROM identity_pools WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return store.IdentityPool{}, notFound("identity pool", id)
	}
	return p, err
}

// UpdateIdentityPool implements store.IdentityStore.
func (s *Store) UpdateIdentityPool(ctx context.Context, id string, update func(store.IdentityPool) (store.IdentityPool, error)) (store.IdentityPool, error) {
	var out store.IdentityPool
	err := s.write(ctx, func(tx *sql.Tx) error {
		old, err := scanIdentityPool(s.inTx(tx).QueryRowContext(ctx, `SELECT `+identityPoolColumns+` FROM identity_pools WHERE id = $1`+s.d.lockRow, id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("identity pool", id)
		}
		if err != nil {
			return err
		}
		p, err := update(old)
		if err != nil {
			return &abortError{err}
		}
		if p.ID != id {
			return fmt.Errorf("sqlstore: UpdateIdentityPool: the updater changed the id %q to %q", id, p.ID)
		}
		args, err := identityPoolArgs(p)
		if err != nil {
			return err
		}
		if _, err := s.inTx(tx).ExecContext(ctx, `UPDATE identity_pools SET name = $2, created_at = $3, updated_at = $4, settings = $5 WHERE id = $1`, args...); err != nil {
			return err
		}
		out = p
		return nil
	})
	return out, err
}

// DeleteIdentityPool implements store.IdentityStore. Foreign keys delete
// its identities and their logins.
func (s *Store) DeleteIdentityPool(ctx context.Context, id string) error {
	n, err := rowsAffected(s.writer().ExecContext(ctx, `DELETE FROM identity_pools WHERE id = $1`, id))
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound("identity pool", id)
	}
	return nil
}

// ListIdentityPools implements store.IdentityStore.
func (s *Store) ListIdentityPools(ctx context.Context, after string, limit int) ([]store.IdentityPool, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT `+identityPoolColumns+` FROM identity_pools WHERE id > $1 ORDER BY id LIMIT $2`, after, limitArg(limit))
	if err != nil {
		return nil, err
	}
	return collect(rows, scanIdentityPool)
}

// CreateIdentity implements store.IdentityStore.
func (s *Store) CreateIdentity(ctx context.Context, id store.Identity) error {
	var e encoder
	created, modified := e.time(id.CreatedAt), e.time(id.ModifiedAt)
	if e.err != nil {
		return e.err
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := s.inTx(tx).ExecContext(ctx, `INSERT INTO identities (id, pool_id, created_at, modified_at) VALUES ($1, $2, $3, $4)`,
			id.ID, id.PoolID, created, modified)
		if err != nil {
			return err
		}
		for _, l := range id.Logins {
			if _, err := s.inTx(tx).ExecContext(ctx, `INSERT INTO identity_logins (pool_id, provider, subject, identity_id) VALUES ($1, $2, $3, $4)`,
				id.PoolID, l.Provider, l.Subject, id.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if s.d.isUnique(err) {
		return alreadyExists("identity or login", id.ID)
	}
	if s.d.isForeignKey(err) {
		return notFound("identity pool", id.PoolID)
	}
	return err
}

func (s *Store) loginsOf(ctx context.Context, r runner, identityID string) ([]store.IdentityLogin, error) {
	rows, err := r.QueryContext(ctx, `SELECT provider, subject FROM identity_logins WHERE identity_id = $1 ORDER BY provider, subject`, identityID)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(row scanner) (store.IdentityLogin, error) {
		var l store.IdentityLogin
		return l, row.Scan(&l.Provider, &l.Subject)
	})
}

func (s *Store) identityBy(ctx context.Context, q string, args ...any) (store.Identity, error) {
	var (
		id                store.Identity
		created, modified int64
	)
	err := s.reader().QueryRowContext(ctx, q, args...).Scan(&id.ID, &id.PoolID, &created, &modified)
	if err != nil {
		return store.Identity{}, err
	}
	id.CreatedAt, id.ModifiedAt = fromNanos(created), fromNanos(modified)
	id.Logins, err = s.loginsOf(ctx, s.reader(), id.ID)
	return id, err
}

// GetIdentity implements store.IdentityStore.
func (s *Store) GetIdentity(ctx context.Context, id string) (store.Identity, error) {
	out, err := s.identityBy(ctx, `SELECT id, pool_id, created_at, modified_at FROM identities WHERE id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Identity{}, notFound("identity", id)
	}
	return out, err
}

// FindIdentityByLogin implements store.IdentityStore.
func (s *Store) FindIdentityByLogin(ctx context.Context, poolID string, l store.IdentityLogin) (store.Identity, error) {
	out, err := s.identityBy(ctx, `SELECT i.id, i.pool_id, i.created_at, i.modified_at FROM identity_logins l
		JOIN identities i ON i.id = l.identity_id WHERE l.pool_id = $1 AND l.provider = $2 AND l.subject = $3`, poolID, l.Provider, l.Subject)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Identity{}, notFound("login", poolID, l.Provider, l.Subject)
	}
	return out, err
}

// LinkLogins implements store.IdentityStore.
func (s *Store) LinkLogins(ctx context.Context, identityID string, logins []store.IdentityLogin, at time.Time) error {
	var e encoder
	now := e.time(at)
	if e.err != nil {
		return e.err
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		var poolID string
		err := s.inTx(tx).QueryRowContext(ctx, `SELECT pool_id FROM identities WHERE id = $1`+s.d.lockRow, identityID).Scan(&poolID)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("identity", identityID)
		}
		if err != nil {
			return err
		}
		for _, l := range logins {
			var owner string
			err := s.inTx(tx).QueryRowContext(ctx, `SELECT identity_id FROM identity_logins WHERE pool_id = $1 AND provider = $2 AND subject = $3`,
				poolID, l.Provider, l.Subject).Scan(&owner)
			switch {
			case err == nil && owner == identityID:
				continue
			case err == nil:
				return &abortError{alreadyExists("login", poolID, l.Provider, l.Subject)}
			case !errors.Is(err, sql.ErrNoRows):
				return err
			}
			if _, err := s.inTx(tx).ExecContext(ctx, `INSERT INTO identity_logins (pool_id, provider, subject, identity_id) VALUES ($1, $2, $3, $4)`,
				poolID, l.Provider, l.Subject, identityID); err != nil {
				return err
			}
		}
		_, err = s.inTx(tx).ExecContext(ctx, `UPDATE identities SET modified_at = $2 WHERE id = $1`, identityID, now)
		return err
	})
	if s.d.isUnique(err) {
		return alreadyExists("login", identityID)
	}
	return err
}

// UnlinkLogin implements store.IdentityStore.
func (s *Store) UnlinkLogin(ctx context.Context, identityID string, l store.IdentityLogin, at time.Time) error {
	var e encoder
	now := e.time(at)
	if e.err != nil {
		return e.err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		n, err := rowsAffected(s.inTx(tx).ExecContext(ctx, `DELETE FROM identity_logins WHERE identity_id = $1 AND provider = $2 AND subject = $3`,
			identityID, l.Provider, l.Subject))
		if err != nil {
			return err
		}
		if n == 0 {
			return notFound("login", identityID, l.Provider, l.Subject)
		}
		_, err = s.inTx(tx).ExecContext(ctx, `UPDATE identities SET modified_at = $2 WHERE id = $1`, identityID, now)
		return err
	})
}

// MoveLogins implements store.IdentityStore.
func (s *Store) MoveLogins(ctx context.Context, fromID, toID string, at time.Time) error {
	var e encoder
	now := e.time(at)
	if e.err != nil {
		return e.err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		var fromPool, toPool string
		if err := s.inTx(tx).QueryRowContext(ctx, `SELECT pool_id FROM identities WHERE id = $1`, fromID).Scan(&fromPool); errors.Is(err, sql.ErrNoRows) {
			return notFound("identity", fromID)
		} else if err != nil {
			return err
		}
		if err := s.inTx(tx).QueryRowContext(ctx, `SELECT pool_id FROM identities WHERE id = $1`, toID).Scan(&toPool); errors.Is(err, sql.ErrNoRows) {
			return notFound("identity", toID)
		} else if err != nil {
			return err
		}
		if fromPool != toPool {
			return &abortError{fmt.Errorf("sqlstore: MoveLogins: identities of two pools")}
		}
		if _, err := s.inTx(tx).ExecContext(ctx, `UPDATE identity_logins SET identity_id = $2 WHERE identity_id = $1`, fromID, toID); err != nil {
			return err
		}
		if _, err := s.inTx(tx).ExecContext(ctx, `DELETE FROM identities WHERE id = $1`, fromID); err != nil {
			return err
		}
		_, err := s.inTx(tx).ExecContext(ctx, `UPDATE identities SET modified_at = $2 WHERE id = $1`, toID, now)
		return err
	})
}

// ListIdentities implements store.IdentityStore.
func (s *Store) ListIdentities(ctx context.Context, poolID, after string, limit int) ([]store.Identity, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT id, pool_id, created_at, modified_at FROM identities
		WHERE pool_id = $1 AND id > $2 ORDER BY id LIMIT $3`, poolID, after, limitArg(limit))
	if err != nil {
		return nil, err
	}
	ids, err := collect(rows, func(row scanner) (store.Identity, error) {
		var (
			id                store.Identity
			created, modified int64
		)
		err := row.Scan(&id.ID, &id.PoolID, &created, &modified)
		id.CreatedAt, id.ModifiedAt = fromNanos(created), fromNanos(modified)
		return id, err
	})
	if err != nil {
		return nil, err
	}
	for i := range ids {
		if ids[i].Logins, err = s.loginsOf(ctx, s.reader(), ids[i].ID); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// DeleteIdentity implements store.IdentityStore.
func (s *Store) DeleteIdentity(ctx context.Context, id string) error {
	n, err := rowsAffected(s.writer().ExecContext(ctx, `DELETE FROM identities WHERE id = $1`, id))
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound("identity", id)
	}
	return nil
}
