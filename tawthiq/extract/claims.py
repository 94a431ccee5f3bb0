"""From a cleaned document to claims: one statement in one sentence, with its evidence span.

Per sentence the extractor finds the counts of people (``quantities``), what happened to them and who they were
(``roles``), when (``dates``), where (``places``), who says so (``attribution``) and how sure they are (caveats).
What a sentence leaves unsaid is taken from its context, and every such inheritance is recorded in the claim's date note
or its place's ``parent``:

* a date: the sentence's own event date; else the last event date earlier in the same paragraph; else, for a toll
  attributed to an organisation or a sentence that refers back to "the massacres" / "the violence", the document's main
  event (the month most of its day-level dates fall in) — marked inferred;
* a weekday with no date ("on Friday") in a narrative resolves forward from the last day the narrative named
  ("Thursday 6 March" → "Friday" is 7 March), not backward from the publication date;
* a place: the sentence's own places; else the last place named in the previous three paragraphs;
* a speaker: the organisation the sentence names; "It identified …" takes the organisation of the sentences before it;
  a person quoted is a ``witness`` (never named).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field, replace

from tawthiq.extract import attribution as attr
from tawthiq.extract import roles
from tawthiq.extract.dates import DateContext, find_dates
from tawthiq.extract.places import Gazetteer
from tawthiq.extract.quantities import find_quantities, head_noun
from tawthiq.extract.sentences import Sentence, sentences
from tawthiq.model import Claim, ClaimKind, DatePrecision, DateRange, Place, Population, Quantity, Span

_WEEKDAY_ONLY = re.compile(
    r"^(?:on\s+)?(?:the\s+)?(?:(?:early|late)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"(?:\s+(?:morning|afternoon|evening|night))?$|^that\s+\w+day",
    re.I,
)
_REPORTING = re.compile(
    r"\b(?:released|published|issued|announced|presented|unveiled)\b[^.]{0,40}\b(?:report|findings|statement|toll)"
    r"|\breport\b[^.]{0,30}\b(?:released|published|issued)\b|\bin (?:a|his|her) (?:second )?address\b",
    re.I,
)
_BACK_REFERENCE = re.compile(
    r"\b(?:the|these|those) (?:massacres?|killings|violence|attacks|events|bloodshed|atrocities)\b"
    r"|\bthe weekend\b|\bdayslong\b|المجازر|الأحداث|أحداث الساحل|الانتهاكات",
    re.I,
)
_NARRATIVE_PARAGRAPHS = 3


@dataclass(slots=True)
class _State:
    """What the sentences read so far establish, for the ones that follow."""

    anchor: dt.date | None = None  # last day-level date the narrative named
    anchor_paragraph: int = -10
    places: list[tuple[int, Place]] = field(default_factory=list)  # (paragraph, place)
    speaker: tuple[int, str] | None = None  # (paragraph, organisation)
    event_date: tuple[int, DateRange] | None = None  # (paragraph, date)


@dataclass(frozen=True, slots=True)
class _Read:
    """One sentence read in the first pass."""

    sentence: Sentence
    dates: list[DateRange]
    event_dates: list[DateRange]


def extract_claims(text: str, ctx: DateContext, *, language: str = "en", document_sha256: str = "") -> list[Claim]:
    """Every claim in a cleaned text; spans are offsets into ``text``."""
    gazetteer = Gazetteer.load()
    registry = attr.SourceRegistry.load()
    reads = _read_dates(sentences(text), ctx)
    main_event = _main_event(reads)
    state = _State()
    claims: list[Claim] = []
    for read in reads:
        s = read.sentence
        new = _sentence_claims(read, state, main_event, gazetteer, registry, language)
        caveat = attr.find_caveat(s.text)
        if caveat and not new:
            _propagate_caveat(claims, caveat, s.paragraph)
            new = [Claim(kind=ClaimKind.CAVEAT, sentence=s.text, span=Span(s.start, s.end), caveat=caveat)]
        claims.extend(new)
    for claim in claims:
        claim.language = language
        claim.document_sha256 = document_sha256
    return claims


def _read_dates(sents: list[Sentence], ctx: DateContext) -> list[_Read]:
    """First pass: resolve every sentence's dates, narrative weekdays forward from the last named day."""
    reads: list[_Read] = []
    anchor: tuple[int, dt.date] | None = None
    for s in sents:
        found = find_dates(s.text, ctx)
        resolved: list[DateRange] = []
        for d in found:
            if anchor and _WEEKDAY_ONLY.match(d.text.strip()) and s.paragraph - anchor[0] <= _NARRATIVE_PARAGRAPHS * 4:
                narrative = DateContext(published=anchor[1] + dt.timedelta(days=6), not_before=None, not_after=None,
                                        event_year=None)
                again = [x for x in find_dates(d.text, narrative) if x.prec <= DatePrecision.DAYS]
                if again:
                    d = replace(again[0], span=d.span, inferred=True,
                                note=f"weekday read forward from {anchor[1].isoformat()}, the last day the text named")
            resolved.append(d)
            if d.prec == DatePrecision.DAY and not _WEEKDAY_ONLY.match(d.text.strip()):
                anchor = (s.paragraph, d.start)
        reporting = bool(_REPORTING.search(s.text))
        events = [] if reporting else [d for d in resolved if d.start <= (ctx.published or dt.date.max)]
        reads.append(_Read(s, resolved, events))
    return reads


def _main_event(reads: list[_Read]) -> DateRange | None:
    """The document's main event: the month most of its day-level event dates fall in, spanning those days."""
    days = [d.start for r in reads for d in r.event_dates if d.prec == DatePrecision.DAY]
    if not days:
        return None
    (year, month), _ = Counter((d.year, d.month) for d in days).most_common(1)[0]
    in_month = sorted(d for d in days if (d.year, d.month) == (year, month))
    start, end = in_month[0], in_month[-1]
    prec = DatePrecision.DAY if start == end else DatePrecision.DAYS if (end - start).days <= 6 else DatePrecision.MONTH
    return DateRange(start, end, prec, inferred=True, note="the document's main event (most of its dates)")


def _sentence_claims(
    read: _Read,
    state: _State,
    main_event: DateRange | None,
    gazetteer: Gazetteer,
    registry: attr.SourceRegistry,
    language: str,
) -> list[Claim]:
    s = read.sentence
    places = [p for p in gazetteer.find_places(s.text) if p.admin1 or p.where_prec >= 6]
    speaker = _speaker(s, state, registry)
    date = _event_date(read, state, main_event, speaker)
    _remember(read, state, places, speaker)
    actors = roles.actors_in(s.text)
    event_type = roles.event_type_of(s.text)
    claims: list[Claim] = []
    for q in find_quantities(s.text):
        claim = _count_claim(s, q, places, state, date, speaker, actors, event_type)
        if claim is not None:
            claims.append(claim)
    if not claims and roles.describes_violence(s.text) and (read.event_dates or places):
        claims.append(
            Claim(kind=ClaimKind.EVENT, sentence=s.text, span=Span(s.start, s.end), date=date,
                  place=_place_for(places, state, s.paragraph, None), actors=actors, attributed_to=speaker,
                  event_type=event_type, caveat=attr.find_caveat(s.text))
        )
    return claims


def _count_claim(
    s: Sentence,
    q: Quantity,
    places: list[Place],
    state: _State,
    date: DateRange | None,
    speaker: str | None,
    actors: list,  # type: ignore[type-arg]
    event_type: str | None,
) -> Claim | None:
    head = head_noun(s.text, q)
    population = roles.population_of(s.text, q.span.start, q.span.end, head)
    outcome = roles.outcome_of(s.text, q.span.start, q.span.end)
    if population == Population.SUSPECTS:
        kind = ClaimKind.ACTOR_COUNT
        outcome = None
    elif outcome is None:
        return None
    else:
        kind = ClaimKind.CASUALTY_COUNT
    absolute = Quantity(q.low, q.best, q.high, q.qualifier, q.qualifier_text, q.text,
                        Span(s.start + q.span.start, s.start + q.span.end))
    return Claim(
        kind=kind, sentence=s.text, span=Span(s.start, s.end), outcome=outcome, population=population,
        community=roles.community_of(s.text, q.span.start, q.span.end), quantity=absolute, date=date,
        place=_place_for(places, state, s.paragraph, q.span.start), actors=list(actors), attributed_to=speaker,
        caveat=attr.find_caveat(s.text), event_type=event_type,
    )


def _speaker(s: Sentence, state: _State, registry: attr.SourceRegistry) -> str | None:
    named = attr.find_attribution(s.text, registry)
    if named:
        return named
    if state.speaker and s.paragraph - state.speaker[0] <= 1 and attr.starts_with_pronoun_speaker(s.text):
        return state.speaker[1]
    if attr.is_witness_speech(s.text):
        return attr.WITNESS
    return None


def _event_date(read: _Read, state: _State, main_event: DateRange | None, speaker: str | None) -> DateRange | None:
    if read.event_dates:
        if len(read.event_dates) == 1:
            return read.event_dates[0]
        first, last = min(read.event_dates, key=lambda d: d.start), max(read.event_dates, key=lambda d: d.end)
        return DateRange(first.start, last.end, max(first.prec, last.prec), inferred=first.inferred or last.inferred,
                         note="range of the dates the sentence names")
    s = read.sentence
    if state.event_date and state.event_date[0] == s.paragraph:
        return replace(state.event_date[1], span=None, inferred=True, note="date of the previous sentence")
    if main_event and ((speaker and speaker != attr.WITNESS) or _BACK_REFERENCE.search(s.text)):
        return main_event
    return None


def _remember(read: _Read, state: _State, places: list[Place], speaker: str | None) -> None:
    p = read.sentence.paragraph
    if read.event_dates:
        state.event_date = (p, read.event_dates[-1])
    for place in places:
        if place.admin1:
            state.places.append((p, place))
    if speaker and speaker != attr.WITNESS:
        state.speaker = (p, speaker)


def _place_for(places: list[Place], state: _State, paragraph: int, at: int | None) -> Place | None:
    """The sentence's place nearest the number, else the last place named in the previous paragraphs."""
    local = [p for p in places if p.admin1]
    if local:
        if at is None or len(local) == 1:
            return _most_specific(local)
        return min(local, key=lambda p: abs((p.span.start if p.span else 0) - at))
    recent = [pl for par, pl in state.places if paragraph - par <= _NARRATIVE_PARAGRAPHS]
    if recent:
        last = recent[-1]
        return replace(last, span=None, text="")
    return None


def _most_specific(places: list[Place]) -> Place:
    return min(places, key=lambda p: int(p.where_prec))


def _propagate_caveat(claims: list[Claim], caveat: str, paragraph_end: int) -> None:
    """A caveat about "his account" qualifies the unattributed or witness claims just before it."""
    for claim in reversed(claims[-8:]):
        if claim.attributed_to not in (None, attr.WITNESS):
            break
        if claim.caveat is None:
            claim.caveat = caveat
