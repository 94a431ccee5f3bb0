"""Messages in both languages, Syrian month names, language choice; the search expression builder."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from importlib import resources

from hypothesis import given
from hypothesis import strategies as st

from tawthiq.web.i18n import (
    ENGLISH_MONTHS,
    STANDARD_MONTHS,
    SYRIAN_MONTHS,
    Translator,
    catalog,
    format_date,
    format_range,
    pick_language,
)
from tawthiq.web.search import match_expression

LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z0-9_.]+)["']\s*[,)]""")
PREFIX_KEY = re.compile(r"""\bt\(\s*["']([a-z0-9_.]+\.)["']\s*~""")


def test_both_catalogs_have_the_same_keys_and_no_empty_message() -> None:
    en, ar = catalog("en"), catalog("ar")
    assert set(en) == set(ar)
    assert all(v.strip() for v in [*en.values(), *ar.values()])
    for key in en:  # the same {fields} on both sides
        assert set(re.findall(r"{(\w+)}", en[key])) == set(re.findall(r"{(\w+)}", ar[key])), key


def test_every_message_a_template_names_exists() -> None:
    en = catalog("en")
    templates = resources.files("tawthiq.web").joinpath("templates")
    used, prefixes = set(), set()
    for item in templates.iterdir():
        text = item.read_text(encoding="utf-8")
        used |= set(LITERAL_KEY.findall(text))
        prefixes |= set(PREFIX_KEY.findall(text))
    assert len(used) > 100
    assert sorted(used - set(en)) == []
    for prefix in prefixes:
        assert any(k.startswith(prefix) for k in en), prefix


def test_arabic_messages_are_arabic() -> None:
    ar = catalog("ar")
    assert all(re.search("[\u0600-\u06ff]", ar[k]) for k in ("nav.incidents", "login.title", "grade.confirmed"))
    assert Translator("ar").direction == "rtl" and Translator("en").direction == "ltr"


def test_march_is_adhar_beside_the_standard_name() -> None:
    assert format_date(dt.date(2025, 3, 7), "ar") == "7 آذار (مارس) 2025"
    assert format_date(dt.date(2025, 3, 7), "en") == "7 March 2025"
    assert format_range("2025-03-06", "2025-03-09", 2, "en") == "6–9 March 2025"
    assert format_range("2025-03-01", "2025-03-31", 4, "ar") == "آذار (مارس) 2025"
    assert format_range("1982-01-01", "1982-12-31", 5, "ar") == "1982"
    assert format_range(None, None, None, "ar") == catalog("ar")["undated"]


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_every_date_carries_both_month_names_in_arabic(day: dt.date) -> None:
    text = format_date(day, "ar")
    assert SYRIAN_MONTHS[day.month - 1] in text and STANDARD_MONTHS[day.month - 1] in text
    assert text.startswith(f"{day.day} ") and text.endswith(str(day.year))
    assert ENGLISH_MONTHS[day.month - 1] in format_date(day, "en")


@given(st.text(max_size=30), st.text(max_size=30), st.text(max_size=60))
def test_language_choice_is_always_a_known_language(query: str, cookie: str, accept: str) -> None:
    assert pick_language(query, cookie, accept) in ("en", "ar")


def test_language_choice_order() -> None:
    assert pick_language("ar", "en", "en") == "ar"
    assert pick_language(None, "ar", "en") == "ar"
    assert pick_language(None, None, "fr-FR,ar;q=0.8") == "ar"
    assert pick_language("xx", None, None) == "en"


@given(st.text(max_size=80))
def test_any_typed_words_make_a_valid_fts5_query(text: str) -> None:
    expression = match_expression(text)
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='unicode61 remove_diacritics 2')")
    conn.execute("INSERT INTO t (body) VALUES ('killed in Baniyas'), ('قتل في بانياس')")
    if expression is None:
        assert not re.search(r"\w", text)
    else:
        conn.execute("SELECT count(*) FROM t WHERE t MATCH ?", (expression,)).fetchone()
    conn.close()
