"""Who said it, and how sure they were: attribution to an original speaker and verification caveats.

A claim's ``attributed_to`` is the original speaker ("according to the Britain-based Syrian Observatory for Human
Rights"), distinct from the document that published it. Known organisations come from ``data/sources.toml`` and are
mapped to one canonical name in every language. Witnesses are never named: a claim from a person quoted in a document
is attributed to ``witness``; their identity, if the document gives it, stays in the document text only.

Arabic is read in its matching form (:mod:`tawthiq.extract.arabic`), names and patterns folded alike: "لحقوق الانسان"
and "لحقوق الإنسان" are one alias, "وثّق" is "وثق".
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from tawthiq.extract.arabic import map_span, matching_form
from tawthiq.model import SourceType


def fold(s: str) -> str:
    """The matching form of ``s``, from the cache the other readers of the same sentence share (a sentence is folded
    by several of the functions below)."""
    return matching_form(s)[0]


WITNESS = "witness"


@dataclass(frozen=True, slots=True)
class KnownSource:
    name: str
    type: SourceType
    scale: str
    short: str


class SourceRegistry:
    """The organisations we recognise, with one regex over all their aliases."""

    def __init__(self, sources: list[KnownSource], aliases: dict[str, KnownSource]) -> None:
        self.sources = sources
        self._by_alias = {fold(a).lower(): s for a, s in aliases.items()}
        ordered = sorted({fold(a) for a in aliases}, key=len, reverse=True)
        # Upper-case acronyms (SOHR, UN, AP) match case-sensitively; other names case-insensitively.
        parts = [re.escape(a) if a.isupper() and len(a) <= 6 else "(?i:" + re.escape(a) + ")" for a in ordered]
        self._pattern = re.compile(r"(?<![\w\u0600-\u06FF])(?:" + "|".join(parts) + r")(?![\w\u0600-\u06FF])")

    @classmethod
    @cache
    def load(cls) -> SourceRegistry:
        data = tomllib.loads(resources.files("tawthiq.data").joinpath("sources.toml").read_text(encoding="utf-8"))
        sources: list[KnownSource] = []
        aliases: dict[str, KnownSource] = {}
        for entry in data["source"]:
            known = KnownSource(entry["name"], SourceType(entry["type"]), entry.get("scale", ""),
                                entry.get("short", ""))
            sources.append(known)
            for alias in [entry["name"], *entry.get("aliases", [])]:
                aliases[alias] = known
        return cls(sources, aliases)

    def find(self, text: str) -> list[tuple[KnownSource, int, int]]:
        """Every known organisation named in ``text`` with its offsets (into ``text`` as given)."""
        m, offsets = matching_form(text)
        found = []
        for hit in self._pattern.finditer(m):
            start, end = map_span(offsets, hit.start(), hit.end()) if m != text else (hit.start(), hit.end())
            found.append((self._by_alias[hit.group(0).lower()], start, end))
        return found

    def aliases(self) -> list[tuple[str, KnownSource]]:
        """Every name and alias, in matching form, with the organisation it names."""
        return list(self._by_alias.items())

    def get(self, name: str) -> KnownSource | None:
        return self._by_alias.get(fold(name).lower())


_SPEECH = r"(?:said|says|reported|reports|documented|recorded|counted|estimated|identified|stated|announced|told|put)"
_ACCORDING = re.compile(
    fold(r"\b(?:according to|citing|cited by|per|reported by|documented by|figures? from)\s+"
         r"|(?<![\u0621-\u064a])(?:بحسب|حسب|وفق|وفقا ل|وفقاً ل|نقلا عن|نقلاً عن|استنادا إلى)\s*"), re.I)
_SPEAKER_VERB = re.compile(r"^(?P<who>.{2,120}?)\s+" + _SPEECH + r"\b", re.I)
_VERB_SPEAKER = re.compile(r"[,”\"]\s*" + _SPEECH + r"\s+(?P<who>[^,.;]{2,80})", re.I)
_PRONOUN_START = re.compile(r"^\W*(?:It|They|The report|The group|The monitor|The committee)\s+" + _SPEECH + r"?", re.I)
# Arabic: a reporting verb with no subject of its own ("وأضاف: …", "وأشار إلى أن …") continues the last speaker.
_PRONOUN_START_AR = re.compile(fold(
    r"^\W*و?(?:أضاف|أضافت|تابع|تابعت|أشار|أشارت|أكد|أكدت|قال|قالت|ذكر|ذكرت|أوضح|أوضحت|لفت|لفتت|بين|بينت)"
    r"(?:\s*:|\s+(?:أن|إن|أنه|أنها|إلى|الى)\b)"))
_PERSON_SPEECH = re.compile(
    r"\b(?:he|she|they)\s+(?:said|says|told|recalled|added|described)|\b(?:said|recalled|added)\s+(?:he|she)\b"
    r"|\b(?:man|woman|resident|witness|survivor|father|mother|relative|neighbou?r|villager)\b[^.]{0,25}"
    r"\b(?:said|says|described|told|recalled)\b"
    r"|\btold (?:NBC News|us|me|reporters)\b|قال|قالت|أفاد شاهد|روى",
    re.I,
)

# Arabic reporting verbs (matching form: وثّق is وثق); the organisation a sentence names next to one is its speaker.
_ARABIC_ATTRIBUTION = re.compile(fold(
    r"(?<![\u0621-\u064a])و?(?:وفق|وفقا|بحسب|حسب|أفاد|أفادت|وثق|وثقت|أعلن|أعلنت|قال|قالت|أكد|أكدت|ذكر|ذكرت|أشار|أشارت"
    r"|سجل|سجلت|رصد|رصدت|أحصى|أحصت|نشر|نشرت|أضاف|أضافت|أوضح|أوضحت|قدر|قدرت|تحدث|تحدثت)(?![\u0621-\u064a])"))


# "<the government | the inquiry | the ministry ...> released / published its report": the body that released it speaks.
_RELEASED = re.compile(
    r"\b(?:the\s+)?(?P<who>government|inquiry|commission|committee|ministry|observatory|network)\b[^.]{0,40}?"
    r"\b(?:released|published|issued|presented|unveiled)\s+(?:its|a|the|their)\s+(?:\w+\s+){0,2}(?:report|findings)",
    re.I,
)


def find_attribution(sentence: str, registry: SourceRegistry | None = None) -> str | None:
    """The canonical name of the organisation a sentence attributes its statement to, or ``None``.

    Looks for "according to X", "X said/reported/documented ...", "..., said X" and the Arabic reporting verbs
    (بحسب، وفق، أفاد، وثّق، أعلن، قال). Only organisations in the registry are returned here; speakers who are people are
    handled by :func:`is_witness_speech`.
    """
    registry = registry or SourceRegistry.load()
    sentence = fold(sentence)
    released = _RELEASED.search(sentence)
    if released:
        known = registry.get(f"{released.group('who').lower()} report")
        if known:
            return known.name
    found = registry.find(sentence)
    if not found:
        return None
    for m in _ACCORDING.finditer(sentence):
        after = [s for s in found if s[1] >= m.end() and s[1] - m.end() < 60]
        if after:
            return after[0][0].name
    speaker = _SPEAKER_VERB.search(sentence)
    if speaker:
        inside = [s for s in found if s[2] <= speaker.end("who")]
        if inside:
            return inside[-1][0].name
    for m in _VERB_SPEAKER.finditer(sentence):
        inside = [s for s in found if m.start("who") <= s[1] < m.end("who")]
        if inside:
            return inside[0][0].name
    verbs = list(_ARABIC_ATTRIBUTION.finditer(sentence))
    if verbs:
        after_verb = [s for s in found for v in verbs if 0 <= s[1] - v.end() < 40]
        return (after_verb or found)[0][0].name
    return None


def names_in_short(sentence: str, name: str, registry: SourceRegistry | None = None) -> bool:
    """True when ``sentence`` names the organisation ``name`` (named in full before) by the first word of one of its
    names and speaks with a reporting verb: "وأشار الشبكة في تقريرها …" after "الشبكة السورية لحقوق الإنسان",
    "the Network documented …" after "the Syrian Network for Human Rights". Read from context only: alone, such a word
    ("the network") names no one."""
    registry = registry or SourceRegistry.load()
    known = registry.get(name)
    if known is None:
        return False
    m = fold(sentence)
    if not (_ARABIC_ATTRIBUTION.search(m) or re.search(r"\b" + _SPEECH + r"\b", m, re.I)):
        return False
    heads = {_head_word(alias) for alias, source in registry.aliases() if source is known}
    return any(re.search(r"(?<![\w\u0621-\u064a])" + re.escape(h) + r"(?![\w\u0621-\u064a])", m, re.I)
               for h in heads if h)


def _head_word(alias: str) -> str:
    """The first word of a name of several words, with its article ("الشبكة", "the Network"), else ''."""
    words = fold(alias).split()
    if len(words) < 2:
        return ""
    if words[0].lower() == "the" and len(words) > 2:
        return f"{words[0]} {words[1]}"
    return words[0] if words[0].startswith("ال") else ""


def starts_with_pronoun_speaker(sentence: str) -> bool:
    """True when the sentence's speaker is a pronoun ("It identified ...", "They said ...", "وأضاف: …") to resolve
    from context."""
    return bool(_PRONOUN_START.match(sentence) or _PRONOUN_START_AR.match(fold(sentence)))


def is_witness_speech(sentence: str) -> bool:
    """True when the sentence reports what a person (not an organisation) said."""
    return bool(_PERSON_SPEECH.search(fold(sentence)))


# Verification caveats: key -> pattern. The key is what a claim's ``caveat`` holds.
CAVEATS: dict[str, re.Pattern[str]] = {
    "not_independently_verified": re.compile(fold(
        r"\b(?:not|unable|could not|couldn[’']t|cannot|can[’']t)\b[^.]{0,40}\b(?:independently\s+)?"
        r"(?:verif\w*|confirm\w*|corroborat\w*)|\bunverified\b|لم يت(?:سن|مكن)[^.]{0,30}التحقق|لا يمكن التحقق"
        r"|(?:دون|بدون|من غير) (?:أن )?(?:يتم )?التحقق"),
        re.I,
    ),
    "circumstances_unclear": re.compile(
        r"\b(?:were|was|are|is|remain(?:ed)?)\s+not\s+(?:immediately\s+)?clear\b|\bunclear\b", re.I
    ),
    "preliminary": re.compile(fold(r"\bpreliminary\b|\binitial (?:toll|count|figures?)\b|(?<!ال)أولي(?:ة|ا|اً)?"
                                   r"(?![\u0621-\u064a])"), re.I),
}


@lru_cache(maxsize=1024)  # asked once per sentence and again by each of its claims
def find_caveat(sentence: str) -> str | None:
    """The caveat a sentence states about the reliability of a claim, as a key of :data:`CAVEATS`."""
    sentence = fold(sentence)
    for key, pattern in CAVEATS.items():
        if pattern.search(sentence):
            return key
    return None
