"""Claims, their review history, the review queue, and review decisions (confirm, correct, reject, attach).

A decision names the claim version it was taken on (``version``, as read from ``GET /claims/{id}``). When someone
else decided on the claim in between, the answer is 409 with what they did (``since``) and the claim as it is now:
read it, then decide again on the current version. Nothing is overwritten; every decision is a new row.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from tawthiq.store.connection import Connection
from tawthiq.web import decisions, read
from tawthiq.web.api import guard, models
from tawthiq.web.api.cursor import DEFAULT_LIMIT, MAX_LIMIT, Keyset
from tawthiq.web.api.tokens import Caller
from tawthiq.web.context import store

router = APIRouter(tags=["claims"])
KEYSET = Keyset("claims", "c.id", "c.id")
QUEUE = Keyset("review-queue", "c.id", "c.id")
_COLUMNS = tuple(models.Claim.model_fields)
_SELECT = f"SELECT {', '.join('c.' + c for c in _COLUMNS)}, c.id AS sort_key FROM claims c"
UNREVIEWED = "NOT EXISTS (SELECT 1 FROM review_decisions r WHERE r.claim_id = c.id AND r.action != 'attach')"


def _page(conn: Connection, keyset: Keyset, where: list[str], params: dict[str, Any], cursor: str | None,
          limit: int) -> models.Page[models.Claim]:
    after, more = keyset.after(cursor)
    sql = f"{_SELECT} WHERE {' AND '.join([*where, after])} {keyset.order_by()} LIMIT :limit"
    rows = [dict(r) for r in conn.execute(sql, {**params, **more, "limit": limit + 1})]
    return models.Page(items=[models.Claim(**r) for r in rows[:limit]], next_cursor=keyset.next_cursor(rows, limit),
                       limit=limit)


@router.get("/claims", response_model=models.Page[models.Claim], dependencies=[guard.VIEWER])
def claims(request: Request, cursor: str | None = None, limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
           kind: str | None = None, document_id: int | None = None,
           outcome: str | None = None) -> models.Page[models.Claim]:
    where, params = ["1 = 1"], {"kind": kind, "doc": document_id, "outcome": outcome}
    where += [sql for sql, value in (("c.kind = :kind", kind), ("c.document_id = :doc", document_id),
                                     ("c.outcome = :outcome", outcome)) if value is not None]
    return _page(store(request).conn, KEYSET, where, params, cursor, limit)


@router.get("/review/queue", response_model=models.Page[models.Claim], dependencies=[guard.ANALYST])
def review_queue(request: Request, cursor: str | None = None, limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
                 kind: str | None = None, document_id: int | None = None) -> models.Page[models.Claim]:
    """Claims no one has confirmed, corrected or rejected yet."""
    where = [UNREVIEWED] + (["c.kind = :kind"] if kind else []) + (["c.document_id = :doc"] if document_id else [])
    return _page(store(request).conn, QUEUE, where, {"kind": kind, "doc": document_id}, cursor, limit)


def _claim(conn: Connection, claim_id: int) -> models.Claim:
    row = conn.execute(f"{_SELECT} WHERE c.id = ?", (claim_id,)).fetchone()
    if row is None:
        raise HTTPException(404, f"no claim {claim_id}")
    return models.Claim(**dict(row))


@router.get("/claims/{claim_id}", response_model=models.ClaimDetail, dependencies=[guard.VIEWER])
def claim(request: Request, claim_id: int) -> models.ClaimDetail:
    conn = store(request).conn
    base = _claim(conn, claim_id)
    history = [models.Decision(**_decision(d)) for d in read.claim_history(conn, claim_id)]
    latest = read.latest_decisions(conn, [claim_id]).get(claim_id)
    incidents = [int(r["id"]) for r in read.incidents_of_claim(conn, claim_id)]
    return models.ClaimDetail(**base.model_dump(), status=latest.action if latest else None, incident_ids=incidents,
                              history=history)


def _decision(d: read.Decision) -> dict[str, Any]:
    return {"id": d.id, "claim_id": d.claim_id, "claim_version": d.claim_version, "action": d.action,
            "reason": d.reason, "changes": d.changes, "incident_key": d.incident_key, "user_name": d.user_name,
            "decided_at": d.decided_at}


@router.get("/claims/{claim_id}/decisions", response_model=list[models.Decision], dependencies=[guard.VIEWER])
def claim_decisions(request: Request, claim_id: int) -> list[models.Decision]:
    conn = store(request).conn
    _claim(conn, claim_id)
    return [models.Decision(**_decision(d)) for d in read.claim_history(conn, claim_id)]


def _fields(conn: Connection, claim_id: int, given: dict[str, str | int | None]) -> dict[str, str]:
    """The correction form as the web sends it: the claim's current values overlaid with those given."""
    unknown = sorted(set(given) - set(decisions.EDITABLE))
    if unknown:
        raise decisions.InvalidDecision([(name, "not a field a reviewer can correct") for name in unknown])
    row = conn.execute(f"SELECT {', '.join(decisions.EDITABLE)} FROM claims WHERE id = ?", (claim_id,)).fetchone()
    if row is None:
        raise HTTPException(404, f"no claim {claim_id}")
    merged = {name: row[name] for name in decisions.EDITABLE} | given
    return {name: "" if value is None else str(value) for name, value in merged.items()}


@router.post("/claims/{claim_id}/decisions", response_model=models.DecisionOut, status_code=201,
             responses={409: {"model": models.Conflict}, 422: {"model": models.Problems}})
def decide(request: Request, claim_id: int, body: models.DecisionIn,
           caller: Caller = guard.ANALYST) -> models.DecisionOut | JSONResponse:
    """Confirm, correct, reject (with a reason) or attach (to ``incident_id``) the claim at ``version``."""
    user = caller.user
    db = store(request)
    try:
        with db.transaction() as conn:
            if body.action == "confirm":
                done = decisions.confirm(conn, claim_id, body.version, user)
            elif body.action == "reject":
                done = decisions.reject(conn, claim_id, body.version, user, body.reason)
            elif body.action == "correct":
                done = decisions.correct(conn, claim_id, body.version, user, _fields(conn, claim_id, body.fields),
                                         body.reason)
            else:
                if body.incident_id is None:
                    raise decisions.InvalidDecision([("incident_id", "give the id of the incident to attach to")])
                done = decisions.attach(conn, claim_id, body.version, user, body.incident_id)
    except decisions.StaleClaim as stale:
        conflict = models.Conflict(detail=stale.message, claim_id=claim_id, seen=stale.seen, current=stale.current,
                                   since=[models.Decision(**_decision(d)) for d in stale.since],
                                   claim=_claim(db.conn, claim_id))
        return JSONResponse(conflict.model_dump(), status_code=409)
    except decisions.InvalidDecision as invalid:
        if any(name == "claim" for name, _ in invalid.problems):
            raise HTTPException(404, f"no claim {claim_id}") from invalid
        return JSONResponse(models.Problems(detail=invalid.message, problems=invalid.problems).model_dump(),
                            status_code=422)
    return models.DecisionOut(decision_id=done.decision_id, claim_id=claim_id, version=done.new_version)
