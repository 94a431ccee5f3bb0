"""The single-process engine over the same inputs as the Spark job: files, folders and files of crawled documents.

``tawthiq ingest`` with files and folders only goes through :func:`tawthiq.pipeline.ingest_paths`; with a JSONL or
Parquet file of crawled documents among its inputs it comes here: the same items, read, cleaned and extracted by the
same functions as on a Spark executor, and written by the same batch writer, so both engines store the same claims.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from tawthiq.pipeline import IngestResult
from tawthiq.scale.inputs import (
    Failure,
    FileItem,
    Files,
    Item,
    Jsonl,
    Plan,
    iter_jsonl,
    iter_parquet,
    parquet_columns,
    plan_inputs,
    prepare_item,
)
from tawthiq.scale.writer import DEFAULT_BATCH, DocumentWriter, SqliteWriter, commit_in_order
from tawthiq.store import Store


class _Stored:
    """Membership in the store, asked one document at a time (what the single process skips before cleaning)."""

    def __init__(self, writer: DocumentWriter) -> None:
        self.writer = writer

    def __contains__(self, sha256: object) -> bool:
        return isinstance(sha256, str) and bool(self.writer.known([sha256]))


def ingest_local(store: Store, paths: list[Path], *, batch_size: int = DEFAULT_BATCH,
                 writer: DocumentWriter | None = None, on_item: Callable[[str], None] | None = None) -> IngestResult:
    """Ingest files, folders and crawl files in one process, writing in batches of ``batch_size`` documents."""
    plan = plan_inputs(paths)
    writer = writer or SqliteWriter(store)
    result = IngestResult(skipped=list(plan.skipped), failed=[f.error() for f in plan.failed])
    stored = _Stored(writer)
    outcomes = (prepare_item(item, stored) for item in iter_items(plan))
    return commit_in_order(outcomes, writer, result, batch_size, on_item)


def iter_items(plan: Plan) -> Iterator[Item | Failure]:
    """The items of a plan in input order."""
    for source in plan.sources:
        if isinstance(source, Files):
            yield from (FileItem(str(path)) for path in source.paths)
        elif isinstance(source, Jsonl):
            yield from iter_jsonl(source.path)
        else:
            columns = parquet_columns(source.path)
            if isinstance(columns, Failure):
                yield columns
            else:
                yield from iter_parquet(source.path, columns)


__all__ = ["ingest_local", "iter_items"]
