"""The schema of the store, one definition for both engines (SQLite and PostgreSQL), in SQLAlchemy Core.

The migrations in ``store/migrations/versions`` build exactly these tables (a test compares them); what one engine
does differently — full-text search, append-only guards — lives in :mod:`tawthiq.store.dialects`.
Column names follow UCDP GED (low/best/high, date_prec, where_prec) and ACLED (event_type, source_scale).
Times are text in UTC ISO 8601 (``2025-03-07T10:00:00Z``), so that both engines store and compare them the same way.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

metadata = MetaData()


class utc_now(FunctionElement[str]):  # named like the SQL functions it stands for
    """The current UTC time as ``YYYY-MM-DDTHH:MM:SSZ`` text, computed by the database (for column defaults)."""

    type = Text()
    inherit_cache = True


@compiles(utc_now, "sqlite")
def _utc_now_sqlite(element: utc_now, compiler: Any, **kw: Any) -> str:
    return "(strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"


@compiles(utc_now, "postgresql")
def _utc_now_postgresql(element: utc_now, compiler: Any, **kw: Any) -> str:
    return """to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""


def _id() -> Column[int]:
    return Column("id", Integer, primary_key=True)


def _text(name: str, default: str | None = None, nullable: bool = True) -> Column[str]:
    """A text column; with a default it is NOT NULL (the store never holds NULL where '' means 'not given')."""
    if default is None:
        return Column(name, Text, nullable=nullable)
    return Column(name, Text, nullable=False, server_default=text(f"'{default}'"))


def _int(name: str, default: int | None = None, nullable: bool = True) -> Column[int]:
    if default is None:
        return Column(name, Integer, nullable=nullable)
    return Column(name, Integer, nullable=False, server_default=text(str(default)))


def _now(name: str) -> Column[str]:
    return Column(name, Text, nullable=False, server_default=utc_now())


# --- the core record ------------------------------------------------------------------------------------------------

sources = Table(
    "sources", metadata,
    _id(),
    _text("name", nullable=False),
    _text("type", "unknown"),
    _text("source_scale", ""),
    UniqueConstraint("name"),
)

documents = Table(
    "documents", metadata,
    _id(),
    _text("sha256", nullable=False),                  # of the original bytes
    _text("path", nullable=False),                    # where it was read from
    _text("media_type", nullable=False),
    Column("original", LargeBinary, nullable=False),  # the bytes as received, never modified
    _text("text", nullable=False),                    # cleaned body text; claim spans point into it
    _text("title", ""),
    _text("url", ""),
    _text("language", "en"),
    Column("source_id", Integer, ForeignKey("sources.id")),
    _text("published_at"),                            # ISO date, given or inferred
    _int("published_prec"),                           # DatePrecision of published_at
    _int("published_inferred", 0),
    _text("published_note", ""),                      # how it was given or inferred
    _text("not_before"),
    _text("not_after"),
    Column("copy_of", Text, ForeignKey("documents.sha256")),  # sha256 of the document this republishes
    Column("copy_similarity", Float),
    _now("ingested_at"),
    UniqueConstraint("sha256"),
)

captions = Table(
    "captions", metadata,
    _id(),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    _int("seq", nullable=False),
    _text("text", nullable=False),
    _text("date"),
    _text("credit", ""),
    _text("language", ""),                            # detected on the caption itself
)

removals = Table(
    "removals", metadata,
    _id(),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    _text("reason", nullable=False),
    _text("text", nullable=False),
)

claims = Table(
    "claims", metadata,
    _id(),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    _int("seq", nullable=False),
    _text("kind", nullable=False),
    *(_text(name) for name in ("outcome", "population", "community")),
    *(_int(name) for name in ("low", "best", "high")),
    *(_text(name) for name in ("qualifier", "qualifier_text", "quantity_text", "date_start", "date_end")),
    _int("date_prec"),
    _int("date_inferred", 0),
    *(_text(name) for name in ("date_text", "date_note", "place", "place_parent", "admin1")),
    Column("latitude", Float),
    Column("longitude", Float),
    _int("where_prec"),
    *(_text(name) for name in ("attributed_to", "caveat", "event_type")),
    _text("actors", "[]"),                            # JSON list of {name, role}
    _int("parent_seq"),                               # the total this part breaks down (same document)
    _text("language", "en"),
    _int("span_start", nullable=False),               # the evidence: the sentence in documents.text
    _int("span_end", nullable=False),
    _int("quantity_start"),                           # the figure itself within documents.text
    _int("quantity_end"),
    _text("sentence", nullable=False),
    _int("version", 1),                               # optimistic locking of reviewers' corrections
    UniqueConstraint("document_id", "seq"),
    Index("claims_by_kind", "kind", "outcome"),
    Index("claims_by_parent", "document_id", "parent_seq"),
)

incidents = Table(
    "incidents", metadata,
    _id(),
    _text("key", nullable=False),                     # stable across re-runs of grouping
    _text("title", nullable=False),
    _text("event_type"),
    _text("date_start"),
    _text("date_end"),
    _int("date_prec"),
    _text("admin1", "[]"),                            # JSON list
    _int("independent_sources", 0),
    _text("contradictions", "[]"),                    # JSON list of sentences
    UniqueConstraint("key"),
    Index("incidents_by_date", text("(date_start IS NULL)"), text("date_start DESC"), "id"),
    Index("incidents_by_event_type", "event_type"),
)

incident_claims = Table(
    "incident_claims", metadata,
    Column("incident_id", Integer, ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False),
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
    PrimaryKeyConstraint("incident_id", "claim_id"),
    Index("incident_claims_by_claim", "claim_id"),
)

import_rows = Table(  # rows imported from other datasets (ACLED, GED): the provenance of each claim they gave
    "import_rows", metadata,
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    _text("dataset", nullable=False),                 # acled | ged
    _text("file_sha256", nullable=False),             # of the imported file (= documents.sha256)
    _int("row_number", nullable=False),               # 1-based data row (header not counted)
    _text("external_id", ""),
    _text("part", "total"),                           # which figure of the row this claim holds
    _text("fields", nullable=False),                  # the row as read: JSON object column -> value
    Index("import_rows_by_file", "file_sha256", "row_number"),
)

# --- victim lists and linkage ---------------------------------------------------------------------------------------

victim_records = Table(
    "victim_records", metadata,
    _id(),
    _text("list_name", nullable=False),
    _text("record_key", nullable=False),              # source record id, or 'row:' + sha256 of the row's values
    _text("source_record_id"),
    _text("source_file", nullable=False),
    _int("row_number", nullable=False),               # 1-based data row in the file
    *(_text(name) for name in (
        "name_ar", "name_latin", "given_name", "father_name", "mother_name", "family_name", "sex", "age",
        "age_group", "date_of_death", "place_of_death", "place_of_origin", "governorate", "district", "status",
        "cause", "perpetrator",
    )),
    _text("extra", "{}"),                             # unmapped columns as JSON
    _now("imported_at"),
    UniqueConstraint("list_name", "record_key"),
    Index("victim_records_list", "list_name"),
)

victim_import_errors = Table(
    "victim_import_errors", metadata,
    _id(),
    _text("list_name", nullable=False),
    _text("source_file", nullable=False),
    _int("row_number", nullable=False),
    _text("reason", nullable=False),
    _now("imported_at"),
)

link_runs = Table(
    "link_runs", metadata,
    _id(),
    _now("started_at"),
    _text("backend", nullable=False),
    Column("threshold", Float, nullable=False),
    _int("n_records", nullable=False),
    _int("n_persons", nullable=False),
    _text("model", nullable=False),                   # the Splink model (settings with m/u probabilities), JSON
)

persons = Table(  # persons of the latest run; analysts' decisions live in link_decisions
    "persons", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # the smallest victim_records.id among its records
    Column("run_id", Integer, ForeignKey("link_runs.id"), nullable=False),
    _int("n_records", nullable=False),
    _int("confirmed", 0),
)

person_records = Table(  # which records make each person, and the pair that brought each record in
    "person_records", metadata,
    Column("person_id", Integer, ForeignKey("persons.id", ondelete="CASCADE"), nullable=False),
    Column("record_id", Integer, ForeignKey("victim_records.id"), primary_key=True, autoincrement=False),
    Column("via_record_id", Integer, ForeignKey("victim_records.id")),
    Column("match_probability", Float),
    Column("match_weight", Float),
    _text("weights", "{}"),
    Index("person_records_person", "person_id"),
)

link_decisions = Table(
    "link_decisions", metadata,
    _id(),
    _text("kind", nullable=False),
    _text("groups", nullable=False),                  # JSON: [[[list, key], ...], ...] one inner list per person
    _text("analyst", ""),
    _text("note", ""),
    _now("decided_at"),
    CheckConstraint("kind IN ('confirm', 'split')", name="link_decisions_kind"),
)

# --- evidence, audit and witnesses ----------------------------------------------------------------------------------

evidence_items = Table(
    "evidence_items", metadata,
    _id(),
    _text("sha256", nullable=False),
    _int("size", nullable=False),
    _text("media_type", nullable=False),
    _text("kind", "file"),
    _text("original_name", ""),
    _text("stored_at", nullable=False),
    UniqueConstraint("sha256"),
)

custody_events = Table(  # one row per collection, receipt, transfer or export of an item; never updated
    "custody_events", metadata,
    _id(),
    Column("item_sha256", Text, ForeignKey("evidence_items.sha256"), nullable=False),
    _text("action", nullable=False),
    _text("actor", nullable=False),
    _text("at", nullable=False),
    _text("source_url", ""),
    _text("device", ""),
    _text("tool", nullable=False),
    _text("note", ""),
    Index("custody_by_item", "item_sha256"),
)

derived_copies = Table(
    "derived_copies", metadata,
    _id(),
    Column("original_sha256", Text, ForeignKey("evidence_items.sha256"), nullable=False),
    _text("derived_sha256", nullable=False),
    _text("kind", nullable=False),
    _text("tool", nullable=False),
    _text("created_at", nullable=False),
    UniqueConstraint("original_sha256", "derived_sha256", "kind"),
)

media_metadata = Table(
    "media_metadata", metadata,
    Column("item_sha256", Text, ForeignKey("evidence_items.sha256"), primary_key=True),
    _int("width"),
    _int("height"),
    Column("duration_s", Float),
    _text("created"),
    Column("latitude", Float),
    Column("longitude", Float),
    _text("device"),
    _text("extractor", nullable=False),
    _text("metadata", "{}"),
)

media_hashes = Table(
    "media_hashes", metadata,
    Column("item_sha256", Text, ForeignKey("evidence_items.sha256"), nullable=False),
    _int("frame", nullable=False),
    Column("time_s", Float),
    _text("phash", nullable=False),
    _text("dhash", nullable=False),
    PrimaryKeyConstraint("item_sha256", "frame"),
)

verification_steps = Table(
    "verification_steps", metadata,
    _id(),
    Column("item_sha256", Text, ForeignKey("evidence_items.sha256"), nullable=False),
    _text("step", nullable=False),
    _text("analyst", nullable=False),
    _text("at", nullable=False),
    _text("method", ""),
    _text("finding", nullable=False),
    _text("conclusion", nullable=False),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("precision_m", Float),
    _text("not_before"),
    _text("not_after"),
    CheckConstraint("step IN ('source', 'technical', 'content', 'geolocation', 'chronolocation')",
                    name="verification_steps_step"),
    CheckConstraint("conclusion IN ('consistent', 'inconsistent', 'inconclusive')",
                    name="verification_steps_conclusion"),
    Index("verification_by_item", "item_sha256"),
)

audit_log = Table(  # hash = sha256(prev_hash, seq, at, action, subject, detail); append-only
    "audit_log", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    _text("at", nullable=False),
    _text("action", nullable=False),
    _text("subject", nullable=False),
    _text("detail", nullable=False),
    _text("prev_hash", nullable=False),
    _text("hash", nullable=False),
    UniqueConstraint("hash"),
)

audit_seal_rows = Table(
    "audit_seal_rows", metadata,
    Column("seal_seq", Integer, ForeignKey("audit_log.seq"), nullable=False),
    _text("tbl", nullable=False),
    _text("row_key", nullable=False),
    _text("digest", nullable=False),
    PrimaryKeyConstraint("seal_seq", "tbl", "row_key"),
)

witnesses = Table(  # a pseudonym in clear, the identity only as AES-GCM ciphertext
    "witnesses", metadata,
    _id(),
    _text("pseudonym", nullable=False),
    Column("identity_ct", LargeBinary),               # NULL once erased (storage consent withdrawn)
    _text("key_id", nullable=False),
    _text("admin1", ""),
    _text("created_at", nullable=False),
    _text("created_by", nullable=False),
    UniqueConstraint("pseudonym"),
)

testimonies = Table(
    "testimonies", metadata,
    _id(),
    Column("witness_id", Integer, ForeignKey("witnesses.id"), nullable=False),
    _text("incident_key", ""),
    _text("language", ""),
    Column("text_ct", LargeBinary),                   # NULL once erased
    _text("key_id", nullable=False),
    _text("recorded_at", nullable=False),
    _text("recorded_by", nullable=False),
    Index("testimonies_by_witness", "witness_id"),
)

consents = Table(
    "consents", metadata,
    _id(),
    Column("witness_id", Integer, ForeignKey("witnesses.id"), nullable=False),
    _text("purpose", nullable=False),
    _int("granted", nullable=False),
    _text("recorded_at", nullable=False),
    _text("recorded_by", nullable=False),
    _text("note", ""),
    CheckConstraint("purpose IN ('storage', 'publication', 'court')", name="consents_purpose"),
    CheckConstraint("granted IN (0, 1)", name="consents_granted"),
    Index("consents_by_witness", "witness_id", "purpose"),
)

# --- the web application and its API -------------------------------------------------------------------------------

users = Table(
    "users", metadata,
    _id(),
    _text("name", nullable=False),                    # unique regardless of case (users_name_nocase)
    _text("password_hash", nullable=False),           # argon2id, PHC string
    _text("role", nullable=False),
    _int("active", 1),
    _now("created_at"),
    CheckConstraint("role IN ('admin', 'analyst', 'reviewer', 'viewer')", name="users_role"),
    Index("users_name_nocase", text("lower(name)"), unique=True),
)

web_sessions = Table(  # only a hash of the session token is stored
    "web_sessions", metadata,
    Column("token_hash", Text, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    _text("csrf_token", nullable=False),
    _text("created_at", nullable=False),
    _text("expires_at", nullable=False),
    Index("web_sessions_by_user", "user_id"),
)

review_decisions = Table(  # never updated: the latest row is in force, earlier ones are the history
    "review_decisions", metadata,
    _id(),
    _int("claim_id", nullable=False),
    _text("document_sha256", nullable=False),
    _int("claim_seq", nullable=False),
    _int("claim_version", nullable=False),            # the version the reviewer saw (optimistic locking)
    _text("action", nullable=False),
    _text("reason", ""),
    _text("changes", "{}"),                           # {field: [before, after]} for a correction
    _text("incident_key"),                            # for 'attach'
    Column("user_id", Integer, ForeignKey("users.id")),
    _text("user_name", nullable=False),
    _text("decided_at", nullable=False),
    CheckConstraint("action IN ('confirm', 'correct', 'reject', 'attach')", name="review_decisions_action"),
    Index("review_decisions_by_claim", "claim_id", "id"),
)

incident_grades = Table(  # Airwars' scale, by the incident's stable key
    "incident_grades", metadata,
    _id(),
    _text("incident_key", nullable=False),
    _text("grade", nullable=False),
    _text("reason", ""),
    Column("user_id", Integer, ForeignKey("users.id")),
    _text("user_name", nullable=False),
    _text("decided_at", nullable=False),
    CheckConstraint("grade IN ('confirmed', 'fair', 'weak', 'contested', 'discounted')", name="incident_grades_grade"),
    Index("incident_grades_by_key", "incident_key", "id"),
)

incident_notes = Table(
    "incident_notes", metadata,
    _id(),
    _text("incident_key", nullable=False),
    _text("body", nullable=False),
    Column("user_id", Integer, ForeignKey("users.id")),
    _text("user_name", nullable=False),
    _text("created_at", nullable=False),
    Index("incident_notes_by_key", "incident_key", "id"),
)

api_tokens = Table(  # only the SHA-256 of a token is stored; revoking stamps revoked_at
    "api_tokens", metadata,
    _id(),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    _text("name", ""),
    _text("token_hash", nullable=False),
    _text("prefix", nullable=False),
    _int("rate_per_minute"),
    _text("created_at", nullable=False),
    _text("created_by", nullable=False),
    _text("last_used_at"),
    _text("revoked_at"),
    _text("revoked_by"),
    UniqueConstraint("token_hash"),
    Index("api_tokens_by_user", "user_id", "id"),
)

# Tables in an order that respects foreign keys (for copying a store).
ORDERED = tuple(metadata.sorted_tables)
