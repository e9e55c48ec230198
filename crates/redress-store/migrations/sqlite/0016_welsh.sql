-- Welsh: the language a contact's person chose (NULL: not said) and the language each
-- letter was written in, for reports; wording kept for each kind of letter in each language.
ALTER TABLE contacts ADD COLUMN language TEXT;
ALTER TABLE letters ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE scrutiny_messages ADD COLUMN language TEXT NOT NULL DEFAULT 'en';

-- SQLite cannot change a primary key in place: the table is made again with the language
-- in its key, and the wording organisations had becomes their English wording.
CREATE TABLE letter_templates_by_language (
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    kind TEXT NOT NULL,
    language TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, kind, language)
);
INSERT INTO letter_templates_by_language (organisation_id, kind, language, subject, body, updated_at)
    SELECT organisation_id, kind, 'en', subject, body, updated_at FROM letter_templates;
DROP TABLE letter_templates;
ALTER TABLE letter_templates_by_language RENAME TO letter_templates;
