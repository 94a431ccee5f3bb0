"""detect_language: ISO 639-1 codes for the languages of the field, "und" when too short or unclear."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tawthiq.ingest.language import UNDETERMINED, _detector, detect_language
from tawthiq.ingest.readers import read_document


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The committee said it had documented the names of forty people, most of them farmers.", "en"),
        ("قالت اللجنة إنها وثقت أسماء أربعين شخصا معظمهم من المزارعين في القرى الجبلية.", "ar"),
        ("Le comité a déclaré avoir recensé les noms de quarante personnes, pour la plupart des paysans.", "fr"),
        ("Komite, çoğu çiftçi olan kırk kişinin isimlerini belgelediğini söyledi.", "tr"),
    ],
)
def test_languages(text: str, code: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize("text", ["", "   ", "OK", "12 345 678", "Hello"])
def test_too_short_or_no_letters_is_undetermined(text: str) -> None:
    assert detect_language(text) == UNDETERMINED


def test_fixture_documents(fixtures: Path) -> None:
    assert detect_language((fixtures / "article_en.txt").read_text(encoding="utf-8")) == "en"
    assert detect_language(read_document(fixtures / "article_ar.html").text) == "ar"
    assert detect_language(read_document(fixtures / "latin1.txt").text) == "fr"
    assert detect_language(read_document(fixtures / "cp1256.txt").text) == "ar"


@given(st.text(alphabet=st.sampled_from("ab é1 .ق٣\u064e\n"), max_size=40), st.integers(0, 1100))
def test_undetermined_exactly_when_the_sample_has_fewer_than_twelve_letters(tail: str, pad: int) -> None:
    text = "1 " * (pad // 2) + tail  # letters past the first 1,000 characters are not counted
    letters = sum(ch.isalpha() for ch in text[:1000])
    if letters < 12:
        assert detect_language(text) == UNDETERMINED
    else:
        found = _detector().detect_language_of(text[:1000])
        assert detect_language(text) == (found.iso_code_639_1.name.lower() if found else UNDETERMINED)
