"""What the report computes across the claims of an incident: who disagrees with whom, and how many sources are
independent.

Two casualty figures *disagree* when they count the same outcome for the same population (killed civilians, say)
over the same scope (see :func:`scope`), come from different speakers, and give different best figures. The speaker
is the original one (``attributed_to``) when stated, else the publisher of the original document (a republished copy
speaks with its original's voice).
Disagreeing figures may still be *compatible*: "more than 1,200" and "1,450" can both be true. Figures whose
ranges (``low``..``high``, no ``high`` meaning no ceiling) do not overlap cannot both be true, and are marked so.

Independent sources are the distinct publishers of the *original* documents behind an incident's claims: a copy of a
document counts as its original, so republishing never adds corroboration.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tawthiq.model import DatePrecision, WherePrecision
from tawthiq.report.records import ClaimView, DocumentView

_LEADING_ARTICLE = re.compile(r"^(the|according to)\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Disagreement:
    """Another speaker's figure for the same outcome and population."""

    other_claim_id: int
    speaker: str
    figure: int
    compatible: bool  # the two ranges overlap: both could be true


def speaker(claim: ClaimView, documents: dict[int, DocumentView]) -> str:
    """The display name of who made the claim originally."""
    if claim["attributed_to"]:
        return str(claim["attributed_to"]).strip()
    root = documents[documents[claim["document_id"]].root_id]
    return root.source or root.title or f"document {root.id}"


def speaker_key(claim: ClaimView, documents: dict[int, DocumentView]) -> str:
    """A comparison key for :func:`speaker`: case-folded, without a leading article, spaces collapsed."""
    name = " ".join(speaker(claim, documents).split()).casefold()
    while True:
        stripped = _LEADING_ARTICLE.sub("", name)
        if stripped == name:
            return name
        name = stripped


def scope(claim: ClaimView, *, single_day: bool = False) -> str:
    """What a figure counts: one place, one day, or the whole incident (``*``).

    * a town, village or district (``where_prec`` 1-3): that place's toll;
    * a figure dated to one day, in an incident longer than a day (``single_day`` false): that day's toll (a
      witness's account of one morning is not the incident's total);
    * anything else is incident-wide: a governorate-level place is often only where the extractor could pin a wide
      total ("more than 1,300 across the coast"), so it is compared with the other wide totals.

    A village's toll and the incident's total are different counts, not a contradiction; two tolls for the same
    village, or two incident-wide totals, are compared.
    """
    prec = claim["where_prec"]
    if claim["place"] and prec is not None and prec <= WherePrecision.ADMIN2:
        return "place:" + " ".join(str(claim["place"]).split()).casefold()
    if claim["date_prec"] == DatePrecision.DAY and claim["date_start"] and not single_day:
        return f"day:{claim['date_start']}"
    return "*"


def _figure(claim: ClaimView) -> int | None:
    for key in ("best", "low", "high"):
        if claim[key] is not None:
            return int(claim[key])
    return None


def _range(claim: ClaimView) -> tuple[float, float]:
    figure = _figure(claim)
    low = claim["low"] if claim["low"] is not None else figure
    high = claim["high"] if claim["high"] is not None else float("inf")
    if claim["qualifier"] in ("up_to", "less_than") and claim["low"] is None:
        low = 0
    return float(low if low is not None else 0), float(high)


@dataclass(frozen=True, slots=True)
class _Figure:
    """What the comparison needs of one casualty claim, computed once per claim."""

    claim_id: int
    speaker: str
    speaker_key: str
    figure: int
    low: float
    high: float


def disagreements(
    claims: Sequence[ClaimView], documents: dict[int, DocumentView], *, single_day: bool = False
) -> dict[int, list[Disagreement]]:
    """For each casualty claim with figures, the figures of *other* speakers that differ from it.

    ``single_day``: the incident lasted one day, so figures dated to that day are incident-wide.

    Each (speaker, figure) pair is listed once (a figure republished by several outlets is one disagreement: the
    first claim in ``claims`` order that states it stands for it), in ascending order of figure.

    Claims are grouped by (outcome, population, scope) first, and each group's distinct (speaker, figure) pairs are
    found and sorted once; a claim's disagreements are then that list less its own speaker and its own figure. The
    cost is that of the answer (claims times the distinct figures they are compared with), not of every pair of
    claims.
    """
    groups: dict[tuple[str, str, str], list[_Figure]] = {}
    for claim in claims:
        figure = _figure(claim)
        if claim["kind"] == "casualty_count" and figure is not None:
            key = (claim["outcome"] or "", claim["population"] or "", scope(claim, single_day=single_day))
            low, high = _range(claim)
            groups.setdefault(key, []).append(
                _Figure(claim.id, speaker(claim, documents), speaker_key(claim, documents), figure, low, high))
    found: dict[int, list[Disagreement]] = {}
    for group in groups.values():
        firsts: dict[tuple[str, int], _Figure] = {}
        for item in group:
            firsts.setdefault((item.speaker_key, item.figure), item)
        pairs = sorted(firsts.values(), key=lambda f: (f.figure, f.speaker))
        for item in group:
            others = [
                Disagreement(other.claim_id, other.speaker, other.figure,
                             compatible=item.low <= other.high and other.low <= item.high)
                for other in pairs
                if other.figure != item.figure and other.speaker_key != item.speaker_key
            ]
            if others:
                found[item.claim_id] = others
    return found


@dataclass(frozen=True, slots=True)
class Independence:
    """The documents behind an incident, split into originals and copies, and the count of independent sources."""

    originals: list[DocumentView]
    copies: list[DocumentView]
    count: int


def independence(claims: Iterable[ClaimView], documents: dict[int, DocumentView]) -> Independence:
    """Count distinct publishers of the original documents behind ``claims`` (copies count as their original)."""
    doc_ids = sorted({c["document_id"] for c in claims})
    originals = [documents[i] for i in doc_ids if not documents[i].is_copy]
    copies = [documents[i] for i in doc_ids if documents[i].is_copy]
    roots = {documents[documents[i].root_id].id for i in doc_ids}
    publishers = {documents[r].source.casefold() or f"#doc{r}" for r in roots}
    return Independence(originals=originals, copies=copies, count=len(publishers))


def independent_source_total(documents: dict[int, DocumentView]) -> int:
    """Distinct publishers of original (not copied) documents in the whole record."""
    return len({d.source.casefold() or f"#doc{d.id}" for d in documents.values() if d.root_id == d.id})
