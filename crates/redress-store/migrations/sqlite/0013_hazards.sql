-- A hazard on a case that needs someone: suggested and not yet decided, or confirmed with
-- steps still to record. Kept on the row so My work finds them without reading every case.
ALTER TABLE contacts ADD COLUMN hazard_open BOOLEAN NOT NULL DEFAULT 0;
CREATE INDEX contacts_hazard_open ON contacts (organisation_id, hazard_open);
