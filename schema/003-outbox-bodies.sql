-- 003-outbox-bodies.sql: outgoing mail bodies in a table of their own.
-- As the last column of its row a body can be written in place with
-- zeroblob() and sqlite3_blob_write(); in the middle of the outbox row
-- SQLite first built a record as large as the mail, twice.

CREATE TABLE outbox_bodies (
    id    INTEGER PRIMARY KEY REFERENCES outbox (id),
    body  BLOB NOT NULL
);
INSERT INTO outbox_bodies (id, body) SELECT id, body FROM outbox;
ALTER TABLE outbox DROP COLUMN body;
