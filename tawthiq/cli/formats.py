"""The field's formats on the command line: `tawthiq export claims|incidents`, `tawthiq import acled|ged`,
and `tawthiq report-pdf`.

`export claims` here replaces the JSONL/CSV-only command of cli/report.py (same options, more formats and filters).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from tawthiq.cli.app import Context, main, reports_errors
from tawthiq.cli.report import _open_existing, export_group
from tawthiq.errors import ExportError
from tawthiq.export.claims import FORMATS as ROW_FORMATS
from tawthiq.export.claims import ClaimFilters, export_claims
from tawthiq.export.filters import ExportFilters
from tawthiq.export.formats import FIELD_FORMATS, export_events
from tawthiq.store import open_store

ALL_CLAIM_FORMATS = (*ROW_FORMATS, *FIELD_FORMATS)


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (use YYYY-MM-DD)") from None


def scope_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The filters every field export takes."""
    options = [
        click.option("--from", "date_from", callback=_date, help="Only what happened on or after this date."),
        click.option("--to", "date_to", callback=_date, help="Only what happened on or before this date."),
        click.option("--governorate", "admin1", help="Only this governorate (canonical name, e.g. Latakia)."),
        click.option("--event-type", help='Only this ACLED event type, e.g. "Violence against civilians".'),
        click.option("--grade", help="Only claims an analyst graded so (needs the web application's grades)."),
        click.option("--reviewed-only", is_flag=True, help="Only claims an analyst has reviewed."),
        click.option("--overwrite", is_flag=True, help="Replace OUT if it exists."),
        click.option("--spreadsheet-safe", is_flag=True,
                     help="CSV: prefix cells starting with = + - @ with an apostrophe so spreadsheets do not "
                          "run them."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _scope(kw: dict[str, Any]) -> ExportFilters:
    return ExportFilters(date_from=kw["date_from"], date_to=kw["date_to"], admin1=kw["admin1"],
                         event_type=kw["event_type"], grade=kw["grade"], reviewed_only=kw["reviewed_only"])


@click.command("claims")
@click.option("--format", "fmt", type=click.Choice(ALL_CLAIM_FORMATS), default="jsonl", show_default=True,
              help="jsonl/csv: every claim field; acled, ged, hxl, geojson, parquet: the field's formats.")
@click.option("--out", "out", default="-", show_default=True, help="The file to write, or - for standard output.")
@click.option("--kind", default=None, help="jsonl/csv: only claims of this kind (casualty_count, event ...).")
@click.option("--outcome", default=None, help="jsonl/csv: only claims with this outcome (killed, injured ...).")
@click.option("--incident", "incident_id", type=int, default=None, help="jsonl/csv: only this incident's claims.")
@scope_options
@click.pass_obj
@reports_errors
def export_claims_command(obj: Context, fmt: str, out: str, kind: str | None, outcome: str | None,
                          incident_id: int | None, **kw: Any) -> None:
    """Export claims, one per row, with their document, speaker, figures, date, place and evidence sentence.

    \b
    Example:
      tawthiq export claims --format jsonl --out claims.jsonl
      tawthiq export claims --format acled --from 2025-03-01 --to 2025-03-31 --out coast-acled.csv
      tawthiq export claims --format geojson --governorate Latakia --out latakia.geojson
    """
    scope = _scope(kw)
    with _open_existing(obj) as store:
        if fmt in ROW_FORMATS:
            filters = ClaimFilters(kind=kind, outcome=outcome, incident_id=incident_id, scope=scope)
            count = export_claims(store, fmt, out, filters=filters, overwrite=kw["overwrite"],
                                  spreadsheet_safe=kw["spreadsheet_safe"])
        else:
            if kind or outcome or incident_id is not None:
                raise ExportError(f"--kind, --outcome and --incident apply to jsonl and csv, not {fmt}",
                                  hint="the field formats hold killings and events; filter with --from/--to etc.")
            count = export_events(store, "claims", fmt, out, filters=scope,  # type: ignore[arg-type]
                                  overwrite=kw["overwrite"], spreadsheet_safe=kw["spreadsheet_safe"])
    if out != "-":
        click.echo(f"wrote {count} claims to {out}", err=True)


export_group.add_command(export_claims_command, "claims")


@export_group.command("incidents")
@click.option("--format", "fmt", type=click.Choice(FIELD_FORMATS), required=True,
              help="ACLED or GED CSV, HXL-tagged CSV, GeoJSON or Parquet.")
@click.option("--out", "out", default="-", show_default=True, help="The file to write, or - for standard output.")
@scope_options
@click.pass_obj
@reports_errors
def export_incidents_command(obj: Context, fmt: str, out: str, **kw: Any) -> None:
    """Export incidents, one per row: the headline toll (the median of the sources' figures) with every source's
    figure in the notes.

    \b
    Example:
      tawthiq export incidents --format acled --out incidents-acled.csv
      tawthiq export incidents --format parquet --from 2025-03-06 --to 2025-03-10 --out coast.parquet
    """
    with _open_existing(obj) as store:
        count = export_events(store, "incidents", fmt, out, filters=_scope(kw),  # type: ignore[arg-type]
                              overwrite=kw["overwrite"], spreadsheet_safe=kw["spreadsheet_safe"])
    if out != "-":
        click.echo(f"wrote {count} incidents to {out}", err=True)


@main.group("import")
def import_group() -> None:
    """Import other datasets' files as sources beside Tawthiq's own.

    \b
    Example:
      tawthiq import acled acled-syria-2025.csv
    """


def _run_import(obj: Context, path: Path, which: str) -> None:
    from tawthiq.ingest.acled import import_acled
    from tawthiq.ingest.ged import import_ged
    from tawthiq.pipeline import regroup

    with open_store(obj.db) as store:
        result = (import_acled if which == "acled" else import_ged)(store, path)
        incidents = regroup(store) if not result.unchanged else None
    for number, reason in result.rejected:
        click.echo(f"error: {path}: row {number}: {reason}", err=True)
    if result.unchanged:
        click.echo(f"unchanged {path}: already imported (sha256 {result.sha256[:12]})", err=True)
    else:
        click.echo(f"imported {path}: {result.rows} rows, {result.claims} claims; "
                   f"{len(incidents or [])} incidents in {obj.db}", err=True)
    if result.rejected:
        sys.exit(1)


@import_group.command("acled")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
@reports_errors
def import_acled_command(obj: Context, path: Path) -> None:
    """Import an ACLED CSV file: each row a claim by ACLED, with the file's hash and the row number; regroup.

    \b
    Example:
      tawthiq import acled acled-syria-2025.csv && tawthiq incidents
    """
    _run_import(obj, path, "acled")


@import_group.command("ged")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
@reports_errors
def import_ged_command(obj: Context, path: Path) -> None:
    """Import a UCDP GED CSV file: each row a claim by UCDP (and its civilian deaths), traced to its row; regroup.

    \b
    Example:
      tawthiq import ged ged-syria.csv && tawthiq incidents
    """
    _run_import(obj, path, "ged")


@main.command("report-pdf")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=Path("report.pdf"),
              show_default=True, help="The PDF file to write.")
@click.option("--estimate", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="An estimate file (tawthiq estimate --json) to print with its interval and warnings.")
@click.option("--snapshot", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the claims snapshot (JSON Lines) whose SHA-256 is in every page footer.")
@click.option("--overwrite", is_flag=True, help="Replace OUT (and SNAPSHOT) if they exist.")
@click.pass_obj
@reports_errors
def report_pdf_command(obj: Context, out: Path, estimate: Path | None, snapshot: Path | None, overwrite: bool) -> None:
    """Write the report as PDF for courts and donors: every figure with its sources, the estimate with its interval
    and warnings, Arabic shaped right to left, and the SHA-256 of the data snapshot in every page footer.

    \b
    Example:
      tawthiq report-pdf --out report.pdf --estimate estimate.json --snapshot claims.jsonl
      sha256sum claims.jsonl   # the same digest as the PDF's footer
    """
    from tawthiq.report.pdf import write_pdf

    with _open_existing(obj) as store:
        summary = write_pdf(store, out, estimate=estimate, snapshot_out=snapshot, overwrite=overwrite)
    click.echo(f"wrote {summary.path} ({summary.size_bytes / 1024:.0f} KiB): {summary.incidents} incidents, "
               f"{summary.snapshot_rows} claims; snapshot SHA-256 {summary.snapshot_sha256}", err=True)


@export_group.command("victims")
@click.option("--out", "out", default="-", show_default=True, help="The CSV file to write, or - for standard output.")
@click.option("--overwrite", is_flag=True, help="Replace OUT if it exists.")
@click.option("--spreadsheet-safe", is_flag=True, help="Prefix cells starting with = + - @ with an apostrophe.")
@click.pass_obj
@reports_errors
def export_victims_command(obj: Context, out: str, overwrite: bool, spreadsheet_safe: bool) -> None:
    """Export victim records with the Every Casualty fields and their linked person; protected fields (relatives'
    names, place of origin, the source's record id) are left out: they go only into an evidentiary export.

    \b
    Example:
      tawthiq export victims --out victims.csv
    """
    from tawthiq.export.output import atomic_text_output
    from tawthiq.export.victims import write_victims_csv

    with _open_existing(obj) as store:
        if out == "-":
            count = write_victims_csv(store, sys.stdout, spreadsheet_safe=spreadsheet_safe)
        else:
            with atomic_text_output(out, overwrite=overwrite, newline="") as fh:
                count = write_victims_csv(store, fh, spreadsheet_safe=spreadsheet_safe)
    if out != "-":
        click.echo(f"wrote {count} victim records to {out}", err=True)
