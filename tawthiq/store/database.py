"""The store: one database, SQLite (the embedded default) or PostgreSQL (for a team), behind one interface.

    store = open_store("tawthiq.db")                                   # a SQLite file
    store = open_store("postgresql://tawthiq@db.example/tawthiq")     # a PostgreSQL database

The schema is :mod:`tawthiq.store.tables`, built and changed by the Alembic migrations in ``store/migrations``.
Opening an empty database creates the schema; opening a store made by an older release asks for
``tawthiq db upgrade`` (:func:`upgrade`), which also brings stores from before the migrations (whose schema files
are kept in ``store/legacy``) up to date without loss. Writes that belong together go through
:meth:`Store.transaction`.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import sqlalchemy
from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

from tawthiq.errors import StoreError
from tawthiq.store.connection import Connection

HEAD = "0002"  # the newest migration; tests/store check it against Alembic's own view
BASELINE = "0001"  # the migration that equals the schema of the last release before Alembic
LEGACY_PACKAGE = "tawthiq.store.legacy"
MIGRATIONS = Path(__file__).with_name("migrations")
VAULT_ENV = "TAWTHIQ_VAULT"


def resolve_url(db: str | Path) -> URL:
    """The SQLAlchemy URL of ``db``: a file path (SQLite) or a ``sqlite:`` / ``postgresql:`` URL."""
    value = str(db)
    if "://" not in value:
        return URL.create("sqlite", database=value)
    try:
        url = make_url(value)
    except sqlalchemy.exc.ArgumentError as e:
        raise StoreError(f"{value!r}: not a database URL ({e})") from e
    if url.get_backend_name() == "postgresql":
        return url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() != "sqlite":
        raise StoreError(f"{url.render_as_string(hide_password=True)}: unsupported database engine",
                         hint="use a SQLite file path or a postgresql:// URL")
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in ("foreign_keys = ON", "journal_mode = WAL",
                   "synchronous = NORMAL",  # in WAL mode: never corrupt, fsync at checkpoints
                   "busy_timeout = 10000"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def vault_folder(db: str | Path | URL) -> Path:
    """The folder of the store's originals: ``TAWTHIQ_VAULT`` if set, else beside a SQLite file (``FILE.evidence``).

    A PostgreSQL store has no file to stand beside: ``TAWTHIQ_VAULT`` must name a folder that every Tawthiq process
    of the team can reach.
    """
    if os.environ.get(VAULT_ENV):
        return Path(os.environ[VAULT_ENV])
    url = db if isinstance(db, URL) else resolve_url(db)
    if url.get_backend_name() == "sqlite":
        return Path(str(url.database) + ".evidence")
    raise StoreError(f"{url.render_as_string(hide_password=True)}: no vault folder for the originals",
                     hint=f"set {VAULT_ENV} to a folder every Tawthiq process of this store can reach")


def make_engine(url: URL) -> sqlalchemy.Engine:
    """An engine in autocommit mode (transactions are explicit), one connection per store."""
    if url.get_backend_name() == "sqlite":
        engine = sqlalchemy.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool,
                                          connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    engine = sqlalchemy.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool,
                                      connect_args={"connect_timeout": 10})
    return engine


class Store:
    """An open store. Use as a context manager, or call :meth:`close`."""

    def __init__(self, db: str | Path, *, create: bool = True, check_schema: bool = True) -> None:
        self.url = resolve_url(db)
        self.dialect = self.url.get_backend_name()
        self.path = self.url.database or "" if self.dialect == "sqlite" else self.url.render_as_string(True)
        self.engine = make_engine(self.url)
        try:
            self.conn = Connection(self.engine.connect(), self.path)
        except sqlalchemy.exc.DBAPIError as e:
            self.engine.dispose()
            raise StoreError(f"{self.path}: cannot open the store ({_reason(e)})") from e
        try:
            if check_schema:
                self._check_schema(create)
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()
        self.engine.dispose()

    @property
    def vault(self) -> Path:
        return vault_folder(self.url)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One atomic unit of work: everything inside is committed together or not at all."""
        try:
            with self.conn.transaction() as conn:
                yield conn
        except sqlalchemy.exc.DBAPIError as e:
            raise StoreError(f"{self.path}: {_reason(e)}") from e

    def query(self, sql: str, params: tuple[object, ...] | dict[str, object] = ()) -> list[Any]:
        return self.conn.execute(sql, params).fetchall()

    def analyze(self) -> None:
        """After a bulk load: refresh PostgreSQL's planner statistics now, as its documentation advises after
        populating a database. Otherwise autovacuum's ANALYZE comes a minute or more later, table by table, each in a
        transaction of its own that moves the web page cache's change mark (docs/web.md) while the pages are served.
        SQLite keeps no statistics unless asked and plans well without them: nothing is done there."""
        if self.dialect == "postgresql":
            self.conn.execute("ANALYZE")  # the connection is in autocommit mode: no transaction is held

    def revision(self) -> str | None:
        """The store's migration revision; ``"legacy"`` for a store from before the migrations; None when empty."""
        tables = set(sqlalchemy.inspect(self.conn.sa).get_table_names())
        if "alembic_version" in tables:
            return self.conn.scalar("SELECT version_num FROM alembic_version")
        if "schema_migrations" in tables:
            return "legacy"
        return None if not tables else "unknown"

    def _check_schema(self, create: bool) -> None:
        try:
            revision = self._quick_revision()
        except sqlalchemy.exc.DBAPIError as e:
            raise StoreError(f"{self.path}: not a Tawthiq store or damaged ({_reason(e)})") from e
        if revision == HEAD:
            return
        if revision is None and create:
            upgrade(self)
            return
        if revision == "unknown":
            raise StoreError(f"{self.path}: not a Tawthiq store (it holds other tables)")
        if revision is not None:
            raise StoreError(f"{self.path}: the store's schema is at revision {revision}, this release needs {HEAD}",
                             hint=f"back it up (tawthiq backup), then run: tawthiq --db {self.path} db upgrade")

    def _quick_revision(self) -> str | None:
        """The revision without reflecting the schema (this runs on every open)."""
        try:
            return self.conn.scalar("SELECT version_num FROM alembic_version")
        except StoreError:
            return self.revision()


@contextmanager
def sqlite_read_only(path: str | Path) -> Iterator[Connection]:
    """A read-only connection to a SQLite store file (a backup, a restored copy): nothing can write to it."""
    uri = f"file:{Path(path)}?mode=ro"
    engine = sqlalchemy.create_engine(
        "sqlite://", poolclass=NullPool, isolation_level="AUTOCOMMIT",
        creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False))
    try:
        conn = Connection(engine.connect(), str(path))
    except sqlalchemy.exc.DBAPIError as e:
        engine.dispose()
        raise StoreError(f"{path}: cannot open the store read-only ({_reason(e)})") from e
    try:
        yield conn
    finally:
        conn.close()
        engine.dispose()


def _reason(error: sqlalchemy.exc.DBAPIError) -> str:
    return str(error.orig).strip().splitlines()[0] if error.orig is not None else str(error)


def open_store(db: str | Path, *, create: bool = True, check_schema: bool = True) -> Store:
    """Open the store at ``db`` (a SQLite path or a database URL), creating an empty one's schema.

    ``check_schema=False`` opens a store at any revision (for ``tawthiq db upgrade`` and ``db current``).
    """
    return Store(db, create=create, check_schema=check_schema)


# --- migrations -----------------------------------------------------------------------------------------------------

def alembic_config(connection: sqlalchemy.Connection) -> Any:
    from alembic.config import Config  # imported here: only upgrades need it

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(store: Store, target: str = "head") -> tuple[str | None, str]:
    """Bring the store's schema to ``target`` in one transaction; return (revision before, revision after)."""
    from alembic import command

    before = store.revision()
    with store.transaction() as conn:
        if before == "legacy":
            _finish_legacy(conn)
            command.stamp(alembic_config(conn.sa), BASELINE)
        command.upgrade(alembic_config(conn.sa), target)
    return before, store.conn.scalar("SELECT version_num FROM alembic_version")


def legacy_files() -> list[tuple[str, str]]:
    """The schema files of the releases before the migrations, in the order they were applied."""
    root = resources.files(LEGACY_PACKAGE)
    return sorted((p.name, p.read_text(encoding="utf-8")) for p in root.iterdir() if p.name.endswith(".sql"))


def _finish_legacy(conn: Connection) -> None:
    """Apply the legacy schema files an old store has not seen, then what the baseline adds to them."""
    done = {r[0] for r in conn.execute("SELECT name FROM schema_migrations")}
    for name, sql in legacy_files():
        if name in done:
            continue
        for statement in split_statements(sql):
            conn.sa.exec_driver_sql(statement)
        conn.execute("INSERT INTO schema_migrations (name, applied_at) VALUES (?, strftime('%Y-%m-%dT%H:%M:%SZ'))",
                      (name,))
    conn.sa.exec_driver_sql("CREATE UNIQUE INDEX IF NOT EXISTS users_name_nocase ON users (lower(name))")


def split_statements(sql: str) -> list[str]:
    """Split a legacy schema file into statements, keeping triggers (which contain ``;``) whole."""
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
