-- Users' remembered devices, PostgreSQL dialect.
--
-- A device is keyed by its DeviceKey within its pool, so two racing
-- ConfirmDevice calls for one key end with one device. It names its user by
-- users.id, so that deleting the user (by any release) or the pool deletes
-- its devices through the foreign keys; sub is kept beside it for the
-- queries. verifier is the device's sealed PasswordVerifier, bound to the
-- row like users.password.
--
-- sessions.device_key is the device a sign-in was bound to ('' for none):
-- its refresh token works only with that device's key. The release before
-- this one neither reads nor writes it, and its sessions get ''.

CREATE TABLE devices (
    pool_id               TEXT COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    device_key            TEXT COLLATE "C" NOT NULL,
    user_id               BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sub                   TEXT COLLATE "C" NOT NULL,
    group_key             TEXT NOT NULL,
    name                  TEXT NOT NULL,
    verifier              BYTEA NOT NULL, -- sealed
    remembered            BOOLEAN NOT NULL,
    last_ip               TEXT NOT NULL,
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL,
    last_authenticated_at BIGINT NOT NULL,
    PRIMARY KEY (pool_id, device_key)
);
CREATE INDEX devices_owner ON devices (pool_id, sub, device_key);
CREATE INDEX devices_user ON devices (user_id);

ALTER TABLE sessions ADD COLUMN device_key TEXT NOT NULL DEFAULT '';
