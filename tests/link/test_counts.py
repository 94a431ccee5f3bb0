"""Counts in two scopes: every person, and those fully identified (HRDAG's rule for its Syria enumerations)."""

from __future__ import annotations

import pandas as pd
import pytest

from tawthiq.errors import LinkageError
from tawthiq.link.counts import in_scope, overlap_table, person_table
from tawthiq.link.features import fully_identified

FULL = {"name_ar": "محمد علي الحموي", "date_of_death": "2025-03-07", "place_of_death": "بانياس"}


@pytest.mark.parametrize(("row", "expected"), [
    (FULL, True),
    ({"given_name": "Ahmad", "family_name": "Hamwi", "date_of_death": "2025-03-08", "governorate": "Tartus"}, True),
    ({"name_latin": "Ahmad al-Hamwi", "date_of_death": "2025-03-08", "place_of_death": "Jableh"}, True),
    ({**FULL, "name_ar": "محمد"}, False),  # a given name alone
    ({"given_name": "Ahmad", "father_name": "Ali", "date_of_death": "2025-03-08", "governorate": "Tartus"}, False),
    ({**FULL, "date_of_death": ""}, False),
    ({**FULL, "date_of_death": "March 2025"}, False),  # not a date of death
    ({**FULL, "place_of_death": None}, False),
    ({**FULL, "place_of_death": " ", "governorate": "اللاذقية"}, True),
])
def test_a_record_is_fully_identified_by_name_date_and_place(row: dict[str, object], expected: bool) -> None:
    assert fully_identified(row) is expected


def _records() -> pd.DataFrame:
    rows = [
        # person 1: one full record on list A, a record with a given name only on list B
        {"unique_id": 1, "list_name": "A", **FULL, "governorate": "Tartus"},
        {"unique_id": 2, "list_name": "B", "name_ar": "محمد", "date_of_death": "2025-03-07", "governorate": "Tartus"},
        # person 2: known only from records without a date
        {"unique_id": 3, "list_name": "A", "name_latin": "Ali Hassan", "place_of_death": "Jableh"},
        {"unique_id": 4, "list_name": "C", "name_latin": "Ali Hasan", "place_of_death": "Jableh"},
        # person 3: full, on B only
        {"unique_id": 5, "list_name": "B", "given_name": "Rami", "family_name": "Saleh", "date_of_death":
         "2025-03-09", "governorate": "Latakia"},
    ]  # fmt: skip
    columns = ["unique_id", "list_name", "name_ar", "name_latin", "given_name", "father_name", "family_name", "sex",
               "age", "age_group", "date_of_death", "place_of_death", "governorate", "status"]  # fmt: skip
    return pd.DataFrame(rows).reindex(columns=columns)


def test_a_person_is_identified_when_any_of_its_records_is() -> None:
    assignments = pd.DataFrame({"unique_id": [1, 2, 3, 4, 5], "person": [10, 10, 20, 20, 30]})
    persons = person_table(_records(), assignments)
    assert dict(zip(persons["person"], persons["identified"], strict=True)) == {10: True, 20: False, 30: True}
    everyone = overlap_table(persons, ["A", "B", "C"])
    identified = overlap_table(in_scope(persons, "identified"), ["A", "B", "C"])
    assert everyone["count"].sum() == 3 and identified["count"].sum() == 2
    assert identified.to_dict("records") == [{"A": 0, "B": 1, "C": 0, "count": 1}, {"A": 1, "B": 1, "C": 0, "count": 1}]
    with pytest.raises(LinkageError, match="unknown scope 'named'"):
        in_scope(persons, "named")
