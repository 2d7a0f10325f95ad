-- 010-notify-fixteam.sql: what each reader of a pre-release list got from
-- a #notify, and each case's fix team.
--
-- notify_readers: what each reader of a pre-release list got from a #notify. Readers are only ever sent the draft encrypted to their own
-- key, so a reader without a usable key gets nothing; a notification that
-- reached nobody must not count as one, and the team is told who was left
-- out. One row per reader per #notify.

CREATE TABLE notify_readers (
    case_id     TEXT NOT NULL REFERENCES cases (id),
    name        TEXT NOT NULL,     -- the pre-release list (#notify NAME)
    reader      TEXT NOT NULL,     -- the reader's address
    at          TEXT NOT NULL,     -- when the #notify was applied
    message     INTEGER,           -- the team's mail that carried it
    fingerprint TEXT,              -- the key the draft was queued sealed to; NULL: nothing queued
    reason      TEXT               -- why nothing was queued; NULL when it was
);
CREATE INDEX notify_readers_case ON notify_readers (case_id, name);

-- A case's fix team (#fixteam add|remove): the members who develop the fix,
-- beside the one handler of #assign. Members of the list only, each once.
CREATE TABLE fix_team (
    case_id   TEXT NOT NULL REFERENCES cases (id),
    address   TEXT NOT NULL,     -- a member of the case's list
    added_at  TEXT NOT NULL,
    added_by  TEXT NOT NULL,     -- the member whose #fixteam added them
    PRIMARY KEY (case_id, address)
);
