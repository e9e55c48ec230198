-- Search entries are found by a number kept on the contact, so a search can go from the
-- full-text index to the contacts by that number without reading the contact id stored in
-- every matching entry (for a common word, most of the search's time). The number is the
-- contact's rowid when it was written, kept in a column of its own because VACUUM may
-- renumber rowids. PostgreSQL finds entries by contact id through its own index and needs
-- no such step.
ALTER TABLE contacts ADD COLUMN search_row INTEGER;
UPDATE contacts SET search_row = rowid;
CREATE UNIQUE INDEX contacts_search_row ON contacts (search_row);
CREATE VIRTUAL TABLE contact_search_by_row USING fts5 (
    contact_id UNINDEXED,
    body,
    tokenize = 'porter unicode61'
);
INSERT INTO contact_search_by_row (rowid, contact_id, body)
    SELECT c.search_row, s.contact_id, s.body FROM contact_search s JOIN contacts c ON c.id = s.contact_id;
DROP TABLE contact_search;
ALTER TABLE contact_search_by_row RENAME TO contact_search;
