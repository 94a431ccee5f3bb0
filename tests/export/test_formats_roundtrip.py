"""ACLED and GED exports re-imported give back the same values on every column, for claims and for incidents."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tawthiq.export import acled, ged
from tawthiq.export.formats import export_events
from tawthiq.ingest.acled import import_acled
from tawthiq.ingest.ged import import_ged
from tawthiq.store import Store, open_store

FORMATS = Path(__file__).resolve().parents[1] / "fixtures" / "formats"
CASES = [("acled", import_acled, acled.COLUMNS), ("ged", import_ged, ged.COLUMNS)]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize(("fmt", "importer", "columns"), CASES, ids=["acled", "ged"])
@pytest.mark.parametrize("subject", ["claims", "incidents"])
def test_export_import_export_gives_the_same_rows(
    store: Store, tmp_path: Path, fmt: str, importer: object, columns: tuple[str, ...], subject: str
) -> None:
    first = tmp_path / f"first.{fmt}.csv"
    written = export_events(store, subject, fmt, first)  # type: ignore[arg-type]
    assert written >= 3
    with open_store(tmp_path / "again.db") as again:
        result = importer(again, first)  # type: ignore[operator]
        assert result.rejected == [] and result.rows == written
        second = tmp_path / f"second.{fmt}.csv"
        export_events(again, "claims", fmt, second)  # type: ignore[arg-type]
    before, after = _rows(first), _rows(second)
    assert list(after[0]) == list(columns)
    assert len(after) == len(before)
    for old, new in zip(before, after, strict=True):
        assert new == old


def test_acled_claims_carry_best_figure_and_fold_breakdowns(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "a.csv"
    export_events(store, "claims", "acled", out)
    rows = _rows(out)
    notes = [r["notes"] for r in rows]
    assert not any(n.startswith("Among the dead were at least 800 civilians") for n in notes)  # a breakdown
    total = next(r for r in rows if r["notes"].startswith("More than 1,200") and "Levant Wire" in r["source"])
    assert (total["fatalities"], total["time_precision"], total["geo_precision"]) == ("1200", "2", "3")
    assert total["source"] == "Levant Wire; the Syrian Network Monitor"
    hamlet = next(r for r in rows if r["location"] == "Ain Sukkar")
    assert (hamlet["latitude"], hamlet["longitude"], hamlet["geo_precision"]) == ("35.5167", "35.7833", "2")


def test_ged_incident_headline_is_the_median_with_each_source_in_notes(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "g.csv"
    export_events(store, "incidents", "ged", out)
    coast = next(r for r in _rows(out) if r["date_start"] == "2025-03-06")
    # speakers' figures: residents 14, SNM 1,200 (more than), commission 1,450; the copy adds nothing
    assert (coast["low"], coast["best"], coast["high"], coast["deaths_civilians"]) == ("1200", "1200", "1450", "800")
    a_out = tmp_path / "a.csv"
    export_events(store, "incidents", "acled", a_out)
    notes = next(r for r in _rows(a_out) if r["event_date"] == "2025-03-06")["notes"]
    assert "the official commission: 1,450" in notes and "More than 1,200" in notes


def test_real_style_acled_file_exports_back_its_own_values(tmp_path: Path) -> None:
    with open_store(tmp_path / "t.db") as store:
        import_acled(store, FORMATS / "acled_small.csv")
        out = tmp_path / "back.csv"
        export_events(store, "claims", "acled", out)
    original = _rows(FORMATS / "acled_small.csv")
    back = _rows(out)
    for old, new in zip(original, back, strict=True):
        for column in ("event_id_cnty", "event_type", "sub_event_type", "actor1", "actor2", "location", "source",
                       "source_scale", "notes", "fatalities", "time_precision", "geo_precision", "tags"):
            assert new[column] == old[column], column
    assert back[0]["admin1"] == "Latakia"  # our canonical name, not ACLED's "Lattakia" (docs/exports.md)
    assert back[1]["event_date"] == "2025-03-08"  # ISO, whatever spelling was read
