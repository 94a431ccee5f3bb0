"""Victim lists with Every Casualty fields; protected fields only in an evidentiary export."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tawthiq.export.victims import PROTECTED, columns, write_victims_csv
from tawthiq.ingest.lists import Mapping, import_list
from tawthiq.store import open_store

LISTS = Path(__file__).resolve().parents[1] / "fixtures" / "lists"


def _export(tmp_path: Path, *, evidentiary: bool) -> list[dict[str, str]]:
    with open_store(tmp_path / "v.db") as store:
        if not store.query("SELECT count(*) FROM victim_records")[0][0]:
            import_list(store, LISTS / "small_en.csv", "English", Mapping.from_toml(LISTS / "small_en.toml"))
        out = io.StringIO(newline="")
        count = write_victims_csv(store, out, evidentiary=evidentiary)
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert len(rows) == count > 0
    return rows


def test_public_export_leaves_protected_fields_out(tmp_path: Path) -> None:
    rows = _export(tmp_path, evidentiary=False)
    assert tuple(rows[0]) == columns()
    assert not {name for name, _ in PROTECTED} & set(rows[0])
    first = rows[0]
    assert (first["full_name_latin"], first["sex"], first["age"], first["date_of_death"], first["admin1"]) == (
        "Mohammed Ahmad al-Hamwi", "male", "34", "2025-03-07", "Tartus")
    assert first["source_list"] == "English" and first["source_row"] == "1"


def test_evidentiary_export_adds_them(tmp_path: Path) -> None:
    _export(tmp_path, evidentiary=False)
    rows = _export(tmp_path, evidentiary=True)
    assert tuple(rows[0]) == columns(evidentiary=True)
    assert rows[0]["source_record_id"] == "E1"
