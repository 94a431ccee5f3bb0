-- Rows imported from other datasets (tawthiq.ingest.acled, tawthiq.ingest.ged): the provenance of each claim they
-- gave. The file itself is a document (sha256 of its bytes, original kept); each data row is one import_rows entry
-- holding its 1-based row number and every value of the row as read, so that nothing the file said is lost and an
-- export can give back the fields Tawthiq has no column for (ACLED sub_event_type, source_scale; GED deaths_a ...).

CREATE TABLE import_rows (
    claim_id     INTEGER PRIMARY KEY REFERENCES claims(id) ON DELETE CASCADE,
    dataset      TEXT NOT NULL,                 -- acled | ged
    file_sha256  TEXT NOT NULL,                 -- of the imported file (= documents.sha256)
    row_number   INTEGER NOT NULL,              -- 1-based data row (header not counted)
    external_id  TEXT NOT NULL DEFAULT '',      -- ACLED event_id_cnty, GED id
    part         TEXT NOT NULL DEFAULT 'total', -- which figure of the row this claim holds: total | civilians
    fields       TEXT NOT NULL                  -- the row as read: JSON object column -> value
);
CREATE INDEX import_rows_by_file ON import_rows (file_sha256, row_number);

-- Breakdowns ("of whom 800 civilians") are found from their total by (document, parent_seq).
CREATE INDEX IF NOT EXISTS claims_by_parent ON claims (document_id, parent_seq);

-- Exports look up each claim's incident (incident_claims' key starts with the incident).
CREATE INDEX IF NOT EXISTS incident_claims_by_claim ON incident_claims (claim_id);
