"""Accounts, roles, sessions and login throttling for the web application.

Roles, from least to most trusted (each can do what the ones before it can)::

    viewer    reads the record: incidents, documents, map, timeline, search, the victims list
    analyst   + reviews claims (confirm / correct / reject / attach), writes notes, confirms or splits persons,
              sees victim records' source rows and scores
    reviewer  + sets the verification grade of an incident
    admin     + manages accounts

Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106 low-memory profile). A session is a random token
in an HttpOnly cookie; the store keeps only its SHA-256, with a CSRF token bound to it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from tawthiq.errors import ConfigError, ConstraintError, StoreError
from tawthiq.store.connection import Connection
from tawthiq.web.cache import SharedPages

MIN_PASSWORD_LENGTH = 10
_HASHER = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verifying against this when the name is unknown makes "no such user" take as long as "wrong password"."""
    return _HASHER.hash("not a password of anyone")


class Role(StrEnum):
    VIEWER = "viewer"
    ANALYST = "analyst"
    REVIEWER = "reviewer"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def at_least(self, other: Role) -> bool:
        return self.rank >= other.rank


@dataclass(frozen=True, slots=True)
class User:
    id: int
    name: str
    role: Role

    def can(self, role: Role) -> bool:
        return self.role.at_least(role)


@dataclass(frozen=True, slots=True)
class Session:
    user: User
    csrf_token: str
    token_hash: str


def parse_role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError as e:
        raise ConfigError(f"role {value!r}: not one of {', '.join(r.value for r in Role)}") from e


def valid_name(name: str) -> bool:
    """Whether ``name`` (stripped) can name an account: 1-64 characters, no spaces."""
    name = name.strip()
    return bool(name) and len(name) <= 64 and not any(ch.isspace() for ch in name)


def _check_password(name: str, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ConfigError(f"password for {name!r}: too short", hint=f"use at least {MIN_PASSWORD_LENGTH} characters")


def add_user(conn: Connection, name: str, password: str, role: Role) -> User:
    """Create an account; the name must be new and the password at least :data:`MIN_PASSWORD_LENGTH` characters."""
    name = name.strip()
    if not valid_name(name):
        raise ConfigError(f"user name {name!r}: give 1-64 characters without spaces")
    _check_password(name, password)
    try:
        cur = conn.execute(
            "INSERT INTO users (name, password_hash, role) VALUES (?, ?, ?) RETURNING id",
            (name, _HASHER.hash(password), role.value),
        )
    except ConstraintError as e:
        raise StoreError(f"user {name!r}: already exists", hint="choose another name") from e
    return User(int(cur.fetchone()[0]), name, role)


def set_password(conn: Connection, user: User, password: str) -> None:
    """Give ``user`` a new password (the same policy as :func:`add_user`); their sessions are left to the caller."""
    _check_password(user.name, password)
    conn.execute("UPDATE users SET password_hash = ? WHERE id = ?", (_HASHER.hash(password), user.id))


def authenticate(conn: Connection, name: str, password: str) -> User | None:
    """The user when ``name`` and ``password`` match an active account, else ``None`` (in constant-ish time)."""
    row = conn.execute(
        "SELECT id, name, role, password_hash FROM users WHERE lower(name) = lower(?) AND active = 1",
        (name.strip(),)
    ).fetchone()
    stored = row["password_hash"] if row else _dummy_hash()
    try:
        _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None:
        return None
    if _HASHER.check_needs_rehash(stored):
        conn.execute("UPDATE users SET password_hash = ? WHERE id = ?", (_HASHER.hash(password), row["id"]))
    return User(int(row["id"]), row["name"], Role(row["role"]))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(conn: Connection, user: User, lifetime: dt.timedelta) -> tuple[str, Session]:
    """A new session for ``user``: returns the token for the cookie and the session."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = _now()
    conn.execute(
        "INSERT INTO web_sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
        (token_hash(token), user.id, csrf, _stamp(now), _stamp(now + lifetime)),
    )
    conn.execute("DELETE FROM web_sessions WHERE expires_at < ?", (_stamp(now),))
    return token, Session(user, csrf, token_hash(token))


def load_session(conn: Connection, token: str) -> Session | None:
    """The live session for a cookie token, or ``None`` when unknown, expired, or its account was disabled."""
    row = conn.execute(
        "SELECT s.token_hash, s.csrf_token, u.id, u.name, u.role FROM web_sessions s JOIN users u ON u.id = s.user_id"
        " WHERE s.token_hash = ? AND s.expires_at > ? AND u.active = 1",
        (token_hash(token), _stamp(_now())),
    ).fetchone()
    if row is None:
        return None
    return Session(User(int(row["id"]), row["name"], Role(row["role"])), row["csrf_token"], row["token_hash"])


def end_session(conn: Connection, session: Session) -> None:
    conn.execute("DELETE FROM web_sessions WHERE token_hash = ?", (session.token_hash,))


def same_token(given: str | None, expected: str) -> bool:
    """Constant-time comparison of a submitted CSRF token with the expected one."""
    return bool(given) and secrets.compare_digest(str(given).encode(), expected.encode())


class LoginThrottle:
    """Failed logins per account name and per client address in a sliding window; over the limit, logins wait.

    An account name allows ``limit`` failures per window; an address, ``4 * limit`` (several people may share an
    office's address). Kept in memory, per server process; with ``shared`` (the worker processes' own SQLite file,
    :class:`tawthiq.web.cache.SharedPages`), counted across all the worker processes of ``tawthiq serve --workers
    N``, so that N workers do not give an attacker N times the allowance. A restart forgets the failures (a
    determined attacker is slowed, not stopped; argon2 makes each guess expensive anyway).
    """

    def __init__(self, limit: int = 5, window_s: float = 300.0, shared: SharedPages | None = None) -> None:
        self.limits = {"name": limit, "ip": 4 * limit}
        self.window_s = window_s
        self.shared = shared
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _keys(self, address: str, name: str) -> list[tuple[str, str]]:
        return [("ip", f"ip:{address}"), ("name", f"name:{name.strip().casefold()}")]

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures[key]
        while times and now - times[0] > self.window_s:
            times.popleft()
        return times

    def retry_after(self, address: str, name: str) -> int:
        """Seconds to wait before another try is accepted (0: go ahead)."""
        waits = []
        if self.shared is not None:
            now = time.time()  # the workers' clocks: wall time, the same in every process
            conn = self.shared.connection()
            for kind, key in self._keys(address, name):
                count, first = conn.execute("SELECT count(*), min(at) FROM login_failures WHERE key = ? AND at > ?",
                                            (key, now - self.window_s)).fetchone()
                if count >= self.limits[kind]:
                    waits.append(int(self.window_s - (now - first)) + 1)
            return max(waits, default=0)
        now = time.monotonic()
        with self._lock:
            for kind, key in self._keys(address, name):
                times = self._recent(key, now)
                if len(times) >= self.limits[kind]:
                    waits.append(int(self.window_s - (now - times[0])) + 1)
            return max(waits, default=0)

    def failed(self, address: str, name: str) -> None:
        if self.shared is not None:
            now = time.time()
            conn = self.shared.connection()
            conn.executemany("INSERT INTO login_failures (key, at) VALUES (?, ?)",
                             [(key, now) for _, key in self._keys(address, name)])
            conn.execute("DELETE FROM login_failures WHERE at < ?", (now - self.window_s,))
            return
        now = time.monotonic()
        with self._lock:
            for _, key in self._keys(address, name):
                self._recent(key, now).append(now)

    def succeeded(self, name: str) -> None:
        key = f"name:{name.strip().casefold()}"
        if self.shared is not None:
            self.shared.connection().execute("DELETE FROM login_failures WHERE key = ?", (key,))
            return
        with self._lock:
            self._failures.pop(key, None)
