"""Counts of people in English sentences: where they are, what they say, and which numbers are not counts at all.

A sentence is scanned once for number *atoms* (``1,300``, ``1.2 million``, ``two hundred and fifty``, ``half a dozen``,
``scores of``, ``tens of thousands``); neighbouring atoms joined by "or", "to", "-" or "between … and" become a range;
the words just before an atom give its qualifier ("more than", "at least", "about" …) and the words just after it
say what it counts. The arithmetic of qualifiers and vague words is in :mod:`tawthiq.extract.qualifiers`, shared with
the Arabic parser; docs/quantities.md is the table for documenters.

Every number found becomes a :class:`NumberMention` with a :class:`NumberKind`: a count, or the reason it is not one
(a year, a date, an age, a duration, a time, a percentage, an ordinal, money, a measure, a label, a pronoun, a count
of things). :func:`find_quantities` keeps the counts; :func:`head_noun` names what a count counts.

>>> [q.text for q in find_quantities("More than 1,300 people were killed in 2025, a 35-year-old among them.")]
['More than 1,300']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from tawthiq.errors import ExtractionError
from tawthiq.extract.qualifiers import RANGE_KEY, apply_qualifier, apply_range, apply_vague
from tawthiq.model import Quantity, Span


class NumberKind(StrEnum):
    """What a number in a sentence is; only ``COUNT`` is a candidate count of people."""

    COUNT = "count"
    YEAR = "year"
    DECADE = "decade"
    DATE = "date"
    AGE = "age"
    DURATION = "duration"
    TIME = "time"
    PERCENT = "percent"
    ORDINAL = "ordinal"
    MONEY = "money"
    MEASURE = "measure"
    MULTIPLIER = "multiplier"
    LABEL = "label"
    MODIFIER = "modifier"
    PRONOUN = "pronoun"
    THING = "thing"


@dataclass(frozen=True, slots=True)
class NumberMention:
    """A number phrase read from a sentence, what kind of number it is and why."""

    quantity: Quantity
    kind: NumberKind
    reason: str


# --- the words -------------------------------------------------------------------------------------------------------



def _wordlist(text: str) -> list[str]:
    """The words of a lexicon written as a block of text."""
    return text.split()


UNITS: dict[str, int] = {
    w: i
    for i, w in enumerate(
        _wordlist("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                  "sixteen seventeen eighteen nineteen")
    )
}
TENS: dict[str, int] = {
    w: 10 * i for i, w in enumerate(_wordlist("twenty thirty forty fifty sixty seventy eighty ninety"), 2)
}
SCALES: dict[str, int] = {"hundred": 100, "dozen": 12, "thousand": 1000, "million": 10**6, "billion": 10**9}

# English qualifier wording -> key of qualifiers.QUALIFIER_KEYS (prefixes, matched just before the number).
PREFIX_QUALIFIERS: dict[str, str] = {
    "more than": "more_than", "over": "more_than", "well over": "more_than", "upwards of": "more_than",
    "in excess of": "more_than", "above": "more_than", "just over": "more_than",
    "at least": "at_least", "no fewer than": "at_least", "no less than": "at_least", "not less than": "at_least",
    "not fewer than": "at_least", "a minimum of": "at_least",
    "about": "about", "around": "about", "approximately": "about", "roughly": "about", "some": "about",
    "an estimated": "about", "estimated": "about", "circa": "about", "an approximate": "about",
    "nearly": "nearly", "almost": "nearly", "close to": "nearly", "just under": "nearly", "just short of": "nearly",
    "up to": "up_to", "as many as": "up_to", "at most": "up_to", "no more than": "up_to", "not more than": "up_to",
    "a maximum of": "up_to",
    "less than": "less_than", "fewer than": "less_than", "under": "less_than", "below": "less_than",
}
SUFFIX_QUALIFIERS: dict[str, str] = {"or more": "at_least", "or so": "about", "plus": "at_least", "+": "at_least",
                                     "odd": "about"}

# Vague words -> key of qualifiers.VAGUE (matched as a whole, "of" included when written).
VAGUE_WORDS: dict[str, str] = {
    "tens of thousands": "tens_of_thousands", "hundreds of thousands": "hundreds_of_thousands",
    "many thousands": "thousands", "several hundred": "several_hundred", "a few hundred": "several_hundred",
    "several thousand": "several_thousand", "a few thousand": "several_thousand",
    "tens": "tens", "dozens": "dozens", "scores": "scores", "hundreds": "hundreds", "thousands": "thousands",
    "millions": "millions", "a few": "a_few", "several": "a_few", "a handful": "a_few",
}
# Round idioms -> (value, qualifier key).
IDIOMS: dict[str, tuple[int, str]] = {
    "half a dozen": (6, "approx_exact"), "a half dozen": (6, "approx_exact"), "a half-dozen": (6, "approx_exact"),
    "a dozen": (12, "approx_exact"), "one dozen": (12, "approx_exact"), "a couple": (2, "approx_exact"),
    "a score": (20, "approx_exact"), "half a million": (500_000, "about"), "a quarter of a million": (250_000, "about"),
}

PEOPLE_NOUNS = frozenset(
    _wordlist("""
    people persons person individuals individual civilians civilian victims victim men man women woman children
    child kids boys boy girls girl babies baby infants minors teenagers teens adults elderly residents villagers
    inhabitants locals soldiers soldier troops fighters fighter militants militiamen militiaman gunmen gunman
    insurgents rebels combatants police policemen policeman officers officer personnel guards guard members member
    suspects suspect detainees detainee prisoners prisoner captives hostages journalists journalist reporters
    photographers doctors doctor nurses medics paramedics workers staff volunteers students teachers teacher farmers
    worshippers protesters demonstrators refugees migrants bodies body corpses dead wounded injured casualties
    fatalities deaths martyrs relatives sons son daughters daughter brothers brother sisters sister fathers father
    mothers mother husbands husband wives wife cousins nephews nieces neighbours neighbors neighbour neighbor
    alawites sunnis druze kurds christians shias shiites ismailis bedouins commanders commander officials official
    employees clerics sheikhs imams patients pupils youths passengers drivers shepherds survivors peasants
    jihadis recruits conscripts defectors loyalists mercenaries""")
)
PEOPLE_PHRASES = frozenset(
    {"security forces", "security personnel", "security men", "security members", "security officers",
     "government forces", "government soldiers", "government troops", "police officers", "aid workers",
     "health workers", "medical workers", "media workers", "armed men", "family members", "young men",
     "young women", "civil defence workers", "rescue workers", "human beings"}
)
THING_NOUNS = frozenset(
    _wordlist("""
    videos video photos photo photographs images pictures clips footage posts tweets messages calls reports report
    documents files pages books articles letters houses house homes home buildings building apartments apartment
    flats flat shops shop stores mosques mosque churches schools school hospitals hospital villages village towns
    town cities city neighbourhoods neighborhoods districts areas regions provinces governorates countries streets
    street roads checkpoints checkpoint positions bases sites locations graves vehicles vehicle cars car trucks
    pickups tanks weapons rifles guns rockets missiles shells bombs mines drones rounds bullets shots attacks raids
    strikes airstrikes incidents massacres violations languages communities sects factions rooms floors questions
    meetings sessions steps points kilometres cigarettes cups stories lines words""")
)
# Words that end the search for a head noun (verbs, auxiliaries, prepositions, conjunctions).
_HEAD_STOP = frozenset(
    _wordlist("""
    was were is are be been being had has have did do does will would could should may might must can who which
    that whom whose and or but with without in on at by for to into onto over under after before during as than
    while when where because since until if so not also killed died lost""")
)
_HEAD_SKIP = frozenset(_wordlist("of the his her their its our my your these those from among a an"))

# --- the patterns ----------------------------------------------------------------------------------------------------


def _alternation(words: object) -> str:
    """A regex alternation of ``words``, longest first, spaces matching any run of whitespace."""
    ordered = sorted(words, key=len, reverse=True)  # type: ignore[call-overload]
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


_NUMBER_WORD = _alternation(list(UNITS) + list(TENS) + list(SCALES))
_WORDS = (
    rf"(?:\ba\s+(?=(?:hundred|thousand|million|billion|dozen)\b))?\b(?:{_NUMBER_WORD})\b"
    rf"(?:(?:[ \t]*-[ \t]*|\s+|(?:(?<=hundred)|(?<=thousand)|(?<=million)|(?<=billion))\s+and\s+)"
    rf"\b(?:{_NUMBER_WORD})\b)*"
)
_DIGITS = (
    r"(?<![\w.,/:])(?<![A-Za-z]-)"
    r"(?:\d{1,3}(?:,\d{3})+(?![\d,]\d)|\d+)(?:[.:]\d+)?"
    r"(?P<scale>\s+(?:hundred|thousand|million|billion|dozen)\b)?"
    r"(?P<suffix>(?:st|[nr]d|th|s)\b)?"
)
_FIRST_LETTERS = "".join(sorted({w[0] for w in [*IDIOMS, *VAGUE_WORDS, *UNITS, *TENS, *SCALES, "a"]}))
_ATOM = re.compile(
    rf"(?=[\d{_FIRST_LETTERS}])(?:(?P<idiom>\b(?:{_alternation(IDIOMS)})\b(?:\s+of\b)?)"
    rf"|(?P<vague>\b(?:{_alternation(VAGUE_WORDS)})\b(?:\s+of\b)?)"
    rf"|(?P<digits>{_DIGITS})"
    rf"|(?P<words>{_WORDS}))",
    re.IGNORECASE,
)
_RANGE_JOIN = re.compile(r"\s*(?:-|\u2013|\u2014|to|or)\s*|\s+and\s+", re.IGNORECASE)
_BETWEEN = re.compile(r"\bbetween\s+$", re.IGNORECASE)
_PREFIX = re.compile(rf"\b(?P<q>{_alternation(PREFIX_QUALIFIERS)})\s+$", re.IGNORECASE)
_SUFFIX = re.compile(r"^(?:\s+or\s+(?:more|so)\b|\s*\+|-?(?:plus|odd)\b)", re.IGNORECASE)

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_TIME_UNIT = (
    r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|months?|years?|decades?|centur(?:y|ies)|weekends?|generations?)"
)
_DURATION_ADJ = (
    r"(?:more|long|full|whole|consecutive|further|additional|straight|successive|short|few|other|previous|past|last"
    r"|next)"
)

_AFTER = {
    NumberKind.PERCENT: re.compile(r"^\s*(?:%|per\s*cent\b|percent\b|percentage\s+points?\b)", re.I),
    NumberKind.MONEY: re.compile(
        r"^\s*(?:(?:US|Syrian|Turkish|Lebanese|Jordanian)\s+)?(?:dollars?|pounds?|euros?|liras?|francs?|USD|SYP)\b",
        re.I),
    NumberKind.AGE: re.compile(r"^(?:\s*-?\s*|\s+)years?[\s-]+old\b|^-year-olds?\b|^\s*-?\s*months?[\s-]+old\b", re.I),
    NumberKind.DATE: re.compile(
        rf"^\s*(?:st|[nr]d|th)?\s*(?:(?:and|to|or|-|\u2013)\s*\d{{1,2}}(?:st|[nr]d|th)?\s*)?(?:of\s+)?{_MONTH}\b",
        re.I,
    ),
    NumberKind.TIME: re.compile(
        r"^\s*(?:[ap]\.?m\b\.?|o['\u2019]?clock|in\s+the\s+(?:morning|afternoon|evening)|at\s+night"
        rf"|(?:on\s+)?{_WEEKDAY}\s+(?:morning|afternoon|evening|night)|hrs\b|GMT|UTC|local\s+time)",
        re.I),
    NumberKind.DURATION: re.compile(rf"^(?:\s+|\s*-\s*)(?:{_DURATION_ADJ}\s+)?{_TIME_UNIT}\b", re.I),
    NumberKind.MEASURE: re.compile(
        r"^\s*-?\s*(?:km|kilomet(?:re|er)s?|miles?|met(?:re|er)s?|m\b|feet|foot|ft\b|yards?|sq\b|square|kg\b|kilos?"
        r"|kilograms?|tons?|tonnes?|lit(?:re|er)s?|cm\b|mm\b|inch(?:es)?|acres?|hectares?|degrees?|storeys?|stories"
        r"|(?:streets?|blocks?|doors?|houses?|buildings?)\s+(?:away|down|further))",
        re.I),
    NumberKind.MULTIPLIER: re.compile(r"^\s*(?:times|fold)\b|^-fold\b", re.I),
    NumberKind.MODIFIER: re.compile(r"^-(?!strong\b)[A-Za-z]"),
}
_BEFORE = {
    NumberKind.MONEY: re.compile(r"(?:[$£€]|US\$|\bUSD|\bSYP)\s*$", re.I),
    NumberKind.AGE: re.compile(r"\b(?:aged|ages?(?:\s+of)?|age\s+of)\s+$", re.I),
    NumberKind.DATE: re.compile(
        rf"(?:\b{_MONTH}\.?(?:\s+\d{{1,2}}(?:st|[nr]d|th)?\s*(?:and|to|or|-|\u2013))?|\b{_WEEKDAY},?(?:\s+the)?)\s*$",
        re.I),
    NumberKind.LABEL: re.compile(
        r"(?:\b(?:No\.?|number|article|resolution|chapter|section|page|route|highway|room|flight|phase|level|grade"
        r"|class|division|brigade|battalion|regiment|squad|decree|law|item|paragraph|km)\s+|#|[A-Za-z]-?)$",
        re.I),
    NumberKind.DURATION: re.compile(rf"\b{_TIME_UNIT}\s+or\s+$", re.I),
}
_YEAR_CUE = re.compile(
    r"\b(?:in|since|from|until|till|by|of|during|year|summer|winter|spring|autumn|fall|early|mid|late|circa|c\.)"
    r"[\s-]+$",
    re.I,
)
_POSSESSIVE = re.compile(r"\b(?:their|his|her|my|your|our|its)\s+(?:(?:early|mid|late)[\s-]+)?$", re.I)
_AT = re.compile(r"\bat\s+$", re.I)
_NUMERIC_CODE = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d+(?:[/.]\d+){2,}\b|\b\d+/\d+\b")
_CLOCK = re.compile(r"^\d{1,2}[.:][0-5]\d$")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'\u2019]*(?:-[A-Za-z]+)*|\d[\d,.]*|[^\sA-Za-z\d]")


# --- reading one atom ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Atom:
    start: int
    end: int
    value: int | None  # None for a vague word
    vague: str | None  # a key of qualifiers.VAGUE
    idiom: str | None  # a qualifier key implied by the idiom ("approx_exact")
    raw: str  # "digits", "words", "vague", "idiom"
    suffix: str  # "st", "s" ... after digits
    decimal: bool


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("-", " - ").split()).replace(" - ", "-")


def _words_value(text: str) -> tuple[int, int] | None:
    """Value of a run of number words and how many characters of it form a valid number ("two one" -> 2, 3 chars)."""
    total = current = 0
    last = ""  # "unit", "teen", "tens", "scale"
    consumed = 0
    seen = False
    for m in re.finditer(r"[a-z]+", text.lower()):
        word = m.group()
        if word == "and":
            continue
        if word == "a":
            current, last, consumed = 1, "unit", m.end()
            continue
        if word in SCALES:
            if word == "hundred" and current % 100 == 0 and current:
                break
            scale = SCALES[word]
            if scale >= 1000:
                total += (current or 1) * scale
                current = 0
            else:
                current = (current or 1) * scale
            last = "scale"
        else:
            kind = "tens" if word in TENS else ("unit" if UNITS[word] < 10 else "teen")
            if seen and (last in ("unit", "teen") or (last == "tens" and kind != "unit")):
                break
            current += TENS.get(word, UNITS.get(word, 0))
            last = kind
        seen = True
        consumed = m.end()
    return (total + current, consumed) if seen else None


def _atom_from_match(m: re.Match[str]) -> _Atom | None:
    text = m.group()
    if m.group("idiom"):
        key = _norm(re.sub(r"\s+of$", "", text, flags=re.I))
        value, qual = IDIOMS[key]
        if key == "a score" and not re.search(r"\s+of$", text, re.I):
            return None  # "a score" of a match
        return _Atom(m.start(), m.end(), value, None, qual, "idiom", "", False)
    if m.group("vague"):
        key = _norm(re.sub(r"\s+of$", "", text, flags=re.I))
        if key in ("scores", "tens", "a handful") and not re.search(r"\s+of$", text, re.I):
            return None  # "settle scores", "tens" alone are not counts
        return _Atom(m.start(), m.end(), None, VAGUE_WORDS[key], None, "vague", "", False)
    if m.group("digits"):
        return _digits_atom(m)
    parsed = _words_value(text)
    if parsed is None:
        return None
    value, length = parsed
    end = m.start() + len(text[:length].rstrip(" -"))
    return _Atom(m.start(), end, value, None, None, "words", "", False)


def _digits_atom(m: re.Match[str]) -> _Atom:
    scale_word = (m.group("scale") or "").strip().lower()
    suffix = (m.group("suffix") or "").lower()
    number = m.group("digits")[: len(m.group("digits")) - len(m.group("suffix") or "")]
    if scale_word:
        number = number[: -len(m.group("scale"))]
    decimal = "." in number or ":" in number
    amount = Decimal(number.replace(",", "").replace(":", "."))
    if scale_word:
        amount *= SCALES[scale_word]
        decimal = False
    return _Atom(m.start(), m.end(), int(amount), None, None, "digits", suffix, decimal)


def _atoms(sentence: str) -> list[_Atom]:
    """The number atoms of a sentence, leaving out the digits of numeric dates, fractions and codes ("24/7")."""
    found = (_atom_from_match(m) for m in _ATOM.finditer(sentence))
    atoms = [a for a in found if a is not None]
    if any(ch in sentence for ch in "/-."):
        codes = [m.span() for m in _NUMERIC_CODE.finditer(sentence)]
        atoms = [a for a in atoms if not any(start <= a.start < end for start, end in codes)]
    return atoms


# --- phrases: qualifier + atom(s) + suffix ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Phrase:
    start: int
    end: int
    atoms: tuple[_Atom, ...]
    qualifier: str
    qualifier_text: str


def _phrases(sentence: str, atoms: list[_Atom]) -> list[_Phrase]:
    phrases: list[_Phrase] = []
    i = 0
    while i < len(atoms):
        group = [atoms[i]]
        if i + 1 < len(atoms) and _joins(sentence, atoms[i], atoms[i + 1]):
            group.append(atoms[i + 1])
            i += 1
        i += 1
        phrases.append(_qualify(sentence, tuple(group)))
    return phrases


def _joins(sentence: str, a: _Atom, b: _Atom) -> bool:
    """Whether two atoms form a range ("six or seven", "100-150", "between 20 and 30")."""
    if a.value is None or b.value is None or a.raw == "idiom" or b.raw == "idiom" or a.suffix or b.suffix:
        return False
    gap = sentence[a.end : b.start]
    join = _RANGE_JOIN.fullmatch(gap)
    if not join:
        return False
    if "and" in join.group().lower():
        return bool(_BETWEEN.search(sentence[max(0, a.start - 10) : a.start]))
    return True


def _qualify(sentence: str, atoms: tuple[_Atom, ...]) -> _Phrase:
    start, end = atoms[0].start, atoms[-1].end
    first = atoms[0]
    if len(atoms) == 2:
        between = _BETWEEN.search(sentence[max(0, start - 10) : start])
        if between:
            start -= len(between.group())
        connector = _norm(sentence[first.end : atoms[1].start]) or "-"
        text = "between … and" if between else connector
        return _Phrase(start, end, atoms, RANGE_KEY, text)
    prefix = _PREFIX.search(sentence[max(0, start - 20) : start])
    if prefix:
        start -= len(prefix.group())
        words, key = prefix.group("q"), PREFIX_QUALIFIERS[_norm(prefix.group("q"))]
        if first.vague and key not in ("more_than", "at_least"):  # "about hundreds" reads as the bare word
            return _Phrase(start, end, atoms, first.vague, _norm_space(sentence[start:end]))
        return _Phrase(start, end, atoms, key, _norm_space(words))
    suffix = _SUFFIX.match(sentence[end:])
    if suffix and first.raw in ("digits", "words"):
        words = suffix.group().strip().lstrip("-")
        return _Phrase(start, end + suffix.end(), atoms, SUFFIX_QUALIFIERS[_norm(words)], _norm_space(words))
    if first.vague:
        return _Phrase(start, end, atoms, first.vague, _norm_space(sentence[start:end]))
    if first.idiom:
        return _Phrase(start, end, atoms, first.idiom, _norm_space(sentence[start:end]))
    return _Phrase(start, end, atoms, "exact", "")


def _norm_space(text: str) -> str:
    return " ".join(text.split())


def _quantity(sentence: str, phrase: _Phrase) -> Quantity:
    atoms = phrase.atoms
    if phrase.qualifier == RANGE_KEY:
        low, best, high = apply_range(atoms[0].value or 0, atoms[1].value or 0)
    elif atoms[0].vague:
        low, best, high = apply_vague(atoms[0].vague, phrase.qualifier)
    else:
        low, best, high = apply_qualifier(phrase.qualifier, atoms[0].value or 0)
    span = Span(phrase.start, phrase.end)
    return Quantity(low, best, high, phrase.qualifier, phrase.qualifier_text, sentence[span.start : span.end], span)


# --- what kind of number ---------------------------------------------------------------------------------------------


def _classify(sentence: str, phrase: _Phrase, head: str | None) -> tuple[NumberKind, str]:
    """The kind of number a phrase is, and the words that show it."""
    atoms = phrase.atoms
    before = sentence[max(0, phrase.start - 40) : phrase.start]
    after = sentence[phrase.end : phrase.end + 60]
    by_form = _kind_by_form(sentence, atoms, before)
    if by_form:
        return by_form
    for kind, pattern in _AFTER.items():
        if kind is NumberKind.DATE and atoms[-1].raw != "digits":
            continue
        m = pattern.search(after)
        if m:
            return kind, f"followed by {_norm_space(m.group()).lstrip('-') or m.group()!r}"
    for kind, pattern in _BEFORE.items():
        if kind in (NumberKind.DATE, NumberKind.LABEL) and atoms[0].raw != "digits":
            continue
        m = pattern.search(before)
        if m:
            return kind, f"preceded by {_norm_space(m.group()) or m.group()!r}"
    if _AT.search(before) and phrase.qualifier != "at_least":
        kind = NumberKind.AGE if re.match(r"^\s*(?:,|$)", after) else NumberKind.TIME
        return kind, "preceded by 'at' (an age or a time)"
    return _kind_by_meaning(sentence, phrase, head, before)


def _kind_by_form(sentence: str, atoms: tuple[_Atom, ...], before: str) -> tuple[NumberKind, str] | None:
    """Kinds that the written form of the number shows: ordinals, decades, clock times, decimals."""
    for atom in atoms:
        text = sentence[atom.start : atom.end]
        if atom.suffix and atom.suffix != "s":
            return NumberKind.ORDINAL, f"ordinal {text!r}"
        if atom.suffix == "s":
            if _POSSESSIVE.search(before):
                return NumberKind.AGE, f"an age bracket {text!r}"
            return NumberKind.DECADE, f"a decade {text!r}"
        if atom.decimal:
            if _CLOCK.match(text) and float(text.replace(":", ".")) < 24:
                return NumberKind.TIME, f"a clock time {text!r}"
            return NumberKind.MEASURE, f"a decimal without a scale word {text!r}"
    return None


def _is_year_form(sentence: str, atom: _Atom) -> bool:
    text = sentence[atom.start : atom.end]
    return atom.raw == "digits" and len(text) == 4 and text.isdigit() and 1000 <= int(text) <= 2100


def _kind_by_meaning(sentence: str, phrase: _Phrase, head: str | None, before: str) -> tuple[NumberKind, str]:
    """Kinds that depend on the words around: years, pronouns, counts of things, counts of people."""
    atoms = phrase.atoms
    people = head is not None and _is_people(head)
    if all(_is_year_form(sentence, a) for a in atoms) and (
        _YEAR_CUE.search(before) or (not people and phrase.qualifier in ("exact", RANGE_KEY))
    ):
        return NumberKind.YEAR, "a four-digit number read as a year"
    if head is not None and head.lower() in THING_NOUNS:
        return NumberKind.THING, f"counts {head!r}"
    first = sentence[atoms[0].start : atoms[0].end].lower()
    if len(atoms) == 1 and first in ("one", "a couple") and not people:
        return NumberKind.PRONOUN, f"{first!r} without a noun for people after it"
    return NumberKind.COUNT, f"counts {head!r}" if head else "a count with no noun after it"


def _is_people(noun: str) -> bool:
    low = _norm_space(noun).lower()
    return low in PEOPLE_PHRASES or low in PEOPLE_NOUNS


def _head(sentence: str, end: int) -> str | None:
    """The noun counted by a number ending at ``end``: a known noun within a few words, or the last plural word."""
    tokens = list(_TOKEN.finditer(sentence, end, min(len(sentence), end + 80)))
    modifiers: list[str] = []
    for i, tok in enumerate(tokens[:10]):
        word = tok.group()
        if not word[0].isalpha():
            break
        for n in (3, 2):
            if i + n <= len(tokens):
                words = _norm_space(sentence[tok.start() : tokens[i + n - 1].end()])
                if words.lower() in PEOPLE_PHRASES:
                    return words
        low = word.lower()
        if low in PEOPLE_NOUNS or low in THING_NOUNS:
            return word
        if low in _HEAD_SKIP:
            continue
        if low in _HEAD_STOP or len(modifiers) >= 3:
            break
        modifiers.append(word)
    if modifiers and _looks_plural(modifiers[-1]):
        return modifiers[-1]
    return None


def _looks_plural(word: str) -> bool:
    low = word.lower()
    return len(low) > 3 and low.endswith("s") and not low.endswith(("ss", "us", "is", "ous"))


# --- the public API --------------------------------------------------------------------------------------------------


def find_numbers(sentence: str) -> list[NumberMention]:
    """Every number phrase in ``sentence`` with its kind and the reason for it, in order."""
    _check_text(sentence, "find_numbers")
    mentions: list[NumberMention] = []
    for phrase in _phrases(sentence, _atoms(sentence)):
        head = _head(sentence, phrase.end)
        kind, reason = _classify(sentence, phrase, head)
        mentions.append(NumberMention(_quantity(sentence, phrase), kind, reason))
    return mentions


def find_quantities(sentence: str) -> list[Quantity]:
    """The candidate counts of people in ``sentence`` (years, ages, durations, money ... left out), in order.

    >>> s = "Gunmen killed half a dozen men and scores of police."
    >>> [(q.text, q.low, q.best, q.high) for q in find_quantities(s)]
    [('half a dozen', 5, 6, 7), ('scores of', 40, 40, 199)]
    """
    return [m.quantity for m in find_numbers(sentence) if m.kind is NumberKind.COUNT]


def head_noun(sentence: str, quantity: Quantity) -> str | None:
    """The noun a quantity of ``sentence`` counts, as written ("people", "security forces"), or ``None``.

    >>> s = "Attackers killed more than 100 unarmed villagers."
    >>> head_noun(s, find_quantities(s)[0])
    'villagers'
    """
    _check_text(sentence, "head_noun")
    return _head(sentence, quantity.span.end)


def is_people_noun(noun: str | None) -> bool:
    """Whether ``noun`` (from :func:`head_noun`) names people: "civilians", "security forces", "men" ..."""
    return noun is not None and _is_people(noun)


def parse_quantity(phrase: str) -> Quantity | None:
    """The first number phrase in ``phrase``, whatever its kind, or ``None`` when there is none.

    >>> q = parse_quantity("about 25,000")
    >>> (q.low, q.best, q.high, q.qualifier)
    (22500, 25000, 27500, 'about')
    """
    _check_text(phrase, "parse_quantity")
    phrases = _phrases(phrase, _atoms(phrase))
    return _quantity(phrase, phrases[0]) if phrases else None


def _check_text(text: object, where: str) -> None:
    if not isinstance(text, str):
        raise ExtractionError(f"{where}: expected text (str), got {type(text).__name__}: {text!r:.60}")
