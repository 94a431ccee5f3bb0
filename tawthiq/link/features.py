"""From imported victim records to the columns the linkage model compares.

Input: a table with the canonical fields of :data:`tawthiq.ingest.lists.FIELDS` (``name_ar``, ``name_latin``,
``given_name``, ``father_name``, ``family_name``, ``sex``, ``age``, ``age_group``, ``date_of_death``,
``place_of_death``, ``governorate`` ...), one row per record, with an integer ``unique_id`` and the ``list_name``.

Output columns, per name part (``given``, ``father``, ``family``, and ``mother`` where given): ``<part>_norm``
(:func:`normalize_name`) and ``<part>_key`` (:func:`name_key`); for given, father and family also ``<part>_ascii``
(:func:`ascii_spelling` of the normalised spelling, what SQL string similarity is measured on) and ``<part>_sound``
(:func:`sound_spelling` of it: Levantine sound-alike Latin letters folded); ``given_common`` (1 for a given name
spelt as is common among the records, :func:`common_given`); ``script`` (``ar``
or ``lat``); ``dod`` (ISO date);
``sex`` (``m``/``f``); ``dod_week`` and ``dod_week_shifted`` (for blocking), ``dod_day`` (days since 1970, for the
blocking filter); ``second_key`` (the father's key, else the family key: the name after the given name, so that a
father's name read as a family name on a two-name record still meets); ``age`` and ``age_group``; ``village_key``,
``district_key``, ``gov_key`` from the place hierarchy.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from tawthiq.errors import LinkageError
from tawthiq.link.conflicts import COMMON_NAME_MIN, COMMON_NAME_SHARE
from tawthiq.link.names import ascii_spelling, is_arabic, name_key, normalize_name, sound_spelling, split_name

PARTS = ("given", "father", "family")
_SEX = {
    "m": "m", "male": "m", "man": "m", "boy": "m", "ذكر": "m", "رجل": "m", "M": "m",
    "f": "f", "female": "f", "woman": "f", "girl": "f", "أنثى": "f", "انثى": "f", "امرأة": "f", "F": "f",
}  # fmt: skip
#: Syria's 14 governorates in Arabic and their usual Latin spellings, so counts group them whatever the script.
GOVERNORATES = {
    "Damascus": ("دمشق", "Dimashq", "Damas"), "Rif Dimashq": ("ريف دمشق", "Rural Damascus", "Reef Dimashq"),
    "Aleppo": ("حلب", "Halab", "Alep"), "Homs": ("حمص", "Hims"), "Hama": ("حماة", "Hamah", "Hamat"),
    "Latakia": ("اللاذقية", "Lattakia", "Al-Ladhiqiyah", "Lattaquie"), "Tartus": ("طرطوس", "Tartous", "Tartous"),
    "Idlib": ("إدلب", "Idleb"), "Daraa": ("درعا", "Deraa", "Dar'a"), "As-Suwayda": ("السويداء", "Suwayda", "Sweida"),
    "Quneitra": ("القنيطرة", "Al-Qunaytirah"), "Deir ez-Zor": ("دير الزور", "Deir al-Zour", "Dayr az-Zawr"),
    "Raqqa": ("الرقة", "Ar-Raqqah", "Rakka"), "Al-Hasakah": ("الحسكة", "Hasakah", "Hassakeh"),
}  # fmt: skip


def governorate_name(text: str) -> str:
    """The English name of a Syrian governorate from any spelling in :data:`GOVERNORATES`; else ``text`` itself.

    >>> governorate_name("اللاذقية"), governorate_name("Lattakia")
    ('Latakia', 'Latakia')
    """
    return _GOV_BY_KEY.get(_place_key(text), text)


_CHILD = {"child", "minor", "طفل", "طفلة", "قاصر", "children"}
_ADULT = {"adult", "بالغ", "بالغة", "adults"}


@dataclass(slots=True)
class PlaceIndex:
    """Place names (any script or spelling, through :func:`name_key`) to (village, district, governorate) keys.

    A name that is a district resolves to the district (village key empty), so a village recorded on one list and its
    district on another still meet at the district level.
    """

    places: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    governorates: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows: list[dict[str, str]]) -> PlaceIndex:
        """Rows with ``village``, ``district``, ``governorate`` and optional ``*_latin`` spellings."""
        index = cls()
        for row in rows:
            gov = _place_key(governorate_name(row.get("governorate", "") or row.get("governorate_latin", "")))
            dist = _place_key(row.get("district", "")) or _place_key(row.get("district_latin", ""))
            vil = _place_key(row.get("village", "")) or _place_key(row.get("village_latin", ""))
            for name in ("governorate", "governorate_latin"):
                if row.get(name):
                    index.governorates[_place_key(row[name])] = gov
                    index.places.setdefault(_place_key(row[name]), ("", "", gov))
            for name in ("district", "district_latin"):
                if row.get(name):
                    index.places[_place_key(row[name])] = ("", dist, gov)
            for name in ("village", "village_latin"):
                if row.get(name):
                    index.places.setdefault(_place_key(row[name]), (vil, dist, gov))
        return index

    @classmethod
    def from_csv(cls, path: Path) -> PlaceIndex:
        try:
            with path.open(encoding="utf-8-sig", newline="") as fh:
                rows = list(csv.DictReader(fh))
        except (OSError, UnicodeDecodeError, csv.Error) as e:
            raise LinkageError(f"{path}: cannot read the places file ({e})") from e
        if not rows or not {"village", "district", "governorate"} & set(rows[0]):
            raise LinkageError(
                f"{path}: a places file needs columns village, district, governorate",
                hint="one row per village; optional village_latin, district_latin, governorate_latin columns",
            )
        return cls.from_rows(rows)

    def resolve(self, place: str, governorate: str) -> tuple[str | None, str | None, str | None]:
        """(village, district, governorate) keys; an unknown place keeps its own key as the village."""
        key = _place_key(place)
        vil, dist, gov = self.places.get(key, (key, "", ""))
        gkey = _place_key(governorate_name(governorate))
        gov = gov or self.governorates.get(gkey, gkey)
        return vil or None, dist or None, gov or None


def _place_key(text: object) -> str:
    return name_key(str(text)).replace(" ", "") if isinstance(text, str) and text.strip() else ""


_GOV_BY_KEY = {_place_key(s): name for name, spellings in GOVERNORATES.items() for s in (name, *spellings)}


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).strip()


def _parts(row: dict[str, object]) -> tuple[str, str, str, str]:
    """(given, father, family, source text) from separate columns, else from the full name (Arabic first)."""
    given, father, family = (_text(row.get(f"{p}_name")) for p in PARTS)
    full = _text(row.get("name_ar")) or _text(row.get("name_latin"))
    if full and not given:
        parts = split_name(full)
        given, father = given or parts.given, father or parts.father
        family = family or parts.family
    return given, father, family, " ".join(p for p in (given, father, family, full) if p)


_INT = re.compile(r"^\s*(\d{1,3})\s*$")


def _age(value: object) -> int | None:
    match = _INT.match(_text(value))
    return int(match.group(1)) if match and int(match.group(1)) <= 120 else None


def _age_group(age: int | None, group: str) -> str | None:
    if age is not None:
        return "child" if age < 18 else "adult"
    group = group.lower()
    return "child" if group in _CHILD else "adult" if group in _ADULT else None


def _date(value: object) -> str | None:
    text = _text(value)[:10]
    try:
        return dt.date.fromisoformat(text).isoformat() if text else None
    except ValueError:
        return None


_WEEK_ORIGIN = dt.date(1970, 1, 5)
_EPOCH = dt.date(1970, 1, 1)


def _day(iso: str | None) -> int | None:
    return None if iso is None else (dt.date.fromisoformat(iso) - _EPOCH).days


def _weeks(iso: str | None) -> tuple[int | None, int | None]:
    """Week numbers of a date, plain and shifted by three days: dates at most three days apart share one of them."""
    if iso is None:
        return None, None
    day = (dt.date.fromisoformat(iso) - _WEEK_ORIGIN).days
    return day // 7, (day + 3) // 7


def feature_row(row: dict[str, object], places: PlaceIndex) -> dict[str, object]:
    """The compared columns of one record (see the module docstring)."""
    given, father, family, source = _parts(row)
    out: dict[str, object] = {"script": "ar" if is_arabic(source) else "lat"}
    for part, value in zip(PARTS, (given, father, family), strict=True):
        norm = normalize_name(value)
        out[f"{part}_norm"] = norm or None
        out[f"{part}_ascii"] = ascii_spelling(norm) or None
        out[f"{part}_sound"] = sound_spelling(ascii_spelling(norm)) or None
        out[f"{part}_key"] = name_key(norm).replace(" ", "") or None
    out["second_key"] = out["father_key"] or out["family_key"]
    mother = normalize_name(_text(row.get("mother_name")))
    out["mother_norm"], out["mother_key"] = mother or None, name_key(mother).replace(" ", "") or None
    age = _age(row.get("age"))
    out["age"] = age
    out["age_group"] = _age_group(age, _text(row.get("age_group")))
    out["sex"] = _SEX.get(_text(row.get("sex")), _SEX.get(_text(row.get("sex")).lower()))
    dod = _date(row.get("date_of_death"))
    out["dod"] = dod
    out["dod_week"], out["dod_week_shifted"] = _weeks(dod)
    out["dod_day"] = _day(dod)
    vil, dist, gov = places.resolve(_text(row.get("place_of_death")), _text(row.get("governorate")))
    out["village_key"], out["district_key"], out["gov_key"] = vil, dist, gov
    return out


def fully_identified(row: dict[str, object]) -> bool:
    """Whether a record fully identifies its victim: a given and a family name, the date of death and the place of
    death (any level: village, district or governorate).

    This is the rule of HRDAG's enumerations of killings in Syria for the UN (Price, Klingner & Ball 2013; Price,
    Gohdes & Ball 2014), which counted unique victims only among fully identified records: a record that gives only
    "Ahmad, Baniyas", or no date, cannot be told apart from the other Ahmads of Baniyas and can neither be merged nor
    kept apart with confidence. Tawthiq links every record and counts both ways (:mod:`tawthiq.link.counts`)."""
    given, _, family, _ = _parts(row)
    place = _text(row.get("place_of_death")) or _text(row.get("governorate"))
    return bool(normalize_name(given) and normalize_name(family) and _date(row.get("date_of_death")) and place)


def common_given(frame: pd.DataFrame) -> pd.Series:
    """1 where a record's normalised given name is a common spelling among the records (at least
    :data:`conflicts.COMMON_NAME_SHARE` of them, and :data:`conflicts.COMMON_NAME_MIN`), 0 where it is rare, and −1
    where it is not common in a set too small to call a spelling rare (fewer records than
    ``COMMON_NAME_MIN / COMMON_NAME_SHARE``, 5,000: there a real name is seen once or twice as often as a typo is).

    A typo makes a rare spelling, a name a common one. The given-name rule of :mod:`conflicts` reads this column: two
    common Arabic spellings are two names however close (``محمد``/``أحمد``/``محمود``, ``حسن``/``حسين``: normalisation
    already folds the loose hamza, ta marbuta and alef forms), and across scripts a rare spelling one letter off the
    other's key is a typo (``احد``/``Ahmad``)."""
    known = frame["given_norm"].notna()
    counts = frame.loc[known, "given_norm"].value_counts()
    least = max(COMMON_NAME_MIN, COMMON_NAME_SHARE * len(frame))
    common = frame["given_norm"].map(counts).fillna(0).ge(least) & known
    rare = 0 if len(frame) * COMMON_NAME_SHARE >= COMMON_NAME_MIN else -1
    return common.astype("int64").where(common, rare)


def build_features(records: pd.DataFrame, places: PlaceIndex | None = None) -> pd.DataFrame:
    """The linkage frame: ``unique_id``, ``list_name`` and the compared columns of every record."""
    missing = {"unique_id", "list_name"} - set(records.columns)
    if missing:
        raise LinkageError(f"linkage input lacks the columns {sorted(missing)}")
    index = places or PlaceIndex()
    rows = [feature_row(r, index) for r in records.to_dict("records")]
    frame = pd.DataFrame(rows, index=records.index)
    frame.insert(0, "list_name", records["list_name"].astype(str).to_numpy())
    frame.insert(0, "unique_id", records["unique_id"].astype("int64").to_numpy())
    frame["given_common"] = common_given(frame)
    for column in ("age", "dod_week", "dod_week_shifted", "dod_day"):
        frame[column] = frame[column].astype("Int64")
    for column in frame.select_dtypes(include="object").columns:
        frame[column] = frame[column].astype("string[pyarrow]")  # a quarter of the memory; DuckDB reads it as is
    return frame.reset_index(drop=True)
