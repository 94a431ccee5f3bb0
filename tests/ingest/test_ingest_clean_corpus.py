"""Cleaning the real, messy documents of ../shared: what must go, what must stay, what must be recorded.

No sentence of the articles is copied here: the checks use short names and dates, counts and structure.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest

from tawthiq.ingest.clean import (
    BREADCRUMB,
    CAPTION,
    GLUED_SENTENCE,
    NAVIGATION,
    REPEATED_HEADLINE,
    REPEATED_SENTENCE,
    SPLICE,
    SYNDICATION,
    TAG_RESIDUE,
    Cleaned,
    clean_text,
)
from tawthiq.ingest.readers import read_document

from .conftest import CORPUS_AR, LONG_READ, NBC, shared_file

SENTENCE = re.compile(r"[^.!?]+[.!?]")


@pytest.fixture(scope="module")
def long_read() -> tuple[str, Cleaned]:
    raw = shared_file(LONG_READ).read_text(encoding="utf-8")
    return raw, clean_text(raw)


@pytest.fixture(scope="module")
def arabic() -> dict[str, tuple[str, Cleaned]]:
    out = {}
    for path in sorted(CORPUS_AR.glob("*.html")) if CORPUS_AR.exists() else []:
        doc = read_document(path)
        out[path.name[:2]] = (doc.text, clean_text(doc.text, "ar"))
    if len(out) < 4:
        pytest.skip("shared Arabic corpus not available")
    return out


def test_long_read_chrome_is_gone(long_read: tuple[str, Cleaned]) -> None:
    raw, cleaned = long_read
    for chrome in ("Become a member", "Advertisement", "spot_img", "Get the best offers", "Listen to our podcasts"):
        assert chrome in raw
        assert chrome not in cleaned.text
    assert not any(line.startswith("Home") for line in cleaned.text.splitlines())
    assert any(reason == BREADCRUMB and text.startswith("Home") for reason, text in cleaned.removed)


def test_long_read_headline_kept_once_as_title(long_read: tuple[str, Cleaned]) -> None:
    _, cleaned = long_read
    assert cleaned.title.endswith("deadly reckoning")
    assert cleaned.text.count("deadly reckoning") == 1
    assert cleaned.text.startswith(cleaned.title)


def test_long_read_duplicated_sentences_appear_once(long_read: tuple[str, Cleaned]) -> None:
    raw, cleaned = long_read
    raw_counts = Counter(" ".join(s.split()) for s in SENTENCE.findall(raw) if len(s.split()) >= 8)
    duplicated = [s for s, n in raw_counts.items() if n > 1]
    assert len(duplicated) >= 2  # the corpus has (at least) two sentences stored twice
    clean_counts = Counter(" ".join(s.split()) for s in SENTENCE.findall(cleaned.text) if len(s.split()) >= 8)
    for sentence in duplicated:
        assert clean_counts[sentence] == 1, sentence[:40]
    assert sum(reason == REPEATED_SENTENCE for reason, _ in cleaned.removed) == len(duplicated)
    assert max(clean_counts.values()) == 1


def test_long_read_splice_is_split_and_recorded(long_read: tuple[str, Cleaned]) -> None:
    raw, cleaned = long_read
    assert re.search(r"bracelet[A-Z]", raw)
    assert not re.search(r"bracelet[A-Z]", cleaned.text)
    lines = cleaned.text.splitlines()
    cut = next(i for i, line in enumerate(lines) if line.endswith("bracelet"))
    following = next(line for line in lines[cut + 1 :] if line.strip())
    assert following.startswith("Sectarian")
    splices = [text for reason, text in cleaned.removed if reason == SPLICE]
    assert len(splices) == 1 and "bracelet|Sectarian" in splices[0]


def test_long_read_glued_sentence_gets_its_space(long_read: tuple[str, Cleaned]) -> None:
    raw, cleaned = long_read
    assert "them.As" in raw
    assert "them. As" in cleaned.text and "them.As" not in cleaned.text
    assert any(reason == GLUED_SENTENCE for reason, _ in cleaned.removed)


def test_long_read_captions_are_captions_with_dates(long_read: tuple[str, Cleaned]) -> None:
    raw, cleaned = long_read
    assert raw.count("Photograph:") == len(cleaned.captions) == 6
    assert "Photograph:" not in cleaned.text
    dates = {caption.date for caption in cleaned.captions}
    assert {dt.date(2025, 8, 27), dt.date(2025, 3, 9), dt.date(2025, 3, 8)} <= dates
    assert max(d for d in dates if d) == dt.date(2025, 8, 27)  # the bound for inferring the publication date
    for caption in cleaned.captions:
        assert caption.credit and "/" in caption.credit
        assert caption.text not in cleaned.text
    assert sum(reason == CAPTION for reason, _ in cleaned.removed) == 6


def test_long_read_meaningful_short_line_survives(long_read: tuple[str, Cleaned]) -> None:
    _, cleaned = long_read
    assert cleaned.text.rstrip().endswith("are pseudonyms")


def test_long_read_body_is_otherwise_byte_for_byte(long_read: tuple[str, Cleaned]) -> None:
    raw, cleaned = long_read
    raw_lines = set(raw.splitlines())
    changed = [line for line in cleaned.text.splitlines() if line and line not in raw_lines]
    # only the paragraphs touched by a splice, a glued sentence or a removed repeat differ from the stored text
    assert 0 < len(changed) <= 5
    assert "\u00a0" in cleaned.text  # non-breaking spaces are kept as they were


def test_nbc_syndication_footer(long_read: tuple[str, Cleaned]) -> None:
    raw = shared_file(NBC).read_text(encoding="utf-8")
    cleaned = clean_text(raw)
    assert cleaned.syndication == "NBC News"
    assert "appeared first on" not in cleaned.text
    assert cleaned.title and cleaned.title in raw
    assert [reason for reason, _ in cleaned.removed] == [SYNDICATION]
    assert cleaned.text == raw[: raw.index("\nThe post")]


def test_arabic_tag_residue_gone(arabic: dict[str, tuple[str, Cleaned]]) -> None:
    raw, cleaned = arabic["09"]
    assert "<strong>" in raw
    assert "<strong>" not in cleaned.text and "&lt;" not in cleaned.text
    assert any(reason == TAG_RESIDUE for reason, _ in cleaned.removed)


def test_arabic_repeated_headline_kept_once(arabic: dict[str, tuple[str, Cleaned]]) -> None:
    _, cleaned = arabic["09"]
    assert cleaned.title.startswith("594 ")
    assert cleaned.text.count(cleaned.title) == 1
    assert any(reason == REPEATED_HEADLINE for reason, _ in cleaned.removed)


def test_arabic_navigation_block_and_its_dates_gone(arabic: dict[str, tuple[str, Cleaned]]) -> None:
    raw, cleaned = arabic["09"]
    assert "اخترنا لك" in raw and "2026" in raw
    assert "اخترنا لك" not in cleaned.text
    assert "2026" not in cleaned.text
    assert sum(reason == NAVIGATION for reason, _ in cleaned.removed) >= 5
    for _, other in arabic.values():
        assert "2026" not in other.text


def test_arabic_bodies_keep_their_facts(arabic: dict[str, tuple[str, Cleaned]]) -> None:
    for key, figure in (("01", "803"), ("04", "2146"), ("09", "169"), ("15", "١٠٨")):
        raw, cleaned = arabic[key]
        assert figure in cleaned.text, key
        assert len(cleaned.text) > 0.8 * len(raw) - 400, key
