-- IAM: roles, the inline policies of roles and users, and the OpenID
-- Connect and SAML providers, PostgreSQL dialect.
--
-- Role names are unique ignoring case: name_key is the lower-cased name,
-- and the key. An inline policy is keyed by its owner's kind, its owner's
-- key (a role's name_key, a user's exact name) and its name; a role's
-- policies also name the role in role_key, whose foreign key refuses a
-- policy of a role that does not exist and deletes a role's policies with
-- it. Tags, client ids and thumbprints are JSON; times are unix
-- nanoseconds, durations nanoseconds.

CREATE TABLE iam_roles (
    name_key             TEXT COLLATE "C" PRIMARY KEY,
    id                   TEXT COLLATE "C" NOT NULL UNIQUE,
    name                 TEXT NOT NULL,
    path                 TEXT COLLATE "C" NOT NULL,
    assume_role_policy   TEXT NOT NULL,
    description          TEXT NOT NULL,
    max_session_duration BIGINT NOT NULL,
    tags                 TEXT NOT NULL,
    created_at           BIGINT NOT NULL
);

CREATE TABLE iam_policies (
    owner_kind TEXT COLLATE "C" NOT NULL,
    owner_key  TEXT COLLATE "C" NOT NULL,
    name       TEXT COLLATE "C" NOT NULL,
    document   TEXT NOT NULL,
    role_key   TEXT COLLATE "C" REFERENCES iam_roles (name_key) ON DELETE CASCADE,
    PRIMARY KEY (owner_kind, owner_key, name),
    CHECK ((owner_kind = 'role' AND role_key IS NOT NULL AND role_key = owner_key) OR (owner_kind = 'user' AND role_key IS NULL))
);
CREATE INDEX iam_policies_role ON iam_policies (role_key);

CREATE TABLE iam_oidc_providers (
    arn         TEXT COLLATE "C" PRIMARY KEY,
    url         TEXT NOT NULL,
    client_ids  TEXT NOT NULL,
    thumbprints TEXT NOT NULL,
    tags        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE iam_saml_providers (
    arn         TEXT COLLATE "C" PRIMARY KEY,
    name        TEXT NOT NULL,
    metadata    TEXT NOT NULL,
    valid_until BIGINT NOT NULL,
    tags        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
