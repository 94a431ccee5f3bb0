"""Who may call the API: bearer tokens, roles, and a rate limit per token.

Every route but the OpenAPI document needs ``Authorization: Bearer <token>``. Cookies are never read here, so a page
open in a browser cannot be made to call the API on someone's behalf (no CSRF to defend against). A missing, unknown
or revoked token gets 401 with ``WWW-Authenticate: Bearer``; a role too low for the route, 403. Each token draws from
its own token bucket (:class:`RateLimiter`): over the limit, 429 with ``Retry-After``.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from tawthiq.web.api import tokens
from tawthiq.web.auth import Role
from tawthiq.web.context import store

BEARER = HTTPBearer(auto_error=False, description="A token from `tawthiq token create USER`.")
TOUCH_EVERY_S = 60  # last_used_at is written at most this often per token


@dataclass(frozen=True, slots=True)
class ApiSettings:
    """Limits of the API; see docs/api.md."""

    rate_per_minute: int = 120  # per token, unless the token has its own rate
    max_tracked_tokens: int = 10_000  # buckets kept in memory (oldest dropped first)


class RateLimiter:
    """A token bucket per API token: it holds up to ``rate`` requests and refills at ``rate`` a minute.

    In memory, per server process: with several workers each keeps its own buckets, so the effective limit is
    ``rate`` times the number of workers (docs/api.md says so).
    """

    def __init__(self, max_tracked: int = 10_000) -> None:
        self._buckets: dict[int, tuple[float, float]] = {}  # token id -> (tokens left, monotonic time)
        self._lock = threading.Lock()
        self._max = max_tracked

    def take(self, token_id: int, rate_per_minute: int) -> float:
        """Take one request from the token's bucket: 0 when allowed, else the seconds until one is available."""
        capacity = float(rate_per_minute)
        refill = rate_per_minute / 60.0
        moment = time.monotonic()
        with self._lock:
            left, then = self._buckets.pop(token_id, (capacity, moment))
            left = min(capacity, left + (moment - then) * refill)
            if left >= 1.0:
                self._buckets[token_id] = (left - 1.0, moment)
                wait = 0.0
            else:
                self._buckets[token_id] = (left, moment)
                wait = (1.0 - left) / refill
            while len(self._buckets) > self._max:
                self._buckets.pop(next(iter(self._buckets)))
        return wait


def _stale(last_used: str | None) -> bool:
    if last_used is None:
        return True
    then = dt.datetime.strptime(last_used, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    return (dt.datetime.now(dt.UTC) - then).total_seconds() >= TOUCH_EVERY_S


def _unauthorised(detail: str) -> HTTPException:
    return HTTPException(401, detail, headers={"WWW-Authenticate": 'Bearer realm="tawthiq"'})


_CREDENTIALS = Depends(BEARER)


def need(role: Role) -> Callable[..., tokens.Caller]:
    """A route dependency: the caller of a live token whose user has at least ``role``, within its rate limit."""

    def dependency(request: Request,
                   credentials: HTTPAuthorizationCredentials | None = _CREDENTIALS) -> tokens.Caller:
        if credentials is None:
            raise _unauthorised("give a token: Authorization: Bearer <token> (see `tawthiq token create`)")
        db = store(request)
        caller = tokens.caller_of(db.conn, credentials.credentials)
        if caller is None:
            raise _unauthorised("the token is unknown or revoked, or its account is disabled")
        settings: ApiSettings = request.app.state.api_settings
        limiter: RateLimiter = request.app.state.rate_limiter
        wait = limiter.take(caller.token_id, caller.rate_per_minute or settings.rate_per_minute)
        if wait > 0:
            raise HTTPException(429, "too many requests for this token; wait and try again",
                                headers={"Retry-After": str(max(1, math.ceil(wait)))})
        if _stale(caller.last_used_at):
            with db.transaction() as conn:
                tokens.touch(conn, caller.token_id, tokens.now())
        if not caller.user.can(role):
            raise HTTPException(403, f"this route needs the {role.value} role; the token's account is "
                                     f"{caller.user.role.value}")
        return caller

    return dependency


VIEWER = Depends(need(Role.VIEWER))
ANALYST = Depends(need(Role.ANALYST))
REVIEWER = Depends(need(Role.REVIEWER))
ADMIN = Depends(need(Role.ADMIN))
