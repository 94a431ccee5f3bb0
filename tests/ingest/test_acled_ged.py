"""ACLED and UCDP GED files imported as sources: provenance, idempotence, rejected rows, grouping beside our claims."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from tawthiq.cli import main
from tawthiq.errors import IngestError
from tawthiq.extract.places import Gazetteer
from tawthiq.ingest.acled import import_acled
from tawthiq.ingest.dataset import RowError, parse_date, parse_int
from tawthiq.ingest.ged import import_ged
from tawthiq.pipeline import regroup
from tawthiq.store import open_store
from tests.fixtures.store_builder import build_store

FORMATS = Path(__file__).resolve().parents[1] / "fixtures" / "formats"


def test_acled_rows_become_claims_by_acled_with_provenance(tmp_path: Path) -> None:
    path = FORMATS / "acled_small.csv"
    with open_store(tmp_path / "t.db") as store:
        result = import_acled(store, path)
        assert (result.rows, result.claims, result.rejected) == (3, 3, [])
        rows = store.query(
            "SELECT c.*, ir.row_number, ir.file_sha256, ir.external_id, ir.fields, s.name AS publisher,"
            " substr(d.text, c.span_start + 1, c.span_end - c.span_start) AS evidence"
            " FROM claims c JOIN import_rows ir ON ir.claim_id = c.id JOIN documents d ON d.id = c.document_id"
            " JOIN sources s ON s.id = d.source_id ORDER BY ir.row_number")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert [r["row_number"] for r in rows] == [1, 2, 3]
    assert {r["file_sha256"] for r in rows} == {digest}
    assert [r["external_id"] for r in rows] == ["TEST0001", "TEST0002", "TEST0003"]
    first, second, protest = rows
    assert (first["kind"], first["outcome"], first["best"], first["attributed_to"]) == (
        "casualty_count", "killed", 25, "ACLED")
    assert first["admin1"] == "Latakia"  # ACLED's "Lattakia" read through the gazetteer
    assert second["admin1"] == "Tartus" and second["date_start"] == "2025-03-08" and second["date_prec"] == 2
    assert first["publisher"] == "ACLED"
    assert first["evidence"] == first["sentence"] and "Test Village A" in first["sentence"]
    assert protest["kind"] == "event" and protest["best"] is None
    assert json.loads(protest["fields"])["tags"] == "crowd size=no report"
    assert json.loads(first["actors"])[0] == {"name": "Unidentified Armed Group (Syria)", "role": "perpetrator"}


def test_ged_rows_give_totals_and_civilian_breakdowns(tmp_path: Path) -> None:
    with open_store(tmp_path / "t.db") as store:
        result = import_ged(store, FORMATS / "ged_small.csv")
        rows = store.query("SELECT c.*, ir.part, ir.row_number FROM claims c JOIN import_rows ir ON ir.claim_id = c.id"
                           " ORDER BY c.seq")
    assert (result.rows, result.claims) == (2, 3)
    only_civilians, total, part = rows
    assert (only_civilians["population"], only_civilians["low"], only_civilians["best"], only_civilians["high"]) == (
        "civilians", 28, 30, 34)
    assert only_civilians["admin1"] == "Latakia" and only_civilians["where_prec"] == 1
    assert (total["population"], total["best"], total["date_end"], total["event_type"]) == (
        "total", 40, "2025-03-09", "Battles")
    assert (part["population"], part["best"], part["parent_seq"], part["part"], part["row_number"]) == (
        "civilians", 8, total["seq"], "civilians", 2)


def test_reimport_changes_nothing_and_a_copy_of_the_file_is_the_same_file(tmp_path: Path) -> None:
    copy = tmp_path / "renamed.csv"
    shutil.copy(FORMATS / "acled_small.csv", copy)
    with open_store(tmp_path / "t.db") as store:
        import_acled(store, FORMATS / "acled_small.csv")
        before = store.query("SELECT count(*) FROM claims")[0][0]
        again = import_acled(store, copy)
        assert again.unchanged and store.query("SELECT count(*) FROM claims")[0][0] == before == 3
        assert store.query("SELECT count(*) FROM import_rows")[0][0] == 3


def test_bad_rows_are_rejected_with_row_and_reason_and_good_rows_kept(tmp_path: Path) -> None:
    with open_store(tmp_path / "t.db") as store:
        result = import_acled(store, FORMATS / "acled_bad.csv")
    assert result.rows == 1
    reasons = dict(result.rejected)
    assert set(reasons) == {2, 3, 4}
    assert "event_date" in reasons[2] and "latitude" in reasons[3] and "fatalities" in reasons[4]


def test_missing_columns_are_all_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("event_date,notes\n2025-03-07,x\n", encoding="utf-8")
    with open_store(tmp_path / "t.db") as store, pytest.raises(IngestError) as info:
        import_acled(store, bad)
    message = str(info.value)
    assert str(bad) in message
    for column in ("event_type", "admin1", "latitude", "fatalities"):
        assert column in message


def test_an_incident_shows_our_tolls_beside_acled_and_ucdp_after_regroup(tmp_path: Path) -> None:
    built = build_store(tmp_path / "t.db")
    with open_store(built.path) as store:
        import_acled(store, FORMATS / "acled_small.csv")
        import_ged(store, FORMATS / "ged_small.csv")
        incidents = regroup(store)
    coast = next(i for i in incidents if "Latakia" in i.admin1 and i.date and i.date.start.year == 2025)
    speakers = {c.attributed_to for c in coast.claims if c.best}
    assert {"ACLED", "UCDP GED", "the Syrian Network Monitor"} <= speakers


def test_cli_imports_then_reports_unchanged(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["--db", str(tmp_path / "t.db"), "import", "ged", str(FORMATS / "ged_small.csv")]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    assert "2 rows, 3 claims" in first.output
    second = runner.invoke(main, args)
    assert second.exit_code == 0 and "already imported" in second.output
    bad = runner.invoke(main, ["--db", str(tmp_path / "t.db"), "import", "acled", str(FORMATS / "acled_bad.csv")])
    assert bad.exit_code == 1 and "row 2:" in bad.output


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=__import__("datetime").date(1900, 1, 1)))
def test_dates_in_either_spelling_read_back(date: object) -> None:
    import datetime as dt

    assert isinstance(date, dt.date)
    assert parse_date({"d": date.isoformat()}, "d") == date
    assert parse_date({"d": f"{date.day:02d} {date:%B %Y}"}, "d") == date


@given(st.text(max_size=12))
def test_counts_are_whole_non_negative_numbers_or_rejected(text: str) -> None:
    try:
        value = parse_int({"n": text.strip()}, "n")
    except RowError as e:
        assert "n " in str(e)
        return
    assert value is None or value >= 0


def test_governorate_spellings_of_other_datasets() -> None:
    from tawthiq.ingest.dataset import governorate

    gaz = Gazetteer.load()
    assert governorate("Lattakia", gaz) == "Latakia"
    assert governorate("Hama governorate", gaz) == "Hama"
    assert governorate("Rural Damascus", gaz) == "Rif Dimashq"
