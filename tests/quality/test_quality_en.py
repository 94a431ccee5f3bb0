"""The English extraction quality gate: scores on hand-written gold must not fall below the pinned floors."""

from __future__ import annotations

from pathlib import Path

import pytest

from tawthiq.pipeline import ingest_paths
from tawthiq.store import open_store
from tests.quality.gate import HERE, check, evaluate


@pytest.fixture(scope="module")
def db(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("quality") / "tawthiq.db"
    with open_store(path) as store:
        assert not ingest_paths(store, [corpus]).failed
    return path


def test_english_extraction_meets_the_pinned_floors(db: Path, corpus: Path) -> None:
    gold, floors = HERE / "gold_en.json", HERE / "floors_en.json"
    scores = evaluate(gold, db, corpus)
    assert check(scores, floors, gold) == []


def test_the_gate_fails_when_a_field_drops(db: Path, corpus: Path, tmp_path: Path) -> None:
    gold, floors = HERE / "gold_en.json", HERE / "floors_en.json"
    scores = evaluate(gold, db, corpus)
    scores["best"] = {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert any(problem.startswith("best ") for problem in check(scores, floors, gold))
