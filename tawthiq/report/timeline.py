"""The incidents on a timeline, drawn as a small inline SVG (no script, no external file).

Incidents decades apart (1982, 2012, 2025) would crowd into dots on one axis, so the axis is broken into *eras*: runs
of incidents less than :data:`ERA_GAP_DAYS` apart share a row with its own scale, and the rows are stacked with the
gap between them written out ("13 years later"). Each incident is one mark over its date range, linked to its
section: a solid bar when the date is known to the day or a few days, a hatched band when only the week, month or
year is known (the band covers the whole range the date could be in). Labels are placed in lanes so they never overlap.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from tawthiq.model import DatePrecision
from tawthiq.report.wording import DASH, date_prec_words, date_range_words, parse_date

ERA_GAP_DAYS = 730  # incidents further apart than this go in separate rows
WIDTH = 900
PLOT_LEFT, PLOT_RIGHT = 96, WIDTH - 16
LANE_HEIGHT = 26
CHAR_WIDTH = 6.4  # average label character width at 11px, for lane packing
LABEL_CHARS = 48


@dataclass(frozen=True, slots=True)
class Mark:
    """One incident to draw."""

    anchor: str  # the id of its section in the page
    label: str
    start: dt.date
    end: dt.date
    prec: int | None
    text: str  # the date range in words, for the tooltip

    @property
    def coarse(self) -> bool:
        return self.prec is None or self.prec >= DatePrecision.WEEK


def mark(anchor: str, label: str, start: str | None, end: str | None, prec: int | None) -> Mark | None:
    """A mark for an incident, or ``None`` when its start date is missing or unreadable."""
    first = parse_date(start)
    if first is None:
        return None
    last = parse_date(end) or first
    first, last = min(first, last), max(first, last)
    return Mark(anchor, label, first, last, prec, date_range_words(start, end, prec))


def eras(marks: Sequence[Mark]) -> list[list[Mark]]:
    """Group marks (sorted by start) into rows: a new row when the gap to the row's latest end exceeds the limit."""
    rows: list[list[Mark]] = []
    latest = dt.date.min
    for m in sorted(marks, key=lambda m: (m.start, m.end)):
        if not rows or (m.start - latest).days > ERA_GAP_DAYS:
            rows.append([])
        rows[-1].append(m)
        latest = max(latest, m.end)
    return rows


@dataclass(frozen=True, slots=True)
class Scale:
    start: dt.date
    end: dt.date

    @classmethod
    def around(cls, marks: Sequence[Mark]) -> Scale:
        first, last = min(m.start for m in marks), max(m.end for m in marks)
        span = max((last - first).days, 60)
        pad = dt.timedelta(days=max(3, math.ceil(span * 0.06)))
        middle = first + (last - first) / 2
        half = dt.timedelta(days=span / 2)
        return cls(middle - half - pad, middle + half + pad + dt.timedelta(days=1))

    def x(self, day: dt.date) -> float:
        total = (self.end - self.start).days or 1
        return PLOT_LEFT + (day - self.start).days / total * (PLOT_RIGHT - PLOT_LEFT)


def ticks(scale: Scale) -> list[tuple[dt.date, str]]:
    """At most ~9 tick dates with labels, in days, months or years by the span of the scale."""
    span = (scale.end - scale.start).days
    if span <= 70:
        step = max(1, math.ceil(span / 8))
        days = [scale.start + dt.timedelta(days=i) for i in range(1, span, step)]
        return [(d, f"{d.day} {d:%b}") for d in days]
    if span <= 3 * 366:
        step = max(1, math.ceil(span / 30.4 / 8))
        out: list[tuple[dt.date, str]] = []
        month = dt.date(scale.start.year, scale.start.month, 1)
        index = 0
        while month < scale.end:
            if month > scale.start and index % step == 0:
                out.append((month, f"{month:%b %Y}" if month.month == 1 or not out else f"{month:%b}"))
            month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
            index += 1
        return out
    step = max(1, math.ceil(span / 365.25 / 8))
    years = range(scale.start.year + 1, scale.end.year + 1)
    return [(dt.date(y, 1, 1), str(y)) for y in years if y % step == 0 and dt.date(y, 1, 1) < scale.end]


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _label(text: str) -> str:
    """The label as drawn: characters XML forbids removed, cut to :data:`LABEL_CHARS` with an ellipsis."""
    text = _NOT_XML.sub("", text)
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _lanes(row: Sequence[Mark], scale: Scale) -> list[int]:
    """A lane index per mark so that no two labels (or bars) overlap in a lane."""
    ends: list[float] = []
    lanes = []
    for m in row:
        left = scale.x(m.start)
        right = max(scale.x(m.end + dt.timedelta(days=1)), left + len(_label(m.label)) * CHAR_WIDTH) + 8
        lane = next((i for i, e in enumerate(ends) if e <= left), len(ends))
        if lane == len(ends):
            ends.append(right)
        else:
            ends[lane] = right
        lanes.append(lane)
    return lanes


def _era_title(row: Sequence[Mark]) -> str:
    first, last = row[0].start.year, max(m.end.year for m in row)
    return str(first) if first == last else f"{first}{DASH}{last}"


def _draw_mark(m: Mark, scale: Scale, top: float) -> str:
    x1 = scale.x(m.start)
    width = max(scale.x(m.end + dt.timedelta(days=1)) - x1, 4.0)
    label_x = min(x1, PLOT_RIGHT - len(_label(m.label)) * CHAR_WIDTH)
    css = "tl-band" if m.coarse else "tl-bar"
    tip = _NOT_XML.sub("", f"{m.label} — {m.text} ({date_prec_words(m.prec)})")
    return (
        f'<a href="#{escape(m.anchor)}"><title>{escape(tip)}</title>'
        f'<rect class="{css}" x="{x1:.1f}" y="{top + 13:.1f}" width="{width:.1f}" height="10" rx="2"/>'
        f'<text class="tl-label" x="{max(label_x, PLOT_LEFT):.1f}" y="{top + 10:.1f}">{escape(_label(m.label))}</text>'
        "</a>"
    )


def _draw_era(row: Sequence[Mark], top: float) -> tuple[list[str], float]:
    """SVG parts for one era row starting at ``top``; returns them and the row's height."""
    scale = Scale.around(row)
    lanes = _lanes(row, scale)
    axis_y = top + (max(lanes) + 1) * LANE_HEIGHT + 6
    parts = [f'<text class="tl-era" x="8" y="{top + 22:.1f}">{escape(_era_title(row))}</text>']
    parts += [_draw_mark(m, scale, top + lane * LANE_HEIGHT) for m, lane in zip(row, lanes, strict=True)]
    parts.append(f'<line class="tl-axis" x1="{PLOT_LEFT}" y1="{axis_y:.1f}" x2="{PLOT_RIGHT}" y2="{axis_y:.1f}"/>')
    for day, text in ticks(scale):
        x = scale.x(day)
        parts.append(f'<line class="tl-tick" x1="{x:.1f}" y1="{axis_y:.1f}" x2="{x:.1f}" y2="{axis_y + 4:.1f}"/>')
        parts.append(f'<text class="tl-tick-label" x="{x:.1f}" y="{axis_y + 15:.1f}">{escape(text)}</text>')
    return parts, axis_y + 22 - top


def _gap_words(before: Sequence[Mark], after: Sequence[Mark]) -> str:
    years = (after[0].start - max(m.end for m in before)).days / 365.25
    return f"⋯ axis broken: {round(years)} years later ⋯"


def timeline_svg(marks: Sequence[Mark]) -> Markup:
    """The whole timeline as one ``<svg>`` element (empty markup when there is nothing dated to draw)."""
    rows = eras(marks)
    if not rows:
        return Markup("")
    parts: list[str] = []
    top = 4.0
    for index, row in enumerate(rows):
        if index:
            parts.append(f'<text class="tl-break" x="{WIDTH / 2:.0f}" y="{top + 10:.1f}">'
                         f"{escape(_gap_words(rows[index - 1], row))}</text>")
            top += 18
        drawn, height = _draw_era(row, top)
        parts += drawn
        top += height
    height = math.ceil(top + 4)
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" viewBox="0 0 {WIDTH} {height}"'
            f' width="100%" aria-label="Timeline of {len(marks)} incidents in {len(rows)} periods">')
    defs = ('<defs><pattern id="tl-hatch" width="5" height="5" patternUnits="userSpaceOnUse"'
            ' patternTransform="rotate(45)"><line class="tl-hatch" x1="0" y1="0" x2="0" y2="5"/></pattern></defs>')
    return Markup(head + defs + "".join(parts) + "</svg>")  # every text part above is escaped
