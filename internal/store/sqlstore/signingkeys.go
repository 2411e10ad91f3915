package sqlstore

import (
	"context"
	"time"

	"github.com/cognate-auth/cognate/internal/store"
)

// AddSigningKey implements store.KeyStore. It fails with
// store.ErrAlreadyExists when the pool has the kid and store.ErrNotFound
// when the pool does not exist.
func (s *Store) AddSigningKey(ctx context.Context, k store.SigningKey) error {
	var e encoder
	args := []any{k.PoolID, k.KID, s.seal(k.PrivateDER, "signing_keys", k.PoolID, k.KID), e.time(k.CreatedAt), e.time(k.RetiredAt)}
	if e.err != nil {
		return e.err
	}
	_, err := s.writer().ExecContext(ctx, `INSERT INTO signing_keys (pool_id, kid, private_der, created_at, retired_at)
		VALUES ($1, $2, $3, $4, $5)`, args...)
	switch {
	case s.d.isUnique(err):
		return alreadyExists("signing key", k.PoolID, k.KID)
	case s.d.isForeignKey(err):
		return notFound("pool", k.PoolID)
	}
	return err
}

// SigningKeys implements store.KeyStore. Keys created at the same time come
// in kid order.
func (s *Store) SigningKeys(ctx context.Context, poolID string) ([]store.SigningKey, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT pool_id, kid, private_der, created_at, retired_at
		FROM signing_keys WHERE pool_id = $1 ORDER BY created_at, kid`, poolID)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(row scanner) (store.SigningKey, error) {
		var (
			k                  store.SigningKey
			sealed             []byte
			created, retiredAt int64
		)
		if err := row.Scan(&k.PoolID, &k.KID, &sealed, &created, &retiredAt); err != nil {
			return store.SigningKey{}, err
		}
		der, err := s.open(sealed, "signing_keys", k.PoolID, k.KID)
		if err != nil {
			return store.SigningKey{}, err
		}
		k.PrivateDER, k.CreatedAt, k.RetiredAt = der, fromNanos(created), fromNanos(retiredAt)
		return k, nil
	})
}

// RetireSigningKey implements store.KeyStore. A key retired twice keeps
// the time of the first retirement.
func (s *Store) RetireSigningKey(ctx context.Context, poolID, kid string, at time.Time) error {
	var e encoder
	t := e.time(at)
	if e.err != nil {
		return e.err
	}
	n, err := rowsAffected(s.writer().ExecContext(ctx, `UPDATE signing_keys
		SET retired_at = CASE WHEN retired_at = 0 THEN $3 ELSE retired_at END
		WHERE pool_id = $1 AND kid = $2`, poolID, kid, t))
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound("signing key", poolID, kid)
	}
	return nil
}

// DeleteSigningKey implements store.KeyStore.
func (s *Store) DeleteSigningKey(ctx context.Context, poolID, kid string) error {
	n, err := rowsAffected(s.writer().ExecContext(ctx, `DELETE FROM signing_keys WHERE pool_id = $1 AND kid = $2`, poolID, kid))
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound("signing key", poolID, kid)
	}
	return nil
}
