"""Change marks: every write to the record leaves a mark the web's page cache reads; signing in leaves none.

Before, the cache asked the engine whether anything at all had been committed (SQLite's data version, PostgreSQL's
snapshot), so a sign-in or an API call made it check every page again. See tawthiq.store.dialects (mark_statements).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-08
"""

from __future__ import annotations

from alembic import op

from tawthiq.store import dialects

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# The record's tables at this revision (every table of the schema but dialects.UNWATCHED). A later migration that
# adds a table adds its triggers too (tests/store/test_marks.py checks that every table of the record has them).
TABLES = (
    "api_tokens", "audit_log", "audit_seal_rows", "captions", "claims", "consents", "custody_events", "derived_copies",
    "documents", "evidence_items", "import_rows", "incident_claims", "incident_grades", "incident_notes", "incidents",
    "link_decisions", "link_runs", "media_hashes", "media_metadata", "person_records", "persons", "removals",
    "review_decisions", "sources", "testimonies", "users", "verification_steps", "victim_import_errors",
    "victim_records", "web_sessions", "witnesses",
)
WATCHED = tuple(t for t in TABLES if t not in dialects.UNWATCHED)


def upgrade() -> None:
    bind = op.get_bind()
    dialects.run(bind, dialects.mark_statements(bind.dialect.name, WATCHED))


def downgrade() -> None:
    bind = op.get_bind()
    dialects.run(bind, dialects.drop_mark_statements(bind.dialect.name, WATCHED))
