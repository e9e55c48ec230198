-- Nothing to do on PostgreSQL; this file keeps the migrations paired by number and name
-- with SQLite's 0006_search_rowid. There, each case keeps a number that is its full-text
-- entry's rowid, so a search can walk its index in order without reading the case id in
-- every entry. PostgreSQL finds a case's entry by the case id through its own index.
--
-- Databases made before this file existed recorded the running figures (now 0007) as
-- version 6. The migration runner records them as 7 again before it runs this, so on such
-- a database this runs once, after the figures, and changes nothing.
SELECT 1;
