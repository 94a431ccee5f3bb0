"""The second clustering pass: weak pairs join groups only when mutual best, from different lists and unopposed."""

from __future__ import annotations

import pandas as pd

from tawthiq.link.cluster import cluster
from tawthiq.link.conflicts import Conflicts
from tawthiq.link.features import PlaceIndex, build_features
from tawthiq.link.synth import iter_places


def _conflicts() -> Conflicts:
    """1-3, 5: one man on lists A, B, C, D; 4: the same name again on list A; 6: his brother Khaled on list E."""
    base = {"governorate": "طرطوس", "place_of_death": "القصور", "date_of_death": "2025-03-07"}
    rows = [
        {"unique_id": 1, "list_name": "A", "name_ar": "محمد أحمد الحموي", "sex": "ذكر"},
        {"unique_id": 2, "list_name": "B", "name_latin": "Mohammed Ahmad el-Hamwi"},
        {"unique_id": 3, "list_name": "C", "name_latin": "Muhammad Ahmed Hamwi"},
        {"unique_id": 4, "list_name": "A", "name_ar": "محمد أحمد الحموي"},
        {"unique_id": 5, "list_name": "D", "name_latin": "Mohamad Hamwi"},
        {"unique_id": 6, "list_name": "E", "name_latin": "Khaled Ahmad Hamwi"},
    ]
    features = build_features(pd.DataFrame([{**base, **r} for r in rows]), PlaceIndex.from_rows(list(iter_places())))
    return Conflicts.from_features(features)


def _persons(pairs: list[tuple[int, int, float]], attach: float | None) -> pd.Series:
    frame = pd.DataFrame(pairs, columns=["unique_id_l", "unique_id_r", "match_probability"])
    out = cluster([1, 2, 3, 4, 5, 6], frame, 0.5, conflicts=_conflicts(), attach_threshold=attach)
    return out.set_index("unique_id")["person"]


def test_mutual_best_weak_pairs_join_over_rounds() -> None:
    pairs = [(1, 2, 0.9), (3, 5, 0.05), (2, 3, 0.04)]
    assert _persons(pairs, None).nunique() == 5  # the first pass alone keeps 3 and 5 apart from 1-2
    person = _persons(pairs, 0.01)
    assert person[1] == person[2] == person[3] == person[5]  # 3-5 first, then the group {3, 5} meets {1, 2}
    assert person[4] != person[1] and person[6] != person[1]


def test_weak_pass_never_joins_groups_sharing_a_list_or_in_conflict() -> None:
    person = _persons([(1, 2, 0.9), (2, 4, 0.2), (2, 6, 0.3)], 0.01)
    assert person[4] != person[1]  # 4 is on list A, like 1
    assert person[6] != person[1]  # Khaled is not Mohammed


def test_weak_pass_leaves_a_record_with_a_stronger_rival_alone() -> None:
    # 3's best partner is 5 (0.2), so its weaker pair with 2 is not used in the first round; 5 then joins 3
    person = _persons([(1, 2, 0.9), (3, 5, 0.2), (2, 3, 0.1)], 0.15)
    assert person[3] == person[5] != person[1]  # (2, 3) is under the attach threshold: never used
    assert _persons([(1, 2, 0.9)], 0.01).nunique() == 5


def test_weak_pass_reads_only_pairs_at_or_over_its_threshold() -> None:
    assert _persons([(1, 2, 0.9), (2, 3, 0.009)], 0.01)[3] == 3
    assert _persons([(1, 2, 0.9), (2, 3, 0.01)], 0.01)[3] == 1


def test_weak_pass_joins_a_list_s_duplicate_only_when_its_two_records_look_alike() -> None:
    # 1 and 4 are both on list A; 4 meets the group {1, 2} weakly through 2
    def person(pairs: list[tuple[int, int, float]], list_duplicate: float | None) -> pd.Series:
        frame = pd.DataFrame(pairs, columns=["unique_id_l", "unique_id_r", "match_probability"])
        out = cluster([1, 2, 3, 4, 5, 6], frame, 0.5, conflicts=_conflicts(), attach_threshold=0.01,
                      list_duplicate=list_duplicate)  # fmt: skip
        return out.set_index("unique_id")["person"]

    alike = [(1, 2, 0.9), (2, 4, 0.2), (1, 4, 0.03)]  # list A's two records resemble each other: entered twice
    assert person(alike, 0.02)[4] == person(alike, 0.02)[1]
    assert person(alike, None)[4] != person(alike, None)[1]  # without the exception a shared list keeps them apart
    unlike = [(1, 2, 0.9), (2, 4, 0.2), (1, 4, 0.01)]  # list A's records barely resemble each other: two people
    assert person(unlike, 0.02)[4] != person(unlike, 0.02)[1]
    assert person([(1, 2, 0.9), (2, 4, 0.2)], 0.02)[4] != person([(1, 2, 0.9), (2, 4, 0.2)], 0.02)[1]  # never scored
