"""Read what the report shows from the store: documents, claims with their evidence, incidents.

The report only reads. Spans are checked here: for each claim the store's text at ``[span_start, span_end)`` is read
(with SQLite ``substr``, which counts characters as Python does) and compared with the stored sentence, so a report
never shows evidence that does not match its document.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from tawthiq.errors import StoreError
from tawthiq.store import Store

CONTEXT_CHARS = 80  # characters of text shown either side of an evidence sentence


@dataclass(frozen=True, slots=True)
class CaptionView:
    text: str
    date: str | None
    credit: str


@dataclass(slots=True)
class DocumentView:
    """One document as the report describes it."""

    id: int
    sha256: str
    title: str
    source: str
    source_type: str
    url: str
    language: str
    media_type: str
    path: str
    text_length: int
    published_at: str | None
    published_prec: int | None
    published_inferred: bool
    published_note: str
    not_before: str | None
    not_after: str | None
    copy_of: str | None
    copy_similarity: float | None
    copy_of_id: int | None = None  # the original's id when it is in the store
    root_id: int = 0  # the original at the end of the copy chain (itself when not a copy)
    removals: list[tuple[str, int]] = field(default_factory=list)  # (reason, count)
    captions: list[CaptionView] = field(default_factory=list)

    @property
    def is_copy(self) -> bool:
        return self.copy_of is not None


@dataclass(slots=True)
class ClaimView:
    """One claim with the text around its evidence span."""

    row: dict[str, Any]
    actors: list[dict[str, Any]]
    span_text: str  # the document's text at [span_start, span_end)
    before: str  # up to CONTEXT_CHARS characters before the span
    after: str  # and after it
    incident_ids: list[int] = field(default_factory=list)

    def __getitem__(self, name: str) -> Any:
        """A column of the claim's row (templates read ``claim.best`` through this)."""
        return self.row[name]

    @property
    def id(self) -> int:
        return int(self.row["id"])

    @property
    def span_matches(self) -> bool:
        """Whether the stored sentence is exactly the document's text at the span."""
        return self.span_text == self.row["sentence"]

    @property
    def actor_pairs(self) -> list[tuple[str, str]]:
        """``(name, role)`` for each actor, whatever shape the stored JSON has."""
        pairs = []
        for actor in self.actors:
            if isinstance(actor, dict):
                pairs.append((str(actor.get("name", "")), str(actor.get("role", ""))))
            else:
                pairs.append((str(actor), ""))
        return pairs

    @property
    def has_figures(self) -> bool:
        return any(self.row[k] is not None for k in ("low", "best", "high"))


@dataclass(slots=True)
class IncidentView:
    id: int
    key: str
    title: str
    event_type: str | None
    date_start: str | None
    date_end: str | None
    date_prec: int | None
    admin1: list[str]
    stored_independent: int
    contradictions: list[str]
    claim_ids: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Record:
    """Everything the report shows, read once."""

    store_path: str
    documents: dict[int, DocumentView]
    claims: dict[int, ClaimView]
    incidents: list[IncidentView]

    def unassigned_claims(self) -> list[ClaimView]:
        return [c for c in self.claims.values() if not c.incident_ids]


def load_record(store: Store) -> Record:
    """Read documents, claims and incidents from ``store``; raises :class:`StoreError` on a damaged store."""
    try:
        documents = _documents(store)
        claims = _claims(store)
        incidents = _incidents(store, claims)
    except (StoreError, json.JSONDecodeError) as e:
        raise StoreError(f"{store.path}: cannot read the record for the report ({e})") from e
    return Record(store_path=store.path, documents=documents, claims=claims, incidents=incidents)


def _documents(store: Store) -> dict[int, DocumentView]:
    rows = store.conn.execute(
        "SELECT d.id, d.sha256, d.title, coalesce(s.name, '') AS source, coalesce(s.type, 'unknown') AS source_type,"
        " d.url, d.language, d.media_type, d.path, length(d.text) AS text_length, d.published_at, d.published_prec,"
        " d.published_inferred, d.published_note, d.not_before, d.not_after, d.copy_of, d.copy_similarity"
        " FROM documents d LEFT JOIN sources s ON s.id = d.source_id ORDER BY d.id"
    ).fetchall()
    docs = {int(r["id"]): DocumentView(**{k: r[k] for k in r.keys()}) for r in rows}  # noqa: SIM118
    by_sha = {d.sha256: d.id for d in docs.values()}
    for d in docs.values():
        d.published_inferred = bool(d.published_inferred)
        d.copy_of_id = by_sha.get(d.copy_of) if d.copy_of else None
    for d in docs.values():
        d.root_id = _root(d, docs)
    for r in store.conn.execute("SELECT document_id, reason, count(*) FROM removals GROUP BY 1, 2 ORDER BY 1, 3 DESC"):
        docs[int(r[0])].removals.append((r[1], int(r[2])))
    for r in store.conn.execute("SELECT document_id, text, date, credit FROM captions ORDER BY document_id, seq"):
        docs[int(r[0])].captions.append(CaptionView(text=r[1], date=r[2], credit=r[3]))
    return docs


def _root(doc: DocumentView, docs: dict[int, DocumentView]) -> int:
    """Follow ``copy_of`` to the original in the store (guarding against cycles)."""
    seen = {doc.id}
    current = doc
    while current.copy_of_id is not None and current.copy_of_id not in seen:
        seen.add(current.copy_of_id)
        current = docs[current.copy_of_id]
    return current.id


def _claims(store: Store) -> dict[int, ClaimView]:
    cursor = store.conn.execute(
        "SELECT c.*, substr(d.text, c.span_start + 1, c.span_end - c.span_start) AS span_text,"
        " substr(d.text, CASE WHEN c.span_start - :ctx > 0 THEN c.span_start + 1 - :ctx ELSE 1 END,"
        " CASE WHEN c.span_start < :ctx THEN c.span_start ELSE :ctx END) AS before,"
        " substr(d.text, c.span_end + 1, :ctx) AS after"
        " FROM claims c JOIN documents d ON d.id = c.document_id ORDER BY c.document_id, c.seq, c.id",
        {"ctx": CONTEXT_CHARS},
    )
    claims: dict[int, ClaimView] = {}
    for r in cursor:
        row = dict(r)
        span_text, before, after = row.pop("span_text"), row.pop("before"), row.pop("after")
        actors = json.loads(row["actors"] or "[]")
        claim = ClaimView(row=row, actors=actors if isinstance(actors, list) else [actors],
                          span_text=span_text or "", before=before or "", after=after or "")
        claims[claim.id] = claim
    return claims


def _incidents(store: Store, claims: dict[int, ClaimView]) -> list[IncidentView]:
    members: dict[int, list[int]] = defaultdict(list)
    for r in store.conn.execute("SELECT incident_id, claim_id FROM incident_claims ORDER BY incident_id, claim_id"):
        members[int(r[0])].append(int(r[1]))
    incidents = []
    for r in store.conn.execute(
        "SELECT * FROM incidents ORDER BY date_start IS NULL, date_start, date_end, id"
    ):
        incident = IncidentView(
            id=int(r["id"]), key=r["key"], title=r["title"], event_type=r["event_type"],
            date_start=r["date_start"], date_end=r["date_end"], date_prec=r["date_prec"],
            admin1=_json_list(r["admin1"]), stored_independent=int(r["independent_sources"]),
            contradictions=[str(s) for s in _json_list(r["contradictions"])],
            claim_ids=[cid for cid in members.get(int(r["id"]), []) if cid in claims],
        )
        for cid in incident.claim_ids:
            claims[cid].incident_ids.append(incident.id)
        incidents.append(incident)
    return incidents


def _json_list(raw: str | None) -> list[Any]:
    value = json.loads(raw or "[]")
    return value if isinstance(value, list) else [value]

