-- 008-outbox-retry.sql: each outgoing mail is retried on its own: a mail
-- sendmail refuses waits longer after each refusal, the others are sent
-- meanwhile, and one that still fails outbox_give_up after its first
-- failure is given up (the team is told once). A given-up row keeps state
-- 'pending' (the state's CHECK cannot change without rebuilding the table)
-- and is no longer sent.

ALTER TABLE outbox ADD COLUMN next_attempt TEXT;    -- not tried again before; NULL: at the next flush
ALTER TABLE outbox ADD COLUMN first_failure TEXT;   -- its first failed attempt
ALTER TABLE outbox ADD COLUMN given_up_at TEXT;     -- no more attempts from then on
-- Rows that failed before this migration: their failures began at the latest when they were written.
UPDATE outbox SET first_failure = created_at WHERE state = 'pending' AND attempts > 0;
CREATE INDEX outbox_unsent ON outbox (state, given_up_at, next_attempt);
