"""A real server for the web tests: a temporary store ingested from ../shared/corpus (English and Arabic) plus a
hostile document of our own, four accounts (one per role), a few victim records linked into persons, and uvicorn
listening on a free loopback port in a thread. Clients are httpx clients logged in through the login form."""

from __future__ import annotations

import json
import re
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from tawthiq.pipeline import ingest_paths, regroup
from tawthiq.store import open_store
from tawthiq.web import WebSettings, create_app
from tawthiq.web.auth import Role, add_user
from tests.fixtures.postgres import PostgresServer
from tests.store.conftest import pg_server, pg_template  # noqa: F401 (fixtures: the PostgreSQL tests here)

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "web"
PASSWORD = "a long test password"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Server:
    url: str
    db: Path
    artifacts: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _victims(db: Path) -> None:
    """Three records from two lists, linked into two persons (ours, not from any real list)."""
    with open_store(db) as store, store.transaction() as conn:
        rows = [
            (1, "list-a", "a-1", "محمد أحمد", "Mohammed Ahmad", "male", "34", "2025-03-07", "بانياس", "Tartus",
             json.dumps({"phone": "+963 000 000", "note": "from the family"})),
            (2, "list-b", "b-7", "محمد احمد", "Muhammad Ahmed", "male", "34", "2025-03-07", "Baniyas", "Tartus", "{}"),
            (3, "list-b", "b-9", "سلمى يوسف", "Salma Yusuf", "female", "", "2025-03-08", "جبلة", "Latakia", "{}"),
        ]
        conn.executemany(
            "INSERT INTO victim_records (id, list_name, record_key, name_ar, name_latin, sex, age, date_of_death,"
            " place_of_death, governorate, extra, source_file, row_number) VALUES (?,?,?,?,?,?,?,?,?,?,?,'test.csv',?)",
            [(*r, r[0]) for r in rows],
        )
        conn.execute("INSERT INTO link_runs (id, backend, threshold, n_records, n_persons, model)"
                     " VALUES (1, 'test', 0.9, 3, 2, '{}')")
        conn.executemany("INSERT INTO persons (id, run_id, n_records) VALUES (?, 1, ?)", [(1, 2), (3, 1)])
        conn.executemany(
            "INSERT INTO person_records (person_id, record_id, via_record_id, match_probability, match_weight,"
            " weights) VALUES (?, ?, ?, ?, ?, ?)",
            [(1, 1, None, None, None, "{}"), (1, 2, 1, 0.973, 5.2, '{"name": 3.1, "date_of_death": 2.1}'),
             (3, 3, None, None, None, "{}")],
        )


def _build_store(db: Path) -> None:
    with open_store(db) as store:
        result = ingest_paths(store, [SHARED / "corpus", SHARED / "corpus-ar", FIXTURES / "xss-report.html"])
        assert not result.failed, result.failed
        regroup(store)
        with store.transaction() as conn:
            for role in Role:
                add_user(conn, role.value, PASSWORD, role)
            add_user(conn, "throttled", PASSWORD, Role.VIEWER)  # the login-throttling test's own account
    _victims(db)


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """``app`` under uvicorn on a free loopback port in a thread; yields its URL, and stops it at the end."""
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("web")
    db = root / "web.db"
    _build_store(db)
    app = create_app(WebSettings(store_path=db, secure_cookies=False, login_limit=5, login_window_s=60))
    artifacts = Path(__file__).resolve().parent / "artifacts"
    artifacts.mkdir(exist_ok=True)
    with serving(app) as url:
        yield Server(url, db, artifacts)


def login(url: str, name: str, password: str = PASSWORD) -> httpx.Client:
    """A client logged in through the form (its CSRF cookie and token included)."""
    client = httpx.Client(base_url=url, follow_redirects=False, timeout=20)
    page = client.get("/login")
    token = CSRF.search(page.text)
    assert token, "the login form carries a CSRF token"
    response = client.post("/login", data={"name": name, "password": password, "csrf_token": token.group(1)})
    assert response.status_code == 303, response.text[:500]
    return client


def csrf_of(client: httpx.Client, path: str = "/incidents") -> str:
    match = CSRF.search(client.get(path).text)
    assert match
    return match.group(1)


@pytest.fixture(scope="session")
def clients(server: Server) -> Iterator[dict[str, httpx.Client]]:
    made = {role.value: login(server.url, role.value) for role in Role}
    yield made
    for client in made.values():
        client.close()


@pytest.fixture
def anonymous(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, follow_redirects=False, timeout=20) as client:
        yield client


@pytest.fixture(scope="session")
def query(server: Server) -> Callable[[str, tuple[object, ...]], list[dict[str, object]]]:
    def run(sql: str, params: tuple[object, ...] = ()) -> list[dict[str, object]]:
        with open_store(server.db) as store:
            return [dict(r) for r in store.query(sql, params)]

    return run


@pytest.fixture
def copy_db(server: Server, tmp_path: Path) -> Path:
    """A copy of the web tests' store (a test's writes stay out of the shared one)."""
    db = tmp_path / "copy.db"
    with sqlite3.connect(server.db) as source, sqlite3.connect(db) as target:
        source.backup(target)
    return db


@pytest.fixture
def pg_url(pg_server: PostgresServer, pg_template: str) -> str:  # noqa: F811 (the imported fixtures)
    """A new PostgreSQL store for one test."""
    return pg_server.new_database(pg_template)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new store on each engine: a SQLite file, then a PostgreSQL database."""
    return str(tmp_path / "store.db") if request.param == "sqlite" else str(request.getfixturevalue("pg_url"))
