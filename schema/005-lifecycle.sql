-- 005-lifecycle.sql: what the team's commands set on a case, the stages it
-- went through, its deadlines, the reminders sent about them, and the
-- pre-release lists told.

ALTER TABLE cases ADD COLUMN severity TEXT;        -- none low medium high critical
ALTER TABLE cases ADD COLUMN cvss_vector TEXT;     -- normalised
ALTER TABLE cases ADD COLUMN cvss_score REAL;
ALTER TABLE cases ADD COLUMN cvss_rating TEXT;
ALTER TABLE cases ADD COLUMN assignee TEXT;        -- a member's address
ALTER TABLE cases ADD COLUMN embargo_until TEXT;   -- YYYY-MM-DD, planned disclosure
ALTER TABLE cases ADD COLUMN affected TEXT;
ALTER TABLE cases ADD COLUMN fixed_in TEXT;
ALTER TABLE cases ADD COLUMN credit TEXT;
ALTER TABLE cases ADD COLUMN summary TEXT;         -- the advisory's description
ALTER TABLE cases ADD COLUMN duplicate_of TEXT;
ALTER TABLE cases ADD COLUMN resolution TEXT;      -- fixed rejected duplicate invalid, once closed
ALTER TABLE cases ADD COLUMN reject_reason TEXT;
ALTER TABLE cases ADD COLUMN urgent TEXT;          -- why it is urgent; NULL: not urgent
ALTER TABLE cases ADD COLUMN acked_at TEXT;        -- the automatic acknowledgement was queued
ALTER TABLE cases ADD COLUMN first_answer_at TEXT; -- a member's first mail to the reporter
ALTER TABLE cases ADD COLUMN reporter_told TEXT;   -- stage the reporter was last told of

CREATE TABLE case_cves (
    case_id   TEXT NOT NULL REFERENCES cases (id),
    cve       TEXT NOT NULL,
    added_at  TEXT NOT NULL,
    PRIMARY KEY (case_id, cve)
);

-- When a case first reached each stage. Reaching a stage counts as reaching
-- every earlier stage of the policy too (a case moved straight from received
-- to fixing was triaged then).
CREATE TABLE case_stages (
    case_id    TEXT NOT NULL REFERENCES cases (id),
    stage      TEXT NOT NULL,
    reached_at TEXT NOT NULL,
    PRIMARY KEY (case_id, stage)
);

-- One row per deadline of the case's policy; due is NULL until the event it
-- runs from has happened, met_at NULL until the event that meets it.
CREATE TABLE deadlines (
    case_id   TEXT NOT NULL REFERENCES cases (id),
    name      TEXT NOT NULL,
    due       TEXT,
    met_at    TEXT,
    PRIMARY KEY (case_id, name)
);
CREATE INDEX deadlines_due ON deadlines (met_at, due);

-- A reminder sent: once per deadline, threshold (soon, passed) and due time,
-- so a deadline moved by #urgent is reminded of again.
CREATE TABLE reminders (
    case_id   TEXT NOT NULL REFERENCES cases (id),
    deadline  TEXT NOT NULL,
    threshold TEXT NOT NULL CHECK (threshold IN ('soon', 'passed')),
    due       TEXT NOT NULL,
    sent_at   TEXT NOT NULL,
    PRIMARY KEY (case_id, deadline, threshold, due)
);

-- A pre-release notification list told about a case (#notify NAME).
CREATE TABLE notifications (
    case_id   TEXT NOT NULL REFERENCES cases (id),
    name      TEXT NOT NULL,
    sent_at   TEXT NOT NULL,
    PRIMARY KEY (case_id, name)
);
