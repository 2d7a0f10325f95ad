-- 002-openpgp.sql: OpenPGP keys of lists, members and reporters, and what
-- embargo-mda found about the encryption and signature of each message.

-- The list's own key pair lives in STATE_DIR/gnupg/LIST; its fingerprint here
-- tells embargo-mda, without running gpg, that the list encrypts.
CREATE TABLE list_keys (
    list        TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

-- A member's key, imported into STATE_DIR/gnupg/LIST.members.
ALTER TABLE members ADD COLUMN fingerprint TEXT;
ALTER TABLE members ADD COLUMN expires TEXT;      -- NULL: never

-- A reporter's key (attached or Autocrypt), in STATE_DIR/gnupg/LIST.reporters.
CREATE TABLE reporter_keys (
    list        TEXT NOT NULL,
    address     TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    expires     TEXT,
    added_at    TEXT NOT NULL,
    PRIMARY KEY (list, address)
);

ALTER TABLE messages ADD COLUMN encrypted INTEGER NOT NULL DEFAULT 0;
-- none good bad unknown-key expired-key revoked-key
ALTER TABLE messages ADD COLUMN signature TEXT NOT NULL DEFAULT 'none';
ALTER TABLE messages ADD COLUMN signer TEXT;        -- fingerprint (or key id) of the signer
ALTER TABLE messages ADD COLUMN sig_partial INTEGER NOT NULL DEFAULT 0;  -- covers only part
