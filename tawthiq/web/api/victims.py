"""Victims: the list of records (every role; the pages' columns), extra columns for analysts on request, a person's
linked records (analysts).

Access follows the pages. A viewer gets only the list's columns (:data:`tawthiq.web.victims.LIST_COLUMNS`); asking
for any other (``fields=father_name``) is refused with 403, never silently dropped. Witness identities, contact
details and testimonies are not released through the API to anyone: a field whose name suggests them
(:data:`tawthiq.web.victims.PROTECTED_KEY`), or an unmapped column of that kind, is refused or shown as *withheld*.
They live in the protected evidence store (``tawthiq.evidence``), released only by its evidentiary export with the
witness's consent; the API has no such endpoint and this module never reads those tables.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request

from tawthiq.web import victims
from tawthiq.web.api import guard, models
from tawthiq.web.api.cursor import DEFAULT_LIMIT, MAX_LIMIT, Keyset
from tawthiq.web.api.tokens import Caller
from tawthiq.web.auth import Role
from tawthiq.web.context import store

router = APIRouter(tags=["victims"])
KEYSET = Keyset("victims", "coalesce(v.date_of_death, '')", "v.id")
ANALYST_FIELDS = (*(c for c in victims.RECORD_COLUMNS if c not in victims.LIST_COLUMNS), "extra")
IDENTITY_WORDS = ("identity", "testimony", "testimonies", "pseudonym", "name_of_witness")


def requested_fields(raw: str | None, role: Role) -> list[str]:
    """The extra fields asked for, each checked against the caller's role; 403 naming the first refused one."""
    names = [n.strip() for n in (raw or "").split(",") if n.strip()]
    for name in names:
        if victims.PROTECTED_KEY.search(name) or any(w in name.casefold() for w in IDENTITY_WORDS):
            raise HTTPException(403, f"field {name!r}: witness identities, contact details and testimonies are not "
                                     "released through the API; they stay in the protected evidence store")
        if name in victims.LIST_COLUMNS:
            continue
        if name not in ANALYST_FIELDS:
            raise HTTPException(422, f"field {name!r}: not a field of a victim record "
                                     f"(one of {', '.join(ANALYST_FIELDS)})")
        if not role.at_least(Role.ANALYST):
            raise HTTPException(403, f"field {name!r}: a victim record's source fields need the analyst role")
    return [n for n in dict.fromkeys(names) if n not in victims.LIST_COLUMNS]


@router.get("/victims", response_model=models.Page[models.Victim])
def victim_list(request: Request, cursor: str | None = None, limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
                list_name: str | None = Query(None, alias="list"), governorate: str | None = None,
                sex: str | None = None, status: str | None = None, name: str | None = None,
                date_from: str | None = Query(None, alias="from"), date_to: str | None = Query(None, alias="to"),
                fields: str | None = Query(None, description="extra fields, comma-separated (analysts)"),
                caller: Caller = guard.VIEWER) -> models.Page[models.Victim]:
    """Victim records ordered by date of death (undated first), then id."""
    more = requested_fields(fields, caller.user.role)
    query = {"list": list_name, "governorate": governorate, "sex": sex, "status": status, "name": name,
             "from": date_from, "to": date_to}
    where, params = victims.VictimFilter.from_query({k: v for k, v in query.items() if v}).sql()
    after, position = KEYSET.after(cursor)
    columns = [f"v.{c}" for c in (*victims.LIST_COLUMNS, *more)]
    rows = [dict(r) for r in store(request).conn.execute(
        f"SELECT {', '.join(columns)}, {KEYSET.key} AS sort_key,"
        " (SELECT person_id FROM person_records pr WHERE pr.record_id = v.id) AS person_id"
        f" FROM victim_records v WHERE {where} AND {after} {KEYSET.order_by()} LIMIT :limit",
        {**params, **position, "limit": limit + 1})]
    return models.Page(items=[_victim(r, more) for r in rows[:limit]], next_cursor=KEYSET.next_cursor(rows, limit),
                       limit=limit)


def _victim(row: dict[str, Any], more: list[str]) -> models.Victim:
    extra = {name: row[name] for name in more}
    if "extra" in extra:
        extra["extra"] = victims.safe_extra(extra["extra"])
    base = {c: row[c] for c in victims.LIST_COLUMNS}
    return models.Victim(**base, person_id=row["person_id"], more=extra)


@router.get("/persons/{person_id}", response_model=models.Person, dependencies=[guard.ANALYST])
def person(request: Request, person_id: int) -> models.Person:
    """A person's linked records, how each was linked (probability, weights), and the analysts' decisions; unmapped
    columns that look like contact or informant details are *withheld*."""
    page = victims.person_page(store(request).conn, person_id)
    if page is None:
        raise HTTPException(404, f"no person {person_id}")
    return models.Person(id=page.id, confirmed=page.confirmed, records=page.records, decisions=page.decisions)
