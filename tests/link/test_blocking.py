"""Blocking and the second clustering pass: one set of rules, admissible candidates only (the filter mirrors the
conflict rules of clustering), stand-in rules for a missing date or place, and weak joins only where the other records
of the two groups corroborate them."""

from __future__ import annotations

import dataclasses

import duckdb
import pandas as pd

from tawthiq.link import splink_model
from tawthiq.link.cluster import cluster
from tawthiq.link.conflicts import Conflicts
from tawthiq.link.features import PlaceIndex, build_features
from tawthiq.link.names import is_arabic
from tawthiq.link.synth import iter_places


def _pairs(rows: list[tuple[int, int, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unique_id_l", "unique_id_r", "match_probability"])


def test_one_set_of_rules_at_every_size_and_none_on_one_column() -> None:
    blocks = splink_model.VICTIMS.blocks
    assert all(len(b.columns) >= 2 for b in blocks)  # candidates stay a few per record
    # two columns only for the records that lack a third, or within small groups
    assert all(len(b.columns) >= 3 or b.missing or b.max_block for b in blocks)
    assert any(b.missing for b in blocks) and any(b.max_block for b in blocks)


def _candidates(features: pd.DataFrame, profile: splink_model.Profile) -> set[tuple[int, int]]:
    con = duckdb.connect()
    con.register("f", features)
    found = con.execute(profile.candidates_sql("f")).fetchall()
    con.close()
    return {(int(a), int(b)) for a, b in found}


def test_a_rule_for_a_missing_date_pairs_only_records_that_lack_one() -> None:
    base = {"name_latin": "Yahya Haddad", "sex": "male", "governorate": "Homs"}
    rows = [
        {"unique_id": 1, "list_name": "A", **base, "date_of_death": "2013-05-02", "place_of_death": "al-Qusayr"},
        {"unique_id": 2, "list_name": "B", **base},  # no date, no place: only the governorate and the name
        {"unique_id": 3, "list_name": "C", **base, "date_of_death": "2013-05-20", "place_of_death": "Talkalakh"},
    ]
    features = build_features(pd.DataFrame(rows), PlaceIndex.from_rows(list(iter_places())))
    uncapped = tuple(b for b in splink_model.VICTIMS.blocks if b.max_block is None)  # the broad rules would pair all
    pairs = _candidates(features, dataclasses.replace(splink_model.VICTIMS, blocking_keys=uncapped))
    assert (1, 2) in pairs and (2, 3) in pairs  # the record without a date meets both on name and governorate
    assert (1, 3) not in pairs  # both dated, weeks and districts apart: the stand-in rule does not apply


def test_a_broad_rule_pairs_records_only_within_small_groups() -> None:
    rows = [{"unique_id": i, "list_name": "A", "name_latin": name} for i, name in
            enumerate(["Ali Haddad", "Ali Haddad", "Ali Haddad", "Yahya Nimr", "Yahya Nimr"])]  # fmt: skip
    features = build_features(pd.DataFrame(rows))
    broad = splink_model.Block(("given_key", "family_key"), max_block=2)
    found = _candidates(features, dataclasses.replace(splink_model.VICTIMS, blocking_keys=(broad,)))
    assert found == {(3, 4)}  # the three records of a common name are left to the finer rules


NAMES = ["محمد", "Mohammed", "Mhd", "مممد", "أحمد", "Ahmet", "Ahmad", "Hamza", "حمزة", "Hassan", "Hussein", "حسن",
         "حسين", "قاسم", "Gassem", "Qassem", "Assem", "عثمان", "Osman", "Othman", "معاذ", "Muaz", "Izz", "Izz al-Din",
         "عز الدين", "Khaled", "Khalmd", "خالد", "Thaer", "ثائر", "Saer", "كنان", "كبان", "Kinan", "Fatima", "فاطمة",
         "Fatmeh", "Abd al-Rahman", "عبد الرحمن", "Abdulrahman", "Aya"]  # fmt: skip


def _refused_by_filter_and_by_conflicts(features: pd.DataFrame) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """The pairs of records the SQL blocking filter refuses, and those the clustering's given-name rule refuses."""
    con = duckdb.connect()
    con.register("f", features)
    passed = con.execute(
        f"SELECT l.unique_id, r.unique_id, {splink_model.VICTIMS.filter_sql()} FROM f l JOIN f r "
        "ON l.unique_id < r.unique_id"
    ).fetchall()
    con.close()
    conflicts = Conflicts.from_features(features)
    refused = {(a, b) for a, b, ok in passed if not ok}
    return refused, {(a, b) for a, b, _ in passed if conflicts.between(a, b) == "given names differ"}


def test_the_blocking_filter_refuses_exactly_the_given_names_clustering_refuses() -> None:
    rows = [{"unique_id": i, "list_name": "A", "given_name": n, "family_name": "Haddad"} for i, n in enumerate(NAMES)]
    features = build_features(pd.DataFrame(rows))
    refused, expected = _refused_by_filter_and_by_conflicts(features)
    assert refused == expected and len(refused) > 100
    assert (NAMES.index("قاسم"), NAMES.index("Gassem")) not in refused
    assert (NAMES.index("كنان"), NAMES.index("كبان")) not in refused  # one letter apart, not two bytes


def test_admissible_filter_drops_pairs_clustering_could_never_join() -> None:
    rows = [
        {"unique_id": 1, "list_name": "A", "name_ar": "محمد أحمد الحموي", "sex": "ذكر", "age": "30",
         "date_of_death": "2025-03-07"},
        {"unique_id": 2, "list_name": "B", "name_latin": "Mohammed Ahmad Hamwi", "sex": "male", "age": "31",
         "date_of_death": "2025-03-09"},
        {"unique_id": 3, "list_name": "C", "name_latin": "Mohammed Ahmad Hamwi", "sex": "female",
         "date_of_death": "2025-03-07"},
        {"unique_id": 4, "list_name": "C", "name_latin": "Mohammed Ahmad Hamwi", "date_of_death": "2023-03-07"},
        {"unique_id": 5, "list_name": "D", "name_latin": "Mohammed Ahmad Hamwi", "age": "70"},
        {"unique_id": 6, "list_name": "D", "name_latin": "Mohammed Ahmad Hamwi"},
    ]  # fmt: skip
    features = build_features(pd.DataFrame(rows), PlaceIndex.from_rows(list(iter_places())))
    con = duckdb.connect()
    con.register("f", features)
    found = con.execute(
        "SELECT l.unique_id, r.unique_id FROM f l JOIN f r ON l.given_key = r.given_key AND l.father_key = r.father_key"
        f" AND l.family_key = r.family_key AND l.unique_id < r.unique_id AND {splink_model.ADMISSIBLE}"
    ).fetchall()
    con.close()
    pairs = set(found)
    assert (1, 2) in pairs and (1, 6) in pairs and (4, 6) in pairs  # missing values are never evidence
    assert (1, 3) not in pairs and (2, 3) not in pairs  # sex differs
    assert (1, 4) not in pairs  # two years apart
    assert (1, 5) not in pairs and (2, 5) not in pairs  # forty years of age apart


def test_a_weak_join_needs_corroboration_from_the_other_records() -> None:
    features = pd.DataFrame({"unique_id": [1, 2, 3, 4], "list_name": ["A", "B", "C", "D"]})
    conflicts = Conflicts.lists_only(features)
    # 1-2 is one strong pair; 3 resembles 2 weakly but 1 not at all; 4 resembles both 1 and 2 weakly
    weak_to_one = _pairs([(1, 2, 0.99), (2, 3, 0.02)])
    alone = cluster([1, 2, 3], weak_to_one, 0.5, conflicts=conflicts, attach_threshold=0.005, corroboration=2 / 3)
    assert alone.set_index("unique_id")["person"].nunique() == 2
    joined = cluster([1, 2, 3], weak_to_one, 0.5, conflicts=conflicts, attach_threshold=0.005)
    assert joined.set_index("unique_id")["person"].nunique() == 1  # without the rule one weak pair was enough
    weak_to_both = _pairs([(1, 2, 0.99), (2, 4, 0.02), (1, 4, 0.01)])
    both = cluster([1, 2, 4], weak_to_both, 0.5, conflicts=conflicts, attach_threshold=0.005, corroboration=2 / 3)
    assert both.set_index("unique_id")["person"].nunique() == 1
    assert both.set_index("unique_id").loc[4, "score"] == 0.02


def test_the_blocking_filter_and_clustering_agree_where_names_are_common() -> None:
    # common names (six records each) and rare ones (typos, one record each) on both sides of each rule
    common = ["محمد", "أحمد", "محمود", "حسن", "حسين", "هادي", "Ahmad", "Mohammed", "Hassan", "Hamza", "حمزة"]
    rare = ["احد", "ممد", "محمود", "Ahad", "Mhamd", "حسبن", "Hadi", "هدي"]
    names = [n for n in common for _ in range(6)] + rare
    rows = [{"unique_id": i, "list_name": "A", "given_name": n, "family_name": "حداد" if is_arabic(n) else "Haddad"}
            for i, n in enumerate(names)]  # fmt: skip
    features = build_features(pd.DataFrame(rows))
    assert (features["given_common"] == 1).sum() == 6 * len(common) + 1  # the seventh محمود is common too
    # rare is read as rare (0) from 5,000 records up (common_given); the names here stand for such a set
    features["given_common"] = features["given_common"].replace(-1, 0)
    refused, expected = _refused_by_filter_and_by_conflicts(features)
    assert refused == expected
    first = {n: names.index(n) for n in common}
    assert (first["محمد"], first["أحمد"]) in refused  # two common Arabic names one letter apart
    assert (first["Ahmad"], len(names) - len(rare)) not in refused  # احد: a rare Arabic spelling of Ahmad mistyped
