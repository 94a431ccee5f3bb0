"""The embedded store: one SQLite file, schema applied from numbered SQL files.

Every stage keeps its tables in its own file under ``store/schema/`` (``0001_core.sql``, ``0100_victims.sql`` ...).
Files are applied once each, in name order, and recorded in ``schema_migrations``; re-opening a store applies only
the files it has not seen. Writes that belong together go through :meth:`Store.transaction`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from tawthiq.errors import StoreError

SCHEMA_PACKAGE = "tawthiq.store.schema"


class Store:
    """A SQLite store. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: cannot open the store ({e})") from e
        self.conn.row_factory = sqlite3.Row
        try:
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")  # in WAL mode: never corrupt, fsync at checkpoints
            self.conn.execute("PRAGMA busy_timeout = 10000")
            self.migrate()
        except sqlite3.DatabaseError as e:
            self.conn.close()
            raise StoreError(f"{self.path}: not a Tawthiq store or damaged ({e})") from e

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work: everything inside is committed together or not at all."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def migrate(self) -> list[str]:
        """Apply schema files not yet applied; return their names."""
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        done = {r[0] for r in self.conn.execute("SELECT name FROM schema_migrations")}
        applied = []
        for name, sql in schema_files():
            if name in done:
                continue
            with self.transaction() as conn:
                for statement in split_statements(sql):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_migrations (name, applied_at) VALUES (?, datetime('now'))", (name,)
                )
            applied.append(name)
        return applied

    def query(self, sql: str, params: tuple[object, ...] | dict[str, object] = ()) -> list[sqlite3.Row]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: query failed ({e})") from e


def schema_files() -> list[tuple[str, str]]:
    """The packaged schema files, in the order they are applied."""
    root = resources.files(SCHEMA_PACKAGE)
    files = sorted((p.name, p.read_text(encoding="utf-8")) for p in root.iterdir() if p.name.endswith(".sql"))
    return files


def split_statements(sql: str) -> list[str]:
    """Split a schema file into statements, keeping triggers (which contain ``;``) whole."""
    statements: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


def open_store(path: str | Path) -> Store:
    """Open (creating if needed) the store at ``path`` and bring its schema up to date."""
    return Store(path)
