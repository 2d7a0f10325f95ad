-- 007-held.sql: a case opened from automatic mail (a scanner's report, a
-- forwarding service, list mail) that nobody was acknowledged for: the
-- reason (which RFC 3834 marker it carried); NULL for every other case.

ALTER TABLE cases ADD COLUMN held TEXT;
