"""`tawthiq db upgrade|current|copy`: the store's schema revision, and moving a store between engines."""

from __future__ import annotations

import click
from rich.progress import BarColumn, Progress, TextColumn

from tawthiq.cli.app import Context, main, reports_errors
from tawthiq.evidence.audit import record_event, seal
from tawthiq.store import open_store, upgrade
from tawthiq.store.copy import copy_store
from tawthiq.store.database import HEAD


@main.group("db")
def db_group() -> None:
    """The store's schema and engine: upgrade it in place, show its revision, copy it to another database."""


@db_group.command("upgrade")
@click.pass_obj
@reports_errors
def upgrade_command(ctx: Context) -> None:
    """Bring the store's schema up to this release, in one transaction, without loss; then seal the record.

    A store made by a release from before the migrations is brought up to date as well. Back it up first
    (`tawthiq backup`): an upgrade cannot be undone by the command line.

    \b
    Example:
      tawthiq --db tawthiq.db backup before-upgrade.tar && tawthiq --db tawthiq.db db upgrade
    """
    with open_store(ctx.db, check_schema=False) as store:
        before, after = upgrade(store)
        if before != after and before is not None:
            with store.transaction() as conn:
                record_event(conn, "db.upgrade", "store", {"from": before, "to": after})
                seal(conn, f"after the schema upgrade from {before} to {after}")
    click.echo(f"{store.path}: schema at {after}" + (f" (was {before})" if before != after else " (already)"))


@db_group.command("current")
@click.pass_obj
@reports_errors
def current_command(ctx: Context) -> None:
    """Print the store's schema revision and the one this release needs.

    \b
    Example:
      TAWTHIQ_DATABASE_URL=postgresql://tawthiq@db.example/tawthiq tawthiq db current
    """
    with open_store(ctx.db, check_schema=False, create=False) as store:
        revision = store.revision()
    click.echo(f"{store.path}: {store.dialect}, schema {revision or 'empty'}; this release needs {HEAD}")


@db_group.command("copy")
@click.option("--from", "source", default=None, help="The store to copy (default: --db).")
@click.option("--to", "target", required=True, help="The store to copy into: a SQLite file or a database URL.")
@click.pass_obj
@reports_errors
def copy_command(ctx: Context, source: str | None, target: str) -> None:
    """Copy every table of a store into another database and verify it (row counts and content hashes per table).

    The copy is one transaction on the target; rows it already holds are kept, so copying again changes nothing.
    The originals' folder (the vault) is not copied: move it with the files, and point TAWTHIQ_VAULT at it.

    \b
    Example:
      tawthiq db copy --from tawthiq.db --to postgresql://tawthiq@db.example/tawthiq
    """
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed:,} rows"))
    with open_store(source or ctx.db, create=False) as src, open_store(target) as dst, Progress(*columns) as bar:
        task = bar.add_task("copying", total=None)
        report = copy_store(src, dst, lambda table, n: bar.update(task, description=table, completed=n))
    for t in report.tables:
        if t.source_rows or t.inserted:
            click.echo(f"{t.table}: {t.source_rows:,} rows, {t.inserted:,} new, "
                       f"{'verified' if t.verified else 'MISMATCH'}")
    click.echo(f"copied {report.inserted:,} new rows into {dst.path}; every table verified "
               f"({sum(t.source.rows for t in report.tables if t.source):,} rows, same content hashes)")
