"""What a count counts: outcome, population, community, actors and ACLED event type, read around a quantity.

Rules, not a model: each table below is a list of (pattern, value), looked up in the clause around the number. The
tables are English and Arabic; they are the documentation of how a sentence becomes a coded claim (docs/data-model.md).

Arabic is looked up in its matching form (:mod:`tawthiq.extract.arabic`): the patterns are folded the same way, so
"قُتلوا" matches ``قتل`` and "أوّلية" matches ``اولية``; positions given and returned are those of the ORIGINAL sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from tawthiq.extract.arabic import fold, map_span, matching_form
from tawthiq.model import Actor, Outcome, Population, Span

_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")


def _table(rows: list[tuple[str, str]]) -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(fold(p), re.I), v) for p, v in rows]


def matching(sentence: str) -> tuple[str, tuple[int, ...]]:
    """The matching form of ``sentence`` and its offset map (see :func:`tawthiq.extract.arabic.to_matching_form`)."""
    return matching_form(sentence)


def to_matching_offset(offsets: tuple[int, ...], at: int) -> int:
    """The position in the matching form of the original position ``at``."""
    return bisect_left(offsets, at)


def is_arabic(sentence: str) -> bool:
    return _ARABIC_LETTER.search(sentence) is not None


OUTCOMES = _table(
    [
        (r"\b(?:killed|kill(?:ing|s)?|dead|deaths?|died|die|murder(?:ed|s)?|slain|massacred|slaughtered|executed"
         r"|executions?|shot dead|lost their lives|death toll|toll|fatalities|bodies|corpses|victims)\b", "killed"),
        (r"\b(?:injured|injuries|wounded|hurt|injuring|wounding)\b", "injured"),
        (r"\b(?:detained|detention|arrested|arrests?|rounded up|imprisoned|jailed|captured)\b", "detained"),
        (r"\b(?:kidnapped|kidnappings?|abducted|abductions?|taken hostage)\b", "abducted"),
        (r"\b(?:missing|disappeared|disappearances?|unaccounted for)\b", "missing"),
        (r"\b(?:displaced|displacement|fled|forced out|expelled|uprooted)\b", "displaced"),
        (r"(?:قتيل|قتلى|قتل|مقتل|لقي|لقوا|حتفهم|حتفه|ضحايا|ضحية|ضحيت|جثث|جثة|أعدم|إعدام|إعدامات|اعدام|استشهد|شهيد|شهداء"
         r"|وفاة|وفيات|مصرع|حصيلة|ذبح|قضوا|قضى|سقطوا)", "killed"),
        (r"(?:جريح|جرحى|إصابة|إصابات|مصاب|مصابين|أصيب|اصيب)", "injured"),
        (r"(?:اعتقال|معتقل|معتقلين|احتجاز|محتجز|اعتقل)", "detained"),
        (r"(?:اختطاف|مختطف|مخطوف|خطف)", "abducted"),
        (r"(?:مفقود|مفقودين|المفقودين|فقدان|اختفاء|مختف)", "missing"),
        (r"(?:نزوح|نازح|نازحين|تهجير|مهجر)", "displaced"),
    ]
)

POPULATIONS = _table(
    [
        (r"\bcivilians?\b|مدني|مدنيين|مدنيون", "civilians"),
        (r"\b(?:security (?:forces|personnel|men|members|officers)|police(?:men)?|soldiers|troops|army|officers"
         r"|government forces|personnel)\b|عناصر|عنصر|قوات الأمن|قوى الأمن|القوات الحكومية|القوّات الحكومية|قوات حكومية"
         r"|عسكري|جنود|جندي|شرطة|الأمن العام", "security_forces"),
        (r"\b(?:fighters|gunmen|militants|militiamen|combatants|rebels|insurgents)\b|مسلح|مسلحين|مقاتل|مقاتلين",
         "combatants"),
        (r"\bsuspects?\b|مشتبه|متهم", "suspects"),
        (r"\b(?:children|child|boys|girls|minors)\b|أطفال|طفل|طفلا|طفلاً", "children"),
        (r"\b(?:women|woman)\b|سيدة|سيدات|نساء|امرأة|مواطنة|مواطنات", "women"),
        (r"\b(?:journalists?|media workers?|reporters?)\b|إعلامي|إعلاميين|صحفي", "media_workers"),
        (r"\bmen\b|رجال", "men"),
        (r"\b(?:people|persons|individuals|victims|residents|villagers|family members|deaths|dead|bodies)\b"
         r"|أشخاص|شخص|شخصا|شخصاً|ضحايا|مواطن", "total"),
    ]
)

COMMUNITIES = _table(
    [
        (r"\bAlawites?\b|علوي|العلويين|العلوية", "Alawite"),
        (r"\bDruze\b|دروز|الدروز|الدرزية", "Druze"),
        (r"\bSunnis?\b|أهل السنة|سنّي|السنيين|السنّة", "Sunni"),
        (r"\bKurds?|Kurdish\b|كرد|الكرد|الأكراد", "Kurdish"),
        (r"\bChristians?\b|مسيحي|المسيحيين", "Christian"),
        (r"\bBedouins?\b|بدو|البدو|العشائر", "Bedouin"),
        (r"\bIsmailis?\b|إسماعيلي", "Ismaili"),
    ]
)

ACTORS = _table(
    [
        (r"\b(?:government|interim) (?:troops|forces)\b|القوات الحكومية|قوات الحكومة|قوات تابعة للحكومة|قوات حكومية"
         r"|وزارتي الدفاع والداخلية|وزارة الدفاع|وزارة الداخلية", "Government forces"),
        (r"مجموعات رديفة|مجموعات مساندة|فصائل رديفة", "Government-affiliated groups"),
        (r"\bGeneral Security\b|\bPublic Security\b|الأمن العام", "General Security Service"),
        (r"\bsecurity forces\b|قوات الأمن", "Security forces"),
        (r"\b(?:Alawite gunmen|foloul|remnants of the (?:former )?regime|fighters loyal to (?:the ousted )?Assad"
         r"|loyalists?)\b|فلول النظام|فلول", "Former regime loyalists"),
        (r"\bregime paramilitaries\b|\bshabeeha\b|\bshabiha\b|\bNational Defen[cs]e Forces\b|الشبيحة|شبيحة|شبيحته",
         "Regime militias"),
        (r"\bHayat Tahrir al-Sham\b|\bHTS\b|هيئة تحرير الشام", "Hayat Tahrir al-Sham"),
        (r"\bmasked (?:men|groups)\b|\barmed (?:men|groups|civilians)\b|\bgunmen\b|\bmilitiamen\b|مسلحين|مسلحون",
         "Unidentified armed men"),
        (r"\bIsrael(?:i)?\b|إسرائيل|الإسرائيلي", "Israel"),
        (r"\bDruze (?:gunmen|fighters|factions)\b|المسلحون الدروز|مسلحين دروز", "Druze armed groups"),
        (r"\bBedouin (?:tribesmen|fighters)\b|\btribesmen\b|مقاتلي العشائر|العشائر", "Bedouin tribal fighters"),
        (r"\bMuslim Brotherhood\b|الإخوان المسلمين", "Muslim Brotherhood"),
        (r"\b(?:the )?regime\b|\bthe army\b|قوات النظام|أجهزة النظام|جيش النظام", "Assad regime forces"),
    ]
)

EVENT_TYPES = _table(
    [
        (r"\b(?:air ?strikes?|bomb(?:ing|ed|s)?|shell(?:ing|ed)|drone|missile|strikes?)\b|غارة|غارات|قصف|ضربة",
         "Explosions/Remote violence"),
        (r"\b(?:clashes|battles?|fighting|firefights?|attacked|ambush(?:ed)?)\b|اشتباكات|معارك|هجوم", "Battles"),
        (r"\b(?:massacres?|executions?|executed|murder(?:ed)?|slaughtered|killings?|killed|shot|looting|raided|stormed)\b"
         r"|مجزرة|مجازر|إعدام|تصفية|قتل", "Violence against civilians"),
        (r"\b(?:protests?|protesters|demonstrat\w+)\b|احتجاج|مظاهرة", "Protests"),
        (r"\b(?:arrest\w*|detain\w*|rounded up)\b|اعتقال", "Strategic developments"),
    ]
)

# Matches where any row of ACTORS matches (the rows' patterns as alternatives, with the table's flag).
_ANY_ACTOR = re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in ACTORS), re.I)

_VIOLENCE = re.compile(fold(
    r"\b(?:kill(?:ed|ing|s)?|shot|shoot|murder(?:ed)?|massacres?|executed|slaughtered|attacked|raided|stormed|looted"
    r"|bomb(?:ed|ing)|shell(?:ed|ing)|clashes|kidnapped|abducted|detained|arrested|forced out)\b"
    r"|قتل|مقتل|مجزرة|مجازر|إعدام|أعدم|اشتباكات|قصف|هجوم|اعتقال|اختطاف|ذبح|مذبحة|اقتحم"),
    re.I,
)


@dataclass(frozen=True, slots=True)
class Clause:
    """The part of a sentence a number belongs to: from the previous to the next clause boundary."""

    text: str
    offset: int  # of ``text`` within the sentence


_CLAUSE_BREAK = re.compile(r"[;:–—؛]|,\s+(?:while|but|and then|as|when|after|before)\b|،\s*(?:بينما|فيما)")


def clause_around(sentence: str, start: int, end: int) -> Clause:
    left = 0
    for m in _CLAUSE_BREAK.finditer(sentence, 0, start):
        left = m.end()
    right_match = _CLAUSE_BREAK.search(sentence, end)
    right = right_match.start() if right_match else len(sentence)
    return Clause(sentence[left:right], left)


def nearest(table: list[tuple[re.Pattern[str], str]], text: str, at: int) -> str | None:
    """The value of the table match whose position is closest to ``at`` (a position within ``text``)."""
    best: tuple[int, str] | None = None
    for pattern, value in table:
        for m in pattern.finditer(text):
            distance = 0 if m.start() <= at <= m.end() else min(abs(m.start() - at), abs(m.end() - at))
            if best is None or distance < best[0]:
                best = (distance, value)
    return best[1] if best else None


def _folded(sentence: str, start: int, end: int) -> tuple[str, int, int]:
    """The matching form of ``sentence`` with ``[start, end)`` moved into it."""
    m, offsets = matching(sentence)
    return m, to_matching_offset(offsets, start), to_matching_offset(offsets, end)


def outcome_of(sentence: str, start: int, end: int) -> Outcome | None:
    """The outcome of the people counted at ``[start, end)``: nearest outcome word in the number's clause, else the
    sentence."""
    sentence, start, end = _folded(sentence, start, end)
    clause = clause_around(sentence, start, end)
    value = nearest(OUTCOMES, clause.text, start - clause.offset) or nearest(OUTCOMES, sentence, start)
    return Outcome(value) if value else None


# Where the noun phrase after an Arabic number ends: punctuation, a preposition that starts a new phrase, a verb of
# killing, or the next count ("5 أطفال و6 سيدات", "8 أطفال وثلاث نساء").
_AR_PHRASE_END = re.compile(
    fold(r"[()\[\]،,.;:؛–—]|\s(?:في|خلال|منذ|على|إلى|حتى|قبل|بعد|بين|بحسب|وفق)\s|\s?قتل|\sو\s*\d|\sو(?=عدد|نحو)"
         r"|\s(?:من\s+)?(?:بينهم|بينهن|منهم|منهن)(?![\u0621-\u064a])"
         r"|\sو(?=(?:واحد|اثن|ثلاث|أربع|خمس|ست|سبع|ثمان|تسع|عشر|مئ|مائ|ألف|سيدت|امرأت|طفل)\S*)"))


def _mixed(found: set[str]) -> Population | None:
    mixed = found - {"total"}
    if len(mixed) > 1:
        return Population.COMBATANTS if mixed <= {"security_forces", "combatants"} else Population.TOTAL
    return None


def _population_ar(m: str, start: int, end: int, head: str | None) -> Population:
    """Arabic: the noun phrase after the number ("257 قتيلاً من القوات الحكومية"); a number with no noun looks back
    in its clause ("العدد الإجمالي للقتلى من مدنيين وعسكريين إلى 2146")."""
    after = _AR_PHRASE_END.split(m[end:], maxsplit=1)[0][:70]
    window = f"{fold(head)} {after}" if head and fold(head) not in after else after  # a dual or singular is its noun
    found = [v for p, v in POPULATIONS if p.search(window)]
    if found:
        return _mixed(set(found)) or Population(found[0])
    if head is None:
        clause = clause_around(m, start, end)
        before = clause.text[: start - clause.offset][-80:]
        found = [v for p, v in POPULATIONS if p.search(before)]
        if found:
            return _mixed(set(found)) or Population(found[-1])
    return Population.TOTAL


def population_of(sentence: str, start: int, end: int, head: str | None = None) -> Population:
    """Who was counted: the head noun when known, else the words right after the number. Several groups counted
    together ("security forces, police and civilians") are the total; soldiers and fighters together are combatants."""
    if is_arabic(sentence):
        return _population_ar(*_folded(sentence, start, end), head)
    if re.match(r"\s*(?:from|of|among) the security forces", sentence[end : end + 40], re.I):
        return Population.SECURITY_FORCES
    clause = clause_around(sentence, start, end)
    after = re.split(r"\b(?:were|was|are|is|had|have|has|in|at|on|during)\b|[.;–—]",
                     clause.text[end - clause.offset :], maxsplit=1)[0][:70]
    mixed = _mixed({v for p, v in POPULATIONS if p.search(after)})
    if mixed is not None:
        return mixed
    window = head or after
    found = [v for p, v in POPULATIONS if p.search(window)]
    return Population(found[0]) if found else Population.TOTAL


def community_of(sentence: str, start: int, end: int) -> str | None:
    """The community of the people counted, stated after the number ("970 Druze civilians", "900 civilians, mostly
    from the Alawite community"); a community named before the number is usually the perpetrators'. In Arabic only
    the number's own noun phrase counts ("300 قتيل من الدروز", not "… على هجمات المسلحين العلويين")."""
    if is_arabic(sentence):
        m, start, end = _folded(sentence, start, end)
        after = re.split(r"[()\[\]،,.;:؛–—]|\sو\s*\d", m[end:], maxsplit=1)[0][:60]
        return nearest(COMMUNITIES, after, 0)
    clause = clause_around(sentence, start, end)
    after = clause.text[end - clause.offset : end - clause.offset + 80]
    return nearest(COMMUNITIES, after, 0)


_BY = re.compile(fold(r"\b(?:by|at the hands of|loyal to)\s*$|على يد\s*$|من قبل\s*$|ارتكب\w*\s*$"), re.I)
_AGAINST = re.compile(fold(r"\b(?:against|targeting|on|attacked|killing|killed)\s+(?:the\s+)?$|ضد\s*$|استهدف\s*$"
                           r"|بحق\s*$"), re.I)


def actors_in(sentence: str) -> list[Actor]:
    """Armed actors named in the sentence, with their role: perpetrator (subject of violence, or after "by"),
    target (after "against", "targeting", or the object of a violence verb), else other. Spans are offsets into
    ``sentence`` as given."""
    return [Actor(name=name, role=role, span=Span(start, end)) for name, role, start, end in _actors(sentence)]


@lru_cache(maxsize=1024)  # each count of a sentence asks for its actors: read them once, hand out fresh copies
def _actors(original: str) -> tuple[tuple[str, str, int, int], ...]:
    sentence, offsets = matching(original)
    if _ANY_ACTOR.search(sentence) is None:  # one search settles the common case: no table row matches
        return ()
    actors: list[tuple[str, str, int, int]] = []
    taken: list[tuple[int, int]] = []
    violence = _VIOLENCE.search(sentence)
    for pattern, name in ACTORS:
        for m in pattern.finditer(sentence):
            if any(s <= m.start() < e for s, e in taken):
                continue
            before = sentence[max(0, m.start() - 30) : m.start()]
            if _BY.search(before):
                role = "perpetrator"
            elif _AGAINST.search(before):
                role = "target"
            elif violence and m.end() <= violence.start():
                role = "perpetrator"
            elif violence:
                role = "target"
            else:
                role = "other"
            taken.append((m.start(), m.end()))
            start, end = map_span(offsets, m.start(), m.end()) if original != sentence else (m.start(), m.end())
            actors.append((name, role, start, end))
    return tuple(actors)


@lru_cache(maxsize=1024)
def event_type_of(sentence: str) -> str | None:
    folded = matching(sentence)[0]
    for pattern, value in EVENT_TYPES:
        if pattern.search(folded):
            return value
    return None


def describes_violence(sentence: str) -> bool:
    return bool(_VIOLENCE.search(matching(sentence)[0]))
