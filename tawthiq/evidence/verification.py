"""Verification records per item, following the Berkeley Protocol's analysis phases.

Each step is one row: which phase (``source``, ``technical``, ``content``, and the two content analyses that carry
their own data, ``geolocation`` with coordinates and precision and ``chronolocation`` with a time window), who did it,
when (UTC), how (``method``), what they found (``finding``) and whether it supports the item (``conclusion``:
consistent, inconsistent, inconclusive). Steps are appended, never edited: a later step that revises an earlier one is
a new row, and the audit log records both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from tawthiq.errors import EvidenceError
from tawthiq.evidence.audit import record_event
from tawthiq.store.connection import Connection

STEPS = ("source", "technical", "content", "geolocation", "chronolocation")
PHASES = ("source", "technical", "content")  # the three the protocol requires of every item
CONCLUSIONS = ("consistent", "inconsistent", "inconclusive")


@dataclass(frozen=True, slots=True)
class Step:
    step: str
    analyst: str
    finding: str
    conclusion: str
    method: str = ""
    at: str = ""  # UTC ISO 8601; empty: now
    latitude: float | None = None
    longitude: float | None = None
    precision_m: float | None = None
    not_before: str | None = None
    not_after: str | None = None

    def problems(self) -> list[str]:
        found = []
        if self.step not in STEPS:
            found.append(f"step {self.step!r} is not one of {', '.join(STEPS)}")
        if not self.analyst.strip():
            found.append("who did it is missing (--analyst)")
        if not self.finding.strip():
            found.append("what was found is missing (--finding)")
        if self.conclusion not in CONCLUSIONS:
            found.append(f"conclusion {self.conclusion!r} is not one of {', '.join(CONCLUSIONS)}")
        if self.step == "geolocation":
            found.extend(_geo_problems(self))
        if self.step == "chronolocation":
            found.extend(_chrono_problems(self))
        return found


def _geo_problems(s: Step) -> list[str]:
    if s.latitude is None or s.longitude is None or s.precision_m is None:
        return ["a geolocation needs --lat, --lon and --precision-m"]
    found = []
    if not -90 <= s.latitude <= 90:
        found.append(f"latitude {s.latitude} is outside -90..90")
    if not -180 <= s.longitude <= 180:
        found.append(f"longitude {s.longitude} is outside -180..180")
    if not s.precision_m > 0:
        found.append(f"precision {s.precision_m} m must be above 0")
    return found


def parse_utc(text: str, what: str) -> dt.datetime:
    """An ISO 8601 time with a zone (``Z`` or an offset), in UTC; a clear error otherwise."""
    try:
        value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as e:
        raise EvidenceError(f"{what} {text!r}: not an ISO 8601 time (e.g. 2025-03-07T14:05:00Z)") from e
    if value.tzinfo is None:
        raise EvidenceError(f"{what} {text!r}: give a time zone (Z for UTC, or +03:00)")
    return value.astimezone(dt.UTC)


def _chrono_problems(s: Step) -> list[str]:
    if not (s.not_before or s.not_after):
        return ["a chronolocation needs --not-before and/or --not-after"]
    try:
        times = [parse_utc(t, "time") for t in (s.not_before, s.not_after) if t]
    except EvidenceError as e:
        return [e.message]
    if len(times) == 2 and times[0] > times[1]:
        return ["--not-before is after --not-after"]
    return []


def add_step(conn: Connection, sha256: str, step: Step) -> int:
    """Record a verification step for an item in the vault (caller's transaction); return its id."""
    problems = step.problems()
    if conn.execute("SELECT 1 FROM evidence_items WHERE sha256 = ?", (sha256,)).fetchone() is None:
        problems.insert(0, "no such item in the vault (add it with `tawthiq evidence add`)")
    if problems:
        raise EvidenceError(f"verification of {sha256[:16]}: " + "; ".join(problems))
    at = step.at or dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    window = [parse_utc(t, "time").strftime("%Y-%m-%dT%H:%M:%SZ") if t else None
              for t in (step.not_before, step.not_after)]
    cur = conn.execute(
        "INSERT INTO verification_steps (item_sha256, step, analyst, at, method, finding, conclusion, latitude, "
        "longitude, precision_m, not_before, not_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (sha256, step.step, step.analyst, at, step.method, step.finding, step.conclusion, step.latitude,
         step.longitude, step.precision_m, window[0], window[1]),
    )
    detail = {k: v for k, v in asdict(step).items() if v not in (None, "")}
    record_event(conn, "verification." + step.step, sha256, {**detail, "at": at})
    return int(cur.fetchone()[0])


def steps(conn: Connection, sha256: str) -> list[Step]:
    rows = conn.execute(
        "SELECT step, analyst, finding, conclusion, method, at, latitude, longitude, precision_m, not_before, "
        "not_after FROM verification_steps WHERE item_sha256 = ? ORDER BY id", (sha256,),
    ).fetchall()
    return [Step(*tuple(r)) for r in rows]


def summary(conn: Connection, sha256: str) -> dict[str, object]:
    """The latest conclusion of each step, which required phases are still to do, and the geolocation found."""
    latest: dict[str, Step] = {}
    for s in steps(conn, sha256):
        latest[s.step] = s
    result: dict[str, object] = {name: latest[name].conclusion for name in STEPS if name in latest}
    result["missing_phases"] = [p for p in PHASES if p not in latest and not (p == "content" and _content_done(latest))]
    geo = latest.get("geolocation")
    if geo is not None and geo.conclusion == "consistent":
        result["location"] = {"latitude": geo.latitude, "longitude": geo.longitude, "precision_m": geo.precision_m}
    chrono = latest.get("chronolocation")
    if chrono is not None and chrono.conclusion == "consistent":
        result["time"] = {"not_before": chrono.not_before, "not_after": chrono.not_after}
    return result


def _content_done(latest: dict[str, Step]) -> bool:
    return "geolocation" in latest or "chronolocation" in latest
