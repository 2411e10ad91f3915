package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Migrations are numbered SQL files, one directory per dialect:
// migrations/<dialect>/NNNN_name.sql. A migration is never edited once
// released; a change is a new file, written for both dialects.
//
//go:embed migrations
var migrationFiles embed.FS

type migration struct {
	version int64
	name    string
	sql     string
}

// loadMigrations reads a dialect's migrations in version order. Versions
// start at 1 and have no gaps, so that a missing file is noticed.
func loadMigrations(fsys fs.FS, dir string) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		name := e.Name()
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.ParseInt(num, 10, 64)
		if !ok || err != nil || !strings.HasSuffix(name, ".sql") {
			return nil, fmt.Errorf("sqlstore: migration %s is not named NNNN_name.sql", name)
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: name, sql: string(b)})
	}
	slices.SortFunc(ms, func(a, b migration) int { return int(a.version - b.version) })
	for i, m := range ms {
		if m.version != int64(i+1) {
			return nil, fmt.Errorf("sqlstore: migration %s: want version %d", m.name, i+1)
		}
	}
	return ms, nil
}

// migrationLock is the PostgreSQL advisory lock key that serialises
// replicas migrating one database ("cognate" in ASCII).
const migrationLock = 0x636f676e617465

// migrate applies the dialect's pending migrations in one transaction.
// Replicas starting together take turns: on PostgreSQL the transaction
// first takes an advisory lock, on SQLite it begins IMMEDIATE and so holds
// the database's write lock. The later ones find the work done.
func migrate(ctx context.Context, db *sql.DB, d *dialect, log *slog.Logger) error {
	ms, err := loadMigrations(migrationFiles, "migrations/"+d.name)
	if err != nil {
		return err
	}
	return applyMigrations(ctx, db, d, ms, log)
}

// applyMigrations applies those of ms the database has not had yet. Tests
// give it the first migrations only, to make a database of an older
// release.
func applyMigrations(ctx context.Context, db *sql.DB, d *dialect, ms []migration, log *slog.Logger) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlstore: migrating: %w", err)
	}
	defer tx.Rollback()
	if d == postgresDialect {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrationLock)); err != nil {
			return fmt.Errorf("sqlstore: migrating: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    BIGINT PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at BIGINT NOT NULL
	)`); err != nil {
		return fmt.Errorf("sqlstore: migrating: %w", err)
	}
	var current int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return fmt.Errorf("sqlstore: migrating: %w", err)
	}
	if current > int64(len(ms)) {
		// A newer release migrated the database, as happens during a
		// rolling upgrade. Migrations are written so that the release
		// before them keeps working, so this one runs on.
		log.WarnContext(ctx, "sqlstore: database schema is newer than this build", "version", current, "known", len(ms))
		return nil
	}
	for _, m := range ms[current:] {
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("sqlstore: migration %s/%s: %w", d.name, m.name, err)
		}
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
			m.version, m.name, time.Now().UnixNano()); err != nil {
			return fmt.Errorf("sqlstore: migration %s/%s: %w", d.name, m.name, err)
		}
		log.InfoContext(ctx, "sqlstore: applied migration", "dialect", d.name, "migration", m.name)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlstore: migrating: %w", err)
	}
	return nil
}
