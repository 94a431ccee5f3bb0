-- The analysts' web application (tawthiq.web): accounts, sessions, review decisions, verification grades, notes,
-- and the full-text search index over documents, claims, incidents and victim records.
-- Decisions are never updated or deleted: the latest row in force, the earlier ones are the history (who, when, what).

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash  TEXT NOT NULL,                 -- argon2id, PHC string
    role           TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'reviewer', 'viewer')),
    active         INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- Only a hash of the session token is stored: a copy of the database does not log anyone in.
CREATE TABLE web_sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX web_sessions_by_user ON web_sessions (user_id);

-- A reviewer's decision on a claim. claim_version is the version the reviewer saw (optimistic locking); changes holds
-- {field: [before, after]} for a correction. The claim is also named by (document_sha256, claim_seq) so that the
-- decision can be found again if the claim row is ever re-extracted.
CREATE TABLE review_decisions (
    id               INTEGER PRIMARY KEY,
    claim_id         INTEGER NOT NULL,
    document_sha256  TEXT NOT NULL,
    claim_seq        INTEGER NOT NULL,
    claim_version    INTEGER NOT NULL,
    action           TEXT NOT NULL CHECK (action IN ('confirm', 'correct', 'reject', 'attach')),
    reason           TEXT NOT NULL DEFAULT '',
    changes          TEXT NOT NULL DEFAULT '{}',
    incident_key     TEXT,                        -- for 'attach'
    user_id          INTEGER REFERENCES users(id),
    user_name        TEXT NOT NULL,
    decided_at       TEXT NOT NULL
);
CREATE INDEX review_decisions_by_claim ON review_decisions (claim_id, id);

-- Verification grades of incidents (Airwars' scale), by the incident's stable key.
CREATE TABLE incident_grades (
    id            INTEGER PRIMARY KEY,
    incident_key  TEXT NOT NULL,
    grade         TEXT NOT NULL CHECK (grade IN ('confirmed', 'fair', 'weak', 'contested', 'discounted')),
    reason        TEXT NOT NULL DEFAULT '',
    user_id       INTEGER REFERENCES users(id),
    user_name     TEXT NOT NULL,
    decided_at    TEXT NOT NULL
);
CREATE INDEX incident_grades_by_key ON incident_grades (incident_key, id);

CREATE VIEW incident_current_grades AS
    SELECT g.incident_key, g.grade, g.user_name, g.decided_at
    FROM incident_grades g
    WHERE g.id = (SELECT max(h.id) FROM incident_grades h WHERE h.incident_key = g.incident_key);

CREATE TABLE incident_notes (
    id            INTEGER PRIMARY KEY,
    incident_key  TEXT NOT NULL,
    body          TEXT NOT NULL,
    user_id       INTEGER REFERENCES users(id),
    user_name     TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX incident_notes_by_key ON incident_notes (incident_key, id);

-- Full-text search: external-content FTS5 tables kept in step by triggers; `tawthiq.web.search.reindex` rebuilds them.
CREATE VIRTUAL TABLE search_documents USING fts5(
    title, text, content='documents', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE search_claims USING fts5(
    sentence, place, attributed_to, content='claims', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE search_incidents USING fts5(
    title, event_type, admin1, content='incidents', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE search_victims USING fts5(
    name_ar, name_latin, place_of_death, governorate, content='victim_records', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);

CREATE TRIGGER search_documents_ai AFTER INSERT ON documents BEGIN
    INSERT INTO search_documents (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER search_documents_ad AFTER DELETE ON documents BEGIN
    INSERT INTO search_documents (search_documents, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER search_documents_au AFTER UPDATE OF title, text ON documents BEGIN
    INSERT INTO search_documents (search_documents, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO search_documents (rowid, title, text) VALUES (new.id, new.title, new.text);
END;

CREATE TRIGGER search_claims_ai AFTER INSERT ON claims BEGIN
    INSERT INTO search_claims (rowid, sentence, place, attributed_to)
    VALUES (new.id, new.sentence, new.place, new.attributed_to);
END;
CREATE TRIGGER search_claims_ad AFTER DELETE ON claims BEGIN
    INSERT INTO search_claims (search_claims, rowid, sentence, place, attributed_to)
    VALUES ('delete', old.id, old.sentence, old.place, old.attributed_to);
END;
CREATE TRIGGER search_claims_au AFTER UPDATE OF sentence, place, attributed_to ON claims BEGIN
    INSERT INTO search_claims (search_claims, rowid, sentence, place, attributed_to)
    VALUES ('delete', old.id, old.sentence, old.place, old.attributed_to);
    INSERT INTO search_claims (rowid, sentence, place, attributed_to)
    VALUES (new.id, new.sentence, new.place, new.attributed_to);
END;

CREATE TRIGGER search_incidents_ai AFTER INSERT ON incidents BEGIN
    INSERT INTO search_incidents (rowid, title, event_type, admin1)
    VALUES (new.id, new.title, new.event_type, new.admin1);
END;
CREATE TRIGGER search_incidents_ad AFTER DELETE ON incidents BEGIN
    INSERT INTO search_incidents (search_incidents, rowid, title, event_type, admin1)
    VALUES ('delete', old.id, old.title, old.event_type, old.admin1);
END;
CREATE TRIGGER search_incidents_au AFTER UPDATE OF title, event_type, admin1 ON incidents BEGIN
    INSERT INTO search_incidents (search_incidents, rowid, title, event_type, admin1)
    VALUES ('delete', old.id, old.title, old.event_type, old.admin1);
    INSERT INTO search_incidents (rowid, title, event_type, admin1)
    VALUES (new.id, new.title, new.event_type, new.admin1);
END;

CREATE TRIGGER search_victims_ai AFTER INSERT ON victim_records BEGIN
    INSERT INTO search_victims (rowid, name_ar, name_latin, place_of_death, governorate)
    VALUES (new.id, new.name_ar, new.name_latin, new.place_of_death, new.governorate);
END;
CREATE TRIGGER search_victims_ad AFTER DELETE ON victim_records BEGIN
    INSERT INTO search_victims (search_victims, rowid, name_ar, name_latin, place_of_death, governorate)
    VALUES ('delete', old.id, old.name_ar, old.name_latin, old.place_of_death, old.governorate);
END;
CREATE TRIGGER search_victims_au AFTER UPDATE OF name_ar, name_latin, place_of_death, governorate ON victim_records
BEGIN
    INSERT INTO search_victims (search_victims, rowid, name_ar, name_latin, place_of_death, governorate)
    VALUES ('delete', old.id, old.name_ar, old.name_latin, old.place_of_death, old.governorate);
    INSERT INTO search_victims (rowid, name_ar, name_latin, place_of_death, governorate)
    VALUES (new.id, new.name_ar, new.name_latin, new.place_of_death, new.governorate);
END;

-- A store that already held data when this file was applied gets its index built now.
INSERT INTO search_documents (search_documents) VALUES ('rebuild');
INSERT INTO search_claims (search_claims) VALUES ('rebuild');
INSERT INTO search_incidents (search_incidents) VALUES ('rebuild');
INSERT INTO search_victims (search_victims) VALUES ('rebuild');
