// Package sqlstore is Cognate's store.Store on SQL databases: an embedded
// SQLite file (modernc.org/sqlite, pure Go), the zero-setup default, and
// PostgreSQL (pgx), which several stateless replicas can share.
//
// One implementation serves both engines. The SQL is written once, in the
// subset both run ($N placeholders, ON CONFLICT, RETURNING); what differs
// (row locks, reading a JSON member, error codes) is in the dialect table of
// dialect.go, and the schema is in one migration directory per dialect.
//
// # Storage
//
// Times are unix nanoseconds in a 64-bit integer, 0 for the zero time; they
// read back in UTC. Settings, attributes, codes and a copy of a user's keys
// are JSON text. Secret fields (SRP verifiers of users and devices, users'
// MFA settings with their TOTP seeds, client secrets, signing keys, access
// key secrets) are sealed with a secretbox.Box for purpose "store", with
// associated data naming the table and the primary key, so that ciphertext
// copied to another row does not open. A sealed check value in
// store_meta makes Open fail with ErrMasterKey when given another master key.
//
// A user's lookup keys are rows of user_keys, unique on (pool_id, kind,
// value), written in the transaction that writes the user. They are
// inserted one at a time, username first, so that a unique violation
// (SQLite's constraint error, PostgreSQL's 23505) becomes a
// *store.KeyConflictError that names the key.
//
// Groups are rows of user_groups, keyed by (pool_id, name). A membership,
// a row of group_members, names its user by users.id rather than by a
// lookup key, so that foreign keys end it when the user, the group or the
// pool is deleted, whichever release deletes it.
//
// A device, a row of devices, is keyed by (pool_id, device_key), so racing
// ConfirmDevice calls for one key end with one device; like a membership it
// names its user by users.id, and goes with the user or the pool. Its SRP
// verifier is sealed like a user's.
//
// # Transactions
//
// Update* methods are compare-and-swap: the record is read and the updater's
// result written in one transaction. On SQLite, write transactions begin
// IMMEDIATE on the single writer connection, so writers run one at a time;
// on PostgreSQL (READ COMMITTED) the read is SELECT ... FOR UPDATE.
// Transient conflicts (a PostgreSQL deadlock or serialization failure,
// SQLite still busy after its 10 s busy_timeout because another process
// holds the lock) roll the transaction back and run it again, up to 8
// times: an updater may be called more than once, and must be a pure
// function of the record it is given.
//
// # SQLite durability
//
// The database runs in WAL mode with synchronous=FULL unless
// Config.SQLiteSynchronous says NORMAL. In WAL mode a commit has written
// its frames to the operating system before it returns, under either
// setting, so killing the process (kill -9, an OOM kill, a panic) never
// loses an acknowledged write: TestCrashDurability kills a writer three
// times mid-burst and finds every acknowledged user. FULL also syncs the
// WAL to disk at each commit, so acknowledged writes survive a power loss
// or kernel crash as well, which NORMAL does not promise (it may lose the
// last commits, though it never corrupts the database).
//
// The contract says a write that returned nil is durable, so FULL is the
// default. Its cost, measured with the benchmarks of this package (2-core
// VM, ext4 on a virtual disk):
//
//	               FULL      NORMAL
//	CreateUser     0.57 ms   0.25 ms
//	UpdateUser     0.47 ms   0.18 ms
//	CreateSession  0.35 ms   0.09 ms
//
// About 2,000 writes a second is ample for one node; NORMAL trades the
// power-loss guarantee for two to four times that.
//
// # SQLite connections
//
// Writes go through one connection and reads through a pool of query-only
// connections (GOMAXPROCS, at least 4), which WAL lets run beside the
// writer. Writers then queue in database/sql instead of spinning in SQLite's
// busy handler: with 8 goroutines doing 90% GetUserByKey and 10% UpdateUser,
// an operation takes 81 µs against 130-150 µs when one pool does both
// (BenchmarkSQLitePools). Statements are prepared once and kept, as
// modernc.org/sqlite otherwise compiles each statement on every call (a
// quarter of the CPU time of a read).
//
// # SQLite memory
//
// Each connection has its own page cache, and modernc.org/sqlite's
// allocator keeps the memory it got once, so the caches of the five
// connections set the server's resident memory after a busy spell. The
// reader connections cache 512 KiB each instead of SQLite's 2 MiB default:
// lookups are point reads whose inner B-tree pages stay cached, the rest
// comes from the operating system's page cache, and neither sign-in nor
// GetUser throughput moved measurably with 100,000 users, while the
// resident memory of cognate serve after a benchmark fell from 39 MB to
// 35 MB (docs/benchmarks.md).
//
// # Migrations
//
// migrations/{sqlite,postgres}/NNNN_name.sql are embedded and applied by
// Open in one transaction, recorded in schema_migrations. Replicas starting
// together take turns: on PostgreSQL the transaction holds an advisory
// lock, on SQLite the write lock (BEGIN IMMEDIATE). A migration may rewrite
// the JSON documents too, with the engine's JSON functions, as 0006 moves
// settings members into their typed fields; its test builds the database
// of the release before with the earlier migrations and raw SQL.
package sqlstore
