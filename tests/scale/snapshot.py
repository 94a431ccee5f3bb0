"""What two ingests must agree on: every stored row an ingest writes, without row ids and timestamps."""

from __future__ import annotations

import json
from typing import Any

from tawthiq.evidence.audit import verify
from tawthiq.store import Store

# Per table: the SQL giving its rows in a stable order, keyed by document hash instead of row ids.
QUERIES = {
    "documents": """SELECT d.sha256, d.path, d.media_type, d.original, d.text, d.title, d.url, d.language,
                           s.name AS source, s.type AS source_type, d.published_at, d.published_prec,
                           d.published_inferred, d.published_note, d.not_before, d.not_after, d.copy_of,
                           d.copy_similarity
                    FROM documents d LEFT JOIN sources s ON s.id = d.source_id ORDER BY d.id""",
    "captions": """SELECT d.sha256, c.seq, c.text, c.date, c.credit FROM captions c
                   JOIN documents d ON d.id = c.document_id ORDER BY d.id, c.seq""",
    "removals": """SELECT d.sha256, r.reason, r.text FROM removals r
                   JOIN documents d ON d.id = r.document_id ORDER BY d.id, r.id""",
    "claims": """SELECT d.sha256 AS document, c.* FROM claims c JOIN documents d ON d.id = c.document_id
                 ORDER BY d.id, c.seq""",
    "evidence": "SELECT sha256, size, media_type, kind, original_name FROM evidence_items ORDER BY id",
    "custody": """SELECT item_sha256, action, actor, source_url, device, tool, note FROM custody_events
                  ORDER BY id""",
    "audit": "SELECT seq, action, subject, detail FROM audit_log ORDER BY seq",
}
VOLATILE = {"id", "document_id"}
TIMESTAMPS = {"at", "stored_at", "created_at"}  # inside audit details: when, which two runs never share


def snapshot(store: Store) -> dict[str, list[dict[str, Any]]]:
    """The rows of ``store`` an ingest writes, comparable between two stores."""
    out: dict[str, list[dict[str, Any]]] = {}
    for table, sql in QUERIES.items():
        rows = store.query(sql)
        out[table] = [{k: row[k] for k in row.keys() if k not in VOLATILE} for row in rows]  # noqa: SIM118
    for entry in out["audit"]:
        detail = json.loads(entry["detail"])
        if isinstance(detail, dict):
            entry["detail"] = {k: v for k, v in detail.items() if k not in TIMESTAMPS}
    return out


def chain_ok(store: Store) -> bool:
    with store.transaction() as conn:
        return verify(conn).ok


def differences(a: dict[str, list[dict[str, Any]]], b: dict[str, list[dict[str, Any]]]) -> list[str]:
    """The first differing row of each table, in words (an empty list when the snapshots are equal)."""
    found = []
    for table in QUERIES:
        left, right = a[table], b[table]
        if len(left) != len(right):
            found.append(f"{table}: {len(left)} rows against {len(right)}")
            continue
        for i, (x, y) in enumerate(zip(left, right, strict=True)):
            if x != y:
                keys = [k for k in x if x[k] != y.get(k)]
                found.append(f"{table} row {i}: {keys[:5]} differ")
                break
    return found
