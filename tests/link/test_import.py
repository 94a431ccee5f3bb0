"""Importing victim lists: mapping, row-numbered errors, idempotent re-import, XLSX."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from tawthiq.errors import LinkageError
from tawthiq.ingest.lists import Mapping, import_list, parse_date, read_rows
from tawthiq.store import Store

AR_MAP = Mapping.from_pairs([
    "source_record_id=الرقم", "name_ar=الاسم", "sex=الجنس", "age=العمر", "date_of_death=تاريخ الوفاة",
    "place_of_death=مكان الوفاة", "governorate=المحافظة", "status=الصفة",
])  # fmt: skip


def test_good_rows_kept_bad_rows_reported_by_number(store: Store, fixtures: Path) -> None:
    report = import_list(store, fixtures / "small_ar.csv", "Local", AR_MAP)
    assert (report.rows, report.inserted) == (7, 3)
    reasons = {e.row_number: e.reason for e in report.errors}
    assert set(reasons) == {4, 5, 6, 7}
    assert "no name" in reasons[4] and "age 'abc'" in reasons[5] and "2025-13-01" in reasons[6]
    assert "already used on row 1" in reasons[7]
    rows = store.query("SELECT row_number, date_of_death, status, record_key FROM victim_records ORDER BY row_number")
    assert next((r[0], r[1], r[2], r[3]) for r in rows) == (1, "2025-03-07", "civilian", "A1")
    stored = store.query("SELECT row_number, reason FROM victim_import_errors ORDER BY row_number")
    assert [r[0] for r in stored] == [4, 5, 6, 7]


def test_reimport_is_idempotent(store: Store, fixtures: Path) -> None:
    mapping = Mapping.from_toml(fixtures / "small_en.toml")
    first = import_list(store, fixtures / "small_en.csv", "English", mapping)
    again = import_list(store, fixtures / "small_en.csv", "English", mapping)
    assert (first.inserted, again.inserted, again.unchanged) == (4, 0, 4)
    assert store.query("SELECT count(*) FROM victim_records")[0][0] == 4


def test_rows_without_ids_are_keyed_by_hash(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "noid.csv"
    path.write_text("name_latin,date_of_death,extra col\nAli Hassan,2025-03-07,x\nOmar Ali,,\n", encoding="utf-8")
    assert import_list(store, path, "L").inserted == 2
    assert import_list(store, path, "L").unchanged == 2
    row = store.query("SELECT record_key, extra FROM victim_records WHERE row_number = 1")[0]
    assert row[0].startswith("row:") and json.loads(row[1]) == {"extra col": "x"}


def test_xlsx_import(store: Store, tmp_path: Path) -> None:
    import datetime as dt

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["الاسم", "تاريخ"])
    sheet.append(["محمد علي", dt.datetime(2025, 3, 7)])
    sheet.append(["", dt.datetime(2025, 3, 7)])
    path = tmp_path / "list.xlsx"
    book.save(path)
    report = import_list(store, path, "X", Mapping.from_pairs(["name_ar=الاسم", "date_of_death=تاريخ"]))
    assert report.inserted == 1 and [e.row_number for e in report.errors] == [2]
    assert store.query("SELECT date_of_death FROM victim_records")[0][0] == "2025-03-07"


def test_an_xlsx_list_leaves_no_file_open_however_its_rows_are_used(tmp_path: Path) -> None:
    # CI saw a workbook's file left open when an import stopped before reading its rows (a ResourceWarning).
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["name"])
    sheet.append(["Ali"])
    path = tmp_path / "list.xlsx"
    book.save(path)

    def open_here() -> list[str]:
        fds = Path("/proc/self/fd")
        return [str(fd) for fd in fds.iterdir() if _resolves_to(fd, path)]

    header, rows = read_rows(path)
    assert header == ["name"] and open_here() == []
    assert list(rows) == [["Ali"]] and open_here() == []


def _resolves_to(fd: Path, path: Path) -> bool:
    try:
        return fd.resolve() == path.resolve()
    except OSError:  # the descriptor closed while listing
        return False


def test_bad_mapping_reports_every_problem(store: Store, fixtures: Path) -> None:
    with pytest.raises(LinkageError, match=r"unknown section \[extras\]"):
        Mapping.from_toml(fixtures / "bad_mapping.toml")
    bad = Mapping.from_pairs(["name_latin=No such column", "birthday=Age"])
    with pytest.raises(LinkageError) as info:
        import_list(store, fixtures / "small_en.csv", "E", bad)
    message = str(info.value)
    assert "small_en.csv" in message and "'No such column'" in message and "'birthday'" in message


@pytest.mark.parametrize(
    ("content", "suffix", "reason"),
    [(b"", ".csv", "empty"), (b"\x00\x01\x02\x03" * 50, ".csv", "binary data"),
     (b"\x81\x8d\x8e\x90" * 20, ".csv", "not UTF-8 and no supported legacy encoding"),
     (b"x", ".pdf", "not a CSV or XLSX")],
)
def test_unreadable_files_name_the_file(store: Store, tmp_path: Path, content: bytes, suffix: str, reason: str) -> None:
    path = tmp_path / f"f{suffix}"
    path.write_bytes(content)
    with pytest.raises(LinkageError, match=reason):
        import_list(store, path, "L")


def test_no_name_column_is_refused(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "n.csv"
    path.write_text("age\n3\n", encoding="utf-8")
    with pytest.raises(LinkageError, match="no name column"):
        import_list(store, path, "L")


def test_parse_date_formats() -> None:
    assert parse_date("07/03/2025") == parse_date("2025-03-07") == "2025-03-07"
    assert parse_date("03-07-2025", "%m-%d-%Y") == "2025-03-07"
    assert parse_date("") is None
    with pytest.raises(ValueError, match="not a date"):
        parse_date("yesterday")


@pytest.mark.parametrize(("encoding", "separator", "suffix"), [
    ("cp1256", ",", ".csv"),  # Excel on an Arabic Windows saves "CSV" in Windows-1256
    ("utf-8-sig", ";", ".csv"),  # ... with semicolons where the decimal mark is a comma
    ("utf-16", "\t", ".txt"),  # "Unicode text": UTF-16 with a BOM, tab-separated
])
def test_lists_saved_by_spreadsheets_read_like_utf8_csv(store: Store, fixtures: Path, tmp_path: Path, encoding: str,
                                                        separator: str, suffix: str) -> None:
    """The same Arabic list in the encodings and separators spreadsheets write gives the same records."""
    text = (fixtures / "small_ar.csv").read_text(encoding="utf-8")
    path = tmp_path / f"saved{suffix}"
    path.write_bytes(text.replace(",", separator).encode(encoding))
    report = import_list(store, path, "Local", AR_MAP)
    assert (report.rows, report.inserted) == (7, 3)
    names = [r[0] for r in store.query("SELECT name_ar FROM victim_records ORDER BY row_number")]
    header, *_ = read_rows(fixtures / "small_ar.csv")
    assert read_rows(path)[0] == header
    assert names and all(any("\u0600" <= ch <= "\u06ff" for ch in n) for n in names)


def test_usual_column_names_need_no_mapping(store: Store, fixtures: Path, tmp_path: Path) -> None:
    """The Arabic fixture's own headers (الرقم, الاسم, تاريخ الوفاة ...) give without a mapping what AR_MAP gives."""
    import_list(store, fixtures / "small_ar.csv", "mapped", AR_MAP)
    import_list(store, fixtures / "small_ar.csv", "recognised")
    rows = store.query("SELECT list_name, record_key, name_ar, sex, age, date_of_death, place_of_death, status"
                       " FROM victim_records ORDER BY list_name, row_number")
    mapped = [tuple(r)[1:] for r in rows if r[0] == "mapped"]
    assert mapped and mapped == [tuple(r)[1:] for r in rows if r[0] == "recognised"]


def test_an_english_list_as_exported_by_a_spreadsheet(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "No.,Name,Father's Name,Gender,AGE,Date,Place of death,Governorate,Status,Notes\n"
        "1,Mohammed Ali al-Hamwi,Ahmad,Male,34 years,7 March 2025,Baniyas,Tartus,Civilian,x\n"
        "2,محمد أحمد,,Unknown,٣٤,٠٧/٠٣/٢٠٢٥,جبلة,اللاذقية,مدني,\n"
        "3,Fatima Ali,Ali,F,child,7 آذار 2025,Jableh,Latakia,civilian,\n", encoding="utf-8")
    report = import_list(store, path, "English")
    assert (report.rows, report.inserted, report.errors) == (3, 3, [])
    rows = store.query("SELECT record_key, name_ar, name_latin, father_name, sex, age, age_group, date_of_death,"
                       " status, extra FROM victim_records ORDER BY row_number")
    assert [tuple(r)[:9] for r in rows] == [
        ("1", None, "Mohammed Ali al-Hamwi", "Ahmad", "Male", "34", None, "2025-03-07", "civilian"),
        ("2", "محمد أحمد", None, None, None, "34", None, "2025-03-07", "civilian"),
        ("3", None, "Fatima Ali", "Ali", "F", None, "child", "2025-03-07", "civilian"),
    ]
    assert json.loads(rows[0][9]) == {"Notes": "x"}  # a column no field takes is kept with the record


@pytest.mark.parametrize("text", ["2025-03-07", "07/03/2025", "٠٧/٠٣/٢٠٢٥", "۰۷/۰۳/۲۰۲۵", "\u200f07/03/2025",
                                  "7 March 2025", "March 7, 2025", "07-Mar-2025", "7 آذار 2025", "٧ آذار ٢٠٢٥",
                                  "7 مارس 2025", "2025-03-07 00:00:00"])
def test_dates_as_lists_write_them(text: str) -> None:
    assert parse_date(text) == "2025-03-07"
