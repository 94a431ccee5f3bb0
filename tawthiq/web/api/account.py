"""Who am I, and the caller's own tokens: list, make another, revoke. An admin sees and revokes everyone's."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

from tawthiq.errors import ConfigError
from tawthiq.web.api import guard, models, tokens
from tawthiq.web.api.tokens import Caller, TokenInfo
from tawthiq.web.auth import Role
from tawthiq.web.context import store

router = APIRouter(tags=["account"])


def _token(info: TokenInfo) -> models.Token:
    return models.Token(id=info.id, user_name=info.user_name, name=info.name, prefix=info.prefix,
                        rate_per_minute=info.rate_per_minute, created_at=info.created_at, created_by=info.created_by,
                        last_used_at=info.last_used_at, revoked_at=info.revoked_at, revoked_by=info.revoked_by,
                        active=info.active)


@router.get("/me", response_model=models.Me)
def me(caller: Caller = guard.VIEWER) -> models.Me:
    return models.Me(user=caller.user.name, role=caller.user.role.value, token_id=caller.token_id)


@router.get("/tokens", response_model=list[models.Token])
def token_list(request: Request, caller: Caller = guard.VIEWER) -> list[models.Token]:
    """Your tokens (an admin: everyone's), never the secrets."""
    who = None if caller.user.can(Role.ADMIN) else caller.user.name
    return [_token(t) for t in tokens.list_tokens(store(request).conn, who)]


@router.post("/tokens", response_model=models.TokenCreated, status_code=201)
def token_create(request: Request, body: models.TokenIn, caller: Caller = guard.VIEWER) -> models.TokenCreated:
    """Another token for yourself (the secret is in this answer only), with your token's rate."""
    with store(request).transaction() as conn:
        try:
            secret, info = tokens.create_token(conn, caller.user.name, name=body.name, created_by=caller.user.name,
                                               rate_per_minute=caller.rate_per_minute)
        except ConfigError as e:
            raise HTTPException(422, e.message) from e
    return models.TokenCreated(**_token(info).model_dump(), token=secret)


@router.delete("/tokens/{token_id}", response_model=models.Token)
def token_revoke(request: Request, token_id: int, caller: Caller = guard.VIEWER) -> models.Token:
    """Revoke one of your tokens (an admin: anyone's). Revoking the token you call with ends its use at once."""
    with store(request).transaction() as conn:
        info = tokens.get_token(conn, token_id)
        if info is None or (info.user_id != caller.user.id and not caller.user.can(Role.ADMIN)):
            raise HTTPException(404, f"no token {token_id} of yours")
        return _token(tokens.revoke_token(conn, token_id, by=caller.user.name))
