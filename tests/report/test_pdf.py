"""The PDF report checked as a person reads it: pages rendered to PNG (kept as artifacts), text in logical order."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tawthiq.cli import main
from tawthiq.errors import ExportError
from tawthiq.export.claims import export_claims
from tawthiq.report.pdf import load_estimates, write_pdf
from tawthiq.store import Store
from tests.fixtures.store_builder import ARABIC_TEXT, BuiltStore

ARTIFACTS = Path(__file__).resolve().parents[2] / "build" / "test-artifacts" / "pdf"  # /build/ is git-ignored
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
GENERATED = dt.datetime(2025, 9, 1, 12, 0, tzinfo=dt.UTC)
ESTIMATE = {"method": "lcmcr", "model": "", "lists": ["A", "B", "C"], "observed": 900, "estimate": 1400.4,
            "undocumented": 500.4, "ci_95": [1100.0, None], "diagnostics": {},
            "warnings": ["Lists A and C barely overlap: the upper end of the interval is unbounded."]}

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
                                   reason="poppler-utils not installed (run scripts/system-deps.sh)")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """One PDF for the module (rendering takes seconds): (pdf, snapshot, pdftotext's text)."""
    from tawthiq.store import open_store
    from tests.fixtures.store_builder import build_store

    tmp = tmp_path_factory.mktemp("pdf")
    built = build_store(tmp / "t.db")
    estimate = tmp / "estimate.json"
    estimate.write_text(json.dumps(ESTIMATE), encoding="utf-8")
    with open_store(built.path) as store:
        write_pdf(store, tmp / "report.pdf", estimate=estimate, snapshot_out=tmp / "claims.jsonl",
                  generated_at=GENERATED)
    text = ""
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(tmp / "report.pdf"), "-"], check=True,
                              capture_output=True, text=True).stdout
    return tmp / "report.pdf", tmp / "claims.jsonl", text


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", BIDI_MARKS.sub("", text))


@needs_poppler
def test_pages_render_to_png_artifacts(rendered: tuple[Path, Path, str]) -> None:
    pdf, _, _ = rendered
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("page-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(ARTIFACTS / "page")], check=True)
    pages = sorted(ARTIFACTS.glob("page-*.png"))
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert len(pages) == int(re.search(r"Pages:\s+(\d+)", info).group(1)) >= 2  # type: ignore[union-attr]
    assert all(p.read_bytes().startswith(b"\x89PNG") and p.stat().st_size > 2000 for p in pages)


@needs_poppler
def test_arabic_text_comes_back_in_logical_order(rendered: tuple[Path, Path, str]) -> None:
    text = _plain(rendered[2])
    assert "مجزرة تل حمرا" in text  # the Arabic document's title
    assert "شبكة الساحل" in text  # its publisher
    phrase = "في قرية تل حمرا بريف حمص"  # words of the claim's sentence, in reading order
    assert phrase in ARABIC_TEXT and phrase in text
    assert "بحسب ناشطين محليين" in text
    assert "ارمح لت ةرزجم" not in text  # not reversed (visual order)


@needs_poppler
def test_every_page_footer_has_the_snapshot_digest(rendered: tuple[Path, Path, str]) -> None:
    _pdf, snapshot, text = rendered
    digest = hashlib.sha256(snapshot.read_bytes()).hexdigest()
    pages = text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")
    assert len(pages) >= 2
    assert all(f"Data snapshot SHA-256: {digest}" in _plain(page) for page in pages if page.strip())


def test_snapshot_is_the_claims_export(rendered: tuple[Path, Path, str], tmp_path: Path) -> None:
    _, snapshot, _ = rendered
    from tawthiq.store import open_store
    from tests.fixtures.store_builder import build_store

    built = build_store(tmp_path / "same.db")
    with open_store(built.path) as store:
        export_claims(store, "jsonl", tmp_path / "claims.jsonl")
    assert hashlib.sha256((tmp_path / "claims.jsonl").read_bytes()).digest() == \
        hashlib.sha256(snapshot.read_bytes()).digest()


@needs_poppler
def test_estimate_with_interval_and_warnings_and_figures_with_sources(rendered: tuple[Path, Path, str]) -> None:
    text = _plain(rendered[2])
    assert "estimated total 1,400, 95% interval 1,100 – unbounded" in text
    assert ESTIMATE["warnings"][0] in text  # type: ignore[index]
    assert "Coast Review (citing activists) gives more than 90 killed" in text
    assert "Levant Wire" in text and "1,450" in text


def test_bad_estimate_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "e.json"
    bad.write_text('{"method": "x"}', encoding="utf-8")
    with pytest.raises(ExportError, match="no estimate"):
        load_estimates(bad)
    bad.write_text("not json", encoding="utf-8")
    with pytest.raises(ExportError, match="not a JSON estimate"):
        load_estimates(bad)


def test_cli_refuses_to_overwrite(built: BuiltStore, store: Store, tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    out.write_bytes(b"keep")
    result = CliRunner().invoke(main, ["--db", str(built.path), "report-pdf", "--out", str(out)])
    assert result.exit_code == 1 and "already exists" in result.output
    assert out.read_bytes() == b"keep"
