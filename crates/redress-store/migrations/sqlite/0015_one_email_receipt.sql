-- One receipt for an email, however many instances take it at once.
CREATE UNIQUE INDEX letters_one_email_receipt ON letters (contact_id) WHERE kind = 'email-receipt';
