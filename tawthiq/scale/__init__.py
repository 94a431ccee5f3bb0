"""Ingest at scale: the same cleaning and extraction on a Spark cluster, and crawl files of millions of documents.

inputs  what is read (files, folders, JSONL and Parquet crawl files) and what a worker makes of each item
writer  the write path: outcomes committed in input order, a batch of documents per transaction
local   the single-process engine over the same inputs
spark   the PySpark job (``local[2]`` on one machine, any cluster with ``--master``)

See docs/scale.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from tawthiq.pipeline import IngestResult
from tawthiq.scale.inputs import is_record_file
from tawthiq.scale.writer import DEFAULT_BATCH, DocumentWriter, SqliteWriter
from tawthiq.store import Store

Engine = Literal["local", "spark"]


def ingest_scaled(store: Store, paths: list[Path], *, engine: Engine = "local", master: str | None = None,
                  batch_size: int = DEFAULT_BATCH) -> IngestResult:
    """Ingest files, folders and crawl files with the single-process or the Spark engine, in batches."""
    if engine == "spark":
        from tawthiq.scale.spark import ingest_spark  # pyspark is imported only when asked for

        return ingest_spark(store, paths, master=master, batch_size=batch_size)
    from tawthiq.scale.local import ingest_local

    return ingest_local(store, paths, batch_size=batch_size)


__all__ = ["DocumentWriter", "Engine", "SqliteWriter", "ingest_scaled", "is_record_file"]
