"""One entry point for the field formats: claims or incidents, as ACLED, GED, HXL, GeoJSON or Parquet.

Rows are streamed from the store to the file (constant memory); the file is written atomically and never over an
existing one unless ``overwrite``. Text formats may go to standard output (``out`` is ``None`` or ``"-"``).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Literal, TextIO

from tawthiq.errors import ExportError
from tawthiq.export import acled, ged, geojson, hxl, parquet
from tawthiq.export.events import Event, iter_claim_events
from tawthiq.export.filters import ExportFilters
from tawthiq.export.incidents import iter_incident_events
from tawthiq.export.output import atomic_text_output, check_target
from tawthiq.files import holds_data
from tawthiq.store import Store

FieldFormat = Literal["acled", "ged", "hxl", "geojson", "parquet"]
FIELD_FORMATS: tuple[FieldFormat, ...] = ("acled", "ged", "hxl", "geojson", "parquet")
Subject = Literal["claims", "incidents"]
SUBJECTS: tuple[Subject, ...] = ("claims", "incidents")


def iter_events(store: Store, subject: Subject, filters: ExportFilters | None = None) -> Iterator[Event]:
    """The events of ``subject`` (claims or incidents) that pass ``filters``, streamed."""
    if subject == "claims":
        return iter_claim_events(store, filters)
    if subject == "incidents":
        return iter_incident_events(store, filters)
    raise ExportError(f"unknown export subject {subject!r}", hint="use claims or incidents")


def write_events(
    events: Iterator[Event], fmt: FieldFormat, out: TextIO, *, spreadsheet_safe: bool = False
) -> int:
    """Write ``events`` as one of the text formats to ``out``; return the number of rows or features."""
    if fmt == "acled":
        return acled.write(events, out, spreadsheet_safe=spreadsheet_safe)
    if fmt == "ged":
        return ged.write(events, out, spreadsheet_safe=spreadsheet_safe)
    if fmt == "hxl":
        return hxl.write(events, out, spreadsheet_safe=spreadsheet_safe)
    if fmt == "geojson":
        return geojson.write(events, out)
    raise ExportError(f"{fmt!r} is not a text format", hint="use one of: acled, ged, hxl, geojson")


def export_events(
    store: Store,
    subject: Subject,
    fmt: FieldFormat,
    out: str | Path | None,
    *,
    filters: ExportFilters | None = None,
    overwrite: bool = False,
    spreadsheet_safe: bool = False,
) -> int:
    """Export claims or incidents of ``store`` as ``fmt`` to ``out``; return the number of rows written."""
    if fmt not in FIELD_FORMATS:
        raise ExportError(f"unknown export format {fmt!r}", hint="use one of: " + ", ".join(FIELD_FORMATS))
    to_stdout = out is None or str(out) == "-"
    if fmt == "parquet":
        if to_stdout:
            raise ExportError("parquet: a binary format cannot go to standard output", hint="pass --out FILE.parquet")
        assert out is not None
        return _write_parquet(iter_events(store, subject, filters), Path(out), overwrite=overwrite)
    events = iter_events(store, subject, filters)
    if to_stdout:
        return write_events(events, fmt, sys.stdout, spreadsheet_safe=spreadsheet_safe)
    assert out is not None
    newline = "" if fmt != "geojson" else None
    with atomic_text_output(out, overwrite=overwrite, newline=newline) as fh:
        return write_events(events, fmt, fh, spreadsheet_safe=spreadsheet_safe)


def _write_parquet(events: Iterator[Event], target: Path, *, overwrite: bool) -> int:
    check_target(target, overwrite=overwrite)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    try:
        count = parquet.write(events, tmp)
        if holds_data(target) and not overwrite:
            raise ExportError(f"{target}: already exists; not overwriting it", hint="pass --overwrite to replace it")
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return count
