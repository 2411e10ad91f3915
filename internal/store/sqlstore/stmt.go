package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// A runner runs statements on a pool or in a transaction. On SQLite it
// runs them as prepared statements kept for the life of the store:
// modernc.org/sqlite compiles a statement on every call otherwise, which
// costs more than running it. pgx keeps prepared statements of its own, so
// PostgreSQL needs none of this.
type runner struct {
	s  *Store
	db *sql.DB
	tx *sql.Tx // nil outside a transaction
}

func (s *Store) reader() runner         { return runner{s: s, db: s.r} }
func (s *Store) writer() runner         { return runner{s: s, db: s.w} }
func (s *Store) inTx(tx *sql.Tx) runner { return runner{s: s, db: s.w, tx: tx} }

// stmt returns the prepared statement of q for the runner, or nil to run q
// unprepared.
func (r runner) stmt(ctx context.Context, q string) *sql.Stmt {
	if !r.s.d.prepare {
		return nil
	}
	if r.tx != nil {
		// Preparing q now would wait for a connection of the writer,
		// whose only one this transaction holds: use q's statement if it
		// is there, else run q unprepared and prepare it once the
		// transaction is over.
		st := r.s.stmts.lookup(r.db, q)
		if st == nil {
			return nil
		}
		return r.tx.StmtContext(ctx, st) // prepared on this connection once, then reused
	}
	st, err := r.s.stmts.get(ctx, r.db, q)
	if err != nil {
		return nil // running q unprepared reports the error
	}
	return st
}

func (r runner) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if st := r.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	if r.tx != nil {
		return r.tx.QueryRowContext(ctx, q, args...)
	}
	return r.db.QueryRowContext(ctx, q, args...)
}

func (r runner) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := r.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	if r.tx != nil {
		return r.tx.QueryContext(ctx, q, args...)
	}
	return r.db.QueryContext(ctx, q, args...)
}

func (r runner) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if st := r.stmt(ctx, q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	if r.tx != nil {
		return r.tx.ExecContext(ctx, q, args...)
	}
	return r.db.ExecContext(ctx, q, args...)
}

// stmtCache holds the prepared statements of a store by pool and SQL. The
// SQL is a constant of the package or, for ListUsers, one of a few
// variants, so the cache stays small.
type stmtCache struct {
	m      sync.Map // stmtKey → *sql.Stmt
	missed sync.Map // stmtKey → struct{}: run in a transaction, not yet prepared
}

type stmtKey struct {
	db *sql.DB
	q  string
}

// lookup returns the statement of q, or nil after noting q to be prepared
// by prepareMissed.
func (c *stmtCache) lookup(db *sql.DB, q string) *sql.Stmt {
	k := stmtKey{db, q}
	if st, ok := c.m.Load(k); ok {
		return st.(*sql.Stmt)
	}
	c.missed.Store(k, struct{}{})
	return nil
}

// prepareMissed prepares the statements lookup did not find. It runs when
// no transaction holds a connection.
func (c *stmtCache) prepareMissed(ctx context.Context) {
	c.missed.Range(func(k, _ any) bool {
		c.missed.Delete(k)
		key := k.(stmtKey)
		_, _ = c.get(ctx, key.db, key.q) // on error, the statement stays unprepared
		return true
	})
}

func (c *stmtCache) get(ctx context.Context, db *sql.DB, q string) (*sql.Stmt, error) {
	k := stmtKey{db, q}
	if st, ok := c.m.Load(k); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := db.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if prev, loaded := c.m.LoadOrStore(k, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

func (c *stmtCache) close() {
	c.m.Range(func(k, st any) bool {
		st.(*sql.Stmt).Close()
		return true
	})
}
