"""LCMCR against LCMCR 0.4.14 (README tolerances: median 3%, 2.5% quantile 5%, 97.5% quantile 10%).

The comparison runs Tawthiq's default (4 chains from over-dispersed starts, 10,000 burn-in + 100,000 iterations
thinned by 10, seed 1), exactly what `tawthiq estimate FILE --method lcmcr --seed 1` runs: about 1–2 s per chain per
dataset. How often other seeds pass each check is in docs/estimation.md ("Over-dispersed starts").
"""

from __future__ import annotations

from functools import cache

import numba
import numpy as np
import pytest
from scipy.special import digamma, polygamma

from tawthiq.errors import EstimationError
from tawthiq.estimate.lcmcr import _log_gamma, _run_chain, _sticks, _unseen, lcmcr, sample_lcmcr, start_plan
from tawthiq.estimate.result import Estimate
from tawthiq.estimate.table import OverlapTable, read_overlap_csv
from tests.estimate.conftest import dataset_path

AGREEING = ("kosovo", "UKdat", "HIV")  # the reference chains agree with each other
DISAGREEING = ("Ned_5", "UKdat_5")  # one reference chain of four went elsewhere
# Known gap, measured and explained in docs/estimation.md ("UKdat: the reference kept a start-up transient"): one of
# the reference's four UKdat chains had not left the low start-up region when its draws began (chain medians 20,100
# against 22,600, 22,590, 21,756), which pulls the reference's pooled 2.5% point down to 11,711 and its median to
# 21,826; after start-up our chains (1,000,000 iterations) hold a 2.5% point near 17,000 and a median near 23,000.
# Only the chain that starts as LCMCR does can fall into that region (the others start high), so our seed-1 median
# is 22,546 (+3.3%) and 2.5% point 13,338 (+14%).
KNOWN_GAPS = {("UKdat", "lower")}
KNOWN_MEDIAN_GAPS = {"UKdat"}
# UKdat_5 passes its median and interval checks with seed 1 because one of our four chains sits in the low mode
# (~12,400), as one of the reference's four did: with other seeds 0 or 2 chains do and the pooled median moves
# (docs/estimation.md, "Over-dispersed starts"). Ned_5 is flagged because the chains started high stay in the
# mode near 140,000 that one reference chain found.
XFAIL = pytest.mark.xfail(strict=True, reason="the reference kept a start-up transient, see docs/estimation.md")


@cache
def default_run(name: str) -> Estimate:
    return lcmcr(read_overlap_csv(dataset_path(name)).table(), seed=1)


def close(value: float | None, ref: float, rel: float) -> bool:
    return value is not None and abs(value - ref) <= rel * ref


@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=XFAIL) if n in KNOWN_MEDIAN_GAPS else n for n in (*AGREEING, "UKdat_5")]
)
def test_median_within_3_percent(name: str, reference: dict) -> None:
    assert close(default_run(name).estimate, reference[name]["lcmcr"]["median"], 0.03)


@pytest.mark.parametrize(
    ("name", "end"),
    [
        pytest.param(name, end, marks=XFAIL) if (name, end) in KNOWN_GAPS else (name, end)
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


@pytest.mark.parametrize("name", AGREEING)
def test_agreeing_chains_sit_in_one_mode(name: str) -> None:
    result = default_run(name)
    assert result.diagnostics["mode_separation"] < 1.0
    assert not any("separate modes" in w for w in result.warnings)


@pytest.mark.parametrize("name", DISAGREEING)
def test_disagreeing_chains_are_flagged_in_words(name: str) -> None:
    result = default_run(name)
    assert result.diagnostics["rhat"] > 1.1
    assert any("not to be trusted" in w for w in result.warnings)
    json = result.to_json()
    assert json["diagnostics"]["rhat"] > 1.1
    assert len(json["diagnostics"]["chain_medians"]) == 4
    assert json["diagnostics"]["chain_starts"][-1] == 21 * json["observed"]


def test_ned5_high_mode_is_a_real_mode_that_a_high_start_keeps() -> None:
    """Started at the cap with the unseen in a hidden class, a Ned_5 chain stays near 140,000 (the reference chain
    that went there sat at 141,938); an HIV chain started the same way forgets the start within the warm-up."""
    for name, inside in (("Ned_5", (100_000, 175_000)), ("HIV", (10_000, 12_000))):
        table = read_overlap_csv(dataset_path(name)).table()
        x, counts = table.patterns()[1:].astype(np.int64), table.counts[1:].astype(np.int64)
        draws, _ = _run_chain(x, counts, 10, 0.25, 0.25, 1000, 10_000, 10, 4, 20 * table.observed)
        assert inside[0] < np.median(draws) < inside[1], name


def test_starts_alternate_low_and_high_up_to_the_cap() -> None:
    assert start_plan(1, 1000) == [0]
    assert start_plan(2, 1000) == [0, 20_000]
    assert start_plan(4, 1000) == [0, round((21**0.5 - 1) * 1000), 0, 20_000]
    eight = np.array(start_plan(8, 1000)) + 1000
    assert (eight[::2] == 1000).all()
    assert np.allclose(eight[3::2] / eight[1:-2:2], 21**0.25, rtol=1e-3) and eight[-1] == 21_000


def test_a_total_pressed_against_the_cut_is_not_to_be_trusted() -> None:
    """Hidden, rarely caught persons: a table whose lists share almost no one has no upper bound below the cut."""
    counts = np.zeros(8, dtype=np.int64)
    counts[[1, 2, 4]] = 300  # 900 persons, each on exactly one of three lists, nobody on two
    result = lcmcr(OverlapTable(("a", "b", "c"), counts, "no overlap"), seed=2, chains=2, burnin=1000, iterations=5000)
    assert result.ci_95[1] is not None and result.ci_95[1] > 0.9 * 21 * 900
    assert any("reaches the cut" in w and "not to be trusted" in w for w in result.warnings)


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


@numba.njit(cache=True)
def _seeded_log_gammas(seed: int, shape: float, size: int) -> np.ndarray:
    np.random.seed(seed)
    out = np.empty(size)
    for i in range(size):
        out[i] = _log_gamma(shape)
    return out


@numba.njit(cache=True)
def _seeded_sticks(seed: int, alpha: float, classes: int, size: int) -> tuple[np.ndarray, np.ndarray]:
    np.random.seed(seed)
    empty = np.zeros(classes, dtype=np.int64)
    pi = np.empty(classes)
    log_rest = np.empty(size)
    total = np.empty(size)
    for i in range(size):
        log_rest[i] = _sticks(empty, alpha, pi)
        total[i] = pi.sum()
    return log_rest, total


@pytest.mark.parametrize("shape", [0.003, 0.05, 0.7, 3.0])
def test_log_gamma_draws_have_the_exact_mean_and_variance(shape: float) -> None:
    """E log G = ψ(shape), Var log G = ψ'(shape), also where the draw G itself underflows to 0."""
    draws = _seeded_log_gammas(7, shape, 40_000)
    assert np.isfinite(draws).all()
    se = np.sqrt(polygamma(1, shape) / draws.size)
    assert abs(draws.mean() - digamma(shape)) < 5 * se
    assert draws.var() == pytest.approx(polygamma(1, shape), rel=0.1)


def test_sticks_keep_the_whole_tail_of_log_one_minus_v_when_alpha_is_small() -> None:
    """With no members, 1 − V_k ~ Beta(α, 1), so −log(1 − V_k) ~ Exponential(α), mean 1/α = 100 here, and the α
    update needs the sum of all K* − 1 of them (900). The former sampler clipped V_k at 1 − 1e−12, so each term
    stopped at 27.6 (sum ≤ 249): α came out too large, opened classes, and HIV's 97.5% point read 14,600 for 13,000."""
    alpha, classes = 0.01, 10
    log_rest, total = _seeded_sticks(3, alpha, classes, 4000)
    expected = (classes - 1) / alpha
    se = np.sqrt((classes - 1) / alpha**2 / log_rest.size)
    assert abs(-log_rest.mean() - expected) < 6 * se
    assert (-log_rest > 9 * 27.7).mean() > 0.5
    assert np.allclose(total, 1.0)


def test_unseen_count_is_cut_at_twenty_times_the_observed_as_lcmcr() -> None:
    assert _unseen(100, 0.0) == 0
    draws = [_unseen(100, 0.995) for _ in range(50)]  # untruncated mean 19,900
    assert max(draws) <= 2000
    moderate = [_unseen(1000, 0.5) for _ in range(200)]  # mean 1,000: the cut (20,000) never binds
    assert 900 < np.mean(moderate) < 1100
