"""The incident filter shared by the incident list, the map and the timeline: date, governorate, event type, grade.

A filter is read from the query string (unknown or malformed values are dropped, never passed to SQL) and turned into
one parameterised SQL condition over ``incidents i``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from tawthiq.extract.places import Gazetteer
from tawthiq.store.connection import Connection, json_item_pattern
from tawthiq.web.read import GRADES, incident_view

UNGRADED = "ungraded"


def _date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class IncidentFilter:
    date_from: str | None = None
    date_to: str | None = None
    admin1: str | None = None
    event_type: str | None = None
    grade: str | None = None

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> IncidentFilter:
        admin1 = query.get("admin1") or None
        grade = query.get("grade") or None
        return cls(
            date_from=_date(query.get("from")),
            date_to=_date(query.get("to")),
            admin1=admin1 if admin1 in governorates() else None,
            event_type=(query.get("event_type") or "").strip()[:80] or None,
            grade=grade if grade in (*GRADES, UNGRADED) else None,
        )

    def sql(self) -> tuple[str, dict[str, Any]]:
        """A condition over ``incidents i`` and its parameters."""
        parts = ["1 = 1"]
        params: dict[str, Any] = {}
        if self.date_from:
            parts.append("coalesce(i.date_end, i.date_start) >= :date_from")
            params["date_from"] = self.date_from
        if self.date_to:
            parts.append("i.date_start <= :date_to")
            params["date_to"] = self.date_to
        if self.admin1:
            parts.append("i.admin1 LIKE :admin1 ESCAPE '!'")
            params["admin1"] = json_item_pattern(self.admin1)
        if self.event_type:
            parts.append("i.event_type = :event_type")
            params["event_type"] = self.event_type
        if self.grade == UNGRADED:
            parts.append("NOT EXISTS (SELECT 1 FROM incident_grades g WHERE g.incident_key = i.key)")
        elif self.grade:
            parts.append("(SELECT g.grade FROM incident_grades g WHERE g.incident_key = i.key"
                         " ORDER BY g.id DESC LIMIT 1) = :grade")
            params["grade"] = self.grade
        return " AND ".join(parts), params

    def query_string(self, **extra: object) -> str:
        pairs = {"from": self.date_from, "to": self.date_to, "admin1": self.admin1, "event_type": self.event_type,
                 "grade": self.grade, **extra}
        return urlencode({k: v for k, v in pairs.items() if v not in (None, "")})


def governorates() -> list[str]:
    return Gazetteer.load().governorates()


def event_types(conn: Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT DISTINCT event_type FROM incidents WHERE event_type IS NOT NULL"
                                       " ORDER BY 1")]


@dataclass(slots=True)
class IncidentRow:
    id: int
    key: str
    title: str
    event_type: str | None
    date_start: str | None
    date_end: str | None
    date_prec: int | None
    admin1: list[str]
    independent_sources: int
    claims: int
    contradictions: int
    grade: str | None


def list_incidents(
    conn: Connection, flt: IncidentFilter, offset: int = 0, limit: int | None = 50
) -> tuple[list[IncidentRow], int]:
    """One page of incidents matching ``flt`` (all of them when ``limit`` is None), and how many match."""
    where, params = flt.sql()
    total = int(conn.execute(f"SELECT count(*) FROM incidents i WHERE {where}", params).fetchone()[0])
    page = "" if limit is None else "LIMIT :limit OFFSET :offset"
    rows = conn.execute(
        f"SELECT i.*, (SELECT count(*) FROM incident_claims ic WHERE ic.incident_id = i.id) AS n_claims,"
        f" (SELECT g.grade FROM incident_grades g WHERE g.incident_key = i.key ORDER BY g.id DESC LIMIT 1) AS grade"
        f" FROM incidents i WHERE {where} ORDER BY i.date_start IS NULL, i.date_start DESC, i.id {page}",
        {**params, "limit": limit, "offset": offset},
    ).fetchall()
    out = []
    for r in rows:
        view = incident_view(r)
        out.append(IncidentRow(
            id=view.id, key=view.key, title=view.title, event_type=view.event_type, date_start=view.date_start,
            date_end=view.date_end, date_prec=view.date_prec, admin1=[str(a) for a in view.admin1],
            independent_sources=view.stored_independent, claims=int(r["n_claims"]),
            contradictions=len(view.contradictions), grade=r["grade"],
        ))
    return out, total


def incidents_geojson(rows: list[IncidentRow], base_url: str = "/incidents/") -> dict[str, Any]:
    """Incidents as points at the label point of each of their governorates (the map's markers)."""
    labels = {f["properties"]["name"]: f["properties"] for f in governorate_geojson()["features"]}
    features = []
    for row in rows:
        for name in row.admin1:
            props = labels.get(name)
            if props is None:
                continue
            features.append({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [props["label_longitude"], props["label_latitude"]]},
                "properties": {"id": row.id, "title": row.title, "url": f"{base_url}{row.id}", "admin1": name,
                               "date_start": row.date_start, "grade": row.grade or UNGRADED,
                               "claims": row.claims},
            })
    return {"type": "FeatureCollection", "features": features}


def governorate_geojson() -> dict[str, Any]:
    return Gazetteer.load().governorate_geojson()


def governorate_counts(rows: list[IncidentRow]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in rows:
        for name in row.admin1:
            counts[name] = counts.get(name, 0) + 1
    return counts


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
