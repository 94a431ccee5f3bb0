"""Commands of the main job: ingest, claims, incidents, and `run` (all of them, then the report)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tawthiq.cli.app import Context, main, reports_errors
from tawthiq.store import Store, open_store

if TYPE_CHECKING:
    from tawthiq.pipeline import IngestResult

console = Console(stderr=True)


def _ingest_with_progress(store: Store, paths: tuple[Path, ...]) -> IngestResult:
    from tawthiq.pipeline import expand, ingest_paths  # heavy: imported only when a command needs it

    files, _ = expand(paths)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True, disable=len(files) < 2) as progress:
        task = progress.add_task("ingesting", total=len(files))

        def step(path: Path) -> None:
            progress.update(task, advance=1, description=f"ingesting {path.name[:40]}")

        return ingest_paths(store, paths, on_file=step)


def _ingest_with_engine(store: Store, paths: tuple[Path, ...], engine: str, master: str | None) -> IngestResult:
    """Files and folders on the local engine as always; crawl files, or any input on Spark, through tawthiq.scale."""
    from tawthiq.scale import ingest_scaled, is_record_file

    if engine == "local" and not any(is_record_file(p) for p in paths):
        return _ingest_with_progress(store, paths)
    return ingest_scaled(store, list(paths), engine="spark" if engine == "spark" else "local", master=master)


def _print_result(result: IngestResult) -> None:
    for path, claims in result.added:
        console.print(f"ingested {path}: {claims} claims")
    for path in result.unchanged:
        console.print(f"unchanged {path}: already in the store")
    for path, original, similarity in result.copies:
        console.print(f"copy {path}: republishes document {original[:12]} (similarity {similarity:.2f})")
    for path, why in result.skipped:
        console.print(f"skipped {path}: {why}")
    for error in result.failed:
        click.echo(f"error: {error.path}: {error.reason}", err=True)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--engine", type=click.Choice(["local", "spark"]), default="local", show_default=True,
              help="local: this process; spark: a PySpark job (docs/scale.md).")
@click.option("--master", help="Spark master for --engine spark: local[N] (default local[2]), spark://host:7077 ...")
@click.pass_obj
@reports_errors
def ingest(obj: Context, paths: tuple[Path, ...], engine: str, master: str | None) -> None:
    """Ingest text, HTML and PDF files (or folders of them), extract claims and regroup incidents.

    A .jsonl or .parquet file is read as crawled documents, one a line or row (url, html or text, published_at,
    title: see docs/scale.md), written to the store in batches.

    \b
    Example:
      tawthiq ingest ../shared/corpus report.pdf
      tawthiq ingest --engine spark --master local[2] crawl.jsonl
    """
    from tawthiq.pipeline import regroup

    if master and engine != "spark":
        raise click.UsageError("--master is for --engine spark")
    with open_store(obj.db) as store:
        result = _ingest_with_engine(store, paths, engine, master)
        incidents = regroup(store) if result.added else store.query("SELECT id FROM incidents")
    _print_result(result)
    console.print(f"{len(result.added)} added, {len(result.unchanged)} unchanged, {len(result.failed)} failed; "
                  f"{len(incidents)} incidents in {obj.db}")
    if result.failed:
        sys.exit(1)


CLAIM_FIELDS = ("id", "kind", "outcome", "population", "low", "best", "high", "qualifier_text", "date_start",
                "date_end", "place", "admin1", "attributed_to", "caveat")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line instead of a table.")
@click.option("--kind", help="Only claims of this kind (casualty_count, event, verification_caveat, actor_count).")
@click.pass_obj
@reports_errors
def claims(obj: Context, as_json: bool, kind: str | None) -> None:
    """List the extracted claims.

    \b
    Example:
      tawthiq claims --kind casualty_count
      tawthiq claims --json | jq .best
    """
    with open_store(obj.db) as store:
        sql = "SELECT c.*, d.sha256 AS document_sha256 FROM claims c JOIN documents d ON d.id = c.document_id"
        rows = store.query(sql + (" WHERE c.kind = ?" if kind else "") + " ORDER BY c.document_id, c.seq",
                           (kind,) if kind else ())
    if as_json:
        for row in rows:
            record = {k: row[k] for k in row.keys() if k != "actors"}  # noqa: SIM118 (Row iterates values)
            record["actors"] = json.loads(row["actors"])
            click.echo(json.dumps(record, ensure_ascii=False))
        return
    table = Table(*CLAIM_FIELDS, title=f"{len(rows)} claims")
    for row in rows:
        table.add_row(*("" if row[f] is None else str(row[f]) for f in CLAIM_FIELDS))
    Console().print(table)


@main.command()
@click.option("--regroup", "again", is_flag=True, help="Recompute the grouping first.")
@click.pass_obj
@reports_errors
def incidents(obj: Context, again: bool) -> None:
    """List incidents with each source's figures side by side and their disagreements.

    \b
    Example:
      tawthiq incidents
    """
    from tawthiq.pipeline import regroup

    with open_store(obj.db) as store:
        if again:
            regroup(store)
        rows = store.query("SELECT * FROM incidents ORDER BY date_start")
        out = Console()
        for inc in rows:
            out.rule(f"[bold]{inc['title']}[/] — {_sources(inc['independent_sources'])}")
            members = store.query(
                """SELECT c.*, COALESCE(s.name, d.path) AS publisher FROM incident_claims ic
                   JOIN claims c ON c.id = ic.claim_id JOIN documents d ON d.id = c.document_id
                   LEFT JOIN sources s ON s.id = d.source_id
                   WHERE ic.incident_id = ? AND c.best IS NOT NULL ORDER BY c.outcome, c.population""",
                (inc["id"],),
            )
            table = Table("claim", "publisher", "attributed to", "outcome", "population", "low", "best", "high",
                          "as written", "date", "place")
            for c in members:
                table.add_row(str(c["id"]), c["publisher"], c["attributed_to"] or "", c["outcome"] or "",
                              c["population"] or "", _n(c["low"]), _n(c["best"]), _n(c["high"]),
                              c["quantity_text"] or "", c["date_start"] or "", c["place"] or c["admin1"] or "")
            out.print(table)
            for sentence in json.loads(inc["contradictions"]):
                out.print(f"[red]![/] {sentence}")


def _n(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--report", "report_path", default="report.html", show_default=True, type=click.Path(path_type=Path))
@click.pass_obj
@reports_errors
def run(obj: Context, paths: tuple[Path, ...], report_path: Path) -> None:
    """The whole job: ingest, extract, group, write the HTML report and print a summary.

    \b
    Example:
      tawthiq --db tawthiq.db run ../shared/corpus --report report.html
    """
    from tawthiq.pipeline import load_incidents, regroup
    from tawthiq.report.html import write_report

    with open_store(obj.db) as store:
        result = _ingest_with_progress(store, paths)
        incidents_found = regroup(store) if result.added else load_incidents(store)
        write_report(store, report_path, overwrite=True)
        n_claims = store.query("SELECT count(*) FROM claims WHERE kind = 'casualty_count'")[0][0]
    _print_result(result)
    summary = Console()
    summary.print(f"[bold]{len(result.added) + len(result.unchanged)}[/] documents, [bold]{n_claims}[/] casualty "
                  f"claims, [bold]{len(incidents_found)}[/] incidents")
    for inc in incidents_found[:10]:
        summary.print(f"  • {inc.title} — {len(inc.claims)} claim{'s' if len(inc.claims) != 1 else ''}, "
                          f"{_sources(inc.independent_sources)}")
        for sentence in inc.contradictions[:4]:
            summary.print(f"      ! {sentence}")
    summary.print(f"store: {Path(obj.db).resolve()}")
    summary.print(f"report: {report_path.resolve()}")
    if result.failed:
        sys.exit(1)


def _sources(n: int) -> str:
    return f"{n} independent source{'' if n == 1 else 's'}"
