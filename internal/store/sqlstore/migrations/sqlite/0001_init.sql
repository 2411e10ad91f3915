-- Cognate's initial schema, SQLite dialect.
--
-- Times are unix nanoseconds (0 for the zero time). Settings, attributes,
-- codes and lookup keys are JSON text. Secret columns hold values sealed by
-- package secretbox, bound to their table and primary key.

-- store_meta holds facts about the store itself, such as the sealed value
-- that checks the master key.
CREATE TABLE store_meta (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE pools (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    settings   TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE clients (
    id         TEXT PRIMARY KEY,
    pool_id    TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    secret     BLOB, -- sealed; NULL when the client has none
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    settings   TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX clients_pool ON clients (pool_id, id);

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    pool_id             TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    username            TEXT NOT NULL,
    username_key        TEXT NOT NULL, -- value of the user's username key; orders ListUsers
    sub                 TEXT NOT NULL,
    status              TEXT NOT NULL,
    enabled             INTEGER NOT NULL,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    attributes          TEXT NOT NULL,
    lookup_keys         TEXT NOT NULL, -- copy of the user_keys rows, read with the user
    password            BLOB, -- sealed PasswordVerifier; NULL for none
    password_expires_at INTEGER NOT NULL,
    codes               TEXT NOT NULL,
    failed_sign_ins     INTEGER NOT NULL,
    locked_until        INTEGER NOT NULL
);
CREATE INDEX users_pool_username_key ON users (pool_id, username_key);

-- user_keys enforces that a lookup key belongs to one user of a pool.
CREATE TABLE user_keys (
    pool_id TEXT NOT NULL,
    kind    TEXT NOT NULL,
    value   TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The unique key is the primary key of a clustered table, so a lookup
    -- reads user_id without a second search.
    CONSTRAINT user_keys_unique PRIMARY KEY (pool_id, kind, value)
) WITHOUT ROWID;
CREATE INDEX user_keys_user ON user_keys (user_id);

CREATE TABLE sessions (
    id                 TEXT PRIMARY KEY,
    pool_id            TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    client_id          TEXT NOT NULL,
    username           TEXT NOT NULL,
    sub                TEXT NOT NULL,
    refresh_token_hash BLOB UNIQUE, -- NULL when there is no refresh token
    auth_time          INTEGER NOT NULL,
    created_at         INTEGER NOT NULL,
    expires_at         INTEGER NOT NULL,
    revoked_at         INTEGER NOT NULL
);
CREATE INDEX sessions_pool_sub ON sessions (pool_id, sub);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE signing_keys (
    pool_id     TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    kid         TEXT NOT NULL,
    private_der BLOB NOT NULL, -- sealed
    created_at  INTEGER NOT NULL,
    retired_at  INTEGER NOT NULL,
    PRIMARY KEY (pool_id, kid)
) WITHOUT ROWID;

-- messages is the outbox. It has no foreign key: DeletePool clears it.
CREATE TABLE messages (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    pool_id     TEXT NOT NULL,
    username    TEXT NOT NULL,
    channel     TEXT NOT NULL,
    destination TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    code        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX messages_pool_username ON messages (pool_id, username, id);

CREATE TABLE access_keys (
    id         TEXT PRIMARY KEY,
    secret     BLOB NOT NULL, -- sealed
    created_at INTEGER NOT NULL
) WITHOUT ROWID;
