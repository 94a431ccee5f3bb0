"""Pages rendered before the server answers (``tawthiq serve --warm``).

A server that starts with an empty page cache renders each incident page on its first request, a few milliseconds of
CPU each: fifty people opening fifty incidents at once wait for fifty renderings (docs/web.md, "Load"). With
``--warm`` the server renders every incident page, in both languages and for every role that has an active account,
before it answers; kept in a page file (``--page-cache-file``) they are only checked against their rows on the next
start. The pages are made by the incident route itself, through the page cache, on a request that never reaches the
network: no account is logged in and no session is written; the page kept is the shared one, with the marks where
each user's name and CSRF token go.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from fastapi import FastAPI, Request

from tawthiq.web.auth import Role, Session, User
from tawthiq.web.i18n import LANGUAGES, Translator


def roles_in_use(app: FastAPI) -> list[Role]:
    """The roles of the active accounts (a page differs by role only in the forms it shows)."""
    rows = app.state.web.pool.get().conn.execute("SELECT DISTINCT role FROM users WHERE active = 1").fetchall()
    return sorted({Role(r[0]) for r in rows}, key=lambda r: r.value)


async def warm_incident_pages(app: FastAPI, progress: Callable[[int, int], None] | None = None) -> int:
    """Render (or check, when kept) every incident page for each role in use and each language; returns how many."""
    from tawthiq.web.routes.incidents import incident  # the route: the page is made exactly as a request makes it

    ids = [int(r[0]) for r in app.state.web.pool.get().conn.execute(
        "SELECT id FROM incidents ORDER BY date_start DESC, id DESC").fetchall()]  # the list's order: first asked first
    variants = [(role, language) for role in roles_in_use(app) for language in LANGUAGES]
    done, total = 0, len(ids) * len(variants)
    for role, language in variants:
        session = Session(User(0, "", role), "", "")  # never stored; only its role and language shape the page
        for incident_id in ids:
            path = f"/incidents/{incident_id}"
            scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode(), "query_string": b"",
                     "headers": [], "scheme": "http", "server": ("127.0.0.1", 0), "app": app,
                     "state": {"translator": Translator(language), "session": session}}
            await incident(Request(scope), incident_id)
            done += 1
            if progress is not None:
                progress(done, total)
    return done


def report(started: float) -> Callable[[int, int], None]:
    """A progress line every 500 pages on standard output (the server's log)."""

    def show(done: int, total: int) -> None:
        if done % 500 == 0 or done == total:
            print(f"warm: {done:,} of {total:,} incident pages in {time.perf_counter() - started:.0f} s", flush=True)

    return show
