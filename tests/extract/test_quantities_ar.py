
"""Arabic quantities: number words, digits in any script, duals, vague words, qualifiers and what a number counts.

The sentences here are written for these tests in the style of Arabic casualty reports; none is copied from the corpus.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from num2words import num2words

from tawthiq.extract.quantities_ar import (
    NumberKindAr,
    find_quantities_ar,
    head_noun_ar,
    is_casualty_count,
    number_mentions_ar,
    read_number_ar,
)
from tawthiq.model import Quantity

CORPUS_AR = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus-ar"
_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _only(sentence: str) -> Quantity:
    found = find_quantities_ar(sentence)
    assert len(found) == 1, found
    return found[0]


# --- reading numbers -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("أربعون", 40),
        ("أربعين", 40),
        ("خمسة عشر", 15),
        ("خمس عشرة", 15),
        ("إحدى عشرة", 11),
        ("اثنا عشر", 12),
        ("اثنتي عشرة", 12),
        ("مئتين وخمسين", 250),
        ("مئتان و خمسون", 250),
        ("ثلاثمئة", 300),
        ("ثلاثمائة", 300),
        ("ثلاث مئة", 300),
        ("ثلاث مائة", 300),
        ("ثمانمئة وثلاثة", 803),
        ("ألفان", 2000),
        ("ألفين", 2000),
        ("ألفا", 2000),
        ("ألفاً", 1000),
        ("عشرة آلاف", 10000),
        ("ثلاثة آلاف وخمسمائة", 3500),
        ("مئتا ألف", 200000),
        ("أحد عشر ألفاً", 11000),
        ("ألف و265", 1265),
        ("3 آلاف و500", 3500),
        ("40 ألف", 40000),
        ("1.5 مليون", 1500000),
        ("١٠٨", 108),
        ("۱۰۸", 108),
        ("٣٬٥٠٠", 3500),
        ("1,300", 1300),
        ("2146", 2146),
        ("مائة و اثنان ألف", 102000),
        ("خمسة وعشرون", 25),
        ("مئة وخمسة عشر", 115),
        ("صفر", 0),
        ("واحد", 1),
        ("ألف", 1000),
    ],
)
def test_read_number(text: str, value: int) -> None:
    assert read_number_ar(text) == value


@pytest.mark.parametrize("text", ["آلاف", "13 و16", "عشرون وخمسة", "أحد", "12.5", "ثلاث مئة مئة", "", "قتيل"])
def test_what_is_not_one_number(text: str) -> None:
    assert read_number_ar(text) is None


def _num2words_is_sound(n: int) -> bool:
    """num2words 0.5.14 writes 101,703 as "مائة و ألف ألف …" (the thousands group X01 is garbled): not Arabic."""
    return not (n >= 100_000 and (n // 1000) % 100 == 1)


def test_num2words_garbled_forms_are_refused_not_misread() -> None:
    assert read_number_ar(num2words(101_703, lang="ar")) is None


def test_reads_back_num2words_for_every_number_below_3000() -> None:
    bad = [n for n in range(3000) if read_number_ar(num2words(n, lang="ar")) != n]
    assert bad == []


@settings(max_examples=400, deadline=None)
@given(st.integers(0, 999_999))
def test_reads_back_num2words(n: int) -> None:
    assume(_num2words_is_sound(n))
    assert read_number_ar(num2words(n, lang="ar")) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 999_999))
def test_reads_back_arabic_indic_digits(n: int) -> None:
    assert read_number_ar(str(n).translate(_INDIC)) == n
    assert read_number_ar(f"{n:,}".translate(_INDIC).replace(",", "٬")) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 999_999))
def test_a_number_in_a_sentence_keeps_its_span(n: int) -> None:
    assume(_num2words_is_sound(n))
    words = num2words(n, lang="ar")
    sentence = f"وثّق المرصد مقتل {words} شخصاً في الريف."
    q = _only(sentence)
    assert q.best == n
    assert sentence[q.span.start : q.span.end] == q.text == words


# --- sentences -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "best", "low", "high", "key", "qtext"),
    [
        ("قُتل نحو ٧٠٠ مدني في الهجوم.", 700, 630, 770, "about", "نحو"),
        ("سقط حوالي 50 قتيلاً.", 50, 45, 55, "about", "حوالي"),
        ("أحصت المنظمة قرابة 90 ضحية.", 90, 81, 99, "about", "قرابة"),
        ("قتل أكثر من 1300 شخص.", 1300, 1300, None, "more_than", "أكثر من"),
        ("قُتل ما يزيد عن مئتي شخص.", 200, 200, None, "more_than", "ما يزيد عن"),
        ("وثقت مقتل ما لا يقل عن 45 مدنياً.", 45, 45, None, "at_least", "ما لا يقل عن"),
        ("قتل 30 مدنياً على الأقل.", 30, 30, None, "at_least", "على الأقل"),
        ("أصيب أقل من عشرين شخصاً.", 19, None, 19, "less_than", "أقل من"),
        ("اعتقل ما يصل إلى 60 شاباً.", 60, None, 60, "up_to", "ما يصل إلى"),
        ("قتل بين 50 و60 شخصاً.", 50, 50, 60, "range", "50 و60"),
        ("أصيب خمسة أو ستة أطفال.", 5, 5, 6, "range", "خمسة أو ستة"),
    ],
)
def test_qualifiers_use_the_shared_table(
    sentence: str, best: int, low: int | None, high: int | None, key: str, qtext: str
) -> None:
    q = _only(sentence)
    assert (q.best, q.low, q.high, q.qualifier) == (best, low, high, key)
    assert qtext in q.qualifier_text
    assert sentence[q.span.start : q.span.end] == q.text


@pytest.mark.parametrize(
    ("sentence", "key", "best", "high"),
    [
        ("فقدت العائلات عشرات الأشخاص.", "tens", 10, 99),
        ("نزح المئات من السكان.", "hundreds", 100, 999),
        ("فر آلاف المدنيين.", "thousands", 1000, 9999),
        ("نزح عشرات الآلاف من المدنيين.", "tens_of_thousands", 10000, 99999),
        ("اعتُقل عدد من الناشطين.", "a_few", 3, 9),
        ("أصيب بضعة أشخاص.", "a_few", 3, 9),
        ("قتل أكثر من مئات الأشخاص.", "hundreds", 100, None),
    ],
)
def test_vague_words(sentence: str, key: str, best: int, high: int | None) -> None:
    q = _only(sentence)
    assert (q.best, q.high) == (best, high)
    assert sentence[q.span.start : q.span.end] == q.text


def test_the_number_of_is_not_vague() -> None:
    assert find_quantities_ar("ارتفع عدد القتلى في الريف.") == []


def test_duals_and_enumerated_singulars() -> None:
    s = "وتوزع القتلى على 12 قتيلاً من المدنيين، و9 من العناصر، وصحفي. وأضيف إليهم سيدة ومجهولا الهوية."
    found = {q.text: q.best for q in find_quantities_ar(s)}
    assert found == {"12": 12, "9": 9, "صحفي": 1, "سيدة": 1, "مجهولا الهوية": 2}
    assert {q.best for q in find_quantities_ar("قُتل طفلان وأصيبت امرأتان بجروح.")} == {2}
    assert len(find_quantities_ar("قُتل طفلان وأصيبت امرأتان بجروح.")) == 2


def test_singulars_outside_an_enumeration_are_not_counts() -> None:
    assert find_quantities_ar("قال صحفي إن الوضع صعب.") == []
    assert find_quantities_ar("شارك الطواقم الطبية والإعلامية في الإسعاف.") == []
    assert find_quantities_ar("بقي مصيره مجهولاً الهوية.") == []  # a singular with tanween, not the dual construct


def test_a_plural_in_the_oblique_case_is_not_read_as_a_dual() -> None:
    assert find_quantities_ar("استهدف القصف منازل المدنيين.") == []


def test_dates_are_left_to_the_date_reader() -> None:
    s = "قتل 14 شخصاً بين 3 و5 أيار 2024 في عام 2024، وفي 1 حزيران."
    assert [q.best for q in find_quantities_ar(s)] == [14]


# --- what a number counts (item 9) -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "text", "kind", "casualty"),
    [
        ("ارتكبت القوات 17 مجزرة في القرى.", "17", NumberKindAr.EVENT, False),
        ("صوّت المجلس بأغلبية 30 صوتاً مقابل 9 أصوات.", "30", NumberKindAr.VOTE, False),
        ("صوّت المجلس بأغلبية 30 صوتاً مقابل 9 أصوات.", "9", NumberKindAr.VOTE, False),
        ("قتل رجل عمره 35 عاماً.", "35", NumberKindAr.AGE, False),
        ("استمرت المعارك خلال 5 أيام.", "5", NumberKindAr.DURATION, False),
        ("قتل 40% من الضحايا بالرصاص.", "40", NumberKindAr.PERCENT, False),
        ("أدانت سبع دول الهجوم.", "سبع", NumberKindAr.STATE, False),
        ("أدانت الدول السبع الهجوم.", "السبع", NumberKindAr.STATE, False),
        ("نشر الجيش 5000 جندي على الحدود.", "5000", NumberKindAr.TROOPS, False),
        ("اعتقلت الشرطة 20 مشتبهاً بهم.", "20", NumberKindAr.SUSPECTS, False),
        ("دفعت العائلة 100 دولار.", "100", NumberKindAr.MONEY, False),
        ("دمر القصف 30 منزلاً.", "30", NumberKindAr.THING, False),
        ("قتل 169 سورياً في الهجمات.", "169", NumberKindAr.COUNT, True),
        ("نفذت العناصر 12 إعداماً ميدانياً.", "12", NumberKindAr.COUNT, True),
        ("قتل 9 أشخاص: 4 في القرية، 5 في البلدة.", "4", NumberKindAr.BARE, True),
        ("– حمص: 13.", "13", NumberKindAr.BARE, False),
        ("قتل 7 في قرية الربوة و3 قرية البيضا.", "3", NumberKindAr.BARE, True),
    ],
)
def test_non_casualty_numbers(sentence: str, text: str, kind: NumberKindAr, casualty: bool) -> None:
    mention = next(m for m in number_mentions_ar(sentence) if m.quantity.text.endswith(text))
    assert mention.kind is kind, mention.reason
    assert is_casualty_count(sentence, mention.quantity) is casualty


@pytest.mark.parametrize(
    ("sentence", "head"),
    [
        ("قتل 41 مواطناً في الريف.", "مواطناً"),
        ("نفذ الهجوم على ٤٩ طفلاً.", "طفلاً"),
        ("قتل عشرات الأشخاص.", "الأشخاص"),
        ("قتل عدد من المدنيين.", "المدنيين"),
        ("نجا قتيل واحد.", "قتيل"),
        ("قتيلان في القصف.", "قتيلان"),
        ("ارتفعت الحصيلة إلى 2146.", None),
    ],
)
def test_head_noun(sentence: str, head: str | None) -> None:
    assert head_noun_ar(sentence, find_quantities_ar(sentence)[0]) == head


def test_head_noun_of_a_foreign_quantity_is_an_error() -> None:
    q = find_quantities_ar("قتل 5 أشخاص.")[0]
    with pytest.raises(ValueError, match="was not read from sentence"):
        head_noun_ar("قتل 6 أشخاص.", q)


# --- the real Arabic pages (read from ../shared, never copied) -------------------------------------------------------


def _sentences(name: str) -> list[str]:
    raw = (CORPUS_AR / name).read_text(encoding="utf-8")
    paragraphs = [html.unescape(p) for p in re.findall(r"<p>(.*?)</p>", raw, flags=re.S)]
    return [s for p in paragraphs for s in re.split(r"(?<=[.!؟])\s+", p) if s.strip()]


def _counts(name: str) -> list[int]:
    return [
        q.best
        for s in _sentences(name)
        for q in find_quantities_ar(s)
        if is_casualty_count(s, q) and q.best is not None
    ]


@pytest.mark.skipif(not CORPUS_AR.is_dir(), reason="the shared Arabic corpus is not beside the repository")
def test_the_real_pages_give_their_casualty_figures_and_none_of_the_others() -> None:
    assert {803, 10} <= set(_counts("01_rebaznews-snhr-coast-803.html"))
    coast = _counts("04_beirut24-sohr-coast-2146.html")
    assert {16, 2, 7, 41, 3, 38, 2146} <= set(coast) and 62 not in coast
    sweida = _counts("09_megaphone-sohr-snhr-sweida-594.html")
    assert {594, 600, 300, 257, 15, 21, 1, 2, 83, 3, 169, 5, 6, 200} <= set(sweida) and 4 not in sweida
    houla = _counts("15_syriansg-houla-108.html")
    assert {108, 49, 32} <= set(houla) and not {15, 11, 41, 6} & set(houla)
