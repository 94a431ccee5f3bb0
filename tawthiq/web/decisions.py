"""Reviewers' decisions: confirm, correct, reject or attach a claim; grade an incident; write a note.

Every decision is a new row naming who and when; nothing is overwritten. A claim decision is taken on the version of
the claim the reviewer saw (``claims.version``): the update succeeds only if the claim is still at that version and
bumps it, so two reviewers working on the same claim cannot silently overwrite each other. The second one gets
:class:`StaleClaim`, which carries the decisions taken since the version they saw, to show them what changed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass

from tawthiq.errors import ConflictError, TawthiqError
from tawthiq.evidence.audit import record_event
from tawthiq.extract.places import Gazetteer
from tawthiq.model import Outcome, Population
from tawthiq.store.connection import Connection
from tawthiq.web.auth import User
from tawthiq.web.read import GRADES, Decision, decision

# Fields a reviewer may correct, and how each is read from a form.
EDITABLE = ("outcome", "population", "low", "best", "high", "date_start", "date_end", "place", "admin1",
            "attributed_to", "caveat", "event_type")
_INTEGERS = ("low", "best", "high")
_DATES = ("date_start", "date_end")


class StaleClaim(ConflictError):
    """The claim changed since the reviewer loaded it; ``since`` lists the decisions taken in between."""

    def __init__(self, claim_id: int, seen: int, current: int, since: list[Decision]) -> None:
        who = ", ".join(sorted({d.user_name for d in since})) or "another process"
        super().__init__(f"claim {claim_id}: changed by {who} since you opened it (version {seen} → {current})",
                         hint="review the other change below, then decide again on the current version")
        self.claim_id = claim_id
        self.seen = seen
        self.current = current
        self.since = since


class InvalidDecision(TawthiqError):
    """A decision whose fields are invalid; ``problems`` lists every one (field, reason)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{name}: {reason}" for name, reason in problems))
        self.problems = problems


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class Recorded:
    decision_id: int
    new_version: int


def _bump(conn: Connection, claim_id: int, seen: int, sets: str = "", values: tuple[object, ...] = ()) -> int:
    """Move the claim from version ``seen`` to the next (applying ``sets``), or raise :class:`StaleClaim`."""
    cur = conn.execute(
        f"UPDATE claims SET {sets + ', ' if sets else ''}version = version + 1 WHERE id = ? AND version = ?",
        (*values, claim_id, seen),
    )
    if cur.rowcount == 1:
        return seen + 1
    row = conn.execute("SELECT version FROM claims WHERE id = ?", (claim_id,)).fetchone()
    if row is None:
        raise InvalidDecision([("claim", f"no claim {claim_id} in the store")])
    since = [decision(r) for r in conn.execute(
        "SELECT * FROM review_decisions WHERE claim_id = ? AND claim_version >= ? ORDER BY id", (claim_id, seen)
    )]
    raise StaleClaim(claim_id, seen, int(row["version"]), since)


def _record(conn: Connection, claim_id: int, seen: int, action: str, user: User, *, reason: str = "",
            changes: Mapping[str, list[object]] | None = None, incident_key: str | None = None) -> int:
    ident = conn.execute(
        "SELECT d.sha256, c.seq FROM claims c JOIN documents d ON d.id = c.document_id WHERE c.id = ?", (claim_id,)
    ).fetchone()
    cur = conn.execute(
        "INSERT INTO review_decisions (claim_id, document_sha256, claim_seq, claim_version, action, reason, changes,"
        " incident_key, user_id, user_name, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (claim_id, ident["sha256"], ident["seq"], seen, action, reason,
         json.dumps(changes or {}, ensure_ascii=False), incident_key, user.id, user.name, _now()),
    )
    decision_id = int(cur.fetchone()[0])
    record_event(conn, f"review.{action}", f"claim {ident['sha256'][:12]}#{ident['seq']}",
                 {"decision": decision_id, "claim_version": seen, "by": user.name, "fields": sorted(changes or {})})
    return decision_id


def confirm(conn: Connection, claim_id: int, seen: int, user: User) -> Recorded:
    version = _bump(conn, claim_id, seen)
    return Recorded(_record(conn, claim_id, seen, "confirm", user), version)


def reject(conn: Connection, claim_id: int, seen: int, user: User, reason: str) -> Recorded:
    if not reason.strip():
        raise InvalidDecision([("reason", "say why the claim is rejected")])
    version = _bump(conn, claim_id, seen)
    return Recorded(_record(conn, claim_id, seen, "reject", user, reason=reason.strip()), version)


def correct(conn: Connection, claim_id: int, seen: int, user: User, fields: Mapping[str, str],
            reason: str = "") -> Recorded:
    """Set the corrected fields (all checked first; every problem reported together) and record before/after."""
    values = parse_fields(fields)
    row = conn.execute(f"SELECT {', '.join(EDITABLE)} FROM claims WHERE id = ?", (claim_id,)).fetchone()
    if row is None:
        raise InvalidDecision([("claim", f"no claim {claim_id} in the store")])
    changes = {k: [row[k], v] for k, v in values.items() if row[k] != v}
    if not changes:
        raise InvalidDecision([("fields", "nothing was changed; use confirm when the claim is right as it is")])
    sets = ", ".join(f"{k} = ?" for k in changes)
    version = _bump(conn, claim_id, seen, sets, tuple(v[1] for v in changes.values()))
    return Recorded(_record(conn, claim_id, seen, "correct", user, reason=reason.strip(), changes=changes), version)


def parse_fields(fields: Mapping[str, str]) -> dict[str, object]:
    """The editable fields of a correction form, typed; raises :class:`InvalidDecision` listing every problem."""
    problems: list[tuple[str, str]] = []
    out: dict[str, object] = {}
    for name in EDITABLE:
        raw = (fields.get(name) or "").strip()
        if name in _INTEGERS:
            if raw and not raw.isdigit():
                problems.append((name, f"{raw!r} is not a whole number of people"))
            out[name] = int(raw) if raw.isdigit() else None
        elif name in _DATES:
            try:
                out[name] = dt.date.fromisoformat(raw).isoformat() if raw else None
            except ValueError:
                problems.append((name, f"{raw!r} is not a date (YYYY-MM-DD)"))
        else:
            out[name] = raw or None
    _check_codes(out, problems)
    if not problems:
        _check_order(out, problems)
    if problems:
        raise InvalidDecision(problems)
    return out


def _check_codes(out: dict[str, object], problems: list[tuple[str, str]]) -> None:
    if out["outcome"] and out["outcome"] not in {o.value for o in Outcome}:
        problems.append(("outcome", f"{out['outcome']!r} is not one of {', '.join(o.value for o in Outcome)}"))
    if out["population"] and out["population"] not in {p.value for p in Population}:
        problems.append(("population", f"{out['population']!r} is not a known population"))
    if out["admin1"] and out["admin1"] not in Gazetteer.load().governorates():
        problems.append(("admin1", f"{out['admin1']!r} is not one of Syria's governorates"))


def _check_order(out: dict[str, object], problems: list[tuple[str, str]]) -> None:
    low, best, high = (out[k] for k in _INTEGERS)
    known = [v for v in (low, best, high) if isinstance(v, int)]
    if known != sorted(known):
        problems.append(("best", "low ≤ best ≤ high must hold"))
    start, end = out["date_start"], out["date_end"]
    if isinstance(start, str) and isinstance(end, str) and end < start:
        problems.append(("date_end", "the end date is before the start date"))


def attach(conn: Connection, claim_id: int, seen: int, user: User, incident_id: int) -> Recorded:
    """Put the claim into an incident (beside the machine grouping) and record it by the incident's stable key."""
    incident = conn.execute("SELECT key FROM incidents WHERE id = ?", (incident_id,)).fetchone()
    if incident is None:
        raise InvalidDecision([("incident", f"no incident {incident_id}")])
    version = _bump(conn, claim_id, seen)
    conn.execute("INSERT INTO incident_claims (incident_id, claim_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                 (incident_id, claim_id))
    return Recorded(_record(conn, claim_id, seen, "attach", user, incident_key=incident["key"]), version)


def reapply_attachments(conn: Connection) -> int:
    """Re-attach claims that reviewers attached, after a regrouping replaced the machine's incidents.

    Claims are found by (document hash, sequence) and incidents by key; those no longer in the store are skipped.
    Returns how many links were added.
    """
    cur = conn.execute(
        "INSERT INTO incident_claims (incident_id, claim_id)"
        " SELECT i.id, c.id FROM review_decisions r"
        " JOIN documents d ON d.sha256 = r.document_sha256"
        " JOIN claims c ON c.document_id = d.id AND c.seq = r.claim_seq"
        " JOIN incidents i ON i.key = r.incident_key WHERE r.action = 'attach' ON CONFLICT DO NOTHING"
    )
    return cur.rowcount


def grade_incident(conn: Connection, incident_id: int, grade: str, reason: str, user: User) -> int:
    if grade not in GRADES:
        raise InvalidDecision([("grade", f"{grade!r} is not one of {', '.join(GRADES)}")])
    incident = conn.execute("SELECT key FROM incidents WHERE id = ?", (incident_id,)).fetchone()
    if incident is None:
        raise InvalidDecision([("incident", f"no incident {incident_id}")])
    cur = conn.execute(
        "INSERT INTO incident_grades (incident_key, grade, reason, user_id, user_name, decided_at)"
        " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        (incident["key"], grade, reason.strip(), user.id, user.name, _now()),
    )
    return int(cur.fetchone()[0])


def add_note(conn: Connection, incident_id: int, body: str, user: User) -> int:
    if not body.strip():
        raise InvalidDecision([("note", "the note is empty")])
    incident = conn.execute("SELECT key FROM incidents WHERE id = ?", (incident_id,)).fetchone()
    if incident is None:
        raise InvalidDecision([("incident", f"no incident {incident_id}")])
    cur = conn.execute(
        "INSERT INTO incident_notes (incident_key, body, user_id, user_name, created_at) VALUES (?, ?, ?, ?, ?)"
        " RETURNING id",
        (incident["key"], body.strip(), user.id, user.name, _now()),
    )
    return int(cur.fetchone()[0])
