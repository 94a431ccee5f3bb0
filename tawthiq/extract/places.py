"""Places in a sentence, English or Arabic, resolved through the offline gazetteer of Syria.

    >>> gaz = Gazetteer.load()
    >>> places = gaz.find_places("Gunmen entered a town in the governorate of Hama.")
    >>> [(p.name, p.admin1, p.where_prec.name) for p in places]
    [('Hama', 'Hama', 'ADMIN1')]

How a sentence is read (docs/gazetteer.md has the full rules):

* Names are looked up in one index of the matching form (:mod:`tawthiq.extract.gazetteer`), longest first; Arabic
  words are tried with their proclitics (و ف ب ل ك) and article removed. Governorates, big towns, countries match
  anywhere (Latin ones only when capitalised); small places need a locative cue; names that are also common words
  need a place word ("village of", "قرية").
* Cues set the precision: "governorate of X", "X province", "محافظة X" -> ADMIN1; "the X countryside", "rural X",
  "ريف X" -> REGION (the countryside of Damascus is the Rif Dimashq governorate); a bare governorate capital is the
  city (EXACT).
* Unknown small places ("the village of W", "قرية W", "7 in W", "7 في W") are kept with the parent the sentence gives:
  written after them ("W in the coastal city of Z" -> parent Z, NEAR) or, failing that, the governorate of the
  nearest place the sentence names (ADMIN1 or REGION).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass
from typing import Any

from shapely.geometry import Point, shape
from shapely.prepared import prep

from tawthiq.extract.gazetteer import (
    ARABIC_PROCLITICS,
    LATIN_ARTICLES,
    Entry,
    GazetteerData,
    Hit,
    Kind,
    Need,
    Script,
    Token,
    load_data,
    name_key,
    normalise,
    strip_arabic_article,
    to_original,
    tokens,
)
from tawthiq.model import Place, Span, WherePrecision

MAX_NAME_WORDS = 6
NEAREST_GOVERNORATE_DEGREES = 0.1  # a point within ~10 km outside every polygon (sea edge, UNDOF zone) -> nearest

# Cue words, in matching form. Latin ones are whole tokens; Arabic ones are word stems after proclitics.
LOCATIVE_EN = frozenset({"in", "at", "near", "from", "to", "into", "outside", "around", "toward", "towards", "of",
                         "across", "through", "throughout", "between", "via", "inside", "within", "reached",
                         "entered", "stormed", "besieged", "shelled", "outskirts"})
PLACE_WORDS_EN = frozenset({"village", "villages", "town", "towns", "city", "neighbourhood", "neighbourhoods",
                            "neighborhood", "neighborhoods", "district", "districts", "suburb", "suburbs", "area",
                            "hamlet", "camp", "quarter", "municipality", "township"})
GOVERNORATE_WORDS_EN = frozenset({"governorate", "governorates", "province", "provinces"})
COUNTRYSIDE_WORDS_EN = frozenset({"countryside", "rural", "countrysides"})
ACROSS_WORDS_EN = frozenset({"across", "throughout"})
FILLER_EN = frozenset({"the", "of", "around", "near", "cities", "city", "towns", "town", "northern", "southern",
                       "eastern", "western", "central", "north", "south", "east", "west", "coastal", "surrounding",
                       "wider", "greater", "and"})
RELATION_EN = ("on the outskirts of", "in", "near", "outside", "north of", "south of", "east of", "west of",
               "northeast of", "northwest of", "southeast of", "southwest of", "close to")
ORG_WORDS_EN = frozenset({"university", "media", "center", "centre", "council", "committee", "brigade", "brigades",
                          "network", "military", "coordination", "observatory", "front", "forces", "office", "news",
                          "today", "post", "times", "channel", "tv", "radio", "agency", "operations", "room",
                          "revolutionary", "army", "police", "security", "club", "group", "company", "platform",
                          "international", "fair", "declaration", "conference", "agreement", "accord", "spring",
                          "process", "talks", "format", "institute", "foundation", "bureau"})
NOT_NAMES_EN = frozenset({"alawite", "alawites", "sunni", "sunnis", "shia", "shiite", "druze", "christian",
                          "christians", "kurdish", "kurds", "arab", "arabs", "bedouin", "turkmen", "ismaili",
                          "syrian", "syrians", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                          "sunday", "january", "february", "march", "april", "may", "june", "july", "august",
                          "september", "october", "november", "december", "old", "new", "the", "a", "an", "this",
                          "that", "his", "her", "their", "our", "my", "its", "god", "allah", "government", "regime",
                          "state", "islamic", "president", "general", "public", "national", "human", "rights"})
PLACE_WORDS_AR = frozenset({"قريه", "قري", "بلده", "بلدات", "مدينه", "مدن", "حي", "احياء", "منطقه", "ناحيه",
                            "مخيم", "ضيعه", "مزرعه", "بلدتي", "قريتي"})
LOCATIVE_AR = frozenset({"في", "من", "الي", "قرب", "بين", "حول", "داخل", "عند", "نحو", "باتجاه", "اتجاه", "شمال",
                         "جنوب", "شرق", "غرب", "شمالي", "جنوبي", "شرقي", "غربي", "اطراف", "محيط", "مدخل", "ضواحي",
                         "انحاء", "على", "علي"} | PLACE_WORDS_AR)
GOVERNORATE_WORDS_AR = frozenset({"محافظه", "محافظات", "المحافظه", "محافظتي", "ولايه"})
COUNTRYSIDE_WORDS_AR = frozenset({"ريف", "ارياف"})
ACROSS_WORDS_AR = frozenset({"انحاء", "كامل"})
RELATION_AR = frozenset({"في", "قرب", "شمال", "جنوب", "شرق", "غرب", "شمالي", "جنوبي", "شرقي", "غربي", "بمحيط",
                         "التابعه", "التابع", "ضمن", "داخل"})
STOP_AR = frozenset({"المنطقه", "المدينه", "القريه", "البلده", "الحي", "هذه", "هذا", "نفسها", "ذاتها", "التي",
                     "الذي", "حيث", "عدد", "ريف", "محافظه", "المئه", "المائه", "الماه", "ظل", "حين", "اطار",
                     "الوقت", "اليوم", "الشهر", "العام", "السنه", "الاسبوع", "المستشفي", "المنزل", "منزل", "منازل",
                     "منزله", "الشارع", "المقابل", "المجموع", "الاجمال", "اجمالي", "حصيله", "الحصيله", "صفوف",
                     "مجزره", "مجازر", "هجوم", "قصف", "الساحل", "كل", "جميع", "بعض", "عمليه", "عمليات", "اشتباكات",
                     "الاشتباكات", "المعارك", "سجون", "السجون", "الشوارع", "المناطق", "مناطق", "الريف", "القري",
                     "البلدات", "المدن", "الاحياء", "ذلك", "تلك", "حال", "حاله", "وقت", "شخص", "اشخاص", "عائلات"})
ADJ_STOP_AR = frozenset({"الشمالي", "الجنوبي", "الشرقي", "الغربي", "الشماليه", "الجنوبيه", "الشرقيه", "الغربيه",
                         "الساحليه", "الساحلي", "الجبليه", "الجبلي", "الواقعه", "المجاوره", "الحدوديه", "القريبه",
                         "المذكوره", "ذاتها", "نفسها", "المحاذيه", "الكبري", "الصغري", "الجديده", "القديمه", "التي",
                         "الذي", "السوريه", "السوري"})


@dataclass(slots=True)
class _Mention:
    """A place found in the sentence, before it becomes a :class:`Place`."""

    first: int  # token index of the first word
    last: int  # token index after the last word
    start: int  # span in the matching form
    end: int
    hits: list[Hit]  # empty for an unknown place
    cue: str = ""  # governorate | countryside | across | descriptor
    item: bool = False  # an enumeration item: "7 in W", "7 في W"
    parent: _Mention | None = None  # stated after it: "W in Z"
    entry: Entry | None = None  # the resolved entry (known places)


@functools.cache
def _cached() -> Gazetteer:
    return Gazetteer(load_data())


class Gazetteer:
    """The offline gazetteer of Syria. Get it with :meth:`Gazetteer.load` (built once per process)."""

    def __init__(self, data: GazetteerData) -> None:
        self.data = data
        self._shapes = [(f["properties"]["name"], shape(f["geometry"])) for f in data.geojson["features"]]
        self._prepared = [(name, prep(geom)) for name, geom in self._shapes]

    @classmethod
    def load(cls) -> Gazetteer:
        """The gazetteer from the packaged data files, loaded once and cached."""
        return _cached()

    # --- public lookups ----------------------------------------------------------------------------------------------

    def governorates(self) -> list[str]:
        """The canonical names of Syria's 14 governorates, in alphabetical order."""
        return sorted(self.data.governorates)

    def governorate_geojson(self) -> dict[str, Any]:
        """A copy of the governorate polygons (GeoJSON FeatureCollection, properties name/name_ar/iso_3166_2)."""
        import copy

        return copy.deepcopy(self.data.geojson)

    def admin1_at(self, lat: float, lon: float) -> str | None:
        """The governorate containing a point (or within ~10 km of it, for coastlines); None outside Syria."""
        point = Point(lon, lat)
        for name, geom in self._prepared:
            if geom.covers(point):
                return name
        name, dist = min(((n, g.distance(point)) for n, g in self._shapes), key=lambda item: item[1])
        return name if dist <= NEAREST_GOVERNORATE_DEGREES else None

    def resolve(self, name: str, parent: str | None = None) -> Place | None:
        """A place by name (any spelling in the gazetteer, English or Arabic), disambiguated by ``parent``.

        An unknown ``name`` with a known ``parent`` is kept as a place under that parent (coarse precision);
        an unknown name without a parent gives None.
        """
        parent_place = self.resolve(parent) if parent else None
        hits = self.data.index.get(name_key(name)) or self.data.index.get(_arabic_key(name))
        admin1 = parent_place.admin1 if parent_place else None
        entry = _choose(hits, admin1, prefer_governorate=False) if hits else None
        if entry is not None:
            return _place_of(entry, text=name)
        if parent_place is None or not name.strip():
            return None
        unknown = Place(name.strip(), None, None, None, WherePrecision.COUNTRY, text=name)
        return self.with_parent(unknown, parent_place)

    def as_governorate(self, place: Place) -> Place | None:
        """The governorate a Syrian place lies in, as an ADMIN1 place (for "– Latakia: 836" style breakdowns)."""
        entry = self.data.governorates.get(place.admin1 or "")
        if entry is None:
            return None
        return dataclasses.replace(_place_of(entry), text=place.text, span=place.span)

    def with_parent(self, place: Place, parent: Place, *, explicit: bool = True) -> Place:
        """``place`` (unknown to the gazetteer) kept under ``parent``: its admin1, coordinates and a coarse precision.

        ``explicit`` when the text says where the place is ("W in Z"): a town parent then gives NEAR; otherwise
        (the parent only comes from context) a town parent is widened to its governorate (ADMIN1).
        """
        if parent.country != "SY":
            return dataclasses.replace(place, admin1=None, latitude=None, longitude=None, country=parent.country,
                                       parent=parent.name, where_prec=WherePrecision.COUNTRY)
        if parent.where_prec <= WherePrecision.NEAR and not explicit and parent.admin1:
            gov = self.data.governorates[parent.admin1]
            parent = _place_of(gov)
        prec = max(parent.where_prec, WherePrecision.NEAR)
        return dataclasses.replace(place, admin1=parent.admin1, latitude=parent.latitude, longitude=parent.longitude,
                                   where_prec=prec, parent=parent.name, country="SY", geonameid=None)

    # --- reading a sentence ------------------------------------------------------------------------------------------

    def find_places(self, sentence: str) -> list[Place]:
        """Every place mentioned in ``sentence`` (English or Arabic), in order, with spans into ``sentence``."""
        if not isinstance(sentence, str):
            raise TypeError(f"find_places needs a str sentence, not {type(sentence).__name__}")
        norm, offsets = normalise(sentence)
        toks = tokens(norm, sentence, offsets)
        if not toks:
            return []
        reader = _Reader(self, sentence, norm, offsets, toks)
        return reader.read()

    def _countryside(self, entry: Entry) -> Place | None:
        gov_name = entry.admin1
        if gov_name is None:
            return None
        if gov_name in self.data.countryside_of:  # the countryside of Damascus is a governorate of its own
            return _place_of(self.data.governorates[self.data.countryside_of[gov_name]])
        gov = self.data.governorates[gov_name]
        return Place(f"{gov_name} countryside", gov_name, gov.latitude, gov.longitude, WherePrecision.REGION,
                     country="SY")

    def _governorate_of(self, entry: Entry) -> Entry:
        if entry.kind is Kind.GOVERNORATE or entry.admin1 is None:
            return entry
        return self.data.governorates[entry.admin1]


def _arabic_key(name: str) -> tuple[str, ...]:
    return tuple(strip_arabic_article(k) for k in name_key(name))


def _place_of(entry: Entry, text: str = "", span: Span | None = None) -> Place:
    return Place(entry.name, entry.admin1, entry.latitude, entry.longitude, entry.where_prec, entry.geonameid,
                 entry.parent, text, span, entry.country)


_KIND_ORDER = {Kind.CITY: 0, Kind.AREA: 0, Kind.REGION: 1, Kind.COUNTRY: 2, Kind.GOVERNORATE: 3, Kind.FOREIGN: 4}


def _choose(hits: list[Hit], admin1s: str | set[str] | None, *, prefer_governorate: bool) -> Entry:
    """One entry among the hits of a name: the governorate when a cue asks for it, Syrian before foreign, a place
    in a governorate the sentence names, then the most populous."""
    wanted = {admin1s} if isinstance(admin1s, str) else (admin1s or set())

    def rank(hit: Hit) -> tuple[int, int, int]:
        entry = hit.entry
        kind = -1 if prefer_governorate and entry.kind is Kind.GOVERNORATE else _KIND_ORDER[entry.kind]
        return (kind, 0 if entry.admin1 in wanted else 1, -entry.population)

    return min(hits, key=rank).entry


class _Reader:
    """One pass over one sentence: dictionary names, cues, unknown places, parents."""

    def __init__(self, gaz: Gazetteer, sentence: str, norm: str, offsets: list[int] | None,
                 toks: list[Token]) -> None:
        self.gaz = gaz
        self.sentence = sentence
        self.norm = norm
        self.offsets = offsets
        self.toks = toks
        self.keys = [t.key for t in toks]

    def read(self) -> list[Place]:
        mentions = self._known()
        mentions = self._unknown(mentions)
        self._cues(mentions)
        self._parents(mentions)
        return [self._place(m, mentions) for m in mentions]

    # --- words around a token ---

    def _gap(self, left: int, right: int) -> str:
        """The matching-form text between token ``left`` (its end) and token ``right`` (its start)."""
        return self.norm[self.toks[left].end:self.toks[right].start]

    def _stem(self, i: int) -> str:
        return _arabic_stem(self.keys[i])

    def _prev(self, i: int) -> str:
        """The word before token ``i`` when only spaces (and a tatweel) separate them."""
        if i == 0 or self._gap(i - 1, i).strip(" -"):
            return ""
        return self._stem(i - 1) if self.toks[i - 1].script is Script.ARABIC else self.keys[i - 1]

    # --- names from the index ---

    def _known(self) -> list[_Mention]:
        found: list[_Mention] = []
        firsts = self.gaz.data.index.firsts
        i = 0
        while i < len(self.toks):
            tok = self.toks[i]
            if tok.script is Script.ARABIC:
                possible = any(key in firsts for key, _ in _arabic_starts(tok.key))
            else:
                possible = tok.key in firsts or tok.key in LATIN_ARTICLES
            if not possible:
                i += 1
                continue
            mention = self._longest(i)
            if mention is None:
                i += 1
                continue
            found.append(mention)
            i = mention.last
        return found

    def _starts(self, i: int) -> list[tuple[str, int, int]]:
        """Ways a name can start at token ``i``: (first key, span start, first name token)."""
        tok = self.toks[i]
        if tok.script is Script.ARABIC:
            return [(key, tok.start + skip, i) for key, skip in _arabic_starts(tok.key)]
        if tok.script is Script.LATIN and tok.key in LATIN_ARTICLES and i + 1 < len(self.toks):
            nxt = self.toks[i + 1]
            assimilated = nxt.key.startswith(tok.key[1:])  # "As Suwayda", "Ash Shaykh", not "as Homs"
            joined = self._gap(i, i + 1) == "-" or tok.key in ("al", "el") or assimilated
            if joined and nxt.script is Script.LATIN:
                return [(nxt.key, tok.start, i + 1)]
        return [(tok.key, tok.start, i)]

    def _longest(self, i: int) -> _Mention | None:
        index = self.gaz.data.index
        for first_key, start, first in self._starts(i):
            key: tuple[str, ...] = (first_key,)
            best: tuple[int, list[Hit]] | None = None
            j = first + 1
            while key in index.prefixes:
                hits = index.get(key)
                if hits:
                    best = (j, hits)
                if j >= len(self.toks) or len(key) >= MAX_NAME_WORDS or self._gap(j - 1, j).strip(" -'"):
                    break
                word = self.keys[j]
                if self.toks[j].script is Script.LATIN and word in LATIN_ARTICLES and j + 1 < len(self.toks):
                    j += 1
                    word = self.keys[j]
                elif self.toks[j].script is Script.ARABIC:
                    word = strip_arabic_article(word)
                key = (*key, word)
                j += 1
            if best is None:
                continue
            last_tok = self.toks[best[0] - 1]
            mention = _Mention(i, best[0], start, last_tok.end - 2 * last_tok.possessive, best[1])
            proclitic = self.keys[i][:start - self.toks[i].start] if self.toks[i].script is Script.ARABIC else ""
            mention.hits = self._allowed(mention, first, proclitic)
            if mention.hits:
                return mention
        return None

    def _allowed(self, m: _Mention, first: int, proclitic: str) -> list[Hit]:
        tok = self.toks[first]
        latin = tok.script is Script.LATIN
        if latin and not tok.upper and not all(h.entry.kind is Kind.REGION for h in m.hits):
            return []
        if latin and self._not_a_place_here(m):
            return []
        if not latin and _TANWEEN in self.sentence[self._orig(m.start):self._orig(m.end - 1) + 2]:
            return []  # "169 سورياً" (169 Syrians): names do not take tanween
        prev = self._prev(m.first)
        descriptor = prev in PLACE_WORDS_AR or prev in PLACE_WORDS_EN or (
            latin and prev == "of" and m.first >= 2 and self.keys[m.first - 2] in PLACE_WORDS_EN)
        descriptor = descriptor or (latin and first != m.first)  # "Al-Tall": the article marks a name
        cue = descriptor or bool(proclitic) or prev in LOCATIVE_EN or prev in LOCATIVE_AR
        cue = cue or prev in ("and", "or") or self._coordinated(m.first)
        level = Need.DESCRIPTOR if descriptor else Need.CUE if cue else Need.NONE
        return [h for h in m.hits if h.need <= level]

    def _coordinated(self, i: int) -> bool:
        """Token ``i`` follows a list separator ("X, Y" / "X و Y")."""
        return i > 0 and self._gap(i - 1, i).strip() in (",", "،")

    def _not_a_place_here(self, m: _Mention) -> bool:
        """An English name used as part of an organisation's or a person's name: "Aleppo Media Center",
        "the Idlib-based group", "Rabia Hassan"."""
        after = self.norm[m.end:m.end + 7]
        if after.startswith("-based") or after.startswith(" based"):
            return True
        if m.last < len(self.toks) and self._gap(m.last - 1, m.last).strip() == "":
            nxt = self.toks[m.last]
            if nxt.upper and nxt.key in ORG_WORDS_EN:
                return True
        return False

    # --- unknown places ---

    def _unknown(self, known: list[_Mention]) -> list[_Mention]:
        """Add the places named by pattern that the index does not know; a pattern name that spans more words than a
        known name inside it replaces it ("the village of Qabo Al-Awamiya" is not "Al Qabw")."""
        by_first = {m.first: m for m in known}
        found: list[_Mention] = []
        for i, tok in enumerate(self.toks):
            listed = bool(found) and found[-1].last in (i - 1, i)
            if i == 0 or (self.keys[i - 1] not in _UNKNOWN_GATE and not listed):
                continue  # cheap test first: every pattern starts after one of these words
            span = self._pattern_name(i, tok) or self._listed_after(i, found)
            if span is None:
                continue
            first, last, cue, item = span
            if cue == "locative" and not self._said_to_lie_in(first, last, known):
                continue
            inner = [m for m in known if m.first >= first and m.last <= last]
            exact = by_first.get(first)
            if exact is not None and exact.last == last:
                exact.cue, exact.item = exact.cue or cue, exact.item or item
                continue
            if any(m.first < last and m.last > first and m not in inner for m in known):
                continue  # overlaps a known name on one side only: leave it to the index
            for m in inner:
                known.remove(m)
            start = self.toks[first].start
            if self.toks[first].script is Script.ARABIC and found and found[-1].last == first:
                start += 1  # "قرى W وV": V without its conjunction
            found.append(_Mention(first, last, start, self.toks[last - 1].end, [], cue, item))
        merged = sorted(known + found, key=lambda m: m.first)
        return [m for n, m in enumerate(merged) if n == 0 or m.first >= merged[n - 1].last]

    def _pattern_name(self, i: int, tok: Token) -> tuple[int, int, str, bool] | None:
        """A place name starting at token ``i`` by pattern: (first, last, cue, item) or None."""
        prev = self._prev(i)
        item = i >= 2 and self.toks[i - 2].script is Script.DIGITS and prev in ("in", "at", "في")
        if tok.script is Script.LATIN:
            of_place = prev == "of" and i >= 2 and self.keys[i - 2] in PLACE_WORDS_EN
            if prev in _LOCATIVE_BEFORE_UNKNOWN and tok.upper and not of_place and not item:
                last = self._latin_name_end(i)
                return (i, last, "locative", False) if last > i else None
            if not (of_place or item) or not tok.upper:
                return self._named_before_place_word(i)
            last = self._latin_name_end(i)
            return (i, last, "descriptor", item) if last > i else None
        if tok.script is not Script.ARABIC:
            return None
        stem = self._stem(i - 1) if i > 0 and not self._gap(i - 1, i).strip() else ""
        item = item or (stem in PLACE_WORDS_AR and i >= 2 and self.toks[i - 2].script is Script.DIGITS)
        if stem not in PLACE_WORDS_AR and not item:
            return None
        if tok.key in STOP_AR or tok.key in PLACE_WORDS_AR or tok.key in LOCATIVE_AR:
            return None
        last = i + 1
        if last < len(self.toks) and not self._gap(i, last).strip():
            nxt = self.keys[last]
            if nxt.startswith("ال") and nxt not in ADJ_STOP_AR and nxt not in STOP_AR and not self._known_at(last):
                last += 1
        return (i, last, "descriptor" if stem in PLACE_WORDS_AR else "", item)

    def _listed_after(self, i: int, found: list[_Mention]) -> tuple[int, int, str, bool] | None:
        """The next name in a list of unknown places: "the villages of W and V", "قرى W وV"."""
        if not found or found[-1].cue != "descriptor":
            return None
        tok, prev = self.toks[i], found[-1]
        if tok.script is Script.LATIN and tok.upper and prev.last == i - 1 and self.keys[i - 1] == "and":
            last = self._latin_name_end(i)
            return (i, last, "descriptor", prev.item) if last > i else None
        conjoined = tok.script is Script.ARABIC and prev.last == i and tok.key.startswith("و") and len(tok.key) > 3
        if conjoined and not self._gap(i - 1, i).strip() and tok.key[1:] not in STOP_AR and not self._known_at(i):
            return (i, i + 1, "descriptor", prev.item)
        return None

    def _said_to_lie_in(self, first: int, last: int, known: list[_Mention]) -> bool:
        if any(m.first == first for m in known):
            return False
        nxt = next((m for m in known if m.first >= last), None)
        probe = _Mention(first, last, self.toks[first].start, self.toks[last - 1].end, [])
        return nxt is not None and self._relation(probe, nxt)

    def _known_at(self, i: int) -> bool:
        return self._longest(i) is not None

    def _latin_name_end(self, i: int) -> int:
        """The end of a run of capitalised words (with joined articles: "Qabo Al-Awamiya", "Ain al-Tineh")."""
        j = i
        while j < len(self.toks):
            tok = self.toks[j]
            if j > i and self._gap(j - 1, j).strip(" -"):
                break
            if tok.script is not Script.LATIN or tok.key in NOT_NAMES_EN or (tok.possessive and j == i):
                break
            if tok.upper:
                j += 1
                if tok.possessive:
                    break
            elif tok.key in LATIN_ARTICLES and j + 1 < len(self.toks) and self.toks[j + 1].upper:
                j += 1
            else:
                break
        return j

    def _named_before_place_word(self, i: int) -> tuple[int, int, str, bool] | None:
        """"the Qusour neighbourhood": a capitalised name right before a singular place word, after "the"."""
        if not self.toks[i].upper or self._prev(i) != "the" or self.keys[i] in NOT_NAMES_EN:
            return None
        last = self._latin_name_end(i)
        if last <= i or last >= len(self.toks) or self.toks[last - 1].possessive:
            return None
        if self.keys[last] not in ("neighbourhood", "neighborhood", "village", "district", "suburb", "quarter"):
            return None
        return (i, last, "descriptor", False)

    # --- cues that set the precision ---

    def _cues(self, mentions: list[_Mention]) -> None:
        previous: _Mention | None = None
        for m in mentions:
            cue = self._cue_before(m.first) or self._cue_after(m.last)
            if not cue and previous is not None and previous.cue in ("governorate", "countryside", "across"):
                between = self.norm[previous.end:m.start].strip()
                if between in ("", ",", "،", "and", "or", "و", ", and"):
                    cue = previous.cue
            if cue and m.cue != "descriptor":
                m.cue = cue
            previous = m
        carry, following = "", None  # "Deir ez-Zor, Al-Hasakah and Raqqa provinces": the plural covers the list
        for m in reversed(mentions):
            coordinated = following is not None and self.norm[m.end:following.start].strip() in _COORDINATION
            if carry and coordinated and not m.cue:
                m.cue = carry
            elif m.last < len(self.toks) and self.keys[m.last] in ("governorates", "provinces", "countrysides"):
                carry = m.cue
            elif not coordinated:
                carry = ""
            following = m

    def _cue_before(self, i: int) -> str:
        j = i - 1
        while j >= 0 and i - j <= 6:
            if self._gap(j, j + 1).strip(" -،,'"):
                return ""
            word = self._stem(j) if self.toks[j].script is Script.ARABIC else self.keys[j]
            if word in GOVERNORATE_WORDS_EN or word in GOVERNORATE_WORDS_AR:
                return "governorate"
            if word in COUNTRYSIDE_WORDS_EN or word in COUNTRYSIDE_WORDS_AR:
                return "countryside"
            if word in ACROSS_WORDS_EN or word in ACROSS_WORDS_AR:
                return "across"
            if word not in FILLER_EN:
                return ""
            j -= 1
        return ""

    def _cue_after(self, last: int) -> str:
        if last >= len(self.toks) or self._gap(last - 1, last).strip():
            return ""
        word = self.keys[last]
        if word in GOVERNORATE_WORDS_EN:
            return "governorate"
        if word in COUNTRYSIDE_WORDS_EN:
            return "countryside"
        return ""

    # --- parents of unknown places ---

    def _parents(self, mentions: list[_Mention]) -> None:
        for n, m in enumerate(mentions):
            if m.hits or n + 1 >= len(mentions):
                continue
            nxt = mentions[n + 1]
            if nxt.hits and self._relation(m, nxt):
                m.parent = nxt

    def _relation(self, m: _Mention, nxt: _Mention) -> bool:
        """``m`` is said to lie in ``nxt``: "W in the coastal city of Z", "W, Z", "W بريف Z", "W في Z"."""
        gap = self.sentence[self._orig(m.end):self._orig(nxt.start)].strip().lower()
        gap_norm = self.norm[m.end:nxt.start].strip()
        if gap in (",", "،"):
            return True
        if self.toks[m.first].script is Script.ARABIC:
            words = gap_norm.split()
            return bool(words) and len(words) <= 3 and (words[0] in RELATION_AR or words[0] in ("بريف", "بمحافظه"))
        words = gap_norm.replace(",", " ").split()
        for rel in RELATION_EN:
            parts = rel.split()
            if words[:len(parts)] == parts:
                rest = words[len(parts):]
                return len(rest) <= 5 and all(w.isalpha() and w not in ("and", "but", "where", "when") for w in rest)
        return False

    def _orig(self, n: int) -> int:
        return to_original(self.offsets, n, n + 1, len(self.sentence))[0] if n < len(self.norm) else len(
            self.sentence)

    # --- from mention to Place ---

    def _resolved(self, m: _Mention, mentions: list[_Mention]) -> Entry:
        if m.entry is None:
            admin1s = {h.entry.name for o in mentions if o is not m and o.hits for h in o.hits
                       if h.entry.kind is Kind.GOVERNORATE}
            m.entry = _choose(m.hits, admin1s, prefer_governorate=m.cue in ("governorate", "across"))
        return m.entry

    def _place(self, m: _Mention, mentions: list[_Mention]) -> Place:
        o_start, o_end = to_original(self.offsets, m.start, m.end, len(self.sentence))
        text, span = self.sentence[o_start:o_end], Span(o_start, o_end)
        if not m.hits:
            return self._unknown_place(m, mentions, text, span)
        entry = self._resolved(m, mentions)
        if m.cue in ("governorate", "across") and entry.kind is Kind.CITY and entry.admin1:
            capital = self.gaz.data.capitals.get(entry.admin1)
            if m.cue == "governorate" or capital == entry:
                entry = self.gaz.data.governorates[entry.admin1]
        if m.cue == "countryside" and entry.kind in (Kind.CITY, Kind.GOVERNORATE, Kind.AREA):
            region = self.gaz._countryside(self.gaz._governorate_of(entry))
            if region is not None:
                return dataclasses.replace(region, text=text, span=span)
        return _place_of(entry, text, span)

    def _unknown_place(self, m: _Mention, mentions: list[_Mention], text: str, span: Span) -> Place:
        name = re.sub(r"\s+", " ", text).strip()
        place = Place(name, None, None, None, WherePrecision.COUNTRY, text=text, span=span)
        if m.parent is not None:
            return self.gaz.with_parent(place, self._place(m.parent, mentions), explicit=True)
        context = self._context_parent(m, mentions)
        if context is None:
            return place
        return self.gaz.with_parent(place, self._place(context, mentions), explicit=False)

    def _context_parent(self, m: _Mention, mentions: list[_Mention]) -> _Mention | None:
        """The nearest Syrian place before ``m`` (one that is not itself a list item, if there is one), else after."""
        syrian = [o for o in mentions if o.hits and self._resolved(o, mentions).country == "SY"]
        before = [o for o in syrian if o.first < m.first]
        for group in ([o for o in before if not o.item], before):
            if group:
                return group[-1]
        after = [o for o in syrian if o.first > m.first]
        return after[0] if after else None


_TANWEEN = "\u064b"
_LOCATIVE_BEFORE_UNKNOWN = frozenset({"in", "at", "near", "from", "into", "outside", "inside"})
_UNKNOWN_GATE = frozenset({"of", "in", "at", "near", "from", "into", "outside", "inside", "the", "في"}
                          | {pre + word for pre in ("", *ARABIC_PROCLITICS) for word in PLACE_WORDS_AR})
_COORDINATION = frozenset({",", "،", "and", ", and", "or", "و", "، و"})
_AR_CUE_STEMS = (PLACE_WORDS_AR | LOCATIVE_AR | GOVERNORATE_WORDS_AR | COUNTRYSIDE_WORDS_AR | ACROSS_WORDS_AR
                 | RELATION_AR)


@functools.lru_cache(maxsize=1 << 16)
def _arabic_starts(word: str) -> tuple[tuple[str, int], ...]:
    """The word as a name's first word: itself, then without each proclitic (و ف ب ل ك), article stripped."""
    out = [(strip_arabic_article(word), 0)]
    for pre in ARABIC_PROCLITICS:
        if word.startswith(pre) and len(word) - len(pre) >= 2:
            out.append((strip_arabic_article(word[len(pre):]), len(pre)))
    return tuple(out)


@functools.lru_cache(maxsize=1 << 16)
def _arabic_stem(word: str) -> str:
    """An Arabic cue word without its proclitics ("بريف" -> "ريف"); other words as they are."""
    for pre in ARABIC_PROCLITICS:
        if word.startswith(pre) and len(word) - len(pre) >= 2 and word[len(pre):] in _AR_CUE_STEMS:
            return word[len(pre):]
    return word


def find_places(sentence: str) -> list[Place]:
    """Shortcut for ``Gazetteer.load().find_places(sentence)``."""
    return Gazetteer.load().find_places(sentence)
