"""Linkage end to end on small data: features, the Splink model, clustering with constraints, counts, review."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tawthiq.errors import LinkageError
from tawthiq.ingest.lists import Mapping, import_list
from tawthiq.link import review
from tawthiq.link.cluster import Constraints, cluster
from tawthiq.link.counts import counts_by, overlap_table, person_table, store_person_table
from tawthiq.link.evaluate import blocking_recall, score_clusters
from tawthiq.link.features import PlaceIndex, build_features
from tawthiq.link.run import link_store
from tawthiq.store import Store

from .test_import import AR_MAP


def _pairs(rows: list[tuple[int, int, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unique_id_l", "unique_id_r", "match_probability"])


def test_cluster_is_connected_components_without_constraints() -> None:
    pairs = _pairs([(1, 2, 0.99), (2, 3, 0.7), (4, 5, 0.3)])
    out = cluster([1, 2, 3, 4, 5, 6], pairs, threshold=0.5)
    assert out.set_index("unique_id")["person"].to_dict() == {1: 1, 2: 1, 3: 1, 4: 4, 5: 5, 6: 6}
    via = out.set_index("unique_id")
    assert pd.isna(via.loc[1, "via"]) and via.loc[2, "via"] == 1 and via.loc[3, "via"] == 2
    assert via.loc[3, "score"] == pytest.approx(0.7)


def test_cannot_link_keeps_a_split_apart_and_must_link_joins() -> None:
    pairs = _pairs([(1, 2, 0.99), (2, 3, 0.98), (1, 3, 0.97)])
    cons = Constraints.from_groups(confirmed=[[4, 5]], splits=[[[1, 2], [3]]])
    out = cluster([1, 2, 3, 4, 5], pairs, threshold=0.5, constraints=cons).set_index("unique_id")["person"]
    assert out[1] == out[2] != out[3]
    assert out[4] == out[5]


def test_features_meet_across_scripts(generated: pd.DataFrame) -> None:
    records = pd.DataFrame(
        [
            {
                "unique_id": 1,
                "list_name": "A",
                "name_ar": "محمد أحمد الحموي",
                "place_of_death": "القصور",
                "governorate": "طرطوس",
                "sex": "ذكر",
                "age": "34",
                "date_of_death": "2025-03-07",
            },
            {
                "unique_id": 2,
                "list_name": "B",
                "name_latin": "Mohammed Ahmad el-Hamwi",
                "place_of_death": "Baniyas",
                "governorate": "Tartous",
                "sex": "male",
                "age_group": "adult",
                "date_of_death": "2025-03-08",
            },
        ]
    )
    places = PlaceIndex.from_csv(Path(__file__).resolve().parents[1] / "fixtures" / "lists" / "places.csv")
    feats = build_features(records, places).set_index("unique_id")
    for col in ("given_key", "father_key", "family_key", "district_key", "gov_key", "sex", "age_group"):
        assert feats.loc[1, col] == feats.loc[2, col], col
    assert feats.loc[1, "village_key"] and pd.isna(feats.loc[2, "village_key"])
    assert list(feats["script"]) == ["ar", "lat"]


def test_small_generated_set_links_well(generated: pd.DataFrame, linked: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    assignments, pairs = linked
    truth = generated.set_index("unique_id").loc[assignments["unique_id"], "person_id"].to_numpy()
    quality = score_clusters(assignments["person"].to_numpy(), truth)
    assert quality.f1 > 0.7 and quality.bcubed_f1 > 0.85
    assert blocking_recall(pairs, assignments["unique_id"].to_numpy(), truth) > 0.8
    assert {"mw_given", "mw_dod", "mw_place"} <= set(pairs.columns)


def test_score_clusters_on_known_labelings() -> None:
    perfect = score_clusters(np.array([1, 1, 2]), np.array([5, 5, 6]))
    assert (perfect.f1, perfect.bcubed_f1, perfect.person_count_error) == (1.0, 1.0, 0.0)
    merged = score_clusters(np.array([1, 1, 1]), np.array([5, 5, 6]))
    assert merged.precision == pytest.approx(1 / 3) and merged.recall == 1.0 and merged.predicted_persons == 1


def test_counts_and_overlap_table(generated: pd.DataFrame, linked: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    assignments, _ = linked
    persons = person_table(generated, assignments)
    assert len(persons) == assignments["person"].nunique()
    lists = sorted(generated["list_name"].unique())
    table = overlap_table(persons, lists, ["governorate"])
    assert list(table.columns) == [*lists, "governorate", "count"]
    assert table["count"].sum() == len(persons)
    assert set(table[lists].to_numpy().ravel()) <= {0, 1} and (table[lists].sum(axis=1) >= 1).all()
    by_list = counts_by(persons, "list").set_index("list")["persons"]
    assert by_list.sum() >= len(persons) and set(by_list.index) == set(lists)
    assert "Latakia" in set(persons["governorate"]) and "اللاذقية" not in set(persons["governorate"])
    with pytest.raises(LinkageError, match="cannot count by"):
        counts_by(persons, "colour")


def test_store_run_review_and_rerun(store: Store, fixtures: Path) -> None:
    import_list(store, fixtures / "small_ar.csv", "Local", AR_MAP)
    import_list(store, fixtures / "small_en.csv", "English", Mapping.from_toml(fixtures / "small_en.toml"))
    result = link_store(store, places_file=fixtures / "places.csv")
    assert result.n_records == 7 and result.n_persons <= 7
    # the two Mohammed records are one person, with the pair score that merged them kept
    ids = {r[0]: r[1] for r in store.query("SELECT record_key, id FROM victim_records")}
    person = store.query("SELECT person_id FROM person_records WHERE record_id = ?", (ids["A1"],))[0][0]
    members = [r[0] for r in store.query("SELECT record_id FROM person_records WHERE person_id = ?", (person,))]
    assert sorted(members) == sorted([ids["A1"], ids["E1"]])
    joined = store.query("SELECT match_probability, weights FROM person_records WHERE via_record_id IS NOT NULL")
    assert joined and all(r[0] >= 0.5 and "given" in r[1] for r in joined)
    # an analyst splits them; the next run keeps them apart, and a confirm of another person holds too
    review.split(store, person, [[ids["E1"]]], analyst="test", note="two men")
    link_store(store, places_file=fixtures / "places.csv")
    people = {r[0]: r[1] for r in store.query("SELECT record_id, person_id FROM person_records")}
    assert people[ids["A1"]] != people[ids["E1"]]
    persons, lists = store_person_table(store)
    assert lists == ["Local", "English"] and len(persons) == len(set(people.values()))
    with pytest.raises(LinkageError, match="not in person"):
        review.split(store, people[ids["A1"]], [[ids["E4"]]])
