-- A case with emails from the resident nobody working it has read yet. Kept on the row so
-- My work finds them without reading every case.
ALTER TABLE contacts ADD COLUMN emails_waiting BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX contacts_emails_waiting ON contacts (organisation_id, emails_waiting);
