"""Reading and writing the core record (sources, documents, claims, incidents) in the SQLite store.

Every function takes a connection inside a :meth:`Store.transaction`, so that a document and all it brings (captions,
removals, claims) are written together or not at all.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from tawthiq.model import (
    Actor,
    Claim,
    ClaimKind,
    DatePrecision,
    DateRange,
    Document,
    Incident,
    Outcome,
    Place,
    Population,
    Quantity,
    Source,
    Span,
    WherePrecision,
)
from tawthiq.store.connection import Connection


def document_id(conn: Connection, sha256: str) -> int | None:
    row = conn.execute("SELECT id FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
    return int(row[0]) if row else None


def upsert_source(conn: Connection, source: Source) -> int:
    conn.execute(
        "INSERT INTO sources (name, type, source_scale) VALUES (?, ?, ?) ON CONFLICT(name) DO NOTHING",
        (source.name, str(source.type), source.source_scale),
    )
    return int(conn.execute("SELECT id FROM sources WHERE name = ?", (source.name,)).fetchone()[0])


def insert_document(conn: Connection, doc: Document, original: bytes, copy_similarity: float | None) -> int:
    """Insert a document with its captions and cleaning removals; return its id."""
    source_id = upsert_source(conn, doc.source) if doc.source else None
    cur = conn.execute(
        """INSERT INTO documents (sha256, path, media_type, original, text, title, url, language, source_id,
               published_at, published_prec, published_inferred, published_note, not_before, not_after,
               copy_of, copy_similarity)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
        (
            doc.sha256, doc.path, doc.media_type, original, doc.text, doc.title, doc.url, doc.language, source_id,
            _iso(doc.published_at), int(doc.published_prec) if doc.published_prec else None,
            int(doc.published_inferred), doc.published_note, _iso(doc.not_before), _iso(doc.not_after),
            doc.copy_of, copy_similarity,
        ),
    )
    doc_id = int(cur.fetchone()[0])
    conn.executemany(
        "INSERT INTO captions (document_id, seq, text, date, credit, language) VALUES (?, ?, ?, ?, ?, ?)",
        [(doc_id, i, c.text, _iso(c.date), c.credit, c.language) for i, c in enumerate(doc.captions)],
    )
    conn.executemany(
        "INSERT INTO removals (document_id, reason, text) VALUES (?, ?, ?)",
        [(doc_id, reason, text) for reason, text in doc.removed],
    )
    return doc_id


def replace_claims(conn: Connection, doc_id: int, claims: Iterable[Claim]) -> int:
    """Replace the machine-extracted claims of a document; return how many were written."""
    conn.execute("DELETE FROM claims WHERE document_id = ?", (doc_id,))
    return conn.copy_rows("claims", CLAIM_COLUMNS, (_claim_row(doc_id, seq, c) for seq, c in enumerate(claims)))


CLAIM_COLUMNS = (
    "document_id", "seq", "kind", "outcome", "population", "community", "low", "best", "high", "qualifier",
    "qualifier_text", "quantity_text", "date_start", "date_end", "date_prec", "date_inferred", "date_text", "date_note",
    "place", "place_parent", "admin1", "latitude", "longitude", "where_prec", "attributed_to", "caveat", "event_type",
    "actors", "language", "span_start", "span_end", "quantity_start", "quantity_end", "sentence",
    "parent_seq",
)


def _claim_row(doc_id: int, seq: int, c: Claim) -> tuple[object, ...]:
    q, d, p = c.quantity, c.date, c.place
    return (
        doc_id, seq, str(c.kind), _str(c.outcome), _str(c.population), c.community,
        q.low if q else None, q.best if q else None, q.high if q else None,
        q.qualifier if q else None, q.qualifier_text if q else None, q.text if q else None,
        _iso(d.start) if d else None, _iso(d.end) if d else None, int(d.prec) if d else None,
        int(d.inferred) if d else 0, d.text if d else None, d.note if d else None,
        p.name if p else None, p.parent if p else None, p.admin1 if p else None,
        p.latitude if p else None, p.longitude if p else None, int(p.where_prec) if p else None,
        c.attributed_to, c.caveat, c.event_type,
        json.dumps([{"name": a.name, "role": a.role} for a in c.actors], ensure_ascii=False),
        c.language, c.span.start, c.span.end, q.span.start if q else None, q.span.end if q else None, c.sentence,
        c.parent,
    )


def replace_incidents(conn: Connection, incidents: Iterable[Incident]) -> int:
    """Replace the machine grouping of claims into incidents.

    An incident keeps its id (and with it the grades, notes and links people attached to it) for as long as its key
    — its date range and governorates — stays the same; incidents whose key no longer occurs are removed.
    """
    keep: list[int] = []
    for inc in incidents:
        d = inc.date
        values = (
            inc.title, _common_event_type(inc), _iso(d.start) if d else None, _iso(d.end) if d else None,
            int(d.prec) if d else None, json.dumps(inc.admin1, ensure_ascii=False), inc.independent_sources,
            json.dumps(inc.contradictions, ensure_ascii=False),
        )
        key = incident_key(inc)
        row = conn.execute("SELECT id FROM incidents WHERE key = ?", (key,)).fetchone()
        if row:
            incident_id = int(row[0])
            conn.execute(
                """UPDATE incidents SET title = ?, event_type = ?, date_start = ?, date_end = ?, date_prec = ?,
                       admin1 = ?, independent_sources = ?, contradictions = ? WHERE id = ?""",
                (*values, incident_id),
            )
        else:
            cur = conn.execute(
                """INSERT INTO incidents (title, event_type, date_start, date_end, date_prec, admin1,
                       independent_sources, contradictions, key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
                (*values, key),
            )
            incident_id = int(cur.fetchone()[0])
        inc.id = incident_id
        keep.append(incident_id)
        conn.execute("DELETE FROM incident_claims WHERE incident_id = ?", (incident_id,))
        conn.executemany("INSERT INTO incident_claims (incident_id, claim_id) VALUES (?, ?)",
                         [(incident_id, c.id) for c in inc.claims])
    marks = ", ".join("?" for _ in keep) or "NULL"
    conn.execute(f"DELETE FROM incidents WHERE id NOT IN ({marks})", keep)
    return len(keep)


def incident_key(inc: Incident) -> str:
    d = inc.date
    when = f"{d.start.isoformat()}..{d.end.isoformat()}" if d else "undated"
    return f"{when}|{'+'.join(sorted(inc.admin1)) or 'Syria'}"


def _common_event_type(inc: Incident) -> str | None:
    types = [c.event_type for c in inc.claims if c.event_type]
    return max(set(types), key=types.count) if types else None


def _iso(value: object) -> str | None:
    return value.isoformat() if value is not None else None  # type: ignore[attr-defined]


def _str(value: object) -> str | None:
    return str(value) if value is not None else None


def load_claims(conn: Connection) -> list[Claim]:
    """All claims, with their ids and documents' hashes, in document order."""
    rows = conn.execute(
        "SELECT c.*, d.sha256 FROM claims c JOIN documents d ON d.id = c.document_id ORDER BY c.document_id, c.seq"
    ).fetchall()
    claims = []
    for r in rows:
        quantity = None
        if r["best"] is not None or r["low"] is not None:
            quantity = Quantity(r["low"], r["best"], r["high"], r["qualifier"] or "exact", r["qualifier_text"] or "",
                                r["quantity_text"] or "", Span(r["quantity_start"] or 0, r["quantity_end"] or 0))
        date = None
        if r["date_start"]:
            date = DateRange(_date(r["date_start"]), _date(r["date_end"]), DatePrecision(r["date_prec"]),
                             r["date_text"] or "", None, bool(r["date_inferred"]), r["date_note"] or "")
        place = None
        if r["place"] or r["admin1"]:
            place = Place(r["place"] or r["admin1"], r["admin1"], r["latitude"], r["longitude"],
                          WherePrecision(r["where_prec"] or 6), parent=r["place_parent"])
        claims.append(Claim(
            kind=ClaimKind(r["kind"]), sentence=r["sentence"], span=Span(r["span_start"], r["span_end"]),
            outcome=Outcome(r["outcome"]) if r["outcome"] else None,
            population=Population(r["population"]) if r["population"] else None, community=r["community"],
            quantity=quantity, date=date, place=place,
            actors=[Actor(a["name"], a["role"]) for a in json.loads(r["actors"])],
            attributed_to=r["attributed_to"], caveat=r["caveat"], event_type=r["event_type"], language=r["language"],
            document_sha256=r["sha256"], id=r["id"], parent=r["parent_seq"],
        ))
    return claims


def document_sources(conn: Connection) -> dict[str, tuple[str, str | None]]:
    """For each document hash: (publisher name or the document's path, copy_of)."""
    rows = conn.execute(
        "SELECT d.sha256, d.path, d.copy_of, s.name FROM documents d LEFT JOIN sources s ON s.id = d.source_id"
    ).fetchall()
    return {r["sha256"]: (r["name"] or r["path"], r["copy_of"]) for r in rows}


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)
