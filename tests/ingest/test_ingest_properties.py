"""Property tests: cleaning is idempotent and total; reading never raises anything but UnreadableError."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tawthiq.errors import UnreadableError
from tawthiq.ingest.clean import NOTE_REASONS, clean_text
from tawthiq.ingest.fingerprint import CopyIndex
from tawthiq.ingest.readers import read_document

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"

# Text built from pieces that trigger the rules (chrome, captions, splices, repeats, tags, Arabic) plus noise.
PIECES = [
    "Become a member", "― Advertisement ―", "spot_img", "HomeWorld", "Photograph: A B/Reuters", "(AFP)",
    "The post X appeared first on Y.", "&lt;strong&gt;", "<b>", "اخترنا لك", "02-02-2026", "الإنسان.المرصد",
    "braceletSectarian", "them.As", "2.5", "https://a.example/b.C", "Related", "و", "\n", "\n\n", "\r\n", " ",
    "Such a balance was the only way to end the cycle of war. ", "Photo: ", "27 August 2025", "…", "“", "”",
]  # fmt: skip
texty = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=30)), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(texty, st.text()), st.sampled_from(["en", "ar"]))
def test_clean_text_is_idempotent_and_never_raises(text: str, language: str) -> None:
    once = clean_text(text, language)
    twice = clean_text(once.text, language)
    assert twice.text == once.text
    assert all(reason in NOTE_REASONS for reason, _ in twice.removed)


@settings(max_examples=200, deadline=None)
@given(texty)
def test_nothing_is_lost_silently(text: str) -> None:
    cleaned = clean_text(text)
    words_in = len(text.split())
    recorded = sum(len(t.split()) for _, t in cleaned.removed)
    assert len(cleaned.text.split()) <= words_in + 2 * len(cleaned.removed)
    if len(cleaned.text.split()) < words_in:
        assert recorded > 0


binary = st.one_of(
    st.binary(max_size=600),
    st.binary(max_size=300).map(lambda b: b"%PDF-1.4\n" + b),
    st.binary(max_size=300).map(lambda b: b"<html><body><p>" + b),
    st.binary(max_size=300).map(lambda b: b"\xff\xfe" + b),
    texty.map(lambda t: t.encode("utf-8")),
    texty.map(lambda t: ("<!doctype html><p>" + t).encode("utf-8")),
    st.sampled_from(sorted(p.name for p in FIXTURES.iterdir() if p.suffix != ".py")).map(
        lambda name: (FIXTURES / name).read_bytes()
    ),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(binary)
def test_read_document_raises_only_unreadable_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input"
        path.write_bytes(data)
        try:
            doc = read_document(path)
        except UnreadableError as error:
            assert str(path) in str(error)
            return
        assert doc.data == data
        assert doc.text.strip()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=200), max_size=6), st.text(max_size=200))
def test_copy_index_is_total(texts: list[str], query: str) -> None:
    index = CopyIndex()
    for number, text in enumerate(texts):
        index.add(str(number), text)
    found = index.find_copy(query)
    assert found is None or (found[0] in index and 0.0 <= found[1] <= 1.0)
