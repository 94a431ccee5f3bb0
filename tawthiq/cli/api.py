"""`tawthiq token create|list|revoke`: the JSON API's bearer tokens (docs/api.md)."""

from __future__ import annotations

import click

from tawthiq.cli.app import Context, main, reports_errors
from tawthiq.store import open_store
from tawthiq.web.api import tokens


@main.group("token")
def token_group() -> None:
    """Bearer tokens of the JSON API (served at /api by `tawthiq serve`)."""


@token_group.command("create")
@click.argument("user")
@click.option("--name", default="", help="What the token is for (shown in `tawthiq token list`).")
@click.option("--rate", type=click.IntRange(1, 100_000), default=None,
              help="Requests a minute for this token (default: the server's, 120).")
@click.pass_obj
@reports_errors
def create_command(ctx: Context, user: str, name: str, rate: int | None) -> None:
    """Make a token for USER and print it, once: only its hash is kept, so it cannot be shown again.

    \b
    Example:
      tawthiq --db tawthiq.db token create sami --name "newsroom dashboard"
      curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8000/api/incidents
    """
    with open_store(ctx.db) as store, store.transaction() as conn:
        secret, info = tokens.create_token(conn, user, name=name, created_by="cli", rate_per_minute=rate)
    click.echo(secret)
    click.echo(f"token {info.id} for {info.user_name} ({info.prefix}…): keep it secret; it is not shown again",
               err=True)


@token_group.command("list")
@click.option("--user", default=None, help="Only this user's tokens.")
@click.pass_obj
@reports_errors
def list_command(ctx: Context, user: str | None) -> None:
    """List tokens (never their secrets): id, user, name, start of the token, created, last used, revoked.

    \b
    Example:
      tawthiq --db tawthiq.db token list --user sami
    """
    with open_store(ctx.db) as store:
        found = tokens.list_tokens(store.conn, user)
    click.echo("id\tuser\tname\tprefix\tcreated\tlast used\tstatus")
    for t in found:
        status = f"revoked {t.revoked_at} by {t.revoked_by}" if t.revoked_at else "active"
        click.echo(f"{t.id}\t{t.user_name}\t{t.name}\t{t.prefix}…\t{t.created_at}\t{t.last_used_at or '-'}\t{status}")


@token_group.command("revoke")
@click.argument("token_id", type=int)
@click.pass_obj
@reports_errors
def revoke_command(ctx: Context, token_id: int) -> None:
    """Revoke token TOKEN_ID (see `tawthiq token list`): it is refused from the next request on.

    \b
    Example:
      tawthiq --db tawthiq.db token revoke 3
    """
    with open_store(ctx.db) as store, store.transaction() as conn:
        info = tokens.revoke_token(conn, token_id, by="cli")
    click.echo(f"token {info.id} of {info.user_name} revoked at {info.revoked_at}")
