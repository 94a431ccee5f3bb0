"""The application factory: ``create_app(WebSettings(store_path=...))`` gives an ASGI app for uvicorn.

Every response carries a Content-Security-Policy that allows scripts and styles only from the application's own
``/static`` files (no inline script, no inline style, no other origin), forbids framing, plugins and ``<base>``, and
lets forms post only back to the application. Every request first has its language and its session resolved here.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib import resources
from urllib.parse import quote

from fastapi import FastAPI, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.gzip import GZipMiddleware

from tawthiq.web import decisions
from tawthiq.web.auth import LoginThrottle, load_session
from tawthiq.web.context import (
    LANGUAGE_COOKIE,
    PRELOGIN_COOKIE,
    SESSION_COOKIE,
    StorePool,
    WebSettings,
    WebState,
    render,
    state,
    template_environment,
)
from tawthiq.web.i18n import Translator, pick_language
from tawthiq.web.routes import ROUTERS

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
    web = WebState(settings=settings, pool=pool, templates=template_environment(),
                   throttle=LoginThrottle(settings.login_limit, settings.login_window_s))
    with pool.get().transaction() as conn:
        decisions.reapply_attachments(conn)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        pool.close()

    app = FastAPI(title="Tawthiq", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.web = web
    static = resources.files("tawthiq.web").joinpath("static")
    # Static files only are compressed: pages carry CSRF tokens beside reflected input (BREACH).
    app.mount("/static", GZipMiddleware(StaticFiles(directory=str(static)), minimum_size=1024), name="static")
    for router in ROUTERS:
        app.include_router(router)
    app.middleware("http")(_per_request)
    app.exception_handler(HTTPException)(_http_error)
    return app


async def _per_request(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """Resolve the language and the session, hand the login form a CSRF token, and add the security headers."""
    web = state(request)
    query_lang = request.query_params.get("lang")
    language = pick_language(query_lang, request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language"))
    request.state.translator = Translator(language)
    token = request.cookies.get(SESSION_COOKIE)
    request.state.session = load_session(web.pool.get().conn, token) if token else None
    new_prelogin = None
    request.state.prelogin = ""
    if request.state.session is None and request.url.path == "/login":  # the cookie's path: set it nowhere else
        request.state.prelogin = request.cookies.get(PRELOGIN_COOKIE) or ""
        if not request.state.prelogin:
            new_prelogin = request.state.prelogin = secrets.token_urlsafe(32)
    response = await call_next(request)
    secure = web.settings.secure_cookies
    if new_prelogin:
        response.set_cookie(PRELOGIN_COOKIE, new_prelogin, httponly=True, secure=secure, samesite="strict",
                            path="/login")
    if query_lang in ("en", "ar"):
        response.set_cookie(LANGUAGE_COOKIE, query_lang, max_age=365 * 86400, httponly=True, secure=secure,
                            samesite="lax")
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if not request.url.path.startswith("/static/"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


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
