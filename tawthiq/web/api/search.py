"""Search across documents, claims, incidents and victim records (the pages' FTS5 index and query rules)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from tawthiq.web.api import guard, models
from tawthiq.web.context import store
from tawthiq.web.search import search

router = APIRouter(tags=["search"])


@router.get("/search", response_model=models.SearchResult, dependencies=[guard.VIEWER])
def search_all(request: Request, q: str = Query(..., min_length=1, max_length=200),
               limit: int = Query(20, ge=1, le=100)) -> models.SearchResult:
    """Hits of each kind, best first. Words are searched as text (no operators); the last one as a prefix."""
    found = search(store(request).conn, q.strip(), limit)
    hits = {kind: [models.Hit(kind=h.kind, id=h.id, title=h.title, snippet=h.snippet.striptags())  # type: ignore[arg-type]
                   for h in kind_hits] for kind, kind_hits in found.items()}
    return models.SearchResult(q=q.strip(), hits=hits)
