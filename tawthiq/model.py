"""The domain of Tawthiq: sources, documents, claims and incidents.

Field names follow the conventions of the field so that exports need no guessing:

* UCDP GED: ``low`` / ``best`` / ``high`` for a toll, ``date_prec`` and ``where_prec`` for precision codes.
* ACLED: ``event_type``, ``geo_precision``, ``time_precision``, ``source_scale``.
* HXL: the outcome of a casualty claim maps to ``#affected+killed``, ``#affected+injured`` ...

See docs/data-model.md for the full description with examples.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum


class SourceType(StrEnum):
    """What kind of organisation or person a source is."""

    MEDIA = "media"
    NGO = "ngo"
    GOVERNMENT = "government"
    INQUIRY = "inquiry"
    WITNESS = "witness"
    SOCIAL = "social"
    BELLIGERENT = "belligerent"
    UNKNOWN = "unknown"


class ClaimKind(StrEnum):
    CASUALTY_COUNT = "casualty_count"
    EVENT = "event"
    CAVEAT = "verification_caveat"
    ACTOR_COUNT = "actor_count"  # a count of perpetrators or suspects: never added to a casualty toll


class Outcome(StrEnum):
    """What happened to the people counted (HXL ``#affected+<outcome>``)."""

    KILLED = "killed"
    INJURED = "injured"
    DETAINED = "detained"
    ABDUCTED = "abducted"
    MISSING = "missing"
    DISPLACED = "displaced"


class Population(StrEnum):
    """Who was counted."""

    TOTAL = "total"
    CIVILIANS = "civilians"
    SECURITY_FORCES = "security_forces"
    COMBATANTS = "combatants"
    WOMEN = "women"
    CHILDREN = "children"
    MEN = "men"
    SUSPECTS = "suspects"
    MEDIA_WORKERS = "media_workers"


class DatePrecision(IntEnum):
    """UCDP GED ``date_prec``: how exactly the date of an event is known."""

    DAY = 1  # the exact day
    DAYS = 2  # within 2-6 days
    WEEK = 3  # the week
    MONTH = 4  # the month
    YEAR = 5  # longer than a month; the year at best

    @property
    def acled_time_precision(self) -> int:
        """ACLED ``time_precision``: 1 day, 2 week (or a few days), 3 month or coarser."""
        return {1: 1, 2: 2, 3: 2}.get(int(self), 3)


class WherePrecision(IntEnum):
    """UCDP GED ``where_prec``: how exactly the place of an event is known."""

    EXACT = 1  # the town, village or neighbourhood itself
    NEAR = 2  # within about 25 km of a known point
    ADMIN2 = 3  # only the district (second-order division)
    ADMIN1 = 4  # only the governorate
    REGION = 5  # a region or linear feature (a coast, a countryside)
    COUNTRY = 6  # only the country

    @property
    def acled_geo_precision(self) -> int:
        """ACLED ``geo_precision``: 1 the town, 2 near it / part of a district, 3 a larger region."""
        return {1: 1, 2: 2, 3: 2}.get(int(self), 3)


@dataclass(frozen=True, slots=True)
class Span:
    """Character offsets ``[start, end)`` into the cleaned text of a document."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span [{self.start}, {self.end})")


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number of people as written, read into a range.

    ``qualifier`` is the normalised key of the wording (``more_than``, ``at_least``, ``about`` ...);
    ``qualifier_text`` the words as written ("more than", "scores of"). ``span`` points into the text given to the
    parser.
    """

    low: int | None
    best: int | None
    high: int | None
    qualifier: str
    qualifier_text: str
    text: str
    span: Span


DASH = "\u2013"


def describe_dates(first: dt.date, last: dt.date, prec: int | None) -> str:
    """A date range as a reader says it, no finer than its precision: ``6–9 March 2025``, ``May 2012``,
    ``1974–1976``."""
    if prec == DatePrecision.YEAR:
        return str(first.year) if first.year == last.year else f"{first.year}{DASH}{last.year}"
    if prec == DatePrecision.MONTH:
        if (first.year, first.month) == (last.year, last.month):
            return f"{first:%B %Y}"
        return f"{first:%B %Y} {DASH} {last:%B %Y}"
    if first == last:
        return f"{first.day} {first:%B %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}{DASH}{last.day} {first:%B %Y}"
    return f"{first.day} {first:%B %Y} {DASH} {last.day} {last:%B %Y}"


@dataclass(frozen=True, slots=True)
class DateRange:
    """A date or date range with its UCDP precision; ``inferred`` when not stated but derived."""

    start: dt.date
    end: dt.date
    prec: DatePrecision
    text: str = ""
    span: Span | None = None
    inferred: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class Place:
    """A place resolved through the gazetteer.

    Unknown small places (a neighbourhood, a village missing from the gazetteer) are kept by ``name`` with the nearest
    known ``parent`` and a coarse ``where_prec``; coordinates are then the parent's.
    """

    name: str
    admin1: str | None
    latitude: float | None
    longitude: float | None
    where_prec: WherePrecision
    geonameid: int | None = None
    parent: str | None = None
    text: str = ""
    span: Span | None = None
    country: str | None = None  # ISO 3166-1 alpha-2; "SY" for Syria, None when unknown (a sea, an unplaced village)


@dataclass(frozen=True, slots=True)
class Source:
    """A publisher or organisation (or a person, for a witness) that documents are from or claims are attributed to."""

    name: str
    type: SourceType = SourceType.UNKNOWN
    source_scale: str = ""  # ACLED: national, regional, international, local, new media ...


@dataclass(slots=True)
class Caption:
    """A photo caption, kept apart from the body text, with the date it states (if any)."""

    text: str
    date: dt.date | None = None
    credit: str = ""
    language: str = ""  # ISO 639-1, detected on the caption itself (a caption may be in another language)


@dataclass(slots=True)
class Document:
    """One ingested file: its original bytes by hash, its cleaned text and what is known about its publication."""

    sha256: str
    path: str
    media_type: str
    text: str
    title: str = ""
    url: str = ""
    language: str = "en"
    source: Source | None = None
    published_at: dt.date | None = None
    published_prec: DatePrecision | None = None
    published_inferred: bool = False
    published_note: str = ""
    not_before: dt.date | None = None
    not_after: dt.date | None = None
    captions: list[Caption] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)  # (reason, text) of what cleaning took out
    copy_of: str | None = None  # sha256 of the document this one republishes
    id: int | None = None


@dataclass(slots=True)
class Actor:
    name: str
    role: str  # perpetrator | target | other
    span: Span | None = None


@dataclass(slots=True)
class Claim:
    """One statement in one document, with the sentence it was read from."""

    kind: ClaimKind
    sentence: str
    span: Span
    outcome: Outcome | None = None
    population: Population | None = None
    community: str | None = None
    quantity: Quantity | None = None
    date: DateRange | None = None
    place: Place | None = None
    actors: list[Actor] = field(default_factory=list)
    attributed_to: str | None = None
    caveat: str | None = None
    event_type: str | None = None
    language: str = "en"
    document_sha256: str = ""
    id: int | None = None
    # The total this claim is a part of ("– Tartus: 503" under the toll by governorate; "including 5 children"): its
    # position among the same document's claims (``claims.parent_seq`` in the store). Never add a part to its total.
    parent: int | None = None

    @property
    def low(self) -> int | None:
        return self.quantity.low if self.quantity else None

    @property
    def best(self) -> int | None:
        return self.quantity.best if self.quantity else None

    @property
    def high(self) -> int | None:
        return self.quantity.high if self.quantity else None


@dataclass(slots=True)
class Incident:
    """Claims from several documents about the same event, side by side."""

    title: str
    date: DateRange | None
    admin1: list[str]
    claims: list[Claim]
    contradictions: list[str] = field(default_factory=list)
    independent_sources: int = 0
    id: int | None = None
