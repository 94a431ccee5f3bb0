"""Helpers shared by the end-to-end tests on the shared corpora: a store made by ingesting them, and its rows."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tawthiq.pipeline import ingest_paths, regroup
from tawthiq.store import open_store


def ingest_corpora(factory: pytest.TempPathFactory, name: str, inputs: list[Path], expected: int) -> Path:
    """A store in a fresh folder holding ``inputs``, grouped; fails unless exactly ``expected`` files were added."""
    path = factory.mktemp(name) / "tawthiq.db"
    with open_store(path) as store:
        result = ingest_paths(store, inputs)
        regroup(store)
    assert not result.failed and len(result.added) == expected
    return path


def rows_of(db: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


def claims_of(conn: sqlite3.Connection, name: str) -> list[sqlite3.Row]:
    """The claims of the document whose file is called ``name``, in document order."""
    return conn.execute("SELECT c.* FROM claims c JOIN documents d ON d.id = c.document_id WHERE d.path LIKE ?"
                        " ORDER BY seq", (f"%{name}",)).fetchall()
