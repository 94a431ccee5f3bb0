
"""The matching form of Arabic text, with a map back to the original.

Extractors search Arabic in a *matching form* that forgets what writers vary without changing the meaning, and report
what they find as offsets into the ORIGINAL sentence, so that the evidence span quotes the text exactly as published.

What the matching form changes (the choices of Lucene's ``ArabicNormalizer``, plus digits and separators):

============================  ==========================================  =========================
what                          examples                                    becomes
============================  ==========================================  =========================
Arabic-Indic digits           ٠ ١ ٢ … ٩ (U+0660–0669)                     0 1 2 … 9
Persian (extended) digits     ۰ ۱ ۲ … ۹ (U+06F0–06F9)                     0 1 2 … 9
Arabic thousands separator    ٬ (U+066C)                                  ,
Arabic decimal separator      ٫ (U+066B)                                  .
Arabic percent sign           ٪ (U+066A)                                  %
tatweel (kashida)             ـ (U+0640)                                  removed
diacritics                    fatha, damma, kasra, tanween, shadda,       removed
                              sukun, superscript alef, Quranic marks
alef forms                    أ إ آ ٱ                                     ا
alef maksura                  ى                                           ي
teh marbuta                   ة                                           ه
Farsi yeh, keheh              ی ک                                         ي ك
invisible format characters   ZWNJ, ZWJ, LRM, RLM, ALM, BOM, soft hyphen  removed
presentation forms            ﻻ ﷲ ﺍ … (U+FB50–FDFF, U+FE70–FEFF)          their NFKC letters
============================  ==========================================  =========================

Everything else is kept as it is, so a string with none of these characters is its own matching form.

The offset map ``offsets`` has one entry per character of the matching form plus a final sentinel: ``offsets[i]`` is
the index in the original of the character that produced ``m[i]``; ``offsets[len(m)] == len(original)``.
:func:`map_span` turns a span of the matching form into a span of the original that covers whole original characters
(a diacritic after the last letter of a match belongs to the match).

>>> m, offsets = to_matching_form("قُتِلَ ١٢٠ شخصاً")
>>> m
'قتل 120 شخصا'
>>> map_span(offsets, 4, 7)
(7, 10)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

# One-to-one replacements (a character to a character).
_REPLACE: dict[str, str] = {chr(0x0660 + i): str(i) for i in range(10)}
_REPLACE.update({chr(0x06F0 + i): str(i) for i in range(10)})
_REPLACE.update(
    {
        "\u066c": ",",  # ARABIC THOUSANDS SEPARATOR
        "\u066b": ".",  # ARABIC DECIMAL SEPARATOR
        "\u066a": "%",  # ARABIC PERCENT SIGN
        "\u0623": "\u0627",  # أ
        "\u0625": "\u0627",  # إ
        "\u0622": "\u0627",  # آ
        "\u0671": "\u0627",  # ٱ
        "\u0649": "\u064a",  # ى -> ي
        "\u0629": "\u0647",  # ة -> ه
        "\u06cc": "\u064a",  # Farsi yeh ی -> ي
        "\u06a9": "\u0643",  # keheh ک -> ك
    }
)

# Characters dropped from the matching form.
_DROP_RANGES = (
    (0x0610, 0x061A),  # Quranic annotation marks
    (0x064B, 0x065F),  # tanween, harakat, shadda, sukun, and other combining marks
    (0x0670, 0x0670),  # superscript alef
    (0x06D6, 0x06ED),  # Quranic marks
)
_DROP_SINGLES = (
    "\u0640\u200b\u200c\u200d\u200e\u200f\u061c\ufeff\u00ad\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u202e"
)
_DROP = frozenset(_DROP_SINGLES) | frozenset(chr(c) for lo, hi in _DROP_RANGES for c in range(lo, hi + 1))

#: Arabic-Indic and Eastern Arabic-Indic (Persian) digits as ASCII digits: ``text.translate(ASCII_DIGITS)``.
ASCII_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

_PRESENTATION = "\ufb50-\ufdff\ufe70-\ufefe"
_DROP_CLASS = "".join(
    [f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in _DROP_RANGES] + [f"\\u{ord(c):04x}" for c in _DROP_SINGLES]
)
_REPLACE_CLASS = "".join(f"\\u{ord(c):04x}" for c in _REPLACE)
# Runs of characters that the matching form changes; everything between them is copied as it is.
_CHANGED = re.compile(f"[{_DROP_CLASS}{_REPLACE_CLASS}{_PRESENTATION}]+")


def _fold_char(ch: str) -> str:
    """The matching form of one character: '' (dropped), one character, or several (a ligature)."""
    if ch in _DROP:
        return ""
    rep = _REPLACE.get(ch)
    if rep is not None:
        return rep
    if "\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufefe":
        return "".join(_fold_char(c) for c in unicodedata.normalize("NFKC", ch))
    return ch


def to_matching_form(s: str) -> tuple[str, list[int]]:
    """Return the matching form of ``s`` and its offset map (one entry per character, plus a sentinel ``len(s)``).

    Raises ``TypeError`` for anything but a string.
    """
    if not isinstance(s, str):
        raise TypeError(f"to_matching_form expects a str, got {type(s).__name__}: {s!r:.60}")
    if _CHANGED.search(s) is None:
        return s, list(range(len(s) + 1))
    parts: list[str] = []
    offsets: list[int] = []
    pos = 0
    for run in _CHANGED.finditer(s):
        parts.append(s[pos : run.start()])
        offsets.extend(range(pos, run.start()))
        for i in range(run.start(), run.end()):
            folded = _fold_char(s[i])
            parts.append(folded)
            offsets.extend([i] * len(folded))
        pos = run.end()
    parts.append(s[pos:])
    offsets.extend(range(pos, len(s) + 1))
    return "".join(parts), offsets


@lru_cache(maxsize=2048)
def matching_form(s: str) -> tuple[str, tuple[int, ...]]:
    """:func:`to_matching_form` with the offset map as a tuple, cached: the quantity, date, place and role readers
    each need the matching form of the same sentence, which is computed once."""
    m, offsets = to_matching_form(s)
    return m, tuple(offsets)


def fold(s: str) -> str:
    """The matching form of ``s`` without the offset map (for word lists and patterns written in plain Arabic)."""
    return to_matching_form(s)[0]


def map_span(offsets: Sequence[int], start: int, end: int) -> tuple[int, int]:
    """Map ``[start, end)`` in the matching form to ``[start, end)`` in the original.

    The original span starts at the character that produced ``m[start]`` and ends where the character after the match
    starts, so it covers whole original characters, including diacritics and tatweel that follow the last letter.
    """
    n = len(offsets) - 1
    if not 0 <= start <= end <= n:
        raise ValueError(f"span [{start}, {end}) is outside a matching form of length {n}")
    if start == end:
        return offsets[start], offsets[start]
    last = offsets[end - 1]
    j = end
    while j < n and offsets[j] == last:  # the match ends inside an expanded ligature: take all of it
        j += 1
    return offsets[start], offsets[j]


def has_tanween_fath(original: str, start: int, end: int) -> bool:
    """Whether the original word ``original[start:end]`` carries tanween al-fath (ً), e.g. "ألفاً" against "ألفا"."""
    return "\u064b" in original[start:end]
