"""What every estimator returns: the estimated total, its interval, diagnostics and plain-language warnings."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class Estimate:
    """An estimate of the total number of persons, seen or not.

    `ci_95` ends are None where the data put no bound on them (an unbounded interval is never a number).
    `draws` holds posterior draws of N for samplers (not written to JSON).
    """

    method: str
    model: str
    observed: int
    estimate: float
    ci_95: tuple[float | None, float | None]
    lists: tuple[str, ...] = ()
    diagnostics: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    draws: np.ndarray | None = None
    chains: np.ndarray | None = None

    @property
    def undocumented(self) -> float:
        """Estimated persons recorded by no list."""
        return self.estimate - self.observed

    def to_json(self) -> dict[str, Any]:
        """The JSON object the CLI writes (field names are a public contract)."""
        return {
            "method": self.method,
            "model": self.model,
            "lists": list(self.lists),
            "observed": self.observed,
            "estimate": _num(self.estimate),
            "undocumented": _num(self.undocumented),
            "ci_95": [_num(self.ci_95[0]), _num(self.ci_95[1])],
            "diagnostics": _clean(self.diagnostics),
            "warnings": list(self.warnings),
            **_clean(self.details),
        }


def _num(x: float | None, digits: int = 2) -> float | None:
    if x is None or not math.isfinite(x):
        return None
    return round(float(x), digits)


def _clean(obj: Any) -> Any:
    """Make numpy values and non-finite floats JSON-safe (non-finite → null)."""
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return [_clean(v) for v in obj.tolist()]
    if isinstance(obj, bool | np.bool_):
        return bool(obj)
    if isinstance(obj, int | np.integer):
        return int(obj)
    if isinstance(obj, float | np.floating):
        return _num(float(obj), 4)
    return obj
