"""Writing values into the cells of a field CSV (ACLED, GED, HXL) the same way in every format."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from tawthiq.export.events import Event

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any, *, spreadsheet_safe: bool = False) -> str:
    """A value as CSV text: ``None`` is empty, floats (coordinates) at most 6 decimals without trailing zeros.

    With ``spreadsheet_safe`` a text cell a spreadsheet would run as a formula is prefixed with an apostrophe
    (negative numbers are numbers, not formulas, and are left alone).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return coordinate(value)
    text = str(value)
    if spreadsheet_safe and isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def coordinate(value: float) -> str:
    """A coordinate with 6 decimals (about 0.1 m), trailing zeros dropped: ``35.5167``."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def year_of(date: str | None) -> str:
    return date[:4] if date else ""


def write_rows(
    events: Iterable[Event], out: TextIO, columns: tuple[str, ...], make: Callable[[Event], dict[str, object]],
    keep: Callable[[Event], bool], *, spreadsheet_safe: bool = False, extra_header: tuple[str, ...] | None = None,
) -> int:
    """Stream ``events`` as CSV rows of ``columns`` (shared by the ACLED, GED and HXL writers)."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    if extra_header is not None:
        writer.writerow(extra_header)
    count = 0
    for event in events:
        if not keep(event):
            continue
        values = make(event)
        writer.writerow([cell(values.get(c), spreadsheet_safe=spreadsheet_safe) for c in columns])
        count += 1
    return count
