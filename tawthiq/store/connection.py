"""One connection interface over both engines: SQL text with ``?`` or ``:name`` parameters, rows by name or position.

Every stage writes its queries once, in the SQL both SQLite and PostgreSQL accept (``ON CONFLICT``, ``RETURNING``,
``coalesce``), and runs them through SQLAlchemy Core: :meth:`Connection.execute` turns ``?`` placeholders into bound
parameters, so the driver's own parameter style (``?`` for sqlite3, ``%s`` for psycopg) never appears in a query.
Rows are tuples that can also be read by column name (``row["best"]``), as the stages have always read them.

The connection runs in autocommit mode; :meth:`Connection.transaction` opens one explicit transaction
(``BEGIN IMMEDIATE`` on SQLite, so that writers queue instead of failing at commit; ``BEGIN`` on PostgreSQL).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from functools import lru_cache
from typing import Any, ClassVar

import sqlalchemy
from sqlalchemy import TextClause, text

from tawthiq.errors import ConflictError, ConstraintError, StoreError

Params = Sequence[Any] | Mapping[str, Any]

_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|\?|::|:\w+|[^'\"?:%-]+|.", re.S)


@lru_cache(maxsize=2048)
def compile_sql(sql: str) -> tuple[TextClause, int]:
    """The statement for ``sql`` and how many ``?`` placeholders it had (numbered ``:_1``, ``:_2`` ...).

    Colons inside string literals are escaped so that they stay text; ``::`` (a PostgreSQL cast) is kept.
    """
    out: list[str] = []
    count = 0
    for token in _TOKENS.findall(sql):
        if token == "?":
            count += 1
            out.append(f":_{count}")
        elif token.startswith("'"):
            out.append(token.replace(":", "\\:"))
        elif token == "::":
            out.append("\\:\\:")
        else:
            out.append(token)
    return text("".join(out)), count


@lru_cache(maxsize=4096)
def driver_sql(sql: str, dialect: str) -> tuple[str, int, bool]:
    """``sql`` in the driver's own parameter style: (text, number of ``?`` placeholders, uses ``:name`` ones).

    sqlite3 reads ``?`` and ``:name`` itself. For psycopg, ``?`` becomes ``%s``, ``:name`` becomes ``%(name)s`` and
    every other ``%`` is doubled (psycopg reads ``%`` everywhere, literals included); ``::`` casts are kept.
    """
    out: list[str] = []
    count, named = 0, False
    postgres = dialect == "postgresql"
    for token in _TOKENS.findall(sql):
        if token == "?":
            count += 1
            out.append("%s" if postgres else "?")
        elif token.startswith(":") and token != "::" and len(token) > 1:
            named = True
            out.append(f"%({token[1:]})s" if postgres else token)
        else:
            out.append(token.replace("%", "%%") if postgres else token)
    return "".join(out), count, named


class Row(tuple[Any, ...]):
    """A result row: a tuple whose values can also be read by column name."""

    __slots__ = ()
    _index: ClassVar[dict[str, int]] = {}
    _keys: ClassVar[tuple[str, ...]] = ()

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            try:
                return tuple.__getitem__(self, self._index[key])
            except KeyError:
                raise IndexError(f"no column named {key!r}") from None
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._keys)


@lru_cache(maxsize=512)
def _row_class(keys: tuple[str, ...]) -> type[Row]:
    index: dict[str, int] = {}
    for i, k in enumerate(keys):
        index.setdefault(k, i)  # the first of duplicated names, as sqlite3.Row does
    return type("Row", (Row,), {"__slots__": (), "_index": index, "_keys": keys})


class Cursor:
    """The result of one statement, fetched at once (so the connection is free for the next)."""

    def __init__(self, cursor: Any, dialect: str) -> None:
        """Read everything the driver's ``cursor`` holds, then let it go."""
        self.rowcount: int = cursor.rowcount
        # SQLite only (the store's own code uses RETURNING, which both engines understand)
        self.lastrowid: int | None = cursor.lastrowid if dialect == "sqlite" else None
        self._rows: list[Row] = []
        self.description: list[tuple[str]] | None = None
        if cursor.description:
            keys = tuple(d[0] for d in cursor.description)
            cls = _row_class(keys)
            self._rows = [cls(r) for r in cursor.fetchall()]
            self.description = [(k,) for k in keys]
        self._next = 0

    def fetchone(self) -> Any:  # a Row, or None (typed as DB-API cursors are: callers know their query)
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    def fetchall(self) -> list[Any]:  # Rows
        rows, self._next = self._rows[self._next:], len(self._rows)
        return rows

    def fetchmany(self, size: int) -> list[Row]:
        rows = self._rows[self._next:self._next + size]
        self._next += len(rows)
        return rows

    def __iter__(self) -> Iterator[Row]:
        return iter(self.fetchall())


class Connection:
    """A store connection (either engine). ``dialect`` is ``"sqlite"`` or ``"postgresql"``."""

    def __init__(self, connection: sqlalchemy.Connection, where: str) -> None:
        self.sa = connection
        self.dialect = connection.dialect.name
        self.where = where  # the store, for error messages (never with a password)
        self.in_transaction = False
        # Statements run on the driver's cursor of SQLAlchemy's connection: SQLAlchemy gives the engine, the URL,
        # the dialects, the schema and its migrations; a query pays only the driver's own cost (no compilation).
        self._raw: Any = connection.connection.dbapi_connection
        self._errors: Any = connection.dialect.loaded_dbapi

    def _run(self, sql: str, params: Params, many: bool = False) -> Cursor:
        text, count, named = driver_sql(sql, self.dialect)
        cursor = self._raw.cursor()
        try:
            if many:
                cursor.executemany(text, params)
            else:
                cursor.execute(text, _driver_params(params, count, named))
            return Cursor(cursor, self.dialect)
        except self._errors.Error as e:
            raise _wrap_driver(e, self._errors, self.where) from e
        finally:
            cursor.close()

    def execute(self, sql: str, params: Params = ()) -> Cursor:
        return self._run(sql, params)

    def executemany(self, sql: str, rows: Iterable[Params]) -> Cursor | None:
        _, count, named = driver_sql(sql, self.dialect)
        bound = [_driver_params(p, count, named) for p in rows]
        if not bound:
            return None
        return self._run(sql, bound, many=True)

    def record_changes(self, since: str | None) -> tuple[str, bool]:
        """``(mark, changed)``: the record's change mark now, and whether a write to the record may have been
        committed since ``since`` (a mark this method returned, on any connection to the same store; ``None``: unknown,
        so changed). Call it outside a transaction.

        The marks are filed by the store's own triggers (:func:`tawthiq.store.dialects.mark_statements`) on every
        table of the record, whichever program writes; signing in and API use (:data:`~tawthiq.store.dialects.
        UNWATCHED`) file none. SQLite: the counter and salt the triggers move; a mark is equal to ``since`` exactly
        when no write was committed in between. PostgreSQL: the mark is the statement's snapshot (``xmin:xmax:xip``);
        a write was committed since ``since`` exactly when a transaction filed in ``store_changes`` is visible now
        but was not in that snapshot (one running then is listed in its ``xip`` or at or above its ``xmax``) — one
        indexed query, the same round trip as reading the snapshot. ANALYZE, VACUUM, checkpoints, sessions and
        writes to other databases of the server leave it unchanged.
        """
        if self.dialect == "sqlite":
            row = self.execute("SELECT n, salt FROM store_mark WHERE id = 1").fetchone()
            if row is None:  # its row deleted by hand: nothing can be known, so everything may have changed
                return "", True
            mark = f"{row[0]}:{row[1]}"
            return mark, mark != since
        if since is None:
            return str(self.scalar("SELECT pg_current_snapshot()::text")), True
        _, xmax, running = _snapshot(since)
        # The numbers are written into the statement: with parameters PostgreSQL may cache a generic plan that scans
        # the whole table for every page served (~1 ms); with numbers it reads the index from xmax on (~0.01 ms).
        unseen = f"xid >= {xmax}" + (f" OR xid IN ({', '.join(map(str, running))})" if running else "")
        row = self.execute(f"SELECT pg_current_snapshot()::text, EXISTS (SELECT 1 FROM store_changes WHERE {unseen})"
                           ).fetchone()
        return str(row[0]), bool(row[1])

    def forget_changes(self, before: str) -> int:
        """PostgreSQL: drop the filed transactions that every snapshot taken after the mark ``before`` already sees
        (those below its ``xmin``); how many. Marks older than ``before`` can no longer be asked about. SQLite: 0."""
        if self.dialect != "postgresql":
            return 0
        return int(self.execute(f"DELETE FROM store_changes WHERE xid < {_snapshot(before)[0]}").rowcount)

    def iterate(self, sql: str, params: Params = (), size: int = 5000) -> Iterator[Row]:
        """The rows of a large result a batch at a time (a server-side cursor on PostgreSQL), not all at once."""
        statement, count = compile_sql(sql)
        with self.transaction(read_only=True):  # PostgreSQL's server-side cursors live in a transaction
            try:
                result = self.sa.execute(statement, _bind(params, count),
                                         execution_options={"stream_results": True, "yield_per": size})
                cls = _row_class(tuple(result.keys()))
                for part in result.partitions(size):
                    yield from (cls(r) for r in part)
            except sqlalchemy.exc.SQLAlchemyError as e:
                raise _wrap(e, self.where) from e

    def has_table(self, name: str) -> bool:
        """Whether the store has a table or view called ``name``."""
        return bool(sqlalchemy.inspect(self.sa).has_table(name))

    def copy_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        """Bulk-insert rows: PostgreSQL's ``COPY … FROM STDIN`` (inside the current transaction), SQLite's
        ``executemany``; returns how many rows were written. Names come from code, never from input."""
        rows = [tuple(int(v) if isinstance(v, bool) else v for v in row) for row in rows]
        if not rows:
            return 0
        if self.dialect != "postgresql":
            self.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                             rows)
            return len(rows)
        try:
            raw: Any = self.sa.connection.dbapi_connection  # psycopg's connection
            with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        except Exception as e:  # psycopg's own errors: the copy is refused as a whole
            reason = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise ConstraintError(f"{self.where}: copying {len(rows)} rows into {table} failed ({reason})") from e
        return len(rows)

    def scalar(self, sql: str, params: Params = ()) -> Any:
        row = self.execute(sql, params).fetchone()
        return row[0] if row is not None else None

    @contextmanager
    def transaction(self, read_only: bool = False) -> Iterator[Connection]:
        """One atomic unit of work; nested calls join the outer one.

        On SQLite a writing transaction takes the write lock at once (``BEGIN IMMEDIATE``), so that two writers
        queue instead of one failing at its first write; a reading one takes no lock.
        """
        if self.in_transaction:
            yield self
            return
        begin = "BEGIN" if self.dialect == "sqlite" and read_only else "BEGIN IMMEDIATE" if self.dialect == "sqlite" \
            else "BEGIN READ ONLY" if read_only else "BEGIN"
        try:
            self.sa.exec_driver_sql(begin)
        except sqlalchemy.exc.SQLAlchemyError as e:
            raise _wrap(e, self.where) from e
        self.in_transaction = True
        try:
            yield self
        except BaseException:
            self.in_transaction = False
            self._end("ROLLBACK")
            raise
        self.in_transaction = False
        try:
            self.sa.exec_driver_sql("COMMIT")
        except sqlalchemy.exc.SQLAlchemyError as e:
            self._end("ROLLBACK")
            raise _wrap(e, self.where) from e

    def _end(self, statement: str) -> None:
        with suppress(sqlalchemy.exc.SQLAlchemyError):  # the server already ended it: nothing was committed
            self.sa.exec_driver_sql(statement)

    def close(self) -> None:
        with suppress(sqlalchemy.exc.SQLAlchemyError):  # a connection the server dropped closes all the same
            self.sa.close()


def _snapshot(mark: str) -> tuple[int, int, list[int]]:
    """``(xmin, xmax, running)`` of a PostgreSQL snapshot's text (``xmin:xmax:xip,…``); numbers only, or an error."""
    try:
        xmin, xmax, running = mark.split(":")
        return int(xmin), int(xmax), [int(x) for x in running.split(",") if x]
    except ValueError as e:
        raise StoreError(f"change mark {mark[:40]!r}: not a PostgreSQL snapshot") from e


def _driver_params(params: Params, count: int, named: bool) -> Sequence[Any] | dict[str, Any]:
    """Values as the driver takes them; booleans become 1 and 0 (the store's flags are integers on both engines)."""
    if isinstance(params, Mapping):
        if not named and count:
            raise StoreError("a query with ? placeholders was given named values")
        if not named:  # values for optional clauses the query left out
            return ()
        return {k: int(v) if isinstance(v, bool) else v for k, v in params.items()}
    if named:
        raise StoreError("a query with :name placeholders was given values by position")
    values = tuple(int(v) if isinstance(v, bool) else v for v in params)
    if len(values) != count:
        raise StoreError(f"a query has {count} placeholders but {len(values)} values were given")
    return values


def _wrap_driver(error: Exception, dbapi: Any, where: str) -> StoreError:
    """A driver's error as the store's own, saying where (the SQL is left out: it may carry values)."""
    reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
    if isinstance(error, dbapi.IntegrityError):
        return ConstraintError(f"{where}: {reason}")
    if getattr(error, "sqlstate", None) in ("40001", "40P01"):  # serialization failure, deadlock (PostgreSQL)
        return ConflictError(f"{where}: {reason}")
    return StoreError(f"{where}: {reason}")


def _bind(params: Params, count: int) -> dict[str, Any]:
    """Named values for a statement; booleans become 1 and 0 (the store's flags are integers on both engines)."""
    if isinstance(params, Mapping):
        return {k: int(v) if isinstance(v, bool) else v for k, v in params.items()}
    values = list(params)
    if len(values) != count:
        raise StoreError(f"a query has {count} placeholders but {len(values)} values were given")
    return {f"_{i}": int(v) if isinstance(v, bool) else v for i, v in enumerate(values, 1)}


def _wrap(error: sqlalchemy.exc.SQLAlchemyError, where: str) -> StoreError:
    """A driver error as the store's own error, saying where (the SQL itself is left out: it may carry values)."""
    orig = getattr(error, "orig", None)
    reason = (str(orig) if orig is not None else str(error)).strip().splitlines()[0]
    if isinstance(error, sqlalchemy.exc.IntegrityError):
        return ConstraintError(f"{where}: {reason}")
    if "could not serialize" in reason or "deadlock" in reason:
        return ConflictError(f"{where}: {reason}")
    return StoreError(f"{where}: {reason}")



def json_item_pattern(value: str) -> str:
    """A ``LIKE`` pattern (escape character ``!``) that finds ``value`` as an item of a JSON list of strings.

    Lists are stored as JSON text on both engines; ``column LIKE ? ESCAPE '!'`` with this pattern asks "is the
    string one of the items" the same way on SQLite and PostgreSQL.
    """
    item = json.dumps(value, ensure_ascii=False)
    return "%" + item.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%"
