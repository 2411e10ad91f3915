package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cognate-auth/cognate/internal/store"
)

const clientColumns = `id, pool_id, name, secret, created_at, updated_at, settings`

func (s *Store) scanClient(row scanner) (store.Client, error) {
	var (
		c                store.Client
		secret           []byte
		created, updated int64
		settings         string
	)
	if err := row.Scan(&c.ID, &c.PoolID, &c.Name, &secret, &created, &updated, &settings); err != nil {
		return store.Client{}, err
	}
	c.CreatedAt, c.UpdatedAt = fromNanos(created), fromNanos(updated)
	if secret != nil {
		plain, err := s.open(secret, "clients", c.ID)
		if err != nil {
			return store.Client{}, err
		}
		if c.Secrets, err = decodeClientSecrets(plain, c); err != nil {
			return store.Client{}, err
		}
	}
	var err error
	if c.Settings, err = s.clients.decode(settings); err != nil {
		return store.Client{}, err
	}
	return c, nil
}

// The secret column holds a client's secrets sealed whole: a JSON list. A
// row written before clients could have two secrets holds the one secret
// itself, which never starts with "[" (secrets match [\w+]+).
func decodeClientSecrets(plain []byte, c store.Client) ([]store.ClientSecret, error) {
	if len(plain) > 0 && plain[0] == '[' {
		var secrets []store.ClientSecret
		if err := json.Unmarshal(plain, &secrets); err != nil {
			return nil, fmt.Errorf("sqlstore: secrets of client %s: %w", c.ID, err)
		}
		return secrets, nil
	}
	return []store.ClientSecret{{ID: fmt.Sprintf("%s--%d", c.ID, c.CreatedAt.Unix()), Value: string(plain), CreatedAt: c.CreatedAt}}, nil
}

// clientArgs returns the values of clientColumns, the secrets sealed.
func (s *Store) clientArgs(c store.Client) ([]any, error) {
	var e encoder
	var secret any
	if len(c.Secrets) > 0 {
		plain, err := json.Marshal(c.Secrets)
		if err != nil {
			return nil, err
		}
		secret = s.seal(plain, "clients", c.ID)
	}
	args := []any{c.ID, c.PoolID, c.Name, secret, e.time(c.CreatedAt), e.time(c.UpdatedAt), e.json(c.Settings)}
	return args, e.err
}

// CreateClient implements store.ClientStore.
func (s *Store) CreateClient(ctx context.Context, c store.Client) error {
	args, err := s.clientArgs(c)
	if err != nil {
		return err
	}
	_, err = s.writer().ExecContext(ctx, `INSERT INTO clients (`+clientColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`, args...)
	switch {
	case s.d.isUnique(err):
		return alreadyExists("client", c.ID)
	case s.d.isForeignKey(err):
		return notFound("pool", c.PoolID)
	}
	return err
}

// GetClient implements store.ClientStore.
func (s *Store) GetClient(ctx context.Context, id string) (store.Client, error) {
	c, err := s.scanClient(s.reader().QueryRowContext(ctx, `SELECT `+clientColumns+` FROM clients WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Client{}, notFound("client", id)
	}
	return c, err
}

// clientAndPool selects a client ($1) and its pool.
var clientAndPool = `SELECT ` + prefixColumns("p.", poolColumns) + `, ` + prefixColumns("c.", clientColumns) + `
	FROM clients c JOIN pools p ON p.id = c.pool_id WHERE c.id = $1`

// GetClientAndPool implements store.ClientStore.
func (s *Store) GetClientAndPool(ctx context.Context, id string) (store.Client, store.Pool, error) {
	var r poolScan
	c, err := s.scanClient(prefixed{s.reader().QueryRowContext(ctx, clientAndPool, id), r.dests()})
	if errors.Is(err, sql.ErrNoRows) {
		return store.Client{}, store.Pool{}, notFound("client", id)
	}
	if err != nil {
		return store.Client{}, store.Pool{}, err
	}
	p, err := s.finishPool(&r)
	return c, p, err
}

// UpdateClient implements store.ClientStore. update may run more than once
// and must not have side effects.
func (s *Store) UpdateClient(ctx context.Context, id string, update func(store.Client) (store.Client, error)) (store.Client, error) {
	var out store.Client
	err := s.write(ctx, func(tx *sql.Tx) error {
		old, err := s.scanClient(s.inTx(tx).QueryRowContext(ctx, `SELECT `+clientColumns+` FROM clients WHERE id = $1`+s.d.lockRow, id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("client", id)
		}
		if err != nil {
			return err
		}
		c, err := update(old)
		if err != nil {
			return &abortError{err}
		}
		if c.ID != id || c.PoolID != old.PoolID {
			return fmt.Errorf("sqlstore: UpdateClient: the updater moved client %s/%s to %s/%s", old.PoolID, id, c.PoolID, c.ID)
		}
		args, err := s.clientArgs(c)
		if err != nil {
			return err
		}
		if _, err := s.inTx(tx).ExecContext(ctx, `UPDATE clients SET name = $3, secret = $4, created_at = $5, updated_at = $6, settings = $7
			WHERE id = $1 AND pool_id = $2`, args...); err != nil {
			return err
		}
		out = c
		return nil
	})
	if err != nil {
		return store.Client{}, err
	}
	return out, nil
}

// DeleteClient implements store.ClientStore.
func (s *Store) DeleteClient(ctx context.Context, id string) error {
	n, err := rowsAffected(s.writer().ExecContext(ctx, `DELETE FROM clients WHERE id = $1`, id))
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound("client", id)
	}
	return nil
}

// ListClients implements store.ClientStore.
func (s *Store) ListClients(ctx context.Context, poolID, after string, limit int) ([]store.Client, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT `+clientColumns+` FROM clients
		WHERE pool_id = $1 AND id > $2 ORDER BY id LIMIT $3`, poolID, after, limitArg(limit))
	if err != nil {
		return nil, err
	}
	return collect(rows, s.scanClient)
}
