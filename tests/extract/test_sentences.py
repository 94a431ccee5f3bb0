from hypothesis import given
from hypothesis import strategies as st

from tawthiq.extract.sentences import paragraphs, sentences, split_sentences


def test_splits_on_full_stops_keeping_offsets() -> None:
    text = "Gunmen entered the village at dawn. Two men were shot dead.\n\nThe monitor said so."
    found = sentences(text)
    assert [s.text for s in found] == [
        "Gunmen entered the village at dawn.",
        "Two men were shot dead.",
        "The monitor said so.",
    ]
    assert all(text[s.start : s.end] == s.text for s in found)
    assert [s.paragraph for s in found] == [0, 0, 1]


def test_abbreviations_initials_and_decimals_do_not_end_a_sentence() -> None:
    text = "Dr. Haddad met Mr. J. Smith of the U.S. team on Monday. The rate was 2.5 per cent."
    assert [s.text for s in split_sentences(text)] == [
        "Dr. Haddad met Mr. J. Smith of the U.S. team on Monday.",
        "The rate was 2.5 per cent.",
    ]


def test_closing_quote_stays_with_its_sentence() -> None:
    text = "“There was no plan.” He left. Did they stay? Yes!"
    assert [s.text for s in split_sentences(text)] == ["“There was no plan.”", "He left.", "Did they stay?", "Yes!"]


def test_arabic_question_mark_and_full_stop() -> None:
    text = "قتل خمسة أشخاص. هل تأكد العدد؟ نعم"
    assert len(split_sentences(text)) == 3


@given(st.text(alphabet=st.sampled_from(list("ab .?!\n”’")), max_size=200))
def test_spans_always_slice_back_and_never_overlap(text: str) -> None:
    found = sentences(text)
    for s in found:
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text
    ends = [s.end for s in found]
    starts = [s.start for s in found]
    assert all(e <= s for e, s in zip(ends, starts[1:], strict=False))
    assert all(text[a:b].strip() for a, b in paragraphs(text))
