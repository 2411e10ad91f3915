-- Identity pools, their identities and the logins linked to them, PostgreSQL
-- dialect.
--
-- A login (a provider's name and its id for the user) is linked to at most
-- one identity of a pool: the primary key of identity_logins makes two
-- concurrent first sign-ins with one login end with one identity.
-- Developer-authenticated identities are logins too, under the pool's
-- developer provider name. Times are unix nanoseconds.

CREATE TABLE identity_pools (
    id         TEXT COLLATE "C" PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    settings   TEXT NOT NULL
);

CREATE TABLE identities (
    id          TEXT COLLATE "C" PRIMARY KEY,
    pool_id     TEXT NOT NULL REFERENCES identity_pools (id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL,
    modified_at BIGINT NOT NULL
);
CREATE INDEX identities_pool ON identities (pool_id, id);

CREATE TABLE identity_logins (
    pool_id     TEXT NOT NULL,
    provider    TEXT NOT NULL,
    subject     TEXT NOT NULL,
    identity_id TEXT NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    PRIMARY KEY (pool_id, provider, subject)
);
CREATE INDEX identity_logins_identity ON identity_logins (identity_id);
