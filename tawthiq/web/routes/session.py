"""Logging in and out, the language switch, and the health check (the only routes open to anonymous visitors)."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response

from tawthiq.web.auth import authenticate, end_session, start_session
from tawthiq.web.context import (
    LANGUAGE_COOKIE,
    PRELOGIN_COOKIE,
    SESSION_COOKIE,
    checked_form,
    form_text,
    render,
    require,
    session_of,
    state,
    store,
)
from tawthiq.web.i18n import LANGUAGES

router = APIRouter()


def safe_next(target: str | None) -> str:
    """A local path to go to after logging in: anything else (another host, ``//host``, a scheme) becomes ``/``."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else "/"


@router.get("/healthz", response_class=PlainTextResponse)
def healthz() -> str:
    return "ok"


@router.get("/")
def home(request: Request) -> Response:
    require(request)
    return RedirectResponse("/incidents", status_code=303)


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    if session_of(request):
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", next=safe_next(next), error=None)


@router.post("/login")
async def login(request: Request) -> Response:
    form = await checked_form(request)
    name, password = form_text(form, "name", 64), form_text(form, "password", 1024)
    target = safe_next(form_text(form, "next"))
    web = state(request)
    address = request.client.host if request.client else "unknown"
    wait = web.throttle.retry_after(address, name)
    if wait:
        refused = render(request, "login.html", status_code=429, next=target, error="login.throttled")
        refused.headers["Retry-After"] = str(wait)
        return refused
    with store(request).transaction() as conn:
        user = authenticate(conn, name, password)
        if user is None:
            web.throttle.failed(address, name)
            return render(request, "login.html", status_code=401, next=target, error="login.failed")
        token, _ = start_session(conn, user, web.settings.session_lifetime)
    web.throttle.succeeded(name)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, token, max_age=int(web.settings.session_lifetime.total_seconds()),
                        httponly=True, secure=web.settings.secure_cookies, samesite="lax", path="/")
    response.delete_cookie(PRELOGIN_COOKIE, path="/login")
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    session = require(request)
    await checked_form(request)
    with store(request).transaction() as conn:
        end_session(conn, session)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/lang/{code}")
def switch_language(request: Request, code: str, next: str = "/") -> Response:
    """Remember the language in a cookie and go back (a preference of display, not a change of data)."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if code in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, code, max_age=365 * 86400, httponly=True,
                            secure=state(request).settings.secure_cookies, samesite="lax")
    return response
