-- Webhooks: other systems told when something happens to a case.

-- An endpoint an administrator registered. `events` holds the event kinds it asked for
-- between commas (",acknowledged,closed,") so one LIKE finds the endpoints of an event.
-- The secret signs each delivery, so it is kept as given, not hashed.
CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    url TEXT NOT NULL,
    description TEXT NOT NULL,
    secret TEXT NOT NULL,
    events TEXT NOT NULL,
    -- 'active', 'paused' (by an administrator or after failing in a row), 'removed'
    state TEXT NOT NULL,
    failures BIGINT NOT NULL,
    paused_reason TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX webhook_endpoints_by_org ON webhook_endpoints (organisation_id, state);

-- One event for one endpoint, written in the transaction of the change it tells of. Its id
-- (the endpoint's and the event's together) stays the same across retries, so a receiver
-- can tell a retry from a new event.
CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints(id),
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    -- 'pending', 'sending', 'delivered', 'failed' (every attempt used)
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    claimed_until BIGINT,
    delivered_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, created_at);

-- Every attempt and what the receiver answered, for administrators to see why one failed.
CREATE TABLE webhook_attempts (
    delivery_id TEXT NOT NULL REFERENCES webhook_deliveries(id),
    attempt BIGINT NOT NULL,
    at BIGINT NOT NULL,
    status_code BIGINT,
    response TEXT NOT NULL,
    error TEXT,
    millis BIGINT NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);
