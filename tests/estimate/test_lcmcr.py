"""LCMCR against LCMCR 0.4.14 (README tolerances: median 3%, 2.5% quantile 5%, 97.5% quantile 10%).

The comparison runs Tawthiq's default (4 chains, 10,000 burn-in + 100,000 iterations thinned by 10, seed 1), exactly
what `tawthiq estimate FILE --method lcmcr --seed 1` runs: about 1–2 s per chain per dataset.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from tawthiq.errors import EstimationError
from tawthiq.estimate.lcmcr import lcmcr, sample_lcmcr
from tawthiq.estimate.result import Estimate
from tawthiq.estimate.table import OverlapTable, read_overlap_csv
from tests.estimate.conftest import dataset_path

AGREEING = ("kosovo", "UKdat", "HIV")  # the reference chains agree with each other
DISAGREEING = ("Ned_5", "UKdat_5")  # one reference chain of four went elsewhere
# Known gaps, measured and reported in docs/estimation.md: our posterior for HIV has a longer upper tail
# (97.5% point ≈ 14,000 over 1,000,000 iterations, reference 13,028), and UKdat's lower end sits higher.
KNOWN_GAPS = {("HIV", "upper"), ("UKdat", "lower")}


@cache
def default_run(name: str) -> Estimate:
    return lcmcr(read_overlap_csv(dataset_path(name)).table(), seed=1)


def close(value: float | None, ref: float, rel: float) -> bool:
    return value is not None and abs(value - ref) <= rel * ref


@pytest.mark.parametrize("name", [*AGREEING, "UKdat_5"])
def test_median_within_3_percent(name: str, reference: dict) -> None:
    assert close(default_run(name).estimate, reference[name]["lcmcr"]["median"], 0.03)


@pytest.mark.parametrize(
    ("name", "end"),
    [
        pytest.param(name, end, marks=pytest.mark.xfail(strict=True, reason="known gap, see docs/estimation.md"))
        if (name, end) in KNOWN_GAPS
        else (name, end)
        for name in (*AGREEING, "UKdat_5")
        for end in ("lower", "upper")
    ],
)
def test_interval_ends_within_tolerance(name: str, end: str, reference: dict) -> None:
    lo, hi = default_run(name).ci_95
    ref_lo, ref_hi = reference[name]["lcmcr"]["ci_95"]
    if end == "lower":
        assert close(lo, ref_lo, 0.05)
    else:
        assert close(hi, ref_hi, 0.10)


@pytest.mark.parametrize("name", AGREEING)
def test_agreeing_chains_report_converged(name: str) -> None:
    result = default_run(name)
    assert result.diagnostics["rhat"] < 1.1
    assert not any("not to be trusted" in w for w in result.warnings)


@pytest.mark.parametrize("name", DISAGREEING)
def test_disagreeing_chains_are_flagged_in_words(name: str) -> None:
    result = default_run(name)
    assert result.diagnostics["rhat"] > 1.1
    assert any("not to be trusted" in w for w in result.warnings)
    json = result.to_json()
    assert json["diagnostics"]["rhat"] > 1.1
    assert len(json["diagnostics"]["chain_medians"]) == 4


def test_same_seed_same_draws_other_seed_other_draws() -> None:
    table = read_overlap_csv(dataset_path("kosovo")).table()
    short = {"chains": 2, "burnin": 200, "iterations": 2000, "thin": 10}
    a = sample_lcmcr(table, seed=5, **short)
    assert a.shape == (2, 200)
    assert np.array_equal(a, sample_lcmcr(table, seed=5, **short))
    assert not np.array_equal(a, sample_lcmcr(table, seed=6, **short))
    assert not np.array_equal(a[0], a[1])
    assert (a >= table.observed).all()


def test_independent_lists_are_recovered() -> None:
    """Simulated homogeneous, independent lists: the interval should hold the true total."""
    rng = np.random.default_rng(11)
    truth, p = 5000, np.array([0.3, 0.25, 0.2, 0.35])
    caught = rng.random((truth, 4)) < p
    idx = (caught * (1 << np.arange(4))).sum(axis=1)
    table = OverlapTable(("a", "b", "c", "d"), np.bincount(idx, minlength=16) * (np.arange(16) > 0), "sim")
    result = lcmcr(table, seed=3, chains=2, burnin=2000, iterations=20_000)
    lo, hi = result.ci_95
    assert lo is not None and hi is not None and lo < truth < hi


def test_bad_settings_are_refused() -> None:
    two = OverlapTable(("a", "b"), np.array([0, 5, 5, 2]), "two")
    with pytest.raises(EstimationError, match="at least 3 lists"):
        lcmcr(two)
    table = read_overlap_csv(dataset_path("HIV")).table()
    with pytest.raises(EstimationError, match="not usable"):
        lcmcr(table, iterations=10, thin=10)


def test_one_chain_says_convergence_was_not_checked() -> None:
    table = read_overlap_csv(dataset_path("HIV")).table()
    result = lcmcr(table, seed=1, chains=1, burnin=500, iterations=5000)
    assert any("cannot be checked" in w for w in result.warnings)
