"""Figures for reports: the posterior of N (by chain), or estimates with intervals (by model or by stratum)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from tawthiq.errors import EstimationError
from tawthiq.estimate.result import Estimate
from tawthiq.estimate.strata import StratifiedEstimate

FORMATS = (".png", ".svg")


def save_plot(result: Estimate | StratifiedEstimate, path: str | Path) -> Path:
    """Draw the figure that fits `result` and write it as PNG or SVG (by the file's suffix)."""
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise EstimationError(f"{path}: the plot must be a .png or .svg file")
    if isinstance(result, StratifiedEstimate):
        fig = _strata_figure(result)
    elif result.chains is not None:
        fig = _posterior_figure(result)
    else:
        fig = _interval_figure(result)
    try:
        fig.savefig(path, dpi=150, bbox_inches="tight")
    except OSError as e:
        raise EstimationError(f"{path}: cannot write the plot ({e})") from e
    finally:
        plt.close(fig)
    return path


def _posterior_figure(result: Estimate) -> Figure:
    fig, ax = plt.subplots(figsize=(7, 4))
    assert result.chains is not None
    upper = result.ci_95[1] or float(result.chains.max())
    hi = min(float(result.chains.max()), upper * 1.5)
    for i, chain in enumerate(result.chains, start=1):
        ax.hist(chain[chain <= hi], bins=80, histtype="step", density=True, label=f"chain {i}")
    ax.axvline(result.observed, color="black", linestyle=":", label=f"observed {result.observed:,}")
    ax.axvline(result.estimate, color="crimson", label=f"median {result.estimate:,.0f}")
    if result.ci_95[0] is not None and result.ci_95[1] is not None:
        ax.axvspan(result.ci_95[0], result.ci_95[1], color="crimson", alpha=0.08, label="95% interval")
    ax.set_xlabel("total number of persons N")
    ax.set_ylabel("posterior density")
    ax.set_title("Posterior of N (LCMCR); chains should overlap")
    ax.legend(fontsize=8)
    return fig


def _rows_figure(labels: list[str], results: list[Estimate], title: str) -> Figure:
    fig, ax = plt.subplots(figsize=(7, 0.5 * len(labels) + 1.5))
    for y, r in enumerate(results):
        lo = r.ci_95[0] if r.ci_95[0] is not None else r.observed
        hi = r.ci_95[1]
        right = hi if hi is not None else r.estimate * 2
        ax.plot([lo, right], [y, y], color="steelblue", linestyle="-" if hi is not None else "--")
        if hi is None:
            ax.annotate("unbounded →", (right, y), fontsize=7, va="bottom")
        ax.plot(r.estimate, y, "o", color="crimson")
        ax.plot(r.observed, y, "|", color="black", markersize=12)
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_xlabel("estimated total (dot), 95% interval (line), observed (tick)")
    ax.set_title(title)
    return fig


def _interval_figure(result: Estimate) -> Figure:
    return _rows_figure([result.model], [result], f"{result.method} estimate of N")


def _strata_figure(result: StratifiedEstimate) -> Figure:
    labels = [*result.strata, "total"]
    rows = [*result.strata.values(), result.total]
    return _rows_figure(labels, rows, f"Estimates by {result.column}")
