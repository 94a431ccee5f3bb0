"""The record as a stream of events, the shape every field format (ACLED, GED, HXL, GeoJSON, Parquet) is written from.

An :class:`Event` is either one claim (``ref`` ``C<id>``) or one incident (``I<id>``). Claims come from one cursor, one
row at a time. An incident is summarised from its member claims, read per incident with one figure kept per speaker,
so memory is bounded by the number of speakers, never by the size of the record.

How an incident becomes one event (docs/exports.md says the same for readers):

* its headline toll is the lower median of the speakers' figures for people killed (population ``total``; civilians
  when no total is given), one figure per speaker (the largest it gave), copies of other documents left out;
* ``low`` is the smallest lower bound any speaker gave and ``high`` the largest figure;
* ``notes`` lists every speaker's figure, so that no reader takes the headline for the only number.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from typing import Any

from tawthiq.errors import StoreError
from tawthiq.export.filters import ExportFilters
from tawthiq.store import Store
from tawthiq.store.connection import Row

KILLED = "killed"
VIOLENCE_AGAINST_CIVILIANS = "Violence against civilians"


@dataclass(slots=True)
class Event:
    """One row of a field export. Dates are ISO strings; precisions are UCDP codes (``date_prec``, ``where_prec``)."""

    ref: str
    kind: str
    claim_id: int | None = None
    incident_id: int | None = None
    outcome: str | None = None
    population: str | None = None
    low: int | None = None
    best: int | None = None
    high: int | None = None
    civilians: int | None = None  # people killed who were civilians (a breakdown of the figure), when known
    qualifier: str | None = None
    date_start: str | None = None
    date_end: str | None = None
    date_prec: int | None = None
    event_type: str | None = None
    actor1: str | None = None  # perpetrator
    actor2: str | None = None  # target
    admin1: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    where_prec: int | None = None
    source: str | None = None
    source_scale: str | None = None
    attributed_to: str | None = None
    document_sha256: str | None = None
    part_of: int | None = None  # the claim whose total this one breaks down
    notes: str = ""
    dataset: str | None = None  # acled | ged when the claim was imported from one
    original: dict[str, Any] = field(default_factory=dict)  # the imported row, column -> value

    def original_value(self, dataset: str, column: str) -> str | None:
        """The imported row's value of ``column`` when this event came from ``dataset``, else None."""
        if self.dataset != dataset or column not in self.original:
            return None
        value = self.original[column]
        return "" if value is None else str(value)


EVENT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Event) if f.name != "original")

_CLAIM_SQL = """
SELECT c.id, c.kind, c.outcome, c.population, c.low, c.best, c.high, c.qualifier, c.date_start, c.date_end,
       c.date_prec, c.place, c.admin1, c.latitude, c.longitude, c.where_prec, c.attributed_to, c.actors,
       c.sentence, d.sha256, s.name AS publisher, s.source_scale, ir.dataset, ir.fields,
       coalesce(c.event_type, (SELECT i.event_type FROM incident_claims ic JOIN incidents i ON i.id = ic.incident_id
                               WHERE ic.claim_id = c.id ORDER BY i.id LIMIT 1)) AS event_type,
       (SELECT ch.best FROM claims ch INDEXED BY claims_by_parent
          WHERE ch.document_id = c.document_id AND ch.parent_seq = c.seq AND ch.kind = 'casualty_count'
          AND ch.outcome = c.outcome AND ch.population = 'civilians'
          ORDER BY ch.seq LIMIT 1) AS civilians_part,
       (SELECT p.id FROM claims p WHERE c.parent_seq IS NOT NULL AND p.document_id = c.document_id
          AND p.seq = c.parent_seq) AS part_of
FROM claims c JOIN documents d ON d.id = c.document_id LEFT JOIN sources s ON s.id = d.source_id
LEFT JOIN import_rows ir ON ir.claim_id = c.id
WHERE c.kind IN ('casualty_count', 'event'){where}
ORDER BY d.id, c.seq, c.id
"""


def iter_claim_events(store: Store, filters: ExportFilters | None = None) -> Iterator[Event]:
    """One event per casualty-count or event claim, streamed in document then claim order."""
    where, params = (filters or ExportFilters()).claim_where(store.conn)
    try:
        for row in store.conn.execute(_CLAIM_SQL.format(where=where), params):
            yield _claim_event(row)
    except StoreError as e:
        raise StoreError(f"{store.path}: cannot read claims for the export ({e})") from e


def _claim_event(r: Row) -> Event:
    actors = _actors(r["actors"])
    population = r["population"]
    civilians = r["civilians_part"]
    if civilians is None and population == "civilians":
        civilians = r["best"]
    return Event(
        ref=f"C{r['id']}", kind=r["kind"], claim_id=r["id"], outcome=r["outcome"], population=population,
        low=r["low"], best=r["best"], high=r["high"], civilians=civilians, qualifier=r["qualifier"],
        date_start=r["date_start"], date_end=r["date_end"], date_prec=r["date_prec"], event_type=r["event_type"],
        actor1=actors.get("perpetrator"), actor2=actors.get("target"), admin1=r["admin1"],
        location=r["place"] or r["admin1"], latitude=r["latitude"], longitude=r["longitude"],
        where_prec=r["where_prec"], source=source_words(r["publisher"], r["attributed_to"]),
        source_scale=r["source_scale"] or None, attributed_to=r["attributed_to"], document_sha256=r["sha256"],
        part_of=r["part_of"], notes=one_line(r["sentence"]), dataset=r["dataset"],
        original=json.loads(r["fields"]) if r["fields"] else {},
    )


def source_words(publisher: str | None, attributed_to: str | None) -> str | None:
    """The publisher, then the original speaker when it is another ("Levant Wire; the Syrian Network Monitor")."""
    names = [n for n in (publisher, attributed_to) if n and n != "witness"]
    if attributed_to == "witness":
        names.append(f"witness quoted by {publisher}" if publisher else "witness")
    unique = list(dict.fromkeys(names))
    return "; ".join(unique) or None


def one_line(text: str | None) -> str:
    """Text on one line with single spaces (CSV cells and notes stay one line in any reader)."""
    return re.sub(r"\s+", " ", text or "").strip()


def _actors(raw: str | None) -> dict[str, str]:
    """The first actor named for each role."""
    try:
        value = json.loads(raw or "[]")
    except json.JSONDecodeError:
        return {}
    found: dict[str, str] = {}
    for actor in value if isinstance(value, list) else []:
        if isinstance(actor, dict) and actor.get("name") and actor.get("role"):
            found.setdefault(str(actor["role"]), str(actor["name"]))
    return found


def is_part(event: Event) -> bool:
    """Whether the event is a breakdown of another claim's total (folded into it by the event formats)."""
    return event.part_of is not None
