-- Resident scrutiny keeps what it replaces.

-- A short code printed in a decision letter: typed at /scrutiny/code, it opens the
-- requester's request once, until it expires.
ALTER TABLE scrutiny_requests ADD COLUMN code_hash TEXT;
ALTER TABLE scrutiny_requests ADD COLUMN code_expires BIGINT;

-- Every change to the matrix's criteria and weights, to the exercise stage template and
-- to a figure the team entered: what it became, when and by whom. Never changed.
CREATE TABLE scrutiny_changes (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    what TEXT NOT NULL,
    year BIGINT,
    area_id TEXT,
    value TEXT NOT NULL,
    changed_at BIGINT NOT NULL,
    changed_by TEXT NOT NULL
);
CREATE INDEX scrutiny_changes_by_org ON scrutiny_changes (organisation_id, changed_at);

-- Each scoring of a year is kept: scoring again adds a dated version, never replaces one.
CREATE TABLE scrutiny_scorings (
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    year BIGINT NOT NULL,
    scored_at BIGINT NOT NULL,
    area_id TEXT NOT NULL,
    total BIGINT NOT NULL,
    score TEXT NOT NULL,
    scored_by TEXT NOT NULL,
    PRIMARY KEY (organisation_id, year, scored_at, area_id)
);
INSERT INTO scrutiny_scorings (organisation_id, year, scored_at, area_id, total, score, scored_by)
    SELECT organisation_id, year, scored_at, area_id, total, score, scored_by FROM scrutiny_scores;
DROP TABLE scrutiny_scores;

-- Papers that came with a request: a scan of a form received by post, or evidence.
CREATE TABLE scrutiny_files (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES scrutiny_requests(id),
    name TEXT NOT NULL,
    file_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    description TEXT NOT NULL,
    added_at BIGINT NOT NULL,
    added_by TEXT NOT NULL,
    data BYTEA NOT NULL
);
CREATE INDEX scrutiny_files_by_request ON scrutiny_files (request_id);
