"""A generator of realistic Syrian-style victim lists with ground truth.

True persons are drawn from the pools in :mod:`tawthiq.link.pools` (Zipf-like name frequencies, brothers who share a
father, a family name and a village and often a date of death), then spread over 3–8 lists with uneven, place-dependent
coverage. Each list has a style (mostly Arabic or Latin script, one full-name column or separate name columns, how
often it writes a district instead of a village, how careless it is), and every record is corrupted the way real lists
are: transliteration variants, a switch of script, a dropped article, typos, a date of death a few days off, a village
recorded as its district, missing fields, and a few duplicates inside one list.

The ``person_id`` column is the truth; it is never shown to the linker.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from tawthiq.errors import LinkageError
from tawthiq.link import pools
from tawthiq.link.corrupt import render_record

LIST_NAMES = ("VDC", "SNHR", "SOHR", "LocalCommittee", "FamilyNetwork", "Hospital", "Church", "Diaspora")
CAPTURE = (0.62, 0.46, 0.34, 0.24, 0.16, 0.12, 0.10, 0.08)
STATUS = (("civilian", 0.72), ("non-civilian", 0.15), ("security forces", 0.06), ("unknown", 0.07))
START = dt.date(2011, 3, 15)
END = dt.date(2025, 3, 31)


@dataclass(frozen=True, slots=True)
class ListStyle:
    """How one list writes its records."""

    name: str
    capture: float  # probability that a person is on this list
    arabic_share: float  # share of records whose names are written in Arabic
    split_names: bool  # given / father / family in separate columns
    district_only: float  # probability the place is written as the district
    missing: float  # base rate of missing optional fields
    typo: float  # probability of one typo in the name
    jitter: float  # probability the date of death is a few days off
    duplicates: float  # probability a captured person is entered twice


@dataclass(frozen=True, slots=True)
class Village:
    name_ar: str
    name_latin: str
    district_ar: str
    district_latin: str
    governorate_ar: str
    governorate_latin: str


def _pool(block: str) -> list[tuple[str, str]]:
    """Parse ``Arabic|Latin`` entries separated by spaces; either side may itself contain spaces."""
    entries: list[tuple[str, str]] = []
    tokens = block.split()
    i = 0
    while i < len(tokens):
        # an entry may span tokens: "عبد الرحمن|Abd al-Rahman" -> Arabic words, then "word|Latin", then Latin words
        start = i
        while "|" not in tokens[i]:
            i += 1
        ar_tail, lat_head = tokens[i].split("|", 1)
        arabic = " ".join([*tokens[start:i], ar_tail])
        latin = [lat_head]
        i += 1
        while i < len(tokens) and "|" not in tokens[i] and _is_latin(tokens[i]):
            latin.append(tokens[i])
            i += 1
        entries.append((arabic, " ".join(latin)))
    return entries


def _is_latin(token: str) -> bool:
    return token[:1].isascii()


MALE = _pool(pools.MALE_GIVEN)
FEMALE = _pool(pools.FEMALE_GIVEN)
FAMILY = _pool(pools.FAMILY)


def villages() -> list[Village]:
    """Every village of the generator's place hierarchy, with its district and governorate."""
    out = []
    for gov, districts in pools.PLACES.items():
        gov_ar, gov_lat = gov.split("|")
        for district, names in districts.items():
            d_ar, d_lat = district.split("|")
            for name in names:
                v_ar, v_lat = name.split("|")
                out.append(Village(v_ar, v_lat, d_ar, d_lat, gov_ar, gov_lat))
    return out


def default_styles(n_lists: int) -> list[ListStyle]:
    """Uneven lists: a large careful Arabic list, Latin lists of every quality, small local lists."""
    if not 3 <= n_lists <= 8:
        raise LinkageError(f"synthetic lists: n_lists must be 3 to 8, not {n_lists}")
    styles = []
    for i in range(n_lists):
        styles.append(
            ListStyle(
                name=LIST_NAMES[i],
                capture=CAPTURE[i],
                arabic_share=(0.95, 0.1, 0.5, 0.8, 0.3, 0.9, 0.2, 0.6)[i],
                split_names=i % 2 == 1,
                district_only=(0.1, 0.3, 0.2, 0.05, 0.4, 0.15, 0.25, 0.3)[i],
                missing=(0.05, 0.15, 0.1, 0.2, 0.25, 0.1, 0.2, 0.3)[i],
                typo=(0.03, 0.06, 0.05, 0.08, 0.1, 0.04, 0.06, 0.1)[i],
                jitter=(0.1, 0.2, 0.15, 0.25, 0.2, 0.1, 0.2, 0.3)[i],
                duplicates=(0.02, 0.01, 0.03, 0.02, 0.01, 0.02, 0.01, 0.02)[i],
            )
        )
    return styles


@dataclass(slots=True)
class Person:
    person_id: int
    sex: str
    given: tuple[str, str]
    father: tuple[str, str]
    family: tuple[str, str]
    mother: tuple[str, str]
    age: int
    date_of_death: dt.date
    village: Village
    status: str
    cause: str
    perpetrator: str


def _zipf_choice(rng: random.Random, pool: list[tuple[str, str]], s: float = 0.9) -> tuple[str, str]:
    weights = _ZIPF_CACHE.setdefault((len(pool), s), [1.0 / (k + 1) ** s for k in range(len(pool))])
    return rng.choices(pool, weights=weights, k=1)[0]


_ZIPF_CACHE: dict[tuple[int, float], list[float]] = {}


def _death_date(rng: random.Random) -> dt.date:
    """Deaths over 2011–2025 with surges (2012–2013 and March 2025), as on real Syrian lists."""
    if rng.random() < 0.08:
        return dt.date(2025, 3, 6) + dt.timedelta(days=rng.randint(0, 5))
    days = (END - START).days
    day = int(rng.betavariate(1.6, 3.2) * days)
    return START + dt.timedelta(days=day)


def generate_persons(n_persons: int, rng: random.Random) -> list[Person]:
    """True persons; about a quarter are siblings of the person before them."""
    places = villages()
    status_names = [name for name, _ in STATUS]
    status_weights = [weight for _, weight in STATUS]
    persons: list[Person] = []
    for pid in range(n_persons):
        prev = persons[-1] if persons else None
        sibling = prev is not None and rng.random() < 0.25
        sex = "male" if rng.random() < 0.82 else "female"
        given = _zipf_choice(rng, MALE if sex == "male" else FEMALE)
        if sibling and prev is not None:
            while given == prev.given:
                given = _zipf_choice(rng, MALE if sex == "male" else FEMALE)
            father, family, mother, village = prev.father, prev.family, prev.mother, prev.village
            date = prev.date_of_death if rng.random() < 0.6 else _death_date(rng)
        else:
            father, family = _zipf_choice(rng, MALE), _zipf_choice(rng, FAMILY, s=0.6)
            mother, village, date = _zipf_choice(rng, FEMALE), rng.choice(places), _death_date(rng)
        age = rng.randint(0, 17) if rng.random() < 0.16 else min(95, int(rng.gauss(34, 14)))
        persons.append(
            Person(
                person_id=pid,
                sex=sex,
                given=given,
                father=father,
                family=family,
                mother=mother,
                age=max(age, 0),
                date_of_death=date,
                village=village,
                status=rng.choices(status_names, weights=status_weights, k=1)[0],
                cause=rng.choice(("shooting", "shelling", "airstrike", "torture", "field execution", "unknown")),
                perpetrator=rng.choice(("government forces", "armed group", "unknown", "affiliated militia")),
            )
        )
    return persons


def generate_lists(
    n_records: int, n_lists: int = 5, seed: int = 0, styles: list[ListStyle] | None = None
) -> pd.DataFrame:
    """About ``n_records`` records spread over ``n_lists`` lists; column ``person_id`` is the truth.

    Coverage depends on the governorate (each list is stronger in some), so list overlaps are uneven as on real lists.
    """
    if n_records < 10:
        raise LinkageError(f"synthetic lists: n_records must be at least 10, not {n_records}")
    rng = random.Random(seed)
    styles = styles or default_styles(n_lists)
    mean_records = sum(s.capture * (1 + s.duplicates) for s in styles)
    n_persons = max(1, round(n_records / mean_records))
    persons = generate_persons(n_persons, rng)
    govs = sorted({v.governorate_latin for v in villages()})
    rows: list[dict[str, object]] = []
    for li, style in enumerate(styles):
        bias = {g: 0.6 + 0.8 * random.Random(seed * 1000 + li * 31 + gi).random() for gi, g in enumerate(govs)}
        row_id = 0
        for person in persons:
            if rng.random() >= min(0.98, style.capture * bias[person.village.governorate_latin]):
                continue
            copies = 2 if rng.random() < style.duplicates else 1
            for _ in range(copies):
                row_id += 1
                record = render_record(person, style, rng)
                record["source_record_id"] = f"{style.name}-{row_id:07d}"
                rows.append(record)
    frame = pd.DataFrame(rows)
    return frame


def iter_places() -> Iterator[dict[str, str]]:
    for v in villages():
        yield {
            "village": v.name_ar, "village_latin": v.name_latin, "district": v.district_ar,
            "district_latin": v.district_latin, "governorate": v.governorate_ar,
            "governorate_latin": v.governorate_latin,
        }  # fmt: skip


def write_lists(frame: pd.DataFrame, out_dir: Path) -> list[Path]:
    """One CSV per list (without the truth), ``truth.csv`` (record id → person id) and ``places.csv``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, group in frame.groupby("list_name", sort=False):
        path = out_dir / f"{name}.csv"
        group.drop(columns=["person_id", "list_name"]).to_csv(path, index=False)
        written.append(path)
    truth = out_dir / "truth.csv"
    frame[["list_name", "source_record_id", "person_id"]].to_csv(truth, index=False)
    places = out_dir / "places.csv"
    with places.open("w", newline="", encoding="utf-8") as fh:
        rows = list(iter_places())
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return [*written, truth, places]
