"""Import victim lists (CSV, XLSX) into the store, with a column mapping and a row-numbered error report.

A mapping says which column of the file holds each canonical field (:data:`FIELDS`). It comes from CLI flags
(``--map date_of_death="تاريخ الوفاة"``) or a TOML file::

    [columns]
    name_ar = "الاسم الكامل"
    date_of_death = "تاريخ الاستشهاد"
    place_of_death = "مكان الاستشهاد"
    source_record_id = "الرقم"

    [options]
    date_format = "%d/%m/%Y"   # tried before the built-in formats
    sheet = "Sheet1"           # for XLSX

Columns already named like a canonical field map to it without being listed. Bad rows (no name, an unreadable date or
age, a duplicate source id) are reported with their row number and reason and not imported; good rows are. A record
is keyed by (list, source record id) or, without an id, (list, hash of the row), so importing a file twice changes
nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tawthiq.errors import LinkageError, UnreadableError
from tawthiq.extract.arabic import ASCII_DIGITS
from tawthiq.files import field_separator
from tawthiq.ingest.readers import decode_text
from tawthiq.link.names import is_arabic
from tawthiq.store import Store
from tawthiq.store.connection import Connection

FIELDS = (
    "name_ar", "name_latin", "given_name", "father_name", "mother_name", "family_name", "sex", "age", "age_group",
    "date_of_death", "place_of_death", "place_of_origin", "governorate", "district", "status", "cause", "perpetrator",
    "source_record_id",
)  # fmt: skip
NAME_FIELDS = ("name_ar", "name_latin", "given_name", "family_name")
_INVISIBLE = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\ufeff"))
_AGE = re.compile(r"^\s*(\d{1,3})(?:\.0+)?\s*(?:years?|yrs?\.?|y|yo|سنة|سنه|سنوات|عام|عاما|عاماً)?\s*$", re.I)
_AGE_GROUPS = {"child", "adult", "minor", "طفل", "طفلة", "قاصر", "بالغ", "بالغة"}
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december")  # not calendar.month_name: that follows the process's locale
_MONTHS_EN = {n: i for i, n in enumerate(_MONTH_NAMES, 1)} | {n[:3]: i for i, n in enumerate(_MONTH_NAMES, 1)} | {
    "sept": 9}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S")
STATUS = {
    "civilian": "civilian", "مدني": "civilian", "مدنية": "civilian",
    "non-civilian": "non-civilian", "noncivilian": "non-civilian", "combatant": "non-civilian",
    "fighter": "non-civilian", "مقاتل": "non-civilian", "عسكري": "non-civilian",
    "security forces": "security forces", "security": "security forces", "army": "security forces",
    "أمن عام": "security forces", "قوات الأمن": "security forces",
    "unknown": "unknown", "غير معروف": "unknown", "": "unknown",
}  # fmt: skip
SEXES = {"m", "male", "man", "boy", "ذكر", "f", "female", "woman", "girl", "أنثى", "انثى"}
SEX_UNKNOWN = {"unknown", "u", "?", "-", "n/a", "na", "غير معروف", "غير محدد", "مجهول"}
# Usual column names of victim lists, read when the mapping does not name a column for the field. Compared after
# _header_key (lower case, punctuation as spaces, Arabic folded), so "Date of death", "date_of_death" and
# "DATE-OF-DEATH" are one. A generic name column goes to name_ar; a Latin value there is moved to name_latin (below).
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "name_ar": ("name", "full name", "victim name", "victim", "name of victim", "names", "الاسم", "الاسم الكامل",
                "اسم الضحية", "الاسم الثلاثي", "اسم الشهيد", "اسم الضحيه", "الضحية", "اسم", "nom"),
    "name_latin": ("name latin", "latin name", "english name", "name english", "name en", "transliteration"),
    "given_name": ("first name", "given name", "forename", "الاسم الاول"),
    "father_name": ("father", "father name", "father s name", "fathers name", "اسم الاب", "الاب"),
    "mother_name": ("mother", "mother name", "mother s name", "mothers name", "اسم الام", "الام"),
    "family_name": ("family name", "surname", "last name", "family", "الكنية", "اسم العائلة", "العائلة", "النسبة"),
    "sex": ("sex", "gender", "الجنس"),
    "age": ("age", "age years", "العمر", "السن"),
    "age_group": ("age group", "adult child", "child adult", "الفئة العمرية", "الفئة"),
    "date_of_death": ("date of death", "death date", "date", "dod", "date killed", "killed on", "تاريخ الوفاة",
                      "تاريخ الاستشهاد", "تاريخ الوفاه", "تاريخ القتل", "التاريخ", "تاريخ الاستشهاد الوفاة"),
    "place_of_death": ("place of death", "death place", "place", "location", "village", "town", "مكان الوفاة",
                       "مكان الاستشهاد", "مكان الوفاه", "مكان القتل", "المكان", "البلدة", "القرية"),
    "place_of_origin": ("place of origin", "origin", "hometown", "home town", "from", "residence", "المنشا",
                        "مكان الاقامة", "البلدة الاصلية", "من"),
    "governorate": ("governorate", "province", "muhafaza", "muhafazah", "المحافظة", "محافظة"),
    "district": ("district", "area", "region", "المنطقة", "الناحية"),
    "status": ("status", "civilian status", "civilian or combatant", "الصفة", "الحالة", "الوضع"),
    "cause": ("cause", "cause of death", "manner of death", "سبب الوفاة", "طريقة القتل", "سبب الاستشهاد",
              "طريقة الوفاة"),
    "perpetrator": ("perpetrator", "killed by", "responsible", "responsible party", "الجهة المسؤولة", "الجاني",
                    "الجهة الفاعلة"),
    "source_record_id": ("id", "record id", "no", "number", "serial", "#", "الرقم", "الرقم التسلسلي", "رقم",
                         "التسلسل", "ت"),
}


@dataclass(slots=True)
class Mapping:
    """Canonical field → source column, and reading options."""

    columns: dict[str, str] = field(default_factory=dict)
    date_format: str | None = None
    sheet: str | None = None

    @classmethod
    def from_toml(cls, path: Path) -> Mapping:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
            raise LinkageError(f"{path}: cannot read the mapping file ({e})") from e
        columns, options = data.get("columns", {}), data.get("options", {})
        problems = [f"unknown section [{k}]" for k in data if k not in ("columns", "options")]
        problems += [f"columns.{k} must be a string" for k, v in columns.items() if not isinstance(v, str)]
        problems += [f"unknown option {k!r}" for k in options if k not in ("date_format", "sheet")]
        if problems:
            raise LinkageError(f"{path}: " + "; ".join(problems), hint=f"canonical fields: {', '.join(FIELDS)}")
        return cls({k: str(v) for k, v in columns.items()}, options.get("date_format"), options.get("sheet"))

    @classmethod
    def from_pairs(cls, pairs: list[str], base: Mapping | None = None) -> Mapping:
        """``field=column`` strings (CLI ``--map``), overlaid on ``base``."""
        mapping = Mapping(dict(base.columns), base.date_format, base.sheet) if base else Mapping()
        bad = [p for p in pairs if "=" not in p]
        if bad:
            raise LinkageError(f"--map needs FIELD=COLUMN, got {bad[0]!r}", hint=f"fields: {', '.join(FIELDS)}")
        for pair in pairs:
            key, value = pair.split("=", 1)
            mapping.columns[key.strip()] = value.strip()
        return mapping

    def resolve(self, header: list[str], source: str) -> dict[str, str]:
        """Canonical field → column actually in ``header``; every problem reported at once."""
        problems = [f"unknown field {k!r}" for k in self.columns if k not in FIELDS]
        problems += [f"column {v!r} (for {k}) is not in the file" for k, v in self.columns.items() if v not in header]
        if problems:
            raise LinkageError(
                f"{source}: bad column mapping: " + "; ".join(problems),
                hint=f"columns in the file: {', '.join(header)}; fields: {', '.join(FIELDS)}",
            )
        resolved = {f: f for f in FIELDS if f in header}
        resolved.update(self.columns)
        taken = set(resolved.values())
        by_key = {_header_key(h): h for h in reversed(header) if h not in taken}  # the first column of a name wins
        for f, names in HEADER_NAMES.items():
            column = next((by_key[n] for n in map(_header_key, names) if n in by_key), None)
            if f not in resolved and column is not None and column not in taken:
                resolved[f] = column
                taken.add(column)
        if not any(f in resolved for f in NAME_FIELDS):
            raise LinkageError(
                f"{source}: no name column is mapped",
                hint="map at least one of name_ar, name_latin, given_name, family_name (e.g. --map name_ar=الاسم)",
            )
        return resolved


@dataclass(frozen=True, slots=True)
class RowError:
    row_number: int
    reason: str


@dataclass(slots=True)
class ImportReport:
    list_name: str
    source: str
    rows: int = 0
    inserted: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.source}: {self.rows} rows, {self.inserted} new records, {self.unchanged} already imported, "
            f"{len(self.errors)} rejected"
        )


def read_rows(path: Path, sheet: str | None = None) -> tuple[list[str], Iterator[list[str]]]:
    """Header and data rows of a CSV (UTF-8 or UTF-16 with or without a BOM, or a legacy encoding such as
    Windows-1256) or XLSX file, as strings."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise LinkageError(f"{path}: no such file")
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    if suffix not in (".csv", ".tsv", ".txt"):
        raise LinkageError(f"{path}: not a CSV or XLSX file", hint="save the list as .csv (UTF-8) or .xlsx")
    try:
        text = decode_text(path, path.read_bytes())[0].removeprefix("\ufeff")
    except UnreadableError as e:
        raise LinkageError(f"{path}: {e.reason}", hint=e.hint or "save as UTF-8") from e
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t" if suffix == ".tsv" else field_separator(text))
    header = next(reader, None)
    if not header:
        raise LinkageError(f"{path}: the file is empty")
    return [h.strip() for h in header], reader


def _read_xlsx(path: Path, sheet: str | None) -> tuple[list[str], Iterator[list[str]]]:
    """Header and rows of a workbook, read lazily from its bytes in memory (no file is left open, whatever the caller
    does with the rows; the compressed workbook is small beside the rows it holds)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a broken file
        raise LinkageError(f"{path}: not a readable XLSX workbook ({e})") from e
    if sheet and sheet not in book.sheetnames:
        raise LinkageError(f"{path}: no sheet {sheet!r}", hint=f"sheets: {', '.join(book.sheetnames)}")
    values = (book[sheet] if sheet else book.worksheets[0]).iter_rows(values_only=True)
    header = next(values, None)
    if not header:
        raise LinkageError(f"{path}: the sheet is empty")

    def cell(v: object) -> str:
        if isinstance(v, dt.datetime):
            return v.date().isoformat()
        return "" if v is None else str(v)

    return [cell(h).strip() for h in header], ([cell(v) for v in row] for row in values)


def _header_key(name: str) -> str:
    """A column name compared loosely: lower case, Arabic folded (hamza forms, ta marbuta), punctuation as spaces."""
    from tawthiq.extract.arabic import fold

    text = fold(name.translate(_INVISIBLE)).lower()
    return " ".join(re.sub(r"[^\w#]+|_", " ", text).split())


def plain_digits(text: str) -> str:
    """Arabic-Indic and Persian digits as ASCII ones, and the direction marks spreadsheets leave in dates removed."""
    return text.translate(ASCII_DIGITS).translate(_INVISIBLE)


def parse_date(text: str, date_format: str | None = None) -> str | None:
    """ISO date of ``text``; raises ValueError when it is not a date in a known format.

    Besides the numeric formats: digits of any Arabic script, and a month by name between the day and the year, in
    English or Arabic (Levantine آذار or Egyptian مارس, "7 آذار 2025", "7 March 2025", "March 7, 2025")."""
    original = text.strip()
    text = " ".join(plain_digits(original).split())
    if not text:
        return None
    formats = (date_format, *DATE_FORMATS) if date_format else DATE_FORMATS
    for fmt in formats:
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    named = _named_month(text)
    if named:
        return named
    raise ValueError(f"date of death {original!r} is not a date (expected e.g. 2025-03-07 or 07/03/2025)")


def _named_month(text: str) -> str | None:
    from tawthiq.extract.arabic import fold
    from tawthiq.extract.dates_ar import MONTHS_AR

    words = re.sub(r"[,،/\-]+", " ", text).split()
    if len(words) != 3:
        return None
    if words[0].isdigit():
        day, month, year = words
    elif words[1].isdigit():
        month, day, year = words
    else:
        return None
    number = _MONTHS_EN.get(month.lower().rstrip(".")) or MONTHS_AR.get(fold(month).removeprefix("شهر"))
    if number is None or not (day.isdigit() and year.isdigit() and len(year) == 4):
        return None
    try:
        return dt.date(int(year), number, int(day)).isoformat()
    except ValueError:
        return None


def clean_row(values: dict[str, str], date_format: str | None) -> dict[str, str | None]:
    """Validate and normalise one mapped row; raises ValueError with the reason."""
    row: dict[str, str | None] = {k: (v.strip() or None) for k, v in values.items()}
    if not any(row.get(f) for f in NAME_FIELDS):
        raise ValueError("no name (name_ar, name_latin, given_name and family_name are all empty)")
    _names_by_script(row)
    row["date_of_death"] = parse_date(row.get("date_of_death") or "", date_format)
    age = row.get("age")
    if age is not None:
        years = _AGE.match(plain_digits(age))
        if years is None and not row.get("age_group") and age.lower() in _AGE_GROUPS:
            row["age_group"], row["age"] = age, None  # "child" in the age column: an age group
        elif years is None or int(years.group(1)) > 120:
            raise ValueError(f"age {age!r} is not a whole number of years from 0 to 120")
        else:
            row["age"] = str(int(years.group(1)))
    sex = row.get("sex")
    if sex is not None and sex.lower() in SEX_UNKNOWN:
        row["sex"] = None
    elif sex is not None and sex.lower() not in SEXES:
        raise ValueError(f"sex {sex!r} is not one of male/female (or ذكر/أنثى)")
    status = (row.get("status") or "").strip().lower()
    row["status"] = STATUS.get(status, status or "unknown")
    return row


def _names_by_script(row: dict[str, str | None]) -> None:
    """A name written in Latin letters in the Arabic name's column (a list with one "Name" column, or a column mapped
    wrongly) is moved to name_latin, and an Arabic one in name_latin to name_ar, when that field is empty."""
    ar, latin = row.get("name_ar"), row.get("name_latin")
    if ar and not latin and not is_arabic(ar) and re.search(r"[A-Za-z]", ar):
        row["name_latin"], row["name_ar"] = ar, None
    elif latin and not ar and is_arabic(latin):
        row["name_ar"], row["name_latin"] = latin, None


def _row_key(row: dict[str, str | None]) -> str:
    if row.get("source_record_id"):
        return str(row["source_record_id"])
    canonical = json.dumps({k: v for k, v in sorted(row.items()) if v}, ensure_ascii=False, sort_keys=True)
    return "row:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


def import_list(store: Store, path: Path, list_name: str, mapping: Mapping | None = None) -> ImportReport:
    """Import one list file; good rows are stored (once), bad rows are reported and recorded with their reason."""
    if not list_name.strip():
        raise LinkageError(f"{path}: a list name is needed (--list NAME)")
    mapping = mapping or Mapping()
    header, rows = read_rows(path, mapping.sheet)
    columns = mapping.resolve(header, str(path))
    position = {col: i for i, col in enumerate(header)}
    extra_cols = [c for c in header if c not in set(columns.values())]
    report = ImportReport(list_name, str(path))
    seen: dict[str, int] = {}
    with store.transaction() as conn:
        for number, raw in enumerate(rows, start=1):
            if not any(v.strip() for v in raw):
                continue
            report.rows += 1
            values = {f: (raw[position[c]] if position[c] < len(raw) else "") for f, c in columns.items()}
            try:
                row = clean_row(values, mapping.date_format)
                key = _row_key(row)
                if key in seen and row.get("source_record_id"):
                    raise ValueError(f"source record id {key!r} already used on row {seen[key]}")
            except ValueError as e:
                report.errors.append(RowError(number, str(e)))
                continue
            seen[key] = number
            extra = {c: raw[position[c]] for c in extra_cols if position[c] < len(raw) and raw[position[c]]}
            if _insert(conn, list_name, key, str(path), number, row, extra):
                report.inserted += 1
            else:
                report.unchanged += 1
        conn.executemany(
            "INSERT INTO victim_import_errors (list_name, source_file, row_number, reason) VALUES (?, ?, ?, ?)",
            [(list_name, str(path), e.row_number, e.reason) for e in report.errors],
        )
    return report


def _insert(conn: Connection, list_name: str, key: str, source: str, number: int,
            row: dict[str, str | None], extra: dict[str, str]) -> bool:  # fmt: skip
    fields = [f for f in FIELDS if f in row]
    sql = (
        f"INSERT INTO victim_records (list_name, record_key, source_file, row_number, extra, "
        f"{', '.join(fields)}) VALUES (?, ?, ?, ?, ?, {', '.join('?' for _ in fields)}) ON CONFLICT DO NOTHING"
    )
    cursor = conn.execute(sql, (list_name, key, source, number, json.dumps(extra, ensure_ascii=False),
                                *(row[f] for f in fields)))  # fmt: skip
    return cursor.rowcount == 1
