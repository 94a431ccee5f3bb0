-- Core record: sources, documents (with their original bytes), captions, cleaning removals, claims, incidents.
-- Names follow UCDP GED (low/best/high, date_prec, where_prec) and ACLED (event_type, source_scale).

CREATE TABLE sources (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    type          TEXT NOT NULL DEFAULT 'unknown',
    source_scale  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE documents (
    id                  INTEGER PRIMARY KEY,
    sha256              TEXT NOT NULL UNIQUE,      -- of the original bytes
    path                TEXT NOT NULL,             -- where it was read from
    media_type          TEXT NOT NULL,
    original            BLOB NOT NULL,             -- the bytes as received, never modified
    text                TEXT NOT NULL,             -- cleaned body text; claim spans point into it
    title               TEXT NOT NULL DEFAULT '',
    url                 TEXT NOT NULL DEFAULT '',
    language            TEXT NOT NULL DEFAULT 'en',
    source_id           INTEGER REFERENCES sources(id),
    published_at        TEXT,                      -- ISO date, given or inferred
    published_prec      INTEGER,                   -- DatePrecision of published_at
    published_inferred  INTEGER NOT NULL DEFAULT 0,
    published_note      TEXT NOT NULL DEFAULT '',  -- how it was given or inferred
    not_before          TEXT,
    not_after           TEXT,
    copy_of             TEXT REFERENCES documents(sha256),  -- sha256 of the document this republishes
    copy_similarity     REAL,
    ingested_at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE captions (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    text         TEXT NOT NULL,
    date         TEXT,
    credit       TEXT NOT NULL DEFAULT ''
);

CREATE TABLE removals (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    reason       TEXT NOT NULL,
    text         TEXT NOT NULL
);

CREATE TABLE claims (
    id              INTEGER PRIMARY KEY,
    document_id     INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    outcome         TEXT,
    population      TEXT,
    community       TEXT,
    low             INTEGER,
    best            INTEGER,
    high            INTEGER,
    qualifier       TEXT,
    qualifier_text  TEXT,
    quantity_text   TEXT,
    date_start      TEXT,
    date_end        TEXT,
    date_prec       INTEGER,
    date_inferred   INTEGER NOT NULL DEFAULT 0,
    date_text       TEXT,
    date_note       TEXT,
    place           TEXT,
    place_parent    TEXT,
    admin1          TEXT,
    latitude        REAL,
    longitude       REAL,
    where_prec      INTEGER,
    attributed_to   TEXT,
    caveat          TEXT,
    event_type      TEXT,
    actors          TEXT NOT NULL DEFAULT '[]',   -- JSON list of {name, role}
    parent_seq      INTEGER,                      -- the total this part breaks down (same document)
    language        TEXT NOT NULL DEFAULT 'en',
    span_start      INTEGER NOT NULL,             -- the evidence: the sentence in documents.text
    span_end        INTEGER NOT NULL,
    quantity_start  INTEGER,                      -- the figure itself within documents.text
    quantity_end    INTEGER,
    sentence        TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    UNIQUE (document_id, seq)
);
CREATE INDEX claims_by_kind ON claims(kind, outcome);

CREATE TABLE incidents (
    id                   INTEGER PRIMARY KEY,
    key                  TEXT NOT NULL UNIQUE,    -- stable across re-runs of grouping
    title                TEXT NOT NULL,
    event_type           TEXT,
    date_start           TEXT,
    date_end             TEXT,
    date_prec            INTEGER,
    admin1               TEXT NOT NULL DEFAULT '[]',  -- JSON list
    independent_sources  INTEGER NOT NULL DEFAULT 0,
    contradictions       TEXT NOT NULL DEFAULT '[]'   -- JSON list of sentences
);

CREATE TABLE incident_claims (
    incident_id  INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    claim_id     INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    PRIMARY KEY (incident_id, claim_id)
);
