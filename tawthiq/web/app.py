"""The application factory: ``create_app(WebSettings(store_path=...))`` gives an ASGI app for uvicorn.

Every response carries a Content-Security-Policy that allows scripts and styles only from the application's own
``/static`` files (no inline script, no inline style, no other origin), forbids framing, plugins and ``<base>``, and
lets forms post only back to the application. Every request first has its language and its session resolved here.
"""

from __future__ import annotations

import dataclasses
import json
import os
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tawthiq.web import decisions
from tawthiq.web.api import api_app
from tawthiq.web.auth import LoginThrottle, load_session
from tawthiq.web.cache import PageCache, SharedPages, code_version
from tawthiq.web.context import (
    LANGUAGE_COOKIE,
    PRELOGIN_COOKIE,
    SESSION_COOKIE,
    StorePool,
    WebSettings,
    WebState,
    render,
    template_environment,
)
from tawthiq.web.i18n import Translator, pick_language
from tawthiq.web.routes import ROUTERS
from tawthiq.web.warm import report as warm_report
from tawthiq.web.warm import warm_incident_pages

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
ERROR_KEYS = {401: "error.401", 403: "error.403", 404: "error.404", 405: "error.405", 409: "error.409",
              422: "error.422", 429: "error.429"}


def create_app(settings: WebSettings) -> FastAPI:
    """The web application over the store at ``settings.store_path`` (created and migrated if needed)."""
    pool = StorePool(settings.store_path)
    identity = f"{settings.store_path}\0page_size={settings.page_size}"  # what else a page's HTML depends on
    shared = (SharedPages(settings.shared_page_cache, code=code_version(identity))
              if settings.shared_page_cache else None)
    web = WebState(settings=settings, pool=pool, templates=template_environment(),
                   throttle=LoginThrottle(settings.login_limit, settings.login_window_s, shared),
                   page_cache=PageCache(int(settings.page_cache_mb * 2**20), shared))
    with pool.get().transaction() as conn:
        decisions.reapply_attachments(conn)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.warm and web.page_cache.max_bytes > 0:
            await warm_incident_pages(app, warm_report(time.perf_counter()))
        yield
        pool.close()

    app = FastAPI(title="Tawthiq", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.web = web
    static = resources.files("tawthiq.web").joinpath("static")
    # Static files only are compressed: pages carry CSRF tokens beside reflected input (BREACH).
    app.mount("/static", GZipMiddleware(StaticFiles(directory=str(static)), minimum_size=1024), name="static")
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/api", api_app(web), name="api")  # the JSON API (docs/api.md)
    app.add_middleware(PerRequest, web=web)
    app.exception_handler(HTTPException)(_http_error)
    return app


SETTINGS_ENV = "TAWTHIQ_WEB_SETTINGS"
_PATH_SETTINGS = ("shared_page_cache",)  # store_path stays text: it may be a database URL


def app_from_environment() -> FastAPI:
    """The application with the settings in ``$TAWTHIQ_WEB_SETTINGS`` (JSON): the factory each uvicorn worker process
    calls when ``tawthiq serve --workers N`` runs several."""
    raw = json.loads(os.environ[SETTINGS_ENV])
    paths = {name: Path(raw[name]) for name in _PATH_SETTINGS if raw.get(name) is not None}
    return create_app(WebSettings(**{**raw, **paths}))


def settings_environment(settings: WebSettings) -> str:
    """``settings`` as :func:`app_from_environment` reads them."""
    values = dataclasses.asdict(settings)
    values["store_path"] = str(values["store_path"])
    return json.dumps({**values, **{name: str(values[name]) for name in _PATH_SETTINGS if values[name] is not None}})


class PerRequest:
    """Resolve the language and the session, hand the login form a CSRF token, and add the security headers to
    every response. A plain ASGI middleware: Starlette's ``BaseHTTPMiddleware`` costs a task and a body stream per
    request, a good part of the time of a page served from the cache."""

    def __init__(self, app: ASGIApp, web: WebState) -> None:
        self.app = app
        self.web = web

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        query_lang = request.query_params.get("lang")
        language = pick_language(query_lang, request.cookies.get(LANGUAGE_COOKIE),
                                 request.headers.get("accept-language"))
        request.state.translator = Translator(language)
        token = request.cookies.get(SESSION_COOKIE)
        request.state.session = load_session(self.web.pool.get().conn, token) if token else None
        cookies = Response()  # only to write Set-Cookie headers as Starlette does
        secure = self.web.settings.secure_cookies
        request.state.prelogin = ""
        if request.state.session is None and request.url.path == "/login":  # the cookie's path: set it nowhere else
            request.state.prelogin = request.cookies.get(PRELOGIN_COOKIE) or ""
            if not request.state.prelogin:
                request.state.prelogin = secrets.token_urlsafe(32)
                cookies.set_cookie(PRELOGIN_COOKIE, request.state.prelogin, httponly=True, secure=secure,
                                   samesite="strict", path="/login")
        if query_lang in ("en", "ar"):
            cookies.set_cookie(LANGUAGE_COOKIE, query_lang, max_age=365 * 86400, httponly=True, secure=secure,
                               samesite="lax")
        static = request.url.path.startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for value in cookies.headers.getlist("set-cookie"):
                    headers.append("set-cookie", value)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if not static:
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    """401 sends people to the login page; other errors are a page in the visitor's language."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if not hasattr(request.state, "translator"):
        request.state.translator = Translator("en")
    if status == 401:
        target = "/login?next=" + quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
        if request.headers.get("HX-Request") == "true":
            return Response(status_code=401, headers={"HX-Redirect": target})
        if request.method == "GET":
            return RedirectResponse(target, status_code=303)
    key = ERROR_KEYS.get(status, "error.other")
    detail = exc.detail if isinstance(exc, HTTPException) and isinstance(exc.detail, str) else ""
    headers = dict(exc.headers or {}) if isinstance(exc, HTTPException) else {}
    response = render(request, "error.html", status_code=status, status=status, key=key, detail=detail)
    response.headers.update(headers)
    return response
