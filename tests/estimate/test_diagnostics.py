"""R-hat and effective sample size on chains with known behaviour."""

from __future__ import annotations

import numpy as np

from tawthiq.estimate.diagnostics import ess, mode_separation, rhat


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


def test_a_chain_with_the_same_centre_but_a_wider_spread_is_caught_by_the_folded_rhat() -> None:
    """The bulk R-hat sees only location; the folded one (on |draw − median|) sees a chain with heavier tails."""
    rng = np.random.default_rng(4)
    chains = rng.normal(size=(4, 2000))
    chains[1] *= 3.0
    assert rhat(chains) > 1.1


def test_rhat_is_the_same_for_n_and_log_n() -> None:
    rng = np.random.default_rng(5)
    chains = np.exp(rng.normal(10.0, 0.3, size=(4, 1000)))
    chains[3] *= 1.5
    assert rhat(chains) == rhat(np.log(chains))


def test_chains_in_separate_modes_are_told_apart_from_chains_in_one() -> None:
    rng = np.random.default_rng(6)
    one_mode = np.exp(rng.normal(np.log(48_000), 0.1, size=(4, 5000)))
    assert mode_separation(one_mode) < 0.2
    two_modes = one_mode.copy()
    two_modes[2] = np.exp(rng.normal(np.log(140_000), 0.1, size=5000))  # Ned_5: one chain of four near 140,000
    assert mode_separation(two_modes) > 5
    assert mode_separation(one_mode[:1]) == 0.0
