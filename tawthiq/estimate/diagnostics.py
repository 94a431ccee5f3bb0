"""Convergence diagnostics for several Markov chains: rank-normalised split R-hat, bulk effective sample size, and
a check for chains that sit in separate modes.

Following Vehtari, Gelman, Simpson, Carpenter and Bürkner (2021, Bayesian Analysis): draws are replaced by the normal
scores of their ranks over all chains, each chain is split in half, then the classic R-hat and Geyer's initial
monotone sequence estimator of the effective sample size are computed. R-hat is the larger of the bulk value and the
folded one (the same on |draw − median|, which catches chains that agree in location but not in spread or tails).
Ranks make all of this the same for N and for log N.
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
    """Rank-normalised split R-hat of a (chains × draws) array, max(bulk, folded); above 1.01–1.1 they disagree."""
    chains = np.asarray(chains, dtype=float)
    if chains.ndim != 2 or chains.shape[1] < 4:
        return float("nan")
    bulk = _rhat(_split(_rank_normalise(chains)))
    folded = _rhat(_split(_rank_normalise(np.abs(chains - np.median(chains)))))
    return max(bulk, folded) if np.isfinite(folded) else bulk


def mode_separation(chains: np.ndarray) -> float:
    """How far apart the chains' medians lie, in units of one chain's spread: the largest distance between two
    chain medians of log draws over the larger of the two chains' interquartile ranges (0 for one chain).

    Chains exploring one mode give small values (their medians differ by Monte-Carlo error, a few hundredths of an
    interquartile range); above 1 the middle halves of two chains do not overlap: they sit in separate modes.
    """
    chains = np.log(np.maximum(np.asarray(chains, dtype=float), 1e-300))
    if chains.ndim != 2 or chains.shape[0] < 2:
        return 0.0
    q1, med, q3 = np.quantile(chains, [0.25, 0.5, 0.75], axis=1)
    iqr = np.maximum(q3 - q1, 1e-12)
    gap = np.abs(med[:, None] - med[None, :]) / np.maximum(iqr[:, None], iqr[None, :])
    return float(gap.max())


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
