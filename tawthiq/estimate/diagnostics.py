"""Convergence diagnostics for several Markov chains: rank-normalised split R-hat and bulk effective sample size.

Following Vehtari, Gelman, Simpson, Carpenter and Bürkner (2021, Bayesian Analysis): draws are replaced by the normal
scores of their ranks over all chains, each chain is split in half, then the classic R-hat and Geyer's initial
monotone sequence estimator of the effective sample size are computed.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import norm, rankdata


def _split(chains: np.ndarray) -> np.ndarray:
    """(m, n) chains → (2m, n//2) half-chains."""
    half = chains.shape[1] // 2
    return np.concatenate([chains[:, :half], chains[:, chains.shape[1] - half :]], axis=0)


def _rank_normalise(chains: np.ndarray) -> np.ndarray:
    ranks = rankdata(chains, method="average").reshape(chains.shape)
    return norm.ppf((ranks - 3.0 / 8.0) / (chains.size + 0.25))


def _rhat(chains: np.ndarray) -> float:
    n = chains.shape[1]
    means = chains.mean(axis=1)
    within = chains.var(axis=1, ddof=1).mean()
    between = n * means.var(ddof=1)
    if within <= 0:
        return float("nan") if between <= 0 else float("inf")
    var_plus = (n - 1) / n * within + between / n
    return float(np.sqrt(var_plus / within))


def rhat(chains: np.ndarray) -> float:
    """Rank-normalised split R-hat of a (chains × draws) array; above 1.01–1.1 the chains disagree."""
    chains = np.asarray(chains, dtype=float)
    if chains.ndim != 2 or chains.shape[1] < 4:
        return float("nan")
    return _rhat(_split(_rank_normalise(chains)))


def ess(chains: np.ndarray) -> float:
    """Bulk effective sample size of a (chains × draws) array (rank-normalised, split chains)."""
    chains = np.asarray(chains, dtype=float)
    if chains.ndim != 2 or chains.shape[1] < 4:
        return float("nan")
    z = _split(_rank_normalise(chains))
    m, n = z.shape
    centred = z - z.mean(axis=1, keepdims=True)
    spectrum = np.fft.rfft(centred, n=2 * n, axis=1)
    acov = np.fft.irfft(spectrum * np.conj(spectrum), axis=1)[:, :n] / n
    chain_var = acov[:, 0] * n / (n - 1.0)
    within = chain_var.mean()
    var_plus = within * (n - 1.0) / n + (z.mean(axis=1).var(ddof=1) if m > 1 else 0.0)
    if var_plus <= 0:
        return float(m * n)
    rho = 1.0 - (within - acov.mean(axis=0)) / var_plus
    rho[0] = 1.0
    total = 0.0
    previous = np.inf
    for t in range(0, n - 1, 2):
        pair = rho[t] + rho[t + 1]
        if pair <= 0:
            break
        pair = min(pair, previous)  # initial monotone sequence
        total += pair
        previous = pair
    tau = -1.0 + 2.0 * total
    return float(m * n / max(tau, 1.0 / np.log10(max(m * n, 10))))
