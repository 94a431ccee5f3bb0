-- Evidence integrity and witness protection (tawthiq.evidence).
-- Originals live as files in a content-addressed vault beside the database (<db>.evidence/ab/cdef...); these tables
-- hold what was collected, by whom and how, what was found when it was verified, and the hash-chained audit log.
-- Witness identities and testimonies are stored only as AES-GCM ciphertext; the key is never in this file.

CREATE TABLE evidence_items (
    id             INTEGER PRIMARY KEY,
    sha256         TEXT NOT NULL UNIQUE,          -- of the original bytes: the file's name in the vault
    size           INTEGER NOT NULL,
    media_type     TEXT NOT NULL,
    kind           TEXT NOT NULL DEFAULT 'file',  -- file | image | video | document
    original_name  TEXT NOT NULL DEFAULT '',      -- the file name as received (the vault names it by hash)
    stored_at      TEXT NOT NULL                  -- UTC, ISO 8601
);

-- Chain of custody: one row per collection, receipt, transfer or export of an item; never updated.
CREATE TABLE custody_events (
    id           INTEGER PRIMARY KEY,
    item_sha256  TEXT NOT NULL REFERENCES evidence_items(sha256),
    action       TEXT NOT NULL,                   -- collected | received | exported | transferred
    actor        TEXT NOT NULL,                   -- who
    at           TEXT NOT NULL,                   -- when, UTC ISO 8601
    source_url   TEXT NOT NULL DEFAULT '',        -- from where: the URL ...
    device       TEXT NOT NULL DEFAULT '',        -- ... or the device
    tool         TEXT NOT NULL,                   -- with what tool (name and version)
    note         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX custody_by_item ON custody_events (item_sha256);

-- Working copies derived from an original (text extraction, key frame, thumbnail): linked, never replacing it.
CREATE TABLE derived_copies (
    id               INTEGER PRIMARY KEY,
    original_sha256  TEXT NOT NULL REFERENCES evidence_items(sha256),
    derived_sha256   TEXT NOT NULL,
    kind             TEXT NOT NULL,
    tool             TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    UNIQUE (original_sha256, derived_sha256, kind)
);

-- Technical metadata of images and videos (EXIF, container), as the tools reported it.
CREATE TABLE media_metadata (
    item_sha256  TEXT PRIMARY KEY REFERENCES evidence_items(sha256),
    width        INTEGER,
    height       INTEGER,
    duration_s   REAL,
    created      TEXT,                            -- creation time the file claims (not verified)
    latitude     REAL,                            -- GPS position the file claims (not verified)
    longitude    REAL,
    device       TEXT,                            -- camera make and model the file claims
    extractor    TEXT NOT NULL,                   -- tools and versions that read it
    metadata     TEXT NOT NULL DEFAULT '{}'       -- everything the tools returned, JSON
);

-- Perceptual hashes: one row per image, one per key frame of a video.
CREATE TABLE media_hashes (
    item_sha256  TEXT NOT NULL REFERENCES evidence_items(sha256),
    frame        INTEGER NOT NULL,                -- 0 for an image; key frame number for a video
    time_s       REAL,
    phash        TEXT NOT NULL,                   -- 64-bit DCT hash, hex
    dhash        TEXT NOT NULL,                   -- 64-bit difference hash, hex
    PRIMARY KEY (item_sha256, frame)
);

-- Berkeley Protocol verification: each step by whom, when, how, and what was found.
CREATE TABLE verification_steps (
    id           INTEGER PRIMARY KEY,
    item_sha256  TEXT NOT NULL REFERENCES evidence_items(sha256),
    step         TEXT NOT NULL CHECK (step IN ('source', 'technical', 'content', 'geolocation', 'chronolocation')),
    analyst      TEXT NOT NULL,
    at           TEXT NOT NULL,
    method       TEXT NOT NULL DEFAULT '',
    finding      TEXT NOT NULL,
    conclusion   TEXT NOT NULL CHECK (conclusion IN ('consistent', 'inconsistent', 'inconclusive')),
    latitude     REAL,                            -- geolocation
    longitude    REAL,
    precision_m  REAL,
    not_before   TEXT,                            -- chronolocation, UTC ISO 8601
    not_after    TEXT
);
CREATE INDEX verification_by_item ON verification_steps (item_sha256);

-- The tamper-evident log: hash = sha256(prev_hash, seq, at, action, subject, detail). Append-only.
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,               -- 1, 2, 3 ... without gaps
    at         TEXT NOT NULL,
    action     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    detail     TEXT NOT NULL,                     -- canonical JSON
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE
);

-- Row digests of a seal (an audit entry whose detail holds each table's root hash over these rows).
CREATE TABLE audit_seal_rows (
    seal_seq  INTEGER NOT NULL REFERENCES audit_log(seq),
    tbl       TEXT NOT NULL,
    row_key   TEXT NOT NULL,
    digest    TEXT NOT NULL,
    PRIMARY KEY (seal_seq, tbl, row_key)
);

-- Witnesses: a pseudonym in clear, the identity only as ciphertext (bound to the pseudonym as associated data).
CREATE TABLE witnesses (
    id           INTEGER PRIMARY KEY,
    pseudonym    TEXT NOT NULL UNIQUE,
    identity_ct  BLOB,                            -- NULL once erased (storage consent withdrawn)
    key_id       TEXT NOT NULL,                   -- fingerprint of the key that encrypted it (not the key)
    admin1       TEXT NOT NULL DEFAULT '',        -- coarse, for aggregated counts only
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL
);

CREATE TABLE testimonies (
    id            INTEGER PRIMARY KEY,
    witness_id    INTEGER NOT NULL REFERENCES witnesses(id),
    incident_key  TEXT NOT NULL DEFAULT '',
    language      TEXT NOT NULL DEFAULT '',
    text_ct       BLOB,                           -- NULL once erased
    key_id        TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    recorded_by   TEXT NOT NULL
);
CREATE INDEX testimonies_by_witness ON testimonies (witness_id);

-- Consent per purpose; the latest row for (witness, purpose) is in force, earlier ones are kept as history.
CREATE TABLE consents (
    id           INTEGER PRIMARY KEY,
    witness_id   INTEGER NOT NULL REFERENCES witnesses(id),
    purpose      TEXT NOT NULL CHECK (purpose IN ('storage', 'publication', 'court')),
    granted      INTEGER NOT NULL CHECK (granted IN (0, 1)),
    recorded_at  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX consents_by_witness ON consents (witness_id, purpose);

-- Guards against accidental changes; a determined editor can drop them, which `tawthiq audit verify` then detects.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER custody_no_update BEFORE UPDATE ON custody_events
BEGIN
    SELECT RAISE(ABORT, 'custody_events is append-only');
END;

CREATE TRIGGER custody_no_delete BEFORE DELETE ON custody_events
BEGIN
    SELECT RAISE(ABORT, 'custody_events is append-only');
END;
