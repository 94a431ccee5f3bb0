"""Documents: the list, one document's cleaned text with its claims and copies, and its original bytes.

The original is served as a download only (``Content-Disposition: attachment``, ``text/plain`` or
``application/octet-stream``, a sandboxing CSP): a scraped page is never rendered by the browser as a page of ours.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from tawthiq.web import read
from tawthiq.web.auth import Role
from tawthiq.web.context import render, require, state, store
from tawthiq.web.routes.paging import page_count, page_number

router = APIRouter()


@router.get("/documents")
def document_list(request: Request) -> Response:
    require(request)
    conn = store(request).conn
    size = state(request).settings.page_size
    number = page_number(request.query_params.get("page"))
    total = int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    ids = [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY id LIMIT ? OFFSET ?",
                                      (size, (number - 1) * size))]
    docs = read.document_views(conn, ids)
    counts = dict(conn.execute(
        f"SELECT document_id, count(*) FROM claims WHERE document_id IN ({','.join('?' * len(ids))})"
        " GROUP BY document_id", ids).fetchall()) if ids else {}
    return render(request, "documents.html", docs=[docs[i] for i in ids], counts=counts, total=total, page=number,
                  pages=page_count(total, size), base="/documents", flt=None)


@router.get("/documents/{document_id}")
def document(request: Request, document_id: int) -> Response:
    require(request)
    conn = store(request).conn
    docs = read.document_views(conn, [document_id])
    doc = docs.get(document_id)
    if doc is None:
        raise HTTPException(404, f"no document {document_id}")
    text = conn.execute("SELECT text FROM documents WHERE id = ?", (document_id,)).fetchone()[0]
    copies = conn.execute("SELECT id, title, path, copy_similarity FROM documents WHERE copy_of = ? ORDER BY id",
                          (doc.sha256,)).fetchall()
    claims = read.claim_views(conn, "c.document_id = :doc", {"doc": document_id})
    removals = conn.execute("SELECT reason, count(*) AS n FROM removals WHERE document_id = ? GROUP BY reason"
                            " ORDER BY n DESC", (document_id,)).fetchall()
    return render(request, "document.html", doc=doc, original=docs.get(doc.copy_of_id or -1), text=text,
                  copies=copies, claims=claims, removals=removals,
                  status=read.latest_decisions(conn, [c.id for c in claims]))


@router.get("/documents/{document_id}/original")
def original(request: Request, document_id: int) -> Response:
    require(request, Role.ANALYST)
    row = store(request).conn.execute("SELECT original, media_type, sha256 FROM documents WHERE id = ?",
                                      (document_id,)).fetchone()
    if row is None:
        raise HTTPException(404, f"no document {document_id}")
    media = "text/plain; charset=utf-8" if str(row["media_type"]).startswith("text/") else "application/octet-stream"
    return Response(
        bytes(row["original"]), media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{row["sha256"]}.original"',
                 "Content-Security-Policy": "sandbox; default-src 'none'"},
    )
