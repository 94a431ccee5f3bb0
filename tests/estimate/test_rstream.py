"""R's random stream: the numbers R prints, and the resamples SparseMSE drew on the reference tables."""

from __future__ import annotations

import gzip

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tawthiq.estimate.rstream import RStream
from tawthiq.estimate.table import read_overlap_csv
from tests.estimate.conftest import DATA, dataset_path


def test_runif_gives_what_r_prints() -> None:
    # R: set.seed(123); runif(3) / set.seed(1234); runif(3) / set.seed(42); runif(1)
    assert RStream(123).runif(3) == pytest.approx([0.2875775, 0.7883051, 0.4089769], abs=5e-8)
    assert RStream(1234).runif(3) == pytest.approx([0.1137034, 0.6222994, 0.6092747], abs=5e-8)
    assert RStream(42).runif(1) == pytest.approx([0.9148060], abs=5e-8)


def test_rbinom_by_inversion_gives_what_r_prints() -> None:
    stream = RStream(123)  # R: set.seed(123); rbinom(10, 1, 0.5)
    assert [stream.binomial(1, 0.5) for _ in range(10)] == [0, 1, 0, 1, 1, 0, 1, 1, 1, 0]


@pytest.mark.parametrize("name", ["HIV", "UKdat_5"])
def test_rmultinom_repeats_sparsemse_resamples(name: str) -> None:
    """SparseMSE's 1,000 resamples after set.seed(1234) (tests/estimate/data/README.md: they give its interval to the
    cent) come out of the stream draw for draw, over the CSV's rows in order: inversion and BTPE both (HIV's largest
    pattern holds 628 of 1,896 persons, far past the switch at n·p = 30)."""
    table = read_overlap_csv(dataset_path(name)).table()
    with gzip.open(DATA / f"sparsemse_resamples_{name}.csv.gz", "rt", encoding="utf-8") as fh:
        header, *rows = fh.read().split()
    expected = np.array([[int(v) for v in row.split(",")] for row in rows])
    stream = RStream(1234)
    observed = table.counts[table.input_order()]
    drawn = np.array([stream.multinomial(table.observed, observed) for _ in range(len(rows))])
    assert header.split(",")[0] == "".join(map(str, table.patterns()[table.input_order()[0]]))
    assert (drawn == expected).all()


@settings(max_examples=60)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 5000), k=st.integers(0, 1024))
def test_binomial_stays_in_range_and_mirrors(seed: int, n: int, k: int) -> None:
    p = k / 1024  # 1 − p is exact, so p and 1 − p share min(p, 1 − p)
    x = RStream(seed).binomial(n, p)
    assert 0 <= x <= n
    assert RStream(seed).binomial(n, 1.0 - p) == n - x or k == 512  # R draws on min(p, 1 − p) and mirrors


def test_binomial_mean_and_variance_follow_the_distribution() -> None:
    stream = RStream(7)
    for n, p in ((20, 0.3), (1000, 0.4), (5000, 0.02)):  # inversion, BTPE, BTPE in a far tail
        draws = np.array([stream.binomial(n, p) for _ in range(4000)])
        assert draws.mean() == pytest.approx(n * p, rel=0.02)
        assert draws.var() == pytest.approx(n * p * (1 - p), rel=0.1)


def test_multinomial_keeps_the_total_and_skips_empty_categories() -> None:
    drawn = RStream(1).multinomial(500, [0.0, 3.0, 0.0, 1.0])
    assert drawn.sum() == 500 and drawn[0] == 0 and drawn[2] == 0
