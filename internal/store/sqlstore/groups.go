package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/cognate-auth/cognate/internal/store"
)

const groupColumns = `pool_id, name, description, role_arn, precedence, created_at, updated_at`

func scanGroup(row scanner) (store.Group, error) {
	var (
		g                store.Group
		precedence       sql.NullInt64
		created, updated int64
	)
	if err := row.Scan(&g.PoolID, &g.Name, &g.Description, &g.RoleARN, &precedence, &created, &updated); err != nil {
		return store.Group{}, err
	}
	if precedence.Valid {
		g.Precedence = &precedence.Int64
	}
	g.CreatedAt, g.UpdatedAt = fromNanos(created), fromNanos(updated)
	return g, nil
}

// groupArgs returns the values of groupColumns.
func groupArgs(g store.Group) ([]any, error) {
	var e encoder
	var precedence any
	if g.Precedence != nil {
		precedence = *g.Precedence
	}
	args := []any{g.PoolID, g.Name, g.Description, g.RoleARN, precedence, e.time(g.CreatedAt), e.time(g.UpdatedAt)}
	return args, e.err
}

// CreateGroup implements store.GroupStore.
func (s *Store) CreateGroup(ctx context.Context, g store.Group) error {
	args, err := groupArgs(g)
	if err != nil {
		return err
	}
	_, err = s.writer().ExecContext(ctx, `INSERT INTO user_groups (`+groupColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`, args...)
	switch {
	case s.d.isUnique(err):
		return alreadyExists("group", g.PoolID, g.Name)
	case s.d.isForeignKey(err):
		return notFound("pool", g.PoolID)
	}
	return err
}

const groupByName = `SELECT ` + groupColumns + ` FROM user_groups WHERE pool_id = $1 AND name = $2`

// GetGroup implements store.GroupStore.
func (s *Store) GetGroup(ctx context.Context, poolID, name string) (store.Group, error) {
	g, err := scanGroup(s.reader().QueryRowContext(ctx, groupByName, poolID, name))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Group{}, notFound("group", poolID, name)
	}
	return g, err
}

// UpdateGroup implements store.GroupStore. update may run more than once
// and must not have side effects.
func (s *Store) UpdateGroup(ctx context.Context, poolID, name string, update func(store.Group) (store.Group, error)) (store.Group, error) {
	var out store.Group
	err := s.write(ctx, func(tx *sql.Tx) error {
		old, err := scanGroup(s.inTx(tx).QueryRowContext(ctx, groupByName+s.d.lockRow, poolID, name))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("group", poolID, name)
		}
		if err != nil {
			return err
		}
		g, err := update(old)
		if err != nil {
			return &abortError{err}
		}
		if g.PoolID != poolID || g.Name != name {
			return fmt.Errorf("sqlstore: UpdateGroup: the updater moved group %s/%s to %s/%s", poolID, name, g.PoolID, g.Name)
		}
		args, err := groupArgs(g)
		if err != nil {
			return err
		}
		if _, err := s.inTx(tx).ExecContext(ctx, `UPDATE user_groups SET description = $3, role_arn = $4, precedence = $5,
			created_at = $6, updated_at = $7 WHERE pool_id = $1 AND name = $2`, args...); err != nil {
			return err
		}
		out = g
		return nil
	})
	if err != nil {
		return store.Group{}, err
	}
	return out, nil
}

// DeleteGroup implements store.GroupStore. The memberships go by foreign
// key.
func (s *Store) DeleteGroup(ctx context.Context, poolID, name string) error {
	n, err := rowsAffected(s.writer().ExecContext(ctx, `DELETE FROM user_groups WHERE pool_id = $1 AND name = $2`, poolID, name))
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound("group", poolID, name)
	}
	return nil
}

// ListGroups implements store.GroupStore.
func (s *Store) ListGroups(ctx context.Context, poolID, after string, limit int) ([]store.Group, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT `+groupColumns+` FROM user_groups
		WHERE pool_id = $1 AND name > $2 ORDER BY name LIMIT $3`, poolID, after, limitArg(limit))
	if err != nil {
		return nil, err
	}
	return collect(rows, scanGroup)
}

// memberOf resolves a membership's group and user inside a transaction:
// the group must exist, and the user owning key. It returns the user's id.
func (s *Store) memberOf(ctx context.Context, tx *sql.Tx, poolID, name string, key store.UserKey) (int64, error) {
	var one int
	err := s.inTx(tx).QueryRowContext(ctx, `SELECT 1 FROM user_groups WHERE pool_id = $1 AND name = $2`, poolID, name).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, notFound("group", poolID, name)
	}
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.inTx(tx).QueryRowContext(ctx, `SELECT user_id FROM user_keys WHERE pool_id = $1 AND kind = $2 AND value = $3`,
		poolID, key.Kind, key.Value).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, notFound("user", poolID, key.Kind, key.Value)
	}
	return id, err
}

// AddUserToGroup implements store.GroupStore. A group or user deleted by a
// concurrent transaction fails the foreign keys, which is reported as
// store.ErrNotFound too.
func (s *Store) AddUserToGroup(ctx context.Context, poolID, name string, key store.UserKey) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		id, err := s.memberOf(ctx, tx, poolID, name, key)
		if err != nil {
			return err
		}
		_, err = s.inTx(tx).ExecContext(ctx, `INSERT INTO group_members (pool_id, group_name, user_id) VALUES ($1, $2, $3)
			ON CONFLICT DO NOTHING`, poolID, name, id)
		if s.d.isForeignKey(err) {
			return notFound("group or user", poolID, name, key.Kind, key.Value)
		}
		return err
	})
}

// RemoveUserFromGroup implements store.GroupStore.
func (s *Store) RemoveUserFromGroup(ctx context.Context, poolID, name string, key store.UserKey) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		id, err := s.memberOf(ctx, tx, poolID, name, key)
		if err != nil {
			return err
		}
		_, err = s.inTx(tx).ExecContext(ctx, `DELETE FROM group_members WHERE pool_id = $1 AND group_name = $2 AND user_id = $3`,
			poolID, name, id)
		return err
	})
}

// GroupsOfUser implements store.GroupStore in one query.
func (s *Store) GroupsOfUser(ctx context.Context, poolID string, key store.UserKey) ([]store.Group, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT `+prefixColumns("g.", groupColumns)+` FROM user_keys k
		JOIN group_members m ON m.user_id = k.user_id
		JOIN user_groups g ON g.pool_id = m.pool_id AND g.name = m.group_name
		WHERE k.pool_id = $1 AND k.kind = $2 AND k.value = $3 ORDER BY g.name`, poolID, key.Kind, key.Value)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanGroup)
}

// ListGroupMembers implements store.GroupStore.
func (s *Store) ListGroupMembers(ctx context.Context, poolID, name, after string, limit int) ([]store.User, error) {
	return s.queryUsers(ctx, `SELECT `+userColumns+` FROM group_members m JOIN users u ON u.id = m.user_id
		WHERE m.pool_id = $1 AND m.group_name = $2 AND u.username_key > $3 ORDER BY u.username_key LIMIT $4`,
		poolID, name, after, limitArg(limit))
}
