"""The stepwise log-linear method of SparseMSE 2.0.1 `estimatepopulation` (Chan, Silverman and Vincent 2021).

Start from the main-effects (independence) model. At each step, for every pair of lists not yet in the model, compare
the number of persons on both lists with its Poisson distribution under the current fit (mean: the fitted counts of
the cells on both lists) and take the two-sided tail p-value min(P(X ≤ n*), P(X ≥ n*)). A pair whose model would
fail the existence test (Fienberg and Rinaldo's linear program: the maximum-likelihood estimate exists only if some
strictly positive table has the same sufficient statistics) or the identifiability test (the design matrix has full
column rank) gets p = 1. Add the pair with the smallest p-value (the first such pair on a tie) while it is below
`pthresh` (0.02), and refit. A pair with no person in common ("non-overlapping") is handled as SparseMSE does: the
cells holding both lists are dropped and the pair's parameter is left out (it runs to −∞).

The estimate is observed + exp(intercept). The interval is the BCa bootstrap interval of DiCiccio and Efron (1996),
as SparseMSE's `estimatepopulation` and `bcaconfvalues` compute it: `nboot` multinomial resamples of the observed
persons (total fixed), each re-running the whole stepwise choice; the bias z0 from the share of resampled estimates
strictly below the estimate; the acceleration from a jackknife removing one person of each observed capture pattern in
turn, weighted by the pattern's count; the interval on N itself, read from the bootstrap estimates with R's quantile
type 8.

The resamples are the ones R draws (:mod:`tawthiq.estimate.rstream`: `set.seed(seed)` and `rmultinom` over the
observed patterns in the input's row order), so with SparseMSE's default seed, 1234, the interval is SparseMSE's to
the cent on all five reference tables. That matters where the stepwise choice is unstable: most resamples then pick
another model, the bootstrap estimates lean to one side (z0 about −0.5 on the UK tables) and an end is read far out in
the tail (the 0.2% point on UKdat_5, i.e. the second or third lowest of 1,000 resamples), where it moves by several
per cent with the seed (UKdat_5's lower end ranged 8,922–9,524 over 24 seeds of another generator, UKdat's
8,262–9,492 over 9). `bca_levels` in the diagnostics gives those points, and a warning says when an end rests on
fewer than `THIN_TAIL` resamples: agreeing with SparseMSE's run does not make such an end less seed-dependent.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog
from scipy.stats import norm, poisson

from tawthiq.errors import EstimationError
from tawthiq.estimate.glm import PoissonFit, fit_poisson
from tawthiq.estimate.loglinear import model_name, sparse_warnings
from tawthiq.estimate.result import Estimate
from tawthiq.estimate.rstream import RStream
from tawthiq.estimate.table import OverlapTable, pattern_matrix

Pair = tuple[int, int]
PTHRESH = 0.02
NBOOT = 1000
SEED = 1234  # SparseMSE's default iseed
LP_ZERO = 1e-9  # the existence LP's optimum at or below this is 0: no strictly positive table fits
THIN_TAIL = 10  # an interval end read with fewer resamples than this beyond it is flagged as seed-dependent


@dataclass(frozen=True)
class PairsFit:
    """A log-linear model of main effects plus two-list terms, fitted as SparseMSE's `modelfit`."""

    pairs: tuple[Pair, ...]
    empty: tuple[Pair, ...]  # pairs in the model with nobody on both lists: their cells are dropped
    rows: np.ndarray  # the capture patterns (1 … 2^k − 1) kept in the fit
    fit: PoissonFit
    estimate: float


@dataclass
class StepwiseChecker:
    """Fits and existence/identifiability checks for one table's list count, cached by zero pattern and model
    (both tests depend only on which cells are empty, which repeats across bootstrap resamples)."""

    k: int
    patterns: np.ndarray = field(init=False)
    _checks: dict[tuple[bytes, tuple[Pair, ...]], bool] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.patterns = pattern_matrix(self.k)[1:]

    def design(self, counts: np.ndarray, pairs: tuple[Pair, ...]) -> tuple[np.ndarray, np.ndarray, tuple[Pair, ...]]:
        """(kept rows, design matrix on them, non-overlapping pairs) as SparseMSE's `buildmodelmatrix`."""
        pats = self.patterns
        keep = np.ones(len(pats), dtype=bool)
        empty: list[Pair] = []
        live: list[Pair] = []
        for a, b in pairs:
            both = pats[:, a] * pats[:, b]
            if counts[both == 1].sum() == 0:
                empty.append((a, b))
                keep &= both == 0
            else:
                live.append((a, b))
        rows = np.flatnonzero(keep)
        cols = [np.ones(rows.size), *(pats[rows, j] for j in range(self.k))]
        cols += [pats[rows, a] * pats[rows, b] for a, b in live]
        return rows, np.column_stack(cols).astype(float), tuple(empty)

    def admissible(self, counts: np.ndarray, pairs: tuple[Pair, ...]) -> bool:
        """SparseMSE `checkident(...) == 0`: the estimate exists (LP test) and is identifiable (full rank)."""
        key = ((counts > 0).tobytes(), pairs)
        if key not in self._checks:
            self._checks[key] = self._admissible(counts, pairs)
        return self._checks[key]

    def _admissible(self, counts: np.ndarray, pairs: tuple[Pair, ...]) -> bool:
        rows, x, _ = self.design(counts, pairs)
        if np.linalg.matrix_rank(x) < x.shape[1]:
            return False
        y = counts[rows].astype(float)
        if (y > 0).all():
            return True  # the observed table itself is strictly positive
        n_obs, n_par = x.shape
        # variables (cells…, t): maximise t subject to xᵀ cells = xᵀ y and every cell ≥ t ≥ 0
        objective = np.zeros(n_obs + 1)
        objective[-1] = -1.0
        a_eq = np.hstack([x.T, np.zeros((n_par, 1))])
        a_ub = np.hstack([-np.eye(n_obs), np.ones((n_obs, 1))])
        res = linprog(objective, A_ub=a_ub, b_ub=np.zeros(n_obs), A_eq=a_eq, b_eq=x.T @ y, method="highs")
        if res.status != 0:
            raise EstimationError(f"the existence check's linear program failed ({res.message})")
        return bool(-res.fun > LP_ZERO)

    def fit(self, counts: np.ndarray, pairs: tuple[Pair, ...]) -> PairsFit:
        """Fit main effects plus `pairs`; N̂ = observed + exp(intercept)."""
        rows, x, empty = self.design(counts, pairs)
        fit = fit_poisson(x, counts[rows].astype(float))
        observed = float(counts.sum())
        estimate = observed + math.exp(min(float(fit.beta[0]), 700.0))
        return PairsFit(pairs, empty, rows, fit, estimate)

    def select(self, counts: np.ndarray, pthresh: float = PTHRESH) -> PairsFit:
        """SparseMSE `stepwisefit`: add pairs one by one by Poisson p-value (see the module docstring)."""
        pats = self.patterns
        candidates = list(itertools.combinations(range(self.k), 2))
        on_both = np.array([float(counts[(pats[:, a] * pats[:, b]) == 1].sum()) for a, b in candidates])
        current = self.fit(counts, ())
        if pthresh == 0:
            return current
        chosen: tuple[Pair, ...] = ()
        both = np.array([pats[:, a] * pats[:, b] for a, b in candidates], dtype=float)  # pairs × patterns
        for _ in candidates:
            means = both[:, current.rows] @ current.fit.mu
            pvalues = np.minimum(poisson.cdf(on_both, means), poisson.sf(on_both - 1, means))
            best = next(
                (
                    j
                    for j in np.lexsort((np.arange(len(candidates)), pvalues))
                    if pvalues[j] < pthresh
                    and candidates[j] not in chosen
                    and self.admissible(counts, (*chosen, candidates[j]))
                ),
                None,
            )
            if best is None:
                return current
            chosen = (*chosen, candidates[best])
            current = self.fit(counts, chosen)
        return current


def bca_levels(boot: np.ndarray, estimate: float, accel: float, levels: tuple[float, ...]) -> np.ndarray:
    """The bootstrap probabilities at which BCa reads `levels` (SparseMSE `bcaconfvalues`): bias z0 from the share of
    resamples strictly below the estimate. Unlike R, the share is kept off 0 and 1 (half a resample), so that a
    bootstrap entirely on one side still gives finite ends."""
    share = float(np.mean(boot < estimate))
    z0 = norm.ppf(min(max(share, 0.5 / boot.size), 1.0 - 0.5 / boot.size))
    za = norm.ppf(np.asarray(levels)) + z0
    return np.asarray(norm.cdf(z0 + za / (1.0 - accel * za)), dtype=float)


def bca_interval(boot: np.ndarray, estimate: float, accel: float, levels: tuple[float, ...]) -> list[float]:
    """BCa bootstrap quantiles at `levels`, read from the bootstrap estimates with R's type 8 (SparseMSE)."""
    probs = bca_levels(boot, estimate, accel, levels)
    return [float(q) for q in np.quantile(boot, probs, method="median_unbiased")]


@dataclass(frozen=True)
class Bootstrap:
    """The stepwise fits of the resamples and the BCa 95% interval built on them."""

    fits: tuple[PairsFit, ...]
    estimates: np.ndarray
    accel: float
    levels: tuple[float, float]  # bootstrap probabilities at which the lower and upper ends are read
    interval: tuple[float, float]


def bootstrap_bca(
    checker: StepwiseChecker, counts: np.ndarray, estimate: float, resamples: np.ndarray, pthresh: float = PTHRESH
) -> Bootstrap:
    """Re-run the stepwise choice on each row of `resamples` (counts of patterns 1 … 2^k − 1) and build the BCa 95%
    interval around `estimate` as SparseMSE `estimatepopulation` does."""
    fits = tuple(checker.select(row, pthresh) for row in resamples)
    boot = np.array([f.estimate for f in fits], dtype=float)
    accel = jackknife_acceleration(checker, counts, pthresh)
    lo_p, hi_p = (float(p) for p in bca_levels(boot, estimate, accel, (0.025, 0.975)))
    lower, upper = bca_interval(boot, estimate, accel, (0.025, 0.975))
    return Bootstrap(fits, boot, accel, (lo_p, hi_p), (lower, upper))


def jackknife_acceleration(checker: StepwiseChecker, counts: np.ndarray, pthresh: float) -> float:
    """Acceleration â from removing one person of each observed capture pattern in turn, each counted as often as
    the pattern holds persons (SparseMSE)."""
    weights = counts[counts > 0].astype(float)
    jack = np.array([_without_one(checker, counts, int(p), pthresh) for p in np.flatnonzero(counts > 0)])
    resid = np.dot(weights, jack) / weights.sum() - jack
    spread = float(np.dot(weights, resid**2))
    return 0.0 if spread == 0 else float(np.dot(weights, resid**3) / (6.0 * spread**1.5))


def _without_one(checker: StepwiseChecker, counts: np.ndarray, p: int, pthresh: float) -> float:
    reduced = counts.copy()
    reduced[p] -= 1
    return checker.select(reduced, pthresh).estimate


def stepwise(table: OverlapTable, nboot: int = NBOOT, seed: int | None = SEED, pthresh: float = PTHRESH) -> Estimate:
    """SparseMSE's stepwise estimate with its BCa bootstrap 95% interval (`nboot` resamples, seeded)."""
    if table.k < 3:
        raise EstimationError(
            f"{table.name}: the stepwise method chooses among pairs of lists and needs at least three lists, this "
            f"table has {table.k}",
            hint="use --method chapman for two lists",
        )
    if nboot < 100:
        raise EstimationError(f"{table.name}: a BCa interval needs at least 100 bootstrap resamples, not {nboot}")
    counts = table.counts[1:].copy()
    checker = StepwiseChecker(table.k)
    chosen = checker.select(counts, pthresh)
    resamples = r_resamples(table, nboot, SEED if seed is None else seed)
    boot = bootstrap_bca(checker, counts, chosen.estimate, resamples, pthresh)
    other_model = float(np.mean([set(f.pairs) != set(chosen.pairs) for f in boot.fits]))
    lower, upper = boot.interval
    terms = model_name([frozenset(p) for p in chosen.pairs], table.lists)
    result = Estimate(
        method="loglinear",
        model="stepwise",
        observed=table.observed,
        estimate=chosen.estimate,
        ci_95=(lower, upper),
        lists=table.lists,
        diagnostics={
            "terms": terms,
            "non_overlapping_pairs": [model_name([frozenset(p)], table.lists) for p in chosen.empty],
            "deviance": chosen.fit.deviance,
            "converged": chosen.fit.converged,
            "bootstrap": nboot,
            "seed": SEED if seed is None else seed,
            "acceleration": boot.accel,
            "bca_levels": list(boot.levels),
            "bootstrap_other_model_share": other_model,
        },
        details={"interval": "BCa bootstrap (SparseMSE estimatepopulation)", "terms": terms},
    )
    result.warnings.extend(_warnings(table, chosen, boot))
    return result


def r_resamples(table: OverlapTable, nboot: int, seed: int) -> np.ndarray:
    """The ``nboot`` multinomial resamples of the observed persons that SparseMSE draws after ``set.seed(seed)``
    (R's stream, :mod:`tawthiq.estimate.rstream`, over the patterns in the input's order), one row each, columns the
    patterns 1 … 2^k − 1."""
    stream = RStream(seed)
    patterns = table.input_order()
    observed = table.counts[patterns]
    resamples = np.zeros((nboot, table.counts.size - 1), dtype=np.int64)
    columns = np.array(patterns) - 1
    for row in resamples:
        row[columns] = stream.multinomial(int(observed.sum()), observed)
    return resamples


def _warnings(table: OverlapTable, chosen: PairsFit, boot: Bootstrap) -> list[str]:
    out = sparse_warnings(table, 1 + table.k + len(chosen.pairs))
    out.append(
        "The pairs in this model were chosen by a stepwise search on the same data; the interval repeats the search "
        "in every bootstrap resample, but stepwise selection still tends to overstate how sure it is (Whitehead et "
        "al. 2021): compare with --method bma and --method lcmcr before relying on it."
    )
    if chosen.empty:
        out.append(
            "Some pairs of lists in the model have nobody in common; SparseMSE's handling drops those combinations, "
            "and the estimate rests on the assumption that they are truly empty in the population."
        )
    spread = np.quantile(boot.estimates, [0.025, 0.975])
    if spread[1] > 3 * spread[0]:
        out.append(
            f"The bootstrap estimates range from {spread[0]:,.0f} to {spread[1]:,.0f} (middle 95%): resampling "
            "the same persons often changes which pairs the search picks, so the estimate is unstable."
        )
    out.extend(_thin_tail_warnings(boot))
    return out


def _thin_tail_warnings(boot: Bootstrap) -> list[str]:
    """Say when a BCa end is read so far out that only a handful of resamples lie beyond it (Efron and Tibshirani
    1993, ch. 14: such ends need many more resamples than the central ones)."""
    nboot = boot.estimates.size
    out = []
    for end, level in (("lower", boot.levels[0]), ("upper", 1.0 - boot.levels[1])):
        beyond = nboot * level
        if beyond < THIN_TAIL:
            out.append(
                f"The {end} end of the interval is read {level:.2%} from the {end} edge of the {nboot:,} bootstrap "
                f"estimates, with about {beyond:.0f} resamples beyond it: it moves by "
                "several per cent from one seed to another (SparseMSE's run, with the same seed, gives the same "
                "end by the same chance); rerun with more resamples (--bootstrap 10000) before quoting it."
            )
    return out
