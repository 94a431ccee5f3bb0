"""When was a document written? The date context every relative date in it is resolved against.

In order of trust:

1. a publication date the source states (HTML metadata, a dateline) — used as given;
2. bounds read from the text: the latest dated caption or absolute date mentioned (``dates.infer_publication_bounds``),
   and landmarks (``data/landmarks.toml``: a text speaking of "the ousted Assad" was written after 8 December 2024);
3. recency: "last week", "earlier this month", "in recent days" next to a day and month ("March 6") place the
   publication within two weeks after that day.

What was inferred, and from what, is recorded in a note on the document.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from tawthiq.extract.dates import DateContext, find_dates, infer_publication_bounds
from tawthiq.model import DatePrecision

RECENCY = re.compile(
    r"\b(?:last week|earlier this (?:week|month)|in recent days|this week|days ago|over the weekend)\b"
    r"|الأسبوع الماضي|الشهر الجاري|مطلع الشهر|الأيام الماضية",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Landmark:
    name: str
    date: dt.date
    pattern: re.Pattern[str]


@cache
def landmarks() -> tuple[Landmark, ...]:
    raw = tomllib.loads(resources.files("tawthiq.data").joinpath("landmarks.toml").read_text(encoding="utf-8"))
    return tuple(
        Landmark(e["name"], e["date"], re.compile("|".join(f"(?:{p})" for p in e["patterns"]), re.I))
        for e in raw["landmark"]
    )


@dataclass(slots=True)
class Publication:
    """What is known of a document's publication date."""

    published: dt.date | None
    prec: DatePrecision | None
    inferred: bool
    not_before: dt.date | None
    not_after: dt.date | None
    note: str

    def context(self) -> DateContext:
        return DateContext(published=self.published, not_before=self.not_before, not_after=self.not_after,
                           event_year=None)


def landmark_bound(text: str) -> tuple[dt.date | None, str]:
    """The latest landmark the text mentions, as a lower bound on its publication date."""
    hits = [lm for lm in landmarks() if lm.pattern.search(text)]
    if not hits:
        return None, ""
    latest = max(hits, key=lambda lm: lm.date)
    return latest.date, f"mentions the {latest.name} ({latest.date.isoformat()})"


def infer_publication(text: str, caption_dates: list[dt.date], given: dt.date | None) -> Publication:
    """Combine the stated date, text bounds, landmarks and recency into one :class:`Publication`."""
    if given is not None:
        return Publication(given, DatePrecision.DAY, False, given, given, "publication date given by the source")
    not_before, not_after, note = infer_publication_bounds(text, caption_dates)
    notes = [note] if note else []
    landmark, landmark_note = landmark_bound(text)
    if landmark and (not_before is None or landmark > not_before):
        not_before = landmark
        notes.append(landmark_note)
    published = None
    prec = None
    if RECENCY.search(text) and not_before is not None:
        recent = _recent_day(text, not_before)
        if recent is not None:
            not_before = max(not_before, recent)
            not_after = not_after or recent + dt.timedelta(days=14)
            published = recent + dt.timedelta(days=7)
            prec = DatePrecision.WEEK
            notes.append(f"speaks of {recent.isoformat()} as recent, so published within two weeks after it")
    text_note = "; ".join(notes) if notes else "no publication date given and none could be inferred"
    return Publication(published, prec, True, not_before, not_after, "inferred: " + text_note)


def _recent_day(text: str, not_before: dt.date) -> dt.date | None:
    """The earliest day and month without a year (a recent event) that falls on or after ``not_before``."""
    ctx = DateContext(published=None, not_before=not_before, not_after=None, event_year=None)
    days = [d.start for d in find_dates(text[:20000], ctx) if d.prec == DatePrecision.DAY and d.inferred]
    candidates = sorted({_next_occurrence(d, not_before) for d in days})
    return candidates[0] if candidates else None


def _next_occurrence(day: dt.date, not_before: dt.date) -> dt.date:
    """The first date with ``day``'s month and day on or after ``not_before``."""
    for year in (not_before.year, not_before.year + 1):
        try:
            candidate = day.replace(year=year)
        except ValueError:
            continue
        if candidate >= not_before:
            return candidate
    return day
