package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cognate-auth/cognate/internal/store"
)

const deviceColumns = `pool_id, device_key, sub, group_key, name, verifier, remembered, last_ip, created_at, updated_at, last_authenticated_at`

// deviceTable names devices.verifier in the associated data of its sealed
// values: ciphertext moved to another device, or from users.password, does
// not open.
const deviceTable = "devices.verifier"

func (s *Store) scanDevice(row scanner) (store.Device, error) {
	var (
		d                      store.Device
		sealed                 []byte
		created, updated, auth int64
	)
	if err := row.Scan(&d.PoolID, &d.Key, &d.Sub, &d.GroupKey, &d.Name, &sealed, &d.Remembered, &d.LastIP,
		&created, &updated, &auth); err != nil {
		return store.Device{}, err
	}
	plain, err := s.open(sealed, deviceTable, d.PoolID, d.Key)
	if err != nil {
		return store.Device{}, err
	}
	if err := json.Unmarshal(plain, &d.Verifier); err != nil {
		return store.Device{}, fmt.Errorf("sqlstore: decoding devices.verifier: %w", err)
	}
	d.CreatedAt, d.UpdatedAt, d.LastAuthenticatedAt = fromNanos(created), fromNanos(updated), fromNanos(auth)
	return d, nil
}

// deviceArgs returns the values of the columns of deviceColumns from
// group_key on, the verifier sealed.
func (s *Store) deviceArgs(d store.Device) ([]any, error) {
	var e encoder
	verifier := s.seal([]byte(e.json(d.Verifier)), deviceTable, d.PoolID, d.Key)
	args := []any{d.GroupKey, d.Name, verifier, d.Remembered, d.LastIP,
		e.time(d.CreatedAt), e.time(d.UpdatedAt), e.time(d.LastAuthenticatedAt)}
	return args, e.err
}

// CreateDevice implements store.DeviceStore. The owner is looked up by sub
// in the insert itself; a user deleted meanwhile fails the foreign key,
// which is store.ErrNotFound too.
func (s *Store) CreateDevice(ctx context.Context, d store.Device) error {
	args, err := s.deviceArgs(d)
	if err != nil {
		return err
	}
	args = append([]any{d.PoolID, d.Key, d.Sub}, args...)
	n, err := rowsAffected(s.writer().ExecContext(ctx, `INSERT INTO devices (pool_id, device_key, sub, user_id, group_key, name,
		verifier, remembered, last_ip, created_at, updated_at, last_authenticated_at)
		SELECT $1, $2, $3, k.user_id, $4, $5, $6, $7, $8, $9, $10, $11 FROM user_keys k
		WHERE k.pool_id = $1 AND k.kind = '`+store.KeySub+`' AND k.value = $3`, args...))
	switch {
	case s.d.isUnique(err):
		return alreadyExists("device", d.PoolID, d.Key)
	case s.d.isForeignKey(err):
		return notFound("user", d.PoolID, store.KeySub, d.Sub)
	case err != nil:
		return err
	case n == 0:
		return notFound("user", d.PoolID, store.KeySub, d.Sub)
	}
	return nil
}

const deviceByKey = `SELECT ` + deviceColumns + ` FROM devices WHERE pool_id = $1 AND device_key = $2`

// GetDevice implements store.DeviceStore.
func (s *Store) GetDevice(ctx context.Context, poolID, key string) (store.Device, error) {
	d, err := s.scanDevice(s.reader().QueryRowContext(ctx, deviceByKey, poolID, key))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Device{}, notFound("device", poolID, key)
	}
	return d, err
}

// UpdateDevice implements store.DeviceStore. update may run more than once
// and must not have side effects.
func (s *Store) UpdateDevice(ctx context.Context, poolID, key string, update func(store.Device) (store.Device, error)) (store.Device, error) {
	var out store.Device
	err := s.write(ctx, func(tx *sql.Tx) error {
		old, err := s.scanDevice(s.inTx(tx).QueryRowContext(ctx, deviceByKey+s.d.lockRow, poolID, key))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("device", poolID, key)
		}
		if err != nil {
			return err
		}
		d, err := update(old)
		if err != nil {
			return &abortError{err}
		}
		if d.PoolID != poolID || d.Key != key || d.Sub != old.Sub {
			return fmt.Errorf("sqlstore: UpdateDevice: the updater moved device %s/%s of %s to %s/%s of %s",
				poolID, key, old.Sub, d.PoolID, d.Key, d.Sub)
		}
		args, err := s.deviceArgs(d)
		if err != nil {
			return err
		}
		if _, err := s.inTx(tx).ExecContext(ctx, `UPDATE devices SET group_key = $3, name = $4, verifier = $5, remembered = $6,
			last_ip = $7, created_at = $8, updated_at = $9, last_authenticated_at = $10 WHERE pool_id = $1 AND device_key = $2`,
			append([]any{poolID, key}, args...)...); err != nil {
			return err
		}
		out = d
		return nil
	})
	if err != nil {
		return store.Device{}, err
	}
	return out, nil
}

// DeleteDevice implements store.DeviceStore.
func (s *Store) DeleteDevice(ctx context.Context, poolID, key string) error {
	n, err := rowsAffected(s.writer().ExecContext(ctx, `DELETE FROM devices WHERE pool_id = $1 AND device_key = $2`, poolID, key))
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound("device", poolID, key)
	}
	return nil
}

// ListDevices implements store.DeviceStore.
func (s *Store) ListDevices(ctx context.Context, poolID, sub string, rememberedOnly bool, after string, limit int) ([]store.Device, error) {
	q := `SELECT ` + deviceColumns + ` FROM devices WHERE pool_id = $1 AND sub = $2 AND device_key > $3`
	if rememberedOnly {
		q += ` AND remembered = $5`
	}
	q += ` ORDER BY device_key LIMIT $4`
	args := []any{poolID, sub, after, limitArg(limit)}
	if rememberedOnly {
		args = append(args, true)
	}
	rows, err := s.reader().QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, s.scanDevice)
}
