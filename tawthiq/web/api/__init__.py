"""The JSON API beside the web pages, mounted at ``/api`` (docs/api.md).

Read for every role within its rights, write for review decisions, grades and notes; bearer tokens made with
``tawthiq token create`` (hashed at rest, revocable); cursor pagination; a rate limit per token; the pages' access
rules (:mod:`tawthiq.web.api.victims` says what is never released). The OpenAPI document is ``/api/openapi.json``.
Errors are JSON: ``{"detail": "..."}``, with ``problems`` for an invalid decision and the other's change for a
conflict (409).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from tawthiq.web.api import account, claims, documents, incidents, search, victims
from tawthiq.web.api.cursor import BadCursor
from tawthiq.web.api.guard import ApiSettings, RateLimiter
from tawthiq.web.context import WebState

API_VERSION = "1"
ROUTERS = (account.router, documents.router, claims.router, incidents.router, victims.router, search.router)


def api_app(web: WebState, settings: ApiSettings | None = None) -> FastAPI:
    """The API over the web application's store and settings; mount it at ``/api``."""
    settings = settings or ApiSettings()
    api = FastAPI(title="Tawthiq API", version=API_VERSION, openapi_url="/openapi.json", docs_url=None,
                  redoc_url=None, description=__doc__)
    api.state.web = web
    api.state.api_settings = settings
    api.state.rate_limiter = RateLimiter(settings.max_tracked_tokens)
    for router in ROUTERS:
        api.include_router(router)
    api.exception_handler(BadCursor)(_bad_cursor)
    return api


async def _bad_cursor(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=400)
