"""Incidents: the list (the pages' filters), one incident with its speakers' figures side by side, grades, notes, and
the incidents as RFC 7946 GeoJSON (the very bytes `tawthiq export incidents --format geojson` writes)."""

from __future__ import annotations

import datetime as dt
import io

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response

from tawthiq.errors import ExportError
from tawthiq.export import ExportFilters, iter_events
from tawthiq.export.geojson import write as write_geojson
from tawthiq.store.connection import Connection, Row
from tawthiq.web import decisions, read
from tawthiq.web.api import guard, models
from tawthiq.web.api.cursor import DEFAULT_LIMIT, MAX_LIMIT, Keyset
from tawthiq.web.api.tokens import Caller
from tawthiq.web.context import store
from tawthiq.web.filters import IncidentFilter

router = APIRouter(tags=["incidents"])
KEYSET = Keyset("incidents", "coalesce(i.date_start, '')", "i.id", descending=True)  # newest first
_SELECT = (
    "SELECT i.*, coalesce(i.date_start, '') AS sort_key,"
    " (SELECT count(*) FROM incident_claims ic WHERE ic.incident_id = i.id) AS n_claims,"
    " (SELECT g.grade FROM incident_grades g WHERE g.incident_key = i.key ORDER BY g.id DESC LIMIT 1) AS grade"
    " FROM incidents i"
)


def _incident(row: Row) -> models.Incident:
    view = read.incident_view(row)
    return models.Incident(id=view.id, key=view.key, title=view.title, event_type=view.event_type,
                           date_start=view.date_start, date_end=view.date_end, date_prec=view.date_prec,
                           admin1=[str(a) for a in view.admin1], independent_sources=view.stored_independent,
                           claims=int(row["n_claims"]), contradictions=len(view.contradictions), grade=row["grade"])


@router.get("/incidents", response_model=models.Page[models.Incident], dependencies=[guard.VIEWER])
def incidents(request: Request, cursor: str | None = None, limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
              date_from: str | None = Query(None, alias="from", description="YYYY-MM-DD"),
              date_to: str | None = Query(None, alias="to", description="YYYY-MM-DD"),
              admin1: str | None = None, event_type: str | None = None,
              grade: str | None = Query(None, description="a grade, or `ungraded`")) -> models.Page[models.Incident]:
    """Incidents newest first, filtered as the incident list, map and timeline are."""
    flt = IncidentFilter.from_query({k: v for k, v in {"from": date_from, "to": date_to, "admin1": admin1,
                                                       "event_type": event_type, "grade": grade}.items() if v})
    where, params = flt.sql()
    after, more = KEYSET.after(cursor)
    rows = store(request).conn.execute(f"{_SELECT} WHERE {where} AND {after} {KEYSET.order_by()} LIMIT :limit",
                                       {**params, **more, "limit": limit + 1}).fetchall()
    return models.Page(items=[_incident(r) for r in rows[:limit]],
                       next_cursor=KEYSET.next_cursor([dict(r) for r in rows], limit), limit=limit)


@router.get("/incidents/{incident_id}", response_model=models.IncidentDetail, dependencies=[guard.VIEWER])
def incident(request: Request, incident_id: int) -> models.IncidentDetail:
    conn = store(request).conn
    row = conn.execute(f"{_SELECT} WHERE i.id = ?", (incident_id,)).fetchone()
    page = read.incident_page(conn, incident_id) if row is not None else None
    if row is None or page is None:
        raise HTTPException(404, f"no incident {incident_id}")
    tolls = [models.Speaker(speaker=name, claim_ids=[c.id for c in claims]) for name, claims in page.tolls()]
    clashes = {cid: [d.other_claim_id for d in found if not d.compatible]
               for cid, found in page.disagreements.items()}
    return models.IncidentDetail(
        **_incident(row).model_dump(), claim_ids=[c.id for c in page.claims], tolls=tolls,
        independent_documents=page.independence.count, disagreements={k: v for k, v in clashes.items() if v},
        grades=[models.Grade(**dict(g)) for g in page.grades], notes=[models.Note(**dict(n)) for n in page.notes])


def _key(conn: Connection, incident_id: int) -> str:
    row = conn.execute("SELECT key FROM incidents WHERE id = ?", (incident_id,)).fetchone()
    if row is None:
        raise HTTPException(404, f"no incident {incident_id}")
    return str(row["key"])


@router.get("/incidents/{incident_id}/grades", response_model=list[models.Grade], dependencies=[guard.VIEWER])
def grades(request: Request, incident_id: int) -> list[models.Grade]:
    """Verification grades, latest (in force) first."""
    conn = store(request).conn
    rows = conn.execute("SELECT grade, reason, user_name, decided_at FROM incident_grades WHERE incident_key = ?"
                        " ORDER BY id DESC", (_key(conn, incident_id),))
    return [models.Grade(**dict(r)) for r in rows]


@router.post("/incidents/{incident_id}/grades", response_model=models.Created, status_code=201)
def set_grade(request: Request, incident_id: int, body: models.GradeIn,
              caller: Caller = guard.REVIEWER) -> models.Created | JSONResponse:
    with store(request).transaction() as conn:
        _key(conn, incident_id)
        try:
            return models.Created(id=decisions.grade_incident(conn, incident_id, body.grade, body.reason,
                                                              caller.user))
        except decisions.InvalidDecision as invalid:
            return JSONResponse({"detail": invalid.message, "problems": invalid.problems}, status_code=422)


@router.get("/incidents/{incident_id}/notes", response_model=list[models.Note], dependencies=[guard.VIEWER])
def notes(request: Request, incident_id: int) -> list[models.Note]:
    conn = store(request).conn
    rows = conn.execute("SELECT body, user_name, created_at FROM incident_notes WHERE incident_key = ? ORDER BY id",
                        (_key(conn, incident_id),))
    return [models.Note(**dict(r)) for r in rows]


@router.post("/incidents/{incident_id}/notes", response_model=models.Created, status_code=201)
def add_note(request: Request, incident_id: int, body: models.NoteIn,
             caller: Caller = guard.ANALYST) -> models.Created | JSONResponse:
    with store(request).transaction() as conn:
        _key(conn, incident_id)
        try:
            return models.Created(id=decisions.add_note(conn, incident_id, body.body, caller.user))
        except decisions.InvalidDecision as invalid:
            return JSONResponse({"detail": invalid.message, "problems": invalid.problems}, status_code=422)


def _day(value: str | None, name: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError as e:
        raise HTTPException(422, f"{name}={value!r}: not a date (YYYY-MM-DD)") from e


@router.get("/exports/incidents.geojson", dependencies=[guard.VIEWER],
            responses={200: {"content": {"application/geo+json": {}}, "description": "RFC 7946 FeatureCollection"}})
def incidents_geojson(request: Request, date_from: str | None = Query(None, alias="from"),
                      date_to: str | None = Query(None, alias="to"), admin1: str | None = None,
                      event_type: str | None = None, grade: str | None = None) -> Response:
    """The incidents as `tawthiq export incidents --format geojson` writes them (same filters, same bytes)."""
    try:
        filters = ExportFilters(date_from=_day(date_from, "from"), date_to=_day(date_to, "to"), admin1=admin1,
                                event_type=event_type, grade=grade)
        out = io.StringIO()
        write_geojson(iter_events(store(request), "incidents", filters), out)
    except ExportError as e:
        raise HTTPException(422, e.message) from e
    return Response(out.getvalue(), media_type="application/geo+json")
