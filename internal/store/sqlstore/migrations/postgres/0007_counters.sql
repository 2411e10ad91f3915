-- Counters that every replica shares, PostgreSQL dialect.
--
-- A counter is the domain's: wrong answers towards a lock-out, code
-- requests within an hour, a challenge already answered. Its key is short
-- and names what it counts. start_at and until_at are the domain's times;
-- expires_at is when the counter stops existing (reads then see none), and
-- the hourly sweep deletes expired counters. Times are unix nanoseconds.
-- The release before this one neither reads nor writes the table.

CREATE TABLE counters (
    key        TEXT COLLATE "C" PRIMARY KEY,
    count      BIGINT NOT NULL,
    start_at   BIGINT NOT NULL,
    until_at   BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX counters_expires_at ON counters (expires_at);
