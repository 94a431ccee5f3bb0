"""Content hashes of tables: one digest per row and a root per table, the same on every machine.

A row's digest covers its column names and every value with its type, so that ``1``, ``'1'`` and ``1.0`` differ and a
renamed column is noticed. A table's root is the SHA-256 of its rows' keys and digests in key order. The audit log seals
these roots (:func:`tawthiq.evidence.audit.seal`); backups compare them after a restore.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

# Tables that describe the audit itself: sealing them would chase its own tail.
AUDIT_TABLES = frozenset({"audit_log", "audit_seal_rows"})


@dataclass(frozen=True, slots=True)
class TableDigest:
    rows: int
    root: str

    def as_dict(self) -> dict[str, object]:
        return {"rows": self.rows, "root": self.root}


def record_tables(conn: sqlite3.Connection, exclude: Iterable[str] = ()) -> list[str]:
    """Every user table of the store in name order, less ``exclude`` (SQLite's own tables are never included)."""
    skip = set(exclude)
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    return [r[0] for r in rows if r[0] not in skip]


def _encode(value: object) -> bytes:
    if value is None:
        return b"N;"
    if isinstance(value, bool | int):
        return b"I" + str(int(value)).encode() + b";"
    if isinstance(value, float):
        return b"F" + repr(value).encode() + b";"
    if isinstance(value, str):
        data = value.encode("utf-8")
        return b"S" + str(len(data)).encode() + b":" + data
    if isinstance(value, bytes | memoryview):
        data = bytes(value)
        return b"B" + str(len(data)).encode() + b":" + data
    raise TypeError(f"cannot digest a {type(value).__name__}")


def row_digest(columns: Iterable[str], values: Iterable[object]) -> str:
    h = hashlib.sha256()
    for column, value in zip(columns, values, strict=True):
        h.update(_encode(column))
        h.update(_encode(value))
    return h.hexdigest()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def row_digests(conn: sqlite3.Connection, table: str) -> Iterator[tuple[str, str]]:
    """``(row key, digest)`` for every row: the key is the rowid, or the digest itself for a WITHOUT ROWID table."""
    try:
        cur = conn.execute(f"SELECT rowid AS __rowid, * FROM {_quote(table)} ORDER BY rowid")
        keyed = True
    except sqlite3.OperationalError:
        cur = conn.execute(f"SELECT * FROM {_quote(table)}")
        keyed = False
    columns = [d[0] for d in cur.description][1 if keyed else 0:]
    for row in cur:
        values = tuple(row)
        if keyed:
            yield str(values[0]), row_digest(columns, values[1:])
        else:
            digest = row_digest(columns, values)
            yield digest, digest


def root_of(pairs: Iterable[tuple[str, str]]) -> TableDigest:
    """The root over ``(key, digest)`` pairs, whatever order they come in."""
    ordered = sorted(pairs, key=lambda p: (len(p[0]), p[0]) if p[0].isdigit() else (10**6, p[0]))
    h = hashlib.sha256()
    for key, digest in ordered:
        h.update(f"{key}:{digest}\n".encode())
    return TableDigest(len(ordered), h.hexdigest())


def table_digest(conn: sqlite3.Connection, table: str) -> TableDigest:
    return root_of(row_digests(conn, table))


def content_digests(conn: sqlite3.Connection, exclude: Iterable[str] = ()) -> dict[str, TableDigest]:
    """The digest of every table of the store, by name."""
    return {t: table_digest(conn, t) for t in record_tables(conn, exclude)}
