package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/cognate-auth/cognate/internal/store"
)

const domainColumns = `name, pool_id, custom, certificate_arn, managed_login_version, created_at, updated_at`

func scanDomain(row scanner) (store.Domain, error) {
	var (
		d                store.Domain
		custom           int64
		created, updated int64
	)
	if err := row.Scan(&d.Name, &d.PoolID, &custom, &d.CertificateARN, &d.ManagedLoginVersion, &created, &updated); err != nil {
		return store.Domain{}, err
	}
	d.Custom = custom != 0
	d.CreatedAt, d.UpdatedAt = fromNanos(created), fromNanos(updated)
	return d, nil
}

// domainArgs returns the values of domainColumns.
func domainArgs(d store.Domain) ([]any, error) {
	var e encoder
	custom := 0
	if d.Custom {
		custom = 1
	}
	args := []any{d.Name, d.PoolID, custom, d.CertificateARN, d.ManagedLoginVersion, e.time(d.CreatedAt), e.time(d.UpdatedAt)}
	return args, e.err
}

// CreateDomain implements store.DomainStore. The primary key keeps names
// unique and the index on (pool_id, custom) one domain of each kind per
// pool.
func (s *Store) CreateDomain(ctx context.Context, d store.Domain) error {
	args, err := domainArgs(d)
	if err != nil {
		return err
	}
	_, err = s.writer().ExecContext(ctx, `INSERT INTO domains (`+domainColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`, args...)
	switch {
	case s.d.isUnique(err):
		return alreadyExists("domain", d.Name)
	case s.d.isForeignKey(err):
		return notFound("pool", d.PoolID)
	}
	return err
}

const domainByName = `SELECT ` + domainColumns + ` FROM domains WHERE name = $1`

// GetDomain implements store.DomainStore.
func (s *Store) GetDomain(ctx context.Context, name string) (store.Domain, error) {
	d, err := scanDomain(s.reader().QueryRowContext(ctx, domainByName, name))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Domain{}, notFound("domain", name)
	}
	return d, err
}

// UpdateDomain implements store.DomainStore. update may run more than once
// and must not have side effects.
func (s *Store) UpdateDomain(ctx context.Context, name string, update func(store.Domain) (store.Domain, error)) (store.Domain, error) {
	var out store.Domain
	err := s.write(ctx, func(tx *sql.Tx) error {
		old, err := scanDomain(s.inTx(tx).QueryRowContext(ctx, domainByName+s.d.lockRow, name))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("domain", name)
		}
		if err != nil {
			return err
		}
		d, err := update(old)
		if err != nil {
			return &abortError{err}
		}
		if d.Name != old.Name || d.PoolID != old.PoolID || d.Custom != old.Custom {
			return fmt.Errorf("sqlstore: UpdateDomain: the updater changed the name, pool or kind of domain %s", name)
		}
		args, err := domainArgs(d)
		if err != nil {
			return err
		}
		if _, err := s.inTx(tx).ExecContext(ctx, `UPDATE domains SET certificate_arn = $4, managed_login_version = $5,
			created_at = $6, updated_at = $7 WHERE name = $1 AND pool_id = $2 AND custom = $3`, args...); err != nil {
			return err
		}
		out = d
		return nil
	})
	if err != nil {
		return store.Domain{}, err
	}
	return out, nil
}

// DeleteDomain implements store.DomainStore.
func (s *Store) DeleteDomain(ctx context.Context, name string) error {
	n, err := rowsAffected(s.writer().ExecContext(ctx, `DELETE FROM domains WHERE name = $1`, name))
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound("domain", name)
	}
	return nil
}

// PoolDomains implements store.DomainStore.
func (s *Store) PoolDomains(ctx context.Context, poolID string) ([]store.Domain, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT `+domainColumns+` FROM domains WHERE pool_id = $1 ORDER BY custom`, poolID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanDomain)
}
