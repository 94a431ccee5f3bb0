"""Full-text search over documents, claims, incidents and victim records (SQLite FTS5, PostgreSQL tsvector).

On SQLite the index tables (``search_*``, :mod:`tawthiq.store.dialects`) follow their tables through triggers;
:func:`reindex` rebuilds them all (after a bulk load with triggers off, or to repair). On PostgreSQL the indexes are
GIN indexes over the folded text of the same columns, kept by the server; a query's words are folded the same way
(:func:`tawthiq.store.dialects.fold`), all must occur and the last may be a prefix, as on SQLite.
A query is taken as plain words: each word is quoted (on PostgreSQL: reduced to letters and digits) so that
operators typed by a user (``AND``, ``NEAR``, ``*``, quotes, ``&``, ``!``) are searched as text, never run.
Snippets are made with control-character markers, escaped, and only then marked up, so a document's text can never
inject markup through a search result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from tawthiq.errors import StoreError
from tawthiq.store.connection import Connection
from tawthiq.store.dialects import SEARCH_INDEXES, fold, tsvector_sql

INDEXES = ("search_documents", "search_claims", "search_incidents", "search_victims")
_OPEN, _CLOSE = "\x02", "\x03"
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Hit:
    kind: str  # document | claim | incident | victim
    id: int
    title: str
    snippet: Markup


def reindex(conn: Connection) -> None:
    """Rebuild every search index from its table (PostgreSQL keeps its indexes itself)."""
    if conn.dialect != "sqlite":
        return
    for table in INDEXES:
        conn.execute(f"INSERT INTO {table} ({table}) VALUES ('rebuild')")


def match_expression(text: str) -> str | None:
    """The FTS5 expression for a user's words (all must occur; the last may be a prefix), or None for no words."""
    words = _WORD.findall(text)[:12]
    if not words:
        return None
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def _snippet(raw: str | None) -> Markup:
    text = escape(raw or "")
    return Markup(str(text).replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>"))


_QUERIES = {
    "document": (
        "SELECT d.id, coalesce(nullif(d.title, ''), d.path) AS title,"
        " snippet(search_documents, 1, ?, ?, '…', 16) AS snip"
        " FROM search_documents JOIN documents d ON d.id = search_documents.rowid"
        " WHERE search_documents MATCH ? ORDER BY rank LIMIT ?"
    ),
    "claim": (
        "SELECT c.id, coalesce(c.place, c.kind) AS title, snippet(search_claims, 0, ?, ?, '…', 24) AS snip"
        " FROM search_claims JOIN claims c ON c.id = search_claims.rowid"
        " WHERE search_claims MATCH ? ORDER BY rank LIMIT ?"
    ),
    "incident": (
        "SELECT i.id, i.title, snippet(search_incidents, -1, ?, ?, '…', 12) AS snip"
        " FROM search_incidents JOIN incidents i ON i.id = search_incidents.rowid"
        " WHERE search_incidents MATCH ? ORDER BY rank LIMIT ?"
    ),
    "victim": (
        "SELECT v.id, coalesce(v.name_ar, v.name_latin, '') AS title,"
        " snippet(search_victims, -1, ?, ?, '…', 12) AS snip"
        " FROM search_victims JOIN victim_records v ON v.id = search_victims.rowid"
        " WHERE search_victims MATCH ? ORDER BY rank LIMIT ?"
    ),
}


def tsquery_expression(text: str) -> str | None:
    """The PostgreSQL ``to_tsquery`` text for a user's words (folded; all must occur; the last may be a prefix)."""
    words = [fold(w) for w in _WORD.findall(text)[:12]]
    words = [w for w in words if w]
    if not words:
        return None
    return " & ".join(words) + ":*"


_KINDS = {"document": "search_documents", "claim": "search_claims", "incident": "search_incidents",
          "victim": "search_victims"}
_PG_TITLES = {"document": "coalesce(nullif(t.title, ''), t.path)", "claim": "coalesce(t.place, t.kind)",
              "incident": "t.title", "victim": "coalesce(t.name_ar, t.name_latin, '')"}
_PG_SNIPPET = {"document": ("text", 16), "claim": ("sentence", 24), "incident": (None, 12), "victim": (None, 12)}


def _postgres_query(kind: str) -> str:
    table, columns = SEARCH_INDEXES[_KINDS[kind]]
    vector = tsvector_sql("t", columns)
    column, words = _PG_SNIPPET[kind]
    shown = f"coalesce(t.{column}, '')" if column else " || ' ' || ".join(f"coalesce(t.{c}, '')" for c in columns)
    return (f"SELECT t.id, {_PG_TITLES[kind]} AS title, ts_headline('simple', {shown}, q,"
            f" 'StartSel=' || :open || ', StopSel=' || :close || ', MaxWords={words}, MinWords={words // 2},"
            f" ShortWord=0, FragmentDelimiter=…, MaxFragments=1') AS snip"
            f" FROM {table} t, to_tsquery('simple', :expression) q WHERE {vector} @@ q"
            f" ORDER BY ts_rank({vector}, q) DESC, t.id LIMIT :limit")


def search(conn: Connection, text: str, limit: int = 20) -> dict[str, list[Hit]]:
    """Hits of each kind for ``text``, best first (at most ``limit`` of each)."""
    postgres = conn.dialect == "postgresql"
    expression = tsquery_expression(text) if postgres else match_expression(text)
    results: dict[str, list[Hit]] = {kind: [] for kind in _QUERIES}
    if expression is None:
        return results
    for kind, sql in _QUERIES.items():
        try:
            if postgres:
                rows = conn.execute(_postgres_query(kind), {"open": _OPEN, "close": _CLOSE, "expression": expression,
                                                           "limit": limit}).fetchall()
            else:
                rows = conn.execute(sql, (_OPEN, _CLOSE, expression, limit)).fetchall()
        except StoreError as e:
            raise StoreError(f"search for {text!r} in {kind}s failed ({e})") from e
        results[kind] = [Hit(kind, int(r[0]), str(r[1] or ""), _snippet(r[2])) for r in rows]
    return results
