"""The offline gazetteer of Syria: its data files, the matching form of names, and the name index.

The data lives in ``tawthiq/data/gazetteer/`` (rebuilt by ``scripts/build_gazetteer.py``; provenance in
docs/gazetteer.md). This module loads it and answers "which entries does this run of words name?"; reading
sentences (cues, countrysides, unknown villages, parents) is :mod:`tawthiq.extract.places`.

Names are compared in a *matching form* only: Latin letters lower-cased and stripped of accents, apostrophe
variants unified, Arabic alef forms, ta marbuta, alef maqsura and hamza seats unified, diacritics and tatweel
removed. :func:`normalise` returns the map from the matching form back to the original text, so that every span
points into the sentence as written.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from functools import cache
from importlib import resources
from typing import Any

from tawthiq.errors import ConfigError
from tawthiq.model import WherePrecision

DATA_PACKAGE = "tawthiq.data.gazetteer"
MAJOR_TOWN_POPULATION = 15_000  # smaller GeoNames places are matched only after a place cue ("in", "في", "village of")
LATIN_ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "adh", "ath", "ed", "es", "er",
                            "en", "et", "ez"})
NEVER_NAMES = frozenset({"مدينه", "قريه", "بلده", "منطقه", "حي", "محافظه", "ريف", "مخيم", "city", "village", "town"})
ARABIC_PROCLITICS = ("وب", "ول", "وك", "فب", "فل", "و", "ف", "ب", "ل", "ك")

# --- matching form -------------------------------------------------------------------------------------------------

_APOSTROPHES = "'’‘ʿʾʻʼ`´′"
_DASHES = "‐‑‒–—―"
_ARABIC_FOLD = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ئ": "ي", "ؤ": "و", "ی": "ي", "ک": "ك",
                "ہ": "ه", "ھ": "ه", "ۀ": "ه", "ي": "ي"}
_DELETED = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069"
                      r"\ufeff\u0300-\u036f]")
_SLOW = re.compile(_DELETED.pattern[:-1] + r"\ufb50-\ufdff\ufe70-\ufefc]")


def _latin_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        if len(base) == 1 and base.isascii() and base.isalpha():
            table[code] = base
    table.update({ord("ı"): "i", ord("ł"): "l", ord("Ł"): "L", ord("đ"): "d", ord("Đ"): "D", ord("ø"): "o",
                  ord("Ø"): "O", ord("ə"): "e", ord("Ə"): "E", ord("ħ"): "h", ord("Ħ"): "H"})
    table.update({ord(c): "'" for c in _APOSTROPHES})
    table.update({ord(c): "-" for c in _DASHES})
    table.update({ord(k): v for k, v in _ARABIC_FOLD.items()})
    return table


_TABLE = _latin_fold_table()


@cache  # a pure function of one character, asked for every character of a sentence that needs the slow path
def _fold_char(char: str) -> str:
    if "\ufb50" <= char <= "\ufdff" or "\ufe70" <= char <= "\ufefc":
        char = unicodedata.normalize("NFKC", char)
    out = char.translate(_TABLE).lower()
    return _DELETED.sub("", out.translate(_TABLE))


def normalise(text: str) -> tuple[str, list[int] | None]:
    """The matching form of ``text`` and, where it differs in length, ``offsets[i]`` = index in ``text`` of char i.

    ``None`` offsets mean the identity map (the common case, kept cheap for long runs of text).
    """
    folded = text.translate(_TABLE).lower().translate(_TABLE)
    if len(folded) == len(text) and not _SLOW.search(text) and not _SLOW.search(folded):
        return folded, None
    chars: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        for out in _fold_char(char):
            chars.append(out)
            offsets.append(index)
    return "".join(chars), offsets


def normalise_name(text: str) -> str:
    """The matching form of a name (idempotent: ``normalise_name(normalise_name(x)) == normalise_name(x)``)."""
    return normalise(text)[0]


def to_original(offsets: list[int] | None, start: int, end: int, length: int) -> tuple[int, int]:
    """Map ``[start, end)`` in the matching form back to the original text of ``length`` characters."""
    if offsets is None:
        return start, end
    o_start = offsets[start] if start < len(offsets) else length
    o_end = offsets[end - 1] + 1 if end > start else o_start
    return o_start, o_end


# --- tokens --------------------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


class Script(StrEnum):
    LATIN = "latin"
    ARABIC = "arabic"
    DIGITS = "digits"


@dataclass(slots=True)
class Token:
    """A word of the matching form: ``key`` for lookups, ``[start, end)`` in the matching form."""

    key: str
    start: int
    end: int
    script: Script
    upper: bool  # the original word starts with a capital letter (Latin only)
    possessive: bool = False  # written with "'s"


def _script(word: str) -> Script:
    first = word[0]
    if "\u0600" <= first <= "\u06ff":
        if first in "وف" and word[1:].isdigit():  # "و38": and 38
            return Script.DIGITS
        return Script.DIGITS if word.isdigit() else Script.ARABIC
    return Script.DIGITS if word.isdigit() else Script.LATIN


def latin_key(word: str) -> str:
    if word.endswith("'s") and len(word) > 3:
        word = word[:-2]
    return word.replace("'", "")


def tokens(norm: str, original: str, offsets: list[int] | None) -> list[Token]:
    out = []
    latin, arabic = Script.LATIN, Script.ARABIC
    for m in _TOKEN.finditer(norm):
        word = m.group()
        start = m.start()
        script = _script(word)
        if script is latin:
            key = latin_key(word) if "'" in word else word
            upper = original[offsets[start] if offsets is not None else start].isupper()
            out.append(Token(key, start, m.end(), latin, upper, len(key) + 2 == len(word) and word.endswith("'s")))
        else:
            out.append(Token(word, start, m.end(), script if script is not arabic else arabic, False))
    return out


def strip_arabic_article(word: str) -> str:
    return word[2:] if word.startswith("ال") and len(word) > 3 else word


def name_key(name: str) -> tuple[str, ...]:
    """The index key of a name: its words in matching form, Latin articles dropped, Arabic ``ال`` stripped."""
    norm, offsets = normalise(name)
    keys = []
    for tok in tokens(norm, name, offsets):
        if tok.script is Script.ARABIC:
            keys.append(strip_arabic_article(tok.key))
        elif tok.key not in LATIN_ARTICLES:
            keys.append(tok.key)
    return tuple(keys)


# --- entries and the index -----------------------------------------------------------------------------------------


class Kind(StrEnum):
    CITY = "city"  # a GeoNames town, city or village in Syria
    GOVERNORATE = "governorate"
    AREA = "area"  # a named area of villages (Houla), anchored on a GeoNames point
    REGION = "region"  # the coast: no single governorate, no point
    COUNTRY = "country"  # Syria itself
    FOREIGN = "foreign"  # a place outside Syria (country, city, sea)


class Need(IntEnum):
    """How much context a name needs before it is read as a place."""

    NONE = 0  # a governorate, a big town, a country
    CUE = 1  # a small place: after a locative word ("in", "near", "في", "ب") or a place word
    DESCRIPTOR = 2  # also a common word or first name: only after "village of", "قرية", "بلدة" ...


@dataclass(frozen=True, slots=True)
class Entry:
    name: str
    kind: Kind
    admin1: str | None
    latitude: float | None
    longitude: float | None
    where_prec: WherePrecision
    country: str | None
    geonameid: int | None = None
    parent: str | None = None
    population: int = 0


@dataclass(frozen=True, slots=True)
class Hit:
    entry: Entry
    need: Need


def _read(name: str) -> Any:
    try:
        return json.loads(resources.files(DATA_PACKAGE).joinpath(name).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ConfigError(f"gazetteer data file {name}: cannot be read ({e})",
                          hint="rebuild it with `.venv/bin/python scripts/build_gazetteer.py`") from e


class NameIndex:
    """Names (as key tuples) -> entries, with the set of key prefixes to stop a lookup early."""

    def __init__(self) -> None:
        self.names: dict[tuple[str, ...], list[Hit]] = {}
        self.prefixes: set[tuple[str, ...]] = set()
        self.firsts: set[str] = set()  # first words of names, for a cheap test before a lookup

    def add(self, name: str, entry: Entry, need: Need) -> None:
        key = name_key(name)
        if not key or (len(key) == 1 and (len(key[0]) < 3 or key[0] in NEVER_NAMES)):
            return
        hits = self.names.setdefault(key, [])
        for i, hit in enumerate(hits):
            if hit.entry == entry:
                hits[i] = Hit(entry, min(hit.need, need))
                return
        hits.append(Hit(entry, need))
        for n in range(1, len(key) + 1):
            self.prefixes.add(key[:n])
        self.firsts.add(key[0])

    def get(self, key: tuple[str, ...]) -> list[Hit]:
        return self.names.get(key, [])


@dataclass(slots=True)
class GazetteerData:
    """Everything loaded from the data files: entries by role, the name index, governorate shapes."""

    index: NameIndex
    governorates: dict[str, Entry]  # canonical name -> entry
    capitals: dict[str, Entry]  # governorate name -> capital city entry
    by_geonameid: dict[int, Entry]
    geojson: dict[str, Any]
    countryside_of: dict[str, str]  # governorate that *is* another's countryside: Damascus -> Rif Dimashq
    country: Entry


def english_name(geonames_name: str) -> str:
    """A GeoNames name without its transliteration marks: "Bāniyās" -> "Baniyas", "‘Afrīn" -> "Afrin"."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", geonames_name) if not unicodedata.combining(c))
    return "".join(c for c in folded if c not in _APOSTROPHES).strip()


def _prec(name: str) -> WherePrecision:
    return WherePrecision[name]


def load_data() -> GazetteerData:
    """Read the data files and build the index (about 0.1 s; callers cache the result)."""
    curated = _read("curated.json")
    geojson = _read("governorates.geojson")
    places = _read("places.json")
    foreign = _read("foreign.json")
    index = NameIndex()
    by_id: dict[int, Entry] = {}
    needs_descriptor = {name_key(n) for lang in ("en", "ar") for n in curated["needs_descriptor"][lang]}
    capital_names = {spec["capital_geonameid"]: spec["name"] for spec in curated["governorates"].values()
                     if isinstance(spec, dict) and "capital_geonameid" in spec}
    for p in places:
        name = capital_names.get(p["geonameid"]) or english_name(p["name"])
        entry = Entry(name, Kind.CITY, p["admin1"], p["latitude"], p["longitude"], WherePrecision.EXACT, "SY",
                      p["geonameid"], None, p["population"])
        by_id[entry.geonameid or 0] = entry
        need = Need.NONE if p["population"] >= MAJOR_TOWN_POPULATION else Need.CUE
        for name in [*p["en"], *p["ar"]]:
            index.add(name, entry, Need.DESCRIPTOR if name_key(name) in needs_descriptor else need)
    governorates, capitals, countryside_of = _add_governorates(index, curated, geojson, by_id)
    country = _add_curated(index, curated, by_id)
    _add_foreign(index, curated, foreign)
    return GazetteerData(index, governorates, capitals, by_id, geojson, countryside_of, country)


def _add_governorates(index: NameIndex, curated: dict[str, Any], geojson: dict[str, Any],
                      by_id: dict[int, Entry]) -> tuple[dict[str, Entry], dict[str, Entry], dict[str, str]]:
    governorates: dict[str, Entry] = {}
    capitals: dict[str, Entry] = {}
    countryside_of: dict[str, str] = {}
    for feature in geojson["features"]:
        props = feature["properties"]
        spec = curated["governorates"][props["iso_3166_2"]]
        name = spec["name"]
        entry = Entry(name, Kind.GOVERNORATE, name, props["label_latitude"], props["label_longitude"],
                      WherePrecision.ADMIN1, "SY")
        governorates[name] = entry
        capital = by_id.get(spec.get("capital_geonameid", -1))
        if capital is not None:
            capitals[name] = capital
        for alias in [*spec["en"], *spec["ar"], props["name_ar"]]:
            index.add(alias, entry, Need.NONE)
            if capital is not None:
                index.add(alias, capital, Need.NONE)
    for spec in curated["governorates"].values():
        if isinstance(spec, dict) and "countryside_of" in spec:
            city_gov = curated["governorates"][spec["countryside_of"]]["name"]
            countryside_of[city_gov] = spec["name"]
    return governorates, capitals, countryside_of


def _add_curated(index: NameIndex, curated: dict[str, Any], by_id: dict[int, Entry]) -> Entry:
    spec = curated["country"]
    country = Entry(spec["name"], Kind.COUNTRY, None, None, None, WherePrecision.COUNTRY, spec["code"])
    cue_only = set(spec.get("ar_needs_cue", []))
    for alias in [*spec["en"], *spec["ar"]]:
        index.add(alias, country, Need.CUE if alias in cue_only else Need.NONE)
    for region in curated["regions"]:
        entry = Entry(region["name"], Kind.REGION, None, None, None, WherePrecision.REGION, "SY")
        for alias in [*region["en"], *region["ar"]]:
            index.add(alias, entry, Need.NONE)
    for area in curated["areas"]:
        anchor = by_id[area["anchor_geonameid"]]
        entry = Entry(area["name"], Kind.AREA, anchor.admin1, anchor.latitude, anchor.longitude,
                      _prec(area["where_prec"]), "SY")
        for alias in [*area["en"], *area["ar"]]:
            index.add(alias, entry, Need.NONE)
    return country


def _add_foreign(index: NameIndex, curated: dict[str, Any], foreign: dict[str, Any]) -> None:
    cue_only = {name_key(n) for n in curated["non_syrian_ar_needs_cue"]}
    for feature in curated["non_syrian"]:
        entry = Entry(feature["name"], Kind.FOREIGN, None, None, None, WherePrecision.REGION, None)
        for alias in [*feature["en"], *feature["ar"]]:
            index.add(alias, entry, Need.NONE)
    for c in foreign["countries"]:
        entry = Entry(c["name"], Kind.FOREIGN, None, None, None, WherePrecision.COUNTRY, c["code"])
        for alias in [*c["en"], *c["ar"]]:
            index.add(alias, entry, Need.CUE if name_key(alias) in cue_only else Need.NONE)
    for c in foreign["cities"]:
        entry = Entry(c["name"], Kind.FOREIGN, None, None, None, WherePrecision.COUNTRY, c["code"], c["geonameid"],
                      c["country"])
        for alias in c["en"]:
            index.add(alias, entry, Need.NONE)
        for alias in c["ar"]:  # Arabic city names are often words too ("هوي"): only after "في", "من", "إلى" ...
            if len(alias.replace(" ", "")) >= 4:
                index.add(alias, entry, Need.CUE)


def __getattr__(name: str) -> Any:  # `from tawthiq.extract.gazetteer import Gazetteer` works too
    if name == "Gazetteer":
        from tawthiq.extract.places import Gazetteer

        return Gazetteer
    raise AttributeError(name)
