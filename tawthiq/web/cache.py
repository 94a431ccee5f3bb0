"""A cache of rendered pages that show shared data: the incident list and the incident pages.

Such a page is the same for every user with the same role, except for the user's name in the header and the CSRF
token in its forms. It is rendered once with two marks in their place (random per process, never sent out), kept,
and the marks are replaced by the escaped name and token of whoever asks. The key is

    (template, path, query string, language, role, HTMX or not, store change counter)

The change counter (``web_changes``, schema ``0310_web_perf.sql``) is bumped by triggers on every write to the tables
these pages read, whichever program or connection writes (a review decision in another worker process, a regrouping
from the command line), so a page is served only while nothing it shows has changed. The counter is read before the
page's data: a page rendered from older data is never filed under a newer counter. When the counter moves, the
cache is emptied (every page may show what changed).

Bodies are kept zlib-compressed (a large incident page shrinks ~10 times), in least-recently-used order within a
byte budget. Concurrent requests for a page not yet cached wait for the first one's rendering instead of each
rendering it again.
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import escape

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
    counter: int


def change_counter(conn: sqlite3.Connection) -> int:
    """The store's change counter of the tables the cached pages read."""
    row = conn.execute("SELECT counter FROM web_changes WHERE id = 1").fetchone()
    return int(row[0]) if row else 0


def personalise(body: bytes, user_name: str, csrf_token: str) -> bytes:
    """A cached body with the marks replaced by this user's name and CSRF token (escaped as the template would)."""
    return (body.replace(NAME_MARK.encode(), str(escape(user_name)).encode())
            .replace(CSRF_MARK.encode(), str(escape(csrf_token)).encode()))


class PageCache:
    """Rendered bodies by :class:`PageKey`, compressed, least recently used first out past ``max_bytes``."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.counter: int | None = None
        self.hits = 0
        self.misses = 0
        self._pages: OrderedDict[PageKey, bytes] = OrderedDict()
        self._pending: dict[PageKey, threading.Event] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._pages)

    def get(self, key: PageKey) -> bytes | None:
        """The cached body for ``key``, if there is one; never waits for a rendering."""
        with self._lock:
            return self._get(key)

    def fetch(self, key: PageKey, render: Callable[[], bytes]) -> bytes:
        """The cached body for ``key``, or ``render()``'s (kept for the next request). A request that finds another
        one rendering the same page waits for it; if that one failed, it renders the page itself."""
        with self._lock:
            body = self._get(key)
            if body is not None:
                return body
            pending = self._pending.get(key)
            mine = pending is None
            if pending is None:
                pending = self._pending[key] = threading.Event()
        if not mine:
            pending.wait(_WAIT_S)
            with self._lock:
                body = self._get(key)
            return body if body is not None else render()
        try:
            body = render()
            self._put(key, body)
            return body
        finally:
            with self._lock:
                self._pending.pop(key, None)
            pending.set()

    def _get(self, key: PageKey) -> bytes | None:
        """(Under the lock.)"""
        packed = self._pages.get(key)
        if packed is None:
            self.misses += 1
            return None
        self.hits += 1
        self._pages.move_to_end(key)
        return zlib.decompress(packed)

    def _put(self, key: PageKey, body: bytes) -> None:
        packed = zlib.compress(body, 1)
        if len(packed) > self.max_bytes:
            return
        with self._lock:
            if key.counter != self.counter:  # the store changed: every page may show what changed
                self._pages.clear()
                self.size = 0
                self.counter = key.counter
            old = self._pages.pop(key, None)
            self.size += len(packed) - (len(old) if old is not None else 0)
            self._pages[key] = packed
            while self.size > self.max_bytes:
                _, evicted = self._pages.popitem(last=False)
                self.size -= len(evicted)
