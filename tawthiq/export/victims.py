"""Victim lists with the fields of the Every Casualty Standards for Casualty Recording, streamed as CSV.

One row per victim record (a list's row), with the person it was linked to, so a reader sees both each source's
record and the deduplicated persons. Fields that identify living relatives or the source's own record (father's and
mother's names, place of origin, the source's record id, unmapped columns) are protected: they are left out unless an
evidentiary export is asked for (``evidentiary=True``, used by the evidence stage's evidentiary export).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any, TextIO

from tawthiq.errors import StoreError
from tawthiq.export.cells import cell
from tawthiq.store import Store

# (column, SQL expression); names follow the Every Casualty standard's categories (identity, death, status, source).
PUBLIC: tuple[tuple[str, str], ...] = (
    ("record_id", "v.id"),
    ("person_id", "pr.person_id"),
    ("source_list", "v.list_name"),
    ("source_file", "v.source_file"),
    ("source_row", "v.row_number"),
    ("full_name_ar", "v.name_ar"),
    ("full_name_latin", "v.name_latin"),
    ("given_name", "v.given_name"),
    ("family_name", "v.family_name"),
    ("sex", "v.sex"),
    ("age", "v.age"),
    ("age_group", "v.age_group"),
    ("date_of_death", "v.date_of_death"),
    ("place_of_death", "v.place_of_death"),
    ("admin1", "v.governorate"),
    ("admin2", "v.district"),
    ("civilian_status", "v.status"),
    ("cause_of_death", "v.cause"),
    ("perpetrator", "v.perpetrator"),
)
PROTECTED: tuple[tuple[str, str], ...] = (
    ("father_name", "v.father_name"),
    ("mother_name", "v.mother_name"),
    ("place_of_origin", "v.place_of_origin"),
    ("source_record_id", "v.source_record_id"),
    ("extra", "v.extra"),
)


def columns(*, evidentiary: bool = False) -> tuple[str, ...]:
    return tuple(name for name, _ in (PUBLIC + PROTECTED if evidentiary else PUBLIC))


def iter_victim_rows(store: Store, *, evidentiary: bool = False) -> Iterator[dict[str, Any]]:
    """One dict per victim record, in list then row order; protected fields only when ``evidentiary``."""
    select = PUBLIC + PROTECTED if evidentiary else PUBLIC
    sql = (f"SELECT {', '.join(f'{expr} AS {name}' for name, expr in select)} FROM victim_records v"
           " LEFT JOIN person_records pr ON pr.record_id = v.id ORDER BY v.list_name, v.row_number, v.id")
    names = [name for name, _ in select]
    try:
        for row in store.conn.execute(sql):
            yield dict(zip(names, row, strict=True))
    except StoreError as e:
        raise StoreError(f"{store.path}: cannot read victim records ({e})") from e


def write_victims_csv(store: Store, out: TextIO, *, evidentiary: bool = False, spreadsheet_safe: bool = False) -> int:
    """Write the header and one row per victim record; return the number of rows."""
    names = columns(evidentiary=evidentiary)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(names)
    count = 0
    for row in iter_victim_rows(store, evidentiary=evidentiary):
        writer.writerow([cell(row[n], spreadsheet_safe=spreadsheet_safe) for n in names])
        count += 1
    return count
