-- Speed of the web application's pages (docs/web.md, "Load").
--
-- Indexes: the incident list is ordered by date, newest first, and filtered by event type (a page of 50 then reads
-- 50 index entries instead of sorting every incident).
CREATE INDEX IF NOT EXISTS incidents_by_date ON incidents (date_start IS NULL, date_start DESC, id);
CREATE INDEX IF NOT EXISTS incidents_by_event_type ON incidents (event_type);

-- A change counter over the tables that the cached pages read (tawthiq.web.cache): every insert, update or delete
-- of a row of them bumps it, whichever program or connection writes. A cached page is served only while the
-- counter is what it was when the page was rendered. A page that reads another table must add its triggers here
-- (in a new schema file).
CREATE TABLE web_changes (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    counter  INTEGER NOT NULL
);
INSERT INTO web_changes (id, counter) VALUES (1, 0);

CREATE TRIGGER web_changes_sources_ai AFTER INSERT ON sources BEGIN
    UPDATE web_changes SET counter = counter + 1 WHERE id = 1;
END;
CREATE TRIGGER web_changes_sources_au AFTER UPDATE ON sources BEGIN
    UPDATE web_changes SET counter = counter + 1 WHERE id = 1;
END;
CREATE TRIGGER web_changes_sources_ad AFTER DELETE ON sources BEGIN
    UPDATE web_changes SET counter = counter + 1 WHERE id = 1;
END;
CREATE TRIGGER web_changes_documents_ai AFTER INSERT ON documents BEGIN
    UPDATE web_changes SET counter = counter + 1 WHERE id = 1;
END;
CREATE TRIGGER web_changes_documents_au AFTER UPDATE ON documents BEGIN
    UPDATE web_changes SET counter = counter + 1 WHERE id = 1;
END;
CREATE TRIGGER web_changes_documents_ad AFTER DELETE ON documents BEGIN
    UPDATE web_changes SET counter = counter + 1 WHERE id = 1;
END;
CREATE TRIGGER web_changes_claims_ai AFTER INSERT ON claims BEGIN
    UPDATE web_changes SET counter = counter + 1 WHERE id = 1;
END;
CREATE TRIGGER web_changes_claims_au AFTER UPDATE ON claims BEGIN
    UPDATE web_changes SET counter = counter + 1 WHERE id = 1;
END;
CREATE TRIGGER web_changes_claims_ad AFTER DELETE ON claims BEGIN
    UPDATE web_changes SET counter = counter + 1 WHERE id = 1;
END;
CREATE TRIGGER web_changes_incidents_ai AFTER INSERT ON incidents BEGIN
    UPDATE web_changes SET counter = counter + 1 WHERE id = 1;
END;
CREATE TRIGGER web_changes_incidents_au AFTER UPDATE ON incidents BEGIN
    UPDATE web_changes SET counter = counter + 1 WHERE id = 1;
END;
CREATE TRIGGER web_changes_incidents_ad AFTER DELETE ON incidents BEGIN
    UPDATE web_changes SET counter = counter + 1 WHERE id = 1;
END;
CREATE TRIGGER web_changes_incident_claims_ai AFTER INSERT ON incident_claims BEGIN
    UPDATE web_changes SET counter = counter + 1 WHERE id = 1;
END;
CREATE TRIGGER web_changes_incident_claims_au AFTER UPDATE ON incident_claims BEGIN
    UPDATE web_changes SET counter = counter + 1 WHERE id = 1;
END;
CREATE TRIGGER web_changes_incident_claims_ad AFTER DELETE ON incident_claims BEGIN
    UPDATE web_changes SET counter = counter + 1 WHERE id = 1;
END;
CREATE TRIGGER web_changes_review_decisions_ai AFTER INSERT ON review_decisions BEGIN
    UPDATE web_changes SET counter = counter + 1 WHERE id = 1;
END;
CREATE TRIGGER web_changes_review_decisions_au AFTER UPDATE ON review_decisions BEGIN
    UPDATE web_changes SET counter = counter + 1 WHERE id = 1;
END;
CREATE TRIGGER web_changes_review_decisions_ad AFTER DELETE ON review_decisions BEGIN
    UPDATE web_changes SET counter = counter + 1 WHERE id = 1;
END;
CREATE TRIGGER web_changes_incident_grades_ai AFTER INSERT ON incident_grades BEGIN
    UPDATE web_changes SET counter = counter + 1 WHERE id = 1;
END;
CREATE TRIGGER web_changes_incident_grades_au AFTER UPDATE ON incident_grades BEGIN
    UPDATE web_changes SET counter = counter + 1 WHERE id = 1;
END;
CREATE TRIGGER web_changes_incident_grades_ad AFTER DELETE ON incident_grades BEGIN
    UPDATE web_changes SET counter = counter + 1 WHERE id = 1;
END;
CREATE TRIGGER web_changes_incident_notes_ai AFTER INSERT ON incident_notes BEGIN
    UPDATE web_changes SET counter = counter + 1 WHERE id = 1;
END;
CREATE TRIGGER web_changes_incident_notes_au AFTER UPDATE ON incident_notes BEGIN
    UPDATE web_changes SET counter = counter + 1 WHERE id = 1;
END;
CREATE TRIGGER web_changes_incident_notes_ad AFTER DELETE ON incident_notes BEGIN
    UPDATE web_changes SET counter = counter + 1 WHERE id = 1;
END;
