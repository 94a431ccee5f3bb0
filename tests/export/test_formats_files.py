"""HXL validated with libhxl, GeoJSON against RFC 7946, Parquet read back; filters; the export CLI."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import geojson
import hxl
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from tawthiq.cli import main
from tawthiq.errors import ExportError
from tawthiq.export import hxl as hxl_format
from tawthiq.export.cells import coordinate
from tawthiq.export.filters import ExportFilters
from tawthiq.export.formats import export_events, iter_events
from tawthiq.export.output import atomic_text_output
from tawthiq.files import holds_data
from tawthiq.store import Store
from tests.fixtures.store_builder import BuiltStore

SCHEMA = [
    ["#valid_tag", "#valid_required", "#valid_datatype", "#valid_value+min", "#valid_value+max"],
    ["#event+id", "true", "", "", ""],
    ["#date+start", "", "date", "", ""],
    ["#geo+lat", "", "number", "-90", "90"],
    ["#geo+lon", "", "number", "-180", "180"],
    ["#affected+killed", "", "number", "0", ""],
    ["#affected+displaced", "", "number", "0", ""],
]


def _hxl_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


@pytest.mark.parametrize("subject", ["claims", "incidents"])
def test_hxl_is_valid_for_libhxl(store: Store, tmp_path: Path, subject: str) -> None:
    out = tmp_path / "x.csv"
    count = export_events(store, subject, "hxl", out)  # type: ignore[arg-type]
    rows = _hxl_rows(out)
    data = hxl.data(rows)
    assert [c.display_tag for c in data.columns] == list(hxl_format.HASHTAGS)
    assert len(list(data)) == count
    report = hxl.validate(hxl.data(rows), hxl.data(SCHEMA))
    assert report["is_valid"], report["issues"]


def test_hxl_validation_catches_a_broken_value(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    export_events(store, "claims", "hxl", out)
    rows = _hxl_rows(out)
    rows[2][hxl_format.COLUMNS.index("latitude")] = "north"
    assert not hxl.validate(hxl.data(rows), hxl.data(SCHEMA))["is_valid"]


def test_hxl_puts_each_outcome_in_its_affected_column(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    export_events(store, "claims", "hxl", out)
    rows = list(hxl.data(_hxl_rows(out)))
    displaced = [r for r in rows if r.get("#affected+displaced")]
    assert [r.get("#affected+displaced") for r in displaced] == ["5000"]
    assert not displaced[0].get("#affected+killed")
    part = next(r for r in rows if r.get("#meta+part_of"))
    assert part.get("#affected+type") == "civilians" and part.get("#affected+killed") == "800"


def _check_rfc7946(collection: dict[str, object]) -> None:
    assert collection["type"] == "FeatureCollection" and "crs" not in collection
    for feature in collection["features"]:  # type: ignore[attr-defined]
        assert feature["type"] == "Feature" and isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        if geometry is None:
            continue
        lon, lat = geometry["coordinates"]
        assert geometry["type"] == "Point" and -180 <= lon <= 180 and -90 <= lat <= 90
        assert len(str(lon).split(".")[-1]) <= 6 and len(str(lat).split(".")[-1]) <= 6


@pytest.mark.parametrize("subject", ["claims", "incidents"])
def test_geojson_is_valid_rfc7946(store: Store, tmp_path: Path, subject: str) -> None:
    out = tmp_path / "x.geojson"
    count = export_events(store, subject, "geojson", out)  # type: ignore[arg-type]
    text = out.read_text(encoding="utf-8")
    parsed = geojson.loads(text)
    assert parsed.is_valid, parsed.errors()
    raw = json.loads(text)
    assert len(raw["features"]) == count
    _check_rfc7946(raw)
    hamlet = next(f for f in raw["features"] if f["properties"]["location"] == "Ain Sukkar") if subject == "claims" \
        else raw["features"][0]
    assert hamlet["geometry"]["type"] == "Point"
    if subject == "claims":
        assert hamlet["geometry"]["coordinates"] == [35.7833, 35.5167]  # [longitude, latitude]


def test_parquet_reads_back_the_same_events(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "x.parquet"
    count = export_events(store, "claims", "parquet", out)
    table = pq.read_table(out)
    assert table.num_rows == count
    events = list(iter_events(store, "claims"))
    assert table.column("best").to_pylist() == [e.best for e in events]
    assert table.column("notes").to_pylist() == [e.notes for e in events]
    assert str(table.schema.field("latitude").type) == "double"


def test_filters_select_by_date_governorate_and_event_type(store: Store) -> None:
    def refs(filters: ExportFilters) -> set[str]:
        return {e.ref for e in iter_events(store, "claims", filters)}

    everything = refs(ExportFilters())
    march = refs(ExportFilters(date_from=dt.date(2025, 3, 1), date_to=dt.date(2025, 3, 31)))
    homs = refs(ExportFilters(admin1="Homs"))
    assert march and homs and march.isdisjoint(homs) and march | homs < everything
    events_by_date = {e.ref: e.date_start for e in iter_events(store, "claims")}
    assert all(events_by_date[r] and events_by_date[r].startswith("2025-03") for r in march)
    vac = refs(ExportFilters(event_type="Violence against civilians"))
    assert vac and "C9" not in vac  # the displacement claim is in no incident and has no event type
    incidents = {e.ref for e in iter_events(store, "incidents", ExportFilters(admin1="Tartus"))}
    assert len(incidents) == 1


def test_review_filters_follow_the_reviewers_decisions(store: Store) -> None:
    claims = list(iter_events(store, "claims"))
    first, second = claims[0], claims[1]
    assert list(iter_events(store, "claims", ExportFilters(reviewed_only=True))) == []
    decide = ("INSERT INTO review_decisions (claim_id, document_sha256, claim_seq, claim_version, action, user_name,"
              " decided_at) VALUES (?, '', 0, 1, ?, 'rev', '2026-01-01T00:00:00Z')")
    store.conn.execute(decide, (first.claim_id, "confirm"))
    store.conn.execute(decide, (second.claim_id, "confirm"))
    store.conn.execute(decide, (second.claim_id, "reject"))  # the latest decision counts
    assert [e.ref for e in iter_events(store, "claims", ExportFilters(reviewed_only=True))] == [first.ref]
    key, incident_id = store.conn.execute("SELECT key, id FROM incidents ORDER BY id LIMIT 1").fetchone()
    store.conn.execute("INSERT INTO incident_grades (incident_key, grade, user_name, decided_at)"
                       " VALUES (?, 'fair', 'rev', '2026-01-01T00:00:00Z')", (key,))
    graded = {e.claim_id for e in iter_events(store, "claims", ExportFilters(grade="fair"))}
    members = {r[0] for r in store.conn.execute("SELECT claim_id FROM incident_claims WHERE incident_id = ?",
                                                 (incident_id,))}
    exported = {e.claim_id for e in claims}
    assert graded and graded == members & exported
    assert not list(iter_events(store, "claims", ExportFilters(grade="confirmed")))


def test_bad_date_range_is_refused() -> None:
    with pytest.raises(ExportError, match="after the end"):
        ExportFilters(date_from=dt.date(2025, 4, 1), date_to=dt.date(2025, 3, 1))


def test_cli_exports_each_format_and_never_overwrites(built: BuiltStore, tmp_path: Path) -> None:
    runner = CliRunner()
    base = ["--db", str(built.path), "export"]
    for fmt in ("acled", "ged", "hxl", "geojson", "parquet"):
        out = tmp_path / f"inc.{fmt}"
        result = runner.invoke(main, [*base, "incidents", "--format", fmt, "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0
    again = runner.invoke(main, [*base, "incidents", "--format", "acled", "--out", str(tmp_path / "inc.acled")])
    assert again.exit_code == 1 and "already exists" in again.output
    piped = runner.invoke(main, [*base, "claims", "--format", "acled", "--governorate", "Homs"])
    assert piped.exit_code == 0 and len(list(csv.reader(piped.stdout.splitlines()))) == 3
    assert runner.invoke(main, [*base, "claims", "--format", "parquet"]).exit_code == 1
    legacy = runner.invoke(main, [*base, "claims", "--format", "csv", "--from", "2025-03-01"])
    assert legacy.exit_code == 0 and "1982" not in legacy.stdout
    wrong = runner.invoke(main, [*base, "claims", "--format", "ged", "--kind", "event"])
    assert wrong.exit_code == 1 and "--kind" in wrong.output


@given(st.floats(min_value=-180, max_value=180, allow_nan=False))
def test_coordinates_keep_six_decimals(value: float) -> None:
    assert float(coordinate(value)) == pytest.approx(round(value, 6), abs=1e-9)


def test_an_empty_file_is_written_over_and_a_file_with_data_is_not(tmp_path: Path) -> None:
    """A caller may make the output file first (mktemp) and pass its name: nothing is lost by writing over an empty
    file, so no --overwrite is needed for it; a file that holds anything, or a folder, still needs it."""
    empty, full, folder = tmp_path / "empty.csv", tmp_path / "full.csv", tmp_path / "folder"
    empty.touch()
    full.write_text("kept")
    folder.mkdir()
    assert not holds_data(empty) and not holds_data(tmp_path / "missing.csv")
    assert holds_data(full) and holds_data(folder)
    with atomic_text_output(empty) as fh:
        fh.write("new")
    assert empty.read_text() == "new"
    with pytest.raises(ExportError, match="already exists"), atomic_text_output(full) as fh:
        fh.write("lost")
    assert full.read_text() == "kept"
