"""Accounts, as administrators manage them in the web application: list, add, change a role, deactivate or
reactivate, reset a password.

Each change runs inside the caller's transaction and appends an audit entry (``account.add``, ``account.role``,
``account.deactivate``, ``account.reactivate``, ``account.password``) naming the acting administrator and the
account; never a password or its hash. The acting administrator is read again inside the transaction, so one
demoted or deactivated a moment ago can change nothing more.

The store never goes without an active administrator: a change that would leave none (the last active admin
deactivating or demoting themselves, or two admins doing it to each other at the same time) is refused. On
PostgreSQL, account changes take a transaction-level advisory lock first, so that the administrators are counted
after every earlier change has committed; SQLite's writing transactions (``BEGIN IMMEDIATE``) run one at a time
already.

A deactivated account cannot log in, and its sessions are deleted in the same transaction, so they end at once;
its API tokens are refused too (:mod:`tawthiq.web.api.tokens` checks ``users.active``). A password reset ends the
account's sessions as well, but for the acting administrator's own when they reset their own password.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tawthiq.errors import StoreError, TawthiqError
from tawthiq.evidence.audit import record_event
from tawthiq.store.connection import Connection
from tawthiq.web.auth import MIN_PASSWORD_LENGTH, Role, User, add_user, set_password, valid_name

ACCOUNTS_LOCK = 0x7A77_7469_72  # PostgreSQL advisory lock key of account changes (the audit chain's is ...71)


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a change was refused: an English message, and the key and fields of the page's message."""

    message: str
    key: str
    fields: dict[str, object] = field(default_factory=dict)


class AccountRefused(TawthiqError):
    """A change of accounts that was refused, with every problem found. ``status`` is the HTTP answer: 403 (the actor
    is no longer an active admin), 404 (no such account), 409 (it would leave no active admin), 422 (the form)."""

    def __init__(self, status: int, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.status = status
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    name: str
    role: Role
    active: bool
    created_at: str
    open_sessions: int = 0  # live sessions (logging out and deactivation delete them)
    newest_session: str | None = None  # when the newest live one began (UTC)

    @property
    def user(self) -> User:
        return User(self.id, self.name, self.role)


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def list_accounts(conn: Connection) -> list[Account]:
    """Every account by name, with its live sessions (``web_sessions`` is all there is: no login history is kept)."""
    rows = conn.execute(
        "SELECT u.id, u.name, u.role, u.active, u.created_at, s.n, s.newest FROM users u LEFT JOIN"
        " (SELECT user_id, count(*) AS n, max(created_at) AS newest FROM web_sessions WHERE expires_at > ?"
        "  GROUP BY user_id) s ON s.user_id = u.id ORDER BY lower(u.name), u.id",
        (_stamp(dt.datetime.now(dt.UTC)),),
    ).fetchall()
    return [Account(int(r["id"]), r["name"], Role(r["role"]), bool(r["active"]), str(r["created_at"]),
                    int(r["n"] or 0), r["newest"]) for r in rows]


def find(conn: Connection, user_id: int) -> Account | None:
    """The account ``user_id`` (without its sessions), or ``None``."""
    row = conn.execute("SELECT id, name, role, active, created_at FROM users WHERE id = ?", (user_id,)).fetchone()
    if row is None:
        return None
    return Account(int(row["id"]), row["name"], Role(row["role"]), bool(row["active"]), str(row["created_at"]))


def _begin(conn: Connection, admin: User) -> None:
    """Serialise account changes (PostgreSQL) and check that ``admin`` is still an active administrator."""
    if conn.dialect == "postgresql":
        conn.execute("SELECT pg_advisory_xact_lock(?)", (ACCOUNTS_LOCK,))
    now = find(conn, admin.id)
    if now is None or not now.active or now.role is not Role.ADMIN:
        raise AccountRefused(403, [Problem(f"{admin.name} is no longer an active administrator", "error.403")])


def _target(conn: Connection, user_id: int) -> Account:
    found = find(conn, user_id)
    if found is None:
        raise AccountRefused(404, [Problem(f"no account {user_id}", "error.404")])
    return found


def _keep_an_admin(conn: Connection, target: Account) -> None:
    """Refuse when ``target`` is the last active administrator (called before it stops being one)."""
    if not (target.active and target.role is Role.ADMIN):
        return
    others = conn.scalar("SELECT count(*) FROM users WHERE role = ? AND active = 1 AND id != ?",
                         (Role.ADMIN.value, target.id))
    if not others:
        raise AccountRefused(409, [Problem(
            f"{target.name} is the last active administrator: give another account the admin role first",
            "accounts.error.last_admin", {"name": target.name})])


def _password_problems(password: str, repeated: str) -> list[Problem]:
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(Problem(f"the password is shorter than {MIN_PASSWORD_LENGTH} characters",
                                "accounts.error.short", {"n": MIN_PASSWORD_LENGTH}))
    if password != repeated:
        problems.append(Problem("the two passwords differ", "accounts.error.mismatch"))
    return problems


def _audit(conn: Connection, action: str, admin: User, target: User, **detail: object) -> None:
    record_event(conn, f"account.{action}", f"user {target.name}",
                 {"by": admin.name, "by_id": admin.id, "user": target.name, "user_id": target.id, **detail})


def create(conn: Connection, admin: User, name: str, role: Role, password: str, repeated: str) -> User:
    """Add an account; the password typed twice, with the policy of ``tawthiq user add`` (every problem at once)."""
    _begin(conn, admin)
    problems = [] if valid_name(name) else [Problem("give a name of 1-64 characters without spaces",
                                                    "accounts.error.name")]
    problems += _password_problems(password, repeated)
    if problems:
        raise AccountRefused(422, problems)
    try:
        user = add_user(conn, name, password, role)
    except StoreError as e:  # the name is taken (names are compared regardless of case)
        raise AccountRefused(422, [Problem(f"an account named {name.strip()!r} exists already",
                                           "accounts.error.exists", {"name": name.strip()})]) from e
    _audit(conn, "add", admin, user, role=role.value)
    return user


def change_role(conn: Connection, admin: User, user_id: int, role: Role) -> bool:
    """Give the account ``role``; ``False`` when it had it already (nothing is written)."""
    _begin(conn, admin)
    target = _target(conn, user_id)
    if target.role is role:
        return False
    if role is not Role.ADMIN:
        _keep_an_admin(conn, target)
    conn.execute("UPDATE users SET role = ? WHERE id = ?", (role.value, target.id))
    _audit(conn, "role", admin, target.user, before=target.role.value, after=role.value)
    return True


def set_active(conn: Connection, admin: User, user_id: int, active: bool) -> bool:
    """Reactivate, or deactivate and end every session of the account; ``False`` when it was so already."""
    _begin(conn, admin)
    target = _target(conn, user_id)
    if target.active == active:
        return False
    if not active:
        _keep_an_admin(conn, target)
    conn.execute("UPDATE users SET active = ? WHERE id = ?", (int(active), target.id))
    ended = 0 if active else conn.execute("DELETE FROM web_sessions WHERE user_id = ?", (target.id,)).rowcount
    _audit(conn, "reactivate" if active else "deactivate", admin, target.user, sessions_ended=ended)
    return True


def reset_password(conn: Connection, admin: User, user_id: int, password: str, repeated: str,
                   keep_session: str = "") -> None:
    """Set a new password and end the account's sessions, but for ``keep_session`` (the token hash of the acting
    administrator's own session, when they reset their own password)."""
    _begin(conn, admin)
    target = _target(conn, user_id)
    problems = _password_problems(password, repeated)
    if problems:
        raise AccountRefused(422, problems)
    set_password(conn, target.user, password)
    ended = conn.execute("DELETE FROM web_sessions WHERE user_id = ? AND token_hash != ?",
                         (target.id, keep_session)).rowcount
    _audit(conn, "password", admin, target.user, sessions_ended=ended)
