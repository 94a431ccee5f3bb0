"""Parquet for analysts (pandas, DuckDB, R arrow): every event field as a typed column, written in row groups.

Rows are gathered :data:`BATCH_ROWS` at a time and written as one row group, so memory stays bounded whatever the
size of the export. A Parquet file is binary and written to a path (not to standard output).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from tawthiq.errors import ExportError
from tawthiq.export.events import EVENT_FIELDS, Event

BATCH_ROWS = 50_000
_INTS = {"claim_id", "incident_id", "low", "best", "high", "civilians", "date_prec", "where_prec", "part_of"}
_FLOATS = {"latitude", "longitude"}
SCHEMA = pa.schema([
    pa.field(name, pa.int64() if name in _INTS else pa.float64() if name in _FLOATS else pa.string())
    for name in EVENT_FIELDS
])


def write(events: Iterable[Event], path: str | Path) -> int:
    """Write ``events`` to the Parquet file ``path`` (zstd-compressed); return the number of rows."""
    count = 0
    columns: dict[str, list[object]] = {name: [] for name in EVENT_FIELDS}
    try:
        with pq.ParquetWriter(str(path), SCHEMA, compression="zstd") as writer:
            for event in events:
                for name in EVENT_FIELDS:
                    columns[name].append(getattr(event, name))
                count += 1
                if count % BATCH_ROWS == 0:
                    writer.write_table(pa.table(columns, schema=SCHEMA))
                    columns = {name: [] for name in EVENT_FIELDS}
            if count == 0 or columns[EVENT_FIELDS[0]]:
                writer.write_table(pa.table(columns, schema=SCHEMA))
    except (pa.ArrowException, OSError) as e:
        raise ExportError(f"{path}: cannot write the Parquet file ({e})") from e
    return count
