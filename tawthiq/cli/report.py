"""`tawthiq report` and `tawthiq export claims`: the record out of the store, as a report or as rows."""

from __future__ import annotations

from pathlib import Path

import click

from tawthiq.cli.app import Context, main, reports_errors
from tawthiq.errors import StoreError
from tawthiq.report.html import write_report
from tawthiq.store import Store, open_store


def _open_existing(ctx: Context) -> Store:
    """Open the store, refusing to create an empty one where there is none."""
    if not ctx.store_exists():
        raise StoreError(f"{ctx.db}: no store here", hint="run `tawthiq ingest PATH...` first, or pass --db FILE")
    return open_store(ctx.db)


@main.command("report")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=Path("report.html"),
              show_default=True, help="The HTML file to write.")
@click.option("--overwrite", is_flag=True, help="Replace OUT if it exists (otherwise an existing file is an error).")
@click.pass_obj
@reports_errors
def report_command(ctx: Context, out: Path, overwrite: bool) -> None:
    """Write the record as one self-contained HTML report: timeline, incidents with each source's figures side by
    side (contradictions marked), documents with their copy status, and every figure linked to its sentence.

    \b
    Example:
      tawthiq --db tawthiq.db report --out report.html
      tawthiq report --out report.html --overwrite
    """
    with _open_existing(ctx) as store:
        summary = write_report(store, out, overwrite=overwrite)
    click.echo(
        f"wrote {summary.path} ({summary.size_bytes / 1024:.0f} KiB): {summary.incidents} incidents, "
        f"{summary.claims} claims, {summary.documents} documents"
    )


@main.group("export")
def export_group() -> None:
    """Export the record as files other tools read.

    \b
    Example:
      tawthiq export claims --format jsonl --out claims.jsonl
    """


# `tawthiq export claims|incidents|victims` are defined in cli/formats.py on this group.
