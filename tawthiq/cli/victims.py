"""`tawthiq victims`: import victim lists, link them into persons, count, review and export."""

from __future__ import annotations

import json
from pathlib import Path

import click

from tawthiq.cli.app import Context, main, reports_errors
from tawthiq.errors import LinkageError
from tawthiq.files import holds_data
from tawthiq.link import DEFAULT_THRESHOLD
from tawthiq.store import open_store


@main.group()
def victims() -> None:
    """Victim lists: import, link into unique persons, count, review.

    \b
    Example:
      tawthiq victims synth lists/ --records 2000
      tawthiq victims import lists/VDC.csv --list VDC
      tawthiq victims link --places lists/places.csv
      tawthiq victims counts --overlap overlap.csv --by governorate
    """


@victims.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--list", "list_name", required=True, help="The name of the list the file holds.")
@click.option("--mapping", type=click.Path(path_type=Path), help="A TOML column mapping ([columns] field = column).")
@click.option("--map", "pairs", multiple=True, help="FIELD=COLUMN, repeatable; overrides --mapping.")
@click.pass_obj
@reports_errors
def import_cmd(ctx: Context, file: Path, list_name: str, mapping: Path | None, pairs: tuple[str, ...]) -> None:
    """Import a CSV or XLSX list; bad rows are reported by row number, good rows kept; re-import changes nothing.

    \b
    Example:
      tawthiq victims import snhr.xlsx --list SNHR --map name_ar=الاسم --map date_of_death="تاريخ الوفاة"
    """
    from tawthiq.ingest.lists import Mapping, import_list

    base = Mapping.from_toml(mapping) if mapping else None
    columns = Mapping.from_pairs(list(pairs), base) if pairs else (base or Mapping())
    with open_store(ctx.db) as store:
        report = import_list(store, file, list_name, columns)
    for error in report.errors:
        click.echo(f"{file}: row {error.row_number}: {error.reason}", err=True)
    click.echo(report.summary())


@victims.command("link")
@click.option("--threshold", default=DEFAULT_THRESHOLD, show_default=True,
              help="Match probability at which two records merge (conflicting records never merge).")
@click.option("--places", type=click.Path(path_type=Path), help="CSV of village,district,governorate for places.")
@click.option("--backend", type=click.Choice(["duckdb", "spark"]), default="duckdb", show_default=True)
@click.option("--seed", default=0, show_default=True, help="Seed of the model's random sampling.")
@click.pass_obj
@reports_errors
def link_cmd(ctx: Context, threshold: float, places: Path | None, backend: str, seed: int) -> None:
    """Link all imported records into persons (Splink), keeping analysts' confirm/split decisions.

    \b
    Example:
      tawthiq victims link --places places.csv --threshold 0.3
    """
    from tawthiq.link.run import link_store

    with open_store(ctx.db) as store:
        result = link_store(store, threshold=threshold, places_file=places, backend=backend, seed=seed)  # type: ignore[arg-type]
    click.echo(f"run {result.run_id}: {result.n_records} records -> {result.n_persons} persons "
               f"({result.n_pairs} scored pairs)")  # fmt: skip


@victims.command("counts")
@click.option("--by", "by", multiple=True, help="list, governorate, month, status, sex or age_group (repeatable).")
@click.option("--overlap", type=click.Path(path_type=Path), help="Write the overlap table of lists to this CSV.")
@click.option("--strata", multiple=True, help="Stratum columns of the overlap table, e.g. governorate.")
@click.option("--scope", type=click.Choice(["all", "identified"]), default="all", show_default=True,
              help="Count every person, or only those with a record giving a given and a family name, the date and "
                   "the place of death (HRDAG's rule for its Syria enumerations).")  # fmt: skip
@click.option("--overwrite", is_flag=True, help="Replace an existing overlap file.")
@click.pass_obj
@reports_errors
def counts_cmd(
    ctx: Context, by: tuple[str, ...], overlap: Path | None, strata: tuple[str, ...], scope: str, overwrite: bool
) -> None:
    """Unique persons overall and by list or stratum; the overlap CSV that `tawthiq estimate` reads.

    \b
    Example:
      tawthiq victims counts --by list --by governorate --overlap overlap.csv --strata governorate
      tawthiq victims counts --scope identified --overlap identified.csv
    """
    from tawthiq.link.counts import counts_by, in_scope, store_person_table, write_overlap

    with open_store(ctx.db) as store:
        persons, lists = store_person_table(store)
    identified = int(persons["identified"].sum())
    click.echo(f"unique persons: {len(persons)} (fully identified: {identified}; known only from records that lack "
               f"a name, a date or a place of death: {len(persons) - identified})")  # fmt: skip
    persons = in_scope(persons, scope)
    if scope != "all":
        click.echo(f"counting the {len(persons)} fully identified persons")
    for key in by:
        for row in counts_by(persons, key).itertuples(index=False):
            click.echo(f"{key}\t{row[0]}\t{row[1]}")
    if overlap:
        table = write_overlap(persons, lists, list(strata), overlap, overwrite)
        click.echo(f"{overlap}: {len(table)} capture patterns over {len(lists)} lists")


@victims.command("export")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--overwrite", is_flag=True, help="Replace an existing file.")
@click.pass_obj
@reports_errors
def export_cmd(ctx: Context, out: Path, overwrite: bool) -> None:
    """Write every record with its person and the pair score that merged it (CSV).

    \b
    Example:
      tawthiq victims export persons.csv
    """
    if holds_data(out) and not overwrite:
        raise LinkageError(f"{out}: already exists", hint="pass --overwrite to replace it")
    import pandas as pd

    with open_store(ctx.db) as store:
        rows = store.query(
            "SELECT pr.person_id, r.id AS record_id, r.list_name, r.record_key, r.row_number, r.name_ar, "
            "r.name_latin, r.given_name, r.father_name, r.family_name, r.sex, r.age, r.date_of_death, "
            "r.place_of_death, r.governorate, r.status, pr.via_record_id, pr.match_probability, pr.weights "
            "FROM victim_records r LEFT JOIN person_records pr ON pr.record_id = r.id ORDER BY pr.person_id, r.id"
        )
    pd.DataFrame([dict(r) for r in rows]).to_csv(out, index=False)
    click.echo(f"{out}: {len(rows)} records")


@victims.command("confirm")
@click.argument("person", type=int)
@click.option("--analyst", default="", help="Who decided.")
@click.option("--note", default="", help="Why.")
@click.pass_obj
@reports_errors
def confirm_cmd(ctx: Context, person: int, analyst: str, note: str) -> None:
    """Confirm that all records of a person are one person; later runs keep them together.

    \b
    Example:
      tawthiq victims confirm 1042 --analyst rana --note "same father and village, family confirmed"
    """
    from tawthiq.link.review import confirm

    with open_store(ctx.db) as store:
        decision = confirm(store, person, analyst, note)
    click.echo(f"decision {decision}: person {person} confirmed")


@victims.command("split")
@click.argument("person", type=int)
@click.option("--group", "groups", multiple=True, required=True, help="Comma-separated record ids of one person.")
@click.option("--analyst", default="", help="Who decided.")
@click.option("--note", default="", help="Why.")
@click.pass_obj
@reports_errors
def split_cmd(ctx: Context, person: int, groups: tuple[str, ...], analyst: str, note: str) -> None:
    """Split a person: each --group is one person, the remaining records another; later runs keep them apart.

    \b
    Example:
      tawthiq victims split 1042 --group 1042,2210 --note "brothers, not one man"
    """
    from tawthiq.link.review import split

    try:
        parsed = [[int(x) for x in g.split(",") if x.strip()] for g in groups]
    except ValueError as e:
        raise LinkageError(f"--group must be comma-separated record ids ({e})") from e
    with open_store(ctx.db) as store:
        decision = split(store, person, parsed, analyst, note)
    click.echo(f"decision {decision}: person {person} split into {len(parsed) + 1} groups at most")


@victims.command("synth")
@click.argument("out_dir", type=click.Path(path_type=Path))
@click.option("--records", default=2000, show_default=True, help="About how many records in all.")
@click.option("--lists", "n_lists", default=5, show_default=True, help="How many lists (3 to 8).")
@click.option("--seed", default=0, show_default=True)
@click.pass_obj
@reports_errors
def synth_cmd(ctx: Context, out_dir: Path, records: int, n_lists: int, seed: int) -> None:
    """Generate Syrian-style victim lists with ground truth (one CSV per list, truth.csv, places.csv).

    \b
    Example:
      tawthiq victims synth demo/ --records 5000 --lists 5 --seed 1
    """
    from tawthiq.link.synth import generate_lists, write_lists

    frame = generate_lists(records, n_lists, seed)
    paths = write_lists(frame, out_dir)
    click.echo(json.dumps({"records": len(frame), "persons": int(frame["person_id"].nunique()),
                           "files": [str(p) for p in paths]}, ensure_ascii=False))  # fmt: skip
