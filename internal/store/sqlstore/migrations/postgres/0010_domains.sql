-- User pool domains, PostgreSQL dialect.
--
-- A domain's name is its key among all pools (a prefix, "myapp", or a
-- fully-qualified custom domain, "auth.example.com"); the unique index on
-- (pool_id, custom) gives a pool at most one prefix domain and one custom
-- domain, whoever races. Deleting a pool deletes its domains.

CREATE TABLE domains (
    name                  TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    pool_id               TEXT COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    custom                BIGINT NOT NULL, -- 1 for a custom domain, 0 for a prefix domain
    certificate_arn       TEXT NOT NULL,
    managed_login_version BIGINT NOT NULL,
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL
);
CREATE UNIQUE INDEX domains_pool_kind ON domains (pool_id, custom);
