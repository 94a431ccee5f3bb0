"""What every request shares: settings, the store connections, the templates, and the guard of each route.

Each worker thread has its own SQLite connection (WAL mode lets readers run beside one writer). A route asks for the
user it needs with :func:`require`, which refuses anonymous visitors (redirect to the login page, or 401 for HTMX and
data requests) and users whose role is too low (403). POSTed forms are read through :func:`checked_form`, which
refuses a missing or wrong CSRF token (403) before the route sees any field.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from tawthiq.store import Store, open_store
from tawthiq.store.connection import Connection
from tawthiq.web.auth import LoginThrottle, Role, Session, same_token
from tawthiq.web.cache import PageCache, PageKey
from tawthiq.web.fragments import TOLL_SPEAKERS, disagreement_list, figures, side_by_side_rows, toll_items
from tawthiq.web.i18n import Translator

SESSION_COOKIE = "tawthiq_session"
PRELOGIN_COOKIE = "tawthiq_prelogin"  # CSRF token of the login form, before there is a session
LANGUAGE_COOKIE = "tawthiq_lang"


@dataclass(slots=True)
class WebSettings:
    """How the server runs; see docs/web.md."""

    store_path: str | Path  # a SQLite file or a database URL
    secure_cookies: bool = True  # False only for plain http on loopback (tests, a laptop)
    session_hours: float = 12.0
    login_limit: int = 5  # failed logins per address or name ...
    login_window_s: float = 300.0  # ... in this many seconds
    page_size: int = 50
    page_cache_mb: float = 64.0  # rendered incident pages kept per worker process (compressed); 0: no cache
    shared_page_cache: Path | None = None  # SQLite file shared by the worker processes (kept: --page-cache-file)
    warm: bool = False  # render every incident page before answering (tawthiq.web.warm; serve --warm)

    def __post_init__(self) -> None:
        self.store_path = str(self.store_path)  # one form, whether a path or a URL was given

    @property
    def session_lifetime(self) -> dt.timedelta:
        return dt.timedelta(hours=self.session_hours)


class _Held:
    """A thread's store, kept only in that thread's locals: when the thread ends, the holder goes, and with it the
    connection (see :class:`StorePool`)."""

    __slots__ = ("__weakref__", "store")

    def __init__(self, store: Store) -> None:
        self.store = store


class StorePool:
    """One store connection per thread, opened on first use and closed when the thread ends.

    The server's thread pool retires idle threads and starts new ones; each retired thread's connection is closed
    (a finalizer on the holder kept in its thread locals), so a server running for days holds at most one
    connection per living thread, never one per thread it ever had.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = path
        self._local = threading.local()
        self._open: dict[int, Store] = {}
        self._lock = threading.Lock()
        open_store(path).close()  # create and migrate once, before threads race to

    def get(self) -> Store:
        held: _Held | None = getattr(self._local, "held", None)
        if held is None:
            store = open_store(self.path)
            held = _Held(store)
            self._local.held = held
            with self._lock:
                self._open[id(store)] = store
            weakref.finalize(held, self._release, store)
        return held.store

    def _release(self, store: Store) -> None:
        with self._lock:
            if self._open.pop(id(store), None) is None:
                return  # closed already by close()
        store.close()

    def close(self) -> None:
        with self._lock:
            stores = list(self._open.values())
            self._open.clear()
        for store in stores:
            store.close()


@dataclass(slots=True)
class WebState:
    settings: WebSettings
    pool: StorePool
    templates: Environment
    throttle: LoginThrottle
    page_cache: PageCache = field(default_factory=lambda: PageCache(0))
    extra: dict[str, Any] = field(default_factory=dict)


def template_environment() -> Environment:
    """Jinja2 over ``web/templates``: autoescape for every template, undefined names are errors."""
    env = Environment(
        loader=PackageLoader("tawthiq.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # the packaged templates do not change under a running server: no stat() per template
    )
    env.filters["figure"] = lambda v: "" if v is None else f"{int(v):,}"
    env.globals["disagreement_list"] = disagreement_list
    env.globals["side_by_side_rows"] = side_by_side_rows
    env.globals["figures"] = figures
    env.globals["toll_items"] = toll_items
    env.globals["toll_speakers"] = TOLL_SPEAKERS
    return env


def state(request: Request) -> WebState:
    web: WebState = request.app.state.web
    return web


def store(request: Request) -> Store:
    return state(request).pool.get()


def session_of(request: Request) -> Session | None:
    return getattr(request.state, "session", None)


def require(request: Request, role: Role = Role.VIEWER) -> Session:
    """The session of a user with at least ``role``; 401 (shown as the login page) or 403 otherwise."""
    session = session_of(request)
    if session is None:
        raise HTTPException(status_code=401, detail="login required")
    if not session.user.can(role):
        raise HTTPException(status_code=403, detail=f"needs the {role.value} role")
    return session


async def checked_form(request: Request) -> FormData:
    """The POSTed form, once its CSRF token matches the session's (or the login form's cookie); 403 otherwise."""
    form = await request.form()
    given = form.get("csrf_token")
    session = session_of(request)
    expected = session.csrf_token if session else request.cookies.get(PRELOGIN_COOKIE, "")
    if not expected or not same_token(given if isinstance(given, str) else None, expected):
        raise HTTPException(status_code=403, detail="the form's security token is missing or stale")
    return form


def common_values(request: Request) -> dict[str, Any]:
    """What every template may use: translator, language, user, CSRF token, path, query, whether HTMX asked."""
    t: Translator = request.state.translator
    session = session_of(request)
    return {
        "t": t,
        "lang": t.language,
        "dir": t.direction,
        "user": session.user if session else None,
        "csrf_token": session.csrf_token if session else getattr(request.state, "prelogin", ""),
        "path": request.url.path,
        "query": str(request.url.query),
        "Role": Role,
        "hx": request.headers.get("HX-Request") == "true",
    }


def render(request: Request, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    """Render a page (or, for an HTMX request, a partial template named by the caller) with the common values."""
    html = state(request).templates.get_template(template).render(**common_values(request), **values)
    return HTMLResponse(Markup(html), status_code=status_code)


async def render_shared(request: Request, template: str, read: Callable[[Connection], Any],
                        build: Callable[[Any], dict[str, Any]]) -> HTMLResponse:
    """Render a page that shows only shared data (the same for every user of a role, but for the user's name and
    CSRF token) through the page cache (:mod:`tawthiq.web.cache`). ``read(conn)`` reads every row the page shows
    (plain values, tuples, dataclasses: the cache fingerprints them) and may raise ``HTTPException`` (404), which is
    never cached; ``build(rows)`` turns them into the template's values. A page checked at the current epoch is
    answered here, in the event loop; one to check or render is checked or rendered in a worker thread."""
    session = require(request)
    web = state(request)
    common = common_values(request)
    cache = web.page_cache
    epoch = cache.watch.generation(web.pool.get().conn) if cache.max_bytes > 0 else None

    def body(rows: Any) -> bytes:
        marked = {**common, "user": dataclasses.replace(session.user, name=cache.marks.name),
                  "csrf_token": cache.marks.csrf}
        return web.templates.get_template(template).render(**marked, **build(rows)).encode()

    def read_rows() -> Any:
        return read(web.pool.get().conn)

    page: bytes | None = None
    if epoch is None:
        page = await run_in_threadpool(lambda: body(read_rows()))
    else:
        key = PageKey(template=template, path=request.url.path, query=str(request.url.query),
                      language=common["lang"], role=session.user.role.value, htmx=common["hx"])
        page = cache.get(key, epoch)
        if page is None:
            page = await run_in_threadpool(cache.fetch, key, epoch, read_rows, body)
    return HTMLResponse(cache.marks.personalise(page, session.user.name, session.csrf_token))


def form_text(form: FormData, name: str, limit: int = 2000) -> str:
    """A text field of a form, stripped and cut to ``limit`` characters (files and missing fields give "")."""
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""
