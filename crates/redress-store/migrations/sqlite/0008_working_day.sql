-- The case list sorts by the deadline it shows: the acknowledgement while it is due, then
-- the response. Keys written before are recomputed the same way as `sql::list_key`.
UPDATE contacts SET list_key =
    (CASE WHEN status IN ('received', 'acknowledged') THEN '0' ELSE '1' END)
    || (CASE WHEN priority > 0 THEN '0' ELSE '1' END)
    || COALESCE(CASE WHEN status IN ('received', 'acknowledged') AND acknowledged_on IS NULL
                     AND acknowledge_by IS NOT NULL THEN acknowledge_by ELSE respond_by END,
                '9999-12-31')
    || printf('%020d', 9223372036854775807 - received_at);
-- A resident's dissatisfied survey answer waiting for someone to follow it up, so My work
-- finds those cases without reading every case's state.
ALTER TABLE contacts ADD COLUMN follow_up BOOLEAN NOT NULL DEFAULT 0;
CREATE INDEX contacts_follow_up ON contacts (organisation_id, follow_up);
-- A safeguarding concern nobody has reviewed yet sits at the top of My work. Every open
-- priority case from before reviews existed counts as not yet reviewed.
ALTER TABLE contacts ADD COLUMN safeguarding_due BOOLEAN NOT NULL DEFAULT 0;
UPDATE contacts SET safeguarding_due = (priority > 0 AND status IN ('received', 'acknowledged'));
CREATE INDEX contacts_safeguarding_due ON contacts (organisation_id, safeguarding_due);
-- Letters are drafts until staff send them: who wrote the draft and who last edited it
-- (neither may approve a final response), and who approved it.
ALTER TABLE letters ADD COLUMN drafted_by TEXT;
ALTER TABLE letters ADD COLUMN edited_by TEXT;
ALTER TABLE letters ADD COLUMN approved_by TEXT;
-- Scrutiny letters share the outbox's columns; they are never held as drafts.
ALTER TABLE scrutiny_messages ADD COLUMN drafted_by TEXT;
ALTER TABLE scrutiny_messages ADD COLUMN edited_by TEXT;
ALTER TABLE scrutiny_messages ADD COLUMN approved_by TEXT;
-- The running totals gain compliments passed on and survey answers followed up: they are
-- emptied here and every case is counted again as this migration runs.
DELETE FROM daily_figures;
DELETE FROM complaint_people;
-- A letter for someone who asked for Braille, audio, easy read or another language waits to
-- be transcribed or translated: what into, by when, and when it went in that form.
ALTER TABLE letters ADD COLUMN convert TEXT;
ALTER TABLE letters ADD COLUMN convert_by TEXT;
ALTER TABLE letters ADD COLUMN converted_at BIGINT;
ALTER TABLE scrutiny_messages ADD COLUMN convert TEXT;
ALTER TABLE scrutiny_messages ADD COLUMN convert_by TEXT;
ALTER TABLE scrutiny_messages ADD COLUMN converted_at BIGINT;
-- API tokens expire (a year after they are made) and can be exchanged for a new one.
-- Tokens made before expire a year after they were made.
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;
UPDATE api_tokens SET expires_at = created_at + 31536000000000;
