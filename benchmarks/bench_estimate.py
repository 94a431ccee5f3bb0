"""Multiple systems estimation: LCMCR speed against the reference sampler, the speed target, and a simulation study.

    .venv/bin/python -m benchmarks.bench_estimate                 # everything (simulation: 200 replications)
    .venv/bin/python -m benchmarks.bench_estimate --reps 20       # a short simulation
    .venv/bin/python -m benchmarks.bench_estimate --skip-sim      # speed only (about 30 s)
    .venv/bin/python -m benchmarks.bench_estimate --skip-speed --scenario heterogeneity --reps 20 --em \
        --chains 4 --burnin 10000 --iterations 100000               # default-length LCMCR runs, EM fit beside
    .venv/bin/python -m benchmarks.bench_estimate --skip-speed --skip-sim --posterior-check 3  # sampler check (25 s)
    .venv/bin/python -m benchmarks.bench_estimate --skip-speed --scenario heterogeneity --lcmcr-lambda-prior 0.5,0.5
        # LCMCR with a Beta(0.5, 0.5) prior on λ in the simulation (default Beta(1, 1))
    .venv/bin/python -m benchmarks.bench_estimate --skip-speed --skip-sim --published-lambda-prior 0.5,0.5
        # that prior against Beta(1, 1) on every published table (default-length runs, seed 1)
    .venv/bin/python -m benchmarks.bench_estimate --skip-sim --references   # + BMA and stepwise on every table (3 min)

The full run (two scenarios × 200 replications) takes about 20 minutes of CPU on the project's 2-core machine
(≈ 3 s per replication).
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numba
import numpy as np

from tawthiq.estimate.bma import bma
from tawthiq.estimate.chapman import chapman
from tawthiq.estimate.lcmcr import lcmcr, sample_lcmcr
from tawthiq.estimate.loglinear import loglinear
from tawthiq.estimate.result import Estimate
from tawthiq.estimate.stepwise import stepwise
from tawthiq.estimate.table import OverlapTable, read_overlap_csv

ALPHA_PRIOR = (0.25, 0.25)  # LCMCR's Gamma(shape, rate) prior on the stick-breaking α
MAX_FACTOR = 21  # LCMCR's prior on N is cut at 21 × observed
MSE = Path(__file__).resolve().parents[1] / ".." / "shared" / "mse"


def bench_reference_speed() -> None:
    """One chain of 110,000 iterations (10,000 burn-in + 100,000, thinned by 10) on each reference table."""
    reference = json.loads((MSE / "reference.json").read_text())
    table = read_overlap_csv(MSE / "data" / "kosovo.csv").table()
    sample_lcmcr(table, chains=1, seed=0, burnin=10, iterations=100, thin=10)  # compile outside the timing
    print("LCMCR speed, one chain of 110,000 iterations (K* = 10), CPU seconds:")
    print(f"  {'dataset':<8} {'lists':>5} {'seconds':>8} {'reference':>9} {'ratio':>6}")
    for name, ref in reference.items():
        table = read_overlap_csv(MSE / "data" / f"{name}.csv").table()
        start = time.process_time()  # CPU time: the machine is shared, wall time would count others' work
        sample_lcmcr(table, chains=1, seed=1, burnin=10_000, iterations=100_000, thin=10)
        seconds = time.process_time() - start
        ref_seconds = float(np.mean(ref["lcmcr"]["seconds_per_chain_110k_iterations"]))
        print(f"  {name:<8} {table.k:>5} {seconds:>8.2f} {ref_seconds:>9.2f} {seconds / ref_seconds:>6.2f}")


def bench_references(seeds: int) -> None:
    """BMA (dga) and SparseMSE's stepwise method on every reference table: time, figures and gap to the reference;
    the stepwise interval also over `seeds` further bootstrap seeds (its Monte-Carlo spread)."""
    reference = json.loads((MSE / "reference.json").read_text())
    print("BMA over decomposable graphs (dga bma.cr) and SparseMSE stepwise, CPU seconds:")
    for name, ref in reference.items():
        table = read_overlap_csv(MSE / "data" / f"{name}.csv").table()
        if ref.get("dga_bma"):
            start = time.process_time()
            result = bma(table)
            seconds = time.process_time() - start
            dga = ref["dga_bma"]
            print(f"  {name:<8} bma      {_row(result, dga['median'], dga['ci_95'])} {seconds:6.2f} s")
        sw = ref["loglinear_stepwise_sparse"]
        start = time.process_time()
        result = stepwise(table)
        seconds = time.process_time() - start
        print(f"  {name:<8} stepwise {_row(result, sw['estimate'], sw['bca_ci_95'])} {seconds:6.2f} s")
        for seed in range(1, seeds + 1):
            lo, hi = stepwise(table, seed=seed).ci_95
            print(f"  {'':<8} seed {seed:<3} interval [{lo:,.0f}, {hi:,.0f}]"
                  f" ({lo / sw['bca_ci_95'][0] - 1:+.1%}, {hi / sw['bca_ci_95'][1] - 1:+.1%})")  # fmt: skip


def _row(result: Estimate, ref_estimate: float, ref_ci: list[float]) -> str:
    lo, hi = result.ci_95
    assert lo is not None and hi is not None
    gaps = (result.estimate / ref_estimate - 1, lo / ref_ci[0] - 1, hi / ref_ci[1] - 1)
    return (
        f"{result.estimate:>9,.0f} [{lo:>9,.0f}, {hi:>9,.0f}]  reference {ref_estimate:>9,.0f} "
        f"[{ref_ci[0]:>9,.0f}, {ref_ci[1]:>9,.0f}]  gaps {gaps[0]:+.2%} {gaps[1]:+.2%} {gaps[2]:+.2%}"
    )


def simulate(
    rng: np.random.Generator, total: int, k: int, dependence: float = 0.15, hard_capture: float = 0.15
) -> OverlapTable:
    """A population with heterogeneity (two classes of catchability) and, if `dependence` > 0, list dependence:
    a person on list 1 is added to list 2 with that probability. 60% are hard to record (`hard_capture` per list),
    40% easier (0.45), each list's probabilities scaled by one factor drawn from U(0.7, 1.3)."""
    hard = rng.random(total) < 0.6
    base = np.where(hard[:, None], hard_capture, 0.45) * rng.uniform(0.7, 1.3, size=k)[None, :]
    caught = rng.random((total, k)) < base
    follow = caught[:, 0] & (rng.random(total) < dependence)  # on list 1 → more likely on list 2
    caught[:, 1] |= follow
    index = (caught * (1 << np.arange(k))).sum(axis=1)
    counts = np.bincount(index, minlength=2**k)
    counts[0] = 0
    return OverlapTable(tuple(f"L{j + 1}" for j in range(k)), counts, "simulated")


@numba.njit(cache=True)
def _em(x: np.ndarray, c: np.ndarray, lam: np.ndarray, pi: np.ndarray, n0: float, free: bool) -> float:
    """EM for a latent-class model (classes = pi.size) on pattern counts `c` (row 0, the unseen, is set here).
    With `free`, n0 follows n p0 / (1 − p0) and EM climbs the conditional likelihood; otherwise n0 is held and EM
    climbs the full likelihood at N = n + n0. Updates lam, pi in place; returns the log-likelihood reached."""
    n = c[1:].sum()
    rows, k = x.shape
    m = pi.size
    prob = np.empty((rows, m))
    last = -np.inf
    for _ in range(20_000):
        for r in range(rows):
            for h in range(m):
                v = pi[h]
                for j in range(k):
                    v *= lam[j, h] if x[r, j] else 1.0 - lam[j, h]
                prob[r, h] = v
        p0 = prob[0].sum()
        if free:
            n0 = n * p0 / (1.0 - p0)
        ll = math.lgamma(n + n0 + 1.0) - math.lgamma(n0 + 1.0) + n0 * math.log(p0)
        for r in range(1, rows):
            ll += c[r] * math.log(prob[r].sum())
        if free:
            ll = 0.0
            for r in range(1, rows):
                ll += c[r] * math.log(prob[r].sum() / (1.0 - p0))
        if ll - last < 1e-10 * abs(ll):
            return ll
        last = ll
        nk = np.zeros(m)
        hit = np.zeros((k, m))
        for r in range(rows):
            w = n0 if r == 0 else c[r]
            tot = prob[r].sum()
            for h in range(m):
                share = w * prob[r, h] / tot
                nk[h] += share
                for j in range(k):
                    if x[r, j]:
                        hit[j, h] += share
        for h in range(m):
            pi[h] = nk[h] / (n + n0)
            for j in range(k):
                lam[j, h] = min(max(hit[j, h] / nk[h], 1e-9), 1 - 1e-9)
    return last


def _profile(table: OverlapTable, lam: np.ndarray, pi: np.ndarray, grid: np.ndarray, starts: int) -> np.ndarray:
    """Profile log-likelihood of N over `grid` (ascending): at each point the best of EM warm-started from the
    neighbouring point and from `starts` random starts (a warm start alone can follow a local maximum along the
    grid)."""
    x = table.patterns().astype(np.int64)
    c = table.counts.astype(np.float64)
    rng = np.random.default_rng(1)
    out = np.full(grid.size, -np.inf)
    start = int(np.searchsorted(grid, table.observed / (1.0 - _p0(lam, pi))))
    for order in (range(start, grid.size), range(start - 1, -1, -1)):
        lw, pw = lam.copy(), pi.copy()
        for i in order:
            n0 = float(grid[i] - table.observed)
            tries = [(lw, pw)] + [(rng.uniform(0.02, 0.7, size=lam.shape), np.array([0.5, 0.5])) for _ in range(starts)]
            for lt, pt in tries:
                ll = _em(x, c, lt, pt, n0, False)
                if ll > out[i]:
                    out[i], lw, pw = ll, lt.copy(), pt.copy()
    return out


def _p0(lam: np.ndarray, pi: np.ndarray) -> float:
    return float((pi * np.prod(1.0 - lam, axis=0)).sum())


def two_class_ml(table: OverlapTable, starts: int = 8) -> Estimate:
    """The correctly specified model of the heterogeneity scenario (two classes, lists independent within each),
    fitted by maximum likelihood (EM, best of `starts` random starts); 95% interval from the profile likelihood of N
    (deviance ≤ 3.84), open where the profile stays within that up to 21 × observed."""
    x = table.patterns().astype(np.int64)
    c = table.counts.astype(np.float64)
    rng = np.random.default_rng(0)
    best = (-np.inf, np.empty(0), np.empty(0))
    for _ in range(starts):
        lam = rng.uniform(0.05, 0.6, size=(table.k, 2))
        pi = np.array([0.5, 0.5])
        ll = _em(x, c, lam, pi, 0.0, True)
        if ll > best[0]:
            best = (ll, lam, pi)
    _, lam, pi = best
    n_hat = table.observed / (1.0 - _p0(lam, pi))
    grid = np.unique(np.concatenate([np.geomspace(table.observed + 1, 21 * table.observed, 160), [n_hat]]))
    dev = 2.0 * (lambda p: p.max() - p)(_profile(table, lam, pi, grid, 3))
    inside = grid[dev <= 3.84]
    hi = None if dev[-1] <= 3.84 else float(inside.max())
    return Estimate(
        method="latent-class ML",
        model="2 classes, EM, profile likelihood",
        observed=table.observed,
        estimate=float(grid[np.argmin(dev)]),
        ci_95=(float(inside.min()), hi),
        lists=table.lists,
        details={"pi": pi.tolist(), "lambda": lam.tolist(), "profile_n": grid, "deviance": dev},
    )


@numba.njit
def _log_posterior(th: np.ndarray, x: np.ndarray, c: np.ndarray, n: float, beta_lambda: bool) -> float:
    """log posterior of the 2-class model with LCMCR's priors, θ = (logit λ (k × 2), logit π₁, log n0): λ ~ Beta(1, 1)
    (or flat on the logit scale), π₁ = V₁ ~ Beta(1, α) with α ~ Gamma(a, b) integrated out, p(N) ∝ 1/N, N ≤ 21 n."""
    k = x.shape[1]
    lam = 1.0 / (1.0 + np.exp(-th[: 2 * k]))
    pi1 = 1.0 / (1.0 + math.exp(-th[2 * k]))
    n0 = math.exp(th[2 * k + 1])
    if n + n0 > MAX_FACTOR * n:
        return -np.inf
    lp = math.lgamma(n + n0 + 1.0) - math.lgamma(n0 + 1.0) - math.log(n + n0) + th[2 * k + 1]
    for r in range(x.shape[0]):
        pr = 0.0
        for h in range(2):
            v = pi1 if h == 0 else 1.0 - pi1
            for j in range(k):
                v *= lam[j * 2 + h] if x[r, j] else 1.0 - lam[j * 2 + h]
            pr += v
        lp += (n0 if r == 0 else c[r]) * math.log(pr)
    if beta_lambda:
        lp += np.log(lam * (1.0 - lam)).sum()
    a, b = ALPHA_PRIOR
    return lp - (a + 1.0) * math.log(b - math.log(1.0 - pi1)) + math.log(pi1)


@numba.njit
def _metropolis(
    th: np.ndarray, chol: np.ndarray, x: np.ndarray, c: np.ndarray, n: float, beta_lambda: bool, steps: int, seed: int
) -> tuple[np.ndarray, np.ndarray, float]:
    """Random-walk Metropolis with proposal covariance chol cholᵀ; returns (draws of N, last θ, acceptance)."""
    np.random.seed(seed)
    out = np.empty(steps)
    cur = _log_posterior(th, x, c, n, beta_lambda)
    accepted = 0
    for t in range(steps):
        prop = th + chol @ np.random.standard_normal(th.size)
        lp = _log_posterior(prop, x, c, n, beta_lambda)
        if math.log(np.random.random()) < lp - cur:
            th, cur, accepted = prop, lp, accepted + 1
        out[t] = n + math.exp(th[-1])
    return out, th, accepted / steps


def metropolis_check(table: OverlapTable, beta_lambda: bool = True, steps: int = 2_000_000) -> np.ndarray:
    """Posterior quantiles (2.5%, 50%, 97.5%) of N for each of 4 Metropolis chains, started at the EM fit, with the
    proposal adapted from the chain's own draws of θ over four pilot rounds."""
    x = table.patterns().astype(np.int64)
    c = table.counts.astype(np.float64)
    n = float(table.observed)
    ml = two_class_ml(table)
    lam, pi = np.array(ml.details["lambda"]), np.array(ml.details["pi"])
    th = np.concatenate([np.log(lam / (1 - lam)).ravel(), [math.log(pi[0] / pi[1])], [math.log(ml.estimate - n)]])
    chol = np.eye(th.size) * 0.02
    for pilot in range(4):
        _, th, _ = _metropolis(th, chol, x, c, n, beta_lambda, 200_000, 1000 + pilot)
        thetas = []
        for s in range(200):
            _, th, _ = _metropolis(th, chol, x, c, n, beta_lambda, 500, 5000 + 1000 * pilot + s)
            thetas.append(th.copy())
        cov = np.cov(np.array(thetas).T) + 1e-8 * np.eye(th.size)
        chol = np.asarray(np.linalg.cholesky(cov * 2.38**2 / th.size), dtype=np.float64)
    runs = [_metropolis(th, chol, x, c, n, beta_lambda, steps, 77 + i)[0][steps // 10 :: 10] for i in range(4)]
    return np.array([np.quantile(r, [0.025, 0.5, 0.975]) for r in runs])


def bench_posterior_check(rep: int, seed: int, total: int, k: int, beta_lambda: bool, hard_capture: float) -> None:
    """One heterogeneity replicate: our LCMCR sampler (K* = 2 and 10) against Metropolis on the same 2-class model."""
    rng = np.random.default_rng(seed)
    for _ in range(rep + 1):
        table = simulate(rng, total, k, 0.0, hard_capture)
    ml = two_class_ml(table)
    print(f"Posterior check, heterogeneity replicate {rep}: {table.observed:,} observed, truth {total:,}")
    hi = "unbounded" if ml.ci_95[1] is None else f"{ml.ci_95[1]:,.0f}"
    print(f"  2-class ML (EM): {ml.estimate:,.0f}, profile-likelihood 95% interval {ml.ci_95[0]:,.0f} to {hi}")
    prior = "Beta(1, 1)" if beta_lambda else "flat on the logit scale"
    for q in metropolis_check(table, beta_lambda):
        print(f"  Metropolis, 2 classes, lambda {prior}: 2.5% {q[0]:,.0f}  50% {q[1]:,.0f}  97.5% {q[2]:,.0f}")
    for classes in (2, 10):
        q = np.quantile(sample_lcmcr(table, chains=4, seed=1, classes=classes).ravel(), [0.025, 0.5, 0.975])
        print(f"  LCMCR sampler, K* = {classes}, 4 x 100k: 2.5% {q[0]:,.0f}  50% {q[1]:,.0f}  97.5% {q[2]:,.0f}")


def bench_speed_target() -> None:
    """5 lists, about 3,000 observed persons, K* = 10, 10,000 burn-in + 10,000 iterations, one chain."""
    rng = np.random.default_rng(2025)
    table = simulate(rng, 4500, 5)
    start = time.process_time()
    sample_lcmcr(table, chains=1, seed=1, burnin=10_000, iterations=10_000, thin=1)
    seconds = time.process_time() - start
    print(f"Speed target: 5 lists, {table.observed:,} observed, 10k + 10k iterations: {seconds:.2f} s (target < 20 s)")


@dataclass(frozen=True)
class LcmcrRun:
    """Chains and iterations of LCMCR in the simulation (the study's short runs by default)."""

    chains: int = 2
    burnin: int = 5000
    iterations: int = 20_000
    lambda_prior: tuple[float, float] = (1.0, 1.0)


def _covers(result: Estimate, truth: int) -> bool:
    lo, hi = result.ci_95
    return (lo is None or lo <= truth) and (hi is None or truth <= hi)


def bench_simulation(
    reps: int,
    total: int,
    k: int,
    seed: int,
    dependence: float,
    run: LcmcrRun,
    em: bool = False,
    dump: Path | None = None,
    hard_capture: float = 0.15,
) -> None:
    """Bias, RMSE and 95% interval coverage of each method over `reps` simulated populations of size `total`."""
    lcmcr_name = f"lcmcr ({run.chains} chains, {run.iterations // 1000}k)"
    if run.lambda_prior != (1.0, 1.0):
        lcmcr_name += f" λ~Beta({run.lambda_prior[0]:g},{run.lambda_prior[1]:g})"
    methods: dict[str, Callable[..., Estimate]] = {
        "chapman (lists 1-2)": lambda t: chapman(_first_two(t)),
        "loglinear independence": partial(loglinear, model="independence"),
        "loglinear average": partial(loglinear, model="average"),
        lcmcr_name: lambda t, s: lcmcr(
            t, seed=s, chains=run.chains, burnin=run.burnin, iterations=run.iterations, lambda_prior=run.lambda_prior
        ),
    }
    if em:
        methods["2-class latent ML (EM)"] = two_class_ml
    rows: list[dict[str, object]] = []
    rng = np.random.default_rng(seed)
    estimates: dict[str, list[float]] = {m: [] for m in methods}
    uppers: dict[str, list[float]] = {m: [] for m in methods}  # inf where open
    widths: dict[str, list[float]] = {m: [] for m in methods}
    caps: list[float] = []
    covered: dict[str, int] = {m: 0 for m in methods}
    start = time.perf_counter()
    for rep in range(reps):
        table = simulate(rng, total, k, dependence, hard_capture)
        caps.append(MAX_FACTOR * table.observed)
        for name, method in methods.items():
            result = method(table, rep) if name.startswith("lcmcr") else method(table)
            estimates[name].append(result.estimate)
            lo, hi = result.ci_95
            uppers[name].append(math.inf if hi is None else hi)
            widths[name].append(math.inf if hi is None or lo is None else hi - lo)
            covered[name] += _covers(result, total)
            rows.append({"rep": rep, "method": name, "estimate": result.estimate, "ci_95": result.ci_95})
    if dump is not None:
        dump.write_text(json.dumps(rows, indent=1))
    elapsed = time.perf_counter() - start
    what = f"heterogeneity + dependence {dependence}" if dependence > 0 else "heterogeneity only"
    what += f", hard group's capture probability {hard_capture}"
    print(f"Simulation: N = {total:,}, {k} lists, {what}, {reps} replications, {elapsed:.0f} s")
    w = max(24, *(len(m) for m in methods))
    print(
        f"  {'method':<{w}} {'mean':>9} {'bias':>8} {'RMSE':>8} {'coverage':>9} {'med width':>10} "
        f"{'hi>2N':>6} {'hi>=cap':>7}"
    )
    cap = 0.9 * np.array(caps)  # the upper end within 10% of the 21 × observed cut (or open): set by the cut
    for name, values in estimates.items():
        arr = np.array([v if math.isfinite(v) else np.nan for v in values])
        finite = arr[np.isfinite(arr)]
        bias = finite.mean() - total
        rmse = math.sqrt(float(np.mean((finite - total) ** 2)))
        up = np.array(uppers[name])
        print(
            f"  {name:<{w}} {finite.mean():>9,.0f} {bias:>+8,.0f} {rmse:>8,.0f} {covered[name] / reps:>9.1%} "
            f"{float(np.median(widths[name])):>10,.0f} {np.mean(up > 2 * total):>6.1%} {np.mean(up >= cap):>7.1%}"
        )


def bench_published_lambda_prior(prior: tuple[float, float]) -> None:
    """LCMCR (default run, seed 1) on every published table with Beta(1, 1) and with `prior` on λ."""
    reference = json.loads((MSE / "reference.json").read_text())
    print(f"LCMCR on the published tables, λ ~ Beta(1, 1) against λ ~ Beta({prior[0]:g}, {prior[1]:g}), seed 1:")
    for name in reference:
        table = read_overlap_csv(MSE / "data" / f"{name}.csv").table()
        for lam in ((1.0, 1.0), prior):
            r = lcmcr(table, seed=1, lambda_prior=lam)
            lo, hi = r.ci_95
            assert lo is not None and hi is not None
            medians = ", ".join(f"{m:,.0f}" for m in r.diagnostics["chain_medians"])
            print(
                f"  {name:<8} Beta({lam[0]:g}, {lam[1]:g}) {r.estimate:>9,.0f} [{lo:>9,.0f}, {hi:>9,.0f}] "
                f"R-hat {r.diagnostics['rhat']:.2f}  chain medians {medians}"
            )


def _prior(text: str) -> tuple[float, float]:
    try:
        a, b = (float(v) for v in text.split(","))
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"expected A,B (two numbers), got {text!r}") from e
    if not (a > 0 and b > 0 and math.isfinite(a) and math.isfinite(b)):
        raise argparse.ArgumentTypeError(f"both values must be > 0, got {text!r}")
    return a, b


def _first_two(table: OverlapTable) -> OverlapTable:
    pats = table.patterns()
    counts = np.zeros(4, dtype=np.int64)
    for p in range(1, 2**table.k):
        counts[pats[p, 0] + 2 * pats[p, 1]] += table.counts[p]
    counts[0] = 0
    return OverlapTable(table.lists[:2], counts, "first two lists")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=200, help="simulation replications (default 200)")
    parser.add_argument("--total", type=int, default=2000, help="true population size in the simulation")
    parser.add_argument("--lists", type=int, default=5, help="number of lists in the simulation")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scenario", choices=("both", "heterogeneity", "dependence"), default="both")
    parser.add_argument("--chains", type=int, default=2, help="LCMCR chains in the simulation (default 2)")
    parser.add_argument("--burnin", type=int, default=5000, help="LCMCR burn-in in the simulation (default 5,000)")
    parser.add_argument("--iterations", type=int, default=20_000, help="LCMCR iterations in the simulation")
    parser.add_argument("--hard-capture", type=float, default=0.15, help="the hard group's capture probability")
    parser.add_argument("--em", action="store_true", help="add the 2-class latent model fitted by maximum likelihood")
    parser.add_argument("--dump", type=Path, help="write every replication's estimate and interval to this JSON file")
    parser.add_argument("--posterior-check", type=int, metavar="REP", help="check the sampler on one replicate")
    parser.add_argument("--lambda-prior", choices=("beta", "logit"), default="beta", help="prior in that check")
    parser.add_argument(
        "--lcmcr-lambda-prior", type=_prior, default=(1.0, 1.0), metavar="A,B",
        help="Beta(A, B) prior on LCMCR's λ in the simulation (default 1,1)",
    )  # fmt: skip
    parser.add_argument(
        "--published-lambda-prior", type=_prior, metavar="A,B", help="compare that prior with Beta(1, 1) on the tables"
    )
    parser.add_argument("--skip-sim", action="store_true", help="speed benchmarks only")
    parser.add_argument("--references", action="store_true", help="BMA and stepwise on every reference table")
    parser.add_argument("--stepwise-seeds", type=int, default=0, help="with --references: extra bootstrap seeds")
    parser.add_argument("--skip-speed", action="store_true", help="simulation only")
    args = parser.parse_args()
    if not args.skip_speed:
        bench_reference_speed()
        bench_speed_target()
    if args.references:
        bench_references(args.stepwise_seeds)
    if args.posterior_check is not None:
        beta = args.lambda_prior == "beta"
        bench_posterior_check(args.posterior_check, args.seed, args.total, args.lists, beta, args.hard_capture)
    if args.published_lambda_prior is not None:
        bench_published_lambda_prior(args.published_lambda_prior)
    run = LcmcrRun(args.chains, args.burnin, args.iterations, args.lcmcr_lambda_prior)
    if not args.skip_sim:
        for scenario, dependence in (("heterogeneity", 0.0), ("dependence", 0.15)):
            if args.scenario in ("both", scenario):
                dump = args.dump.with_suffix(f".{scenario}.json") if args.dump else None
                bench_simulation(
                    args.reps, args.total, args.lists, args.seed, dependence, run, args.em, dump, args.hard_capture
                )


if __name__ == "__main__":
    main()
