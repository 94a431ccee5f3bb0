"""A cache of rendered pages that show shared data: the incident list and the incident pages.

Such a page is the same for every user with the same role, except for the user's name in the header and the CSRF
token in its forms. It is rendered once with two marks in their place (random per process, never sent out), kept,
and the marks are replaced by the escaped name and token of whoever asks. (So a cached page's templates may use
``user.name`` and ``csrf_token`` only as escaped text, as ``{{ user.name }}`` does.) The key is

    (template, path, query string, language, role, HTMX or not, store generation)

The *store generation* moves whenever the store may have changed, whoever wrote: before each cached page, the
request's connection is asked whether anything was committed since it last looked — by another connection
(:meth:`tawthiq.store.connection.Connection.change_mark`: SQLite's ``PRAGMA data_version`` and its own change count,
PostgreSQL's WAL position). If so, the generation moves on. It is read before the page's data, so a page rendered from
older data is never filed under a newer generation; and when it moves, the cache is emptied (any page may show what
changed). Any write moves it — a login too; nothing is written to the store for this, so the audit seals
(:mod:`tawthiq.evidence.audit`) see no table of ours change.

Bodies are kept LZ4-compressed (a large incident page shrinks ~15 times and comes back in ~0.1 ms), in least
recently used order within a byte budget. Concurrent requests for a page not yet cached wait for the first one's
rendering instead of each rendering it again. With several worker processes, each keeps its own cache; they share a
SQLite file of their own (:class:`SharedPages`) that holds the generation and what each rendered, so a page is
rendered once for all of them.
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import lz4.block
from markupsafe import escape

from tawthiq.store.connection import Connection

NAME_MARK = f"tawthiq-user-{secrets.token_hex(16)}"
CSRF_MARK = f"tawthiq-csrf-{secrets.token_hex(16)}"
_WAIT_S = 30.0  # longest wait for another request's rendering of the same page


@dataclass(frozen=True, slots=True)
class PageKey:
    template: str
    path: str
    query: str
    language: str
    role: str
    htmx: bool
    generation: int


def personalise(body: bytes, user_name: str, csrf_token: str) -> bytes:
    """A cached body with the marks replaced by this user's name and CSRF token (escaped as the template would)."""
    return (body.replace(NAME_MARK.encode(), str(escape(user_name)).encode())
            .replace(CSRF_MARK.encode(), str(escape(csrf_token)).encode()))


class SharedPages:
    """The store generation and the rendered pages of the worker processes of one server run, in a SQLite file of
    their own (never the store). The file must be new for each run of the server (``tawthiq serve --workers N``
    makes one in a temporary folder): a page rendered by other code is never served. Pages are shared best effort
    (a busy file only means a page is rendered again); the generation is not: when it cannot be read, nothing is
    served from a cache."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        conn = self._conn()
        conn.execute("CREATE TABLE IF NOT EXISTS pages (key TEXT PRIMARY KEY, generation INTEGER NOT NULL,"
                     " body BLOB NOT NULL)")
        conn.execute("CREATE TABLE IF NOT EXISTS generation (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER)")
        conn.execute("INSERT OR IGNORE INTO generation (id, n) VALUES (1, 0)")

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=10)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = OFF")  # a cache: losing it in a crash loses nothing
            self._local.conn = conn
        return conn

    def generation(self, moved: bool) -> int | None:
        """The generation, moved on first when ``moved``; ``None`` when the file cannot tell."""
        try:
            conn = self._conn()
            if moved:
                conn.execute("UPDATE generation SET n = n + 1 WHERE id = 1")
            return int(conn.execute("SELECT n FROM generation WHERE id = 1").fetchone()[0])
        except sqlite3.Error:
            return None

    @staticmethod
    def _name(key: PageKey) -> str:
        return "\x1f".join((key.template, key.path, key.query, key.language, key.role, str(int(key.htmx))))

    def get(self, key: PageKey) -> bytes | None:
        """The compressed body another worker filed under ``key``, if any."""
        try:
            row = self._conn().execute("SELECT body FROM pages WHERE key = ? AND generation = ?",
                                       (self._name(key), key.generation)).fetchone()
        except sqlite3.Error:
            return None
        return bytes(row[0]) if row else None

    def put(self, key: PageKey, packed: bytes) -> None:
        try:
            conn = self._conn()
            conn.execute("INSERT OR REPLACE INTO pages (key, generation, body) VALUES (?, ?, ?)",
                         (self._name(key), key.generation, packed))
            conn.execute("DELETE FROM pages WHERE generation < ?", (key.generation,))
        except sqlite3.Error:
            return


class StoreWatch:
    """The store generation of this process (or of all the worker processes, with ``shared``)."""

    def __init__(self, shared: SharedPages | None = None) -> None:
        self.shared = shared
        self._generation = 0
        self._lock = threading.Lock()
        self._local = threading.local()  # the store pool gives each thread its own connection

    def generation(self, conn: Connection) -> int | None:
        """The generation as ``conn`` sees the store now; ``None`` (serve nothing cached) while ``conn`` is inside
        a transaction of its own."""
        if conn.in_transaction:
            return None
        mark = (id(conn), *conn.change_mark())
        moved = getattr(self._local, "mark", None) != mark  # also the first time: changes before it are unseen
        self._local.mark = mark
        if self.shared is not None:
            return self.shared.generation(moved)
        with self._lock:
            self._generation += 1 if moved else 0
            return self._generation


class PageCache:
    """Rendered bodies by :class:`PageKey`, compressed, least recently used first out past ``max_bytes``; with
    ``shared``, also filed for (and looked up from) the other worker processes."""

    def __init__(self, max_bytes: int, shared: SharedPages | None = None) -> None:
        self.max_bytes = max_bytes
        self.shared = shared
        self.watch = StoreWatch(shared)
        self.size = 0
        self.generation: int | None = None
        self.hits = 0
        self.misses = 0
        self._pages: OrderedDict[PageKey, bytes] = OrderedDict()
        self._pending: dict[PageKey, threading.Event] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._pages)

    def get(self, key: PageKey) -> bytes | None:
        """The cached body for ``key``, if there is one; never waits for a rendering."""
        packed = self._lookup(key)
        if packed is None:
            self.misses += 1
            return None
        self.hits += 1
        return bytes(lz4.block.decompress(packed))

    def fetch(self, key: PageKey, render: Callable[[], bytes]) -> bytes:
        """The cached body for ``key``, or ``render()``'s (kept for the next request). A request that finds another
        one rendering the same page waits for it; if that one failed, it renders the page itself."""
        with self._lock:
            pending = self._pending.get(key)
            mine = pending is None
            if pending is None:
                pending = self._pending[key] = threading.Event()
        if not mine:
            pending.wait(_WAIT_S)
            body = self.get(key)
            return body if body is not None else render()
        try:
            body = self.get(key)  # rendered (here or by another worker) since this request looked
            if body is None:
                body = render()
                self._put(key, lz4.block.compress(body), share=True)
            return body
        finally:
            with self._lock:
                self._pending.pop(key, None)
            pending.set()

    def _lookup(self, key: PageKey) -> bytes | None:
        with self._lock:
            packed = self._pages.get(key)
            if packed is not None:
                self._pages.move_to_end(key)
                return packed
        if self.shared is None:
            return None
        packed = self.shared.get(key)
        if packed is not None:
            self._put(key, packed, share=False)
        return packed

    def _put(self, key: PageKey, packed: bytes, *, share: bool) -> None:
        if share and self.shared is not None:
            self.shared.put(key, packed)
        if len(packed) > self.max_bytes:
            return
        with self._lock:
            if self.generation is None or key.generation > self.generation:  # any page may show what changed
                self._pages.clear()
                self.size = 0
                self.generation = key.generation
            elif key.generation < self.generation:  # rendered before the store changed: of no more use
                return
            old = self._pages.pop(key, None)
            self.size += len(packed) - (len(old) if old is not None else 0)
            self._pages[key] = packed
            while self.size > self.max_bytes:
                _, evicted = self._pages.popitem(last=False)
                self.size -= len(evicted)
