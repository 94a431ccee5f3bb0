"""Reading and validating overlap CSVs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tawthiq.errors import EstimationError
from tawthiq.estimate.table import OverlapTable, parse_overlap_csv, read_overlap_csv
from tests.estimate.conftest import DATA, DATASETS, dataset_path


@pytest.mark.parametrize("name", DATASETS)
def test_reads_every_published_table(name: str, reference: dict) -> None:
    data = read_overlap_csv(dataset_path(name))
    table = data.table()
    assert list(table.lists) == reference[name]["lists"]
    assert table.observed == reference[name]["observed"]
    assert data.strata_columns == ()


def test_list_totals_and_patterns() -> None:
    table = parse_overlap_csv("a,b,count\n1,0,5\n0,1,7\n1,1,3\n", "t.csv").table()
    assert table.list_totals() == {"a": 8, "b": 10}
    assert table.as_dict() == {(1, 0): 5, (0, 1): 7, (1, 1): 3}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty"),
        ("a,b,c\n1,0,1\n", "no `count` column"),
        ("a,b,count\n", "no rows"),
        ("a,count\n1,3\n", "found 1 list columns"),
        ("a,b,count\n1,0,x\n", "not a whole number"),
        ("a,b,count\n1,0,2.5\n", "not a whole number"),
        ("a,b,count\n1,0,-1\n", "negative"),
        ("a,b,count\n0,0,4\n1,0,1\n", "persons on no list"),
        ("a,b,count\n1,0,4\n1,0,1\n", "repeats the pattern"),
        ("a,b,count\n1,0\n", "has 2 fields"),
        ("a,a,count\n1,0,1\n", "repeated column names"),
        ("a,b,count\n1,0,0\n0,1,0\n", "no persons"),
    ],
)
def test_bad_csv_is_one_clear_error_naming_the_file(text: str, problem: str) -> None:
    with pytest.raises(EstimationError) as err:
        parse_overlap_csv(text, "lists.csv")
    message = str(err.value)
    assert message.startswith("lists.csv: ")
    assert problem in message
    assert "\n" not in message.split("\nHint:")[0]


def test_missing_file_is_an_estimation_error(tmp_path: Path) -> None:
    with pytest.raises(EstimationError, match=r"nope\.csv: cannot read"):
        read_overlap_csv(tmp_path / "nope.csv")


def test_strata_columns_split_and_sum_back() -> None:
    data = read_overlap_csv(DATA / "strata.csv")
    assert data.lists == ("A", "B", "C")
    assert data.strata_columns == ("governorate", "period")
    by_gov = data.strata("governorate")
    assert list(by_gov) == ["Latakia", "Tartus", "Hama"]
    summed = sum(t.counts for t in by_gov.values())
    assert np.array_equal(summed, data.table().counts)
    with pytest.raises(EstimationError, match="no stratum column 'status'"):
        data.strata("status")


def test_a_01_column_named_in_strata_is_a_stratum() -> None:
    data = parse_overlap_csv("a,b,c,sex,count\n1,0,0,0,2\n0,1,0,1,3\n1,1,1,1,1\n", "t.csv", strata=("sex",))
    assert data.lists == ("a", "b", "c")
    assert data.strata_columns == ("sex",)


patterns_counts = st.integers(min_value=2, max_value=6).flatmap(
    lambda k: st.tuples(
        st.just(k), st.lists(st.integers(min_value=0, max_value=10_000), min_size=2**k - 1, max_size=2**k - 1)
    )
)


@settings(max_examples=60, deadline=None)
@given(patterns_counts)
def test_csv_round_trip(kc: tuple[int, list[int]]) -> None:
    k, counts = kc
    if sum(counts) == 0:
        counts[0] = 1
    lists = tuple(f"L{j}" for j in range(k))
    table = OverlapTable(lists, np.array([0, *counts]), "gen")
    again = parse_overlap_csv(table.to_csv(), "gen.csv").table()
    assert again.lists == lists
    assert np.array_equal(again.counts, table.counts)
    assert again.observed == sum(counts)
    assert sum(again.list_totals().values()) >= again.observed


@pytest.mark.parametrize("text", [
    "a,b,c,count\n1,0,0,50\n0,1,0,40\n1,1,0,20\n0,0,1,30\n1,0,1,10\n0,1,1,8\n1,1,1,5\n",
    "\ufeffa,b,c,Count\r\n1,0,0,50\r\n0,1,0,40\r\n1,1,0,20\r\n0,0,1,30\r\n1,0,1,10\r\n0,1,1,8\r\n1,1,1,5\r\n",
    '"a","b","c","Freq"\nTRUE,FALSE,FALSE,50\nFALSE,TRUE,FALSE,40\nTRUE,TRUE,FALSE,20\nFALSE,FALSE,TRUE,30\n'
    "TRUE,FALSE,TRUE,10\nFALSE,TRUE,TRUE,8\nTRUE,TRUE,TRUE,5\n",
    "a;b;c;n\n1;0;0;50\n0;1;0;40\n1;1;0;20\n0;0;1;30\n1;0;1;10\n0;1;1;8\n1;1;1;5\n",
    "a\tb\tc\tcount\n1\t0\t0\t50\n0\t1\t0\t40\n1\t1\t0\t20\n0\t0\t1\t30\n1\t0\t1\t10\n0\t1\t1\t8\n1\t1\t1\t5\n",
])
def test_the_usual_ways_of_writing_a_table_read_alike(text: str) -> None:
    """A spreadsheet's BOM and line ends, R's logical columns and its `Freq`, semicolons and tabs: the same table."""
    table = parse_overlap_csv(text.removeprefix("\ufeff"), "t").table()
    assert table.lists == ("a", "b", "c")
    assert table.as_dict() == {(1, 0, 0): 50, (0, 1, 0): 40, (1, 1, 0): 20, (0, 0, 1): 30, (1, 0, 1): 10,
                               (0, 1, 1): 8, (1, 1, 1): 5}
    assert table.input_order() == [1, 2, 3, 4, 5, 6, 7]


def test_a_bom_file_with_a_capital_count_reads(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffA,B,Count\r\n1,0,5\r\n0,1,4\r\n1,1,2\r\n".encode())
    assert read_overlap_csv(path).table().as_dict() == {(1, 0): 5, (0, 1): 4, (1, 1): 2}
