"""English and Arabic messages, text direction, and dates as each language writes them.

Messages live in ``en.json`` and ``ar.json`` beside this file, one key per message, the same keys in both (a test
checks it). A message may hold ``{name}`` fields, filled by :meth:`Translator.__call__`.

Dates in Arabic carry both month names Syrians read: the Syriac ones used in the Levant and the standard ones used
across the Arab world, "7 آذار (مارس) 2025". Figures stay in Western digits, as the sources print them.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from tawthiq.errors import ConfigError

LANGUAGES = ("en", "ar")
DEFAULT_LANGUAGE = "en"
RTL = frozenset({"ar"})

# Levantine (Syriac) month names, as used in Syria, Lebanon, Jordan, Palestine and Iraq.
SYRIAN_MONTHS = (
    "كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران",
    "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول",
)
# The month names of the Gregorian calendar as written across the Arab world (Egypt, the Gulf, the Maghreb press).
STANDARD_MONTHS = (
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
    "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
)
ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


@cache
def catalog(language: str) -> dict[str, str]:
    """The messages of ``language`` (``en`` or ``ar``)."""
    if language not in LANGUAGES:
        raise ConfigError(f"language {language!r}: not one of {', '.join(LANGUAGES)}")
    text = resources.files(__name__).joinpath(f"{language}.json").read_text(encoding="utf-8")
    messages = json.loads(text)
    if not isinstance(messages, dict):
        raise ConfigError(f"i18n/{language}.json: expected an object of messages")
    return {str(k): str(v) for k, v in messages.items()}


def month_name(month: int, language: str) -> str:
    """``March`` in English; ``آذار (مارس)`` in Arabic (the Syrian name, then the standard one)."""
    if not 1 <= month <= 12:
        raise ValueError(f"month {month}: not between 1 and 12")
    if language == "ar":
        return f"{SYRIAN_MONTHS[month - 1]} ({STANDARD_MONTHS[month - 1]})"
    return ENGLISH_MONTHS[month - 1]


def format_date(value: dt.date, language: str) -> str:
    """``7 March 2025`` / ``7 آذار (مارس) 2025``."""
    return f"{value.day} {month_name(value.month, language)} {value.year}"


def _parse(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def format_range(start: str | None, end: str | None, prec: int | None, language: str) -> str:
    """A date range as coarse as its precision (UCDP ``date_prec``): ``6–9 March 2025``, ``March 2025``, ``1982``."""
    first = _parse(start)
    last = _parse(end) or first
    if first is None or last is None:
        return start or catalog(language)["undated"]
    if prec == 5:
        return str(first.year) if first.year == last.year else f"{first.year}–{last.year}"
    month = (first.year, first.month) == (last.year, last.month)
    if prec == 4 and month:
        return f"{month_name(first.month, language)} {first.year}"
    if first == last:
        return format_date(first, language)
    if month:
        return f"{first.day}–{last.day} {month_name(first.month, language)} {first.year}"
    return f"{format_date(first, language)} – {format_date(last, language)}"


@dataclass(frozen=True, slots=True)
class Translator:
    """The messages and formats of one language, handed to every template as ``t``."""

    language: str

    @property
    def direction(self) -> str:
        return "rtl" if self.language in RTL else "ltr"

    def __call__(self, key: str, **fields: object) -> str:
        messages = catalog(self.language)
        text = messages.get(key) or catalog(DEFAULT_LANGUAGE).get(key) or key
        return text.format(**fields) if fields else text

    def date(self, value: str | None) -> str:
        parsed = _parse(value)
        return format_date(parsed, self.language) if parsed else (value or "")

    def date_range(self, start: str | None, end: str | None, prec: int | None) -> str:
        return format_range(start, end, prec, self.language)

    def term(self, prefix: str, value: str | None) -> str:
        """The message ``prefix.value`` (``qual.more_than``), or the value in plain words when there is none."""
        if not value:
            return ""
        return catalog(self.language).get(f"{prefix}.{value}") or value.replace("_", " ")

    def code(self, value: str | None) -> str:
        """A code of the data model (``security_forces``, ``killed``) in words of this language."""
        if not value:
            return ""
        return catalog(self.language).get(f"code.{value}") or value.replace("_", " ")


def pick_language(query: str | None, cookie: str | None, accept: str | None) -> str:
    """The language of a page: ``?lang=``, else the cookie, else the browser's first known preference, else English."""
    for candidate in (query, cookie):
        if candidate in LANGUAGES:
            return str(candidate)
    for part in (accept or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE
