"""Estimation by stratum (governorate, period, status) with a total that adds up.

Each stratum is estimated on its own; the total estimate is the sum of the stratum estimates, and the total observed
is the sum of the stratum observed counts (checked against the pooled table). The total interval combines the
strata: for LCMCR by summing posterior draws (strata are independent), otherwise by adding the variances implied by
each stratum's interval (an approximation, said in the result); an unbounded stratum makes the total unbounded.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from tawthiq.errors import EstimationError
from tawthiq.estimate.result import Estimate
from tawthiq.estimate.table import OverlapData, OverlapTable

THIN_OBSERVED = 50  # fewer persons than this in a stratum: too thin to estimate reliably
THIN_LIST = 5  # a list recording fewer than this in a stratum says almost nothing about overlap
Z_95 = 1.959963984540054

Estimator = Callable[[OverlapTable], Estimate]


@dataclass
class StratifiedEstimate:
    """Per-stratum estimates and their total."""

    column: str
    strata: dict[str, Estimate]
    total: Estimate
    failed: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        """The total's JSON object with `by` and one entry per stratum under `strata`."""
        out = self.total.to_json()
        out["by"] = self.column
        out["strata"] = [{"stratum": name, **est.to_json()} for name, est in self.strata.items()]
        out["strata_failed"] = [{"stratum": k, "error": v} for k, v in self.failed.items()]
        return out


def thin_warnings(table: OverlapTable, label: str) -> list[str]:
    """Sentences for a stratum too thin to support an estimate."""
    out: list[str] = []
    if table.observed < THIN_OBSERVED:
        out.append(
            f"Stratum {label} has only {table.observed} persons (fewer than {THIN_OBSERVED}); its estimate rests on "
            "very little overlap and can be far off."
        )
    small = [name for name, n in table.list_totals().items() if n < THIN_LIST]
    if small:
        out.append(f"In stratum {label}, lists {', '.join(small)} record fewer than {THIN_LIST} persons.")
    return out


def estimate_by(data: OverlapData, column: str, estimator: Estimator) -> StratifiedEstimate:
    """Estimate every stratum of `column` with `estimator` and add them up."""
    tables = data.strata(column)
    results: dict[str, Estimate] = {}
    failed: dict[str, str] = {}
    for value, table in tables.items():
        label = f"{column}={value}"
        try:
            result = estimator(table)
        except EstimationError as e:
            failed[value] = str(e)
            continue
        result.warnings[:0] = thin_warnings(table, label)
        results[value] = result
    if not results:
        raise EstimationError(
            f"{data.name}: no stratum of {column!r} could be estimated: " + "; ".join(failed.values())
        )
    total = _total(data, column, results, failed)
    return StratifiedEstimate(column, results, total, failed)


def _total(data: OverlapData, column: str, results: dict[str, Estimate], failed: dict[str, str]) -> Estimate:
    first = next(iter(results.values()))
    observed = sum(r.observed for r in results.values())
    if not failed and observed != data.table().observed:
        raise EstimationError(f"{data.name}: strata of {column!r} do not add up to the persons observed")
    estimate = sum(r.estimate for r in results.values())
    lower, upper, how = _total_interval(results)
    warnings = [f"{name}: {w}" for name, r in results.items() for w in r.warnings]
    if failed:
        warnings.insert(
            0,
            f"{len(failed)} stratum(s) could not be estimated ({', '.join(failed)}); the total leaves them out and "
            "undercounts.",
        )
    return Estimate(
        method=first.method,
        model=first.model,
        observed=observed,
        estimate=estimate,
        ci_95=(lower, upper),
        lists=first.lists,
        diagnostics={"strata": len(results)},
        warnings=warnings,
        details={"interval": how, "total_is": "sum of stratum estimates"},
    )


def _total_interval(results: dict[str, Estimate]) -> tuple[float, float | None, str]:
    draws = [r.draws for r in results.values()]
    if all(d is not None for d in draws):
        size = min(d.size for d in draws if d is not None)
        summed = np.sum([d[:size] for d in draws if d is not None], axis=0)
        lo, hi = np.quantile(summed, [0.025, 0.975])
        return float(lo), float(hi), "quantiles of the summed posterior draws of the strata"
    observed = sum(r.observed for r in results.values())
    estimate = sum(r.estimate for r in results.values())
    var_lo = var_hi = 0.0
    unbounded = False
    for r in results.values():
        lo, hi = r.ci_95
        var_lo += ((r.estimate - (lo if lo is not None else r.observed)) / Z_95) ** 2
        if hi is None:
            unbounded = True
        else:
            var_hi += ((hi - r.estimate) / Z_95) ** 2
    lower = max(float(observed), estimate - Z_95 * math.sqrt(var_lo))
    upper = None if unbounded else estimate + Z_95 * math.sqrt(var_hi)
    return lower, upper, "stratum intervals combined by adding their half-widths' variances (approximate)"
