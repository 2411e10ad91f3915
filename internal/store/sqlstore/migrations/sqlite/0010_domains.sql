-- User pool domains, SQLite dialect.
--
-- A domain's name is its key among all pools (a prefix, "myapp", or a
-- fully-qualified custom domain, "auth.example.com"); the unique index on
-- (pool_id, custom) gives a pool at most one prefix domain and one custom
-- domain, whoever races. Deleting a pool deletes its domains.

CREATE TABLE domains (
    name                  TEXT NOT NULL PRIMARY KEY,
    pool_id               TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    custom                INTEGER NOT NULL, -- 1 for a custom domain, 0 for a prefix domain
    certificate_arn       TEXT NOT NULL,
    managed_login_version INTEGER NOT NULL,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL
) WITHOUT ROWID;
CREATE UNIQUE INDEX domains_pool_kind ON domains (pool_id, custom);
