"""HXL-tagged CSV: a header row for people, a hashtag row for machines (https://hxlstandard.org), then the data.

Every casualty-count and event claim is a row (breakdowns too, with ``#meta+part_of`` naming the total they break
down); the figure goes in the ``#affected`` column of its outcome (``+killed``, ``+injured`` ...), with the range in
``+min``/``+max`` for people killed. Incidents: one row each, with the headline figure.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from tawthiq.export.cells import write_rows
from tawthiq.export.events import KILLED, Event
from tawthiq.model import Outcome

# (column header, HXL hashtag with attributes)
TAGS: tuple[tuple[str, str], ...] = (
    ("id", "#event+id"),
    ("date_start", "#date+start"),
    ("date_end", "#date+end"),
    ("date_prec", "#date+precision+ucdp"),
    ("event_type", "#event+type"),
    ("admin1", "#adm1+name"),
    ("location", "#loc+name"),
    ("latitude", "#geo+lat"),
    ("longitude", "#geo+lon"),
    ("where_prec", "#geo+precision+ucdp"),
    ("population", "#affected+type"),
    ("killed", "#affected+killed"),
    ("killed_min", "#affected+killed+min"),
    ("killed_max", "#affected+killed+max"),
    ("civilians_killed", "#affected+killed+civilians"),
    *((o.value, f"#affected+{o.value}") for o in Outcome if o is not Outcome.KILLED),
    ("perpetrator", "#org+perpetrator"),
    ("source", "#meta+source"),
    ("source_scale", "#meta+source+scale"),
    ("part_of", "#meta+part_of"),
    ("document_sha256", "#meta+sha256"),
    ("notes", "#description"),
)
COLUMNS: tuple[str, ...] = tuple(name for name, _ in TAGS)
HASHTAGS: tuple[str, ...] = tuple(tag for _, tag in TAGS)


def includes(event: Event) -> bool:
    return True


def row(event: Event) -> dict[str, object]:
    values: dict[str, object] = {
        "id": f"TWQ-{event.ref}", "date_start": event.date_start, "date_end": event.date_end,
        "date_prec": event.date_prec, "event_type": event.event_type, "admin1": event.admin1,
        "location": event.location, "latitude": event.latitude, "longitude": event.longitude,
        "where_prec": event.where_prec, "population": event.population, "perpetrator": event.actor1,
        "source": event.source, "source_scale": event.source_scale,
        "part_of": f"TWQ-C{event.part_of}" if event.part_of is not None else None,
        "document_sha256": event.document_sha256, "notes": event.notes,
    }
    if event.outcome == KILLED:
        values.update(killed=event.best, killed_min=event.low, killed_max=event.high,
                      civilians_killed=event.civilians)
    elif event.outcome:
        values[event.outcome] = event.best
    return values


def write(events: Iterable[Event], out: TextIO, *, spreadsheet_safe: bool = False) -> int:
    """Write the header, the hashtag row and one row per event; return the number of data rows."""
    return write_rows(events, out, COLUMNS, row, includes, spreadsheet_safe=spreadsheet_safe, extra_header=HASHTAGS)
