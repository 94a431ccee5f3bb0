"""From a cleaned document to claims: one statement in one sentence, with its evidence span.

Per sentence the extractor finds the counts of people (``quantities``), what happened to them and who they were
(``roles``), when (``dates``), where (``places``), who says so (``attribution``) and how sure they are (caveats).
Each language has a :class:`Reader` (English, Arabic); everything else is shared, and Arabic patterns are matched in
the matching form of the sentence (:mod:`tawthiq.extract.arabic`) while spans point into the original text.
What a sentence leaves unsaid is taken from its context, and every such inheritance is recorded in the claim's date note
or its place's ``parent``:

* a date: the sentence's own event date; else the last event date earlier in the same paragraph; else, for a toll
  attributed to an organisation or a sentence that refers back to "the massacres" / "the violence", the document's main
  event (the month most of its day-level dates fall in) — marked inferred; a count in the headline takes the main
  event; "during the same period" (خلال الفترة نفسها) takes the period of the last toll; a document with no
  publication date whose dates all fall in one year dates what it leaves undated to that year;
* a date that only dates a report's release ("في تقرير صدر اليوم الثلاثاء 11 آذار") or the page (a dateline) is not
  an event date; a "since" range (منذ 6 آذار) ends on the last day the document reports, not on its publication;
* a weekday with no date ("on Friday") in a narrative resolves forward from the last day the narrative named
  ("Thursday 6 March" → "Friday" is 7 March), not backward from the publication date;
* a place: the sentence's own places; else the last place named in the previous three paragraphs;
* a speaker: the organisation the sentence names; "It identified …" / "وأضاف: …" takes the organisation of the
  sentences before it; an Arabic sentence opening with و continues its paragraph's speaker; a person quoted is a
  ``witness`` (never named).

Breakdowns: a total broken down into parts gives one claim per part, each ``parent``-linked to its total so that no
consumer adds them twice. Parts are (1) the counts after "توزعوا كالآتي:" / "as follows:" (their total is the count
before, or the toll of the sentence before: "وتوزعت الحصيلة كالتالي"); (2) the counts after "بينهم" / "including" /
"– 238 from …" up to "بالإضافة إلى" / "in addition"; (3) the lines of a list introduced by a line ending in ":"
("– طرطوس: 503."), whose total is a count in the introducing line or the total ("العدد الإجمالي", "in total") stated
right after the list; (4) the counts of a sentence "within this toll" (ضمن هذه الحصيلة). A part takes its outcome,
and what it does not state of date, place and speaker, from its total or list; a part's place unknown to the gazetteer
is kept under the place of its total; a list "by governorate" codes each line as the governorate.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from tawthiq.extract import attribution as attr
from tawthiq.extract import dates as dates_en
from tawthiq.extract import dates_ar, quantities_ar, roles
from tawthiq.extract import quantities as quantities_en
from tawthiq.extract.arabic import fold
from tawthiq.extract.dates import DateContext
from tawthiq.extract.places import Gazetteer
from tawthiq.extract.sentences import Sentence, sentences
from tawthiq.ingest.language import detect_language
from tawthiq.model import (
    Claim,
    ClaimKind,
    DatePrecision,
    DateRange,
    Outcome,
    Place,
    Population,
    Quantity,
    Span,
    WherePrecision,
)

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
# Arabic: a date next to a word of publishing ("تقرير صدر اليوم الثلاثاء 11 آذار", "في أغسطس 2012، أصدر … تقريراً")
# dates the report; the sentence's other dates still date the events.
_RELEASE_AR = re.compile(fold(
    r"(?<![\u0621-\u064a])(?:صدر|أصدر|أصدرت|أصدره|نشر|نشرت|نشره|تقرير|تقريرا|تقريراً|بيان|بيانا)(?![\u0621-\u064a])"))
_RELEASE_BEFORE, _RELEASE_AFTER = 30, 20  # characters around a date within which a word of publishing dates a release
# When a person spoke ("he said in messages on Monday") is not when the events happened.
_SPOKEN_ON = re.compile(
    r"\b(?:said|told|wrote|added|interview|statement|messages?|call)\b[^.]{0,40}?"
    r"\b(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
    re.I,
)
_BACK_REFERENCE = re.compile(fold(
    r"\b(?:the|these|those) (?:massacres?|killings|violence|attacks|events|bloodshed|atrocities)\b"
    r"|\bthe weekend\b|\bdayslong\b|المجازر|(?:ال|لل)(?:مجزرة|مذبحة)|الأحداث|أحداث الساحل|الانتهاكات"),
    re.I,
)
_SINCE = re.compile(fold(r"^\s*(?:منذ|since)\b"), re.I)
_NARRATIVE_PARAGRAPHS = 3

# Breakdowns (see the module docstring).
_DISTRIBUTION = re.compile(fold(
    r"توزع\w*(?:\s+\w+){0,2}?\s+(?:كالآتي|كالتالي|على النحو (?:الآتي|التالي))|(?<![\u0621-\u064a])(?:كالآتي|كالتالي)"
    r"|\b(?:as follows|broken down as follows|distributed as follows)\b"), re.I)
_INCLUSION = re.compile(fold(
    r"(?<![\u0621-\u064a])(?:من\s+)?(?:بينهم|بينهن|بينها|بين القتلى|بين الضحايا)(?![\u0621-\u064a])"
    r"|\b(?:including|among them|of whom)\b"
    r"|\s[–—]\s*(?=\d)"), re.I)
_SCOPE_END = re.compile(fold(
    r"بالإضافة إلى|بالاضافة الى|إضافة إلى|فضلا عن|فضلاً عن|(?<![\u0621-\u064a])(?:فيما|بينما|في حين)(?![\u0621-\u064a])"
    r"|\b(?:in addition|as well as|while|whereas|besides)\b|;"), re.I)
_TOTAL_CUE = re.compile(fold(
    r"الإجمالي|إجمالي|المجموع|الحصيلة الكلية|(?<![\u0621-\u064a])(?:لي|لت|ت|ي)رتفع(?![\u0621-\u064a])"
    r"|\b(?:in total|total|overall|altogether|bringing the (?:death )?toll to|raising the (?:death )?toll to)\b"), re.I)
_WITHIN_TOLL = re.compile(fold(
    r"ضمن (?:هذه )?الحصيلة|من (?:بين )?هذه الحصيلة|من بين هؤلاء|من بين القتلى"
    r"|\b(?:of those killed|among the dead|among those killed|of the dead)\b"), re.I)
_SAME_PERIOD = re.compile(fold(
    r"الفترة نفسها|نفس الفترة|الفترة ذاتها|ذات الفترة|المدة نفسها|نفس المدة|\bthe same period\b"), re.I)
_BY_GOVERNORATE = re.compile(fold(r"المحافظات|محافظة|\bgovernorates?\b|\bprovinces?\b"), re.I)
_LIST_LINE = re.compile(r"^\s*(?:[-–—•*·▪]|\d{1,2}[.)]\s)|^[^\d:]{1,40}:\s*[\d٠-٩۰-۹]")
_LIST_LINE_MAX = 160
_ARABIC_CONTINUES = re.compile(r"^\W*و")
_HEADLINE_MAX = 150
_LOCATING_GAP = 25  # characters between a place and the larger one that locates it ("… north-west of …")
# "with 970 civilians, mostly Alawites, among those killed": a part of the toll the sentence gave before.
_AMONG_AFTER = re.compile(fold(r"^[^.;]{0,80}?\bamong (?:those killed|the dead|the victims|them)\b"), re.I)

# A determiner before a small number points back at people already named ("the two men", "his two brothers"):
# not a new count.
_ANAPHORIC = re.compile(r"\b(?:the|these|those|his|her|their|its|both|our|my)\s+$", re.I)
_ANAPHORIC_BELOW = 20
_ENUMERATION = 3  # a sentence naming this many places lists them; none becomes the narrative's location


@dataclass(frozen=True, slots=True)
class Reader:
    """What extraction needs from a language: its counts, the noun counted, whether a count is of people, its dates,
    and whether a number could count people once a list's introduction says what it counts (``may_count``)."""

    quantities: Callable[[str], list[Quantity]]
    head_noun: Callable[[str, Quantity], str | None]
    is_count: Callable[[str, Quantity], bool]
    dates: Callable[[str, DateContext], list[DateRange]]
    may_count: Callable[[str, Quantity], bool] = lambda s, q: True


READERS: dict[str, Reader] = {
    "en": Reader(quantities_en.find_quantities, quantities_en.head_noun, lambda s, q: True, dates_en.find_dates),
    "ar": Reader(quantities_ar.find_quantities_ar, quantities_ar.head_noun_ar, quantities_ar.is_casualty_count,
                 dates_ar.find_dates_ar, quantities_ar.may_count_people),
}


# The letters (``str.isalpha``) of the Arabic block U+0600–U+06FF, counted in one pass by the regex engine.
_ARABIC_BLOCK_LETTERS = re.compile("[" + "".join(chr(c) for c in range(0x0600, 0x0700) if chr(c).isalpha()) + "]")


def arabic_letter_share(sentence: str) -> float | None:
    """The share of the sentence's letters that are in the Arabic block (U+0600-U+06FF); None without letters."""
    letters = sum(map(str.isalpha, sentence))  # C loops: asked for every sentence
    return len(_ARABIC_BLOCK_LETTERS.findall(sentence)) / letters if letters else None


@lru_cache(maxsize=1024)  # asked for each claim, and a sentence often gives several
def sentence_language(sentence: str, document_language: str) -> str:
    """The language of one sentence: a quote in English inside an Arabic report (or the reverse) keeps its own.

    Arabic script decides Arabic; a Latin-script sentence in an Arabic document is detected on its own words."""
    arabic = arabic_letter_share(sentence)
    if arabic is None:
        return document_language
    if arabic > 0.5:
        return "ar"
    if document_language == "ar" and arabic < 0.1:
        found = detect_language(sentence)
        return found if found != "und" else document_language
    return document_language


def reader_for(language: str) -> Reader:
    """The reader of a language; English for languages Tawthiq does not read yet (numbers and dates in digits)."""
    return READERS.get(language, READERS["en"])


@dataclass(slots=True)
class _Block:
    """A list being read: what its introducing line says of all its lines."""

    paragraph: int  # the last paragraph of the list so far
    outcome: Outcome | None
    date: DateRange | None
    speaker: str | None
    place: Place | None
    by_governorate: bool
    total: Claim | None
    parts: list[Claim] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Inherit:
    """What a count takes from its context when it does not say it: its total (a part), or a sentence it continues."""

    parent: Claim | None = None
    outcome: Outcome | None = None
    population: Population | None = None
    date: DateRange | None = None
    place: Place | None = None
    speaker: str | None = None
    governorate: bool = False
    line: bool = False  # a line of a list: its place is named anywhere on it ("– اللاذقية: 836.")


@dataclass(slots=True)
class _State:
    """What the sentences read so far establish, for the ones that follow."""

    anchor: dt.date | None = None  # last day-level date the narrative named
    anchor_paragraph: int = -10
    places: list[tuple[int, Place]] = field(default_factory=list)  # (paragraph, place)
    speaker: tuple[int, str] | None = None  # (paragraph, organisation)
    event_date: tuple[int, DateRange] | None = None  # (paragraph, date)
    main_event_paragraph: int = -1  # last paragraph that referred back to the document's main event
    last_total: tuple[int, Claim] | None = None  # the last count that is not a part, for "وتوزعت الحصيلة"
    frame: Claim | None = None  # the last toll with its own date and speaker: "this toll", "the same period"
    block: _Block | None = None  # the list being read
    closed: _Block | None = None  # a list just ended, whose total may follow
    parents: dict[int, Claim] = field(default_factory=dict)  # id(part) -> its total
    names_country: bool = False  # the sentence being read places itself in Syria as a whole ("in Syria")


@dataclass(frozen=True, slots=True)
class _Read:
    """One sentence read in the first pass."""

    sentence: Sentence
    dates: list[DateRange]
    event_dates: list[DateRange]
    release: bool = False  # the sentence dates the release of a report


@dataclass(frozen=True, slots=True)
class _Doc:
    """What the whole document establishes for its sentences."""

    main_event: DateRange | None
    year: DateRange | None  # the one year an undated document names
    arabic: bool
    gazetteer: Gazetteer
    registry: attr.SourceRegistry
    reader: Reader


def extract_claims(text: str, ctx: DateContext, *, language: str = "en", document_sha256: str = "") -> list[Claim]:
    """Every claim in a cleaned text; spans are offsets into ``text``; parts carry the index of their total."""
    reader = reader_for(language)
    arabic = language == "ar"
    sents = sentences(text)
    reads = _read_dates(sents, ctx, reader, arabic)
    year = _document_year(reads, ctx)
    if year is not None and ctx.event_year is None:
        reads = _read_dates(sents, replace(ctx, event_year=year.start.year), reader, arabic)
    reads = _end_since_ranges(reads, ctx, arabic)
    doc = _Doc(_main_event(reads, arabic), year, arabic, Gazetteer.load(), attr.SourceRegistry.load(), reader)
    state = _State()
    claims: list[tuple[int, Claim]] = []
    for read in reads:
        s = read.sentence
        new = _sentence_claims(read, state, doc)
        caveat = attr.find_caveat(s.text)
        if caveat and not new:
            _propagate_caveat(claims, caveat, s.paragraph)
            new = [Claim(kind=ClaimKind.CAVEAT, sentence=s.text, span=Span(s.start, s.end), caveat=caveat)]
        claims.extend((s.paragraph, c) for c in new)
    out = [c for _, c in claims]
    index = {id(c): i for i, c in enumerate(out)}
    for claim in out:
        claim.language = sentence_language(claim.sentence, language)
        claim.document_sha256 = document_sha256
        parent = state.parents.get(id(claim))
        claim.parent = index.get(id(parent)) if parent is not None else None
        if claim.date is None and year is not None and claim.kind != ClaimKind.CAVEAT:
            claim.date = year
    return out


# --- dates ------------------------------------------------------------------------------------------------------------


def _read_dates(sents: list[Sentence], ctx: DateContext, reader: Reader, arabic: bool) -> list[_Read]:
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
        if arabic:
            released = [d for d in resolved if _dates_a_release(s.text, d)]
        else:
            released = resolved if _RELEASE.search(s.text) else []
        spoken = _SPOKEN_ON.search(s.text)
        events = [] if _is_dateline(s.text, resolved) else [
            d for d in resolved
            if d not in released and d.start <= (ctx.published or dt.date.max)
            and not (spoken and d.span and _inside(d.span, spoken))
        ]
        reads.append(_Read(s, resolved, events, bool(released)))
    return reads


def _inside(span: Span, match: re.Match[str]) -> bool:
    return match.start() <= span.start and span.end <= match.end()


def _dates_a_release(sentence: str, date: DateRange) -> bool:
    """A word of publishing just before or after ``date``: the date of a report, not of the events it counts."""
    if date.span is None:
        return False
    before = fold(sentence[max(0, date.span.start - _RELEASE_BEFORE) : date.span.start])
    after = fold(sentence[date.span.end : date.span.end + _RELEASE_AFTER])
    return bool(_RELEASE_AR.search(before) or _RELEASE_AR.match(after.lstrip("،, ")))


def _is_dateline(sentence: str, resolved: list[DateRange]) -> bool:
    """A line that is only a date ("21 آذار 2025", "March 13, 2025") dates the page, not an event."""
    if len(resolved) != 1 or resolved[0].span is None:
        return False
    span = resolved[0].span
    rest = sentence[: span.start] + sentence[span.end :]
    return re.fullmatch(r"[\W\d_]*", rest) is not None


def _end_since_ranges(reads: list[_Read], ctx: DateContext, arabic: bool = False) -> list[_Read]:
    """A toll "since 6 March" published on the 21st counts up to the last day of violence the document reports (20
    March)."""
    if ctx.published is None:
        return reads
    told = [r for r in reads if not arabic or _tells_violence(r)]
    finest = DatePrecision.DAYS if arabic else DatePrecision.DAY  # in Arabic "بين 8 و11 أيلول" reports the 11th
    days = [d.end for r in told for d in r.event_dates if d.prec <= finest and not _SINCE.match(d.text)]
    out = []
    for r in reads:
        dates = list(r.event_dates)
        for i, d in enumerate(dates):
            last = max((day for day in days if d.start <= day < d.end), default=None)
            if _SINCE.match(d.text) and d.end == ctx.published and last is not None:
                dates[i] = replace(d, end=last, prec=_precision(d.start, last),
                                   note=f"{d.note}; ends on {last.isoformat()}, the last day the document reports")
        out.append(replace(r, event_dates=dates) if dates != r.event_dates else r)
    return out


def _precision(start: dt.date, end: dt.date) -> DatePrecision:
    if start == end:
        return DatePrecision.DAY
    return DatePrecision.DAYS if (end - start).days <= 6 else DatePrecision.MONTH


def _main_event(reads: list[_Read], arabic: bool = False) -> DateRange | None:
    """The document's main event: the month most of its day-level event dates fall in, spanning those days. In Arabic
    the ends of ranges of a few days count too ("من الأحد 13 تموز إلى الأربعاء 16 تموز"), and only dates of sentences
    that tell of violence (not "the vote of 1 June condemning the massacre")."""
    if arabic:
        told = [r for r in reads if _tells_violence(r)]
        days = [x for r in told for d in r.event_dates if d.prec <= DatePrecision.DAYS for x in {d.start, d.end}]
    else:
        days = [d.start for r in reads for d in r.event_dates if d.prec == DatePrecision.DAY]
    if not days:
        return None
    (year, month), _ = Counter((d.year, d.month) for d in days).most_common(1)[0]
    in_month = sorted(d for d in days if (d.year, d.month) == (year, month))
    start, end = in_month[0], in_month[-1]
    return DateRange(start, end, _precision(start, end), inferred=True,
                     note="the document's main event (most of its dates)")


def _tells_violence(read: _Read) -> bool:
    """The sentence tells of an act of violence, not only of "the massacre" named as a known event."""
    return roles.describes_violence(_BACK_REFERENCE.sub(" ", roles.matching(read.sentence.text)[0]))


def _document_year(reads: list[_Read], ctx: DateContext) -> DateRange | None:
    """The one year every explicit date of a document with no publication date falls in ("أغسطس 2012"), if any."""
    if ctx.published is not None:
        return None
    years = {d.start.year for r in reads for d in r.dates if not d.inferred and d.start.year == d.end.year}
    if len(years) != 1:
        return None
    year = years.pop()
    return DateRange(dt.date(year, 1, 1), dt.date(year, 12, 31), DatePrecision.YEAR, inferred=True,
                     note=f"the only year the document names ({year}); it states no publication date")


# --- one sentence -----------------------------------------------------------------------------------------------------


def _sentence_claims(read: _Read, state: _State, doc: _Doc) -> list[Claim]:
    s = read.sentence
    found = doc.gazetteer.find_places(s.text)
    places = [p for p in found if p.admin1 and p.country in (None, "SY")]
    state.names_country = any(p.country == "SY" and p.where_prec == WherePrecision.COUNTRY for p in found)
    item = _list_item(state, s)
    speaker = _speaker(s, state, doc) or (item.speaker if item else None)
    if _BACK_REFERENCE.search(roles.matching(s.text)[0]):
        state.main_event_paragraph = s.paragraph
    date = _event_date(read, state, doc.main_event, speaker)
    if item is not None and not read.event_dates:
        date = item.date
    frame = state.frame
    if frame is not None and not read.event_dates and _SAME_PERIOD.search(roles.matching(s.text)[0]):
        date = replace(frame.date, span=None, inferred=True, note="the same period as the toll before") \
            if frame.date else date
    _remember(read, state, places, speaker, listed=item is not None)
    claims = _counts(read, state, doc, found, places, date, speaker, item)
    if s.text.rstrip().endswith((":", "：")):
        _open_block(read, state, doc, places, date, speaker, claims, item)
    elif not claims and item is None:
        event = _event_claim(read, state, doc, places, date, speaker)
        if event is not None:
            claims.append(event)
    return claims


def _event_claim(
    read: _Read, state: _State, doc: _Doc, places: list[Place], date: DateRange | None, speaker: str | None
) -> Claim | None:
    s = read.sentence
    text = _BACK_REFERENCE.sub(" ", roles.matching(s.text)[0]) if doc.arabic else s.text
    if not _is_event(text, read, places, None if date is doc.main_event else date):
        return None
    return Claim(kind=ClaimKind.EVENT, sentence=s.text, span=Span(s.start, s.end), date=date,
                 place=_place_for(places, state, s.paragraph, None), actors=roles.actors_in(s.text),
                 attributed_to=speaker, event_type=roles.event_type_of(s.text), caveat=attr.find_caveat(s.text))


_STRONG_VIOLENCE = re.compile(fold(
    r"\b(?:shot|killed|executed|massacred|murdered|slaughtered|stormed|raided|dragged|abducted|kidnapped)\b"
    r"|قتل|أعدم|اختطف|اقتحم|ذبح"), re.I
)


def _is_event(text: str, read: _Read, places: list[Place], date: DateRange | None) -> bool:
    """An act of violence worth a claim: stated with its own date or place, or told in a narrative whose day is
    known."""
    if text.rstrip("”\"’' ").endswith(("?", "؟")) or not roles.describes_violence(text):
        return False
    if read.event_dates or places:
        return True
    return date is not None and date.prec <= DatePrecision.DAYS and bool(_STRONG_VIOLENCE.search(fold(text)))


# --- counts and their breakdowns --------------------------------------------------------------------------------------


def _counts(
    read: _Read, state: _State, doc: _Doc, found: list[Place], places: list[Place], date: DateRange | None,
    speaker: str | None, item: _Block | None,
) -> list[Claim]:
    s, reader = read.sentence, doc.reader
    m, offsets = roles.matching(s.text)
    marks = {name: _at(pattern, m, offsets) for name, pattern in
             (("dist", _DISTRIBUTION), ("incl", _INCLUSION), ("end", _SCOPE_END), ("within", _WITHIN_TOLL),
              ("same", _SAME_PERIOD))}
    if date is None and doc.main_event is not None and _is_headline(s):
        date = replace(doc.main_event, note="a headline: the document's main event")
    quantities = [q for q in reader.quantities(s.text)
                  if (reader.may_count(s.text, q) if item or marks["dist"] else reader.is_count(s.text, q))]
    claims: list[Claim] = []
    counted: set[tuple[object, ...]] = set()
    for i, q in enumerate(quantities):
        if q.best is not None and q.best < _ANAPHORIC_BELOW and _ANAPHORIC.search(s.text[: q.span.start]):
            continue
        inherit = _inheritance(q, claims, state, doc, s, marks, item, read)
        upto = quantities[i + 1].span.start if i + 1 < len(quantities) else len(s.text)
        claim = _count_claim(read, q, reader.head_noun(s.text, q), found, places, state, date, speaker, inherit, upto,
                             doc)
        if claim is None:
            continue
        key = (claim.outcome, claim.best) if inherit.parent is None and item is None else \
            (claim.outcome, claim.best, claim.population, claim.place.name if claim.place else None, id(inherit.parent))
        if key in counted:
            continue
        counted.add(key)
        claims.append(claim)
        if inherit.parent is not None:
            state.parents[id(claim)] = inherit.parent
        if item is not None:
            item.parts.append(claim)
    _after_counts(read, state, claims, item)
    return claims


def _is_headline(s: Sentence) -> bool:
    """The first line of a document when it reads as a headline: short, with no full stop at its end."""
    return s.paragraph == 0 and len(s.text) <= _HEADLINE_MAX and not s.text.rstrip().endswith(tuple(".!?؟”\"’'"))


def _at(pattern: re.Pattern[str], m: str, offsets: tuple[int, ...]) -> tuple[int, int] | None:
    hit = pattern.search(m)
    return (offsets[hit.start()], offsets[hit.end()]) if hit else None


def _inheritance(
    q: Quantity, before: list[Claim], state: _State, doc: _Doc, s: Sentence,
    marks: dict[str, tuple[int, int] | None], item: _Block | None, read: _Read,
) -> _Inherit:
    """What the count ``q`` takes from its context: the list it is a line of, the total it is a part of, the toll of
    the sentence before that it continues."""
    at = q.span.start
    if item is not None:
        return _Inherit(parent=item.total, outcome=item.outcome, date=item.date, place=item.place, speaker=item.speaker,
                        governorate=item.by_governorate, line=True)
    earlier = [c for c in before if id(c) not in state.parents and c.quantity and c.quantity.span.end <= s.start + at]
    recent = state.last_total[1] if state.last_total and s.paragraph - state.last_total[0] <= 1 else None
    dist, incl, end = marks["dist"], marks["incl"], marks["end"]
    parent: Claim | None = None
    if dist is not None and at >= dist[1]:
        parent = earlier[-1] if earlier else recent
    elif incl is not None and at >= incl[1] and (end is None or end[0] < incl[1] or at < end[0]):
        parent = earlier[-1] if earlier else (recent if doc.arabic else None)
    elif earlier and _AMONG_AFTER.search(s.text[q.span.end :]):
        parent = earlier[-1]
    elif marks["within"] is not None and state.frame is not None:
        parent = state.frame
    if parent is not None:
        return _Inherit(parent=parent, outcome=parent.outcome, population=parent.population, date=parent.date,
                        place=parent.place, speaker=parent.attributed_to)
    same_paragraph = state.last_total is not None and state.last_total[0] == s.paragraph
    continues = bool(_ARABIC_CONTINUES.match(s.text))
    if doc.arabic and recent is not None and same_paragraph and not read.event_dates and continues:
        return _Inherit(outcome=recent.outcome, date=recent.date, speaker=recent.attributed_to)
    if marks["same"] is not None and state.frame is not None and not read.event_dates:
        return _Inherit(place=state.frame.place)  # "خلال الفترة نفسها": the period, and the place, of that toll
    return _Inherit()


def _count_claim(
    read: _Read, q: Quantity, head: str | None, found: list[Place], places: list[Place], state: _State,
    date: DateRange | None, speaker: str | None, inherit: _Inherit, upto: int, doc: _Doc,
) -> Claim | None:
    s = read.sentence
    population = roles.population_of(s.text, q.span.start, q.span.end, head)
    if head is None and inherit.parent is not None and inherit.population is not None:
        population = inherit.population  # a bare figure in a breakdown counts what its total counts
    outcome = inherit.outcome if inherit.parent is not None else None
    outcome = outcome or roles.outcome_of(s.text, q.span.start, q.span.end) or inherit.outcome
    if population == Population.SUSPECTS:
        kind, outcome = ClaimKind.ACTOR_COUNT, None
    elif outcome is None:
        return None
    else:
        kind = ClaimKind.CASUALTY_COUNT
    speaker = speaker or inherit.speaker
    if not read.event_dates and inherit.date is not None:
        date = inherit.date
    if inherit.parent is not None or inherit.line:
        place = _part_place(found, q.span.end, upto, inherit, doc.gazetteer)
    else:
        place = _place_for(places, state, s.paragraph, q.span.start, inherit=speaker in (None, attr.WITNESS),
                           sentence=s.text)
        if place is None and inherit.place is not None and doc.arabic:
            place = replace(inherit.place, span=None, text="")
    absolute = Quantity(q.low, q.best, q.high, q.qualifier, q.qualifier_text, q.text,
                        Span(s.start + q.span.start, s.start + q.span.end))
    return Claim(
        kind=kind, sentence=s.text, span=Span(s.start, s.end), outcome=outcome, population=population,
        community=roles.community_of(s.text, q.span.start, q.span.end), quantity=absolute, date=date, place=place,
        actors=roles.actors_in(s.text), attributed_to=speaker, caveat=attr.find_caveat(s.text),
        event_type=roles.event_type_of(s.text),
    )


def _part_place(found: list[Place], start: int, upto: int, inherit: _Inherit, gazetteer: Gazetteer) -> Place | None:
    """The place of a part: the first place named after its figure and before the next one ("2 في بانياس، 7 …"), kept
    under its total's place when the gazetteer does not know it, or coded as its governorate in a list by governorate;
    else its total's place."""
    own = next((p for p in found if p.span and start <= p.span.start < upto and p.country in (None, "SY")), None)
    if own is None and inherit.line:
        own = next((p for p in found if p.country in (None, "SY")), None)
    if own is None:
        return replace(inherit.place, span=None, text="") if inherit.place else None
    if own.admin1 is None and inherit.place is not None and inherit.place.admin1:
        own = gazetteer.with_parent(own, inherit.place, explicit=False)
    if inherit.governorate and own.admin1:
        return gazetteer.as_governorate(own) or own
    return own


def _after_counts(read: _Read, state: _State, claims: list[Claim], item: _Block | None) -> None:
    """Remember the sentence's toll for the parts that may follow, and link a list just ended to the total stated
    after it ("وأضاف: ليرتفع العدد الإجمالي … إلى 2146")."""
    s = read.sentence
    tolls = [c for c in claims if id(c) not in state.parents and item is None]
    if tolls:
        state.last_total = (s.paragraph, tolls[-1])
        if tolls[-1].attributed_to and read.event_dates:
            state.frame = tolls[-1]
    closed = state.closed
    if closed is None or item is not None:
        return
    if s.paragraph - closed.paragraph > 2:
        state.closed = None
        return
    if not tolls or not _TOTAL_CUE.search(roles.matching(s.text)[0]):
        return
    total = tolls[0]
    for part in closed.parts:
        state.parents.setdefault(id(part), total)
    if closed.date is not None and (total.date is None or closed.date.start <= total.date.start <= closed.date.end):
        total.date = replace(closed.date, span=None, inferred=True, note="the period of the list this total sums up")
    total.attributed_to = total.attributed_to or closed.speaker
    state.closed = None


def _list_item(state: _State, s: Sentence) -> _Block | None:
    """The list ``s`` is a line of ("– طرطوس: 503."), or None; a sentence that is no line of it ends the list."""
    block = state.block
    if block is None:
        return None
    line = s.paragraph - block.paragraph <= 1 and len(s.text) <= _LIST_LINE_MAX and _LIST_LINE.match(s.text)
    if line:
        block.paragraph = s.paragraph
        return block
    state.block, state.closed = None, block
    return None


def _open_block(
    read: _Read, state: _State, doc: _Doc, places: list[Place], date: DateRange | None, speaker: str | None,
    claims: list[Claim], outer: _Block | None,
) -> None:
    """A line ending in ':' introduces a list: its lines take its outcome, date, speaker and place."""
    s = read.sentence
    m = roles.matching(s.text)[0]
    total = next((c for c in reversed(claims) if c.kind == ClaimKind.CASUALTY_COUNT and id(c) not in state.parents),
                 None)
    outcome = total.outcome if total else roles.outcome_of(s.text, len(s.text), len(s.text))
    place = _most_specific(places) if places else (outer.place if outer else None)
    state.block = _Block(
        paragraph=s.paragraph,
        outcome=outcome or (outer.outcome if outer else None),
        date=date or (outer.date if outer else None),
        speaker=speaker or (outer.speaker if outer else None),
        place=place,
        by_governorate=bool(_BY_GOVERNORATE.search(m)),
        total=total or (outer.total if outer else None),
        parts=outer.parts if outer and total is None else [],
    )
    if speaker:
        state.speaker = (s.paragraph, speaker)


def _speaker(s: Sentence, state: _State, doc: _Doc) -> str | None:
    named = attr.find_attribution(s.text, doc.registry)
    if named:
        return named
    if state.speaker and s.paragraph - state.speaker[0] <= 1 and attr.starts_with_pronoun_speaker(s.text):
        return state.speaker[1]
    if doc.arabic and state.speaker and s.paragraph == state.speaker[0] and _ARABIC_CONTINUES.match(s.text):
        return state.speaker[1]  # "وتوزعت الحصيلة …", "ويضاف إلى ذلك …": the paragraph's speaker goes on
    if state.speaker and s.paragraph - state.speaker[0] <= _NARRATIVE_PARAGRAPHS \
            and attr.names_in_short(s.text, state.speaker[1], doc.registry):
        return state.speaker[1]  # "وأشار الشبكة …", "the Network said": the organisation named before
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


def _remember(read: _Read, state: _State, places: list[Place], speaker: str | None, listed: bool = False) -> None:
    p = read.sentence.paragraph
    if read.release:
        state.event_date = None  # a reporting date ("released its report on 22 July") ends the story told before
    if read.event_dates and not listed:
        new = read.event_dates[-1]
        old = state.event_date[1] if state.event_date and p - state.event_date[0] <= 1 else None
        coarser_around_old = old is not None and new.prec > old.prec and new.start <= old.start and old.end <= new.end
        if not coarser_around_old:
            state.event_date = (p, new)
    if len(places) < _ENUMERATION and not listed:
        state.places.extend((p, place) for place in places if place.admin1)
    if speaker and speaker != attr.WITNESS:
        state.speaker = (p, speaker)


def _place_for(
    places: list[Place], state: _State, paragraph: int, at: int | None, inherit: bool = True, sentence: str = ""
) -> Place | None:
    """The sentence's place nearest the number, else (for a narrative, not an organisation's toll) the last place named
    in the previous paragraphs."""
    local = [p for p in places if p.admin1 and p.country in (None, "SY")]
    if local:
        if at is None or len(local) == 1:
            return _most_specific(local)
        near = min(local, key=lambda p: abs((p.span.start if p.span else 0) - at))
        return _located_by(near, local, sentence) if sentence else near
    recent = [pl for par, pl in state.places if paragraph - par <= _NARRATIVE_PARAGRAPHS]
    # A sentence that says "in Syria" keeps its country; a count in a paragraph an organisation speaks in is that
    # organisation's (national) figure: neither takes the town a narrative named paragraphs before.
    org_paragraph = state.speaker is not None and state.speaker[0] == paragraph
    if recent and inherit and not state.names_country and not org_paragraph:
        last = recent[-1]
        return replace(last, span=None, text="")
    return None


def _located_by(near: Place, places: list[Place], sentence: str) -> Place:
    """A place named just before ``near`` in one phrase, inside its governorate ("الحولة شمال غربي حمص", "Houla,
    north-west of Homs"): the phrase names the smaller place; ``near`` (a governorate or its capital) only locates
    it."""
    if near.name != near.admin1:
        return near
    for p in places:
        if p.span is None or near.span is None or p.admin1 != near.admin1 or p.name == p.admin1 \
                or p.span.end > near.span.start:
            continue
        between = sentence[p.span.end : near.span.start]
        if 0 <= len(between) <= _LOCATING_GAP and not re.search(r"[\d٠-٩.;،؛]", between):
            return p
    return near


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
