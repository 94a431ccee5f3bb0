"""Arabic dates: Levantine and Egyptian months, ordinal days, ranges, weekdays and relative dates.

The sentences are written for these tests in the style of Arabic reports; none is copied from the corpus.
"""

from __future__ import annotations

import datetime as dt

import dateparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tawthiq.extract.dates_ar import DateContext, find_dates_ar, format_date_ar
from tawthiq.model import DatePrecision

PUB = DateContext(published=dt.date(2025, 3, 21))  # a Friday
D = dt.date


def _one(sentence: str, ctx: DateContext = PUB) -> tuple[dt.date, dt.date, DatePrecision, bool, str, str]:
    found = find_dates_ar(sentence, ctx)
    assert len(found) == 1, found
    r = found[0]
    assert r.span is not None and sentence[r.span.start : r.span.end] == r.text
    return r.start, r.end, r.prec, r.inferred, r.text, r.note


@pytest.mark.parametrize(
    ("sentence", "start", "end", "prec", "inferred"),
    [
        ("قُتل ثلاثة في 6 آذار 2025 بالقرية.", D(2025, 3, 6), D(2025, 3, 6), DatePrecision.DAY, False),
        ("في ١٤ شباط ٢٠٢٤ وقع الهجوم.", D(2024, 2, 14), D(2024, 2, 14), DatePrecision.DAY, False),
        ("وقع الهجوم في 6 آذار/مارس 2025.", D(2025, 3, 6), D(2025, 3, 6), DatePrecision.DAY, False),
        ("وقع الهجوم في 6 آذار (مارس) 2025.", D(2025, 3, 6), D(2025, 3, 6), DatePrecision.DAY, False),
        ("جرى ذلك في 3 كانون الثاني 2024.", D(2024, 1, 3), D(2024, 1, 3), DatePrecision.DAY, False),
        ("جرى ذلك في 30 تشرين الأول 2023.", D(2023, 10, 30), D(2023, 10, 30), DatePrecision.DAY, False),
        ("في الثالث عشر من يوليو 2025 بدأت الاشتباكات.", D(2025, 7, 13), D(2025, 7, 13), DatePrecision.DAY, False),
        ("في الحادي والعشرين من كانون الأول 2024.", D(2024, 12, 21), D(2024, 12, 21), DatePrecision.DAY, False),
        ("وقعت المجزرة في السادس من آذار.", D(2025, 3, 6), D(2025, 3, 6), DatePrecision.DAY, True),
        ("وقعت المجزرة في 28 كانون الأول.", D(2024, 12, 28), D(2024, 12, 28), DatePrecision.DAY, True),
        ("قتل العشرات من 6 إلى 10 آذار 2025.", D(2025, 3, 6), D(2025, 3, 10), DatePrecision.DAYS, False),
        ("قتل العشرات بين 13 و16 تموز 2024.", D(2024, 7, 13), D(2024, 7, 16), DatePrecision.DAYS, False),
        ("قتل العشرات بين 6 و10 من آذار الجاري.", D(2025, 3, 6), D(2025, 3, 10), DatePrecision.DAYS, True),
        ("قتل العشرات 6-10 آذار.", D(2025, 3, 6), D(2025, 3, 10), DatePrecision.DAYS, True),
        ("من 28 شباط إلى 3 آذار 2025.", D(2025, 2, 28), D(2025, 3, 3), DatePrecision.DAYS, False),
        ("من صباح السبت 8 آذار وحتى مساء الاثنين 10 آذار.", D(2025, 3, 8), D(2025, 3, 10), DatePrecision.DAYS, True),
        ("من 29 كانون الأول إلى 2 كانون الثاني.", D(2024, 12, 29), D(2025, 1, 2), DatePrecision.DAYS, True),
        ("في أغسطس 2012 صدر التقرير.", D(2012, 8, 1), D(2012, 8, 31), DatePrecision.MONTH, False),
        ("في أواخر شباط 2025.", D(2025, 2, 21), D(2025, 2, 28), DatePrecision.MONTH, False),
        ("في عام 2012 وقعت المجزرة.", D(2012, 1, 1), D(2012, 12, 31), DatePrecision.YEAR, False),
        ("نشر في 02-02-2024 تقرير.", D(2024, 2, 2), D(2024, 2, 2), DatePrecision.DAY, False),
        ("وأمس، وثق المرصد المقتل.", D(2025, 3, 20), D(2025, 3, 20), DatePrecision.DAY, True),
        ("وقع ذلك أمس الخميس.", D(2025, 3, 20), D(2025, 3, 20), DatePrecision.DAY, True),
        ("وقع ذلك أول أمس.", D(2025, 3, 19), D(2025, 3, 19), DatePrecision.DAY, True),
        ("قتل يوم الخميس الماضي.", D(2025, 3, 20), D(2025, 3, 20), DatePrecision.DAY, True),
        ("قتل يوم الجمعة الماضي.", D(2025, 3, 14), D(2025, 3, 14), DatePrecision.DAY, True),
        ("قتل يوم الأحد.", D(2025, 3, 16), D(2025, 3, 16), DatePrecision.DAY, True),
        ("قتل الشهر الماضي.", D(2025, 2, 1), D(2025, 2, 28), DatePrecision.MONTH, True),
        ("قتل خلال الشهر الجاري.", D(2025, 3, 1), D(2025, 3, 21), DatePrecision.MONTH, True),
        ("قتل العام الماضي.", D(2024, 1, 1), D(2024, 12, 31), DatePrecision.YEAR, True),
        ("قتل الأسبوع الماضي.", D(2025, 3, 10), D(2025, 3, 16), DatePrecision.WEEK, True),
        ("قتل قبل يومين.", D(2025, 3, 19), D(2025, 3, 19), DatePrecision.DAY, True),
        ("قتل قبل ثلاثة أيام.", D(2025, 3, 18), D(2025, 3, 18), DatePrecision.DAY, True),
        ("قتل قبل 4 أيام.", D(2025, 3, 17), D(2025, 3, 17), DatePrecision.DAY, True),
        ("الحصيلة منذ 6 آذار.", D(2025, 3, 6), D(2025, 3, 21), DatePrecision.MONTH, True),
        ("وقع ذلك في آذار الماضي.", D(2024, 3, 1), D(2024, 3, 31), DatePrecision.MONTH, True),
    ],
)
def test_dates(sentence: str, start: dt.date, end: dt.date, prec: DatePrecision, inferred: bool) -> None:
    got = _one(sentence)
    assert got[:4] == (start, end, prec, inferred), got


def test_a_stated_weekday_is_checked() -> None:
    assert _one("صدر التقرير الثلاثاء 11 آذار 2025.")[5] == ""  # 11 March 2025 was a Tuesday
    assert "does not match" in _one("صدر التقرير الأربعاء 11 آذار 2025.")[5]
    assert "does not match" in _one("قتل أمس الأحد.")[5]  # the day before Friday 21 March is a Thursday


def test_a_weekday_picks_the_year_of_a_day_and_month_without_one() -> None:
    # Friday 25 May: the latest year not after 2023 in which 25 May is a Friday is 2018.
    start, _, _, inferred, _, note = _one("وقعت المجزرة يوم الجمعة 25 أيار.", DateContext(published=D(2023, 5, 30)))
    assert start == D(2018, 5, 25) and inferred and "2018" in note


def test_the_year_the_text_is_about_comes_first() -> None:
    ctx = DateContext(published=D(2023, 5, 25), event_year=2012)
    assert _one("وفي 1 حزيران صوت المجلس.", ctx)[0] == D(2012, 6, 1)


def test_the_year_of_one_end_of_a_range_completes_the_other() -> None:
    assert _one("من 13 تموز إلى 16 تموز 2012.", DateContext(published=D(2023, 1, 1)))[:2] == (
        D(2012, 7, 13),
        D(2012, 7, 16),
    )


def test_nothing_is_invented_without_a_context() -> None:
    assert find_dates_ar("قتل أمس الأحد في 6 آذار.", DateContext()) == []
    assert [r.start for r in find_dates_ar("في 6 آذار 2025.", DateContext())] == [D(2025, 3, 6)]


def test_month_names_that_are_also_words_need_a_date_around_them() -> None:
    assert find_dates_ar("مارس الضغط على الشهود.", PUB) == []  # "مارس": he practised
    assert find_dates_ar("قال الأب إن ابنه قتل.", PUB) == []


def test_no_date_no_work() -> None:
    assert find_dates_ar("قتل عشرات المدنيين في الريف.", PUB) == []


def test_dates_after_publication_are_kept_as_written_and_flagged() -> None:
    note = _one("حدث اليوم الاثنين 2 شباط 2026.")[5]
    assert "after the publication date" in note


# --- where dateparser is right, and where it is not ------------------------------------------------------------------

_SETTINGS = {"PREFER_DATES_FROM": "past", "RELATIVE_BASE": dt.datetime(2025, 3, 21)}


@pytest.mark.parametrize("text", ["6 مارس 2025", "13 يوليو 2024", "أمس", "قبل 3 أيام", "1 ديسمبر 2020"])
def test_agrees_with_dateparser_where_dateparser_reads_arabic(text: str) -> None:
    parsed = dateparser.parse(text, languages=["ar"], settings=_SETTINGS)  # type: ignore[arg-type]
    assert parsed is not None
    assert _one(text)[0] == parsed.date()


@pytest.mark.parametrize("text", ["6 آذار 2025", "الثالث عشر من يوليو 2025", "أمس الأحد", "يوم الخميس الماضي"])
def test_reads_what_dateparser_cannot(text: str) -> None:
    assert dateparser.parse(text, languages=["ar"], settings=_SETTINGS) is None  # type: ignore[arg-type]
    assert find_dates_ar(text, PUB)


# --- properties ------------------------------------------------------------------------------------------------------

_MONTHS = [
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
]
_EG = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]
_RELATIVE = [
    "أمس",
    "أول أمس",
    "يوم الخميس الماضي",
    "يوم السبت",
    "الأسبوع الماضي",
    "الشهر الماضي",
    "العام الماضي",
    "قبل يومين",
    "قبل 5 أيام",
    "الليلة الماضية",
    "هذا الشهر",
]
_pubs = st.dates(min_value=D(2000, 1, 1), max_value=D(2030, 12, 31))


@st.composite
def _partial_dates(draw: st.DrawFn) -> str:
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 28))
    names = draw(st.sampled_from([_MONTHS, _EG]))
    return f"قتل المسلحون عشرة أشخاص في {day} {names[month - 1]}."


@settings(max_examples=150, deadline=None)
@given(st.one_of(_partial_dates(), st.sampled_from(_RELATIVE).map(lambda r: f"قتل شخصان {r}.")), _pubs)
def test_never_moves_a_date_past_the_publication_date(sentence: str, published: dt.date) -> None:
    found = find_dates_ar(sentence, DateContext(published=published))
    assert found
    for r in found:
        assert r.start <= r.end <= published
        assert r.inferred and r.note


@settings(max_examples=150, deadline=None)
@given(st.one_of(_partial_dates(), st.sampled_from(_RELATIVE).map(lambda r: f"قتل شخصان {r}.")), _pubs, st.booleans())
def test_resolving_is_idempotent(sentence: str, published: dt.date, levantine: bool) -> None:
    """A resolved date written out in full resolves to itself, and so does resolving twice."""
    ctx = DateContext(published=published)
    first = find_dates_ar(sentence, ctx)
    assert first == find_dates_ar(sentence, ctx)
    for r in first:
        for day in {r.start, r.end}:
            again = find_dates_ar(f"قتل شخصان في {format_date_ar(day, levantine)}.", ctx)
            assert [(x.start, x.end, x.inferred) for x in again] == [(day, day, False)]
