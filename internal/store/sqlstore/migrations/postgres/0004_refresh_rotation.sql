-- Refresh-token rotation, PostgreSQL dialect.
--
-- When a client rotates refresh tokens, a session's previous refresh token
-- stays usable until prev_valid_until (the client's retry grace period),
-- so a retried refresh is answered rather than refused. NULL and 0 when the
-- session never rotated.

ALTER TABLE sessions ADD COLUMN prev_refresh_token_hash BYTEA;
ALTER TABLE sessions ADD COLUMN prev_valid_until BIGINT NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX sessions_prev_refresh_token_hash ON sessions (prev_refresh_token_hash);
