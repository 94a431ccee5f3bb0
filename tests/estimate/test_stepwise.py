"""SparseMSE 2.0.1's stepwise method against `estimatepopulation` (README tolerances: estimate 1%, interval ends 5%)."""

from __future__ import annotations

import gzip

import numpy as np
import pytest

from tawthiq.errors import EstimationError
from tawthiq.estimate.loglinear import loglinear
from tawthiq.estimate.stepwise import THIN_TAIL, StepwiseChecker, bca_interval, bootstrap_bca, stepwise
from tawthiq.estimate.table import OverlapTable, pattern_index, read_overlap_csv
from tests.estimate.conftest import DATA, DATASETS, dataset_path

# Interval ends from NumPy's resamples, not R's: these land within 5% with the default seed; UKdat and UKdat_5 do not
# (Monte-Carlo error: their lower ends are read from the two or three lowest of 1,000 resamples). With R's own
# resamples every table gives SparseMSE's interval to the cent (test_sparsemse_resamples_give_its_interval).
INTERVAL_CASES = ("kosovo", "HIV")
THIN_LOWER_END = {"kosovo": False, "HIV": True}  # HIV's lower end is read at the 0.19% point (seed 1234)


@pytest.mark.parametrize("name", DATASETS)
def test_point_estimate_matches_sparsemse(name: str, reference: dict) -> None:
    table = read_overlap_csv(dataset_path(name)).table()
    chosen = StepwiseChecker(table.k).select(table.counts[1:].copy())
    assert chosen.estimate == pytest.approx(reference[name]["loglinear_stepwise_sparse"]["estimate"], rel=1e-4)


@pytest.mark.parametrize("name", INTERVAL_CASES)
def test_bca_interval_within_5_percent(name: str, reference: dict) -> None:
    ref = reference[name]["loglinear_stepwise_sparse"]
    result = stepwise(read_overlap_csv(dataset_path(name)).table())
    assert result.estimate == pytest.approx(ref["estimate"], rel=0.01)
    assert result.ci_95[0] == pytest.approx(ref["bca_ci_95"][0], rel=0.05)
    assert result.ci_95[1] == pytest.approx(ref["bca_ci_95"][1], rel=0.05)
    assert result.method == "loglinear" and result.model == "stepwise"
    assert any("overstate" in w for w in result.warnings)
    assert any("lower end of the interval" in w for w in result.warnings) == THIN_LOWER_END[name]
    lower_level = result.diagnostics["bca_levels"][0]
    assert (lower_level * 1000 < THIN_TAIL) == THIN_LOWER_END[name]


def _sparsemse_resamples(name: str, table: OverlapTable) -> np.ndarray:
    """The 1,000 resamples R's `rmultinom` draws in SparseMSE `estimatepopulation` after `set.seed(1234)` (one row
    each; columns are the table's observed capture patterns, as in the CSV), replayed outside the project."""
    with gzip.open(DATA / f"sparsemse_resamples_{name}.csv.gz", "rt", encoding="utf-8") as fh:
        header, *rows = fh.read().split()
    columns = [pattern_index([int(c) for c in pattern]) - 1 for pattern in header.split(",")]
    resamples = np.zeros((len(rows), table.counts.size - 1), dtype=np.int64)
    resamples[:, columns] = np.array([[int(v) for v in row.split(",")] for row in rows])
    assert (resamples.sum(axis=1) == table.observed).all()
    return resamples


@pytest.mark.parametrize("name", ["HIV", pytest.param("UKdat_5", marks=pytest.mark.slow)])
def test_sparsemse_resamples_give_its_interval(name: str, reference: dict) -> None:
    """Same resamples, same interval: the bootstrap, jackknife and BCa steps are SparseMSE's, so the gap left with
    NumPy's resamples (UKdat_5's lower end +7.5% at seed 1234) is the random stream alone."""
    table = read_overlap_csv(dataset_path(name)).table()
    counts = table.counts[1:].copy()
    checker = StepwiseChecker(table.k)
    chosen = checker.select(counts)
    boot = bootstrap_bca(checker, counts, chosen.estimate, _sparsemse_resamples(name, table))
    assert boot.estimates.size == 1000
    assert boot.interval == pytest.approx(tuple(reference[name]["loglinear_stepwise_sparse"]["bca_ci_95"]), abs=0.01)
    assert boot.levels[0] < 0.005  # the lower end comes from the few lowest resamples: why seeds move it so much


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
