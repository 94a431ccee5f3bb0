"""Search across documents, claims, incidents and victim records."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tawthiq.web.context import render, require, store
from tawthiq.web.search import search

router = APIRouter()


@router.get("/search")
def search_page(request: Request, q: str = "") -> Response:
    require(request)
    text = q.strip()[:200]
    results = search(store(request).conn, text) if text else None
    return render(request, "search.html", q=text, results=results)
