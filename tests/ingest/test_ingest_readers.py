"""read_document: media sniffing, decoding, metadata, PDF pages, and one clear reason per kind of bad input."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from tawthiq.errors import IngestError, UnreadableError
from tawthiq.ingest.readers import HTML, PDF, TEXT, read_document

from .conftest import CORPUS_AR, FIXTURES, LONG_READ, shared_file

BAD_INPUTS = [
    ("does-not-exist.txt", "file not found"),
    (".", "is a directory"),
    ("empty.txt", "empty file"),
    ("whitespace.txt", "only whitespace"),
    ("junk.bin", "binary data (contains NUL bytes)"),
    ("image.png", "binary data (a PNG image)"),
    ("undecodable.txt", "undecodable text"),
    ("broken.pdf", "broken PDF"),
    ("encrypted.pdf", "encrypted PDF"),
    ("blank.pdf", "PDF has no extractable text"),
]


@pytest.mark.parametrize(("name", "reason"), BAD_INPUTS)
def test_bad_input_gives_one_clear_reason(name: str, reason: str) -> None:
    path = FIXTURES / name
    with pytest.raises(UnreadableError) as caught:
        read_document(path)
    error = caught.value
    assert isinstance(error, IngestError)
    assert reason in error.reason
    assert str(path) in str(error).splitlines()[0]  # the first line names the file and says why
    assert error.reason in str(error).splitlines()[0]


def test_bad_input_reasons_are_distinct() -> None:
    reasons = []
    for name, _ in BAD_INPUTS:
        with pytest.raises(UnreadableError) as caught:
            read_document(FIXTURES / name)
        reasons.append(caught.value.reason)
    assert len(set(reasons)) == len(reasons)


def test_html_page_without_text_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_text("<html><head><title>t</title><script>var a = 1;</script></head><body></body></html>")
    with pytest.raises(UnreadableError, match="no readable text"):
        read_document(page)


def test_plain_text_keeps_original_bytes_and_hash(fixtures: Path) -> None:
    path = fixtures / "article_en.txt"
    doc = read_document(path)
    data = path.read_bytes()
    assert doc.data == data
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.media_type == TEXT
    assert doc.encoding == "utf-8"
    assert doc.text == data.decode("utf-8")


@pytest.mark.parametrize(
    ("name", "encoding", "expected"),
    [("latin1.txt", "cp1252", "Les équipes ont recensé des dégâts"), ("cp1256.txt", "cp1256", "أحصى المتطوعون")],
)
def test_legacy_encodings_are_detected_and_named(name: str, encoding: str, expected: str) -> None:
    doc = read_document(FIXTURES / name)
    assert doc.encoding == encoding
    assert expected in doc.text


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-8-sig"])
def test_unicode_with_and_without_bom(tmp_path: Path, codec: str) -> None:
    text = "Volunteers counted 42 damaged houses. وثق المتطوعون الأضرار."
    path = tmp_path / "note.txt"
    path.write_bytes(text.encode(codec))
    assert read_document(path).text.lstrip("\ufeff") == text


def test_media_type_is_sniffed_from_content_not_extension(tmp_path: Path, fixtures: Path) -> None:
    pdf_named_txt = tmp_path / "report.txt"
    pdf_named_txt.write_bytes((fixtures / "real.pdf").read_bytes())
    html_named_txt = tmp_path / "page.txt"
    html_named_txt.write_bytes((fixtures / "chrome_article.html").read_bytes())
    assert read_document(pdf_named_txt).media_type == PDF
    assert read_document(html_named_txt).media_type == HTML


def test_pdf_text_keeps_page_offsets(fixtures: Path) -> None:
    doc = read_document(fixtures / "real.pdf")
    assert doc.media_type == PDF
    assert doc.pages is not None and len(doc.pages) == 2
    first, second = (doc.text[start:end] for start, end in doc.pages)
    assert "42 damaged houses" in first and "42 damaged houses" not in second
    assert "17 injured people" in second
    assert doc.pages[0][1] <= doc.pages[1][0]


def test_html_main_text_and_metadata(fixtures: Path) -> None:
    doc = read_document(fixtures / "chrome_article.html")
    assert doc.media_type == HTML
    assert doc.title == "Clinic reopens in river town after week of shelling"
    assert doc.url == "https://ledger.example.org/world/2024/02/21/clinic-reopens"
    assert doc.site_name == "The Harbour Ledger"
    assert doc.published_at == dt.date(2024, 2, 21)
    assert "article:published_time" in doc.published_note
    assert "Doctors treated 31 patients" in doc.text
    for chrome in ("Sport", "Privacy policy", "dataLayer", "display: block"):
        assert chrome not in doc.text
    [caption] = doc.captions
    assert caption.date == dt.date(2024, 2, 20)
    assert caption.credit == "Omar Khalil/Harbour Ledger"
    assert "debris" not in doc.text


def test_html_without_published_meta_has_no_guessed_date(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(
        "<html><head><title>Report</title><link rel='canonical' href='https://x.example.org/2023/05/report'></head>"
        "<body><article><p>The committee published its findings about the attack on the market in the town."
        "</p><p>Related</p><p>12-01-2026</p></article></body></html>",
        encoding="utf-8",
    )
    doc = read_document(page)
    assert doc.published_at is None
    assert "not stated" in doc.published_note


def test_arabic_pages_metadata_from_the_shared_corpus() -> None:
    expected = {
        "01_rebaznews-snhr-coast-803.html": dt.date(2025, 3, 11),
        "04_beirut24-sohr-coast-2146.html": dt.date(2025, 3, 21),
        "09_megaphone-sohr-snhr-sweida-594.html": dt.date(2025, 7, 18),
        "15_syriansg-houla-108.html": None,  # states no date; the URL's 2023/05 must not become one
    }
    for name, published in expected.items():
        doc = read_document(shared_file(CORPUS_AR / name))
        assert doc.media_type == HTML
        assert doc.published_at == published, name
        assert doc.url.startswith("https://")
        assert doc.site_name
        assert "<" not in doc.title and "&lt;" not in doc.title


def test_shared_english_long_read_is_plain_text() -> None:
    doc = read_document(shared_file(LONG_READ))
    assert doc.media_type == TEXT
    assert doc.encoding == "utf-8"
    assert doc.sha256 == hashlib.sha256(LONG_READ.read_bytes()).hexdigest()


def test_html_declared_legacy_charset_and_tiny_page(tmp_path: Path) -> None:
    page = tmp_path / "legacy.html"
    page.write_bytes(
        "<html><head><meta http-equiv='Content-Type' content='text/html; charset=windows-1256'><title>تقرير</title>"
        "</head><body><p>قالت اللجنة إنها وثقت أسماء أربعين شخصا.</p></body></html>".encode("cp1256")
    )
    doc = read_document(page)
    assert doc.encoding == "cp1256"
    assert doc.title == "تقرير"
    assert doc.text == "قالت اللجنة إنها وثقت أسماء أربعين شخصا."
    tiny = tmp_path / "tiny.html"
    tiny.write_text("<html><body><p>Short text here.</p></body></html>", encoding="utf-8")
    assert read_document(tiny).text == "Short text here."
