"""The Arabic extraction quality gate: scores on hand-written gold for ../shared/corpus-ar must not fall below the
pinned floors (same gate, same fields as the English one; ``python -m tests.quality.gate --lang ar``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tawthiq.extract.arabic import fold
from tawthiq.extract.quantities_ar import read_number_ar
from tawthiq.pipeline import ingest_paths
from tawthiq.store import open_store
from tests.quality.gate import HERE, check, evaluate

GOLD, FLOORS = HERE / "gold_ar.json", HERE / "floors_ar.json"


@pytest.fixture(scope="module")
def db(corpus_ar: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("quality_ar") / "tawthiq.db"
    with open_store(path) as store:
        assert not ingest_paths(store, [corpus_ar]).failed
    return path


def test_arabic_extraction_meets_the_pinned_floors(db: Path, corpus_ar: Path) -> None:
    assert check(evaluate(GOLD, db, corpus_ar), FLOORS, GOLD) == []


def test_the_gold_stores_no_article_text(corpus_ar: Path) -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    for name, doc in gold["documents"].items():
        raw = (corpus_ar / name).read_text(encoding="utf-8")
        for claim in doc["claims"]:
            a, b = claim["anchor"]
            assert 0 <= a < b <= len(raw) and b - a <= 30  # an anchor is a figure or a few key words
            assert set(claim) <= {"anchor", "kind", "outcome", "population", "low", "best", "high", "qualifier",
                                  "date", "admin1", "attributed_to", "caveat", "community"}


def test_the_anchors_cover_the_figures_they_code(corpus_ar: Path) -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    for name, doc in gold["documents"].items():
        raw = (corpus_ar / name).read_text(encoding="utf-8")
        for claim in doc["claims"]:
            text = raw[slice(*claim["anchor"])]
            value = read_number_ar(fold(text))
            if claim["kind"] == "casualty_count" and value is not None:
                assert value == claim["best"], (name, claim["anchor"])


def test_a_spurious_casualty_count_lowers_the_score(db: Path, corpus_ar: Path) -> None:
    scores = evaluate(GOLD, db, corpus_ar)
    scores["claim"] = {"precision": scores["claim"]["precision"] - 0.1, "recall": 1.0, "f1": 0.9}
    assert any(problem.startswith("claim precision") for problem in check(scores, FLOORS, GOLD))
