"""R-hat and effective sample size on chains with known behaviour."""

from __future__ import annotations

import numpy as np

from tawthiq.estimate.diagnostics import ess, rhat


def ar1(rng: np.random.Generator, phi: float, n: int) -> np.ndarray:
    out = np.empty(n)
    out[0] = rng.normal()
    for t in range(1, n):
        out[t] = phi * out[t - 1] + rng.normal() * np.sqrt(1 - phi**2)
    return out


def test_independent_chains_agree() -> None:
    rng = np.random.default_rng(1)
    chains = rng.normal(size=(4, 2000))
    assert abs(rhat(chains) - 1.0) < 0.01
    assert 6000 < ess(chains) < 10000


def test_a_chain_stuck_elsewhere_is_caught() -> None:
    rng = np.random.default_rng(2)
    chains = rng.normal(size=(4, 2000))
    chains[2] += 3.0
    assert rhat(chains) > 1.1


def test_autocorrelation_lowers_ess() -> None:
    rng = np.random.default_rng(3)
    chains = np.vstack([ar1(rng, 0.9, 4000) for _ in range(4)])
    # theory: n (1 - phi) / (1 + phi) = 16000 * 0.1 / 1.9 ≈ 842
    assert 500 < ess(chains) < 1300
