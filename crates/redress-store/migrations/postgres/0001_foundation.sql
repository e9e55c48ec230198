CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    division TEXT NOT NULL,
    default_scheme TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE service_areas (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    scheme TEXT NOT NULL,
    UNIQUE (organisation_id, name)
);

CREATE TABLE homes (
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    year BIGINT NOT NULL,
    tenure TEXT NOT NULL,
    homes BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, year, tenure)
);

CREATE TABLE closure_days (
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    day TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (organisation_id, day)
);

CREATE TABLE bank_holidays (
    division TEXT NOT NULL,
    day TEXT NOT NULL,
    title TEXT NOT NULL,
    imported_at BIGINT NOT NULL,
    PRIMARY KEY (division, day)
);

CREATE TABLE custom_schemes (
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    id TEXT NOT NULL,
    definition TEXT NOT NULL,
    PRIMARY KEY (organisation_id, id)
);

CREATE TABLE people (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    address TEXT,
    postcode TEXT,
    needs TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE reference_counters (
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    prefix TEXT NOT NULL,
    year BIGINT NOT NULL,
    last_number BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, prefix, year)
);

CREATE TABLE contacts (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    reference TEXT NOT NULL,
    kind TEXT NOT NULL,
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    stage BIGINT NOT NULL,
    scheme TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    received_on TEXT NOT NULL,
    person_id TEXT REFERENCES people(id),
    representative TEXT,
    service_area_id TEXT REFERENCES service_areas(id),
    property_ref TEXT,
    tenure TEXT,
    summary TEXT NOT NULL,
    outcome_wanted TEXT,
    issue_date TEXT,
    safeguarding BOOLEAN NOT NULL,
    about_vulnerable_group BOOLEAN NOT NULL,
    wants_reply BOOLEAN NOT NULL,
    staff_named TEXT,
    other_route TEXT,
    priority BIGINT NOT NULL,
    acknowledge_by TEXT,
    acknowledged_on TEXT,
    respond_by TEXT,
    responded_on TEXT,
    closed_on TEXT,
    -- Stages, assignment, extensions, responses: the case as the domain holds it (JSON).
    -- The columns above repeat what lists filter and sort on.
    case_state TEXT NOT NULL,
    officer_id TEXT,
    handler_id TEXT,
    paused BOOLEAN NOT NULL,
    submission_key TEXT,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (organisation_id, reference),
    UNIQUE (organisation_id, submission_key)
);
CREATE INDEX contacts_queue ON contacts (organisation_id, priority, status, respond_by);
CREATE INDEX contacts_received ON contacts (organisation_id, received_at);

CREATE TABLE contact_events (
    id TEXT PRIMARY KEY,
    contact_id TEXT NOT NULL REFERENCES contacts(id),
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL,
    at BIGINT NOT NULL,
    actor_id TEXT,
    actor_name TEXT NOT NULL,
    summary TEXT NOT NULL,
    detail TEXT NOT NULL,
    UNIQUE (contact_id, seq)
);

-- Remedies and ombudsman orders of every case, repeated from the case state so one query
-- can list what is due or overdue across all cases.
CREATE TABLE case_actions (
    contact_id TEXT NOT NULL REFERENCES contacts(id),
    kind TEXT NOT NULL,
    item_id BIGINT NOT NULL,
    description TEXT NOT NULL,
    owner_name TEXT,
    due TEXT NOT NULL,
    done_on TEXT,
    amount_pence BIGINT,
    PRIMARY KEY (contact_id, kind, item_id)
);
CREATE INDEX case_actions_open ON case_actions (done_on, due);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    label TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Full-text search: the same text as SQLite's FTS5 table, as an English tsvector.
CREATE TABLE contact_search (
    contact_id TEXT PRIMARY KEY REFERENCES contacts(id),
    body TEXT NOT NULL,
    document TSVECTOR GENERATED ALWAYS AS (to_tsvector('english', body)) STORED
);
CREATE INDEX contact_search_document ON contact_search USING GIN (document);

-- Public form answers between "Continue" and "Send", so a refresh, the back button or a
-- lost connection never loses what a resident typed. The draft id doubles as the
-- submission key that makes sending idempotent.
CREATE TABLE drafts (
    id TEXT PRIMARY KEY,
    answers TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Every letter and email, kept exactly as sent. Emails wait here as the outbox: written in
-- the same transaction as the change that called for them, sent by a background worker.
-- status: pending (email to send), sending (claimed), sent, failed (gave up), check (a
-- send was interrupted: it may or may not have gone, so it is never resent by itself),
-- to-print (post), printed.
CREATE TABLE letters (
    id TEXT PRIMARY KEY,
    contact_id TEXT NOT NULL REFERENCES contacts(id),
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
CREATE INDEX letters_outbox ON letters (status, next_attempt_at);
CREATE INDEX letters_contact ON letters (contact_id, created_at);

CREATE TABLE letter_templates (
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, kind)
);

-- Staff reminders already raised, so each fires once whichever instance runs the job.
CREATE TABLE reminders (
    contact_id TEXT NOT NULL REFERENCES contacts(id),
    deadline TEXT NOT NULL,
    due TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (contact_id, deadline, due, kind)
);

-- The bytes of files added to cases; what they are is in the case state.
CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    contact_id TEXT NOT NULL REFERENCES contacts(id),
    data BYTEA NOT NULL
);

-- Sign-in attempts, for throttling and lockout that hold across instances.
CREATE TABLE login_attempts (
    email TEXT NOT NULL,
    at BIGINT NOT NULL,
    succeeded BOOLEAN NOT NULL
);
CREATE INDEX login_attempts_email ON login_attempts (email, at);

-- Who opened which case, when: personal data is looked at only with a trace.
CREATE TABLE case_views (
    contact_id TEXT NOT NULL REFERENCES contacts(id),
    user_id TEXT NOT NULL,
    user_name TEXT NOT NULL,
    at BIGINT NOT NULL,
    via TEXT NOT NULL
);
CREATE INDEX case_views_contact ON case_views (contact_id, at);

-- Residents following their own case: a session opens one case only.
CREATE TABLE resident_sessions (
    token_hash TEXT PRIMARY KEY,
    contact_id TEXT NOT NULL REFERENCES contacts(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- Changes to settings (users, service areas, closure days, letter wording): who, when, what.
CREATE TABLE admin_log (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    at BIGINT NOT NULL,
    actor_name TEXT NOT NULL,
    summary TEXT NOT NULL
);
CREATE INDEX admin_log_at ON admin_log (organisation_id, at);

-- Unacceptable behaviour restrictions, held against the person's email address and phone
-- number so they show on every case of theirs.
CREATE TABLE restrictions (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    person_name TEXT NOT NULL,
    email TEXT,
    phone_digits TEXT,
    detail TEXT NOT NULL,
    review_on TEXT NOT NULL,
    ended_on TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX restrictions_email ON restrictions (organisation_id, email);
CREATE INDEX restrictions_phone ON restrictions (organisation_id, phone_digits);
