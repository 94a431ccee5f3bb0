"""Fixtures for the victim-list tests: a fresh store, the fixture lists, a small generated set linked once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from tawthiq.link.features import PlaceIndex
from tawthiq.link.run import link_records
from tawthiq.link.synth import generate_lists, iter_places
from tawthiq.store import Store, open_store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "victims.db") as s:
        yield s


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def generated() -> pd.DataFrame:
    frame = generate_lists(1500, n_lists=4, seed=11)
    frame["unique_id"] = range(1, len(frame) + 1)
    return frame


@pytest.fixture(scope="session")
def linked(generated: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    assignments, pairs, _ = link_records(generated, places=PlaceIndex.from_rows(list(iter_places())), seed=3)
    return assignments, pairs
