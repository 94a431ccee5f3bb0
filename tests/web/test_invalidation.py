"""Finer invalidation of the page cache: a change re-renders exactly the pages whose rows it changed — a review
decision, an attachment, a grade, a note, a regrouping or another program's write — and never leaves a stale page;
the other pages are checked against the store (their rows read again) and served as kept. Login failures are
counted across worker processes."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from hypothesis import given, settings
from hypothesis import strategies as st

from tawthiq.pipeline import regroup
from tawthiq.store import open_store
from tawthiq.web import WebSettings, create_app
from tawthiq.web.app import SETTINGS_ENV, app_from_environment, settings_environment
from tawthiq.web.cache import PageCache, PageKey
from tests.web.conftest import CSRF
from tests.web.test_cache import _cache, _sessions, _status_cell


@pytest.fixture
def app(copy_db: Path) -> Iterator[FastAPI]:
    app = create_app(WebSettings(store_path=copy_db, secure_cookies=False))
    yield app
    app.state.web.pool.close()


def _two_incidents(db: Path) -> tuple[int, int, int, int]:
    """(incident A, a pending casualty claim of A that is in no other incident, its version, incident B)."""
    with open_store(db) as store:
        a, claim, version = store.query(
            "SELECT ic.incident_id, c.id, c.version FROM claims c JOIN incident_claims ic ON ic.claim_id = c.id"
            " WHERE c.kind = 'casualty_count' AND c.best IS NOT NULL"
            " AND (SELECT count(*) FROM incident_claims o WHERE o.claim_id = c.id) = 1"
            " AND NOT EXISTS (SELECT 1 FROM review_decisions r WHERE r.claim_id = c.id) ORDER BY c.id LIMIT 1")[0]
        b = store.query("SELECT id FROM incidents WHERE id != ? ORDER BY id LIMIT 1", (a,))[0][0]
    return int(a), int(claim), int(version), int(b)


def test_a_change_re_renders_only_the_pages_it_changed(app: FastAPI, copy_db: Path) -> None:
    a, claim, version, b = _two_incidents(copy_db)
    counts = _cache(app).counts

    async def steps(clients: list[httpx.AsyncClient]) -> None:
        analyst, reviewer = clients
        pages = {n: (await analyst.get(f"/incidents/{n}")).text for n in (a, b)}
        listed = (await analyst.get("/incidents")).text
        token = CSRF.search(pages[a])
        assert token
        decided = await analyst.post(f"/claims/{claim}/decide", data={
            "csrf_token": token.group(1), "version": str(version), "action": "confirm"})
        assert decided.status_code == 303

        rendered, checked = counts.rendered, counts.checked
        assert (await analyst.get(f"/incidents/{b}")).text == pages[b]  # B's rows did not change: not rendered
        assert (counts.rendered, counts.checked) == (rendered, checked + 1)
        assert (await analyst.get("/incidents")).text == listed  # nor did the list's
        assert counts.rendered == rendered
        after = (await analyst.get(f"/incidents/{a}")).text  # A's did
        assert counts.rendered == rendered + 1
        assert 'status-confirm">' in _status_cell(after, claim) and 'status-confirm">' not in _status_cell(
            pages[a], claim)

        token = CSRF.search((await reviewer.get(f"/incidents/{b}")).text)
        assert token
        graded = await reviewer.post(f"/incidents/{b}/grade",
                                     data={"csrf_token": token.group(1), "grade": "weak", "reason": "one source"})
        assert graded.status_code == 303
        rendered = counts.rendered
        assert (await analyst.get(f"/incidents/{a}")).text == after  # a grade of B leaves A as it was
        assert counts.rendered == rendered
        graded_b = (await analyst.get(f"/incidents/{b}")).text
        assert 'class="grade grade-weak"' in graded_b and counts.rendered == rendered + 1
        relisted = (await analyst.get("/incidents")).text  # the list shows grades
        assert relisted != listed and counts.rendered == rendered + 2

        token = CSRF.search(after)
        assert token
        noted = await analyst.post(f"/incidents/{a}/notes",
                                   data={"csrf_token": token.group(1), "body": "Checked against the morgue list"})
        assert noted.status_code == 303
        rendered = counts.rendered
        assert (await analyst.get(f"/incidents/{b}")).text == graded_b
        assert (await analyst.get("/incidents")).text == relisted  # the list shows no notes
        assert counts.rendered == rendered
        assert "Checked against the morgue list" in (await analyst.get(f"/incidents/{a}")).text
        assert counts.rendered == rendered + 1

    _sessions([(app, "analyst"), (app, "reviewer")], steps)


def test_an_attachment_reaches_the_page_of_the_incident_it_joins(app: FastAPI, copy_db: Path) -> None:
    _a, claim, version, b = _two_incidents(copy_db)

    async def steps(clients: list[httpx.AsyncClient]) -> None:
        analyst = clients[0]
        before = (await analyst.get(f"/incidents/{b}")).text
        assert f'id="claim-{claim}"' not in before
        token = CSRF.search(before)
        assert token
        attached = await analyst.post(f"/claims/{claim}/decide", data={
            "csrf_token": token.group(1), "version": str(version), "action": "attach", "incident_id": str(b)})
        assert attached.status_code == 303
        assert f'id="claim-{claim}"' in (await analyst.get(f"/incidents/{b}")).text

    _sessions([(app, "analyst")], steps)


def test_another_programs_write_and_a_regrouping_reach_a_kept_incident_page(app: FastAPI, copy_db: Path) -> None:
    a, _claim, _version, b = _two_incidents(copy_db)
    counts = _cache(app).counts

    async def get(client: httpx.AsyncClient, n: int) -> str:
        return (await client.get(f"/incidents/{n}")).text

    async def first(clients: list[httpx.AsyncClient]) -> tuple[str, str]:
        return await get(clients[0], a), await get(clients[0], b)

    page_a, page_b = _sessions([(app, "viewer")], first)  # type: ignore[misc]
    with open_store(copy_db) as store, store.transaction() as conn:  # another connection, as the CLI's would be
        conn.execute("UPDATE incidents SET title = 'Renamed elsewhere' WHERE id = ?", (a,))

    async def second(clients: list[httpx.AsyncClient]) -> tuple[str, str]:
        return await get(clients[0], a), await get(clients[0], b)

    renamed_a, again_b = _sessions([(app, "viewer")], second)  # type: ignore[misc]
    assert "Renamed elsewhere" in renamed_a and "Renamed elsewhere" not in page_a
    assert re.sub(CSRF, "", again_b).replace(">viewer · ", "") == re.sub(CSRF, "", page_b).replace(">viewer · ", "")
    with open_store(copy_db) as store:
        regroup(store)  # names the incident again
    rendered = counts.rendered
    regrouped_a, _ = _sessions([(app, "viewer")], second)  # type: ignore[misc]
    assert "Renamed elsewhere" not in regrouped_a and counts.rendered > rendered


def test_failed_logins_are_counted_across_worker_processes(copy_db: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    settings = WebSettings(store_path=copy_db, secure_cookies=False, shared_page_cache=tmp_path / "pages.db",
                           login_limit=3)
    monkeypatch.setenv(SETTINGS_ENV, settings_environment(settings))
    workers = [app_from_environment(), app_from_environment()]

    async def run() -> list[int]:
        codes = []
        for i in range(4):  # alternate between the two workers, as a balancer would
            transport = httpx.ASGITransport(app=workers[i % 2])
            async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
                token = CSRF.search((await client.get("/login")).text)
                assert token
                codes.append((await client.post("/login", data={
                    "name": "viewer", "password": f"wrong {i}", "csrf_token": token.group(1)})).status_code)
        return codes

    assert asyncio.run(run()) == [401, 401, 401, 429]  # 3 failures in all, not 3 per worker
    for app in workers:
        app.state.web.pool.close()


# --- the cache alone, against a model store -------------------------------------------------------------------------

_PAGES = ["/incidents/1", "/incidents/2", "/incidents/3"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(
    st.tuples(st.just("write"), st.sampled_from(_PAGES), st.integers(0, 3)),
    st.tuples(st.just("read"), st.sampled_from(_PAGES), st.just(0)),
), max_size=40), st.sampled_from([0, 40, 1 << 20]))
def test_the_cache_never_serves_a_page_older_than_its_rows(steps: list[tuple[str, str, int]], budget: int) -> None:
    """Writes move the epoch (as any commit does); every page served equals the page rendered from the rows as
    they are, whatever the order of writes and reads and however small the cache."""
    rows = {path: 0 for path in _PAGES}
    epoch = 0
    cache = PageCache(budget) if budget else None
    for action, path, value in steps:
        if action == "write":
            rows[path] = value
            epoch += 1
            continue
        key = PageKey("incident.html", path, "", "en", "viewer", False)
        expected = f"{path}={rows[path]}".encode()
        if cache is None:
            continue
        body = cache.get(key, epoch) or cache.fetch(key, epoch, lambda p=path: rows[p],
                                                    lambda r, p=path: f"{p}={r}".encode())
        assert body == expected
