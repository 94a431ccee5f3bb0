-- Speed of the web application's pages (docs/web.md, "Load").
--
-- The incident list is ordered by date, newest first, and filtered by event type: with these indexes a page of 50
-- reads 50 index entries instead of sorting every incident, and the event-type menu reads the index alone.
CREATE INDEX IF NOT EXISTS incidents_by_date ON incidents (date_start IS NULL, date_start DESC, id);
CREATE INDEX IF NOT EXISTS incidents_by_event_type ON incidents (event_type);
