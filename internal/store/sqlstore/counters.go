package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/cognate-auth/cognate/internal/store"
)

// maxCounterKey bounds a counter's key, as the contract says.
const maxCounterKey = 200

// countersSchemaSQLite is the table of the SQLite counters' own database
// (openSQLiteCounters). Times are unix nanoseconds; expires_at is when a
// counter stops existing. On PostgreSQL the table is made by migration
// 0007, in the store's database.
const countersSchemaSQLite = `CREATE TABLE IF NOT EXISTS counters (
    key        TEXT PRIMARY KEY,
    count      INTEGER NOT NULL,
    start_at   INTEGER NOT NULL,
    until_at   INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS counters_expires_at ON counters (expires_at);`

// checkCounterKeys refuses keys the contract does not allow, and the same
// key twice in one call.
func checkCounterKeys(keys []string) error {
	for i, k := range keys {
		if k == "" || len(k) > maxCounterKey {
			return fmt.Errorf("sqlstore: counter key %q is empty or longer than %d bytes", k, maxCounterKey)
		}
		if slices.Contains(keys[:i], k) {
			return fmt.Errorf("sqlstore: counter key %q given twice", k)
		}
	}
	return nil
}

// UpdateCounters implements store.CounterStore. On PostgreSQL a counter
// that does not exist yet is first inserted empty, so that SELECT ... FOR
// UPDATE has a row to lock; the rows are locked in key order, so that two
// calls naming the same keys cannot deadlock; and the transaction commits
// without waiting for the WAL to reach the disk (synchronous_commit off):
// a crash of the database server may forget the last counts, never
// corrupt them. On SQLite the counters' own writer serialises writers.
func (s *Store) UpdateCounters(ctx context.Context, keys []string, now time.Time, update func([]store.Counter) ([]store.Counter, error)) ([]store.Counter, error) {
	if err := checkCounterKeys(keys); err != nil {
		return nil, err
	}
	var e encoder
	nowN := e.time(now)
	if e.err != nil {
		return nil, e.err
	}
	var out []store.Counter
	err := s.writeOn(ctx, s.c, func(tx *sql.Tx) error {
		r := runner{s: s, db: s.c, tx: tx}
		if s.d == postgresDialect {
			if _, err := r.ExecContext(ctx, `SET LOCAL synchronous_commit TO OFF`); err != nil {
				return err
			}
		}
		cur := make([]store.Counter, len(keys))
		order := slices.Clone(keys)
		slices.Sort(order)
		for _, k := range order {
			if s.d == postgresDialect {
				if _, err := r.ExecContext(ctx, `INSERT INTO counters (key, count, start_at, until_at, expires_at)
					VALUES ($1, 0, 0, 0, 0) ON CONFLICT (key) DO NOTHING`, k); err != nil {
					return err
				}
			}
			c, err := scanCounter(r.QueryRowContext(ctx, `SELECT count, start_at, until_at, expires_at FROM counters
				WHERE key = $1`+s.d.lockRow, k), nowN)
			if err != nil {
				return err
			}
			cur[slices.Index(keys, k)] = c
		}
		next, err := update(slices.Clone(cur))
		if err != nil {
			return &abortError{err}
		}
		if len(next) != len(keys) {
			return fmt.Errorf("sqlstore: UpdateCounters: the updater returned %d counters for %d keys", len(next), len(keys))
		}
		for i, c := range next {
			if err := s.putCounter(ctx, r, keys[i], c, now); err != nil {
				return err
			}
		}
		out = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// putCounter stores c under key, or deletes it when it has expired.
func (s *Store) putCounter(ctx context.Context, r runner, key string, c store.Counter, now time.Time) error {
	if !c.ExpiresAt.After(now) {
		_, err := r.ExecContext(ctx, `DELETE FROM counters WHERE key = $1`, key)
		return err
	}
	var e encoder
	args := []any{key, int64(c.Count), e.time(c.Start), e.time(c.Until), e.time(c.ExpiresAt)}
	if e.err != nil {
		return e.err
	}
	_, err := r.ExecContext(ctx, `INSERT INTO counters (key, count, start_at, until_at, expires_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (key) DO UPDATE SET count = $2, start_at = $3, until_at = $4, expires_at = $5`, args...)
	return err
}

// scanCounter reads a counter; a missing or expired one (at now, in unix
// nanoseconds) is the zero Counter.
func scanCounter(row scanner, now int64) (store.Counter, error) {
	var count, start, until, expires int64
	err := row.Scan(&count, &start, &until, &expires)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && expires <= now) {
		return store.Counter{}, nil
	}
	if err != nil {
		return store.Counter{}, err
	}
	return store.Counter{Count: int(count), Start: fromNanos(start), Until: fromNanos(until), ExpiresAt: fromNanos(expires)}, nil
}

// Counters implements store.CounterStore.
func (s *Store) Counters(ctx context.Context, keys []string, now time.Time) ([]store.Counter, error) {
	if err := checkCounterKeys(keys); err != nil {
		return nil, err
	}
	var e encoder
	nowN := e.time(now)
	if e.err != nil {
		return nil, e.err
	}
	out := make([]store.Counter, len(keys))
	for i, k := range keys {
		c, err := scanCounter(runner{s: s, db: s.c}.QueryRowContext(ctx, `SELECT count, start_at, until_at, expires_at FROM counters WHERE key = $1`, k), nowN)
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}

// DeleteCounters implements store.CounterStore: one statement per key, no
// transaction, as nothing is read.
func (s *Store) DeleteCounters(ctx context.Context, keys []string) error {
	if err := checkCounterKeys(keys); err != nil {
		return err
	}
	for _, k := range keys {
		if _, err := (runner{s: s, db: s.c}).ExecContext(ctx, `DELETE FROM counters WHERE key = $1`, k); err != nil {
			return err
		}
	}
	return nil
}

// DeleteExpiredCounters implements store.CounterStore.
func (s *Store) DeleteExpiredCounters(ctx context.Context, before time.Time) (int64, error) {
	var e encoder
	t := e.time(before)
	if e.err != nil {
		return 0, e.err
	}
	return rowsAffected(runner{s: s, db: s.c}.ExecContext(ctx, `DELETE FROM counters WHERE expires_at < $1`, t))
}
