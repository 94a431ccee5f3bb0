"""Log-linear models for multiple systems estimation: fixed models, AIC/BIC selection and model averaging.

Models are hierarchical: main effects for every list plus interaction terms whose lower-order terms are all present.
`independence` has no interactions, `all-pairs` every two-way interaction. `aic`/`bic` choose among all hierarchical
models up to `max_order` (exhaustively when there are at most `MAX_ENUMERATED` of them, otherwise by stepwise search);
`average` weights them by AIC (Buckland et al. 1997) with a model-averaged tail-area profile interval (Turek and
Fletcher 2012). `stepwise` is SparseMSE's method with its BCa bootstrap interval (see `stepwise.py`). An explicit
model is written as interaction terms, e.g. `EXH:ABA,OSCE:HRW`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq
from scipy.stats import chi2, norm

from tawthiq.errors import EstimationError
from tawthiq.estimate.glm import PoissonFit, ProfileLikelihood, fit_poisson
from tawthiq.estimate.result import Estimate
from tawthiq.estimate.table import OverlapTable

Term = frozenset[int]
MAX_ENUMERATED = 1100
NAMED_MODELS = ("independence", "all-pairs", "aic", "bic", "average", "stepwise")
MIN_WEIGHT = 1e-3  # models below this AIC weight are left out of the averaged interval
UNIDENTIFIED_RATIO = 1e4  # N̂ beyond this multiple of the observed means the data do not determine N under the model


@dataclass(frozen=True)
class FittedModel:
    """One log-linear model fitted to a table."""

    terms: tuple[Term, ...]
    fit: PoissonFit
    estimate: float
    n_params: int
    aic: float
    bic: float
    df: int


def model_name(terms: Sequence[Term], lists: Sequence[str]) -> str:
    """`independence`, or the interaction terms as `A:B,C:D`."""
    if not terms:
        return "independence"
    return ",".join(":".join(lists[j] for j in sorted(t)) for t in sorted(terms, key=lambda t: (len(t), sorted(t))))


def parse_model(spec: str, lists: Sequence[str]) -> tuple[Term, ...]:
    """Interaction terms from `A:B,C:D` (or `A*B+C*D`); the hierarchy is completed with lower-order terms."""
    terms: set[Term] = set()
    for raw in spec.replace("+", ",").split(","):
        names = [n.strip() for n in raw.replace("*", ":").split(":") if n.strip()]
        unknown = [n for n in names if n not in lists]
        if unknown:
            raise EstimationError(
                f"model {spec!r}: {unknown[0]!r} is not a list of this table",
                hint=f"lists: {', '.join(lists)}; or one of {', '.join(NAMED_MODELS)}",
            )
        if len(names) >= 2:
            term = frozenset(lists.index(n) for n in names)
            terms.update(frozenset(c) for r in range(2, len(term) + 1) for c in itertools.combinations(term, r))
    if any(len(t) >= len(lists) for t in terms):
        raise EstimationError(f"model {spec!r}: the {len(lists)}-way interaction cannot be estimated (saturated)")
    return tuple(sorted(terms, key=lambda t: (len(t), sorted(t))))


def design_matrix(k: int, terms: Sequence[Term]) -> np.ndarray:
    """2^k rows (capture patterns, row 0 unobserved): intercept, k main effects, then one column per term."""
    bits = (np.arange(2**k)[:, None] >> np.arange(k)[None, :]) & 1
    cols = [np.ones(2**k), *(bits[:, j] for j in range(k))]
    cols += [np.prod(bits[:, sorted(t)], axis=1) for t in terms]
    return np.column_stack(cols).astype(float)


def fit_model(table: OverlapTable, terms: Sequence[Term]) -> FittedModel:
    """Fit one model to the observed cells; N̂ = observed + exp(intercept)."""
    x = design_matrix(table.k, terms)
    y = table.counts[1:].astype(float)
    fit = fit_poisson(x[1:], y)
    p = x.shape[1]
    n = table.observed
    estimate = n + math.exp(min(fit.beta[0], 700.0))
    if not math.isfinite(estimate) or estimate > UNIDENTIFIED_RATIO * max(n, 1):
        estimate = math.inf
    aic = -2.0 * fit.loglik + 2.0 * p
    bic = -2.0 * fit.loglik + p * math.log(max(n, 2))
    return FittedModel(tuple(terms), fit, estimate, p, aic, bic, y.size - p)


def hierarchical_models(k: int, max_order: int, limit: int = MAX_ENUMERATED) -> list[tuple[Term, ...]] | None:
    """Every hierarchical model with interactions up to `max_order`, or None if there are more than `limit`."""
    candidates = [frozenset(c) for r in range(2, max_order + 1) for c in itertools.combinations(range(k), r)]
    models: list[tuple[Term, ...]] = []

    def walk(i: int, chosen: list[Term]) -> bool:
        if len(models) > limit:
            return False
        if i == len(candidates):
            models.append(tuple(chosen))
            return True
        term = candidates[i]
        ok = walk(i + 1, chosen)
        subs = [frozenset(c) for c in itertools.combinations(term, len(term) - 1)] if len(term) > 2 else []
        if ok and all(s in chosen for s in subs):
            ok = walk(i + 1, [*chosen, term])
        return ok

    return models if walk(0, []) and len(models) <= limit else None


def stepwise_models(table: OverlapTable, max_order: int, criterion: str) -> list[FittedModel]:
    """Forward-backward search from independence by `criterion`; returns every model visited."""
    k = table.k
    candidates = [frozenset(c) for r in range(2, max_order + 1) for c in itertools.combinations(range(k), r)]
    visited: dict[tuple[Term, ...], FittedModel] = {}

    def get(terms: Sequence[Term]) -> FittedModel:
        key = tuple(sorted(terms, key=lambda t: (len(t), sorted(t))))
        if key not in visited:
            visited[key] = fit_model(table, key)
        return visited[key]

    current = get(())
    while True:
        moves = list(_neighbours(current.terms, candidates))
        best = min((get(m) for m in moves), key=lambda f: getattr(f, criterion), default=None)
        if best is None or getattr(best, criterion) >= getattr(current, criterion) - 1e-9:
            return list(visited.values())
        current = best


def _neighbours(terms: tuple[Term, ...], candidates: list[Term]) -> Iterator[tuple[Term, ...]]:
    present = set(terms)
    for t in candidates:
        subs = {frozenset(c) for c in itertools.combinations(t, len(t) - 1)} if len(t) > 2 else set()
        if t not in present and subs <= present:
            yield (*terms, t)
        elif t in present and not any(t < other for other in present):
            yield tuple(u for u in terms if u != t)


def fit_family(table: OverlapTable, max_order: int, criterion: str = "aic") -> tuple[list[FittedModel], bool]:
    """All hierarchical models up to `max_order` (True) or, when too many, those a stepwise search visits (False)."""
    if not 2 <= max_order < table.k:
        raise EstimationError(f"{table.name}: interaction order must be from 2 to {table.k - 1}, not {max_order}")
    family = hierarchical_models(table.k, max_order)
    if family is None:
        return stepwise_models(table, max_order, criterion), False
    return [fit_model(table, terms) for terms in family], True


def loglinear(table: OverlapTable, model: str = "average", max_order: int = 2) -> Estimate:
    """Estimate N with a log-linear model: a named one (see NAMED_MODELS) or explicit terms `A:B,C:D`."""
    if table.k < 2:
        raise EstimationError(f"{table.name}: log-linear models need at least two lists")
    if model == "stepwise":
        from tawthiq.estimate.stepwise import stepwise  # stepwise builds on this module

        return stepwise(table)
    if model in ("aic", "bic", "average"):
        fits, exhaustive = fit_family(table, max_order, "bic" if model == "bic" else "aic")
        usable = [f for f in fits if f.fit.converged and math.isfinite(f.estimate)]
        if not usable:
            raise EstimationError(f"{table.name}: no log-linear model gives a finite estimate for this table")
        if model == "average":
            return _averaged(table, usable, exhaustive, len(fits))
        best = min(usable, key=lambda f: getattr(f, model))
        result = _single(table, best, f"{model}: {model_name(best.terms, table.lists)}")
        result.details["models_compared"] = len(fits)
        result.details["search"] = "all hierarchical models" if exhaustive else "stepwise"
        return result
    if model == "independence":
        terms: tuple[Term, ...] = ()
    elif model == "all-pairs":
        terms = tuple(frozenset(c) for c in itertools.combinations(range(table.k), 2))
        if table.k == 2:
            raise EstimationError(f"{table.name}: with two lists the all-pairs model is saturated; use independence")
    else:
        terms = parse_model(model, table.lists)
    return _single(table, fit_model(table, terms), model)


def _single(table: OverlapTable, fitted: FittedModel, label: str) -> Estimate:
    profile = ProfileLikelihood(design_matrix(table.k, fitted.terms), table.counts)
    if math.isfinite(fitted.estimate):
        lower, upper, _ = profile.interval(fitted.estimate)
    else:
        lower, upper = float(table.observed), None
    result = Estimate(
        method="loglinear",
        model=label,
        observed=table.observed,
        estimate=fitted.estimate,
        ci_95=(lower, upper),
        lists=table.lists,
        diagnostics=_fit_diagnostics(fitted),
        details={"interval": "profile likelihood", "terms": model_name(fitted.terms, table.lists)},
    )
    result.warnings.extend(sparse_warnings(table, fitted.n_params))
    result.warnings.extend(_fit_warnings(table, fitted, upper))
    return result


def _fit_diagnostics(fitted: FittedModel) -> dict[str, object]:
    p_value = float(chi2.sf(fitted.fit.deviance, fitted.df)) if fitted.df > 0 else None
    return {
        "deviance": fitted.fit.deviance,
        "df": fitted.df,
        "fit_p_value": p_value,
        "aic": fitted.aic,
        "bic": fitted.bic,
        "converged": fitted.fit.converged,
        "boundary": fitted.fit.boundary,
        "iterations": fitted.fit.iterations,
    }


def sparse_warnings(table: OverlapTable, n_params: int) -> list[str]:
    """Sentences for tables too sparse for the model."""
    out: list[str] = []
    cells = 2**table.k - 1
    empty = int((table.counts[1:] == 0).sum())
    if empty > cells / 2:
        out.append(
            f"The table is sparse: {empty} of {cells} combinations of lists have no persons, so interactions "
            "between lists are poorly determined and estimates can swing widely between models."
        )
    if cells - n_params < 1:
        out.append("The model has as many parameters as observed cells; it fits the data exactly and tests nothing.")
    small = [name for name, n in table.list_totals().items() if n < 10]
    if small:
        out.append(f"Lists with fewer than 10 persons ({', '.join(small)}) carry almost no information on overlap.")
    return out


def _fit_warnings(table: OverlapTable, fitted: FittedModel, upper: float | None) -> list[str]:
    out: list[str] = []
    if not math.isfinite(fitted.estimate):
        out.append(
            "The data do not determine the total under this model (the estimate runs off to infinity, usually "
            "because combinations of lists that the model needs have no persons); choose a simpler model."
        )
    if not fitted.fit.converged:
        out.append("The model fit did not converge; the estimate is not reliable.")
    elif fitted.fit.boundary:
        out.append(
            "Some interaction parameters ran off to infinity (combinations of lists with no persons); the estimate "
            "exists but rests on a fit at the edge of the parameter space."
        )
    if upper is None:
        out.append(
            "The data put no upper bound on the total under this model: the 95% interval is open-ended, "
            "and any single number quoted from it would mislead."
        )
    if fitted.df > 0 and chi2.sf(fitted.fit.deviance, fitted.df) < 0.05:
        out.append(
            "The model fits the table poorly (deviance test p < 0.05): the lists are probably dependent in ways the "
            "model leaves out, which biases the estimate."
        )
    if math.isfinite(fitted.estimate) and fitted.estimate > 20 * table.observed:
        out.append("The estimate is more than 20 times the number of persons observed; treat it with great caution.")
    return out


def _averaged(table: OverlapTable, fits: list[FittedModel], exhaustive: bool, n_models: int) -> Estimate:
    aics = np.array([f.aic for f in fits])
    weights = np.exp(-(aics - aics.min()) / 2.0)
    weights /= weights.sum()
    order = np.argsort(-weights)
    keep = [i for i in order if weights[i] >= MIN_WEIGHT]
    w = weights[keep] / weights[keep].sum()
    chosen = [fits[i] for i in keep]
    estimate = float(np.dot(w, [f.estimate for f in chosen]))
    lower, upper = _mata_interval(table, chosen, w)
    top = [
        {"model": model_name(f.terms, table.lists), "weight": float(wi), "estimate": f.estimate, "aic": f.aic}
        for f, wi in zip(chosen[:10], w[:10], strict=False)
    ]
    result = Estimate(
        method="loglinear",
        model="average",
        observed=table.observed,
        estimate=estimate,
        ci_95=(lower, upper),
        lists=table.lists,
        diagnostics={"models_compared": n_models, "models_averaged": len(chosen), "top_weight": float(w[0])},
        details={
            "interval": "model-averaged profile likelihood (MATA)",
            "search": "all hierarchical models" if exhaustive else "stepwise",
            "models": top,
        },
    )
    result.warnings.extend(sparse_warnings(table, max(f.n_params for f in chosen)))
    if upper is None:
        result.warnings.append(
            "The data put no upper bound on the total under the weighted models: the 95% interval is open-ended."
        )
    spread = [f.estimate for f in chosen if f.estimate > 0]
    if len(spread) > 1 and max(spread) > 1.5 * min(spread):
        result.warnings.append(
            f"Models the data cannot tell apart give totals from {min(spread):,.0f} to {max(spread):,.0f}; the "
            "choice of model matters more than the sampling error, so quote the interval, not the point estimate."
        )
    return result


def _mata_interval(table: OverlapTable, fits: list[FittedModel], w: np.ndarray) -> tuple[float, float | None]:
    """Model-averaged tail area interval: Σ w_m Φ(r_m(N)) = 0.025 and 0.975 (r_m the signed profile root)."""
    profiles = [ProfileLikelihood(design_matrix(table.k, f.terms), table.counts) for f in fits]
    tops = [p.maximum(f.estimate) for p, f in zip(profiles, fits, strict=True)]

    def tail(total: float) -> float:
        roots = [p.signed_root(total, t[0], t[1]) for p, t in zip(profiles, tops, strict=True)]
        return float(np.dot(w, norm.cdf(roots)))

    n = float(table.observed)
    centre = float(np.dot(w, [t[0] for t in tops]))
    lower = n if tail(n) >= 0.025 else brentq(lambda t: tail(t) - 0.025, n, centre, xtol=1e-6 * centre)
    t, step = centre, max(centre - n, 1.0)
    for _ in range(40):
        if tail(t + step) > 0.975:
            return float(lower), float(brentq(lambda u: tail(u) - 0.975, t, t + step, xtol=1e-6 * centre))
        t, step = t + step, step * 2.0
        if t > 1e6 * max(n, 1.0):
            break
    return float(lower), None
