"""The content-addressed vault: every original stored once under its SHA-256, never modified.

The vault is a folder beside the database (``tawthiq.db`` → ``tawthiq.db.evidence/``); a file with hash ``abcdef…``
lives at ``ab/cdef…``, read-only. A file is written to a temporary name, flushed to disk and renamed into place, so a
crash leaves either the whole file or none (at worst an orphan the next run reuses). The row in ``evidence_items``, its
custody event and its audit entry are written in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tawthiq.errors import EvidenceError
from tawthiq.evidence.audit import record_event
from tawthiq.store.connection import Connection
from tawthiq.store.database import vault_folder

CUSTODY_ACTIONS = ("collected", "received", "transferred", "exported")
KINDS = ("file", "image", "video", "document")


@dataclass(frozen=True, slots=True)
class Custody:
    """Who collected an item, when (UTC), from where (a URL or a device) and with what tool."""

    collected_by: str
    tool: str
    source_url: str = ""
    device: str = ""
    collected_at: dt.datetime | None = None  # None: now
    action: str = "collected"
    note: str = ""

    def problems(self) -> list[str]:
        found = []
        if not self.collected_by.strip():
            found.append("who collected it is missing (--collected-by)")
        if not self.tool.strip():
            found.append("the tool used is missing (--tool)")
        if not (self.source_url.strip() or self.device.strip()):
            found.append("where it came from is missing: give --source-url or --device")
        if self.collected_at is not None and self.collected_at.tzinfo is None:
            found.append("the collection time has no time zone: give it in UTC, e.g. 2025-03-08T14:05:00Z")
        if self.action not in CUSTODY_ACTIONS:
            found.append(f"custody action {self.action!r} is not one of {', '.join(CUSTODY_ACTIONS)}")
        return found

    def at_utc(self) -> str:
        when = self.collected_at or dt.datetime.now(dt.UTC)
        return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class Stored:
    sha256: str
    path: Path
    new_item: bool  # the bytes were not in the vault's record before
    new_custody: bool  # this custody event was not recorded before


def vault_root(db: str | Path) -> Path:
    """The vault folder of the store ``db`` (see :func:`tawthiq.store.database.vault_folder`)."""
    return vault_folder(db)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def original_path(root: Path, sha256: str) -> Path:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise EvidenceError(f"{sha256!r}: not a SHA-256 (64 lower-case hex digits)")
    return root / sha256[:2] / sha256[2:]


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_original(root: Path, data: bytes) -> tuple[str, Path]:
    """Put ``data`` in the vault atomically, once; return hash and path. An existing file is checked, not rewritten."""
    digest = sha256_of(data)
    path = original_path(root, digest)
    if path.exists():
        if file_sha256(path) != digest:
            raise EvidenceError(f"vault file {path}: its bytes no longer match its name (damaged or altered)",
                                hint="restore it from a backup (`tawthiq restore`); do not overwrite evidence")
        return digest, path
    new_folder = not path.parent.is_dir()
    path.parent.mkdir(parents=True, exist_ok=True)
    if new_folder:
        sync_folder(path.parent.parent)  # the new folder's own name must outlive a power cut too
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o444)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    # The rename is durable only once its folder is synced: without this, a power cut after the store committed the
    # original's record could leave the record and no file (the bytes were synced, the name was not).
    sync_folder(path.parent)
    return digest, path


def sync_folder(folder: Path) -> None:
    """Make the entries of ``folder`` (files created, renamed or removed in it) durable (POSIX ``fsync`` of the
    folder; a no-op where the system cannot open a folder, as on Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_original(root: Path, sha256: str) -> bytes:
    """The original's bytes, after checking they still hash to their name."""
    path = original_path(root, sha256)
    try:
        data = path.read_bytes()
    except FileNotFoundError as e:
        raise EvidenceError(f"original {sha256}: missing from the vault {root}") from e
    if sha256_of(data) != sha256:
        raise EvidenceError(f"original {sha256}: the vault file {path} was altered (its hash no longer matches)")
    return data


def store_original(conn: Connection, root: Path, data: bytes, custody: Custody, *,
                   media_type: str = "application/octet-stream", kind: str = "file",
                   original_name: str = "") -> Stored:
    """Store ``data`` in the vault and record it with its custody event and an audit entry (caller's transaction).

    Storing the same bytes again adds only a new custody event (a second collection from elsewhere is evidence of
    re-upload); the very same custody (who, where, tool) again changes nothing.
    """
    problems = custody.problems()
    if kind not in KINDS:
        problems.append(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    if problems:
        raise EvidenceError(f"{original_name or 'input'}: " + "; ".join(problems))
    if not conn.in_transaction:
        raise EvidenceError("store_original must run inside Store.transaction()")
    digest, path = write_original(Path(root), data)
    cur = conn.execute(
        "INSERT INTO evidence_items (sha256, size, media_type, kind, original_name, stored_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(sha256) DO NOTHING",
        (digest, len(data), media_type, kind, original_name, custody.at_utc()),
    )
    new_item = cur.rowcount == 1
    same = conn.execute(
        "SELECT 1 FROM custody_events WHERE item_sha256 = ? AND action = ? AND actor = ? AND source_url = ? "
        "AND device = ? AND tool = ?",
        (digest, custody.action, custody.collected_by, custody.source_url, custody.device, custody.tool),
    ).fetchone()
    if same is None:
        add_custody(conn, digest, custody)
    if new_item:
        record_event(conn, "evidence.add", digest, {"size": len(data), "media_type": media_type, "kind": kind})
    return Stored(digest, path, new_item, same is None)


def add_custody(conn: Connection, sha256: str, custody: Custody) -> int:
    """Append a custody event for an item already in the vault (caller's transaction)."""
    problems = custody.problems()
    if problems:
        raise EvidenceError(f"custody of {sha256}: " + "; ".join(problems))
    at = custody.at_utc()
    cur = conn.execute(
        "INSERT INTO custody_events (item_sha256, action, actor, at, source_url, device, tool, note) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (sha256, custody.action, custody.collected_by, at, custody.source_url, custody.device, custody.tool,
         custody.note),
    )
    record_event(conn, "custody." + custody.action, sha256,
                 {"actor": custody.collected_by, "at": at, "source_url": custody.source_url,
                  "device": custody.device, "tool": custody.tool})
    return int(cur.fetchone()[0])


def link_derived(conn: Connection, root: Path, original_sha256: str, data: bytes, kind: str,
                 tool: str) -> str:
    """Store a working copy derived from an original (a text extraction, a key frame) and link it; return its hash."""
    digest, _ = write_original(Path(root), data)
    conn.execute(
        "INSERT INTO derived_copies (original_sha256, derived_sha256, kind, tool, created_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT DO NOTHING",
        (original_sha256, digest, kind, tool, dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")),
    )
    return digest


def custody_trail(conn: Connection, sha256: str) -> list[dict[str, object]]:
    rows = conn.execute(
        "SELECT action, actor, at, source_url, device, tool, note FROM custody_events WHERE item_sha256 = ? "
        "ORDER BY id", (sha256,),
    ).fetchall()
    keys = ("action", "actor", "at", "source_url", "device", "tool", "note")
    return [dict(zip(keys, tuple(r), strict=True)) for r in rows]


@dataclass(frozen=True, slots=True)
class Problem:
    subject: str
    reason: str
    severe: bool = True

    def __str__(self) -> str:
        return f"{self.subject}: {self.reason}"


def verify_vault(conn: Connection, root: Path) -> list[Problem]:
    """Check every recorded original against its file, every document's bytes against its hash, and list orphans."""
    problems: list[Problem] = []
    recorded = set()
    for sha, size in conn.execute("SELECT sha256, size FROM evidence_items ORDER BY id"):
        recorded.add(sha)
        path = original_path(root, sha)
        if not path.is_file():
            problems.append(Problem(f"original {sha}", f"missing from the vault ({path})"))
        elif file_sha256(path) != sha:
            problems.append(Problem(f"original {sha}", f"altered: {path} no longer hashes to its name"))
        elif path.stat().st_size != size:
            problems.append(Problem(f"original {sha}", "its size differs from the record"))
    has_documents = conn.has_table("documents")
    if has_documents:
        for doc_id, sha, original in conn.execute("SELECT id, sha256, original FROM documents ORDER BY id"):
            if sha256_of(bytes(original)) != sha:
                problems.append(Problem(f"document {doc_id} ({sha[:12]})",
                                        "its stored original bytes no longer match its SHA-256 (altered)"))
    if root.is_dir():
        for path in sorted(root.glob("??/*")):
            name = path.parent.name + path.name
            if path.name.startswith(".incoming-"):
                problems.append(Problem(str(path), "an interrupted write (safe to delete)", severe=False))
            elif name not in recorded and not _is_derived(conn, name):
                problems.append(Problem(str(path), "in the vault but not in the record (an interrupted add: "
                                                   "adding the file again reuses it)", severe=False))
    return problems


def _is_derived(conn: Connection, sha256: str) -> bool:
    return conn.execute("SELECT 1 FROM derived_copies WHERE derived_sha256 = ?", (sha256,)).fetchone() is not None
