-- Minutes of the Customer Scrutiny Team's meetings: who attended, who sent apologies and
-- what was discussed and decided. Each save is a new version; earlier ones are kept.
CREATE TABLE scrutiny_minutes (
    meeting_id TEXT NOT NULL REFERENCES scrutiny_meetings(id),
    version BIGINT NOT NULL,
    attended TEXT NOT NULL,
    apologies TEXT NOT NULL,
    minutes TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (meeting_id, version)
);
