"""Fingerprints: sha256 of bytes, MinHash near-copies through CopyIndex (republished copies found, others not)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tawthiq.ingest.clean import clean_text
from tawthiq.ingest.fingerprint import CopyIndex, matching_words, minhash, sha256_bytes, shingles
from tawthiq.ingest.readers import read_document


def _republished(original: str) -> str:
    """What another site makes of the fixture article: its own chrome and footer, and a few words changed."""
    body = (
        original.replace("Subscribe\n", "Log in\n")
        .replace("Get the latest news and updates from The Harbour Ledger.", "Sponsored")
        .replace("HomeWorld", "HomeNews")
        .replace("basements", "cellars")
        .replace("by Thursday", "by Friday")
        .replace("asked donors for tents", "appealed to donors for tents and stoves")
    )
    footer = "The post Shelling and floods leave a valley town cut off appeared first on The Harbour Ledger."
    return body.replace(footer, "This article was originally published by The Harbour Ledger.")


def test_sha256_bytes() -> None:
    assert sha256_bytes(b"abc") == hashlib.sha256(b"abc").hexdigest()


def test_republished_copy_is_found_and_unrelated_is_not(fixtures: Path) -> None:
    original = (fixtures / "article_en.txt").read_text(encoding="utf-8")
    copy = _republished(original)
    assert copy != original
    index = CopyIndex()
    index.add("ledger", clean_text(original).text)
    index.add("orchestra", clean_text((fixtures / "unrelated_en.txt").read_text(encoding="utf-8")).text)
    found = index.find_copy(clean_text(copy).text)
    assert found is not None
    key, similarity = found
    assert key == "ledger"
    assert 0.7 <= similarity < 1.0
    unrelated = "Heavy rain closed the mountain pass for a week, and the ministry sent snow ploughs from the capital."
    assert index.find_copy(unrelated * 3) is None


def test_an_unrelated_article_is_not_a_copy(fixtures: Path) -> None:
    index = CopyIndex()
    index.add("ledger", clean_text((fixtures / "article_en.txt").read_text(encoding="utf-8")).text)
    assert index.find_copy((fixtures / "unrelated_en.txt").read_text(encoding="utf-8")) is None


def test_most_similar_earlier_document_wins(fixtures: Path) -> None:
    text = clean_text((fixtures / "article_en.txt").read_text(encoding="utf-8")).text
    index = CopyIndex()
    index.add("first", text)
    index.add("second", text)  # an exact duplicate indexed later
    index.add("first", "ignored: a known key is not indexed twice")
    assert len(index) == 2 and "first" in index
    assert index.find_copy(text) == ("first", 1.0)


def test_arabic_copy_with_other_digits_and_diacritics(fixtures: Path) -> None:
    text = clean_text(read_document(fixtures / "article_ar.html").text, "ar").text
    variant = text.replace("12", "١٢").replace("مقتل", "مَقْتَل").replace("الأخضر", "الاخضر")
    assert matching_words(variant) == matching_words(text)
    index = CopyIndex()
    index.add("ar", text)
    assert index.find_copy(variant) == ("ar", 1.0)


def test_short_and_empty_texts_are_never_copies() -> None:
    index = CopyIndex()
    index.add("short", "Advertisement")
    assert len(index) == 0
    assert index.find_copy("Advertisement") is None
    assert index.find_copy("") is None
    assert shingles("") == set()
    assert minhash("").is_empty()


def test_threshold_is_validated() -> None:
    with pytest.raises(ValueError, match="threshold"):
        CopyIndex(threshold=1.5)
