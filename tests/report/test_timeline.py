"""The timeline: eras for incidents decades apart, lanes that never overlap, escaped labels."""

from __future__ import annotations

import datetime as dt
import itertools

import lxml.etree
from hypothesis import given
from hypothesis import strategies as st

from tawthiq.report.timeline import ERA_GAP_DAYS, Mark, Scale, _lanes, eras, mark, ticks, timeline_svg
from tawthiq.report.wording import DASH, date_range_words

DATES = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2030, 12, 31))


@st.composite
def marks(draw: st.DrawFn) -> Mark:
    start = draw(DATES)
    length = draw(st.integers(min_value=0, max_value=400))
    label = draw(st.text(min_size=1, max_size=60))
    return Mark("inc-x", label, start, start + dt.timedelta(days=length), draw(st.sampled_from([None, 1, 2, 3, 4, 5])),
                "")


@given(st.lists(marks(), max_size=25))
def test_eras_partition_marks_and_are_separated_by_the_gap(items: list[Mark]) -> None:
    rows = eras(items)
    assert sorted(id(m) for row in rows for m in row) == sorted(id(m) for m in items)
    for before, after in itertools.pairwise(rows):
        assert (after[0].start - max(m.end for m in before)).days > ERA_GAP_DAYS
        assert max(m.end for m in before) < after[0].start


@given(st.lists(marks(), min_size=1, max_size=25))
def test_lanes_never_overlap_and_everything_is_on_the_plot(items: list[Mark]) -> None:
    for row in eras(items):
        scale = Scale.around(row)
        lanes = _lanes(row, scale)
        for lane in set(lanes):
            spans = sorted((scale.x(m.start), scale.x(m.end)) for m, n in zip(row, lanes, strict=True) if n == lane)
            for (_, end), (start, _) in itertools.pairwise(spans):
                assert end <= start
        assert all(scale.start < m.start and m.end < scale.end for m in row)
        assert ticks(scale) and all(scale.start < d < scale.end for d, _ in ticks(scale))


@given(st.lists(marks(), max_size=12))
def test_svg_is_well_formed_xml_whatever_the_labels(items: list[Mark]) -> None:
    svg = str(timeline_svg(items))
    if not items:
        assert svg == ""
        return
    root = lxml.etree.fromstring(svg.encode())
    labels = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("class") == "tl-label"]
    assert len(labels) == len(items)


def test_decades_apart_get_their_own_rows() -> None:
    items = [m for m in (
        mark("inc-1", "Hama", "1982-02-01", "1982-02-28", 4),
        mark("inc-2", "Village", "2012-05-25", "2012-05-25", 1),
        mark("inc-3", "Coast", "2025-03-06", "2025-03-10", 2),
        mark("inc-4", "Coast, later", "2025-07-13", "2025-07-20", 3),
    ) if m is not None]
    assert [[m.anchor for m in row] for row in eras(items)] == [["inc-1"], ["inc-2"], ["inc-3", "inc-4"]]
    svg = str(timeline_svg(items))
    assert "30 years later" in svg and "13 years later" in svg


def test_label_markup_is_escaped() -> None:
    m = mark("inc-1", "<script>alert(1)</script> & co", "2025-03-07", None, 1)
    assert m is not None
    svg = str(timeline_svg([m]))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&amp; co" in svg


def test_undated_or_unreadable_dates_make_no_mark() -> None:
    assert mark("inc-1", "x", None, None, None) is None
    assert mark("inc-1", "x", "March 2025", None, 4) is None
    reversed_range = mark("inc-1", "x", "2025-03-10", "2025-03-06", 2)
    assert reversed_range is not None and reversed_range.start < reversed_range.end


def test_date_range_words_follow_precision() -> None:
    assert date_range_words("2025-03-06", "2025-03-09", 2) == f"6{DASH}9 March 2025"
    assert date_range_words("2025-03-07", "2025-03-07", 1) == "7 March 2025"
    assert date_range_words("2025-02-27", "2025-03-02", 2) == f"27 February 2025 {DASH} 2 March 2025"
    assert date_range_words("2012-05-01", "2012-05-31", 4) == "May 2012"
    assert date_range_words("1982-01-01", "1982-12-31", 5) == "1982"
    assert date_range_words(None, None, None) == "undated"
