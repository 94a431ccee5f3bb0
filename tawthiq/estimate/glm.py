"""Poisson log-linear fits of an overlap table (own IRLS) and the profile likelihood of N.

A model is a design matrix over the 2^k capture patterns (row 0 is the unobserved pattern). The fit uses the
observed rows only; N̂ = observed + exp(intercept) (Fienberg 1972, as Rcapture). The profile likelihood of N is
the multinomial likelihood with the unobserved count fixed at N − n (Cormack 1992; Rcapture `closedpCI.t`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq, minimize_scalar
from scipy.special import gammaln

CHI2_95 = 3.841458820694124  # 95% point of chi-square with 1 df
MAX_ITER = 100
TOL = 1e-10
BIG_COEF = 25.0  # |coefficient| beyond this means a fitted cell went to 0: the fit is on the boundary


@dataclass(frozen=True)
class PoissonFit:
    """A Poisson GLM fit: coefficients, fitted means, deviance and whether it converged to an interior point."""

    beta: np.ndarray
    mu: np.ndarray
    deviance: float
    loglik: float
    converged: bool
    boundary: bool
    iterations: int


def fit_poisson(x: np.ndarray, y: np.ndarray, start: np.ndarray | None = None) -> PoissonFit:
    """Maximum-likelihood Poisson regression with log link by iteratively reweighted least squares."""
    y = np.asarray(y, dtype=float)
    if start is None:
        eta = np.log(y + 0.5)
        beta = np.linalg.lstsq(x, eta, rcond=None)[0]
    else:
        beta = start.copy()
    eta = x @ beta
    dev_old = math.inf
    converged = False
    it = 0
    for it in range(1, MAX_ITER + 1):  # noqa: B007 - iteration count is reported
        mu = np.exp(np.clip(eta, -700, 700))
        w = np.sqrt(mu)
        z = eta + (y - mu) / mu
        beta = np.linalg.lstsq(x * w[:, None], z * w, rcond=None)[0]
        eta = x @ beta
        dev = poisson_deviance(y, np.exp(np.clip(eta, -700, 700)))
        if abs(dev - dev_old) <= TOL * (abs(dev) + 0.1):
            mu = np.exp(np.clip(eta, -700, 700))
            score = np.abs(x.T @ (y - mu)).max(initial=0.0)
            converged = bool(score <= 1e-6 * (1.0 + y.sum()))
            break
        dev_old = dev
    mu = np.exp(np.clip(eta, -700, 700))
    boundary = bool(np.abs(beta[1:]).max(initial=0.0) > BIG_COEF) if beta.size > 1 else False
    ll = float(np.sum(_xlogy(y, mu) - mu - gammaln(y + 1)))
    return PoissonFit(beta, mu, poisson_deviance(y, mu), ll, converged, boundary, it)


def poisson_deviance(y: np.ndarray, mu: np.ndarray) -> float:
    """2 Σ [y log(y/μ) − (y − μ)]."""
    return float(2.0 * np.sum(_xlogy(y, y) - _xlogy(y, mu) - (y - mu)))


def _xlogy(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.zeros_like(np.asarray(a, dtype=float))
    pos = a > 0
    out[pos] = a[pos] * np.log(b[pos])
    return out


class ProfileLikelihood:
    """The multinomial profile log-likelihood of N for one model on one table."""

    def __init__(self, design: np.ndarray, counts: np.ndarray) -> None:
        self.design = design
        self.y_obs = np.asarray(counts[1:], dtype=float)
        self.n = float(self.y_obs.sum())
        self._start: np.ndarray | None = None

    def loglik(self, total: float) -> float:
        """ℓ(N) maximised over the cell probabilities with the unobserved count fixed at N − n."""
        n0 = max(total - self.n, 0.0)
        y = np.concatenate(([n0], self.y_obs))
        fit = fit_poisson(self.design, y, self._start)
        if not fit.converged and self._start is not None:
            fit = fit_poisson(self.design, y)
        self._start = fit.beta if fit.converged and not fit.boundary and n0 > 0 else None
        p = fit.mu / fit.mu.sum()
        return float(gammaln(total + 1) - gammaln(n0 + 1) + np.sum(_xlogy(y, p)))

    def maximum(self, guess: float) -> tuple[float, float]:
        """(N at the maximum, ℓ there), searched around `guess`."""
        lo = self.n
        hi = max(guess * 4.0, self.n + 10.0)
        res = minimize_scalar(lambda t: -self.loglik(t), bounds=(lo, hi), method="bounded", options={"xatol": 1e-6})
        best_n, best = float(res.x), -float(res.fun)
        at_guess = self.loglik(guess)
        if at_guess > best:
            best_n, best = guess, at_guess
        return best_n, best

    def interval(self, guess: float, level_chi2: float = CHI2_95) -> tuple[float, float | None, float]:
        """(lower, upper or None if unbounded, N at the maximum) where 2(ℓmax − ℓ(N)) ≤ level_chi2."""
        top_n, top = self.maximum(guess)

        def gap(t: float) -> float:
            return 2.0 * (top - self.loglik(t)) - level_chi2

        lower = self.n if gap(self.n) <= 0 else brentq(gap, self.n, top_n, xtol=1e-6 * top_n)
        upper: float | None = None
        t = top_n
        step = max(top_n - self.n, 1.0)
        for _ in range(40):
            t_next = t + step
            if gap(t_next) > 0:
                upper = brentq(gap, t, t_next, xtol=1e-6 * top_n)
                break
            t, step = t_next, step * 2.0
            if t > 1e6 * max(self.n, 1.0):
                break
        return float(lower), upper, top_n

    def signed_root(self, total: float, top_n: float, top: float) -> float:
        """sign(N − N̂) √(2(ℓmax − ℓ(N))), the quantity a profile interval inverts."""
        d = max(2.0 * (top - self.loglik(total)), 0.0)
        return math.copysign(math.sqrt(d), total - top_n)
