-- The service improvement register: what changed (or will not), where, when, and the
-- complaints that led to it.
CREATE TABLE improvements (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    service_area_id TEXT REFERENCES service_areas(id),
    status TEXT NOT NULL,
    proposed_on TEXT NOT NULL,
    decided_on TEXT,
    implemented_on TEXT,
    explanation TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX improvements_status ON improvements (organisation_id, status, implemented_on);

CREATE TABLE improvement_cases (
    improvement_id TEXT NOT NULL REFERENCES improvements(id),
    contact_id TEXT NOT NULL REFERENCES contacts(id),
    PRIMARY KEY (improvement_id, contact_id)
);

-- Satisfaction survey links: one per case and stage (0 for comments and compliments),
-- answered once, without signing in. Only the hash of the link's token is kept.
CREATE TABLE survey_invitations (
    token_hash TEXT PRIMARY KEY,
    contact_id TEXT NOT NULL REFERENCES contacts(id),
    stage BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
