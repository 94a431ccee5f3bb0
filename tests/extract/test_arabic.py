
"""The matching form of Arabic text and its map back to the original."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tawthiq.extract.arabic import fold, map_span, to_matching_form


@pytest.mark.parametrize(
    ("original", "matching"),
    [
        ("١٢٣٤٥٦٧٨٩٠", "1234567890"),
        ("۱۲۳۴۵۶۷۸۹۰", "1234567890"),
        ("٣٬٥٠٠", "3,500"),
        ("١٢٫٥٪", "12.5%"),
        ("قُتِلَ", "قتل"),
        ("قتيلاً", "قتيلا"),
        ("تمّـــوز", "تموز"),
        ("أإآٱ", "اااا"),
        ("إحدى", "احدي"),
        ("مجزرة", "مجزره"),
        ("\u200fآذار\u200e", "اذار"),
        ("ﻻ", "لا"),
        ("کیف", "كيف"),
        ("no arabic here 12", "no arabic here 12"),
    ],
)
def test_matching_form(original: str, matching: str) -> None:
    assert to_matching_form(original)[0] == matching


def test_span_maps_back_to_the_original_word_with_its_marks() -> None:
    s = "وثّق المرصد مقتل ١٢٠ شخصاً يوم ٦ تمّـوز"
    m, offsets = to_matching_form(s)
    for word, written in [("120", "١٢٠"), ("شخصا", "شخصاً"), ("تموز", "تمّـوز"), ("وثق", "وثّق")]:
        i = m.index(word)
        a, b = map_span(offsets, i, i + len(word))
        assert s[a:b] == written


def test_span_inside_a_ligature_covers_the_whole_ligature() -> None:
    s = "ﻻ بد"
    m, offsets = to_matching_form(s)
    assert m.startswith("لا")
    assert map_span(offsets, 0, 1) == (0, 1)


def test_bad_input_is_refused_with_a_clear_error() -> None:
    with pytest.raises(TypeError, match="expects a str"):
        to_matching_form(b"\xd9\xa1")  # type: ignore[arg-type]
    _, offsets = to_matching_form("abc")
    with pytest.raises(ValueError, match="outside"):
        map_span(offsets, 2, 9)


_ARABICISH = st.text(
    alphabet=st.sampled_from(list("ابتثجحخدذرسشصضطظعغفقكلمنهوي ءأإآىةؤئ٠١٢٣٤٥٦٧٨٩۰۱۲۳٤٬٫ـًٌٍَُِّْ\u200f ﻻ،.0123"))
)


@given(_ARABICISH)
def test_offsets_are_a_monotone_map_into_the_original(s: str) -> None:
    m, offsets = to_matching_form(s)
    assert len(offsets) == len(m) + 1
    assert offsets[-1] == len(s)
    assert offsets == sorted(offsets)
    assert all(0 <= o <= len(s) for o in offsets)


@given(_ARABICISH)
def test_folding_is_idempotent(s: str) -> None:
    assert fold(fold(s)) == fold(s)


@given(_ARABICISH, st.data())
def test_every_span_maps_to_text_whose_matching_form_contains_it(s: str, data: st.DataObject) -> None:
    m, offsets = to_matching_form(s)
    i = data.draw(st.integers(0, len(m)))
    j = data.draw(st.integers(i, len(m)))
    a, b = map_span(offsets, i, j)
    assert m[i:j] in fold(s[a:b])
