"""Stores on both engines: a SQLite file, and a database on a real PostgreSQL server started for the session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tawthiq.store import Store, open_store
from tests.fixtures.postgres import PostgresServer, running_server

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    with running_server() as server:
        yield server


@pytest.fixture(scope="session")
def pg_template(pg_server: PostgresServer) -> str:
    return pg_server.make_template()


@pytest.fixture
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a new, empty store on the engine of the test's parameter."""
    if request.param == "sqlite":
        return str(tmp_path / "tawthiq.db")
    server: PostgresServer = request.getfixturevalue("pg_server")
    return server.new_database(request.getfixturevalue("pg_template"))


@pytest.fixture
def engine_store(store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    monkeypatch.setenv("TAWTHIQ_VAULT", str(tmp_path / "vault"))
    with open_store(store_url) as s:
        yield s


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test of this folder that uses a store runs on both engines."""
    if "store_url" in metafunc.fixturenames:
        metafunc.parametrize("store_url", ENGINES, indirect=True)
