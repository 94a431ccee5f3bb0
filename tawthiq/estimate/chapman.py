"""Lincoln–Petersen with Chapman's correction, for two lists.

N̂ = (n1 + 1)(n2 + 1)/(m + 1) − 1, with Seber's (1970) variance
(n1 + 1)(n2 + 1)(n1 − m)(n2 − m) / ((m + 1)²(m + 2)) and a normal 95% interval whose lower end is never below
the number of persons observed.
"""

from __future__ import annotations

import math

from tawthiq.errors import EstimationError
from tawthiq.estimate.result import Estimate
from tawthiq.estimate.table import OverlapTable

Z_95 = 1.959963984540054


def chapman_counts(n1: int, n2: int, m: int) -> tuple[float, float]:
    """(N̂, variance) from list sizes n1, n2 and the number m on both."""
    if min(n1, n2, m) < 0 or m > min(n1, n2):
        raise EstimationError(f"Chapman: impossible counts n1={n1}, n2={n2}, on both={m}")
    estimate = (n1 + 1) * (n2 + 1) / (m + 1) - 1
    variance = (n1 + 1) * (n2 + 1) * (n1 - m) * (n2 - m) / ((m + 1) ** 2 * (m + 2))
    return estimate, variance


def chapman(table: OverlapTable) -> Estimate:
    """Two-list estimate of the total; errors if the table does not have exactly two lists."""
    if table.k != 2:
        raise EstimationError(
            f"{table.name}: Chapman's estimator needs exactly two lists, this table has {table.k}",
            hint="use --method loglinear or --method lcmcr for three or more lists",
        )
    only1, only2, both = (int(table.counts[p]) for p in (1, 2, 3))
    n1, n2 = only1 + both, only2 + both
    estimate, variance = chapman_counts(n1, n2, both)
    se = math.sqrt(variance)
    observed = table.observed
    result = Estimate(
        method="chapman",
        model="independence",
        observed=observed,
        estimate=estimate,
        ci_95=(max(float(observed), estimate - Z_95 * se), estimate + Z_95 * se),
        lists=table.lists,
        diagnostics={"stderr": se, "list_sizes": [n1, n2], "on_both": both},
        details={"interval": "normal approximation with Seber's variance"},
    )
    result.warnings.extend(_warnings(n1, n2, both))
    return result


def _warnings(n1: int, n2: int, both: int) -> list[str]:
    out = [
        "Two lists cannot reveal dependence between them: if being on one list makes being on the other more "
        "likely (the usual case), this estimate is too low, and no test in the data can show it."
    ]
    if both < 7:
        out.append(
            f"Only {both} persons are on both lists; with so little overlap the estimate and its interval are "
            "unstable (the normal interval is unreliable below about 7 matches)."
        )
    if min(n1, n2) < 20:
        out.append("One list has fewer than 20 persons; the estimate carries little information.")
    return out
