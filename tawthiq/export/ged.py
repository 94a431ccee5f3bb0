"""UCDP GED-style CSV: one row per event with GED's columns (``best``/``low``/``high``, ``date_prec``, ``where_prec``).

Tawthiq's precision codes are GED's own, so dates and places keep their precision exactly. Claims: one row per
claim of people killed or event claim; a breakdown of civilians ("of whom 800 civilians") is folded into its total's
row as ``deaths_civilians`` rather than written as a row of its own. ``deaths_unknown`` is the rest of ``best``.
A row imported from a GED file gives back the values Tawthiq has no field for as they were read.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from tawthiq.export.cells import coordinate, write_rows, year_of
from tawthiq.export.events import KILLED, VIOLENCE_AGAINST_CIVILIANS, Event, is_part

DATASET = "ged"
COLUMNS: tuple[str, ...] = (
    "id", "year", "type_of_violence", "conflict_name", "side_a", "side_b", "source_article", "source_original",
    "where_prec", "where_coordinates", "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
    "country", "country_id", "region", "event_clarity", "date_prec", "date_start", "date_end", "deaths_a",
    "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low",
)
UNMAPPED: frozenset[str] = frozenset({
    "id", "conflict_name", "source_article", "source_original", "where_description", "adm_2", "country",
    "country_id", "region", "event_clarity", "deaths_a", "deaths_b", "deaths_unknown",
})
ONE_SIDED = 3  # GED type_of_violence: 1 state-based, 2 non-state, 3 one-sided violence against civilians
STATE_BASED = 1
SYRIA_GW = "652"  # Gleditsch-Ward country code of Syria (GED country_id)
TYPES_OF_VIOLENCE = {VIOLENCE_AGAINST_CIVILIANS: ONE_SIDED, "Battles": STATE_BASED}


def includes(event: Event) -> bool:
    """Killings, events and incidents; breakdowns are folded into their totals."""
    return not is_part(event) and (event.kind in ("event", "incident") or event.outcome == KILLED)


def figures(event: Event) -> tuple[int, int, int]:
    """(low, best, high) of people killed; a missing bound is the best figure, nothing known is 0."""
    if event.outcome != KILLED or (event.best is None and event.low is None):
        return 0, 0, 0
    best = event.best if event.best is not None else event.low
    assert best is not None
    low = event.low if event.low is not None else best
    high = event.high if event.high is not None else best
    return min(low, best), best, max(high, best)


def row(event: Event) -> dict[str, object]:
    """The GED columns of one event."""
    low, best, high = figures(event)
    civilians = event.civilians if event.outcome == KILLED and event.civilians is not None else None
    lat, lon = event.latitude, event.longitude
    values: dict[str, object] = {
        "id": f"TWQ-{event.ref}", "year": year_of(event.date_start),
        "type_of_violence": TYPES_OF_VIOLENCE.get(event.event_type or ""), "side_a": event.actor1,
        "side_b": event.actor2, "source_article": event.source, "source_original": event.attributed_to,
        "where_prec": event.where_prec, "where_coordinates": event.location, "adm_1": event.admin1,
        "latitude": event.latitude, "longitude": event.longitude,
        "geom_wkt": f"POINT ({coordinate(lon)} {coordinate(lat)})" if lat is not None and lon is not None else "",
        "country": "Syria" if event.admin1 else "", "country_id": SYRIA_GW if event.admin1 else "",
        "region": "Middle East" if event.admin1 else "", "event_clarity": 1 if event.kind != "incident" else 2,
        "date_prec": event.date_prec, "date_start": event.date_start, "date_end": event.date_end,
        "deaths_a": 0, "deaths_b": 0, "deaths_civilians": civilians if civilians is not None else 0,
        "deaths_unknown": best - min(civilians or 0, best), "best": best, "high": high, "low": low,
    }
    for column in UNMAPPED:
        original = event.original_value(DATASET, column)
        if original is not None:
            values[column] = original
    return values


def write(events: Iterable[Event], out: TextIO, *, spreadsheet_safe: bool = False) -> int:
    """Write the header and one row per GED event; return the number of rows."""
    return write_rows(events, out, COLUMNS, row, includes, spreadsheet_safe=spreadsheet_safe)
