"""Importing another dataset's CSV file (ACLED, UCDP GED) as a source: the file is a document, each row its claims.

The file's bytes are kept as the document's original (named by their SHA-256); its text is one line per data row,
the row's description, and each claim's evidence span is its row's line. Every row's values are kept as read in
``import_rows`` with the row number, so each figure can be traced to the file and row it came from. A file is written
in one transaction, and a file already imported (same SHA-256) changes nothing.

A row that cannot be read (a date that is not a date, a toll that is not a number) is rejected with its row number and
reason; the other rows are imported.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tawthiq.errors import IngestError
from tawthiq.extract.places import Gazetteer
from tawthiq.model import Claim, Document, Source, Span
from tawthiq.store import Store, records


class RowError(ValueError):
    """A row that cannot be imported; the message is the reason."""


@dataclass(slots=True)
class RowClaims:
    """What one row gives: its description (the evidence line), its claims and which figure each holds."""

    sentence: str
    claims: list[Claim]
    parts: list[str]  # per claim: total | civilians
    external_id: str = ""


@dataclass(slots=True)
class ImportResult:
    path: str
    sha256: str
    dataset: str
    rows: int = 0
    claims: int = 0
    unchanged: bool = False
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (row number, reason)


Converter = Callable[[dict[str, str], int], RowClaims]


def read_rows(path: Path, required: tuple[str, ...]) -> tuple[bytes, list[str], Iterator[dict[str, str]]]:
    """The file's bytes, its header and its rows; raises :class:`IngestError` naming every missing column."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise IngestError(str(path), f"cannot read the file ({e.strerror})") from e
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise IngestError(str(path), f"not UTF-8 text (byte {e.start})", hint="save the file as UTF-8 CSV") from e
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in required if c not in header]
    if missing:
        raise IngestError(str(path), "missing columns: " + ", ".join(missing),
                          hint="the header must name the codebook's columns (see docs/exports.md)")
    reader.fieldnames = header
    return data, header, ({k: (v or "").strip() for k, v in row.items() if k is not None} for row in reader)


def import_file(store: Store, path: Path, dataset: str, source: Source, required: tuple[str, ...],
                convert: Converter) -> ImportResult:
    """Import the CSV file at ``path`` row by row with ``convert``; see the module docstring."""
    data, _, rows = read_rows(path, required)
    digest = hashlib.sha256(data).hexdigest()
    result = ImportResult(path=str(path), sha256=digest, dataset=dataset)
    with store.transaction() as conn:
        if records.document_id(conn, digest) is not None:
            result.unchanged = True
            return result
    lines: list[str] = []
    converted: list[tuple[int, dict[str, str], RowClaims]] = []
    offset = 0
    for number, row in enumerate(rows, start=1):
        try:
            got = convert(row, number)
        except RowError as e:
            result.rejected.append((number, str(e)))
            continue
        span = Span(offset, offset + len(got.sentence))
        for claim in got.claims:
            claim.span, claim.sentence, claim.document_sha256 = span, got.sentence, digest
        lines.append(got.sentence)
        offset = span.end + 1
        converted.append((number, row, got))
    _write(store, path, data, digest, source, "\n".join(lines), converted, result)
    return result


def _write(store: Store, path: Path, data: bytes, digest: str, source: Source, text: str,
           converted: list[tuple[int, dict[str, str], RowClaims]], result: ImportResult) -> None:
    doc = Document(sha256=digest, path=str(path), media_type="text/csv", text=text,
                   title=f"{source.name} data: {path.name}", language="en", source=source,
                   published_note=f"imported from a {result.dataset.upper()} CSV file")
    claims = [c for _, _, got in converted for c in got.claims]
    with store.transaction() as conn:
        doc_id = records.insert_document(conn, doc, data, None)
        records.replace_claims(conn, doc_id, claims)
        seq = 0
        for number, row, got in converted:
            total_seq = seq
            for part in got.parts:
                claim_id = conn.execute("SELECT id FROM claims WHERE document_id = ? AND seq = ?",
                                        (doc_id, seq)).fetchone()[0]
                if part != "total":
                    conn.execute("UPDATE claims SET parent_seq = ? WHERE id = ?", (total_seq, claim_id))
                conn.execute(
                    "INSERT INTO import_rows (claim_id, dataset, file_sha256, row_number, external_id, part, fields)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (claim_id, result.dataset, digest, number, got.external_id, part,
                     json.dumps(row, ensure_ascii=False)),
                )
                seq += 1
    result.rows, result.claims = len(converted), len(claims)


def parse_int(row: dict[str, str], column: str, *, default: int | None = None) -> int | None:
    value = row.get(column, "").replace(",", "")
    if not value:
        return default
    try:
        number = int(float(value)) if "." in value else int(value)
    except ValueError:
        raise RowError(f"{column} {value!r} is not a whole number") from None
    if number < 0:
        raise RowError(f"{column} {value!r} is negative")
    return number


def parse_float(row: dict[str, str], column: str, low: float, high: float) -> float | None:
    value = row.get(column, "")
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise RowError(f"{column} {value!r} is not a number") from None
    if not low <= number <= high:
        raise RowError(f"{column} {value} is outside {low}..{high}")
    return number


def parse_date(row: dict[str, str], column: str) -> dt.date | None:
    """An ISO date (2025-03-07), or ACLED's older spelling (07 March 2025)."""
    value = row.get(column, "")
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value[:10] if fmt == "%Y-%m-%d" else value, fmt).date()
        except ValueError:
            continue
    raise RowError(f"{column} {value!r} is not a date (use YYYY-MM-DD)")


def governorate(name: str, gazetteer: Gazetteer) -> str | None:
    """Tawthiq's name for a governorate as another dataset spells it ("Lattakia", "Hama governorate")."""
    cleaned = name.strip()
    for suffix in (" governorate", " Governorate", " province", " Province"):
        cleaned = cleaned.removesuffix(suffix)
    if not cleaned:
        return None
    place = gazetteer.resolve(cleaned)
    return place.admin1 if place is not None and place.admin1 else cleaned
