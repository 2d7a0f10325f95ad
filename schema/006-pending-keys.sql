-- 006-pending-keys.sql: OpenPGP keys offered by mail for a reporter's
-- address that embargo-mda did not take on its own word: the address has
-- another key on file and the mail was not signed by it, or the mail that
-- brought the first key did not open a case. They wait here, never in the
-- reporters' keyring's place of the key on file, until a member accepts
-- one ("#key accept FINGERPRINT", "embargoctl key accept").

CREATE TABLE pending_keys (
    id          INTEGER PRIMARY KEY,
    list        TEXT NOT NULL,
    address     TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    keydata     BLOB NOT NULL,     -- the key as it came (at most 256 KiB)
    case_id     TEXT,              -- the case of the mail that offered it; NULL: none
    message     INTEGER,           -- messages.id of that mail
    reason      TEXT NOT NULL,     -- why it was not taken
    offered_at  TEXT NOT NULL,
    UNIQUE (list, address, fingerprint)
);
