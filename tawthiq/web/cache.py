"""A cache of rendered pages that show shared data: the incident list and the incident pages.

Such a page is the same for every user with the same role, except for the user's name in the header and the CSRF
token in its forms. It is rendered once with two marks in their place (random per process, never sent out), kept,
and the marks are replaced by the escaped name and token of whoever asks. (So a cached page's templates may use
``user.name`` and ``csrf_token`` only as escaped text, as ``{{ user.name }}`` does.) The key is

    (template, path, query string, language, role, HTMX or not)

and each kept page carries the *fingerprint* of the rows it was rendered from (a BLAKE2 hash of everything the
page's read function returned) and the *epoch* at which that fingerprint was last checked against the store.

The epoch (:class:`StoreWatch`) moves whenever the record may have changed, whoever wrote: before each cached page,
the store is asked whether a write to the record was committed since the change mark the watch last read
(:meth:`tawthiq.store.connection.Connection.record_changes`: marks the store's own triggers file on every table of
the record, whichever program writes — a counter on SQLite, the writing transactions' ids on PostgreSQL). Signing in
and API use write only sessions and tokens, which no cached page shows: they leave no mark and move nothing. A page
checked at the current epoch is served as it is. A page checked at an older epoch is not thrown away: its rows are
read again (a few milliseconds) and fingerprinted; if nothing it shows has changed, it is served and marked checked,
and only if something did is it rendered again. So a review decision on a claim of incident A re-renders A's page
(and the list pages it appears on), never B's; a regrouping, a grade, a note, an attachment or any other program's
write re-renders exactly the pages whose rows it changed — whichever table, process or engine the write came from,
since the fingerprint is of the rows themselves. A stale page cannot be served: the epoch is read before the rows,
so a page is never marked checked at an epoch later than its rows. Nothing is written to the record for this (the
change marks live in a table of the engine's own, beside the search indexes, which the audit seals do not cover).

Bodies are kept LZ4-compressed (a large incident page shrinks ~15 times and comes back in ~0.1 ms), in least
recently used order within a byte budget. Concurrent requests for the same page wait for the first one's reading
and rendering instead of each doing it again. With several worker processes, each keeps its own cache; they share a
SQLite file of their own (:class:`SharedPages`) that holds the epoch, the marks, what each rendered and the failed
logins (:class:`tawthiq.web.auth.LoginThrottle`), so a page is rendered once for all of them; kept across runs
(``--page-cache-file``), it spares a restarted server the rendering of every page again.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import lz4.block
from markupsafe import escape

from tawthiq.errors import StoreError
from tawthiq.store.connection import Connection

_CODE_DIRS = ("web", "report")  # what a page is rendered by: templates, messages, fragments, the comparison
_WAIT_S = 30.0  # longest wait for another request's rendering of the same page
_PRUNE_EVERY = 200  # shared pages written between two prunings of the shared file
TRUST_S = 1800.0  # PostgreSQL: a change mark older than this is not asked about (the store counts as changed)
REFRESH_S = 600.0  # PostgreSQL: a mark this old is replaced by a new one even when nothing changed
FORGET_AFTER_S = 3600.0  # PostgreSQL: filed transactions that a mark read this long ago saw are forgotten…
FORGET_EVERY_S = 600.0  # …this often
SAMPLE_S = 300.0  # how far apart the marks kept for forgetting are


@dataclass(frozen=True, slots=True)
class PageKey:
    template: str
    path: str
    query: str
    language: str
    role: str
    htmx: bool

    @property
    def name(self) -> str:
        return "\x1f".join((self.template, self.path, self.query, self.language, self.role, str(int(self.htmx))))


@dataclass(frozen=True, slots=True)
class Entry:
    """A rendered page: the fingerprint of its rows, the epoch they were last checked at, the compressed body."""

    fingerprint: bytes
    epoch: int
    packed: bytes


def fingerprint(rows: object) -> bytes:
    """A hash of what a page's read function returned (rows, tuples, dataclasses of plain values: their ``repr``
    is deterministic and covers every value with its type)."""
    return hashlib.blake2b(repr(rows).encode("utf-8", "surrogatepass"), digest_size=20).digest()


@dataclass(frozen=True, slots=True)
class Marks:
    """What a cached page holds in place of the user's name and CSRF token: random, never sent out. One pair per
    process, or per shared file (every worker, and every run over a kept file, must use the marks its pages hold)."""

    name: str
    csrf: str

    @classmethod
    def new(cls) -> Marks:
        return cls(f"tawthiq-user-{secrets.token_hex(16)}", f"tawthiq-csrf-{secrets.token_hex(16)}")

    def personalise(self, body: bytes, user_name: str, csrf_token: str) -> bytes:
        """A cached body with the marks replaced by this user's name and CSRF token (escaped as the template
        would)."""
        return (body.replace(self.name.encode(), str(escape(user_name)).encode())
                .replace(self.csrf.encode(), str(escape(csrf_token)).encode()))


def code_version(store: str) -> str:
    """A digest of everything a cached page depends on besides its rows: the code and files that render it (the
    templates, messages and fragments of ``tawthiq.web``, the comparison of ``tawthiq.report``) and ``store``, the
    store it was rendered from with the settings that shape a page. Pages kept in a file under another version are
    dropped when the file is opened."""
    import tawthiq

    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{tawthiq.__version__}\0{store}\0".encode())
    root = Path(tawthiq.__file__).parent
    for folder in _CODE_DIRS:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".html", ".json", ".css", ".js"):
                digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


class SharedPages:
    """The epoch, the rendered pages, the marks and the failed logins of the worker processes of a server, in a
    SQLite file of their own (never the store). ``tawthiq serve --workers N`` makes one in a temporary folder for
    each run; ``tawthiq serve --page-cache-file F`` keeps one across runs, so a restarted server checks its pages
    (read and fingerprint their rows, ~1 ms) instead of rendering them. A page rendered by other code or from
    another store is never served: the file records :func:`code_version`, and pages filed under another are dropped
    when it is opened. The file also keeps the store's change mark with the epoch, so a run over a kept file serves
    its pages as they are when the record has not changed since the last run (on PostgreSQL, when that mark is less
    than :data:`TRUST_S` old), and checks them once against their rows when it has. Pages are shared best effort (a
    busy file only means a page is checked or rendered again); the epoch is not: when it cannot be read, nothing is
    served from a cache."""

    def __init__(self, path: Path, max_bytes: int = 256 * 2**20, code: str = "") -> None:
        self.path = path
        self.max_bytes = max_bytes
        self._local = threading.local()
        self._puts = 0
        conn = self.connection()
        conn.execute("CREATE TABLE IF NOT EXISTS pages (key TEXT PRIMARY KEY, fingerprint BLOB NOT NULL,"
                     " epoch INTEGER NOT NULL, body BLOB NOT NULL, used REAL NOT NULL)")
        conn.execute("CREATE TABLE IF NOT EXISTS generation (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER)")
        conn.execute("INSERT OR IGNORE INTO generation (id, n) VALUES (1, 0)")
        conn.execute("CREATE TABLE IF NOT EXISTS store_mark (id INTEGER PRIMARY KEY CHECK (id = 1), mark TEXT,"
                     " at REAL NOT NULL)")
        conn.execute("INSERT OR IGNORE INTO store_mark (id, mark, at) VALUES (1, NULL, 0)")
        conn.execute("CREATE TABLE IF NOT EXISTS login_failures (key TEXT NOT NULL, at REAL NOT NULL)")
        conn.execute("CREATE INDEX IF NOT EXISTS login_failures_by_key ON login_failures (key, at)")
        conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        fresh = Marks.new()
        conn.execute("BEGIN IMMEDIATE")  # the workers open the file at once: one of them decides, the others read
        try:
            for key, value in (("name_mark", fresh.name), ("csrf_mark", fresh.csrf), ("code", code)):
                conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", (key, value))
            if conn.execute("SELECT value FROM meta WHERE key = 'code'").fetchone()[0] != code:
                conn.execute("DELETE FROM pages")  # rendered by other code, or from another store
                conn.execute("UPDATE meta SET value = ? WHERE key = 'code'", (code,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        marks = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('name_mark', 'csrf_mark')").fetchall())
        self.marks = Marks(marks["name_mark"], marks["csrf_mark"])

    def connection(self) -> sqlite3.Connection:
        """This thread's connection to the shared file (autocommit, WAL)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=10)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = OFF")  # a cache: losing it in a crash loses nothing
            self._local.conn = conn
        return conn

    def state(self) -> tuple[int, str | None, float] | None:
        """The epoch, the store's change mark last filed and when it was read; ``None`` when the file cannot tell."""
        try:
            row = self.connection().execute("SELECT g.n, m.mark, m.at FROM generation g, store_mark m").fetchone()
        except sqlite3.Error:
            return None
        return int(row[0]), row[1], float(row[2])

    def move(self, changed: bool, mark: str, at: float) -> int | None:
        """File ``mark`` (read at ``at``) as the store's last, moving the epoch on when ``changed`` — at once, so that
        no worker reads the new mark with the old epoch; the epoch after, or ``None`` when the file cannot tell."""
        conn = self.connection()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute("UPDATE store_mark SET mark = ?, at = ? WHERE id = 1", (mark, at))
                n = conn.execute("UPDATE generation SET n = n + ? WHERE id = 1 RETURNING n", (int(changed),)).fetchone()
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        except sqlite3.Error:
            return None
        return int(n[0])

    def get(self, key: PageKey) -> Entry | None:
        """The page another worker filed under ``key``, if any."""
        try:
            row = self.connection().execute("SELECT fingerprint, epoch, body FROM pages WHERE key = ?",
                                       (key.name,)).fetchone()
        except sqlite3.Error:
            return None
        return Entry(bytes(row[0]), int(row[1]), bytes(row[2])) if row else None

    def put(self, key: PageKey, entry: Entry) -> None:
        """File ``entry`` (a newer check of the same page only moves its epoch on)."""
        try:
            conn = self.connection()
            conn.execute(
                "INSERT INTO pages (key, fingerprint, epoch, body, used) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (key) DO UPDATE SET fingerprint = excluded.fingerprint, body = excluded.body,"
                " epoch = excluded.epoch, used = excluded.used"
                " WHERE excluded.fingerprint != pages.fingerprint OR excluded.epoch > pages.epoch",
                (key.name, entry.fingerprint, entry.epoch, entry.packed, time.time()))
            self._puts += 1
            if self._puts % _PRUNE_EVERY == 0:
                self._prune(conn)
        except sqlite3.Error:
            return

    def _prune(self, conn: sqlite3.Connection) -> None:
        """Drop the least recently filed pages beyond the byte budget."""
        total = conn.execute("SELECT coalesce(sum(length(body)), 0), count(*) FROM pages").fetchone()
        if total[0] <= self.max_bytes or not total[1]:
            return
        keep = max(1, int(total[1] * self.max_bytes / total[0] * 0.8))
        conn.execute("DELETE FROM pages WHERE key NOT IN (SELECT key FROM pages ORDER BY used DESC LIMIT ?)", (keep,))


class StoreWatch:
    """The epoch of this process (or of all the worker processes, with ``shared``), moved by the store's change
    marks (:meth:`tawthiq.store.connection.Connection.record_changes`).

    The last mark read is kept with the epoch (with ``shared``, in its file: one mark for every worker, and for the
    next run over a kept file) and moves only together with it, so that whoever reads the new mark also reads the
    epoch it moved. On PostgreSQL a mark older than :data:`TRUST_S` is not asked about (the transactions it would be
    compared with may have been forgotten): the store counts as changed. A watch on PostgreSQL also forgets, every
    :data:`FORGET_EVERY_S`, the filed transactions that a mark read :data:`FORGET_AFTER_S` ago already saw."""

    def __init__(self, shared: SharedPages | None = None) -> None:
        self.shared = shared
        self._state: tuple[int, str | None, float] = (0, None, 0.0)  # epoch, last mark, when it was read
        self._lock = threading.Lock()
        self._samples: deque[tuple[float, str]] = deque()  # PostgreSQL: marks read, one per SAMPLE_S, to forget by
        self._forgot_at = time.time()

    def generation(self, conn: Connection) -> int | None:
        """The epoch as ``conn`` sees the store now; ``None`` (serve nothing cached) while ``conn`` is inside a
        transaction of its own, or when the shared file cannot tell."""
        if conn.in_transaction:
            return None
        state = self.shared.state() if self.shared is not None else self._state
        if state is None:
            return None
        epoch, since, at = state
        now = time.time()
        postgres = conn.dialect == "postgresql"
        if postgres and now - at > TRUST_S:
            since = None
        mark, changed = conn.record_changes(since)
        if postgres:
            self._forget(conn, mark, now)
        if not changed and not (postgres and now - at > REFRESH_S):
            return epoch  # (a worker that moved the epoch filed its mark with it: this one's mark is no newer)
        if self.shared is not None:
            return self.shared.move(changed, mark, now)
        with self._lock:
            self._state = (self._state[0] + int(changed), mark, now)
            return self._state[0]

    def _forget(self, conn: Connection, mark: str, now: float) -> None:
        with self._lock:
            if not self._samples or now - self._samples[-1][0] >= SAMPLE_S:
                self._samples.append((now, mark))
            if now - self._forgot_at < FORGET_EVERY_S:
                return
            self._forgot_at = now
            old = [m for t, m in self._samples if now - t >= FORGET_AFTER_S]
            while self._samples and now - self._samples[0][0] >= FORGET_AFTER_S:
                self._samples.popleft()
        if old:
            with suppress(StoreError):  # housekeeping: the rows stay until the next time
                conn.forget_changes(old[-1])


@dataclass(slots=True)
class Counts:
    hits: int = 0  # served as kept, checked at the current epoch
    checked: int = 0  # read again at a newer epoch, unchanged, served as kept
    rendered: int = 0  # read and rendered (new, or its rows had changed)


class PageCache:
    """Rendered pages by :class:`PageKey`, compressed, least recently used first out past ``max_bytes``; with
    ``shared``, also filed for (and looked up from) the other worker processes."""

    def __init__(self, max_bytes: int, shared: SharedPages | None = None) -> None:
        self.max_bytes = max_bytes
        self.shared = shared
        self.marks = shared.marks if shared is not None else Marks.new()
        self.watch = StoreWatch(shared)
        self.size = 0
        self.counts = Counts()
        self._pages: OrderedDict[PageKey, Entry] = OrderedDict()
        self._pending: dict[PageKey, threading.Event] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._pages)

    @property
    def hits(self) -> int:
        return self.counts.hits

    @property
    def misses(self) -> int:
        """Requests that had to read the store (to check a kept page or to render one)."""
        return self.counts.checked + self.counts.rendered

    def get(self, key: PageKey, epoch: int) -> bytes | None:
        """The body kept for ``key`` if it was checked at ``epoch`` or later; never reads the store or waits."""
        entry = self._lookup(key, epoch)
        if entry is None or entry.epoch < epoch:
            return None
        self.counts.hits += 1
        return bytes(lz4.block.decompress(entry.packed))

    def fetch(self, key: PageKey, epoch: int, read: Callable[[], Any], render: Callable[[Any], bytes]) -> bytes:
        """The body for ``key`` as of ``epoch``: the kept one if ``read()``'s rows are those it was rendered from,
        else ``render(rows)``'s (kept for the next request). A request that finds another one working on the same
        page waits for it, then takes its page if that was checked at ``epoch`` or later."""
        with self._lock:
            pending = self._pending.get(key)
            mine = pending is None
            if pending is None:
                pending = self._pending[key] = threading.Event()
        if not mine:
            pending.wait(_WAIT_S)
            body = self.get(key, epoch)
            return body if body is not None else self._refresh(key, epoch, read, render)
        try:
            body = self.get(key, epoch)  # checked (here or by another worker) since this request looked
            return body if body is not None else self._refresh(key, epoch, read, render)
        finally:
            with self._lock:
                self._pending.pop(key, None)
            pending.set()

    def _refresh(self, key: PageKey, epoch: int, read: Callable[[], Any], render: Callable[[Any], bytes]) -> bytes:
        rows = read()
        found = fingerprint(rows)
        entry = self._lookup(key, epoch)
        if entry is not None and entry.fingerprint == found:
            self.counts.checked += 1
            if epoch > entry.epoch:
                self._put(key, replace(entry, epoch=epoch), share=True)
            return bytes(lz4.block.decompress(entry.packed))
        self.counts.rendered += 1
        body = render(rows)
        self._put(key, Entry(found, epoch, lz4.block.compress(body)), share=True)
        return body

    def _lookup(self, key: PageKey, epoch: int) -> Entry | None:
        """This process's page for ``key``; with other workers, theirs when this one's is missing or was checked
        before ``epoch`` and theirs later."""
        with self._lock:
            entry = self._pages.get(key)
            if entry is not None:
                self._pages.move_to_end(key)
        if self.shared is None or (entry is not None and entry.epoch >= epoch):
            return entry
        shared = self.shared.get(key)
        if shared is not None and (entry is None or shared.epoch > entry.epoch):
            self._put(key, shared, share=False)
            return shared
        return entry

    def _put(self, key: PageKey, entry: Entry, *, share: bool) -> None:
        if share and self.shared is not None:
            self.shared.put(key, entry)
        if len(entry.packed) > self.max_bytes:
            return
        with self._lock:
            old = self._pages.get(key)
            if old is not None and old.fingerprint == entry.fingerprint and old.epoch >= entry.epoch:
                return  # a later check of the same page is already here
            self._pages.pop(key, None)
            self.size += len(entry.packed) - (len(old.packed) if old is not None else 0)
            self._pages[key] = entry
            while self.size > self.max_bytes:
                _, evicted = self._pages.popitem(last=False)
                self.size -= len(evicted.packed)
