"""`tawthiq export claims` through click: to a file, to standard output, filters, never overwriting."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from tawthiq.cli import main
from tawthiq.export.claims import COLUMNS
from tests.fixtures.store_builder import BuiltStore


def test_export_jsonl_to_stdout(built: BuiltStore) -> None:
    result = CliRunner().invoke(main, ["--db", str(built.path), "export", "claims", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == len(built.claims)
    for row in rows:
        assert built.texts[next(k for k, v in built.sha256.items() if v == row["document_sha256"])][
            row["span_start"] : row["span_end"]] == row["sentence"]


def test_export_csv_to_file_with_filter_then_refuses_to_overwrite(built: BuiltStore, tmp_path: Path) -> None:
    out = tmp_path / "killed.csv"
    runner = CliRunner()
    args = ["--db", str(built.path), "export", "claims", "--format", "csv", "--outcome", "killed", "--out", str(out)]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert rows and {r["outcome"] for r in rows} == {"killed"}
    assert tuple(rows[0]) == COLUMNS
    again = runner.invoke(main, args)
    assert again.exit_code == 1 and "already exists" in again.output
    assert runner.invoke(main, [*args, "--overwrite"]).exit_code == 0


def test_export_rejects_unknown_format(built: BuiltStore) -> None:
    result = CliRunner().invoke(main, ["--db", str(built.path), "export", "claims", "--format", "xml"])
    assert result.exit_code == 2 and "xml" in result.output
