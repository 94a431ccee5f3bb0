"""SparseMSE 2.0.1's stepwise method against `estimatepopulation` (README tolerances: estimate 1%, interval ends 5%)."""

from __future__ import annotations

import gzip

import numpy as np
import pytest

from tawthiq.errors import EstimationError
from tawthiq.estimate.loglinear import loglinear
from tawthiq.estimate.stepwise import (
    THIN_TAIL,
    StepwiseChecker,
    bca_interval,
    bootstrap_bca,
    r_resamples,
    stepwise,
)
from tawthiq.estimate.table import OverlapTable, parse_overlap_csv, pattern_index, read_overlap_csv
from tests.estimate.conftest import DATA, DATASETS, dataset_path

# R's own resamples (tawthiq.estimate.rstream, seed 1234 as SparseMSE's default): every interval is SparseMSE's to the
# cent. The UK tables and Ned_5 take 10-25 s each (the whole stepwise search in each of 1,000 resamples).
INTERVAL_CASES = ("kosovo", "HIV", *(pytest.param(n, marks=pytest.mark.slow) for n in ("UKdat", "UKdat_5", "Ned_5")))


@pytest.mark.parametrize("name", DATASETS)
def test_point_estimate_matches_sparsemse(name: str, reference: dict) -> None:
    table = read_overlap_csv(dataset_path(name)).table()
    chosen = StepwiseChecker(table.k).select(table.counts[1:].copy())
    assert chosen.estimate == pytest.approx(reference[name]["loglinear_stepwise_sparse"]["estimate"], rel=1e-4)


@pytest.mark.parametrize("name", INTERVAL_CASES)
def test_bca_interval_is_sparsemse_to_the_cent(name: str, reference: dict) -> None:
    ref = reference[name]["loglinear_stepwise_sparse"]
    result = stepwise(read_overlap_csv(dataset_path(name)).table())
    assert result.estimate == pytest.approx(ref["estimate"], abs=0.01)
    assert result.ci_95 == pytest.approx(tuple(ref["bca_ci_95"]), abs=0.01)
    assert result.method == "loglinear" and result.model == "stepwise"
    assert any("overstate" in w for w in result.warnings)
    lower_level = result.diagnostics["bca_levels"][0]  # an end read among the few lowest resamples is flagged
    assert any("lower end of the interval" in w for w in result.warnings) == (lower_level * 1000 < THIN_TAIL)


def test_the_rows_order_is_the_order_of_the_draws() -> None:
    """R draws over the rows as given: the same table in another row order is another bootstrap (and the rows' order
    is kept through the CSV reader for that reason)."""
    text = dataset_path("HIV").read_text(encoding="utf-8").split()
    table = read_overlap_csv(dataset_path("HIV")).table()
    flipped = parse_overlap_csv("\n".join([text[0], *reversed(text[1:])]), "HIV reversed").table()
    assert (flipped.counts == table.counts).all()
    assert flipped.input_order() == table.input_order()[::-1]
    assert stepwise(flipped, nboot=200).ci_95 != stepwise(table, nboot=200).ci_95
    assert stepwise(table, nboot=200).ci_95 == stepwise(table, nboot=200).ci_95


def test_sparsemse_resamples_give_its_interval(reference: dict) -> None:
    """Resamples read from a file (SparseMSE's on HIV) go through the same bootstrap, jackknife and BCa steps."""
    table = read_overlap_csv(dataset_path("HIV")).table()
    counts = table.counts[1:].copy()
    checker = StepwiseChecker(table.k)
    chosen = checker.select(counts)
    with gzip.open(DATA / "sparsemse_resamples_HIV.csv.gz", "rt", encoding="utf-8") as fh:
        header, *rows = fh.read().split()
    columns = [pattern_index([int(c) for c in pattern]) - 1 for pattern in header.split(",")]
    resamples = np.zeros((len(rows), counts.size), dtype=np.int64)
    resamples[:, columns] = np.array([[int(v) for v in row.split(",")] for row in rows])
    boot = bootstrap_bca(checker, counts, chosen.estimate, resamples)
    assert boot.interval == pytest.approx(tuple(reference["HIV"]["loglinear_stepwise_sparse"]["bca_ci_95"]), abs=0.01)
    assert (resamples == r_resamples(table, 1000, 1234)).all()


def test_kosovo_chooses_sparsemse_pairs_and_ned5_a_non_overlapping_pair() -> None:
    kosovo = read_overlap_csv(dataset_path("kosovo")).table()
    chosen = StepwiseChecker(4).select(kosovo.counts[1:].copy())
    assert set(chosen.pairs) == {(0, 1), (0, 2), (0, 3), (1, 2), (2, 3)}
    dutch = read_overlap_csv(dataset_path("Ned_5")).table()
    assert StepwiseChecker(5).select(dutch.counts[1:].copy()).empty == ((1, 3),)


def test_same_seed_same_interval_and_loglinear_dispatches() -> None:
    table = read_overlap_csv(dataset_path("HIV")).table()
    a, b = stepwise(table, nboot=150, seed=7), stepwise(table, nboot=150, seed=7)
    assert a.ci_95 == b.ci_95
    assert loglinear(table, "stepwise").estimate == pytest.approx(a.estimate)


def test_lists_with_no_overlap_at_all_make_every_pair_inadmissible() -> None:
    counts = np.array([0, 30, 20, 0, 25, 0, 0, 0])[1:]  # nobody on two lists: no pair can be estimated
    checker = StepwiseChecker(3)
    assert not checker.admissible(counts, ((0, 1), (0, 2), (1, 2)))
    chosen = checker.select(counts)
    assert chosen.pairs == ()


def test_bca_without_bias_or_acceleration_is_the_percentile_interval() -> None:
    boot = np.arange(1.0, 1001.0)
    lo, hi = bca_interval(boot, 500.5, 0.0, (0.025, 0.975))  # half the resamples below: no bias
    assert (lo, hi) == pytest.approx(tuple(np.quantile(boot, [0.025, 0.975], method="median_unbiased")), rel=1e-3)
    shifted = bca_interval(boot, 700.0, 0.0, (0.025, 0.975))  # estimate above most resamples: ends move up
    assert shifted[0] > lo and shifted[1] > hi


def test_bad_input_is_refused() -> None:
    two = OverlapTable(("a", "b"), np.array([0, 5, 4, 3]), "two")
    with pytest.raises(EstimationError, match="at least three lists"):
        stepwise(two)
    three = OverlapTable(("a", "b", "c"), np.array([0, 5, 4, 3, 2, 2, 1, 1]), "t")
    with pytest.raises(EstimationError, match="at least 100"):
        stepwise(three, nboot=10)
