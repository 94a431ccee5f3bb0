"""The Beta(a, b) prior on LCMCR's capture probabilities λ: the default is LCMCR's Beta(1, 1) and draws exactly as
before the option existed; another prior moves N where the data say little; bad priors are refused.

Measured effect in the simulation study: docs/estimation.md, "The prior on λ".
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from tawthiq.cli import main
from tawthiq.errors import EstimationError
from tawthiq.estimate.lcmcr import lcmcr, sample_lcmcr
from tawthiq.estimate.table import OverlapTable, read_overlap_csv
from tests.estimate.conftest import dataset_path

# sample_lcmcr(kosovo, chains=2, seed=3, burnin=200, iterations=400, thin=10), computed with the sampler as it was
# before the prior became an option (λ ~ Beta(1, 1) hard-coded), on 2026-12-07.
PINNED_HEADS = [[9543.0, 9422.0, 9580.0, 9405.0, 9448.0], [21774.0, 21547.0, 22740.0, 27464.0, 23826.0]]
PINNED_SUM = 1_280_694.0


def kosovo() -> OverlapTable:
    return read_overlap_csv(dataset_path("kosovo")).table()


def two_groups(seed: int, hard_capture: float, total: int = 2000, lists: int = 5) -> OverlapTable:
    """The simulation study's population: 60% captured with `hard_capture` per list, 40% with 0.45."""
    rng = np.random.default_rng(seed)
    hard = rng.random(total) < 0.6
    caught = rng.random((total, lists)) < np.where(hard[:, None], hard_capture, 0.45)
    counts = np.bincount((caught * (1 << np.arange(lists))).sum(axis=1), minlength=2**lists)
    counts[0] = 0
    return OverlapTable(tuple(f"L{j + 1}" for j in range(lists)), counts, f"two groups, seed {seed}")


def median_n(table: OverlapTable, prior: tuple[float, float]) -> float:
    draws = sample_lcmcr(table, chains=4, seed=3, burnin=5000, iterations=20_000, thin=10, lambda_prior=prior)
    return float(np.median(draws))


@pytest.mark.parametrize("prior", [None, (1.0, 1.0), (1, 1)])
def test_default_prior_draws_as_before(prior: tuple[float, float] | None) -> None:
    kwargs = {} if prior is None else {"lambda_prior": prior}
    draws = sample_lcmcr(kosovo(), chains=2, seed=3, burnin=200, iterations=400, thin=10, **kwargs)
    assert draws[:, :5].tolist() == PINNED_HEADS
    assert draws.sum() == PINNED_SUM


def test_other_prior_changes_the_draws() -> None:
    draws = sample_lcmcr(kosovo(), chains=2, seed=3, burnin=200, iterations=400, thin=10, lambda_prior=(0.5, 0.5))
    assert draws.sum() != PINNED_SUM


def test_jeffreys_prior_raises_n_where_the_hard_group_is_weakly_observed() -> None:
    # 60% of 2,000 caught with probability 0.15 per list: about 44% of them on no list (seed 3: 1,424 observed).
    table = two_groups(3, 0.15)
    uniform, jeffreys = median_n(table, (1.0, 1.0)), median_n(table, (0.5, 0.5))
    assert jeffreys > 1.05 * uniform
    assert median_n(table, (0.5, 1.0)) > 1.05 * uniform


def test_prior_barely_matters_where_every_list_sees_most_people() -> None:
    table = two_groups(3, 0.6)  # everyone caught with probability 0.45-0.6 per list: about 2% on no list
    uniform, jeffreys = median_n(table, (1.0, 1.0)), median_n(table, (0.5, 0.5))
    assert abs(jeffreys / uniform - 1) < 0.01


def test_result_records_the_prior() -> None:
    result = lcmcr(kosovo(), chains=2, seed=1, burnin=100, iterations=400, lambda_prior=(0.5, 1))
    assert result.diagnostics["lambda_prior"] == [0.5, 1.0]
    assert "lambda ~ Beta(0.5, 1)" in result.model
    default = lcmcr(kosovo(), chains=2, seed=1, burnin=100, iterations=400)
    assert default.diagnostics["lambda_prior"] == [1.0, 1.0]


@pytest.mark.parametrize("prior", [(0.0, 1.0), (1.0, -0.5), (math.nan, 1.0), (1.0, math.inf), (1.0, 1.0, 1.0)])
def test_bad_prior_refused(prior: tuple[float, ...]) -> None:
    with pytest.raises(EstimationError, match="prior on λ"):
        sample_lcmcr(kosovo(), chains=1, burnin=10, iterations=40, lambda_prior=prior)  # type: ignore[arg-type]


def test_cli_lambda_prior(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = CliRunner().invoke(
        main,
        [
            "estimate", str(dataset_path("kosovo")), "--method", "lcmcr", "--seed", "1", "--chains", "2",
            "--iterations", "2000", "--burnin", "200", "--lambda-prior", "0.5,0.5", "--json", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    payload = json.loads(out.read_text())
    assert payload["diagnostics"]["lambda_prior"] == [0.5, 0.5]
    assert "Beta(0.5, 0.5)" in payload["model"]


@pytest.mark.parametrize(
    ("value", "message"),
    [("0,1", "a > 0 and b > 0"), ("1,-2", "a > 0 and b > 0"), ("half,1", "two numbers"), ("1", "two numbers")],
)
def test_cli_bad_lambda_prior(value: str, message: str) -> None:
    result = CliRunner().invoke(
        main, ["estimate", str(dataset_path("kosovo")), "--method", "lcmcr", "--lambda-prior", value]
    )
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if line.startswith("Error")]
    assert len(errors) == 1 and "--lambda-prior" in errors[0] and message in errors[0]
