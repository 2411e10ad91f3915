-- Multi-factor authentication of users, SQLite dialect.
--
-- users.mfa holds a user's MFA settings and TOTP authenticators as JSON,
-- sealed whole (it carries the TOTP seed) and bound to the user's row like
-- users.password. NULL for a user who never set any. The release before
-- this one neither reads nor writes the column, and its updates leave it
-- as it is.

ALTER TABLE users ADD COLUMN mfa BLOB;
