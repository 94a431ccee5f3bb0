"""What each engine does its own way: full-text search, append-only guards, the views, the record's change marks.

SQLite searches with FTS5 tables kept in step by triggers; PostgreSQL with GIN indexes over ``tsvector`` expressions,
which the server keeps in step by itself. Both fold text the same way before matching (:func:`fold`): lower case,
Arabic diacritics and tatweel removed, alef forms, alef maqsura and ta marbuta unified, Latin accents removed — so
that a search gives the same hits on both engines. On PostgreSQL the same table is the SQL function
``tawthiq_fold`` (built from :data:`FOLD_FROM` / :data:`FOLD_TO`, so the two cannot drift apart).
The audit log and the chain of custody refuse UPDATE and DELETE on both engines.

Every write to the record leaves a mark the web's page cache reads (:meth:`tawthiq.store.connection.Connection.
record_changes`), whoever wrote and however: on SQLite a counter row that triggers move on each row written (with a
random salt, so that a store put back from a backup cannot meet an old value again), on PostgreSQL the transaction id
of each transaction that wrote, filed by statement-level triggers (no row shared between writers: nothing to wait
for). Signing in and using an API token write too (:data:`UNWATCHED`), but no page shows what they write: they leave no
mark, so they do not make the cache check its pages again.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from sqlalchemy import Connection

# --- folding for search ---------------------------------------------------------------------------------------------

_ARABIC_MARKS = "".join(chr(c) for c in range(0x064B, 0x0653)) + "\u0670\u0640"  # harakat, superscript alef, tatweel
_ARABIC_MAP = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"}


def _latin_accents() -> dict[str, str]:
    """Accented Latin letters (Latin-1 Supplement and Extended-A) to their base letter, lower case."""
    table = {}
    for code in range(0x00C0, 0x0180):
        char = chr(code).lower()
        base = unicodedata.normalize("NFD", char)[0]
        if len(char) == 1 and base != char and base.isascii() and base.isalpha():
            table[char] = base
    return table


_MAP = {**_ARABIC_MAP, **_latin_accents()}
FOLD_FROM = "".join(_MAP) + _ARABIC_MARKS
FOLD_TO = "".join(_MAP.values())  # characters of FOLD_FROM beyond FOLD_TO are removed (SQL translate semantics)
_TRANSLATION = str.maketrans("".join(_MAP), FOLD_TO, _ARABIC_MARKS)


def fold(value: str) -> str:
    """Text as the search indexes see it (the Python twin of SQL ``tawthiq_fold``)."""
    return value.lower().translate(_TRANSLATION)


def _sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


# --- search indexes -------------------------------------------------------------------------------------------------

# index name -> (table, columns): the same four indexes on both engines.
SEARCH_INDEXES: dict[str, tuple[str, tuple[str, ...]]] = {
    "search_documents": ("documents", ("title", "text")),
    "search_claims": ("claims", ("sentence", "place", "attributed_to")),
    "search_incidents": ("incidents", ("title", "event_type", "admin1")),
    "search_victims": ("victim_records", ("name_ar", "name_latin", "place_of_death", "governorate")),
}


def tsvector_sql(table_alias: str, columns: Iterable[str]) -> str:
    """The PostgreSQL ``tsvector`` expression of a search index (the one its GIN index is built on)."""
    joined = " || ' ' || ".join(f"coalesce({table_alias}.{c}, '')" for c in columns)
    return f"to_tsvector('simple'::regconfig, tawthiq_fold({joined}))"


def _fts5_statements() -> list[str]:
    statements = []
    for index, (table, columns) in SEARCH_INDEXES.items():
        cols = ", ".join(columns)
        new = ", ".join(f"new.{c}" for c in columns)
        old = ", ".join(f"old.{c}" for c in columns)
        delete = f"INSERT INTO {index} ({index}, rowid, {cols}) VALUES ('delete', old.id, {old});"
        insert = f"INSERT INTO {index} (rowid, {cols}) VALUES (new.id, {new});"
        statements += [
            f"CREATE VIRTUAL TABLE {index} USING fts5({cols}, content='{table}', content_rowid='id', "
            "tokenize='unicode61 remove_diacritics 2')",
            f"CREATE TRIGGER {index}_ai AFTER INSERT ON {table} BEGIN {insert} END",
            f"CREATE TRIGGER {index}_ad AFTER DELETE ON {table} BEGIN {delete} END",
            f"CREATE TRIGGER {index}_au AFTER UPDATE OF {cols} ON {table} BEGIN {delete} {insert} END",
            f"INSERT INTO {index} ({index}) VALUES ('rebuild')",
        ]
    return statements


def _postgres_search_statements() -> list[str]:
    statements = [
        "CREATE OR REPLACE FUNCTION tawthiq_fold(value text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE "
        f"AS $$ SELECT translate(lower(value), {_sql_literal(FOLD_FROM)}, {_sql_literal(FOLD_TO)}) $$",
    ]
    for index, (table, columns) in SEARCH_INDEXES.items():
        statements.append(f"CREATE INDEX {index} ON {table} USING gin (({tsvector_sql(table, columns)}))")
    return statements


# --- append-only guards and views -----------------------------------------------------------------------------------

APPEND_ONLY = {"audit_log": "audit_log", "custody_events": "custody"}  # table -> prefix of its guards' names

_VIEW = (
    "CREATE VIEW incident_current_grades AS"
    " SELECT g.incident_key, g.grade, g.user_name, g.decided_at FROM incident_grades g"
    " WHERE g.id = (SELECT max(h.id) FROM incident_grades h WHERE h.incident_key = g.incident_key)"
)


def _sqlite_guards() -> list[str]:
    return [
        f"CREATE TRIGGER {prefix}_no_{verb.lower()} BEFORE {verb} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        for table, prefix in APPEND_ONLY.items() for verb in ("UPDATE", "DELETE")
    ]


def _postgres_guards() -> list[str]:
    statements = [
        "CREATE OR REPLACE FUNCTION tawthiq_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$",
    ]
    for table, prefix in APPEND_ONLY.items():
        statements.append(f"CREATE TRIGGER {prefix}_append_only BEFORE UPDATE OR DELETE ON {table} "
                          "FOR EACH ROW EXECUTE FUNCTION tawthiq_append_only()")
    return statements


# --- change marks of the record ------------------------------------------------------------------------------------

UNWATCHED = frozenset({"web_sessions", "api_tokens"})  # written by signing in and by API use; shown by no cached page
MARK_TABLE = {"sqlite": "store_mark", "postgresql": "store_changes"}  # the engine's own table: not part of the record


def mark_statements(dialect: str, tables: Iterable[str]) -> list[str]:
    """The change-mark table and the triggers that file a mark for each write to ``tables``."""
    if dialect == "sqlite":
        statements = [
            "CREATE TABLE store_mark (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL,"
            " salt INTEGER NOT NULL)",
            "INSERT INTO store_mark (id, n, salt) VALUES (1, 0, random())",
        ]
        bump = "BEGIN UPDATE store_mark SET n = n + 1, salt = random() WHERE id = 1; END"
        for table in tables:
            statements += [f"CREATE TRIGGER {table}_mark_{verb.lower()} AFTER {verb} ON {table} {bump}"
                           for verb in ("INSERT", "UPDATE", "DELETE")]
        return statements
    if dialect == "postgresql":
        statements = [
            "CREATE TABLE store_changes (xid bigint PRIMARY KEY)",  # a full transaction id (xid8), as a number
            "CREATE OR REPLACE FUNCTION tawthiq_mark() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "INSERT INTO store_changes (xid) VALUES (pg_current_xact_id()::text::bigint) ON CONFLICT DO NOTHING;"
            " RETURN NULL; END $$",
        ]
        statements += [f"CREATE TRIGGER {table}_mark AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION tawthiq_mark()" for table in tables]
        return statements
    raise ValueError(f"unsupported database engine {dialect!r}")


def drop_mark_statements(dialect: str, tables: Iterable[str]) -> list[str]:
    """What :func:`mark_statements` made, dropped."""
    if dialect == "sqlite":
        return [*(f"DROP TRIGGER IF EXISTS {table}_mark_{verb}" for table in tables
                  for verb in ("insert", "update", "delete")), "DROP TABLE IF EXISTS store_mark"]
    return [*(f"DROP TRIGGER IF EXISTS {table}_mark ON {table}" for table in tables),
            "DROP FUNCTION IF EXISTS tawthiq_mark() CASCADE", "DROP TABLE IF EXISTS store_changes"]


def extras(dialect: str) -> list[str]:
    """The statements that complete the portable tables on ``dialect`` (``sqlite`` or ``postgresql``)."""
    if dialect == "sqlite":
        return [*_fts5_statements(), *_sqlite_guards(), _VIEW]
    if dialect == "postgresql":
        return [*_postgres_search_statements(), *_postgres_guards(), _VIEW]
    raise ValueError(f"unsupported database engine {dialect!r}")



def run(bind: Connection, statements: Iterable[str]) -> None:
    """Run DDL text as written (psycopg reads ``%`` as a placeholder even without parameters: it is doubled)."""
    for statement in statements:
        bind.exec_driver_sql(statement.replace("%", "%%") if bind.dialect.name == "postgresql" else statement)
