-- 001-initial.sql: lists' members, cases, incoming messages, events and the outbox.
-- Times are UTC ISO 8601 text ("2026-11-23T12:00:00Z").

CREATE TABLE members (
    list       TEXT NOT NULL,
    address    TEXT NOT NULL,
    name       TEXT,
    added_at   TEXT NOT NULL,
    PRIMARY KEY (list, address)
);

-- The last case number handed out per list and year.
CREATE TABLE case_counters (
    list       TEXT NOT NULL,
    year       INTEGER NOT NULL,
    last       INTEGER NOT NULL,
    PRIMARY KEY (list, year)
);

CREATE TABLE cases (
    id             TEXT PRIMARY KEY,
    list           TEXT NOT NULL,
    status         TEXT NOT NULL,
    subject        TEXT NOT NULL,
    reporter       TEXT NOT NULL,
    reporter_name  TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    bounce_noticed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX cases_list ON cases (list, created_at);

-- Every incoming message, whatever became of it.
CREATE TABLE messages (
    id            INTEGER PRIMARY KEY,
    list          TEXT NOT NULL,
    case_id       TEXT REFERENCES cases (id),
    message_id    TEXT NOT NULL,        -- '' when the message had none
    digest        TEXT NOT NULL,        -- SHA-256 of the raw bytes
    envelope_from TEXT NOT NULL,
    recipient     TEXT NOT NULL,
    from_addr     TEXT,
    subject       TEXT,
    kind          TEXT NOT NULL,        -- report followup discussion answer autoreply bounce loop refused
    problem       TEXT,                 -- why it could not be fully processed, or NULL
    spool_path    TEXT NOT NULL,
    size          INTEGER NOT NULL,
    received_at   TEXT NOT NULL,
    UNIQUE (list, message_id, digest)
);
CREATE INDEX messages_case ON messages (case_id);
CREATE INDEX messages_msgid ON messages (message_id);

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases (id),
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    what        TEXT NOT NULL,
    detail      TEXT,
    message     INTEGER REFERENCES messages (id)
);
CREATE INDEX events_case ON events (case_id, id);

-- Every mail embargo sends, written in the transaction that decided to send it.
CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY,
    list          TEXT NOT NULL,
    case_id       TEXT REFERENCES cases (id),
    cause         INTEGER REFERENCES messages (id),
    kind          TEXT NOT NULL,        -- ack team-copy answer notice
    envelope_from TEXT NOT NULL,        -- '' for the null return path
    recipients    TEXT NOT NULL,        -- one address per line
    message_id    TEXT NOT NULL UNIQUE, -- fixed when the row is written
    subject       TEXT NOT NULL,
    body          BLOB NOT NULL,        -- the whole RFC 5322 message
    state         TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent')),
    created_at    TEXT NOT NULL,
    sent_at       TEXT,
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT
);
CREATE INDEX outbox_pending ON outbox (state, id);
CREATE INDEX outbox_cause ON outbox (cause);
CREATE INDEX outbox_kind_rcpt ON outbox (kind, recipients, created_at);
