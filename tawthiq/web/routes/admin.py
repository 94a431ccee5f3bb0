"""Accounts, for administrators only: ``/admin/users`` lists them, and its forms add an account, change a role,
deactivate or reactivate one, and reset a password (:mod:`tawthiq.web.accounts`).

Every form is checked for its CSRF token before any field is read; each change is one transaction with its audit
entry. A change that worked redirects back to the list with a notice naming the account (by id: no typed text is
reflected); a refused one shows the list again with every problem, in the visitor's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from tawthiq.web import accounts
from tawthiq.web.accounts import AccountRefused, Problem
from tawthiq.web.auth import MIN_PASSWORD_LENGTH, Role, Session
from tawthiq.web.context import checked_form, form_text, render, require, store
from tawthiq.web.i18n import Translator

router = APIRouter()
DONE = ("add", "role", "deactivate", "reactivate", "password", "unchanged")


@router.get("/admin/users")
def users_page(request: Request, done: str = "", user: str = "") -> Response:
    require(request, Role.ADMIN)
    notice = None
    if done in DONE and user.isdigit():
        target = accounts.find(store(request).conn, int(user))
        if target is not None:
            t: Translator = request.state.translator
            notice = t(f"accounts.done.{done}", name=target.name, role=t(f"role.{target.role.value}"))
    return _page(request, 200, notice=notice)


def _page(request: Request, status: int, notice: str | None = None, problems: Iterable[Problem] = (),
          form: dict[str, str] | None = None) -> Response:
    t: Translator = request.state.translator
    return render(request, "admin_users.html", status_code=status, accounts=accounts.list_accounts(store(request).conn),
                  roles=list(Role), notice=notice, problems=[t(p.key, **p.fields) for p in problems],
                  form=form or {"name": "", "role": Role.VIEWER.value}, min_password=MIN_PASSWORD_LENGTH)


def _refused(request: Request, refused: AccountRefused, form: dict[str, str] | None = None) -> Response:
    if refused.status in (403, 404):
        raise HTTPException(refused.status, refused.message)
    return _page(request, refused.status, problems=refused.problems, form=form)


def _done(action: str, user_id: int) -> Response:
    return RedirectResponse(f"/admin/users?done={action}&user={user_id}#account-{user_id}", status_code=303)


def _role(form: FormData) -> Role | None:
    value = form_text(form, "role", 20)
    return Role(value) if value in {r.value for r in Role} else None


def _passwords(form: FormData) -> tuple[str, str]:
    # read as the login form reads them (stripped), so that a password set here is the one that logs in
    return form_text(form, "password", 1024), form_text(form, "repeated", 1024)


async def _admin_form(request: Request) -> tuple[Session, FormData]:
    session = require(request, Role.ADMIN)
    return session, await checked_form(request)


_NO_ROLE = Problem("choose one of the roles", "accounts.error.role")


@router.post("/admin/users")
async def add_account(request: Request) -> Response:
    session, form = await _admin_form(request)
    name, role = form_text(form, "name", 200), _role(form)
    kept: dict[str, Any] = {"name": name[:64], "role": role.value if role else Role.VIEWER.value}
    try:
        if role is None:
            raise AccountRefused(422, [_NO_ROLE])
        with store(request).transaction() as conn:
            user = accounts.create(conn, session.user, name, role, *_passwords(form))
    except AccountRefused as refused:
        return _refused(request, refused, kept)
    return _done("add", user.id)


@router.post("/admin/users/{user_id}/role")
async def change_role(request: Request, user_id: int) -> Response:
    session, form = await _admin_form(request)
    role = _role(form)
    try:
        if role is None:
            raise AccountRefused(422, [_NO_ROLE])
        with store(request).transaction() as conn:
            changed = accounts.change_role(conn, session.user, user_id, role)
    except AccountRefused as refused:
        return _refused(request, refused)
    return _done("role" if changed else "unchanged", user_id)


@router.post("/admin/users/{user_id}/deactivate")
async def deactivate(request: Request, user_id: int) -> Response:
    return await _set_active(request, user_id, False)


@router.post("/admin/users/{user_id}/reactivate")
async def reactivate(request: Request, user_id: int) -> Response:
    return await _set_active(request, user_id, True)


async def _set_active(request: Request, user_id: int, active: bool) -> Response:
    session, _form = await _admin_form(request)
    try:
        with store(request).transaction() as conn:
            changed = accounts.set_active(conn, session.user, user_id, active)
    except AccountRefused as refused:
        return _refused(request, refused)
    return _done(("reactivate" if active else "deactivate") if changed else "unchanged", user_id)


@router.post("/admin/users/{user_id}/password")
async def reset_password(request: Request, user_id: int) -> Response:
    session, form = await _admin_form(request)
    keep = session.token_hash if user_id == session.user.id else ""
    try:
        with store(request).transaction() as conn:
            accounts.reset_password(conn, session.user, user_id, *_passwords(form), keep_session=keep)
    except AccountRefused as refused:
        return _refused(request, refused)
    return _done("password", user_id)
