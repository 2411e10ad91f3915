package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"runtime"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

	"github.com/cognate-auth/cognate/internal/secretbox"
	"github.com/cognate-auth/cognate/internal/store"
)

// Config says which database to open and how.
type Config struct {
	// Driver is "sqlite" (the default) or "postgres".
	Driver string
	// DSN is, for SQLite, the path of the database file, created when
	// missing; for PostgreSQL, a connection URL or key=value string as
	// pgx accepts it.
	DSN string
	// MasterKey is the secretbox.KeySize-byte key that seals secret fields.
	// It must not be kept in the database.
	MasterKey []byte
	// Logger receives migrations and retried transactions; nil discards.
	Logger *slog.Logger
	// MaxConns bounds the PostgreSQL connection pool (default 16), or the
	// SQLite reader connections (default GOMAXPROCS, at least 4). SQLite
	// always has one writer connection besides.
	MaxConns int
	// SQLiteSynchronous is SQLite's synchronous setting: "FULL" (the
	// default: an acknowledged write survives a power loss) or "NORMAL"
	// (it survives a crash of the process, not of the machine).
	SQLiteSynchronous string

	// sharedPool makes SQLite readers and the writer share one pool of
	// MaxConns connections; it exists so that a benchmark can compare.
	sharedPool bool
}

// Store is a store.Store on SQLite or PostgreSQL.
type Store struct {
	d *dialect
	w *sql.DB // writes; for SQLite a single connection
	r *sql.DB // reads; w itself on PostgreSQL
	// c holds the counters (counters.go): on SQLite a database file of
	// their own, written without waiting for the disk; w on PostgreSQL.
	c   *sql.DB
	box *secretbox.Box
	log *slog.Logger

	stmts stmtCache
	// pools and clients skip decoding settings already seen (memo.go).
	pools   *memo[store.PoolSettings]
	clients *memo[store.ClientSettings]
}

var _ store.Store = (*Store)(nil)

// ErrMasterKey means the database was written under another master key.
var ErrMasterKey = errors.New("sqlstore: the master key is not the one this database was written with")

// Open connects to the database, applies pending migrations and checks the
// master key against the one the database was first opened with.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	d, err := dialectFor(cfg.Driver)
	if err != nil {
		return nil, err
	}
	box, err := secretbox.New(cfg.MasterKey, "store")
	if err != nil {
		return nil, fmt.Errorf("sqlstore: %w", err)
	}
	s := &Store{d: d, box: box, log: cfg.Logger,
		pools:   newMemo("pools.settings", clonePoolSettings),
		clients: newMemo("clients.settings", cloneClientSettings)}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if d == sqliteDialect {
		s.w, s.r, err = openSQLite(ctx, cfg)
		if err == nil {
			if s.c, err = openSQLiteCounters(ctx, cfg.DSN); err != nil {
				s.w.Close()
				s.r.Close()
			}
		}
	} else {
		s.w, err = openPostgres(ctx, cfg)
		s.r, s.c = s.w, s.w
	}
	if err != nil {
		return nil, err
	}
	if err := migrate(ctx, s.w, d, s.log); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.checkMasterKey(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the connection pools.
func (s *Store) Close() error {
	s.stmts.close()
	var err error
	if s.r != s.w {
		err = s.r.Close()
	}
	if s.c != s.w {
		err = errors.Join(err, s.c.Close())
	}
	return errors.Join(err, s.w.Close())
}

func openSQLite(ctx context.Context, cfg Config) (w, r *sql.DB, err error) {
	path := cfg.DSN
	if path == "" || strings.ContainsRune(path, '?') || strings.HasPrefix(path, "file:") || strings.HasPrefix(path, ":memory:") {
		return nil, nil, fmt.Errorf("sqlstore: SQLite DSN must be a file path, got %q", path)
	}
	sync := strings.ToUpper(cfg.SQLiteSynchronous)
	switch sync {
	case "":
		sync = "FULL"
	case "FULL", "NORMAL":
	default:
		return nil, nil, fmt.Errorf("sqlstore: SQLiteSynchronous must be FULL or NORMAL, got %q", cfg.SQLiteSynchronous)
	}
	readers := cfg.MaxConns
	if readers <= 0 {
		readers = max(4, runtime.GOMAXPROCS(0))
	}

	w, err = sql.Open("sqlite", sqliteDSN(path, true, sync))
	if err != nil {
		return nil, nil, fmt.Errorf("sqlstore: %w", err)
	}
	if cfg.sharedPool {
		w.SetMaxOpenConns(readers)
		w.SetMaxIdleConns(readers)
	} else {
		// One writer: writes queue in the pool rather than spin on
		// SQLite's busy handler.
		w.SetMaxOpenConns(1)
		w.SetMaxIdleConns(1)
	}
	// The writer connects first: it switches the file to WAL before any
	// reader opens it.
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, nil, fmt.Errorf("sqlstore: opening %s: %w", path, err)
	}
	if cfg.sharedPool {
		return w, w, nil
	}
	r, err = sql.Open("sqlite", sqliteDSN(path, false, sync))
	if err != nil {
		w.Close()
		return nil, nil, fmt.Errorf("sqlstore: %w", err)
	}
	r.SetMaxOpenConns(readers)
	r.SetMaxIdleConns(readers)
	return w, r, nil
}

// openSQLiteCounters opens the counters' database beside the store's
// (cognate.db → cognate-counters.db) and makes its table. Counters are
// the guard's short-lived limits: they are written with synchronous NORMAL,
// so a commit does not wait for the disk (it survives the process being
// killed, not a power loss, which at worst forgets the last counts), and on
// a writer of their own, so that sign-ins' counters queue neither behind
// nor ahead of the durable writes.
func openSQLiteCounters(ctx context.Context, path string) (*sql.DB, error) {
	cpath := strings.TrimSuffix(path, ".db") + "-counters.db"
	// Counters are few and short-lived: a small page cache is enough.
	db, err := sql.Open("sqlite", sqliteDSN(cpath, true, "NORMAL")+"&_pragma="+url.QueryEscape(fmt.Sprintf("cache_size(-%d)", countersCacheKiB)))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: %w", err)
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	if _, err := db.ExecContext(ctx, countersSchemaSQLite); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlstore: opening %s: %w", cpath, err)
	}
	return db, nil
}

// countersCacheKiB is the page cache of the counters' connection.
const countersCacheKiB = 256

// readerCacheKiB is the page cache of each reader connection, a quarter of
// SQLite's default (package documentation, "SQLite memory").
const readerCacheKiB = 512

// sqliteDSN returns the modernc.org/sqlite DSN of a writer or reader
// connection. The package documentation explains the choices.
func sqliteDSN(path string, writer bool, sync string) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous("+sync+")")
	if writer {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Set("_txlock", "immediate")
	} else {
		q.Add("_pragma", "query_only(1)")
		q.Add("_pragma", fmt.Sprintf("cache_size(-%d)", readerCacheKiB))
	}
	return path + "?" + q.Encode()
}

func openPostgres(ctx context.Context, cfg Config) (*sql.DB, error) {
	db, err := sql.Open("pgx", cfg.DSN)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: %w", err)
	}
	n := cfg.MaxConns
	if n <= 0 {
		n = 16
	}
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	db.SetConnMaxIdleTime(5 * time.Minute)
	db.SetConnMaxLifetime(time.Hour)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlstore: connecting to PostgreSQL: %w", err)
	}
	return db, nil
}

// maxAttempts bounds how often write runs a transaction that keeps meeting
// transient conflicts.
const maxAttempts = 8

// write runs fn in a transaction on the writer and commits it. When the
// engine reports a transient conflict (a PostgreSQL deadlock or
// serialization failure, SQLite still busy after its timeout because
// another process holds the lock) the transaction is rolled back and fn
// runs again: fn must have no effect outside tx.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.writeOn(ctx, s.w, fn)
}

// writeOn is write on the pool db (the writer, or the counters').
func (s *Store) writeOn(ctx context.Context, db *sql.DB, fn func(tx *sql.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := s.writeOnce(ctx, db, fn)
		if a, ok := err.(*abortError); ok {
			return a.err
		}
		if err == nil || attempt == maxAttempts || !s.d.isRetryable(err) || ctx.Err() != nil {
			return err
		}
		s.log.DebugContext(ctx, "sqlstore: retrying transaction", "attempt", attempt, "err", err)
		backoff := time.Duration(attempt*attempt) * time.Millisecond
		time.Sleep(backoff/2 + rand.N(backoff))
	}
}

func (s *Store) writeOnce(ctx context.Context, db *sql.DB, fn func(tx *sql.Tx) error) error {
	defer s.stmts.prepareMissed(ctx)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// abortError carries an updater's error out of write unchanged and
// unretried.
type abortError struct{ err error }

func (e *abortError) Error() string { return e.err.Error() }

// seal encrypts a secret for the row named by table and key.
func (s *Store) seal(plaintext []byte, table string, key ...string) []byte {
	return s.box.Seal(plaintext, associatedData(table, key...))
}

// open decrypts a secret sealed for the row named by table and key.
func (s *Store) open(sealed []byte, table string, key ...string) ([]byte, error) {
	b, err := s.box.Open(sealed, associatedData(table, key...))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: decrypting a secret of %s %q: %w", table, strings.Join(key, "/"), err)
	}
	return b, nil
}

const keyCheckName = "master_key_check"

// checkMasterKey stores a sealed value the first time a database is opened
// and opens it every later time, so that a wrong master key stops Open
// instead of failing every read of a secret.
func (s *Store) checkMasterKey(ctx context.Context) error {
	sealed := s.seal([]byte("cognate"), "store_meta", keyCheckName)
	if _, err := s.w.ExecContext(ctx,
		`INSERT INTO store_meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
		keyCheckName, sealed); err != nil {
		return fmt.Errorf("sqlstore: storing the master key check: %w", err)
	}
	var stored []byte
	if err := s.w.QueryRowContext(ctx, `SELECT value FROM store_meta WHERE name = $1`, keyCheckName).Scan(&stored); err != nil {
		return fmt.Errorf("sqlstore: reading the master key check: %w", err)
	}
	if _, err := s.open(stored, "store_meta", keyCheckName); err != nil {
		return ErrMasterKey
	}
	return nil
}

// notFound wraps store.ErrNotFound with what was looked for.
func notFound(what string, key ...string) error {
	return fmt.Errorf("sqlstore: %s %q: %w", what, strings.Join(key, "/"), store.ErrNotFound)
}

func alreadyExists(what string, key ...string) error {
	return fmt.Errorf("sqlstore: %s %q: %w", what, strings.Join(key, "/"), store.ErrAlreadyExists)
}

// limitArg turns a page size into a LIMIT argument; limit <= 0 means no
// limit.
func limitArg(limit int) int64 {
	if limit <= 0 {
		return 1<<63 - 1
	}
	return int64(limit)
}

// rowsAffected returns how many rows an Exec touched.
func rowsAffected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
