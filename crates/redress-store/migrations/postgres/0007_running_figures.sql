-- Running totals the measures are read from (redress_domain::figures): each case's dated
-- figures summed per organisation, service area ('' for none), day, measure and key. A
-- change to a case takes out the figures of its row as it was and puts in the new ones.
CREATE TABLE daily_figures (
    organisation_id TEXT NOT NULL,
    service_area_id TEXT NOT NULL,
    day TEXT NOT NULL,
    measure TEXT NOT NULL,
    key TEXT NOT NULL,
    n BIGINT NOT NULL,
    a BIGINT NOT NULL,
    b BIGINT NOT NULL,
    c BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, day, measure, key, service_area_id)
);
-- The open-complaint counts are summed from the beginning up to a day.
CREATE INDEX daily_figures_running ON daily_figures (organisation_id, measure, day);

-- Who made each complaint, for repeat complainants; kept per case because it is personal
-- data (the case's erasure removes it) and cannot be summed by day.
CREATE TABLE complaint_people (
    contact_id TEXT PRIMARY KEY REFERENCES contacts(id),
    organisation_id TEXT NOT NULL,
    service_area_id TEXT NOT NULL,
    received_on TEXT NOT NULL,
    person_key TEXT NOT NULL
);
-- In person order, so people with more than one complaint are found by walking the index
-- rather than sorting a year's complaints.
CREATE INDEX complaint_people_person
    ON complaint_people (organisation_id, person_key, received_on, service_area_id);
