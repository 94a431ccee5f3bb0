"""Lincoln–Petersen with Chapman's correction."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tawthiq.errors import EstimationError
from tawthiq.estimate.chapman import chapman, chapman_counts
from tawthiq.estimate.table import OverlapTable, read_overlap_csv
from tests.estimate.conftest import dataset_path


def two_lists(only1: int, only2: int, both: int) -> OverlapTable:
    return OverlapTable(("a", "b"), np.array([0, only1, only2, both]), "two")


def test_textbook_value() -> None:
    # n1 = 60, n2 = 50, m = 20: (61 * 51) / 21 - 1 = 147.14; Seber's variance 380.35
    result = chapman(two_lists(40, 30, 20))
    assert result.estimate == pytest.approx(61 * 51 / 21 - 1)
    assert result.diagnostics["stderr"] ** 2 == pytest.approx(61 * 51 * 40 * 30 / (21**2 * 22))
    lo, hi = result.ci_95
    assert lo is not None and hi is not None
    assert lo < result.estimate < hi
    assert lo >= result.observed == 90
    assert any("dependence" in w for w in result.warnings)


def test_small_overlap_is_warned() -> None:
    assert any("Only 2 persons" in w for w in chapman(two_lists(100, 80, 2)).warnings)


def test_needs_two_lists() -> None:
    table = read_overlap_csv(dataset_path("kosovo")).table()
    with pytest.raises(EstimationError, match="exactly two lists, this table has 4"):
        chapman(table)


@given(
    st.integers(min_value=1, max_value=5000),
    st.integers(min_value=1, max_value=5000),
    st.integers(min_value=0, max_value=4999),
)
def test_more_overlap_means_fewer_missing(n1: int, n2: int, m: int) -> None:
    m = min(m, n1, n2)
    estimate, variance = chapman_counts(n1, n2, m)
    assert estimate >= n1 + n2 - m - 1e-9  # never below the persons seen
    assert variance >= 0
    if m < min(n1, n2):
        assert chapman_counts(n1, n2, m + 1)[0] < estimate
