"""Shared fixtures: the shared corpora beside the repository, and fresh stores in temporary folders."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from tawthiq.store import Store, open_store

# Property tests must fail on a property, not on a busy machine: CI runs the suite on 2 shared cores, where one
# example can pass Hypothesis's default 200 ms deadline while the same example replayed does not, which Hypothesis
# reports as a flaky failure. Timings belong in benchmarks/.
settings.register_profile("tawthiq", deadline=None)
settings.load_profile("tawthiq")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO / ".." / "shared"


@pytest.fixture(scope="session")
def corpus() -> Path:
    path = SHARED / "corpus"
    if not path.is_dir():
        pytest.fail(f"the shared English corpus is missing at {path.resolve()}: CI clones ../shared beside the repo")
    return path


@pytest.fixture(scope="session")
def corpus_ar() -> Path:
    path = SHARED / "corpus-ar"
    if not path.is_dir():
        pytest.fail(f"the shared Arabic corpus is missing at {path.resolve()}")
    return path


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "tawthiq.db") as s:
        yield s
