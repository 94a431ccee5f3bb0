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
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from tawthiq.extract import attribution as attr
from tawthiq.extract import dates as dates_en
from tawthiq.extract import dates_ar, quantities_ar, roles
from tawthiq.extract import quantities as quantities_en
from tawthiq.extract.dates import DateContext
from tawthiq.extract.places import Gazetteer
from tawthiq.extract.sentences import Sentence, sentences
from tawthiq.model import Actor, Claim, ClaimKind, DatePrecision, DateRange, Place, Population, Quantity, Span

_WEEKDAY_ONLY = re.compile(
    r"^(?:on\s+)?(?:the\s+)?(?:(?:early|late)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"(?:\s+(?:morning|afternoon|evening|night))?$|^that\s+\w+day",
    re.I,
)
# A report's release ("on 22 July the government released its report") dates the report, not the events it counts.
_RELEASE = re.compile(
    r"\b(?:released|published|issued|announced|presented|unveiled)\b[^.]{0,40}\b(?:report|findings|statement|toll)"
    r"|\breport\b[^.]{0,30}\b(?:released|published|issued)\b|\bin (?:a|his|her) (?:second |third )?address\b",
    re.I,
)
# When a person spoke ("he said in messages on Monday") is not when the events happened.
_SPOKEN_ON = re.compile(
    r"\b(?:said|told|wrote|added|interview|statement|messages?|call)\b[^.]{0,40}?"
    r"\b(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
    re.I,
)
_BACK_REFERENCE = re.compile(
    r"\b(?:the|these|those) (?:massacres?|killings|violence|attacks|events|bloodshed|atrocities)\b"
    r"|\bthe weekend\b|\bdayslong\b|المجازر|الأحداث|أحداث الساحل|الانتهاكات",
    re.I,
)
_NARRATIVE_PARAGRAPHS = 3


# A determiner before a small number points back at people already named ("the two men", "his two brothers"):
# not a new count.
_ANAPHORIC = re.compile(r"\b(?:the|these|those|his|her|their|its|both|our|my)\s+$", re.I)
_ANAPHORIC_BELOW = 20
_ENUMERATION = 3  # a sentence naming this many places lists them; none becomes the narrative's location


@dataclass(frozen=True, slots=True)
class Reader:
    """What extraction needs from a language: its counts, the noun counted, whether a count is of people, its dates."""

    quantities: Callable[[str], list[Quantity]]
    head_noun: Callable[[str, Quantity], str | None]
    is_count: Callable[[str, Quantity], bool]
    dates: Callable[[str, DateContext], list[DateRange]]


READERS: dict[str, Reader] = {
    "en": Reader(quantities_en.find_quantities, quantities_en.head_noun, lambda s, q: True, dates_en.find_dates),
    "ar": Reader(quantities_ar.find_quantities_ar, quantities_ar.head_noun_ar, quantities_ar.is_casualty_count,
                 dates_ar.find_dates_ar),
}


def reader_for(language: str) -> Reader:
    """The reader of a language; English for languages Tawthiq does not read yet (numbers and dates in digits)."""
    return READERS.get(language, READERS["en"])


@dataclass(slots=True)
class _State:
    """What the sentences read so far establish, for the ones that follow."""

    anchor: dt.date | None = None  # last day-level date the narrative named
    anchor_paragraph: int = -10
    places: list[tuple[int, Place]] = field(default_factory=list)  # (paragraph, place)
    speaker: tuple[int, str] | None = None  # (paragraph, organisation)
    event_date: tuple[int, DateRange] | None = None  # (paragraph, date)
    main_event_paragraph: int = -1  # last paragraph that referred back to the document's main event


@dataclass(frozen=True, slots=True)
class _Read:
    """One sentence read in the first pass."""

    sentence: Sentence
    dates: list[DateRange]
    event_dates: list[DateRange]
    release: bool = False  # the sentence dates the release of a report


def extract_claims(text: str, ctx: DateContext, *, language: str = "en", document_sha256: str = "") -> list[Claim]:
    """Every claim in a cleaned text; spans are offsets into ``text``."""
    gazetteer = Gazetteer.load()
    registry = attr.SourceRegistry.load()
    reader = reader_for(language)
    reads = _read_dates(sentences(text), ctx, reader)
    main_event = _main_event(reads)
    state = _State()
    claims: list[tuple[int, Claim]] = []
    for read in reads:
        s = read.sentence
        new = _sentence_claims(read, state, main_event, gazetteer, registry, reader)
        caveat = attr.find_caveat(s.text)
        if caveat and not new:
            _propagate_caveat(claims, caveat, s.paragraph)
            new = [Claim(kind=ClaimKind.CAVEAT, sentence=s.text, span=Span(s.start, s.end), caveat=caveat)]
        claims.extend((s.paragraph, c) for c in new)
    out = [c for _, c in claims]
    for claim in out:
        claim.language = language
        claim.document_sha256 = document_sha256
    return out


def _read_dates(sents: list[Sentence], ctx: DateContext, reader: Reader) -> list[_Read]:
    """First pass: resolve every sentence's dates; a weekday with no date reads forward from the last day named."""
    reads: list[_Read] = []
    anchor: tuple[int, dt.date] | None = None
    for s in sents:
        near = anchor is not None and s.paragraph - anchor[0] <= _NARRATIVE_PARAGRAPHS * 4
        local = replace(ctx, anchor=anchor[1]) if near and anchor else ctx
        resolved = reader.dates(s.text, local)
        for d in resolved:
            if d.prec == DatePrecision.DAY and not _WEEKDAY_ONLY.match(d.text.strip()):
                anchor = (s.paragraph, d.start)
        release = bool(_RELEASE.search(s.text))
        spoken = _SPOKEN_ON.search(s.text)
        events = [] if release else [
            d for d in resolved
            if d.start <= (ctx.published or dt.date.max) and not (spoken and d.span and _inside(d.span, spoken))
        ]
        reads.append(_Read(s, resolved, events, release))
    return reads


def _inside(span: Span, match: re.Match[str]) -> bool:
    return match.start() <= span.start and span.end <= match.end()


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
    reader: Reader,
) -> list[Claim]:
    s = read.sentence
    places = [p for p in gazetteer.find_places(s.text) if p.admin1 and p.country in (None, "SY")]
    speaker = _speaker(s, state, registry)
    if _BACK_REFERENCE.search(s.text):
        state.main_event_paragraph = s.paragraph
    date = _event_date(read, state, main_event, speaker)
    _remember(read, state, places, speaker)
    actors = roles.actors_in(s.text)
    event_type = roles.event_type_of(s.text)
    claims: list[Claim] = []
    counted: set[tuple[object, object]] = set()
    for q in reader.quantities(s.text):
        if not reader.is_count(s.text, q):
            continue
        if q.best is not None and q.best < _ANAPHORIC_BELOW and _ANAPHORIC.search(s.text[: q.span.start]):
            continue
        claim = _count_claim(s, q, reader.head_noun(s.text, q), places, state, date, speaker, actors, event_type)
        if claim is not None and (claim.outcome, claim.best) not in counted:
            counted.add((claim.outcome, claim.best))
            claims.append(claim)
    if not claims and _is_event(read, places, None if date is main_event else date):
        claims.append(
            Claim(kind=ClaimKind.EVENT, sentence=s.text, span=Span(s.start, s.end), date=date,
                  place=_place_for(places, state, s.paragraph, None), actors=actors, attributed_to=speaker,
                  event_type=event_type, caveat=attr.find_caveat(s.text))
        )
    return claims


_STRONG_VIOLENCE = re.compile(
    r"\b(?:shot|killed|executed|massacred|murdered|slaughtered|stormed|raided|dragged|abducted|kidnapped)\b"
    r"|قتل|أعدم|اختطف|اقتحم", re.I
)


def _is_event(read: _Read, places: list[Place], date: DateRange | None) -> bool:
    """An act of violence worth a claim: stated with its own date or place, or told in a narrative whose day is known."""
    text = read.sentence.text
    if text.rstrip("”\"’' ").endswith(("?", "؟")) or not roles.describes_violence(text):
        return False
    if read.event_dates or places:
        return True
    return date is not None and date.prec <= DatePrecision.DAYS and bool(_STRONG_VIOLENCE.search(text))


def _count_claim(
    s: Sentence,
    q: Quantity,
    head: str | None,
    places: list[Place],
    state: _State,
    date: DateRange | None,
    speaker: str | None,
    actors: list[Actor],
    event_type: str | None,
) -> Claim | None:
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
        place=_place_for(places, state, s.paragraph, q.span.start, inherit=speaker in (None, attr.WITNESS)),
        actors=list(actors), attributed_to=speaker,
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
        finest = min(d.prec for d in read.event_dates)
        precise = [d for d in read.event_dates if d.prec == finest]
        if len(precise) == 1:
            return precise[0]
        first, last = min(precise, key=lambda d: d.start), max(precise, key=lambda d: d.end)
        return DateRange(first.start, last.end, DatePrecision.DAYS if (last.end - first.start).days <= 6 else
                         DatePrecision.MONTH, inferred=first.inferred or last.inferred,
                         note="range of the dates the sentence names")
    s = read.sentence
    if state.event_date:
        paragraph, last = state.event_date
        same = paragraph == s.paragraph
        if same or (s.paragraph - paragraph == 1 and last.prec <= DatePrecision.DAYS):
            return replace(last, span=None, inferred=True, note="date of the sentences before")
    refers_back = state.main_event_paragraph == s.paragraph
    if main_event and ((speaker and speaker != attr.WITNESS) or refers_back):
        return main_event
    return None


def _remember(read: _Read, state: _State, places: list[Place], speaker: str | None) -> None:
    p = read.sentence.paragraph
    if read.release:
        state.event_date = None  # a reporting date ("released its report on 22 July") ends the story told before
    if read.event_dates:
        new = read.event_dates[-1]
        old = state.event_date[1] if state.event_date and p - state.event_date[0] <= 1 else None
        coarser_around_old = old is not None and new.prec > old.prec and new.start <= old.start and old.end <= new.end
        if not coarser_around_old:
            state.event_date = (p, new)
    if len(places) < _ENUMERATION:
        state.places.extend((p, place) for place in places if place.admin1)
    if speaker and speaker != attr.WITNESS:
        state.speaker = (p, speaker)


def _place_for(
    places: list[Place], state: _State, paragraph: int, at: int | None, inherit: bool = True
) -> Place | None:
    """The sentence's place nearest the number, else (for a narrative, not an organisation's toll) the last place named
    in the previous paragraphs."""
    local = [p for p in places if p.admin1 and p.country in (None, "SY")]
    if local:
        if at is None or len(local) == 1:
            return _most_specific(local)
        return min(local, key=lambda p: abs((p.span.start if p.span else 0) - at))
    recent = [pl for par, pl in state.places if paragraph - par <= _NARRATIVE_PARAGRAPHS]
    if recent and inherit:
        last = recent[-1]
        return replace(last, span=None, text="")
    return None


def _most_specific(places: list[Place]) -> Place:
    return min(places, key=lambda p: int(p.where_prec))


_CAVEAT_REACH = 2  # paragraphs back that a caveat about "his account" or "the footage" reaches


def _propagate_caveat(claims: list[tuple[int, Claim]], caveat: str, paragraph: int) -> None:
    """A caveat about "his account" qualifies the unattributed or witness claims just before it."""
    for par, claim in reversed(claims):
        if paragraph - par > _CAVEAT_REACH or claim.attributed_to not in (None, attr.WITNESS):
            break
        if claim.caveat is None:
            claim.caveat = caveat
