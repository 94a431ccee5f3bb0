"""Read models of the web pages: targeted queries that build the report's views (``ClaimView``, ``DocumentView``).

The static report reads the whole record at once; a web page reads only what it shows, so that an incident page costs
the same with a hundred claims in the store as with a hundred thousand. The comparisons (disagreeing figures,
independent sources) are the report's own (:mod:`tawthiq.report.compare`), run on the incident's claims.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tawthiq.report import compare
from tawthiq.report.records import CONTEXT_CHARS, ClaimView, DocumentView, IncidentView
from tawthiq.store.connection import Connection, Row

GRADES = ("confirmed", "fair", "weak", "contested", "discounted")
FIGURES_PER_PAGE = 50  # rows of an incident page's side-by-side table; more figures go on further pages
DIFFS_PER_PAGE = 500  # figures of the full list of one figure's disagreements (~70 KB); more go on further pages

_EVIDENCE = (
    "substr(d.text, c.span_start + 1, c.span_end - c.span_start) AS span_text,"
    " substr(d.text, CASE WHEN c.span_start - :ctx > 0 THEN c.span_start + 1 - :ctx ELSE 1 END,"
    " CASE WHEN c.span_start < :ctx THEN c.span_start ELSE :ctx END) AS before,"
    " substr(d.text, c.span_end + 1, :ctx) AS after"
)
_CLAIM_SELECT = f"SELECT c.*, {_EVIDENCE} FROM claims c JOIN documents d ON d.id = c.document_id"
_DOC_SELECT = (
    "SELECT d.id, d.sha256, d.title, coalesce(s.name, '') AS source, coalesce(s.type, 'unknown') AS source_type,"
    " d.url, d.language, d.media_type, d.path, length(d.text) AS text_length, d.published_at, d.published_prec,"
    " d.published_inferred, d.published_note, d.not_before, d.not_after, d.copy_of, d.copy_similarity"
    " FROM documents d LEFT JOIN sources s ON s.id = d.source_id"
)


@dataclass(slots=True)
class Decision:
    id: int
    claim_id: int
    claim_version: int
    action: str
    reason: str
    changes: dict[str, list[Any]]
    incident_key: str | None
    user_name: str
    decided_at: str


def claim_views(conn: Connection, where: str, params: dict[str, Any], order: str = "") -> list[ClaimView]:
    """Claims matching ``where`` (SQL over ``c`` claims and ``d`` documents), with their evidence text around them."""
    sql = f"{_CLAIM_SELECT} WHERE {where} {order or 'ORDER BY c.document_id, c.seq, c.id'}"
    views = []
    for r in conn.execute(sql, {"ctx": CONTEXT_CHARS, **params}):
        row = dict(r)
        span_text, before, after = row.pop("span_text"), row.pop("before"), row.pop("after")
        actors = json.loads(row["actors"] or "[]")
        views.append(ClaimView(row=row, actors=actors if isinstance(actors, list) else [actors],
                               span_text=span_text or "", before=before or "", after=after or ""))
    return views


def claim_view(conn: Connection, claim_id: int) -> ClaimView | None:
    found = claim_views(conn, "c.id = :id", {"id": claim_id})
    return found[0] if found else None


def document_views(conn: Connection, ids: Iterable[int]) -> dict[int, DocumentView]:
    """The documents with ``ids`` and every original their copy chains lead to (for speakers and independence)."""
    return _document_views(_document_chain(conn, ids))


def _document_chain(conn: Connection, ids: Iterable[int]) -> list[Row]:
    """The rows of the documents with ``ids`` and of every original their copy chains lead to, by id."""
    found: dict[int, Row] = {}
    wanted = sorted(set(ids))
    shas: list[str] = []
    for _ in range(8):  # copy chains are short; bounded against cycles
        new = [r for r in _doc_rows(conn, wanted, shas) if int(r["id"]) not in found]
        if not new:
            break
        for r in new:
            found[int(r["id"])] = r
        wanted, shas = [], sorted({r["copy_of"] for r in new if r["copy_of"]})
    return [found[i] for i in sorted(found)]


def _document_views(rows: Iterable[Row]) -> dict[int, DocumentView]:
    docs: dict[int, DocumentView] = {}
    for r in rows:
        d = DocumentView(**dict(r))
        d.published_inferred = bool(d.published_inferred)
        docs[d.id] = d
    by_sha = {d.sha256: d.id for d in docs.values()}
    for d in docs.values():
        d.copy_of_id = by_sha.get(d.copy_of) if d.copy_of else None
    for d in docs.values():
        d.root_id = _root(d, docs)
    return docs


def _doc_rows(conn: Connection, ids: Sequence[int], shas: Sequence[str]) -> list[Row]:
    rows: list[Row] = []
    if ids:
        rows += conn.execute(f"{_DOC_SELECT} WHERE d.id IN ({','.join('?' * len(ids))})", list(ids)).fetchall()
    if shas:
        rows += conn.execute(f"{_DOC_SELECT} WHERE d.sha256 IN ({','.join('?' * len(shas))})", list(shas)).fetchall()
    return rows


def _root(doc: DocumentView, docs: dict[int, DocumentView]) -> int:
    seen = {doc.id}
    current = doc
    while current.copy_of_id is not None and current.copy_of_id not in seen and current.copy_of_id in docs:
        seen.add(current.copy_of_id)
        current = docs[current.copy_of_id]
    return current.id


def incident_view(row: Row) -> IncidentView:
    return IncidentView(
        id=int(row["id"]), key=row["key"], title=row["title"], event_type=row["event_type"],
        date_start=row["date_start"], date_end=row["date_end"], date_prec=row["date_prec"],
        admin1=_json_list(row["admin1"]), stored_independent=int(row["independent_sources"]),
        contradictions=[str(s) for s in _json_list(row["contradictions"])],
    )


def _json_list(raw: str | None) -> list[Any]:
    try:
        value = json.loads(raw or "[]")
    except json.JSONDecodeError:
        return [raw]
    return value if isinstance(value, list) else [value]


@dataclass(slots=True)
class IncidentPage:
    incident: IncidentView
    claims: list[ClaimView]
    documents: dict[int, DocumentView]
    disagreements: dict[int, list[compare.Disagreement]]
    independence: compare.Independence
    grades: list[Row]  # newest first
    notes: list[Row]
    status: dict[int, Decision] = field(default_factory=dict)
    figure_page: int = 1  # the page of the side-by-side table shown (FIGURES_PER_PAGE rows each)
    _page_of: dict[int, int] = field(default_factory=dict)  # casualty figure's claim id -> its page, filled once

    @property
    def grade(self) -> str | None:
        return self.grades[0]["grade"] if self.grades else None

    def speaker(self, claim: ClaimView) -> str:
        return compare.speaker(claim, self.documents)

    def clashes(self, claim: ClaimView) -> bool:
        """Whether another speaker's figure for the same count cannot be true together with this claim's."""
        return any(not d.compatible for d in self.disagreements.get(claim.id, ()))

    def document(self, claim: ClaimView) -> DocumentView:
        return self.documents[int(claim["document_id"])]

    @property
    def casualty_claims(self) -> list[ClaimView]:
        return [c for c in self.claims if c["kind"] == "casualty_count" and c.has_figures]

    @property
    def figure_pages(self) -> int:
        return max(1, -(-len(self.casualty_claims) // FIGURES_PER_PAGE))

    @property
    def shown_figures(self) -> list[ClaimView]:
        """The casualty figures of the side-by-side table's page shown."""
        start = (min(max(self.figure_page, 1), self.figure_pages) - 1) * FIGURES_PER_PAGE
        return self.casualty_claims[start:start + FIGURES_PER_PAGE]

    def figure_href(self, claim_id: int, here: bool = True) -> str:
        """The link to a figure's row: ``#claim-N`` when the row is on the page shown and the link is on it too
        (``here``), else the incident page (and table page) that has it."""
        if not self._page_of:
            self._page_of.update((c.id, n // FIGURES_PER_PAGE + 1) for n, c in enumerate(self.casualty_claims))
        number = self._page_of.get(claim_id, 1)
        if here and number == self.figure_page:
            return f"#claim-{claim_id:d}"
        return f"/incidents/{self.incident.id:d}{f'?figures={number:d}' if number > 1 else ''}#claim-{claim_id:d}"

    @property
    def other_claims(self) -> list[ClaimView]:
        return [c for c in self.claims if not (c["kind"] == "casualty_count" and c.has_figures)]

    def tolls(self) -> list[tuple[str, list[ClaimView]]]:
        """Each speaker's casualty figures, speakers side by side: the highest toll of killed first (the headline
        figures of an incident lead), each speaker's figures largest first."""
        by_speaker: dict[str, list[ClaimView]] = {}
        for claim in self.casualty_claims:
            by_speaker.setdefault(self.speaker(claim), []).append(claim)

        def headline(claims: list[ClaimView]) -> int:
            return max((int(c["best"] or c["low"] or 0) for c in claims if c["outcome"] == "killed"), default=0)

        return sorted(by_speaker.items(), key=lambda item: (-headline(item[1]), item[0]))


@dataclass(frozen=True, slots=True)
class IncidentRows:
    """Every row an incident page shows, as read from the store (fingerprinted by the page cache)."""

    incident: Row
    claims: list[Row]
    evidence: list[Row]  # (id, span_text, before, after) of the claims shown with their text
    documents: list[Row]
    grades: list[Row]  # newest first
    notes: list[Row]
    decisions: list[Row]


def _shown_with_text(row: Row) -> bool:
    """Claims that are not casualty figures are listed with their evidence text; figures only with their fields."""
    return not (row["kind"] == "casualty_count" and any(row[k] is not None for k in ("low", "best", "high")))


def is_figure(row: Row) -> bool:
    """A casualty claim with a figure: a row of the incident page's side-by-side table."""
    return not _shown_with_text(row)


def incident_rows(conn: Connection, incident_id: int) -> IncidentRows | None:
    """What :func:`incident_page` shows of incident ``incident_id``, without the documents' text except around the
    claims listed with it (a document's text, and the original stored before it, are the heaviest rows to read)."""
    row = conn.execute("SELECT * FROM incidents WHERE id = ?", (incident_id,)).fetchone()
    if row is None:
        return None
    claims = conn.execute(
        "SELECT c.* FROM incident_claims ic JOIN claims c ON c.id = ic.claim_id WHERE ic.incident_id = ?"
        " ORDER BY c.kind, c.outcome, c.population, c.best DESC, c.id", (incident_id,)).fetchall()
    with_text = [int(c["id"]) for c in claims if _shown_with_text(c)]
    evidence: list[Row] = []
    for start in range(0, len(with_text), 500):
        chunk = with_text[start:start + 500]
        evidence += conn.execute(
            f"SELECT c.id, {_EVIDENCE} FROM claims c JOIN documents d ON d.id = c.document_id"
            f" WHERE c.id IN ({','.join(str(i) for i in chunk)}) ORDER BY c.id", {"ctx": CONTEXT_CHARS}).fetchall()
    return IncidentRows(
        incident=row, claims=claims, evidence=evidence,
        documents=_document_chain(conn, {int(c["document_id"]) for c in claims}),
        grades=conn.execute(
            "SELECT grade, reason, user_name, decided_at FROM incident_grades WHERE incident_key = ? ORDER BY id DESC",
            (row["key"],),
        ).fetchall(),
        notes=conn.execute(
            "SELECT body, user_name, created_at FROM incident_notes WHERE incident_key = ? ORDER BY id",
            (row["key"],),
        ).fetchall(),
        decisions=_decision_rows(conn, [int(c["id"]) for c in claims]),
    )


def build_incident_page(rows: IncidentRows) -> IncidentPage:
    """The incident page's views and comparisons, from its rows."""
    incident = incident_view(rows.incident)
    evidence = {int(e["id"]): e for e in rows.evidence}
    claims = []
    for r in rows.claims:
        # the columns of claims are distinct: as dict(r), without a lookup per column
        row = dict(zip(r.keys(), r, strict=True))
        actors = json.loads(row["actors"] or "[]")
        ev = evidence.get(int(row["id"]))
        claims.append(ClaimView(row=row, actors=actors if isinstance(actors, list) else [actors],
                                span_text=(ev["span_text"] if ev else "") or "",
                                before=(ev["before"] if ev else "") or "", after=(ev["after"] if ev else "") or ""))
    incident.claim_ids = [c.id for c in claims]
    documents = _document_views(rows.documents)
    single_day = bool(incident.date_start and incident.date_start == incident.date_end)
    status: dict[int, Decision] = {}
    for r in rows.decisions:
        status[int(r["claim_id"])] = decision(r)
    return IncidentPage(
        incident=incident, claims=claims, documents=documents,
        disagreements=compare.disagreements(claims, documents, single_day=single_day),
        independence=compare.independence(claims, documents),
        grades=rows.grades, notes=rows.notes, status=status,
    )


def incident_page(conn: Connection, incident_id: int) -> IncidentPage | None:
    rows = incident_rows(conn, incident_id)
    return None if rows is None else build_incident_page(rows)


def latest_decisions(conn: Connection, claim_ids: Sequence[int]) -> dict[int, Decision]:
    """The latest review decision on each claim that has one (confirm, correct or reject; attach is not a verdict)."""
    out: dict[int, Decision] = {}
    for r in _decision_rows(conn, claim_ids):
        out[int(r["claim_id"])] = decision(r)
    return out


def _decision_rows(conn: Connection, claim_ids: Sequence[int]) -> list[Row]:
    """The verdicts (not attachments) on ``claim_ids``, oldest first."""
    rows: list[Row] = []
    for chunk_start in range(0, len(claim_ids), 500):
        chunk = list(claim_ids[chunk_start:chunk_start + 500])
        rows += conn.execute(
            "SELECT * FROM review_decisions WHERE action != 'attach' AND claim_id IN"
            f" ({','.join('?' * len(chunk))}) ORDER BY id",
            chunk,
        ).fetchall()
    return sorted(rows, key=lambda r: int(r["id"]))


def decision(row: Row) -> Decision:
    return Decision(
        id=int(row["id"]), claim_id=int(row["claim_id"]), claim_version=int(row["claim_version"]),
        action=row["action"], reason=row["reason"], changes=json.loads(row["changes"] or "{}"),
        incident_key=row["incident_key"], user_name=row["user_name"], decided_at=row["decided_at"],
    )


def claim_history(conn: Connection, claim_id: int) -> list[Decision]:
    rows = conn.execute("SELECT * FROM review_decisions WHERE claim_id = ? ORDER BY id", (claim_id,)).fetchall()
    return [decision(r) for r in rows]


def review_queue(conn: Connection, kind: str | None, offset: int, limit: int,
                 document_id: int | None = None) -> tuple[list[ClaimView], int]:
    """Claims no one has confirmed, corrected or rejected yet (of one kind, of one document), in document order,
    and how many there are."""
    where = ("NOT EXISTS (SELECT 1 FROM review_decisions r WHERE r.claim_id = c.id AND r.action != 'attach')"
             + (" AND c.kind = :kind" if kind else "") + (" AND c.document_id = :doc" if document_id else ""))
    params: dict[str, Any] = {"kind": kind, "doc": document_id}
    total = conn.execute(f"SELECT count(*) FROM claims c WHERE {where}", params).fetchone()[0]
    claims = claim_views(conn, where, {**params, "limit": limit, "offset": offset},
                         "ORDER BY c.document_id, c.seq, c.id LIMIT :limit OFFSET :offset")
    return claims, int(total)


def incidents_of_claim(conn: Connection, claim_id: int) -> list[Row]:
    return conn.execute(
        "SELECT i.id, i.key, i.title FROM incidents i JOIN incident_claims ic ON ic.incident_id = i.id"
        " WHERE ic.claim_id = ? ORDER BY i.id",
        (claim_id,),
    ).fetchall()
