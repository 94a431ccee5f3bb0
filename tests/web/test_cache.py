"""The page cache: incident pages and the incident list are served from it, never once the store has changed — after a
review decision in the application, a write by another program, or a regrouping — and each user gets their own
name and CSRF token in a cached page."""

from __future__ import annotations

import asyncio
import contextlib
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from tawthiq.pipeline import regroup
from tawthiq.store import open_store
from tawthiq.web import WebSettings, create_app
from tawthiq.web.app import SETTINGS_ENV, app_from_environment, settings_environment
from tawthiq.web.cache import PageCache, SharedPages, code_version
from tests.web.conftest import CSRF, PASSWORD


@pytest.fixture
def app(copy_db: Path) -> Iterator[FastAPI]:
    app = create_app(WebSettings(store_path=copy_db, secure_cookies=False))
    yield app
    app.state.web.pool.close()


def _cache(app: FastAPI) -> PageCache:
    cache: PageCache = app.state.web.page_cache
    return cache


def _pages(app: FastAPI, name: str, steps: Callable[[httpx.AsyncClient], object]) -> object:
    """Log in as ``name`` on the in-process app, then run ``steps`` with that client."""
    return _sessions([(app, name)], lambda clients: steps(clients[0]))


def _sessions(logins: list[tuple[FastAPI, str]], steps: Callable[[list[httpx.AsyncClient]], object]) -> object:
    """Log in as each (app, name) first (a login is a write: it moves the store generation), then run ``steps``
    with the clients."""

    async def run() -> object:
        async with contextlib.AsyncExitStack() as stack:
            clients = []
            for app, name in logins:
                transport = httpx.ASGITransport(app=app)
                client = await stack.enter_async_context(
                    httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1"))
                token = CSRF.search((await client.get("/login")).text)
                assert token
                response = await client.post("/login", data={"name": name, "password": PASSWORD,
                                                              "csrf_token": token.group(1)})
                assert response.status_code == 303
                clients.append(client)
            return await steps(clients)  # type: ignore[misc]

    return asyncio.run(run())


def _pending_claim(db: Path) -> tuple[int, int, int]:
    """(incident id, claim id, claim version) of a casualty figure no one has decided on yet."""
    with open_store(db) as store:
        row = store.query(
            "SELECT ic.incident_id, c.id, c.version FROM claims c JOIN incident_claims ic ON ic.claim_id = c.id"
            " WHERE c.kind = 'casualty_count' AND c.best IS NOT NULL AND NOT EXISTS"
            " (SELECT 1 FROM review_decisions r WHERE r.claim_id = c.id) ORDER BY c.id LIMIT 1")[0]
    return int(row[0]), int(row[1]), int(row[2])


def _status_cell(html: str, claim_id: int) -> str:
    row = re.search(rf'<tr id="claim-{claim_id}".*?</tr>', html, re.S)
    assert row, f"claim {claim_id} is not in the side-by-side table"
    return row.group(0)


def test_a_cached_incident_page_shows_a_review_decision_at_once(app: FastAPI, copy_db: Path) -> None:
    incident_id, claim_id, version = _pending_claim(copy_db)
    cache = _cache(app)

    async def steps(client: httpx.AsyncClient) -> None:
        first = (await client.get(f"/incidents/{incident_id}")).text
        hits = cache.hits
        again = (await client.get(f"/incidents/{incident_id}")).text
        assert cache.hits == hits + 1 and again == first  # served from the cache, the same page
        assert "status-confirm" not in _status_cell(first, claim_id)
        token = CSRF.search(first)
        assert token
        decided = await client.post(f"/claims/{claim_id}/decide",
                                    data={"csrf_token": token.group(1), "version": str(version), "action": "confirm"})
        assert decided.status_code == 303
        after = (await client.get(f"/incidents/{incident_id}")).text
        assert 'status-confirm">' in _status_cell(after, claim_id) and "analyst" in _status_cell(after, claim_id)

    _pages(app, "analyst", steps)


def test_writes_by_another_program_and_a_regrouping_reach_the_cached_list(app: FastAPI, copy_db: Path) -> None:
    with open_store(copy_db) as store:
        incident_id, title = store.query("SELECT id, title FROM incidents ORDER BY id LIMIT 1")[0]

    async def get_list(client: httpx.AsyncClient) -> str:
        return (await client.get("/incidents")).text

    assert f">{title}</a>" in str(_pages(app, "viewer", get_list))
    with open_store(copy_db) as store, store.transaction() as conn:  # another connection, as the CLI's would be
        conn.execute("UPDATE incidents SET title = 'Renamed by another program' WHERE id = ?", (incident_id,))
    renamed = str(_pages(app, "viewer", get_list))
    assert "Renamed by another program" in renamed and f">{title}</a>" not in renamed
    with open_store(copy_db) as store:
        regroup(store)  # the grouping names the incident again
    regrouped = str(_pages(app, "viewer", get_list))
    assert f">{title}</a>" in regrouped and "Renamed by another program" not in regrouped


def test_each_user_gets_their_own_name_and_token_in_a_cached_page(app: FastAPI) -> None:
    cache = _cache(app)

    async def steps(clients: list[httpx.AsyncClient]) -> list[str]:
        pages = [(await clients[0].get("/incidents")).text]
        hits = cache.hits
        pages += [(await client.get("/incidents")).text for client in clients[1:]]
        assert cache.hits == hits + 1  # the second viewer's page came from the cache, the analyst's did not
        return pages

    first, second, analyst = _sessions([(app, "viewer"), (app, "viewer"), (app, "analyst")], steps)  # type: ignore[misc]
    tokens = [CSRF.search(html) for html in (first, second)]
    assert tokens[0] and tokens[1] and tokens[0].group(1) != tokens[1].group(1)  # two sessions, two tokens
    assert CSRF.sub("", first) == CSRF.sub("", second)
    marks = _cache(app).marks
    assert ">viewer · " in second and marks.name not in second and marks.csrf not in second
    assert 'href="/review"' in analyst and 'href="/review"' not in second and ">analyst · " in analyst


def test_worker_processes_share_what_one_of_them_rendered(copy_db: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    settings = WebSettings(store_path=copy_db, secure_cookies=False, shared_page_cache=tmp_path / "pages.db")
    monkeypatch.setenv(SETTINGS_ENV, settings_environment(settings))
    first, second = app_from_environment(), app_from_environment()  # as two `serve --workers 2` processes start
    assert second.state.web.settings == settings

    async def steps(clients: list[httpx.AsyncClient]) -> tuple[str, str, str]:
        for client in clients:  # each worker's connection, seen for the first time, moves the generation
            await client.get("/incidents?page=2")
        rendered = (await clients[0].get("/incidents")).text
        misses = _cache(second).misses
        shared = (await clients[1].get("/incidents")).text
        assert _cache(second).misses == misses  # not rendered again: the first worker's page
        with open_store(copy_db) as store, store.transaction() as conn:
            conn.execute("UPDATE incidents SET title = 'Renamed for both workers'")
        return rendered, shared, (await clients[1].get("/incidents")).text

    rendered, shared, renamed = _sessions([(first, "viewer"), (second, "viewer")], steps)  # type: ignore[misc]
    assert CSRF.sub("", rendered) == CSRF.sub("", shared)
    assert "Renamed for both workers" in renamed
    for app in (first, second):
        app.state.web.pool.close()


def test_a_kept_page_file_spares_a_restarted_server_the_rendering(copy_db: Path, tmp_path: Path) -> None:
    settings = WebSettings(store_path=copy_db, secure_cookies=False, shared_page_cache=tmp_path / "pages.db")
    with open_store(copy_db) as store:
        (a, _), (b, b_title) = store.query("SELECT id, title FROM incidents ORDER BY id LIMIT 2")

    def run(steps: Callable[[httpx.AsyncClient], object]) -> tuple[object, PageCache]:
        app = create_app(settings)  # a new server over the same store and page file
        try:
            return _pages(app, "viewer", steps), _cache(app)
        finally:
            app.state.web.pool.close()

    async def both(client: httpx.AsyncClient) -> tuple[str, str]:
        return (await client.get(f"/incidents/{a}")).text, (await client.get(f"/incidents/{b}")).text

    (first_a, first_b), cache = run(both)  # type: ignore[misc]
    assert cache.counts.rendered == 2 and f"{b_title}" in first_b
    with open_store(copy_db) as store, store.transaction() as conn:  # between the runs, another program writes
        conn.execute("UPDATE incidents SET title = 'Renamed while the server was down' WHERE id = ?", (b,))
    (again_a, again_b), cache = run(both)  # type: ignore[misc]
    assert cache.counts.checked == 1 and cache.counts.rendered == 1  # a: rows unchanged, served as kept; b: not
    assert CSRF.sub("", again_a) == CSRF.sub("", first_a)
    assert "Renamed while the server was down" in again_b and cache.marks.name not in again_a
    # a page file made by other code (or for another store) gives up its pages when opened
    identity = f"{copy_db}\0page_size={settings.page_size}"
    assert SharedPages(tmp_path / "pages.db", code=code_version(identity)).connection().execute(
        "SELECT count(*) FROM pages").fetchone()[0] >= 2
    other = SharedPages(tmp_path / "pages.db", code=code_version("another store"))
    assert other.connection().execute("SELECT count(*) FROM pages").fetchone()[0] == 0


def test_every_process_on_a_page_file_uses_its_marks(tmp_path: Path) -> None:
    # worker processes are spawned, so each imports the module anew: the marks a kept page holds must be the file's
    here = SharedPages(tmp_path / "pages.db", code="v1")
    script = ("import sys; from pathlib import Path; from tawthiq.web.cache import SharedPages; "
              "m = SharedPages(Path(sys.argv[1]), code='v1').marks; print(m.name, m.csrf)")
    out = subprocess.run([sys.executable, "-c", script, str(tmp_path / "pages.db")], capture_output=True,
                         text=True, check=True, timeout=120)
    assert out.stdout.split() == [here.marks.name, here.marks.csrf]
    assert PageCache(2**20, here).marks == here.marks and PageCache(2**20).marks != here.marks
