"""Log-linear models against Rcapture on every published table (README tolerances: 0.1% estimate, 1% interval)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.stats import chi2

from tawthiq.errors import EstimationError
from tawthiq.estimate.loglinear import hierarchical_models, loglinear, parse_model
from tawthiq.estimate.table import OverlapTable, read_overlap_csv
from tests.estimate.conftest import DATASETS, dataset_path

CASES = [(name, model) for name in DATASETS for model in ("independence", "all-pairs")]


@pytest.mark.parametrize(("name", "model"), CASES)
def test_matches_rcapture(name: str, model: str, reference: dict) -> None:
    ref = reference[name]["loglinear_" + model.replace("-", "_")]
    result = loglinear(read_overlap_csv(dataset_path(name)).table(), model)
    assert result.estimate == pytest.approx(ref["estimate"], rel=1e-3)
    assert result.diagnostics["deviance"] == pytest.approx(ref["deviance"], rel=1e-3, abs=0.01)
    assert result.diagnostics["df"] == ref["df"]
    lo, hi = result.ci_95
    assert lo == pytest.approx(ref["profile_ci_95"][0], rel=0.01)
    if ref.get("upper_unbounded"):
        assert hi is None
    else:
        assert hi == pytest.approx(ref["profile_ci_95"][1], rel=0.01)


def test_profile_interval_is_where_the_deviance_rises_by_the_chi2_point() -> None:
    table = read_overlap_csv(dataset_path("HIV")).table()
    result = loglinear(table, "independence")
    lo, hi = result.ci_95
    assert lo is not None and hi is not None
    assert lo < result.estimate < hi
    assert chi2.ppf(0.95, 1) == pytest.approx(3.8415, abs=1e-4)


def test_no_overlap_gives_an_unbounded_interval_and_says_so() -> None:
    result = loglinear(OverlapTable(("A", "B"), np.array([0, 30, 20, 0]), "t"), "independence")
    assert result.ci_95[1] is None
    assert result.to_json()["ci_95"][1] is None
    assert result.to_json()["estimate"] is None
    assert any("do not determine the total" in w for w in result.warnings)
    assert any("no upper bound" in w for w in result.warnings)


def test_poor_fit_is_warned_on_kosovo_independence() -> None:
    result = loglinear(read_overlap_csv(dataset_path("kosovo")).table(), "independence")
    assert any("fits the table poorly" in w for w in result.warnings)


@pytest.mark.parametrize("criterion", ["aic", "bic"])
def test_selection_picks_the_best_of_all_models(criterion: str) -> None:
    table = read_overlap_csv(dataset_path("kosovo")).table()
    chosen = loglinear(table, criterion)
    assert chosen.details["models_compared"] == 2**6  # every subset of the six pairs
    for spec in ("independence", "all-pairs"):
        assert chosen.diagnostics[criterion] <= loglinear(table, spec).diagnostics[criterion] + 1e-9


def test_average_lies_among_its_models_and_interval_covers_it() -> None:
    table = read_overlap_csv(dataset_path("UKdat_5")).table()
    result = loglinear(table, "average")
    estimates = [m["estimate"] for m in result.details["models"]]
    assert min(estimates) <= result.estimate <= max(estimates) * 1.5
    lo, hi = result.ci_95
    assert lo is not None and hi is not None and lo < result.estimate < hi
    assert result.diagnostics["models_compared"] == 2**10
    assert any("choice of model matters" in w for w in result.warnings)


def test_explicit_model_completes_the_hierarchy() -> None:
    lists = ("a", "b", "c", "d")
    terms = parse_model("a:b:c", lists)
    assert {tuple(sorted(t)) for t in terms} == {(0, 1), (0, 2), (1, 2), (0, 1, 2)}
    with pytest.raises(EstimationError, match="'z' is not a list"):
        parse_model("a:z", lists)
    with pytest.raises(EstimationError, match="saturated"):
        parse_model("a:b:c:d", lists)


def test_explicit_pairs_equal_all_pairs() -> None:
    table = read_overlap_csv(dataset_path("HIV")).table()
    spec = ",".join(f"{a}:{b}" for a, b in itertools.combinations(table.lists, 2))
    assert loglinear(table, spec).estimate == pytest.approx(loglinear(table, "all-pairs").estimate)


def test_hierarchical_family_sizes() -> None:
    assert len(hierarchical_models(3, 2) or []) == 8
    with_triples = hierarchical_models(4, 3) or []
    assert len(with_triples) > 64
    assert all(all(frozenset(s) in m for t in m if len(t) == 3 for s in itertools.combinations(t, 2))
               for m in with_triples)  # fmt: skip
    assert hierarchical_models(6, 2, limit=1000) is None
