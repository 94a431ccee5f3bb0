"""Documents: the list, one document (metadata, copies, claims, optionally its cleaned text), its original bytes."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from tawthiq.web.api import guard, models
from tawthiq.web.api.cursor import DEFAULT_LIMIT, MAX_LIMIT, Keyset
from tawthiq.web.context import store

router = APIRouter(tags=["documents"])
KEYSET = Keyset("documents", "d.id", "d.id")
_SELECT = (
    "SELECT d.id, d.id AS sort_key, d.sha256, d.title, coalesce(s.name, '') AS source,"
    " coalesce(s.type, 'unknown') AS source_type, d.url, d.language, d.media_type, d.published_at, d.published_prec,"
    " d.copy_of, length(d.text) AS text_length, (SELECT count(*) FROM claims c WHERE c.document_id = d.id) AS claims"
    " FROM documents d LEFT JOIN sources s ON s.id = d.source_id"
)


@router.get("/documents", response_model=models.Page[models.Document], dependencies=[guard.VIEWER])
def documents(request: Request, cursor: str | None = None,
              limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)) -> models.Page[models.Document]:
    after, params = KEYSET.after(cursor)
    rows = [dict(r) for r in store(request).conn.execute(
        f"{_SELECT} WHERE {after} {KEYSET.order_by()} LIMIT :limit", {**params, "limit": limit + 1})]
    return models.Page(items=[models.Document(**r) for r in rows[:limit]],
                       next_cursor=KEYSET.next_cursor(rows, limit), limit=limit)


@router.get("/documents/{document_id}", response_model=models.DocumentDetail, dependencies=[guard.VIEWER])
def document(request: Request, document_id: int, include_text: bool = False) -> models.DocumentDetail:
    conn = store(request).conn
    row = conn.execute(f"{_SELECT} WHERE d.id = ?", (document_id,)).fetchone()
    if row is None:
        raise HTTPException(404, f"no document {document_id}")
    copies = [r[0] for r in conn.execute("SELECT id FROM documents WHERE copy_of = ? ORDER BY id", (row["sha256"],))]
    claim_ids = [r[0] for r in conn.execute("SELECT id FROM claims WHERE document_id = ? ORDER BY seq, id",
                                            (document_id,))]
    text = None
    if include_text:
        text = conn.execute("SELECT text FROM documents WHERE id = ?", (document_id,)).fetchone()[0]
    return models.DocumentDetail(**dict(row), copies=copies, claim_ids=claim_ids, text=text)


@router.get("/documents/{document_id}/original", dependencies=[guard.ANALYST],
            responses={200: {"content": {"application/octet-stream": {}}, "description": "the bytes as received"}})
def original(request: Request, document_id: int) -> Response:
    """The original bytes as received (analysts), as a download: never to be rendered as a page."""
    row = store(request).conn.execute("SELECT original, sha256 FROM documents WHERE id = ?",
                                      (document_id,)).fetchone()
    if row is None:
        raise HTTPException(404, f"no document {document_id}")
    return Response(bytes(row["original"]), media_type="application/octet-stream",
                    headers={"Content-Disposition": f'attachment; filename="{row["sha256"]}.original"',
                             "X-Content-SHA256": row["sha256"]})
