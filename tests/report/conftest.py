"""A fixture store (tests/fixtures/store_builder.py) and the report written from it, parsed with lxml."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest

from tawthiq.report import write_report
from tawthiq.store import Store, open_store
from tests.fixtures.store_builder import BuiltStore, build_store

GENERATED = dt.datetime(2025, 9, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def built(tmp_path: Path) -> BuiltStore:
    return build_store(tmp_path / "tawthiq.db")


@pytest.fixture
def store(built: BuiltStore) -> Iterator[Store]:
    with open_store(built.path) as s:
        yield s


@pytest.fixture
def report_path(store: Store, tmp_path: Path) -> Path:
    out = tmp_path / "report.html"
    write_report(store, out, generated_at=GENERATED)
    return out


@pytest.fixture
def page(report_path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(report_path.read_bytes())
