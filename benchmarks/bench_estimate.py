"""Multiple systems estimation: LCMCR speed against the reference sampler, the speed target, and a simulation study.

    .venv/bin/python -m benchmarks.bench_estimate                 # everything (simulation: 200 replications)
    .venv/bin/python -m benchmarks.bench_estimate --reps 20       # a short simulation
    .venv/bin/python -m benchmarks.bench_estimate --skip-sim      # speed only (about 30 s)

The full run (two scenarios × 200 replications) takes about 20 minutes of CPU on the project's 2-core machine
(≈ 3 s per replication).
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from functools import partial
from pathlib import Path

import numpy as np

from tawthiq.estimate.chapman import chapman
from tawthiq.estimate.lcmcr import lcmcr, sample_lcmcr
from tawthiq.estimate.loglinear import loglinear
from tawthiq.estimate.result import Estimate
from tawthiq.estimate.table import OverlapTable, read_overlap_csv

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


def simulate(rng: np.random.Generator, total: int, k: int, dependence: float = 0.15) -> OverlapTable:
    """A population with heterogeneity (two classes of catchability) and, if `dependence` > 0, list dependence:
    a person on list 1 is added to list 2 with that probability."""
    hard = rng.random(total) < 0.6
    base = np.where(hard[:, None], 0.15, 0.45) * rng.uniform(0.7, 1.3, size=k)[None, :]
    caught = rng.random((total, k)) < base
    follow = caught[:, 0] & (rng.random(total) < dependence)  # on list 1 → more likely on list 2
    caught[:, 1] |= follow
    index = (caught * (1 << np.arange(k))).sum(axis=1)
    counts = np.bincount(index, minlength=2**k)
    counts[0] = 0
    return OverlapTable(tuple(f"L{j + 1}" for j in range(k)), counts, "simulated")


def bench_speed_target() -> None:
    """5 lists, about 3,000 observed persons, K* = 10, 10,000 burn-in + 10,000 iterations, one chain."""
    rng = np.random.default_rng(2025)
    table = simulate(rng, 4500, 5)
    start = time.process_time()
    sample_lcmcr(table, chains=1, seed=1, burnin=10_000, iterations=10_000, thin=1)
    seconds = time.process_time() - start
    print(f"Speed target: 5 lists, {table.observed:,} observed, 10k + 10k iterations: {seconds:.2f} s (target < 20 s)")


def _covers(result: Estimate, truth: int) -> bool:
    lo, hi = result.ci_95
    return (lo is None or lo <= truth) and (hi is None or truth <= hi)


def bench_simulation(reps: int, total: int, k: int, seed: int, dependence: float) -> None:
    """Bias, RMSE and 95% interval coverage of each method over `reps` simulated populations of size `total`."""
    methods = {
        "chapman (lists 1-2)": lambda t: chapman(_first_two(t)),
        "loglinear independence": partial(loglinear, model="independence"),
        "loglinear average": partial(loglinear, model="average"),
        "lcmcr (2 chains, 20k)": lambda t, s: lcmcr(t, seed=s, chains=2, burnin=5000, iterations=20_000),
    }
    rng = np.random.default_rng(seed)
    estimates: dict[str, list[float]] = {m: [] for m in methods}
    covered: dict[str, int] = {m: 0 for m in methods}
    start = time.perf_counter()
    for rep in range(reps):
        table = simulate(rng, total, k, dependence)
        for name, method in methods.items():
            result = method(table, rep) if name.startswith("lcmcr") else method(table)
            estimates[name].append(result.estimate)
            covered[name] += _covers(result, total)
    elapsed = time.perf_counter() - start
    what = f"heterogeneity + dependence {dependence}" if dependence > 0 else "heterogeneity only"
    print(f"Simulation: N = {total:,}, {k} lists, {what}, {reps} replications, {elapsed:.0f} s")
    print(f"  {'method':<24} {'mean':>9} {'bias':>8} {'RMSE':>8} {'coverage':>9}")
    for name, values in estimates.items():
        arr = np.array([v if math.isfinite(v) else np.nan for v in values])
        finite = arr[np.isfinite(arr)]
        bias = finite.mean() - total
        rmse = math.sqrt(float(np.mean((finite - total) ** 2)))
        print(f"  {name:<24} {finite.mean():>9,.0f} {bias:>+8,.0f} {rmse:>8,.0f} {covered[name] / reps:>9.1%}")


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
    parser.add_argument("--skip-sim", action="store_true", help="speed benchmarks only")
    parser.add_argument("--skip-speed", action="store_true", help="simulation only")
    args = parser.parse_args()
    if not args.skip_speed:
        bench_reference_speed()
        bench_speed_target()
    if not args.skip_sim:
        if args.scenario in ("both", "heterogeneity"):
            bench_simulation(args.reps, args.total, args.lists, args.seed, 0.0)
        if args.scenario in ("both", "dependence"):
            bench_simulation(args.reps, args.total, args.lists, args.seed, 0.15)


if __name__ == "__main__":
    main()
