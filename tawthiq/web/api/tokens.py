"""API tokens: made per user, shown once, kept only as a SHA-256 hash, revocable.

A token is ``tq_`` and 43 URL-safe characters (32 random bytes). Because it is that random, a plain SHA-256 is a safe
way to keep it (no password hash needed: there is nothing to guess); the store keeps the hash and the first eight
characters (to tell tokens apart in a list), never the token. A token acts with its user's role as it is *now*: a
demoted or disabled account's tokens lose their rights at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from tawthiq.errors import ConfigError, StoreError
from tawthiq.store.connection import Connection
from tawthiq.web.auth import Role, User

PREFIX = "tq_"
SHOWN = 8  # characters of a token kept in clear to recognise it
MAX_NAME = 120
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """A token as listed: everything but the secret."""

    id: int
    user_id: int
    user_name: str
    name: str
    prefix: str
    rate_per_minute: int | None
    created_at: str
    created_by: str
    last_used_at: str | None
    revoked_at: str | None
    revoked_by: str | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True, slots=True)
class Caller:
    """Who an API request acts for: the user (with their current role) and the token used."""

    user: User
    token_id: int
    rate_per_minute: int | None
    last_used_at: str | None


def now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def well_formed(token: str) -> bool:
    """Whether ``token`` has the shape of one of ours (checked before any lookup)."""
    body = token[len(PREFIX):]
    return token.startswith(PREFIX) and 32 <= len(body) <= 64 and set(body) <= _TOKEN_CHARS


def _user(conn: Connection, name: str) -> User:
    row = conn.execute("SELECT id, name, role, active FROM users WHERE lower(name) = lower(?)",
                       (name.strip(),)).fetchone()
    if row is None:
        raise ConfigError(f"user {name!r}: no such account", hint="create it with `tawthiq user add NAME --role ROLE`")
    if not row["active"]:
        raise ConfigError(f"user {name!r}: the account is disabled; no token can be made for it")
    return User(int(row["id"]), row["name"], Role(row["role"]))


def create_token(conn: Connection, user_name: str, *, name: str = "", created_by: str = "",
                 rate_per_minute: int | None = None) -> tuple[str, TokenInfo]:
    """A new token for ``user_name``: returns the token (to show once, never stored) and its listing."""
    user = _user(conn, user_name)
    name = " ".join(name.split())
    if len(name) > MAX_NAME:
        raise ConfigError(f"token name {name[:30]!r}…: longer than {MAX_NAME} characters")
    if rate_per_minute is not None and not 1 <= rate_per_minute <= 100_000:
        raise ConfigError(f"rate {rate_per_minute}: give 1 to 100000 requests a minute")
    token = PREFIX + secrets.token_urlsafe(32)
    cur = conn.execute(
        "INSERT INTO api_tokens (user_id, name, token_hash, prefix, rate_per_minute, created_at, created_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (user.id, name, hash_token(token), token[:SHOWN], rate_per_minute, now(), created_by or user.name),
    )
    info = get_token(conn, int(cur.fetchone()[0]))
    assert info is not None
    return token, info


_SELECT = ("SELECT t.id, t.user_id, u.name AS user_name, t.name, t.prefix, t.rate_per_minute, t.created_at,"
           " t.created_by, t.last_used_at, t.revoked_at, t.revoked_by"
           " FROM api_tokens t JOIN users u ON u.id = t.user_id")


def get_token(conn: Connection, token_id: int) -> TokenInfo | None:
    row = conn.execute(f"{_SELECT} WHERE t.id = ?", (token_id,)).fetchone()
    return TokenInfo(**dict(row)) if row else None


def list_tokens(conn: Connection, user_name: str | None = None) -> list[TokenInfo]:
    """Every token (of one user when ``user_name`` is given), oldest first."""
    if user_name is None:
        rows = conn.execute(f"{_SELECT} ORDER BY t.id").fetchall()
    else:
        rows = conn.execute(f"{_SELECT} WHERE u.name = ? ORDER BY t.id", (user_name.strip(),)).fetchall()
    return [TokenInfo(**dict(r)) for r in rows]


def revoke_token(conn: Connection, token_id: int, *, by: str) -> TokenInfo:
    """Revoke a token (idempotent: revoking it again keeps the first revocation); raises when there is none."""
    conn.execute("UPDATE api_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL",
                 (now(), by, token_id))
    info = get_token(conn, token_id)
    if info is None:
        raise StoreError(f"token {token_id}: no such token", hint="see `tawthiq token list`")
    return info


def caller_of(conn: Connection, token: str) -> Caller | None:
    """The caller a presented token acts for, or ``None`` when it is unknown, revoked or its account disabled."""
    if not well_formed(token):
        return None
    row = conn.execute(
        "SELECT t.id, t.rate_per_minute, t.last_used_at, u.id AS user_id, u.name, u.role FROM api_tokens t"
        " JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.active = 1",
        (hash_token(token),),
    ).fetchone()
    if row is None:
        return None
    return Caller(User(int(row["user_id"]), row["name"], Role(row["role"])), int(row["id"]), row["rate_per_minute"],
                  row["last_used_at"])


def touch(conn: Connection, token_id: int, at: str) -> None:
    """Record that a token was used (callers do this at most once a minute per token)."""
    conn.execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", (at, token_id))
