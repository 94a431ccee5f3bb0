"""Blocking and the second clustering pass: admissible candidates only, broad rules only on small sets, and weak
joins only where the other records of the two groups corroborate them."""

from __future__ import annotations

import duckdb
import pandas as pd

from tawthiq.link import splink_model
from tawthiq.link.cluster import cluster
from tawthiq.link.conflicts import Conflicts
from tawthiq.link.features import PlaceIndex, build_features
from tawthiq.link.synth import iter_places


def _pairs(rows: list[tuple[int, int, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unique_id_l", "unique_id_r", "match_probability"])


def test_broad_blocking_only_on_small_sets() -> None:
    profile = splink_model.VICTIMS
    small = profile.blocking_keys_for(10_000)
    large = profile.blocking_keys_for(profile.broad_max_records + 1)
    assert set(large) < set(small) and set(small) - set(large) == set(splink_model.BROAD_BLOCKING_KEYS)
    assert all(len(k) >= 2 for k in large)  # no single-column rule: candidates stay near-linear in the records


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
