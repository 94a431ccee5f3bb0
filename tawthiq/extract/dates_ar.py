
"""Dates in Arabic sentences, resolved against what is known of the document's publication.

Read in the matching form of the sentence (:mod:`tawthiq.extract.arabic`); spans point into the ORIGINAL sentence.

* months: Levantine (كانون الثاني … كانون الأول، آذار، تموز، آب …), Egyptian (يناير … ديسمبر) and the common
  Maghrebi ones (جانفي، فيفري، أفريل، جوان، جويلية), alone or paired ("6 آذار/مارس", "آذار (مارس)");
* days in digits of any script or as ordinals ("السادس من آذار", "الثالث عشر من يوليو", "الحادي والعشرين من …");
* ranges: "من 6 إلى 10 آذار", "بين 13 و16 تموز", "6-10 آذار", "من الأحد 13 تموز وإلى الأربعاء 16 تموز";
* weekdays, checked against the date they name ("الثلاثاء 11 آذار 2025"), and relative dates resolved against the
  publication date: "أمس", "أمس الأحد", "أول أمس", "يوم الخميس الماضي", "الليلة الماضية", "الأسبوع الماضي",
  "الشهر الماضي/الجاري", "العام الماضي/الجاري", "آذار الجاري/الماضي", "قبل يومين", "قبل 3 أيام", "منذ 6 آذار";
* month and year ("أغسطس 2012"), a year with a cue ("عام 2012", "في 2012"), numeric dates ("02-02-2026").

The year of a day and month written without one comes, in order, from the other end of its range, the year the text
is about (``ctx.event_year``), else the latest such date not after the publication date; a stated weekday picks the
year in which it matches. Every date not written in full is ``inferred`` with a ``note`` saying how it was read.
dateparser reads the numeric forms and "قبل <digits> أيام/أسابيع" (where its Arabic support is right); everything
else is rules, because dateparser knows no Levantine month, no ordinal day and no "أمس الأحد" (tests show both).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from tawthiq.extract.arabic import fold, map_span, matching_form
from tawthiq.extract.dates import DateContext, infer_year, reference_date, safe_date
from tawthiq.model import DatePrecision, DateRange, Span

__all__ = ["MONTHS_AR", "WEEKDAYS_AR", "DateContext", "date_spans_matching", "find_dates_ar", "format_date_ar"]

_LEVANTINE = [
    "كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني",
    "كانون الأول",
]
_EGYPTIAN = [
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
]
MONTHS_AR: dict[str, int] = {fold(w): i for names in (_LEVANTINE, _EGYPTIAN) for i, w in enumerate(names, 1)}
MONTHS_AR.update(
    {
        fold(w): i
        for w, i in [
            ("كانون ثاني", 1), ("كانون أول", 12), ("تشرين أول", 10), ("تشرين ثاني", 11), ("إبريل", 4), ("ابريل", 4),
            ("يونيه", 6), ("يوليه", 7), ("جانفي", 1), ("فيفري", 2), ("أفريل", 4), ("جوان", 6), ("جويلية", 7),
        ]
    }
)
WEEKDAYS_AR: dict[str, int] = {
    fold(w): i for i, w in enumerate(["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"])
}
_ORDINAL_UNITS = ["الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع"]
ORDINAL_DAYS: dict[str, int] = {fold(w): i for i, w in enumerate(_ORDINAL_UNITS, 1)}
ORDINAL_DAYS[fold("العاشر")] = 10
ORDINAL_DAYS.update({fold(("الحادي" if i == 1 else w) + " عشر"): 10 + i for i, w in enumerate(_ORDINAL_UNITS, 1)})
ORDINAL_DAYS.update({fold("العشرين"): 20, fold("الثلاثين"): 30, fold("الحادي والثلاثين"): 31})
ORDINAL_DAYS.update({fold(("الحادي" if i == 1 else w) + " والعشرين"): 20 + i for i, w in enumerate(_ORDINAL_UNITS, 1)})
ORDINAL_DAYS.update({fold("الواحد والعشرين"): 21, fold("الواحد والثلاثين"): 31})


def _alt(words: object) -> str:
    folded = sorted(words, key=len, reverse=True)  # type: ignore[call-overload]
    return "|".join(re.escape(w).replace(r"\ ", r"\s+").replace("و", r"و\s*") for w in folded)


_B = r"(?:(?<![\u0621-\u064a\d])|(?<=(?<![\u0621-\u064a])[وفب]))"  # left boundary (a clitic و ف ب allowed)
_E = r"(?![\u0621-\u064a\d])"  # right boundary
_MON = _alt(MONTHS_AR)
_WDS = _alt(WEEKDAYS_AR)
_ORD = _alt(ORDINAL_DAYS)


def _month_group(n: str) -> str:
    return rf"(?:{fold('شهر')}\s+)?(?P<mon{n}>{_MON}){_E}(?:\s*[/(\-–]\s*(?:{_MON}){_E}\s*\)?)?"


def _day_group(n: str) -> str:
    return rf"(?P<day{n}>[0-3]?\d(?!\d)|{_ORD})"


_WD = rf"(?:(?:{fold('يوم')}\s+)?(?P<wd{{n}}>{_WDS}){_E}\s*[،,]?\s*)"
_YEAR = (
    rf"(?:\s*[،,]?\s*(?:{fold('من')}\s+)?(?:{fold('عام')}|{fold('سنة')}|{fold('العام')})?\s*"
    rf"(?P<year{{n}}>(?:19|20)\d\d)(?!\d)(?:{fold('م')}{_E})?)"
)
_REL = rf"(?:\s+(?P<rel{{n}}>{'|'.join(fold(w) for w in ('الجاري', 'الحالي', 'الماضي', 'المنصرم', 'الفائت'))}){_E})"
_TO = rf"(?:{fold('إلى')}|{fold('حتى')}|{fold('لغاية')})"
_JOIN = rf"\s*(?:-|–|{_TO}|و\s*{_TO}?)\s*"
_OF = rf"\s*(?:{fold('من')}\s+)?"


def _dm(n: str) -> str:
    """A day and month, with an optional weekday before and year or الجاري/الماضي after."""
    return rf"(?:{_WD.format(n=n)})?{_day_group(n)}{_OF}{_month_group(n)}(?:{_YEAR.format(n=n)}|{_REL.format(n=n)})?"


def _w(*words: str) -> str:
    """An alternation group of words in their matching form, longest first, any run of spaces between words."""
    return "(?:" + "|".join(fold(w).replace(" ", r"\s+") for w in sorted(words, key=len, reverse=True)) + ")"


_PART = rf"(?P<part>{_w('مطلع', 'أوائل', 'بداية', 'منتصف', 'أواسط', 'أواخر', 'نهاية', 'آخر')})"
_TIME_OF_DAY = rf"(?:(?:{_w('صباح', 'مساء', 'ليلة', 'فجر', 'ظهر', 'يوم')})\s+)?"
_PRE = rf"(?P<pre>{_w('من', 'بين', 'منذ', 'خلال الفترة من', 'في الفترة من', 'الفترة من')})\s+"
_RELATIVE_WORDS = (
    "أول أمس", "أول من أمس", "أمس الأول", "أمس", "الأمس", "البارحة", "الليلة الماضية", "الأسبوع الماضي",
    "الأسبوع المنصرم", "الأسبوع الفائت", "هذا الأسبوع", "الأسبوع الجاري", "الأسبوع الحالي", "الشهر الماضي",
    "الشهر المنصرم", "الشهر الفائت", "الشهر الجاري", "الشهر الحالي", "هذا الشهر", "العام الماضي", "السنة الماضية",
    "العام المنصرم", "العام الفائت", "العام الجاري", "العام الحالي", "هذا العام", "السنة الحالية", "الأيام الماضية",
    "الأيام الأخيرة", "اليوم",
)
_COUNT_WORDS = ("ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة", "عشرة")
_AGO_WORDS = ("يومين", "أيام", "يوما", "يوم", "أسبوعين", "أسابيع", "أسبوع", "شهرين", "أشهر", "شهور", "شهر")
_CUE_WORDS = ("أمس", "البارحة", "الماضي", "الماضية", "الجاري", "الحالي", "هذا", "قبل", "اليوم", "الأخيرة", "المنصرم",
              "الفائت")
_PATTERN_SOURCES: dict[str, str] = {
    "range_days": rf"(?:{_PRE}{_TIME_OF_DAY})?(?:{_WD.format(n='1')})?{_day_group('1')}{_JOIN}"
    rf"{_TIME_OF_DAY}(?:{_WD.format(n='2')})?{_day_group('2')}{_OF}{_month_group('2')}"
    rf"(?:{_YEAR.format(n='2')}|{_REL.format(n='2')})?",
    "range_dates": rf"(?:{_PRE}{_TIME_OF_DAY})?{_dm('1')}(?P<join>{_JOIN}){_TIME_OF_DAY}{_dm('2')}",
    "day": rf"(?:(?P<since>{_w('منذ')})\s+|(?P<reld>{_w('اليوم', 'أمس', 'الأمس', 'البارحة')})\s+)?{_dm('1')}",
    "numeric": r"(?P<nd>[0-3]?\d)[-/.](?P<nm>[01]?\d)[-/.](?P<ny>(?:19|20)\d\d)(?!\d)"
    r"|(?P<iy>(?:19|20)\d\d)-(?P<im>[01]?\d)-(?P<id>[0-3]?\d)(?!\d)",
    "month_year": rf"(?:{_PART}\s+)?{_month_group('1')}{_YEAR.format(n='1')}",
    "month_rel": rf"(?:{_PART}\s+)?{_month_group('1')}{_REL.format(n='1')}",
    "month_cue": rf"(?:(?P<cue>{_w('في', 'خلال', 'منذ', 'حتى')})\s+|{_PART}\s+)(?:{fold('شهر')}\s+)?"
    rf"(?P<mon1>{_MON}){_E}",
    "year": rf"(?:{_w('في', 'منذ', 'خلال')}\s+)?(?:{_w('عام', 'العام', 'سنة', 'لعام')})\s+"
    r"(?P<year1>(?:19|20)\d\d)(?!\d)"
    rf"|{_w('في', 'منذ')}\s+(?P<year2>(?:19|20)\d\d)(?!\d)",
    "relative": rf"(?P<relw>{_w(*_RELATIVE_WORDS)}){_E}(?:\s+(?:{fold('يوم')}\s+)?(?P<wd1>{_WDS}){_E})?",
    "weekday": rf"(?:(?P<cue>{_w('يوم', 'صباح', 'مساء', 'ليلة', 'فجر', 'ظهر', 'منذ', 'حتى', 'في')})\s+)?"
    rf"(?:{fold('يوم')}\s+)?(?P<wd1>{_WDS}){_E}"
    rf"(?:\s+(?P<last>{_w('الماضي', 'المنصرم', 'الفائت', 'السابق')}){_E})?",
    "ago": rf"{_w('قبل', 'منذ')}\s+(?:(?P<n>\d+|{_w(*_COUNT_WORDS)})\s+)?(?P<unit>{_w(*_AGO_WORDS)}){_E}",
}
_PATTERNS = {name: re.compile(f"{_B}(?:{src})") for name, src in _PATTERN_SOURCES.items()}
_CUES = re.compile(
    rf"\d|{_MON}|{_WDS}|{_w(*_CUE_WORDS)}"
)
_WORD_NUMBERS = {
    fold(w): i for i, w in enumerate(_COUNT_WORDS, 3)
}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).replace("و ", "و")


@lru_cache(maxsize=1024)  # the quantity reader and the date reader both scan each sentence
def _scan(m: str) -> tuple[tuple[int, int, str, re.Match[str]], ...]:
    """Non-overlapping date expressions in a matching form: the longest first, then the earlier pattern."""
    if _CUES.search(m) is None:
        return ()
    found = [
        (hit.start(), hit.end(), name, hit)
        for name, pattern in _PATTERNS.items()
        for hit in pattern.finditer(m)
        if name != "range_dates" or hit.group("pre") or hit.group("join").strip() != "و"
    ]
    order = list(_PATTERNS)
    found.sort(key=lambda f: (f[0] - f[1], order.index(f[2]), f[0]))
    chosen: list[tuple[int, int, str, re.Match[str]]] = []
    for f in found:
        if all(f[1] <= c[0] or c[1] <= f[0] for c in chosen):
            chosen.append(f)
    return tuple(sorted(chosen, key=lambda f: f[0]))


def date_spans_matching(m: str) -> list[tuple[int, int]]:
    """Spans of date expressions in a matching form (no context needed): for the quantity reader to skip."""
    return [(start, end) for start, end, name, _ in _scan(m) if name not in ("relative", "weekday", "ago")]


# --- resolving what was found ----------------------------------------------------------------------------------------

_CURRENT = frozenset(fold(w) for w in ("الجاري", "الحالي"))
_WEEKDAY_NAMES = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]


@dataclass(frozen=True, slots=True)
class _Resolved:
    start: dt.date
    end: dt.date
    inferred: bool
    note: str


def _weekday_note(date: dt.date, weekday: int | None) -> str:
    if weekday is None or date.weekday() == weekday:
        return ""
    return (
        f"; the stated {_WEEKDAY_NAMES[weekday]} does not match {date.isoformat()} (a {_WEEKDAY_NAMES[date.weekday()]})"
    )


def _end_parts(hit: re.Match[str], n: str, month_group: str) -> tuple[int, int, int | None, str | None, int | None]:
    """(day, month, year, الجاري/الماضي, weekday) of one end of a date expression."""
    day_text = _norm(hit.group(f"day{n}"))
    day = int(day_text) if day_text.isdigit() else ORDINAL_DAYS[day_text]
    month = MONTHS_AR[_norm(hit.group(month_group))]
    year = hit.groupdict().get(f"year{month_group[-1]}")
    rel = hit.groupdict().get(f"rel{month_group[-1]}")
    wd = hit.groupdict().get(f"wd{n}")
    return day, month, int(year) if year else None, rel, WEEKDAYS_AR[wd] if wd else None


def _resolve_day(
    day: int,
    month: int,
    year: int | None,
    rel: str | None,
    weekday: int | None,
    ctx: DateContext,
    hint: int | None = None,
    ctx_inferred_hint: bool = False,
) -> _Resolved | None:
    """One day: stated in full, or completed from الجاري/الماضي, the other end of a range, or the context."""
    if year is not None:
        date = safe_date(year, month, day)
        return None if date is None else _Resolved(date, date, False, _weekday_note(date, weekday).lstrip("; "))
    ref, ref_note = reference_date(ctx)
    if hint is not None:
        got: tuple[int, str] | None = (hint, f"year {hint}, stated with the other end of the range")
    elif rel is not None and ref is not None:
        current = rel in _CURRENT
        y = ref.year if current or (month, day) < (ref.month, ref.day) else ref.year - 1
        got = (y, f"year {y}: '{rel}' read against {ref_note}")
        if current and month != ref.month:
            got = (y, f"{got[1]}; the month named is not the month of publication")
    else:
        got = infer_year(month, day, weekday, ctx)
    if got is None:
        return None
    date = safe_date(got[0], month, day)
    stated = hint is not None and not ctx_inferred_hint  # the range's year, written once for both ends
    return None if date is None else _Resolved(date, date, not stated, got[1] + _weekday_note(date, weekday))


def _day_match(hit: re.Match[str], ctx: DateContext) -> _Resolved | None:
    r = _resolve_day(*_end_parts(hit, "1", "mon1"), ctx)
    if r is None:
        return None
    ref, ref_note = reference_date(ctx)
    if hit.group("since") and ref is not None and r.start <= ref:
        return _Resolved(r.start, ref, True, f"'منذ': from {r.start.isoformat()} to {ref_note}; {r.note}".rstrip("; "))
    reld = hit.group("reld")
    if reld and ctx.published is not None:
        expected = ctx.published - dt.timedelta(days=0 if reld == fold("اليوم") else 1)
        if expected != r.start:
            return _Resolved(
                r.start,
                r.end,
                r.inferred,
                f"{r.note}; '{reld}' would be {expected.isoformat()} against the publication date".lstrip("; "),
            )
    return r


def _range_match(hit: re.Match[str], ctx: DateContext, same_month: bool) -> _Resolved | None:
    d1, m1, y1, rel1, w1 = _end_parts(hit, "1", "mon2" if same_month else "mon1")
    d2, m2, y2, rel2, w2 = _end_parts(hit, "2", "mon2")
    if same_month:
        y1, rel1 = y2, rel2
    end = _resolve_day(d2, m2, y2, rel2, w2, ctx, hint=y1 if y2 is None else None)
    if end is None:
        return None
    start = _resolve_day(
        d1, m1, y1, rel1, w1, ctx, hint=None if y1 is not None else end.start.year, ctx_inferred_hint=end.inferred
    )
    if start is not None and start.start > end.start and y1 is None:
        start = _resolve_day(d1, m1, end.start.year - 1, None, w1, ctx)
    if start is None or start.start > end.start:
        return None
    note = "; ".join(n for n in (start.note, end.note) if n)
    return _Resolved(start.start, end.end, start.inferred or end.inferred, note)


def _month_span(year: int, month: int, part: str | None) -> tuple[dt.date, dt.date]:
    last = calendar.monthrange(year, month)[1]
    lo, hi = {"early": (1, 10), "mid": (11, 20), "late": (21, last)}.get(_PART_KEYS.get(part or "", ""), (1, last))
    return dt.date(year, month, lo), dt.date(year, month, hi)


_PART_KEYS = {
    fold(w): k
    for w, k in [
        ("مطلع", "early"), ("أوائل", "early"), ("بداية", "early"), ("منتصف", "mid"), ("أواسط", "mid"),
        ("أواخر", "late"), ("نهاية", "late"), ("آخر", "late"),
    ]
}


def _month_match(hit: re.Match[str], ctx: DateContext) -> _Resolved | None:
    """A month with a year, with الجاري/الماضي, or after a cue (في آذار): the whole month, or its part."""
    month = MONTHS_AR[_norm(hit.group("mon1"))]
    part = hit.groupdict().get("part")
    year_text, rel = hit.groupdict().get("year1"), hit.groupdict().get("rel1")
    if year_text:
        return _Resolved(*_month_span(int(year_text), month, part), False, "")
    ref, ref_note = reference_date(ctx)
    if rel is not None and ref is not None:
        year = ref.year if rel in _CURRENT or month < ref.month else ref.year - 1
        note = f"year {year}: '{rel}' read against {ref_note}"
    elif (got := infer_year(month, 1, None, ctx)) is not None:
        year, note = got
    else:
        return None
    start, end = _month_span(year, month, part)
    if ref is not None and start <= ref < end and rel not in _CURRENT:
        end = ref
    return _Resolved(start, end, True, note)


def _numeric_match(hit: re.Match[str], ctx: DateContext) -> _Resolved | None:
    date = _dateparser(hit.group(), None)
    return None if date is None else _Resolved(date, date, False, "")


def _year_match(hit: re.Match[str], ctx: DateContext) -> _Resolved | None:
    year = int(hit.group("year1") or hit.group("year2"))
    return _Resolved(dt.date(year, 1, 1), dt.date(year, 12, 31), False, "")


def _monday(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def _previous_month(r: dt.date) -> tuple[dt.date, dt.date]:
    y, m = (r.year, r.month - 1) if r.month > 1 else (r.year - 1, 12)
    return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])


_RELATIVE: dict[str, Callable[[dt.date], tuple[dt.date, dt.date]]] = {
    **dict.fromkeys(("أول أمس", "أول من أمس", "أمس الأول"), lambda r: (r - dt.timedelta(2), r - dt.timedelta(2))),
    **dict.fromkeys(("أمس", "الأمس", "البارحة"), lambda r: (r - dt.timedelta(1), r - dt.timedelta(1))),
    "اليوم": lambda r: (r, r),
    "الليلة الماضية": lambda r: (r - dt.timedelta(1), r),
    **dict.fromkeys(
        ("الأسبوع الماضي", "الأسبوع المنصرم", "الأسبوع الفائت"),
        lambda r: (_monday(r) - dt.timedelta(7), _monday(r) - dt.timedelta(1)),
    ),
    **dict.fromkeys(("هذا الأسبوع", "الأسبوع الجاري", "الأسبوع الحالي"), lambda r: (_monday(r), r)),
    **dict.fromkeys(("الشهر الماضي", "الشهر المنصرم", "الشهر الفائت"), _previous_month),
    **dict.fromkeys(("الشهر الجاري", "الشهر الحالي", "هذا الشهر"), lambda r: (r.replace(day=1), r)),
    **dict.fromkeys(
        ("العام الماضي", "السنة الماضية", "العام المنصرم", "العام الفائت"),
        lambda r: (dt.date(r.year - 1, 1, 1), dt.date(r.year - 1, 12, 31)),
    ),
    **dict.fromkeys(
        ("العام الجاري", "العام الحالي", "هذا العام", "السنة الحالية"), lambda r: (dt.date(r.year, 1, 1), r)
    ),
    **dict.fromkeys(("الأيام الماضية", "الأيام الأخيرة"), lambda r: (r - dt.timedelta(6), r)),
}
_RELATIVE_FOLDED = {fold(k): v for k, v in _RELATIVE.items()}
_COARSE = frozenset(
    fold(w)
    for w in (
        "العام الماضي", "السنة الماضية", "العام المنصرم", "العام الفائت", "العام الجاري", "العام الحالي", "هذا العام",
        "السنة الحالية",
    )
)


def _relative_match(hit: re.Match[str], ctx: DateContext) -> _Resolved | None:
    """أمس، أمس الأحد، الأسبوع الماضي، الشهر الجاري … against the publication date; a stated weekday is checked."""
    word = _norm(hit.group("relw"))
    if word == fold("اليوم") and not hit.group("wd1"):
        return None  # "اليوم" alone is as often "the day" as "today"
    ref, ref_note = reference_date(ctx)
    if ref is None or (ctx.published is None and word not in _COARSE):
        return None
    start, end = _RELATIVE_FOLDED[word](ref)
    note = f"'{word}' read against {ref_note}"
    if hit.group("wd1") and start == end:
        note += _weekday_note(start, WEEKDAYS_AR[hit.group("wd1")])
    return _Resolved(start, min(end, ref), True, note)


def _weekday_match(hit: re.Match[str], ctx: DateContext) -> _Resolved | None:
    """يوم الخميس (the latest Thursday on or before publication), الخميس الماضي (the latest before it)."""
    if not (hit.group("cue") or hit.group("last")) or ctx.published is None:
        return None
    weekday = WEEKDAYS_AR[hit.group("wd1")]
    strict = bool(hit.group("last"))
    back = (ctx.published.weekday() - weekday) % 7 or (7 if strict else 0)
    date = ctx.published - dt.timedelta(days=back)
    which = "before" if strict else "on or before"
    return _Resolved(
        date,
        date,
        True,
        f"the latest {_WEEKDAY_NAMES[weekday]} {which} the publication date {ctx.published.isoformat()}",
    )


_AGO_UNITS = {
    fold(w): v
    for w, v in [
        ("يوم", (1, 1)),
        ("يوما", (1, 1)),
        ("أيام", (1, 1)),
        ("يومين", (2, 1)),
        ("أسبوع", (7, 7)),
        ("أسابيع", (7, 7)),
        ("أسبوعين", (14, 7)),
        ("شهر", (30, 30)),
        ("أشهر", (30, 30)),
        ("شهور", (30, 30)),
        ("شهرين", (60, 30)),
    ]
}


def _ago_match(hit: re.Match[str], ctx: DateContext, original: str = "") -> _Resolved | None:
    """قبل يومين، قبل 3 أيام، قبل ثلاثة أسابيع: counted back from the publication date (dateparser for digits)."""
    if ctx.published is None:
        return None
    count = hit.group("n")
    days, unit = _AGO_UNITS[hit.group("unit")]
    if count is not None and count.isdigit():
        date = _dateparser(original or hit.group(), ctx.published)
        if date is None:
            date = ctx.published - dt.timedelta(days=int(count) * unit)
    else:
        date = ctx.published - dt.timedelta(days=days * (_WORD_NUMBERS.get(count, 1) if count else 1))
    half = {1: 0, 7: 3, 30: 15}[unit]
    start, end = date - dt.timedelta(days=half), min(date + dt.timedelta(days=half), ctx.published)
    return _Resolved(start, end, True, f"'{hit.group()}' counted back from the publication date")


@lru_cache(maxsize=4096)
def _dateparser(text: str, base: dt.date | None) -> dt.date | None:
    """dateparser (Arabic) for the forms it reads right: numeric day-first dates and "قبل 3 أيام"."""
    import dateparser  # imported here: it takes half a second to load and most sentences never need it

    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "DATE_ORDER": "DMY", "RETURN_AS_TIMEZONE_AWARE": False}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
    parsed = dateparser.parse(text, languages=["ar"], settings=settings)
    return parsed.date() if parsed is not None else None


_Resolver = Callable[[re.Match[str], DateContext], _Resolved | None]
_RESOLVERS: dict[str, _Resolver] = {
    "range_days": lambda h, c: _range_match(h, c, same_month=True),
    "range_dates": lambda h, c: _range_match(h, c, same_month=False),
    "day": _day_match, "numeric": _numeric_match, "month_year": _month_match, "month_rel": _month_match,
    "month_cue": _month_match, "year": _year_match, "relative": _relative_match, "weekday": _weekday_match,
}


def _precision(start: dt.date, end: dt.date) -> DatePrecision:
    days = (end - start).days + 1
    if days == 1:
        return DatePrecision.DAY
    if days <= 6:
        return DatePrecision.DAYS
    if days <= 7:
        return DatePrecision.WEEK
    if days <= 31:
        return DatePrecision.MONTH
    return DatePrecision.YEAR


def find_dates_ar(sentence: str, ctx: DateContext) -> list[DateRange]:
    """Every date expression in an Arabic ``sentence``, resolved against ``ctx``; spans into ``sentence``.

    An expression that cannot be resolved honestly (a weekday with no publication date) is left out.
    Raises ``TypeError`` when ``sentence`` is not a string.
    """
    m, offsets = matching_form(sentence)
    out: list[DateRange] = []
    for start, end, name, hit in _scan(m):
        o_start, o_end = map_span(offsets, start, end)
        text = sentence[o_start:o_end]
        r = _ago_match(hit, ctx, text) if name == "ago" else _RESOLVERS[name](hit, ctx)
        if r is None:
            continue
        note = r.note
        if ctx.published is not None and r.end > ctx.published and not r.inferred:
            note = f"{note}; after the publication date {ctx.published.isoformat()}".lstrip("; ")
        out.append(DateRange(r.start, r.end, _precision(r.start, r.end), text, Span(o_start, o_end), r.inferred, note))
    return out


def format_date_ar(date: dt.date, levantine: bool = True) -> str:
    """A date written out in Arabic ("6 آذار 2025", or "6 مارس 2025" with ``levantine=False``)."""
    names = _LEVANTINE if levantine else _EGYPTIAN
    return f"{date.day} {names[date.month - 1]} {date.year}"
