-- 009-held-items.sql: mail held back from the team instead of opening a
-- case (automatic mail on no case, or spam the filter says to hold). A held
-- item uses no case number: its id HELD-YYYY-NNNN comes from its own
-- counter, one sequence per year for the whole store, so that the id alone
-- names it (embargoctl held show ID, "#release ID"). The raw copy stays in
-- the spool, named by spool_path, until the item is released, dropped or
-- expires. cases.held (007) stays for the held cases older versions opened.

CREATE TABLE held_counters (
    year  INTEGER PRIMARY KEY,
    last  INTEGER NOT NULL
);

CREATE TABLE held_items (
    id            TEXT PRIMARY KEY,      -- HELD-YYYY-NNNN
    list          TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    envelope_from TEXT NOT NULL,
    recipient     TEXT NOT NULL,
    from_addr     TEXT,
    from_name     TEXT,
    subject       TEXT,
    size          INTEGER NOT NULL,
    message_id    TEXT NOT NULL,         -- '' when the message had none
    digest        TEXT NOT NULL,         -- SHA-256 of the raw bytes: a redelivery is no new item
    spool_path    TEXT,                  -- NULL once released, dropped or expired
    why           TEXT NOT NULL,         -- "automatic (List-Id)", "spam", ...
    spam_score    REAL,                  -- NULL: no verdict
    spam_symbols  TEXT,
    state         TEXT NOT NULL DEFAULT 'held'
                  CHECK (state IN ('held', 'released', 'dropped')),
    case_id       TEXT REFERENCES cases (id),  -- what a release made of it
    decided_by    TEXT,                  -- who released or dropped it ("expiry": held_days)
    decided_at    TEXT,
    digested_at   TEXT                   -- when a digest listed it; NULL: not yet
);
CREATE INDEX held_items_list ON held_items (list, state, received_at);
CREATE INDEX held_items_msg ON held_items (list, message_id, digest);
