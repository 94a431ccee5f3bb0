"""Victims: the list of records with filters (every role), a person's linked records and scores (analysts), and the
confirm / split decisions on a person (through :mod:`tawthiq.link.review`, so the next link run keeps them)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from tawthiq.errors import LinkageError
from tawthiq.link import review as link_review
from tawthiq.web import victims
from tawthiq.web.auth import Role
from tawthiq.web.context import checked_form, form_text, render, require, state, store
from tawthiq.web.routes.paging import page_count, page_number

router = APIRouter()


@router.get("/victims")
def victim_list(request: Request) -> Response:
    session = require(request)
    conn = store(request).conn
    flt = victims.VictimFilter.from_query(request.query_params)
    size = state(request).settings.page_size
    number = page_number(request.query_params.get("page"))
    rows, total = victims.list_victims(conn, flt, (number - 1) * size, size)
    return render(request, "victims.html", rows=rows, total=total, page=number, pages=page_count(total, size),
                  vf=flt, choices=victims.choices(conn), base="/victims", flt=None,
                  can_open=session.user.can(Role.ANALYST))


@router.get("/persons/{person_id}")
def person(request: Request, person_id: int) -> Response:
    require(request, Role.ANALYST)
    page = victims.person_page(store(request).conn, person_id)
    if page is None:
        raise HTTPException(404, f"no person {person_id}")
    return render(request, "person.html", person=page, error=None)


@router.post("/persons/{person_id}/decide")
async def decide(request: Request, person_id: int) -> Response:
    """``action=confirm``, or ``action=split`` with ``group_<record id>`` = a group number for each record."""
    session = require(request, Role.ANALYST)
    form = await checked_form(request)
    action, note = form_text(form, "action", 10), form_text(form, "note")
    db = store(request)
    try:
        if action == "confirm":
            link_review.confirm(db, person_id, analyst=session.user.name, note=note)
        elif action == "split":
            link_review.split(db, person_id, _groups(form), analyst=session.user.name, note=note)
        else:
            raise HTTPException(422, "choose confirm or split")
    except LinkageError as e:
        page = victims.person_page(db.conn, person_id)
        if page is None:
            raise HTTPException(404, f"no person {person_id}") from e
        return render(request, "person.html", status_code=422, person=page, error=str(e))
    return RedirectResponse(f"/persons/{person_id}", status_code=303)


def _groups(form: FormData) -> list[list[int]]:
    """Record ids grouped by the number chosen beside each (records left in group 1 stay together as the rest)."""
    groups: dict[str, list[int]] = {}
    for key, value in form.multi_items():
        number = value.strip() if isinstance(value, str) else ""
        if key.startswith("group_") and key[6:].isdigit() and number.isdigit() and number != "1":
            groups.setdefault(number, []).append(int(key[6:]))
    return [groups[k] for k in sorted(groups, key=int)]
