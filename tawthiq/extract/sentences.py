"""Split cleaned text into paragraphs and sentences, keeping character offsets.

Claims carry the offsets of their sentence in the cleaned text, so splitting never changes the text: a sentence is a
``(start, end)`` pair and its text is ``text[start:end]``. The splitter is rule-based (no model to download) and knows
the cases news text shows: abbreviations ("Mr.", "U.S.", "Gen."), initials, decimals ("2.5"), closing quotes after the
full stop, and the Arabic question mark and full stop.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

ABBREVIATIONS = frozenset(
    [
        "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "maj", "capt", "sgt", "st", "no", "vs", "etc", "jr", "sr",
        "u.s", "u.k", "u.n", "e.g", "i.e", "approx", "dept", "est", "fig", "inc", "ltd", "co", "jan", "feb", "mar",
        "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    ]
)

# A sentence ends at . ! ? … ؟ (optionally followed by closing quotes/brackets), then whitespace.
_BOUNDARY = re.compile(r"""([.!?…؟]+)(["'”’»)\]]*)(\s+)""")
_PARAGRAPH = re.compile(r"\n\s*\n|\n")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    paragraph: int  # index of the paragraph the sentence belongs to
    text: str


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` of each non-blank line-separated paragraph."""
    pos = 0
    for m in _PARAGRAPH.finditer(text):
        if text[pos : m.start()].strip():
            yield _trim(text, pos, m.start())
        pos = m.end()
    if text[pos:].strip():
        yield _trim(text, pos, len(text))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_false_boundary(text: str, dot_at: int, after: int) -> bool:
    """True when the full stop at ``dot_at`` ends an abbreviation or initial rather than a sentence."""
    if text[dot_at] != ".":
        return False
    word_start = dot_at
    while word_start > 0 and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:dot_at].strip("(\"'“‘").lower()
    if word in ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isalpha() and word.isascii():  # an initial: "J. Smith"
        return True
    nxt = text[after : after + 1]
    return bool(nxt) and nxt.islower()  # "... approx. two", a stop followed by a lower-case word


def split_sentences(text: str, start: int = 0, end: int | None = None, paragraph: int = 0) -> list[Sentence]:
    """Split ``text[start:end]`` into sentences with absolute offsets."""
    end = len(text) if end is None else end
    out: list[Sentence] = []
    pos = start
    for m in _BOUNDARY.finditer(text, start, end):
        stop = m.end(2)
        if _is_false_boundary(text, m.start(1) + len(m.group(1)) - 1, m.end()):
            continue
        s, e = _trim(text, pos, stop)
        if e > s:
            out.append(Sentence(s, e, paragraph, text[s:e]))
        pos = m.end()
    s, e = _trim(text, pos, end)
    if e > s:
        out.append(Sentence(s, e, paragraph, text[s:e]))
    return out


def sentences(text: str) -> list[Sentence]:
    """All sentences of a cleaned text, paragraph by paragraph."""
    out: list[Sentence] = []
    for index, (p_start, p_end) in enumerate(paragraphs(text)):
        out.extend(split_sentences(text, p_start, p_end, index))
    return out
