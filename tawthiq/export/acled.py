"""ACLED-style CSV: one row per event with the columns of ACLED's codebook.

Claims: one row per claim of people killed (``fatalities`` its best figure) or per event claim (``fatalities`` 0);
a breakdown ("of whom 800 civilians") is not an event and is left out. Incidents: one row per incident with its
headline figure; the other sources' figures are in ``notes``. A row imported from an ACLED file gives back the values
Tawthiq has no field for (``sub_event_type``, ``source``, ``source_scale``, ``event_id_cnty`` ...) as they were read.
See docs/exports.md for the mapping and what it loses.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from tawthiq.export.cells import write_rows, year_of
from tawthiq.export.events import KILLED, VIOLENCE_AGAINST_CIVILIANS, Event, is_part
from tawthiq.model import DatePrecision, WherePrecision

DATASET = "acled"
COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "civilian_targeting", "iso", "country", "admin1", "admin2",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags",
)
# Columns with no field in Tawthiq: an imported row gives them back as read.
UNMAPPED: frozenset[str] = frozenset({
    "event_id_cnty", "disorder_type", "sub_event_type", "assoc_actor_1", "assoc_actor_2", "civilian_targeting",
    "iso", "country", "admin2", "source", "source_scale", "tags",
})
SYRIA_ISO = "760"
CIVILIANS_ACTOR = "Civilians (Syria)"


def includes(event: Event) -> bool:
    """Whether the event is an ACLED event: killings and event claims, not breakdowns or other outcomes."""
    return not is_part(event) and (event.kind in ("event", "incident") or event.outcome == KILLED)


def fatalities(event: Event) -> int:
    if event.outcome != KILLED:
        return 0
    for value in (event.best, event.low):
        if value is not None:
            return value
    return 0


def row(event: Event) -> dict[str, object]:
    """The ACLED columns of one event."""
    prec = DatePrecision(event.date_prec).acled_time_precision if event.date_prec else None
    geo = WherePrecision(event.where_prec).acled_geo_precision if event.where_prec else None
    against_civilians = event.event_type == VIOLENCE_AGAINST_CIVILIANS
    values: dict[str, object] = {
        "event_id_cnty": f"TWQ-{event.ref}", "event_date": event.date_start, "year": year_of(event.date_start),
        "time_precision": prec, "disorder_type": "Political violence" if event.event_type else "",
        "event_type": event.event_type, "sub_event_type": "", "actor1": event.actor1,
        "actor2": event.actor2 or (CIVILIANS_ACTOR if against_civilians else None),
        "civilian_targeting": "Civilian targeting" if against_civilians or event.civilians else "",
        "iso": SYRIA_ISO if event.admin1 else "", "country": "Syria" if event.admin1 else "",
        "admin1": event.admin1, "location": event.location, "latitude": event.latitude,
        "longitude": event.longitude, "geo_precision": geo, "source": event.source,
        "source_scale": event.source_scale, "notes": event.notes, "fatalities": fatalities(event),
    }
    for column in UNMAPPED:
        original = event.original_value(DATASET, column)
        if original is not None:
            values[column] = original
    return values


def write(events: Iterable[Event], out: TextIO, *, spreadsheet_safe: bool = False) -> int:
    """Write the header and one row per ACLED event; return the number of rows."""
    return write_rows(events, out, COLUMNS, row, includes, spreadsheet_safe=spreadsheet_safe)

