-- Set when a case's personal data has been erased; the retention job skips these.
ALTER TABLE contacts ADD COLUMN erased_on TEXT;
CREATE INDEX contacts_retention ON contacts (organisation_id, kind, erased_on, closed_on);

-- Years after closure that each kind of contact keeps its personal data. A kind with no
-- row keeps the default.
CREATE TABLE retention_policy (
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    kind TEXT NOT NULL,
    years BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, kind)
);

-- Links emailed to residents that open their case once: only the hash is kept.
CREATE TABLE resident_links (
    token_hash TEXT PRIMARY KEY,
    contact_id TEXT NOT NULL REFERENCES contacts(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

-- The service areas a service manager looks after; they see those cases only.
CREATE TABLE user_service_areas (
    user_id TEXT NOT NULL REFERENCES users(id),
    service_area_id TEXT NOT NULL REFERENCES service_areas(id),
    PRIMARY KEY (user_id, service_area_id)
);

-- Organisation settings kept as named values: branding and the ombudsman's details.
CREATE TABLE organisation_settings (
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (organisation_id, name)
);

-- The case a restriction was recorded from, so review reminders can point staff to it.
ALTER TABLE restrictions ADD COLUMN contact_id TEXT REFERENCES contacts(id);
CREATE INDEX restrictions_review ON restrictions (organisation_id, ended_on, review_on);
