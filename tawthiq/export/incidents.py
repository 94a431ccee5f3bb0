"""Incidents as events: one row per incident, its headline toll and every speaker's figure in the notes.

See :mod:`tawthiq.export.events` for the rules; this module reads the incidents one at a time and their member claims
with one cursor each, keeping one figure per speaker.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from tawthiq.errors import StoreError
from tawthiq.export.events import KILLED, Event, one_line
from tawthiq.export.filters import ExportFilters
from tawthiq.model import WherePrecision
from tawthiq.store import Store
from tawthiq.store.connection import Cursor, Row

_MEMBERS_SQL = """
SELECT c.id, c.kind, c.outcome, c.population, c.low, c.best, c.high, c.quantity_text, c.place, c.admin1,
       c.latitude, c.longitude, c.where_prec, c.attributed_to, c.actors, d.copy_of,
       coalesce(s.name, d.path) AS publisher
FROM incident_claims ic JOIN claims c ON c.id = ic.claim_id JOIN documents d ON d.id = c.document_id
LEFT JOIN sources s ON s.id = d.source_id
WHERE ic.incident_id = ? ORDER BY c.document_id, c.seq
"""


@dataclass(slots=True)
class _Figure:
    low: int
    best: int
    high: int | None
    words: str


@dataclass(slots=True)
class _Summary:
    """What is kept while reading an incident's claims: a figure per speaker and the best-placed claim."""

    totals: dict[str, _Figure]
    civilians: dict[str, _Figure]
    perpetrators: Counter[str]
    place: Row | None = None


def iter_incident_events(store: Store, filters: ExportFilters | None = None) -> Iterator[Event]:
    """One event per incident, in date order, streamed."""
    where, params = (filters or ExportFilters()).incident_where(store.conn)
    sql = f"SELECT * FROM incidents i WHERE 1 = 1{where} ORDER BY i.date_start IS NULL, i.date_start, i.id"
    try:
        incidents = store.conn.execute(sql, params)
        for inc in incidents:
            yield _incident_event(inc, _summarise(store.conn.execute(_MEMBERS_SQL, (inc["id"],))))
    except StoreError as e:
        raise StoreError(f"{store.path}: cannot read incidents for the export ({e})") from e


def _summarise(rows: Cursor) -> _Summary:
    summary = _Summary(totals={}, civilians={}, perpetrators=Counter())
    for r in rows:
        for actor in json.loads(r["actors"] or "[]"):
            if isinstance(actor, dict) and actor.get("role") == "perpetrator" and actor.get("name"):
                summary.perpetrators[str(actor["name"])] += 1
        if r["where_prec"] is not None and (summary.place is None or r["where_prec"] < summary.place["where_prec"]):
            summary.place = r
        if r["kind"] != "casualty_count" or r["outcome"] != KILLED or r["best"] is None or r["copy_of"]:
            continue
        bucket = {"total": summary.totals, "civilians": summary.civilians}.get(r["population"])
        if bucket is None:
            continue
        speaker = r["attributed_to"] if r["attributed_to"] not in (None, "witness") else r["publisher"]
        figure = _Figure(r["low"] if r["low"] is not None else r["best"], r["best"], r["high"],
                         r["quantity_text"] or str(r["best"]))
        if speaker not in bucket or figure.best > bucket[speaker].best:
            bucket[speaker] = figure
    return summary


def _headline(figures: dict[str, _Figure]) -> tuple[int | None, int | None, int | None]:
    """(low, best, high): the headline speaker's lower bound, the lower median of the speakers' figures (the headline),
    and the largest figure any speaker gave. The smallest figure is not the low: it may count one village only."""
    if not figures:
        return None, None, None
    ranked = sorted(figures.values(), key=lambda f: f.best)
    headline = ranked[(len(ranked) - 1) // 2]
    high = max(max(f.best, f.high or 0) for f in ranked)
    return min(headline.low, headline.best), headline.best, high


def _incident_event(inc: Row, summary: _Summary) -> Event:
    admin1 = [str(a) for a in json.loads(inc["admin1"] or "[]")]
    figures = summary.totals or summary.civilians
    low, best, high = _headline(figures)
    civilians = _headline(summary.civilians)[1]
    place = summary.place
    where_prec = place["where_prec"] if place is not None else None
    if len(admin1) > 1:
        where_prec = max(where_prec or 0, int(WherePrecision.REGION))
    return Event(
        ref=f"I{inc['id']}", kind="incident", incident_id=inc["id"], outcome=KILLED if best is not None else None,
        population=("total" if summary.totals else "civilians") if figures else None,
        low=low, best=best, high=high, civilians=civilians, date_start=inc["date_start"], date_end=inc["date_end"],
        date_prec=inc["date_prec"], event_type=inc["event_type"],
        actor1=summary.perpetrators.most_common(1)[0][0] if summary.perpetrators else None,
        # the governorate of the point given, so that admin1 and the coordinates agree; the others are in notes
        admin1=(place["admin1"] if place is not None and place["admin1"] else admin1[0] if admin1 else None),
        location=(place["place"] or place["admin1"]) if place is not None and len(admin1) <= 1
        else ", ".join(admin1) or None,
        latitude=place["latitude"] if place is not None else None,
        longitude=place["longitude"] if place is not None else None, where_prec=where_prec,
        source="; ".join(sorted(set(summary.totals) | set(summary.civilians))) or None,
        notes=_notes(inc, summary, admin1),
    )


def _notes(inc: Row, summary: _Summary, admin1: list[str]) -> str:
    parts = [one_line(inc["title"]) + "."]
    if len(admin1) > 1:
        parts.append("Governorates: " + ", ".join(admin1) + ".")
    for label, figures in (("Killed", summary.totals), ("Civilians killed", summary.civilians)):
        if figures:
            listed = "; ".join(f"{name}: {fig.words}" for name, fig in sorted(figures.items()))
            parts.append(f"{label}, by source: {listed}.")
    if len(summary.totals or summary.civilians) > 1:
        parts.append("Headline figure: the lower median of the sources' figures.")
    for sentence in json.loads(inc["contradictions"] or "[]"):
        parts.append(f"Disagreement: {one_line(str(sentence))}")
    return " ".join(parts)
