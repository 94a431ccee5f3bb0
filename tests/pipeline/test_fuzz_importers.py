"""Fuzzing the importers: whatever the bytes, an import ends in a stored record or in one clear error, never a crash
and never a partial write."""

from __future__ import annotations

import io
import sqlite3
import tempfile
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from tawthiq.errors import TawthiqError
from tawthiq.ingest.lists import import_list
from tawthiq.pipeline import ingest_paths
from tawthiq.store import open_store

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HEADER = "name_latin,sex,date_of_death,place_of_death,status\n"
CELL = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12)


def _counts(db: Path) -> tuple[int, ...]:
    with sqlite3.connect(db) as conn:
        tables = ("documents", "claims", "victim_records")
        return tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables)


@FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".txt", ".html", ".pdf", ".png", ".bin"]))
def test_documents_of_any_bytes_are_stored_or_reported(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path, db = Path(tmp) / f"input{suffix}", Path(tmp) / "t.db"
        path.write_bytes(data)
        with open_store(db) as store:
            result = ingest_paths(store, [path])
        documents, claims, _ = _counts(db)
        if result.failed:
            assert (documents, claims) == (0, 0)
            assert str(path) in str(result.failed[0]) and "\n" not in result.failed[0].reason
        else:
            assert documents == 1


@FUZZ
@given(rows=st.lists(st.tuples(CELL, CELL, CELL, CELL, CELL), max_size=8), junk=st.binary(max_size=64))
def test_victim_lists_of_any_content_are_stored_or_reported(rows: list[tuple[str, ...]], junk: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        csv_path, xlsx_path, db = Path(tmp) / "list.csv", Path(tmp) / "list.xlsx", Path(tmp) / "t.db"
        body = io.StringIO()
        body.write(HEADER)
        for row in rows:
            body.write(",".join('"' + cell.replace('"', '""') + '"' for cell in row) + "\n")
        csv_path.write_bytes(body.getvalue().encode("utf-8") + junk)
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(HEADER.strip().split(","))
        for row in rows:
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row])  # what a spreadsheet can hold
        book.save(xlsx_path)
        with open_store(db) as store:
            for path in (csv_path, xlsx_path):
                before = _counts(db)
                try:
                    report = import_list(store, path, path.suffix.lstrip("."))
                except TawthiqError as e:
                    assert _counts(db) == before, "a refused list left rows behind"
                    assert str(path) in str(e)
                    continue
                assert report.rows == report.inserted + report.unchanged + len(report.errors)
