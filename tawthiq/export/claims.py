"""Claims as flat rows, streamed from the store, written as JSON Lines or CSV.

One row per claim, with the fields of issue 2 (UCDP ``low``/``best``/``high``, ``date_prec``, ``where_prec``) and
what a reader needs to check it: the publishing document (``document_sha256``, ``document_title``, ``source``), the
original speaker (``attributed_to``), the evidence span (``span_start``/``span_end`` into the document's cleaned text)
and the ``sentence`` itself. Rows come from a cursor one at a time, so memory stays flat however many claims there are.

CSV holds the same columns in the same order (:data:`COLUMNS`); a missing value is an empty cell and ``actors`` is a
JSON list. Text is written as found in the documents: a cell starting with ``=``, ``+``, ``-`` or ``@`` can be run as a
formula by a spreadsheet, so pass ``spreadsheet_safe=True`` (``--spreadsheet-safe``) before opening an export of
untrusted documents in one; it prefixes such cells with an apostrophe.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TextIO

from tawthiq.errors import ExportError, StoreError
from tawthiq.export.filters import ExportFilters
from tawthiq.export.output import atomic_text_output
from tawthiq.store import Store

Format = Literal["jsonl", "csv"]
FORMATS: tuple[Format, ...] = ("jsonl", "csv")

# (column, SQL expression): the order here is the CSV column order.
_SELECT: tuple[tuple[str, str], ...] = (
    ("claim_id", "c.id"),
    ("document_sha256", "d.sha256"),
    ("document_title", "d.title"),
    ("source", "s.name"),
    ("copy_of", "d.copy_of"),
    ("kind", "c.kind"),
    ("outcome", "c.outcome"),
    ("population", "c.population"),
    ("community", "c.community"),
    ("low", "c.low"),
    ("best", "c.best"),
    ("high", "c.high"),
    ("qualifier", "c.qualifier"),
    ("qualifier_text", "c.qualifier_text"),
    ("quantity_text", "c.quantity_text"),
    ("date_start", "c.date_start"),
    ("date_end", "c.date_end"),
    ("date_prec", "c.date_prec"),
    ("date_inferred", "c.date_inferred"),
    ("date_text", "c.date_text"),
    ("place", "c.place"),
    ("place_parent", "c.place_parent"),
    ("admin1", "c.admin1"),
    ("latitude", "c.latitude"),
    ("longitude", "c.longitude"),
    ("where_prec", "c.where_prec"),
    ("attributed_to", "c.attributed_to"),
    ("caveat", "c.caveat"),
    ("event_type", "c.event_type"),
    ("actors", "c.actors"),
    ("language", "c.language"),
    ("incident_id", "(SELECT min(ic.incident_id) FROM incident_claims ic WHERE ic.claim_id = c.id)"),
    ("span_start", "c.span_start"),
    ("span_end", "c.span_end"),
    ("sentence", "c.sentence"),
)

COLUMNS: tuple[str, ...] = tuple(name for name, _ in _SELECT)
_LINE_BREAKS = {0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class ClaimFilters:
    """Which claims to export; ``None`` means any."""

    kind: str | None = None
    outcome: str | None = None
    population: str | None = None
    language: str | None = None
    incident_id: int | None = None
    document_sha256: str | None = None
    scope: ExportFilters | None = None  # date range, governorate, event type, grade, reviewed only

    def where(self) -> tuple[str, list[object]]:
        """The SQL ``WHERE`` clause (or ``""``) and its parameters."""
        clauses: list[str] = []
        params: list[object] = []
        for column in ("kind", "outcome", "population", "language"):
            value = getattr(self, column)
            if value is not None:
                clauses.append(f"c.{column} = ?")
                params.append(value)
        if self.incident_id is not None:
            clauses.append("c.id IN (SELECT claim_id FROM incident_claims WHERE incident_id = ?)")
            params.append(self.incident_id)
        if self.document_sha256 is not None:
            clauses.append("d.sha256 = ?")
            params.append(self.document_sha256)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def iter_claim_rows(store: Store, filters: ClaimFilters | None = None) -> Iterator[dict[str, Any]]:
    """Yield one dict per claim (keys :data:`COLUMNS`, ``actors`` as a list), in document then claim order."""
    filters = filters or ClaimFilters()
    where, params = filters.where()
    if filters.scope is not None:
        more, more_params = filters.scope.claim_where(store.conn)
        where, params = (where or " WHERE 1 = 1") + more, params + more_params
    sql = (
        f"SELECT {', '.join(f'{expr} AS {name}' for name, expr in _SELECT)}"
        " FROM claims c JOIN documents d ON d.id = c.document_id LEFT JOIN sources s ON s.id = d.source_id"
        f"{where} ORDER BY d.id, c.seq, c.id"
    )
    try:
        cursor = store.conn.execute(sql, params)
        for row in cursor:
            item = dict(zip(COLUMNS, row, strict=True))
            item["actors"] = _actors(item["actors"], item["claim_id"])
            item["date_inferred"] = bool(item["date_inferred"])
            yield item
    except StoreError as e:
        raise StoreError(f"{store.path}: cannot read claims ({e})") from e


def _actors(raw: str | None, claim_id: int) -> list[Any]:
    if not raw:
        return []
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as e:
        raise ExportError(f"claim {claim_id}: actors is not valid JSON ({e.msg})") from e
    return value if isinstance(value, list) else [value]


def write_jsonl(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    """Write one JSON object per line (UTF-8 text, Arabic kept as is); return the number of rows.

    Characters that some readers take as line breaks (U+0085, U+2028, U+2029) are written as ``\\u`` escapes, so
    that one line is always one claim.
    """
    count = 0
    for row in rows:
        line = json.dumps(row, ensure_ascii=False, separators=(",", ":"))
        out.write(line.translate(_LINE_BREAKS))
        out.write("\n")
        count += 1
    return count


def write_csv(rows: Iterable[dict[str, Any]], out: TextIO, *, spreadsheet_safe: bool = False) -> int:
    """Write a header and one line per row in :data:`COLUMNS` order; return the number of rows.

    ``out`` should be opened with ``newline=""`` (the csv module writes its own line ends).
    """
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    for row in rows:
        writer.writerow([_csv_cell(row.get(name), spreadsheet_safe) for name in COLUMNS])
        count += 1
    return count


def _csv_cell(value: Any, spreadsheet_safe: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    text = str(value)
    if spreadsheet_safe and isinstance(value, str) and text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def export_claims(
    store: Store,
    fmt: Format,
    out: str | Path | None,
    *,
    filters: ClaimFilters | None = None,
    overwrite: bool = False,
    spreadsheet_safe: bool = False,
) -> int:
    """Export claims to ``out`` (a path, or ``None``/``"-"`` for standard output); return the number written.

    A file is written atomically and never over an existing one unless ``overwrite``.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}", hint="use one of: " + ", ".join(FORMATS))
    rows = iter_claim_rows(store, filters)
    if out is None or str(out) == "-":
        return _write(fmt, rows, sys.stdout, spreadsheet_safe)
    with atomic_text_output(out, overwrite=overwrite, newline="" if fmt == "csv" else None) as fh:
        return _write(fmt, rows, fh, spreadsheet_safe)


def _write(fmt: Format, rows: Iterable[dict[str, Any]], out: TextIO, spreadsheet_safe: bool) -> int:
    if fmt == "csv":
        return write_csv(rows, out, spreadsheet_safe=spreadsheet_safe)
    return write_jsonl(rows, out)
