-- 004-key-notices.sql: the team was told that a member's key expires soon.
-- One row per key and expiry date, so the notice goes out once; a key whose
-- expiry is extended and then nears again is told about again.

CREATE TABLE key_notices (
    list        TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    expires     TEXT NOT NULL,
    address     TEXT NOT NULL,
    noticed_at  TEXT NOT NULL,
    PRIMARY KEY (list, fingerprint, expires)
);
