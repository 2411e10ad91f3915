package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/cognate-auth/cognate/internal/store"
)

func (s *Store) scanAccessKey(row scanner) (store.AccessKey, error) {
	var (
		k       store.AccessKey
		sealed  []byte
		created int64
	)
	if err := row.Scan(&k.ID, &sealed, &created); err != nil {
		return store.AccessKey{}, err
	}
	secret, err := s.open(sealed, "access_keys", k.ID)
	if err != nil {
		return store.AccessKey{}, err
	}
	k.Secret, k.CreatedAt = string(secret), fromNanos(created)
	return k, nil
}

// AddAccessKey implements store.AccessKeyStore.
func (s *Store) AddAccessKey(ctx context.Context, k store.AccessKey) error {
	var e encoder
	created := e.time(k.CreatedAt)
	if e.err != nil {
		return e.err
	}
	_, err := s.writer().ExecContext(ctx, `INSERT INTO access_keys (id, secret, created_at) VALUES ($1, $2, $3)`,
		k.ID, s.seal([]byte(k.Secret), "access_keys", k.ID), created)
	if s.d.isUnique(err) {
		return alreadyExists("access key", k.ID)
	}
	return err
}

// GetAccessKey implements store.AccessKeyStore.
func (s *Store) GetAccessKey(ctx context.Context, id string) (store.AccessKey, error) {
	k, err := s.scanAccessKey(s.reader().QueryRowContext(ctx, `SELECT id, secret, created_at FROM access_keys WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return store.AccessKey{}, notFound("access key", id)
	}
	return k, err
}

// ListAccessKeys implements store.AccessKeyStore. Keys come in id order.
func (s *Store) ListAccessKeys(ctx context.Context) ([]store.AccessKey, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT id, secret, created_at FROM access_keys ORDER BY id`)
	if err != nil {
		return nil, err
	}
	return collect(rows, s.scanAccessKey)
}

// ReplaceAccessKeys implements store.AccessKeyStore.
func (s *Store) ReplaceAccessKeys(ctx context.Context, k store.AccessKey) error {
	var e encoder
	created := e.time(k.CreatedAt)
	if e.err != nil {
		return e.err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.inTx(tx).ExecContext(ctx, `DELETE FROM access_keys`); err != nil {
			return err
		}
		_, err := s.inTx(tx).ExecContext(ctx, `INSERT INTO access_keys (id, secret, created_at) VALUES ($1, $2, $3)`,
			k.ID, s.seal([]byte(k.Secret), "access_keys", k.ID), created)
		return err
	})
}
