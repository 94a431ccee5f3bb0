"""Cleaning rules one by one, on our own fixtures and small texts: what goes, what stays, what is recorded."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tawthiq.ingest.clean import (
    ADVERTISEMENT,
    CHROME,
    FRAGMENT,
    NAVIGATION,
    NOTE_REASONS,
    REPEATED_PARAGRAPH,
    SPLICE,
    TRUNCATED,
    caption_date,
    clean_text,
    parse_caption,
    strip_tag_residue,
)
from tawthiq.ingest.readers import read_document


def test_own_english_fixture(fixtures: Path) -> None:
    raw = (fixtures / "article_en.txt").read_text(encoding="utf-8")
    cleaned = clean_text(raw)
    text = cleaned.text
    for gone in ("Subscribe", "Advertisement", "td_block_inner", "HomeWorld", "Share on", "Related articles",
                 "2026", "newsletter", "appeared first on", "Photograph:", "(AFP)"):  # fmt: skip
        assert gone not in text, gone
    assert cleaned.title == "Shelling and floods leave a valley town cut off"
    assert cleaned.syndication == "The Harbour Ledger"
    assert text.count("ran out of bandages") == 1
    assert text.count("lost most of their winter crop") == 1
    assert "market. They" in text and "crop. Officials" in text
    assert "along the river\n\nTwo days later" in text
    assert text.endswith("withheld for their safety")
    assert [c.date for c in cleaned.captions] == [dt.date(2024, 2, 15), None]
    assert [c.credit for c in cleaned.captions] == ["Lina Haddad/Harbour Ledger", "AFP"]
    reasons = {reason for reason, _ in cleaned.removed}
    assert {CHROME, ADVERTISEMENT, NAVIGATION, SPLICE, TRUNCATED} <= reasons


def test_own_arabic_fixture(fixtures: Path) -> None:
    doc = read_document(fixtures / "article_ar.html")
    cleaned = clean_text(doc.text, "ar")
    assert doc.title == cleaned.title == "مقتل 12 شخصا في قصف على بلدة الوادي الأخضر"
    assert cleaned.text.count(cleaned.title) == 1
    assert "الأحد. وقالت" in cleaned.text  # the glued full stop gets its space
    assert "2.5 كيلومتر" in cleaned.text  # a decimal is not a sentence end
    assert "https://lajna.example.org/ar/بيان.كامل" in cleaned.text  # nor is a dot in a URL
    assert "اخترنا لك" not in cleaned.text and "2026" not in cleaned.text
    assert doc.published_at == dt.date(2024, 2, 19)


@pytest.mark.parametrize(
    "line",
    [
        "Become a member",
        "― Advertisement ―",
        "- ADVERTISEMENT -",
        "spot_img",
        "Share on WhatsApp Share on Telegram",
        "Listen to our podcasts here and sign up to the long read weekly email here.",
        "Get the best offers and updates relating to Some Paper.",
        "Skip to main content",
        "© 2025 Some Paper. All rights reserved.",
        "Read more: Talks resume in the capital",
        "إعلان",
        "شارك الخبر",
        "جميع الحقوق محفوظة لموقع المثال 2025",
    ],
)
def test_chrome_lines_are_removed_and_recorded(line: str) -> None:
    body = "The committee met on Monday and agreed to publish the full list of names by the end of the month."
    cleaned = clean_text(f"{body}\n\n{line}\n\n{body.replace('Monday', 'Tuesday')}")
    assert line not in cleaned.text
    assert any(text == line for _, text in cleaned.removed)


@pytest.mark.parametrize(
    "line",
    [
        "Munir and Anas are pseudonyms",
        "Home Office officials declined to comment on the figures.",
        "Homeland security forces arrived later that night.",
        "He asked residents to sign up for the list of missing relatives at the town hall.",
        "Advertising boards along the road were riddled with bullet holes.",
        "The image: a child standing in the rubble, holding a blanket.",
        "Reporting from Damascus (Reuters) continued through the night, the agency said in a long statement.",
    ],
)
def test_meaningful_lines_are_kept(line: str) -> None:
    cleaned = clean_text(f"{line}\n\nThe ministry gave no figures for the second day of the fighting.")
    assert line in cleaned.text
    assert not cleaned.captions


@pytest.mark.parametrize(
    "text",
    [
        "The company, founded by the McDonald family, sold its shares to the iPhone maker on Friday.",
        "Flights on easyJet resumed, but easyJet said it would not fly to the coast until the end of the month.",
        "The figure was 2.5 per cent, according to https://example.org/Report.Html and www.example.com/A.B.",
        "He met the U.S.Ambassador and Mr.Smith in the capital.",
        "See the PhD thesis by JavaScript developers in YouTube videos about OpenAI and DeSantis supporters.",
    ],
)
def test_camel_case_names_urls_and_decimals_are_not_splices(text: str) -> None:
    cleaned = clean_text(text)
    assert cleaned.text == text
    assert not [r for r in cleaned.removed if r[0] != TRUNCATED]


def test_repeated_paragraph_kept_once() -> None:
    paragraph = "Witnesses said the convoy was stopped at the bridge for three hours before it was allowed through."
    cleaned = clean_text(f"{paragraph}\n\nA second, different paragraph follows here.\n\n{paragraph}")
    assert cleaned.text.count(paragraph) == 1
    assert (REPEATED_PARAGRAPH, paragraph) in cleaned.removed


def test_short_repeated_lines_and_quotes_are_kept() -> None:
    text = "“Run. Run.” she shouted.\n\nYes.\n\nThe shelling stopped at dawn.\n\nYes."
    assert clean_text(text).text == text


def test_tag_residue_literal_and_escaped() -> None:
    assert strip_tag_residue("&lt;strong&gt;Title&lt;/strong&gt;") == "Title"
    assert strip_tag_residue("<b>bold</b> and <span class='x'>span</span>") == "bold and span"
    assert strip_tag_residue("3 < 5 and 7 > 4 &amp; more") == "3 < 5 and 7 > 4 & more"
    assert strip_tag_residue("<rocket> is not a tag") == "<rocket> is not a tag"


def test_navigation_block_stops_at_prose() -> None:
    body = "The council said the shelter would stay open through the winter, and asked for more blankets."
    text = f"{body}\n\nMost read\nTown council opens a shelter\n04-01-2026\n\n{body.replace('winter', 'spring')}"
    cleaned = clean_text(text)
    assert "Most read" not in cleaned.text and "2026" not in cleaned.text
    assert body.replace("winter", "spring") in cleaned.text


def test_truncated_paragraph_is_kept_and_noted() -> None:
    cut = "The aid convoy left the city at dawn with food, medicine and blankets for the families who had fled to"
    cleaned = clean_text(f"{cut}\n\nThe next paragraph is complete.")
    assert cut in cleaned.text
    assert any(reason == TRUNCATED for reason, _ in cleaned.removed)


def test_stray_fragment_line_removed() -> None:
    cleaned = clean_text("وقال المرصد إن الحصيلة ارتفعت.\nو", "ar")
    assert cleaned.text == "وقال المرصد إن الحصيلة ارتفعت."
    assert (FRAGMENT, "و") in cleaned.removed


@pytest.mark.parametrize(
    ("footer", "publisher"),
    [
        ("The post Town shelters open appeared first on River Daily.", "River Daily"),
        ("This article was originally published on The Conversation.", "The Conversation"),
        ("This story originally appeared in Valley Times on March 3, 2025.", "Valley Times"),
        ("Republished with permission from Coastline Monitor.", "Coastline Monitor"),
    ],
)
def test_syndication_footers(footer: str, publisher: str) -> None:
    body = "The committee said it had documented the names of forty people, most of them farmers."
    for text in (f"{body}\n{footer}", f"{body}{footer}"):
        cleaned = clean_text(text)
        assert cleaned.text == body
        assert cleaned.syndication == publisher


@pytest.mark.parametrize(
    ("caption", "date", "credit"),
    [
        ("Mourners in Jableh, 8 March 2025. Photograph: A Person/AFP via Getty Images", dt.date(2025, 3, 8),
         "A Person/AFP via Getty Images"),
        ("Rubble in a village near Tartus on March 10, 2025. Photo: Another Person/Reuters", dt.date(2025, 3, 10),
         "Another Person/Reuters"),
        ("A damaged school in the old town (Reuters)", None, "Reuters"),
        ("جنازة في بانياس، 9 آذار/مارس 2025. تصوير: وكالة محلية", dt.date(2025, 3, 9), "وكالة محلية"),
    ],
)  # fmt: skip
def test_captions_are_parsed(caption: str, date: dt.date | None, credit: str) -> None:
    cleaned = clean_text(f"The shelling lasted two days, residents said.\n\n{caption}")
    assert cleaned.text == "The shelling lasted two days, residents said."
    [found] = cleaned.captions
    assert found.date == date
    assert found.credit == credit
    assert parse_caption(caption).credit == credit


def test_caption_dates() -> None:
    assert caption_date("seen here on 27 August 2025, near the fair") == dt.date(2025, 8, 27)
    assert caption_date("2025-03-09 in Latakia") == dt.date(2025, 3, 9)
    assert caption_date("١١ تمّوز ٢٠٢٥") == dt.date(2025, 7, 11)
    assert caption_date("31 February 2025") is None
    assert caption_date("no date here") is None


def test_cleaning_twice_changes_nothing(fixtures: Path) -> None:
    once = clean_text((fixtures / "article_en.txt").read_text(encoding="utf-8"))
    twice = clean_text(once.text)
    assert twice.text == once.text
    assert all(reason in NOTE_REASONS for reason, _ in twice.removed)


def test_newlines_and_blank_runs_are_normalised() -> None:
    text = "First paragraph here.\r\n\r\n\r\n\r\nSecond paragraph here.   \rThird one."
    assert clean_text(text).text == "First paragraph here.\n\nSecond paragraph here.\nThird one."
