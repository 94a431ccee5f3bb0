"""LCMCR: the Bayesian non-parametric latent-class model of Manrique-Vallier (2016, Biometrics).

Every person, seen or not, belongs to one of K* latent classes; within a class the lists capture independently, list j
with probability λ[j, k]. Class weights π follow a stick-breaking prior truncated at K*, V_k ~ Beta(1, α), with
α ~ Gamma(a, b) (shape, rate); λ[j, k] ~ Beta(a_λ, b_λ), Beta(1, 1) by default as LCMCR (`lambda_prior`; see
docs/estimation.md, "The prior on λ"); p(N) ∝ 1/N. The Gibbs sampler augments the data with the class
of every person and with the unseen persons, in LCMCR's order:

1. class counts of the persons on each capture pattern ~ Multinomial(count, π_k Π_j λ^x (1 − λ)^(1−x));
2. λ[j, k] ~ Beta(a_λ + captured, b_λ + not captured) within class k, the unseen persons counted as not captured;
3. V_k ~ Beta(1 + n_k, α + Σ_{l>k} n_l), π from V, all in log scale (see below);
4. the number unseen n0 ~ NegativeBinomial(n, 1 − p0), p0 = Σ_k π_k Π_j (1 − λ[j, k]) (the 1/N prior makes this
   exact), redrawn while n0 > 20 n as LCMCR 0.4.13+ does (its prior on N is cut at 21 n);
5. their classes ~ Multinomial(n0, π_k Π_j (1 − λ[j, k]) / p0);
6. α ~ Gamma(a + K* − 1, b − Σ_{k<K*} log(1 − V_k)).

Step 3 must be exact in log scale. When α is small, a class with no member after it has V_k ~ Beta(1 + n_k, α) and
1 − V_k is far below double precision (log(1 − V_k) ≈ −1/α); clipping V_k below 1 cuts Σ log(1 − V_k) short, which
pushes α up, opens extra classes and fattens the upper tail of N (it did: HIV's 97.5% point 14,600 instead of 13,000).
So V_k is drawn as G1 / (G1 + G2) with log G1, log G2 drawn exactly (for shape s < 1, log G(s) = log G(s + 1) +
log(U) / s, Robert & Casella 2004), as LCMCR's C++ does.

The sampler moves between modes very slowly (Ned_5 has one near 140,000 beside the main one near 48,000; UKdat_5 a
"three classes" one near 12,400 beside the main one near 22,000), so chains started alike can all miss a mode and
agree on a wrong answer. The chains therefore start over-dispersed (Gelman and Rubin 1992; `start_plan`): the total
spread from the number observed up to the 21 n cap, the unseen of the high starts in a class of their own; R-hat
(rank-normalised split, bulk and folded; `diagnostics.rhat`) and the distance between chain medians
(`diagnostics.mode_separation`) then show a mode that some chains keep and others never reach.

Persons sharing a capture pattern are exchangeable, so step 1 draws one multinomial per pattern rather than a class per
person: one iteration costs O(2^k · K*), whatever the number of persons.
"""

from __future__ import annotations

import numba
import numpy as np

from tawthiq.errors import EstimationError
from tawthiq.estimate.diagnostics import ess, mode_separation, rhat
from tawthiq.estimate.loglinear import sparse_warnings
from tawthiq.estimate.result import Estimate
from tawthiq.estimate.table import OverlapTable

DEFAULT_CLASSES = 10
DEFAULT_BURNIN = 10_000
DEFAULT_ITERATIONS = 100_000
DEFAULT_THIN = 10
DEFAULT_CHAINS = 4
DEFAULT_LAMBDA_PRIOR = (1.0, 1.0)  # Beta(a, b) on each capture probability λ[j, k], LCMCR's uniform
RHAT_LIMIT = 1.1
MODE_SEPARATION_LIMIT = 1.0  # chain medians further apart than a chain's interquartile range
MIN_ESS = 400
WARMUP = 500  # iterations with α held small before burn-in, as LCMCR
MAX_TOTAL_FACTOR = 21  # LCMCR's prior on N is cut at 21 × observed
CAP_WARNING_SHARE = 0.9  # an upper end above 90% of that cut is set by the cut


@numba.njit(cache=True)
def _multinomial(n: int, probs: np.ndarray, out: np.ndarray) -> None:
    """out[k] += draws of Multinomial(n, probs) by sequential binomials (probs sum to 1)."""
    remaining = n
    rest = 1.0
    last = probs.size - 1
    for k in range(last):
        if remaining == 0:
            return
        p = probs[k] / rest if rest > 0 else 0.0
        if p >= 1.0:
            out[k] += remaining
            return
        if p > 0.0:
            b = np.random.binomial(remaining, p)
            out[k] += b
            remaining -= b
        rest -= probs[k]
    out[last] += remaining


@numba.njit(cache=True)
def _log_gamma(shape: float) -> float:
    """log of a Gamma(shape, 1) draw, exact even where the draw itself underflows (shape far below 1)."""
    if shape >= 1.0:
        return np.log(np.random.gamma(shape, 1.0))
    shape = max(shape, 1e-300)  # α can drift towards 0; keep the division and the α update finite
    return np.log(np.random.gamma(shape + 1.0, 1.0)) + np.log(1.0 - np.random.random()) / shape


@numba.njit(cache=True)
def _sticks(n_k: np.ndarray, alpha: float, pi: np.ndarray) -> float:
    """Draw V_k ~ Beta(1 + n_k, α + Σ_{l>k} n_l) in log scale, set π; returns Σ_{k<K*} log(1 − V_k)."""
    tail = n_k.sum()
    log_rest = 0.0
    last = pi.size - 1
    for k in range(last):
        tail -= n_k[k]
        g1 = _log_gamma(1.0 + n_k[k])
        g2 = _log_gamma(alpha + tail)
        top = max(g1, g2)
        log_sum = top + np.log(np.exp(g1 - top) + np.exp(g2 - top))
        pi[k] = np.exp(g1 - log_sum + log_rest)
        log_rest += g2 - log_sum
    pi[last] = np.exp(log_rest)
    return log_rest


@numba.njit(cache=True)
def _initial_weights(pi: np.ndarray) -> None:
    """LCMCR's starting weights: one stick-breaking draw with α = 1 (V_k ~ Beta(1, 1))."""
    _sticks(np.zeros(pi.size, dtype=np.int64), 1.0, pi)


@numba.njit(cache=True)
def _unseen(n_obs: int, p0: float) -> int:
    """n0 ~ NegativeBinomial(n, 1 − p0) cut at 20 n as LCMCR (redrawn above it; 1,000 tries, then the cut)."""
    if p0 <= 0.0:
        return 0
    for _ in range(1000):
        n0 = np.random.negative_binomial(n_obs, max(1.0 - p0, 1e-300))
        if n0 <= 20 * n_obs:
            return n0
    return 20 * n_obs


@numba.njit(cache=True)
def _sweep(
    x: np.ndarray, counts: np.ndarray, lam: np.ndarray, pi: np.ndarray, alpha: float,
    a_alpha: float, b_alpha: float, update_alpha: bool, work: np.ndarray, n_k: np.ndarray, s_jk: np.ndarray,
    z0_k: np.ndarray, a_lambda: float, b_lambda: float,
) -> tuple[int, float]:  # fmt: skip
    """One Gibbs iteration, updating lam, pi, z0_k in place; returns (n0, alpha)."""
    n_cells, n_lists = x.shape
    n_classes = pi.size
    probs, added_k = work[0], np.zeros(n_classes, dtype=np.int64)
    n_k[:] = 0
    s_jk[:, :] = 0
    for c in range(n_cells):  # 1. classes of the persons seen
        if counts[c] == 0:
            continue
        total = 0.0
        for k in range(n_classes):
            p = pi[k]
            for j in range(n_lists):
                p *= lam[j, k] if x[c, j] == 1 else 1.0 - lam[j, k]
            probs[k] = p
            total += p
        if total <= 0.0:
            probs[:] = 1.0 / n_classes
        else:
            probs /= total
        added_k[:] = 0
        _multinomial(counts[c], probs, added_k)
        for k in range(n_classes):
            n_k[k] += added_k[k]
            if added_k[k] > 0:
                for j in range(n_lists):
                    if x[c, j] == 1:
                        s_jk[j, k] += added_k[k]
    for k in range(n_classes):  # persons unseen, classes drawn at the end of the previous sweep
        n_k[k] += z0_k[k]
    for j in range(n_lists):  # 2. capture probabilities
        for k in range(n_classes):
            lam[j, k] = np.random.beta(a_lambda + s_jk[j, k], b_lambda + n_k[k] - s_jk[j, k])
    log_rest = _sticks(n_k, alpha, pi)  # 3. stick-breaking weights
    miss = work[1]  # 4-5. the persons no list saw, and their classes
    p0 = 0.0
    for k in range(n_classes):
        q = pi[k]
        for j in range(n_lists):
            q *= 1.0 - lam[j, k]
        miss[k] = q
        p0 += q
    n0 = _unseen(counts.sum(), p0)
    z0_k[:] = 0
    if n0 > 0:
        miss /= p0
        _multinomial(n0, miss, z0_k)
    if update_alpha:  # 6. concentration
        alpha = np.random.gamma(a_alpha + n_classes - 1, 1.0 / (b_alpha - log_rest))
    return n0, alpha


@numba.njit(cache=True)
def _start(
    x: np.ndarray, counts: np.ndarray, start_unseen: int, lam: np.ndarray, pi: np.ndarray, z0_k: np.ndarray
) -> None:
    """Set a chain's starting state in place.

    start_unseen = 0: LCMCR 0.4.13+'s start, λ at each list's share of the persons seen, weights from one
    stick-breaking draw with α = 1, nobody unseen (LCMCR also fills its `nuK` with 0.9/4 on four classes, but its
    sampler reads `log_nuK`, the random draw). start_unseen > 0: the same, plus that many unseen persons in a class
    of their own that the lists barely reach (λ = 0.5 / start_unseen), holding their share of the weight: a start
    far out in the upper tail of N, over-dispersed as Gelman and Rubin (1992) ask.
    """
    n_lists, n_classes = lam.shape
    n_obs = counts.sum()
    for j in range(n_lists):
        lam[j, :] = (x[:, j] * counts).sum() / n_obs
    _initial_weights(pi)
    z0_k[:] = 0
    if start_unseen > 0:
        last = n_classes - 1
        lam[:, last] = 0.5 / start_unseen
        pi *= n_obs / (n_obs + start_unseen)
        pi[last] += start_unseen / (n_obs + start_unseen)
        z0_k[last] = start_unseen


@numba.njit(cache=True)
def _warm_up(
    x: np.ndarray, counts: np.ndarray, lam: np.ndarray, pi: np.ndarray, z0_k: np.ndarray, work: np.ndarray,
    n_k: np.ndarray, s_jk: np.ndarray, a_lambda: float, b_lambda: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """LCMCR's warm-up: WARMUP iterations with α held at 0.3/K*, then classes sorted by weight."""
    alpha = 0.3 / pi.size
    for _ in range(WARMUP):
        _sweep(x, counts, lam, pi, alpha, 0.0, 1.0, False, work, n_k, s_jk, z0_k, a_lambda, b_lambda)
    order = np.argsort(-pi)
    return lam[:, order].copy(), pi[order].copy(), z0_k[order].copy()


@numba.njit(cache=True)
def _run_chain(
    x: np.ndarray, counts: np.ndarray, n_classes: int, a_alpha: float, b_alpha: float,
    burnin: int, iterations: int, thin: int, seed: int, start_unseen: int, a_lambda: float = 1.0,
    b_lambda: float = 1.0,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """One chain from `_start(start_unseen)` and LCMCR's warm-up; returns (N draws, α draws), one per `thin`
    iterations after `burnin`. λ[j, k] ~ Beta(a_lambda, b_lambda) a priori."""
    np.random.seed(seed)
    n_lists = x.shape[1]
    n_obs = counts.sum()
    lam = np.empty((n_lists, n_classes))
    pi = np.empty(n_classes)
    work = np.empty((2, n_classes))
    n_k = np.zeros(n_classes, dtype=np.int64)
    s_jk = np.zeros((n_lists, n_classes), dtype=np.int64)
    z0_k = np.zeros(n_classes, dtype=np.int64)
    _start(x, counts, start_unseen, lam, pi, z0_k)
    lam, pi, z0_k = _warm_up(x, counts, lam, pi, z0_k, work, n_k, s_jk, a_lambda, b_lambda)
    alpha = 0.3 / n_classes
    keep = iterations // thin
    draws_n = np.empty(keep)
    draws_alpha = np.empty(keep)
    for it in range(burnin + iterations):
        n0, alpha = _sweep(x, counts, lam, pi, alpha, a_alpha, b_alpha, True, work, n_k, s_jk, z0_k, a_lambda, b_lambda)
        if it >= burnin and (it - burnin) % thin == thin - 1:
            i = (it - burnin) // thin
            draws_n[i] = n_obs + n0
            draws_alpha[i] = alpha
    return draws_n, draws_alpha


def start_plan(chains: int, observed: int) -> list[int]:
    """Unseen persons at the start of each chain: over-dispersed starts (Gelman and Rubin 1992).

    Even-numbered chains start as LCMCR does (nobody unseen, λ at the lists' shares, class weights from their own
    random stick-breaking draw); odd-numbered chains start high, with the unseen in a hidden class and the total
    spread geometrically up to LCMCR's cap of 21 × observed (chain 2i − 1 at observed × 21^(i/h), h = m // 2 high
    chains: with 4 chains, 4.6 × and 21 × observed).
    A table with a mode far out in the upper tail (Ned_5's near 140,000) keeps the high chains there while the
    others stay low, and the chains disagree; on a table without one, every start is forgotten within LCMCR's
    warm-up.
    """
    high = chains // 2
    plan = []
    for c in range(chains):
        factor = 1.0 if c % 2 == 0 else MAX_TOTAL_FACTOR ** ((c + 1) // 2 / high)
        plan.append(round((factor - 1.0) * observed))
    return plan


def chain_seeds(seed: int | None, chains: int) -> list[int]:
    """Independent 32-bit seeds for each chain, reproducible from one seed."""
    sequence = np.random.SeedSequence(seed)
    return [int(s.generate_state(1)[0]) for s in sequence.spawn(chains)]


def sample_lcmcr(
    table: OverlapTable,
    *,
    chains: int = DEFAULT_CHAINS,
    seed: int | None = None,
    classes: int = DEFAULT_CLASSES,
    burnin: int = DEFAULT_BURNIN,
    iterations: int = DEFAULT_ITERATIONS,
    thin: int = DEFAULT_THIN,
    a_alpha: float = 0.25,
    b_alpha: float = 0.25,
    lambda_prior: tuple[float, float] = DEFAULT_LAMBDA_PRIOR,
) -> np.ndarray:
    """Posterior draws of N, one row per chain (chains × iterations/thin).

    `lambda_prior` (a, b): the Beta(a, b) prior on every capture probability λ[j, k]; LCMCR's Beta(1, 1) by default.
    """
    _check_settings(table, chains, classes, burnin, iterations, thin, a_alpha, b_alpha, lambda_prior)
    x = table.patterns()[1:].astype(np.int64)
    counts = table.counts[1:].astype(np.int64)
    a_lam, b_lam = float(lambda_prior[0]), float(lambda_prior[1])
    rows = [
        _run_chain(
            x, counts, classes, float(a_alpha), float(b_alpha), burnin, iterations, thin, s, unseen, a_lam, b_lam
        )[0]
        for s, unseen in zip(chain_seeds(seed, chains), start_plan(chains, table.observed), strict=True)
    ]
    return np.vstack(rows)


def _check_settings(
    table: OverlapTable, chains: int, classes: int, burnin: int, iterations: int, thin: int, a: float, b: float,
    lambda_prior: tuple[float, float],
) -> None:  # fmt: skip
    problems = []
    if table.k < 3:
        problems.append(f"the latent-class model needs at least 3 lists, this table has {table.k}")
    if chains < 1 or classes < 2 or burnin < 0 or thin < 1 or iterations < 4 * thin:
        problems.append(
            f"chains={chains}, classes={classes}, burn-in={burnin}, iterations={iterations}, thin={thin} are not "
            "usable (need chains ≥ 1, classes ≥ 2, iterations ≥ 4 × thin)"
        )
    if a <= 0 or b <= 0:
        problems.append("the Gamma prior on α needs positive shape and rate")
    problems.extend(lambda_prior_problems(lambda_prior))
    if problems:
        raise EstimationError(f"{table.name}: " + "; ".join(problems))


def lambda_prior_problems(prior: tuple[float, float]) -> list[str]:
    """What is wrong with a Beta(a, b) prior on λ (empty when a and b are finite and above 0)."""
    if len(prior) != 2:
        return [f"the Beta prior on λ needs two values a, b, got {len(prior)}"]
    a, b = prior
    if not (np.isfinite(a) and np.isfinite(b) and a > 0 and b > 0):
        return [f"the Beta(a, b) prior on λ needs a > 0 and b > 0, got a={a}, b={b}"]
    return []


def lcmcr(
    table: OverlapTable,
    *,
    chains: int = DEFAULT_CHAINS,
    seed: int | None = None,
    classes: int = DEFAULT_CLASSES,
    burnin: int = DEFAULT_BURNIN,
    iterations: int = DEFAULT_ITERATIONS,
    thin: int = DEFAULT_THIN,
    lambda_prior: tuple[float, float] = DEFAULT_LAMBDA_PRIOR,
) -> Estimate:
    """Posterior median of N with a 95% credible interval, R-hat/ESS across chains and plain warnings.

    `lambda_prior` (a, b): the Beta(a, b) prior on the capture probabilities, LCMCR's Beta(1, 1) by default; others
    are an option to study, not a fix (docs/estimation.md, "The prior on λ").
    """
    draws = sample_lcmcr(
        table, chains=chains, seed=seed, classes=classes, burnin=burnin, iterations=iterations, thin=thin,
        lambda_prior=lambda_prior,
    )  # fmt: skip
    a_lam, b_lam = float(lambda_prior[0]), float(lambda_prior[1])
    pooled = draws.ravel()
    lo, median, hi = np.quantile(pooled, [0.025, 0.5, 0.975])
    chain_medians = np.median(draws, axis=1)
    r = rhat(draws) if chains > 1 else float("nan")
    effective = ess(draws)
    separation = mode_separation(draws)
    result = Estimate(
        method="lcmcr",
        model=f"LCMCR K*={classes}, alpha ~ Gamma(0.25, 0.25), lambda ~ Beta({a_lam:g}, {b_lam:g})",
        observed=table.observed,
        estimate=float(median),
        ci_95=(float(lo), float(hi)),
        lists=table.lists,
        diagnostics={
            "rhat": r,
            "ess": effective,
            "chains": chains,
            "chain_medians": chain_medians,
            "mode_separation": separation,
            "chain_starts": [unseen + table.observed for unseen in start_plan(chains, table.observed)],
            "burnin": burnin,
            "iterations": iterations,
            "thin": thin,
            "seed": seed,
            "lambda_prior": [a_lam, b_lam],
        },
        details={"posterior_mean": float(pooled.mean()), "interval": "posterior 2.5% and 97.5% quantiles"},
        draws=pooled,
        chains=draws,
    )
    result.warnings.extend(_warnings(table, r, effective, chain_medians, separation, float(median), float(hi)))
    result.warnings.extend(_cap_warning(table, float(hi)))
    return result


def _warnings(
    table: OverlapTable, r: float, effective: float, medians: np.ndarray, separation: float, median: float,
    upper: float,
) -> list[str]:  # fmt: skip
    out: list[str] = []
    shown = ", ".join(f"{m:,.0f}" for m in medians)
    if np.isfinite(r) and r > RHAT_LIMIT:
        out.append(
            f"The {medians.size} chains, started far apart, disagree (R-hat {r:.2f} > {RHAT_LIMIT}; chain medians "
            f"{shown}): the sampler has not settled on one answer, so this estimate is not to be trusted. Report "
            "the disagreement, not the number."
        )
    if separation > MODE_SEPARATION_LIMIT:
        out.append(
            f"The chains sit in separate modes (the medians of two chains lie {separation:.1f} times a chain's "
            f"interquartile range apart; chain medians {shown}): the data support very different totals and "
            "the pooled median falls wherever the chains happened to settle."
        )
    elif medians.size == 1:
        out.append("Only one chain was run, so convergence cannot be checked; run several chains (--chains 4).")
    if np.isfinite(effective) and effective < MIN_ESS:
        out.append(
            f"Only about {effective:.0f} effectively independent draws: the interval ends are imprecise; "
            "run more iterations."
        )
    if upper > 3 * median:
        out.append(
            "The posterior has a long upper tail (the 97.5% point is over three times the median): the data are "
            "compatible with far larger totals than the median suggests."
        )
    out.extend(sparse_warnings(table, 0))
    return out


def _cap_warning(table: OverlapTable, upper: float) -> list[str]:
    """The posterior pressed against LCMCR's cut of the prior on N at 21 × observed: the cut, not the data, sets it."""
    cap = MAX_TOTAL_FACTOR * table.observed
    if upper < CAP_WARNING_SHARE * cap:
        return []
    return [
        f"The upper end of the interval ({upper:,.0f}) reaches the cut LCMCR puts on the total (21 × the "
        f"{table.observed:,} observed = {cap:,}): the data do not bound the total, the cut does, so this estimate "
        "is not to be trusted; say that the lists cannot tell how many were missed."
    ]
