"""Dates in English sentences, resolved against what is known of the document's publication.

Three kinds of date expression, each read by a rule of its own (docs/dates.md is the full table):

* absolute: "22 July 2025", "March 6, 2025", "Friday, 7 March 2025", "March 2025", "in 2012", "the 1970s";
* partial: "6 March", "March 7", "Friday 7 March", "mid-July", "in May" — the year comes from the context: the
  year the text is about when it is given, else the latest such date not after the publication date (or the latest
  possible publication date, or shortly after the earliest possible one); a stated weekday picks the year in which it
  matches;
* relative to the publication date: "yesterday", "on Friday", "last week", "earlier this month", "in recent days",
  "last year", "in December last year", "two weeks ago".

Nothing is invented: an expression that cannot be resolved honestly is left out. Every date not stated in full is
``inferred`` and carries a ``note`` saying how it was read. ``dateparser`` reads the "N days ago" and numeric
(day-first) forms; everything else is rules, because dateparser fails on "earlier this month", "mid-July" and
"in recent days" and is slow to call on every sentence.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from tawthiq.errors import ExtractionError
from tawthiq.model import DatePrecision, DateRange, Span

MARGIN = dt.timedelta(days=30)  # how far after the earliest possible publication date a text is assumed written

MONTHS: dict[str, int] = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS: dict[str, int] = {name.lower(): i for i, name in enumerate(calendar.day_name)}

_M = r"(?P<month>(?:January|February|March|April|May|June|July|August|September|October|November|December)\b" \
     r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)(?:\.|\b))"
_MC = r"(?-i:(?P<month>January|February|March|April|May|June|July|August|September|October|November|December))"
_WD = r"(?:(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+(?:the\s+)?)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|[nr]d|th)?"
_YEAR = r"(?P<year>1[6-9]\d\d|20\d\d)"
_PART = r"(?P<part>early|mid|late|the\s+(?:beginning|start|middle|end)\s+of)"
_YEAR_CUE = r"(?:in|since|from|until|till|by|of|during|year|summer|winter|spring|autumn|fall|early|mid|late|circa)"

# Cheap tests, one per family of rules: a family none of whose cue words is in a sentence is not tried on it.
_NEEDS: dict[str, tuple[str, ...]] = {
    "month": ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
    "digit": tuple("0123456789"),
    "relative": ("yesterday", "today", "tonight", "night", "morning", "week", "month", "year", "recent", "past"),
    "weekday": ("day",),
    "ago": (" ago",),
}


@dataclass(frozen=True, slots=True)
class DateContext:
    """What is known about when a document was written, to resolve its partial and relative dates.

    ``anchor`` (optional) is the last date the text itself has established ("On Friday 7 March ..."): when the
    publication date is unknown, a bare weekday ("On Saturday morning") is read as the first such day after it.
    """

    published: dt.date | None = None
    not_before: dt.date | None = None
    not_after: dt.date | None = None
    event_year: int | None = None
    anchor: dt.date | None = None


@dataclass(frozen=True, slots=True)
class _Resolved:
    start: dt.date
    end: dt.date
    prec: DatePrecision
    inferred: bool
    note: str


_Resolver = Callable[[re.Match[str], DateContext], "_Resolved | None"]


# --- helpers ---------------------------------------------------------------------------------------------------------


def _month(m: re.Match[str]) -> int:
    return MONTHS[m.group("month").lower().rstrip(".")]


def _month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _part_of_month(year: int, month: int, part: str | None) -> tuple[dt.date, dt.date]:
    first, last = _month_range(year, month)
    part = (part or "").lower()
    if part in ("early",) or part.endswith(("beginning of", "start of")):
        return first, first.replace(day=10)
    if part == "mid" or part.endswith("middle of"):
        return first.replace(day=11), first.replace(day=20)
    if part == "late" or part.endswith("end of"):
        return first.replace(day=21), last
    return first, last


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def reference_date(ctx: DateContext) -> tuple[dt.date | None, str]:
    """The date a text's 'now' is taken to be, and how it was chosen."""
    if ctx.published:
        return ctx.published, f"the publication date {ctx.published.isoformat()}"
    if ctx.not_after:
        return ctx.not_after, f"the latest possible publication date {ctx.not_after.isoformat()}"
    if ctx.not_before:
        ref = ctx.not_before + MARGIN
        return ref, f"{MARGIN.days} days after the earliest possible publication date {ctx.not_before.isoformat()}"
    return None, ""


def infer_year(
    month: int, day: int | None, weekday: int | None, ctx: DateContext, first_day: int = 1
) -> tuple[int, str] | None:
    """The year of a day (or of a month, from its ``first_day`` on) given without one, and the note saying why."""
    ref, ref_note = reference_date(ctx)
    probe_day = day or first_day
    label = f"{day} {calendar.month_name[month]}" if day else calendar.month_name[month]
    event_day = safe_date(ctx.event_year, month, probe_day) if ctx.event_year is not None else None
    event_ok = ctx.event_year is not None and (ref is None or (event_day or ref) <= ref)
    if event_ok and ctx.event_year is not None:
        year, why = ctx.event_year, f"year {ctx.event_year}, the year the text is about"
    elif ref is not None:
        year = ref.year if (month, probe_day) <= (ref.month, ref.day) else ref.year - 1
        why = f"year {year}: the latest {label} not after {ref_note}"
    else:
        return None
    if day is not None and safe_date(year, month, day) is None:  # 29 February: the latest leap year
        year = next((y for y in range(year - 1, year - 9, -1) if safe_date(y, month, day)), year)
        why = f"{why}; {label} exists only in leap years, so {year}"
    if weekday is None or day is None:
        return year, why
    for candidate in range(year, year - 28, -1):
        date = safe_date(candidate, month, day)
        if date is not None and date.weekday() == weekday:
            if candidate == year:
                return year, f"{why}; {calendar.day_name[weekday]} matches"
            return candidate, f"year {candidate}: the latest year before {year} in which {label} is a " \
                              f"{calendar.day_name[weekday]}"
    return year, f"{why}; the stated {calendar.day_name[weekday]} matches no year near it"


def _weekday(m: re.Match[str]) -> int | None:
    name = m.groupdict().get("weekday")
    return WEEKDAYS[name.lower()] if name else None


# --- resolvers, one per pattern --------------------------------------------------------------------------------------


def _full_date(m: re.Match[str], ctx: DateContext) -> _Resolved | None:
    date = safe_date(int(m.group("year")), _month(m), int(m.group("day")))
    if date is None:
        return None
    weekday = _weekday(m)
    note = ""
    if weekday is not None and date.weekday() != weekday:
        note = f"the stated {calendar.day_name[weekday]} does not match {date.isoformat()} ({date:%A})"
    return _Resolved(date, date, DatePrecision.DAY, False, note)


def _numeric_date(m: re.Match[str], ctx: DateContext) -> _Resolved | None:
    date = _dateparser(m.group(), None)
    if date is None:
        return None
    note = "" if "-" in m.group() else "numeric date read day first"
    return _Resolved(date, date, DatePrecision.DAY, False, note)


def _month_year(m: re.Match[str], ctx: DateContext) -> _Resolved:
    start, end = _part_of_month(int(m.group("year")), _month(m), m.groupdict().get("part"))
    return _Resolved(start, end, DatePrecision.MONTH, False, "")


def _month_relative_year(m: re.Match[str], ctx: DateContext) -> _Resolved | None:
    which = m.group("which").lower()
    if which == "that":
        if ctx.event_year is None:
            return None
        year, note = ctx.event_year, f"'that year' read as {ctx.event_year}, the year the text is about"
    else:
        ref, ref_note = reference_date(ctx)
        if ref is None:
            return None
        year = ref.year - 1 if which == "last" else ref.year
        note = f"'{which} year' read against {ref_note}"
    start, end = _part_of_month(year, _month(m), m.groupdict().get("part"))
    ref, _ = reference_date(ctx)
    if which == "this" and ref is not None and start <= ref:
        end = min(end, ref)
    return _Resolved(start, end, DatePrecision.MONTH, True, note)


def _partial_day(m: re.Match[str], ctx: DateContext) -> _Resolved | None:
    month, day = _month(m), int(m.group("day"))
    if not 1 <= day <= 31:
        return None
    found = infer_year(month, day, _weekday(m), ctx)
    if found is None:
        return None
    year, note = found
    date = safe_date(year, month, day)
    if date is None:
        return None
    return _Resolved(date, date, DatePrecision.DAY, True, note)


def _partial_month(m: re.Match[str], ctx: DateContext) -> _Resolved | None:
    month, part = _month(m), m.groupdict().get("part")
    found = infer_year(month, None, None, ctx, first_day=_part_of_month(2001, month, part)[0].day)
    if found is None:
        return None
    year, note = found
    start, end = _part_of_month(year, month, part)
    ref, _ = reference_date(ctx)
    if ref is not None and start <= ref < end:  # the month in progress when the text was written
        end = ref
    return _Resolved(start, end, DatePrecision.MONTH, True, note)


def _year(m: re.Match[str], ctx: DateContext) -> _Resolved:
    year = int(m.group("year"))
    return _Resolved(dt.date(year, 1, 1), dt.date(year, 12, 31), DatePrecision.YEAR, False, "")


def _decade(m: re.Match[str], ctx: DateContext) -> _Resolved:
    digits = m.group("decade") or m.group("decade2")
    base = int(digits) if len(digits) == 4 else 1900 + int(digits)
    part = (m.group("part") or m.group("part2") or "").lower()
    first, last = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}.get(part, (0, 9))
    note = "" if len(digits) == 4 else f"'{digits}s' read as the {base}s"
    return _Resolved(dt.date(base + first, 1, 1), dt.date(base + last, 12, 31), DatePrecision.YEAR, bool(note), note)


def _relative(m: re.Match[str], ctx: DateContext) -> _Resolved | None:
    """'yesterday', 'last week', 'earlier this month', 'in recent days', 'last year' ... against the publication."""
    phrase = " ".join(m.group().lower().split())
    key = next((k for k in _RELATIVE_KEYS if phrase.endswith(k)), None)
    if key is None:
        return None
    coarse = key in ("last year", "this year")
    if ctx.published is None and not coarse:
        return None  # a day, week or month relative to an unknown date is not known
    ref, ref_note = reference_date(ctx)
    if ref is None:
        return None
    start, end, prec = _RELATIVE_KEYS[key](ref)
    if phrase.startswith("earlier") and key.startswith("this"):
        end = max(start, ref - dt.timedelta(days=1))
    return _Resolved(start, min(end, ref), prec, True, f"'{phrase}' read against {ref_note}")


def _monday(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


_RELATIVE_KEYS: dict[str, Callable[[dt.date], tuple[dt.date, dt.date, DatePrecision]]] = {
    "the day before yesterday": lambda r: (r - dt.timedelta(2), r - dt.timedelta(2), DatePrecision.DAY),
    "yesterday": lambda r: (r - dt.timedelta(1), r - dt.timedelta(1), DatePrecision.DAY),
    "last night": lambda r: (r - dt.timedelta(1), r, DatePrecision.DAYS),
    "today": lambda r: (r, r, DatePrecision.DAY),
    "tonight": lambda r: (r, r, DatePrecision.DAY),
    "this morning": lambda r: (r, r, DatePrecision.DAY),
    "this week": lambda r: (_monday(r), r, DatePrecision.WEEK),
    "last week": lambda r: (_monday(r) - dt.timedelta(7), _monday(r) - dt.timedelta(1), DatePrecision.WEEK),
    "past week": lambda r: (r - dt.timedelta(7), r, DatePrecision.WEEK),
    "last weekend": lambda r: _last_weekend(r),
    "the weekend": lambda r: _last_weekend(r),
    "recent days": lambda r: (r - dt.timedelta(6), r, DatePrecision.DAYS),
    "past few days": lambda r: (r - dt.timedelta(6), r, DatePrecision.DAYS),
    "past several days": lambda r: (r - dt.timedelta(6), r, DatePrecision.DAYS),
    "recent weeks": lambda r: (r - dt.timedelta(31), r, DatePrecision.MONTH),
    "past few weeks": lambda r: (r - dt.timedelta(31), r, DatePrecision.MONTH),
    "this month": lambda r: (r.replace(day=1), r, DatePrecision.MONTH),
    "last month": lambda r: (*_month_range(*_previous_month(r)), DatePrecision.MONTH),
    "this year": lambda r: (dt.date(r.year, 1, 1), r, DatePrecision.YEAR),
    "last year": lambda r: (dt.date(r.year - 1, 1, 1), dt.date(r.year - 1, 12, 31), DatePrecision.YEAR),
}


def _previous_month(r: dt.date) -> tuple[int, int]:
    return (r.year, r.month - 1) if r.month > 1 else (r.year - 1, 12)


def _last_weekend(r: dt.date) -> tuple[dt.date, dt.date, DatePrecision]:
    saturday = r - dt.timedelta(days=(r.weekday() - 5) % 7)
    return saturday, saturday + dt.timedelta(days=1), DatePrecision.DAYS


def _weekday_alone(m: re.Match[str], ctx: DateContext) -> _Resolved | None:
    """'on Friday', 'last Friday', 'Saturday morning': the latest such day on or before the publication date."""
    weekday = WEEKDAYS[m.group("weekday").lower()]
    strict = (m.group("which") or "").lower() == "last"
    name = calendar.day_name[weekday]
    if ctx.published is not None:
        back = (ctx.published.weekday() - weekday) % 7 or (7 if strict else 0)
        date = ctx.published - dt.timedelta(days=back)
        return _Resolved(date, date, DatePrecision.DAY, True,
                         f"the latest {name} {'before' if strict else 'on or before'} the publication date "
                         f"{ctx.published.isoformat()}")
    if ctx.anchor is not None and not strict:
        date = ctx.anchor + dt.timedelta(days=(weekday - ctx.anchor.weekday()) % 7)
        return _Resolved(date, date, DatePrecision.DAY, True,
                         f"the first {name} on or after {ctx.anchor.isoformat()}, the last date the text gave")
    return None


def _ago(m: re.Match[str], ctx: DateContext) -> _Resolved | None:
    if ctx.published is None:
        return None
    date = _dateparser(m.group(), ctx.published)
    if date is None:
        return None
    unit = m.group("unit").lower().rstrip("s")
    prec, half = {"day": (DatePrecision.DAY, 0), "week": (DatePrecision.WEEK, 3), "fortnight": (DatePrecision.WEEK, 3),
                  "month": (DatePrecision.MONTH, 15), "year": (DatePrecision.YEAR, 182)}[unit]
    start, end = date - dt.timedelta(days=half), min(date + dt.timedelta(days=half), ctx.published)
    return _Resolved(start, end, prec, True, f"'{m.group()}' counted back from the publication date")


@lru_cache(maxsize=4096)
def _dateparser(text: str, base: dt.date | None) -> dt.date | None:
    """dateparser for the forms it reads well ("two weeks ago", "06/03/2025"), day first, past preferred."""
    import dateparser  # imported here: it takes half a second to load and most sentences never need it

    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "DATE_ORDER": "DMY", "RETURN_AS_TIMEZONE_AWARE": False}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    return parsed.date() if parsed else None


# --- the patterns, longest match wins --------------------------------------------------------------------------------

_NUMBER_WORDS = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|a\s+few)"
_YEAR_NOUNS = r"(?:war|uprising|revolution|massacres?|election|coup|earthquake|crackdown|protests)"
_RELATIVE_WORDS = (
    r"(?:day\s+before\s+yesterday|yesterday|last\s+night|today|tonight|this\s+morning|this\s+week|last\s+week"
    r"|past\s+week|last\s+weekend|weekend|recent\s+days|past\s+(?:few|several)\s+days|recent\s+weeks"
    r"|past\s+few\s+weeks|this\s+month|last\s+month|this\s+year|last\s+year)"
)
_WEEKDAY_ALONE = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DECADE = (
    r"\b(?:the\s+)?(?:(?P<part>early|mid|late)[\s-]*)?(?P<decade>1[6-9]\d0|20\d0)s\b"
    r"|\bthe\s+(?:(?P<part2>early|mid|late)[\s-]*)?'?(?P<decade2>[3-9]0)s\b"
)
_MONTH_CUE = r"(?:in|since|until|by|during|from|through|of|that)"
_NO_COUNT = r"(?!\s*(?:people|civilians|victims|men|women))"  # "in March 20 people died" is not 20 March

# (the family of cue words a sentence must contain, the pattern, its resolver); the longest match wins.
_RULES: list[tuple[str, re.Pattern[str], _Resolver]] = [
    ("month", re.compile(rf"\b{_WD}?(?:the\s+)?{_DAY}(?:\s+of)?\s+{_M},?\s+{_YEAR}\b", re.I), _full_date),
    ("month", re.compile(rf"\b{_WD}?{_M}\s+{_DAY},?\s+{_YEAR}\b", re.I), _full_date),
    ("digit", re.compile(r"\b(?:\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})\b"), _numeric_date),
    ("month", re.compile(rf"\b(?:{_PART}[\s-]+)?{_M},?\s+{_YEAR}\b", re.I), _month_year),
    ("month", re.compile(rf"\b(?:{_PART}[\s-]+)?{_M}\s+(?P<which>last|this|that)\s+year\b", re.I),
     _month_relative_year),
    ("month", re.compile(rf"\b{_WD}?(?:the\s+)?{_DAY}(?:\s+of)?\s+{_M}", re.I), _partial_day),
    ("month", re.compile(rf"\b{_WD}?{_M}\s+{_DAY}\b{_NO_COUNT}", re.I), _partial_day),
    ("month", re.compile(rf"\b{_PART}[\s-]+{_M}\b", re.I), _partial_month),
    ("month", re.compile(rf"\b{_MONTH_CUE}\s+(?P<d>{_MC})\b(?!\s+\d)"), _partial_month),
    ("digit", re.compile(_DECADE, re.I), _decade),
    ("digit", re.compile(rf"\b{_YEAR_CUE}[\s-]+(?P<d>{_YEAR})\b(?!\s*(?:-|\u2013|,\d))", re.I), _year),
    ("digit", re.compile(rf"\b{_YEAR}(?=\s+{_YEAR_NOUNS}\b)", re.I), _year),
    ("relative", re.compile(rf"\b(?:(?:earlier|later)\s+)?(?:in\s+|over\s+|during\s+)?(?:the\s+)?{_RELATIVE_WORDS}\b",
                            re.I), _relative),
    ("weekday", re.compile(rf"\b(?:(?P<which>last|this|on)\s+)?{_WEEKDAY_ALONE}\b", re.I), _weekday_alone),
    ("ago", re.compile(rf"\b{_NUMBER_WORDS}\s+(?P<unit>days?|weeks?|fortnight|months?|years?)\s+ago\b", re.I), _ago),
]


# --- the public API --------------------------------------------------------------------------------------------------


def find_dates(sentence: str, ctx: DateContext) -> list[DateRange]:
    """Every date expression in ``sentence`` that can be resolved honestly, in order, with spans into it.

    >>> ctx = DateContext(published=dt.date(2025, 3, 14))
    >>> [(d.text, d.start.isoformat(), d.end.isoformat(), int(d.prec)) for d in find_dates("On Friday 7 March.", ctx)]
    [('Friday 7 March', '2025-03-07', '2025-03-07', 1)]
    """
    if not isinstance(sentence, str):
        raise ExtractionError(f"find_dates: expected text (str), got {type(sentence).__name__}: {sentence!r:.60}")
    found: list[DateRange] = []
    selected = _select_cached(sentence) if len(sentence) <= _CACHED_MAX else _select(sentence)
    for (start, end), m, resolve in selected:
        resolved = resolve(m, ctx)
        if resolved is None:
            continue
        found.append(DateRange(resolved.start, resolved.end, resolved.prec, sentence[start:end], Span(start, end),
                               resolved.inferred, resolved.note))
    return found


def _select(sentence: str) -> tuple[tuple[tuple[int, int], re.Match[str], _Resolver], ...]:
    """All rule matches, the longest kept where they overlap, in sentence order."""
    low = sentence.lower()
    present = {need for need, cues in _NEEDS.items() if any(cue in low for cue in cues)}
    matches = []
    for need, pattern, resolve in _RULES:
        if need not in present:
            continue
        for m in pattern.finditer(sentence):
            if "month" in pattern.groupindex and m.group("month") and m.group("month").islower():
                continue  # "may" the verb, "march" the walk: real dates capitalise the month
            span = m.span("d") if "d" in pattern.groupindex and m.group("d") else m.span()
            matches.append((span, m, resolve))
    matches.sort(key=lambda item: (item[0][0] - item[0][1], item[0][0]))
    kept: list[tuple[tuple[int, int], re.Match[str], _Resolver]] = []
    for item in matches:
        (start, end) = item[0]
        if all(end <= k[0][0] or start >= k[0][1] for k in kept):
            kept.append(item)
    return tuple(sorted(kept, key=lambda item: item[0][0]))


# A sentence is read again when the document's year is known: its matches are cached (not those of a whole page, which
# the publication reader passes once and the cache would only keep alive).
_select_cached = lru_cache(maxsize=1024)(_select)
_CACHED_MAX = 2000


_FUTURE = re.compile(r"\b(?:will|shall|scheduled|due\s+to|planned|plans?\s+to|expected\s+to|set\s+to|upcoming|next)\b",
                     re.I)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")


def infer_publication_bounds(body: str, caption_dates: list[dt.date]) -> tuple[dt.date | None, dt.date | None, str]:
    """Bounds on an undated document's publication date read from its text: ``(not_before, not_after, note)``.

    The latest dated photo caption, or the latest full date (day, month or year) the body states outside a sentence
    about the future, is a date the document cannot precede. Nothing in a text alone bounds it from above, so
    ``not_after`` is ``None``; the note says which evidence gave the bound.

    >>> infer_publication_bounds("Talks began on 3 May 2024.", [dt.date(2025, 8, 27)])
    (datetime.date(2025, 8, 27), None, 'not before 2025-08-27: the latest dated photo caption')
    """
    if not isinstance(body, str):
        raise ExtractionError(f"infer_publication_bounds: expected text (str), got {type(body).__name__}")
    evidence: list[tuple[dt.date, str]] = [(d, "the latest dated photo caption") for d in caption_dates]
    empty = DateContext()
    for m in _SENTENCE.finditer(body):
        sentence = m.group()
        if _FUTURE.search(sentence):
            continue
        for d in find_dates(sentence, empty):
            if not d.inferred:
                evidence.append((d.start, f"the latest date the text states ({d.text!r})"))
    if not evidence:
        return None, None, "no dated caption and no full date in the text: publication date unbounded"
    latest, why = max(evidence, key=lambda e: e[0])
    return latest, None, f"not before {latest.isoformat()}: {why}"
