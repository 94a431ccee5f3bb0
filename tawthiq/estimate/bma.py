"""Bayesian model averaging over decomposable graphical models (Madigan and York 1997), as R's dga 2.0.2 `bma.cr`.

Each decomposable graph on the k lists is a log-linear model whose interactions are its cliques. Under a
hyper-Dirichlet prior with δ prior persons spread over the 2^k cells (δ·2^(k−|C|) on each cell of a clique's or
separator's marginal table C), the marginal likelihood of the complete table, with N − n persons on no list, is a
product over cliques divided by a product over separators of Dirichlet-multinomial terms. Adding the multinomial
coefficient and the prior on N (log prior −log N by default) gives the joint posterior of (graph, N) on a grid of
N − n = 0, 1, …, `max_factor`·n, normalised over the whole grid (dga normalises the same way; the reference results
used 10·n). The estimate is the posterior median and the interval the 2.5% and 97.5% points, each the first N whose
cumulative posterior reaches the level.

The grid's upper end is part of the model: where the posterior has not died away there, the upper end of the
interval (and sometimes the median) is set by the grid, not by the data. `bma` then re-runs on a grid twice as long
and says how far the answer moves.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

import networkx as nx
import numpy as np
from scipy.special import gammaln, logsumexp

from tawthiq.errors import EstimationError
from tawthiq.estimate.loglinear import model_name, sparse_warnings
from tawthiq.estimate.result import Estimate
from tawthiq.estimate.table import OverlapTable

MIN_LISTS = 3
MAX_LISTS = 5  # dga ships its graph lists for 3 to 5 lists; 6 lists would mean 18,154 graphs
DEFAULT_MAX_FACTOR = 10  # N − n runs from 0 to this multiple of n (the reference results' grid)
CHUNK = 8192  # grid columns per block, to bound memory at 822 graphs × CHUNK doubles
TAIL_SHARE = 0.1  # the top tenth of the grid …
TAIL_MASS = 0.005  # … holding more than this posterior probability means the grid cuts the posterior off
GRID_MOVE = 0.02  # a quantile moving by more than this share on a grid twice as long means the grid decides
TOP_MODELS = 10
MODEL_SPREAD = 1.5  # models with ≥ 5% weight whose medians differ by more than this factor disagree
DRAWS = 40_000  # posterior draws kept for summing strata


@dataclass(frozen=True)
class DecomposableGraph:
    """One decomposable graph on lists 0 … k−1: its edges, cliques and (non-empty) separators as sets of lists."""

    edges: tuple[tuple[int, int], ...]
    cliques: tuple[frozenset[int], ...]
    separators: tuple[frozenset[int], ...]

    def coefficients(self, k: int) -> np.ndarray:
        """+1 per clique and −1 per separator, indexed by the subset's bitmask (length 2^k)."""
        coef = np.zeros(2**k)
        for c in self.cliques:
            coef[_mask(c)] += 1.0
        for s in self.separators:
            coef[_mask(s)] -= 1.0
        return coef


@dataclass(frozen=True)
class BmaPosterior:
    """The joint posterior of (graph, N) summed both ways."""

    graphs: tuple[DecomposableGraph, ...]
    totals: np.ndarray  # the grid of N
    posterior_n: np.ndarray  # P(N) summed over graphs
    model_weights: np.ndarray  # P(graph) summed over N
    log_joint_max: float

    def quantile(self, level: float) -> float:
        """The first N whose cumulative posterior reaches `level` (as dga's users read it off)."""
        cdf = np.cumsum(self.posterior_n)
        i = min(int(np.searchsorted(cdf, level * cdf[-1])), self.totals.size - 1)
        return float(self.totals[i])

    @property
    def mean(self) -> float:
        """Posterior mean of N."""
        return float(np.dot(self.posterior_n, self.totals))

    def tail_mass(self, share: float = TAIL_SHARE) -> float:
        """Posterior probability in the top `share` of the grid."""
        cut = self.totals[0] + (1.0 - share) * (self.totals[-1] - self.totals[0])
        return float(self.posterior_n[self.totals > cut].sum())


def _mask(subset: frozenset[int] | tuple[int, ...]) -> int:
    return sum(1 << v for v in subset)


@functools.lru_cache(maxsize=8)
def decomposable_graphs(k: int) -> tuple[DecomposableGraph, ...]:
    """Every decomposable (chordal) graph on k labelled lists: 8 for 3 lists, 61 for 4, 822 for 5."""
    pairs = list(itertools.combinations(range(k), 2))
    out: list[DecomposableGraph] = []
    for bits in range(2 ** len(pairs)):
        edges = tuple(p for i, p in enumerate(pairs) if bits >> i & 1)
        graph = nx.Graph(edges)
        graph.add_nodes_from(range(k))
        if nx.is_chordal(graph):
            out.append(_junction(graph, edges))
    return tuple(out)


def _junction(graph: nx.Graph, edges: tuple[tuple[int, int], ...]) -> DecomposableGraph:
    """Cliques, and separators from a maximum-weight spanning tree of the clique graph (a junction tree)."""
    cliques = sorted((frozenset(c) for c in nx.find_cliques(graph)), key=lambda c: (len(c), sorted(c)))
    overlap = nx.Graph()
    overlap.add_nodes_from(range(len(cliques)))
    for a, b in itertools.combinations(range(len(cliques)), 2):
        if cliques[a] & cliques[b]:
            overlap.add_edge(a, b, weight=len(cliques[a] & cliques[b]))
    tree = nx.maximum_spanning_tree(overlap)
    separators = tuple(cliques[a] & cliques[b] for a, b in tree.edges())
    return DecomposableGraph(edges, tuple(cliques), separators)


def _subset_rows(table: OverlapTable, delta: float, missing: np.ndarray) -> np.ndarray:
    """Row s: log marginal likelihood of subset s's marginal table (N − n added to its all-zero cell), including
    the Dirichlet normaliser log Γ(δ2^k) − log Γ(N + δ2^k) that every clique and separator shares."""
    k = table.k
    counts = table.counts.astype(float)
    patterns = np.arange(2**k)
    n = counts.sum()
    total_prior = delta * 2**k
    shared = gammaln(total_prior) - gammaln(missing + n + total_prior)
    rows = np.zeros((2**k, missing.size))
    for s in range(1, 2**k):
        marginal = np.bincount(patterns & s, weights=counts, minlength=2**k)
        cells = marginal[(patterns & ~s) == 0]  # the 2^|s| cells of the marginal table; cells[0] is all-zero
        a = delta * 2 ** (k - bin(s).count("1"))
        fixed = float(gammaln(cells[1:] + a).sum() - cells.size * gammaln(a))
        rows[s] = fixed + gammaln(cells[0] + missing + a) + shared
    return rows


def bma_posterior(
    table: OverlapTable, delta: float | None = None, max_factor: float = DEFAULT_MAX_FACTOR
) -> BmaPosterior:
    """The posterior over (decomposable graph, N) with N − n = 0 … max_factor·n (see the module docstring)."""
    return nested_posteriors(table, delta, (max_factor,))[0]


def nested_posteriors(table: OverlapTable, delta: float | None, factors: tuple[float, ...]) -> list[BmaPosterior]:
    """The posterior on each grid N − n = 0 … f·n for f in `factors` (ascending), computed once on the longest.

    The unnormalised joint posterior of a grid point does not depend on where the grid ends, so each shorter
    grid's posterior is the longest one's restricted and normalised again."""
    for f in factors:
        _check(table, f)
    k, n = table.k, table.observed
    delta = 0.5**k if delta is None else delta
    if not delta > 0:
        raise EstimationError(f"{table.name}: the prior weight delta must be positive, not {delta}")
    ends = [round(f * n) + 1 for f in sorted(factors)]
    missing = np.arange(0, ends[-1], dtype=float)
    graphs = decomposable_graphs(k)
    coef = np.array([g.coefficients(k) for g in graphs])
    rows = _subset_rows(table, delta, missing)
    y = table.counts[1:].astype(float)
    common = gammaln(missing + n + 1) - gammaln(y + 1).sum() - gammaln(missing + 1) - np.log(n + missing)
    log_n = np.empty(missing.size)
    log_models = np.full(len(graphs), -np.inf)
    out: list[BmaPosterior] = []
    with np.errstate(divide="ignore"):  # cells ~700 nats below a block's peak underflow to 0: log 0 = −inf
        for lo, hi in _blocks(ends):
            block = coef @ rows[:, lo:hi] + common[lo:hi]
            peak = float(block.max())
            weights = np.exp(block - peak)
            log_n[lo:hi] = peak + np.log(weights.sum(axis=0))
            log_models = np.logaddexp(log_models, peak + np.log(weights.sum(axis=1)))
            if hi in ends:
                top = float(logsumexp(log_n[:hi]))
                out.append(
                    BmaPosterior(graphs, missing[:hi] + n, np.exp(log_n[:hi] - top), np.exp(log_models - top), top)
                )
    return out


def _blocks(ends: list[int]) -> list[tuple[int, int]]:
    """Column blocks of at most CHUNK that never straddle one of `ends`."""
    out: list[tuple[int, int]] = []
    lo = 0
    for end in ends:
        while lo < end:
            out.append((lo, min(lo + CHUNK, end)))
            lo = out[-1][1]
    return out


def _check(table: OverlapTable, max_factor: float) -> None:
    if not MIN_LISTS <= table.k <= MAX_LISTS:
        raise EstimationError(
            f"{table.name}: Bayesian model averaging over decomposable graphs is done for {MIN_LISTS} to "
            f"{MAX_LISTS} lists (as dga), this table has {table.k}",
            hint="use --method lcmcr or --method loglinear for this table",
        )
    if not max_factor >= 1:
        raise EstimationError(f"{table.name}: the grid must reach at least 1 × observed, not {max_factor}")
    if table.observed == 0:
        raise EstimationError(f"{table.name}: no persons observed")


def _model_medians(
    table: OverlapTable, graphs: list[DecomposableGraph], post: BmaPosterior, delta: float
) -> list[float]:
    """Posterior median of N under each graph alone (same grid and prior)."""
    missing = post.totals - table.observed
    rows = _subset_rows(table, delta, missing)
    y = table.counts[1:].astype(float)
    common = gammaln(post.totals + 1) - gammaln(y + 1).sum() - gammaln(missing + 1) - np.log(post.totals)
    log_p = np.array([g.coefficients(table.k) for g in graphs]) @ rows + common
    cdf = np.cumsum(np.exp(log_p - log_p.max(axis=1, keepdims=True)), axis=1)
    return [float(post.totals[min(int(np.searchsorted(c, 0.5 * c[-1])), c.size - 1)]) for c in cdf]


def graph_name(graph: DecomposableGraph, lists: tuple[str, ...]) -> str:
    """The graph as log-linear terms (its cliques of two or more lists), e.g. `A:B:C,C:D`; `independence` if none.

    The same text given to `--method loglinear --model` fits that one model by maximum likelihood."""
    return model_name([c for c in graph.cliques if len(c) > 1], lists)


def bma(
    table: OverlapTable, delta: float | None = None, max_factor: float = DEFAULT_MAX_FACTOR, seed: int = 0
) -> Estimate:
    """Posterior median and 95% interval of N, averaged over all decomposable graphs (dga `bma.cr`).

    `delta` defaults to 1/2^k, the grid to N − n ≤ 10·n; `seed` only fixes the posterior draws kept for strata."""
    delta = 0.5**table.k if delta is None else delta
    post, longer = nested_posteriors(table, delta, (max_factor, 2 * max_factor))
    order = np.argsort(-post.model_weights)
    chosen = [post.graphs[i] for i in order[:TOP_MODELS]]
    medians = _model_medians(table, chosen, post, delta)
    top = [
        (graph_name(g, table.lists), float(post.model_weights[i]), m)
        for g, i, m in zip(chosen, order, medians, strict=False)
    ]
    result = Estimate(
        method="bma",
        model="decomposable graphs",
        observed=table.observed,
        estimate=post.quantile(0.5),
        ci_95=(post.quantile(0.025), post.quantile(0.975)),
        lists=table.lists,
        diagnostics={
            "posterior_mean": post.mean,
            "models": len(post.graphs),
            "top_models": [{"model": m, "weight": w, "median": med} for m, w, med in top],
            "delta": delta,
            "grid_max": float(post.totals[-1]),
        },
        details={"interval": "2.5% and 97.5% points of the model-averaged posterior of N"},
        draws=np.random.default_rng(seed).choice(post.totals, size=DRAWS, p=post.posterior_n / post.posterior_n.sum()),
    )
    result.warnings.extend(sparse_warnings(table, 1 + table.k))
    result.warnings.extend(_grid_warnings(post, longer, max_factor, result))
    result.warnings.extend(_model_warnings(top))
    return result


def _grid_warnings(post: BmaPosterior, longer: BmaPosterior, max_factor: float, result: Estimate) -> list[str]:
    """Say so when the answer depends on where the grid ends: its top tenth holds posterior mass, or a grid twice
    as long (which can uncover a second peak beyond the first grid) moves a quantile by more than GRID_MOVE."""
    mass = post.tail_mass()
    here = (post.quantile(0.025), post.quantile(0.5), post.quantile(0.975))
    there = (longer.quantile(0.025), longer.quantile(0.5), longer.quantile(0.975))
    moved = max(abs(b / a - 1.0) for a, b in zip(here, there, strict=True))
    result.diagnostics["tail_mass"] = mass
    result.diagnostics["on_twice_the_grid"] = {"grid_max": float(longer.totals[-1]), "quantiles": list(there)}
    if mass <= TAIL_MASS and moved <= GRID_MOVE:
        return []
    return [
        f"The answer depends on where the grid of totals ends, not only on the data: on a grid reaching "
        f"{longer.totals[-1]:,.0f} (observed + {2 * max_factor:g} × observed) instead of {post.totals[-1]:,.0f} the "
        f"median and 95% interval become {there[1]:,.0f} [{there[0]:,.0f}, {there[2]:,.0f}] instead of "
        f"{here[1]:,.0f} [{here[0]:,.0f}, {here[2]:,.0f}] ("
        + (
            f"{mass:.1%} of the posterior lies in the top tenth of the shorter grid"
            if mass > TAIL_MASS
            else "the longer grid uncovers posterior mass beyond the shorter one's end: a second peak"
        )
        + "). The lists do not bound the total under some of the graphs; report the upper end as open, not as a "
        "number."
    ]


def _model_warnings(top: list[tuple[str, float, float]]) -> list[str]:
    medians = [median for _, weight, median in top if weight >= 0.05]
    if len(medians) > 1 and max(medians) > MODEL_SPREAD * min(medians):
        return [
            f"Graphs the data support (each with at least 5% of the weight) give medians from {min(medians):,.0f} "
            f"to {max(medians):,.0f}: the average mixes different answers, the posterior may have several peaks, "
            "and the median can fall between them."
        ]
    return []
