-- IAM: roles, the inline policies of roles and users, and the OpenID
-- Connect and SAML providers, SQLite dialect.
--
-- Role names are unique ignoring case: name_key is the lower-cased name,
-- and the key. An inline policy is keyed by its owner's kind, its owner's
-- key (a role's name_key, a user's exact name) and its name; a role's
-- policies also name the role in role_key, whose foreign key refuses a
-- policy of a role that does not exist and deletes a role's policies with
-- it. Tags, client ids and thumbprints are JSON; times are unix
-- nanoseconds, durations nanoseconds.

CREATE TABLE iam_roles (
    name_key             TEXT PRIMARY KEY,
    id                   TEXT NOT NULL UNIQUE,
    name                 TEXT NOT NULL,
    path                 TEXT NOT NULL,
    assume_role_policy   TEXT NOT NULL,
    description          TEXT NOT NULL,
    max_session_duration INTEGER NOT NULL,
    tags                 TEXT NOT NULL,
    created_at           INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE iam_policies (
    owner_kind TEXT NOT NULL,
    owner_key  TEXT NOT NULL,
    name       TEXT NOT NULL,
    document   TEXT NOT NULL,
    role_key   TEXT REFERENCES iam_roles (name_key) ON DELETE CASCADE,
    PRIMARY KEY (owner_kind, owner_key, name),
    CHECK ((owner_kind = 'role' AND role_key IS NOT NULL AND role_key = owner_key) OR (owner_kind = 'user' AND role_key IS NULL))
) WITHOUT ROWID;
CREATE INDEX iam_policies_role ON iam_policies (role_key);

CREATE TABLE iam_oidc_providers (
    arn         TEXT PRIMARY KEY,
    url         TEXT NOT NULL,
    client_ids  TEXT NOT NULL,
    thumbprints TEXT NOT NULL,
    tags        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE iam_saml_providers (
    arn         TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    metadata    TEXT NOT NULL,
    valid_until INTEGER NOT NULL,
    tags        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
) WITHOUT ROWID;
