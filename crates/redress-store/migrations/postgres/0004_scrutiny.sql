-- Resident scrutiny: Community Calls for Scrutiny, their signatures and history, the
-- scrutiny team's meetings, the scoring matrix and the annual programme.

-- A request's current state (JSON of the domain's Request) and the hash of the
-- requester's private link, which resumes a draft and follows the request.
CREATE TABLE scrutiny_requests (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    reference TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    state TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (organisation_id, reference)
);

-- Every step of a request or a scrutiny exercise, oldest first, never changed.
CREATE TABLE scrutiny_events (
    subject_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    at BIGINT NOT NULL,
    actor_id TEXT,
    actor_name TEXT NOT NULL,
    summary TEXT NOT NULL,
    step TEXT,
    PRIMARY KEY (subject_id, seq)
);

-- One person signs once: by name and postcode, and by email when one is given.
CREATE TABLE scrutiny_signatures (
    request_id TEXT NOT NULL REFERENCES scrutiny_requests(id),
    person_key TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT,
    postcode TEXT NOT NULL,
    paper BOOLEAN NOT NULL,
    entered_by TEXT,
    signed_at BIGINT NOT NULL,
    PRIMARY KEY (request_id, person_key),
    UNIQUE (request_id, email)
);

CREATE TABLE scrutiny_meetings (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    meeting_on TEXT NOT NULL,
    meeting_time TEXT NOT NULL,
    place TEXT NOT NULL,
    cancelled BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX scrutiny_meetings_on ON scrutiny_meetings (organisation_id, meeting_on);

-- Figures the team enters for the matrix where Redress has no data of its own.
CREATE TABLE scrutiny_figures (
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    year BIGINT NOT NULL,
    area_id TEXT NOT NULL,
    criterion TEXT NOT NULL,
    value DOUBLE PRECISION,
    evidence TEXT NOT NULL,
    PRIMARY KEY (organisation_id, year, area_id, criterion)
);

-- Each area's score for a year as it was scored, with its evidence (JSON).
CREATE TABLE scrutiny_scores (
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    year BIGINT NOT NULL,
    area_id TEXT NOT NULL,
    total BIGINT NOT NULL,
    score TEXT NOT NULL,
    scored_at BIGINT NOT NULL,
    scored_by TEXT NOT NULL,
    PRIMARY KEY (organisation_id, year, area_id)
);

CREATE TABLE scrutiny_exercises (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    year BIGINT NOT NULL,
    area_id TEXT NOT NULL,
    state TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (organisation_id, year, area_id)
);

-- Letters and emails to requesters, kept as sent; emails wait here as an outbox, claimed
-- and sent by the same worker and rules as case letters.
CREATE TABLE scrutiny_messages (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES scrutiny_requests(id),
    kind TEXT NOT NULL,
    delivery TEXT NOT NULL,
    recipient TEXT NOT NULL,
    large_print BOOLEAN NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    claimed_until BIGINT,
    sent_at BIGINT,
    last_error TEXT
);
CREATE INDEX scrutiny_messages_outbox ON scrutiny_messages (status, next_attempt_at);
