-- Victim lists and their linkage into persons (tawthiq.ingest.lists, tawthiq.link).
-- A record keeps its list, its row number in the imported file and its source record id (or a hash of the row when
-- the list has none): (list_name, record_key) is unique, so re-importing a file changes nothing.

CREATE TABLE victim_records (
    id                INTEGER PRIMARY KEY,
    list_name         TEXT NOT NULL,
    record_key        TEXT NOT NULL,             -- source record id, or 'row:' + sha256 of the row's values
    source_record_id  TEXT,
    source_file       TEXT NOT NULL,
    row_number        INTEGER NOT NULL,          -- 1-based data row in the file (header not counted)
    name_ar           TEXT, name_latin TEXT, given_name TEXT, father_name TEXT, mother_name TEXT, family_name TEXT,
    sex               TEXT, age TEXT, age_group TEXT,
    date_of_death     TEXT,                      -- ISO date
    place_of_death    TEXT, place_of_origin TEXT, governorate TEXT, district TEXT,
    status            TEXT,                      -- civilian | non-civilian | security forces | unknown
    cause             TEXT, perpetrator TEXT,
    extra             TEXT NOT NULL DEFAULT '{}', -- unmapped columns as JSON
    imported_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (list_name, record_key)
);

CREATE INDEX victim_records_list ON victim_records (list_name);

CREATE TABLE victim_import_errors (
    id          INTEGER PRIMARY KEY,
    list_name   TEXT NOT NULL,
    source_file TEXT NOT NULL,
    row_number  INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE link_runs (
    id            INTEGER PRIMARY KEY,
    started_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    backend       TEXT NOT NULL,
    threshold     REAL NOT NULL,
    n_records     INTEGER NOT NULL,
    n_persons     INTEGER NOT NULL,
    model         TEXT NOT NULL                -- the Splink model (settings with m/u probabilities) as JSON
);

-- Persons of the latest run (replaced on every run; analysts' decisions live in link_decisions).
CREATE TABLE persons (
    id         INTEGER PRIMARY KEY,            -- the smallest victim_records.id among its records
    run_id     INTEGER NOT NULL REFERENCES link_runs(id),
    n_records  INTEGER NOT NULL,
    confirmed  INTEGER NOT NULL DEFAULT 0      -- 1 when an analyst confirmed or split it into this shape
);

-- Which records make each person, and the pair that brought each record in (the justification of the merge).
CREATE TABLE person_records (
    person_id          INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    record_id          INTEGER NOT NULL REFERENCES victim_records(id),
    via_record_id      INTEGER REFERENCES victim_records(id),  -- NULL for the person's first record
    match_probability  REAL,                                    -- of the pair (record, via); 1.0 for an analyst's link
    match_weight       REAL,
    weights            TEXT NOT NULL DEFAULT '{}',             -- per-comparison match weights of that pair, JSON
    PRIMARY KEY (record_id)
);

CREATE INDEX person_records_person ON person_records (person_id);

-- Analysts' confirm / split decisions, by record identity (list_name, record_key) so they survive re-import.
CREATE TABLE link_decisions (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('confirm', 'split')),
    groups      TEXT NOT NULL,                 -- JSON: [[[list, key], ...], ...] one inner list per person
    analyst     TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    decided_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
