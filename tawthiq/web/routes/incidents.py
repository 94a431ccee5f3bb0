"""The incident list (filtered, paged) and the incident page: claims side by side, grade, notes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from tawthiq.store.connection import Connection
from tawthiq.web import decisions, read
from tawthiq.web.auth import Role
from tawthiq.web.context import checked_form, form_text, render, render_shared, require, state, store
from tawthiq.web.filters import IncidentFilter, IncidentRow, event_types, governorates, list_incidents
from tawthiq.web.routes.paging import page_count, page_number

router = APIRouter()


@router.get("/incidents")
async def incident_list(request: Request) -> Response:
    flt = IncidentFilter.from_query(request.query_params)
    size = state(request).settings.page_size
    number = page_number(request.query_params.get("page"))
    template = "_incident_rows.html" if request.headers.get("HX-Request") == "true" else "incidents.html"

    def rows(conn: Connection) -> tuple[list[IncidentRow], int, list[str]]:
        found, total = list_incidents(conn, flt, (number - 1) * size, size)
        return found, total, event_types(conn)

    def values(found: tuple[list[IncidentRow], int, list[str]]) -> dict[str, Any]:
        return {"rows": found[0], "total": found[1], "page": number, "pages": page_count(found[1], size),
                "flt": flt, "governorates": governorates(), "event_types": found[2], "grades": read.GRADES,
                "base": "/incidents"}

    return await render_shared(request, template, rows, values)


@router.get("/incidents/{incident_id}")
async def incident(request: Request, incident_id: int) -> Response:
    session = require(request)
    figures = page_number(request.query_params.get("figures"))

    def rows(conn: Connection) -> read.IncidentRows:
        found = read.incident_rows(conn, incident_id)
        if found is None:
            raise HTTPException(404, f"no incident {incident_id}")
        return found

    def values(found: read.IncidentRows) -> dict[str, Any]:
        page = read.build_incident_page(found)
        page.figure_page = min(figures, page.figure_pages)
        return {"page": page, "grades": read.GRADES,
                "can_grade": session.user.can(Role.REVIEWER), "can_note": session.user.can(Role.ANALYST),
                "problems": None}

    return await render_shared(request, "incident.html", rows, values)


@router.get("/incidents/{incident_id}/disagreements/{claim_id}")
async def disagreements(request: Request, incident_id: int, claim_id: int) -> Response:
    """Every figure of another speaker that differs from claim ``claim_id`` of the incident: a page of its own, or
    (for HTMX) the list alone, swapped into the claim's cell of the incident page in place of its summary."""
    template = "_disagreements.html" if request.headers.get("HX-Request") == "true" else "disagreements.html"
    number = page_number(request.query_params.get("page"))

    def rows(conn: Connection) -> read.IncidentRows:
        found = read.incident_rows(conn, incident_id)
        if found is None or not any(int(c["id"]) == claim_id and read.is_figure(c) for c in found.claims):
            raise HTTPException(404, f"no casualty figure {claim_id} in incident {incident_id}")
        return found

    def values(found: read.IncidentRows) -> dict[str, Any]:
        page = read.build_incident_page(found)
        claim = next(c for c in page.casualty_claims if c.id == claim_id)
        every = page.disagreements.get(claim_id, [])
        pages = page_count(len(every), read.DIFFS_PER_PAGE)
        shown = min(number, pages)
        start = (shown - 1) * read.DIFFS_PER_PAGE
        return {"page": page, "claim": claim, "diffs": every[start:start + read.DIFFS_PER_PAGE],
                "diffs_page": shown, "diffs_pages": pages, "diffs_total": len(every),
                "diffs_base": f"/incidents/{incident_id:d}/disagreements/{claim_id:d}"}

    return await render_shared(request, template, rows, values)


@router.post("/incidents/{incident_id}/grade")
async def grade(request: Request, incident_id: int) -> Response:
    session = require(request, Role.REVIEWER)
    form = await checked_form(request)
    try:
        with store(request).transaction() as conn:
            decisions.grade_incident(conn, incident_id, form_text(form, "grade", 20), form_text(form, "reason"),
                                     session.user)
    except decisions.InvalidDecision as invalid:
        return _again(request, incident_id, invalid.problems)
    return RedirectResponse(f"/incidents/{incident_id}#grade", status_code=303)


@router.post("/incidents/{incident_id}/notes")
async def note(request: Request, incident_id: int) -> Response:
    session = require(request, Role.ANALYST)
    form = await checked_form(request)
    try:
        with store(request).transaction() as conn:
            decisions.add_note(conn, incident_id, form_text(form, "body", 10_000), session.user)
    except decisions.InvalidDecision as invalid:
        return _again(request, incident_id, invalid.problems)
    return RedirectResponse(f"/incidents/{incident_id}#notes", status_code=303)


def _again(request: Request, incident_id: int, problems: list[tuple[str, str]]) -> Response:
    session = require(request)
    page = read.incident_page(store(request).conn, incident_id)
    if page is None:
        raise HTTPException(404, f"no incident {incident_id}")
    return render(request, "incident.html", status_code=422, page=page, grades=read.GRADES,
                  can_grade=session.user.can(Role.REVIEWER), can_note=session.user.can(Role.ANALYST),
                  problems=problems)
