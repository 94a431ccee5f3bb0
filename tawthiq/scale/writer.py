"""The write path of an ingest at scale: prepared documents committed in their input order, in batches.

Workers (Spark executors, or the single process) clean and extract; the driver, here, takes their outcomes in input
order and decides what depends on order: whether a document is already stored (by the SHA-256 of its bytes, so a
rerun writes nothing twice) and whether it republishes an earlier one (the MinHash copy index). Each batch of
documents is then one transaction through a :class:`DocumentWriter`: its documents, claims, originals and audit
entries are committed together or not at all. A batch that fails aborts the ingest; run it again and the batches
already committed are found unchanged.

:class:`SqliteWriter` writes through the embedded store with the same per-document writes as ``tawthiq ingest``
(:func:`tawthiq.pipeline.write_prepared`), so both paths leave the same rows and the same audit chain. A PostgreSQL
writer would implement the same three methods with ``COPY`` into staging tables.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from tawthiq.errors import StoreError
from tawthiq.ingest.fingerprint import CopyIndex
from tawthiq.pipeline import IngestResult, Prepared, copy_index, write_prepared
from tawthiq.scale.inputs import Failure, Known, Outcome
from tawthiq.store import Store, records

DEFAULT_BATCH = 500
_SQL_VARIABLES = 500


@dataclass(slots=True)
class Placed:
    """A prepared document in its place: the earlier document it copies (and their similarity), if any."""

    item: Prepared
    copy: tuple[str, float] | None


@dataclass(slots=True)
class Written:
    """What one batch wrote: (name, claims) per document added, and names found already stored."""

    added: list[tuple[str, int]] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


class DocumentWriter(Protocol):
    """Where prepared documents are written, a batch per transaction."""

    def known(self, sha256s: Collection[str]) -> set[str]:
        """Those of ``sha256s`` whose documents are already stored."""
        ...

    def every_sha256(self) -> frozenset[str]:
        """The SHA-256s of all stored documents (sent to the workers, so that they skip what is stored)."""
        ...

    def staging(self) -> Path | None:
        """A folder workers may put originals in ahead of the writer (content-addressed, so idempotent), or None."""
        ...

    def originals(self) -> CopyIndex:
        """The copy index of the stored documents that are not copies, in the order they were stored."""
        ...

    def write(self, batch: Sequence[Placed]) -> Written:
        """Write a batch in one transaction, skipping documents stored meanwhile."""
        ...


class SqliteWriter:
    """A :class:`DocumentWriter` for the embedded SQLite store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def known(self, sha256s: Collection[str]) -> set[str]:
        found: set[str] = set()
        keys = sorted(sha256s)
        for start in range(0, len(keys), _SQL_VARIABLES):
            chunk = keys[start : start + _SQL_VARIABLES]
            marks = ", ".join("?" for _ in chunk)
            rows = self.store.query(f"SELECT sha256 FROM documents WHERE sha256 IN ({marks})", tuple(chunk))
            found.update(row[0] for row in rows)
        return found

    def every_sha256(self) -> frozenset[str]:
        return frozenset(row[0] for row in self.store.query("SELECT sha256 FROM documents"))

    def staging(self) -> Path | None:
        """The evidence vault: an original already there is checked by hash, not written (and fsynced) again."""
        return self.store.vault

    def originals(self) -> CopyIndex:
        return copy_index(self.store)

    def write(self, batch: Sequence[Placed]) -> Written:
        written = Written()
        if not batch:
            return written
        vault = self.store.vault
        try:
            with self.store.transaction() as conn:
                for placed in batch:
                    if records.document_id(conn, placed.item.document.sha256) is not None:
                        written.unchanged.append(placed.item.name)
                        continue
                    written.added.append((placed.item.name, write_prepared(conn, vault, placed.item, placed.copy)))
        except StoreError as e:
            raise StoreError(f"{self.store.path}: the batch of {len(batch)} documents from {batch[0].item.name} "
                             f"was not written ({e})", hint="nothing of it was kept: fix the cause and run the "
                             "ingest again (batches already written are found unchanged)") from e
        return written


def commit_in_order(outcomes: Iterable[Outcome], writer: DocumentWriter, result: IngestResult,
                    batch_size: int = DEFAULT_BATCH, on_item: Callable[[str], None] | None = None) -> IngestResult:
    """Write the workers' outcomes, taken in input order, in batches of ``batch_size`` documents."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    copies = writer.originals()
    seen: set[str] = set()
    chunk: list[Outcome] = []
    for outcome in outcomes:
        if on_item:
            on_item(outcome.name)
        chunk.append(outcome)
        if len(chunk) >= batch_size:
            _commit_chunk(chunk, writer, copies, seen, result)
            chunk = []
    _commit_chunk(chunk, writer, copies, seen, result)
    return result


def _commit_chunk(chunk: list[Outcome], writer: DocumentWriter, copies: CopyIndex, seen: set[str],
                  result: IngestResult) -> None:
    """Place a chunk's documents in order (stored already? a copy?) and write them as one batch."""
    stored = writer.known({o.document.sha256 for o in chunk if isinstance(o, Prepared)})
    batch: list[Placed] = []
    for outcome in chunk:
        if isinstance(outcome, Failure):
            result.failed.append(outcome.error())
            continue
        if isinstance(outcome, Known):
            result.unchanged.append(outcome.name)
            continue
        doc = outcome.document
        if doc.sha256 in stored or doc.sha256 in seen:
            result.unchanged.append(outcome.name)
            continue
        seen.add(doc.sha256)
        copy = copies.find_copy(doc.text)
        if copy is None:
            copies.add(doc.sha256, doc.text)
        else:
            result.copies.append((outcome.name, copy[0], copy[1]))
        batch.append(Placed(outcome, copy))
    written = writer.write(batch)
    result.added.extend(written.added)
    result.unchanged.extend(written.unchanged)
