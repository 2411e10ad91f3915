-- Counters that every replica shares, SQLite dialect.
--
-- A counter is the domain's: wrong answers towards a lock-out, code
-- requests within an hour, a challenge already answered. Its key is short
-- and names what it counts. start_at and until_at are the domain's times;
-- expires_at is when the counter stops existing (reads then see none), and
-- the hourly sweep deletes expired counters. Times are unix nanoseconds.
-- The release before this one neither reads nor writes the table.

CREATE TABLE counters (
    key        TEXT PRIMARY KEY,
    count      INTEGER NOT NULL,
    start_at   INTEGER NOT NULL,
    until_at   INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX counters_expires_at ON counters (expires_at);
