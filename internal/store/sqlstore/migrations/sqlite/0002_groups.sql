-- User pool groups and their members, SQLite dialect.
--
-- A membership names its user by users.id, so that deleting a user (by any
-- release, this one or the one before it) ends its memberships through the
-- foreign key, as deleting a group or a pool does.

CREATE TABLE user_groups (
    pool_id     TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    role_arn    TEXT NOT NULL,
    precedence  INTEGER, -- NULL when the group has none
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (pool_id, name)
) WITHOUT ROWID;

CREATE TABLE group_members (
    pool_id    TEXT NOT NULL,
    group_name TEXT NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (pool_id, group_name, user_id),
    FOREIGN KEY (pool_id, group_name) REFERENCES user_groups (pool_id, name) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX group_members_user ON group_members (user_id);
