"""`tawthiq report` through click: writes, refuses to overwrite, refuses a missing store."""

from __future__ import annotations

from pathlib import Path

import lxml.html
from click.testing import CliRunner

from tawthiq.cli import main
from tests.fixtures.store_builder import BuiltStore


def test_report_command_writes_then_refuses_to_overwrite(built: BuiltStore, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    runner = CliRunner()
    first = runner.invoke(main, ["--db", str(built.path), "report", "--out", str(out)])
    assert first.exit_code == 0, first.output
    assert "3 incidents, 12 claims, 4 documents" in first.output
    page = lxml.html.fromstring(out.read_bytes())
    assert page.get_element_by_id("count-claims").text == "12"
    written = out.read_bytes()

    again = runner.invoke(main, ["--db", str(built.path), "report", "--out", str(out)])
    assert again.exit_code == 1
    assert "already exists" in again.output and "--overwrite" in again.output
    assert out.read_bytes() == written

    forced = runner.invoke(main, ["--db", str(built.path), "report", "--out", str(out), "--overwrite"])
    assert forced.exit_code == 0, forced.output


def test_report_command_refuses_a_missing_store(tmp_path: Path) -> None:
    db = tmp_path / "nothing.db"
    result = CliRunner().invoke(main, ["--db", str(db), "report", "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 1
    assert "no store here" in result.output
    assert not db.exists() and not (tmp_path / "r.html").exists()
