package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/cognate-auth/cognate/internal/store"
)

// userColumns are read from users u. The user's lookup keys are kept twice:
// as rows of user_keys, whose primary key makes them unique, and as a JSON
// copy in users.lookup_keys, so that reading a user is one query. Both are
// written in the same transaction.
const userColumns = `u.id, u.pool_id, u.username, u.sub, u.status, u.enabled, u.created_at, u.updated_at,
	u.attributes, u.lookup_keys, u.password, u.password_expires_at, u.codes, u.mfa`

// userByKey selects the user owning the key ($1 pool, $2 kind, $3 value).
const userByKey = `SELECT ` + userColumns + ` FROM user_keys k JOIN users u ON u.id = k.user_id
	WHERE k.pool_id = $1 AND k.kind = $2 AND k.value = $3`

// storedKey is a lookup key in users.lookup_keys.
type storedKey struct {
	Kind  string `json:"k"`
	Value string `json:"v"`
}

type userRow struct {
	id   int64
	user store.User
}

func (s *Store) scanUser(row scanner) (userRow, error) {
	var (
		r                         userRow
		u                         = &r.user
		created, updated, expires int64
		attributes, keys, codes   string
		password, mfa             []byte
	)
	if err := row.Scan(&r.id, &u.PoolID, &u.Username, &u.Sub, &u.Status, &u.Enabled, &created, &updated,
		&attributes, &keys, &password, &expires, &codes, &mfa); err != nil {
		return userRow{}, err
	}
	u.CreatedAt, u.UpdatedAt = fromNanos(created), fromNanos(updated)
	u.PasswordExpiresAt = fromNanos(expires)
	if err := decodeJSON("users.attributes", attributes, &u.Attributes); err != nil {
		return userRow{}, err
	}
	if err := decodeJSON("users.codes", codes, &u.Codes); err != nil {
		return userRow{}, err
	}
	var sk []storedKey
	if err := decodeJSON("users.lookup_keys", keys, &sk); err != nil {
		return userRow{}, err
	}
	u.Keys = make([]store.UserKey, len(sk))
	for i, k := range sk {
		u.Keys[i] = store.UserKey{Kind: k.Kind, Value: k.Value}
	}
	if password != nil {
		plain, err := s.open(password, "users", u.PoolID, u.Sub)
		if err != nil {
			return userRow{}, err
		}
		u.Password = new(store.PasswordVerifier)
		if err := json.Unmarshal(plain, u.Password); err != nil {
			return userRow{}, fmt.Errorf("sqlstore: decoding users.password: %w", err)
		}
	}
	if mfa != nil {
		plain, err := s.open(mfa, mfaTable, u.PoolID, u.Sub)
		if err != nil {
			return userRow{}, err
		}
		u.MFA = new(store.UserMFA)
		if err := json.Unmarshal(plain, u.MFA); err != nil {
			return userRow{}, fmt.Errorf("sqlstore: decoding users.mfa: %w", err)
		}
	}
	return r, nil
}

// mfaTable names users.mfa in the associated data of its sealed values, so
// that they open neither as another column's nor in another row.
const mfaTable = "users.mfa"

// userArgs returns the values of users' columns from username to mfa (all
// but id and pool_id), the password and the MFA settings sealed.
func (s *Store) userArgs(u store.User, keys []store.UserKey, usernameKey string) ([]any, error) {
	var e encoder
	sk := make([]storedKey, len(keys))
	for i, k := range keys {
		sk[i] = storedKey{k.Kind, k.Value}
	}
	var password any
	if u.Password != nil {
		password = s.seal([]byte(e.json(u.Password)), "users", u.PoolID, u.Sub)
	}
	var mfa any
	if u.MFA != nil {
		mfa = s.seal([]byte(e.json(u.MFA)), mfaTable, u.PoolID, u.Sub)
	}
	args := []any{u.Username, usernameKey, u.Sub, u.Status, u.Enabled, e.time(u.CreatedAt), e.time(u.UpdatedAt),
		e.json(u.Attributes), e.json(sk), password, e.time(u.PasswordExpiresAt), e.json(u.Codes),
		int64(0), int64(0), mfa} // failed_sign_ins and locked_until: the lock-out of earlier releases, now counters
	return args, e.err
}

// checkKeys returns the user's keys without repeats, in their order, and the
// value of the username key. A user has exactly one username key and one
// sub key, and no key has an empty value.
func checkKeys(u store.User) (keys []store.UserKey, usernameKey string, err error) {
	var usernames, subs int
	for _, k := range u.Keys {
		if k.Kind == "" || k.Value == "" {
			return nil, "", fmt.Errorf("sqlstore: user %q has an empty key %s=%q", u.Username, k.Kind, k.Value)
		}
		if slices.Contains(keys, k) {
			continue
		}
		switch k.Kind {
		case store.KeyUsername:
			usernames++
			usernameKey = k.Value
		case store.KeySub:
			subs++
		}
		keys = append(keys, k)
	}
	if usernames != 1 || subs != 1 {
		return nil, "", fmt.Errorf("sqlstore: user %q must have one %s key and one %s key, has %d and %d",
			u.Username, store.KeyUsername, store.KeySub, usernames, subs)
	}
	return keys, usernameKey, nil
}

// insertKeys adds lookup keys of a user. It inserts them one at a time and
// turns a unique violation into a *store.KeyConflictError naming the key.
// The order is fixed, so that racing transactions do not deadlock, and puts
// the username key first, then the sub: when several keys are taken, the
// error names the one that matters most.
func (s *Store) insertKeys(ctx context.Context, tx *sql.Tx, poolID string, userID int64, keys []store.UserKey) error {
	keys = slices.Clone(keys)
	slices.SortFunc(keys, compareKeys)
	for _, k := range keys {
		_, err := s.inTx(tx).ExecContext(ctx, `INSERT INTO user_keys (pool_id, kind, value, user_id) VALUES ($1, $2, $3, $4)`,
			poolID, k.Kind, k.Value, userID)
		if s.d.isUnique(err) {
			return &store.KeyConflictError{Key: k}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func compareKeys(a, b store.UserKey) int {
	rank := func(k store.UserKey) int {
		switch k.Kind {
		case store.KeyUsername:
			return 0
		case store.KeySub:
			return 1
		}
		return 2
	}
	return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Value, b.Value))
}

// CreateUser implements store.UserStore.
func (s *Store) CreateUser(ctx context.Context, u store.User) error {
	keys, usernameKey, err := checkKeys(u)
	if err != nil {
		return err
	}
	args, err := s.userArgs(u, keys, usernameKey)
	if err != nil {
		return err
	}
	args = append([]any{u.PoolID}, args...)
	return s.write(ctx, func(tx *sql.Tx) error {
		var id int64
		err := s.inTx(tx).QueryRowContext(ctx, `INSERT INTO users (pool_id, username, username_key, sub, status, enabled,
			created_at, updated_at, attributes, lookup_keys, password, password_expires_at, codes, failed_sign_ins, locked_until, mfa)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`, args...).Scan(&id)
		if s.d.isForeignKey(err) {
			return notFound("pool", u.PoolID)
		}
		if err != nil {
			return err
		}
		return s.insertKeys(ctx, tx, u.PoolID, id, keys)
	})
}

// GetUserByKey implements store.UserStore.
func (s *Store) GetUserByKey(ctx context.Context, poolID string, key store.UserKey) (store.User, error) {
	r, err := s.scanUser(s.reader().QueryRowContext(ctx, userByKey, poolID, key.Kind, key.Value))
	if errors.Is(err, sql.ErrNoRows) {
		return store.User{}, notFound("user", poolID, key.Kind, key.Value)
	}
	return r.user, err
}

// UpdateUser implements store.UserStore. update may run more than once and
// must not have side effects.
func (s *Store) UpdateUser(ctx context.Context, poolID string, key store.UserKey, update func(store.User) (store.User, error)) (store.User, error) {
	var out store.User
	err := s.write(ctx, func(tx *sql.Tx) error {
		r, err := s.scanUser(s.inTx(tx).QueryRowContext(ctx, userByKey+s.d.lockUser, poolID, key.Kind, key.Value))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("user", poolID, key.Kind, key.Value)
		}
		if err != nil {
			return err
		}
		oldKeys := slices.Clone(r.user.Keys) // the updater may change the slice it is given
		u, err := update(r.user)
		if err != nil {
			return &abortError{err}
		}
		if u.PoolID != poolID {
			return fmt.Errorf("sqlstore: UpdateUser: the updater moved user %q from pool %q to %q", u.Username, poolID, u.PoolID)
		}
		keys, usernameKey, err := checkKeys(u)
		if err != nil {
			return err
		}
		args, err := s.userArgs(u, keys, usernameKey)
		if err != nil {
			return err
		}
		args = append([]any{r.id}, args...)
		if _, err := s.inTx(tx).ExecContext(ctx, `UPDATE users SET username = $2, username_key = $3, sub = $4, status = $5,
			enabled = $6, created_at = $7, updated_at = $8, attributes = $9, lookup_keys = $10, password = $11,
			password_expires_at = $12, codes = $13, failed_sign_ins = $14, locked_until = $15, mfa = $16 WHERE id = $1`, args...); err != nil {
			return err
		}
		// Removed keys go first, so that a key may pass from one kind to
		// another in one update.
		for _, k := range oldKeys {
			if !slices.Contains(keys, k) {
				if _, err := s.inTx(tx).ExecContext(ctx, `DELETE FROM user_keys WHERE pool_id = $1 AND kind = $2 AND value = $3 AND user_id = $4`,
					poolID, k.Kind, k.Value, r.id); err != nil {
					return err
				}
			}
		}
		var added []store.UserKey
		for _, k := range keys {
			if !slices.Contains(oldKeys, k) {
				added = append(added, k)
			}
		}
		if err := s.insertKeys(ctx, tx, poolID, r.id, added); err != nil {
			return err
		}
		out = u
		out.Keys = keys
		return nil
	})
	if err != nil {
		return store.User{}, err
	}
	return out, nil
}

// DeleteUser implements store.UserStore. The user's keys, group
// memberships and devices go by foreign key; its sessions, which are tied to the user
// only by sub, are deleted here.
func (s *Store) DeleteUser(ctx context.Context, poolID string, key store.UserKey) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var sub string
		err := s.inTx(tx).QueryRowContext(ctx, `DELETE FROM users WHERE id =
			(SELECT user_id FROM user_keys WHERE pool_id = $1 AND kind = $2 AND value = $3) RETURNING sub`,
			poolID, key.Kind, key.Value).Scan(&sub)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("user", poolID, key.Kind, key.Value)
		}
		if err != nil {
			return err
		}
		_, err = s.inTx(tx).ExecContext(ctx, `DELETE FROM sessions WHERE pool_id = $1 AND sub = $2`, poolID, sub)
		return err
	})
}

// ListUsers implements store.UserStore. The filter attributes "username"
// (the username key), "sub" and "status" match the user's columns; any
// other names an attribute.
func (s *Store) ListUsers(ctx context.Context, poolID string, f store.UserFilter, after string, limit int) ([]store.User, error) {
	q := `SELECT ` + userColumns + ` FROM users u WHERE u.pool_id = $1 AND u.username_key > $2`
	args := []any{poolID, after}
	param := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.Attribute != "" {
		var expr string
		switch f.Attribute {
		case "username":
			expr = "u.username_key"
		case "sub":
			expr = "u.sub"
		case "status":
			expr = "u.status"
		default:
			var arg any
			expr, arg = s.d.attribute(len(args)+1, f.Attribute)
			args = append(args, arg)
		}
		if f.Prefix {
			v := param(f.Value)
			q += ` AND substr(` + expr + `, 1, ` + param(utf8.RuneCountInString(f.Value)) + `) = ` + v
		} else {
			q += ` AND ` + expr + ` = ` + param(f.Value)
		}
	}
	q += ` ORDER BY u.username_key LIMIT ` + param(limitArg(limit))
	return s.queryUsers(ctx, q, args...)
}

// queryUsers runs a query selecting userColumns of users u and returns
// the users.
func (s *Store) queryUsers(ctx context.Context, q string, args ...any) ([]store.User, error) {
	rows, err := s.reader().QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	urs, err := collect(rows, s.scanUser)
	if err != nil {
		return nil, err
	}
	users := make([]store.User, len(urs))
	for i, r := range urs {
		users[i] = r.user
	}
	return users, nil
}

// CountUsers implements store.UserStore.
func (s *Store) CountUsers(ctx context.Context, poolID string) (int64, error) {
	var n int64
	err := s.reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE pool_id = $1`, poolID).Scan(&n)
	return n, err
}
