-- Counters that every replica shares, SQLite dialect.
--
-- On SQLite the counters live in a database file of their own, beside the
-- store's (cognate.db → cognate-counters.db), which the store makes when it
-- opens it (counters.go): they are written without waiting for the disk, on
-- a writer of their own. Nothing changes in this database; the migration
-- keeps the numbering of the PostgreSQL one, whose table is in the store's
-- database.
SELECT 1;
