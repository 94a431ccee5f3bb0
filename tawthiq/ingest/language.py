"""Language detection with lingua (offline, no model download), restricted to the languages of the field.

The detector is built once per process and reused; each call reads at most the first ``max_chars`` characters, so a
call costs a few milliseconds whatever the length of the document. Kurdish is not among lingua's languages: Kurdish text
in Latin script comes out as ``und`` or as the nearest language (Turkish), in Arabic script as Persian or Arabic.
"""

from __future__ import annotations

from functools import cache
from itertools import islice

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

UNDETERMINED = "und"

#: The languages a document can be detected as (ISO 639-1 codes).
LANGUAGES: tuple[Language, ...] = (
    Language.ENGLISH,
    Language.ARABIC,
    Language.FRENCH,
    Language.TURKISH,
    Language.GERMAN,
    Language.SPANISH,
    Language.PERSIAN,
    Language.RUSSIAN,
    Language.HEBREW,
)
_MIN_LETTERS = 12
_MIN_RELATIVE_DISTANCE = 0.1


@cache
def _detector() -> LanguageDetector:
    return (
        LanguageDetectorBuilder.from_languages(*LANGUAGES)
        .with_minimum_relative_distance(_MIN_RELATIVE_DISTANCE)
        .build()
    )


def detect_language(text: str, max_chars: int = 1000) -> str:
    """The ISO 639-1 code of the language of ``text`` ("en", "ar" ...), or "und" when it is too short or unclear."""
    sample = text[:max_chars]
    if next(islice(filter(str.isalpha, sample), _MIN_LETTERS - 1, None), None) is None:  # fewer than 12 letters
        return UNDETERMINED
    language = _detector().detect_language_of(sample)
    if language is None:
        return UNDETERMINED
    return language.iso_code_639_1.name.lower()
