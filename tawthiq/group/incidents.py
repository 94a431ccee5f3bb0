"""Group claims from several documents into incidents, side by side, and flag where their figures disagree.

Two dated claims belong to the same incident when their dates overlap (a day-level date is widened by
``DAY_TOLERANCE`` days, since sources date the same killing a day apart) and their governorates meet: the same
governorate, neighbouring ones, or one of the two claims has no governorate (a national toll). Incidents are the
connected components of that relation. Undated claims are not grouped: an incident is an event in time.

Within an incident, totals attributed to different original speakers are compared per outcome and population:
ranges that cannot both be true are a *contradiction*; figures that differ but could both be true ("more than 1,300"
against "1,426") are a *difference*. Both are listed in words, so that no reader takes one number for the record.

Corroboration counts independent sources only: a document that republishes another adds nothing, and a claim counts
for its original speaker ("according to SOHR") rather than for the newspaper that printed it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from tawthiq.model import Claim, ClaimKind, DatePrecision, DateRange, Incident

DAY_TOLERANCE = 2
# Governorates that share a border (for grouping, events spilling over a boundary stay one incident).
NEIGHBOURS: dict[str, set[str]] = {
    "Latakia": {"Tartus", "Hama", "Idlib"},
    "Tartus": {"Latakia", "Hama", "Homs"},
    "Hama": {"Latakia", "Tartus", "Homs", "Idlib", "Aleppo", "Raqqa"},
    "Homs": {"Tartus", "Hama", "Rif Dimashq", "Deir ez-Zor", "Raqqa"},
    "Idlib": {"Latakia", "Hama", "Aleppo"},
    "Aleppo": {"Idlib", "Hama", "Raqqa"},
    "Raqqa": {"Aleppo", "Hama", "Homs", "Deir ez-Zor", "Al-Hasakah"},
    "Deir ez-Zor": {"Raqqa", "Homs", "Al-Hasakah"},
    "Al-Hasakah": {"Raqqa", "Deir ez-Zor"},
    "Rif Dimashq": {"Homs", "Damascus", "Quneitra", "Daraa", "As-Suwayda"},
    "Damascus": {"Rif Dimashq"},
    "Quneitra": {"Rif Dimashq", "Daraa"},
    "Daraa": {"Quneitra", "Rif Dimashq", "As-Suwayda"},
    "As-Suwayda": {"Daraa", "Rif Dimashq"},
}
GROUPED_KINDS = (ClaimKind.CASUALTY_COUNT, ClaimKind.EVENT, ClaimKind.ACTOR_COUNT)


def group_incidents(claims: Iterable[Claim], sources: dict[str, tuple[str, str | None]]) -> list[Incident]:
    """Group ``claims`` (with ids) into incidents; ``sources`` maps a document hash to (publisher, copy_of)."""
    dated = [c for c in claims if c.date is not None and c.kind in GROUPED_KINDS]
    parent = list(range(len(dated)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    order = sorted(range(len(dated)), key=lambda i: _window(dated[i])[0])
    for pos, i in enumerate(order):
        start_i, end_i = _window(dated[i])
        for j in order[pos + 1 :]:
            start_j, _ = _window(dated[j])
            if start_j > end_i:
                break
            if _places_meet(dated[i], dated[j]):
                parent[find(j)] = find(i)
    groups: dict[int, list[Claim]] = defaultdict(list)
    for i, claim in enumerate(dated):
        groups[find(i)].append(claim)
    incidents = [_incident(members, sources) for members in groups.values()]
    return sorted(incidents, key=lambda inc: (inc.date.start if inc.date else dt.date.max, inc.title))


def _window(claim: Claim) -> tuple[dt.date, dt.date]:
    assert claim.date is not None
    pad = dt.timedelta(days=DAY_TOLERANCE if claim.date.prec <= DatePrecision.WEEK else 0)
    return claim.date.start - pad, claim.date.end + pad


def _places_meet(a: Claim, b: Claim) -> bool:
    pa, pb = (a.place.admin1 if a.place else None), (b.place.admin1 if b.place else None)
    if pa is None or pb is None or pa == pb:
        return True
    return pb in NEIGHBOURS.get(pa, set())


def _incident(members: list[Claim], sources: dict[str, tuple[str, str | None]]) -> Incident:
    dates = [c.date for c in members if c.date]
    precise = [d for d in dates if d.prec <= DatePrecision.WEEK] or dates
    start, end = min(d.start for d in precise), max(d.end for d in precise)
    prec = DatePrecision.DAY if start == end else DatePrecision.DAYS if (end - start).days <= 6 else DatePrecision.MONTH
    admin1 = sorted({c.place.admin1 for c in members if c.place and c.place.admin1})
    return Incident(
        title=_title(members, admin1, start, end),
        date=DateRange(start, end, prec),
        admin1=admin1,
        claims=sorted(members, key=lambda c: (c.document_sha256, c.span.start)),
        contradictions=disagreements(members, sources),
        independent_sources=len(independent_sources(members, sources)),
    )


def _title(members: list[Claim], admin1: list[str], start: dt.date, end: dt.date) -> str:
    killed = [c for c in members if c.kind == ClaimKind.CASUALTY_COUNT and str(c.outcome) == "killed"]
    what = "Killings" if killed else "Violence"
    where = ", ".join(admin1[:4]) + (" and other governorates" if len(admin1) > 4 else "") if admin1 else "Syria"
    when = start.strftime("%-d %B %Y") if start == end else f"{start:%-d %B %Y} – {end:%-d %B %Y}"
    return f"{what} in {where}, {when}"


def speaker_of(claim: Claim, sources: dict[str, tuple[str, str | None]]) -> str:
    """Who a claim counts for: its original speaker, else the publisher of its document."""
    publisher = sources.get(claim.document_sha256, (claim.document_sha256, None))[0]
    if claim.attributed_to and claim.attributed_to != "witness":
        return claim.attributed_to
    if claim.attributed_to == "witness":
        return f"witness quoted by {publisher}"
    return publisher


def independent_sources(members: list[Claim], sources: dict[str, tuple[str, str | None]]) -> set[str]:
    """Distinct original speakers, leaving out claims read from a document that copies another."""
    return {
        speaker_of(c, sources)
        for c in members
        if not sources.get(c.document_sha256, ("", None))[1]
    }


def disagreements(members: list[Claim], sources: dict[str, tuple[str, str | None]]) -> list[str]:
    """Sentences naming each pair of tolls from different speakers that contradict or differ."""
    tolls: dict[tuple[str, str], dict[str, Claim]] = defaultdict(dict)
    for c in members:
        if c.kind != ClaimKind.CASUALTY_COUNT or c.quantity is None or c.quantity.best is None:
            continue
        if c.attributed_to in (None, "witness") or sources.get(c.document_sha256, ("", None))[1]:
            continue
        tolls[(str(c.outcome), str(c.population))].setdefault(c.attributed_to, c)
    found: list[str] = []
    for (outcome, population), by_speaker in sorted(tolls.items()):
        speakers = sorted(by_speaker)
        for i, a in enumerate(speakers):
            for b in speakers[i + 1 :]:
                sentence = _compare(outcome, population, a, by_speaker[a], b, by_speaker[b])
                if sentence:
                    found.append(sentence)
    return found


def _compare(outcome: str, population: str, a: str, ca: Claim, b: str, cb: Claim) -> str | None:
    qa, qb = ca.quantity, cb.quantity
    assert qa is not None and qb is not None
    if qa.best == qb.best:
        return None
    lo_a, hi_a = qa.low if qa.low is not None else 0, qa.high
    lo_b, hi_b = qb.low if qb.low is not None else 0, qb.high
    overlap = (hi_a is None or lo_b <= hi_a) and (hi_b is None or lo_a <= hi_b)
    verdict = "differ" if overlap else "contradict"
    who = population.replace("_", " ")
    return (
        f"Figures {verdict} for {who} {outcome}: {a} says {_phrase(qa.qualifier_text, qa.best)} "
        f"(claim {ca.id}), {b} says {_phrase(qb.qualifier_text, qb.best)} (claim {cb.id})."
    )


def _phrase(qualifier_text: str, best: int | None) -> str:
    return f"{qualifier_text} {best:,}".strip() if best is not None else "an unknown number"
