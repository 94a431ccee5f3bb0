"""A fixture store (tests/fixtures/store_builder.py) to export from."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tawthiq.store import Store, open_store
from tests.fixtures.store_builder import BuiltStore, build_store


@pytest.fixture
def built(tmp_path: Path) -> BuiltStore:
    return build_store(tmp_path / "tawthiq.db")


@pytest.fixture
def store(built: BuiltStore) -> Iterator[Store]:
    with open_store(built.path) as s:
        yield s
