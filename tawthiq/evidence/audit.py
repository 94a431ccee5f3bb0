"""The tamper-evident audit log: every change to the record appended to a hash chain.

Entry ``n`` stores ``hash_n = SHA-256(canonical JSON of [hash_(n-1), n, at, action, subject, detail])`` with
``hash_0 = "0" * 64``. Editing an entry breaks its own hash; deleting one leaves a gap in ``seq``; moving one breaks its
hash (the sequence number is hashed) or the next entry's link. :func:`verify` walks the chain and names the first entry
that fails. What the chain alone cannot show is the loss of its newest entries: compare the head (:func:`head`) with one
kept elsewhere (an export manifest, a backup, a note in the case file) using ``expect_head``.

Row-level protection of the rest of the record comes from seals: :func:`seal` appends an entry holding a root hash of
every table, with per-row digests in ``audit_seal_rows``; :func:`check_seal` names each row changed, added or removed
since. Call :func:`record_event` and :func:`seal` inside the caller's transaction, so that a change and its entry are
committed together or not at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from tawthiq.errors import EvidenceError, ProtectionError
from tawthiq.evidence.secret import contains_protected
from tawthiq.store.connection import Connection
from tawthiq.store.digest import AUDIT_TABLES, content_digests, record_tables, root_of, row_digests

GENESIS = "0" * 64
ACTION_RE = re.compile(r"^[a-z][a-z0-9_.-]{0,63}$")
SEAL = "seal"


@dataclass(frozen=True, slots=True)
class Entry:
    seq: int
    at: str
    action: str
    subject: str
    detail: str  # canonical JSON, exactly as hashed
    prev_hash: str
    hash: str

    def as_dict(self) -> dict[str, object]:
        return {"seq": self.seq, "at": self.at, "action": self.action, "subject": self.subject,
                "detail": self.detail, "prev_hash": self.prev_hash, "hash": self.hash}


@dataclass(frozen=True, slots=True)
class Break:
    """The first entry that fails, and why."""

    seq: int
    reason: str

    def __str__(self) -> str:
        return f"audit entry {self.seq}: {self.reason}"


@dataclass(slots=True)
class ChainReport:
    entries: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    broken: Break | None = None

    @property
    def ok(self) -> bool:
        return self.broken is None


@dataclass(frozen=True, slots=True)
class RowChange:
    table: str
    row_key: str
    change: str  # changed | added | removed

    def __str__(self) -> str:
        return f"{self.table} row {self.row_key}: {self.change} since the last seal"


@dataclass(slots=True)
class SealReport:
    seal_seq: int | None = None
    entries_after: int = 0  # audit entries appended after the seal (recorded, not yet sealed changes)
    changes: list[RowChange] = field(default_factory=list)
    broken: str | None = None  # the seal's own row digests were altered


def canonical(detail: dict[str, object]) -> str:
    return json.dumps(detail, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def entry_hash(prev_hash: str, seq: int, at: str, action: str, subject: str, detail: str) -> str:
    payload = json.dumps([prev_hash, seq, at, action, subject, detail], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


AUDIT_LOCK = 0x7A77_7469_71  # PostgreSQL advisory lock key of the audit chain ("tawthiq")


def record_event(conn: Connection, action: str, subject: str, detail: dict[str, object]) -> Entry:
    """Append an entry to the chain inside the caller's open transaction; return it.

    ``detail`` must be JSON (no protected values: a :class:`~tawthiq.evidence.secret.Protected` is refused).
    """
    if not conn.in_transaction:
        raise EvidenceError(f"audit {action!r}: record_event must run inside Store.transaction(), "
                            "so that the change and its entry are committed together")
    if not ACTION_RE.match(action):
        raise EvidenceError(f"audit action {action!r}: use lower-case letters, digits and . _ - (up to 64)")
    if contains_protected(detail) or contains_protected(subject):
        raise ProtectionError(f"audit {action!r}: a protected value cannot be written to the audit log")
    try:
        text = canonical(detail)
    except (TypeError, ValueError) as e:
        raise EvidenceError(f"audit {action!r}: detail is not plain JSON ({e})") from e
    if conn.dialect == "postgresql":  # one appender at a time, until its transaction ends (SQLite: BEGIN IMMEDIATE)
        conn.execute("SELECT pg_advisory_xact_lock(?)", (AUDIT_LOCK,))
    last = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (int(last[0]) + 1, str(last[1])) if last else (1, GENESIS)
    at = utc_now()
    digest = entry_hash(prev, seq, at, action, str(subject), text)
    conn.execute(
        "INSERT INTO audit_log (seq, at, action, subject, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (seq, at, action, str(subject), text, prev, digest),
    )
    return Entry(seq, at, action, str(subject), text, prev, digest)


def entries(conn: Connection, first: int = 1, last: int | None = None) -> list[Entry]:
    rows = conn.execute(
        "SELECT seq, at, action, subject, detail, prev_hash, hash FROM audit_log WHERE seq >= ? AND seq <= ? "
        "ORDER BY seq", (first, last if last is not None else 2**62),
    ).fetchall()
    return [Entry(int(r[0]), r[1], r[2], r[3], r[4], r[5], r[6]) for r in rows]


def head(conn: Connection) -> tuple[int, str]:
    """``(seq, hash)`` of the newest entry; ``(0, GENESIS)`` for an empty log."""
    row = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    return (int(row[0]), str(row[1])) if row else (0, GENESIS)


def verify_entries(chain: Iterable[Entry], start_seq: int = 1, start_prev: str = GENESIS) -> ChainReport:
    """Walk ``chain`` (in stored order) and name the first entry that is edited, missing or out of place."""
    report = ChainReport(head_hash=start_prev, head_seq=start_seq - 1)
    expected, prev = start_seq, start_prev
    for e in chain:
        report.entries += 1
        if e.seq != expected:
            reason = (f"missing: the log goes from entry {expected - 1} to entry {e.seq} (deleted)"
                      if e.seq > expected else f"out of order: found entry {e.seq} where {expected} belongs")
            report.broken = Break(expected, reason)
            return report
        recomputed = entry_hash(e.prev_hash, e.seq, e.at, e.action, e.subject, e.detail)
        if recomputed != e.hash:
            report.broken = Break(e.seq, "edited or moved: its content does not match its hash")
            return report
        if e.prev_hash != prev:
            report.broken = Break(e.seq - 1 if e.seq > start_seq else e.seq,
                                  f"rewritten: entry {e.seq} no longer links to it (its hash was recomputed "
                                  "after an edit, or entries were reordered)")
            return report
        prev, expected = e.hash, expected + 1
        report.head_seq, report.head_hash = e.seq, e.hash
    return report


def verify(conn: Connection, expect_head: tuple[int, str] | None = None) -> ChainReport:
    """Check the whole chain; with ``expect_head`` also that the entry ``(seq, hash)`` kept elsewhere is still there."""
    report = verify_entries(entries(conn))
    if report.ok and expect_head is not None:
        seq, digest = expect_head
        row = conn.execute("SELECT hash FROM audit_log WHERE seq = ?", (seq,)).fetchone()
        if row is None:
            report.broken = Break(seq, f"missing: the expected head is gone (the log ends at {report.head_seq}; "
                                       "its newest entries were deleted)")
        elif row[0] != digest:
            report.broken = Break(seq, "differs from the expected head kept outside the store")
    return report


def seal(conn: Connection, note: str = "") -> Entry:
    """Append a seal: a root hash of every table of the record (inside the caller's transaction)."""
    tables = content_digests(conn, exclude=AUDIT_TABLES)
    entry = record_event(conn, SEAL, "store", {"note": note, "tables": {t: d.as_dict() for t, d in tables.items()}})
    conn.execute("DELETE FROM audit_seal_rows WHERE seal_seq < ?", (entry.seq,))
    for table in tables:
        conn.executemany(
            "INSERT INTO audit_seal_rows (seal_seq, tbl, row_key, digest) VALUES (?, ?, ?, ?)",
            ((entry.seq, table, key, digest) for key, digest in row_digests(conn, table)),
        )
    return entry


def check_seal(conn: Connection) -> SealReport:
    """Compare every table with the latest seal and name each row changed, added or removed since."""
    report = SealReport()
    row = conn.execute("SELECT seq, detail FROM audit_log WHERE action = ? ORDER BY seq DESC LIMIT 1",
                       (SEAL,)).fetchone()
    if row is None:
        return report
    report.seal_seq = int(row[0])
    report.entries_after = int(conn.execute("SELECT count(*) FROM audit_log WHERE seq > ?", (row[0],)).fetchone()[0])
    sealed_roots: dict[str, dict[str, object]] = json.loads(row[1])["tables"]
    sealed: dict[str, dict[str, str]] = {t: {} for t in sealed_roots}
    for tbl, key, digest in conn.execute("SELECT tbl, row_key, digest FROM audit_seal_rows WHERE seal_seq = ?",
                                         (report.seal_seq,)):
        sealed.setdefault(tbl, {})[key] = digest
    for table, rows in sealed.items():
        root = root_of(rows.items()).root
        if table not in sealed_roots or sealed_roots[table]["root"] != root:
            report.broken = f"the row digests of seal {report.seal_seq} for table {table} were altered"
            return report
    current = {t: dict(row_digests(conn, t)) for t in record_tables(conn, exclude=AUDIT_TABLES)}
    for table in sorted(set(sealed) | set(current)):
        before, now = sealed.get(table, {}), current.get(table, {})
        for key in sorted(set(before) | set(now), key=lambda k: (len(k), k)):
            if key not in now:
                report.changes.append(RowChange(table, key, "removed"))
            elif key not in before:
                report.changes.append(RowChange(table, key, "added"))
            elif before[key] != now[key]:
                report.changes.append(RowChange(table, key, "changed"))
    return report
