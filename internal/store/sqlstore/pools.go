package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/cognate-auth/cognate/internal/store"
)

const poolColumns = `id, name, created_at, updated_at, settings`

// poolScan receives the poolColumns of a row.
type poolScan struct {
	p                store.Pool
	created, updated int64
	settings         string
}

func (r *poolScan) dests() []any {
	return []any{&r.p.ID, &r.p.Name, &r.created, &r.updated, &r.settings}
}

func (s *Store) finishPool(r *poolScan) (store.Pool, error) {
	p := r.p
	p.CreatedAt, p.UpdatedAt = fromNanos(r.created), fromNanos(r.updated)
	var err error
	if p.Settings, err = s.pools.decode(r.settings); err != nil {
		return store.Pool{}, err
	}
	return p, nil
}

func (s *Store) scanPool(row scanner) (store.Pool, error) {
	var r poolScan
	if err := row.Scan(r.dests()...); err != nil {
		return store.Pool{}, err
	}
	return s.finishPool(&r)
}

// poolArgs returns the values of poolColumns.
func poolArgs(p store.Pool) ([]any, error) {
	var e encoder
	args := []any{p.ID, p.Name, e.time(p.CreatedAt), e.time(p.UpdatedAt), e.json(p.Settings)}
	return args, e.err
}

// CreatePool implements store.PoolStore.
func (s *Store) CreatePool(ctx context.Context, p store.Pool) error {
	args, err := poolArgs(p)
	if err != nil {
		return err
	}
	_, err = s.writer().ExecContext(ctx, `INSERT INTO pools (`+poolColumns+`) VALUES ($1, $2, $3, $4, $5)`, args...)
	if s.d.isUnique(err) {
		return alreadyExists("pool", p.ID)
	}
	return err
}

// GetPool implements store.PoolStore.
func (s *Store) GetPool(ctx context.Context, id string) (store.Pool, error) {
	p, err := s.scanPool(s.reader().QueryRowContext(ctx, `SELECT `+poolColumns+` FROM pools WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Pool{}, notFound("pool", id)
	}
	return p, err
}

// UpdatePool implements store.PoolStore. update may run more than once
// and must not have side effects.
func (s *Store) UpdatePool(ctx context.Context, id string, update func(store.Pool) (store.Pool, error)) (store.Pool, error) {
	var out store.Pool
	err := s.write(ctx, func(tx *sql.Tx) error {
		old, err := s.scanPool(s.inTx(tx).QueryRowContext(ctx, `SELECT `+poolColumns+` FROM pools WHERE id = $1`+s.d.lockRow, id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("pool", id)
		}
		if err != nil {
			return err
		}
		p, err := update(old)
		if err != nil {
			return &abortError{err}
		}
		if p.ID != id {
			return fmt.Errorf("sqlstore: UpdatePool: the updater changed the id %q to %q", id, p.ID)
		}
		args, err := poolArgs(p)
		if err != nil {
			return err
		}
		if _, err := s.inTx(tx).ExecContext(ctx, `UPDATE pools SET name = $2, created_at = $3, updated_at = $4, settings = $5 WHERE id = $1`, args...); err != nil {
			return err
		}
		out = p
		return nil
	})
	if err != nil {
		return store.Pool{}, err
	}
	return out, nil
}

// DeletePool implements store.PoolStore. Foreign keys delete the pool's
// clients, users, user keys, groups and their members, devices, sessions and
// signing keys; the outbox has none and is cleared here.
func (s *Store) DeletePool(ctx context.Context, id string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.inTx(tx).ExecContext(ctx, `DELETE FROM messages WHERE pool_id = $1`, id); err != nil {
			return err
		}
		n, err := rowsAffected(s.inTx(tx).ExecContext(ctx, `DELETE FROM pools WHERE id = $1`, id))
		if err != nil {
			return err
		}
		if n == 0 {
			return notFound("pool", id)
		}
		return nil
	})
}

// ListPools implements store.PoolStore.
func (s *Store) ListPools(ctx context.Context, after string, limit int) ([]store.Pool, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT `+poolColumns+` FROM pools WHERE id > $1 ORDER BY id LIMIT $2`, after, limitArg(limit))
	if err != nil {
		return nil, err
	}
	return collect(rows, s.scanPool)
}

// collect scans every row with scan.
func collect[T any](rows *sql.Rows, scan func(scanner) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
