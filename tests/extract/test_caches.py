"""The per-sentence caches of the extractors: keyed by everything that changes an answer, and handing out results a
caller may change without changing what the next caller gets; and the cheap tests that skip work, which must settle
the same answer as the work. Extraction with warm caches, with cold caches and after a
caller changed the claims of an earlier run must give the same claims.

Every sentence here is written for these tests (none comes from a real article).
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import tawthiq.extract
from tawthiq.extract.arabic import matching_form, to_matching_form
from tawthiq.extract.claims import arabic_letter_share, extract_claims, sentence_language
from tawthiq.extract.dates import DateContext, find_dates
from tawthiq.extract.roles import _ANY_ACTOR, ACTORS, actors_in, matching
from tawthiq.ingest.clean import clean_text
from tawthiq.ingest.readers import read_document
from tawthiq.model import Actor, Claim, Span

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ingest"
CTX = DateContext(published=dt.date(2025, 3, 14))  # a Friday


def _clear_every_cache() -> int:
    """Empty every bounded cache of the extract modules (the loaded gazetteer and registry are unbounded and kept)."""
    cleared = 0
    for info in pkgutil.iter_modules(tawthiq.extract.__path__):
        module = importlib.import_module(f"tawthiq.extract.{info.name}")
        for value in vars(module).values():
            cached: Callable[..., Any] | None = value if hasattr(value, "cache_clear") else None
            if cached is not None and cached.cache_info().maxsize:  # type: ignore[attr-defined]
                cached.cache_clear()  # type: ignore[attr-defined]
                cleared += 1
    return cleared


@given(st.text(alphabet=st.sampled_from("قتلَ ١٢٠ شخصاًـ ﻻ أإآى ة abc"), max_size=40))
def test_the_cached_matching_form_is_the_matching_form(s: str) -> None:
    m, offsets = to_matching_form(s)
    assert matching_form(s) == (m, tuple(offsets))


def test_actors_handed_out_are_copies_a_caller_may_change() -> None:
    sentence = "Gunmen loyal to the regime attacked the security forces near the town."
    first = actors_in(sentence)
    expected = [Actor("Security forces", "target", Span(40, 55)), Actor("Unidentified armed men", "perpetrator",
                Span(0, 6)), Actor("Assad regime forces", "perpetrator", Span(16, 26))]
    assert first == expected
    first[0].role = "other"
    first[1].span = None
    first.pop()
    assert actors_in(sentence) == expected


_WORDS = ["gunmen", "Gunmen", "armed", "men", "the", "regime", "security", "forces", "by", "against", "killed",
          "Israeli", "loyalists", "HTS", "قوات", "الأمن", "الأمنِ", "فلول", "النظام", "مسلحون", "على", "يد", "in", ","]


@given(st.lists(st.sampled_from(_WORDS), max_size=12))
def test_the_one_search_for_any_actor_agrees_with_the_table(words: list[str]) -> None:
    m = matching(" ".join(words))[0]
    assert (_ANY_ACTOR.search(m) is not None) == any(pattern.search(m) for pattern, _ in ACTORS)


@given(st.text(alphabet=st.sampled_from("ab Zé1٣ قتلۀ\u064e\u0660ـ؟."), max_size=30))
def test_the_arabic_share_counts_letters_as_defined(sentence: str) -> None:
    letters = [ch for ch in sentence if ch.isalpha()]  # the definition: Arabic-block letters over all letters
    expected = sum("\u0600" <= ch <= "\u06ff" for ch in letters) / len(letters) if letters else None
    assert arabic_letter_share(sentence) == expected


def test_a_sentence_language_depends_on_the_document_language_too() -> None:
    sentence = "The account could not be independently verified by reporters."
    assert sentence_language(sentence, "ar") == "en"  # a Latin-script quote in an Arabic report keeps its own
    assert sentence_language(sentence, "tr") == "tr"  # any other document: its language
    assert sentence_language("قتل عشرة مدنيين في القرية", "en") == "ar"  # Arabic script decides Arabic
    assert sentence_language("1,300 — 970.", "en") == "en"  # no letters: the document's language
    assert sentence_language(sentence, "ar") == "en"


def test_the_same_sentence_resolves_against_each_context() -> None:
    sentence = "Gunmen attacked the village on Friday."
    first = find_dates(sentence, CTX)
    later = find_dates(sentence, DateContext(published=dt.date(2025, 3, 21)))
    assert [d.start for d in first] == [dt.date(2025, 3, 14)]
    assert [d.start for d in later] == [dt.date(2025, 3, 21)]


def _claims(text: str, language: str) -> list[Claim]:
    return extract_claims(text, CTX, language=language, document_sha256="x")


def test_warm_cold_and_changed_runs_give_the_same_claims() -> None:
    english = clean_text((FIXTURES / "article_en.txt").read_text(encoding="utf-8"), language="en").text
    english += "\n\nGunmen loyal to the regime killed 12 civilians in Jableh on Thursday, according to medics."
    arabic = clean_text(read_document(FIXTURES / "article_ar.html").text, language="ar").text
    arabic += "\n\nوقتل مسلحون من فلول النظام 12 مدنياً في جبلة يوم الخميس، بحسب الشبكة السورية لحقوق الإنسان."
    for text, language in ((english, "en"), (arabic, "ar")):
        assert _clear_every_cache() >= 10
        cold = _claims(text, language)
        assert cold and any(c.actors for c in cold)
        for claim in cold:  # a caller changes what it was given ...
            for actor in claim.actors:
                actor.role = "changed"
            claim.actors.append(Actor("someone", "other"))
            claim.caveat = "changed"
        warm = _claims(text, language)  # ... and the next caller does not see it
        _clear_every_cache()
        assert warm == _claims(text, language)
        assert all(c.caveat != "changed" and all(a.role != "changed" for a in c.actors) for c in warm)
