"""The date resolver: absolute, partial and relative dates, each with its precision and, when inferred, its reason."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tawthiq.errors import ExtractionError
from tawthiq.extract.dates import DateContext, find_dates, infer_publication_bounds
from tawthiq.model import DatePrecision

PUB = dt.date(2025, 3, 14)  # a Friday
AT_PUB = DateContext(published=PUB)
NO_CONTEXT = DateContext()


def one(sentence: str, ctx: DateContext) -> tuple[str, dt.date, dt.date, DatePrecision, bool]:
    found = find_dates(sentence, ctx)
    assert len(found) == 1, (sentence, found)
    d = found[0]
    assert d.span is not None and sentence[d.span.start : d.span.end] == d.text
    return d.text, d.start, d.end, d.prec, d.inferred


def absolute(d: dt.date) -> str:
    return f"{d.day} {calendar.month_name[d.month]} {d.year}"


# --- properties ------------------------------------------------------------------------------------------------------

_PAST_RELATIVE = [
    "yesterday", "the day before yesterday", "last night", "today", "last week", "earlier this week", "this week",
    "in recent days", "over the past few days", "in recent weeks", "earlier this month", "this month", "last month",
    "last year", "earlier this year", "on Monday", "on Friday", "last Sunday", "on Saturday", "two weeks ago",
    "3 days ago", "a month ago", "over the weekend", "in December last year", "in mid-July", "on 6 March",
    "on March 7", "on Friday 7 March", "in early May",
]
_DATES = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31))


@given(_DATES, st.sampled_from(_PAST_RELATIVE))
@settings(deadline=None)  # the first "ago" loads dateparser (half a second)
def test_past_relative_dates_never_lie_after_publication(published: dt.date, phrase: str) -> None:
    for d in find_dates(f"The attack took place {phrase}, officials said.", DateContext(published=published)):
        assert d.start <= d.end <= published, (phrase, d)
        assert d.inferred and d.note


@given(_DATES, st.sampled_from(_PAST_RELATIVE))
@settings(deadline=None)
def test_resolution_is_idempotent(published: dt.date, phrase: str) -> None:
    """A resolved day, written out in full and read again, is the same day; a whole month stays the same month."""
    ctx = DateContext(published=published)
    for d in find_dates(f"The attack took place {phrase}.", ctx):
        if d.prec == DatePrecision.DAY:
            assert one(f"It happened on {absolute(d.start)}.", ctx)[1:4] == (d.start, d.start, DatePrecision.DAY)
        if d.prec == DatePrecision.MONTH and d.start.day == 1 and (d.end + dt.timedelta(1)).day == 1:
            written = f"in {calendar.month_name[d.start.month]} {d.start.year}"
            assert one(f"It happened {written}.", ctx)[1:3] == (d.start, d.end)


@given(_DATES, st.integers(min_value=0, max_value=360))
def test_partial_date_with_weekday_finds_its_day(day: dt.date, days_later: int) -> None:
    ctx = DateContext(published=day + dt.timedelta(days=days_later))
    sentence = f"Shooting began on {day:%A} {day.day} {calendar.month_name[day.month]}."
    assert one(sentence, ctx)[1] == day


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31)), _DATES)
def test_partial_date_is_the_latest_not_after_publication(day: dt.date, published: dt.date) -> None:
    if (day.month, day.day) == (2, 29):
        return
    sentence = f"Shooting began on {day.day} {calendar.month_name[day.month]}."
    _, start, end, prec, inferred = one(sentence, DateContext(published=published))
    assert start == end <= published and prec == DatePrecision.DAY and inferred
    assert start.replace(year=start.year + 1) > published


_VOCAB = re.findall(r"\S+", "on in last this Friday 6 March 2025 mid-July the 1970s 90s yesterday week month year ago "
                            "two , .")


@given(st.text(max_size=80) | st.lists(st.sampled_from(_VOCAB), max_size=12).map(" ".join), _DATES)
def test_start_never_after_end_and_spans_slice_back(sentence: str, published: dt.date) -> None:
    for ctx in (DateContext(published=published), DateContext(not_before=published), NO_CONTEXT):
        for d in find_dates(sentence, ctx):
            assert d.start <= d.end
            assert d.span is not None and sentence[d.span.start : d.span.end] == d.text


# --- absolute dates --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The findings were published on 14 August 2024.", ("14 August 2024", dt.date(2024, 8, 14))),
        ("The findings were published on August 14, 2024.", ("August 14, 2024", dt.date(2024, 8, 14))),
        ("Troops entered on Sunday, 2 June 2024.", ("Sunday, 2 June 2024", dt.date(2024, 6, 2))),
        ("The list is dated 2024-06-02.", ("2024-06-02", dt.date(2024, 6, 2))),
        ("The list is dated 02/06/2024.", ("02/06/2024", dt.date(2024, 6, 2))),
    ],
)
def test_absolute_days(sentence: str, expected: tuple[str, dt.date]) -> None:
    text, start, end, prec, inferred = one(sentence, NO_CONTEXT)
    assert (text, start) == expected and end == start and prec == DatePrecision.DAY and not inferred


@pytest.mark.parametrize(
    ("sentence", "text", "start", "end"),
    [
        ("Shelling resumed in March 2024.", "March 2024", dt.date(2024, 3, 1), dt.date(2024, 3, 31)),
        ("Shelling resumed in mid-March 2024.", "mid-March 2024", dt.date(2024, 3, 11), dt.date(2024, 3, 20)),
    ],
)
def test_absolute_months(sentence: str, text: str, start: dt.date, end: dt.date) -> None:
    assert one(sentence, NO_CONTEXT) == (text, start, end, DatePrecision.MONTH, False)


@pytest.mark.parametrize(
    ("sentence", "text", "start", "end", "inferred"),
    [
        ("He was first detained in 1986.", "1986", dt.date(1986, 1, 1), dt.date(1986, 12, 31), False),
        ("Her family fled during the 1980s.", "the 1980s", dt.date(1980, 1, 1), dt.date(1989, 12, 31), False),
        ("They met in the late 80s.", "the late 80s", dt.date(1987, 1, 1), dt.date(1989, 12, 31), True),
        ("It began after the 1973 war.", "1973", dt.date(1973, 1, 1), dt.date(1973, 12, 31), False),
    ],
)
def test_years_and_decades(sentence: str, text: str, start: dt.date, end: dt.date, inferred: bool) -> None:
    for ctx in (NO_CONTEXT, AT_PUB):
        assert one(sentence, ctx) == (text, start, end, DatePrecision.YEAR, inferred)


def test_a_year_in_the_sentence_belongs_to_its_event() -> None:
    s = "In the town, in 2013, militiamen murdered more than 80 people, most of them children."
    assert one(s, AT_PUB)[1:4] == (dt.date(2013, 1, 1), dt.date(2013, 12, 31), DatePrecision.YEAR)
    s = "In 1979, about 30,000 people were massacred in the old city."
    assert one(s, DateContext(not_before=dt.date(2025, 8, 27)))[1].year == 1979


# --- partial dates ---------------------------------------------------------------------------------------------------


def test_partial_date_takes_the_year_of_publication() -> None:
    assert one("Fighting broke out on the night of 4 March.", AT_PUB)[1:] == (
        dt.date(2025, 3, 4), dt.date(2025, 3, 4), DatePrecision.DAY, True)
    assert one("They were forced out on March 9.", AT_PUB)[1] == dt.date(2025, 3, 9)


def test_partial_date_after_publication_day_is_last_year() -> None:
    assert one("The siege began on 20 March.", AT_PUB)[1] == dt.date(2024, 3, 20)


def test_weekday_and_day_with_unknown_publication_but_known_lower_bound() -> None:
    ctx = DateContext(not_before=dt.date(2025, 8, 27))
    found = find_dates("On Friday 7 March, gunmen went door to door.", ctx)
    assert [(d.text, d.start, d.prec, d.inferred) for d in found] == [
        ("Friday 7 March", dt.date(2025, 3, 7), DatePrecision.DAY, True)]
    assert "Friday matches" in found[0].note
    assert one("It started on Thursday 6 March.", ctx)[1] == dt.date(2025, 3, 6)


def test_weekday_that_does_not_match_the_context_year_moves_the_year() -> None:
    d = find_dates("It started on Friday 6 March.", AT_PUB)[0]
    assert d.start == dt.date(2020, 3, 6) and "Friday" in d.note


def test_event_year_is_preferred() -> None:
    ctx = DateContext(published=PUB, event_year=2011)
    assert one("He returned on 2 May.", ctx)[1] == dt.date(2011, 5, 2)
    assert one("In May that year he returned.", ctx)[1:3] == (dt.date(2011, 5, 1), dt.date(2011, 5, 31))


def test_leap_day_goes_back_to_a_leap_year() -> None:
    assert one("It happened on 29 February.", AT_PUB)[1] == dt.date(2024, 2, 29)


@pytest.mark.parametrize(
    ("sentence", "start", "end"),
    [
        ("Clashes spread in mid-July.", dt.date(2024, 7, 11), dt.date(2024, 7, 20)),
        ("Over the phone in mid-August he said more.", dt.date(2024, 8, 11), dt.date(2024, 8, 20)),
        ("It was early March and cold.", dt.date(2025, 3, 1), dt.date(2025, 3, 10)),
        ("The report came out in February.", dt.date(2025, 2, 1), dt.date(2025, 2, 28)),
        ("The regime fell in December last year.", dt.date(2024, 12, 1), dt.date(2024, 12, 31)),
    ],
)
def test_months_without_a_year(sentence: str, start: dt.date, end: dt.date) -> None:
    assert one(sentence, AT_PUB)[1:] == (start, end, DatePrecision.MONTH, True)


def test_may_the_verb_is_not_a_month() -> None:
    assert find_dates("Survivors may never return.", AT_PUB) == []
    assert find_dates("Survivors may 5 times return.", AT_PUB) == []


def test_this_year_month_stops_at_publication() -> None:
    assert one("They met in March this year.", AT_PUB)[1:3] == (dt.date(2025, 3, 1), PUB)


# --- relative dates --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "start", "end", "prec"),
    [
        ("last week", dt.date(2025, 3, 3), dt.date(2025, 3, 9), DatePrecision.WEEK),
        ("earlier this month", dt.date(2025, 3, 1), dt.date(2025, 3, 13), DatePrecision.MONTH),
        ("this month", dt.date(2025, 3, 1), dt.date(2025, 3, 14), DatePrecision.MONTH),
        ("last month", dt.date(2025, 2, 1), dt.date(2025, 2, 28), DatePrecision.MONTH),
        ("in recent days", dt.date(2025, 3, 8), dt.date(2025, 3, 14), DatePrecision.DAYS),
        ("yesterday", dt.date(2025, 3, 13), dt.date(2025, 3, 13), DatePrecision.DAY),
        ("on Friday", dt.date(2025, 3, 14), dt.date(2025, 3, 14), DatePrecision.DAY),
        ("last Friday", dt.date(2025, 3, 7), dt.date(2025, 3, 7), DatePrecision.DAY),
        ("on Monday", dt.date(2025, 3, 10), dt.date(2025, 3, 10), DatePrecision.DAY),
        ("last year", dt.date(2024, 1, 1), dt.date(2024, 12, 31), DatePrecision.YEAR),
        ("two weeks ago", dt.date(2025, 2, 25), dt.date(2025, 3, 3), DatePrecision.WEEK),
        ("three days ago", dt.date(2025, 3, 11), dt.date(2025, 3, 11), DatePrecision.DAY),
    ],
)
def test_relative_to_publication(phrase: str, start: dt.date, end: dt.date, prec: DatePrecision) -> None:
    text, got_start, got_end, got_prec, inferred = one(f"Shelling hit the town {phrase}.", AT_PUB)
    assert (got_start, got_end, got_prec, inferred) == (start, end, prec, True)
    assert phrase.split()[-1] in text


def test_dateparser_cannot_read_earlier_this_month_but_we_can() -> None:
    import dateparser

    assert dateparser.parse("earlier this month", settings={"RELATIVE_BASE": dt.datetime(2025, 3, 14)}) is None
    assert one("It began earlier this month.", AT_PUB)[3] == DatePrecision.MONTH


@pytest.mark.parametrize("phrase", ["last week", "on Friday", "earlier this month", "yesterday", "6 March", "mid-July"])
def test_nothing_is_invented_without_a_publication_date(phrase: str) -> None:
    assert find_dates(f"The raid came {phrase}.", NO_CONTEXT) == []


def test_last_year_with_only_a_lower_bound_is_coarse_and_says_so() -> None:
    d = find_dates("The regime fell last year.", DateContext(not_before=dt.date(2025, 8, 27)))[0]
    assert (d.start, d.end, d.prec, d.inferred) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31), DatePrecision.YEAR,
                                                    True)
    assert "earliest possible publication date 2025-08-27" in d.note


def test_weekday_after_an_anchor_when_publication_is_unknown() -> None:
    ctx = DateContext(not_before=dt.date(2025, 8, 27), anchor=dt.date(2025, 3, 7))
    assert one("On Saturday morning the shooting resumed.", ctx)[1] == dt.date(2025, 3, 8)


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(ExtractionError, match="find_dates: expected text"):
        find_dates(None, AT_PUB)  # type: ignore[arg-type]


# --- publication bounds ----------------------------------------------------------------------------------------------


def test_bounds_from_the_latest_caption() -> None:
    body = "Officials met on 3 May 2024 to discuss the inquiry."
    nb, na, note = infer_publication_bounds(body, [dt.date(2025, 8, 27), dt.date(2025, 3, 9)])
    assert (nb, na) == (dt.date(2025, 8, 27), None) and "caption" in note


def test_bounds_from_the_latest_date_in_the_text_but_not_a_future_one() -> None:
    body = "Talks opened on 3 May 2024. A vote is scheduled for 1 June 2026. The army withdrew in 2019."
    nb, na, note = infer_publication_bounds(body, [])
    assert (nb, na) == (dt.date(2024, 5, 3), None) and "3 May 2024" in note


def test_no_bounds_without_evidence() -> None:
    assert infer_publication_bounds("Shelling resumed last week on March 6.", [])[:2] == (None, None)


def test_corpus_long_read_dates() -> None:
    """The long read: bounds from its own text, then its partial dates resolved to 2025 and its past years kept."""
    corpus = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"shared corpus not found at {corpus}")
    long_read = max(corpus.glob("*.txt"), key=lambda p: p.stat().st_size).read_text(encoding="utf-8")
    nb, _, _ = infer_publication_bounds(long_read, [])
    assert nb == dt.date(2025, 8, 27)
    ctx = DateContext(not_before=nb)
    found = [d for s in re.split(r"(?<=[.!?])\s+", long_read) for d in find_dates(s, ctx)]
    by_text = {d.text: d for d in found}
    assert by_text["Friday 7 March"].start == dt.date(2025, 3, 7)
    assert by_text["Thursday 6 March"].start == dt.date(2025, 3, 6)
    assert by_text["22 July"].start == dt.date(2025, 7, 22)
    assert by_text["1982"].start == dt.date(1982, 1, 1) and by_text["2012"].start == dt.date(2012, 1, 1)
    assert all(d.end <= nb + dt.timedelta(days=30) for d in found)
