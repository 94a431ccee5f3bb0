"""Move a store from one database to another (SQLite → PostgreSQL, or back), and prove that nothing changed.

    tawthiq db copy --from tawthiq.db --to postgresql://tawthiq@db.example/tawthiq

Every table of the record is copied in the order its references need, a batch of rows at a time (PostgreSQL's
``COPY`` into a table that is still empty, ``INSERT … ON CONFLICT DO NOTHING`` otherwise), with the rows'
own ids (so incident ids, claim ids and the audit chain's sequence numbers stay what they were); rows the target
already holds are left as they are, so copying again adds nothing. The whole copy is one transaction on the target,
and before it commits every table is verified: its row count and the root of its row digests
(:mod:`tawthiq.store.digest`, the same hashes the audit seals use) must be equal on both sides. A copy that fails or
does not match leaves the target as it was. Originals
in the vault are files, not rows: the copy carries their references and hashes; the vault folder itself moves
with the files (``TAWTHIQ_VAULT``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy
from sqlalchemy.dialects import postgresql, sqlite

from tawthiq.errors import StoreError
from tawthiq.store.database import Store
from tawthiq.store.digest import TableDigest, table_digest
from tawthiq.store.tables import ORDERED

BATCH = 5000

Progress = Callable[[str, int], None]  # (table, rows copied so far in it)


@dataclass(slots=True)
class TableCopy:
    table: str
    source_rows: int
    inserted: int
    source: TableDigest | None = None
    target: TableDigest | None = None

    @property
    def verified(self) -> bool:
        return self.source is not None and self.source == self.target


@dataclass(slots=True)
class CopyReport:
    tables: list[TableCopy] = field(default_factory=list)

    @property
    def inserted(self) -> int:
        return sum(t.inserted for t in self.tables)

    @property
    def verified(self) -> bool:
        return all(t.verified for t in self.tables)

    def mismatches(self) -> list[str]:
        return [f"{t.table}: {t.source.rows if t.source else '?'} rows in the source, "
                f"{t.target.rows if t.target else '?'} in the target, contents "
                f"{'equal' if t.source and t.target and t.source.root == t.target.root else 'differ'}"
                for t in self.tables if not t.verified]


def _insert(dialect: str, table: sqlalchemy.Table) -> Any:
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table).on_conflict_do_nothing()


def _rows(store: Store, table: sqlalchemy.Table) -> Iterator[list[dict[str, Any]]]:
    columns = [c.name for c in table.columns]
    order = ", ".join(f'"{c.name}"' for c in table.primary_key.columns)
    batch: list[dict[str, Any]] = []
    for row in store.conn.iterate(f"SELECT {', '.join(f'{chr(34)}{c}{chr(34)}' for c in columns)} "
                                  f'FROM "{table.name}" ORDER BY {order}', size=BATCH):
        batch.append(dict(zip(columns, row, strict=True)))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _reset_sequences(target: Store) -> None:
    """After rows came with their ids, PostgreSQL's id sequences must continue after the largest one."""
    if target.dialect != "postgresql":
        return
    for table in ORDERED:
        key = list(table.primary_key.columns)
        if len(key) == 1 and key[0].autoincrement is not False and isinstance(key[0].type, sqlalchemy.Integer):
            target.conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{key[0].name}'), "
                f"coalesce(max({key[0].name}), 0) + 1, false) FROM {table.name}"
            )


def copy_store(source: Store, target: Store, progress: Progress | None = None) -> CopyReport:
    """Copy every table of ``source`` into ``target`` (one transaction), then verify each; return the report."""
    if source.url == target.url:
        raise StoreError(f"{source.path}: the source and the target are the same store")
    report = CopyReport()
    with target.transaction() as conn:
        for table in ORDERED:
            statement = _insert(target.dialect, table)
            copied = TableCopy(table.name, 0, 0)
            before = int(conn.scalar(f'SELECT count(*) FROM "{table.name}"'))
            bulk = before == 0 and target.dialect == "postgresql"  # an empty table takes COPY, the fast path
            columns = [c.name for c in table.columns]
            for batch in _rows(source, table):
                try:
                    if bulk:
                        conn.copy_rows(table.name, columns, [tuple(r[c] for c in columns) for r in batch])
                    else:
                        conn.sa.execute(statement, batch)
                except sqlalchemy.exc.StatementError as e:
                    raise StoreError(f"{target.path}: copying {table.name} failed "
                                     f"({str(getattr(e, 'orig', e)).splitlines()[0]})") from e
                copied.source_rows += len(batch)
                if progress:
                    progress(table.name, copied.source_rows)
            copied.inserted = int(conn.scalar(f'SELECT count(*) FROM "{table.name}"')) - before
            report.tables.append(copied)
        _reset_sequences(target)
        for copied in report.tables:  # verified before the commit: a copy that does not match is not kept
            copied.source = table_digest(source.conn, copied.table)
            copied.target = table_digest(conn, copied.table)
        if not report.verified:
            raise CopyMismatch(report, f"{target.path}: the copy would not match the source, nothing was written: "
                               + "; ".join(report.mismatches()))
    if report.inserted:
        target.analyze()
    return report


class CopyMismatch(StoreError):
    """The target, once copied into, would differ from the source (it already held other rows)."""

    def __init__(self, report: CopyReport, message: str) -> None:
        super().__init__(message, hint="copy into an empty database, or into a copy made from this same store")
        self.report = report
