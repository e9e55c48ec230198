-- The case list's order (open first, priority first, earliest response date, newest) as
-- one sortable text kept on each contact, so the list reads an index in order instead of
-- sorting every matching case on each page. Searching by name finds cases by their person.
ALTER TABLE contacts ADD COLUMN list_key TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE contacts SET list_key =
    (CASE WHEN status IN ('received', 'acknowledged') THEN '0' ELSE '1' END)
    || (CASE WHEN priority > 0 THEN '0' ELSE '1' END)
    || COALESCE(respond_by, '9999-12-31')
    || lpad((9223372036854775807 - received_at)::text, 20, '0');
CREATE INDEX contacts_list ON contacts (organisation_id, list_key, kind, status, id);
CREATE INDEX contacts_kind_status ON contacts (organisation_id, kind, status);
CREATE INDEX contacts_person ON contacts (person_id);
