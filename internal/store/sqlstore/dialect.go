package sqlstore

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// A dialect holds everything that differs between the engines. The SQL
// elsewhere in the package runs unchanged on both.
type dialect struct {
	name string // "sqlite" or "postgres"
	// driver is the database/sql driver name.
	driver string
	// prepare says to keep prepared statements (see runner).
	prepare bool
	// lockRow follows a SELECT of one row that is about to be updated:
	// PostgreSQL locks it; SQLite has no row locks, and needs none because
	// its write transactions begin IMMEDIATE and so run one at a time.
	lockRow string
	// lockUser is lockRow for the query that joins user_keys k to users u.
	lockUser string
	// attribute returns the SQL that extracts the attribute named by
	// parameter $n from users.attributes, and the argument to bind to $n.
	attribute func(n int, name string) (expr string, arg any)
	// isUnique reports a unique or primary key violation.
	isUnique func(error) bool
	// isForeignKey reports a foreign key violation.
	isForeignKey func(error) bool
	// isRetryable reports a transient conflict after which the whole
	// transaction may be run again.
	isRetryable func(error) bool
}

var sqliteDialect = &dialect{
	name:     "sqlite",
	driver:   "sqlite",
	prepare:  true,
	lockRow:  "",
	lockUser: "",
	attribute: func(n int, name string) (string, any) {
		return "json_extract(u.attributes, $" + strconv.Itoa(n) + ")", jsonPathLabel(name)
	},
	isUnique: func(err error) bool {
		c := sqliteCode(err)
		return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	},
	isForeignKey: func(err error) bool {
		return sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	},
	isRetryable: func(err error) bool {
		// The primary code is the low byte of the extended one.
		c := sqliteCode(err) & 0xff
		return c == sqlite3.SQLITE_BUSY || c == sqlite3.SQLITE_LOCKED
	},
}

var postgresDialect = &dialect{
	name:     "postgres",
	driver:   "pgx",
	lockRow:  " FOR UPDATE",
	lockUser: " FOR UPDATE OF u",
	attribute: func(n int, name string) (string, any) {
		return "(u.attributes::jsonb ->> $" + strconv.Itoa(n) + ")", name
	},
	isUnique: func(err error) bool { return pgCode(err) == "23505" },
	isForeignKey: func(err error) bool {
		return pgCode(err) == "23503"
	},
	isRetryable: func(err error) bool {
		c := pgCode(err)
		return c == "40001" || c == "40P01" // serialization_failure, deadlock_detected
	},
}

func dialectFor(driver string) (*dialect, error) {
	switch driver {
	case "sqlite", "":
		return sqliteDialect, nil
	case "postgres", "pgx":
		return postgresDialect, nil
	}
	return nil, errors.New("sqlstore: unknown driver " + strconv.Quote(driver) + ` (want "sqlite" or "postgres")`)
}

func sqliteCode(err error) int {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code()
	}
	return 0
}

func pgCode(err error) string {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// jsonPathLabel returns the SQLite JSON path of the object member name,
// quoted so that any character may appear in it: `$."custom:tenant"`.
func jsonPathLabel(name string) string {
	var b bytes.Buffer
	b.WriteString("$.")
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(name) // a string always encodes
	return string(bytes.TrimRight(b.Bytes(), "\n"))
}
