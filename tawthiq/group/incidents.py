"""Group claims from several documents into incidents, side by side, and flag where their figures disagree.

Two dated claims belong to the same incident when their dates overlap (a day-level date is widened by
``DAY_TOLERANCE`` days, since sources date the same killing a day apart) and their governorates meet: the same
governorate or neighbouring ones. Incidents are the connected components of that relation. A claim with no governorate
(a national toll) joins the overlapping incident of its own story, never bridging two. Undated claims are not grouped:
an incident is an event in time.

Within an incident, totals attributed to different original speakers are compared per outcome and population:
ranges that cannot both be true are a *contradiction*; figures that differ but could both be true ("more than 1,300"
against "1,426") are a *difference*. Both are listed in words, so that no reader takes one number for the record.

Corroboration counts independent sources only: a document that republishes another adds nothing, and a claim counts
for its original speaker ("according to SOHR") rather than for the newspaper that printed it.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable

from tawthiq.model import Claim, ClaimKind, DatePrecision, DateRange, Incident, describe_dates

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
    """Group ``claims`` (with ids) into incidents; ``sources`` maps a document hash to (publisher, copy_of).

    Claims with a governorate are grouped first; a claim without one (a national toll) then joins the overlapping
    group that holds claims of its own document (the story it was told in), else the largest overlapping group.
    It never bridges two groups: a national toll for March does not merge a killing in Latakia with one in Daraa.
    Runs in O(n log n): intervals are merged per governorate, then joined across neighbouring governorates.
    """
    dated = [c for c in claims if c.date is not None and c.kind in GROUPED_KINDS]
    placed = [c for c in dated if _admin1(c)]
    groups = _placed_components(placed)
    loose = _attach(groups, [c for c in dated if not _admin1(c)])
    groups.extend(_interval_components(loose))
    incidents = [_incident(members, sources) for members in groups]
    return sorted(incidents, key=lambda inc: (inc.date.start if inc.date else dt.date.max, inc.title))


def _admin1(claim: Claim) -> str | None:
    return claim.place.admin1 if claim.place else None


class _Union:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        self.parent[self.find(j)] = self.find(i)


Window = tuple[dt.date, dt.date]


def _merged(indices: list[int], windows: list[Window], union: _Union) -> list[tuple[dt.date, dt.date, int]]:
    """Merge overlapping windows of ``indices`` (joining their claims); return the merged intervals in order, each with
    one member. A merged interval has no gap, so two merged intervals that overlap share a point covered by a claim of
    each: joining one member of each is enough."""
    out: list[tuple[dt.date, dt.date, int]] = []
    for i in sorted(indices, key=lambda k: windows[k][0]):
        start, end = windows[i]
        if out and start <= out[-1][1]:
            union.join(out[-1][2], i)
            out[-1] = (out[-1][0], max(out[-1][1], end), out[-1][2])
        else:
            out.append((start, end, i))
    return out


def _placed_components(claims: list[Claim]) -> list[list[Claim]]:
    """Claims whose windows overlap in the same or neighbouring governorates, as connected components."""
    windows = [_window(c) for c in claims]
    union = _Union(len(claims))
    by_admin1: dict[str, list[int]] = defaultdict(list)
    for i, claim in enumerate(claims):
        by_admin1[_admin1(claim) or ""].append(i)
    merged = {a: _merged(idx, windows, union) for a, idx in by_admin1.items()}
    for a, intervals in merged.items():
        for b in NEIGHBOURS.get(a, set()):
            other = merged.get(b)
            if not other:
                continue
            starts = [iv[0] for iv in other]
            for start, end, member in intervals:
                k = bisect.bisect_right(starts, end)  # intervals of b starting no later than this one ends
                while k > 0 and other[k - 1][1] >= start:
                    union.join(member, other[k - 1][2])
                    k -= 1
    return _collect(claims, union)


def _interval_components(claims: list[Claim]) -> list[list[Claim]]:
    windows = [_window(c) for c in claims]
    union = _Union(len(claims))
    _merged(list(range(len(claims))), windows, union)
    return _collect(claims, union)


def _collect(claims: list[Claim], union: _Union) -> list[list[Claim]]:
    groups: dict[int, list[Claim]] = defaultdict(list)
    for i, claim in enumerate(claims):
        groups[union.find(i)].append(claim)
    return list(groups.values())


def _attach(groups: list[list[Claim]], loose: list[Claim]) -> list[Claim]:
    """Add each claim without a governorate to the best overlapping group; return those that overlap none."""
    spans = [(min(_window(m)[0] for m in g), max(_window(m)[1] for m in g)) for g in groups]
    by_document: dict[str, Counter[int]] = defaultdict(Counter)
    for index, members in enumerate(groups):
        for m in members:
            by_document[m.document_sha256][index] += 1
    order = sorted(range(len(groups)), key=lambda k: spans[k][0])
    starts = [spans[k][0] for k in order]
    left: list[Claim] = []
    for claim in loose:
        start, end = _window(claim)
        story = by_document.get(claim.document_sha256, Counter())
        own = [k for k in story if spans[k][0] <= end and start <= spans[k][1]]
        if own:
            home = max(own, key=lambda k: (story[k], len(groups[k]), -k))
        else:
            upto = bisect.bisect_right(starts, end)
            overlapping = [order[j] for j in range(upto) if spans[order[j]][1] >= start]
            if not overlapping:
                left.append(claim)
                continue
            home = max(overlapping, key=lambda k: (len(groups[k]), -k))
        groups[home].append(claim)
    return left


def _window(claim: Claim) -> tuple[dt.date, dt.date]:
    assert claim.date is not None
    pad = dt.timedelta(days=DAY_TOLERANCE if claim.date.prec <= DatePrecision.WEEK else 0)
    return claim.date.start - pad, claim.date.end + pad


def _places_meet(a: Claim, b: Claim) -> bool:
    pa, pb = _admin1(a), _admin1(b)
    return pa == pb or pb in NEIGHBOURS.get(pa or "", set())


def _incident(members: list[Claim], sources: dict[str, tuple[str, str | None]]) -> Incident:
    dates = [c.date for c in members if c.date]
    precise = [d for d in dates if d.prec <= DatePrecision.WEEK] or dates
    start, end = min(d.start for d in precise), max(d.end for d in precise)
    admin1 = sorted({c.place.admin1 for c in members if c.place and c.place.admin1})
    return Incident(
        title=_title(members, admin1, start, end),
        date=DateRange(start, end, span_precision(start, end)),
        admin1=admin1,
        claims=sorted(members, key=lambda c: (c.document_sha256, c.span.start)),
        contradictions=disagreements(members, sources),
        independent_sources=len(independent_sources(members, sources)),
    )


def span_precision(start: dt.date, end: dt.date) -> DatePrecision:
    """The UCDP precision that a date range ``[start, end]`` amounts to."""
    days = (end - start).days
    if days == 0:
        return DatePrecision.DAY
    if days <= 6:
        return DatePrecision.DAYS
    if (start.year, start.month) == (end.year, end.month):
        return DatePrecision.MONTH
    return DatePrecision.YEAR


def _title(members: list[Claim], admin1: list[str], start: dt.date, end: dt.date) -> str:
    killed = [c for c in members if c.kind == ClaimKind.CASUALTY_COUNT and str(c.outcome) == "killed"]
    what = "Killings" if killed else "Violence"
    where = ", ".join(admin1[:4]) + (" and other governorates" if len(admin1) > 4 else "") if admin1 else "Syria"
    when = describe_dates(start, end, span_precision(start, end))
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
        if c.parent is not None:
            continue  # a part of a breakdown ("7 in Arzouna") is not a toll to set against another source's total
        if c.attributed_to in (None, "witness") or sources.get(c.document_sha256, ("", None))[1]:
            continue
        # each speaker's fullest toll for the incident: a daily figure ("16 yesterday") is not set against a total
        kept = tolls[(str(c.outcome), str(c.population))].get(c.attributed_to)
        if kept is None or (kept.quantity and (kept.quantity.best or 0) < c.quantity.best):
            tolls[(str(c.outcome), str(c.population))][c.attributed_to] = c
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
