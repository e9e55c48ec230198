-- Welsh: the language a contact's person chose (NULL: not said) and the language each
-- letter was written in, for reports; wording kept for each kind of letter in each language.
ALTER TABLE contacts ADD COLUMN language TEXT;
ALTER TABLE letters ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE scrutiny_messages ADD COLUMN language TEXT NOT NULL DEFAULT 'en';

-- The wording organisations had becomes their English wording.
ALTER TABLE letter_templates ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE letter_templates DROP CONSTRAINT letter_templates_pkey;
ALTER TABLE letter_templates ADD PRIMARY KEY (organisation_id, kind, language);
