"""The root click group and the options every command shares."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from tawthiq.errors import TawthiqError
from tawthiq.store.database import resolve_url

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_DB = "tawthiq.db"


class Context:
    """What the root group hands to every command."""

    def __init__(self, db: str) -> None:
        self.db = db

    @property
    def is_sqlite(self) -> bool:
        return resolve_url(self.db).get_backend_name() == "sqlite"

    @property
    def db_path(self) -> Path:
        """The SQLite file of the store (a URL's database part); only file-based commands use it."""
        return Path(resolve_url(self.db).database or self.db)

    def store_exists(self) -> bool:
        """Whether there is a store to read: a SQLite file that exists, or any server database (checked on open)."""
        return self.db_path.is_file() if self.is_sqlite else True


def reports_errors(func: F) -> F:
    """Turn a TawthiqError into one clear line on stderr and exit status 1 (the CLI boundary)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except TawthiqError as e:
            click.echo(f"error: {e}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    envvar=["TAWTHIQ_DATABASE_URL", "TAWTHIQ_DB"],
    default=DEFAULT_DB,
    show_default=True,
    help="The store: a SQLite file path, or a database URL (sqlite:///FILE, postgresql://USER@HOST/NAME); "
         "also read from TAWTHIQ_DATABASE_URL.",
)
@click.version_option(package_name="tawthiq")
@click.pass_context
def main(ctx: click.Context, db: str) -> None:
    """Tawthiq: from reports of violence to a sourced, verified record of incidents and victims.

    \b
    Example:
      tawthiq --db tawthiq.db run ../shared/corpus --report report.html
    """
    ctx.obj = Context(db)
