"""The review queue and the decisions on a claim: confirm, correct, reject with a reason, attach to an incident."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from tawthiq.report.evidence import context_after, context_before, segments
from tawthiq.report.records import ClaimView
from tawthiq.store.connection import Connection, Row
from tawthiq.web import decisions, read
from tawthiq.web.auth import Role
from tawthiq.web.context import checked_form, form_text, render, require, state, store
from tawthiq.web.routes.paging import page_number

router = APIRouter()
KINDS = ("casualty_count", "event", "verification_caveat", "actor_count")
ACTIONS = ("confirm", "correct", "reject", "attach")


def evidence(claim: ClaimView) -> dict[str, Any]:
    return {"before": context_before(claim), "segments": segments(claim), "after": context_after(claim)}


def candidate_incidents(conn: Connection, claim: ClaimView, limit: int = 8) -> list[Row]:
    """Incidents a claim could be attached to: those whose dates overlap the claim's, latest first."""
    start, end = claim["date_start"], claim["date_end"] or claim["date_start"]
    if not start:
        return conn.execute("SELECT id, title FROM incidents ORDER BY date_start DESC LIMIT ?", (limit,)).fetchall()
    return conn.execute(
        "SELECT id, title FROM incidents WHERE date_start <= ? AND coalesce(date_end, date_start) >= ?"
        " ORDER BY date_start DESC LIMIT ?",
        (end, start, limit),
    ).fetchall()


def card_values(conn: Connection, claim: ClaimView) -> dict[str, Any]:
    return {
        "claim": claim,
        "ev": evidence(claim),
        "candidates": candidate_incidents(conn, claim),
        "in_incidents": read.incidents_of_claim(conn, claim.id),
        "history": read.claim_history(conn, claim.id),
        "kinds": KINDS,
    }


@router.get("/review")
def queue(request: Request, kind: str = "", page: str = "1", document: str = "") -> Response:
    require(request, Role.ANALYST)
    conn = store(request).conn
    size = state(request).settings.page_size // 5 or 10
    number = page_number(page)
    chosen = kind if kind in KINDS else None
    doc = int(document) if document.isdigit() else None
    claims, total = read.review_queue(conn, chosen, (number - 1) * size, size, doc)
    cards = [card_values(conn, c) for c in claims]
    return render(request, "review.html", cards=cards, total=total, page=number, size=size, kind=chosen or "",
                  kinds=KINDS, document=doc or "")


@router.get("/claims/{claim_id}")
def claim_page(request: Request, claim_id: int) -> Response:
    session = require(request)
    conn = store(request).conn
    claim = read.claim_view(conn, claim_id)
    if claim is None:
        raise HTTPException(404, f"no claim {claim_id}")
    editable = session.user.can(Role.ANALYST)
    return render(request, "claim.html", **card_values(conn, claim), editable=editable, outcome=None)


@router.post("/claims/{claim_id}/decide")
async def decide(request: Request, claim_id: int) -> Response:
    session = require(request, Role.ANALYST)
    form = await checked_form(request)
    action = form_text(form, "action", 20)
    seen = form_text(form, "version", 12)
    if action not in ACTIONS or not seen.isdigit():
        raise HTTPException(422, "choose an action (confirm, correct, reject, attach) on a known version")
    user = session.user
    try:
        with store(request).transaction() as conn:
            if action == "confirm":
                decisions.confirm(conn, claim_id, int(seen), user)
            elif action == "reject":
                decisions.reject(conn, claim_id, int(seen), user, form_text(form, "reason"))
            elif action == "correct":
                fields = {name: form_text(form, name, 200) for name in decisions.EDITABLE}
                decisions.correct(conn, claim_id, int(seen), user, fields, form_text(form, "reason"))
            else:
                target = form_text(form, "incident_id", 12)
                if not target.isdigit():
                    raise decisions.InvalidDecision([("incident", "give the number of an incident")])
                decisions.attach(conn, claim_id, int(seen), user, int(target))
    except decisions.StaleClaim as stale:
        return _outcome(request, claim_id, 409, conflict=stale)
    except decisions.InvalidDecision as invalid:
        return _outcome(request, claim_id, 422, problems=invalid.problems)
    if request.headers.get("HX-Request") == "true":
        return _outcome(request, claim_id, 200, done=action)
    back = form_text(form, "next") or "/review"
    return RedirectResponse(back if back.startswith("/") and not back.startswith("//") else "/review", 303)


def _outcome(request: Request, claim_id: int, status: int, **outcome: object) -> Response:
    """The claim as it is now, with what just happened (done, a conflict, or the problems of the form)."""
    conn = store(request).conn
    claim = read.claim_view(conn, claim_id)
    if claim is None:
        raise HTTPException(404, f"no claim {claim_id}")
    values = {"done": None, "conflict": None, "problems": None, **outcome}
    template = "_review_card.html" if request.headers.get("HX-Request") == "true" else "claim.html"
    return render(request, template, status_code=status, **card_values(conn, claim), editable=True, outcome=values)
