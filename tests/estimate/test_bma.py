"""Bayesian model averaging over decomposable graphs against dga 2.0.2 `bma.cr` (README tolerance: 1%)."""

from __future__ import annotations

import functools
import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import gammaln

from tawthiq.errors import EstimationError
from tawthiq.estimate.bma import bma, bma_posterior, decomposable_graphs, graph_name, nested_posteriors
from tawthiq.estimate.result import Estimate
from tawthiq.estimate.table import OverlapTable, read_overlap_csv
from tests.estimate.conftest import DATASETS, dataset_path

DGA_CASES = ("kosovo", "UKdat_5", "Ned_5", "HIV")


@functools.cache
def result_for(name: str) -> Estimate:
    """One BMA run per published table, shared by the tests that read it."""
    return bma(read_overlap_csv(dataset_path(name)).table())


def test_every_dga_reference_entry_is_covered(reference: dict) -> None:
    with_dga = {name for name in DATASETS if reference[name].get("dga_bma")}
    assert with_dga == set(DGA_CASES)


@pytest.mark.parametrize("name", DGA_CASES)
def test_matches_dga(name: str, reference: dict) -> None:
    ref = reference[name]["dga_bma"]
    result = result_for(name)
    assert result.estimate == pytest.approx(ref["median"], rel=0.01)
    assert result.ci_95[0] == pytest.approx(ref["ci_95"][0], rel=0.01)
    assert result.ci_95[1] == pytest.approx(ref["ci_95"][1], rel=0.01)
    assert result.diagnostics["posterior_mean"] == pytest.approx(ref["mean"], rel=0.01)
    weights = [m["weight"] for m in result.diagnostics["top_models"]]
    assert weights == sorted(weights, reverse=True) and 0 < sum(weights) <= 1 + 1e-9


@pytest.mark.parametrize(("k", "count"), [(3, 8), (4, 61), (5, 822)])
def test_graph_counts_are_the_labelled_chordal_graphs(k: int, count: int) -> None:
    assert len(decomposable_graphs(k)) == count


def test_junction_trees_are_consistent() -> None:
    """Cliques minus separators count each list once (a running intersection property check) and cover every
    edge; the number of cliques minus separators is the number of connected components."""
    for graph in decomposable_graphs(5):
        coef = graph.coefficients(5)
        per_list = [sum(coef[s] for s in range(32) if s >> v & 1) for v in range(5)]
        assert per_list == [1.0] * 5
        g = nx.Graph(graph.edges)
        g.add_nodes_from(range(5))
        assert coef.sum() == nx.number_connected_components(g)
        for a, b in graph.edges:
            assert any({a, b} <= c for c in graph.cliques)


def test_posterior_is_normalised_and_grids_nest() -> None:
    table = read_overlap_csv(dataset_path("HIV")).table()
    short, long = nested_posteriors(table, None, (3, 6))
    alone = bma_posterior(table, None, 3)
    assert short.posterior_n.sum() == pytest.approx(1.0)
    assert short.model_weights.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(short.posterior_n, alone.posterior_n, rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose(short.model_weights, alone.model_weights, rtol=1e-9)
    ratio = long.posterior_n[: short.totals.size] / short.posterior_n
    np.testing.assert_allclose(ratio, ratio[0], rtol=1e-9)  # same shape, renormalised


def _brute_force_log_posterior(table: OverlapTable, edges: tuple[tuple[int, int], ...], total: int) -> float:
    """log p(graph, N) up to a constant, from the complete table's hyper-Dirichlet marginal likelihood written
    clique by clique (Dawid and Lauritzen 1993), without the module's subset rows."""
    k, delta = table.k, 0.5**table.k
    g = nx.Graph(edges)
    g.add_nodes_from(range(k))
    counts = table.counts.astype(float).copy()
    counts[0] = total - table.observed

    def dirichlet(subset: frozenset[int]) -> float:
        cells: dict[tuple[int, ...], float] = {}
        for p, c in enumerate(counts):
            key = tuple(p >> v & 1 for v in sorted(subset))
            cells[key] = cells.get(key, 0.0) + c
        a = delta * 2 ** (k - len(subset))
        return float(
            sum(gammaln(c + a) - gammaln(a) for c in cells.values())
            + gammaln(a * len(cells))
            - gammaln(total + a * len(cells))
        )

    rank = _maximum_cardinality_order(g)
    cliques = sorted((frozenset(c) for c in nx.find_cliques(g)), key=lambda c: max(rank[v] for v in c))
    separators = [c & frozenset().union(*cliques[:j]) for j, c in enumerate(cliques) if j > 0]
    log_ml = sum(dirichlet(c) for c in cliques) - sum(dirichlet(s) for s in separators if s)
    n0 = total - table.observed
    coefficient = gammaln(total + 1) - gammaln(counts[1:] + 1).sum() - gammaln(n0 + 1)
    return float(log_ml + coefficient - math.log(total))


def _maximum_cardinality_order(g: nx.Graph) -> dict[int, int]:
    """Maximum cardinality search (Tarjan and Yannakakis): cliques sorted by their last-numbered vertex form a
    perfect sequence, whose separators are each clique's intersection with all earlier ones."""
    rank: dict[int, int] = {}
    while len(rank) < g.number_of_nodes():
        free = [v for v in sorted(g.nodes) if v not in rank]
        v = max(free, key=lambda u: sum(1 for w in g[u] if w in rank))
        rank[v] = len(rank)
    return rank


def test_posterior_equals_a_brute_force_computation() -> None:
    table = OverlapTable(("a", "b", "c"), np.array([0, 40, 30, 9, 25, 6, 5, 2]), "small")
    post = bma_posterior(table, None, 4)
    graphs = decomposable_graphs(3)
    points = [table.observed + 3, table.observed + 60, table.observed + 200]
    brute = np.array([[_brute_force_log_posterior(table, g.edges, t) for t in points] for g in graphs])
    full = np.array([[_brute_force_log_posterior(table, g.edges, int(t)) for t in post.totals] for g in graphs])
    norm = np.log(np.exp(full - full.max()).sum()) + full.max()
    idx = [int(np.searchsorted(post.totals, t)) for t in points]
    np.testing.assert_allclose(np.exp(brute - norm).sum(axis=0), post.posterior_n[idx], rtol=1e-8)
    np.testing.assert_allclose(np.exp(full - norm).sum(axis=1), post.model_weights, rtol=1e-8)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=60), min_size=7, max_size=7).filter(lambda c: sum(c) > 0))
def test_quantiles_are_ordered_and_above_observed(counts: list[int]) -> None:
    table = OverlapTable(("a", "b", "c"), np.array([0, *counts]), "random")
    result = bma(table, max_factor=5)
    lo, hi = result.ci_95
    assert lo is not None and hi is not None
    assert table.observed <= lo <= result.estimate <= hi <= table.observed * 6
    assert result.to_json()["method"] == "bma"


def test_ned5_warns_that_the_grid_sets_the_answer() -> None:
    result = result_for("Ned_5")
    assert any("depends on where the grid" in w for w in result.warnings)
    longer = result.diagnostics["on_twice_the_grid"]["quantiles"]
    assert longer[2] > 2 * result.ci_95[1]  # a second peak beyond the default grid


def test_kosovo_is_stable_and_names_its_top_graph() -> None:
    result = result_for("kosovo")
    assert not any("grid" in w for w in result.warnings)
    top = result.diagnostics["top_models"][0]
    assert top["weight"] > 0.9
    assert set(top["model"].replace(",", ":").split(":")) <= set(result.lists)


def test_ukdat5_warns_that_supported_graphs_disagree() -> None:
    result = result_for("UKdat_5")
    assert any("give medians from" in w for w in result.warnings)


def test_graph_name_round_trips_through_the_loglinear_parser() -> None:
    from tawthiq.estimate.loglinear import parse_model

    lists = ("a", "b", "c", "d")
    for graph in decomposable_graphs(4):
        if any(len(c) == len(lists) for c in graph.cliques):
            continue  # the complete graph is the saturated model, which a log-linear fit refuses
        terms = parse_model(graph_name(graph, lists), lists) if graph.edges else ()
        pairs = {tuple(sorted(t)) for t in terms if len(t) == 2}
        assert pairs == set(graph.edges)


@pytest.mark.parametrize("k", [2, 6])
def test_list_counts_outside_three_to_five_are_refused(k: int) -> None:
    counts = np.ones(2**k, dtype=np.int64)
    counts[0] = 0
    with pytest.raises(EstimationError, match="3 to 5 lists"):
        bma(OverlapTable(tuple(f"L{i}" for i in range(k)), counts, "t"))


def test_bad_settings_are_refused() -> None:
    table = OverlapTable(("a", "b", "c"), np.array([0, 4, 3, 1, 2, 1, 1, 1]), "t")
    with pytest.raises(EstimationError, match="delta must be positive"):
        bma(table, delta=0.0)
    with pytest.raises(EstimationError, match="at least 1"):
        bma(table, max_factor=0.5)


def test_draws_follow_the_posterior() -> None:
    result = result_for("HIV")
    assert result.draws is not None
    assert np.median(result.draws) == pytest.approx(result.estimate, rel=0.01)
