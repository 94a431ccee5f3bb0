"""`tawthiq estimate`: multiple systems estimation from an overlap CSV."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from tawthiq.cli.app import main, reports_errors
from tawthiq.errors import EstimationError
from tawthiq.estimate.bma import DEFAULT_MAX_FACTOR, bma
from tawthiq.estimate.chapman import chapman
from tawthiq.estimate.lcmcr import (
    DEFAULT_BURNIN,
    DEFAULT_CHAINS,
    DEFAULT_ITERATIONS,
    DEFAULT_LAMBDA_PRIOR,
    DEFAULT_THIN,
    lambda_prior_problems,
    lcmcr,
)
from tawthiq.estimate.loglinear import loglinear
from tawthiq.estimate.result import Estimate
from tawthiq.estimate.stepwise import NBOOT, SEED, stepwise
from tawthiq.estimate.strata import Estimator, StratifiedEstimate, estimate_by
from tawthiq.estimate.table import OverlapTable, read_overlap_csv
from tawthiq.export.output import atomic_text_output
from tawthiq.files import holds_data

METHODS = ("auto", "loglinear", "lcmcr", "chapman", "bma")


def _lambda_prior(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[float, float]:
    """`A,B` → (A, B), both finite and > 0."""
    if value is None:
        return DEFAULT_LAMBDA_PRIOR
    try:
        a, b = (float(v) for v in value.split(","))
    except ValueError:
        raise click.BadParameter(f"expected two numbers A,B such as 0.5,0.5, got {value!r}") from None
    problems = lambda_prior_problems((a, b))
    if problems:
        raise click.BadParameter(f"{problems[0]} (from {value!r})")
    return a, b


@main.command()
@click.argument("csv_file", metavar="FILE.csv", type=click.Path(dir_okay=False))
@click.option(
    "--method",
    type=click.Choice(METHODS),
    default="auto",
    show_default=True,
    help="auto: chapman for two lists, lcmcr for three or more.",
)
@click.option(
    "--model",
    default="average",
    show_default=True,
    help="loglinear: independence, all-pairs, aic, bic, average, stepwise (SparseMSE), or terms like A:B,C:D.",
)
@click.option(
    "--max-order",
    type=int,
    default=2,
    show_default=True,
    help="loglinear: highest interaction order searched by aic/bic/average.",
)
@click.option(
    "--seed",
    type=int,
    default=None,
    help=f"lcmcr, loglinear stepwise: random seed (same seed, same result; stepwise default {SEED}).",
)
@click.option(
    "--bootstrap", type=int, default=NBOOT, show_default=True, help="loglinear stepwise: bootstrap resamples (BCa)."
)
@click.option(
    "--grid",
    "grid",
    type=float,
    default=DEFAULT_MAX_FACTOR,
    show_default=True,
    help="bma: totals up to observed + GRID × observed.",
)
@click.option("--chains", type=int, default=DEFAULT_CHAINS, show_default=True, help="lcmcr: number of chains.")
@click.option(
    "--iterations",
    type=int,
    default=DEFAULT_ITERATIONS,
    show_default=True,
    help="lcmcr: iterations per chain after burn-in.",
)
@click.option("--burnin", type=int, default=DEFAULT_BURNIN, show_default=True, help="lcmcr: burn-in per chain.")
@click.option("--thin", type=int, default=DEFAULT_THIN, show_default=True, help="lcmcr: keep one draw in THIN.")
@click.option(
    "--lambda-prior",
    metavar="A,B",
    default=None,
    callback=_lambda_prior,
    help="lcmcr: Beta(A, B) prior on the capture probabilities (default 1,1, as the R package LCMCR; see "
    "docs/estimation.md, 'The prior on λ', before changing it).",
)
@click.option("--by", "by", default=None, help="Estimate each value of this stratum column and add them up.")
@click.option("--json", "json_out", type=click.Path(dir_okay=False), default=None, help="Write the result as JSON.")
@click.option(
    "--plot",
    "plot_out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write a figure (.png or .svg): posterior of N, or estimates by stratum.",
)
@click.option("--overwrite", is_flag=True, help="Replace existing --json/--plot files.")
@reports_errors
def estimate(
    csv_file: str, method: str, model: str, max_order: int, seed: int | None, bootstrap: int, grid: float,
    chains: int, iterations: int, burnin: int, thin: int, lambda_prior: tuple[float, float], by: str | None,
    json_out: str | None, plot_out: str | None, overwrite: bool,
) -> None:  # fmt: skip
    """Estimate how many persons no list recorded (multiple systems estimation).

    FILE.csv has one 0/1 column per list, a `count` column, and optionally stratum columns.

    \b
    Examples:
      tawthiq estimate overlap.csv --method loglinear --model all-pairs --json out.json
      tawthiq estimate overlap.csv --method lcmcr --seed 1 --plot posterior.png
      tawthiq estimate overlap.csv --method bma --json bma.json
      tawthiq estimate overlap.csv --method loglinear --model stepwise --seed 1234
      tawthiq estimate overlap.csv --method lcmcr --by governorate --json by-governorate.json
    """
    for out in (json_out, plot_out):
        if out and not overwrite and holds_data(Path(out)) and not (out == json_out and _earlier_estimate(Path(out))):
            raise EstimationError(f"{out}: already exists", hint="pass --overwrite to replace it")
    data = read_overlap_csv(csv_file, strata=(by,) if by else ())
    chosen = method if method != "auto" else ("chapman" if len(data.lists) == 2 else "lcmcr")
    estimator = _estimator(
        chosen, model, max_order, seed, chains, iterations, burnin, thin, bootstrap, grid, lambda_prior
    )
    result: Estimate | StratifiedEstimate = estimate_by(data, by, estimator) if by else estimator(data.table())
    console = Console()
    _print(console, result, csv_file)
    if json_out:
        payload = result.to_json()
        payload["source"] = str(csv_file)
        with atomic_text_output(json_out, overwrite=True) as fh:  # checked above; never half-written
            fh.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    if plot_out:
        from tawthiq.estimate.plot import save_plot  # matplotlib only when asked

        save_plot(result, plot_out)


def _earlier_estimate(path: Path) -> bool:
    """Whether ``path`` holds a result this command wrote before (rerunning an estimate replaces its own JSON; any
    other file needs --overwrite)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(data, dict) and {"method", "estimate", "ci_95", "source"} <= data.keys()


def _estimator(
    method: str, model: str, max_order: int, seed: int | None, chains: int, iterations: int, burnin: int, thin: int,
    bootstrap: int, grid: float, lambda_prior: tuple[float, float] = DEFAULT_LAMBDA_PRIOR,
) -> Estimator:  # fmt: skip
    if method == "chapman":
        return chapman
    if method == "bma":
        return partial(bma, max_factor=grid)
    if method == "loglinear" and model == "stepwise":
        return partial(stepwise, nboot=bootstrap, seed=SEED if seed is None else seed)
    if method == "loglinear":
        return partial(loglinear, model=model, max_order=max_order)

    def run(table: OverlapTable) -> Estimate:
        return lcmcr(
            table, chains=chains, seed=seed, iterations=iterations, burnin=burnin, thin=thin, lambda_prior=lambda_prior
        )

    return run


def _fmt(x: float | None) -> str:
    return "unbounded" if x is None else f"{x:,.0f}"


def _print(console: Console, result: Estimate | StratifiedEstimate, source: str) -> None:
    total = result.total if isinstance(result, StratifiedEstimate) else result
    table = Table(title=f"{source}: {total.method} ({total.model})")
    for col in ("", "observed", "estimate", "undocumented", "95% interval", "R-hat", "ESS"):
        table.add_column(col, justify="right" if col else "left")
    rows = (
        [*result.strata.items(), ("total", result.total)]
        if isinstance(result, StratifiedEstimate)
        else [("all", result)]
    )
    for name, est in rows:
        rhat, ess = est.diagnostics.get("rhat"), est.diagnostics.get("ess")
        table.add_row(
            name,
            f"{est.observed:,}",
            f"{est.estimate:,.0f}",
            f"{est.undocumented:,.0f}",
            f"{_fmt(est.ci_95[0])} – {_fmt(est.ci_95[1])}",
            "" if rhat is None else f"{rhat:.3f}",
            "" if ess is None else f"{ess:,.0f}",
        )
    console.print(table)
    for warning in total.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)
