"""Content hashes of tables: one digest per row and a root per table, the same on every machine.

A row's digest covers its column names and every value with its type, so that ``1``, ``'1'`` and ``1.0`` differ and a
renamed column is noticed. A table's root is the SHA-256 of its rows' keys and digests in key order. The audit log seals
these roots (:func:`tawthiq.evidence.audit.seal`); backups compare them after a restore.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tawthiq.errors import StoreError
from tawthiq.store.connection import Connection
from tawthiq.store.tables import metadata

# Tables that describe the audit itself: sealing them would chase its own tail.
AUDIT_TABLES = frozenset({"audit_log", "audit_seal_rows"})


@dataclass(frozen=True, slots=True)
class TableDigest:
    rows: int
    root: str

    def as_dict(self) -> dict[str, object]:
        return {"rows": self.rows, "root": self.root}


def record_tables(conn: Connection, exclude: Iterable[str] = ()) -> list[str]:
    """Every table of the record in name order, less ``exclude``.

    The tables are those of the schema (:mod:`tawthiq.store.tables`), the same on both engines; an engine's own
    tables (search indexes, the migration version) are not part of the record.
    """
    skip = set(exclude)
    return sorted(name for name in metadata.tables if name not in skip)


def _encode(value: object) -> bytes:
    if value is None:
        return b"N;"
    kind = type(value)
    if kind is str:  # the common case first (text columns), without isinstance chains
        data = value.encode("utf-8")  # type: ignore[attr-defined]
        return b"S%d:%s" % (len(data), data)
    if kind is int or kind is bool:
        return b"I%d;" % int(value)  # type: ignore[call-overload]
    if kind is float:
        return b"F" + repr(value).encode() + b";"
    if isinstance(value, bool | int):
        return b"I%d;" % int(value)
    if isinstance(value, str):
        return _encode(str(value))
    if isinstance(value, bytes | memoryview):
        data = bytes(value)
        return b"B%d:%s" % (len(data), data)
    raise TypeError(f"cannot digest a {type(value).__name__}")


def row_digest(columns: Iterable[str], values: Iterable[object]) -> str:
    """SHA-256 over each column's name and value, encoded with their types (the byte stream seals depend on)."""
    parts = []
    for column, value in zip(columns, values, strict=True):
        parts.append(_encode(column))
        parts.append(_encode(value))
    return hashlib.sha256(b"".join(parts)).hexdigest()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def row_digests(conn: Connection, table: str) -> Iterator[tuple[str, str]]:
    """``(row key, digest)`` for every row, in key order; the key is the primary key (columns joined by ``|``)."""
    try:
        schema = metadata.tables[table]
    except KeyError:
        raise StoreError(f"{table}: not a table of the record") from None
    columns = [c.name for c in schema.columns]
    keys = [c.name for c in schema.primary_key.columns]
    at = [columns.index(k) for k in keys]
    rows = conn.iterate(f"SELECT {', '.join(map(_quote, columns))} FROM {_quote(table)} "
                        f"ORDER BY {', '.join(map(_quote, keys))}")
    for row in rows:
        values = tuple(row)
        yield "|".join(str(values[i]) for i in at), row_digest(columns, values)


def root_of(pairs: Iterable[tuple[str, str]]) -> TableDigest:
    """The root over ``(key, digest)`` pairs, whatever order they come in."""
    ordered = sorted(pairs, key=lambda p: (len(p[0]), p[0]) if p[0].isdigit() else (10**6, p[0]))
    h = hashlib.sha256()
    for key, digest in ordered:
        h.update(f"{key}:{digest}\n".encode())
    return TableDigest(len(ordered), h.hexdigest())


def table_digest(conn: Connection, table: str) -> TableDigest:
    return root_of(row_digests(conn, table))


def content_digests(conn: Connection, exclude: Iterable[str] = ()) -> dict[str, TableDigest]:
    """The digest of every table of the store, by name."""
    return {t: table_digest(conn, t) for t in record_tables(conn, exclude)}
