"""Unique-person counts and the overlap table of lists (the input of multiple systems estimation).

A person's attributes come from its records: the governorate most of them give (spellings of one governorate in
either script are grouped by their :func:`name_key`), the month of the earliest date of death, the most common known
status, sex and age group. The overlap table has one 0/1 column per list, optional stratum columns, and ``count``:
the number of persons seen on exactly that combination of lists — what ``tawthiq estimate`` reads.

Counts come in two scopes (:data:`SCOPES`). ``all``: every person the linkage made. ``identified``: the persons with
at least one record that fully identifies the victim (a given and a family name, the date and the place of death;
:func:`~tawthiq.link.features.fully_identified`), the rule of HRDAG's Syria enumerations for the UN. Records that
lack any of these cannot be told apart from others of the same name and place: a person known only from them may be
someone already counted, so the ``all`` count leans high by about the share of such persons that are in fact
duplicates (docs/linkage.md, section 5, measures both against the truth).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from tawthiq.errors import LinkageError
from tawthiq.files import holds_data
from tawthiq.link.features import _SEX, fully_identified, governorate_name
from tawthiq.link.names import name_key
from tawthiq.store import Store

STRATA = ("governorate", "month", "status", "sex", "age_group")
SCOPES = ("all", "identified")


def _mode(values: Sequence[object], skip: tuple[object, ...] = ("", None, "unknown")) -> str:
    counts = Counter(v for v in values if v not in skip and not (isinstance(v, float) and pd.isna(v)))
    return str(counts.most_common(1)[0][0]) if counts else "unknown"


def _governorate_labels(values: pd.Series) -> pd.Series:
    """One label per governorate whatever its spelling: the most common Latin spelling sharing its key."""
    text = values.fillna("").astype(str).map(governorate_name)
    keys = text.map(lambda v: name_key(v).replace(" ", "") if v else "")
    spellings = pd.DataFrame({"k": keys, "v": text})
    spellings = spellings[spellings["v"] != ""]
    spellings["latin"] = spellings["v"].map(lambda v: v.isascii())
    ranked = spellings.groupby(["k", "v", "latin"]).size().reset_index(name="n")
    ranked = ranked.sort_values(["latin", "n"], ascending=[False, False]).drop_duplicates("k")
    label = dict(zip(ranked["k"], ranked["v"], strict=True))
    return keys.map(lambda k: label.get(k, ""))


def person_table(records: pd.DataFrame, assignments: pd.DataFrame) -> pd.DataFrame:
    """One row per person: ``person``, ``lists`` (sorted tuple), the strata of :data:`STRATA`, and ``identified``
    (at least one of its records fully identifies the victim)."""
    frame = records.merge(assignments[["unique_id", "person"]], on="unique_id", how="inner")
    if frame.empty:
        raise LinkageError("no linked persons to count", hint="run `tawthiq victims link` first")
    frame["identified"] = [fully_identified(row) for row in frame.to_dict("records")]
    frame["governorate"] = _governorate_labels(frame.get("governorate", pd.Series(index=frame.index, dtype=str)))
    frame["sex"] = frame["sex"].fillna("").astype(str).map(lambda s: {"m": "male", "f": "female"}.get(
        _SEX.get(s, _SEX.get(s.lower(), "")), ""))  # fmt: skip
    ages = pd.to_numeric(frame["age"], errors="coerce")
    frame["age_group"] = ages.map(lambda a: "" if pd.isna(a) else ("child" if a < 18 else "adult")).where(
        ages.notna(), frame["age_group"].fillna("")
    )
    frame["month"] = frame["date_of_death"].fillna("").astype(str).str[:7]
    rows = []
    for person, group in frame.groupby("person", sort=True):
        months = sorted(m for m in group["month"] if m)
        rows.append({
            "person": int(person), "lists": tuple(sorted(set(group["list_name"]))),
            "governorate": _mode(list(group["governorate"])), "month": months[0] if months else "unknown",
            "status": _mode(list(group["status"])), "sex": _mode(list(group["sex"])),
            "age_group": _mode(list(group["age_group"])), "identified": bool(group["identified"].any()),
        })  # fmt: skip
    return pd.DataFrame(rows)


def in_scope(persons: pd.DataFrame, scope: str) -> pd.DataFrame:
    """The persons counted in ``scope`` (:data:`SCOPES`)."""
    if scope not in SCOPES:
        raise LinkageError(f"unknown scope {scope!r}", hint=f"use {' or '.join(SCOPES)}")
    return persons if scope == "all" else persons[persons["identified"]]


def counts_by(persons: pd.DataFrame, by: str) -> pd.DataFrame:
    """Unique persons per value of ``by`` (``list`` or one of :data:`STRATA`), largest first."""
    if by == "list":
        exploded = persons.explode("lists").rename(columns={"lists": "list"})
        return exploded.groupby("list").size().rename("persons").reset_index().sort_values("persons", ascending=False)
    if by not in STRATA:
        raise LinkageError(f"cannot count by {by!r}", hint=f"use list, {', '.join(STRATA)}")
    return persons.groupby(by).size().rename("persons").reset_index().sort_values("persons", ascending=False)


def overlap_table(persons: pd.DataFrame, lists: Sequence[str], strata: Sequence[str] = ()) -> pd.DataFrame:
    """Capture histories: one 0/1 column per list, the strata, and ``count`` (only observed patterns)."""
    bad = [s for s in strata if s not in STRATA]
    if bad:
        raise LinkageError(f"unknown strata {bad}", hint=f"use {', '.join(STRATA)}")
    frame = pd.DataFrame({name: persons["lists"].map(lambda ls, n=name: int(n in ls)) for name in lists})
    for stratum in strata:
        frame[stratum] = persons[stratum].to_numpy()
    columns = [*lists, *strata]
    table = frame.groupby(columns).size().rename("count").reset_index()
    return table.sort_values([*strata, *lists], ascending=True).reset_index(drop=True)


def store_person_table(store: Store) -> tuple[pd.DataFrame, list[str]]:
    """The person table of the latest run, and the list names in import order."""
    from tawthiq.link.run import load_records

    links = store.query("SELECT record_id AS unique_id, person_id AS person FROM person_records")
    if not links:
        raise LinkageError(f"{store.path}: no persons yet", hint="run `tawthiq victims link` first")
    records = load_records(store)
    lists = list(dict.fromkeys(records["list_name"]))
    return person_table(records, pd.DataFrame([dict(r) for r in links])), lists


def write_overlap(persons: pd.DataFrame, lists: Sequence[str], strata: Sequence[str], path: Path,
                  overwrite: bool = False) -> pd.DataFrame:  # fmt: skip
    if holds_data(path) and not overwrite:
        raise LinkageError(f"{path}: already exists", hint="pass --overwrite to replace it")
    table = overlap_table(persons, lists, strata)
    table.to_csv(path, index=False)
    return table
