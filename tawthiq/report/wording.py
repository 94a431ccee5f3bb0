"""Codes put into words for readers: precision codes, date ranges, qualifiers, figures."""

from __future__ import annotations

import datetime as dt
import re

from tawthiq.model import DASH, DatePrecision, WherePrecision, describe_dates

DATE_PREC_WORDS: dict[int, str] = {
    DatePrecision.DAY: "exact day",
    DatePrecision.DAYS: f"within a few days (2{DASH}6)",
    DatePrecision.WEEK: "within a week",
    DatePrecision.MONTH: "within the month",
    DatePrecision.YEAR: "the year at best",
}

WHERE_PREC_WORDS: dict[int, str] = {
    WherePrecision.EXACT: "the place itself",
    WherePrecision.NEAR: "within about 25 km",
    WherePrecision.ADMIN2: "the district only",
    WherePrecision.ADMIN1: "the governorate only",
    WherePrecision.REGION: "a region only",
    WherePrecision.COUNTRY: "the country only",
}

QUALIFIER_WORDS: dict[str, str] = {
    "exact": "exactly",
    "more_than": "more than",
    "at_least": "at least",
    "about": "about",
    "nearly": "nearly",
    "up_to": "up to",
    "less_than": "less than",
    "approx_exact": "a round figure of",
}


def date_prec_words(prec: int | None) -> str:
    """``"within the month"`` for 4; ``"precision unknown"`` for a missing or unknown code."""
    if prec is None:
        return "precision unknown"
    return DATE_PREC_WORDS.get(prec, f"precision code {prec}")


def where_prec_words(prec: int | None) -> str:
    if prec is None:
        return "precision unknown"
    return WHERE_PREC_WORDS.get(prec, f"precision code {prec}")


def parse_date(value: str | None) -> dt.date | None:
    """An ISO date (``2025-03-07``, or the date part of a timestamp); ``None`` when missing or unreadable."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def date_range_words(start: str | None, end: str | None, prec: int | None) -> str:
    """A date range as a reader says it, as coarse as its precision: ``6-9 March 2025`` (en dash), ``May 2012``."""
    first, last = parse_date(start), parse_date(end) or parse_date(start)
    if first is None or last is None:
        return (start or "undated") if not end else f"{start or '?'} {DASH} {end}"
    return describe_dates(first, last, prec)


def figure(value: int | None) -> str:
    """``1,426``; an empty string for no value."""
    return "" if value is None else f"{value:,}"


def qualifier_words(key: str | None) -> str:
    if not key:
        return ""
    return QUALIFIER_WORDS.get(key, key.replace("_", " "))


def code_words(value: str | None) -> str:
    """``security_forces`` → ``security forces``."""
    return (value or "").replace("_", " ")


_ARABIC = re.compile("[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")


def is_arabic(value: object) -> bool:
    """Whether a text contains Arabic letters (then it is shown right-to-left)."""
    return isinstance(value, str) and _ARABIC.search(value) is not None
