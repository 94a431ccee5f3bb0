"""The `tawthiq victims` commands, run through click on a temporary store."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from tawthiq.cli import main


def test_synth_import_link_counts_export(tmp_path: Path, fixtures: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "t.db")
    out = runner.invoke(
        main, ["--db", db, "victims", "synth", str(tmp_path / "lists"), "--records", "300", "--lists", "3"]
    )
    assert out.exit_code == 0, out.output
    for name in ("VDC", "SNHR", "SOHR"):
        res = runner.invoke(
            main, ["--db", db, "victims", "import", str(tmp_path / "lists" / f"{name}.csv"), "--list", name]
        )
        assert res.exit_code == 0 and "rejected" in res.output, res.output
    res = runner.invoke(main, ["--db", db, "victims", "link", "--places", str(tmp_path / "lists" / "places.csv")])
    assert res.exit_code == 0 and "persons" in res.output, res.output
    overlap = tmp_path / "overlap.csv"
    res = runner.invoke(main, ["--db", db, "victims", "counts", "--by", "list", "--overlap", str(overlap),
                               "--strata", "governorate"])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert overlap.read_text(encoding="utf-8").splitlines()[0] == "VDC,SNHR,SOHR,governorate,count"
    again = runner.invoke(main, ["--db", db, "victims", "counts", "--overlap", str(overlap)])
    assert again.exit_code == 1 and "already exists" in again.output
    total, identified, partial = (int(n) for n in re.findall(r"\d+", res.output.splitlines()[0]))
    assert total == identified + partial and identified > 0 and partial > 0  # the generator drops fields
    scoped = tmp_path / "identified.csv"
    res = runner.invoke(main, ["--db", db, "victims", "counts", "--scope", "identified", "--overlap", str(scoped)])
    assert res.exit_code == 0, res.output
    assert pd.read_csv(scoped)["count"].sum() == identified < pd.read_csv(overlap)["count"].sum() == total
    res = runner.invoke(main, ["--db", db, "victims", "export", str(tmp_path / "persons.csv")])
    assert res.exit_code == 0 and (tmp_path / "persons.csv").stat().st_size > 0


def test_import_errors_are_one_line_each(tmp_path: Path, fixtures: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "t.db")
    res = runner.invoke(main, ["--db", db, "victims", "import", str(fixtures / "small_en.csv"), "--list", "E",
                               "--mapping", str(fixtures / "bad_mapping.toml")])  # fmt: skip
    assert res.exit_code == 1 and res.output.startswith("error: ") and "bad_mapping.toml" in res.output
    res = runner.invoke(main, ["--db", db, "victims", "import", str(tmp_path / "missing.csv"), "--list", "E"])
    assert res.exit_code == 1 and "no such file" in res.output
    res = runner.invoke(main, ["--db", db, "victims", "confirm", "99"])
    assert res.exit_code == 1 and "no person 99" in res.output
