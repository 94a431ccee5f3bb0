"""The cheap script test that picks the cleaning rules: its fast form counts exactly what its definition counts."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tawthiq.pipeline import _mostly_arabic

TEXT = st.text(alphabet=st.sampled_from("ab Zé1٣ قتلۀ\u064e\u0660ـ؟.\u06ff\u0700ﻻ"), max_size=60)


@given(TEXT, st.integers(1, 80))
def test_mostly_arabic_is_the_share_of_arabic_block_characters_among_letters(text: str, sample: int) -> None:
    head = text[:sample]
    letters = sum(ch.isalpha() for ch in head) or 1
    expected = sum("\u0600" <= ch <= "\u06ff" for ch in head) / letters > 0.3
    assert _mostly_arabic(text, sample) is expected


def test_mostly_arabic_on_plain_cases() -> None:
    assert _mostly_arabic("قتل عشرة مدنيين في بانياس")
    assert not _mostly_arabic("Ten civilians were killed in Baniyas (بانياس).")
    assert not _mostly_arabic("")
