"""`tawthiq serve` and `tawthiq user add`: the analysts' web application and its accounts."""

from __future__ import annotations

import ipaddress
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tawthiq.cli.app import Context, main, reports_errors
from tawthiq.store import open_store
from tawthiq.web.auth import Role, add_user, parse_role

if TYPE_CHECKING:
    from tawthiq.web import WebSettings


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve_settings(db: str, host: str, secure_cookies: bool | None, page_cache_mb: float,
                   page_cache_file: Path | None = None, warm: bool = False) -> WebSettings:
    """The web application's settings for ``tawthiq serve`` with these options."""
    from tawthiq.web import WebSettings

    secure = (not _loopback(host)) if secure_cookies is None else secure_cookies
    return WebSettings(store_path=db, secure_cookies=secure, page_cache_mb=page_cache_mb,
                       shared_page_cache=page_cache_file, warm=warm)


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes (about one per CPU core); each keeps its own page cache.")
@click.option("--secure-cookies/--no-secure-cookies", default=None,
              help="Mark cookies Secure (HTTPS only). Default: on, except when listening on loopback.")
@click.option("--page-cache-mb", default=64.0, show_default=True, type=click.FloatRange(0, 1 << 20),
              help="Rendered incident pages kept per worker, compressed (0: none). A kept incident page takes "
                   "10-40 KB: give a store with many incidents room for those people open.")
@click.option("--page-cache-file", type=click.Path(dir_okay=False, path_type=Path),
              help="Keep rendered pages in this SQLite file across runs (created if missing; never the store): a "
                   "restarted server checks each page against its rows instead of rendering it again. Pages made "
                   "by another release or from another store are dropped when it opens.")
@click.option("--warm", is_flag=True,
              help="Render every incident page (both languages, each role with an active account) before answering; "
                   "with --page-cache-file, a restart only checks them. Give the page cache room for them.")
@click.pass_obj
@reports_errors
def serve_command(ctx: Context, host: str, port: int, workers: int, secure_cookies: bool | None,
                  page_cache_mb: float, page_cache_file: Path | None, warm: bool) -> None:
    """Serve the web application over the store: review queue, incidents, documents, victims, map, timeline,
    search, in English and Arabic. Put it behind an HTTPS reverse proxy when it is reachable beyond this machine.

    \b
    Example:
      tawthiq --db tawthiq.db user add amira --role admin
      tawthiq --db tawthiq.db serve --host 127.0.0.1 --port 8000 --workers 2 --page-cache-file pages.db
    """
    import dataclasses
    import os
    import tempfile

    import uvicorn

    from tawthiq.web import create_app
    from tawthiq.web.app import SETTINGS_ENV, settings_environment

    settings = serve_settings(ctx.db, host, secure_cookies, page_cache_mb, page_cache_file, warm)
    secure = settings.secure_cookies
    click.echo(f"serving {ctx.db} on http://{host}:{port} (secure cookies: {'on' if secure else 'off'}, "
               f"{workers} worker{'s' if workers > 1 else ''})")
    if workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
        return
    open_store(ctx.db).close()  # create and migrate once, before the workers start
    with tempfile.TemporaryDirectory(prefix="tawthiq-pages-") as tmp:  # the workers' shared page cache, this run's
        file = page_cache_file or Path(tmp) / "pages.db"
        shared = dataclasses.replace(settings, shared_page_cache=file)
        os.environ[SETTINGS_ENV] = settings_environment(shared)
        uvicorn.run("tawthiq.web.app:app_from_environment", factory=True, workers=workers, host=host, port=port,
                    log_level="info", timeout_worker_healthcheck=60)  # a busy machine starts a worker slowly


@main.group("user")
def user_group() -> None:
    """Accounts of the web application.

    \b
    Example:
      tawthiq user add amira --role admin
    """


@user_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.VIEWER.value, show_default=True,
              help="viewer reads; analyst reviews claims; reviewer also grades incidents; admin manages accounts.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of a prompt.")
@click.pass_obj
@reports_errors
def user_add_command(ctx: Context, name: str, role: str, password_stdin: bool) -> None:
    """Create an account; the password is asked at a prompt (twice), or read from standard input.

    \b
    Example:
      tawthiq --db tawthiq.db user add amira --role admin
      printf '%s\\n' "$PASSWORD" | tawthiq user add sami --role analyst --password-stdin
    """
    if password_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with open_store(ctx.db) as store, store.transaction() as conn:
        user = add_user(conn, name, password, parse_role(role))
    click.echo(f"added {user.name} ({user.role.value})")
