"""How the synthetic generator writes one true person as one list's record, with the errors real lists make.

Every corruption here is one that documenters see: a Latin spelling chosen by the person typing, a name written in the
other script, the article dropped or glued (``al-Hamwi`` / ``Hamwi`` / ``Alhamwi``), ``Abd al-`` compounds split or
joined, hamza and ta marbuta written loosely, a one-letter typo, a date of death one to three days off, a village
recorded as its district, and fields left blank.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from tawthiq.link.pools import EXTRA_SPELLINGS

if TYPE_CHECKING:
    from tawthiq.link.synth import ListStyle, Person

_ARABIC_LOOSE = (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ة", "ه"), ("ى", "ي"))
_LATIN_VOWEL_SWAPS = {"a": ("e",), "e": ("a", "i"), "o": ("u", "ou"), "u": ("o", "ou"), "i": ("ee", "e", "y")}
_ARABIC_TYPO_LETTERS = "ابتجحدرسعفقلمنهوي"


def latin_spelling(canonical: str, rng: random.Random) -> str:
    """One Latin spelling of a name, as a person typing a list might write it."""
    extra = EXTRA_SPELLINGS.get(canonical)
    if extra and rng.random() < 0.5:
        return rng.choice(extra)
    words = canonical.split()
    out = []
    for word in words:
        if word.startswith("al-") and rng.random() < 0.6:
            word = rng.choice(("el-", "Al ", "Al-", "", "Al", "al ")) + word[3:]
        elif word == "Abd" and rng.random() < 0.5:
            word = rng.choice(("Abdul", "Abdel", "Abd el"))
        out.append(_vowel_variant(word, rng) if rng.random() < 0.35 else word)
    text = " ".join(out)
    if text.startswith(("Abdul ", "Abdel ")) and rng.random() < 0.3:
        text = text.replace(" ", "", 1)  # Abdulrahman
    return text.replace("  ", " ").strip()


def _vowel_variant(word: str, rng: random.Random) -> str:
    chars = list(word)
    positions = [i for i, c in enumerate(chars) if i > 0 and c in _LATIN_VOWEL_SWAPS]
    if positions:
        i = rng.choice(positions)
        chars[i] = rng.choice(_LATIN_VOWEL_SWAPS[chars[i]])
    doubles = [i for i in range(1, len(chars) - 1) if chars[i] == chars[i + 1]]
    if doubles and rng.random() < 0.5:
        del chars[rng.choice(doubles)]
    return "".join(chars)


def arabic_spelling(arabic: str, rng: random.Random) -> str:
    """The Arabic written loosely: hamza and ta marbuta dropped, compounds joined, the article dropped."""
    text = arabic
    for strict, loose in _ARABIC_LOOSE:
        if strict in text and rng.random() < 0.3:
            text = text.replace(strict, loose)
    if text.startswith("عبد ") and rng.random() < 0.4:
        text = text.replace("عبد ", "عبد", 1)
    if text.startswith("ال") and rng.random() < 0.15:
        text = text[2:]
    return text


def typo(text: str, rng: random.Random) -> str:
    """One keyboard slip: a letter dropped, doubled, swapped with the next, or replaced."""
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return text[:i] + text[i + 1 :]
    if kind == 1:
        return text[:i] + text[i] + text[i:]
    if kind == 2:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    letters = _ARABIC_TYPO_LETTERS if "\u0600" <= text[i] <= "\u06ff" else "abdehiklmnorstu"
    return text[:i] + rng.choice(letters) + text[i + 1 :]


def _name(pair: tuple[str, str], arabic: bool, rng: random.Random) -> str:
    return arabic_spelling(pair[0], rng) if arabic else latin_spelling(pair[1], rng)


def _names(person: Person, style: ListStyle, arabic: bool, rng: random.Random) -> dict[str, object]:
    given = _name(person.given, arabic, rng)
    father = _name(person.father, arabic, rng) if rng.random() >= style.missing * 1.5 else ""
    family = _name(person.family, arabic, rng) if rng.random() >= style.missing * 0.3 else ""
    if rng.random() < style.typo:
        which = rng.randrange(3)
        given, father, family = [typo(v, rng) if i == which else v for i, v in enumerate((given, father, family))]
    mother = _name(person.mother, arabic, rng) if arabic and rng.random() < 0.5 else ""
    if style.split_names:
        return {"given_name": given, "father_name": father, "family_name": family, "mother_name": mother}
    full = " ".join(p for p in (given, father, family) if p)
    if not arabic and father and rng.random() < 0.1:
        full = " ".join(p for p in (given, "bin", father, family) if p)
    return {"name_ar" if arabic else "name_latin": full, "mother_name": mother}


def _place(person: Person, style: ListStyle, arabic: bool, rng: random.Random) -> dict[str, object]:
    v = person.village
    r = rng.random()
    if r < style.missing:
        place = ""
    elif r < style.missing + style.district_only:
        place = v.district_ar if arabic else latin_spelling(v.district_latin, rng)
    else:
        place = v.name_ar if arabic else latin_spelling(v.name_latin, rng)
    gov = "" if rng.random() < style.missing else (v.governorate_ar if arabic else v.governorate_latin)
    return {"place_of_death": place, "governorate": gov}


def _date(person: Person, style: ListStyle, rng: random.Random) -> str:
    if rng.random() < style.missing * 0.5:
        return ""
    date = person.date_of_death
    if rng.random() < style.jitter:
        date += dt.timedelta(days=rng.choice((-3, -2, -1, -1, 1, 1, 2, 3)))
    return date.isoformat()


def _age(person: Person, style: ListStyle, rng: random.Random) -> dict[str, object]:
    group = "child" if person.age < 18 else "adult"
    if rng.random() < style.missing * 2:
        return {"age": "", "age_group": group if rng.random() < 0.5 else ""}
    age = person.age + (rng.choice((-1, 1)) if rng.random() < 0.15 else 0)
    return {"age": str(max(age, 0)), "age_group": group}


def render_record(person: Person, style: ListStyle, rng: random.Random) -> dict[str, object]:
    """One record of ``person`` as written on the list ``style`` (with ``person_id`` as the truth)."""
    arabic = rng.random() < style.arabic_share
    sex = "" if rng.random() < style.missing else person.sex
    if arabic and sex:
        sex = {"male": "ذكر", "female": "أنثى"}[sex]
    status = person.status if rng.random() >= style.missing else "unknown"
    return {
        "list_name": style.name,
        "person_id": person.person_id,
        **_names(person, style, arabic, rng),
        "sex": sex,
        **_age(person, style, rng),
        "date_of_death": _date(person, style, rng),
        **_place(person, style, arabic, rng),
        "status": status,
        "cause": person.cause if rng.random() >= style.missing else "",
        "perpetrator": person.perpetrator if rng.random() >= style.missing else "",
    }
