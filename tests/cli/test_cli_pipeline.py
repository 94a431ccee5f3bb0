"""The CLI of the main job, run as a user runs it (a real process, a real SQLite file)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

ARTICLE = (
    "Gunmen killed at least 12 civilians in the town of Jableh in Latakia governorate on 9 March 2025, according to "
    "the Syrian Network for Human Rights.\n\nThe network said the toll was preliminary.\n"
)


def tawthiq(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tawthiq", "--db", str(db), *args],
                          capture_output=True, text=True, timeout=300)


def test_bad_inputs_get_one_line_each_and_the_good_file_is_still_ingested(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 8)
    broken_pdf = tmp_path / "broken.pdf"
    broken_pdf.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\nthis is not a pdf body")
    missing = tmp_path / "missing.txt"
    db = tmp_path / "t.db"
    run = tawthiq("ingest", str(good), str(empty), str(junk), str(broken_pdf), str(missing), db=db)
    assert run.returncode == 1
    errors = [line for line in run.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 4
    for bad in (empty, junk, broken_pdf, missing):
        assert sum(str(bad) in line for line in errors) == 1, run.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM claims WHERE best = 12").fetchone()[0] == 1


def test_claims_json_and_incidents(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    db = tmp_path / "t.db"
    assert tawthiq("ingest", str(good), db=db).returncode == 0
    out = tawthiq("claims", "--json", db=db)
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    count = next(r for r in rows if r["kind"] == "casualty_count")
    assert (count["best"], count["qualifier"], count["admin1"], count["date_start"]) == (12, "at_least", "Latakia",
                                                                                        "2025-03-09")
    assert count["attributed_to"] == "Syrian Network for Human Rights"
    listing = tawthiq("incidents", db=db)
    assert listing.returncode == 0 and "Latakia" in listing.stdout


def test_a_store_that_is_not_a_database_is_refused_clearly(tmp_path: Path) -> None:
    db = tmp_path / "not-a-db.db"
    db.write_text("hello", encoding="utf-8")
    run = tawthiq("claims", db=db)
    assert run.returncode == 1
    assert run.stderr.startswith(f"error: {db}") and "Traceback" not in run.stderr


def test_a_pdf_report_yields_claims_pointing_into_its_text(tmp_path: Path) -> None:
    pdf = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "real.pdf"
    db = tmp_path / "t.db"
    assert tawthiq("ingest", str(pdf), db=db).returncode == 0
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT c.outcome, c.best, c.span_start, c.span_end, c.sentence, d.text, d.media_type "
                        "FROM claims c JOIN documents d ON d.id = c.document_id WHERE c.best IS NOT NULL").fetchall()
    assert rows and rows[0][6] == "application/pdf"
    assert ("injured", 17) in {(r[0], r[1]) for r in rows}
    assert all(r[5][r[2] : r[3]] == r[4] for r in rows)


def test_run_on_the_bundled_demo_articles(tmp_path: Path) -> None:
    demo = Path(__file__).resolve().parents[2] / "tawthiq" / "data" / "demo"
    db, report = tmp_path / "t.db", tmp_path / "report.html"
    run = tawthiq("run", str(demo), "--report", str(report), db=db)
    assert run.returncode == 0, run.stderr
    assert report.stat().st_size > 1000 and f"report: {report}" in run.stdout.replace("\n", "")
    assert "1,426" in run.stdout and "1,300" in run.stdout
